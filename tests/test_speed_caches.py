"""The caches and shortcuts that make a run cheaper give what the work they
skip would give, and forget nothing they must not (issue "Speed and scale")."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.catalog import entries
from pipeline.catalog.entries import segment_keys
from pipeline.catalog.po_format import _dump, dump_and_remember, dump_po, parse_po
from pipeline.errors import InputError
from pipeline.read.blocks import make_parser, parse_blocks
from pipeline.read.inline import link_references
from pipeline.read.markdown import parse_markdown
from pipeline.store import fs

ARTICLE = """---
title: Notes
---

# Intro

See [the docs][docs] and [the docs][docs].

Read [this](https://example.org/x).

## Intro

Same.

## Other

Same.

[docs]: https://example.org/docs
"""


def test_segment_keys_follow_the_article_not_a_stale_memo() -> None:
    first = parse_markdown(ARTICLE, path="a.md")
    keys = segment_keys(first, placeholders=True)
    # Asked again for the same object: the same keys, in a list of the caller's own.
    again = segment_keys(first, placeholders=True)
    assert again == keys and again is not keys
    again.clear()
    assert segment_keys(first, placeholders=True) == keys
    # The other form of the msgids is not the remembered one.
    assert segment_keys(first, placeholders=False) == entries._segment_keys(first, False)
    assert segment_keys(first, placeholders=False) != keys
    # An edited article (another object, maybe at a freed one's address) gets its own keys.
    edited = parse_markdown(ARTICLE.replace("## Other", "## Intro"), path="a.md")
    assert segment_keys(edited, placeholders=True) == entries._segment_keys(edited, True)
    assert segment_keys(edited, placeholders=True) != keys
    assert ("Intro #2", "Same.") in segment_keys(edited, placeholders=True)


def test_segment_keys_memo_stays_bounded() -> None:
    articles = [parse_markdown(f"# Title {n}\n\nText {n}.\n", path=f"{n}.md") for n in range(entries._KEPT + 20)]
    for article in articles:
        assert segment_keys(article) == [("", f"Title {articles.index(article)}"), ("", f"Text {articles.index(article)}.")]
    assert len(entries._KEYS) <= entries._KEPT


def test_contexts_with_msgids_stand_for_the_texts() -> None:
    article = parse_markdown("# A\n\nSee [x](https://a.example).\n\nSee [x](https://b.example).\n", path="c.md")
    segs = entries.segments(article)
    # With link targets out both paragraphs read the same: they need contexts.
    assert entries.contexts(segs, ["A", "See [x][1].", "See [x][1]."]) == [None, "A #1", "A #2"]
    assert entries.contexts(segs) == [None, None, None]


def test_link_references_follow_the_text_and_are_read_only() -> None:
    first = link_references(ARTICLE)
    assert set(first) == {"DOCS"}
    assert link_references(ARTICLE) == first
    changed = link_references(ARTICLE.replace("[docs]: https://example.org/docs", "[api]: https://example.org/api"))
    assert set(changed) == {"API"}
    assert dict(link_references("No definitions here.\n")) == {}
    with pytest.raises(TypeError):
        first["OTHER"] = {}  # type: ignore[index]


def test_shared_block_parser_gives_a_new_parsers_tokens() -> None:
    for text in (ARTICLE, "- a\n- b\n\n> q\n", "| a | b |\n| - | - |\n| 1 | 2 |\n"):
        shared = [(t.type, t.map, t.content) for t in parse_blocks(text)]
        fresh = [(t.type, t.map, t.content) for t in make_parser().parse(text)]
        assert shared == fresh


def test_unchanged_file_is_not_written_and_same_size_change_is(tmp_path: Path) -> None:
    path = tmp_path / "f.po"
    assert fs.write_text(path, "abc\n")
    before = path.stat().st_mtime_ns
    assert not fs.write_text(path, "abc\n")
    assert path.stat().st_mtime_ns == before
    # Same size, other bytes: the size alone must not pass for "unchanged".
    assert fs.write_text(path, "abd\n")
    assert path.read_text() == "abd\n"
    assert fs.write_text(path, "longer text\n")
    assert path.read_text() == "longer text\n"


def test_dump_lines_are_the_lines_the_parser_finds() -> None:
    text = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        "#. paragraph\n#: a.md:3\nmsgid \"one\"\nmsgstr \"jedna\"\n\n"
        'msgctxt "Intro"\nmsgid ""\n"a long line that is written over several lines because it does not fit in '
        'the seventy-nine columns of a PO file line"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "three"\nmsgstr "tri"\n\n#~ msgid "old"\n#~ msgstr "stare"\n'
    )
    po = parse_po(text, "x.po", remember=False)
    dumped, lines = _dump(po)
    assert dumped == dump_po(po)
    again = parse_po(dumped, "y.po", remember=False)
    assert [entry.msgid for entry in again] == ["one", "a long line" + text.split('"a long line')[1].split('"')[0], "three", "old"]
    assert [line for _entry, line in lines] == [entry.linenum for entry in again]
    assert dump_and_remember(po, "x.po") == dumped


def test_article_segments_follow_the_article() -> None:
    first = parse_markdown(ARTICLE, path="a.md")
    assert entries.article_segments(first) == entries.segments(first)
    assert entries.article_segments(first) is entries.article_segments(first)
    assert entries.article_body_segments(first) == entries.body_segments(first)
    edited = parse_markdown(ARTICLE.replace("Same.", "Other."), path="a.md")
    assert entries.article_segments(edited) == entries.segments(edited)
    assert [s.text for s in entries.article_segments(edited)].count("Other.") == 2


def test_a_write_makes_the_folders_a_new_file_needs(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "new.md"
    assert fs.write_text(path, "text\n")
    assert path.read_text() == "text\n"
    # A folder where the file should be: an error saying so, nothing replaced.
    folder = tmp_path / "a" / "b" / "folder.md"
    folder.mkdir()
    with pytest.raises(InputError, match="cannot write"):
        fs.write_text(folder, "x")
    assert folder.is_dir() and sorted(p.name for p in folder.parent.iterdir()) == ["folder.md", "new.md"]
