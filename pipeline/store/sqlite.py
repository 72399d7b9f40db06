"""How the store opens and closes its SQLite databases (the translation memory's
store and index, the machine-translation cache): one place for the connection
settings, the cache folder and closing."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Literal, Self

from pipeline.config import Tuning
from pipeline.store import fs

#: What a store opens: a file (made with its folder when missing), the same file
#: read-only (never created nor changed), or a database in memory.
Mode = Literal["write", "read", "memory"]


def connect(
    path: Path | None,
    mode: Mode = "write",
    *,
    autocommit: bool = False,
    busy_seconds: float = Tuning().busy_seconds,
) -> sqlite3.Connection:
    """A connection to ``path``; sqlite3.Error or OSError when it cannot be had
    (the caller names the file in its own InputError). ``autocommit``: no
    implicit transactions, the caller's BEGIN and COMMIT only."""
    isolation: Literal["DEFERRED"] | None = None if autocommit else "DEFERRED"
    if mode == "memory" or path is None:
        return sqlite3.connect(":memory:", isolation_level=isolation)
    if mode == "read":
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=isolation, timeout=busy_seconds)
    fs.make_cache_dir(path.parent)
    return sqlite3.connect(path, isolation_level=isolation, timeout=busy_seconds)


class Owner:
    """An object that owns one connection (``self._db``), closed by
    :meth:`close` or by leaving a ``with`` block (closing twice does no harm)."""

    _db: sqlite3.Connection

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()
