"""Turn a scraped plain-text article into Markdown with front matter.

The plain-text reader finds paragraphs, list items and headings; this module
removes website boilerplate (configurable full-line patterns), takes a leading
title, description and localized date into the front matter, and writes the
blocks as Markdown, escaping the text so that it reads back exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Any

import yaml

from pipeline.config import ImportOptions
from pipeline.errors import InputError
from pipeline.model import Block, BlockKind
from pipeline.read.dates import parse_date_line
from pipeline.read.markdown import normalise_source
from pipeline.read.markdown_writer import (
    escape_block_start,
    escape_for_block,
    escape_inline,
)
from pipeline.read.plaintext import read_plain_blocks

#: How many leading blocks may hold the title, description and date.
LEADING_BLOCKS = 4


@dataclass(frozen=True)
class ImportedArticle:
    """The Markdown text written by an import and what went into its front matter."""

    slug: str
    markdown: str
    metadata: dict[str, Any]
    removed_lines: tuple[int, ...]
    #: What the import could not do as asked and the user should know (one line each).
    warnings: tuple[str, ...] = ()


def slugify(text: str) -> str:
    """ASCII, lower case, hyphen separated: "Rejekts 2025 v Londýně" -> "rejekts-2025-v-londyne"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


#: Line ends scraped text brings besides "\n": old Mac CR, and Unicode's line and
#: paragraph separators.
_OTHER_LINE_ENDS = re.compile("\r\n?|[\u2028\u2029\u0085]")
#: Invisible characters a page leaves at the edges of a line (zero-width space,
#: word joiner, a stray byte order mark): they would keep "Skip to content" from
#: matching its pattern and a title from being recognised.
_EDGE_INVISIBLES = "\u200b\u200c\u200d\u2060\ufeff"


def scraped_lines(text: str) -> str:
    """``text`` with every kind of line end as "\n" and no invisible characters at
    the start or end of a line (a conversion: the Markdown written is new text)."""
    lines = _OTHER_LINE_ENDS.sub("\n", text).split("\n")
    return "\n".join(line.strip(_EDGE_INVISIBLES) for line in lines)


def strip_boilerplate(text: str, options: ImportOptions) -> tuple[str, tuple[int, ...]]:
    """Blank out boilerplate lines (kept as empty lines so line numbers stay) and cut
    everything from the first line matching a tail pattern."""
    try:
        line_patterns = [re.compile(p, re.IGNORECASE) for p in options.boilerplate]
        tail_patterns = [re.compile(p, re.IGNORECASE) for p in options.boilerplate_tail]
    except re.error as exc:
        raise InputError(f"invalid boilerplate pattern: {exc}", hint="fix [tool.l10n.import]") from None
    lines = text.split("\n")
    removed: list[int] = []
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if any(p.search(stripped) for p in tail_patterns):
            removed.extend(i + 1 for i in range(index, len(lines)) if lines[i].strip())
            lines = lines[:index]
            break
        if any(p.search(stripped) for p in line_patterns):
            removed.append(index + 1)
            lines[index] = ""
    return "\n".join(lines), tuple(removed)


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def take_leading_metadata(
    blocks: list[Block], lang: str, title: str | None, date: dt.date | None
) -> tuple[list[Block], dict[str, Any]]:
    """Move a leading title, date and (between them) description into metadata."""
    metadata: dict[str, Any] = {}
    lead = blocks[:LEADING_BLOCKS]
    date_index = next(
        (i for i, b in enumerate(lead) if b.kind is not BlockKind.LIST_ITEM and parse_date_line(b.text, lang)),
        None,
    )
    found_date = parse_date_line(lead[date_index].text, lang) if date_index is not None else None
    taken: set[int] = set()
    if date_index is not None:
        taken.add(date_index)
    title_index: int | None = None
    for index, block in enumerate(lead):
        if index in taken:
            continue
        if title is not None:
            if _same_text(block.text, title):
                title_index = index
            break
        if block.kind is BlockKind.HEADING:
            title_index = index
        break
    if title_index is not None:
        taken.add(title_index)
    metadata["title"] = title if title is not None else (blocks[title_index].text if title_index is not None else "")
    if not metadata["title"]:
        del metadata["title"]
    if date or found_date:
        metadata["date"] = date or found_date
    if title_index is not None and date_index is not None and date_index == title_index + 2:
        middle = blocks[title_index + 1]
        if middle.kind is BlockKind.PARAGRAPH:
            metadata["description"] = middle.text
            taken.add(title_index + 1)
    return [b for i, b in enumerate(blocks) if i not in taken], metadata


_QUOTE_PAIRS = {"“": "”", "„": "“", "\"": "\"", "«": "»", "»": "«"}


