"""The cache of ``l10n run``: what an article's inputs were when it was last
processed, and what the summary and the index pages need of it then.

An article's key hashes its inputs (source, legacy translation, PO, addenda,
template, configuration and the settings read from it, pipeline version, and the translation memory's key when it
still has empty entries); :class:`RunCache` keeps the records in SQLite, an article
at a time.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from pipeline.build.article import Listing
from pipeline.check.report import ArticleResult
from pipeline.config import Tuning
from pipeline.model import Finding, Severity
from pipeline.report.review import ReviewSummary
from pipeline.store import fs
from pipeline.store.project import Project
from pipeline.store.sqlite import Owner, connect
from pipeline.version import __version__

CACHE_FILE = "run.sqlite3"


def digest(*parts: bytes) -> str:
    """SHA-256 of ``parts``, each prefixed with its length (so no two lists of parts
    give the same stream)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def input_bytes(path: Path) -> bytes:
    """The bytes of an input file, or a marker no file can hold when there is none."""
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return b"\x00absent"


def config_bytes(project: Project) -> bytes:
    """The configuration as it takes part in every article's key: its files, and
    the settings read from them with the defaults, which an upgrade may change
    with no file changing (``link_placeholders`` turned on the msgids' new form)."""
    settings = json.dumps(asdict(replace(project.config, path="")), sort_keys=True, default=_plain)
    return input_bytes(project.root / "l10n.toml") + input_bytes(project.root / "pyproject.toml") + settings.encode()


def _plain(value: object) -> object:
    """A setting as JSON holds it, the same in every process (a set's order
    follows the hash seed)."""
    if isinstance(value, (set, frozenset)):
        return sorted(map(str, value))
    if isinstance(value, re.Pattern):
        return [value.pattern, value.flags]
    return str(value)


def article_key(project: Project, lang: str, slug: str, config: bytes, memory: str, mt: str | None, threshold: float) -> tuple[str, bool]:
    """(key, has empty entries) of an article's inputs in ``lang``."""
    po = input_bytes(project.catalog_path(lang, slug))
    has_empty = b'msgstr ""\n\n' in po or po.rstrip().endswith(b'msgstr ""') or po.startswith(b"\x00absent")
    parts = [
        __version__.encode(),
        config,
        f"{lang}|{mt}|{threshold}".encode(),
        input_bytes(project.article_path(project.config.source_lang, slug)),
        input_bytes(project.article_path(lang, slug)),
        po,
        input_bytes(project.addenda_path(lang, slug)),
        input_bytes(project.template_path(slug)),
    ]
    if has_empty:
        parts.append(memory.encode())
    return digest(*parts), has_empty


@dataclass
class ArticleRecord:
    """What the last run recorded of an article in one language: the key of its
    inputs (see :func:`article_key`; "" when it must be processed again) and
    what the summary and the index pages need of it."""

    key: str = ""
    has_empty: bool = False
    #: Its check result, findings counted (see :func:`summarised`).
    check: ArticleResult | None = None
    review: ReviewSummary | None = None
    listing: Listing | None = None
    #: What the build did (see :func:`pipeline.model.build_label`).
    build: str = "—"
    #: Why the build failed ("" when it did not): a later run that skips the
    #: article must still be able to say it.
    why: str = ""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"key": self.key, "has_empty": self.has_empty, "build": self.build}
        if self.why:
            data["why"] = self.why
        if self.check is not None:
            data["check"] = result_to_json(self.check)
        if self.review is not None:
            data["review"] = {"title": self.review.title, "counts": [list(pair) for pair in self.review.counts]}
        if self.listing is not None:
            data["listing"] = list(self.listing)
        return data

    @classmethod
    def from_json(cls, slug: str, data: Mapping[str, Any]) -> ArticleRecord:
        """The record :meth:`to_json` wrote; TypeError, ValueError or KeyError
        when it is not one."""
        slug_, title, percent, written = data["listing"]
        review = data["review"]
        counts = tuple((str(state), int(count)) for state, count in review["counts"])
        return cls(
            key=str(data["key"]),
            has_empty=bool(data.get("has_empty", False)),
            check=result_from_json(data["check"]),
            review=ReviewSummary(slug, str(review["title"]), counts),
            listing=(str(slug_), str(title), float(percent), bool(written)),
            build=str(data.get("build", "—")),
            why=str(data.get("why", "")),
        )


