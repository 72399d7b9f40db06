"""The HTML made block by block (pipeline/build/blockwise.py) is the HTML of the
page rendered whole, wherever it is made at all."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.build import blockwise
from pipeline.build import html as html_module
from pipeline.build.fidelity import spec_examples
from pipeline.build.flavour import for_python_markdown
from pipeline.read import pieces
from pipeline.read.blocks import make_parser
from pipeline.read.markdown import split_front_matter

DATA = Path(__file__).parent / "data"


def _whole(text: str) -> str:
    return html_module._convert_flavoured(for_python_markdown(text))


def _documents() -> list[str]:
    docs = [e.markdown for name in ("commonmark/spec.txt", "gfm/spec.txt", "gfm/extensions.txt")
            for e in spec_examples((DATA / name).read_text(encoding="utf-8"))]
    for path in sorted(DATA.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        docs.append(text[split_front_matter(text, str(path))[1] :])
    return docs


def test_block_by_block_is_the_whole_pages_html_on_specs_and_real_docs() -> None:
    docs = _documents()
    made = 0
    for text in docs:
        by_blocks = blockwise.render_by_blocks(text, html_module._convert_flavoured)
        if by_blocks is not None:
            made += 1
            assert by_blocks == _whole(text), text
    # Most are made block by block (many spec examples hold raw HTML or definitions).
    assert made > len(docs) // 2


def test_a_block_seen_before_is_not_rendered_again() -> None:
    calls: list[str] = []

    def convert(text: str) -> str:
        calls.append(text)
        return html_module._convert_flavoured(text)

    page = "## Ab cd\n\nA paragraph seen on every page.\n\n- one\n- two\n"
    first = blockwise.render_by_blocks(page.replace("Ab", "Xy"), convert)
    again = blockwise.render_by_blocks(page.replace("Ab", "Zw"), convert)
    assert first == _whole(page.replace("Ab", "Xy")) and again == _whole(page.replace("Ab", "Zw"))
    assert calls.count("A paragraph seen on every page.") <= 1
    assert "## Zw cd" in calls


def test_what_could_cross_a_blocks_edge_renders_the_page_whole() -> None:
    for text in ("A [link][r].\n\n[r]: /u\n", "A note[^1].\n\n[^1]: Text.\n", "<div>\n\nA *b*\n\n</div>\n",
                 "Some <b>bold\n\ntext</b>.\n", "A `<b`\n\nc\n"):
        assert blockwise.render_by_blocks(text, html_module._convert_flavoured) is None, text


def test_a_fence_left_open_takes_the_blocks_after_it() -> None:
    text = "A\n\n```\nx\n\n\n  \ny\n\n## Not a heading\n"
    assert blockwise.render_by_blocks(text, html_module._convert_flavoured) == _whole(text)
    assert "<h2>" not in _whole(text)


def test_the_store_starts_again_past_its_bound(monkeypatch: object) -> None:
    store = blockwise._Store()
    monkeypatch.setattr(blockwise, "_STORE", store)  # type: ignore[attr-defined]
    monkeypatch.setattr(blockwise, "LIMIT", 200)  # type: ignore[attr-defined]
    for number in range(50):
        text = f"Paragraph number {number} of a long page.\n\n## Heading {number}\n"
        assert blockwise.render_by_blocks(text, html_module._convert_flavoured) == _whole(text)
        assert store.size <= 200
    assert 0 < len(store.chunks) < 50


_WORD = st.sampled_from(
    ["Ab", "cd", "2024.", "1.", "3)", "a|b", "|", "c`d", "`", "e<f>", "<b>", "</b>", "<!-- x -->", "<!--", "-->",
     "[g]", "h{#i}", "\\", "-", "*", "**", "_", ">", "#", "===", "---", "&amp;", "&", "![i](u)", "<http://a.b>", "\t", "  ",
     "```", "~~~", "    "]
)
_TEXT = st.lists(_WORD, min_size=1, max_size=6).map(" ".join)
_BLOCKS = st.one_of(
    _TEXT,
    _TEXT.map(lambda t: "## " + t),
    _TEXT.map(lambda t: t + "\n" + t),
    _TEXT.map(lambda t: t + "\n---"),
    _TEXT.map(lambda t: t + "\n==="),
    st.lists(_TEXT, min_size=1, max_size=3).map(lambda items: "\n".join("- " + i for i in items)),
    st.lists(_TEXT, min_size=1, max_size=3).map(lambda items: "\n".join("* " + i for i in items)),
    st.lists(_TEXT, min_size=1, max_size=3).map(lambda items: "\n".join(f"{n}. {i}" for n, i in enumerate(items, 1))),
    st.lists(_TEXT, min_size=1, max_size=3).map(lambda items: "\n".join(f"{n}) {i}" for n, i in enumerate(items, 2))),
    _TEXT.map(lambda t: "- Ab\n  - " + t + "\n\n  cd " + t),
    _TEXT.map(lambda t: "- Ab\n\n      code " + t),
    _TEXT.map(lambda t: "> " + t + "\n>\n> cd"),
    _TEXT.map(lambda t: "> ```\n> " + t),
    st.tuples(_TEXT, _TEXT).map(lambda c: f"| {c[0]} | b |\n| --- | --- |\n| {c[1]} | d |"),
    _TEXT.map(lambda t: "```\n" + t + "\n\n" + t + "\n```"),
    _TEXT.map(lambda t: "~~~~ py\n" + t + "\n~~~"),
    _TEXT.map(lambda t: "```\n" + t),
    _TEXT.map(lambda t: "    code " + t + "\n\n    more"),
    st.just("<!-- a comment -->"),
    st.just("<div>\nraw\n</div>"),
    st.just("***"),
    _TEXT.map(lambda t: "![" + t + "](img.png)"),
    # Raw HTML blocks that run on past blank lines until their own end, or to the end.
    st.sampled_from(["<pre>\nx\n\ny", "<pre>\nx\n\ny</pre>", "<!-- a\n\nb", "<!-- a\n\nb -->", "<?php\n\n?>",
                     "<!DOCTYPE\n\nhtml>", "<![CDATA[\n\n]]>", "  <script>\n\n</script> x", "<style>a</style>"]),
    _TEXT.map(lambda t: "[" + t + "]: /url\n" + t),
    _TEXT.map(lambda t: "> " + t + "\n" + t),
    _TEXT.map(lambda t: "- " + t + "\n\n  " + t + "\n- " + t),
    _TEXT.map(lambda t: "1. " + t + "\n\n   ```\n   " + t),
)
_PAGES = st.lists(
    st.tuples(_BLOCKS, st.sampled_from(["\n\n", "\n\n", "\n", "\n\n\n", "\n  \n", "\n\n   ", "\n\n\t", "\n \n\n"])),
    min_size=1, max_size=7,
).map(lambda blocks: "".join(block + sep for block, sep in blocks))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_PAGES, st.booleans(), st.sampled_from(["", "\n", "\n\n", " \n\n", "x\n\n"]))
def test_block_by_block_is_the_whole_pages_html_on_generated_pages(text: str, ended: bool, lead: str) -> None:
    text = lead + (text if ended else text.rstrip("\n"))
    by_blocks = blockwise.render_by_blocks(text, html_module._convert_flavoured)
    if by_blocks is not None:
        assert by_blocks == _whole(text)


# --- the block tokens read piece by piece (pipeline/read/pieces.py) ---------------


def test_pieces_read_as_the_whole_page_on_specs_and_real_docs() -> None:
    parser = make_parser()
    docs = _documents()
    read = 0
    for text in docs:
        tokens = pieces.parse_by_pieces(text, lambda: parser)
        if tokens is not None:
            read += 1
            assert tokens == parser.parse(text), text
    assert read > len(docs) * 9 // 10


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_PAGES, st.booleans(), st.sampled_from(["", "\n", "\n\n", " \n\n", "x\n\n"]))
def test_pieces_read_as_the_whole_page_on_generated_pages(text: str, ended: bool, lead: str) -> None:
    parser = make_parser()
    text = lead + (text if ended else text.rstrip("\n"))
    tokens = pieces.parse_by_pieces(text, lambda: parser)
    if tokens is not None:
        assert tokens == parser.parse(text)
    assert "".join(pieces.split(text)) == text


def test_a_page_with_a_long_loose_list_is_read_whole() -> None:
    parser = make_parser()
    text = "".join(f"- item {n}\n\n" for n in range(pieces.MAX_JOINED + 5))
    assert pieces.parse_by_pieces(text, lambda: parser) is None
    short = "".join(f"- item {n}\n\n" for n in range(5))
    assert pieces.parse_by_pieces(short, lambda: parser) == parser.parse(short)


# --- the fallback markers' pass over the HTML (mark_fallbacks_html) ---------------


def _marked_as_before(fragment: str, publish: bool) -> str:
    """mark_fallbacks_html as it was: the lazy expression, the marker's white space in it."""
    from pipeline.build.article import _MARKED
    from pipeline.build.html import fallback_attributes

    def replace(match: re.Match[str]) -> str:
        attributes = fallback_attributes(match.group(4), publish=publish)
        return f"<{match.group(1)}{match.group(2)}{attributes}>{match.group(3)}"

    return _MARKED.sub(replace, fragment)


