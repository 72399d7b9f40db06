"""Project-level check and build: read source articles and PO files, run the pure
checks and the builder, and (for build) write output/<lang>/.

``check`` never writes. ``build`` writes only articles at or above the threshold
and the index, each atomically and only when its bytes change; ``build`` and
``report`` put their pages in place only once every article is done, so an input
error (a broken PO or addenda file) leaves every page as it was.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import polib

from . import fs
from .build import Addendum as BuildAddendum
from .build import BuiltArticle, Translation, broken_markup, build_article, render_index
from .catalog import segment_keys
from .catalog_ops import catalog_path, catalog_text, legacy_confidences, load_addenda, template_says_keys
from .check_report import ArticleResult
from .checks import (
    CheckContext,
    Entry,
    KeepList,
    entries_with_kind,
    run_checks,
    severities,
)
from .config import validate_language
from .errors import InputError, PipelineError, ProblemsFound
from .langid import classify_target
from .model import Finding, Severity, body_segments, segments
from .po_format import parse_po
from .project import Project, load_source_article
from .review import (
    LOW_CONFIDENCE,
    ReviewPage,
    ReviewRow,
    ReviewSummary,
    render_review_index,
    render_review_page,
)
from .workers import die_with_parent

Progress = Callable[[str], None]
Key = tuple[str, str]


def _no_progress(_: str) -> None:
    return None


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


def _entries(po: polib.POFile) -> tuple[Entry, ...]:
    raw = []
    for entry in list(po) + list(po.obsolete_entries()):
        if not entry.msgid:
            continue
        raw.append(
            (
                entry.msgid,
                entry.msgstr,
                entry.msgctxt or "",
                "fuzzy" in entry.flags,
                bool(entry.obsolete),
                int(getattr(entry, "linenum", 0) or 0),
                entry.comment or "",
            )
        )
    return entries_with_kind(raw)


def keep_list(project: Project) -> KeepList:
    table = project.config.extra.get("keep", {})
    terms = frozenset(str(t) for t in table.get("terms", []))
    try:
        patterns = tuple(re.compile(str(p)) for p in table.get("patterns", []))
    except re.error as exc:
        raise InputError(f"invalid [tool.l10n.keep] pattern: {exc}", path=project.config.path) from None
    return KeepList(
        terms=terms,
        patterns=patterns,
        headings=bool(table.get("headings", True)),
        quotations=bool(table.get("quotations", True)),
    )


def read_catalog(project: Project, path: Path) -> polib.POFile | None:
    """The parsed PO file for reading only (check, build, report never change it):
    the parse cache's own object, which nobody may change."""
    if not path.exists():
        return None
    return parse_po(catalog_text(project, path), project.display(path), shared=True)


def check_article(project: Project, slug: str, lang: str, *, strict: bool = False) -> ArticleResult:
    """Statistics and findings of one article's PO file in ``lang``."""
    path = catalog_path(project, lang, slug)
    shown = project.display(path)
    levels = severities(project.config.extra.get("check", {}), strict=strict, where=project.config.path)
    if not path.exists():
        count = len(_source_keys(project, slug))
        finding = Finding("stale", levels["stale"], shown, 1, "no PO file for this article; run `l10n update`")
        return ArticleResult(slug, lang, shown, count, 0, 0, count, 0, (finding,))
    try:
        po = read_catalog(project, path)
    except InputError as exc:
        count = len(_source_keys(project, slug))
        finding = Finding("syntax", levels["syntax"], shown, exc.line or 1, exc.message)
        return ArticleResult(slug, lang, shown, count, 0, 0, 0, 0, (finding,))
    assert po is not None
    entries = _entries(po)
    live = frozenset(e.key for e in entries if not e.obsolete)
    # The template records which keys its source had: when the source is unchanged
    # and the PO has exactly those keys, the source need not be parsed.
    expected = live if template_says_keys(project, slug, live) else _source_keys(project, slug)
    anchors = tuple(
        ((a.after_msgctxt, a.after_msgid), 1) for a in load_addenda(project, lang, slug) if a.after_msgid
    )
    context = CheckContext(
        path=shown,
        lang=lang,
        source_lang=project.config.source_lang,
        entries=entries,
        expected=expected,
        addenda_anchors=anchors,
        keep=keep_list(project),
        classify=classify_target,
    )
    findings = run_checks(context, levels)
    active = [e for e in entries if not e.obsolete]
    translated = sum(1 for e in active if e.msgstr.strip() and not e.fuzzy)
    fuzzy = sum(1 for e in active if e.msgstr.strip() and e.fuzzy)
    missing = sum(1 for e in active if not e.msgstr.strip())
    untranslated = sum(1 for f in findings if f.check == "untranslated")
    return ArticleResult(slug, lang, shown, len(active), translated, fuzzy, missing, untranslated, tuple(findings))


