"""Write Markdown by splicing text into the source article's structure.

Only the character regions of translated blocks are replaced; everything else
(markers, indentation, code, blank lines, front matter formatting) is copied from
the source, so an identity translation reproduces the file byte for byte. New
text is escaped so that it cannot change the block structure: a Czech paragraph
"1. dubna 2025" is written "1\\. dubna 2025", never turning into a list.
"""

from __future__ import annotations

import bisect
import re
from typing import Mapping, Sequence

import yaml
from markdown_it.common.html_blocks import block_names
from markdown_it.common.html_re import HTML_OPEN_CLOSE_TAG_RE

from pipeline.errors import PipelineError
from pipeline.model import Article, Block, BlockKind
from pipeline.read.inline import Region, regions

# What starts a block at the beginning of a line; the flag says whether it can
# also interrupt a paragraph (start a block on a continuation line). Escaping more
# than needed only adds a backslash to text; escaping less changes the structure.
_BLOCK_START: tuple[tuple[re.Pattern[str], bool], ...] = (
    (re.compile(r"^(#{1,6})(?=[ \t]|$)"), True),  # ATX heading
    (re.compile(r"^([>|])"), True),  # quote, table row
    (re.compile(r"^([-+*])(?=[ \t]|$)"), True),  # bullet
    (re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)"), True),  # ordered item
    # A backtick fence's info string has no backtick: "``` aa ```" is a code span.
    (re.compile(r"^(`{3,}(?=[^`]*$)|~{3,})"), True),  # fence
    (re.compile(r"^([-*_])(?:[ \t]*\1){2,}[ \t]*$"), True),  # thematic break
    (re.compile(r"^(=+)[ \t]*$"), True),  # setext underline
    (re.compile(r"^(\[)(?=[^\]]*\]:)"), False),  # link reference definition
)
_ORDERED = 3
_HTML_BLOCK_1_TO_6 = re.compile(
    r"<(?:(?:script|pre|style|textarea)(?:[ \t>]|$)|!--|\?|![A-Za-z]|!\[CDATA\[|/?(?:"
    + "|".join(block_names)
    + r")(?:[ \t]|/?>|$))",
    re.IGNORECASE,
)


def _opens_html_block(line: str, first: bool) -> bool:
    """Whether ``line`` (without its indentation) starts a raw HTML block: kinds 1
    to 6 anywhere, kind 7 (a whole tag alone on its line) only where it does not
    interrupt a paragraph."""
    if _HTML_BLOCK_1_TO_6.match(line):
        return True
    if not first:
        return False
    tag = HTML_OPEN_CLOSE_TAG_RE.match(line)
    return tag is not None and not line[tag.end() :].strip()


def escape_block_start(line: str, *, first: bool = True) -> str:
    """Escape what would make ``line`` start a different kind of block; ``first``:
    the block's first line (else a continuation line, where only what can
    interrupt a paragraph matters)."""
    line = line.lstrip(" \t")
    if line.startswith("<") and _opens_html_block(line, first):
        return "&lt;" + line[1:]
    for index, (pattern, interrupts) in enumerate(_BLOCK_START):
        if not (first or interrupts):
            continue
        match = pattern.match(line)
        if not match:
            continue
        if index == _ORDERED:
            return f"{match.group(1)}\\{line[match.end(1):]}"
        return f"\\{line}"
    return line


def escape_inline(text: str) -> str:
    """Escape plain text (as scraped) so that Markdown shows it literally."""
    text = re.sub(r"\\(?=[!-/:-@\[-`{-~])", r"\\\\", text)
    text = re.sub(r"([`*])", r"\\\1", text)
    text = re.sub(r"(?:(?<=\W)|^)_|_(?=\W|$)", r"\\_", text)
    text = re.sub(r"\[(?=[^\]]*\])", r"\\[", text)
    # Entities, not backslashes: Python-Markdown (the HTML renderer) treats
    # neither "\&" nor "\<" as an escape and would pass a tag through. "&" first,
    # so that the "&lt;" made next stays an entity.
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text)
    return re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)


