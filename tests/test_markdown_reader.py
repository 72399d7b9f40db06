from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.model import BlockKind, body_segments, meta_segments
from pipeline.read.markdown import parse_markdown

DOC = """---
title: "Hello: world"
date: 2025-04-01
tags: [a, b]
description: >
  folded
  text
---
# Head ##

para line one  
line two
continued

- item *one*
  more
  - nested
1. ord

> quote
> more q

| a | b \\| c |
|---|---|
| x | `y` |

Setext
===

```py
code
```

<div>raw</div>

---

![alt text](img.png)
"""


def test_blocks_kinds_lines_and_text() -> None:
    article = parse_markdown(DOC, path="doc.md", slug="doc", lang="en")
    summary = [(b.kind, b.line, b.level, b.text) for b in article.blocks]
    assert summary == [
        (BlockKind.HEADING, 9, 1, "Head"),
        (BlockKind.PARAGRAPH, 11, 0, "para line one\\\nline two continued"),
        (BlockKind.LIST_ITEM, 15, 0, "item *one* more"),
        (BlockKind.LIST_ITEM, 17, 1, "nested"),
        (BlockKind.LIST_ITEM, 18, 0, "ord"),
        (BlockKind.QUOTE, 20, 0, "quote more q"),
        (BlockKind.TABLE_CELL, 23, 0, "a"),
        (BlockKind.TABLE_CELL, 23, 0, "b \\| c"),
        (BlockKind.TABLE_CELL, 25, 0, "x"),
        (BlockKind.TABLE_CELL, 25, 0, "`y`"),
        (BlockKind.HEADING, 27, 1, "Setext"),
        (BlockKind.CODE, 30, 0, "code\n"),
        (BlockKind.HTML, 34, 0, "<div>raw</div>\n"),
        (BlockKind.THEMATIC_BREAK, 36, 0, ""),
        (BlockKind.IMAGE, 38, 0, "![alt text](img.png)"),
    ]
    assert article.blocks[4].ordered and not article.blocks[2].ordered


def test_code_html_and_non_text_front_matter_are_never_segments() -> None:
    article = parse_markdown(DOC, path="doc.md")
    kinds = {s.kind for s in body_segments(article)}
    assert BlockKind.CODE not in kinds and BlockKind.HTML not in kinds
    assert [(s.key, s.text, s.line) for s in meta_segments(article)] == [
        ("title", "Hello: world", 2),
        ("description", "folded text", 5),
    ]
    assert article.metadata["tags"] == ["a", "b"]


def test_regions_point_at_the_text_in_the_source() -> None:
    article = parse_markdown(DOC)
    for block in article.blocks:
        if block.translatable and "\n" not in block.text and " " not in block.text:
            assert article.source[block.start : block.end] == block.text


def test_only_front_matter_is_an_article_without_body() -> None:
    article = parse_markdown("---\ntitle: Just a title\n---\n", path="t.md")
    assert article.blocks == ()
    assert article.title == "Just a title"


def test_crlf_and_bom_are_accepted_and_remembered() -> None:
    article = parse_markdown("\ufeff# Title\r\n\r\nText\r\n")
    assert article.bom and article.newline == "\r\n"
    assert [b.text for b in article.blocks] == ["Title", "Text"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("---\ntitle: x\n", 1, "never closed"),
        ("---\ntitle: [unclosed\n---\nBody\n", 2, "front matter"),
        ("---\ntitle: x\n- a list\n---\nBody\n", 3, "front matter"),
    ],
)
def test_bad_markdown_names_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        parse_markdown(text, path="bad.md")
    assert caught.value.path == "bad.md"
    assert caught.value.line == line


def test_invalid_front_matter_date_is_an_input_error() -> None:
    with pytest.raises(InputError, match="month must be in 1..12") as caught:
        parse_markdown("---\ntitle: T\ndate: 2025-13-45\n---\n\nBody\n", path="d.md")
    assert caught.value.path == "d.md" and caught.value.line == 3  # the line of the date
    nested = "---\ntitle: T\nevents:\n  - when: 2025-01-01\n  - when: 2025-02-30\n---\n\nBody\n"
    with pytest.raises(InputError, match="day is out of range") as caught:
        parse_markdown(nested, path="d.md")
    assert caught.value.line == 5


def test_table_inside_a_quote() -> None:
    article = parse_markdown("> | Name | Value |\n> |---|---|\n> | one | two |\n")
    cells = [(b.kind, b.text) for b in article.blocks]
    assert cells == [(BlockKind.TABLE_CELL, t) for t in ("Name", "Value", "one", "two")]
    for block in article.blocks:
        assert article.source[block.start : block.end] == block.text


def test_the_article_cache_counts_characters(tmp_path: Path) -> None:
    from pipeline.store.project import ARTICLE_CACHE_CHARS, _parse_article, read_article

    cache = _parse_article.cache
    assert cache.maxsize == ARTICLE_CACHE_CHARS
    path = tmp_path / "sized.md"
    text = "# Title\n\n" + "A paragraph of some length. " * 50 + "\n"
    path.write_text(text, encoding="utf-8")
    before = cache.currsize
    article = read_article(path)
    assert read_article(path) is article  # one parse serves every stage
    assert cache.currsize - before == len(text)


@pytest.mark.parametrize(
    "text",
    [
        "# Title\n\n```python\ncode\nmore\n",  # spec example 126 and kin: code to the end
        "> ```\n> aaa\n\nbbb\n",  # closed by the end of its quote (example 128)
        "---\nFoo\n---\nBar\n---\nBaz\n",  # example 96: a break and setext headings
        "---\n- a list\n---\nBody\n",  # a break, a list, a heading: no YAML keys
        "---\n",
    ],
)
def test_valid_commonmark_that_looks_like_an_error_is_read_as_commonmark(text: str) -> None:
    from markdown_it import MarkdownIt

    article = parse_markdown(text, path="ok.md")
    assert article.metadata == {} and article.body_offset == 0
    expected = [t.type for t in MarkdownIt("commonmark").parse(text) if t.nesting >= 0 and t.type != "inline"]
    kinds = {"fence": "code", "code_block": "code", "hr": "thematic break", "heading_open": "heading"}
    got = [b.kind.value for b in article.blocks]
    assert [kinds[t] for t in expected if t in kinds] == [k for k in got if k in kinds.values()]
