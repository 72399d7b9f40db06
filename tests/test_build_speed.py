"""The build's shortcuts give what the long way gives: the HTML of the inline
filter is Python-Markdown's own, and the skipped structure check could only
have said "same structure"."""

from __future__ import annotations

import string
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.build import article as article_module
from pipeline.build import html as html_module
from pipeline.build.article import Addendum, Translation, build_article
from pipeline.build.fidelity import spec_examples
from pipeline.build.flavour import for_python_markdown
from pipeline.build.inline_filter import NEEDS, FilteredInlineProcessor, can_filter
from pipeline.catalog.entries import segment_keys
from pipeline.errors import PipelineError
from pipeline.read.markdown import parse_markdown

DATA = Path(__file__).parent / "data"


def _plain_converter() -> markdown.Markdown:
    """The build's converter as it was before the filter: Python-Markdown's own inline pass."""
    converter = markdown.Markdown(extensions=["tables", "fenced_code", "footnotes", "sane_lists"], output_format="html")
    converter.ESCAPED_CHARS = sorted(set(converter.ESCAPED_CHARS) | set(string.punctuation))
    return converter


def _documents() -> list[str]:
    docs = [e.markdown for name in ("commonmark/spec.txt", "gfm/spec.txt", "gfm/extensions.txt")
            for e in spec_examples((DATA / name).read_text(encoding="utf-8"))]
    docs += [p.read_text(encoding="utf-8") for p in sorted(DATA.rglob("*.md"))]
    return docs


def _both(text: str, plain: markdown.Markdown) -> tuple[str, str]:
    plain.reset()
    filtered = html_module._converter()
    filtered.reset()
    return plain.convert(text), filtered.convert(text)


def test_the_build_renders_with_the_filter_where_it_knows_the_loop() -> None:
    from pipeline.build import inline_filter

    filtered = isinstance(html_module._converter().treeprocessors["inline"], FilteredInlineProcessor)
    assert filtered == can_filter()
    # A Python-Markdown whose loop reads otherwise renders with its own.
    known = inline_filter.KNOWN_LOOPS
    inline_filter.can_filter.cache_clear()
    inline_filter.KNOWN_LOOPS = frozenset()
    try:
        assert not inline_filter.can_filter()
    finally:
        inline_filter.KNOWN_LOOPS = known
        inline_filter.can_filter.cache_clear()
    assert inline_filter.can_filter() == filtered


def test_every_pattern_of_the_converter_is_known_to_the_filter() -> None:
    # A pattern the filter does not know is always tried (correct, only slower):
    # this says when a Python-Markdown upgrade needs the table read again.
    processor = html_module._converter().treeprocessors["inline"]
    processor._patterns = list(processor.inlinePatterns)
    unknown = [p.compiled_re.pattern for p in processor._patterns if p.compiled_re.pattern not in NEEDS]
    assert unknown == []


def test_filtered_html_is_python_markdowns_on_specs_and_real_docs() -> None:
    plain = _plain_converter()
    docs = _documents()
    assert len(docs) > 1000
    for text in docs:
        for variant in (text, for_python_markdown(text)):
            expected, got = _both(variant, plain)
            assert got == expected, variant


_INLINE_ALPHABET = st.sampled_from(
    list("ab ") + ["`", "``", "\\", "[", "]", "[^1]", "![", "(", ")", "<", ">", "://", "@", "&", ";", "&amp;", "*", "**",
                   "_", "__", "  \n", "\n", "<!-- x -->", "<b>", "</b>", "http://x", "\n\n", "\n- ", "\n1. ", "#", ":"]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_INLINE_ALPHABET, max_size=40).map("".join))
def test_filtered_html_is_python_markdowns_on_generated_markup(text: str) -> None:
    expected, got = _both(text + "\n\n[1]: http://e.com\n\n[^1]: note\n", _plain_converter())
    assert got == expected


# --- the structure check's shortcut (pipeline/build/structure.py) -----------------

#: Words of text: mostly plain, some with what starts, ends or splits a block.
_WORD = st.sampled_from(
    ["Ab", "cd", "x1", "2024", "2024.", "1.", "3)", "1.5", "„q“", "(p)", '"r"', "'s'", "a|b", "|", "c`d", "`", "e<f>",
     "<div>", "<!--", "-->", "[g]", "[g]:", "h{#i}", "{{<", "j\\", "\\", "-", "--", "---", "*", "+", ">", "#", "##",
     "===", ":::", "!!!", "import", "export", "k\xa0l", "\t", "  ", "\n", "\n\n", "&amp;", "[^1]", "![i](u)"]
)
_PLAIN = st.sampled_from(["Ab", "cd", "x1", "2024", "1.5", "„q“", "Zdar", "ěšč", "e<f>", "[g]", "c`d", "a-b", "h{#i}"])


def _text(hazards: bool) -> st.SearchStrategy[str]:
    word = st.one_of(_PLAIN, _PLAIN, _PLAIN, _WORD) if hazards else _PLAIN
    return st.lists(word, min_size=1, max_size=6).map(" ".join)


