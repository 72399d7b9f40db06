"""markdown-it's block tokens of a page, read piece by piece, each distinct piece once.

A site's pages share many blocks (notes, calls to action, boilerplate), and a
build reads each article's source and its page. CommonMark reads the blocks
after a blank line afresh wherever the block before it is one a blank line
ends: the page is cut there, each piece is read alone (once per process: the
tokens are kept, by the piece's text) and its tokens are put back in place,
their line numbers moved by the lines before the piece.

A piece is the text between blank lines with the blank lines after it (the last
with everything after it), and joins the one before it unless CommonMark
provably ends that one's last block at the blank line: the piece starts in its
first column, the one before does not end in a fence or raw HTML block left
open, and the two are not lists (a blank line does not end a list). Tested
against reading the page whole (tests/test_build_blockwise.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_block.html_block import HTML_SEQUENCES
from markdown_it.token import Token

#: One or more blank lines (CommonMark's: nothing but spaces and tabs) after a line break.
_BLANK_LINES = re.compile(r"(\n(?:[ \t]*\n)+)")
LISTS = ("bullet_list", "ordered_list")
#: Past this many pieces in one, the page is read whole: joining each to the
#: text before would read that text again each time.
MAX_JOINED = 16
#: Past about this many bytes of kept pieces (their text, and some 400 bytes a
#: token) the store starts again empty: a bound on a process's memory whatever
#: the site. At 32 MB (with the chunks' store at 8 M characters) the largest
#: process of a 20,000-article run reached 412 MB, past the 400 MB it must stay
#: under; a build of a thousand generated articles would keep about 30 MB.
LIMIT = 16_000_000


@dataclass(frozen=True)
class Piece:
    """What CommonMark reads of a piece alone: its tokens, the syntax tree types
    of its first and last top-level blocks ("" when none), whether its last
    block runs on past a blank line (a fence or raw HTML block left open),
    and how many lines it has."""

    tokens: tuple[Token, ...]
    first: str
    last: str
    open: bool
    lines: int


class _Store:
    def __init__(self) -> None:
        self.pieces: dict[str, Piece] = {}
        self.size = 0

    def piece(self, text: str, parser: Callable[[], MarkdownIt]) -> Piece:
        found = self.pieces.get(text)
        if found is None:
            found = _read(text, parser())
            added = 2 * len(text) + 400 * len(found.tokens)
            if self.size + added > LIMIT:
                self.pieces.clear()
                self.size = 0
            self.pieces[text] = found
            self.size += added
        return found


_STORE = _Store()


def split(text: str) -> list[str]:
    """``text`` cut before each line that follows a blank line; each piece keeps
    the blank lines after it (the first also those before it), and the pieces
    joined are ``text``."""
    parts = _BLANK_LINES.split(text)
    pieces: list[str] = []
    lead = ""
    for at in range(0, len(parts), 2):
        piece = lead + parts[at] + (parts[at + 1] if at + 1 < len(parts) else "")
        if not pieces and not parts[at].strip():
            lead = piece  # blank lines that start the text: with the first piece
            continue
        lead = ""
        pieces.append(piece)
    if lead:
        pieces.append(lead)
    return pieces


def ends_before(before: Piece, piece: str, after: Piece) -> bool:
    """Whether CommonMark ends ``before``'s last block at the blank lines that
    end it, ``piece`` (read as ``after``) following them."""
    return not (
        piece[:1] in (" ", "\t")
        or before.open
        or (before.last in LISTS and after.first in LISTS)
    )


def parse_by_pieces(text: str, parser: Callable[[], MarkdownIt]) -> list[Token] | None:
    """The tokens ``parser()`` reads of ``text``, read piece by piece (see the
    module's docstring); None when a piece would join too many after it, or
    where markdown-it would count lines otherwise (a carriage return)."""
    if "\r" in text:
        return None
    pieces = split(text)
    tokens: list[Token] = []
    line = 0
    current = ""
    current_piece: Piece | None = None
    joined = 0
    for text_piece in pieces:
        piece = _STORE.piece(text_piece, parser)
        if current_piece is not None and not ends_before(current_piece, text_piece, piece):
            joined += 1
            if joined > MAX_JOINED:
                return None
            current += text_piece
            current_piece = _STORE.piece(current, parser)
            continue
        if current_piece is not None:
            line = _place(current_piece, line, tokens)
        current, current_piece, joined = text_piece, piece, 0
    if current_piece is not None:
        _place(current_piece, line, tokens)
    return tokens


def piece_of(text: str, parser: Callable[[], MarkdownIt]) -> Piece:
    """What ``parser()`` reads of ``text`` alone, remembered."""
    return _STORE.piece(text, parser)


def _place(piece: Piece, line: int, tokens: list[Token]) -> int:
    if line == 0:
        tokens.extend(piece.tokens)  # shared, as parse_blocks' tokens are: never changed
    else:
        tokens.extend(_moved(token, line) for token in piece.tokens)
    return line + piece.lines


def _moved(token: Token, line: int) -> Token:
    if token.map is None:
        return token
    return Token(
        type=token.type,
        tag=token.tag,
        nesting=token.nesting,
        attrs=token.attrs,
        map=[token.map[0] + line, token.map[1] + line],
        level=token.level,
        children=token.children,
        content=token.content,
        markup=token.markup,
        info=token.info,
        meta=token.meta,
        block=token.block,
        hidden=token.hidden,
    )


def _read(text: str, parser: MarkdownIt) -> Piece:
    tokens = tuple(parser.parse(text))
    top = [token for token in tokens if token.level == 0 and token.nesting >= 0]
    first = top[0].type.removesuffix("_open") if top else ""
    last_token = top[-1] if top else None
    last = last_token.type.removesuffix("_open") if last_token else ""
    lines = text.split("\n")
    return Piece(tokens, first, last, last_token is not None and _left_open(last_token, lines), text.count("\n"))


def _left_open(token: Token, lines: list[str]) -> bool:
    """Whether a top-level block ``token`` runs on past a blank line after it:
    a fence or a raw HTML block of the kinds that end only at their own end
    (``</pre>``, ``-->``, ``?>``, ``>``, ``]]>``) that did not end."""
    start, end = token.map or (0, 0)
    if token.type == "fence":
        if end - start < 2:
            return True
        closing = lines[end - 1]
        bare = closing.lstrip(" ")
        fence = token.markup
        return not (len(closing) - len(bare) <= 3 and bare.startswith(fence) and not bare.rstrip(" \t").strip(fence[:1]))
    if token.type == "html_block":
        opening = lines[start].lstrip(" \t") if start < len(lines) else ""
        for number, (opens, closes, _interrupts) in enumerate(HTML_SEQUENCES[:5]):
            if opens.search(opening):
                # A line that holds the ending ends the block: the block's last line must.
                return not (end > start and closes.search(lines[end - 1]))
        return False
    return False
