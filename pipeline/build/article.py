"""Re-assemble a localized article from its source and its translations.

Translations are spliced into the source article's structure (headings, lists,
code, tables and links stay where they are); target-only content kept by the PO
step (addenda) is put back after its anchor. A segment without a usable
translation falls back to the source text, visibly: an inline HTML comment marks
it in Markdown, and in HTML the block gets ``lang`` and ``class="untranslated"``.
The written Markdown is parsed again and its block skeleton compared with the
source's, so a translation can never silently change the structure.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import Container, Mapping, Sequence

from pipeline.build.anchors import apply_anchors, slugify, unique
from pipeline.build.html import fallback_attributes, render_markdown_html, render_page
from pipeline.build.labels import label
from pipeline.build.structure import keeps_skeleton
from pipeline.catalog.entries import article_segments
from pipeline.check.checks import markup_of, structure_breaks
from pipeline.errors import ProblemsFound
from pipeline.model import Article, BlockKind, Segment, SegmentState
from pipeline.read.dates import coerce_date, format_long_date
from pipeline.read.inline import link_references, regions, resolved_links
from pipeline.read.markdown import parse_markdown, split_front_matter
from pipeline.read.markdown_writer import (
    apply_edits,
    escape_block_start,
    escape_for_block,
    skeleton,
    splice,
    splice_edits,
)
from pipeline.read.placeholders import to_source_form, with_source_targets

Key = tuple[str, str]
#: Why a segment whose translation would change the block structure is shown
#: in the source language.
CHANGES_STRUCTURE = "the translation changes the article's block structure"
#: What the index lists of an article: (slug, title, percent, written).
Listing = tuple[str, str, float, bool]


@dataclass(frozen=True)
class Translation:
    msgstr: str
    fuzzy: bool = False


@dataclass(frozen=True)
class Addendum:
    """Target-only content to put back after the segment with key ``after``."""

    after: Key
    kind: str
    text: str


@dataclass(frozen=True)
class BuiltArticle:
    slug: str
    lang: str
    markdown: str
    title: str
    total: int
    translated: int
    #: Segments shown in the source language, with why.
    fallbacks: tuple[tuple[Segment, str], ...]
    #: The localized date and description the HTML page's header and head carry.
    date_text: str = ""
    description: str = ""
    #: The source article's path, as errors name it.
    path: str = ""
    #: The date as YYYY-MM-DD, for ``<time datetime>``.
    date_iso: str = ""
    #: For readers: no review markers (see :attr:`output_markdown`); a block in
    #: the source language carries only its ``lang``.
    publish: bool = False
    #: The id of each heading of the page in order (see :mod:`pipeline.build.anchors`).
    anchors: tuple[str, ...] = ()
    #: The language fallbacks are shown in.
    source_lang: str = ""

    @property
    def output_markdown(self) -> str:
        """The Markdown to write: with its fallback markers for review, without
        them when published."""
        return strip_fallback_markers(self.markdown) if self.publish else self.markdown

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0

    @cached_property
    def html(self) -> str:
        """The complete HTML page. Rendered on first use: an article below the
        build threshold is never written, and rendering is a build's costliest part."""
        return article_page(self)


def article_page(built: BuiltArticle) -> str:
    """The complete HTML page of ``built``, its fallbacks marked."""
    normalised = built.markdown.lstrip("\ufeff").replace("\r\n", "\n")
    body = normalised[split_front_matter(normalised, built.path)[1] :]
    if built.path.endswith(".mdx"):  # the page marks fallbacks by the HTML comment
        body = _MDX_MARKER.sub(r"<!-- untranslated: \1 -->", body)
    return render_page(
        mark_fallbacks_html(apply_anchors(render_markdown_html(body), built.anchors), publish=built.publish),
        lang=built.lang,
        title=built.title,
        date_text=built.date_text,
        description=built.description,
        date_iso=built.date_iso,
        publish=built.publish,
        title_lang=built.source_lang if any(seg.kind is BlockKind.TITLE for seg, _why in built.fallbacks) else "",
    )


