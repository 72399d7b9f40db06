"""What a translation memory remembers and finds: units, matches, and the
normalised form two source texts that mean the same share. Pure; the index that
finds them fast is :class:`pipeline.store.memory_index.TranslationMemory`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Protocol

import polib

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"', "\u2039": "'", "\u203a": "'",
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
        "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2026": "...",
    }
)
_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"\w\w+")


def normalise(text: str) -> str:
    """The form two source texts that mean the same share: what the exact index keys on."""
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY).casefold()
    return _SPACES.sub(" ", text).strip()


def tokens(text: str) -> set[str]:
    """Word tokens (two characters or more) of an already normalised text."""
    return set(_TOKEN.findall(text))


@dataclass(frozen=True, slots=True)
class MemoryUnit:
    """One remembered translation and where it came from (a catalog's slug)."""

    source: str
    target: str
    origin: str


@dataclass(frozen=True, slots=True)
class Match:
    """A unit found for a query and how similar its source is (0-100)."""

    unit: MemoryUnit
    similarity: float

    @property
    def percent(self) -> int:
        """Similarity as a whole percentage, rounded down so only identity says 100."""
        return int(self.similarity)

    @property
    def exact(self) -> bool:
        return self.similarity >= 100.0


def usable(entry: polib.POEntry) -> bool:
    """Whether an entry is a confirmed translation a memory may offer."""
    return (
        not entry.obsolete
        and "fuzzy" not in entry.flags
        and bool(entry.msgid)
        and not entry.msgid_plural
        and bool(entry.msgstr)
    )


def units_from_entries(entries: Iterable[polib.POEntry], origin: str) -> list[MemoryUnit]:
    """The memory units of a catalog's entries (see :func:`usable`)."""
    return [MemoryUnit(e.msgid, e.msgstr, origin) for e in entries if usable(e)]


class MemoryLookup(Protocol):
    """A translation memory as pre-translation uses it."""

    def lookup(self, text: str, min_similarity: float = ...) -> Match | None:
        """The best unit whose source is at least ``min_similarity`` percent like ``text``."""
        ...