def _source_keys(project: Project, slug: str) -> frozenset[Key]:
    return frozenset(segment_keys(load_source_article(project, project.config.source_lang, slug)))


def check_project(
    project: Project,
    slugs: Sequence[str] | None = None,
    lang: str | None = None,
    *,
    strict: bool = False,
    progress: Progress = _no_progress,
    jobs: int = 1,
) -> list[ArticleResult]:
    """Check every selected article in every language; never writes. With
    ``jobs`` > 1 and many articles, slices of them are checked in parallel
    processes; the results are the same, in the same order."""
    pairs = [(language, slug) for language in languages(project, lang) for slug in selected_slugs(project, slugs)]
    if jobs > 1 and len(pairs) >= PARALLEL_CHECK_MIN:
        from .langid import warm_up

        warm_up()  # loaded once, before the workers fork, instead of once in each
        size = -(-len(pairs) // jobs)
        slices = [pairs[i : i + size] for i in range(0, len(pairs), size)]
        # An executor, not a Pool: a worker that dies breaks it with an error
        # instead of leaving the command waiting for ever.
        context = multiprocessing.get_context("fork")
        try:
            with ProcessPoolExecutor(len(slices), mp_context=context, initializer=die_with_parent) as pool:
                parts = list(pool.map(_check_pairs, [project] * len(slices), slices, [strict] * len(slices)))
        except BrokenProcessPool:
            raise ProblemsFound("a worker process ended unexpectedly", hint="run again, or with --jobs 1") from None
        return [result for part in parts for result in part]
    results = []
    for language, slug in pairs:
        progress(f"{language}/{slug}")
        results.append(check_article(project, slug, language, strict=strict))
    return results


#: Fewer articles than this are checked in one process (forking costs more).
PARALLEL_CHECK_MIN = 64


def _check_pairs(project: Project, pairs: Sequence[tuple[str, str]], strict: bool) -> list[ArticleResult]:
    return [check_article(project, slug, language, strict=strict) for language, slug in pairs]


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


def build_one(project: Project, slug: str, lang: str, *, include_fuzzy: bool = False) -> BuiltArticle | str:
    """The built article, or a message saying why its PO is stale."""
    article = load_source_article(project, project.config.source_lang, slug)
    keys = segment_keys(article)
    path = catalog_path(project, lang, slug)
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
    return build_article(article, keys, translations, lang=lang, addenda=addenda, include_fuzzy=include_fuzzy)


#: What the index lists of an article: (slug, title, percent, written).
Listing = tuple[str, str, float, bool]


def build_project(
    project: Project,
    slugs: Sequence[str] | None = None,
    lang: str | None = None,
    *,
    threshold: float = 80.0,
    include_fuzzy: bool = False,
    formats: Sequence[str] = ("md", "html"),
    progress: Progress = _no_progress,
    write_index: bool = True,
) -> BuildReport:
    """Build localized articles into output/<lang>/ and an index per language.

    The pages are staged as they are rendered and put in place at the end: an
    input error on any article (a broken PO or addenda file) leaves every page as
    it was."""
    report = BuildReport()
    with fs.Batch() as batch:
        for language in languages(project, lang):
            folder = project.output_dir / language
            for slug in selected_slugs(project, slugs):
                progress(f"{language}/{slug}")
                try:
                    result = build_one(project, slug, language, include_fuzzy=include_fuzzy)
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
                    report.record(target, batch.write_text(target, result.markdown))
                if "html" in formats:
                    target = folder / f"{slug}.html"
                    report.record(target, batch.write_text(target, page))
                report.listing.append((language, (slug, result.title, result.percent, "html" in formats)))
            index = folder / "index.html"
            if write_index and "html" in formats and _may_write_index(index, slugs):
                listed = [entry for entry_lang, entry in report.listing if entry_lang == language]
                if listed:
                    report.record(index, write_build_index(project, language, listed, batch.write_text))
        batch.commit()
    return report


def _may_write_index(index: Path, slugs: Sequence[str] | None) -> bool:
    """An index lists every article: written from some of them, it would drop the
    rest. So some articles only write it when there is none yet."""
    return not slugs or not index.exists()


def _remove_outputs(batch: fs.Batch, folder: Path, slug: str) -> None:
    """An article that is not built must not leave an older build to be published."""
    for suffix in (".md", ".html"):
        batch.remove(folder / f"{slug}{suffix}")


#: Writes a file (:func:`pipeline.fs.write_text` or a batch's), saying whether it changed.
Write = Callable[[Path, str], bool]


def write_build_index(project: Project, lang: str, listed: Sequence[Listing], write: Write = fs.write_text) -> bool:
    """output/<lang>/index.html listing every article with its completeness."""
    index = project.output_dir / lang / "index.html"
    return write(index, render_index(sorted(listed), lang))


def review_article(project: Project, slug: str, lang: str, result: ArticleResult | None = None) -> ReviewPage:
    """Rows of the review page: each source segment with its PO entry, the legacy
    alignment's confidence where there is a legacy translation, and target-only
    content after its anchor."""
    article = load_source_article(project, project.config.source_lang, slug)
    segs = segments(article)
    keys = segment_keys(article)
    path = catalog_path(project, lang, slug)
    po = read_catalog(project, path)
    entries = {(e.msgctxt or "", e.msgid): e for e in po if not e.obsolete} if po is not None else {}
    result = result or check_article(project, slug, lang)
    flagged = {(f.line, f.check) for f in result.findings}
    confidence: dict[int, float] = {}
    legacy = project.article_path(lang, slug)
    if legacy.is_file():
        offset = len(segs) - len(body_segments(article))
        for i, value in enumerate(legacy_confidences(project, lang, slug, article)):
            confidence[i + offset] = value
    addenda: dict[Key, list[str]] = {}
    kinds: dict[Key, list[str]] = {}
    for addendum in load_addenda(project, lang, slug):
        anchor = (addendum.after_msgctxt, addendum.after_msgid)
        addenda.setdefault(anchor, []).append(addendum.text)
        kinds.setdefault(anchor, []).append(addendum.kind)
    rows: list[ReviewRow] = []

    def extras(anchor: Key) -> None:
        for text, kind in zip(addenda.get(anchor, []), kinds.get(anchor, [])):
            rows.append(ReviewRow("extra", kind, "", 0, text, note="only in the legacy translation; kept as an addendum"))

    extras(("", ""))
    for index, (segment, key) in enumerate(zip(segs, keys)):
        entry = entries.get(key)
        line = int(getattr(entry, "linenum", 0) or 0) if entry is not None else None
        msgstr = entry.msgstr if entry is not None else ""
        conf = confidence.get(index)
        note = ""
        if entry is None:
            state, note = "missing", "not in the PO file: run `l10n update`"
        elif not msgstr.strip():
            state = "missing"
        elif "fuzzy" in entry.flags:
            state = "fuzzy"
            note = (entry.comment or "").split("\n")[-1] if "\n" in (entry.comment or "") else ""
        elif unusable := broken_markup(msgstr, segment.text):
            # What the build shows in English: the page must not call it translated.
            state, note = "broken", f"{unusable}: the built article shows the source text"
        elif (line, "untranslated") in flagged or (line, "partial") in flagged:
            state = "untranslated"
        elif conf is not None and conf < LOW_CONFIDENCE:
            state = "low"
        else:
            state = "ok"
        rows.append(ReviewRow(state, segment.kind.value, segment.text, segment.line, msgstr, conf, line, note))
        extras(key)
    report_dir = project.output_dir / "reports" / lang
    po_href = os.path.relpath(path, report_dir)
    return ReviewPage(
        slug=slug,
        lang=lang,
        source_lang=project.config.source_lang,
        title=article.title,
        source_path=article.path,
        po_path=project.display(path),
        po_href=po_href,
        rows=tuple(rows),
    )


def report_project(
    project: Project,
    slugs: Sequence[str] | None = None,
    lang: str | None = None,
    *,
    progress: Progress = _no_progress,
    write_index: bool = True,
    results: Sequence[ArticleResult] = (),
) -> list[tuple[str, list[ReviewSummary], list[Path], list[Path]]]:
    """Write output/reports/<lang>/<slug>.html and index.html; per language:
    (lang, page summaries, written, unchanged). As :func:`build_project`, the pages
    are put in place only once every article's page is made."""
    done = []
    with fs.Batch() as batch:
        for language in languages(project, lang):
            folder = project.output_dir / "reports" / language
            summaries = []
            written: list[Path] = []
            unchanged: list[Path] = []
            for slug in selected_slugs(project, slugs):
                progress(f"{language}/{slug}")
                known = next((r for r in results if r.slug == slug and r.lang == language), None)
                page = review_article(project, slug, language, known)
                summaries.append(ReviewSummary.of(page))
                target = folder / f"{slug}.html"
                (written if batch.write_text(target, render_review_page(page)) else unchanged).append(target)
            index = folder / "index.html"
            if write_index and _may_write_index(index, slugs):
                changed = write_review_index(project, language, summaries, batch.write_text)
                (written if changed else unchanged).append(index)
            done.append((language, summaries, written, unchanged))
        batch.commit()
    return done


def write_review_index(
    project: Project, lang: str, summaries: Sequence[ReviewSummary], write: Write = fs.write_text
) -> bool:
    index = project.output_dir / "reports" / lang / "index.html"
    return write(index, render_review_index(sorted(summaries, key=lambda s: s.slug), lang))


__all__ = [
    "BuildReport",
    "build_project",
    "check_project",
    "check_article",
    "Severity",
]