def fallback_marker(lang: str, *, mdx: bool = False) -> str:
    # MDX has no HTML comments: "<!--" is a syntax error there, "{/* */}" its comment.
    return f"{{/* untranslated: {lang} */}}" if mdx else f"<!-- untranslated: {lang} -->"


_MARKER = re.compile(r" (?:<!-- untranslated: [A-Za-z_-]+ -->|\{/\* untranslated: [A-Za-z_-]+ \*/\})")
_MDX_MARKER = re.compile(r"\{/\* untranslated: ([A-Za-z_-]+) \*/\}")


def strip_fallback_markers(markdown: str) -> str:
    """``markdown`` without the markers :func:`build_article` put after fallbacks."""
    return _MARKER.sub("", markdown)


_MARKED = re.compile(
    r"<(p|li|h[1-6]|td|th)((?:\s[^>]*)?)>((?:[^<]|<(?!/?(?:p|li|ul|ol|h[1-6]|td|th|blockquote)\b))*?)\s*"
    r"<!-- untranslated: ([A-Za-z_-]+) -->"
)
#: :data:`_MARKED` read faster: the block's text taken whole up to the first
#: marker (no marker tried after each character), its white space after.
_MARKED_FAST = re.compile(
    r"<(p|li|h[1-6]|td|th)((?:\s[^>]*)?)>"
    r"((?:[^<]++|<(?!/?(?:p|li|ul|ol|h[1-6]|td|th|blockquote)\b|!-- untranslated: [A-Za-z_-]+ -->))*+)"
    r"<!-- untranslated: ([A-Za-z_-]+) -->"
)
def neutralise_html(translation: str, source: str) -> str:
    """Escape raw HTML the source segment did not contain, so it shows as text.

    Raw HTML is what CommonMark takes for it (:func:`pipeline.read.inline.regions`):
    a ``<`` in a code span, an autolink or a ``<`` that starts no tag is left alone.
    So is text that only looks like a tag to a laxer reader (``<img src=x
    alt="a"onerror=...>`` is no tag to CommonMark, but Python-Markdown, which
    renders the HTML page, passes it through): escaped too, unless the source has
    it, as ``&lt;`` reads the same to CommonMark."""
    if "<" not in translation:
        return translation
    found = regions(translation)
    allowed = (
        Counter(_without_alt(source[r.start : r.end]) for r in regions(source) if r.kind == "html") if "<" in source else Counter()
    )
    loose = Counter(_without_alt(m.group()) for m in _LOOSE_TAG.finditer(source)) if "<" in source else Counter()
    escaped: list[int] = []
    for region in found:
        if region.kind != "html":
            continue
        tag = _without_alt(translation[region.start : region.end])
        if allowed[tag] > 0:
            allowed[tag] -= 1
            continue
        escaped.append(region.start)
    covered = [(r.start, r.end) for r in found]
    for match in _LOOSE_TAG.finditer(translation):
        if any(start <= match.start() < end for start, end in covered):
            continue
        tag = _without_alt(match.group())
        if loose[tag] > 0:
            loose[tag] -= 1
            continue
        escaped.append(match.start())
    pieces: list[str] = []
    position = 0
    for start in sorted(escaped):
        pieces.append(translation[position:start] + "&lt;")
        position = start + 1
    pieces.append(translation[position:])
    return "".join(pieces)


#: What a lax HTML reader may take for a tag with attributes (the way to a script)
#: although CommonMark does not; a bare ``<foo\\>`` carries none.
_LOOSE_TAG = re.compile(r"""</?[A-Za-z][^<>\s="']*[\s="'][^<>]*>|<[!?][^<>]*>""")


_ALT_VALUE = re.compile(r"""(\salt[ \t]*=[ \t]*)(?:"[^"]*"|'[^']*')""", re.IGNORECASE)


def _without_alt(tag: str) -> str:
    """An HTML tag with its ``alt`` text left out: an ``<img>`` inside a sentence
    is the source's own when only its alt text, which is translated, differs."""
    return _ALT_VALUE.sub(r'\1""', tag) if "alt" in tag.lower() else tag


