"""Markup beyond CommonMark that documentation sites write, read so that its text
is translated and its markup kept.

CommonMark takes these lines for text (or, for an admonition's indented body, for
code). Before markdown-it-py reads a body, each such line is *masked*: replaced by
a line of the same length that CommonMark reads as what the construct means, so
every offset into the body stays valid and the source bytes are never touched:

- MkDocs admonitions ``!!! note "Title"`` (and ``???``/``???+`` details): the
  marker line becomes a bullet item holding an empty processing instruction
  (``+ <??>`` and spaces: an HTML block, nothing to translate), so the indented
  body, blank line before it or not, is read as the item's blocks, not as code;
  the title is a block of its own.
- Docusaurus ``:::note Title`` / ``:::`` and PyMdown blocks ``/// note | Title`` /
  ``///``: the marker lines become blank lines; the title is a block.
- Hugo shortcodes ``{{< ... >}}``/``{{% ... %}}``, mdBook ``{{#include ...}}``,
  FastAPI's ``{* ... *}``, MDX ``import``/``export`` lines (after a blank line),
  MDX comments ``{/* ... */}`` and lines that are only
  a JSX component tag (``<Tabs>``, ``<TabItem value="a">``, ``</Tabs>``: names
  are capitalised, as HTML's ``<DIV>`` is not): blank lines, kept as markup. The
  lines between a Hugo ``highlight``/``code``/``code-toggle`` shortcode and its
  closing one are code: blank too, and so is the body of a JSX code component
  (:data:`CODE_COMPONENTS`, ``<CodeBlock language="bash">`` ... ``</CodeBlock>``,
  also written on one line): code is never translated.

Fenced code is left alone. Footnote definitions are handled by the reader (their
``[^label]:`` stays out of the text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_MKDOCS = re.compile(r'^(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+[\w-]+)*(?:[ \t]+"(?P<title>[^"]*)")?[ \t]*$')
_DOCUSAURUS = re.compile(r"^:::+[ \t]*[\w-]+(?:\[(?P<bracket>[^\]]*)\]|[ \t]+(?P<title>\S.*?))?[ \t]*(?:\{[^}]*\})?[ \t]*$")
_PYMDOWN = re.compile(r"^///[ \t]*[\w-]+(?:[ \t]*\|[ \t]*(?P<title>\S.*?))?[ \t]*$")
_CLOSE = re.compile(r"^(?::::+|///)[ \t]*$")
_MARKUP_LINE = re.compile(
    r"^[ \t]*(?:\{\{[<%].*[>%]\}\}|\{\{#.*\}\}|\{\*.*\*\}"
    r"|</?[A-Z][a-z][\w.]*(?:\s[^<>]*)?/?>|\{/\*.*\*/\})[ \t]*$"
)
_CODE_SHORTCODE = re.compile(r"^[ \t]*\{\{[<%][ \t]*(highlight|code-toggle|code)\b.*[>%]\}\}[ \t]*$")
#: JSX components whose body is code, not text (Docusaurus' ``CodeBlock``, react.dev's
#: ``TerminalBlock``, ...): their lines are masked like a Hugo ``highlight`` body. A
#: component not listed here is read as text; add its name to have it kept as code.
#: ``Sandpack`` and the like hold fenced code, which is code anyway.
CODE_COMPONENTS = frozenset({"CodeBlock", "TerminalBlock", "Code", "CodeSnippet", "Terminal", "Snippet"})
_CODE_COMPONENT = re.compile(r"^[ \t]*<(?P<name>[A-Z][\w.]*)(?:\s[^<>]*)?>")
_ADMONITION_MASK = "+ <??>"
_MDX_ESM = re.compile(r"""^(?:import\s.*\bfrom\s+['"].*|import\s+['"].*|export\s+(?:default|const|let|var|function|\{).*)$""")


@dataclass(frozen=True, slots=True)
class Title:
    """A construct's title: its text and where it stands in the body."""

    line: int  # 0-based line of the body
    start: int  # offsets in the body
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Masked:
    """A body with its extension lines masked (same length, same offsets)."""

    text: str
    titles: tuple[Title, ...] = ()
    #: Body lines (0-based) where an admonition's masked bullet item stands.
    containers: frozenset[int] = frozenset()


def mask(body: str, *, mdx: bool = True) -> Masked:
    """``body`` with the lines above masked; nothing to mask gives it back as is."""
    if not any(mark in body for mark in ("!!!", "???", ":::", "///", "{{", "{*", "<", "import ", "export ")):
        return Masked(body)
    lines = body.split("\n")
    out = list(lines)
    titles: list[Title] = []
    containers: set[int] = set()
    fence = ""
    shortcode = ""  # the code shortcode whose closing line ends the code
    component = ""  # the JSX code component whose closing tag ends the code
    offset = 0
    for index, line in enumerate(lines):
        start = offset
        offset += len(line) + 1
        if shortcode:
            out[index] = " " * len(line)
            if re.match(rf"^[ \t]*\{{\{{[<%][ \t]*/{shortcode}\b", line):
                shortcode = ""
            continue
        if component:
            out[index] = " " * len(line)
            if f"</{component}>" in line:
                component = ""
            continue
        code = _CODE_SHORTCODE.match(line)
        if code:
            out[index] = " " * len(line)
            shortcode = code.group(1)
            continue
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence) and not line.strip(" `~"):
                fence = ""
            continue
        if opening:
            fence = opening.group(1)
            continue
        tag = _CODE_COMPONENT.match(line)
        if tag and tag.group("name") in CODE_COMPONENTS and not line.rstrip().endswith("/>"):
            # The whole component is code, its opening line included; it ends on
            # the line of its closing tag, which may be this one.
            out[index] = " " * len(line)
            if f"</{tag.group('name')}>" not in line[tag.end() :]:
                component = tag.group("name")
            continue
        previous_blank = index == 0 or not lines[index - 1].strip() or out[index - 1] != lines[index - 1]
        admonition = _MKDOCS.match(line) if previous_blank else None
        # An empty item cannot interrupt a paragraph: the admonition needs a blank line before.
        if admonition and len(line) >= len(_ADMONITION_MASK) and _indented_body_follows(lines, index):
            out[index] = _ADMONITION_MASK + " " * (len(line) - len(_ADMONITION_MASK))
            containers.add(index)
            _title(titles, index, start, admonition, "title")
            continue
        block = _DOCUSAURUS.match(line) or _PYMDOWN.match(line)
        if block:
            out[index] = " " * len(line)
            _title(titles, index, start, block, "title", "bracket")
            continue
        if _CLOSE.match(line) or _MARKUP_LINE.match(line) or (mdx and previous_blank and _MDX_ESM.match(line)):
            out[index] = " " * len(line)
            continue
    masked = "\n".join(out)
    if masked == body:
        return Masked(body)
    return Masked(masked, tuple(titles), frozenset(containers))


