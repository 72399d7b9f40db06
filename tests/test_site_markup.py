"""Site markup (MkDocs, Docusaurus, PyMdown, Hugo, MDX) defects found in review:
code in JSX code components, admonition titles, the HTML page, review markers."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.build.article import Translation, build_article
from pipeline.catalog.entries import segment_keys
from pipeline.model import Article, segments
from pipeline.read.markdown import parse_markdown
from tests.test_real_content import SITES, invoke, make_project

CODE_COMPONENTS_MDX = """import CodeBlock from '@theme/CodeBlock';

Install the package first.

<CodeBlock language="bash">
npm install x
export PATH=$HOME/bin:$PATH
</CodeBlock>

Then start the server:

<TerminalBlock>
npm run dev
</TerminalBlock>

<CodeBlock language="js">console.log("hello")</CodeBlock>

<Sandpack>

```js
export default function App() {}
```

</Sandpack>
"""


def _texts(source: str) -> list[str]:
    return [seg.text for seg in segments(parse_markdown(source, path="doc.mdx", lang="en"))]


def test_the_body_of_a_jsx_code_component_is_code_not_text() -> None:
    texts = _texts(CODE_COMPONENTS_MDX)
    assert texts == ["Install the package first.", "Then start the server:"]
    article = parse_markdown(CODE_COMPONENTS_MDX, path="doc.mdx", lang="en")
    keys = segment_keys(article)
    built = build_article(article, keys, {k: Translation(k[1].upper()) for k in keys}, lang="de")
    assert built.markdown == CODE_COMPONENTS_MDX.replace("Install the package first.", "INSTALL THE PACKAGE FIRST.").replace(
        "Then start the server:", "THEN START THE SERVER:"
    )


ADMONITIONS = """---
title: Setup
---

Some text before the notes.

!!! note "Read this first"
    The server needs a key.

:::tip[Before you start]

Install the tools.

:::
"""


def test_an_admonition_title_that_would_break_its_marker_falls_back_and_is_reported(tmp_path: Path) -> None:
    import polib

    root = make_project(tmp_path, {"setup": ADMONITIONS})
    assert invoke(root, "run", "--quiet", "--threshold", "0", "--jobs", "1")[0] == 0
    po_path = root / "locales/de/LC_MESSAGES/setup.po"
    po = polib.pofile(str(po_path))
    kinds = {e.msgid: e.comment.split("\n")[0] for e in po}
    assert kinds["Read this first"] == kinds["Before you start"] == "admonition title"
    german = {
        "Setup": "Einrichtung",
        "Some text before the notes.": "Etwas Text vor den Hinweisen.",
        "Read this first": 'Zuerst "das" lesen',
        "The server needs a key.": "Der Server braucht einen Schlüssel.",
        "Before you start": "Bevor Sie\nbeginnen ]",
        "Install the tools.": "Installieren Sie die Werkzeuge.",
    }
    for entry in po:
        entry.msgstr = german[entry.msgid]
    po.save(str(po_path))
    code, out, _err = invoke(root, "check")
    assert code != 0
    assert 'a " would end the admonition title' in out and "a line break would end the admonition title" in out
    code, _out, err = invoke(root, "build", "--threshold", "0")
    assert code == 0, err
    built = (root / "output/de/setup.md").read_text()
    # The titles stay in the source language, with no marker inside the markup.
    assert '!!! note "Read this first"\n' in built and ":::tip[Before you start]\n" in built
    assert "Der Server braucht einen Schlüssel." in built and "Installieren Sie die Werkzeuge." in built
    # A quote is fine where the source title has one; an image caption is no title.
    from pipeline.check.checks import structure_breaks

    assert structure_breaks('Ein "Zitat"', 'A "quote"', "admonition title") == ""
    assert structure_breaks('Ein "Zitat"', "A quote", "caption") == ""
    assert structure_breaks("Zwei\nZeilen", "Two lines", "caption") == ""


SITE_PAGE = """import Tabs from '@theme/Tabs';
import TabItem from '@theme/TabItem';

