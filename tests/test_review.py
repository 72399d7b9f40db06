from __future__ import annotations

import re

import html5lib

from pipeline.model import ReviewState
from pipeline.report.review import (
    ReviewPage,
    ReviewRow,
    ReviewSummary,
    render_chart,
    render_review_index,
    render_review_page,
)

PAGE = ReviewPage(
    slug="day-2",
    lang="cs",
    source_lang="en",
    title="Day two",
    source_path="source/en/day-2.md",
    po_path="locales/cs/LC_MESSAGES/day-2.po",
    po_href="../../../locales/cs/LC_MESSAGES/day-2.po",
    rows=(
        ReviewRow(ReviewState.OK, "heading", "What <b>Rejekts</b> are", 3, "Co jsou Rejekts", 0.99, 20),
        ReviewRow(ReviewState.EXTRA, "caption", "", 0, "Vojta Mareš na Rejekts"),
        ReviewRow(ReviewState.MISSING, "list item", "Kuma is easy", 9, "", 0.94, 40),
        ReviewRow(ReviewState.FUZZY, "paragraph", "Hello", 11, "Ahoj", 0.4, 45, note="tm 93% from day-1"),
    ),
)


def test_page_rows_states_links_and_escaping() -> None:
    page = render_review_page(PAGE)
    html5lib.HTMLParser(strict=True).parse(page)
    assert re.findall(r'data-state="(\w+)"', page) == ["ok", "extra", "missing", "fuzzy"]
    assert 'href="../../../locales/cs/LC_MESSAGES/day-2.po#L40">line 40</a>' in page
    assert "What &lt;b&gt;Rejekts&lt;/b&gt; are" in page
    assert "(no translation)" in page and "tm 93% from day-1" in page
    assert PAGE.total == 3 and PAGE.translated == 1


def test_index_chart_is_inline_svg_with_proportional_bars() -> None:
    summary = ReviewSummary.of(PAGE)
    assert summary.percent == PAGE.percent
    chart = render_chart([summary])
    widths = {state: float(w) for state, w in re.findall(r'<rect class="(\w+)" x="[\d.]+" y="\d+" width="([\d.]+)"', chart)}
    assert widths == {"ok": 140.0, "fuzzy": 140.0, "missing": 140.0}
    index = render_review_index([summary], "cs")
    html5lib.HTMLParser(strict=True).parse(index)
    assert 'href="day-2.html"' in index and "<svg" in index and "<script" not in index
