"""The block parser the reader, the site markup masking and the HTML flavour share."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from pipeline.read.pieces import parse_by_pieces


def make_parser() -> MarkdownIt:
    """CommonMark with GFM tables; a new instance, never a module global.

    Inline parsing is switched off: blocks keep their inline Markdown as written,
    and skipping it makes reading about a third faster.
    """
    return MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])


@lru_cache(maxsize=4)
def parse_blocks(body: str) -> list[Token]:
    """markdown-it-py's block tokens of ``body`` (see :func:`make_parser`), shared:
    callers must not change them. The last few are remembered because a build
    parses each page it makes twice, for the structure check and for the HTML.
    Read piece by piece where that reads the same (:mod:`pipeline.read.pieces`):
    a piece read before is not read again."""
    tokens = parse_by_pieces(body, _parser)
    return _parser().parse(body) if tokens is None else tokens


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # Making a parser (its renderer looks up its rules with inspect) cost as
    # much as a fifth of parsing a page; parse() keeps its state in a state
    # object of its own, so one instance, private to this module and never
    # changed, serves every call.
    return make_parser()
