"""Compare an article with its translation: alignment plus what is missing, extra
or still in the source language, as data, JSON, text and HTML.

Front-matter text fields are paired by key; the body is aligned by
:func:`pipeline.align.aligner.align`. Segment indices in the report refer to body segments.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipeline.align.aligner import align
from pipeline.align.langid import classify_target
from pipeline.check.report import console_text
from pipeline.config import DEFAULT_FINDING_THRESHOLD
from pipeline.model import Alignment, Article, ReviewState, Segment, body_segments

#: Below this confidence a pair is shown as uncertain.
LOW_CONFIDENCE = 0.5

@dataclass(frozen=True)
class Comparison:
    """The alignment of two articles and the state of every target segment."""

    source: Article
    target: Article
    alignment: Alignment
    #: For each target segment: translated, kept, untranslated, partial or extra.
    states: tuple[str, ...]
    threshold: float = DEFAULT_FINDING_THRESHOLD

    def _findings(self, source_side: bool) -> dict[int, float]:
        alignment = self.alignment
        indices = set(alignment.missing if source_side else alignment.extra)
        return {
            i: bead.finding
            for bead in alignment.beads
            for i in (bead.source if source_side else bead.target)
            if i in indices
        }

    @property
    def missing_confidence(self) -> dict[int, float]:
        """Every source segment without a counterpart, with the finding's confidence."""
        return self._findings(True)

    @property
    def extra_confidence(self) -> dict[int, float]:
        """Every target segment without a counterpart, with the finding's confidence."""
        return self._findings(False)

    @property
    def missing(self) -> tuple[int, ...]:
        """Source segments the translation lacks, at or above the threshold."""
        return tuple(i for i, c in sorted(self.missing_confidence.items()) if c >= self.threshold)

    @property
    def extra(self) -> tuple[int, ...]:
        """Target segments the source lacks, at or above the threshold."""
        return tuple(j for j, c in sorted(self.extra_confidence.items()) if c >= self.threshold)

    @property
    def uncertain_missing(self) -> tuple[int, ...]:
        return tuple(i for i, c in sorted(self.missing_confidence.items()) if c < self.threshold)

    @property
    def uncertain_extra(self) -> tuple[int, ...]:
        return tuple(j for j, c in sorted(self.extra_confidence.items()) if c < self.threshold)

    def indices(self, state: str) -> tuple[int, ...]:
        return tuple(j for j, s in enumerate(self.states) if s == state)


def _joined(segments: tuple[Segment, ...], indices: tuple[int, ...]) -> Segment:
    first = segments[indices[0]]
    if len(indices) == 1:
        return first
    return Segment(text=" ".join(segments[i].text for i in indices), kind=first.kind, line=first.line)


def compare_articles(source: Article, target: Article, *, threshold: float = DEFAULT_FINDING_THRESHOLD) -> Comparison:
    """Align ``target`` with ``source`` and classify every target segment."""
    alignment = align(body_segments(source), body_segments(target))
    states = ["extra"] * len(alignment.target)
    pairs = [(bead.source, bead.target) for bead in alignment.beads if bead.source and bead.target]
    pairs += [(move.source, move.target) for move in alignment.moves]
    for src, tgt in pairs:
        source_segment = _joined(alignment.source, src)
        previous = alignment.source[src[0] - 1] if src[0] > 0 else None
        for j in tgt:
            states[j] = classify_target(
                source_segment,
                alignment.target[j],
                previous_source=previous,
                source_lang=source.lang,
                target_lang=target.lang,
            )
    return Comparison(source=source, target=target, alignment=alignment, states=tuple(states), threshold=threshold)


def _side(article: Article, segments: tuple[Segment, ...]) -> dict[str, Any]:
    return {
        "path": article.path,
        "lang": article.lang,
        "segments": [{"text": s.text, "kind": s.kind.value, "line": s.line} for s in segments],
    }


def to_json(comparison: Comparison) -> dict[str, Any]:
    """The documented JSON report (see README, "l10n compare")."""
    alignment = comparison.alignment
    return {
        "source": _side(comparison.source, alignment.source),
        "target": _side(comparison.target, alignment.target),
        "beads": [
            {"source": list(b.source), "target": list(b.target), "confidence": round(b.confidence, 4)}
            for b in alignment.beads
        ],
        "missing": list(comparison.missing),
        "extra": list(comparison.extra),
        "moved": [
            {"source": list(m.source), "target": list(m.target), "confidence": round(m.confidence, 4)}
            for m in alignment.moves
        ],
        "finding_threshold": comparison.threshold,
        "finding_confidence": {
            "missing": {str(i): round(c, 4) for i, c in sorted(comparison.missing_confidence.items())},
            "extra": {str(j): round(c, 4) for j, c in sorted(comparison.extra_confidence.items())},
        },
        "uncertain_missing": list(comparison.uncertain_missing),
        "uncertain_extra": list(comparison.uncertain_extra),
        "untranslated": list(comparison.indices("untranslated")),
        "partial": list(comparison.indices("partial")),
        "kept": list(comparison.indices("kept")),
    }


def _cell(segments: tuple[Segment, ...], indices: tuple[int, ...], limit: int) -> str:
    parts = []
    for i in indices:
        text = segments[i].text
        parts.append(f"{segments[i].line}: {console_text(text[:limit])}{'…' if len(text) > limit else ''}")
    return "\n".join(parts)


