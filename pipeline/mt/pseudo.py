"""Pseudo-translation: accent the vowels of a segment's prose, keep its markup.

A stand-in translator for round-trip tests and the fidelity bench: the text
differs from the source everywhere a translator would write, while everything a
translator must leave alone stays byte for byte (code spans, link destinations
and reference labels, autolinks and URLs, raw HTML and comments, entities,
backslash escapes). Letters are neither whitespace nor punctuation to CommonMark,
so a correct builder must keep the structure of every pseudo-translated text.
"""

from __future__ import annotations

import re

from pipeline.read.inline import regions

_ACCENTS = str.maketrans("aeiouAEIOU", "áéíóúÁÉÍÓÚ")
# Between the inline regions: reference labels (a bracket pair not followed by a
# destination is, or may be, matched against a definition) and bare URLs.
_KEEP = re.compile(r"\[[^\[\]]*\](?!\()|(?:https?|ftp)://[^\s<>]*|www\.[^\s<>]*")


def pseudo_translate(text: str) -> str:
    """``text`` with the vowels of its prose accented and its markup unchanged."""
    pieces: list[str] = []
    position = 0
    for region in regions(text):
        pieces.append(_prose(text[position : region.start]))
        pieces.append(text[region.start : region.end])
        position = region.end
    pieces.append(_prose(text[position:]))
    return "".join(pieces)


def _prose(text: str) -> str:
    pieces: list[str] = []
    position = 0
    for match in _KEEP.finditer(text):
        pieces.append(text[position : match.start()].translate(_ACCENTS))
        pieces.append(match.group(0))
        position = match.end()
    pieces.append(text[position:].translate(_ACCENTS))
    return "".join(pieces)
