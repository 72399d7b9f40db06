"""Render a page one top-level block at a time, each distinct block once.

Python-Markdown renders a page's top-level blocks one after the other, and what
it makes of one depends on the others only through a few page-wide things: link
reference definitions and footnotes (read anywhere, used anywhere), a raw HTML
block or a fence left open (it runs on into the next blocks), and two blocks it
joins (two lists or quotes of one kind, indented code after a list or code,
which the flavour rewrite keeps apart with a separator of its own). Where a page
has none of these, its HTML is the HTML of each block rendered alone, one per
line. Articles of one site share many blocks (notes, calls to action, the
untranslated paragraphs of a partly translated page), so a block already
rendered is not rendered again: :func:`render_by_blocks` keeps them, by the
block's own CommonMark lines, for the life of the process.

Where anything could cross a block's edge, the page is rendered whole
(:func:`render_by_blocks` returns None): a block of raw HTML, a ``<`` that does
not open a comment closed on its own line, a line that could open a fence
outside a fence, a definition (``]:``) or footnote (``[^``) anywhere, text
between blocks, whitespace at a block's edges. Tested against rendering the
page whole (tests/test_build_blockwise.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from pipeline.build.flavour import SEPARATOR, joined_by_python_markdown, top_level_block
from pipeline.read.blocks import make_parser

#: Python-Markdown's own expression for a fenced block (its fenced_code extension).
_FENCED = FencedBlockPreprocessor.FENCED_BLOCK_RE
#: A line Python-Markdown's fenced_code could take for a fence.
_FENCE_LINE = re.compile(r"^(?:~{3,}|`{3,})", re.MULTILINE)
#: An HTML comment that closes on the line it opens: Python's HTML parser,
#: which Python-Markdown reads raw HTML with, ends it there too, and leaves no
#: state behind for the next block.
_LINE_COMMENT = re.compile(r"<!--.*?-->")
#: Past this many characters of kept blocks the store starts again empty: a
#: bound on a worker's memory whatever the site.
LIMIT = 8_000_000


@dataclass(frozen=True)
class _Chunk:
    """Lines between blank lines that hold whole top-level blocks: the syntax
    tree types of the first and the last, whether it ends in a fence left
    open, and its HTML, None when it cannot be rendered alone."""

    first: str
    last: str
    open_fence: bool
    html: str | None


class _Store:
    def __init__(self) -> None:
        self.chunks: dict[str, _Chunk] = {}
        self.size = 0

    def get(self, text: str) -> _Chunk | None:
        return self.chunks.get(text)

    def put(self, text: str, chunk: _Chunk) -> None:
        added = len(text) + len(chunk.html or "")
        if self.size + added > LIMIT:
            self.chunks.clear()
            self.size = 0
        self.chunks[text] = chunk
        self.size += added


_STORE = _Store()
#: One or more blank lines (CommonMark's: nothing but spaces and tabs) after a line break.
_BLANK_LINES = re.compile(r"(\n(?:[ \t]*\n)+)")
_LISTS = ("bullet_list", "ordered_list")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # Not parse_blocks: its few remembered pages would make way for every chunk.
    return make_parser()


def render_by_blocks(text: str, convert: Callable[[str], str]) -> str | None:
    """What ``convert`` (Python-Markdown's conversion, reset before each call)
    gives :func:`pipeline.build.flavour.for_python_markdown` of ``text`` (Markdown
    without front matter), made block by block; None where that cannot be
    guaranteed (see the module's docstring).

    The page is cut at its blank lines, and a piece joins the one before it
    unless CommonMark provably ends that one's last block at the blank line: the
    piece starts in its first column, what ends the previous piece is no fence
    left open, and the two are not blocks Python-Markdown would join or lists
    (which a blank line does not end). Each piece is then what CommonMark reads
    of it alone, whatever comes before or after."""
    if "]:" in text or "[^" in text:
        return None
    first_line = text.partition("\n")[0]
    if first_line.isspace():
        return None  # Python-Markdown keeps the spaces of a blank first line: indented code to it
    # Pieces of text with the blank lines after each.
    parts = _BLANK_LINES.split(text.replace("\r\n", "\n").replace("\r", "\n"))
    chunks: list[_Chunk] = []
    current = ""
    current_chunk: _Chunk | None = None
    final = max((at for at in range(0, len(parts), 2) if parts[at].strip()), default=-1)
    for at in range(0, final + 1, 2):
        piece = parts[at]
        if not piece.strip():
            continue  # only at the start: nothing CommonMark reads
        # With the line break that ends it in the page, the last piece with
        # all that follows it: a block running to the end of the text (a fence
        # left open) keeps its last lines with it.
        ended = f"{piece}\n" if at < final else "".join(parts[at:])
        chunk = _chunk(ended, convert)
        if current_chunk is not None and (
            piece[0] in " \t"
            or current_chunk.open_fence
            or (current_chunk.last in _LISTS and chunk.first in _LISTS)
            or joined_by_python_markdown(current_chunk.last, chunk.first, nested=False)
        ):
            # With the blank lines between the two as they were: inside code they are kept.
            current = current + parts[at - 1][1:] + ended
            current_chunk = _chunk(current, convert)
            continue
        if current_chunk is not None:
            chunks.append(current_chunk)
        current, current_chunk = ended, chunk
    if current_chunk is not None:
        chunks.append(current_chunk)
    if any(chunk.html is None for chunk in chunks):
        return None
    return "\n".join(chunk.html for chunk in chunks if chunk.html)


def _chunk(text: str, convert: Callable[[str], str]) -> _Chunk:
    found = _STORE.get(text)
    if found is None:
        found = _read_chunk(text, convert)
        _STORE.put(text, found)
    return found


def _read_chunk(text: str, convert: Callable[[str], str]) -> _Chunk:
    """The blocks CommonMark reads of ``text`` alone, each rendered alone
    (with the separator the flavour puts before a block Python-Markdown would
    join to the one before it)."""
    lines = text.split("\n")
    tokens = _parser().parse(text)
    pieces: list[str] = []
    kinds: list[str] = []
    rendered = True
    done = 0
    index = 0
    count = len(tokens)
    open_fence = False
    while index < count:
        token = tokens[index]
        last = index
        if token.nesting == 1:
            while last < count and not (tokens[last].level == 0 and tokens[last].nesting == -1):
                last += 1
        if token.map is None or last >= count:
            return _Chunk(token.type, token.type, True, None)
        start, end = token.map
        if start < done or any(line.strip() for line in lines[done:start]):
            rendered = False  # text between blocks (or blocks out of order)
        node = SyntaxTreeNode(tokens[index : last + 1]).children[0]
        hoisted: list[str] = []
        written = "\n".join(top_level_block(node, lines, hoisted))
        if hoisted or not _alone(written, node.type):
            rendered = False
        elif kinds and joined_by_python_markdown(kinds[-1], node.type, nested=False):
            # What the separator leaves depends on what follows it: rendered together.
            pieces.append(convert(f"{SEPARATOR}\n\n{written}"))
        else:
            pieces.append(convert(written))
        kinds.append(node.type)
        open_fence = node.type == "fence" and not _closed(node, lines)
        done = max(done, end)
        index = last + 1
    if not kinds:
        return _Chunk("", "", False, None)
    if any(line.strip() for line in lines[done:]):
        rendered = False
    html = "\n".join(piece for piece in pieces if piece) if rendered else None
    return _Chunk(kinds[0], kinds[-1], open_fence, html)


def _closed(node: SyntaxTreeNode, lines: list[str]) -> bool:
    """Whether a fence's last line closes it (else it runs on past a blank line)."""
    start, end = node.map or (0, 0)
    if end - start < 2:
        return False
    line = lines[end - 1]
    bare = line.lstrip(" ")
    fence = node.markup
    return len(line) - len(bare) <= 3 and bare.rstrip(" \t").startswith(fence) and not bare.rstrip(" \t").strip(fence[:1])


def _alone(written: str, kind: str) -> bool:
    """Whether Python-Markdown renders ``written`` (one top-level block of the
    flavour rewrite, of syntax tree type ``kind``) alone as it does inside its page."""
    if not written or written != written.rstrip() or (kind != "code_block" and written != written.lstrip()):
        return False  # the page's HTML is stripped once, a block's at each end
    if kind == "fence":
        # Taken whole by fenced_code, "<" and all, before the HTML is read.
        found = _FENCED.search(written)
        return found is not None and found.start() == 0 and found.end() == len(written)
    if kind == "html_block" or _FENCE_LINE.search(written):
        return False
    return "<" not in (_LINE_COMMENT.sub("", written) if "<!--" in written else written)
