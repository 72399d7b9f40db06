"""``l10n build`` over a project: each article's PO file spliced into its
source (:mod:`pipeline.build.article`) and written to output/<lang>/ as Markdown
and HTML when at or above the threshold, with the language's index. Each file is
written atomically and only when its bytes change; pages are put in place only
once every article is done, so an input error leaves every page as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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
from pipeline.commands.workers import deal, run_in_workers
from pipeline.config import Tuning
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
    jobs: int = 1,
    tuning: Tuning = Tuning(),
) -> BuildReport:
    """Build localized articles into output/<lang>/ and an index per language.

    The pages are staged as they are rendered and put in place at the end: an
    input error on any article (a broken PO or addenda file) leaves every page as
    it was. ``publish`` (default: the configuration's) leaves out the review
    markers. With ``jobs`` > 1 and many articles, worker processes build and
    render them and this process writes what they send: the same files and the
    same report, in the same order."""
    report = BuildReport()
    options = _Options(threshold, include_fuzzy, tuple(formats), publish)
    with fs.Batch() as batch:
        for language in languages(project, lang):
            folder = project.output_dir / language
            chosen = selected_slugs(project, slugs)
            if jobs > 1 and len(chosen) >= tuning.min_parallel:
                done: dict[str, _Made] = {}

                def take(made: _Made, language: str = language, folder: Path = folder) -> None:
                    progress(f"{language}/{made.slug}")
                    done[made.slug] = _stage(batch, folder, made)

                run_in_workers(_BuildSlice(project, language, options), deal(chosen, jobs), deliver=take, tuning=tuning)
                for slug in chosen:
                    _report(report, language, done[slug], options)
            else:
                for slug in chosen:
                    progress(f"{language}/{slug}")
                    _report(report, language, _stage(batch, folder, _make(project, slug, language, options)), options)
            index = folder / "index.html"
            if write_index and "html" in formats and may_write_index(index, slugs):
                listed = [entry for entry_lang, entry in report.listing if entry_lang == language]
                if listed:
                    report.record(index, write_build_index(project, language, listed, batch.write_text))
        batch.commit()
    return report


@dataclass(frozen=True)
class _Options:
    threshold: float
    include_fuzzy: bool
    formats: tuple[str, ...]
    publish: bool | None


@dataclass(frozen=True)
class _Made:
    """One article's build: why it failed or is stale, or the built article,
    whether it is written (at or above the threshold) and the files it writes,
    first as (path, text), then, staged, as (path, changed)."""

    slug: str
    failed: PipelineError | None = None
    stale: str = ""
    built: BuiltArticle | None = None
    written: bool = False
    files: tuple[tuple[Path, str], ...] = ()
    changed: tuple[tuple[Path, bool], ...] = ()


def _make(project: Project, slug: str, language: str, options: _Options) -> _Made:
    try:
        result = build_one(project, slug, language, include_fuzzy=options.include_fuzzy, publish=options.publish)
    except InputError:
        raise
    except PipelineError as exc:
        return _Made(slug, failed=exc)
    if isinstance(result, str):
        return _Made(slug, stale=result)
    if result.percent < options.threshold:
        return _Made(slug, built=result)
    # Rendered before anything is staged: should rendering fail, no new
    # Markdown stands beside an older HTML page.
    page = result.html if "html" in options.formats else ""
    folder = project.output_dir / language
    files = []
    if "md" in options.formats:
        files.append((folder / f"{slug}.md", result.output_markdown))
    if "html" in options.formats:
        files.append((folder / f"{slug}.html", page))
    return _Made(slug, built=result, written=True, files=tuple(files))


def _stage(batch: fs.Batch, folder: Path, made: _Made) -> _Made:
    """Stage ``made``'s files, or the removal of an older build of an article
    that is not written; ``made`` without its texts."""
    if not made.written:
        # An article that is not built must not leave an older build to be published.
        _remove_outputs(batch, folder, made.slug)
        return made
    changed = tuple((path, batch.write_text(path, text)) for path, text in made.files)
    return replace(made, files=(), changed=changed)


def _report(report: BuildReport, language: str, made: _Made, options: _Options) -> None:
    slug = made.slug
    if made.failed is not None:
        report.failed.append((language, slug, made.failed))
        report.listing.append((language, (slug, slug, 0.0, False)))
        return
    if made.built is None:
        report.stale.append((language, slug, made.stale))
        report.listing.append((language, (slug, slug, 0.0, False)))
        return
    result = made.built
    report.built.append(result)
    if not made.written:
        report.below_threshold.append((language, slug, result.percent))
        report.listing.append((language, (slug, result.title, result.percent, False)))
        return
    for path, changed in made.changed:
        report.record(path, changed)
    report.listing.append((language, (slug, result.title, result.percent, "html" in options.formats)))


@dataclass(frozen=True)
class _BuildSlice:
    """What each worker of a parallel build does with its articles: builds and
    renders each, and sends it (its texts for the parent to write)."""

    project: Project
    language: str
    options: _Options

    def __call__(self, slugs: list[str], _barrier: object, send: Callable[[_Made], None]) -> int:
        for slug in slugs:
            made = _make(self.project, slug, self.language, self.options)
            # Without the rendered page the article caches: the page goes as a file.
            send(made if made.built is None else replace(made, built=replace(made.built)))
        return len(slugs)


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


