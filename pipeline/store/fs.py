"""The one module that touches the disk.

Reading decodes strictly (UTF-8, optional BOM) and turns every way a file can be
unusable into an :class:`InputError` naming the file and line. Writing is atomic
(temporary file in the same folder, then ``os.replace``) and skipped when the file
already holds exactly those bytes, so re-running a command on unchanged input
changes no file, not even its modification time.
"""

from __future__ import annotations

import fcntl
import os
import re
import signal
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputError

#: Refuse to read anything larger: articles and PO files are far smaller.
MAX_FILE_BYTES = 64 * 1024 * 1024


def decode_text(data: bytes, path: str, *, allow_empty: bool = False) -> str:
    """Decode ``data`` as UTF-8 (a BOM is kept as U+FEFF for the parser to note).

    Raises InputError for empty, binary or non-UTF-8 content with the line of the
    first bad byte.
    """
    if not data.strip(b" \t\r\n\xef\xbb\xbf") and not allow_empty:
        raise InputError("the file is empty", path=path, hint="give a file with text in it")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise InputError(
            "binary data (NUL byte), not a text file",
            path=path,
            line=line,
            hint="give a UTF-8 text or Markdown file",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            path=path,
            line=line,
            hint="convert the file to UTF-8, e.g. with iconv -t UTF-8",
        ) from None


@contextmanager
def _reading(path: Path) -> Iterator[None]:
    """Turn the OS's reasons a file cannot be read into an InputError naming it."""
    try:
        yield
    except FileNotFoundError:
        raise InputError("no such file", path=str(path), hint="check the path") from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", path=str(path)) from None
    except PermissionError:
        raise InputError("permission denied", path=str(path)) from None


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or an InputError saying why they cannot be had."""
    with _reading(path):
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                f"file too large ({size} bytes)", path=str(path), hint="split the article"
            )
        return path.read_bytes()


def read_head(path: Path, size: int) -> bytes:
    """At most the first ``size`` bytes of the file (all of it when shorter), or an
    InputError as :func:`read_bytes` gives: for a look at a header without reading
    and decoding the whole file."""
    with _reading(path), path.open("rb") as file:
        return file.read(size)


def read_text(path: Path, *, allow_empty: bool = False) -> str:
    """Read and strictly decode a text file."""
    return decode_text(read_bytes(path), str(path), allow_empty=allow_empty)


def write_text(path: Path, text: str) -> bool:
    """Atomically write ``text`` as UTF-8; return False when the file was already so."""
    return write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> bool:
    """Atomically write ``data``; return False (and touch nothing) if unchanged."""
    staged = stage_bytes(path, data)
    if staged is None:
        return False
    commit_staged([staged])
    return True


def make_cache_dir(folder: Path) -> None:
    """Create a cache folder (with its parents) that version control ignores:
    it is local state, never content."""
    folder.mkdir(parents=True, exist_ok=True)
    write_text(folder / ".gitignore", "# Created by l10n pretranslate.\n*\n")


@contextmanager
def project_lock(folder: Path, shown: str, wait_seconds: float) -> Iterator[None]:
    """Hold the lock of one project's runs (``folder/run.lock``) for a ``with``
    block: a second run in the same project waits up to ``wait_seconds``, then is
    an InputError. Two runs at once would write each other's files and remove
    each other's staged ones. The lock goes with the process (flock), so a killed
    run leaves none behind."""
    make_cache_dir(folder)
    handle = os.open(folder / "run.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise InputError(
                        "another l10n run is working in this project", path=shown, hint="wait for it to end, then run again"
                    ) from None
                time.sleep(0.1)
        yield
    finally:
        os.close(handle)  # releases the lock (the workers' copies closed when they ended)


@dataclass(frozen=True)
class Staged:
    """New content written beside ``path`` in ``temp``, not yet in place."""

    path: Path
    temp: str


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGTERM and SIGINT back while a temporary file is made and handed to
    whoever will remove it: a worker stopped in between (the pool ends the others
    when one fails) would leave the file behind. Delivered when the block ends."""
    held = {signal.SIGTERM, signal.SIGINT}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def stage_text(path: Path, text: str) -> Staged | None:
    """Write ``text`` into a temporary file beside ``path`` and return it, to be put
    in place by :func:`commit_staged` (or dropped by :func:`discard_staged`);
    None when ``path`` already holds exactly this text."""
    return stage_bytes(path, text.encode("utf-8"))