def escape_for_block(text: str, kind: BlockKind, *, line_start: bool = True) -> str:
    """Make translated ``text`` safe to splice in as the content of a ``kind`` block.

    ``line_start``: the text starts its line (a table row without a leading pipe, a
    setext heading), so its first line could start a block; an ATX heading's text
    or a cell after a pipe cannot, and is not escaped for it."""
    lines = text.split("\n")
    escaped = [escape_block_start(line, first=i == 0) if line_start or i else line for i, line in enumerate(lines)]
    if kind is BlockKind.TABLE_CELL:
        escaped = [re.sub(r"(?<!\\)\|", r"\\|", line) for line in escaped]
        return " ".join(escaped)
    if kind is BlockKind.HEADING and not line_start:
        heading = " ".join(escaped)
        return re.sub(r"(^|\s)(#+)$", r"\1\\\2", heading)  # a closing sequence would end the heading
    return "\n".join(escaped)


def yaml_scalar(value: str) -> str:
    """``value`` as a one-line YAML scalar."""
    dumped = yaml.safe_dump(value, allow_unicode=True, width=10**9, default_style=None)
    return dumped.removesuffix("\n...\n").rstrip("\n")


def splice(
    article: Article,
    blocks: Mapping[int, str],
    meta: Mapping[str, str] | None = None,
    *,
    comments: Mapping[int, str] | None = None,
    after: Mapping[int, Sequence[str]] | None = None,
    suffixes: Mapping[int, str] | None = None,
) -> str:
    """The article's source with block ``i``'s text replaced by ``blocks[i]``.

    ``meta`` replaces front-matter text values by key; ``comments`` puts an HTML
    comment line before block ``i`` (used to mark fallbacks); ``after`` inserts
    whole Markdown blocks, in order, after the last line of block ``i`` (``-1``:
    before the first block of the body); ``suffixes`` appends text to the line on
    which block ``i`` ends (after a heading's ``{#id}``). A replacement equal to the block's own
    text leaves the source untouched. Returns the file text with the article's BOM
    and newline style.
    """
    return apply_edits(article, splice_edits(article, blocks, meta, comments=comments, after=after, suffixes=suffixes))


def apply_edits(article: Article, edits: Sequence[tuple[int, int, str]]) -> str:
    """The article's source with ``edits`` (from :func:`splice_edits`) made, as file text."""
    pieces: list[str] = []
    position = 0
    for start, end, replacement in edits:
        if start < position:
            raise PipelineError("overlapping replacements", path=article.path)
        pieces.append(article.source[position:start])
        pieces.append(replacement)
        position = end
    pieces.append(article.source[position:])
    return to_file_text("".join(pieces), article)


def splice_edits(
    article: Article,
    blocks: Mapping[int, str],
    meta: Mapping[str, str] | None = None,
    *,
    comments: Mapping[int, str] | None = None,
    after: Mapping[int, Sequence[str]] | None = None,
    suffixes: Mapping[int, str] | None = None,
) -> list[tuple[int, int, str]]:
    """What :func:`splice` replaces: (start, end, replacement) in the article's
    (normalised) source, in order."""
    edits: list[tuple[int, int, str]] = []
    for field in article.meta_fields:
        if meta and field.key in meta and meta[field.key] != field.text:
            # "key:" directly followed by the value's region needs its space.
            space = " " if article.source[field.start - 1 : field.start] == ":" else ""
            edits.append((field.start, field.end, space + yaml_scalar(meta[field.key])))
    for index, text in blocks.items():
        block = article.blocks[index]
        if text == block.text:
            continue
        if block.start < 0:
            raise PipelineError(
                "this block's text could not be located in the source, so it cannot be replaced",
                path=article.path,
                line=block.line,
                hint="simplify its indentation or report the Markdown construct",
            )
        edits.append((block.start, block.end, _write_block(text, block, article.source)))
    for index, comment in (comments or {}).items():
        block = article.blocks[index]
        line_start = article.source.rfind("\n", 0, max(block.start, 0)) + 1 if block.start >= 0 else -1
        if line_start >= 0 and block.start >= 0:
            prefix = article.source[line_start:block.start]
            indent = prefix if not prefix.strip() else re.match(r"^\s*", prefix).group(0)  # type: ignore[union-attr]
            edits.append((line_start, line_start, f"{indent}<!-- {comment} -->\n"))
    for index, suffix in (suffixes or {}).items():
        block = article.blocks[index]
        if block.end >= 0:
            line_end = article.source.find("\n", block.end)
            line_end = len(article.source) if line_end < 0 else line_end
            closing = _CLOSING_SEQUENCE.match(article.source, block.end, line_end)
            if block.kind is BlockKind.HEADING and closing:
                # After an ATX heading's closing hashes they would be text: the
                # suffix ({#id}) ends the line in their place.
                edits.append((block.end, closing.end(), " " + suffix.lstrip(" ")))
            else:
                edits.append((line_end, line_end, suffix))
    edits.extend(_insertions(article, after or {}))
    edits.sort(key=lambda edit: (edit[0], edit[1]))
    return edits


