from __future__ import annotations

from pathlib import Path

from pipeline.model import BlockKind
from pipeline.read.plaintext import detect_layout, parse_plain_text, read_plain_blocks

SEEDS = Path(__file__).resolve().parent / "data" / "seeds"


def _summary(text: str, lang: str = "en") -> list[tuple[str, str]]:
    return [(b.kind.value, b.text) for b in read_plain_blocks(text, lang=lang)]


def test_layouts_are_detected() -> None:
    assert detect_layout("a\nb\nc\nd".split("\n")) == "lines"
    assert detect_layout("a\n\nb\nc\n\nd".split("\n")) == "blank"


def test_blank_line_layout_joins_hard_wrapped_lines() -> None:
    text = "This paragraph was\nwrapped by hand.\n\nSecond one.\n"
    assert _summary(text) == [("paragraph", "This paragraph was wrapped by hand."), ("paragraph", "Second one.")]


def test_bullets_of_every_kind_with_depth() -> None:
    text = "Intro text here:\n\n  • one\n  • two\n      • deep\n\n* star\n- dash\n"
    blocks = read_plain_blocks(text)
    assert [(b.kind, b.text, b.level) for b in blocks[1:]] == [
        (BlockKind.LIST_ITEM, "one", 0),
        (BlockKind.LIST_ITEM, "two", 0),
        (BlockKind.LIST_ITEM, "deep", 1),
        (BlockKind.LIST_ITEM, "star", 0),
        (BlockKind.LIST_ITEM, "dash", 0),
    ]


def test_a_leading_date_is_not_a_numbered_item() -> None:
    blocks = read_plain_blocks("1. dubna 2025\n\nNadpis článku\n\nText článku.\n", lang="cs")
    assert [b.kind for b in blocks] == [BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.PARAGRAPH]


def test_numbered_runs_are_ordered_items() -> None:
    blocks = read_plain_blocks("Steps:\n1. first step\n2. second step\n")
    assert [(b.kind, b.ordered) for b in blocks[1:]] == [(BlockKind.LIST_ITEM, True)] * 2


def test_broken_list_items_are_repaired() -> None:
    text = (
        "Here is the list:\n"
        "- Gateway API and\n"
        "BackendTLSPolicy — a path to TLS - Podman and Kind — desktop integration\n"
        "- Headlamp — GUI for Kubernetes\n"
    )
    assert _summary(text) == [
        ("paragraph", "Here is the list:"),
        ("list item", "Gateway API and BackendTLSPolicy — a path to TLS"),
        ("list item", "Podman and Kind — desktop integration"),
        ("list item", "Headlamp — GUI for Kubernetes"),
    ]


def test_ambiguous_list_text_is_left_alone() -> None:
    # A finished item followed by a paragraph and a hyphenated word: no repair.
    text = "- First item.\nA paragraph between.\n- self-hosted - not split\n"
    assert _summary(text) == [
        ("list item", "First item."),
        ("paragraph", "A paragraph between."),
        ("list item", "self-hosted - not split"),
    ]


def test_hard_wrap_in_line_layout_is_joined() -> None:
    text = "As teams add controllers, it becomes infeasible to build\nclusters they share.\nNext paragraph.\n"
    assert _summary(text) == [
        ("paragraph", "As teams add controllers, it becomes infeasible to build clusters they share."),
        ("paragraph", "Next paragraph."),
    ]


def test_headings_are_inferred_from_short_unpunctuated_lines() -> None:
    text = "What Are Rejekts\nRejekts is a small conference.\nIn their own words:\nA quotation follows.\n"
    assert [k for k, _ in _summary(text)] == ["heading", "paragraph", "paragraph", "paragraph"]


def test_seed_day_two_is_sixty_six_segments_with_repaired_lists() -> None:
    article = parse_plain_text((SEEDS / "000_7bc680ae9ef17361.txt").read_text(), lang="en")
    items = [b for b in article.blocks if b.kind is BlockKind.LIST_ITEM]
    assert len(article.blocks) == 66
    assert len(items) == 10
    assert items[5].text.startswith("Gateway API and BackendTLSPolicy")
    assert items[6].text.startswith("Podman and Kind")


def test_one_megabyte_line_is_read() -> None:
    line = ("word " * 210_000).strip() + "."
    blocks = read_plain_blocks(line + "\n")
    assert len(blocks) == 1 and len(blocks[0].text) == len(line)
