"""Building localized articles by splicing translations into the source."""

from __future__ import annotations

from pathlib import Path

import html5lib
import pytest

from pipeline.build.article import Addendum, Translation, build_article, neutralise_html
from pipeline.catalog.entries import segment_keys
from pipeline.errors import ProblemsFound
from pipeline.model import BlockKind, segments
from pipeline.read.markdown import parse_markdown
from pipeline.read.placeholders import translation_to_msgid_form

REPO = Path(__file__).resolve().parents[1]
SOURCES = sorted((REPO / "source").rglob("*.md"))

ARTICLE = """---
title: Day two
date: 2025-04-01
---

## What Rejekts Are

Rejekts is a small conference. See `kubectl` and [docs](https://k8s.io).

- Kuma is easy to deploy
- Linkerd is fast

| Tool | Note |
|---|---|
| Falco | runtime |
"""


def keys_of(article: object) -> list[tuple[str, str]]:
    return [("", s.text) for s in segments(article)]  # type: ignore[arg-type]


def html_tree(page: str) -> object:
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_identity_translation_rebuilds_every_article_byte_for_byte(path: Path) -> None:
    raw = path.read_text()
    article = parse_markdown(raw, path=str(path), lang=path.parent.name)
    keys = keys_of(article)
    built = build_article(article, keys, {k: Translation(k[1]) for k in keys}, lang="cs")
    assert built.markdown == raw
    assert built.translated == built.total and not built.fallbacks


def test_translations_fallbacks_date_and_html() -> None:
    article = parse_markdown(ARTICLE, path="source/en/a.md", lang="en")
    keys = keys_of(article)
    translations = {
        ("", "Day two"): Translation("Druhý den"),
        ("", "What Rejekts Are"): Translation("Co jsou Rejekts"),
        ("", "Rejekts is a small conference. See `kubectl` and [docs](https://k8s.io)."): Translation(
            "1. dubna 2025 byla malá konference. Viz `kubectl` a [dokumentace](https://k8s.io)."
        ),
        ("", "Kuma is easy to deploy"): Translation("Kuma se snadno nasazuje", fuzzy=True),
        ("", "Tool"): Translation("Nástroj"),
        ("", "Falco"): Translation("Falco"),
        ("", "Note"): Translation("Poznámka"),
        ("", "runtime"): Translation("za běhu"),
    }
    built = build_article(article, keys, translations, lang="cs")
    assert "title: Druhý den\n" in built.markdown
    assert "\n1\\. dubna 2025 byla malá konference." in built.markdown
    assert "- Kuma is easy to deploy <!-- untranslated: en -->\n" in built.markdown
    assert "- Linkerd is fast <!-- untranslated: en -->\n" in built.markdown
    assert [(s.text, why) for s, why in built.fallbacks] == [
        ("Kuma is easy to deploy", "fuzzy"),
        ("Linkerd is fast", "no translation"),
    ]
    assert built.translated == built.total - 2
    tree = html_tree(built.html)
    assert tree.get("lang") == "cs"  # type: ignore[attr-defined]
    assert tree.find(".//time").text == "1. dubna 2025"  # type: ignore[attr-defined]
    fallbacks = tree.findall(".//li[@class='untranslated']")  # type: ignore[attr-defined]
    assert [li.get("lang") for li in fallbacks] == ["en", "en"]
    with_fuzzy = build_article(article, keys, translations, lang="cs", include_fuzzy=True)
    assert "- Kuma se snadno nasazuje\n" in with_fuzzy.markdown


def test_raw_html_in_a_translation_is_shown_as_text() -> None:
    article = parse_markdown("Hello world.\n\nSecond <b>bold</b> one.\n", lang="en")
    keys = keys_of(article)
    translations = {
        keys[0]: Translation("<script>alert(1)</script> <img src=x onerror=alert(1)>"),
        keys[1]: Translation("Druhý <b>tučný</b> text."),
    }
    built = build_article(article, keys, translations, lang="cs")
    assert "<script" not in built.html and "<img" not in built.html
    assert "&lt;script&gt;alert(1)" in built.html
    assert "<b>tučný</b>" in built.html
    assert neutralise_html("<i>x</i>", "plain") == "&lt;i>x&lt;/i>"


