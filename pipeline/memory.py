"""Translation memory: earlier translations found again for new source text.

Pure (no I/O): built from polib entries that the caller has read, queried with a
source text. A memory holds every translated, non-fuzzy, non-obsolete entry of
the catalogs it is given; fuzzy entries are suggestions nobody has confirmed, so
offering them again would launder a guess into a "memory".

Lookup must stay fast on large memories (100,000 units, 10,000 queries in
seconds), so it never scans every unit:

* an exact index on a normalised form of the source (case, Unicode compatibility
  forms, typographic quotes and dashes, runs of whitespace folded) answers
  repeated text at once;
* an inverted index on word tokens yields a few candidates for fuzzy matches: the
  query's rarest tokens are looked up first (a near-duplicate shares them, while
  common words would return half the memory), and candidates sharing the most of
  them are scored with rapidfuzz.

Similarity is rapidfuzz's ``fuzz.ratio`` (normalised Indel distance) on the
texts as written, in percent, so 100 means identical and the figure a translator
sees says how much the source text differs.
"""

from __future__ import annotations

import heapq
from array import array
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

import polib
from rapidfuzz import fuzz, process

#: Default minimum similarity (percent) for a fuzzy match to be offered.
DEFAULT_MIN_SIMILARITY = 80.0

#: At most this many of a query's tokens are looked up in the inverted index.
_MAX_QUERY_TOKENS = 8
#: Stop adding tokens once this many postings were gathered (common words are
#: expensive and say little; the rarest token is always used). bench/tm_bench.py:
#: 4,000 finds 0.3% more fuzzy matches than 1,000 and makes lookups twice as slow.
_POSTING_BUDGET = 1000
#: Answers remembered per memory (then forgotten all at once).
_MAX_ANSWERS = 1 << 16
#: Candidates scored with rapidfuzz per query, best token overlap first.
_MAX_CANDIDATES = 64

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


class TranslationMemory:
    """An indexed set of :class:`MemoryUnit`; see the module docstring for how it looks up."""

    def __init__(self, units: Iterable[MemoryUnit]) -> None:
        # Identical (source, target) pairs are one unit; the first origin names it
        # and the count decides between different translations of the same source.
        counts: dict[tuple[str, str], int] = {}
        first: dict[tuple[str, str], MemoryUnit] = {}
        for unit in units:
            pair = (unit.source, unit.target)
            if pair not in first:
                first[pair] = unit
            counts[pair] = counts.get(pair, 0) + 1
        self._units: list[MemoryUnit] = list(first.values())
        self._weight: list[int] = [counts[(u.source, u.target)] for u in self._units]
        self._lengths: list[int] = [len(u.source) for u in self._units]
        # The memory never changes once built, so an answer holds for good: sites
        # repeat paragraphs (notes, boilerplate) across many articles.
        self._answers: dict[tuple[str, float], Match | None] = {}
        self._exact: dict[str, list[int]] = {}
        postings: dict[str, list[int]] = {}
        for index, unit in enumerate(self._units):
            key = normalise(unit.source)
            self._exact.setdefault(key, []).append(index)
            for token in tokens(key):
                postings.setdefault(token, []).append(index)
        # Machine integers: a list of int objects takes about nine times the room,
        # and the postings are the bulk of a large memory.
        self._postings: dict[str, array[int]] = {token: array("i", found) for token, found in postings.items()}

    def __len__(self) -> int:
        return len(self._units)

    def lookup(self, text: str, min_similarity: float = DEFAULT_MIN_SIMILARITY) -> Match | None:
        """The most similar unit at ``min_similarity`` percent or more, or None.

        Ties go to the translation given most often, then to the unit met first,
        so the answer does not depend on hash order.
        """
        if not text or not self._units:
            return None
        asked = (text, min_similarity)
        if asked in self._answers:
            return self._answers[asked]
        if len(self._answers) >= _MAX_ANSWERS:
            self._answers.clear()
        answer = self._answers[asked] = self._lookup(text, min_similarity)
        return answer

    def _lookup(self, text: str, min_similarity: float) -> Match | None:
        key = normalise(text)
        exact = self._exact.get(key, [])
        identical = [i for i in exact if self._units[i].source == text]
        if identical:
            return Match(self._units[self._pick(identical)], 100.0)
        candidates = list(dict.fromkeys(exact + self._candidates(key, len(text), min_similarity)))
        sources = [self._units[index].source for index in candidates]
        best: tuple[float, int, int] | None = None  # (score, weight, -index)
        for _source, score, position in process.extract(
            text, sources, scorer=fuzz.ratio, score_cutoff=min_similarity, limit=None
        ):
            index = candidates[position]
            rank = (score, self._weight[index], -index)
            if best is None or rank > best:
                best = rank
        if best is None:
            return None
        return Match(self._units[-best[2]], best[0])

    def _pick(self, indices: Sequence[int]) -> int:
        return max(indices, key=lambda i: (self._weight[i], -i))

    def _candidates(self, key: str, length: int, min_similarity: float) -> list[int]:
        """Units sharing the query's rarest tokens whose length can reach the threshold."""
        known = sorted(
            (len(posting), token)
            for token in tokens(key)
            if (posting := self._postings.get(token)) is not None
        )
        if not known:
            return []
        counter: Counter[int] = Counter()
        gathered = 0
        for used, (size, token) in enumerate(known):
            if used >= _MAX_QUERY_TOKENS or (used and gathered + size > _POSTING_BUDGET):
                break
            counter.update(self._postings[token])
            gathered += size
        # Indel ratio is at most 2*min/(a+b): lengths too far apart cannot match.
        slack = min_similarity / (200.0 - min_similarity) if min_similarity < 200 else 1.0
        low, high = length * slack, length / slack if slack else float("inf")
        lengths = self._lengths
        # Most shared tokens first; among equals (common when only one rare token
        # is shared) the closest length, which is what the Indel ratio rewards.
        fitting = [
            (shared, -abs(lengths[i] - length), -i) for i, shared in counter.items() if low <= lengths[i] <= high
        ]
        return [-negated for _shared, _gap, negated in heapq.nlargest(_MAX_CANDIDATES, fitting)]


__all__ = [
    "DEFAULT_MIN_SIMILARITY",
    "Match",
    "MemoryUnit",
    "TranslationMemory",
    "normalise",
    "tokens",
    "units_from_entries",
    "usable",
]
