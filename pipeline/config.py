"""Project configuration: ``[tool.l10n]`` in pyproject.toml, or an ``l10n.toml``.

``l10n.toml`` holds the same keys at top level (no ``tool.l10n`` prefix) and wins
when both exist. Unknown keys are errors, so a typo does not silently do nothing.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any, Mapping

from babel import Locale, UnknownLocaleError

from pipeline.errors import ConfigError, InputError
from pipeline.model import Severity

#: Generic website chrome a scraper leaves in: full-line, case-insensitive regexes.
DEFAULT_BOILERPLATE = (
    r"^skip to (main )?content$",
    r"^published$",
    r"^updated$",
    r"^\d+ min(ute)?s?( read)?$",
    r"^reading time$",
    r"^share( this( article| post)?)?:?$",
    r"^(this|our) (web ?site|site) uses cookies\b.*$",
    r"^we use cookies\b.*$",
    r"^(accept|reject)( all)?( cookies)?$",
)


@dataclass(frozen=True)
class ImportOptions:
    """How ``l10n import`` cleans a scraped text."""

    boilerplate: tuple[str, ...] = DEFAULT_BOILERPLATE
    #: A line matching one of these starts trailing boilerplate: it and all after go.
    boilerplate_tail: tuple[str, ...] = ()
    heading_max_words: int = 14
    heading_level: int = 2


#: Every check (see :mod:`pipeline.check.checks`) and its default severity.
DEFAULT_SEVERITY: Mapping[str, Severity] = {
    "missing": Severity.ERROR,
    "fuzzy": Severity.ERROR,
    "untranslated": Severity.ERROR,
    "partial": Severity.WARNING,
    "markup": Severity.ERROR,
    "structure": Severity.ERROR,
    "numbers": Severity.WARNING,
    "stale": Severity.ERROR,
    "syntax": Severity.ERROR,
    "addenda": Severity.WARNING,
    "anchors": Severity.WARNING,
    "terminology": Severity.WARNING,
}


@dataclass(frozen=True)
class CheckSettings:
    """``[tool.l10n.check]``: how severe each check's findings are."""

    fuzzy_is_warning: bool = False
    #: Check name -> severity, as configured (the defaults are in DEFAULT_SEVERITY).
    severity: Mapping[str, Severity] = field(default_factory=dict, hash=False)

    def severities(self, *, strict: bool = False) -> dict[str, Severity]:
        """Severity of every check: defaults, then this table, then ``strict``
        (warnings become errors)."""
        result = dict(DEFAULT_SEVERITY)
        if self.fuzzy_is_warning:
            result["fuzzy"] = Severity.WARNING
        result.update(self.severity)
        if strict:
            result = {k: Severity.ERROR if v is Severity.WARNING else v for k, v in result.items()}
        return result


@dataclass(frozen=True)
class KeepSettings:
    """``[tool.l10n.keep]``: what may stay in the source language: exact terms and
    full-match regex patterns, headings, quotations and citations (a segment that
    is one link to a web page: its text is that page's title)."""

    terms: frozenset[str] = frozenset()
    patterns: tuple[re.Pattern[str], ...] = ()
    headings: bool = True
    quotations: bool = True
    citations: bool = True

    def allows(self, text: str) -> bool:
        stripped = text.strip()
        return stripped in self.terms or any(p.fullmatch(stripped) for p in self.patterns)


#: Default minimum similarity (percent) for a translation-memory match to be offered.
DEFAULT_MIN_SIMILARITY = 80.0
#: Where local state is kept (run records, the memory's index, MT results).
DEFAULT_CACHE_DIR = ".l10n-cache"


@dataclass(frozen=True)
class PretranslateSettings:
    """``[tool.l10n.pretranslate]``: DeepL's glossary (source = target terms), the
    lowest memory match offered (percent) and the cache folder (relative to the
    project root)."""

    glossary: Mapping[str, str] = field(default_factory=dict, hash=False)
    min_similarity: float = DEFAULT_MIN_SIMILARITY
    cache_dir: str = DEFAULT_CACHE_DIR


