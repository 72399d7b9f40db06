"""Commands on single files: import a scraped article, compare any two files."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Sequence

from pipeline.align.compare import Comparison, compare_articles
from pipeline.align.langid import detect_language
from pipeline.config import DEFAULT_FINDING_THRESHOLD, validate_language
from pipeline.errors import InputError
from pipeline.model import Article, body_segments
from pipeline.store import fs
from pipeline.store.project import SLUG, Project, read_article


def import_article(
    project: Project,
    file: Path,
    *,
    lang: str,
    slug: str | None = None,
    title: str | None = None,
    date: dt.date | None = None,
    force: bool = False,
) -> tuple[Path, bool, tuple[str, ...]]:
    """Import a scraped text file as ``source/<lang>/<slug>.md``; (path, changed,
    warnings)."""
    from pipeline.read.importer import (
        import_text,  # here: `l10n compare` does not need it
    )

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
    return target, fs.write_text(target, imported.markdown), imported.warnings


def compare_files(
    source: Path,
    target: Path,
    *,
    source_lang: str,
    target_lang: str,
    target_candidates: Sequence[str] = (),
    threshold: float = DEFAULT_FINDING_THRESHOLD,
) -> Comparison:
    """Read two articles (Markdown or plain text) and compare them. A side whose
    front matter does not name its language is in ``source_lang`` or ``target_lang``;
    with several ``target_candidates`` (the configured languages, when none was
    given), the target is first taken to be in the one its text is detected in:
    language ID between English and the wrong target language would read German
    "was", "will", "also" as English."""
    source_article = read_article(source, lang="")
    target_article = read_article(target, lang="")
    if not target_article.lang and len(target_candidates) > 1:
        text = " ".join(segment.text for segment in body_segments(target_article))
        target_lang = detect_language(text, target_candidates) or target_lang
    return compare_articles(
        _with_lang(source_article, source_lang), _with_lang(target_article, target_lang), threshold=threshold
    )


def _with_lang(article: Article, fallback: str) -> Article:
    return article if article.lang else replace(article, lang=fallback)


def write_report(path: Path, text: str) -> bool:
    """Write a report file atomically (unchanged content is not rewritten)."""
    return fs.write_text(path, text)