_BLOCKS = st.one_of(
    _text(True),
    _text(True).map(lambda t: "## " + t),
    _text(True).map(lambda t: t + "\n---"),
    st.lists(_text(True), min_size=1, max_size=3).map(lambda items: "\n".join("- " + i for i in items)),
    st.lists(_text(True), min_size=1, max_size=3).map(lambda items: "\n".join(f"{n}. {i}" for n, i in enumerate(items, 1))),
    _text(True).map(lambda t: "- Ab\n  - " + t + "\n\n  cd " + t),
    _text(True).map(lambda t: "> " + t + "\n>\n> cd"),
    st.tuples(_text(True), _text(True)).map(lambda c: f"| {c[0]} | b |\n| --- | --- |\n| {c[1]} | d |"),
    st.just("```\ncode\n```"),
    st.just("<div>\nraw\n</div>"),
    st.just("[g]: /url"),
    st.just("***"),
    _text(True).map(lambda t: ":::note Title\n\n" + t + "\n\n:::"),
    _text(True).map(lambda t: '!!! note "Title"\n    ' + t),
    _text(True).map(lambda t: "![" + t + "](img.png)\n" + t),
    # Found by a review: masked site markup before indented code, a footnote's
    # text, a marker beside a masked component's line.
    st.just('{{< youtube id="abc" >}}'),
    st.just("    $ make install"),
    _text(True).map(lambda t: "Ab[^1].\n\n[^1]: " + t),
    st.just("Ab\n<Tabs>\n==\n</Tabs>"),
)
_ARTICLES = st.tuples(
    st.sampled_from(["", "---\ntitle: Ab cd\nlang: en\n---\n", "---\n\n", "---\ntitle: Ab\n---\n\n"]),
    st.lists(st.tuples(_BLOCKS, st.sampled_from(["\n\n", "\n\n", "\n", "\n\n   ", "\n\n\t"])), min_size=1, max_size=6),
).map(lambda a: a[0] + "".join(block + sep for block, sep in a[1]).rstrip(" \t") + "\n")
_KINDS = st.sampled_from(["paragraph", "heading", "list item", "quote", "caption", "image", "table cell", "code"])


def _build(source: object, keys: list, translations: dict, addenda: list) -> object:
    try:
        return build_article(source, keys, translations, lang="cs", addenda=addenda)  # type: ignore[arg-type]
    except PipelineError as error:
        return ("error", str(error))


def _assert_shortcut_builds_as_the_full_check(source: object, keys: list, translations: dict, addenda: list) -> None:
    fast = _build(source, keys, translations, addenda)
    original = article_module.keeps_skeleton
    article_module.keeps_skeleton = lambda *args: False  # type: ignore[assignment]
    try:
        full = _build(source, keys, translations, addenda)
    finally:
        article_module.keeps_skeleton = original
    assert fast == full


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data(), _ARTICLES)
def test_the_shortcut_builds_what_the_full_check_builds(data: st.DataObject, text: str) -> None:
    try:
        source = parse_markdown(text, path="a.md", slug="a", lang="en")
    except PipelineError:
        return
    keys = segment_keys(source)
    hazards = data.draw(st.booleans())
    translations = {
        key: Translation(data.draw(_text(hazards)))
        for key in keys
        if data.draw(st.sampled_from(["translated", "translated", "missing"])) == "translated"
    }
    anchors = [("", "")] + keys
    addenda = data.draw(
        st.lists(st.builds(Addendum, st.sampled_from(anchors), _KINDS, _text(hazards)), max_size=3)
    )
    _assert_shortcut_builds_as_the_full_check(source, keys, translations, addenda)


_ARTICLE = """---
title: Day two
lang: en
---

## The talks

Kubernetes 1.30 arrived in [Prague](https://example.com), with `kubectl` news.

- First item
- Second item

| Speaker | Talk |
| --- | --- |
| Ann | Meshes |

Last words.
"""


def _shortcut_taken(translate: dict[str, str], addenda: list[Addendum]) -> bool:
    source = parse_markdown(_ARTICLE, path="a.md", slug="a", lang="en")
    keys = segment_keys(source)
    translations = {key: Translation(translate.get(key[1], "")) for key in keys}
    taken: list[bool] = []

    def spy(*args: object) -> bool:
        taken.append(article_module.keeps_skeleton.__wrapped__(*args))  # type: ignore[attr-defined]
        return taken[-1]

    spy.__wrapped__ = article_module.keeps_skeleton  # type: ignore[attr-defined]
    original = article_module.keeps_skeleton
    article_module.keeps_skeleton = spy  # type: ignore[assignment]
    try:
        build_article(source, keys, translations, lang="cs", addenda=addenda)
    except PipelineError:
        pass  # the full check found the structure changed: it was run
    finally:
        article_module.keeps_skeleton = original
    return taken[0]


