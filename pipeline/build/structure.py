"""When a built article provably has its source's block structure, so that the
build need not parse it again to compare (see ``build_article``).

CommonMark reads blocks line by line: what a line is depends on its container
markers and indentation, on the characters that start its content, on whether it
is blank, and for a few constructs on the whole line (a setext underline, a
thematic break, a table's delimiter row and its cells, the end of an HTML block
or a fence). The site markup the reader masks (admonitions, shortcodes, JSX
lines, MDX imports) is also found from a line's start or its whole content. A
splice that only replaces, within one line, the text of a paragraph, heading,
list item, quote or table cell with *inert* text leaves all of that as it was:

- inert text is one line, starts with a letter or digit (or a typographic
  quote), is not an ordered-list marker, nor MDX's ``import``/``export``, holds
  no pipe, no line break, tab or NUL (a no-break space is text), and does not
  end with a backslash or a space; in a table cell it holds no backtick either. So the line
  keeps its start, stays non-blank, cannot become a whole-line construct (they
  allow no letter), and keeps its cells;
- a fallback is the source's own text with the marker comment appended after a
  space: the line keeps its start and its cells, and a comment in the middle of
  a line starts and ends no block;
- a heading's suffix is the marker or an id (``{#id}``) at the end of its line;
- an inserted block (an addendum) is one inert line after its marker (``## ``,
  ``- ``, ``> `` or none, as its kind is written), put after a blank line where
  a blank line follows and the next line with text starts at its first column:
  it stands alone at the top level and the source goes on as before.

MDX, text over several lines and anything else take the full check, and so does
a front matter that no longer parses or ends on another line, and a body that is
not exactly the source's with those edits. ``tests/test_build_speed.py`` holds
this against the full check on generated articles.
"""

from __future__ import annotations

import re
from typing import Mapping, Sequence

from pipeline.model import Article, BlockKind
from pipeline.read.extensions import mask
from pipeline.read.markdown import (
    locate_meta_fields,
    normalise_source,
    parse_front_matter,
    split_front_matter,
)
from pipeline.read.markdown_writer import insertion_offset

_LINE_KINDS = frozenset(
    {
        BlockKind.PARAGRAPH,
        BlockKind.HEADING,
        BlockKind.LIST_ITEM,
        BlockKind.QUOTE,
        BlockKind.CAPTION,
        BlockKind.IMAGE,
        BlockKind.TABLE_CELL,
    }
)
#: Inert text is not of this kind (an image's alt text sits in ``![...]``).
_INERT_KINDS = _LINE_KINDS - {BlockKind.IMAGE}
_MARKER_TAIL = re.compile(r" <!-- untranslated: [A-Za-z_-]+ -->")
_HEADING_SUFFIX = re.compile(r" (?:<!-- untranslated: [A-Za-z_-]+ -->|\{:? ?#[\w.:-]+\})")
_OPENING_QUOTES = frozenset("„“”‘’«»‹›¿¡")
_BAD_START = re.compile(r"\d{1,9}[.)](?:[ \t]|$)|(?:import|export)\s")
_META_KEYS = ("title", "description", "summary")


def keeps_skeleton(
    source: Article,
    blocks: Mapping[int, str],
    suffixes: Mapping[int, str],
    after: Mapping[int, Sequence[tuple[str, str]]],
    markdown: str,
    edits: Sequence[tuple[int, int, str]],
) -> bool:
    """Whether ``markdown``, the splice of ``source`` with ``blocks``,
    ``suffixes`` and ``after`` (each inserted block as its kind's value and its
    Markdown; and front-matter values), provably has the block skeleton of
    ``source`` with the inserted blocks (see the module's docstring). False
    says nothing. ``edits`` are what :func:`~pipeline.read.markdown_writer.splice_edits`
    made of them; the body of ``markdown`` must be what those edits make of the
    source's: anything else takes the full check."""
    if source.path.endswith(".mdx"):
        return False
    text = source.source
    # Site markup the reader masks is found from whole lines and their
    # neighbours (a masked line lets an indented one after it read as code, a
    # marker may end a paragraph it was joined to): a source with any takes the
    # full check.
    masked = mask(text[source.body_offset :])
    if masked.text != text[source.body_offset :] or masked.joined:
        return False
    for index, added in after.items():
        if added and not _inert_insertion(source, index, added):
            return False
    written_at = {(start, end): replacement for start, end, replacement in edits}
    for index, new in blocks.items():
        block = source.blocks[index]
        if new == block.text:
            continue  # left as it is
        if block.kind not in _LINE_KINDS or block.start < 0:
            return False
        region = text[block.start : block.end]
        if not region or not _one_line(region):
            return False
        if "]:" in text[text.rfind("\n", 0, block.start) + 1 : block.start]:
            # After a label's colon (a footnote's `[^1]: `) a line may read as a
            # link reference definition once its text changes (`[^1]: Viz.`).
            return False
        written = written_at[(block.start, block.end)]
        if written.startswith(region) and _MARKER_TAIL.fullmatch(written, len(region)) and not region.endswith("\\"):
            continue  # a fallback: the source's text and the marker
        if block.kind not in _INERT_KINDS or not _inert(written, cell=block.kind is BlockKind.TABLE_CELL):
            return False
    for index, suffix in suffixes.items():
        if source.blocks[index].kind is not BlockKind.HEADING or not _HEADING_SUFFIX.fullmatch(suffix):
            return False
    return _same_front_matter(source, markdown, edits)