@dataclass(frozen=True)
class Tuning:
    """Figures that trade speed for memory or responsiveness, passed to the
    commands that use them (tests pass small ones). The defaults suit a 2-core
    machine and corpora up to tens of thousands of articles."""

    #: Fewer articles than this are processed in one process: forking costs more.
    min_parallel: int = 64
    #: Phase two of ``l10n run`` takes this many articles at a time through all
    #: of its stages, so that what one stage parsed is still cached for the next.
    portion: int = 32
    #: Catalogs whose confirmed translations phase one holds before handing them
    #: to the memory's store.
    remember_batch: int = 64
    #: Seconds between the parent's looks for a worker that died.
    poll_seconds: float = 0.5
    #: Seconds the parent waits for the last answer of a worker that ended.
    drain_seconds: float = 2.0
    #: Seconds a worker told to stop has to clean up before it is killed.
    stop_seconds: float = 30.0
    #: Seconds a process waits for another to finish with an SQLite store (a
    #: rebuild of a large memory takes that long at most).
    busy_seconds: float = 600.0
    #: Times a DeepL request is sent again after a 429, a 5xx or a dropped
    #: connection (with the client's backoff: 1 s, 1.6 s, ...). A refused
    #: connection or an unknown host is never retried: nothing listens there.
    mt_retries: int = 5
    #: Seconds a DeepL request may take before it counts as failed.
    mt_timeout: float = 10.0


#: A "missing" or "extra" finding of the aligner is raised (``l10n compare`` exits 1,
#: the review page marks it) only at or above this confidence; weaker ones are
#: listed as uncertain. On the docs dev set (bench/align_docs.py) the findings
#: below 0.55 were mostly the aligner's own doubts, not real gaps.
DEFAULT_FINDING_THRESHOLD = 0.55


#: Whether msgids keep link targets out (see ``Config.link_placeholders``).
DEFAULT_LINK_PLACEHOLDERS = True


@dataclass(frozen=True)
class Config:
    source_lang: str = "en"
    languages: tuple[str, ...] = ("cs",)
    source_dir: str = "source"
    locales_dir: str = "locales"
    output_dir: str = "output"
    #: Front-matter keys whose values are translatable text.
    text_keys: tuple[str, ...] = ("title", "description", "summary")
    importing: ImportOptions = field(default_factory=ImportOptions)
    check: CheckSettings = field(default_factory=CheckSettings)
    keep: KeepSettings = field(default_factory=KeepSettings)
    pretranslate: PretranslateSettings = field(default_factory=PretranslateSettings)
    #: ``[tool.l10n.build] publish``: build for readers, without review markers.
    publish: bool = False
    #: See DEFAULT_FINDING_THRESHOLD.
    finding_threshold: float = DEFAULT_FINDING_THRESHOLD
    #: ``link_placeholders``: msgids show links as ``[text][1]``, their targets in
    #: a ``#.`` comment (:mod:`pipeline.read.placeholders`); false keeps them inline.
    link_placeholders: bool = DEFAULT_LINK_PLACEHOLDERS
    #: The file the configuration came from, for error messages.
    path: str = field(default="pyproject.toml", compare=False)


_TOP_KEYS = {
    "source_lang",
    "languages",
    "source_dir",
    "locales_dir",
    "output_dir",
    "text_keys",
    "import",
    "check",
    "pretranslate",
    "build",
    "keep",
    "finding_threshold",
    "link_placeholders",
}


def validate_language(code: str, where: str) -> str:
    """Return ``code`` if Babel knows the locale, else a ConfigError."""
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise ConfigError(
            f"unknown language {code!r}", path=where, hint="use a code such as en, cs, de, pt_BR"
        ) from None
    return code