def outputs_exist(project: Project, lang: str, slug: str, known: Known) -> bool:
    """Whether the pages the last run wrote for the article are all still there."""
    expected = [project.output_dir / "reports" / lang / f"{slug}.html"]
    if known.written:
        expected += [project.output_dir / lang / f"{slug}.md", project.output_dir / lang / f"{slug}.html"]
    return all(p.exists() for p in expected)


def result_to_json(result: ArticleResult) -> dict[str, Any]:
    """An article's check result as the cache keeps it: its counts of findings."""
    # By hand: dataclasses.asdict deep-copies and was a tenth of a whole run.
    data = {name: getattr(result, name) for name in ("slug", "lang", "po", "total", "translated", "fuzzy", "missing", "untranslated")}
    counts: dict[tuple[str, str], int] = {}
    for finding in result.findings:
        kind = (finding.check, finding.severity.value)
        counts[kind] = counts.get(kind, 0) + 1
    data["findings"] = [[check, severity, count] for (check, severity), count in sorted(counts.items())]
    return data


def result_from_json(data: Mapping[str, Any]) -> ArticleResult:
    """The result :func:`result_to_json` kept, findings counted (see :func:`summarised`)."""
    findings = tuple(_tally(check, Severity(severity)) for check, severity, count in data["findings"] for _ in range(count))
    return ArticleResult(**dict(data, findings=findings))


def summarised(result: ArticleResult) -> ArticleResult:
    """``result`` as the run keeps it: its findings' checks and severities only
    (one shared object each), for the summary's counts. A run of thousands of
    articles would otherwise hold, send between processes and cache every
    message; `l10n check` gives them."""
    return replace(result, findings=tuple(_tally(f.check, f.severity) for f in result.findings))


_TALLIES: dict[tuple[str, Severity], Finding] = {}


def _tally(check: str, severity: Severity) -> Finding:
    key = (check, severity)
    if key not in _TALLIES:
        _TALLIES[key] = Finding(check, severity, "", 0, "counted by `l10n run`; `l10n check` lists each", "")
    return _TALLIES[key]


#: Shape of the records; a cache of another shape (or version) is emptied.
CACHE_FORMAT = 5

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS records (lang TEXT NOT NULL, slug TEXT NOT NULL, key TEXT NOT NULL,"
    " has_empty INTEGER NOT NULL, written INTEGER NOT NULL, data TEXT NOT NULL,"
    " PRIMARY KEY (lang, slug)) WITHOUT ROWID",
    # The confidences of an article's last legacy alignment, with the key of the
    # pair they belong to (see :func:`alignment_pair`): `l10n report` shows them
    # and would otherwise align every legacy pair again.
    "CREATE TABLE IF NOT EXISTS alignments (lang TEXT NOT NULL, slug TEXT NOT NULL, pair TEXT NOT NULL,"
    " confidences TEXT NOT NULL, PRIMARY KEY (lang, slug)) WITHOUT ROWID",
)

#: What a cache must say of itself to be read (see :meth:`RunCache._open`).
_SHAPE = {"version": __version__, "format": str(CACHE_FORMAT)}

#: slug -> (key of the pair, confidences) of legacy alignments in one language.
Confidences = Mapping[str, tuple[str, tuple[float, ...]]]


def alignment_pair(pair: bytes, config: bytes) -> str:
    """The key a legacy alignment's confidences are kept under: the pair's content
    (source, legacy translation, language) and the configuration, which decides
    how both are read; another pipeline version empties the cache."""
    return digest(pair, config)


def _confidences_json(values: tuple[float, ...]) -> str:
    # repr of a float reads back as the same float: the report's figures stay exact.
    return json.dumps(list(values), separators=(",", ":"))