Intro paragraph.

{/* prettier-ignore */}

<Tabs>
<TabItem value="npm" label="npm">

Install with npm.

</TabItem>
</Tabs>

{{< figure src="stage.jpg" caption="The stage" >}}

{{% notice info %}}
Hugo notice text.
{{% /notice %}}

{{< highlight go >}}
fmt.Println("hi")
{{< /highlight >}}

<CodeBlock language="bash">
npm install x
</CodeBlock>

!!! warning "Read this first"
    The **server** needs a key.

    - one
    - two

???+ tip
    Folded text.

:::note[Before you start]

Install the tools.

:::

/// details | Summary
Hidden text.
///

Closing paragraph.
"""


def test_the_html_page_shows_no_site_markup_and_renders_admonitions(tmp_path: Path) -> None:
    import html5lib

    article = parse_markdown(SITE_PAGE, path="doc.mdx", lang="en")
    keys = segment_keys(article)
    for publish in (False, True):
        built = build_article(article, keys, {k: Translation(k[1]) for k in keys}, lang="de", publish=publish)
        assert built.output_markdown == SITE_PAGE  # the .md stays the source, byte for byte
        page = built.html
        html5lib.HTMLParser(strict=False).parse(page)
        for raw in ("import ", "{/*", "{{", "<Tabs", "TabItem", ":::", "///", "!!!", "???", "CodeBlock", "<pre><code>The"):
            assert raw not in page, raw
        assert '<div class="admonition warning">\n<p class="admonition-title">Read this first</p>\n<p>The <strong>server</strong> needs a key.</p>' in page
        assert "<li>one</li>" in page
        assert '<details class="tip" open>\n<summary>Tip</summary>\n<p>Folded text.</p>' in page
        assert '<div class="admonition note">\n<p class="admonition-title">Before you start</p>\n<p>Install the tools.</p>' in page
        assert '<p class="admonition-title">Summary</p>\n<p>Hidden text.</p>' in page
        assert '<code class="language-bash">npm install x' in page and '<code class="language-go">fmt.Println' in page
        assert "<p>Install with npm.</p>" in page and "<p>Hugo notice text.</p>" in page
        assert page.index("Intro paragraph.") < page.index("Read this first") < page.index("Closing paragraph.")


def test_a_review_marker_goes_after_a_headings_explicit_id() -> None:
    source = "## Getting started {#start}\n\nSome text.\n"
    article = parse_markdown(source, path="doc.md", lang="en")
    keys = segment_keys(article)
    built = build_article(article, keys, {}, lang="de")
    assert built.markdown == "## Getting started {#start} <!-- untranslated: en -->\n\nSome text. <!-- untranslated: en -->\n"
    assert parse_markdown(built.markdown).blocks[0].anchor == "start"
    assert '<h2 id="start" lang="en" class="untranslated"' in built.html and "{#start}" not in built.html
    published = build_article(article, keys, {}, lang="de", publish=True)
    assert published.output_markdown == source


def test_an_mdx_article_gets_mdx_comments_as_review_markers() -> None:
    source = "## Getting started {#start}\n\nSome text.\n"
    article = parse_markdown(source, path="docs/intro.mdx", lang="en")
    keys = segment_keys(article)
    built = build_article(article, keys, {}, lang="de")
    assert built.markdown == "## Getting started {#start} {/* untranslated: en */}\n\nSome text. {/* untranslated: en */}\n"
    assert parse_markdown(built.markdown, path="docs/intro.mdx").blocks[0].anchor == "start"
    assert '<p lang="en" class="untranslated"' in built.html and "{/*" not in built.html
    assert build_article(article, keys, {}, lang="de", publish=True).output_markdown == source
    # A .md file keeps the HTML comment.
    md = parse_markdown(source, path="docs/intro.md", lang="en")
    assert "<!-- untranslated: en -->" in build_article(md, segment_keys(md), {}, lang="de").markdown


def _build(source: str, translate: dict[str, str], path: str = "doc.md") -> str:
    article = parse_markdown(source, path=path, lang="en")
    keys = segment_keys(article)
    assert build_article(article, keys, {k: Translation(k[1]) for k in keys}, lang="de").markdown == source
    built = build_article(article, keys, {k: Translation(translate.get(k[1], k[1])) for k in keys}, lang="de")
    assert not built.fallbacks, built.fallbacks
    return built.markdown


def _identity_page(article: Article) -> str:
    keys = segment_keys(article)
    return build_article(article, keys, {k: Translation(k[1]) for k in keys}, lang="de", publish=True).html


def _kinds(source: str, path: str = "doc.md") -> list[tuple[str, str]]:
    return [(seg.kind.value, seg.text) for seg in segments(parse_markdown(source, path=path, lang="en"))]


def test_content_tabs_are_containers_their_titles_translated_in_place() -> None:
    source = (SITES / "mkdocs-material-content-tabs.md").read_text(encoding="utf-8")
    kinds = _kinds(source)
    assert ("admonition title", "Feature enabled") in kinds and ("admonition title", "C++") in kinds
    # A tab's body is text, not indented code; a tab with no body is only its title.
    assert ("paragraph", "[![Linked content tabs enabled]][Linked content tabs enabled]") in kinds
    assert ("admonition title", "... or me ...") in kinds
    assert not any("===" in text for _kind, text in kinds)
    built = _build(source, {"Feature enabled": "Funktion aktiviert", "Unordered List": "Ungeordnete Liste"})
    assert '=== "Funktion aktiviert"\n\n    [![Linked content tabs enabled]]' in built
    assert '    === "Ungeordnete Liste"\n' in built  # the tab inside "!!! example", at its depth
    article = parse_markdown(source, path="doc.md", lang="en")
    page = _identity_page(article)
    assert '<div class="admonition tab">\n<p class="admonition-title">Feature enabled</p>' in page
    assert "<p>===" not in page and "<p>=== " not in page.replace("\n", " ")


NESTED = """Admonitions can be nested, and put in list items.

