"""The prose of a Keep a Changelog HAML page (keepachangelog.com) as Markdown,
for the docs dev set: headings, paragraphs and list items in document order,
each as it reads on the site. Ruby lines, anchors, CSS containers and the
embedded changelog are dropped; ``#{link_to "text", target}`` becomes a link.

Run once per page when the dev set was made (see bench/data/docs/README.md)::

    .venv/bin/python bench/haml_markdown.py < index.html.haml > name.en.md
"""

from __future__ import annotations

import re
import sys

_LINK = re.compile(r'#\{\s*link_to\s+"([^"]*)"\s*,\s*([^}]*?)\s*\}')
_BARE_LINK = re.compile(r'^=\s*link_to\s+"([^"]*)"\s*,\s*(.*?)\s*$')
_TAG = re.compile(r"^%([a-z0-9]+)([.#][\w.#-]*)?(\{[^}]*\})?(=)?\s*(.*)$")
_HEADINGS = {"h1": "#", "h2": "##", "h3": "###", "h4": "####"}
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "aside", "blockquote"}


def _inline(text: str) -> str:
    text = _LINK.sub(lambda m: f"[{m.group(1)}]({_target(m.group(2))})", text)
    text = re.sub(r"</?(em|i)>", "*", text)
    text = re.sub(r"</?(strong|b)>", "**", text)
    return re.sub(r"</?code>", "`", text)


def _target(expr: str) -> str:
    expr = expr.strip()
    if expr.startswith(('"', "'")):
        return expr.strip("\"'")
    # A data key (data.links.semver, semver): the key names the link.
    return expr.split(".")[-1]


def convert(haml: str) -> str:
    """The page's prose blocks as Markdown, separated by blank lines."""
    body = haml.split("\n---\n", 1)[1] if haml.startswith("---\n") else haml
    blocks: list[tuple[str, list[str]]] = []
    current: tuple[str, list[str]] | None = None
    current_indent = -1
    for raw in body.splitlines():
        stripped = raw.strip()
        if not stripped:
            continue
        indent = len(raw) - len(raw.lstrip())
        if current is not None and indent <= current_indent:
            current = None
        tag = _TAG.match(stripped)
        if tag and tag.group(1) in _BLOCKS:
            name, ruby, rest = tag.group(1), tag.group(4), tag.group(5)
            current, current_indent = (name, []), indent
            blocks.append(current)
            if rest and not ruby:
                current[1].append(rest)
            continue
        if current is None:
            continue
        if tag and tag.group(1) == "code":
            current[1].append(f"`{tag.group(5)}`")
        elif tag and tag.group(1) in ("strong", "em") and not tag.group(4):
            mark = "**" if tag.group(1) == "strong" else "*"
            current[1].append(f"{mark}{tag.group(5)}{mark}")
        elif tag or stripped.startswith(("-", ".")):
            continue
        elif bare := _BARE_LINK.match(stripped):
            current[1].append(f"[{bare.group(1)}]({_target(bare.group(2))})")
        elif not stripped.startswith("="):
            current[1].append(stripped)
    out = []
    for name, words in blocks:
        text = _inline(" ".join(words)).strip()
        if not text:
            continue
        if name in _HEADINGS:
            out.append(f"{_HEADINGS[name]} {text}")
        elif name == "li":
            out.append(f"- {text}")
        else:
            out.append(text)
    return "\n\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(convert(sys.stdin.read()))