def _indented_body_follows(lines: list[str], index: int) -> bool:
    following = next((line for line in lines[index + 1 :] if line.strip()), "")
    return following.startswith(("    ", "\t"))


def _title(titles: list[Title], index: int, start: int, match: re.Match[str], *groups: str) -> None:
    for group in groups:
        if match.groupdict().get(group):
            text = match.group(group)
            titles.append(Title(index, start + match.start(group), start + match.start(group) + len(text), text))
            return


# --------------------------------------------------------------------------
# The HTML page. Python-Markdown knows none of this markup: left in, it would
# show markers, imports and shortcodes as text and an admonition's indented body
# as code. The page is rendered from a version of the Markdown split into plain
# Markdown and the admonitions' containers, the markup lines dropped; the .md
# file is never rewritten so.

_MKDOCS_KIND = re.compile(r"^(?P<marker>!!!|\?\?\?\+?)[ \t]+(?P<kind>[\w-]+)")
_BLOCK_KIND = re.compile(r"^(?P<marker>:{3,}|///)[ \t]*(?P<kind>[\w-]+)")
_LANGUAGE = re.compile(r"""\blanguage=["'{]*(?P<lang>[\w#+.-]+)""")
_SHORTCODE_LANGUAGE = re.compile(r"^[ \t]*\{\{[<%][ \t]*highlight[ \t]+(?P<lang>[\w#+.-]+)")


@dataclass(frozen=True, slots=True)
class Container:
    """An admonition for the HTML page: its kind, title ("" for none), body
    Markdown (dedented) and whether it is a collapsible ``???`` (``+``: open)."""

    kind: str
    title: str
    body: str
    details: str = ""


