from __future__ import annotations

from html import escape as html_escape
from html.parser import HTMLParser

import html5lib
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from pipeline.build.html import render_markdown_html, render_page
from pipeline.read.blocks import make_parser


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


# CommonMark (markdown-it-py, what the reader and the splice see) against the
# page Python-Markdown renders: the same lists, items and nesting.

_STRUCTURE_TAGS = {"ul", "ol", "li", "blockquote", "pre", "table", "hr", "h1", "h2", "h3", "h4", "h5", "h6"}


class _Structure(HTMLParser):
    """The block skeleton of an HTML fragment: block tags (an <ol>'s start
    number too) and the text, whitespace folded. <p> is left out: whether an
    item's text is wrapped in one (a loose list) is not what is compared."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.words: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _STRUCTURE_TAGS:
            start = dict(attrs).get("start")
            self.tags.append(f"<{tag} start={start}>" if start else f"<{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # "<hr />" and "<hr>" alike

    def handle_endtag(self, tag: str) -> None:
        if tag in _STRUCTURE_TAGS:
            self.tags.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.words.extend(data.split())


def structure(html: str) -> tuple[list[str], list[str]]:
    parser = _Structure()
    parser.feed(html)
    return parser.tags, parser.words


def commonmark_html(text: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(text)


def assert_same_structure(text: str) -> None:
    assert structure(render_markdown_html(text)) == structure(commonmark_html(text)), text


def test_list_right_after_a_paragraph_is_a_list() -> None:
    html = render_markdown_html("Text:\n- a\n- b\n")
    assert html == "<p>Text:</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>"
    quoted = render_markdown_html("> Text:\n> 1. a\n> 2. b\n")
    assert "".join(structure(quoted)[0]) == "<blockquote><ol><li></li><li></li></ol></blockquote>"


def test_lists_nested_by_two_spaces_are_nested() -> None:
    html = render_markdown_html("- a\n  - b\n  - c\n- d\n")
    assert "".join(structure(html)[0]) == "<ul><li><ul><li></li><li></li></ul></li><li></li></ul>"
    assert_same_structure("1. one\n   1. one.one\n      - deep\n2. two\n")
    assert_same_structure("- a\n\n  second paragraph of a\n\n  - b\n- c\n")


def test_parenthesis_markers_and_start_numbers_make_ordered_lists() -> None:
    assert render_markdown_html("1) a\n2) b\n") == "<ol>\n<li>a</li>\n<li>b</li>\n</ol>"
    assert render_markdown_html("3. c\n4. d\n").startswith('<ol start="3">\n<li>c</li>')
    assert render_markdown_html("7) g\n").startswith('<ol start="7">')


def test_a_new_marker_starts_a_new_list_as_in_commonmark() -> None:
    for text in ("- a\n* b\n", "- a\n\n+ b\n", "1. a\n1) b\n", "- a\n\n1. b\n", "1. a\n- b\n"):
        html = render_markdown_html(text)
        assert html.count("<li>") == 2 and html.count("<ul>") + html.count("<ol") == 2, text
        assert_same_structure(text)


def test_star_and_plus_bullets_and_loose_lists() -> None:
    assert_same_structure("* a\n* b\n\n+ c\n")
    html = render_markdown_html("- a\n\n- b\n- c\n")
    assert html.count("<li>\n<p>") == 3  # a loose list: every item's text in a <p>, as CommonMark does


def test_code_with_list_looking_lines_stays_code() -> None:
    code = "Text:\n- a\n  - b\n1) c\n#tag\n"
    fenced = render_markdown_html(f"Intro\n\n```text\n{code}```\n")
    assert f'<pre><code class="language-text">{html_escape(code)}</code></pre>' in fenced and "<li>" not in fenced
    indented = render_markdown_html("Intro\n\n" + "".join(f"    {line}\n" for line in code.splitlines()))
    assert f"<pre><code>{html_escape(code)}</code></pre>" in indented and "<li>" not in indented
    # In a list item too (Python-Markdown finds fences only outside lists, so
    # the page shows it as an indented code block: the same <pre><code>).
    fence_in_item = "".join(f"  {line}\n" for line in ["```", *code.splitlines(), "```"])
    in_item = render_markdown_html(f"- item\n\n{fence_in_item}- next\n")
    assert f"<pre><code>{html_escape(code)}</code></pre>" in in_item and in_item.count("<li>") == 2


def test_hard_breaks_and_hashes_in_list_items() -> None:
    html = render_markdown_html("- a\n  - first\\\n    second\n")
    assert "first<br>" in html and "\\" not in html
    assert render_markdown_html("#hashtag is no heading\n") == "<p>#hashtag is no heading</p>"
    assert render_markdown_html("- a\n  2. is no list\n").count("<li>") == 1
    assert render_markdown_html("ends with a backslash\\\n") == "<p>ends with a backslash\\</p>"


def test_link_definitions_inside_lists_still_apply() -> None:
    html = render_markdown_html("- see [docs]\n\n  [docs]: https://example.org/docs\n")
    assert '<a href="https://example.org/docs">docs</a>' in html and "[docs]:" not in html


_WORDS = st.lists(st.sampled_from(["alpha", "beta", "gamma", "delta", "omega"]), min_size=1, max_size=3).map(" ".join)


@st.composite
def _list_lines(draw: st.DrawFn, depth: int = 0) -> list[str]:
    """A CommonMark list: bullets "-*+" or numbers with "." or ")", any start,
    nested by the item's content column plus 0 to 2 spaces, tight or loose."""
    ordered = draw(st.booleans())
    start = draw(st.sampled_from([1, 1, 3, 10]))
    delimiter = draw(st.sampled_from([".", ")"]))
    bullet = draw(st.sampled_from("-*+"))
    loose = draw(st.booleans())
    lines: list[str] = []
    for index in range(draw(st.integers(1, 3))):
        if lines and loose:
            lines.append("")
        marker = f"{start + index}{delimiter}" if ordered else bullet
        lines.append(f"{marker} {draw(_WORDS)}")
        if draw(st.booleans()):
            lines.append(" " * (len(marker) + 1) + draw(_WORDS))  # continuation line
        if depth < 2 and draw(st.integers(0, 2)) == 0:
            indent = " " * (len(marker) + 1 + draw(st.integers(0, 2)))
            lines.extend(indent + line if line else "" for line in draw(_list_lines(depth + 1)))
    return lines