!!! note "Phasellus posuere"

    Lorem ipsum dolor sit amet, consectetur adipiscing elit.

    !!! warning "Nulla et euismod"

        Nulla et euismod nulla.

1. Install the package.

    !!! tip "Use a virtual environment"

        Keeps the system Python clean.

2. Run the server:

   :::tip Port
   It listens on port 8000.
   :::

Indented code that shows the syntax stays code:

    !!! note "Not an admonition"
        Code.
"""


def test_admonitions_are_read_at_any_depth() -> None:
    kinds = _kinds(NESTED)
    assert kinds == [
        ("paragraph", "Admonitions can be nested, and put in list items."),
        ("admonition title", "Phasellus posuere"),
        ("paragraph", "Lorem ipsum dolor sit amet, consectetur adipiscing elit."),
        ("admonition title", "Nulla et euismod"),
        ("paragraph", "Nulla et euismod nulla."),
        ("list item", "Install the package."),
        ("admonition title", "Use a virtual environment"),
        ("paragraph", "Keeps the system Python clean."),
        ("list item", "Run the server:"),
        ("admonition title", "Port"),
        ("paragraph", "It listens on port 8000."),
        ("paragraph", "Indented code that shows the syntax stays code:"),
    ]
    built = _build(NESTED, {"Nulla et euismod": "Vorsicht", "Port": "Anschluss", "Keeps the system Python clean.": "Hält Python sauber."})
    assert '    !!! warning "Vorsicht"\n' in built and "   :::tip Anschluss\n" in built
    assert "        Hält Python sauber.\n" in built
    article = parse_markdown(NESTED, path="doc.md", lang="en")
    page = _identity_page(article)
    assert '<p class="admonition-title">Phasellus posuere</p>\n<p>Lorem ipsum' in page
    assert '<div class="admonition warning">\n<p class="admonition-title">Nulla et euismod</p>\n<p>Nulla et euismod nulla.</p>\n</div>' in page
    # In a list item, the admonition stays in the item: neither code nor marker.
    assert (
        '<p>Install the package.</p>\n<div class="admonition tip">\n<p class="admonition-title">Use a virtual environment</p>\n'
        "<p>Keeps the system Python clean.</p>\n</div>\n</li>" in page
    )
    assert '<p>Run the server:</p>\n<div class="admonition tip">\n<p class="admonition-title">Port</p>\n<p>It listens on port 8000.</p>\n</div>' in page
    assert "!!!" not in page.split("<pre>")[0] and ":::" not in page


def test_a_component_or_shortcode_line_between_text_lines_stays_in_its_paragraph() -> None:
    # CommonMark (and Hugo, MDX) read such a line as part of the paragraph around it.
    hugo = (
        "The bundle holds the page and its images,\n"
        '{{< figure src="bundle.png" >}}\n'
        "all in one folder.\n\n"
        "{{< figure src=\"alone.png\" >}}\n\n"
        "After.\n"
    )
    assert _kinds(hugo) == [
        ("paragraph", 'The bundle holds the page and its images, {{< figure src="bundle.png" >}} all in one folder.'),
        ("paragraph", "After."),
    ]
    built = _build(hugo, {'The bundle holds the page and its images, {{< figure src="bundle.png" >}} all in one folder.':
                          'Das Bündel enthält die Seite, {{< figure src="bundle.png" >}} alles in einem Ordner.'})
    assert built.startswith('Das Bündel enthält die Seite,\n{{< figure src="bundle.png" >}}\nalles in einem Ordner.\n\n')
    mdx = "Press\n<Kbd>\nCtrl+C\n</Kbd>\nto copy.\n\n<Tabs>\n<TabItem value=\"a\">\nInstall it.\n</TabItem>\n</Tabs>\n\nText before.\n<Details>\nA block of its own.\n"
    assert _kinds(mdx, "doc.mdx") == [
        ("paragraph", "Press <Kbd> Ctrl+C </Kbd> to copy."),
        ("paragraph", "Install it."),
        ("paragraph", "Text before."),
        ("paragraph", "A block of its own."),  # <Details> is an HTML block to CommonMark: it may interrupt
    ]
    _build(mdx, {}, "doc.mdx")
    article = parse_markdown(hugo, path="doc.md", lang="en")
    page = _identity_page(article)
    assert "<p>The bundle holds the page and its images,\nall in one folder.</p>" in page and "{{" not in page


# Hugo's docs (content/en/functions/images/Mask.md, shortcodes/qr.md) and a README header.
ATTRIBUTES = """Intro.

