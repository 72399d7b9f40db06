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
from functools import lru_cache
from typing import Callable, Sequence

from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from pipeline.build.flavour import SEPARATOR, joined_by_python_markdown, top_level_block
from pipeline.read.blocks import make_parser
from pipeline.read.pieces import MAX_JOINED, Piece, ends_before, piece_of, split

#: Python-Markdown's own expression for a fenced block (its fenced_code extension).
_FENCED = FencedBlockPreprocessor.FENCED_BLOCK_RE
#: A line Python-Markdown's fenced_code could take for a fence.
_FENCE_LINE = re.compile(r"^(?:~{3,}|`{3,})", re.MULTILINE)
#: An HTML comment that closes on the line it opens: Python's HTML parser,
#: which Python-Markdown reads raw HTML with, ends it there too, and leaves no
#: state behind for the next block.
_LINE_COMMENT = re.compile(r"<!--.*?-->")
#: Past this many characters of kept chunks (their text and HTML) the store
#: starts again empty: a bound on a process's memory whatever the site.
LIMIT = 4_000_000


class _Store:
    """The HTML of each chunk made so far ("" for none: it cannot be made alone)."""

    def __init__(self) -> None:
        self.chunks: dict[str, str] = {}
        self.size = 0

    def get(self, text: str) -> str | None:
        return self.chunks.get(text)

    def put(self, text: str, html: str) -> None:
        added = len(text) + len(html)
        if self.size + added > LIMIT:
            self.chunks.clear()
            self.size = 0
        self.chunks[text] = html
        self.size += added


_STORE = _Store()


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return make_parser()


def render_by_blocks(text: str, convert: Callable[[str], str]) -> str | None:
    """What ``convert`` (Python-Markdown's conversion, reset before each call)
    gives :func:`pipeline.build.flavour.for_python_markdown` of ``text`` (Markdown
    without front matter), made block by block; None where that cannot be
    guaranteed (see the module's docstring).

    The page is cut where CommonMark reads the blocks after a blank line afresh
    (:mod:`pipeline.read.pieces`), and where Python-Markdown would not join the
    blocks on either side: each chunk is then what both read of it alone."""
    if "]:" in text or "[^" in text:
        return None
    if text.partition("\n")[0].isspace():
        return None  # Python-Markdown keeps the spaces of a blank first line: indented code to it
    html: list[str] = []
    current = ""
    current_piece: Piece | None = None
    joined = 0
    for text_piece in split(text.replace("\r\n", "\n").replace("\r", "\n")):
        piece = piece_of(text_piece, _parser)
        if current_piece is not None and (
            not ends_before(current_piece, text_piece, piece)
            or joined_by_python_markdown(current_piece.last, piece.first, nested=False)
        ):
            joined += 1
            if joined > MAX_JOINED:
                return None
            current += text_piece
            current_piece = piece_of(current, _parser)
            continue
        if current_piece is not None and not _add(html, current, current_piece, convert):
            return None
        current, current_piece, joined = text_piece, piece, 0
    if current_piece is not None and not _add(html, current, current_piece, convert):
        return None
    return "\n".join(part for part in html if part)


def _add(html: list[str], text: str, piece: Piece, convert: Callable[[str], str]) -> bool:
    """Add the HTML of chunk ``text`` (read as ``piece``); False when it cannot be made alone."""
    made = _STORE.get(text)
    if made is None:
        made = _render_chunk(text, piece.tokens, convert) or ""
        _STORE.put(text, made)
    html.append(made)
    return made != ""


def _render_chunk(text: str, tokens: Sequence[Token], convert: Callable[[str], str]) -> str | None:
    """The HTML of the top-level blocks of ``text`` (its tokens ``tokens``),
    each rendered alone, with the separator the flavour puts before a block
    Python-Markdown would join to the one before it; None when one cannot be."""
    lines = text.split("\n")
    pieces: list[str] = []
    previous = ""
    done = 0
    index = 0
    count = len(tokens)
    while index < count:
        token = tokens[index]
        last = index
        if token.nesting == 1:
            while last < count and not (tokens[last].level == 0 and tokens[last].nesting == -1):
                last += 1
        if token.map is None or last >= count:
            return None
        start, end = token.map
        if start < done or any(line.strip() for line in lines[done:start]):
            return None  # text between blocks (or blocks out of order)
        node = SyntaxTreeNode(list(tokens[index : last + 1])).children[0]
        hoisted: list[str] = []
        written = "\n".join(top_level_block(node, lines, hoisted))
        if hoisted or not _alone(written, node.type):
            return None
        if previous and joined_by_python_markdown(previous, node.type, nested=False):
            # What the separator leaves depends on what follows it: rendered together.
            pieces.append(convert(f"{SEPARATOR}\n\n{written}"))
        else:
            pieces.append(convert(written))
        previous = node.type
        done = max(done, end)
        index = last + 1
    if not previous or any(line.strip() for line in lines[done:]):
        return None
    return "\n".join(piece for piece in pieces if piece)


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