#: An ATX heading's closing sequence, to the end of its line.
_CLOSING_SEQUENCE = re.compile(r"[ \t]+#+[ \t]*(?=\r?$)")


def _insertions(article: Article, after: Mapping[int, Sequence[str]]) -> list[tuple[int, int, str]]:
    source = article.source
    edits = []
    for index, texts in after.items():
        if not texts:
            continue
        position = insertion_offset(article, index)
        if index < 0:
            edits.append((position, position, "".join(text + "\n\n" for text in texts)))
            continue
        head = "" if source[:position].endswith("\n") else "\n"
        tail = "\n" if position < len(source) or source.endswith("\n") else ""
        edits.append((position, position, head + "".join("\n" + text + "\n" for text in texts)[: None if tail else -1]))
    return edits


def insertion_offset(article: Article, index: int) -> int:
    """Where :func:`splice` inserts the blocks ``after`` block ``index``: the
    start of the line after its last line; for -1, the body's first non-blank
    line (the blocks and a blank line go before it)."""
    source = article.source
    if index >= 0:
        return _line_start(source, article.blocks[index].end_line + 1)
    position = _line_start(source, article.body_line)
    while position < len(source):
        end = source.find("\n", position)
        if end < 0 or source[position:end].strip():
            break
        position = end + 1
    return position


def _line_start(source: str, line: int) -> int:
    """Offset of 1-based ``line`` in ``source`` (its length past the last line)."""
    position = 0
    for _ in range(line - 1):
        found = source.find("\n", position)
        if found < 0:
            return len(source)
        position = found + 1
    return position


def _write_block(text: str, block: Block, source: str) -> str:
    """Translated ``text`` as it replaces ``block``'s region: escaped, over as many
    lines as the source used, each continuation line with the source's prefix."""
    # A list item's or a quote's text may start a block after its marker; a cell
    # after a pipe or an ATX heading's text after its '#' may not.
    before = source[source.rfind("\n", 0, block.start) + 1 : block.start]
    line_start = not (
        (block.kind is BlockKind.TABLE_CELL and "|" in before) or (block.kind is BlockKind.HEADING and "#" in before)
    )
    if block.kind in (BlockKind.ADMONITION_TITLE, BlockKind.ATTRIBUTE):
        # Inside its marker line, after other markup: it cannot start a block,
        # and an escape there would show (a title is not Markdown everywhere).
        return text
    if block.kind is BlockKind.TABLE_CELL:
        return escape_for_block(text, block.kind, line_start=line_start)
    if block.kind is BlockKind.HEADING and not line_start:
        return escape_for_block(text, block.kind, line_start=False)
    # A translation with line breaks of its own beyond the source's hard breaks
    # was laid out by the translator: that layout is kept.
    own_layout = text.count("\n") > block.text.count("\n")
    lines = rewrap(text, block.text, block.breaks) if block.breaks and not own_layout else text.split("\n")
    escaped = escape_for_block("\n".join(lines), block.kind, line_start=line_start).split("\n")
    prefixes = block.prefixes or (block.continuation,)
    out = escaped[0]
    for index, line in enumerate(escaped[1:]):
        # Without a known prefix a line is a lazy continuation, which CommonMark
        # keeps in the same paragraph, list item or quote.
        out += "\n" + prefixes[min(index, len(prefixes) - 1)] + line
    return out