def broken_markup(translation: str, source: str, kind: str = "", references: Container[str] = ()) -> str:
    """Why a translation would break the built article, or "" when it would not;
    ``kind`` is the segment's block kind value ("" when unknown); ``references``
    the article's reference labels (a shortcut link is a full one translated)."""
    reason = structure_breaks(translation, source, kind)
    if reason:
        return reason
    if not any(mark in text for mark in ("`", "]", "http", "www.", "<!--", "{{") for text in (source, translation)):
        return ""  # code, link targets, images, URLs, comments and shortcodes all need one of these
    expected, got = markup_of(source, references), markup_of(translation, references)
    # What the build protects, not only the check: an edited URL or a lost
    # comment directive would publish a wrong link or break a tool downstream.
    for name in ("inline code", "link target", "URL", "image", "HTML comment", "shortcode"):
        if expected[name] != got[name]:
            return f"{name} differs from the source"
    return ""


def source_form(
    msgstr: str, source: str, msgid: str | None = None, references: Mapping[str, object] | None = None
) -> tuple[str, str]:
    """``msgstr`` as the article writes it: when the ``msgid`` left the source's
    link targets, shortcut references or edge comments out
    (:mod:`pipeline.read.placeholders`), with them put back; (text, "") or ("",
    why it cannot be). ``references``: the article's link reference definitions."""
    if msgid is None or msgid == source:
        return msgstr, ""
    return to_source_form(msgstr, source, references or {})


def segment_state(
    translation: Translation | None,
    source: str,
    *,
    include_fuzzy: bool = False,
    kind: str = "",
    msgid: str | None = None,
    references: Mapping[str, object] | None = None,
) -> tuple[SegmentState, str]:
    """Whether a build shows ``translation`` of a segment whose source text is
    ``source`` (its msgid ``msgid``, None when the same), and why not ("" when
    it does). The build and the review report both ask this, so a page never
    calls translated what the article shows in the source language.
    ``references``: the article's link reference definitions
    (:func:`pipeline.read.inline.link_references`), which a shortcut or
    collapsed reference's label must still name."""
    if translation is None or not translation.msgstr.strip():
        return SegmentState.MISSING, "no translation"
    if translation.fuzzy and not include_fuzzy:
        return SegmentState.FUZZY, "fuzzy"
    text, reason = source_form(translation.msgstr, source, msgid, references)
    if not reason:
        reason = _markup_breaks(text, source, kind, references or {})
        if reason and "](" in text and (copied := with_source_targets(text, source)) != text:
            # A localized copy of a link's file leads where the source's link does.
            reason = _markup_breaks(copied, source, kind, references or {})
    if reason:
        return SegmentState.BROKEN, reason
    return SegmentState.USABLE, ""


def _markup_breaks(text: str, source: str, kind: str, references: Mapping[str, object]) -> str:
    reason = broken_markup(text, source, kind, references)
    if not reason and _may_link(text, source) and resolved_links(text, references) != resolved_links(source, references):
        # Where each link and image leads once parsed: an image and a link that
        # swapped labels, an autolink added, a reference label translated.
        reason = "link target differs from the source"
    return reason


def _may_link(*texts: str) -> bool:
    return any("[" in text or "<" in text for text in texts)


def _addendum_markdown(addendum: Addendum) -> str:
    # Addenda are text from a file translators edit: no raw HTML gets through.
    text = neutralise_html(addendum.text, "")
    if addendum.kind == BlockKind.HEADING.value:
        return "## " + escape_for_block(text, BlockKind.HEADING)
    if addendum.kind == BlockKind.LIST_ITEM.value:
        return "- " + escape_block_start(text)
    if addendum.kind == BlockKind.QUOTE.value:
        return "> " + escape_block_start(text)
    return escape_block_start(text)


