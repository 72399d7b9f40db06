"""l10n-pipeline: align legacy translations, maintain gettext PO files, check and
build localized articles.

The library's public face: pure functions over text and the model's frozen
dataclasses (they read and write no file), and the project-level entry points
the ``l10n`` command itself calls (they read and write the project's folders)::

    import pipeline

    en = pipeline.read_markdown(english_text, path="day-2.md")
    cs = pipeline.read_markdown(czech_text, path="day-2.cs.md")
    alignment = pipeline.align_articles(en, cs)         # beads, a confidence each
    pot = pipeline.extract_template(en)                 # a PO template, as text
    built = pipeline.build_localized(en, po_text, lang="cs")  # .markdown, .html

    project = pipeline.open_project(".")                # l10n.toml or [tool.l10n]
    summary = pipeline.run_project(project)             # what `l10n run` does
    results = pipeline.check_project(project)           # what `l10n check` finds

The stage folders (read, align, catalog, mt, check, build, report) hold the
pure core; ``store`` is the only one that touches the disk, ``commands`` holds
one function per command and ``cli`` the thin ``l10n`` command line.

Everything is imported on first use, so ``import pipeline`` stays cheap.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.version import __version__

if TYPE_CHECKING:
    from pipeline.align.compare import Comparison
    from pipeline.build.article import BuiltArticle
    from pipeline.check.report import ArticleResult
    from pipeline.commands.run import RunSummary
    from pipeline.model import Alignment, Article
    from pipeline.store.project import Project

__all__ = [
    "__version__",
    "align_articles",
    "build_localized",
    "check_project",
    "compare_articles",
    "extract_template",
    "open_project",
    "read_markdown",
    "read_plain_text",
    "run_project",
]


def read_markdown(text: str, *, path: str = "", slug: str = "", lang: str = "") -> Article:
    """An article from Markdown text (front matter, blocks with their spans).
    Raises :class:`pipeline.errors.InputError` naming ``path`` and the line."""
    from pipeline.read.markdown import parse_markdown

    return parse_markdown(text, path=path, slug=slug, lang=lang)


def read_plain_text(text: str, *, path: str = "", slug: str = "", lang: str = "") -> Article:
    """An article from plain text as scraped from a web page (paragraphs by blank
    lines or one per line, list items, headings inferred)."""
    from pipeline.read.plaintext import parse_plain_text

    return parse_plain_text(text, path=path, slug=slug, lang=lang)


def align_articles(source: Article, target: Article) -> Alignment:
    """Paragraph alignment of the bodies of ``source`` and its translation
    ``target``: 1-1, 1-0, 0-1, 2-1, 1-2 beads, each with a confidence."""
    from pipeline.align.aligner import align as align_segments
    from pipeline.model import body_segments

    return align_segments(body_segments(source), body_segments(target))


def compare_articles(source: Article, target: Article) -> Comparison:
    """The alignment with what is missing, extra and left untranslated."""
    from pipeline.align.compare import compare_articles as compare_aligned

    return compare_aligned(source, target)


def extract_template(
    article: Article, *, reference: str = "", lang: str = "", link_placeholders: bool | None = None
) -> str:
    """The PO template of ``article`` (or an empty catalog for ``lang``) as text,
    one entry per translatable segment, written as msgcat writes it; links as
    ``[text][1]`` unless ``link_placeholders`` is false (None: the default of
    ``[tool.l10n] link_placeholders``)."""
    from pipeline.catalog.entries import make_metadata, new_catalog, template_entries
    from pipeline.catalog.po_format import dump_po
    from pipeline.config import DEFAULT_LINK_PLACEHOLDERS

    if link_placeholders is None:
        link_placeholders = DEFAULT_LINK_PLACEHOLDERS

    entries = template_entries(article, reference or article.path, placeholders=link_placeholders)
    metadata = make_metadata(article.slug or reference or article.path, lang, pot_date="", revision_date="")
    return dump_po(new_catalog(entries, metadata))


def build_localized(
    article: Article,
    po_text: str,
    *,
    lang: str,
    include_fuzzy: bool = False,
    path: str = "",
    link_placeholders: bool | None = None,
) -> BuiltArticle:
    """The ``lang`` version of ``article`` from the text of its PO file: each
    usable translation spliced into the source text, the rest left in the source
    language (see :attr:`BuiltArticle.fallbacks`)."""
    from pipeline.build.article import Translation, build_article
    from pipeline.catalog.entries import segment_keys
    from pipeline.catalog.po_format import parse_po
    from pipeline.config import DEFAULT_LINK_PLACEHOLDERS

    if link_placeholders is None:
        link_placeholders = DEFAULT_LINK_PLACEHOLDERS

    po = parse_po(po_text, path or f"{article.slug or 'article'}.{lang}.po", remember=False)
    translations = {
        (e.msgctxt or "", e.msgid): Translation(e.msgstr, "fuzzy" in e.flags) for e in po if not e.obsolete
    }
    keys = segment_keys(article, placeholders=link_placeholders)
    return build_article(article, keys, translations, lang=lang, include_fuzzy=include_fuzzy)


def open_project(root: Path | str = ".") -> Project:
    """The project whose configuration (``l10n.toml`` or ``[tool.l10n]`` in
    pyproject.toml) is in ``root``."""
    from pipeline.store.project import open_project as open_at

    return open_at(Path(root))


def run_project(project: Project, **options: Any) -> RunSummary:
    """Every stage over every article, as ``l10n run`` (options: ``lang``, ``mt``,
    ``threshold``, ``jobs``, ``incremental``, ``tuning``)."""
    from pipeline.commands.run import run_all

    return run_all(project, **options)


def check_project(project: Project, **options: Any) -> list[ArticleResult]:
    """Statistics and findings of every PO file, as ``l10n check``; writes nothing."""
    from pipeline.commands.check import check_project as check_all

    return check_all(project, **options)
