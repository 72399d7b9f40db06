"""The review report: an article and its translation side by side, one row per
segment, coloured by state, each row linked to its PO entry; and an index with a
completeness chart in inline SVG. Pure rendering: pages come back as strings.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Sequence

from pipeline.model import ReviewState

#: Row states, in the order the legend shows them.
STATES: dict[ReviewState, tuple[str, str]] = {
    ReviewState.MISSING: ("#fbd5d3", "missing: source text with no translation"),
    ReviewState.EXTRA: ("#fff0b3", "only in the translation"),
    ReviewState.FUZZY: ("#e7dcfb", "fuzzy: needs review"),
    ReviewState.UNTRANSLATED: ("#ffd8a8", "untranslated or partly untranslated"),
    ReviewState.BROKEN: ("#f8c8dc", "markup or structure the build cannot use: shown in the source language"),
    ReviewState.LOW: ("#dce9fb", "low alignment confidence"),
    ReviewState.OK: ("#ffffff", "translated"),
}
LOW_CONFIDENCE = 0.6
#: The index chart's bar segments, in order, and their colours.
_BAR_COLOURS = (
    (ReviewState.OK, "#3a9d5d"),
    (ReviewState.LOW, "#3a9d5d"),
    (ReviewState.UNTRANSLATED, "#f0a040"),
    (ReviewState.BROKEN, "#d0508a"),
    (ReviewState.FUZZY, "#9b7fe0"),
    (ReviewState.MISSING, "#e05a50"),
)
#: States of a row whose PO entry has a translation (as `l10n check` counts them).
_TRANSLATED = (ReviewState.OK, ReviewState.LOW, ReviewState.UNTRANSLATED, ReviewState.BROKEN)


@dataclass(frozen=True)
class ReviewRow:
    state: ReviewState
    kind: str
    source_text: str
    source_line: int
    target_text: str
    confidence: float | None = None
    po_line: int | None = None
    note: str = ""


@dataclass(frozen=True)
class ReviewPage:
    slug: str
    lang: str
    source_lang: str
    title: str
    source_path: str
    po_path: str
    #: Link from the page to the PO file (relative, so it works offline).
    po_href: str
    rows: tuple[ReviewRow, ...]

    def count(self, state: str) -> int:
        return sum(1 for r in self.rows if r.state == state)

    @property
    def total(self) -> int:
        return sum(1 for r in self.rows if r.state != ReviewState.EXTRA)

    @property
    def translated(self) -> int:
        return sum(1 for r in self.rows if r.state in _TRANSLATED)

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


@dataclass(frozen=True)
class ReviewSummary:
    """What the index needs of a page (kept between incremental runs)."""

    slug: str
    title: str
    counts: tuple[tuple[str, int], ...]

    @classmethod
    def of(cls, page: ReviewPage) -> ReviewSummary:
        return cls(page.slug, page.title, tuple((state, page.count(state)) for state in STATES))

    def count(self, state: str) -> int:
        return dict(self.counts).get(state, 0)

    @property
    def total(self) -> int:
        return sum(n for state, n in self.counts if state != ReviewState.EXTRA)

    @property
    def translated(self) -> int:
        return sum(n for state, n in self.counts if state in _TRANSLATED)

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


_STYLE = """
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5rem auto; max-width: 80rem; padding: 0 1rem; color: #1d1d1f; }
h1 { font-size: 1.5rem; margin-bottom: .3rem; } .sub { color: #555; margin-top: 0; }
table.review { border-collapse: collapse; width: 100%; table-layout: fixed; }
.review th, .review td { border-bottom: 1px solid #e3e3e8; padding: .45rem .6rem; vertical-align: top; text-align: left; }
.review th.c, .review td.c { width: 4.2rem; font-variant-numeric: tabular-nums; color: #444; }
.review th.po, .review td.po { width: 6.5rem; font-size: .82em; }
.kind { display: block; font-size: .72em; color: #777; text-transform: uppercase; letter-spacing: .03em; }
.note { display: block; font-size: .78em; color: #6b4b00; margin-top: .2rem; }
.legend span { display: inline-block; padding: .15rem .55rem; margin: 0 .4rem .4rem 0; border: 1px solid #ddd; border-radius: 3px; font-size: .85em; }
.empty { color: #a33; font-style: italic; }
""".strip()


def _row_html(row: ReviewRow, page: ReviewPage) -> str:
    colour = STATES.get(row.state, STATES[ReviewState.OK])[0]
    confidence = f"{row.confidence:.2f}" if row.confidence is not None else "—"
    if row.po_line:
        link = f'<a href="{html.escape(page.po_href)}#L{row.po_line}">line {row.po_line}</a>'
    else:
        link = "—"
    source = (
        f'<span class="kind">{html.escape(row.kind)} · line {row.source_line}</span>{html.escape(row.source_text)}'
        if row.source_text
        else ""
    )
    target = html.escape(row.target_text) if row.target_text else '<span class="empty">(no translation)</span>'
    if row.state == ReviewState.EXTRA:
        target = f'<span class="kind">{html.escape(row.kind)}</span>{html.escape(row.target_text)}'
    note = f'<span class="note">{html.escape(row.note)}</span>' if row.note else ""
    return (
        f'<tr class="row {row.state}" data-state="{row.state}" style="background:{colour}">'
        f'<td class="c">{confidence}</td><td lang="{html.escape(page.source_lang)}">{source}</td>'
        f'<td lang="{html.escape(page.lang)}">{target}{note}</td><td class="po">{link}</td></tr>'
    )


def render_review_page(page: ReviewPage, *, index_link: bool = True) -> str:
    """One article side by side: source left, translation right, one row per segment."""
    legend = "".join(
        f'<span style="background:{colour}">{html.escape(label)} ({page.count(state)})</span>'
        for state, (colour, label) in STATES.items()
    )
    rows = "\n".join(_row_html(row, page) for row in page.rows)
    title = html.escape(f"{page.title or page.slug} — {page.lang} review")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<style>\n{_STYLE}\n</style>\n</head>\n<body>\n'
        + ('<p><a href="index.html">← all articles</a></p>\n' if index_link else "")
        + f"<h1>{title}</h1>\n"
        f'<p class="sub">{html.escape(page.source_path)} ↔ <a href="{html.escape(page.po_href)}">{html.escape(page.po_path)}</a>'
        f" · {page.translated} of {page.total} segments translated ({page.percent:.0f}%)</p>\n"
        f'<p class="legend">{legend}</p>\n'
        '<table class="review">\n<thead><tr><th class="c">conf.</th>'
        f"<th>{html.escape(page.source_lang)}</th><th>{html.escape(page.lang)}</th><th class=\"po\">PO entry</th></tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody>\n</table>\n</body>\n</html>\n"
    )


def render_chart(pages: Sequence[ReviewSummary]) -> str:
    """Stacked horizontal bars (translated, fuzzy, missing) per article, inline SVG."""
    bar_width, label_width, row_height = 420, 260, 26
    height = row_height * len(pages) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_width + bar_width + 70}" height="{height}" '
        f'role="img" aria-label="completeness per article">'
    ]
    for index, page in enumerate(pages):
        y = 10 + index * row_height
        total = max(page.total, 1)
        x: float = label_width
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 14}" text-anchor="end" font-size="13">{html.escape(page.slug)}</text>'
        )
        for state, colour in _BAR_COLOURS:
            width = bar_width * page.count(state) / total
            if width <= 0:
                continue
            parts.append(
                f'<rect class="{state}" x="{x:.1f}" y="{y}" width="{width:.1f}" height="18" fill="{colour}">'
                f"<title>{state}: {page.count(state)}</title></rect>"
            )
            x += width
        parts.append(f'<text x="{label_width + bar_width + 8}" y="{y + 14}" font-size="13">{page.percent:.0f}%</text>')
    parts.append("</svg>")
    return "".join(parts)


def render_review_index(pages: Sequence[ReviewSummary], lang: str) -> str:
    """The report's first page: a completeness chart and a table of articles."""
    rows = "\n".join(
        f'<tr><td><a href="{html.escape(p.slug)}.html">{html.escape(p.title or p.slug)}</a></td>'
        f"<td>{p.total}</td><td>{p.translated}</td><td>{p.count('fuzzy')}</td><td>{p.count('missing')}</td>"
        f"<td>{p.count('extra')}</td><td>{p.percent:.0f}%</td></tr>"
        for p in pages
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Translation review ({html.escape(lang)})</title>\n'
        f"<style>\n{_STYLE}\ntable.list td, table.list th {{ padding: .3rem .7rem; border-bottom: 1px solid #eee; text-align: left; }}\n</style>\n"
        f"</head>\n<body>\n<h1>Translation review ({html.escape(lang)})</h1>\n"
        '<p class="legend"><span style="background:#3a9d5d;color:#fff">translated</span>'
        '<span style="background:#9b7fe0;color:#fff">fuzzy</span><span style="background:#e05a50;color:#fff">missing</span>'
        '<span style="background:#f0a040">untranslated</span></p>\n'
        f"{render_chart(pages)}\n"
        '<table class="list"><thead><tr><th>article</th><th>segments</th><th>translated</th><th>fuzzy</th>'
        f"<th>missing</th><th>only in translation</th><th>%</th></tr></thead>\n<tbody>\n{rows}\n</tbody></table>\n"
        "</body>\n</html>\n"
    )
