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
- PyMdown content tabs ``=== "Tab"`` (MkDocs Material): as an admonition; a tab
  with no indented body is a blank line and its title.
- Docusaurus ``:::note Title`` / ``:::`` and PyMdown blocks ``/// note | Title`` /
  ``///``: the marker lines become blank lines; the title is a block.
- Inside a list item or a container, the same markers indented: found where
  CommonMark, the outer markers masked, reads them as paragraph text.
- Hugo shortcodes ``{{< ... >}}``/``{{% ... %}}``, mdBook ``{{#include ...}}``,
  FastAPI's ``{* ... *}``, MDX ``import``/``export`` lines (after a blank line),
  MDX comments ``{/* ... */}`` and lines that are only
  a JSX component tag (``<Tabs>``, ``<TabItem value="a">``, ``</Tabs>``: names
  are capitalised, as HTML's ``<DIV>`` is not): blank lines, kept as markup. The
  lines between a Hugo ``highlight``/``code``/``code-toggle`` shortcode and its
  closing one are code: blank too, and so is the body of a JSX code component
  (:data:`CODE_COMPONENTS`, ``<CodeBlock language="bash">`` ... ``</CodeBlock>``,
  also written on one line): code is never translated. A shortcode written over
  several lines (after a blank line) is masked whole. Such a line standing
  between two lines of a paragraph is left in it, as CommonMark reads it.
- The text parameters of a standalone shortcode (``caption="..."``, ``alt="..."``,
  ``title="..."``) are titles of kind attribute.

Fenced code is left alone. Footnote definitions are handled by the reader (their
``[^label]:`` stays out of the text).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from pipeline.read.blocks import parse_blocks

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_MKDOCS = re.compile(r'(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+[\w-]+)*(?:[ \t]+"(?P<title>[^"]*)")?[ \t]*$')
_DOCUSAURUS = re.compile(r":::+[ \t]*[\w-]+(?:\[(?P<bracket>[^\]]*)\]|[ \t]+(?P<title>\S.*?))?[ \t]*(?:\{[^}]*\})?[ \t]*$")
_PYMDOWN = re.compile(r"///[ \t]*[\w-]+(?:[ \t]*\|[ \t]*(?P<title>\S.*?))?[ \t]*$")
_CLOSE = re.compile(r"(?::::+|///)[ \t]*$")
#: PyMdown's content tabs (MkDocs Material): ``=== "Tab"``, ``===+`` selected, ``===!`` a new set.
_TAB = re.compile(r'===[+!]{0,2}[ \t]+"(?P<title>[^"]*)"[ \t]*$')
_MARKUP_LINE = re.compile(
    r"^[ \t]*(?:\{\{[<%].*[>%]\}\}|\{\{#.*\}\}|\{\*.*\*\}"
    r"|</?[A-Z][a-z][\w.]*(?:\s[^<>]*)?/?>|\{/\*.*\*/\})[ \t]*$"
)
# A shortcode call (not the escaped "{{</* ... */>}}" that shows one in the docs).
_SHORTCODE_OPEN = re.compile(r"^[ \t]*\{\{[<%](?![ \t]*/\*)[ \t]*[\w.-]+")
_SHORTCODE_MAX_LINES = 40
#: Hugo's parameters that hold text for readers (figure, img, qr and the like),
#: double-quoted: what a translator translates; the rest (src, class) is markup.
_TEXT_PARAMETER = re.compile(r'(?<![\w-])(?:caption|alt|title)[ \t]*=[ \t]*"(?P<title>(?:[^"\\\n]|\\.)*)"')
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
    """A construct's title (or a shortcode's text parameter, ``attribute``): its
    text and where it stands in the body."""

    line: int  # 0-based line of the body
    start: int  # offsets in the body
    end: int
    text: str
    attribute: bool = False


@dataclass(frozen=True, slots=True)
class Masked:
    """A body with its extension lines masked (same length, same offsets)."""

    text: str
    titles: tuple[Title, ...] = ()
    #: Body lines (0-based) where an admonition's masked bullet item stands.
    containers: frozenset[int] = frozenset()
    #: Markup lines left unmasked because they stand inside a paragraph (see
    #: :func:`_rejoin_paragraphs`): the paragraph's text holds them.
    joined: frozenset[int] = frozenset()


def mask(body: str, *, mdx: bool = True) -> Masked:
    """``body`` with the lines above masked; nothing to mask gives it back as is."""
    if (
        not any(mark in body for mark in _MARKS)
        and ("<" not in body or not _LT_MARKUP.search(body))
        and not _ESM_START.search(body)
        # The full pass masks an MDX comment wherever it runs, and it ran on
        # any "import" or "export" before the shortcut: it still does.
        and not ("{/*" in body and ("import" in body or "export" in body))
    ):
        return Masked(body)
    return _mask_lines(body, mdx)


#: What a body with something to mask holds (besides a "<": see _LT_MARKUP).
_MARKS = ("!!!", "???", ":::", "///", "===", "{{", "{*")
#: A line that may be an MDX import or export (see _MDX_ESM: any white space after the word).
_ESM_START = re.compile(r"(?:^|\n)(?:import|export)\s")
#: Where a "<" is the only mark, what of it may be masked: a JSX component's tag
#: (a code component's too) and, as markup lines are found once a "<" is there,
#: an MDX comment. A "<" in anything else (a review marker's comment, a tag in
#: lower case) masks nothing.
_LT_MARKUP = re.compile(r"</?[A-Z]|\{/\*")


def _mask_lines(body: str, mdx: bool) -> Masked:
    lines = body.split("\n")
    state = _Masking(lines)
    fence = ""
    shortcode = ""  # the code shortcode whose closing line ends the code
    component = ""  # the JSX code component whose closing tag ends the code
    out = state.out
    for index, line in enumerate(lines):
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
        # Indented markers are found below, where CommonMark shows they are inside a container.
        if previous_blank and line[:1] not in (" ", "\t") and state.container(index):
            continue
        if line[:1] not in (" ", "\t") and state.block_marker(index):
            continue
        if _MARKUP_LINE.match(line) or (mdx and previous_blank and _MDX_ESM.match(line)):
            out[index] = " " * len(line)
            state.markup.add(index)
            continue
        last = _shortcode_end(lines, index) if previous_blank else -1
        if last > index:  # a shortcode written over several lines, parameters one a line
            for inside in range(index, last + 1):
                out[inside] = " " * len(lines[inside])
            state.shortcodes.append((index, last))
            continue
    if any(out[i] == line and line[:1] in (" ", "\t") and _marker_line(line.lstrip(" \t")) for i, line in enumerate(lines)):
        _mask_nested(state)
    if state.markup:
        _rejoin_paragraphs(state)
    for index in state.markup:
        if _SHORTCODE_OPEN.match(lines[index]):
            state.shortcodes.append((index, index))
    for first, last in state.shortcodes:
        _parameters(state, first, last)
    masked = "\n".join(out)
    if masked == body and not state.joined:
        return Masked(body)
    return Masked(masked, tuple(sorted(state.titles, key=lambda t: t.start)), frozenset(state.containers), frozenset(state.joined))


class _Masking:
    """The lines of a body being masked and what was found in them."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.out = list(lines)
        self.starts: list[int] = []
        offset = 0
        for line in lines:
            self.starts.append(offset)
            offset += len(line) + 1
        self.titles: list[Title] = []
        self.containers: set[int] = set()
        #: Lines masked as markup of their own (a shortcode, a component tag).
        self.markup: set[int] = set()
        self.joined: set[int] = set()
        #: Standalone shortcodes as (first line, last line).
        self.shortcodes: list[tuple[int, int]] = []

    def container(self, index: int) -> bool:
        """Mask line ``index`` when it opens an admonition or a content tab (its
        marker may be indented: inside a list item or another container)."""
        line = self.lines[index]
        indent = len(line) - len(line.lstrip(" \t"))
        found = _MKDOCS.match(line, indent) or _TAB.match(line, indent)
        if not found:
            return False
        if _indented_body_follows(self.lines, index, line[:indent]) and len(line) - indent >= len(_ADMONITION_MASK):
            # An empty item cannot interrupt a paragraph: the caller sees a blank line before.
            self.out[index] = line[:indent] + _ADMONITION_MASK + " " * (len(line) - indent - len(_ADMONITION_MASK))
            self.containers.add(index)
        elif found.re is _TAB:
            self.out[index] = " " * len(line)  # a tab with nothing in it: its title only
        else:
            return False
        _title(self.titles, index, self.starts[index], found, "title")
        return True

    def block_marker(self, index: int) -> bool:
        """Mask line ``index`` when it opens or closes a Docusaurus or PyMdown block."""
        line = self.lines[index]
        indent = len(line) - len(line.lstrip(" \t"))
        block = _DOCUSAURUS.match(line, indent) or _PYMDOWN.match(line, indent)
        if block:
            self.out[index] = " " * len(line)
            _title(self.titles, index, self.starts[index], block, "title", "bracket")
            return True
        if _CLOSE.match(line, indent):
            self.out[index] = " " * len(line)
            return True
        return False


def _shortcode_end(lines: list[str], index: int) -> int:
    """The line that closes a shortcode opened, and not closed, on line
    ``index`` (``{{< figure`` and its parameters below); -1 for none."""
    if not _SHORTCODE_OPEN.match(lines[index]) or re.search(r"[>%]\}\}", lines[index]):
        return -1
    for last in range(index + 1, min(index + _SHORTCODE_MAX_LINES, len(lines))):
        if not lines[last].strip():
            return -1
        if re.search(r"[>%]\}\}[ \t]*$", lines[last]):
            return last
    return -1


def _parameters(state: _Masking, first: int, last: int) -> None:
    """The text parameters of the shortcode on lines ``first`` to ``last`` as titles."""
    for index in range(first, last + 1):
        line = state.lines[index]
        for found in _TEXT_PARAMETER.finditer(line):
            start = state.starts[index] + found.start("title")
            state.titles.append(Title(index, start, start + len(found.group("title")), found.group("title"), attribute=True))


def _marker_line(line: str) -> bool:
    """Whether ``line`` (without its indentation) is a container's marker line."""
    return bool(_MKDOCS.match(line) or _TAB.match(line) or _DOCUSAURUS.match(line) or _PYMDOWN.match(line) or _CLOSE.match(line))


def _paragraph_lines(text: str) -> list[tuple[int, int]]:
    """The line ranges ``[start, end)`` of CommonMark's paragraphs in ``text``."""
    return [(t.map[0], t.map[1]) for t in parse_blocks(text) if t.type == "paragraph_open" and t.map]


def _mask_nested(state: _Masking) -> None:
    """Mask the marker lines that stand inside a list item or a container, where
    CommonMark, with the outer markers masked, reads them as paragraph text: an
    admonition or tab opens a paragraph; a Docusaurus or PyMdown marker may be
    any line of one. Each masked level can reveal the next: repeated."""
    for _ in range(16):  # nesting deeper than this is not written by hand
        found = False
        for start, end in _paragraph_lines("\n".join(state.out)):
            for index in range(start, end):
                if state.out[index] != state.lines[index]:
                    continue
                if (index == start and state.container(index)) or state.block_marker(index):
                    found = True
        if not found:
            return


def _rejoin_paragraphs(state: _Masking) -> None:
    """Unmask a markup line that stands between two lines of one paragraph (a
    shortcode or component line between two text lines, no blank line around it):
    CommonMark, Hugo and MDX read it as part of that paragraph, which masked
    would be split in two msgids. Kept masked where unmasking would change more."""
    paragraphs = _paragraph_lines("\n".join(state.out))
    ends = {end: start for start, end in paragraphs}
    starts = {start: end for start, end in paragraphs}
    joined = {index: (ends[index], starts[index + 1]) for index in sorted(state.markup) if index in ends and index + 1 in starts}
    if not joined:
        return
    for index in joined:
        state.out[index] = state.lines[index]
    spans = _paragraph_lines("\n".join(state.out))
    for index, (first, last) in joined.items():
        if not any(start <= first and last <= end for start, end in spans):
            state.out[index] = " " * len(state.lines[index])
        else:
            state.markup.discard(index)
            state.joined.add(index)


def _indented_body_follows(lines: list[str], index: int, indent: str = "") -> bool:
    following = next((line for line in lines[index + 1 :] if line.strip()), "")
    return following.startswith((indent + "    ", indent + "\t"))


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
    #: Where it stands inside a list item: the indentation of its marker line.
    indent: str = ""


def for_html(body: str) -> tuple[str | Container, ...]:
    """``body`` as the HTML page shows it: Markdown without the masked markup
    lines, and the admonitions as containers. Lines :func:`mask` leaves alone
    are kept as they are; a body with nothing masked is given back unchanged."""
    masked = mask(body)
    if masked.text == body and not masked.joined:
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
        if index in masked.joined:
            index += 1  # markup inside a paragraph: left out, the paragraph kept whole
            continue
        if shown[index] == line:
            current.append(line)
            index += 1
            continue
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if indent and index in masked.containers:
            end = _indented_end(lines, index + 1, indent)
            flush()
            parts.append(_nested_container(lines, index, end, indent))
            index = end
            continue
        opened = _BLOCK_KIND.match(line[len(indent) :]) if indent else None
        if opened and (_DOCUSAURUS.match(line, len(indent)) or _PYMDOWN.match(line, len(indent))):
            flush()
            block_end, container = _nested_block(lines, index, indent)
            parts.append(container)
            index = block_end
            continue
        tab = _TAB.match(line)
        if tab:
            end = _indented_end(lines, index + 1) if index in masked.containers else index + 1
            flush()
            parts.append(Container("tab", tab.group("title").strip(), "\n".join(_dedent(text) for text in lines[index + 1 : end])))
            index = end
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
        figure = _figure_end(lines, index)
        if figure >= 0:
            current.extend(["", _figure_html(" ".join(lines[index : figure + 1])), ""])
            index = figure + 1
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


def _nested_container(lines: list[str], index: int, end: int, indent: str) -> Container:
    """The admonition or tab whose marker stands indented on line ``index`` (in a
    list item), its body the lines up to ``end``, dedented."""
    line = lines[index][len(indent) :]
    body = "\n".join(_dedent(text[len(indent) :] if text.startswith(indent) else text.lstrip(" ")) for text in lines[index + 1 : end])
    tab = _TAB.match(line)
    if tab:
        return Container("tab", tab.group("title").strip(), body, indent=indent)
    mkdocs = _MKDOCS_KIND.match(line)
    title = _MKDOCS.match(line)
    kind = mkdocs.group("kind") if mkdocs else "note"
    details = {"!!!": "", "???": "closed", "???+": "open"}[mkdocs.group("marker")] if mkdocs else ""
    return Container(kind, _title_or_kind(title.group("title") if title else None, kind), body, details, indent)


def _nested_block(lines: list[str], index: int, indent: str) -> tuple[int, Container]:
    """The Docusaurus or PyMdown block opened indented on line ``index`` (in a
    list item) as a container, and the line after its closing marker; unclosed,
    it ends with the lines indented as deep."""
    scope = next(
        (i for i in range(index + 1, len(lines)) if lines[i].strip() and not lines[i].startswith(indent)), len(lines)
    )
    inner = [text[len(indent) :] if text.startswith(indent) else text.lstrip(" ") for text in lines[index:scope]]
    opening = _BLOCK_KIND.match(inner[0])
    block = _DOCUSAURUS.match(inner[0]) or _PYMDOWN.match(inner[0])
    assert opening is not None and block is not None  # the caller found both
    close = _closing_line(inner, 0, opening.group("marker"))
    named: str | None = block.groupdict().get("title") or block.groupdict().get("bracket")
    kind = opening.group("kind")
    container = Container(kind, _title_or_kind(named, kind), "\n".join(inner[1:close]), indent=indent)
    return index + min(close + 1, len(inner)), container


_FIGURE = re.compile(r"^\{\{[<%][ \t]*figure\b")
_PARAMETER = re.compile(r'(?<![\w-])([\w-]+)[ \t]*=[ \t]*(?:"((?:[^"\\]|\\.)*)"|([^\s"}>%]+))')


def _figure_end(lines: list[str], index: int) -> int:
    """The last line of a Hugo ``figure`` shortcode standing at ``index`` (not
    indented), or -1 when there is none."""
    if not _FIGURE.match(lines[index]):
        return -1
    if re.search(r"[>%]\}\}[ \t]*$", lines[index]):
        return index
    return _shortcode_end(lines, index)


def _figure_html(call: str) -> str:
    """A ``figure`` shortcode's call as Hugo's built-in template renders it, in
    short: the image with its alt text and title, and the caption under it."""
    found = {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _PARAMETER.finditer(call)}
    values = {k: html.escape(v.replace('\\"', '"'), quote=True) for k, v in found.items()}
    image = f'<img src="{values.get("src", "")}" alt="{values.get("alt", "")}">'
    if "link" in values:
        image = f'<a href="{values["link"]}">{image}</a>'
    words = [f"<h4>{values['title']}</h4>"] if values.get("title") else []
    words += [f"<p>{values['caption']}</p>"] if values.get("caption") else []
    caption = f"<figcaption>{''.join(words)}</figcaption>" if words else ""
    return f"<figure>{image}{caption}</figure>"


def _title_or_kind(title: str | None, kind: str) -> str:
    # As MkDocs and Docusaurus do: no title shows the kind; an empty "" none.
    return kind.replace("-", " ").capitalize() if title is None else title.strip()


def _indented_end(lines: list[str], start: int, indent: str = "") -> int:
    """The line after a body indented beyond ``indent`` that starts at ``start``
    (trailing blank lines are not part of it)."""
    end = start
    for index in range(start, len(lines)):
        if lines[index].startswith((indent + "    ", indent + "\t")):
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
