"""Project configuration: ``[tool.l10n]`` in pyproject.toml, or an ``l10n.toml``.

``l10n.toml`` holds the same keys at top level (no ``tool.l10n`` prefix) and wins
when both exist. Unknown keys are errors, so a typo does not silently do nothing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from . import fs
from .errors import ConfigError

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
    #: Everything under [tool.l10n] that later stages read (check, pretranslate ...).
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
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
    keep = table.get("keep", {})
    for key in ("terms", "patterns"):
        if key in keep:
            strings(keep[key], f"keep.{key}")
    for key in ("headings", "quotations"):
        if key in keep and not isinstance(keep[key], bool):
            raise ConfigError(f"keep.{key} must be true or false", path=where)
    check = table.get("check", {})
    if "fuzzy_is_warning" in check and not isinstance(check["fuzzy_is_warning"], bool):
        raise ConfigError("check.fuzzy_is_warning must be true or false", path=where)
    return Config(
        source_lang=source_lang,
        languages=languages,
        source_dir=text("source_dir", "source"),
        locales_dir=text("locales_dir", "locales"),
        output_dir=text("output_dir", "output"),
        text_keys=strings(table.get("text_keys", ["title", "description", "summary"]), "text_keys"),
        importing=importing,
        extra={k: v for k, v in table.items() if k in {"check", "pretranslate", "build", "keep"}},
        path=where,
    )


def parse_toml(text: str, where: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise ConfigError(f"invalid TOML: {exc}", path=where, line=line) from None


def load_config(root: Path) -> Config:
    """The configuration of the project at ``root`` (defaults when there is none)."""
    l10n_toml = root / "l10n.toml"
    if l10n_toml.is_file():
        return parse_config(parse_toml(fs.read_text(l10n_toml, allow_empty=True), str(l10n_toml)), str(l10n_toml))
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        data = parse_toml(fs.read_text(pyproject, allow_empty=True), str(pyproject))
        table = data.get("tool", {}).get("l10n", {})
        return parse_config(table, str(pyproject))
    return Config()