def test_a_tag_only_a_lax_reader_sees_is_shown_as_text() -> None:
    """No tag to CommonMark (no space before onerror), but Python-Markdown, which
    renders the HTML page, passed it through: a script in the published page."""
    article = parse_markdown("A picture here.\n\nKeep <img src=x alt=\"a\"onerror=1> as is.\n", lang="en")
    keys = keys_of(article)
    translations = {
        keys[0]: Translation('Obrázek <img src=x alt="a"onerror=alert(1)> tady.'),
        keys[1]: Translation('Nech <img src=x alt="a"onerror=1> být.'),
    }
    built = build_article(article, keys, translations, lang="cs")
    assert "<img" not in built.html.split("Nech")[0]
    assert 'Obrázek &lt;img src=x alt="a"onerror=alert(1)> tady.' in built.markdown
    assert 'Nech <img src=x alt="a"onerror=1> být.' in built.markdown  # the source's own, as written
    assert neutralise_html("x <y z and a <b c", "x <y z and a <b c") == "x <y z and a <b c"


def test_broken_markup_falls_back_and_is_reported() -> None:
    article = parse_markdown("Use `kubectl` and [docs](https://k8s.io).\n", lang="en")
    keys = keys_of(article)
    built = build_article(article, keys, {keys[0]: Translation("Použij `kubectl a [docs](https://k8s.io).")}, lang="cs")
    assert built.fallbacks[0][1] == "unbalanced inline code"
    assert built.markdown.startswith("Use `kubectl` and [docs](https://k8s.io). <!-- untranslated: en -->")


def test_addenda_are_put_back_after_their_anchor() -> None:
    article = parse_markdown("First paragraph.\n\n- a\n- b\n\nLast paragraph.\n", lang="en")
    keys = keys_of(article)
    addenda = [
        Addendum(after=("", "First paragraph."), kind="paragraph", text="Popisek obrázku"),
        Addendum(after=("", "a"), kind="paragraph", text="Po seznamu"),
        Addendum(after=("", ""), kind="heading", text="Na začátku"),
    ]
    built = build_article(article, keys, {k: Translation(k[1].upper()) for k in keys}, lang="cs", addenda=addenda)
    assert built.markdown == (
        "## Na začátku\n\nFIRST PARAGRAPH.\n\nPopisek obrázku\n\n- A\n- B\n\nPo seznamu\n\nLAST PARAGRAPH.\n"
    )


def test_several_addenda_at_one_anchor_keep_their_order() -> None:
    # Front matter, a quote run and no newline at the end of the file.
    article = parse_markdown("---\ntitle: T\n---\n\n> q1\n>\n> q2\n\nEnd.", lang="en")
    keys = keys_of(article)
    addenda = [
        Addendum(after=("", ""), kind="paragraph", text="Datum"),
        Addendum(after=("", ""), kind="heading", text="Nadpis"),
        Addendum(after=("", "q1"), kind="paragraph", text="Jedna"),
        Addendum(after=("", "q1"), kind="paragraph", text="Dva"),
        Addendum(after=("", "End."), kind=BlockKind.LIST_ITEM.value, text="Poslední"),
    ]
    built = build_article(article, keys, {}, lang="cs", addenda=addenda)
    body = built.markdown.split("---\n", 2)[2]
    assert body == (
        "\nDatum\n\n## Nadpis\n\n> q1 <!-- untranslated: en -->\n>\n> q2 <!-- untranslated: en -->\n\n"
        "Jedna\n\nDva\n\nEnd. <!-- untranslated: en -->\n\n- Poslední"
    )


def test_a_translation_that_would_split_its_block_falls_back() -> None:
    article = parse_markdown("Para one.\n\nPara two.\n", path="source/en/x.md", lang="en")
    keys = keys_of(article)
    built = build_article(article, keys, {keys[0]: Translation("Jedna.\n\nDva.")}, lang="cs")
    assert built.fallbacks[0][1] == "a blank line would split the block"


