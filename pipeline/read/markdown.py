"""Read Markdown (CommonMark + GFM tables + YAML front matter) into an Article.

markdown-it-py finds the blocks and their lines; the text of each block is then
located in the source by its lines, so every block knows the exact character
region a writer may replace. Nothing is re-rendered: what is not replaced stays
byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Iterable

import yaml
from markdown_it.token import Token

from pipeline.errors import InputError
from pipeline.model import Article, Block, BlockKind, MetaField
from pipeline.read.blocks import parse_blocks
from pipeline.read.extensions import Title, mask

# libyaml's loader when PyYAML was built with it: same results, much faster.
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_HARD_BREAK = re.compile(r"(\\| {2,})$")
_IMAGE_ONLY = re.compile(r"^!\[[^\]]*\]\([^)]*\)$")
# The text under an image that says what it shows: wholly emphasised, or a short
# line without closing punctuation ("Vojta Mareš at Rejekts").
_EMPHASISED = re.compile(r"^(\*[^*].*[^*]\*|_[^_].*[^_]_|\*[^*]\*|_[^_]_)$")
_CAPTION_MAX_WORDS = 14
# A build's review marker may follow the id (see pipeline.build.article): markup too.
# attr_list's "{: #id .class}" (MkDocs) and kramdown's "{:#id}" too: attributes
# around the id stay markup with it.
_EXPLICIT_ID = re.compile(r"[ \t]+\{:?[ \t]*(?:[.\w:-]+[ \t]+)*#([A-Za-z][\w:.-]*)(?:[ \t]+[.\w:-]+)*[ \t]*\}(?:[ \t]+(?:<!-- untranslated: [A-Za-z_-]+ -->|\{/\* untranslated: [A-Za-z_-]+ \*/\}))?[ \t]*$")
_TABLE_PIPE = re.compile(r"(?<!\\)\|")
_IMG_TAG = re.compile(r"""<img\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)
_ALT = re.compile(r'\salt[ \t]*=[ \t]*"([^"\n]*)"', re.IGNORECASE)


def normalise_source(text: str) -> tuple[str, bool, str]:
    """Strip a BOM and fold CRLF to LF; return (text, had_bom, newline)."""
    bom = text.startswith("\ufeff")
    if bom:
        text = text[1:]
    newline = "\r\n" if "\r\n" in text else "\n"
    if newline == "\r\n":
        text = text.replace("\r\n", "\n")
    return text, bom, newline


# A key never holds an HTML comment: without that exclusion a build's fallback
# marker ("Foo <!-- untranslated: en -->") after a leading '---' read as a key.
_MAPPING_LINE = re.compile(r"""^(?:[^\s:#'"\[\]{}-](?:(?!<!--)[^:])*|"[^"]*"|'[^']*'):(?:[ \t]|$)""")


def split_front_matter(text: str, path: str) -> tuple[str, int, int]:
    """Return (front matter YAML, offset where the body starts, body's first line).

    A leading ``---`` opens front matter only when what follows reads as YAML keys
    (its first line that is not blank or a comment is ``key: ...``) or is empty;
    otherwise it is Markdown, as CommonMark reads it: a thematic break, or the
    underline of nothing."""
    if not (text.startswith("---\n") or text == "---"):
        return "", 0, 1
    lines = text.split("\n")
    first = next((line for line in lines[1:] if line.strip() and not line.lstrip().startswith("#")), "")
    if first.rstrip() not in ("---", "...") and not _MAPPING_LINE.match(first):
        return "", 0, 1
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:index])
            offset = sum(len(line) + 1 for line in lines[: index + 1])
            return yaml_text, min(offset, len(text)), index + 2
    raise InputError(
        "front matter opened with '---' is never closed",
        path=path,
        line=1,
        hint="add a line '---' after the front matter",
    )


