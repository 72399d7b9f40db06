"""Rewrite CommonMark into the Markdown that Python-Markdown reads the same way.

Articles are read and spliced as CommonMark (markdown-it-py), but the HTML page
is rendered by Python-Markdown, which follows the original Markdown.pl rules:
a list needs a blank line before it, nested content needs four spaces of
indentation, ``1)`` is no list marker, a fence inside a list is not code, and so
on. Rather than guess at such places with patterns, the text is parsed with the
same parser the reader uses (markdown-it-py) and the blocks CommonMark sees are
written out again in Python-Markdown's terms, walking the syntax tree: lists and
block quotes get "*" or "N." markers, four spaces of indentation per level and
blank lines where Python-Markdown needs them; leaf blocks are written from the
text the parser found for them (code exactly, paragraphs with the few line
starts Python-Markdown would misread hidden from it). Between top-level blocks
the source's own lines (blank lines, link reference definitions) are kept.

Used for the HTML only: the localized .md file stays the splice of the source.
A pure function of the text; ``render_markdown_html`` runs Python-Markdown with
``sane_lists`` on the result, which keeps an ordered list's start number and
never merges a bulleted list into a numbered one, as CommonMark does.
"""

from __future__ import annotations

import re

from markdown_it.tree import SyntaxTreeNode

from pipeline.read.blocks import parse_blocks

#: Python-Markdown's unit of indentation (its ``tab_length``).
INDENT = "    "
#: Keeps two blocks apart that Python-Markdown would otherwise join into one
#: (two lists of one kind, two quotes, a list and an indented code block after
#: it). CommonMark reads it as an HTML block too, so nothing else changes.
SEPARATOR = "<!-- -->"

_LISTS = ("bullet_list", "ordered_list")
# Line starts inside a CommonMark paragraph (a continuation line indented four
# spaces or more, or one that cannot interrupt a paragraph) that Python-Markdown
# would read as the start of a block: "#tag" (a heading: no space needed),
# "2. x" (only "1." interrupts a CommonMark paragraph, but an indented "2. x" is
# an item for Python-Markdown), "- x", "> x", a "---" or "===" underline, a
# thematic break, a fence, a link reference definition. Footnote definitions
# ("[^1]:") are Python-Markdown syntax the articles use: kept.
_BLOCK_START = re.compile(
    r"^(?:#|>|[-+*](?=[ \t]|$)|\d{1,9}\.(?=[ \t]|$)|([-*_=])(?:[ \t]*\1)*[ \t]*$|`{3,}|~{3,}|\[(?!\^)[^\]]*\]:)"
)
# Quote markers, list markers and indentation before the text of a line inside
# containers (used for the lines no block covers: link reference definitions).
_CONTAINER_PREFIX = re.compile(r"^(?:[ \t]*(?:>[ \t]?|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)))*[ \t]*")
# Python-Markdown's fenced_code only takes a bare language word.
_FENCE_LANGUAGE = re.compile(r"^[\w#.+-]+$")
_ALIGN = {"text-align:left": ":---", "text-align:right": "---:", "text-align:center": ":---:"}


