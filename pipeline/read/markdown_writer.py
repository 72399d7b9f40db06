"""Write Markdown by splicing text into the source article's structure.

Only the character regions of translated blocks are replaced; everything else
(markers, indentation, code, blank lines, front matter formatting) is copied from
the source, so an identity translation reproduces the file byte for byte. New
text is escaped so that it cannot change the block structure: a Czech paragraph
"1. dubna 2025" is written "1\\. dubna 2025", never turning into a list.
"""

from __future__ import annotations

import re
from typing import Mapping, Sequence

import yaml

from pipeline.errors import PipelineError
from pipeline.model import Article, Block, BlockKind

_BLOCK_START = (
    re.compile(r"^(#{1,6})(?=[ \t]|$)"),  # ATX heading
    re.compile(r"^([>|])"),  # quote, table row
    re.compile(r"^([-+*])(?=[ \t]|$)"),  # bullet
    re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)"),  # ordered item
    re.compile(r"^(`{3,}|~{3,})"),  # fence
    re.compile(r"^([-*_])(?:[ \t]*\1){2,}[ \t]*$"),  # thematic break
    re.compile(r"^(=+)[ \t]*$"),  # setext underline
    re.compile(r"^(\[)(?=[^\]]*\]:)"),  # link reference definition
)


def escape_block_start(line: str) -> str:
    """Escape what would make ``line`` start a different kind of block."""
    line = line.lstrip(" \t")
    if re.match(r"<[A-Za-z/!?]", line):
        return "&lt;" + line[1:]  # would open a raw HTML block
    for index, pattern in enumerate(_BLOCK_START):
        match = pattern.match(line)
        if not match:
            continue
        if index == 3:
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


def escape_for_block(text: str, kind: BlockKind) -> str:
    """Make translated ``text`` safe to splice in as the content of a ``kind`` block."""
    lines = text.split("\n")
    escaped = [escape_block_start(line) for line in lines]
    if kind is BlockKind.TABLE_CELL:
        escaped = [re.sub(r"(?<!\\)\|", r"\\|", line) for line in escaped]
        return " ".join(escaped)
    if kind is BlockKind.HEADING:
        heading = " ".join(escaped)
        return re.sub(r"(\s)(#+)$", r"\1\\\2", heading)
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
) -> str:
    """The article's source with block ``i``'s text replaced by ``blocks[i]``.

    ``meta`` replaces front-matter text values by key; ``comments`` puts an HTML
    comment line before block ``i`` (used to mark fallbacks); ``after`` inserts
    whole Markdown blocks, in order, after the last line of block ``i`` (``-1``:
    before the first block of the body). A replacement equal to the block's own
    text leaves the source untouched. Returns the file text with the article's BOM
    and newline style.
    """
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
        edits.append((block.start, block.end, _fit(escape_for_block(text, block.kind), block)))
    for index, comment in (comments or {}).items():
        block = article.blocks[index]
        line_start = article.source.rfind("\n", 0, max(block.start, 0)) + 1 if block.start >= 0 else -1
        if line_start >= 0 and block.start >= 0:
            prefix = article.source[line_start:block.start]
            indent = prefix if not prefix.strip() else re.match(r"^\s*", prefix).group(0)  # type: ignore[union-attr]
            edits.append((line_start, line_start, f"{indent}<!-- {comment} -->\n"))
    edits.extend(_insertions(article, after or {}))
    edits.sort(key=lambda edit: (edit[0], edit[1]))
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


def _insertions(article: Article, after: Mapping[int, Sequence[str]]) -> list[tuple[int, int, str]]:
    source = article.source
    edits = []
    for index, texts in after.items():
        if not texts:
            continue
        if index < 0:
            # Before the body's first non-blank line, separated by a blank line.
            position = _line_start(source, article.body_line)
            while position < len(source):
                end = source.find("\n", position)
                if end < 0 or source[position:end].strip():
                    break
                position = end + 1
            edits.append((position, position, "".join(text + "\n\n" for text in texts)))
            continue
        position = _line_start(source, article.blocks[index].end_line + 1)
        head = "" if source[:position].endswith("\n") else "\n"
        tail = "\n" if position < len(source) or source.endswith("\n") else ""
        edits.append((position, position, head + "".join("\n" + text + "\n" for text in texts)[: None if tail else -1]))
    return edits


def _line_start(source: str, line: int) -> int:
    """Offset of 1-based ``line`` in ``source`` (its length past the last line)."""
    position = 0
    for _ in range(line - 1):
        found = source.find("\n", position)
        if found < 0:
            return len(source)
        position = found + 1
    return position


def _fit(text: str, block: Block) -> str:
    """Continuation lines of a multi-line text need the block's line prefix."""
    # Without a known prefix a line is a lazy continuation, which CommonMark keeps
    # in the same paragraph, list item or quote.
    return text.replace("\n", "\n" + block.continuation) if "\n" in text else text


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