def test_plain_translations_fallbacks_and_addenda_take_the_shortcut() -> None:
    translated = {
        "The talks": "Přednášky",
        "Kubernetes 1.30 arrived in [Prague](https://example.com), with `kubectl` news.":
            "Kubernetes 1.30 dorazil do [Prahy](https://example.com), s novinkami `kubectl`.",
        "First item": "První položka",
        "Ann": "Anna",
    }
    addendum = Addendum(after=("", "Last words."), kind="paragraph", text="Poznámka překladatele.")
    assert _shortcut_taken(translated, [addendum])
    assert _shortcut_taken({}, [])  # every segment a fallback with its marker


def test_text_that_could_change_the_structure_takes_the_full_check() -> None:
    assert not _shortcut_taken({"First item": "- Dvě\n- položky"}, [])
    assert not _shortcut_taken({"Ann": "Anna | Petr"}, [])
    assert not _shortcut_taken({"Last words.": "(Slova)"}, [])  # "(" may start a reference title
    assert not _shortcut_taken({}, [Addendum(after=("", "First item"), kind="table cell", text="Vloženo")])
    assert not _shortcut_taken({}, [Addendum(after=("", "First item"), kind="paragraph", text="> citace")])


def test_an_ordered_marker_the_writer_escapes_is_inert() -> None:
    # "1. slova" is written "1\\. slova": a paragraph, which the shortcut knows.
    assert _shortcut_taken({"Last words.": "1. slova"}, [])


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZ09 \t#$%+-:=@^{}~|.,;'\"()/?ěš中\u00a0\u200b") + ["\\", "`", "*", "_", "[", "]", "!", "<", ">", "&", "\n", "\r", "\x00"]), max_size=20))
def test_a_heading_without_inline_markup_is_shown_as_written(text: str) -> None:
    from pipeline.build import anchors

    parsed = anchors._inline_parser().parseInline(text)
    shown = "".join(
        t.content if t.type in ("text", "code_inline", "image") else " " if t.type in ("softbreak", "hardbreak") else ""
        for t in (parsed[0].children or [] if parsed else [])
    )
    assert anchors._rendered_text(text) == shown


_MASK_WORDS = st.sampled_from(
    ["a", " ", "\n", "\n\n", "    ", "<!-- untranslated: en -->", "<b>", "<Tabs>", "</Tabs>", "<CodeBlock>", "</CodeBlock>",
     "<br/>", "{/* c */}", "{{< x >}}", "{* y *}", "!!! note", "???", ":::tip", ":::", "///", "=== \"T\"", "import x from 'y'",
     "import\tx from 'y'", "export const a = 1", "export\tconst a = 1", "important", "see import x", "```", "<Foo/>", "< A", "<div>"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_MASK_WORDS, max_size=25).map("".join), st.booleans())
def test_masking_skips_only_bodies_it_would_leave_as_they_are(body: str, mdx: bool) -> None:
    from pipeline.read import extensions

    # Where the body holds any mark (a "<", or "import"/"export" followed by
    # anything: a tab too), the shortcut must give what the full line-by-line
    # pass gives; a body with none is left as it is (an MDX comment alone, as
    # ever, masks nothing).
    marks = ("!!!", "???", ":::", "///", "===", "{{", "{*", "<", "import", "export")
    full = any(mark in body for mark in marks)
    assert extensions.mask(body, mdx=mdx) == (extensions._mask_lines(body, mdx) if full else extensions.Masked(body))


@pytest.mark.parametrize(
    ("text", "translate", "addenda"),
    [
        # A list item added after a paragraph that masked site markup follows:
        # the indented code after it would become the item's text.
        ('Intro text.\n\n{{< youtube id="abc" >}}\n\n    $ make install\n', {"Intro text.": "Úvod."},
         [Addendum(("", "Intro text."), "list item", "Poznámka")]),
        # "[^1]: Viz." reads as a link reference definition: the full check falls back.
        ("Text with a note[^1].\n\n[^1]: See the manual.\n",
         {"Text with a note[^1].": "Text s poznámkou[^1].", "See the manual.": "Viz."}, []),
        # The marker after "==" keeps the masked <Tabs> line from ending the paragraph.
        ("Ab\n<Tabs>\n==\n</Tabs>\n", {}, []),
    ],
)
def test_cases_a_review_found_build_as_the_full_check_builds(text: str, translate: dict[str, str], addenda: list[Addendum]) -> None:
    source = parse_markdown(text, path="a.md", slug="a", lang="en")
    keys = segment_keys(source)
    translations = {key: Translation(translate[key[1]]) for key in keys if key[1] in translate}
    _assert_shortcut_builds_as_the_full_check(source, keys, translations, addenda)


def test_an_mdx_import_written_with_a_tab_is_masked_beside_a_tag() -> None:
    article = parse_markdown("import\tBanner from './banner.js'\n\nSome <b>bold</b> text.\n", path="a.md")
    assert [block.text for block in article.blocks] == ["Some <b>bold</b> text."]