def build_article(
    source: Article,
    keys: Sequence[Key],
    translations: Mapping[Key, Translation],
    *,
    lang: str,
    addenda: Sequence[Addendum] = (),
    include_fuzzy: bool = False,
    publish: bool = False,
) -> BuiltArticle:
    """Build the ``lang`` version of ``source``; ``keys`` are the PO keys of
    ``segments(source)`` in order."""
    all_segments = article_segments(source)
    if len(keys) != len(all_segments):
        raise ValueError("one key per segment is required")
    source_lang = source.lang or "en"
    marker = fallback_marker(source_lang, mdx=source.path.endswith(".mdx"))
    blocks: dict[int, str] = {}
    meta: dict[str, str] = {}
    suffixes: dict[int, str] = {}
    fallbacks: list[tuple[Segment, str]] = []
    block_of_key: dict[Key, int] = {}
    references = link_references(source.source)
    set_aside: set[int] = set()

    def fall_back(segment: Segment, reason: str) -> None:
        fallbacks.append((segment, reason))
        blocks.pop(segment.block, None)
        if segment.kind in (BlockKind.ADMONITION_TITLE, BlockKind.ATTRIBUTE):
            return  # its marker line takes no comment: the source text, unmarked
        if segment.block >= 0 and source.blocks[segment.block].anchor:
            # After "{#id}", which must end the heading's text for the site's reader.
            suffixes[segment.block] = " " + marker
        elif segment.block >= 0:
            blocks[segment.block] = segment.text + " " + marker
            set_aside.add(segment.block)
            # The source's own text needs no id to keep its anchor, and one
            # after the marker would be text to the site's reader.
            suffixes.pop(segment.block, None)

    shown: dict[int, Segment] = {}
    for segment, key in zip(all_segments, keys):
        block_of_key.setdefault(key, segment.block)
        entry = translations.get(key)
        kind = segment.kind.value
        state, reason = segment_state(
            entry, segment.text, include_fuzzy=include_fuzzy, kind=kind, msgid=key[1], references=references
        )
        if state is not SegmentState.USABLE:
            fall_back(segment, reason)
            continue
        assert entry is not None
        text = neutralise_html(source_form(entry.msgstr, segment.text, key[1], references)[0], segment.text)
        if segment.block >= 0:
            blocks[segment.block] = text
            shown[segment.block] = segment
        else:
            meta[segment.key] = text
    placed = _place_addenda(source, addenda, block_of_key)
    anchors, heading_ids = _anchors(source, placed)
    id_syntax = _explicit_id_syntax(source)
    for index, text in blocks.items() if id_syntax else ():
        block = source.blocks[index]
        if (
            block.kind is BlockKind.HEADING
            and not block.anchor
            and text != block.text
            and index not in suffixes
            and index not in set_aside
        ):
            # The Markdown page's anchor stays the source's, as the HTML page's does.
            suffixes[index] = " " + id_syntax.format(heading_ids[index])
    after = {index: [_addendum_markdown(a) for a in items] for index, items in placed.items()}
    inserted = [(index, a.kind) for index, items in sorted(placed.items()) for a in items]
    edits = splice_edits(source, blocks, meta, after=after, suffixes=suffixes)
    markdown = _set_lang(apply_edits(source, edits), source, lang)
    # A translation that changes the article's block structure (a list marker or
    # a ":::" after a line break of its own) is shown in the source language,
    # as other rejected segments are; only what the source alone cannot mend
    # fails the article.
    # Parsing the built article again costs a third of building it; a splice
    # that provably keeps the structure (see pipeline.build.structure) skips it.
    difference = (
        None
        if keeps_skeleton(source, blocks, suffixes, _with_kinds(placed, after), markdown, edits)
        else _skeleton_difference(markdown, source, inserted)
    )
    while difference is not None and shown:
        culprit = _culprit(shown, difference)
        fall_back(shown.pop(culprit.block), CHANGES_STRUCTURE)
        markdown = _set_lang(splice(source, blocks, meta, after=after, suffixes=suffixes), source, lang)
        difference = _skeleton_difference(markdown, source, inserted)
    if difference is not None:
        _raise_skeleton(difference, source, lang)
    translated = len(all_segments) - len(fallbacks)
    title = meta.get("title", source.title)
    date = coerce_date(source.metadata.get("date"))
    return BuiltArticle(
        slug=source.slug,
        lang=lang,
        markdown=markdown,
        title=title,
        total=len(all_segments),
        translated=translated,
        date_text=format_long_date(date, lang) if date else "",
        date_iso=date.isoformat() if date else "",
        anchors=anchors,
        source_lang=source_lang,
        publish=publish,
        description=meta.get("description", str(source.metadata.get("description", "") or "")),
        path=source.path,
        fallbacks=tuple(fallbacks),
    )