def commit_staged(staged: Sequence[Staged]) -> None:
    """Put staged files in place, each by an atomic rename."""
    for number, item in enumerate(staged):
        try:
            os.replace(item.temp, item.path)
        except BaseException as exc:
            discard_staged(staged[number:])
            if isinstance(exc, OSError):
                raise InputError(f"cannot write: {exc.strerror or exc}", path=str(item.path)) from None
            raise


def discard_staged(staged: Sequence[Staged]) -> None:
    """Remove the temporary files of staged writes that will not happen."""
    for item in staged:
        try:
            os.unlink(item.temp)
        except FileNotFoundError:
            pass


def stage_bytes(path: Path, data: bytes) -> Staged | None:
    found = True
    try:
        # The size first: a file rewritten with new content rarely keeps its size,
        # and then it need not be read.
        if os.stat(path).st_size == len(data) and path.read_bytes() == data:
            return None
    except (FileNotFoundError, NotADirectoryError):
        found = False
    except IsADirectoryError:
        pass
    try:
        if not found:  # else its folder is there
            path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise InputError(
            f"cannot write here: {exc.strerror or exc}", path=str(path), hint="check the folder and its permissions"
        ) from None
    try:
        # No fsync: the rename is what makes the write atomic for readers and for
        # a crash of this process; a sync per file would cost more than the work.
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
        os.chmod(tmp_name, 0o644)
    except BaseException as exc:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise InputError(f"cannot write: {exc.strerror or exc}", path=str(path), hint="check disk space and permissions") from None
        raise
    return Staged(path, tmp_name)


class Batch:
    """Writes and removals held back until :meth:`commit`. Each write is staged at
    once (:func:`stage_text`), so a batch holds no texts in memory; a batch left
    without a commit (a command stopped by an error) removes what it staged and
    leaves every file as it was."""

    def __init__(self) -> None:
        self._staged: list[Staged] = []
        self._removals: list[Path] = []

    def write_text(self, path: Path, text: str) -> bool:
        """Stage ``text`` for ``path``; whether the file will change."""
        with signals_held():
            staged = stage_text(path, text)
            if staged is not None:
                self._staged.append(staged)
        return staged is not None

    def remove(self, path: Path) -> None:
        """Remove ``path`` (if it exists) on commit."""
        self._removals.append(path)

    def commit(self) -> None:
        staged, self._staged = self._staged, []
        commit_staged(staged)
        removals, self._removals = self._removals, []
        for path in removals:
            remove(path)

    def discard(self) -> None:
        staged, self._staged, self._removals = self._staged, [], []
        discard_staged(staged)

    def __enter__(self) -> "Batch":
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.discard()  # after a commit there is nothing left to discard


_TEMPORARY = re.compile(r"\..+\.[A-Za-z0-9_]{8}\.tmp")


def remove_stale_temporaries(folder: Path, *, older_than: float = 3600.0) -> int:
    """Remove the temporary files a killed process left in ``folder`` (staged or
    half-written files, see :func:`stage_bytes`) once they are ``older_than``
    seconds old; returns how many."""
    if not folder.is_dir():
        return 0
    limit = time.time() - older_than
    removed = 0
    for path in folder.glob(".*.tmp"):
        try:
            if _TEMPORARY.fullmatch(path.name) and path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            pass
    return removed


def remove(path: Path) -> bool:
    """Delete a generated file; False when there was none."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise InputError(f"cannot remove: {exc.strerror or exc}", path=str(path)) from None
    return True


def list_files(folder: Path, suffixes: tuple[str, ...], *, recursive: bool = True) -> list[Path]:
    """Files in (or under) ``folder`` with one of ``suffixes``, sorted, hidden files skipped."""
    if not folder.is_dir():
        return []
    found = folder.rglob("*") if recursive else folder.glob("*")
    return sorted(p for p in found if p.is_file() and p.suffix in suffixes and not p.name.startswith("."))
