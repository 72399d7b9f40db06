"""Filling a catalog's empty entries with suggestions (pure: no I/O, no network).

A suggestion is never taken for a translation: it is written ``fuzzy``, with an
extracted comment (``#.``) naming where it came from, and for memory matches the
source text that was matched in ``#| msgid``, so a translator (and msgmerge-aware
editors) see exactly what differs. A non-empty msgstr is never touched.

An entry that is ``fuzzy`` but empty (a hand-edited or foreign catalog; GNU drops
that flag when writing) counts as empty: it gets the suggestion, and its stale
``#|`` and provenance lines are replaced, the translator comment (``#``) kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

import polib

from pipeline.mt.memory import Match, MemoryLookup

#: Lines this module writes into ``#.``; an old one is replaced, never stacked.
_PROVENANCE = re.compile(r"^(tm \d+% from .*|machine translation \(.*\)|copied from the source \(.*\))$")


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A proposed msgstr with its provenance line and the matched source (if any)."""

    text: str
    note: str
    previous_msgid: str | None = None


def needs_translation(entry: polib.POEntry) -> bool:
    """Whether pretranslation may fill ``entry``: active, singular and empty."""
    return (
        not entry.obsolete
        and bool(entry.msgid)
        and not entry.msgid_plural
        and not entry.msgstr
        and not any(entry.msgstr_plural.values())
    )


def pending(entries: Iterable[polib.POEntry]) -> list[polib.POEntry]:
    """The entries of a catalog that pretranslation may fill, in order."""
    return [entry for entry in entries if needs_translation(entry)]


def memory_suggestion(match: Match) -> Suggestion:
    """A translation-memory match as a suggestion (100% matches are fuzzy too)."""
    unit = match.unit
    return Suggestion(unit.target, f"tm {match.percent}% from {unit.origin}", unit.source)


def machine_suggestion(text: str, engine: str) -> Suggestion:
    return Suggestion(text, f"machine translation ({engine})")


def copy_suggestion(source: str, reason: str) -> Suggestion:
    """The source itself, for text with nothing to translate (an image, code only)."""
    return Suggestion(source, f"copied from the source ({reason})")


def apply(entry: polib.POEntry, suggestion: Suggestion) -> bool:
    """Put ``suggestion`` into an empty ``entry`` (in place); False if it is not empty."""
    if not needs_translation(entry) or not suggestion.text:
        return False
    entry.msgstr = suggestion.text
    entry.flags = ["fuzzy"] + [flag for flag in entry.flags if flag != "fuzzy"]
    lines = [line for line in (entry.comment or "").split("\n") if line and not _PROVENANCE.match(line)]
    entry.comment = "\n".join([*lines, suggestion.note])
    entry.previous_msgid = suggestion.previous_msgid
    # The matched entry's context says nothing about this one; a stale one misleads.
    entry.previous_msgctxt = None
    entry.previous_msgid_plural = None
    return True


def fill_from_memory(
    entries: Iterable[polib.POEntry], memory: MemoryLookup, min_similarity: float
) -> list[tuple[polib.POEntry, Match]]:
    """Fill every empty entry the memory has a match for; the (entry, match) pairs filled."""
    filled: list[tuple[polib.POEntry, Match]] = []
    for entry in pending(entries):
        match = memory.lookup(entry.msgid, min_similarity)
        if match is not None and apply(entry, memory_suggestion(match)):
            filled.append((entry, match))
    return filled


__all__ = [
    "Suggestion",
    "apply",
    "copy_suggestion",
    "fill_from_memory",
    "machine_suggestion",
    "memory_suggestion",
    "needs_translation",
    "pending",
]
