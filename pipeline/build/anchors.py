"""Heading anchors that stay the same in every language.

A link to ``#getting-started`` must reach the same section of the German page
as of the English one, so a heading's id comes from the source: its explicit
``{#id}`` (kramdown, Pandoc, MkDocs' attr_list, Hugo), else the slug of the source
heading's text, as GitHub makes it. Ids are put on the rendered HTML headings in
document order; the Markdown keeps the source's layout.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Sequence

from markdown_it import MarkdownIt

_HEADING_OPEN = re.compile(r"<h([1-6])>")
# A review marker may follow the id (it stays: it marks the heading a fallback).
_SHOWN_ID = re.compile(
    r"[ \t]+\{:?[ \t]*(?:[.\w:-]+[ \t]+)*#[A-Za-z][\w:.-]*(?:[ \t]+[.\w:-]+)*[ \t]*\}"
    r"(?=(?:[ \t]*<!-- untranslated: [A-Za-z_-]+ -->)?</h[1-6]>)"
)


def slugify(text: str) -> str:
    """GitHub's anchor of a heading: of its text as rendered (inline Markdown and
    HTML dropped, entities decoded), lower case, letters, digits, ``-`` and ``_``
    kept (any script), spaces as ``-``."""
    kept = []
    for char in _rendered_text(text).lower():
        category = unicodedata.category(char)
        if char in "-_" or category[0] in ("L", "N") or category == "Mn":
            kept.append(char)
        elif char == " ":
            kept.append("-")
    return "".join(kept)


#: What CommonMark's inline rules (escapes, code, emphasis, links, images,
#: autolinks, raw HTML, entities, line breaks) and its normalisation act on: a
#: text without any of them is shown as it is.
_INLINE_MARKUP = re.compile(r"[\\`*_\[\]!<&\n\r\x00]")


def _rendered_text(text: str) -> str:
    """The text a reader sees of inline Markdown ``text``."""
    if not _INLINE_MARKUP.search(text):
        return text  # most headings: no inline parse needed
    parsed = _inline_parser().parseInline(text)
    shown: list[str] = []
    for token in parsed[0].children or [] if parsed else []:
        if token.type in ("text", "code_inline"):
            shown.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            shown.append(" ")
        elif token.type == "image":
            shown.append(token.content)  # its alt text
    return "".join(shown)


@lru_cache(maxsize=1)
def _inline_parser() -> MarkdownIt:
    return MarkdownIt("commonmark")


def unique(slugs: Sequence[str], explicit: Sequence[bool] = ()) -> tuple[str, ...]:
    """``slugs`` made unique as GitHub does: the second "intro" is "intro-1".
    Where ``explicit`` (in step with ``slugs``) is true the id is the author's
    ``{#id}``: kept as written, even twice (a link to it must not change), and
    no made slug takes it."""
    flags = [*explicit, *[False] * (len(slugs) - len(explicit))]
    taken = {slug for slug, flag in zip(slugs, flags) if flag}
    seen: dict[str, int] = {}
    result: list[str] = []
    for slug, flag in zip(slugs, flags):
        if flag:
            result.append(slug)
            continue
        base = slug or "section"
        count = seen.get(base, 0)
        candidate = base if count == 0 else f"{base}-{count}"
        while candidate in taken:
            count += 1
            candidate = f"{base}-{count}"
        result.append(candidate)
        seen[base] = count + 1
    return tuple(result)


def apply_anchors(fragment: str, anchors: Sequence[str]) -> str:
    """Give the headings of an HTML fragment their ``anchors`` in order, and drop
    an explicit ``{#id}`` Python-Markdown shows as text. Left without ids when
    the count differs (raw HTML headings in the article): a wrong id is worse
    than none."""
    fragment = _SHOWN_ID.sub("", fragment)
    if len(_HEADING_OPEN.findall(fragment)) != len(anchors):
        return fragment
    ids = iter(anchors)
    return _HEADING_OPEN.sub(lambda m: f'<h{m.group(1)} id="{next(ids)}">', fragment)