def _inert_insertion(source: Article, index: int, added: Sequence[tuple[str, str]]) -> bool:
    """Whether the blocks ``added`` after block ``index`` (-1: before the first)
    each stand alone as the block of their kind: one inert line, between blank
    lines, and the source goes on after them at the top level, as it did (the
    next line with text starts at its first column, after a blank line)."""
    text = source.source
    if index >= 0 and source.blocks[index].kind not in _LINE_KINDS:
        return False
    for kind, written in added:
        marker = _ADDED_MARKERS.get(kind)
        if marker is None or not written.startswith(marker) or not _inert(written[len(marker) :], cell=False):
            return False
    position = insertion_offset(source, index)
    if index < 0:
        # The blocks and a blank line go before the body's first line with text.
        if source.source[source.body_offset : position].strip(" \t\n"):
            return False
        return not text[position : position + 1].isspace()
    # After the block's last line, a blank line, each block and a newline: the
    # line there must be blank, so that a blank line ends each block.
    end = text.find("\n", position)
    end = len(text) if end < 0 else end
    if text[position:end].strip(" \t"):
        return False
    while end < len(text):  # the next line with text, if any, starts at its first column
        start, end = end + 1, text.find("\n", end + 1)
        end = len(text) if end < 0 else end
        if text[start:end].strip(" \t"):
            return not text[start].isspace()
    return True


#: What starts each kind of block ``build_article`` inserts (see its ``_addendum_markdown``):
#: the kinds whose inserted line reads as that kind, and only those.
_ADDED_MARKERS = {
    BlockKind.PARAGRAPH.value: "",
    BlockKind.CAPTION.value: "",  # a caption or image inserted reads as a paragraph, as the check counts them
    BlockKind.IMAGE.value: "",
    BlockKind.HEADING.value: "## ",
    BlockKind.LIST_ITEM.value: "- ",
    BlockKind.QUOTE.value: "> ",
}


#: What ends a line to markdown-it ("\r" too) or to Python's ``splitlines``, a
#: tab (indentation) and NUL (markdown-it replaces it). Other spaces (a
#: no-break space) are text to CommonMark's block structure.
_NOT_IN_LINE = frozenset("\n\r\t\v\f\x1c\x1d\x1e\x85\u2028\u2029\x00")


def _one_line(text: str) -> bool:
    return _NOT_IN_LINE.isdisjoint(text)


def _inert(text: str, *, cell: bool) -> bool:
    first = text[:1]
    return (
        (first.isalnum() or first in _OPENING_QUOTES)
        and not _BAD_START.match(text)
        and _one_line(text)
        and "|" not in text
        and not (cell and "`" in text)
        and not text.endswith(("\\", " "))
    )


def _same_front_matter(source: Article, markdown: str, edits: Sequence[tuple[int, int, str]]) -> bool:
    """Whether ``markdown``'s front matter still parses (as the full check would
    parse it, errors and all), its body starts on the source's body line, and
    the body is the source's with ``edits`` made."""
    text = normalise_source(markdown)[0]
    yaml_text, offset, body_line = split_front_matter(text, source.path)
    if yaml_text:
        locate_meta_fields(text, yaml_text, parse_front_matter(yaml_text, source.path), _META_KEYS)
    if body_line != source.body_line:
        return False
    pieces: list[str] = []
    position = source.body_offset
    for start, end, replacement in edits:
        if start >= position:
            pieces.append(source.source[position:start])
            pieces.append(replacement)
            position = end
    pieces.append(source.source[position:])
    return "".join(pieces) == text[offset:]