def test_structure_guard_names_the_block(monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.build.article as build

    article = parse_markdown("Para one.\n\nPara two.\n", path="source/en/x.md", lang="en")
    keys = keys_of(article)
    # Simulate an escaping gap: the guard must catch what the escaping missed.
    monkeypatch.setattr(build, "apply_edits", lambda *a, **k: "- Jedna.\n\nPara two.\n")
    monkeypatch.setattr(build, "splice", lambda *a, **k: "- Jedna.\n\nPara two.\n")
    with pytest.raises(ProblemsFound) as caught:
        build_article(article, keys, {keys[0]: Translation("Jedna.")}, lang="cs")
    assert caught.value.path == "source/en/x.md" and caught.value.line == 1


STRUCTURED = """# Title

First paragraph.

- item one
- item two

Last paragraph.
"""


@pytest.mark.parametrize(
    ("segment", "translation"),
    [
        ("item two", "\n# Nadpis v položce"),  # a heading marker at its start, after a line break of its own
        ("item two", "\n1. bod"),  # a list marker at its start
        ("First paragraph.", "::: note První odstavec."),  # a Docusaurus admonition's first line
    ],
)
def test_a_translation_that_changes_the_structure_falls_back_alone(segment: str, translation: str) -> None:
    article = parse_markdown(STRUCTURED, path="source/en/x.md", lang="en")
    keys = keys_of(article)
    translations = {k: Translation(k[1].replace("paragraph", "odstavec").replace("item", "položka")) for k in keys}
    translations[("", segment)] = Translation(translation)
    built = build_article(article, keys, translations, lang="cs")
    assert [(s.text, why) for s, why in built.fallbacks] == [(segment, "the translation changes the article's block structure")]
    assert built.translated == built.total - 1
    # Every other translation is in; that one segment is the source's, marked for review.
    assert "Last odstavec." in built.markdown and "položka one" in built.markdown
    assert f"{segment} <!-- untranslated: en -->" in built.markdown
    rebuilt = parse_markdown(built.markdown, path="x.md", lang="cs")
    assert [b.kind for b in rebuilt.blocks] == [b.kind for b in article.blocks]


def test_attribute_lists_and_addenda_cannot_inject_html() -> None:
    article = parse_markdown("## Heading\n\nText *here*.\n", lang="en")
    keys = keys_of(article)
    translations = {
        keys[0]: Translation('Nadpis {: onmouseover="alert(1)" }'),
        keys[1]: Translation('Text *tady*{: onclick="alert(1)" }.'),
    }
    addenda = [Addendum(after=keys[1], kind="paragraph", text="Pozor <img src=x onerror=\"alert('x')\"> konec")]
    built = build_article(article, keys, translations, lang="cs", addenda=addenda)
    assert "onmouseover=" not in built.html.replace('{: onmouseover="alert(1)" }', "")
    assert "<h2 onmouseover" not in built.html and "<em onclick" not in built.html
    assert "<img" not in built.html and "&lt;img" in built.html


def test_hard_breaks_become_line_breaks_in_html() -> None:
    article = parse_markdown("Roses are red,  \nviolets are blue.\n", lang="en")
    keys = keys_of(article)
    built = build_article(article, keys, {keys[0]: Translation("Růže jsou rudé,\\\nfialky modré.")}, lang="cs")
    assert "Růže jsou rudé,<br>" in built.html and "\\" not in built.html.split("<article>")[1]


def test_a_translated_label_of_a_shortcut_or_collapsed_reference_is_not_published() -> None:
    # Hugo and MkDocs pages link with "[text][]" and "[text]": the text is the
    # label, so a translated text would leave brackets where the link was.
    article = parse_markdown(
        "Set it in your [project configuration][].\n\nUse [admonitions] or quotes.\n\n"
        "Keep [the same][project configuration] here.\n\n"
        "[project configuration]: /configuration/imaging/\n[admonitions]: admonitions.md\n",
        path="source/en/refs.md",
        lang="en",
    )
    keys = keys_of(article)
    translations = {
        keys[0]: Translation("Nastavte ji v [konfiguraci projektu][]."),
        keys[1]: Translation("Použijte [poznámky] nebo citace."),
        keys[2]: Translation("Ponechte [totéž][project configuration] zde."),
    }
    built = build_article(article, keys, translations, lang="cs")
    assert [segment.text for segment, _why in built.fallbacks] == [keys[0][1], keys[1][1]]
    assert "Set it in your [project configuration][]." in built.markdown
    assert "Use [admonitions] or quotes." in built.markdown
    assert "Ponechte [totéž][project configuration] zde." in built.markdown
    assert built.html.count('href="/configuration/imaging/"') == 2 and 'href="admonitions.md"' in built.html


@pytest.mark.parametrize(
    "translation",
    [
        "Čtěte ![průvodce][1] a [logo][2] teď.",  # the page's URL as an image, the image's as a link
        "Čtěte [průvodce][1] a ![logo][2] teď, viz <https://evil.example>.",  # a link the source has not
    ],
)
def test_a_translation_that_changes_where_its_links_lead_is_not_published(translation: str) -> None:
    source = "Read [the guide](https://g.example) and ![logo](https://l.example/x.png) now.\n"
    article = parse_markdown(source, path="source/en/links.md", lang="en")
    keys = [("", "Read [the guide][1] and ![logo][2] now.")]
    built = build_article(article, keys, {keys[0]: Translation(translation)}, lang="cs")
    assert built.translated == 0 and built.markdown.startswith(source.rstrip("\n"))
    assert "evil.example" not in built.html and built.html.count('src="https://l.example/x.png"') == 1


def test_the_front_matter_lang_keeps_the_articles_line_endings() -> None:
    source = "---\r\ntitle: Hello\r\nlang: en\r\n---\r\n\r\nSome text.\r\n"
    article = parse_markdown(source, path="source/en/crlf.md", lang="en")
    keys = keys_of(article)
    built = build_article(article, keys, {k: Translation(k[1]) for k in keys}, lang="cs")
    assert built.markdown == source.replace("lang: en", "lang: cs")


def test_a_closed_atx_heading_gets_its_id_as_the_end_of_the_line() -> None:
    # "## Title ## {#id}": the closing hashes are no longer one, and show.
    source = "## Closed heading ##\n\n## Other {#other}\n\nText.\n"
    article = parse_markdown(source, path="source/en/closed.md", lang="en")
    keys = keys_of(article)
    built = build_article(article, keys, {keys[0]: Translation("Uzavřený nadpis")}, lang="cs")
    assert built.markdown.startswith("## Uzavřený nadpis {#closed-heading}\n")
    assert '<h2 id="closed-heading">Uzavřený nadpis</h2>' in built.html


def test_a_heading_shown_in_english_gets_no_id_after_its_marker() -> None:
    """In an article that writes ids, a translated heading keeps the source's
    anchor with an id; one shown in English needs none, and an id after the
    review marker would be text to the site's reader."""
    article = parse_markdown("# Intro {#intro}\n\n## Second part\n\nText.\n\n## Third\n\nMore.\n", lang="en")
    keys = keys_of(article)
    translations = {keys[3]: Translation("Třetí"), keys[1]: Translation("Druhá část", fuzzy=True)}
    markdown = build_article(article, keys, translations, lang="cs").markdown
    assert "## Second part <!-- untranslated: en -->\n" in markdown
    assert "## Třetí {#third}\n" in markdown


SEC101 = REPO / "bench" / "data" / "heldout-sec101"


@pytest.mark.parametrize("placeholders", [True, False])
def test_a_translation_pointing_at_localized_copies_of_images_is_published(placeholders: bool) -> None:
    # Security-101's first lesson and two lines of its Czech machine translation:
    # the video thumbnail and a figure, each pointing at a localized copy.
    name = "sec101-1.1-the-cia-triad-and-other-key-concepts"
    article = parse_markdown((SEC101 / f"{name}.en.md").read_text(encoding="utf-8"), path=f"source/en/{name}.md", lang="en")
    czech = (SEC101 / f"{name}.cs.md").read_text(encoding="utf-8").splitlines()
    keys = segment_keys(article, placeholders=placeholders)
    by_source = dict(zip((s.text for s in segments(article)), keys))
    legacy = {
        "Watch the video": next(line for line in czech if "Sledujte video" in line),
        "ciatriad": next(line for line in czech if "translated_images/ciatriad." in line),
    }
    translations: dict[tuple[str, str], Translation] = {}
    for needle, line in legacy.items():
        source = next(text for text in by_source if needle in text)
        msgstr = translation_to_msgid_form(line, source) if placeholders else line
        assert msgstr is not None
        translations[by_source[source]] = Translation(msgstr)
    built = build_article(article, keys, translations, lang="cs")
    assert built.translated == 2
    for line in legacy.values():
        assert "\n" + line + "\n" in built.markdown
    assert built.html.count('src="../../translated_images/') == 2
    # A copy of another image is not the source's: shown in English.
    key = by_source[next(text for text in by_source if "ciatriad" in text)]
    wrong = {**translations, key: Translation(translations[key].msgstr.replace("ciatriad.", "circleofrisk."))}
    built = build_article(article, keys, wrong, lang="cs")
    assert built.translated == 1 and "![image](/images/ciatriad.png) <!-- untranslated: en -->" in built.markdown
