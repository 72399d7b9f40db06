"""Operations on a content folder (source/, locales/, output/): what the CLI calls.

Each public function does one command's work and returns what happened; it never
prints. Files are read and written only through :mod:`pipeline.store.fs`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Sequence

from cachetools import LRUCache, cached

from pipeline.config import Config, parse_config, parse_toml, validate_language
from pipeline.errors import InputError
from pipeline.model import Article
from pipeline.read.markdown import parse_markdown
from pipeline.store import fs

MARKDOWN_SUFFIXES = (".md", ".markdown")
#: What a slug may be: a plain file name, never a path.
SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass(frozen=True)
class Project:
    """A content folder and its configuration."""

    root: Path
    config: Config

    @property
    def source_dir(self) -> Path:
        return self.root / self.config.source_dir

    @property
    def output_dir(self) -> Path:
        return self.root / self.config.output_dir

    @property
    def locales_dir(self) -> Path:
        return self.root / self.config.locales_dir

    def article_path(self, lang: str, slug: str) -> Path:
        return self.source_dir / lang / f"{slug}.md"

    def template_path(self, slug: str) -> Path:
        return self.locales_dir / "templates" / f"{slug}.pot"

    def catalog_path(self, lang: str, slug: str) -> Path:
        return self.locales_dir / lang / "LC_MESSAGES" / f"{slug}.po"

    def addenda_path(self, lang: str, slug: str) -> Path:
        return self.locales_dir / lang / "addenda" / f"{slug}.json"

    @property
    def cache_dir(self) -> Path:
        """Local state (run records, memory index, MT results), never content."""
        return self.root / self.config.pretranslate.cache_dir

    @cached_property
    def _resolved_root(self) -> Path:
        return self.root.resolve()

    def display(self, path: Path) -> str:
        """A path as users see it: relative to the root when inside it."""
        # Paths built from the root need no resolving (called for every file).
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            pass
        try:
            return str(path.resolve().relative_to(self._resolved_root))
        except ValueError:
            return str(path)

    def has_article(self, slug: str, lang: str | None = None) -> bool:
        """Whether :meth:`slugs` would list ``slug``, without listing the folder."""
        return bool(SLUG.fullmatch(slug)) and self.article_path(lang or self.config.source_lang, slug).is_file()

    def slugs(self, lang: str | None = None) -> list[str]:
        """Slugs of the articles in the source language (or ``lang``)."""
        # Only <lang>/<slug>.md: the layout every command addresses articles by.
        folder = self.source_dir / (lang or self.config.source_lang)
        return [p.stem for p in fs.list_files(folder, (".md",), recursive=False)]

    def all_slugs(self) -> list[str]:
        """Slugs of every source article, for a command over all of them. None at all
        is an error, not an empty success: a wrong ``--root`` or ``source_dir``
        would otherwise pass a CI check and have ``run`` delete every built page."""
        slugs = self.slugs()
        if not slugs:
            folder = self.source_dir / self.config.source_lang
            raise InputError(
                "no source articles (<slug>.md) here",
                path=self.display(folder),
                hint="check --root and source_dir, or add articles with 'l10n import'",
            )
        return slugs


def read_article(
    path: Path,
    *,
    lang: str = "",
    display: str | None = None,
    text_keys: tuple[str, ...] = ("title", "description", "summary"),
    remember: bool = True,
) -> Article:
    """Read a Markdown or plain-text article, chosen by the file's suffix.

    ``remember`` False: parse without keeping the result in the cache (an article
    read once must not push out those that will be asked for again)."""
    shown = display or str(path)
    parse = _parse_article if remember else _parse_article.__wrapped__
    return parse(fs.read_text(path), path.suffix in MARKDOWN_SUFFIXES, shown, path.stem, lang, text_keys)


#: Characters of article text whose parses are kept (about 500 articles of 10 kB).
#: Bounded by size, not count: a count would let a site of large pages take
#: gigabytes (a parse takes about ten times its text).
ARTICLE_CACHE_CHARS = 5_000_000


@cached(LRUCache(maxsize=ARTICLE_CACHE_CHARS, getsizeof=lambda article: len(article.source) or 1))
def _parse_article(text: str, markdown: bool, shown: str, slug: str, lang: str, text_keys: tuple[str, ...]) -> Article:
    # Keyed by content: every stage of a run reads the same articles again, and an
    # Article is immutable, so one parse serves them all.
    if markdown:
        return parse_markdown(text, path=shown, slug=slug, lang=lang, text_keys=text_keys)
    from pipeline.read.plaintext import (
        parse_plain_text,  # imported only when a file needs it
    )

    return parse_plain_text(text, path=shown, slug=slug, lang=lang)


def source_text(project: Project, slug: str) -> str:
    """The text of an article in the source language, unparsed ("" when it has none)."""
    path = project.article_path(project.config.source_lang, slug)
    return fs.read_text(path) if path.is_file() else ""


def load_source_article(project: Project, lang: str, slug: str, *, remember: bool = True) -> Article:
    path = project.article_path(lang, slug)
    if not path.is_file():
        raise InputError(
            "no such article", path=project.display(path), hint=f"run 'l10n import' or check the slug {slug!r}"
        )
    return read_article(
        path, lang=lang, display=project.display(path), text_keys=project.config.text_keys, remember=remember
    )


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


def open_project(root: Path) -> Project:
    """The content folder at ``root`` with its configuration."""
    return Project(root=root, config=load_config(root))

def selected_slugs(project: Project, slugs: Sequence[str] | None) -> list[str]:
    if not slugs:
        return project.all_slugs()
    # Each named article is looked for, not the folder listed: a run asks for
    # thousands of articles a few dozen at a time.
    unknown = [s for s in slugs if not project.has_article(s)]
    if unknown:
        raise InputError(
            f"no source article {unknown[0]!r}",
            path=project.display(project.source_dir / project.config.source_lang),
            hint=f"articles: {', '.join(project.slugs()) or 'none'}",
        )
    return list(slugs)


def languages(project: Project, lang: str | None) -> list[str]:
    if lang:
        validate_language(lang, "--lang")
        if lang not in project.config.languages:
            raise InputError(
                f"{lang!r} is not a configured language",
                path=project.config.path,
                hint=f"add it to languages (now: {', '.join(project.config.languages) or 'none'})",
            )
        return [lang]
    return list(project.config.languages)
