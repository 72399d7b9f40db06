"""Completeness and quality checks of a PO file against its source article.

Each check is a small named function with a docstring (what it finds and why it
matters), listed explicitly in :data:`ENTRY_CHECKS` or :data:`FILE_CHECKS`; none is
discovered at import time. Checks are pure: they get a :class:`CheckContext` and
yield :class:`Finding` objects, and never print or write.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Container, Iterable, Iterator, Mapping

from pipeline.bounded_memo import sized_memo
from pipeline.config import KeepSettings
from pipeline.model import BlockKind, Finding, Segment, Severity
from pipeline.read.dates import month_lookup
from pipeline.read.inline import (
    Region,
    code_spans,
    destination,
    emphasis_markers,
    regions,
    rendered_emphasis,
)
from pipeline.read.placeholders import (
    counted_difference,
    targets_in_notes,
    whole_reference_labels,
    with_source_targets,
)

Key = tuple[str, str]  # (msgctxt or "", msgid)


@dataclass(frozen=True)
class Entry:
    """What the checks need of a PO entry (decoupled from polib)."""

    msgid: str
    msgstr: str
    msgctxt: str
    fuzzy: bool
    obsolete: bool
    line: int
    kind: str = ""
    comment: str = ""
    #: The msgid of the entry before this one (a lead-in such as "In their own words:").
    previous: str = ""

    @property
    def key(self) -> Key:
        return (self.msgctxt, self.msgid)


#: What may stay in the source language (``[tool.l10n.keep]``).
KeepList = KeepSettings


@dataclass(frozen=True)
class CheckContext:
    """One PO file, its entries and what the source article says it should contain."""

    path: str
    lang: str
    source_lang: str
    entries: tuple[Entry, ...]
    #: Keys (msgctxt, msgid) the current source article produces; None: unknown.
    expected: frozenset[Key] | None = None
    #: Anchors (msgctxt, msgid) of target-only content kept for this article.
    addenda_anchors: tuple[tuple[Key, int], ...] = ()
    keep: KeepList = field(default_factory=KeepList)
    #: Classifies a translation: translated, kept, untranslated or partial (language
    #: id); called as classify(source, target, previous_source=...).
    classify: Callable[..., str] | None = None
    #: Source term -> target term (the TBX glossary and the configured one).
    glossary: Mapping[str, str] = field(default_factory=dict, hash=False)
    #: The source article as findings name it, and its headings that repeat an
    #: earlier heading's explicit id: (id, line, the earlier one's line).
    source_path: str = ""
    repeated_ids: tuple[tuple[str, int, int], ...] = ()


EntryCheck = Callable[[Entry, CheckContext], Iterator[Finding]]
FileCheck = Callable[[CheckContext], Iterator[Finding]]


def _finding(check: str, ctx: CheckContext, line: int, message: str, msgid: str = "") -> Finding:
    # Severity is filled in by run_checks from the configuration.
    return Finding(check=check, severity=Severity.ERROR, file=ctx.path, line=line, message=message, msgid=msgid)


def _active(entry: Entry) -> bool:
    return not entry.obsolete and bool(entry.msgid)


def check_missing(entry: Entry, ctx: CheckContext) -> Iterator[Finding]:
    """missing: the entry has no translation at all (e.g. paragraphs the legacy
    translation dropped). The article would be published with English in it."""
    if _active(entry) and not entry.msgstr.strip():
        yield _finding("missing", ctx, entry.line, "no translation", entry.msgid)


def check_fuzzy(entry: Entry, ctx: CheckContext) -> Iterator[Finding]:
    """fuzzy: a suggestion (alignment, memory, machine translation or a changed
    source) that nobody has reviewed yet."""
    if _active(entry) and entry.fuzzy and entry.msgstr.strip():
        yield _finding("fuzzy", ctx, entry.line, "needs review (fuzzy)", entry.msgid)


def check_untranslated(entry: Entry, ctx: CheckContext) -> Iterator[Finding]:
    """untranslated: the translation is the source text, or is detected as still in
    the source language, unless it may stay so (keep-list terms and patterns,
    headings that are titles of talks or products, quotations)."""
    if not _active(entry) or not entry.msgstr.strip() or entry.fuzzy:
        return
    if ctx.keep.allows(entry.msgstr) or (ctx.keep.citations and _is_citation(entry)):
        return
    kind = entry.kind
    # The texts equal with spaces collapsed and case folded, cheaper: case folding never makes
    # or takes a space, so texts of different word counts never compare equal,
    # and most translations are told apart by their count alone.
    words = entry.msgstr.split()
    source_words = entry.msgid.split()
    same = len(words) == len(source_words) and " ".join(words).casefold() == " ".join(source_words).casefold()
    kept_kinds = _kept_kinds(ctx.keep.headings, ctx.keep.quotations)
    if same:
        if kind in kept_kinds or "kept in the source language" in entry.comment:
            return
        if len(source_words) <= 2 or not re.search(r"[^\W\d_]{2}", entry.msgid):
            return  # a name, a number or a product: nothing to translate
        if ctx.classify is not None:
            state = _classify(ctx, entry)
            if state == "kept":
                return
        yield _finding("untranslated", ctx, entry.line, "the translation is the source text", entry.msgid)
        return
    if ctx.classify is None or len(words) < 6:
        return  # language detection cannot change the answer on a few words
    state = _classify(ctx, entry)
    if state == "untranslated" and kind not in kept_kinds:
        yield _finding("untranslated", ctx, entry.line, f"the translation is still in '{ctx.source_lang}'", entry.msgid)
    elif state == "partial":
        yield _finding(
            "partial", ctx, entry.line, f"part of the translation is still in '{ctx.source_lang}'", entry.msgid
        )


#: A segment that is one link and nothing else (a list of further reading), in the
#: msgid form (``[text][1]``, its target in the ``#.`` comment) or inline.
_LONE_LINK = re.compile(r"\[(?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])+\](?:\[(\d+)\]|\((https?://[^\s)]+)[^)]*\))[.,;:]?")


def _is_citation(entry: Entry) -> bool:
    """Whether the entry is one link to a web page and nothing else: its text is
    the title of that page, which a translation cites as it is (Security-101's
    "Further reading" lists: 70 of 74 "untranslated" errors on a correct Czech
    translation)."""
    match = _LONE_LINK.fullmatch(entry.msgid.strip())
    if match is None:
        return False
    label, inline = match.groups()
    if inline:
        return True
    return targets_in_notes(entry.comment).get(label, "").lstrip("<").startswith(("http://", "https://"))


@lru_cache(maxsize=4)
def _kept_kinds(headings: bool, quotations: bool) -> frozenset[str]:
    """The block kinds whose text may stay in the source language."""
    kinds = {BlockKind.HEADING.value, BlockKind.TITLE.value} if headings else set()
    if quotations:
        kinds.add(BlockKind.QUOTE.value)
    return frozenset(kinds)


def _classify(ctx: CheckContext, entry: Entry) -> str:
    assert ctx.classify is not None
    # Language identification's own classifier takes the texts as they are.
    texts = getattr(ctx.classify, "texts", None)
    if texts is not None:
        return str(texts(entry.msgid, entry.msgstr, _KINDS.get(entry.kind, BlockKind.PARAGRAPH), entry.previous or None))
    previous = _segment(entry, entry.previous) if entry.previous else None
    return str(ctx.classify(_segment(entry, entry.msgid), _segment(entry, entry.msgstr), previous_source=previous))


_KINDS = {kind.value: kind for kind in BlockKind}


def _segment(entry: Entry, text: str) -> Segment:
    return Segment(text=text, kind=_KINDS.get(entry.kind, BlockKind.PARAGRAPH), line=entry.line)


_CODE = re.compile(r"(`+)(.+?)\1")
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE = re.compile(r"\]\[((?:[^\[\]\\]|\\.)+)\]")
_URL = re.compile(r"(?<![\w(<])(?:https?://|www\.)[^\s)<>\]]+")
_IMAGE = re.compile(r"!\[")
_IMAGE_LABEL = re.compile(r"!\[(?:[^\[\]\\]|\\.)*\]\[(\d+)\]")
_FOOTNOTE = re.compile(r"\[\^([^\]]+)\]")
# Hugo shortcodes inside a paragraph ("see {{< ref "x.md" >}}"): markup, kept as written.
_SHORTCODE = re.compile(r"\{\{[<%].*?[>%]\}\}")
_HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")


def _may_have_markup(text: str) -> bool:
    return any(c in text for c in "`[<*_\\") or "http" in text or "www." in text


def markup_of(text: str, references: Container[str] = ()) -> dict[str, Counter[str]]:
    """The inline markup of a text that a translation must keep unchanged.
    ``references``: the document's reference labels, whose shortcut and
    collapsed links (``[label]``, ``[label][]``) count as a ``[text][label]``.

    Backslash escapes and code spans are found as CommonMark finds them
    (:mod:`pipeline.read.inline`): an escaped backtick, star or bracket is text,
    and nothing inside a code span is markup."""
    found = regions(text) if _may_have_markup(text) or "\\" in text else []
    masked = _masked(text, found, ("escape", "code")) if found else text
    targets = [destination(text[r.start : r.end]) for r in found if r.kind == "destination"]
    without_targets = _masked(masked, found, ("destination",))
    return {
        "inline code": Counter(code.strip() for code in code_spans(text)) if found else Counter(),
        "link target": Counter(targets)
        + Counter(_REFERENCE.findall(_masked(text, found, ("code",))))
        + Counter(whole_reference_labels(text, references)),
        "URL": Counter(u.rstrip(".,;:") for u in _URL.findall(without_targets))
        + Counter(text[r.start + 1 : r.end - 1] for r in found if r.kind == "autolink"),
        # Which labels are images: a link and an image that swap labels swap URLs.
        "image": Counter({"![": len(_IMAGE.findall(masked))}) + Counter(_IMAGE_LABEL.findall(masked))
        if _IMAGE.search(masked)
        else Counter(),
        "footnote": Counter(_FOOTNOTE.findall(masked)),
        "shortcode": Counter(_SHORTCODE.findall(text)) if "{{" in text else Counter(),
        # Closing runs too: "**podrobnosti." opens what it never closes; "**Rust**u"
        # (a Czech case ending) closes as "**Rust**" does. A code span or an escape
        # stands beside a run as the punctuation it starts or ends with, as
        # CommonMark's flanking rules see it ("**`--force`**" is bold), not a space.
        "emphasis marker": emphasis_markers(_masked(text, found, ("escape", "code"), "`") if found else text),
        "HTML tag": Counter(t.lower() for t in _HTML_TAG.findall(_masked(text, found, ("escape", "code", "autolink")))),
        # A comment is often a directive to a tool (mdBook's "<!-- ignore -->"), so
        # it must come back exactly as written.
        "HTML comment": Counter(
            text[r.start : r.end] for r in found if r.kind == "html" and text.startswith("<!--", r.start)
        ),
    }


def _masked(text: str, found: list[Region], kinds: tuple[str, ...], by: str = " ") -> str:
    """``text`` with the regions of ``kinds`` replaced by ``by``."""
    pieces: list[str] = []
    position = 0
    for region in found:
        if region.kind in kinds:
            pieces.append(text[position : region.start])
            pieces.append(by)
            position = region.end
    pieces.append(text[position:])
    return "".join(pieces)


def check_markup(entry: Entry, ctx: CheckContext) -> Iterator[Finding]:
    """markup: inline code, link targets, URLs, images, footnotes, emphasis markers,
    HTML tags or HTML comments differ between msgid and msgstr; the built article
    would break or point elsewhere."""
    if not _active(entry) or not entry.msgstr.strip():
        return
    if not (_may_have_markup(entry.msgid) or _may_have_markup(entry.msgstr)):
        return  # every pattern of markup_of needs one of these characters
    source, target = markup_of(entry.msgid), markup_of(entry.msgstr)
    if target != source and "](" in entry.msgstr:
        # A localized copy of a link's file (its label's target in the notes) is that link.
        copied = with_source_targets(entry.msgstr, entry.msgid, targets_in_notes(entry.comment))
        target = markup_of(copied) if copied != entry.msgstr else target
    for name, expected in source.items():
        got = target[name]
        if expected != got and (
            name != "emphasis marker" or rendered_emphasis(entry.msgid) != rendered_emphasis(entry.msgstr)
        ):
            detail = counted_difference(expected, got)
            yield _finding("markup", ctx, entry.line, f"{name} differs from the source: {detail}", entry.msgid)


_FOOTNOTE_DEFINITION = re.compile(r"\[\^[^\]\s]+\]:")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def structure_breaks(translation: str, source: str, kind: str = "") -> str:
    """Why ``translation`` would break its block in the built article, or "" when
    it would not; the build then shows the source text instead. ``kind`` is the
    segment's block kind (a PO entry's first comment line), "" when unknown."""
    if kind in (BlockKind.ADMONITION_TITLE.value, BlockKind.ATTRIBUTE.value):
        reason = _title_breaks(translation, source, kind)
        if reason:
            return reason
    if "\n" in translation and _BLANK_LINE.search(translation):
        return "a blank line would split the block"
    if translation.startswith("[^") or source.startswith("[^"):
        definition = _FOOTNOTE_DEFINITION.match(source)
        if definition and not translation.startswith(definition.group(0)):
            return f"a footnote definition must start with {definition.group(0)}"
        if not definition and _FOOTNOTE_DEFINITION.match(translation):
            return "the translation would start a footnote definition"
    if translation.count("`") % 2 != source.count("`") % 2:
        return "unbalanced inline code"
    if translation.count("[") - translation.count("]") != source.count("[") - source.count("]"):
        return "unbalanced link brackets"
    if translation.count("(") - translation.count(")") != source.count("(") - source.count(")") and "](" in source:
        return "unbalanced link parentheses"
    return ""


def _title_breaks(translation: str, source: str, kind: str) -> str:
    # A title lives on its marker line: a newline ends it, a '"' ends MkDocs'
    # quoted title and a ']' Docusaurus' bracketed one; the reader would then not
    # see the admonition, and the build fails the whole article. Such characters
    # are allowed only as often as the source title has them (a plain ":::note
    # Title" may hold quotes; a bracketed one never holds "]").
    # An attribute (a shortcode's caption="...", an <img alt="...">) is a
    # double-quoted value on its markup's line: the same holds for '"'.
    if "\n" in translation or "\r" in translation:
        return f"a line break would end the {kind}"
    for char in ('"', "]") if kind == BlockKind.ADMONITION_TITLE.value else ('"',):
        if translation.count(char) > source.count(char):
            return f"a {char} would end the {kind}"
    return ""


def check_structure(entry: Entry, ctx: CheckContext) -> Iterator[Finding]:
    """structure: the translation would break its block in the built article (a
    blank line splits it; inline code, link brackets or parentheses do not
    balance as in the source; a footnote definition's ``[^n]:`` is moved or
    added; an admonition title gets a line break, a '"' or a ']' that would end
    it), so the build shows the source text instead."""
    if not _active(entry) or not entry.msgstr.strip():
        return
    reason = structure_breaks(entry.msgstr, entry.msgid, entry.kind)
    if reason:
        yield _finding("structure", ctx, entry.line, f"{reason}; the build shows the source text", entry.msgid)


_DIGIT = re.compile(r"\d")
_SEPARATORS = re.compile(r"[ \u00a0\u202f,.]")
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[ \u00a0\u202f,.]\d{3})+|\d+)(?:[.,](\d+))?(?!\w)")


def numbers_of(text: str, lang: str) -> Counter[str]:
    """Numbers in ``text`` normalised across locales (1,5 = 1.5; 10 000 = 10,000),
    plus month numbers for month names so "April 1" matches "1. 4."."""
    found: Counter[str] = Counter()
    # Link targets and reference labels ("[text][1]") are not numbers of the text.
    cleaned = _CODE.sub(" ", _REFERENCE.sub("]", _LINK_TARGET.sub("]", text))) if ("`" in text or "](" in text or "][" in text) else text
    # Most text has no digit, and the pattern, starting with a look-behind, is
    # tried at every position: a plain search for a digit first is 3x cheaper.
    for match in _NUMBER.finditer(cleaned) if _DIGIT.search(cleaned) else ():
        whole = _SEPARATORS.sub("", match.group(1))
        fraction = match.group(2)
        found[f"{int(whole)}.{fraction}" if fraction else str(int(whole))] += 1
    months = month_lookup(lang)
    pattern, names = _month_names(lang)
    lowered = cleaned.casefold()
    if any(name in lowered for name in names):  # a substring test first: most text names no month
        for match in pattern.finditer(cleaned):
            found[str(months[match.group(0).casefold()])] += 1
    return found


@lru_cache(maxsize=16)
def _month_names(lang: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """One regex of the month names (over three letters) of ``lang``, a single
    scan instead of a look-up per word, and the names casefolded."""
    names = sorted((n for n in month_lookup(lang) if len(n) > 3), key=len, reverse=True)
    pattern = re.compile(r"(?<![^\W\d_])(?:" + "|".join(map(re.escape, names)) + r")(?![^\W\d_])", re.IGNORECASE)
    return pattern, tuple(dict.fromkeys(name.casefold() for name in names))


def _text_size(text: str, lang: str) -> int:
    return len(text) + 100  # the text (kept alive by the key) and the entry


#: The numbers of the last texts asked about, by text: the same paragraphs and
#: their translations come again from article to article (boilerplate, pages
#: made from one another); at most about 2 million characters of them.
@sized_memo(2_000_000, size=_text_size)
def _numbers(text: str, lang: str) -> frozenset[str]:
    return frozenset(numbers_of(text, lang))


def check_numbers(entry: Entry, ctx: CheckContext) -> Iterator[Finding]:
    """numbers: a number of the source is missing from the translation (allowing
    for decimal commas, thousands separators and month names)."""
    if not _active(entry) or not entry.msgstr.strip():
        return
    source = _numbers(entry.msgid, ctx.source_lang)
    if not source:
        return  # nothing that could be lost: the translation need not be scanned
    target = _numbers(entry.msgstr, ctx.lang)
    lost = [n for n in sorted(source) if n not in target]
    if lost:
        yield _finding("numbers", ctx, entry.line, f"number(s) {', '.join(lost)} not in the translation", entry.msgid)


def check_stale(ctx: CheckContext) -> Iterator[Finding]:
    """stale: the PO file no longer matches the source article (segments absent
    from the PO, or live entries the source lost). Run `l10n update`."""
    if ctx.expected is None:
        return
    live = {e.key: e for e in ctx.entries if _active(e)}
    absent = [k for k in ctx.expected if k not in live]
    gone = [e for k, e in live.items() if k not in ctx.expected]
    if absent:
        sample = absent[0][1][:60]
        yield _finding(
            "stale", ctx, 1, f"{len(absent)} source segment(s) not in the PO (e.g. {sample!r}); run `l10n update`"
        )
    for entry in gone:
        yield _finding("stale", ctx, entry.line, "entry no longer in the source; run `l10n update`", entry.msgid)


def check_addenda(ctx: CheckContext) -> Iterator[Finding]:
    """addenda: target-only content kept for the article has lost the source
    segment it was anchored to, so a build cannot place it."""
    live = {e.key for e in ctx.entries if _active(e)}
    for anchor, line in ctx.addenda_anchors:
        if anchor[1] and anchor not in live:
            yield _finding("addenda", ctx, line, f"target-only content lost its anchor {anchor[1][:60]!r}", anchor[1])


def check_anchors(ctx: CheckContext) -> Iterator[Finding]:
    """anchors: two headings of the source article have the same explicit id
    (``{#id}``). Every page keeps the author's id as written, so a link to it
    reaches only the first of them, in every language."""
    for anchor, line, earlier in ctx.repeated_ids:
        message = f"heading id #{anchor} is already used on line {earlier}; a link to it reaches only that heading"
        yield Finding("anchors", Severity.ERROR, ctx.source_path or ctx.path, line, message, "")


#: Target-term words shorter than this are not required (prepositions and the
#: like: "o" in "žádost o sloučení" may change with the sentence).
_TERM_WORD_MIN = 4
_WORDS = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


@lru_cache(maxsize=4096)
def _source_term(term: str) -> re.Pattern[str]:
    """A source term as a whole-word, case-insensitive pattern; an English plural
    (-s, -es) counts as the term."""
    return re.compile(r"(?<![\w-])" + re.escape(term) + r"(?:e?s)?(?![\w-])", re.IGNORECASE)


def stem(word: str) -> str:
    """The part of a target-term word an inflected form keeps: the word less its
    last two letters, but at least four letters (Czech "služba" -> "služ" matches
    "služby", "službě", "služeb"; "klastr" -> "klas" matches "klastru", "klastrů")."""
    return word[: max(_TERM_WORD_MIN, len(word) - 2)]


def term_present(target_term: str, translation: str) -> bool:
    """Whether a translation uses a target term, allowing for inflection: every
    word of the term of four letters or more begins, by its :func:`stem`, some word
    of the translation (case ignored, in any order); a term of short words only
    must occur as written."""
    words = {w.casefold() for w in _WORDS.findall(translation)}
    needed = [w.casefold() for w in _WORDS.findall(target_term) if len(w) >= _TERM_WORD_MIN]
    if not needed:
        return target_term.casefold() in translation.casefold()
    return all(any(word.startswith(stem(n)) for word in words) for n in needed)


def check_terminology(entry: Entry, ctx: CheckContext) -> Iterator[Finding]:
    """terminology: the source uses a glossary term (TBX import or configured
    glossary) but the translation lacks its target term. The source term is
    matched as a whole word, case-insensitively, its English plural too; the
    target term inflected (see :func:`term_present`). A warning: a paraphrase may
    be right."""
    if not ctx.glossary or not _active(entry) or not entry.msgstr.strip():
        return
    for source, target in ctx.glossary.items():
        if _source_term(source).search(entry.msgid) and not term_present(target, entry.msgstr):
            yield _finding(
                "terminology", ctx, entry.line, f"glossary: {source!r} should be translated as {target!r}", entry.msgid
            )


ENTRY_CHECKS: tuple[EntryCheck, ...] = (
    check_missing, check_fuzzy, check_untranslated, check_markup, check_structure, check_numbers, check_terminology
)
FILE_CHECKS: tuple[FileCheck, ...] = (check_stale, check_addenda, check_anchors)

#: Default severity of each finding; `[tool.l10n.check.severity]` overrides it.
#: The entry checks that can find something in an entry without a translation
#: (the others all skip it, as every check skips an obsolete entry or the header;
#: tests/test_checks.py runs them all on such entries to hold run_checks to it).
UNTRANSLATED_ENTRY_CHECKS: tuple[EntryCheck, ...] = (check_missing,)


def run_checks(ctx: CheckContext, severity: Mapping[str, Severity]) -> list[Finding]:
    """Every finding of every check, in file order, with configured severities."""
    findings: list[Finding] = []
    for check in FILE_CHECKS:
        findings.extend(check(ctx))
    for entry in ctx.entries:
        if not _active(entry):
            continue  # no entry check looks at an obsolete entry or the header
        for entry_check in ENTRY_CHECKS if entry.msgstr.strip() else UNTRANSLATED_ENTRY_CHECKS:
            findings.extend(entry_check(entry, ctx))
    # A finding already of its configured severity (most: the checks make errors)
    # is kept as it is, not made again.
    adjusted = [
        f if (level := severity.get(f.check, Severity.ERROR)) is f.severity
        else Finding(f.check, level, f.file, f.line, f.message, f.msgid)
        for f in findings
    ]
    return sorted(adjusted, key=lambda f: (f.line, f.check))


def entries_with_kind(raw: Iterable[tuple[str, str, str, bool, bool, int, str]]) -> tuple[Entry, ...]:
    """Build Entries from (msgid, msgstr, msgctxt, fuzzy, obsolete, line, comment);
    the first comment line names the block kind when it is one."""
    kinds = {k.value for k in BlockKind}
    entries = []
    previous = ""
    for msgid, msgstr, msgctxt, fuzzy, obsolete, line, comment in raw:
        first = comment.split("\n", 1)[0].strip()
        kind = first if first in kinds else ""
        entries.append(Entry(msgid, msgstr, msgctxt, fuzzy, obsolete, line, kind, comment, previous))
        if not obsolete and kind not in ("title", "description"):
            previous = msgid
    return tuple(entries)
