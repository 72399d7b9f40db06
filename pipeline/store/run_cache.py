"""The cache of ``l10n run``: what an article's inputs were when it was last
processed, and what the summary and the index pages need of it then.

An article's key hashes its inputs (source, legacy translation, PO, addenda,
template, configuration, pipeline version, and the translation memory's key when it
still has empty entries); :func:`read_cache` gives back the records of the last
run, or none when they cannot be trusted.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from pipeline.build.article import Listing
from pipeline.check.report import ArticleResult
from pipeline.model import Finding, Severity
from pipeline.report.review import ReviewSummary
from pipeline.store import fs
from pipeline.store.project import Project
from pipeline.version import __version__

CACHE_FILE = "run.json"


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
    """The configuration files, as they take part in every article's key."""
    return input_bytes(project.root / "l10n.toml") + input_bytes(project.root / "pyproject.toml")


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


@dataclass
class RunCache:
    """The records of the last run: language -> slug -> record."""

    languages: dict[str, dict[str, ArticleRecord]] = field(default_factory=dict)

    def to_json(self) -> str:
        data = {
            "version": __version__,
            "format": CACHE_FORMAT,
            "languages": {
                lang: {slug: record.to_json() for slug, record in records.items()}
                for lang, records in self.languages.items()
            },
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def outputs_exist(project: Project, lang: str, slug: str, record: ArticleRecord) -> bool:
    """Whether the pages the last run wrote for the article are all still there."""
    expected = [project.output_dir / "reports" / lang / f"{slug}.html"]
    if record.listing is not None and record.listing[3]:
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


#: Shape of the cache file; another is dropped, like another version's.
CACHE_FORMAT = 4


def read_cache(path: Path) -> RunCache:
    """The cache of the last run; an empty one when absent, unreadable or of
    another shape or version (it only ever saves work)."""
    try:
        cache = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError, UnicodeDecodeError):
        return RunCache()
    well_formed = (
        isinstance(cache, dict)
        and cache.get("version") == __version__
        and cache.get("format") == CACHE_FORMAT
        and isinstance(cache.get("languages"), dict)
        and all(isinstance(states, dict) for states in cache["languages"].values())
        and all(isinstance(state, dict) for states in cache["languages"].values() for state in states.values())
    )
    if not well_formed:
        return RunCache()
    try:  # every record must read back: a hand-edited cache is dropped, not trusted
        return RunCache(
            {
                str(lang): {str(slug): ArticleRecord.from_json(str(slug), state) for slug, state in states.items()}
                for lang, states in cache["languages"].items()
            }
        )
    except (TypeError, ValueError, KeyError, ArithmeticError):  # json reads Infinity and huge numbers
        return RunCache()


def write_cache(path: Path, cache: RunCache) -> bool:
    """Write ``cache`` (atomically); whether the file changed."""
    return fs.write_text(path, cache.to_json())
