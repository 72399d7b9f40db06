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

from pipeline.read.inline import destination_end, regions

_ACCENTS = str.maketrans("aeiouAEIOU", "áéíóúÁÉÍÓÚ")
# Reference labels (a bracket pair not followed by a destination is, or may be,
# matched against a definition by its text) and bare URLs.
_LABEL = re.compile(r"\[(?:[^\[\]\\]|\\.)*\]")
# A numbered label (pipeline.read.placeholders): the bracket before it is link text.
_NUMBERED_LABEL = re.compile(r"\[\d+\]")
_URL = re.compile(r"(?:https?|ftp)://[^\s<>\]]*|www\.[^\s<>\]]*")
# A Hugo shortcode inside a sentence ("see {{< ref "x.md" >}}") is markup: the
# build keeps it as written (see pipeline.check.checks.markup_of).
_SHORTCODE = re.compile(r"\{\{[<%].*?[>%]\}\}")


def pseudo_translate(text: str) -> str:
    """``text`` with the vowels of its prose accented and its markup unchanged."""
    keep = bytearray(len(text))
    for region in regions(text):
        keep[region.start : region.end] = b"\1" * (region.end - region.start)
    for match in _LABEL.finditer(text):
        end = match.end()
        if text.startswith("(", end) and destination_end(text, end + 1) > 0:
            continue  # an inline link's text: translated
        if _NUMBERED_LABEL.match(text, end):
            continue  # a link's text in a msgid ("[text][1]"): translated, its label kept
        keep[match.start() : end] = b"\1" * (end - match.start())
    for match in _SHORTCODE.finditer(text) if "{{" in text else ():
        keep[match.start() : match.end()] = b"\1" * (match.end() - match.start())
    for match in _URL.finditer(text):
        keep[match.start() : match.end()] = b"\1" * (match.end() - match.start())
    return "".join(char if keep[i] else char.translate(_ACCENTS) for i, char in enumerate(text))
