"""The translation memory of a language on disk: ``<cache dir>/memory-<lang>.sqlite3``.

Besides :mod:`pipeline.store.fs` and :mod:`pipeline.store.mt_cache`, the one module that
touches the disk, because it keeps a database. A memory of every catalog of a
large site would otherwise sit whole in the RAM of every process that looks
something up; here SQLite pages it in as needed.

It holds two things:

* the confirmed translations of each catalog content it was given, keyed by the
  catalog's :func:`~pipeline.commands.catalogs.reviewed_fingerprint`: content-addressed,
  so a row is right whatever happened to the file since, and a run's workers can
  add what they write as they write it (another worker, or the next run, then
  need not parse those files again);
* the index of :mod:`pipeline.store.memory_index`, built from the catalogs of the language in
  slug order, for one memory key (see :func:`pipeline.commands.pretranslate.memory_key`).
  It is built again only when that key changes; contents no catalog has any more
  are dropped then.

It is a cache: deleting the file loses nothing (it is made again from the PO
files). Concurrent processes take turns through SQLite's locks; the one that
finds the index stale rebuilds it while the others wait.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Callable, Iterable, Sequence

from pipeline.config import Tuning
from pipeline.errors import InputError
from pipeline.store.memory_index import TranslationMemory, finish_index, start_index
from pipeline.store.sqlite import Owner, connect
from pipeline.version import __version__

#: (fingerprint of a catalog's reviewed text, its confirmed (msgid, msgstr) pairs).
Contents = tuple[bytes, Sequence[tuple[str, str]]]

_FORMAT = f"1 {__version__}"  # the index depends on how this version normalises text

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS contents (fingerprint BLOB PRIMARY KEY)",
    "CREATE TABLE IF NOT EXISTS pairs (fingerprint BLOB NOT NULL, position INTEGER NOT NULL,"
    " source TEXT NOT NULL, target TEXT NOT NULL, PRIMARY KEY (fingerprint, position)) WITHOUT ROWID",
)


def store_file(folder: Path, lang: str) -> Path:
    return folder / f"memory-{lang}.sqlite3"


class MemoryStore(Owner):
    """The store of one language; use as a context manager or call :meth:`close`."""

    def __init__(self, folder: Path, lang: str, shown: str | None = None, *, busy_seconds: float = Tuning().busy_seconds) -> None:
        """``busy_seconds``: how long to wait for another process to finish with
        the store (see :class:`pipeline.config.Tuning`)."""
        self.path = store_file(folder, lang)
        self.shown = shown or str(self.path)
        try:
            self._db = connect(self.path, autocommit=True, busy_seconds=busy_seconds)
            # A cache: losing the last writes to a crash costs a rebuild, not work.
            self._db.execute("PRAGMA synchronous = OFF")
            (tables,) = self._db.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('meta', 'contents', 'pairs')"
            ).fetchone()
            if tables < 3:  # a write lock only when there is something to write
                with self._transaction():
                    for statement in _SCHEMA:
                        self._db.execute(statement)
        except (sqlite3.Error, OSError) as exc:
            raise self._error(exc) from None

    def remember(self, contents: Iterable[Contents]) -> None:
        """Keep the confirmed translations of catalog contents (those not kept yet)."""
        try:
            with self._transaction():
                self._insert(contents, "contents", "pairs")
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def stage(self, contents: Iterable[Contents]) -> None:
        """Like :meth:`remember`, but held aside (in this connection's temporary
        tables, which lock nothing and live on disk) until :meth:`keep_staged`: a
        command that fails before it writes its files leaves the store as it was."""
        try:
            self._db.execute(
                "CREATE TEMP TABLE IF NOT EXISTS staged_contents (fingerprint BLOB PRIMARY KEY)"
            )
            self._db.execute(
                "CREATE TEMP TABLE IF NOT EXISTS staged_pairs (fingerprint BLOB, position INTEGER,"
                " source TEXT, target TEXT, PRIMARY KEY (fingerprint, position))"
            )
            self._insert(contents, "temp.staged_contents", "temp.staged_pairs")
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def _insert(self, contents: Iterable[Contents], contents_table: str, pairs_table: str) -> None:
        """Insert each content not in ``contents_table`` yet, its pairs in ``pairs_table``."""
        for fingerprint, pairs in contents:
            if self._db.execute(f"INSERT OR IGNORE INTO {contents_table} VALUES (?)", (fingerprint,)).rowcount:
                self._db.executemany(
                    f"INSERT INTO {pairs_table} VALUES (?, ?, ?, ?)",
                    ((fingerprint, position, source, target) for position, (source, target) in enumerate(pairs)),
                )

    def keep_staged(self) -> None:
        """Keep what :meth:`stage` held aside (the contents not kept yet)."""
        try:
            if self._db.execute("SELECT name FROM temp.sqlite_master WHERE name = 'staged_contents'").fetchone() is None:
                return
            with self._transaction():
                self._db.execute(
                    "INSERT INTO pairs SELECT * FROM temp.staged_pairs"
                    " WHERE fingerprint NOT IN (SELECT fingerprint FROM contents)"
                )
                self._db.execute("INSERT OR IGNORE INTO contents SELECT fingerprint FROM temp.staged_contents")
            self._db.execute("DELETE FROM temp.staged_pairs")
            self._db.execute("DELETE FROM temp.staged_contents")
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def memory(
        self,
        key: str,
        catalogs: Sequence[tuple[str, bytes]],
        pairs_of: Callable[[str], Sequence[tuple[str, str]]],
    ) -> TranslationMemory:
        """The memory of ``catalogs`` ((slug, fingerprint) pairs), whose memory key is
        ``key``: the stored index when it was built for that key, else a new one.
        ``pairs_of(slug)`` gives the confirmed translations of a catalog whose
        contents the store has not kept yet (by parsing it)."""
        try:
            for _attempt in range(3):
                # The memory keeps one view of the store for its whole life (a read
                # transaction): another process rebuilding it meanwhile waits, rather
                # than changing the answers, and the memory's caches, under it. Only
                # a read: a write lock, even unused, would wait for every reader.
                self._db.execute("BEGIN")
                if self._built_for(key):
                    return TranslationMemory.indexed(self._db, self.shown)
                self._db.execute("ROLLBACK")
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    if self._built_for(key):  # another process has just built it
                        # Not COMMIT: ending a write transaction, even an empty one,
                        # waits for every reader.
                        self._db.execute("ROLLBACK")
                        continue
                    self._rebuild(key, catalogs, pairs_of)
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        raise InputError(
            "the translation memory kept changing while this command read it",
            path=self.shown,
            hint="another l10n command is running on these catalogs; run again when it is done",
        )

    def _built_for(self, key: str) -> bool:
        return self._meta("key") == key and self._meta("format") == _FORMAT

    def _rebuild(
        self, key: str, catalogs: Sequence[tuple[str, bytes]], pairs_of: Callable[[str], Sequence[tuple[str, str]]]
    ) -> None:
        kept = {row[0] for row in self._db.execute("SELECT fingerprint FROM contents")}
        for slug, fingerprint in catalogs:
            if fingerprint not in kept:
                self.remember([(fingerprint, pairs_of(slug))])
                kept.add(fingerprint)
        self._db.execute("DROP TABLE IF EXISTS temp.catalog")
        self._db.execute("CREATE TEMP TABLE catalog (ordinal INTEGER PRIMARY KEY, slug TEXT, fingerprint BLOB)")
        ordered: list[tuple[str, bytes]] = sorted(catalogs, key=lambda catalog: catalog[0])
        self._db.executemany("INSERT INTO temp.catalog (slug, fingerprint) VALUES (?, ?)", ordered)
        self._db.execute("DELETE FROM pairs WHERE fingerprint NOT IN (SELECT fingerprint FROM temp.catalog)")
        self._db.execute("DELETE FROM contents WHERE fingerprint NOT IN (SELECT fingerprint FROM temp.catalog)")
        start_index(self._db)
        self._db.execute(
            "INSERT INTO temp.tm_raw (source, target, origin) SELECT p.source, p.target, c.slug"
            " FROM temp.catalog c JOIN pairs p ON p.fingerprint = c.fingerprint ORDER BY c.ordinal, p.position"
        )
        finish_index(self._db)
        self._db.execute("DROP TABLE temp.catalog")
        self._db.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)", [("key", key), ("format", _FORMAT)]
        )

    def _meta(self, name: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def _transaction(self) -> "_Transaction":
        return _Transaction(self._db)

    def _error(self, exc: BaseException) -> InputError:
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            return InputError(
                "the translation memory is locked by another process",
                path=self.shown,
                hint="wait for the other l10n command to finish, then run again",
            )
        if isinstance(exc, OSError) or "readonly" in str(exc) or "unable to open" in str(exc):
            return InputError(
                f"cannot write the translation memory store: {exc}",
                path=self.shown,
                hint="check the permissions of the cache folder, or set [tool.l10n.pretranslate] cache_dir",
            )
        return InputError(
            f"the translation memory store is unusable: {exc}",
            path=self.shown,
            hint="delete the file; it is made again from the PO files",
        )


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK when the block raises (nested: the
    outer one rules). Immediate: a reader that later wants to write could fail at
    once, where a writer waiting its turn from the start waits its turn."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._owner = False

    def __enter__(self) -> None:
        if not self._db.in_transaction:
            self._db.execute("BEGIN IMMEDIATE")
            self._owner = True

    def __exit__(self, kind: object, _error: object, _trace: object) -> None:
        if self._owner:
            self._db.execute("ROLLBACK" if kind is not None else "COMMIT")


__all__ = ["Contents", "MemoryStore", "store_file"]