def _confidences_from(text: str) -> tuple[float, ...] | None:
    try:
        values = json.loads(text)
    except ValueError:
        return None
    if not isinstance(values, list) or not all(type(v) is float for v in values):
        return None
    return tuple(values)


@dataclass(frozen=True)
class Known:
    """What deciding whether an article must be processed again needs of its
    record: its key, whether it had empty entries, whether its pages were written
    (see :func:`outputs_exist`). Small, so a run holds these for every article
    and reads the rest of a record only when it needs it."""

    key: str
    has_empty: bool
    written: bool


class RunCache(Owner):
    """The records of the last runs in ``.l10n-cache/run.sqlite3``, read and written
    an article at a time (a record is a few kB; tens of thousands of them would
    otherwise be read, held and written whole by every run). It is a cache: a
    file that is unreadable, of another shape or of another version is emptied,
    and a record that does not read back counts as absent."""

    def __init__(self, path: Path | None, *, busy_seconds: float = Tuning().busy_seconds) -> None:
        """``path`` None: a cache in memory that keeps nothing."""
        self.path = path
        try:
            self._db = self._open(path, busy_seconds)
        except (sqlite3.DatabaseError, OSError):
            if path is None:
                raise
            # Not a database, or a broken one: it only ever saved work.
            fs.remove(path)
            self._db = self._open(path, busy_seconds)

    @staticmethod
    def _open(path: Path | None, busy_seconds: float) -> sqlite3.Connection:
        db = connect(path, "memory" if path is None else "write", autocommit=True, busy_seconds=busy_seconds)
        try:
            db.execute("PRAGMA synchronous = OFF")  # a cache: a crash costs work, not data
            db.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA:
                db.execute(statement)
            # A file damaged inside (a torn page) opens fine and fails later: look first.
            (verdict,) = db.execute("PRAGMA quick_check(1)").fetchone()
            if verdict != "ok":
                raise sqlite3.DatabaseError(f"damaged: {verdict}")
            shape = dict(db.execute("SELECT name, value FROM meta").fetchall())
            if shape != _SHAPE:
                db.execute("DELETE FROM records")
                db.execute("DELETE FROM alignments")
                db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", sorted(_SHAPE.items()))
            db.execute("COMMIT")
        except BaseException:
            db.close()
            raise
        return db

    def known(self, lang: str) -> dict[str, Known]:
        """slug -> :class:`Known` of every article recorded in ``lang``."""
        rows = self._db.execute("SELECT slug, key, has_empty, written FROM records WHERE lang = ?", (lang,))
        return {str(slug): Known(str(key), bool(empty), bool(written)) for slug, key, empty, written in rows}

    def get(self, lang: str, slug: str) -> ArticleRecord | None:
        """The record of ``slug``, or None (none, or one that does not read back)."""
        row = self._db.execute("SELECT data FROM records WHERE lang = ? AND slug = ?", (lang, slug)).fetchone()
        if row is None:
            return None
        try:
            return ArticleRecord.from_json(slug, json.loads(row[0]))
        except (TypeError, ValueError, KeyError, ArithmeticError):  # json reads Infinity and huge numbers
            return None

    def records(self, lang: str, slugs: Iterable[str]) -> Iterator[tuple[str, ArticleRecord]]:
        """(slug, record) of those of ``slugs`` that have one, in their order."""
        for slug in slugs:
            record = self.get(lang, slug)
            if record is not None:
                yield slug, record

    def put(self, lang: str, slug: str, record: ArticleRecord) -> None:
        """Keep ``record`` (inside :meth:`batch`, with the others of a portion)."""
        data = json.dumps(record.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        written = record.listing is not None and record.listing[3]
        self._db.execute(
            "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?)",
            (lang, slug, record.key, int(record.has_empty), int(written), data),
        )

    def drop(self, lang: str, slugs: Iterable[str]) -> None:
        """Forget ``slugs`` (articles gone from source/)."""
        for table in ("records", "alignments"):
            self._db.executemany(f"DELETE FROM {table} WHERE lang = ? AND slug = ?", ((lang, slug) for slug in slugs))

    def clear(self) -> None:
        """Forget every record (``l10n run --no-cache``)."""
        self._db.execute("DELETE FROM records")
        self._db.execute("DELETE FROM alignments")

    def keep_confidences(self, lang: str, made: Confidences) -> None:
        """Keep the confidences of legacy alignments (inside :meth:`batch`); a row
        that already says the same is left as it is."""
        for slug, (pair, values) in made.items():
            if not all(type(v) is float for v in values):
                continue  # JSON would read another type back
            text = _confidences_json(values)
            row = self._db.execute("SELECT pair, confidences FROM alignments WHERE lang = ? AND slug = ?", (lang, slug)).fetchone()
            if row != (pair, text):
                self._db.execute("INSERT OR REPLACE INTO alignments VALUES (?, ?, ?, ?)", (lang, slug, pair, text))

    def batch(self) -> _Batch:
        """One transaction for the writes in a ``with`` block."""
        return _Batch(self._db)


class _Batch:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, _error: object, _trace: object) -> None:
        self._db.execute("ROLLBACK" if kind is not None else "COMMIT")


