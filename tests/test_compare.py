"""Comparison of the seed pair (plain text and imported Markdown) with the gold alignment."""

from __future__ import annotations

import json
import re
from pathlib import Path

import html5lib

from pipeline.align.compare import compare_articles, render_html, render_text, to_json
from pipeline.read.markdown import parse_markdown
from pipeline.read.plaintext import parse_plain_text

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
GOLD = json.loads((DATA / "rejekts-2025-day-2.alignment.json").read_text())


def _gold_pairs() -> set[tuple[tuple[str, ...], tuple[str, ...]]]:
    en, cs = GOLD["en_segments"], GOLD["cs_segments"]
    return {(tuple(en[i] for i in s), tuple(cs[j] for j in t)) for s, t in GOLD["beads"] if s and t}


def _plain(text: str) -> str:
    return " ".join(re.sub(r"\\(.)", r"\1", text).split())


def test_plain_text_seed_pair_matches_the_gold() -> None:
    source = parse_plain_text((DATA / "seeds/000_7bc680ae9ef17361.txt").read_text(), lang="en")
    target = parse_plain_text((DATA / "seeds/002_ada2ef6ccfe4cc2d.txt").read_text(), lang="cs")
    comparison = compare_articles(source, target)
    beads = [[list(b.source), list(b.target)] for b in comparison.alignment.beads]
    assert beads == GOLD["beads"]
    assert len(comparison.missing) == 10 and comparison.extra == (0, 1, 8)
    assert sum(1 for b in comparison.alignment.beads if b.shape == "1-1") == 56


def test_imported_markdown_pair_has_the_same_pairs() -> None:
    source = parse_markdown((REPO / "source/en/rejekts-2025-london-day-2.md").read_text())
    target = parse_markdown((REPO / "source/cs/rejekts-2025-london-day-2.md").read_text())
    comparison = compare_articles(source, target)
    alignment = comparison.alignment
    pairs = {
        (tuple(_plain(alignment.source[i].text) for i in b.source), tuple(_plain(alignment.target[j].text) for j in b.target))
        for b in alignment.beads
        if b.source and b.target
    }
    assert pairs == {(tuple(map(_plain, s)), tuple(map(_plain, t))) for s, t in _gold_pairs()}
    missing = [alignment.source[i].text for i in comparison.missing]
    assert len(missing) == 10 and all(alignment.source[i].kind.value == "list item" for i in comparison.missing)
    assert [alignment.target[j].text for j in comparison.extra] == ["Vojta Mareš na Rejekts"]


def test_reports_are_consistent() -> None:
    source = parse_plain_text((DATA / "seeds/000_7bc680ae9ef17361.txt").read_text(), lang="en", path="en.txt")
    target = parse_plain_text((DATA / "seeds/002_ada2ef6ccfe4cc2d.txt").read_text(), lang="cs", path="cs.txt")
    comparison = compare_articles(source, target)
    report = to_json(comparison)
    assert set(report) >= {"source", "target", "beads", "missing", "extra", "untranslated"}
    assert report["source"]["segments"][27] == {
        "text": "Kuma is easy to deploy and configure",
        "kind": "list item",
        "line": 28,
    }
    covered = sorted(i for b in report["beads"] for i in b["source"])
    assert covered == list(range(len(report["source"]["segments"])))
    text = render_text(comparison)
    assert "missing (source with no translation): 10" in text
    assert "en.txt:28: Kuma is easy to deploy and configure" in text
    assert "extra (only in the translation): 3" in text
    page = render_html(comparison)
    html5lib.HTMLParser(strict=True).parse(page)
    assert page.count('data-state="missing"') == 10 and page.count('data-state="extra"') == 3


def test_text_in_square_brackets_is_printed_as_written_not_read_as_console_markup() -> None:
    source = parse_plain_text("Use the [/bold] tag.\n\nRead [the docs](https://example.com/docs).\n", lang="en", path="[en].txt")
    target = parse_plain_text("Použijte značku [/bold].\n", lang="cs", path="cs.txt")
    text = render_text(compare_articles(source, target), color=True)
    assert "1: Use the [/bold] tag." in text and "1: Použijte značku [/bold]." in text
    assert "3: Read [the docs](https://example.com/docs)." in text