def is_quotation(text: str) -> bool:
    """A paragraph wholly inside one pair of quotation marks."""
    text = text.strip()
    closing = _QUOTE_PAIRS.get(text[:1])
    if closing is None or len(text) < 3:
        return False
    body = text[1:].rstrip(".!?…")
    return body.endswith(closing) and closing not in body[:-1]


def mark_quotations(blocks: list[Block]) -> list[Block]:
    return [
        replace(b, kind=BlockKind.QUOTE) if b.kind is BlockKind.PARAGRAPH and is_quotation(b.text) else b
        for b in blocks
    ]


def render_block(block: Block, number: int) -> str:
    """One block as Markdown (plain text escaped to read back as it was)."""
    text = escape_inline(block.text)
    if block.kind is BlockKind.HEADING:
        return "#" * max(1, min(block.level, 6)) + " " + escape_for_block(text, BlockKind.HEADING)
    if block.kind is BlockKind.LIST_ITEM:
        marker = f"{number}." if block.ordered else "-"
        return "    " * block.level + f"{marker} {escape_block_start(text)}"
    if block.kind is BlockKind.QUOTE:
        return "> " + escape_block_start(text)
    return escape_block_start(text)


def render_front_matter(metadata: dict[str, Any]) -> str:
    if not metadata:
        return ""
    dumped = yaml.safe_dump(metadata, allow_unicode=True, sort_keys=False, width=10**9)
    return f"---\n{dumped}---\n\n"


def import_text(
    text: str,
    *,
    lang: str,
    options: ImportOptions,
    path: str = "",
    slug: str | None = None,
    title: str | None = None,
    date: dt.date | None = None,
) -> ImportedArticle:
    """Convert a scraped text article into Markdown with front matter."""
    text, _, _ = normalise_source(text)
    cleaned, removed = strip_boilerplate(scraped_lines(text), options)
    cleaned = split_header_lines(cleaned, lang)
    blocks = read_plain_blocks(
        cleaned, lang=lang, max_words=options.heading_max_words, heading_level=options.heading_level
    )
    if not blocks:
        raise InputError("nothing left to import after removing boilerplate", path=path, hint="check the patterns")
    blocks, metadata = take_leading_metadata(blocks, lang, title, date)
    blocks = mark_quotations(blocks)
    chunks: list[str] = []
    previous: Block | None = None
    number = 0
    for block in blocks:
        in_list = previous is not None and previous.kind is BlockKind.LIST_ITEM
        number = number + 1 if in_list and block.kind is BlockKind.LIST_ITEM else 1
        separator = "\n" if in_list and block.kind is BlockKind.LIST_ITEM else "\n\n"
        if chunks:
            chunks.append(separator)
        chunks.append(render_block(block, number))
        previous = block
    markdown = render_front_matter(metadata) + "".join(chunks) + "\n"
    name = slug or slugify(str(metadata.get("title", "")))
    if not name:
        raise InputError("cannot derive a slug: the article has no title", path=path, hint="pass --slug")
    missing = [key for key in ("title", "date") if key not in metadata]
    warnings = (
        (f"{path or 'input'}:1: no {' or '.join(missing)} line recognised at the top; the front matter has none "
         f"(pass {' and '.join('--' + key for key in missing)})",)
        if missing
        else ()
    )
    return ImportedArticle(slug=name, markdown=markdown, metadata=metadata, removed_lines=removed, warnings=warnings)


#: Lines at the top that may hold the title, a description and the date.
HEADER_LINES = 6


def split_header_lines(text: str, lang: str) -> str:
    """Separate a title, description and date a scraper wrote on consecutive lines
    ("Title\nDescription\nMarch 31, 2025\nFirst paragraph..."), so that they are
    read as blocks of their own, not glued into the first paragraph. Only when a
    line among the first few of the first paragraph is a date: without it nothing
    says the lines are a header."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return text
    end = next((i for i in range(first, len(lines)) if not lines[i].strip()), len(lines))
    group = lines[first:end]
    if len(group) < 2:
        return text
    dated = next((i for i, line in enumerate(group[:HEADER_LINES]) if parse_date_line(line, lang)), None)
    if dated is None:
        return text
    pieces: list[list[str]] = []
    if dated >= 1:
        pieces.append(group[:1])  # the title
    if dated >= 2:
        pieces.append(group[1:dated])  # the description, however it was wrapped
    pieces.append([group[dated]])
    if dated + 1 < len(group):
        pieces.append(group[dated + 1 :])
    header = "\n\n".join("\n".join(piece) for piece in pieces)
    return "\n".join(lines[:first] + [header] + lines[end:])