def rewrap(text: str, source: str, breaks: Sequence[int]) -> list[str]:
    """``text`` cut into lines where its source ``source`` had soft line breaks
    (offsets ``breaks``): a break inside a construct kept verbatim (a link
    destination, a tag, a code span) at the same place in it, any other at the
    space nearest to the same relative position. Line breaks ``text`` has are
    kept; a line never ends with a space or backslash (a hard break)."""
    source_regions = regions(source)
    text_regions = regions(text)
    inside = bytearray(len(text))
    for region in text_regions:
        inside[region.start : region.end] = b"\1" * (region.end - region.start)
    for match in _SHORTCODE.finditer(text) if "{{" in text else ():
        start, end = match.span()
        # Never inside a shortcode, nor where it would be left alone on the first
        # or last line: a line of its own there is no longer part of the paragraph.
        start -= 1 if start > 0 and not text[end:].strip() else 0
        end += 1 if end < len(text) and not text[:start].strip() else 0
        inside[start:end] = b"\1" * (end - start)
    candidates = [
        i
        for i in range(1, len(text) - 1)
        if text[i] == " " and not inside[i] and text[i - 1] not in " \\\n" and text[i + 1 :].strip(" ")[:1] not in ("", "\n")
    ]
    cuts: list[int] = []
    low = 0
    for position in breaks:
        cut = -1
        around = next((r for r in source_regions if r.start < position < r.end), None)
        if around is not None:
            found = text.find(source[around.start : around.end], low)
            if found >= 0:
                cut = found + position - around.start
        if cut < 0:
            cut = _beside_whole_line(text, source, breaks, position, source_regions, low)
        if cut < 0:
            later = len(breaks) - len(cuts) - 1  # breaks still to place after this one
            usable = candidates[: len(candidates) - later] if later else candidates
            cut = _nearest(text, usable, low, position * len(text) / max(len(source), 1))
        if cut >= 0:
            cuts.append(cut)
            low = cut + 1
    lines: list[str] = []
    previous = 0
    for cut in cuts:
        lines.append(text[previous:cut])
        previous = cut + 1
    lines.append(text[previous:])
    return "\n".join(lines).split("\n")


_SHORTCODE = re.compile(r"\{\{[<%].*?[>%]\}\}")


def _beside_whole_line(
    text: str, source: str, breaks: Sequence[int], position: int, source_regions: Sequence[Region], low: int
) -> int:
    """Where to cut ``text`` for a break at ``position`` of ``source`` that
    stands right before or after a shortcode or tag the source has on a line of
    its own (a ``{{< figure >}}`` or ``<Kbd>`` line inside a paragraph): at the
    same side of the same occurrence of it in ``text``, so it keeps its line;
    -1 when there is none."""
    units = [(m.start(), m.end()) for m in _SHORTCODE.finditer(source)] if "{{" in source else []
    units += [(r.start, r.end) for r in source_regions if r.kind == "html"]
    for start, end in units:
        alone = (start == 0 or start - 1 in breaks) and (end == len(source) or end in breaks)
        if not alone or position not in (start - 1, end):
            continue
        unit = source[start:end]
        found = -1
        for _ in range(source.count(unit, 0, start) + 1):  # the same occurrence
            found = text.find(unit, found + 1)
            if found < 0:
                return -1
        after = found + len(unit)
        # Alone on the first or the last line it would be no longer part of the
        # paragraph but a line of its own: it stays beside the text there.
        if position == start - 1 and found > low and text[found - 1] == " " and text[after:].strip():
            return found - 1
        if position == end and low <= found and text[:found].strip() and text[after : after + 1] == " " and after + 1 < len(text):
            return after
    return -1


def _nearest(text: str, candidates: list[int], low: int, target: float) -> int:
    """The candidate space at or after ``low`` nearest to ``target``, or -1; one
    whose next line would open an HTML block only when no other is near, since
    escaping it would turn inline HTML into text (other escapes are harmless)."""
    index = bisect.bisect_left(candidates, target)
    best, best_score = -1, float("inf")
    for candidate in candidates[max(index - 8, 0) : index + 8]:
        if candidate < low:
            continue
        rest = text[candidate + 1 :]
        score = abs(candidate - target) + (40 if rest.startswith("<") and _opens_html_block(rest, False) else 0)
        if score < best_score:
            best, best_score = candidate, score
    return best


def to_file_text(text: str, article: Article) -> str:
    """Restore the article's BOM and newline style."""
    if article.newline != "\n":
        text = text.replace("\n", article.newline)
    return ("\ufeff" + text) if article.bom else text


def write_identity(article: Article) -> str:
    """The article written back with no change (the round-trip baseline)."""
    return splice(article, {})


def skeleton(article: Article) -> tuple[tuple[str, int], ...]:
    """Kinds and levels of the blocks: what must survive a translation."""
    return tuple((block.kind.value, block.level) for block in article.blocks)
