from __future__ import annotations

import html5lib

from pipeline.html_writer import render_markdown_html, render_page


def test_page_is_complete_valid_and_self_contained() -> None:
    body = render_markdown_html("## Nadpis\n\nText s `kódem`.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    page = render_page(body, lang="cs", title="Titulek <&>", date_text="1. dubna 2025")
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    document = parser.parse(page)
    assert document.get("lang") == "cs"
    assert document.find("head/title").text == "Titulek <&>"
    assert document.find(".//time").text == "1. dubna 2025"
    assert document.find(".//table") is not None
    assert "http" not in page and "<link" not in page and "<script" not in page


def test_commonmark_escapes_and_footnotes_render_as_meant() -> None:
    # The splice escapes block markers the CommonMark way ("\~~~", "\="); the page
    # must not show the backslashes, while code keeps them.
    html = render_markdown_html("\\~~~ tildes \\= and \\& and `\\~`\n")
    assert html == "<p>~~~ tildes = and &amp; and <code>\\~</code></p>"
    notes = render_markdown_html("Text[^1] here.\n\n[^1]: The footnote text.\n")
    assert 'href="#fn:1"' in notes and "<p>The footnote text." in notes and "[^1]" not in notes