_HTML_PIECES = st.sampled_from(
    ["<p>", "</p>", "<p class=\"x\">", "<li>", "</li>", "<ul>", "</ul>", "<ol>", "<h2>", "<h2 id=\"a\">", "</h2>", "<td>",
     "<th>", "<thead>", "<pre>", "<link>", "<blockquote>", "<br>", "<em>", "</em>", "<", ">", "Ab", "cd", " ", "\n", "\t",
     "\xa0", "\u2003", "<!-- untranslated: en -->", "<!-- untranslated: de-AT -->", "<!-- untranslated: x y -->",
     "<!-- untranslated: en ->", "<!-- x -->", "<p title=\"<li>\">", "<pp>", "<p\n>"]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_HTML_PIECES, max_size=30).map("".join), st.booleans())
def test_the_fallback_markers_pass_marks_what_it_marked_before(fragment: str, publish: bool) -> None:
    from pipeline.build.article import mark_fallbacks_html

    assert mark_fallbacks_html(fragment, publish=publish) == _marked_as_before(fragment, publish)


def test_the_fallback_markers_pass_on_built_pages() -> None:
    from pipeline.build.article import mark_fallbacks_html

    for text in _documents()[-60:]:
        fragment = html_module.render_markdown_html(text.replace("\n\n", " <!-- untranslated: en -->\n\n"))
        assert mark_fallbacks_html(fragment) == _marked_as_before(fragment, False)
