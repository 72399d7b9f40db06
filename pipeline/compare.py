"""Compare an article with its translation: alignment plus what is missing, extra
or still in the source language, as data, JSON, text and HTML.

Front-matter text fields are paired by key; the body is aligned by
:func:`pipeline.align.align`. Segment indices in the report refer to body segments.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.table import Table

from .align import align
from .langid import classify_target
from .model import Alignment, Article, Segment, body_segments

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

    @property
    def missing(self) -> tuple[int, ...]:
        return self.alignment.missing

    @property
    def extra(self) -> tuple[int, ...]:
        return self.alignment.extra

    def indices(self, state: str) -> tuple[int, ...]:
        return tuple(j for j, s in enumerate(self.states) if s == state)


def _joined(segments: tuple[Segment, ...], indices: tuple[int, ...]) -> Segment:
    first = segments[indices[0]]
    if len(indices) == 1:
        return first
    return Segment(text=" ".join(segments[i].text for i in indices), kind=first.kind, line=first.line)


def compare_articles(source: Article, target: Article) -> Comparison:
    """Align ``target`` with ``source`` and classify every target segment."""
    alignment = align(body_segments(source), body_segments(target))
    states = ["extra"] * len(alignment.target)
    for bead in alignment.beads:
        if not bead.source:
            continue
        source_segment = _joined(alignment.source, bead.source)
        previous = alignment.source[bead.source[0] - 1] if bead.source[0] > 0 else None
        for j in bead.target:
            states[j] = classify_target(source_segment, alignment.target[j], previous_source=previous)
    return Comparison(source=source, target=target, alignment=alignment, states=tuple(states))


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
        "untranslated": list(comparison.indices("untranslated")),
        "partial": list(comparison.indices("partial")),
        "kept": list(comparison.indices("kept")),
    }


def _cell(segments: tuple[Segment, ...], indices: tuple[int, ...], limit: int) -> str:
    parts = []
    for i in indices:
        text = segments[i].text
        parts.append(f"{segments[i].line}: {text[:limit]}{'…' if len(text) > limit else ''}")
    return "\n".join(parts)


def render_text(comparison: Comparison, *, width: int = 120, color: bool = False) -> str:
    """Pairs side by side with confidence, then the missing, extra and untranslated lists."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system="standard" if color else None, highlight=False)
    alignment = comparison.alignment
    table = Table(show_lines=False, expand=True)
    table.add_column("conf", justify="right", width=5, no_wrap=True)
    table.add_column(comparison.source.lang or "source", ratio=1, overflow="fold")
    table.add_column(comparison.target.lang or "target", ratio=1, overflow="fold")
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

    def listing(title: str, segments: tuple[Segment, ...], indices: tuple[int, ...], path: str) -> None:
        console.print(f"{title}: {len(indices)}")
        for i in indices:
            text = segments[i].text
            console.print(f"  {path}:{segments[i].line}: {text[:100]}{'…' if len(text) > 100 else ''}", soft_wrap=True)

    listing("missing (source with no translation)", alignment.source, comparison.missing, comparison.source.path)
    listing("extra (only in the translation)", alignment.target, comparison.extra, comparison.target.path)
    listing("untranslated", alignment.target, comparison.indices("untranslated"), comparison.target.path)
    listing("partially translated", alignment.target, comparison.indices("partial"), comparison.target.path)
    pairs = sum(1 for b in alignment.beads if b.source and b.target)
    console.print(
        f"{pairs} pairs, {len(comparison.missing)} missing, {len(comparison.extra)} extra, "
        f"{len(comparison.indices('untranslated'))} untranslated, {len(comparison.indices('kept'))} kept in the source language"
    )
    return buffer.getvalue()


_HTML_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5rem; color: #1d1d1f; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
td, th { border-bottom: 1px solid #e3e3e8; padding: .4rem .6rem; vertical-align: top; text-align: left; }
th.conf, td.conf { width: 4.5rem; font-variant-numeric: tabular-nums; }
.line { color: #888; font-size: .8em; margin-right: .4em; }
tr.missing td { background: #fde2e1; } tr.extra td { background: #fff3c4; }
tr.low td { background: #efe4fb; } td.untranslated { background: #ffe0b2; } td.partial { background: #fff0d9; }
.legend span { display: inline-block; padding: .1rem .5rem; margin-right: .4rem; border-radius: 3px; }
""".strip()


def render_html(comparison: Comparison) -> str:
    """A self-contained side-by-side page of the alignment."""
    alignment = comparison.alignment
    rows = []
    for bead in alignment.beads:
        css = "missing" if not bead.target else "extra" if not bead.source else "low" if bead.confidence < LOW_CONFIDENCE else ""

        def cell(segments: tuple[Segment, ...], indices: tuple[int, ...], states: tuple[str, ...] | None) -> str:
            inner = "".join(
                f'<div><span class="line">{segments[i].line}</span>{html.escape(segments[i].text)}</div>' for i in indices
            )
            state = ""
            if states is not None and indices and states[indices[0]] in ("untranslated", "partial"):
                state = f' class="{states[indices[0]]}"'
            return f"<td{state}>{inner}</td>"

        rows.append(
            f'<tr class="{css}"><td class="conf">{bead.confidence:.2f}</td>'
            f"{cell(alignment.source, bead.source, None)}{cell(alignment.target, bead.target, comparison.states)}</tr>"
        )
    title = html.escape(f"{comparison.source.path} ↔ {comparison.target.path}")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{_HTML_STYLE}</style></head><body>\n<h1>{title}</h1>\n"
        '<p class="legend"><span style="background:#fde2e1">missing</span>'
        '<span style="background:#fff3c4">only in the translation</span>'
        '<span style="background:#efe4fb">low confidence</span>'
        '<span style="background:#ffe0b2">untranslated</span></p>\n'
        f'<table><thead><tr><th class="conf">conf</th><th lang="{html.escape(comparison.source.lang)}">'
        f'{html.escape(comparison.source.lang or "source")}</th><th>{html.escape(comparison.target.lang or "target")}</th></tr></thead>\n'
        f"<tbody>\n{chr(10).join(rows)}\n</tbody></table>\n</body></html>\n"
    )
