"""Issue #20: content beyond the bundled articles, as a new user writes it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.build.article import build_article
from pipeline.catalog.entries import segment_keys
from pipeline.cli.main import cli
from pipeline.commands import build as build_command
from pipeline.errors import ProblemsFound
from pipeline.read.markdown import parse_markdown

IMAGE_ARTICLE = """---
title: Keynote
date: 2025-04-01
---

The conference opened on Monday.

![The keynote stage](https://example.com/stage.jpg)

After the keynote, the talks started.
"""


def make_project(root: Path, articles: dict[str, str], languages: str = '["de"]') -> Path:
    (root / "source" / "en").mkdir(parents=True)
    (root / "pyproject.toml").write_text(f'[tool.l10n]\nsource_lang = "en"\nlanguages = {languages}\n')
    for slug, text in articles.items():
        (root / "source" / "en" / f"{slug}.md").write_text(text)
    return root


def invoke(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--root", str(root), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_an_article_with_a_standalone_image_builds_untranslated_in_every_language(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"keynote": IMAGE_ARTICLE}, '["de", "cs", "sk", "pl"]')
    code, out, err = invoke(root, "run", "--quiet", "--threshold", "0", "--jobs", "1")
    assert (code, err) == (0, ""), out
    for lang in ("de", "cs", "sk", "pl"):
        page = (root / "output" / lang / "keynote.md").read_text()
        assert "![The keynote stage](https://example.com/stage.jpg)" in page
    code, out, err = invoke(root, "build", "--threshold", "0")
    assert (code, err) == (0, "")


def test_a_leading_rule_and_setext_heading_build_with_fallback_markers() -> None:
    # CommonMark spec example 96: the fallback marker on "Foo" ("<!-- untranslated: en -->")
    # made the leading '---' read as front matter and the build fail.
    article = parse_markdown("---\nFoo\n---\nBar\n---\nBaz\n", path="spec-96.md", lang="en")
    built = build_article(article, segment_keys(article), {}, lang="de")
    assert built.markdown.startswith("---\nFoo <!-- untranslated: en -->\n---\n")


def test_run_says_on_stderr_why_an_article_failed_and_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path, {"keynote": IMAGE_ARTICLE, "other": "# Other\n\nText.\n"})

    def failing(source, *args, **kwargs):  # type: ignore[no-untyped-def]
        if source.slug == "keynote":
            raise ProblemsFound("the de build changes the article's structure", path=source.path, line=8)
        return real(source, *args, **kwargs)

    real = build_command.build_article
    monkeypatch.setattr(build_command, "build_article", failing)
    code, out, err = invoke(root, "run", "--quiet", "--threshold", "0", "--jobs", "1")
    assert code == 1
    assert err.splitlines() == [
        "error: de/keynote: source/en/keynote.md:8: the de build changes the article's structure"
    ], err
    assert "failed" in out
    # A second run skips the unchanged article and still says why.
    code, out, err = invoke(root, "run", "--quiet", "--threshold", "0", "--jobs", "1")
    assert code == 1 and "error: de/keynote:" in err


def test_a_standalone_image_is_an_image_block_and_the_text_under_it_its_caption() -> None:
    text = IMAGE_ARTICLE.replace(
        "![The keynote stage](https://example.com/stage.jpg)\n",
        "![The keynote stage](https://example.com/stage.jpg)\n\n*The keynote stage in London*\n",
    )
    article = parse_markdown(text, path="keynote.md", lang="en")
    assert [(b.kind.value, b.text) for b in article.blocks] == [
        ("paragraph", "The conference opened on Monday."),
        ("image", "![The keynote stage](https://example.com/stage.jpg)"),
        ("caption", "*The keynote stage in London*"),
        ("paragraph", "After the keynote, the talks started."),
    ]
    # Not every paragraph after an image is its caption.
    assert parse_markdown(IMAGE_ARTICLE, lang="en").blocks[2].kind.value == "paragraph"


def test_an_image_translates_its_alt_text_and_keeps_its_url() -> None:
    from pipeline.build.article import Translation

    article = parse_markdown(IMAGE_ARTICLE, path="keynote.md", lang="en")
    keys = segment_keys(article)
    image = ("", "![The keynote stage](https://example.com/stage.jpg)")
    good = {image: Translation("![Die Keynote-Bühne](https://example.com/stage.jpg)")}
    built = build_article(article, keys, good, lang="de")
    assert "![Die Keynote-Bühne](https://example.com/stage.jpg)\n" in built.markdown
    assert 'alt="Die Keynote-Bühne"' in built.html
    moved = {image: Translation("![Die Keynote-Bühne](https://example.com/buehne.jpg)")}
    built = build_article(article, keys, moved, lang="de")
    assert "![The keynote stage](https://example.com/stage.jpg) <!-- untranslated: en -->" in built.markdown
    assert [why for _, why in built.fallbacks if "differs" in why] == ["link target differs from the source"]


def test_publish_leaves_out_review_markers_and_keeps_only_lang(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"keynote": IMAGE_ARTICLE})
    assert invoke(root, "run", "--quiet", "--threshold", "0", "--jobs", "1")[0] == 0
    review = (root / "output/de/keynote.html").read_text()
    assert 'class="untranslated"' in review and "<!-- untranslated: en -->" in (root / "output/de/keynote.md").read_text()
    code, _out, err = invoke(root, "build", "--threshold", "0", "--publish")
    assert (code, err) == (0, "")
    page = (root / "output/de/keynote.html").read_text()
    assert '<p lang="en">The conference opened on Monday.</p>' in page
    assert "untranslated" not in page and "not yet translated" not in page
    assert (root / "output/de/keynote.md").read_text() == IMAGE_ARTICLE
    # The configuration says the same for every build, `l10n run` included.
    with (root / "pyproject.toml").open("a") as config:
        config.write("\n[tool.l10n.build]\npublish = true\n")
    assert invoke(root, "run", "--quiet", "--threshold", "0", "--jobs", "1")[0] == 0
    assert (root / "output/de/keynote.html").read_text() == page


def test_pages_carry_a_machine_readable_date_and_a_localized_index_title(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"keynote": IMAGE_ARTICLE}, '["cs", "de", "sk", "pl", "fr"]')
    assert invoke(root, "run", "--quiet", "--threshold", "0", "--jobs", "1")[0] == 0
    assert '<time datetime="2025-04-01">1. dubna 2025</time>' in (root / "output/cs/keynote.html").read_text()
    titles = {
        lang: (root / "output" / lang / "index.html").read_text().split("<title>")[1].split("</title>")[0]
        for lang in ("cs", "de", "sk", "pl", "fr")
    }
    assert titles == {"cs": "Články", "de": "Artikel", "sk": "Články", "pl": "Artykuły", "fr": "Articles"}


ANCHORED = """# Getting started {#start}

Install it.

## Configuration

Configure it.

## Configuration

Again.
"""


def test_heading_anchors_come_from_the_source_in_every_language() -> None:
    from pipeline.build.article import Translation

    article = parse_markdown(ANCHORED, path="guide.md", lang="en")
    assert [(b.text, b.anchor) for b in article.blocks if b.kind.value == "heading"] == [
        ("Getting started", "start"),
        ("Configuration", ""),
        ("Configuration", ""),
    ]
    keys = segment_keys(article)
    identity = build_article(article, keys, {k: Translation(k[1]) for k in keys}, lang="de")
    assert identity.markdown == ANCHORED
    german = {k: Translation({"Getting started": "Erste Schritte", "Configuration": "Konfiguration"}.get(k[1], k[1])) for k in keys}
    page = build_article(article, keys, german, lang="de").html
    assert '<h1 id="start">Erste Schritte</h1>' in page
    assert '<h2 id="configuration">Konfiguration</h2>' in page and '<h2 id="configuration-1">Konfiguration</h2>' in page


SITES = Path(__file__).resolve().parent / "data" / "real" / "sites"


def _pseudo(text: str) -> tuple[str, list[str]]:
    from pipeline.build.article import Translation
    from pipeline.model import segments
    from pipeline.mt.pseudo import pseudo_translate

    article = parse_markdown(text, path="doc.md", lang="en")
    keys = segment_keys(article)
    texts = [seg.text for seg in segments(article)]
    built = build_article(article, keys, {k: Translation(pseudo_translate(k[1])) for k in keys}, lang="xx")
    assert not built.fallbacks
    return built.markdown, texts


@pytest.mark.parametrize(
    ("name", "markup", "texts"),
    [
        (
            "docusaurus-admonitions.md",
            ["import Tabs from '@theme/Tabs';", "{/* prettier-ignore */}", ":::my-custom-admonition[", "<BrowserWindow>", "</BrowserWindow>", "{#usage-with-prettier}"],
            ["My Title", "It works!", "Usage with Prettier"],
        ),
        (
            "mkdocs-material-admonitions.md",
            ['!!! note "', "!!! note\n", "??? note\n", "???+ note\n"],
            ["Phasellus posuere in sem ut cursus"],
        ),
        (
            "mkdocs-material-content-tabs.md",
            ['=== "', '\n    === "', "!!! example\n"],
            ["Feature enabled", "... or even me", "[![Linked content tabs enabled]][Linked content tabs enabled]", "Ordered List"],
        ),
        (
            "hugo-images-mask.md",
            ["{{< new-in 0.141.0 />}}", '{{< img\n  src="images/examples/mask.png"\n  example=false\n>}}', '  alt="', "  filter=\"mask\"\n"],
            ["Zion National Park", "Mask"],
        ),
        (
            "hugo-page-bundles.md",
            ["{{% note %}}", "{{% /note %}}", "{{< code-toggle file=content/headless/index.md fm=true >}}\nheadless = true\n", "[^fn:1]: "],
            ["The hierarchy depth at which a branch bundle is created does not matter.",
             "The `.md` extension is just an example. The extension can be `.html`, `.json` or any valid MIME type."],
        ),
    ],
)
def test_site_markup_is_kept_and_its_text_translated(name: str, markup: list[str], texts: list[str]) -> None:
    source = (SITES / name).read_text(encoding="utf-8")
    built, segment_texts = _pseudo(source)
    for piece in markup:
        assert piece in source and built.count(piece) == source.count(piece), piece
        assert not any(piece.strip() in text for text in segment_texts), piece
    for text in texts:
        assert text in segment_texts, text
    # MkDocs admonition bodies are text, not code: translated.
    if name == "mkdocs-material-admonitions.md":
        assert "Lorem ipsum dolor sit amet" in source and "Lórém ípsúm" in built


def test_inline_shortcodes_are_protected_like_link_targets() -> None:
    from pipeline.build.article import broken_markup

    source = 'See {{< ref "page-bundles.md" >}} for more.'
    assert broken_markup('Viz {{< ref "page-bundles.md" >}}.', source) == ""
    assert broken_markup('Viz {{< ref "stranky.md" >}}.', source) == "shortcode differs from the source"


def _seed_without_header_blank_lines() -> str:
    """The day-one seed as another scraper writes it: title, description and date
    on consecutive lines, the body right under them."""
    seed = (Path(__file__).resolve().parent / "data" / "seeds" / "001_8b8743f168e845f8.txt").read_text()
    title = "Rejekts 2025 in London – Day One"
    description = "What was the first day (Sunday) at Cloud Native Rejekts 2025 in London like? What are Rejekts? And what did I learn?"
    start = seed.index(title)
    body = seed[seed.index("March 31, 2025") + len("March 31, 2025") :].lstrip("\n")
    return seed[:start] + f"{title}\n{description}\nMarch 31, 2025\n" + body


def test_import_recognises_header_lines_not_separated_by_blank_lines(tmp_path: Path) -> None:
    import datetime as dt

    from pipeline.read.importer import import_text
    from pipeline.store.project import load_config

    repo = Path(__file__).resolve().parents[1]
    text = _seed_without_header_blank_lines()
    imported = import_text(text, lang="en", options=load_config(repo).importing, path="day-one.txt")
    assert imported.metadata["title"] == "Rejekts 2025 in London – Day One"
    assert imported.metadata["description"].startswith("What was the first day (Sunday)")
    assert imported.metadata["date"] == dt.date(2025, 3, 31)
    assert imported.warnings == ()
    # The same body as the committed import of the blank-line version.
    committed = (repo / "source" / "en" / "rejekts-2025-london-day-1.md").read_text()
    assert imported.markdown == committed


def test_import_warns_when_it_finds_no_header(tmp_path: Path) -> None:
    root = make_project(tmp_path, {})
    scraped = tmp_path / "scraped.txt"
    scraped.write_text("Some opening paragraph of a post that has no title line.\n\nAnother paragraph.\n")
    code, out, err = invoke(root, "import", str(scraped), "--lang", "en", "--slug", "post")
    assert code == 0 and out.startswith("wrote ")
    assert err == (
        f"warning: {scraped}:1: no title or date line recognised at the top; the front matter has none"
        " (pass --title and --date)\n"
    )


def test_configured_front_matter_keys_are_translated(tmp_path: Path) -> None:
    article = "---\ntitle: Keynote\nsubtitle: The first morning\nauthor: Jane Doe\n---\n\nText.\n"
    root = make_project(tmp_path, {"keynote": article})
    with (root / "pyproject.toml").open("a") as config:
        config.write('text_keys = ["title", "subtitle"]\n')
    assert invoke(root, "run", "--quiet", "--threshold", "0", "--jobs", "1")[0] == 0
    pot = (root / "locales/templates/keynote.pot").read_text()
    assert 'msgid "The first morning"' in pot and "Jane Doe" not in pot


def test_jsx_component_lines_are_kept_and_the_text_between_them_translated() -> None:
    source = (
        "<Tabs>\n<TabItem value=\"npm\" label=\"npm\">\nInstall with npm.\n</TabItem>\n"
        "<TabItem value=\"yarn\" label=\"Yarn\">\n\nInstall with Yarn.\n\n</TabItem>\n</Tabs>\n\n"
        "<DIV>\nraw HTML stays raw\n</DIV>\n"
    )
    built, texts = _pseudo(source)
    assert texts == ["Install with npm.", "Install with Yarn."]
    assert built == source.replace("Install with npm.", "Ínstáll wíth npm.").replace("Install with Yarn.", "Ínstáll wíth Yárn.")