def render_text(comparison: Comparison, *, width: int = 120, color: bool = False) -> str:
    """Pairs side by side with confidence, then the missing, extra and untranslated lists."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system="standard" if color else None, highlight=False, emoji=False)
    alignment = comparison.alignment
    table = Table(show_lines=False, expand=True)
    table.add_column("conf", justify="right", width=5, no_wrap=True)
    table.add_column(escape(comparison.source.lang or "source"), ratio=1, overflow="fold")
    table.add_column(escape(comparison.target.lang or "target"), ratio=1, overflow="fold")
    limit = max(20, width // 2 - 14)
    for bead in alignment.beads:
        style = ""
        if not bead.target:
            style = "red"
        elif not bead.source:
            style = "yellow"
        elif bead.confidence < LOW_CONFIDENCE:
            style = "magenta"
        table.add_row(
            f"{bead.confidence:.2f}",
            _cell(alignment.source, bead.source, limit) or "—",
            _cell(alignment.target, bead.target, limit) or "—",
            style=style,
        )
    console.print(table)

    def listing(
        title: str, segments: tuple[Segment, ...], indices: tuple[int, ...], path: str, sure: dict[int, float] | None = None
    ) -> None:
        console.print(f"{title}: {len(indices)}")
        for i in indices:
            text = segments[i].text
            note = f" (confidence {sure[i]:.2f})" if sure is not None else ""
            console.print(
                f"  {console_text(path)}:{segments[i].line}: {console_text(text[:100])}{'…' if len(text) > 100 else ''}{note}",
                soft_wrap=True,
            )

    sure_missing, sure_extra = comparison.missing_confidence, comparison.extra_confidence
    listing("missing (source with no translation)", alignment.source, comparison.missing, comparison.source.path, sure_missing)
    listing("extra (only in the translation)", alignment.target, comparison.extra, comparison.target.path, sure_extra)
    if comparison.uncertain_missing or comparison.uncertain_extra:
        below = f"below the finding threshold {comparison.threshold:.2f}, not counted"
        listing(f"maybe missing ({below})", alignment.source, comparison.uncertain_missing, comparison.source.path, sure_missing)
        listing(f"maybe extra ({below})", alignment.target, comparison.uncertain_extra, comparison.target.path, sure_extra)
    if alignment.moves:
        console.print(f"moved (translated elsewhere in the translation): {len(alignment.moves)}")
        for move in alignment.moves:
            s_seg, t_seg = alignment.source[move.source[0]], alignment.target[move.target[0]]
            console.print(
                f"  {console_text(comparison.source.path)}:{s_seg.line} -> {console_text(comparison.target.path)}:{t_seg.line}"
                f" (confidence {move.confidence:.2f}): {console_text(s_seg.text[:80])}{'…' if len(s_seg.text) > 80 else ''}",
                soft_wrap=True,
            )
    listing("untranslated", alignment.target, comparison.indices("untranslated"), comparison.target.path)
    listing("partially translated", alignment.target, comparison.indices("partial"), comparison.target.path)
    pairs = sum(1 for b in alignment.beads if b.source and b.target)
    moved = f"{len(alignment.moves)} moved, " if alignment.moves else ""
    console.print(
        f"{pairs} pairs, {moved}{len(comparison.missing)} missing, {len(comparison.extra)} extra, "
        f"{len(comparison.indices('untranslated'))} untranslated, {len(comparison.indices('kept'))} kept in the source language"
    )
    return buffer.getvalue()


def render_html(comparison: Comparison) -> str:
    """A self-contained side-by-side page of the alignment (the review page's layout)."""
    from pipeline.report.review import (  # only this format needs it
        ReviewPage,
        ReviewRow,
        render_review_page,
    )

    alignment = comparison.alignment
    missing, extra = set(comparison.missing), set(comparison.extra)
    rows = []
    for bead in alignment.beads:
        source = " ".join(alignment.source[i].text for i in bead.source)
        target = " ".join(alignment.target[j].text for j in bead.target)
        first = alignment.source[bead.source[0]] if bead.source else alignment.target[bead.target[0]]
        states = {comparison.states[j] for j in bead.target}
        state: ReviewState
        if not bead.target:
            state = ReviewState.MISSING if set(bead.source) & missing else ReviewState.LOW
        elif not bead.source:
            state = ReviewState.EXTRA if set(bead.target) & extra else ReviewState.LOW
        elif states & {"untranslated", "partial"}:
            state = ReviewState.UNTRANSLATED
        elif bead.confidence < LOW_CONFIDENCE:
            state = ReviewState.LOW
        else:
            state = ReviewState.OK
        rows.append(
            ReviewRow(state, first.kind.value, source, first.line if bead.source else 0, target, bead.confidence)
        )
    page = ReviewPage(
        slug=comparison.source.path,
        lang=comparison.target.lang or "target",
        source_lang=comparison.source.lang or "source",
        title=f"{comparison.source.path} ↔ {comparison.target.path}",
        source_path=comparison.source.path,
        po_path=comparison.target.path,
        po_href=comparison.target.path,
        rows=tuple(rows),
    )
    return render_review_page(page, index_link=False)
