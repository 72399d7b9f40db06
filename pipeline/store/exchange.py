"""The exchange files a project keeps (versioned, the translators' like PO files):

* ``locales/glossary.tbx`` -- the glossary imported with ``l10n import-tbx``
  (TBX-Basic, every language), used by DeepL and the terminology check;
* ``locales/<lang>/memory.tmx`` -- translation-memory units imported with
  ``l10n import-tmx``, part of the memory beside the reviewed PO entries.

Read through :mod:`pipeline.store.fs`; parsed once per content.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.store import fs
from pipeline.store.project import Project

# The TBX and TMX readers (and lxml under them) are imported where a file is
# read: most projects have neither file, and `l10n check` asks for the glossary
# of every article.
if TYPE_CHECKING:
    from pipeline.exchange.tbx import Glossary
    from pipeline.exchange.tmx import TranslationUnit


def glossary_path(project: Project) -> Path:
    return project.locales_dir / "glossary.tbx"


def memory_tmx_path(project: Project, lang: str) -> Path:
    return project.locales_dir / lang / "memory.tmx"


def load_glossary(project: Project) -> Glossary:
    """The imported glossary ((language, source term) -> target term), empty
    when there is none; InputError when the file is unusable."""
    path = glossary_path(project)
    if not path.is_file():
        return {}
    return dict(_glossary(fs.read_bytes(path), project.display(path), project.config.source_lang, project.config.languages))


@lru_cache(maxsize=8)
def _glossary(data: bytes, shown: str, source_lang: str, languages: tuple[str, ...]) -> tuple[tuple[tuple[str, str], str], ...]:
    from pipeline.exchange.tbx import glossary_of, parse_tbx

    return tuple(glossary_of(parse_tbx(data, shown), source_lang, languages).items())


def glossary_terms(project: Project, lang: str) -> dict[str, str]:
    """Source term -> target term for ``lang``: the imported glossary, then the
    configured ``[tool.l10n.pretranslate] glossary`` (which wins on a term both have)."""
    glossary = load_glossary(project)
    terms: dict[str, str] = {}
    if glossary:
        from pipeline.exchange.tbx import terms_for

        terms = terms_for(glossary, lang)
    terms.update(project.config.pretranslate.glossary)
    return terms


def load_imported_memory(project: Project, lang: str) -> tuple[TranslationUnit, ...]:
    """The units of ``locales/<lang>/memory.tmx`` (none when it does not exist)."""
    path = memory_tmx_path(project, lang)
    if not path.is_file():
        return ()
    return _memory(fs.read_bytes(path), project.display(path), project.config.source_lang, lang)


@lru_cache(maxsize=4)
def _memory(data: bytes, shown: str, source_lang: str, lang: str) -> tuple[TranslationUnit, ...]:
    from pipeline.exchange.tmx import parse_tmx

    return parse_tmx(data, shown, source_lang, lang).units


__all__ = ["glossary_path", "glossary_terms", "load_glossary", "load_imported_memory", "memory_tmx_path"]