{{< figure src="stage.jpg" caption="The keynote stage" alt="A stage with a screen" class="wide" >}}

{{< img
  src="images/examples/zion-national-park.jpg"
  alt="Zion National Park"
  filter="mask"
  example=true
>}}

{{</* figure src=/images/kitten.jpg alt="A white kitten" */>}}

<p align="center">
  <img src="logo.png" alt="The project logo" width="200">
  <img src="empty.png" alt="">
</p>
"""


def test_shortcode_text_parameters_and_html_alt_texts_are_segments_of_their_own() -> None:
    assert _kinds(ATTRIBUTES)[1:] == [
        ("attribute", "The keynote stage"),
        ("attribute", "A stage with a screen"),
        ("attribute", "Zion National Park"),
        ("attribute", "The project logo"),
    ]
    german = {
        "The keynote stage": "Die Bühne der Keynote",
        "A stage with a screen": "Eine Bühne mit Leinwand",
        "Zion National Park": "Zion-Nationalpark",
        "The project logo": "Das Logo des Projekts",
    }
    built = _build(ATTRIBUTES, german)
    assert '{{< figure src="stage.jpg" caption="Die Bühne der Keynote" alt="Eine Bühne mit Leinwand" class="wide" >}}' in built
    assert '  alt="Zion-Nationalpark"\n  filter="mask"' in built
    assert '<img src="logo.png" alt="Das Logo des Projekts" width="200">' in built and 'alt="A white kitten"' in built
    article = parse_markdown(ATTRIBUTES, path="doc.md", lang="en")
    page = build_article(
        article, segment_keys(article), {k: Translation(german.get(k[1], k[1])) for k in segment_keys(article)}, lang="de"
    ).html
    assert 'alt="Das Logo des Projekts"' in page and "{{" not in page
    assert _kinds('<!-- <img src="old.png" alt="An old logo"> -->\n\nText.\n') == [("paragraph", "Text.")]  # a comment
    # The page shows a figure as Hugo's own template does, with the translated texts.
    assert (
        '<figure><img src="stage.jpg" alt="Eine Bühne mit Leinwand"><figcaption><p>Die Bühne der Keynote</p></figcaption></figure>'
        in page
    )


def test_a_translated_attribute_that_would_end_its_quotes_falls_back_and_is_reported(tmp_path: Path) -> None:
    from pipeline.check.checks import structure_breaks

    assert structure_breaks('Die "Bühne"', "The stage", "attribute") == 'a " would end the attribute'
    assert structure_breaks("Die\nBühne", "The stage", "attribute") == "a line break would end the attribute"
    assert structure_breaks("Die [Bühne]", "The stage", "attribute") == ""
    root = make_project(tmp_path, {"stage": "---\ntitle: Stage\n---\n\n" + ATTRIBUTES})
    assert invoke(root, "run", "--quiet", "--threshold", "0", "--jobs", "1")[0] == 0
    import polib

    po_path = root / "locales/de/LC_MESSAGES/stage.po"
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = {"The keynote stage": 'Die "Bühne"', "The project logo": "Das Logo"}.get(entry.msgid, entry.msgid)
    assert po.find("The keynote stage").comment.startswith("attribute")
    po.save(str(po_path))
    code, out, _err = invoke(root, "check")
    assert code == 1 and 'a " would end the attribute' in out
    assert invoke(root, "build", "--threshold", "0")[0] == 0
    built = (root / "output/de/stage.md").read_text()
    assert 'caption="The keynote stage"' in built and 'alt="Das Logo"' in built and "untranslated" not in built.split("Intro.")[1].split("\n")[2]


def test_an_untranslated_article_title_is_marked_as_the_source_language_in_the_page() -> None:
    source = "---\ntitle: Getting started\n---\n\nSome text.\n"
    article = parse_markdown(source, path="doc.md", lang="en")
    keys = segment_keys(article)
    text_only = build_article(article, keys, {("", "Some text."): Translation("Etwas Text.")}, lang="de", publish=True)
    assert '<h1 lang="en">Getting started</h1>' in text_only.html
    both = build_article(article, keys, {k: Translation("Erste Schritte" if k[1] == "Getting started" else "Etwas Text.") for k in keys}, lang="de")
    assert "<h1>Erste Schritte</h1>" in both.html


# MkDocs (attr_list) and kramdown ids, a setext heading with an id, an id used twice.
HEADING_IDS = """# Setup {: #setup .wide }

