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
from dataclasses import replace
from pathlib import Path
from typing import Any, Mapping

from pipeline.version import __version__
from pipeline.check.report import ArticleResult
from pipeline.model import Finding, Severity
from pipeline.store.project import Project

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


def outputs_exist(project: Project, lang: str, slug: str, state: Mapping[str, Any]) -> bool:
    """Whether the pages the last run wrote for the article are all still there."""
    expected = [project.output_dir / "reports" / lang / f"{slug}.html"]
    if state.get("listing", [None, None, 0, False])[3]:
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


def empty_cache() -> dict[str, Any]:
    """A cache with no records, as a first run starts."""
    return {"version": __version__, "format": CACHE_FORMAT, "languages": {}}


def read_cache(path: Path) -> dict[str, Any]:
    """The cache of the last run; an empty one when absent, unreadable or of
    another shape or version (it only ever saves work)."""
    try:
        cache = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError, UnicodeDecodeError):
        return empty_cache()
    well_formed = (
        isinstance(cache, dict)
        and cache.get("version") == __version__
        and cache.get("format") == CACHE_FORMAT
        and isinstance(cache.get("languages"), dict)
        and all(isinstance(states, dict) for states in cache["languages"].values())
        and all(
            isinstance(state, dict) and {"key", "check", "listing", "review"} <= set(state)
            for states in cache["languages"].values()
            for state in states.values()
        )
    )
    if not well_formed:
        return empty_cache()
    try:  # every record must read back: a hand-edited cache is dropped, not trusted
        for states in cache["languages"].values():
            for state in states.values():
                result_from_json(state["check"])
    except (TypeError, ValueError, KeyError):
        return empty_cache()
    checked: dict[str, Any] = cache
    return checked