def for_python_markdown(text: str) -> str:
    """``text`` (Markdown without front matter) with the structure CommonMark
    sees, written so that Python-Markdown sees the same structure."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    root = SyntaxTreeNode(parse_blocks(text))
    out: list[str] = []
    hoisted: list[str] = []
    done = 0
    previous: SyntaxTreeNode | None = None
    for node in root.children:
        start, end = _span(node)
        # Between top-level blocks there are only blank lines and link
        # reference definitions: kept as they are, but a blank line always
        # separates two blocks (Python-Markdown needs one before a list, a
        # table or a quote, and after a quote; CommonMark never minds).
        gap = lines[done:start]
        if previous is not None:
            if joined_by_python_markdown(previous.type, node.type, nested=False):
                gap = ["", SEPARATOR, "", *gap]
            if not gap or gap[0].strip():
                gap.insert(0, "")
            if gap[-1].strip():
                gap.append("")
        out.extend(gap)
        out.extend(_block(node, lines, hoisted, nested=False))
        done = max(done, end)
        previous = node
    out.extend(lines[done:])
    if hoisted:
        out.extend(["", *hoisted, ""])
    return "\n".join(out)


def top_level_block(node: SyntaxTreeNode, lines: list[str], hoisted: list[str]) -> list[str]:
    """The lines :func:`for_python_markdown` writes for ``node``, a top-level
    block of ``lines`` (link reference definitions inside it go to ``hoisted``)."""
    return _block(node, lines, hoisted, nested=False)


def _span(node: SyntaxTreeNode) -> tuple[int, int]:
    return node.map if node.map else (0, 0)


def _block(node: SyntaxTreeNode, lines: list[str], hoisted: list[str], *, nested: bool) -> list[str]:
    """The lines of one block, without the indentation or quote markers of the
    containers around it (the caller adds those)."""
    kind = node.type
    if kind in _LISTS:
        return _list(node, lines, hoisted)
    if kind == "blockquote":
        _hoist_references(node, lines, hoisted)
        body = _children(node, lines, hoisted, tight=False)
        return [f"> {line}" if line else ">" for line in body] or [">"]
    if kind == "paragraph":
        return _paragraph(_inline_content(node))
    if kind == "heading":
        # ATX on one line: Python-Markdown's setext headings take one line of text.
        content = re.sub(r"(?:\\| {2,})?\n[ \t]*", " ", _inline_content(node)).strip()
        # "C#": Python-Markdown drops closing hashes. "F\#" (the writer's own escape
        # of a translation ending in " #") is escaped already; "\\#" is not.
        content = re.sub(r"(?<!\\)((?:\\\\)*)#$", r"\1\\#", content)
        return [("#" * int(node.tag[1]) + " " + content).rstrip()]
    if kind == "fence":
        if nested:
            # Python-Markdown finds fences only at the start of a line, outside
            # any list or quote; an indented code block is the same <pre><code>.
            return _indent_code(node.content)
        words = node.info.split()
        language = words[0] if words and _FENCE_LANGUAGE.match(words[0]) else ""
        # One fence string for both ends: Python-Markdown wants them equal.
        return [node.markup + language, *node.content.split("\n")[:-1], node.markup]
    if kind == "code_block":
        return _indent_code(node.content)
    if kind == "table":
        return _table(node) if nested else lines[slice(*_span(node))]
    if kind == "hr":
        # "---" under a line of text would be a heading's underline, and "* ***"
        # (a rule as an item's first block) one long rule for Python-Markdown.
        return ["___"]
    if kind == "html_block":
        return node.content.rstrip("\n").split("\n")
    start, end = _span(node)
    return lines[start:end]  # anything else CommonMark adds later: as written


def _children(node: SyntaxTreeNode, lines: list[str], hoisted: list[str], *, tight: bool) -> list[str]:
    """The blocks inside a quote or list item, each separated as Python-Markdown needs."""
    out: list[str] = []
    previous: SyntaxTreeNode | None = None
    for child in node.children:
        if previous is not None:
            if joined_by_python_markdown(previous.type, child.type, nested=True):
                out.extend(["", SEPARATOR])
            # In a tight item a nested list follows the text on the marker's
            # line directly (a blank line would put the text in a <p>); any
            # other block needs one, as does a list after any other text
            # (Python-Markdown lets a list interrupt only an item's first text).
            first_text = previous is node.children[0] and previous.type == "paragraph"
            if not (tight and first_text and child.type in _LISTS):
                out.append("")
        out.extend(_block(child, lines, hoisted, nested=True))
        previous = child
    return out


def _list(node: SyntaxTreeNode, lines: list[str], hoisted: list[str]) -> list[str]:
    # markdown-it hides the paragraphs of a tight list (no <p> in the item).
    tight = all(child.hidden for item in node.children for child in item.children if child.type == "paragraph")
    start = int(node.attrs.get("start", 1)) if node.type == "ordered_list" else 0
    out: list[str] = []
    item_had_blank = False
    for number, item in enumerate(node.children, start):
        _hoist_references(item, lines, hoisted)
        # Python-Markdown knows "N." but not "N)", and numbers only the first item.
        # "*" rather than "-": an empty item's "- " under a line of text would
        # be a heading's underline for Python-Markdown.
        marker = f"{number}." if node.type == "ordered_list" else "*"
        body = _children(item, lines, hoisted, tight=tight)
        # A blank line between items makes Python-Markdown wrap their text in
        # <p> (CommonMark's loose list); it is also needed after an item whose
        # content has blank lines, or the next marker would join that content.
        if out and (not tight or item_had_blank):
            out.append("")
        item_had_blank = "" in body
        first = item.children[0].type if item.children else ""
        # Not an HTML block: Python-Markdown reads raw HTML in an item as inline
        # either way, and on a line of its own it would be wrapped in a <p>.
        if first in ("code_block", "fence", "table", "blockquote"):
            # Python-Markdown reads these only as a block of their own, after
            # a marker line of its own (a quote's second line would keep its
            # indentation and so its ">").
            body = ["", "", *body]
            item_had_blank = True
        elif first in _LISTS:
            # On the marker's line a nested list's own nested lines would not
            # be read as nested: it starts on the next line (no blank line, so
            # the item stays tight).
            body = ["", *body]
        out.append(f"{marker} {body[0]}" if body else f"{marker} ")
        out.extend(INDENT + line if line else "" for line in body[1:])
    return out


def joined_by_python_markdown(previous: str, kind: str, *, nested: bool) -> bool:
    """Whether Python-Markdown would merge two sibling blocks CommonMark keeps
    apart (of syntax tree types ``previous`` and ``kind``), blank lines between
    them or not."""
    if previous == kind and kind in ("bullet_list", "ordered_list", "blockquote"):
        return True  # CommonMark starts a new list when the marker changes ("-" to "*", "." to ")")
    if not _indented_code(kind, nested=nested):
        return False
    # Indented code after a list would go into its last item; after other
    # indented code, into that code block.
    return previous in _LISTS or _indented_code(previous, nested=nested)


def _indented_code(kind: str, *, nested: bool) -> bool:
    """Whether a block of syntax tree type ``kind`` is written as an indented code block."""
    return kind == "code_block" or (kind == "fence" and nested)


def _inline_content(node: SyntaxTreeNode) -> str:
    return node.children[0].content if node.children else ""


def _paragraph(content: str) -> list[str]:
    parts = content.split("\n")
    out = []
    for index, part in enumerate(parts):
        # CommonMark ignores a paragraph line's indentation; Python-Markdown
        # may take four spaces inside a list item for a nested block.
        line = part.lstrip(" \t")
        if _BLOCK_START.match(line):
            # Python-Markdown reads a block start only in its first columns:
            # eight spaces hide a continuation line from it (a backslash could
            # land inside a code span running over the line break). CommonMark
            # drops the spaces. The first line cannot be in a code span, and
            # indented it would be code: a backslash escape.
            line = _escape_start(line) if index == 0 else INDENT * 2 + line
        if index < len(parts) - 1:
            trailing = len(line) - len(line.rstrip("\\"))
            if trailing % 2:
                # CommonMark's backslash hard break as the two trailing spaces
                # Python-Markdown knows (at the paragraph's end it is a backslash).
                line = line[:-1] + "  "
        out.append(line)
    return out


def _escape_start(line: str) -> str:
    # A backslash escapes punctuation only: "2\. x", not "\2. x".
    return re.sub(r"^(\d+)(?=\.)", r"\1\\", line) if line[:1].isdigit() else "\\" + line


def _indent_code(content: str) -> list[str]:
    return [INDENT + line if line.strip() else "" for line in content.split("\n")[:-1]]


def _table(node: SyntaxTreeNode) -> list[str]:
    """A GFM table from its cells (inside a container its lines carry markers)."""
    rows: list[list[str]] = []
    aligns: list[str] = []
    for row in node.walk():
        if row.type != "tr":
            continue
        cells = [_inline_content(cell).replace("|", "\\|") for cell in row.children]
        if not rows:
            aligns = [_ALIGN.get(str(cell.attrs.get("style", "")), "---") for cell in row.children]
        rows.append(cells)
    if not rows:
        return []
    lines = ["| " + " | ".join(cells) + " |" for cells in rows]
    return [lines[0], "| " + " | ".join(aligns) + " |", *lines[1:]]


def _hoist_references(node: SyntaxTreeNode, lines: list[str], hoisted: list[str]) -> None:
    """Link reference definitions inside a list item or quote make no token, so
    they would be lost when the container is written anew: keep them for the
    end of the document, where they apply just the same."""
    start, end = _span(node)
    covered = [False] * (end - start)
    for child in node.children:
        first, last = _span(child)
        for index in range(max(first, start), min(last, end)):
            covered[index - start] = True
    run: list[str] = []
    for index in range(start, end + 1):
        line = lines[index] if index < end else ""
        stripped = _CONTAINER_PREFIX.sub("", line)
        if index < end and not covered[index - start] and stripped:
            run.append(stripped)
            continue
        if run and run[0].startswith("["):
            hoisted.extend([*run, ""])
        run = []