def parse_config(table: dict[str, Any], where: str) -> Config:
    """Build a Config from the ``[tool.l10n]`` table (already parsed TOML)."""
    unknown = sorted(set(table) - _TOP_KEYS)
    if unknown:
        raise ConfigError(
            f"unknown key(s) in [tool.l10n]: {', '.join(unknown)}",
            path=where,
            hint=f"known keys: {', '.join(sorted(_TOP_KEYS))}",
        )

    def text(key: str, default: str) -> str:
        value = table.get(key, default)
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{key} must be a non-empty string", path=where)
        return value

    def strings(value: Any, key: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{key} must be a list of strings", path=where)
        return tuple(value)

    imp = table.get("import", {})
    if not isinstance(imp, dict):
        raise ConfigError("[tool.l10n.import] must be a table", path=where)
    importing = ImportOptions(
        boilerplate=DEFAULT_BOILERPLATE + strings(imp.get("boilerplate", []), "import.boilerplate"),
        boilerplate_tail=strings(imp.get("boilerplate_tail", []), "import.boilerplate_tail"),
        heading_max_words=int(imp.get("heading_max_words", 14)),
        heading_level=int(imp.get("heading_level", 2)),
    )
    languages = strings(table.get("languages", ["cs"]), "languages")
    source_lang = validate_language(text("source_lang", "en"), where)
    for lang in languages:
        validate_language(lang, where)
    if source_lang in languages:
        raise ConfigError(
            f"languages lists the source language {source_lang!r}", path=where, hint="list only target languages"
        )
    for section in ("check", "keep", "pretranslate", "build"):
        if section in table and not isinstance(table[section], dict):
            raise ConfigError(f"[tool.l10n.{section}] must be a table", path=where)
    build = table.get("build", {})
    unknown_build = sorted(set(build) - {"publish"})
    if unknown_build:
        raise ConfigError(
            f"unknown key(s) in [tool.l10n.build]: {', '.join(unknown_build)}", path=where, hint="known keys: publish"
        )
    if not isinstance(build.get("publish", False), bool):
        raise ConfigError("build.publish must be true or false", path=where)
    threshold = table.get("finding_threshold", DEFAULT_FINDING_THRESHOLD)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0.0 <= threshold <= 1.0:
        raise ConfigError("finding_threshold must be a number from 0 to 1", path=where)
    placeholders = table.get("link_placeholders", DEFAULT_LINK_PLACEHOLDERS)
    if not isinstance(placeholders, bool):
        raise ConfigError("link_placeholders must be true or false", path=where)
    return Config(
        finding_threshold=float(threshold),
        link_placeholders=placeholders,
        source_lang=source_lang,
        languages=languages,
        source_dir=text("source_dir", "source"),
        locales_dir=text("locales_dir", "locales"),
        output_dir=text("output_dir", "output"),
        text_keys=strings(table.get("text_keys", ["title", "description", "summary"]), "text_keys"),
        importing=importing,
        check=parse_check(table.get("check", {}), where),
        keep=parse_keep(table.get("keep", {}), where),
        pretranslate=parse_pretranslate(table.get("pretranslate", {}), where),
        publish=bool(build.get("publish", False)),
        path=where,
    )


def parse_check(table: Mapping[str, Any], where: str) -> CheckSettings:
    """``[tool.l10n.check]``, validated."""
    unknown = sorted(set(table) - {"fuzzy_is_warning", "severity"})
    if unknown:
        raise ConfigError(
            f"unknown key(s) in [tool.l10n.check]: {', '.join(unknown)}", path=where, hint="known keys: fuzzy_is_warning, severity"
        )
    if "fuzzy_is_warning" in table and not isinstance(table["fuzzy_is_warning"], bool):
        raise ConfigError("check.fuzzy_is_warning must be true or false", path=where)
    levels = table.get("severity", {})
    if not isinstance(levels, dict):
        raise ConfigError("[tool.l10n.check.severity] must be a table", path=where)
    severity: dict[str, Severity] = {}
    for name, value in levels.items():
        if name not in DEFAULT_SEVERITY:
            raise ConfigError(
                f"[tool.l10n.check.severity] names no check {name!r}", path=where, hint=f"checks: {', '.join(DEFAULT_SEVERITY)}"
            )
        try:
            severity[str(name)] = Severity(str(value))
        except ValueError:
            raise ConfigError(f"severity of {name!r} must be error, warning or info, not {value!r}", path=where) from None
    return CheckSettings(fuzzy_is_warning=bool(table.get("fuzzy_is_warning", False)), severity=severity)


def parse_keep(table: Mapping[str, Any], where: str) -> KeepSettings:
    """``[tool.l10n.keep]``, validated, its patterns compiled."""
    unknown = sorted(set(table) - {"terms", "patterns", "headings", "quotations", "citations"})
    if unknown:
        raise ConfigError(
            f"unknown key(s) in [tool.l10n.keep]: {', '.join(unknown)}",
            path=where,
            hint="known keys: terms, patterns, headings, quotations, citations",
        )
    for key in ("terms", "patterns"):
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"keep.{key} must be a list of strings", path=where)
    for key in ("headings", "quotations", "citations"):
        if key in table and not isinstance(table[key], bool):
            raise ConfigError(f"keep.{key} must be true or false", path=where)
    try:
        patterns = tuple(re.compile(str(p)) for p in table.get("patterns", []))
    except re.error as exc:
        raise InputError(f"invalid [tool.l10n.keep] pattern: {exc}", path=where) from None
    return KeepSettings(
        terms=frozenset(str(t) for t in table.get("terms", [])),
        patterns=patterns,
        headings=bool(table.get("headings", True)),
        quotations=bool(table.get("quotations", True)),
        citations=bool(table.get("citations", True)),
    )


