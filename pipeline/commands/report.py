"""``l10n report`` over a project: one review page per article and language
(each source segment beside its PO entry, coloured by the state the build and
the checks give it) and an index with a completeness chart. Pages are put in
place only once every article is done, so an input error (a broken PO or
addenda file) leaves every page as it was.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from pipeline.build.article import (
    CHANGES_STRUCTURE,
    BuiltArticle,
    Translation,
    segment_state,
)
from pipeline.catalog.entries import (
    article_body_segments,
    article_segments,
    segment_keys,
)
from pipeline.check.checks import Key
from pipeline.check.report import ArticleResult
from pipeline.commands.build import Write, may_write_index
from pipeline.commands.catalogs import Kept, legacy_confidences, made_confidences
from pipeline.commands.check import check_article
from pipeline.commands.progress import Progress, no_progress
from pipeline.model import ReviewState, SegmentState
from pipeline.read.inline import link_references
from pipeline.report.review import (
    LOW_CONFIDENCE,
    ReviewPage,
    ReviewRow,
    ReviewSummary,
    render_review_index,
    render_review_page,
)
from pipeline.store import fs
from pipeline.store.catalogs import load_addenda, read_catalog
from pipeline.store.project import (
    Project,
    languages,
    load_source_article,
    selected_slugs,
)
from pipeline.store.run_cache import (
    KeptConfidences,
    alignment_pair,
    config_bytes,
    keep_alignments,
)


def review_article(
    project: Project,
    slug: str,
    lang: str,
    result: ArticleResult | None = None,
    restructured: frozenset[int] = frozenset(),
    kept: Kept | None = None,
) -> ReviewPage:
    """Rows of the review page: each source segment with its PO entry, the legacy
    alignment's confidence where there is a legacy translation, and target-only
    content after its anchor. ``restructured``: the blocks whose translation the
    build set aside for changing the article's structure (known after a build).
    ``kept``: confidences an earlier command kept (see :func:`legacy_confidences`)."""
    article = load_source_article(project, project.config.source_lang, slug)
    segs = article_segments(article)
    keys = segment_keys(article, placeholders=project.config.link_placeholders)
    path = project.catalog_path(lang, slug)
    po = read_catalog(project, path)
    entries = {(e.msgctxt or "", e.msgid): e for e in po if not e.obsolete} if po is not None else {}
    result = result or check_article(project, slug, lang)
    flagged = {(f.line, f.check) for f in result.findings}
    confidence: dict[int, float] = {}
    legacy = project.article_path(lang, slug)
    if legacy.is_file():
        offset = len(segs) - len(article_body_segments(article))
        for i, value in enumerate(legacy_confidences(project, lang, slug, article, kept)):
            confidence[i + offset] = value
    addenda: dict[Key, list[str]] = {}
    kinds: dict[Key, list[str]] = {}
    for addendum in load_addenda(project, lang, slug):
        anchor = (addendum.after_msgctxt, addendum.after_msgid)
        addenda.setdefault(anchor, []).append(addendum.text)
        kinds.setdefault(anchor, []).append(addendum.kind)
    rows: list[ReviewRow] = []
    references = link_references(article.source)

    def extras(anchor: Key) -> None:
        for text, kind in zip(addenda.get(anchor, []), kinds.get(anchor, [])):
            rows.append(ReviewRow(ReviewState.EXTRA, kind, "", 0, text, note="only in the legacy translation; kept as an addendum"))

    extras(("", ""))
    for index, (segment, key) in enumerate(zip(segs, keys)):
        entry = entries.get(key)
        line = int(getattr(entry, "linenum", 0) or 0) if entry is not None else None
        msgstr = entry.msgstr if entry is not None else ""
        conf = confidence.get(index)
        note = ""
        usable, reason = segment_state(
            Translation(msgstr, "fuzzy" in entry.flags) if entry is not None else None,
            segment.text,
            kind=segment.kind.value,
            msgid=key[1],
            references=references,
        )
        if usable is SegmentState.USABLE and segment.block in restructured:
            usable, reason = SegmentState.BROKEN, CHANGES_STRUCTURE
        state: ReviewState
        if entry is None:
            state, note = ReviewState.MISSING, "not in the PO file: run `l10n update`"
        elif usable is SegmentState.MISSING:
            state = ReviewState.MISSING
        elif usable is SegmentState.FUZZY:
            state = ReviewState.FUZZY
            note = (entry.comment or "").split("\n")[-1] if "\n" in (entry.comment or "") else ""
        elif usable is SegmentState.BROKEN:
            # What the build shows in English: the page must not call it translated.
            state, note = ReviewState.BROKEN, f"{reason}: the built article shows the source text"
        elif (line, "untranslated") in flagged or (line, "partial") in flagged:
            state = ReviewState.UNTRANSLATED
        elif conf is not None and conf < LOW_CONFIDENCE:
            state = ReviewState.LOW
        else:
            state = ReviewState.OK
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
    progress: Progress = no_progress,
    write_index: bool = True,
    results: Sequence[ArticleResult] = (),
    built: Sequence[BuiltArticle] = (),
    keep: bool = True,
) -> list[tuple[str, list[ReviewSummary], list[Path], list[Path]]]:
    """Write output/reports/<lang>/<slug>.html and index.html; per language:
    (lang, page summaries, written, unchanged). As :func:`build_project`, the pages
    are put in place only once every article's page is made. ``built``: the
    articles just built, whose set-aside translations the pages then show so.

    ``keep``: read the confidences of legacy alignments that `l10n run`, `l10n
    align` or an earlier report kept in the run cache for the same pairs (a
    report would otherwise align every legacy pair again), and keep those it had
    to make. A run's phase two, whose workers aligned their pairs themselves,
    does neither."""
    if not keep:
        return _report_project(project, slugs, lang, progress, write_index, results, built, None)
    config = config_bytes(project)
    with KeptConfidences(project) as stored:

        def kept(language: str, slug: str, pair: bytes) -> tuple[float, ...] | None:
            return stored.get(language, slug, alignment_pair(pair, config))

        done = _report_project(project, slugs, lang, progress, write_index, results, built, kept)
    keep_alignments(project, made_confidences(project), config)
    return done


def _report_project(
    project: Project,
    slugs: Sequence[str] | None,
    lang: str | None,
    progress: Progress,
    write_index: bool,
    results: Sequence[ArticleResult],
    built: Sequence[BuiltArticle],
    kept: Kept | None,
) -> list[tuple[str, list[ReviewSummary], list[Path], list[Path]]]:
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
                restructured = frozenset(
                    segment.block
                    for article in built
                    if article.slug == slug and article.lang == language
                    for segment, why in article.fallbacks
                    if why == CHANGES_STRUCTURE
                )
                page = review_article(project, slug, language, known, restructured, kept)
                summaries.append(ReviewSummary.of(page))
                target = folder / f"{slug}.html"
                (written if batch.write_text(target, render_review_page(page)) else unchanged).append(target)
            index = folder / "index.html"
            if write_index and may_write_index(index, slugs):
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