def parse_front_matter(yaml_text: str, path: str) -> dict[str, Any]:
    if not yaml_text.strip():
        return {}
    try:
        data = yaml.load(yaml_text, Loader=_YAML_LOADER)
    except ValueError as exc:  # a well-formed value YAML cannot build, e.g. 2025-13-45
        raise InputError(
            f"front matter: {exc}", path=path, line=_line_of_bad_value(yaml_text), hint="fix the value (dates are YYYY-MM-DD)"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        last_line = yaml_text.count("\n") + 2
        line = min(mark.line + 2, last_line) if mark is not None else 1
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise InputError(
            f"front matter: {problem}", path=path, line=line, hint="fix the YAML between the '---' lines"
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            "front matter is not a mapping of keys to values", path=path, line=2, hint="write 'key: value' lines"
        )
    return {str(k): v for k, v in data.items()}


def _line_of_bad_value(yaml_text: str) -> int:
    """The line in the file (the YAML starts on line 2) of the first value in the
    front matter that YAML parses but cannot build; 2 when none is found alone."""
    try:
        root = yaml.compose(yaml_text, Loader=_YAML_LOADER)
    except yaml.YAMLError:
        return 2
    nodes = [root] if root is not None else []
    while nodes:  # in document order
        node = nodes.pop(0)
        if isinstance(node, yaml.MappingNode):
            nodes[:0] = [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            nodes[:0] = list(node.value)
        else:
            try:
                _YAML_LOADER("").construct_object(node, deep=True)
            except ValueError:
                return int(node.start_mark.line) + 2
    return 2


def locate_meta_fields(
    text: str, yaml_text: str, metadata: dict[str, Any], text_keys: Iterable[str]
) -> tuple[MetaField, ...]:
    """Find the scalar of each top-level text key so it can be replaced in place."""
    fields: list[MetaField] = []
    lines = yaml_text.split("\n")
    # Offsets in the whole text: the YAML starts after the opening '---\n'.
    starts = [4]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    for key in text_keys:
        value = metadata.get(key)
        if not isinstance(value, str):
            continue
        pattern = re.compile(rf"^{re.escape(key)}\s*:[ \t]*")
        for index, line in enumerate(lines):
            match = pattern.match(line)
            if not match:
                continue
            last = index
            while last + 1 < len(lines) and (lines[last + 1].startswith((" ", "\t")) or not lines[last + 1].strip()):
                last += 1
            while last > index and not lines[last].strip():
                last -= 1
            start = starts[index] + match.end()
            end = starts[last] + len(lines[last].rstrip())
            fields.append(MetaField(key=key, text=value.strip(), line=index + 2, start=start, end=max(start, end)))
            break
    return tuple(fields)


@dataclass(frozen=True, slots=True)
class Region:
    """Where a block's inline text stands in the source (see :class:`Block`)."""

    start: int
    end: int
    text: str
    continuation: str
    breaks: tuple[int, ...]
    prefixes: tuple[str, ...]


class _Locator:
    """Maps markdown-it's line numbers (relative to the body) to source offsets."""

    def __init__(self, text: str, body_offset: int) -> None:
        self.text = text
        self.lines = text[body_offset:].split("\n")
        self.starts: list[int] = []
        position = body_offset
        for line in self.lines:
            self.starts.append(position)
            position += len(line) + 1

    def inline_region(self, first: int, content: str) -> Region | None:
        """Where inline ``content`` starting on line ``first`` stands, or None."""
        parts = content.split("\n")
        start = end = -1
        prefixes: list[str] = []
        breaks: list[int] = []
        pieces: list[str] = []
        length = 0
        for i, part in enumerate(parts):
            if first + i >= len(self.lines):
                return None
            line = self.lines[first + i]
            stripped_part = part.rstrip()
            body = line.rstrip()
            # A continuation line's indentation is layout (it is in its prefix):
            # CommonMark drops it from the text, and so does the msgid.
            indent = len(stripped_part) - len(stripped_part.lstrip()) if i else 0
            if stripped_part and not body.endswith(stripped_part):
                found = line.find(stripped_part)
                if found < 0:
                    return None
                column = found
            else:
                column = len(body) - len(stripped_part)
            if i == 0:
                start = self.starts[first] + column
            else:
                # Indentation markdown-it kept in the content belongs to the layout.
                prefixes.append(line[: column + len(stripped_part) - len(stripped_part.lstrip())])
            end = self.starts[first + i] + column + len(stripped_part)
            stripped_part = stripped_part[indent:]
            if i < len(parts) - 1 and _HARD_BREAK.search(part):
                piece = stripped_part.rstrip("\\").rstrip() + "\\\n"
            elif i < len(parts) - 1:
                piece = stripped_part + " "
                breaks.append(length + len(stripped_part))
            else:
                piece = stripped_part
            pieces.append(piece)
            length += len(piece)
        joined = "".join(pieces)
        text = joined.strip()
        lead = len(joined) - len(joined.lstrip())
        kept = tuple(b - lead for b in breaks if 0 <= b - lead < len(text))
        return Region(start, end, text, prefixes[0] if prefixes else "", kept, tuple(prefixes))

    def image_alts(self, first: int, end: int, line0: int) -> Iterable[Block]:
        """The ``alt`` text of each ``<img>`` on lines ``first`` to ``end`` (an
        HTML block) as a block of its own: the rest of the HTML stays markup."""
        start = self.starts[first]
        region = self.text[start : self.starts[end - 1] + len(self.lines[end - 1])]
        for tag in _IMG_TAG.finditer(region):
            alt = _ALT.search(tag.group(0))
            if alt and alt.group(1).strip():
                offset = start + tag.start() + alt.start(1)
                line = first + region.count("\n", 0, tag.start() + alt.start(1)) + line0
                yield Block(BlockKind.ATTRIBUTE, alt.group(1), line, line, start=offset, end=offset + len(alt.group(1)))

    def heading_region(self, first: int, content: str) -> tuple[int, int] | None:
        line = self.lines[first]
        marker = re.match(r"^ {0,3}#{1,6}[ \t]*", line)
        column = line.find(content, marker.end() if marker else 0) if content else -1
        if column < 0:
            return None
        return self.starts[first] + column, self.starts[first] + column + len(content)

    def table_cells(self, row: int) -> list[tuple[int, int, str]]:
        """(start, end, text) of each cell of a table row, as written (escapes kept)."""
        raw_line = self.lines[row]
        # Inside a quote the row starts with its markers; cells start after them.
        quote = re.match(r"^(?: {0,3}>[ ]?)*", raw_line)
        prefix = quote.end() if quote else 0
        line = " " * prefix + raw_line[prefix:]
        bounds = [m.start() for m in _TABLE_PIPE.finditer(line)]
        if not line.strip().startswith("|"):
            bounds.insert(0, prefix - 1)
        if line.strip().endswith("|") and not line.rstrip().endswith("\\|"):
            pass
        else:
            bounds.append(len(line))
        cells: list[tuple[int, int, str]] = []
        for left, right in zip(bounds, bounds[1:]):
            raw = line[left + 1 : right]
            stripped = raw.strip()
            offset = left + 1 + (len(raw) - len(raw.lstrip()))
            cells.append((self.starts[row] + offset, self.starts[row] + offset + len(stripped), stripped))
        return cells


def parse_markdown(
    text: str,
    *,
    path: str = "",
    slug: str = "",
    lang: str = "",
    text_keys: Iterable[str] = ("title", "description", "summary"),
) -> Article:
    """Parse a Markdown article. ``text`` may have a BOM and CRLF newlines."""
    text, bom, newline = normalise_source(text)
    yaml_text, body_offset, body_line = split_front_matter(text, path)
    metadata = parse_front_matter(yaml_text, path)
    meta_fields = locate_meta_fields(text, yaml_text, metadata, text_keys) if yaml_text else ()
    # Extension markup (admonitions, shortcodes, JSX lines) masked: same offsets.
    masked = mask(text[body_offset:])
    tokens = parse_blocks(masked.text)
    where = _Locator(text[:body_offset] + masked.text, body_offset)
    found = _blocks_from_tokens(tokens, where, body_line, masked.containers)
    blocks = _with_titles(tuple(_footnote_text(b) for b in found), masked.titles, body_offset, body_line)
    language = lang or str(metadata.get("lang", "") or "")
    return Article(
        slug=slug or str(metadata.get("slug", "") or ""),
        lang=language,
        blocks=blocks,
        source=text,
        metadata=metadata,
        meta_fields=meta_fields,
        path=path,
        bom=bom,
        newline=newline,
        body_offset=body_offset,
        body_line=body_line,
    )


def _blocks_from_tokens(
    tokens: list[Token], where: _Locator, line0: int, containers: frozenset[int] = frozenset()
) -> Iterable[Block]:
    """Walk the flat token stream keeping track of lists and quotes around a block.

    A list that starts on a line of ``containers`` is a masked admonition
    (:mod:`pipeline.read.extensions`): its blocks are what they are, not list items."""
    list_stack: list[bool | None] = []  # ordered? for each open list; None: an admonition
    item_paragraphs: list[int] = []  # paragraphs seen in each open list item
    real_items: list[bool] = []  # for each open item: a list item, not an admonition
    quote_depth = 0
    pending_row: list[tuple[int, int, str]] = []
    row_line = 0
    previous: BlockKind | None = None  # kind of the last block yielded at top level
    for index, token in enumerate(tokens):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            previous = None
            admonition = token.map is not None and token.map[0] in containers
            list_stack.append(None if admonition else kind == "ordered_list_open")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_stack.pop()
        elif kind == "list_item_open":
            # A masked admonition right after a "+" list is an item of that list to CommonMark.
            real_items.append(list_stack[-1] is not None and not (token.map is not None and token.map[0] in containers))
            if real_items[-1]:
                item_paragraphs.append(0)
        elif kind == "list_item_close":
            if real_items.pop():
                item_paragraphs.pop()
        elif kind == "blockquote_open":
            previous = None
            quote_depth += 1
        elif kind == "blockquote_close":
            quote_depth -= 1
        elif kind == "tr_open" and token.map:
            previous = None
            row_line = token.map[0]
            pending_row = where.table_cells(row_line)
        elif kind == "inline" and tokens[index - 1].type in ("th_open", "td_open"):
            if pending_row:
                start, end, cell = pending_row.pop(0)
                yield Block(BlockKind.TABLE_CELL, cell, row_line + line0, row_line + line0, start=start, end=end)
        elif kind == "heading_open" and token.map:
            previous = None
            inline = tokens[index + 1]
            first = token.map[0]
            content = inline.content
            explicit = _EXPLICIT_ID.search(content) if token.markup.startswith("#") else None
            if explicit:  # the id is markup: it stays in place, out of the text to translate
                content = content[: explicit.start()]
            region = where.heading_region(first, content) if token.markup.startswith("#") else None
            start, end = region if region else (-1, -1)
            text = content
            breaks: tuple[int, ...] = ()
            prefixes: tuple[str, ...] = ()
            if token.markup[:1] in ("=", "-"):
                located = where.inline_region(first, inline.content)
                explicit = _EXPLICIT_ID.search(inline.content)
                if located and explicit:  # on the text's last line, before the underline
                    cut = len(inline.content) - explicit.start()
                    located = replace(located, end=located.end - cut, text=located.text[:-cut])
                elif explicit:
                    explicit = None
                if located:
                    start, end, text, breaks, prefixes = (
                        located.start, located.end, located.text, located.breaks, located.prefixes
                    )
            yield Block(
                BlockKind.HEADING,
                text,
                first + line0,
                token.map[1] - 1 + line0,
                level=int(token.tag[1]),
                anchor=explicit.group(1) if explicit else "",
                start=start,
                end=end,
                breaks=breaks,
                prefixes=prefixes,
            )
        elif kind == "paragraph_open" and token.map:
            inline = tokens[index + 1]
            first = token.map[0]
            located = where.inline_region(first, inline.content)
            where_text = located or Region(-1, -1, inline.content, "", (), ())
            text = where_text.text
            if item_paragraphs and item_paragraphs[-1] == 0:
                block_kind = BlockKind.LIST_ITEM
            elif quote_depth:
                block_kind = BlockKind.QUOTE
            elif _IMAGE_ONLY.match(text):
                block_kind = BlockKind.IMAGE
            elif previous is BlockKind.IMAGE and _is_caption(text):
                block_kind = BlockKind.CAPTION
            else:
                block_kind = BlockKind.PARAGRAPH
            if item_paragraphs:
                item_paragraphs[-1] += 1
            previous = block_kind if not (item_paragraphs or quote_depth) else None
            yield Block(
                block_kind,
                text,
                first + line0,
                token.map[1] - 1 + line0,
                level=max(sum(1 for o in list_stack if o is not None) - 1, 0) if block_kind is BlockKind.LIST_ITEM else 0,
                ordered=bool(list_stack and list_stack[-1]) and block_kind is BlockKind.LIST_ITEM,
                start=where_text.start,
                end=where_text.end,
                continuation=where_text.continuation,
                breaks=where_text.breaks,
                prefixes=where_text.prefixes,
            )
        elif kind in ("fence", "code_block") and token.map:
            previous = None
            yield Block(BlockKind.CODE, token.content, token.map[0] + line0, token.map[1] - 1 + line0)
        elif kind == "html_block" and token.map:
            previous = None
            yield Block(BlockKind.HTML, token.content, token.map[0] + line0, token.map[1] - 1 + line0)
            if "<img" in token.content.lower() and not token.content.lstrip().startswith("<!--"):
                yield from where.image_alts(token.map[0], token.map[1], line0)
        elif kind == "hr" and token.map:
            previous = None
            yield Block(BlockKind.THEMATIC_BREAK, "", token.map[0] + line0, token.map[0] + line0)


_ID_AT_LINE_END = re.compile(r"\{:?[ \t]*(?:[.\w:-]+[ \t]+)*#([A-Za-z][\w:.-]*)(?:[ \t]+[.\w:-]+)*[ \t]*\}[ \t]*$", re.MULTILINE)


def may_repeat_heading_ids(text: str) -> bool:
    """Whether Markdown ``text`` writes some explicit ``{#id}`` at the end of two
    lines: a quick look that spares the parse :func:`repeated_heading_ids` needs."""
    if "{" not in text:
        return False
    ids = _ID_AT_LINE_END.findall(text)
    return len(ids) != len(set(ids))


def repeated_heading_ids(article: Article) -> tuple[tuple[str, int, int], ...]:
    """Each heading whose explicit id an earlier heading has: (id, its line, the
    earlier one's line)."""
    first: dict[str, int] = {}
    repeated: list[tuple[str, int, int]] = []
    for block in article.blocks:
        if block.kind is BlockKind.HEADING and block.anchor:
            if block.anchor in first:
                repeated.append((block.anchor, block.line, first[block.anchor]))
            else:
                first[block.anchor] = block.line
    return tuple(repeated)


def _is_caption(text: str) -> bool:
    """Whether a paragraph right after an image reads as its caption."""
    if _EMPHASISED.match(text):
        return True
    return len(text.split()) <= _CAPTION_MAX_WORDS and not text.rstrip().endswith((".", "!", "?", ":", ";", ","))


_FOOTNOTE = re.compile(r"^\[\^[^\]\s]+\]:[ \t]+")


def _footnote_text(block: Block) -> Block:
    """A footnote definition's text without its ``[^label]:``, which stays markup."""
    label = _FOOTNOTE.match(block.text) if block.kind is BlockKind.PARAGRAPH and block.start >= 0 else None
    if not label or label.end() == len(block.text):
        return block
    cut = label.end()
    return replace(
        block,
        text=block.text[cut:],
        start=block.start + cut,
        breaks=tuple(b - cut for b in block.breaks if b > cut),
    )


def _with_titles(blocks: tuple[Block, ...], titles: tuple[Title, ...], body_offset: int, line0: int) -> tuple[Block, ...]:
    """``blocks`` with each admonition title as a block of its own where it stands."""
    if not titles:
        return blocks
    merged = list(blocks)
    for title in titles:
        line = title.line + line0
        at = next((i for i, b in enumerate(merged) if b.line > line), len(merged))
        merged.insert(
            at,
            Block(
                BlockKind.ATTRIBUTE if title.attribute else BlockKind.ADMONITION_TITLE,
                title.text,
                line,
                line,
                start=body_offset + title.start,
                end=body_offset + title.end,
            ),
        )
    return tuple(merged)