def _with_kinds(placed: Mapping[int, Sequence[Addendum]], after: Mapping[int, list[str]]) -> dict[int, list[tuple[str, str]]]:
    return {index: [(a.kind, text) for a, text in zip(placed[index], texts)] for index, texts in after.items()}


def _anchors(source: Article, placed: Mapping[int, Sequence[Addendum]]) -> tuple[tuple[str, ...], dict[int, str]]:
    """The ids of the built page's headings in order: each source heading's
    explicit id or slug, whatever its translation; an added heading's own slug.
    Also each source heading's id by its block's index."""
    slugs = [slugify(a.text) for a in placed.get(-1, ()) if a.kind == BlockKind.HEADING.value]
    explicit = [False] * len(slugs)
    position: dict[int, int] = {}
    for index, block in enumerate(source.blocks):
        if block.kind is BlockKind.HEADING:
            position[index] = len(slugs)
            slugs.append(block.anchor or slugify(block.text))
            explicit.append(bool(block.anchor))
        added = [slugify(a.text) for a in placed.get(index, ()) if a.kind == BlockKind.HEADING.value]
        slugs.extend(added)
        explicit.extend([False] * len(added))
    ids = unique(slugs, explicit)
    return ids, {index: ids[at] for index, at in position.items()}


_ID_ATTRIBUTE = re.compile(r"[ \t]*\{(:?)[ \t]*")


def _explicit_id_syntax(source: Article) -> str:
    """How the site writes a heading id, as a format string ("{{#{}}}", or
    "{{: #{}}}" for attr_list), or "" where no id may be added: a site that reads
    ``{#id}`` shows it in the article's own headings (or is MDX: Docusaurus)."""
    for block in source.blocks:
        if block.kind is BlockKind.HEADING and block.anchor and block.end >= 0:
            written = _ID_ATTRIBUTE.match(source.source, block.end)
            if written:
                return "{{: #{}}}" if written.group(1) else "{{#{}}}"
    return "{{#{}}}" if source.path.endswith(".mdx") else ""


def mark_fallbacks_html(fragment: str, *, publish: bool = False) -> str:
    """Give every block marked as a fallback its language and, for review, a class
    to style and a note; published, only its language (readers see no box)."""

    def replace(match: re.Match[str]) -> str:
        tag, attributes, content, lang = match.group(1), match.group(2), match.group(3), match.group(4)
        # The white space before the marker goes with it, as _MARKED's "\s*" takes it.
        return f"<{tag}{attributes}{fallback_attributes(lang, publish=publish)}>{content.rstrip()}"

    return _MARKED_FAST.sub(replace, fragment) if "<!-- untranslated: " in fragment else fragment


def _set_lang(markdown: str, source: Article, lang: str) -> str:
    """Point the front matter's ``lang`` at the target language."""
    if not source.metadata:
        return markdown
    head, sep, rest = markdown.partition("\n---")
    if re.search(r"(?m)^lang:", head):
        head = re.sub(r"(?m)^lang:[^\r\n]*", f"lang: {lang}", head, count=1)
    return head + sep + rest


