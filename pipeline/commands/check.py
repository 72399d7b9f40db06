"""Project-level check and build: read source articles and PO files, run the pure
checks and the builder, and (for build) write output/<lang>/.

``check`` never writes. ``build`` writes only articles at or above the threshold
and the index, each atomically and only when its bytes change; ``build`` and
``report`` put their pages in place only once every article is done, so an input
error (a broken PO or addenda file) leaves every page as it was.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Sequence

import polib

from pipeline.store.catalogs import read_catalog
from pipeline.store.project import languages, selected_slugs
from pipeline.catalog.entries import segment_keys
from pipeline.store.catalogs import load_addenda, template_says_keys
from pipeline.check.report import ArticleResult
from pipeline.check.checks import (
    CheckContext,
    Entry,
    entries_with_kind,
    run_checks,
)
from pipeline.errors import InputError, ProblemsFound
from pipeline.align.langid import classifier_for
from pipeline.model import Finding
from pipeline.store.project import Project, load_source_article
from pipeline.commands.workers import die_with_parent

Progress = Callable[[str], None]
Key = tuple[str, str]


def _no_progress(_: str) -> None:
    return None


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




def check_article(project: Project, slug: str, lang: str, *, strict: bool = False) -> ArticleResult:
    """Statistics and findings of one article's PO file in ``lang``."""
    path = project.catalog_path(lang, slug)
    shown = project.display(path)
    levels = project.config.check.severities(strict=strict)
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
        keep=project.config.keep,
        classify=classifier_for(project.config.source_lang, lang),
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
        from pipeline.align.langid import warm_up

        # Loaded once, before the workers fork, instead of once in each.
        warm_up(project.config.source_lang, languages(project, lang))
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


