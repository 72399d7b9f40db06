"""``l10n build`` over a project: each article's PO file spliced into its
source (:mod:`pipeline.build.article`) and written to output/<lang>/ as Markdown
and HTML when at or above the threshold, with the language's index. Each file is
written atomically and only when its bytes change; pages are put in place only
once every article is done, so an input error leaves every page as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from pipeline.build.article import (
    CHANGES_STRUCTURE,
    BuiltArticle,
    Listing,
    Translation,
    build_article,
    render_index,
)
from pipeline.build.article import Addendum as BuildAddendum
from pipeline.catalog.entries import segment_keys
from pipeline.commands.progress import Progress, no_progress
from pipeline.errors import InputError, PipelineError
from pipeline.store import fs
from pipeline.store.catalogs import load_addenda, read_catalog
from pipeline.store.project import (
    Project,
    languages,
    load_source_article,
    selected_slugs,
)


@dataclass
class BuildReport:
    """What a build wrote, skipped and why."""

    built: list[BuiltArticle] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    #: (lang, slug, percent) of articles below the threshold, not written.
    below_threshold: list[tuple[str, str, float]] = field(default_factory=list)
    #: (lang, slug, message) of articles whose PO does not match the source.
    stale: list[tuple[str, str, str]] = field(default_factory=list)
    #: (lang, slug, error) of articles whose build failed.
    failed: list[tuple[str, str, PipelineError]] = field(default_factory=list)
    #: (lang, index entry) of every article tried, for the index page.
    listing: list[tuple[str, tuple[str, str, float, bool]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.below_threshold or self.stale or self.failed)

    def record(self, path: Path, changed: bool) -> None:
        (self.written if changed else self.unchanged).append(path)


def build_one(
    project: Project, slug: str, lang: str, *, include_fuzzy: bool = False, publish: bool | None = None
) -> BuiltArticle | str:
    """The built article, or a message saying why its PO is stale."""
    article = load_source_article(project, project.config.source_lang, slug)
    keys = segment_keys(article, placeholders=project.config.link_placeholders)
    path = project.catalog_path(lang, slug)
    po = read_catalog(project, path)
    if po is None:
        return f"no PO file {project.display(path)}; run `l10n update`"
    translations = {
        (e.msgctxt or "", e.msgid): Translation(e.msgstr, "fuzzy" in e.flags) for e in po if not e.obsolete
    }
    absent = [k for k in keys if k not in translations]
    if absent:
        return f"{project.display(path)} is stale ({len(absent)} source segment(s) not in it); run `l10n update`"
    addenda = [
        BuildAddendum(after=(a.after_msgctxt, a.after_msgid), kind=a.kind, text=a.text)
        for a in load_addenda(project, lang, slug)
    ]
    return build_article(
        article,
        keys,
        translations,
        lang=lang,
        addenda=addenda,
        include_fuzzy=include_fuzzy,
        publish=project.config.publish if publish is None else publish,
    )




def build_project(
    project: Project,
    slugs: Sequence[str] | None = None,
    lang: str | None = None,
    *,
    threshold: float = 80.0,
    include_fuzzy: bool = False,
    formats: Sequence[str] = ("md", "html"),
    progress: Progress = no_progress,
    write_index: bool = True,
    publish: bool | None = None,
) -> BuildReport:
    """Build localized articles into output/<lang>/ and an index per language.

    The pages are staged as they are rendered and put in place at the end: an
    input error on any article (a broken PO or addenda file) leaves every page as
    it was. ``publish`` (default: the configuration's) leaves out the review
    markers."""
    report = BuildReport()
    with fs.Batch() as batch:
        for language in languages(project, lang):
            folder = project.output_dir / language
            for slug in selected_slugs(project, slugs):
                progress(f"{language}/{slug}")
                try:
                    result = build_one(project, slug, language, include_fuzzy=include_fuzzy, publish=publish)
                except InputError:
                    raise
                except PipelineError as exc:
                    report.failed.append((language, slug, exc))
                    report.listing.append((language, (slug, slug, 0.0, False)))
                    _remove_outputs(batch, folder, slug)
                    continue
                if isinstance(result, str):
                    report.stale.append((language, slug, result))
                    report.listing.append((language, (slug, slug, 0.0, False)))
                    _remove_outputs(batch, folder, slug)
                    continue
                report.built.append(result)
                if result.percent < threshold:
                    report.below_threshold.append((language, slug, result.percent))
                    report.listing.append((language, (slug, result.title, result.percent, False)))
                    _remove_outputs(batch, folder, slug)
                    continue
                # Rendered before anything is staged: should rendering fail, no new
                # Markdown stands beside an older HTML page.
                page = result.html if "html" in formats else ""
                if "md" in formats:
                    target = folder / f"{slug}.md"
                    report.record(target, batch.write_text(target, result.output_markdown))
                if "html" in formats:
                    target = folder / f"{slug}.html"
                    report.record(target, batch.write_text(target, page))
                report.listing.append((language, (slug, result.title, result.percent, "html" in formats)))
            index = folder / "index.html"
            if write_index and "html" in formats and may_write_index(index, slugs):
                listed = [entry for entry_lang, entry in report.listing if entry_lang == language]
                if listed:
                    report.record(index, write_build_index(project, language, listed, batch.write_text))
        batch.commit()
    return report


def structure_fallbacks(report: BuildReport) -> list[str]:
    """One line per segment the build showed in the source language because its
    translation would change the article's block structure (what `l10n run`
    says; `l10n build` lists every fallback itself)."""
    return [
        f"warning: {built.lang}/{built.slug}: {built.path}:{segment.line}: {why}; the article shows the source text"
        for built in report.built
        for segment, why in built.fallbacks
        if why == CHANGES_STRUCTURE
    ]


def may_write_index(index: Path, slugs: Sequence[str] | None) -> bool:
    """An index lists every article: written from some of them, it would drop the
    rest. So some articles only write it when there is none yet."""
    return not slugs or not index.exists()


def _remove_outputs(batch: fs.Batch, folder: Path, slug: str) -> None:
    """An article that is not built must not leave an older build to be published."""
    for suffix in (".md", ".html"):
        batch.remove(folder / f"{slug}{suffix}")


#: Writes a file (:func:`pipeline.store.fs.write_text` or a batch's), saying whether it changed.
Write = Callable[[Path, str], bool]


def write_build_index(project: Project, lang: str, listed: Sequence[Listing], write: Write = fs.write_text) -> bool:
    """output/<lang>/index.html listing every article with its completeness."""
    index = project.output_dir / lang / "index.html"
    return write(index, render_index(sorted(listed), lang))


