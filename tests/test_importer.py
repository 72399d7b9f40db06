from __future__ import annotations

import datetime as dt
import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.config import ImportOptions
from pipeline.errors import InputError
from pipeline.model import BlockKind
from pipeline.read.importer import import_text, slugify
from pipeline.read.markdown import parse_markdown
from pipeline.store.project import load_config

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "tests" / "data" / "seeds"


def _documented_imports() -> list[list[str]]:
    """The import commands source/README.md documents for the bundled corpus."""
    readme = (REPO / "source" / "README.md").read_text()
    return [shlex.split(line)[2:] for line in readme.splitlines() if line.startswith("l10n import ")]


def _run_import(args: list[str]) -> tuple[str, str]:
    file, options = Path(args[0]), args[1:]
    values = dict(zip(options[::2], options[1::2]))
    result = import_text(
        (REPO / file).read_text(),
        lang=values["--lang"],
        options=load_config(REPO).importing,
        slug=values.get("--slug"),
        title=values.get("--title"),
        date=dt.date.fromisoformat(values["--date"]) if "--date" in values else None,
    )
    return f"source/{values['--lang']}/{result.slug}.md", result.markdown


@pytest.mark.parametrize("args", _documented_imports(), ids=lambda a: Path(a[0]).name)
def test_reimporting_the_seeds_reproduces_the_committed_corpus(args: list[str]) -> None:
    target, markdown = _run_import(args)
    assert (REPO / target).read_text() == markdown


def test_all_five_seeds_are_documented() -> None:
    assert len(_documented_imports()) == 5


def test_day_one_boilerplate_metadata_and_bullets() -> None:
    text = (SEEDS / "001_8b8743f168e845f8.txt").read_text()
    result = import_text(text, lang="en", options=load_config(REPO).importing, slug="d1")
    assert result.metadata["title"] == "Rejekts 2025 in London – Day One"
    assert result.metadata["date"] == dt.date(2025, 3, 31)
    assert result.metadata["description"].startswith("What was the first day")
    for chrome in ("Skip to content", "reading time", "published", "8 min", "DevOps training", "cookies", "220 EUR"):
        assert chrome not in result.markdown
    assert "\n- container images\n- Kubernetes manifests\n" in result.markdown
    assert result.markdown.rstrip().endswith("throughout the week.")


@pytest.mark.parametrize(
    "scrape",
    [
        lambda t: t.replace("\n", "\r"),  # old Mac line ends
        lambda t: t.replace("\n", "\u2029"),  # Unicode paragraph separators
        lambda t: t.replace("Skip to content", "\u200bSkip to content").replace("\n", "\u200b\n"),
        lambda t: re.sub(r"(?m)^([ \t]*)• ", "\\1•\u00a0", t),  # no-break space after a bullet
    ],
    ids=["cr", "paragraph-separator", "zero-width-space", "nbsp-bullet"],
)
def test_scraped_text_quirks_import_like_the_plain_file(scrape: Callable[[str], str]) -> None:
    text = (SEEDS / "001_8b8743f168e845f8.txt").read_text()
    options = load_config(REPO).importing
    plain = import_text(text, lang="en", options=options, slug="d1")
    assert scrape(text) != text
    assert import_text(scrape(text), lang="en", options=options, slug="d1").markdown == plain.markdown


def test_czech_leading_date_and_title_go_into_front_matter() -> None:
    text = (SEEDS / "002_ada2ef6ccfe4cc2d.txt").read_text()
    result = import_text(text, lang="cs", options=ImportOptions(), slug="d2")
    assert result.metadata == {"title": "Rejekts 2025 v Londýně – druhý den", "date": dt.date(2025, 4, 1)}
    body = parse_markdown(result.markdown).blocks
    assert body[0].text.startswith("Jsem v Londýně")
    assert len(body) == 57


def test_imported_markdown_reads_back_as_the_plain_text() -> None:
    text = "A title\n\n*Stars* and _under_ scores, `ticks`, <b>tags</b> and [brackets].\n\n1. dubna 2025 byl den.\n"
    result = import_text(text, lang="cs", options=ImportOptions(), slug="x")
    blocks = parse_markdown(result.markdown).blocks
    plain = [re.sub(r"\\(.)", r"\1", b.text).replace("&lt;", "<").replace("&amp;", "&") for b in blocks]
    assert plain == ["*Stars* and _under_ scores, `ticks`, <b>tags</b> and [brackets].", "1. dubna 2025 byl den."]
    assert [b.kind for b in blocks] == [BlockKind.PARAGRAPH, BlockKind.PARAGRAPH]


def test_headings_and_quotes_are_inferred() -> None:
    text = "Intro paragraph.\nWhat We Learned\nA lot, it turns out.\n“A quotation kept as a quote.”\n"
    result = import_text(text, lang="en", options=ImportOptions(), slug="x", title="T")
    assert "\n## What We Learned\n" in result.markdown
    assert "\n> “A quotation kept as a quote.”\n" in result.markdown


def test_nothing_left_is_an_error() -> None:
    with pytest.raises(InputError, match="nothing left"):
        import_text("Skip to content\nreading time\n", lang="en", options=ImportOptions(), path="s.txt")


def test_slugify() -> None:
    assert slugify("Rejekts 2025 v Londýně – druhý den") == "rejekts-2025-v-londyne-druhy-den"
