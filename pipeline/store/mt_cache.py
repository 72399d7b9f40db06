"""The machine-translation cache: every text a paid engine translated, kept for good.

Besides :mod:`pipeline.store.fs` and :mod:`pipeline.store.memory_store`, the one module
that touches the disk, because it keeps a database rather than text files: an SQLite file
``<cache dir>/mt-cache.sqlite3`` (default cache dir ``.l10n-cache/`` in the project
root). A result is stored as soon as the engine returns it, before any PO file is
written, so no character is ever paid for twice, even when a later step fails.

A row is keyed by a hash of everything that decides the result: the engine, the
source and target languages, the glossary (by content hash) and the exact text
sent, protected markup included (see :func:`cache_key`). The text and the raw
result are stored too, so the cache can be inspected; no credential ever is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from pipeline.errors import InputError
from pipeline.store.sqlite import Owner, connect

CACHE_FILE = "mt-cache.sqlite3"
DEFAULT_CACHE_DIR = ".l10n-cache"

#: Seconds to wait for another process writing the cache (SQLite's own default:
#: its writes are a few rows at a time).
LOCK_SECONDS = 5.0
#: Changes whenever what is sent for a text changes meaning (markup protection).
KEY_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key TEXT PRIMARY KEY,
    engine TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    glossary TEXT NOT NULL,
    source TEXT NOT NULL,
    translation TEXT NOT NULL,
    billed INTEGER NOT NULL,
    created TEXT NOT NULL
)
"""


def cache_key(engine: str, source_lang: str, target_lang: str, glossary: str, text: str) -> str:
    """The row key of ``text`` translated under those settings (hex SHA-256)."""
    payload = json.dumps([KEY_VERSION, engine, source_lang.lower(), target_lang.lower(), glossary, text])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class CachedTranslation:
    """A stored result: the text the engine returned and what it billed for it."""

    translation: str
    billed: int


class MTCache(Owner):
    """The cache database; use as a context manager or call :meth:`close`.

    ``read_only`` opens an existing database without creating or changing
    anything (for ``--dry-run``); a missing one then behaves as empty.
    """

    def __init__(self, folder: Path | None, *, read_only: bool = False) -> None:
        self.path = folder / CACHE_FILE if folder is not None else None
        self.read_only = read_only
        try:
            if self.path is not None and read_only and self.path.is_file():
                self._db = connect(self.path, "read", busy_seconds=LOCK_SECONDS)
            else:
                # No folder, or nothing to read yet: an empty cache in memory.
                in_memory = self.path is None or read_only
                self._db = connect(self.path, "memory" if in_memory else "write", busy_seconds=LOCK_SECONDS)
                self._db.execute(_SCHEMA)
                self._db.commit()
        except (sqlite3.Error, OSError) as exc:
            raise InputError(
                f"cannot open the translation cache: {exc}",
                path=str(self.path or ":memory:"),
                hint="check the cache directory or pass another one",
            ) from None

    def get_many(self, keys: Iterable[str]) -> dict[str, CachedTranslation]:
        """The stored results among ``keys`` (absent keys are simply not in the answer)."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, CachedTranslation] = {}
        try:
            # SQLite limits bound parameters per statement; 500 is well below it.
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT key, translation, billed FROM translations WHERE key IN ({marks})", chunk
                )
                for key, translation, billed in rows:
                    found[str(key)] = CachedTranslation(str(translation), int(billed))
        except sqlite3.Error as exc:
            if "no such table" in str(exc):
                return found
            raise self._error(exc) from None
        return found

    def put_many(
        self,
        rows: Sequence[tuple[str, str, str]],
        *,
        engine: str,
        source_lang: str,
        target_lang: str,
        glossary: str,
        billed: Sequence[int],
    ) -> None:
        """Store ``(key, text sent, translation)`` rows in one transaction."""
        if self.read_only:
            raise InputError("the translation cache is read-only", path=str(self.path))
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (key, engine, source_lang, target_lang, glossary, text, translation, count, now)
                        for (key, text, translation), count in zip(rows, billed)
                    ],
                )
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def __len__(self) -> int:
        try:
            (count,) = self._db.execute("SELECT COUNT(*) FROM translations").fetchone()
        except sqlite3.Error:
            return 0
        return int(count)

    def _error(self, exc: sqlite3.Error) -> InputError:
        return InputError(
            f"the translation cache is unusable: {exc}",
            path=str(self.path or ":memory:"),
            hint="delete the cache file to start a new one (results will be paid for again)",
        )


__all__ = ["CACHE_FILE", "DEFAULT_CACHE_DIR", "CachedTranslation", "MTCache", "cache_key"]