def for_html(body: str) -> tuple[str | Container, ...]:
    """``body`` as the HTML page shows it: Markdown without the masked markup
    lines, and the admonitions as containers. Lines :func:`mask` leaves alone
    are kept as they are; a body with nothing masked is given back unchanged."""
    masked = mask(body)
    if masked.text == body:
        return (body,)
    lines = body.split("\n")
    shown = masked.text.split("\n")
    parts: list[str | Container] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            parts.append("\n".join(current))
            current.clear()

    index = 0
    while index < len(lines):
        line = lines[index]
        if shown[index] == line:
            current.append(line)
            index += 1
            continue
        mkdocs = _MKDOCS_KIND.match(line) if index in masked.containers else None
        if mkdocs:
            end = _indented_end(lines, index + 1)
            title = _MKDOCS.match(line)
            flush()
            parts.append(
                Container(
                    mkdocs.group("kind"),
                    _title_or_kind(title.group("title") if title else None, mkdocs.group("kind")),
                    "\n".join(_dedent(text) for text in lines[index + 1 : end]),
                    {"!!!": "", "???": "closed", "???+": "open"}[mkdocs.group("marker")],
                )
            )
            index = end
            continue
        block = _DOCUSAURUS.match(line) or _PYMDOWN.match(line)
        opening = _BLOCK_KIND.match(line)
        if block and opening:
            end = _closing_line(lines, index, opening.group("marker"))
            named: str | None = block.groupdict().get("title") or block.groupdict().get("bracket")
            flush()
            parts.append(
                Container(opening.group("kind"), _title_or_kind(named, opening.group("kind")), "\n".join(lines[index + 1 : end]))
            )
            index = end + 1
            continue
        code_end = _code_end(lines, index)
        if code_end >= 0:
            current.extend(_as_fence(lines, index, code_end))
            index = code_end + 1
            continue
        current.append("")  # a shortcode, include, import, comment or JSX line: not shown
        index += 1
    flush()
    return tuple(parts)


def _title_or_kind(title: str | None, kind: str) -> str:
    # As MkDocs and Docusaurus do: no title shows the kind; an empty "" none.
    return kind.replace("-", " ").capitalize() if title is None else title.strip()


def _indented_end(lines: list[str], start: int) -> int:
    """The line after an indented body that starts at ``start`` (trailing blank
    lines are not part of it)."""
    end = start
    for index in range(start, len(lines)):
        if lines[index].startswith(("    ", "\t")):
            end = index + 1
        elif lines[index].strip():
            break
    return end


def _dedent(line: str) -> str:
    return line[1:] if line.startswith("\t") else line[4:] if line.startswith("    ") else line.lstrip(" ")


def _closing_line(lines: list[str], start: int, marker: str) -> int:
    """The line closing the block opened at ``start`` by ``marker`` (":::",
    "::::", "///"): nested blocks with the same marker are skipped; the end of
    the text when it is never closed."""
    depth = 0
    fence = ""
    for index in range(start + 1, len(lines)):
        line = lines[index]
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and not line.strip(" `~"):
                fence = ""
            continue
        if opening:
            fence = opening.group(1)
            continue
        if _CLOSE.match(line) and line.rstrip() == marker:
            if depth == 0:
                return index
            depth -= 1
        elif (found := _BLOCK_KIND.match(line)) and found.group("marker") == marker:
            depth += 1
    return len(lines)


def _code_end(lines: list[str], start: int) -> int:
    """The last line of the code shortcode or JSX code component opened at
    ``start``, or -1 when none is opened there."""
    code = _CODE_SHORTCODE.match(lines[start])
    if code:
        closing = re.compile(rf"^[ \t]*\{{\{{[<%][ \t]*/{code.group(1)}\b")
        return next((i for i in range(start + 1, len(lines)) if closing.match(lines[i])), len(lines) - 1)
    tag = _CODE_COMPONENT.match(lines[start])
    if tag and tag.group("name") in CODE_COMPONENTS:
        closing_tag = f"</{tag.group('name')}>"
        if closing_tag in lines[start][tag.end() :]:
            return start
        return next((i for i in range(start + 1, len(lines)) if closing_tag in lines[i]), len(lines) - 1)
    return -1


def _as_fence(lines: list[str], start: int, end: int) -> list[str]:
    """Lines ``start`` to ``end`` (a code shortcode or component) as fenced code."""
    first = lines[start]
    indent = first[: len(first) - len(first.lstrip())]
    language = _LANGUAGE.search(first) or _SHORTCODE_LANGUAGE.match(first)
    tag = _CODE_COMPONENT.match(first)
    if start == end and tag:  # <CodeBlock>code</CodeBlock> on one line
        code = [first[tag.end() : first.rindex("</")]]
    else:
        code = lines[start + 1 : end]
        if tag and end < len(lines) and end > start:
            last = lines[end]
            before = last[: last.find("</")].strip() if "</" in last else ""
            if before:
                code.append(before)
    ticks = "`" * max(3, 1 + max((len(run) for text in code for run in re.findall(r"`+", text)), default=0))
    word = language.group("lang") if language else ""
    return [indent + ticks + word, *code, indent + ticks]