Intro.

Getting started {#start}
========================

A long heading
over two lines {#two}
---------------------

## Plain

## Again {#start}
"""


def test_heading_ids_in_every_syntax_are_markup_and_kept_as_written() -> None:
    article = parse_markdown(HEADING_IDS, path="doc.md", lang="en")
    headings = [(b.text, b.anchor) for b in article.blocks if b.kind.value == "heading"]
    assert headings == [
        ("Setup", "setup"), ("Getting started", "start"), ("A long heading over two lines", "two"), ("Plain", ""), ("Again", "start")
    ]
    german = {"Setup": "Einrichtung", "Getting started": "Erste Schritte", "Plain": "Schlicht", "Again": "Nochmal",
              "A long heading over two lines": "Eine lange Überschrift über zwei Zeilen"}
    built = _build(HEADING_IDS, german)
    assert built.startswith("# Einrichtung {: #setup .wide }\n\nIntro.\n\nErste Schritte {#start}\n====")
    assert "über zwei Zeilen {#two}\n-----" in built
    # A translated heading gets its source slug, in the syntax the article uses, so
    # "#plain" reaches it in every language's Markdown page too.
    assert "## Schlicht {: #plain}\n" in built and "## Nochmal {#start}\n" in built
    keys = segment_keys(article)
    page = build_article(article, keys, {k: Translation(german.get(k[1], k[1])) for k in keys}, lang="de").html
    assert '<h1 id="start">Erste Schritte</h1>' in page and '<h2 id="start">Nochmal</h2>' in page  # the author's id, twice
    assert '<h2 id="plain">Schlicht</h2>' in page and "{:" not in page and "{#" not in page


def test_no_id_is_added_where_the_site_may_not_read_one() -> None:
    source = "## Getting started\n\nText.\n"
    assert _build(source, {"Getting started": "Erste Schritte"}) == "## Erste Schritte\n\nText.\n"  # GitHub shows "{#...}"
    assert _build(source, {"Getting started": "Erste Schritte"}, "doc.mdx") == "## Erste Schritte {#getting-started}\n\nText.\n"
    assert _build(source, {}, "doc.mdx") == source  # an untranslated heading: no change


def test_the_check_warns_about_two_headings_with_one_explicit_id(tmp_path: Path) -> None:
    from pipeline.read.markdown import may_repeat_heading_ids, repeated_heading_ids

    assert repeated_heading_ids(parse_markdown(HEADING_IDS, path="doc.md")) == (("start", 14, 5),)
    assert may_repeat_heading_ids(HEADING_IDS) and not may_repeat_heading_ids("## A {#a}\n\n## B {: #b}\n")
    # An id twice in code is no heading's: looked at, then not reported.
    in_code = "## A {#a}\n\n```md\n## A {#a}\n```\n"
    assert may_repeat_heading_ids(in_code) and repeated_heading_ids(parse_markdown(in_code)) == ()
    root = make_project(tmp_path, {"ids": "---\ntitle: Ids\n---\n\n" + HEADING_IDS})
    assert invoke(root, "run", "--quiet", "--threshold", "0", "--jobs", "1")[0] == 0
    code, out, _err = invoke(root, "check", "--format", "github")
    assert "::warning file=source/en/ids.md,line=18,title=l10n anchors::heading id #start is already used on line 9" in out, out


def test_code_components_and_shortcodes_inside_list_items_still_show_as_code() -> None:
    source = (
        '1. Install:\n\n   <CodeBlock language="bash">\n   npm install x\n   </CodeBlock>\n\n'
        '2. Then:\n\n   {{< highlight go >}}\n   fmt.Println("x")\n   {{< /highlight >}}\n'
    )
    page = _identity_page(parse_markdown(source, path="doc.mdx", lang="en"))
    assert "<pre><code>npm install x\n</code></pre>" in page and '<pre><code>fmt.Println("x")\n</code></pre>' in page


_WORDS = st.lists(
    st.sampled_from(["alpha", "beta", "gamma", "delta", "the", "page", "`code`", "[link](x.md)"]), min_size=1, max_size=6
)
_SENTENCE = _WORDS.map(lambda w: " ".join(w).capitalize() + ".")
_TITLE = _WORDS.map(lambda w: " ".join(w).replace("`", "").replace("[", "").replace("](x.md)", ""))


def _indent(text: str, by: str) -> str:
    return "\n".join(by + line if line else "" for line in text.split("\n"))


def _containers(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """``children`` inside an admonition, a tab, a list item or a Docusaurus block."""
    body = st.lists(children, min_size=1, max_size=3).map("\n\n".join)
    return st.one_of(
        st.tuples(st.sampled_from(["!!! note", "??? tip", "???+ warning", "==="]), _TITLE, body).map(
            lambda p: f'{p[0]} "{p[1]}"\n\n' + _indent(p[2], "    ")
        ),
        st.tuples(st.sampled_from(["- ", "1. "]), _SENTENCE, body).map(
            lambda p: p[0] + p[1] + "\n\n" + _indent(p[2], "   " if p[0] == "1. " else "    ")
        ),
        st.tuples(_TITLE, body).map(lambda p: f":::tip {p[0]}\n\n{p[1]}\n\n:::"),
    )


def _site_document() -> st.SearchStrategy[str]:
    """Documents of site containers nested in each other and in list items, with
    shortcodes (text parameters too) and component lines between text lines."""
    leaf = st.one_of(
        _SENTENCE,
        st.tuples(_SENTENCE, _SENTENCE).map(lambda p: f'{p[0]}\n{{{{< figure src="a.png" >}}}}\n{p[1]}'),
        st.tuples(_SENTENCE, _SENTENCE).map(lambda p: f"{p[0]}\n<Kbd>\n{p[1]}"),
        st.tuples(_TITLE, _TITLE).map(lambda t: f'{{{{< figure src="a.png" caption="{t[0]}" alt="{t[1]}" >}}}}'),
        st.just('```md\n!!! note "In code"\n    Kept.\n```'),
    )
    documents = st.lists(st.recursive(leaf, _containers, max_leaves=6), min_size=1, max_size=4)
    return documents.map(lambda blocks: "\n\n".join(blocks) + "\n")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_site_document())
def test_nested_site_markup_round_trips_and_keeps_markers_out_of_msgids(text: str) -> None:
    from pipeline.build.fidelity import round_trip

    result = round_trip(text)
    assert result.identity and result.kept, (result.error, result.fallbacks, result.translated)
    for _kind, segment in _kinds(text):
        assert not segment.startswith(("!!!", "???", "=== ", ":::", "{{<")), segment
    # The page shows the containers, none of their markers (code aside).
    from pipeline.build.html import render_markdown_html

    page = render_markdown_html(text)
    assert "l10nadmonition" not in page
    shown = re.sub(r"<pre>.*?</pre>", "", page, flags=re.DOTALL)
    assert not any(marker in shown for marker in ("!!!", "???", "===", ":::", "{{")), page


def test_the_alt_text_of_an_img_inside_a_sentence_may_be_translated_and_nothing_else_of_it() -> None:
    source = 'The logo <img src="logo.png" alt="Project logo" width="20"> is new.\n'
    built = _build(source, {k: v for k, v in [(source.strip(), 'Das Logo <img src="logo.png" alt="Projektlogo" width="20"> ist neu.')]})
    assert built == 'Das Logo <img src="logo.png" alt="Projektlogo" width="20"> ist neu.\n'
    article = parse_markdown(source, path="doc.md", lang="en")
    keys = segment_keys(article)
    moved = build_article(article, keys, {keys[0]: Translation('Das Logo <img src="evil.png" alt="Projektlogo" width="20">.')}, lang="de")
    assert '&lt;img src="evil.png"' in moved.markdown  # any other change is text, as before
    assert '<img src="logo.png" alt="Projektlogo" width="20">' in build_article(
        article, keys, {keys[0]: Translation('Das Logo <img src="logo.png" alt="Projektlogo" width="20"> ist neu.')}, lang="de"
    ).html
