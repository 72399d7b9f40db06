"""Translation memory: earlier translations found again for new source text.

No file I/O: built from polib entries that the caller has read, queried with a
source text. The index lives in SQLite tables, in a database made in memory or
one the caller opened (:mod:`pipeline.store.memory_store` keeps one on disk, so that a
memory of every catalog of a large site does not sit in each process's RAM). A
memory holds every translated, non-fuzzy, non-obsolete entry of
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
import itertools
import operator
import sqlite3
from array import array
from collections import Counter
from typing import Iterable, Sequence

from rapidfuzz import fuzz, process

from pipeline.config import DEFAULT_MIN_SIMILARITY
from pipeline.errors import InputError
from pipeline.mt.memory import (
    Match,
    MemoryUnit,
    normalise,
    tokens,
    units_from_entries,
    usable,
)
from pipeline.store.sqlite import Owner, connect

#: At most this many of a query's tokens are looked up in the inverted index.
_MAX_QUERY_TOKENS = 8
#: Stop adding tokens once this many postings were gathered (common words are
#: expensive and say little; the rarest token is always used). bench/tm_bench.py:
#: 4,000 finds 0.3% more fuzzy matches than 1,000 and makes lookups twice as slow.
_POSTING_BUDGET = 1000
#: Answers remembered per memory (then forgotten all at once).
_MAX_ANSWERS = 1 << 16
#: Candidates' rows (id, source, weight) a memory keeps read, then forgets all at once
#: (at most this many and one query's candidates).
_MAX_ROWS = 1 << 15
#: Candidates scored with rapidfuzz per query, best token overlap first.
_MAX_CANDIDATES = 64
#: Tokens whose posting size a memory remembers, and units of postings it keeps
#: read (then each is forgotten all at once): a few MB at most.
_MAX_TOKENS = 1 << 16
_MAX_POSTING_CACHE = 1 << 20

#: The index's tables. ``tm_unit`` holds each distinct (source, target) pair once,
#: numbered in the order first met, with how often it was met; ``tm_posting``
#: packs each token's units as machine integers, and the lengths of their
#: sources after them, so that candidates are chosen without reading any unit. Tokens and
#: their posting sizes are a table of their own: rows that small keep its
#: B-tree shallow, where the postings' blobs would spread it over many pages.
_INDEX_TABLES = (
    "CREATE TABLE tm_unit (id INTEGER PRIMARY KEY, source TEXT NOT NULL, target TEXT NOT NULL,"
    " origin TEXT NOT NULL, weight INTEGER NOT NULL)",
    "CREATE TABLE tm_exact (key TEXT NOT NULL, unit INTEGER NOT NULL)",
    "CREATE TABLE tm_token (token TEXT PRIMARY KEY, size INTEGER NOT NULL, posting INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE TABLE tm_posting (id INTEGER PRIMARY KEY, units BLOB NOT NULL)",
)
#: Rows written per statement while indexing, and parameters per ``IN (...)``
#: (SQLite's limit is 32,766; older builds 999).
_BATCH = 10_000
_MAX_PARAMETERS = 900


def start_index(db: sqlite3.Connection) -> None:
    """Empty ``tm_raw``, the table :func:`finish_index` indexes: the caller fills
    it with (seq, source, target, origin) rows, one per translation met."""
    db.execute("DROP TABLE IF EXISTS temp.tm_raw")
    db.execute("CREATE TEMP TABLE tm_raw (seq INTEGER PRIMARY KEY, source TEXT, target TEXT, origin TEXT)")


def finish_index(db: sqlite3.Connection) -> None:
    """Replace the index tables of ``db`` with the index of ``tm_raw`` (filled after
    :func:`start_index`), inside the caller's transaction. Memory stays bounded
    by a batch and the longest posting: SQLite sorts and groups on disk."""
    for table in ("tm_unit", "tm_exact", "tm_token", "tm_posting"):
        db.execute(f"DROP TABLE IF EXISTS {table}")
    for statement in _INDEX_TABLES:
        db.execute(statement)
    # Identical pairs are one unit; the first met names it (SQLite takes a bare
    # column from the row MIN() chose) and the count decides between different
    # translations of the same source.
    db.execute(
        "INSERT INTO tm_unit (source, target, origin, weight) SELECT source, target, origin, weight FROM"
        " (SELECT MIN(seq) AS first, source, target, origin, COUNT(*) AS weight FROM temp.tm_raw"
        " GROUP BY source, target) ORDER BY first"
    )
    db.execute("DROP TABLE temp.tm_raw")
    db.execute("CREATE TEMP TABLE tm_occurrence (token TEXT, unit INTEGER, length INTEGER)")
    reader = db.execute("SELECT id, source FROM tm_unit ORDER BY id")
    while rows := reader.fetchmany(_BATCH):
        exact: list[tuple[str, int]] = []
        found: list[tuple[str, int, int]] = []
        for unit, source in rows:
            key = normalise(source)
            exact.append((key, unit))
            found.extend((token, unit, len(source)) for token in tokens(key))
        db.executemany("INSERT INTO tm_exact VALUES (?, ?)", exact)
        db.executemany("INSERT INTO temp.tm_occurrence VALUES (?, ?, ?)", found)
    db.execute("CREATE INDEX tm_exact_key ON tm_exact (key)")
    postings: list[tuple[str, int, bytes]] = []
    ordered = db.execute("SELECT token, unit, length FROM temp.tm_occurrence ORDER BY token, unit")
    for token, group in itertools.groupby(ordered, key=operator.itemgetter(0)):
        found = list(group)
        # The units, then the lengths of their sources.
        packed = array("i", map(operator.itemgetter(1), found))
        packed.extend(map(operator.itemgetter(2), found))
        postings.append((token, len(found), packed.tobytes()))
        if len(postings) >= _BATCH:
            _store_postings(db, postings)
            postings = []
    _store_postings(db, postings)
    db.execute("DROP TABLE temp.tm_occurrence")


def _store_postings(db: sqlite3.Connection, postings: list[tuple[str, int, bytes]]) -> None:
    (first,) = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM tm_posting").fetchone()
    db.executemany("INSERT INTO tm_posting VALUES (?, ?)", ((first + n, p[2]) for n, p in enumerate(postings)))
    db.executemany("INSERT INTO tm_token VALUES (?, ?, ?)", ((p[0], p[1], first + n) for n, p in enumerate(postings)))


def index_units(db: sqlite3.Connection, units: Iterable[MemoryUnit]) -> None:
    """Index ``units`` (in the order given) into ``db``, replacing its index."""
    start_index(db)
    db.executemany(
        "INSERT INTO temp.tm_raw VALUES (?, ?, ?, ?)",
        ((seq, unit.source, unit.target, unit.origin) for seq, unit in enumerate(units)),
    )
    finish_index(db)


#: A candidate as read from the index: (id, source, weight).
_Row = tuple[int, str, int]


class TranslationMemory(Owner):
    """Lookups in an indexed set of :class:`MemoryUnit`; see the module docstring.

    ``TranslationMemory(units)`` indexes ``units`` in a private in-memory
    database; :meth:`indexed` wraps a database already holding an index (the
    store on disk, :mod:`pipeline.store.memory_store`, which keeps the memory out of
    the process's RAM).
    """

    #: Tokens whose posting size the memory remembers before forgetting them all.
    max_tokens = _MAX_TOKENS

    def __init__(self, units: Iterable[MemoryUnit] = (), *, max_tokens: int = _MAX_TOKENS) -> None:
        self.max_tokens = max_tokens
        db = connect(None, "memory", autocommit=True)
        db.execute("BEGIN")
        index_units(db, units)
        db.execute("COMMIT")
        self._attach(db)

    #: How errors name the database (the store's file, when it has one).
    shown = ":memory:"

    @classmethod
    def indexed(cls, db: sqlite3.Connection, shown: str = ":memory:") -> "TranslationMemory":
        """The memory whose index :func:`finish_index` built in ``db``; it closes
        ``db`` when closed."""
        memory = cls.__new__(cls)
        memory.shown = shown
        memory._attach(db)
        return memory

    def _attach(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._size: int = db.execute("SELECT COUNT(*) FROM tm_unit").fetchone()[0]
        # The memory never changes once built, so an answer holds for good: sites
        # repeat paragraphs (notes, boilerplate) across many articles.
        self._answers: dict[tuple[str, float], Match | None] = {}
        # Each query asks for its tokens' posting sizes, and the same common
        # tokens' postings come back again and again: both are kept, bounded.
        self._token_info: dict[str, tuple[int, int] | None] = {}
        self._posting_cache: dict[int, tuple[array[int], array[int]]] = {}
        self._posting_room = _MAX_POSTING_CACHE
        # Near-duplicate paragraphs bring the same candidates again: their rows too.
        self._row_cache: dict[int, _Row] = {}

    def __len__(self) -> int:
        return self._size

    def units(self) -> list[MemoryUnit]:
        """Every unit, in the order first met."""
        return [MemoryUnit(s, t, o) for s, t, o in self._db.execute("SELECT source, target, origin FROM tm_unit ORDER BY id")]

    def lookup(self, text: str, min_similarity: float = DEFAULT_MIN_SIMILARITY) -> Match | None:
        """The most similar unit at ``min_similarity`` percent or more, or None.

        Ties go to the translation given most often, then to the unit met first,
        so the answer does not depend on hash order.
        """
        if not text or not self._size:
            return None
        asked = (text, min_similarity)
        if asked in self._answers:
            return self._answers[asked]
        if len(self._answers) >= _MAX_ANSWERS:
            self._answers.clear()
        try:
            answer = self._answers[asked] = self._lookup(text, min_similarity)
        except sqlite3.Error as exc:
            raise InputError(
                f"the translation memory is unusable: {exc}",
                path=self.shown,
                hint="delete the file; it is made again from the PO files",
            ) from None
        return answer

    def _lookup(self, text: str, min_similarity: float) -> Match | None:
        key = normalise(text)
        exact: list[_Row] = self._db.execute(
            "SELECT u.id, u.source, u.weight FROM tm_exact e JOIN tm_unit u ON u.id = e.unit WHERE e.key = ? ORDER BY u.id",
            (key,),
        ).fetchall()
        identical = [row for row in exact if row[1] == text]
        if identical:
            return Match(self._unit(max(identical, key=lambda row: (row[2], -row[0]))[0]), 100.0)
        rows = {row[0]: row for row in exact}
        candidates = list(dict.fromkeys([*rows, *self._candidates(key, len(text), min_similarity)]))
        rows.update(self._rows([index for index in candidates if index not in rows]))
        best: tuple[float, int, int] | None = None  # (score, weight, -id)
        for _source, score, position in process.extract(
            text, [rows[index][1] for index in candidates], scorer=fuzz.ratio, score_cutoff=min_similarity, limit=None
        ):
            index = candidates[position]
            rank = (score, rows[index][2], -index)
            if best is None or rank > best:
                best = rank
        if best is None:
            return None
        return Match(self._unit(-best[2]), best[0])

    def _rows(self, ids: Sequence[int]) -> dict[int, _Row]:
        """Candidates' sources and weights (a translation is read for the winner only)."""
        found: dict[int, _Row] = {}
        missing: list[int] = []
        cache = self._row_cache
        for index in ids:
            row = cache.get(index)
            if row is None:
                missing.append(index)
            else:
                found[index] = row
        if len(cache) + len(missing) > _MAX_ROWS:
            cache.clear()
        for start in range(0, len(missing), _MAX_PARAMETERS):
            chunk = missing[start : start + _MAX_PARAMETERS]
            marks = ",".join("?" * len(chunk))
            for row in self._db.execute(f"SELECT id, source, weight FROM tm_unit WHERE id IN ({marks})", chunk):
                found[row[0]] = cache[row[0]] = row
        return found

    def _unit(self, index: int) -> MemoryUnit:
        source, target, origin = self._db.execute(
            "SELECT source, target, origin FROM tm_unit WHERE id = ?", (index,)
        ).fetchone()
        return MemoryUnit(source, target, origin)

    def _read_tokens(self, wanted: Sequence[str]) -> None:
        """Remember the posting size and number of each token in ``wanted``."""
        for token in wanted:
            self._token_info[token] = None
        for start in range(0, len(wanted), _MAX_PARAMETERS):
            chunk = wanted[start : start + _MAX_PARAMETERS]
            marks = ",".join("?" * len(chunk))
            for size, token, posting in self._db.execute(
                f"SELECT size, token, posting FROM tm_token WHERE token IN ({marks})", chunk
            ):
                self._token_info[token] = (size, posting)

    def _posting(self, number: int) -> tuple[array[int], array[int]]:
        """A posting's units and the lengths of their sources."""
        known = self._posting_cache.get(number)
        if known is None:
            (blob,) = self._db.execute("SELECT units FROM tm_posting WHERE id = ?", (number,)).fetchone()
            packed = array("i")
            packed.frombytes(blob)
            size = len(packed) // 2
            known = (packed[:size], packed[size:])
            if self._posting_room < size:
                self._posting_cache.clear()
                self._posting_room = _MAX_POSTING_CACHE
            self._posting_cache[number] = known
            self._posting_room -= size
        return known

    def _candidates(self, key: str, length: int, min_similarity: float) -> list[int]:
        """Units sharing the query's rarest tokens whose length can reach the threshold."""
        found = tokens(key)
        if len(self._token_info) + len(found) > self.max_tokens:
            self._token_info.clear()
        self._read_tokens([token for token in found if token not in self._token_info])
        known = sorted((info[0], token, info[1]) for token in found if (info := self._token_info[token]) is not None)
        if not known:
            return []
        counter: Counter[int] = Counter()
        lengths: dict[int, int] = {}
        gathered = 0
        for used, (size, _token, posting) in enumerate(known):
            if used >= _MAX_QUERY_TOKENS or (used and gathered + size > _POSTING_BUDGET):
                break
            units, sizes = self._posting(posting)
            counter.update(units)
            lengths.update(zip(units, sizes))
            gathered += size
        # Indel ratio is at most 2*min/(a+b): lengths too far apart cannot match.
        slack = min_similarity / (200.0 - min_similarity) if min_similarity < 200 else 1.0
        low, high = length * slack, length / slack if slack else float("inf")
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
    "finish_index",
    "index_units",
    "normalise",
    "start_index",
    "tokens",
    "units_from_entries",
    "usable",
]
