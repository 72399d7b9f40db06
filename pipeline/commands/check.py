"""``l10n check`` over a project: each article's PO file read, its entries run
through the checks (:mod:`pipeline.check.checks`), never a file written. Many
articles are checked in the shared worker pool; the results are the same, in
the same order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import polib

from pipeline.align.langid import classifier_for, warm_up
from pipeline.catalog.entries import article_segments, segment_keys
from pipeline.check.checks import (
    CheckContext,
    Entry,
    Key,
    entries_with_kind,
    run_checks,
)
from pipeline.check.report import ArticleResult
from pipeline.commands.progress import Progress, no_progress
from pipeline.config import Tuning
from pipeline.errors import InputError, PipelineError
from pipeline.model import Finding, Severity
from pipeline.read.markdown import may_repeat_heading_ids, repeated_heading_ids
from pipeline.store.catalogs import load_addenda, read_catalog, template_says_keys
from pipeline.store.exchange import glossary_terms
from pipeline.store.project import (
    Project,
    languages,
    load_source_article,
    selected_slugs,
    source_text,
)


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


def check_article(
    project: Project, slug: str, lang: str, *, strict: bool = False, with_build: bool = False
) -> ArticleResult:
    """Statistics and findings of one article's PO file in ``lang``; ``with_build``:
    also build the article, to find the translations that would change its block
    structure (what the entry checks cannot see)."""
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
        glossary=glossary_terms(project, lang),
        source_path=project.display(project.article_path(project.config.source_lang, slug)),
        repeated_ids=_repeated_ids(project, slug),
    )
    findings = run_checks(context, levels)
    if with_build:
        findings = sorted(
            findings + _restructuring(project, slug, lang, entries, levels), key=lambda f: (f.line, f.check)
        )
    active = [e for e in entries if not e.obsolete]
    translated = sum(1 for e in active if e.msgstr.strip() and not e.fuzzy)
    fuzzy = sum(1 for e in active if e.msgstr.strip() and e.fuzzy)
    missing = sum(1 for e in active if not e.msgstr.strip())
    untranslated = sum(1 for f in findings if f.check == "untranslated")
    return ArticleResult(slug, lang, shown, len(active), translated, fuzzy, missing, untranslated, tuple(findings))


def _repeated_ids(project: Project, slug: str) -> tuple[tuple[str, int, int], ...]:
    """The source article's headings that repeat an explicit id; parsed only when
    a quick look at its text finds an id written twice."""
    try:
        if not may_repeat_heading_ids(source_text(project, slug)):
            return ()
        return repeated_heading_ids(load_source_article(project, project.config.source_lang, slug))
    except InputError:
        return ()  # an unreadable source is reported as stale or by the stage that reads it


def _source_keys(project: Project, slug: str) -> frozenset[Key]:
    article = load_source_article(project, project.config.source_lang, slug)
    return frozenset(segment_keys(article, placeholders=project.config.link_placeholders))


def _restructuring(
    project: Project, slug: str, lang: str, entries: Sequence[Entry], levels: Mapping[str, Severity]
) -> list[Finding]:
    """A ``structure`` finding at each entry whose translation the build sets
    aside because it would change the article's block structure."""
    # Imported here: the build (and the HTML renderer it loads) is needed only with
    # --build, and a plain check should not pay for its import.
    from pipeline.build.article import CHANGES_STRUCTURE
    from pipeline.commands.build import build_one

    try:
        built = build_one(project, slug, lang)
    except InputError:
        raise
    except PipelineError:
        return []  # the article cannot be built at all: `l10n build` says why
    if isinstance(built, str):
        return []  # stale: the stale check says so
    set_aside = {segment.block for segment, why in built.fallbacks if why == CHANGES_STRUCTURE}
    if not set_aside:
        return []
    article = load_source_article(project, project.config.source_lang, slug)
    keys = segment_keys(article, placeholders=project.config.link_placeholders)
    wanted = {key for segment, key in zip(article_segments(article), keys) if segment.block in set_aside}
    shown = project.display(project.catalog_path(lang, slug))
    return [
        Finding("structure", levels["structure"], shown, e.line, f"{CHANGES_STRUCTURE}; the build shows the source text", e.msgid)
        for e in entries
        if not e.obsolete and e.key in wanted
    ]


def check_project(
    project: Project,
    slugs: Sequence[str] | None = None,
    lang: str | None = None,
    *,
    strict: bool = False,
    progress: Progress = no_progress,
    jobs: int = 1,
    tuning: Tuning = Tuning(),
    with_build: bool = False,
) -> list[ArticleResult]:
    """Check every selected article in every language; never writes. With
    ``jobs`` > 1 and many articles, slices of them are checked in parallel
    processes; the results are the same, in the same order."""
    pairs = [(language, slug) for language in languages(project, lang) for slug in selected_slugs(project, slugs)]
    if jobs > 1 and len(pairs) >= tuning.min_parallel:
        # Imported here: multiprocessing is a cost of a parallel check only.
        from pipeline.commands.workers import cut, run_in_workers

        # Loaded once, before the workers fork, instead of once in each.
        warm_up(project.config.source_lang, languages(project, lang))
        # Contiguous slices: their answers joined are in the order of ``pairs``.
        parts = run_in_workers(_CheckPairs(project, strict, with_build), cut(pairs, jobs), tuning=tuning)
        return [unpack_result(packed) for part in parts for packed in part]
    results = []
    for language, slug in pairs:
        progress(f"{language}/{slug}")
        results.append(check_article(project, slug, language, strict=strict, with_build=with_build))
    return results


@dataclass(frozen=True)
class _CheckPairs:
    """What each worker of a parallel check does with its (language, slug) pairs."""

    project: Project
    strict: bool
    with_build: bool = False

    def __call__(self, pairs: list[tuple[str, str]], _barrier: object, _send: object) -> list[PackedResult]:
        return [
            pack_result(check_article(self.project, slug, language, strict=self.strict, with_build=self.with_build))
            for language, slug in pairs
        ]


#: A finding as plain values: (check, severity, file, line, message, msgid).
PackedFinding = tuple[str, Severity, str, int, str, str]
#: An :class:`ArticleResult` as plain values, its findings last.
PackedResult = tuple[str, str, str, int, int, int, int, int, tuple[PackedFinding, ...]]


def pack_result(result: ArticleResult) -> PackedResult:
    """``result`` as tuples of plain values, for a worker to send back: pickling
    the frozen dataclasses themselves (a ``__setstate__`` call per finding) cost
    the parent more than checking a tenth of the articles."""
    findings = tuple((f.check, f.severity, f.file, f.line, f.message, f.msgid) for f in result.findings)
    return (
        result.slug,
        result.lang,
        result.po,
        result.total,
        result.translated,
        result.fuzzy,
        result.missing,
        result.untranslated,
        findings,
    )


def unpack_result(packed: PackedResult) -> ArticleResult:
    """The :class:`ArticleResult` that :func:`pack_result` packed, equal to it."""
    slug, lang, po, total, translated, fuzzy, missing, untranslated, findings = packed
    return ArticleResult(
        slug, lang, po, total, translated, fuzzy, missing, untranslated, tuple(Finding(*f) for f in findings)
    )