class KeptConfidences(Owner):
    """The legacy alignments' confidences a run or ``l10n align`` kept, read-only
    (never made nor changed). Any trouble with the file (none, another version, a
    damaged one, a busy one) reads as nothing kept: the caller aligns again."""

    def __init__(self, project: Project, *, busy_seconds: float = Tuning().busy_seconds) -> None:
        self._db = sqlite3.connect(":memory:")
        path = project.root / ".l10n-cache" / CACHE_FILE
        if not path.is_file():
            return
        try:
            db = connect(path, "read", busy_seconds=busy_seconds)
        except (sqlite3.Error, OSError):
            return
        try:
            if dict(db.execute("SELECT name, value FROM meta").fetchall()) == _SHAPE:
                self._db.close()
                self._db = db
                return
        except sqlite3.Error:
            pass
        db.close()

    def get(self, lang: str, slug: str, pair: str) -> tuple[float, ...] | None:
        """The confidences kept for ``slug`` if they belong to ``pair``, else None."""
        try:
            row = self._db.execute(
                "SELECT confidences FROM alignments WHERE lang = ? AND slug = ? AND pair = ?", (lang, slug, pair)
            ).fetchone()
        except sqlite3.Error:
            return None
        return None if row is None else _confidences_from(str(row[0]))


def keep_alignments(
    project: Project,
    made: Mapping[tuple[str, str], tuple[bytes, tuple[float, ...]]],
    config: bytes,
    *,
    busy_seconds: float = Tuning().busy_seconds,
) -> None:
    """Keep the confidences of legacy alignments ((lang, slug) -> (the pair's
    content key, confidences)) in the run cache, for a later `l10n report`. A cache
    that cannot be written loses only that saving."""
    by_lang: dict[str, dict[str, tuple[str, tuple[float, ...]]]] = {}
    for (lang, slug), (pair, values) in made.items():
        by_lang.setdefault(lang, {})[slug] = (alignment_pair(pair, config), values)
    if not by_lang:
        return
    try:
        with open_cache(project, busy_seconds=busy_seconds) as cache, cache.batch():
            for lang, kept in sorted(by_lang.items()):
                cache.keep_confidences(lang, kept)
    except (sqlite3.Error, OSError):
        pass


def run_lock(project: Project, wait_seconds: float) -> AbstractContextManager[None]:
    """The project's lock, held for a whole run or merge (see :func:`fs.project_lock`)."""
    folder = project.root / ".l10n-cache"
    return fs.project_lock(folder, project.display(folder / "run.lock"), wait_seconds)


def open_cache(project: Project, *, busy_seconds: float = Tuning().busy_seconds) -> RunCache:
    """The run cache of ``project`` (made when missing)."""
    return RunCache(project.root / ".l10n-cache" / CACHE_FILE, busy_seconds=busy_seconds)