@st.composite
def _documents(draw: st.DrawFn) -> str:
    """Paragraphs and lists, with or without a blank line between them, maybe
    all inside a block quote."""
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        if lines:
            if lines[-1] and draw(st.booleans()):
                pass  # no blank line: a list may follow a paragraph directly
            else:
                lines.append("")
        lines.extend(draw(_list_lines()) if draw(st.booleans()) else [draw(_WORDS) + ":"])
    if draw(st.booleans()):
        lines = [f"> {line}" if line else ">" for line in lines]
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None)
@given(_documents())
def test_python_markdown_renders_the_lists_commonmark_sees(text: str) -> None:
    items = sum(token.type == "list_item_open" for token in make_parser().parse(text))
    html = render_markdown_html(text)
    assert html.count("<li>") == items, (text, html)
    assert structure(html) == structure(commonmark_html(text)), (text, html)


def test_other_blocks_keep_the_structure_commonmark_sees() -> None:
    for text in (
        "Text\n| a | b |\n|---|---|\n| 1 | 2 |\n",  # a table right after a paragraph
        "> one quote\n\n> another quote\n",  # two quotes stay two
        "#hashtag and\n    - an indented continuation\n",  # a paragraph, no heading, no list
        "Two lines\nof a heading\n===\n\n## C#\n",  # setext over two lines; "C#" keeps its hash
        "- a\n\n      indented code in an item\n- b\n",
        "> - a\n>\n>   > nested quote\n> - b\n",
    ):
        assert_same_structure(text)
    fenced = render_markdown_html("```python title=\"x.py\"\nprint(1)\n````\n")  # info words; a longer closing fence
    assert fenced == '<pre><code class="language-python">print(1)\n</code></pre>'


def test_a_heading_ending_in_an_escaped_hash_keeps_it() -> None:
    # The writer escapes a translated heading that ends in " #"; "C#" needs escaping here.
    assert "<h2>Otázky #</h2>" in render_markdown_html("## Otázky \\#\n")
    assert "<h2>Learn C#</h2>" in render_markdown_html("## Learn C#\n")
    assert "<h2>x\\#</h2>" in render_markdown_html("## x\\\\#\n")  # an escaped backslash, then "#"


def test_an_html_block_opening_a_list_item_is_not_put_in_a_paragraph() -> None:
    page = render_markdown_html("- <div>\n  x\n  </div>\n- b\n")
    assert "<p>" not in page
    assert page.count("<li>") == 2 and "<li><div>" in page


def test_footnotes_referenced_inside_admonitions_link_both_ways() -> None:
    # As on MkDocs pages: a reference in an admonition, its definition at the end.
    body = render_markdown_html(
        "Intro.[^a]\n\n!!! note \"A note\"\n    Body.[^b] Again.[^a]\n\n    !!! tip\n        Inner.[^c]\n\n"
        "Text with `[^code]`.\n\n[^a]: First.\n[^b]: Second.\n[^c]: Third.\n"
    )
    note = body[body.index('<div class="admonition note">') : body.index("<p>Text")]
    assert '<p>Body.<sup id="fnref:b"><a class="footnote-ref" href="#fn:b">2</a></sup>' in note
    assert '<sup id="fnref2:a"><a class="footnote-ref" href="#fn:a">1</a></sup>' in note
    assert 'Inner.<sup id="fnref:c"><a class="footnote-ref" href="#fn:c">3</a></sup>' in note
    assert '<a class="footnote-backref" href="#fnref:c"' in body and "[^" not in note
    assert "<code>[^code]</code>" in body
    # A reference without a definition stays as written.
    assert "Body.[^missing]" in render_markdown_html('!!! note\n    Body.[^missing]\n')


def test_a_title_shown_in_the_source_language_carries_its_language() -> None:
    page = render_page("<p>Text.</p>", lang="de", title="Getting started", title_lang="en", publish=True)
    assert '<h1 lang="en">Getting started</h1>' in page
    review = render_page("<p>Text.</p>", lang="de", title="Getting started", title_lang="en")
    assert '<h1 lang="en" class="untranslated" data-note="not yet translated (en)">Getting started</h1>' in review
    assert "<h1>Erste Schritte</h1>" in render_page("", lang="de", title="Erste Schritte")