def parse_pretranslate(table: Mapping[str, Any], where: str) -> PretranslateSettings:
    """``[tool.l10n.pretranslate]``, validated."""
    known = ("glossary", "min_similarity", "cache_dir")
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ConfigError(
            f"unknown key(s) in [tool.l10n.pretranslate]: {', '.join(unknown)}",
            path=where,
            hint=f"known keys: {', '.join(known)}",
        )
    glossary = parse_glossary(table.get("glossary", {}), where)
    configured = table.get("min_similarity", DEFAULT_MIN_SIMILARITY)
    if not isinstance(configured, (int, float)) or isinstance(configured, bool):
        raise ConfigError("pretranslate.min_similarity must be a number", path=where)
    check_similarity(float(configured), where)
    folder = table.get("cache_dir", DEFAULT_CACHE_DIR)
    if not isinstance(folder, str) or not folder:
        raise ConfigError("pretranslate.cache_dir must be a non-empty string", path=where)
    return PretranslateSettings(glossary=glossary, min_similarity=float(configured), cache_dir=folder)


def check_similarity(value: float, where: str) -> float:
    """``value`` if it is a percentage above 0, else an InputError naming ``where``."""
    if not 0 < value <= 100:
        raise InputError(
            f"minimum similarity {value:g} is not a percentage", path=where, hint="give a number above 0 and at most 100"
        )
    return value


def parse_glossary(value: object, where: str) -> dict[str, str]:
    """The ``glossary`` table of the configuration as a dict, or a ConfigError."""
    if not isinstance(value, dict):
        raise ConfigError("pretranslate.glossary must be a table of source = target terms", path=where)
    terms: dict[str, str] = {}
    for source, target in value.items():
        if not isinstance(target, str):
            raise ConfigError(f"pretranslate.glossary: the term {source!r} needs a string", path=where)
        for term in (source, target):
            if not term.strip() or any(ch in term for ch in "\t\n\r") or term != term.strip():
                raise ConfigError(
                    f"pretranslate.glossary: invalid term {term!r}",
                    path=where,
                    hint="terms are non-empty, without tabs, newlines or surrounding spaces",
                )
        terms[source] = target
    return terms


def parse_toml(text: str, where: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise ConfigError(f"invalid TOML: {exc}", path=where, line=line) from None
