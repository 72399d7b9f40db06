"""Operations on a content folder (source/, locales/, output/): what the CLI calls.

Each public function does one command's work and returns what happened; it never
prints. Files are read and written only through :mod:`pipeline.fs`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from cachetools import LRUCache, cached

from . import fs
from .compare import Comparison, compare_articles
from .config import Config, validate_language
from .errors import InputError
from .importer import import_text
from .markdown_reader import parse_markdown
from .model import Article
from .plaintext import parse_plain_text

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


@dataclass
class Outcome:
    """Files a command wrote (changed) and left as they were (unchanged)."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    def record(self, path: Path, changed: bool) -> None:
        (self.written if changed else self.unchanged).append(path)


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
    return parse_plain_text(text, path=shown, slug=slug, lang=lang)


def load_source_article(project: Project, lang: str, slug: str, *, remember: bool = True) -> Article:
    path = project.article_path(lang, slug)
    if not path.is_file():
        raise InputError(
            "no such article", path=project.display(path), hint=f"run 'l10n import' or check the slug {slug!r}"
        )
    return read_article(
        path, lang=lang, display=project.display(path), text_keys=project.config.text_keys, remember=remember
    )


def import_article(
    project: Project,
    file: Path,
    *,
    lang: str,
    slug: str | None = None,
    title: str | None = None,
    date: dt.date | None = None,
    force: bool = False,
) -> tuple[Path, bool]:
    """Import a scraped text file as ``source/<lang>/<slug>.md``; (path, changed)."""
    validate_language(lang, "--lang")
    if slug is not None and not SLUG.fullmatch(slug):
        raise InputError(f"invalid slug {slug!r}", path="--slug", hint="use letters, digits, '.', '_' and '-' only")
    text = fs.read_text(file)
    imported = import_text(
        text, lang=lang, options=project.config.importing, path=str(file), slug=slug, title=title, date=date
    )
    target = project.article_path(lang, imported.slug)
    if target.exists() and not force:
        existing = fs.read_text(target, allow_empty=True)
        if existing != imported.markdown:
            raise InputError(
                "the article exists and differs from this import",
                path=project.display(target),
                hint="pass --force to overwrite it",
            )
    return target, fs.write_text(target, imported.markdown)


def compare_files(source: Path, target: Path, *, source_lang: str, target_lang: str) -> Comparison:
    """Read two articles (Markdown or plain text) and compare them."""
    source_article = read_article(source, lang="")
    target_article = read_article(target, lang="")
    return compare_articles(
        _with_lang(source_article, source_lang), _with_lang(target_article, target_lang)
    )


def _with_lang(article: Article, fallback: str) -> Article:
    return article if article.lang else replace(article, lang=fallback)


def write_report(path: Path, text: str) -> bool:
    """Write a report file atomically (unchanged content is not rewritten)."""
    return fs.write_text(path, text)