def _place_addenda(
    source: Article, addenda: Sequence[Addendum], block_of_key: Mapping[Key, int]
) -> dict[int, list[Addendum]]:
    """Each addendum by the block it follows (after the whole list, table or quote
    when its anchor is inside one; -1 before the first block), in document order."""
    placed: dict[int, list[Addendum]] = {}
    blocks = source.blocks
    for addendum in addenda:
        index = block_of_key.get(addendum.after, -1) if addendum.after[1] else -1
        if addendum.after[1] and index < 0:
            continue  # anchor lost: reported by the check, not placed blindly
        while 0 <= index < len(blocks) - 1 and blocks[index].kind in (
            BlockKind.LIST_ITEM,
            BlockKind.TABLE_CELL,
            BlockKind.QUOTE,
        ) and blocks[index + 1].kind is blocks[index].kind:
            index += 1
        placed.setdefault(index, []).append(addendum)
    return placed


@dataclass(frozen=True)
class _Difference:
    """Where the built article's block skeleton first differs from the expected
    one: the position, both entries there, and the source block it stands for
    (-1 for an addendum or past the end)."""

    position: int
    expected: tuple[str, int] | None
    got: tuple[str, int] | None
    block: int


def _skeleton_difference(markdown: str, source: Article, inserted: list[tuple[int, str]]) -> _Difference | None:
    expected = list(skeleton(source))
    origin = list(range(len(expected)))
    for index, kind in reversed(inserted):  # document order, inserted from the end
        level = 2 if kind == BlockKind.HEADING.value else 0
        expected.insert(index + 1, (kind, level))
        origin.insert(index + 1, -1)
    got = list(skeleton(parse_markdown(markdown, path=source.path)))
    # An image with a fallback marker is no longer image-only, nor is a caption
    # after it: all three are paragraphs to CommonMark, which is what must survive.
    loose = {BlockKind.CAPTION.value, BlockKind.IMAGE.value}
    paragraph = BlockKind.PARAGRAPH.value
    got = [(paragraph if kind in loose else kind, level) for kind, level in got]
    expected = [(paragraph if kind in loose else kind, level) for kind, level in expected]
    if got == expected:
        return None
    position = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b), min(len(got), len(expected)))
    block = next((origin[i] for i in range(min(position, len(origin) - 1), -1, -1) if origin[i] >= 0), -1)
    return _Difference(
        position,
        expected[position] if position < len(expected) else None,
        got[position] if position < len(got) else None,
        block,
    )


def _culprit(shown: Mapping[int, Segment], difference: _Difference) -> Segment:
    """The translated segment most likely to have made ``difference``: the
    nearest at or before the block where the skeleton first differs (a block
    only changes what starts inside it or after it), else the first after."""
    before = [index for index in shown if index <= difference.block]
    return shown[max(before)] if before else shown[min(shown)]


def _raise_skeleton(difference: _Difference, source: Article, lang: str) -> None:
    block = source.blocks[max(difference.block, 0)] if source.blocks else None
    raise ProblemsFound(
        f"the {lang} build changes the article's structure near this block "
        f"({difference.expected or 'end'} became {difference.got or 'nothing'})",
        path=source.path,
        line=block.line if block else None,
        hint="check that segment's translation for Markdown block markers",
    )


def render_index(articles: Sequence[tuple[str, str, float, bool]], lang: str) -> str:
    """The index page: each article (slug, title, percent, written) with completeness."""
    rows = []
    for slug, title, percent, written in articles:
        name = html.escape(title or slug)
        link = (
            f'<a href="{html.escape(slug)}.html">{name}</a>'
            if written
            else f"{name} <em>({html.escape(label('not built', lang))})</em>"
        )
        rows.append(
            f"<li>{link} <span class=\"pct\">{percent:.0f}%</span>"
            f'<span class="bar"><span style="width:{percent:.0f}%"></span></span></li>'
        )
    style = (
        "ul{list-style:none;padding:0} li{margin:.4rem 0} .pct{display:inline-block;width:3.5rem;text-align:right;"
        "margin-right:.5rem;color:#555} .bar{display:inline-block;width:10rem;height:.6rem;background:#eee;"
        "vertical-align:middle} .bar span{display:block;height:100%;background:#3a7}"
    )
    body = f"<style>{style}</style>\n<ul>\n" + "\n".join(rows) + "\n</ul>"
    return render_page(body, lang=lang, title=label("articles", lang))
