"""Find the inline constructs of a segment that a translation must keep as written.

One left-to-right scan, by CommonMark's precedence: a backslash escape first,
then code spans (a backtick run closed only by a run of the same length; inside
one nothing else counts), raw HTML (markdown-it-py's own grammar of tags,
comments, processing instructions, declarations and CDATA), autolinks, entities,
and link destinations with their titles. The writer uses it not to break a line
or escape a ``<`` inside such a region, the checks to compare markup that escapes
and code spans hide, the pseudo-translator to leave it alone.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from types import MappingProxyType
from typing import Any, Mapping

from markdown_it import MarkdownIt
from markdown_it.common.html_re import HTML_TAG_RE
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\x00-\x20]*>")
_EMAIL = re.compile(
    r"<[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*>"
)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


@dataclass(frozen=True, slots=True)
class Region:
    """``text[start:end]`` is a construct of kind ``kind``: "escape", "code",
    "html", "autolink", "entity" or "destination" (``](`` to the closing ``)``)."""

    start: int
    end: int
    kind: str


def regions(text: str) -> list[Region]:
    """The protected inline regions of ``text``, in order, never overlapping."""
    found: list[Region] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n and text[i + 1] in _PUNCTUATION:
            found.append(Region(i, i + 2, "escape"))
            i += 2
        elif char == "`":
            run = _run_length(text, i, "`")
            close = _closing_run(text, i + run, run)
            if close < 0:
                i += run  # an unmatched run is literal backticks
            else:
                found.append(Region(i, close + run, "code"))
                i = close + run
        elif char == "<":
            match = HTML_TAG_RE.match(text, i) or _AUTOLINK.match(text, i) or _EMAIL.match(text, i)
            if match:
                kind = "html" if match.re is HTML_TAG_RE else "autolink"
                found.append(Region(i, match.end(), kind))
                i = match.end()
            else:
                i += 1
        elif char == "&" and (entity := _ENTITY.match(text, i)):
            found.append(Region(i, entity.end(), "entity"))
            i = entity.end()
        elif char == "]" and text.startswith("](", i) and (end := destination_end(text, i + 2)) > 0:
            found.append(Region(i, end, "destination"))
            i = end
        else:
            i += 1
    return found


def _run_length(text: str, start: int, char: str) -> int:
    end = start
    while end < len(text) and text[end] == char:
        end += 1
    return end - start


def _closing_run(text: str, start: int, length: int) -> int:
    """Start of the next backtick run of exactly ``length`` from ``start``, or -1."""
    position = text.find("`", start)
    while position >= 0:
        run = _run_length(text, position, "`")
        if run == length:
            return position
        position = text.find("`", position + run)
    return -1


def destination_end(text: str, i: int) -> int:
    """Given ``i`` just after ``](``, the offset after the closing ``)`` of an
    inline link's destination and title, or -1 when they are not well formed."""
    n = len(text)
    i = _skip_space(text, i)
    if i < n and text[i] == "<":
        i += 1
        while i < n and text[i] not in "<>\n":
            i += 2 if text[i] == "\\" else 1
        if i >= n or text[i] != ">":
            return -1
        i += 1
    else:
        depth = 0
        while i < n and ord(text[i]) > 0x20:  # ASCII space and controls end it, not U+00A0
            if text[i] == "\\" and i + 1 < n:
                i += 2
                continue
            if text[i] == "(":
                depth += 1
            elif text[i] == ")":
                if depth == 0:
                    break
                depth -= 1
            i += 1
        if depth:
            return -1
    after = _skip_space(text, i)
    if after < n and after > i and text[after] in "\"'(":
        closer = ")" if text[after] == "(" else text[after]
        j = after + 1
        while j < n and text[j] != closer:
            j += 2 if text[j] == "\\" else 1
        if j >= n:
            return -1
        i = _skip_space(text, j + 1)
    else:
        i = after
    return i + 1 if i < n and text[i] == ")" else -1


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\n":
        i += 1
    return i


def code_spans(text: str) -> list[str]:
    """The content of each code span of ``text`` (CommonMark: one leading and one
    trailing space stripped when both are there and it is not all spaces)."""
    spans = []
    for region in regions(text):
        if region.kind == "code":
            run = _run_length(text, region.start, "`")
            content = text[region.start + run : region.end - run].replace("\n", " ")
            if content.startswith(" ") and content.endswith(" ") and content.strip():
                content = content[1:-1]
            spans.append(content)
    return spans


def destination(region_text: str) -> str:
    """The link destination of a "destination" region (``](dest "title")``)."""
    inner = region_text[2:-1].strip(" \t\n")
    if inner.startswith("<"):
        return inner[1 : inner.find(">")] if ">" in inner else inner
    return re.split(r"[ \t\n]", inner, maxsplit=1)[0]


#: A line that may define a link reference, ``[label]: destination``.
_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:", re.MULTILINE)


@cache
def _resolver() -> MarkdownIt:
    return MarkdownIt("commonmark")


@lru_cache(maxsize=64)
def link_references(markdown: str) -> Mapping[str, Any]:
    """The link reference definitions of a document, keyed as markdown-it keys
    their labels (for :func:`resolved_links`); empty when it has none. Read-only:
    the last few documents' are remembered, since extraction, alignment, build
    and report each ask for those of the same article."""
    if not _DEFINITION.search(markdown):
        return MappingProxyType({})
    env: dict[str, Any] = {}
    _resolver().parse(markdown, env)
    return MappingProxyType(dict(env.get("references", {})))


def resolved_links(text: str, references: Mapping[str, Any]) -> Counter[str]:
    """Where the links and images of an inline ``text`` lead, its reference
    links resolved by the document's ``references``: a shortcut ``[label]`` or
    collapsed ``[label][]`` reference whose label a translation changed leads
    nowhere, and its brackets are shown as text."""
    found: Counter[str] = Counter()
    stack: list[Token] = list(_resolver().parseInline(text, {"references": dict(references)}))
    while stack:
        token = stack.pop()
        if token.type == "link_open":
            found["link " + str(token.attrs.get("href", ""))] += 1
        elif token.type == "image":
            found["image " + str(token.attrs.get("src", ""))] += 1
        stack.extend(token.children or ())
    return found


_DELIMITER_RUN = re.compile(r"\*+|_+")


def emphasis_markers(text: str) -> Counter[str]:
    """The emphasis of ``text``: each span it opens and closes, as ``*`` and
    ``…*`` (emphasis) or ``**`` and ``…**`` (strong; ``***x***`` is both, as
    ``_**x**_`` is), whichever of ``*`` and ``_`` writes it (they render
    alike). Whether a run can open or close is markdown-it-py's own scan (CommonMark's flanking rules:
    ``**Note:** text`` closes after the colon, an ``_`` inside ``snake_case`` is
    neither); a run that can do both closes when one of its marker is open. A run
    that opens nothing it closes, or closes nothing open, is literal text (AdGuard's
    ``![Logging *border]``, which a translation may escape). Escapes and code spans
    must already be masked out of ``text``."""
    found: Counter[str] = Counter()
    if "*" not in text and "_" not in text:
        return found
    state = StateInline(text, _resolver(), {}, [])
    open_runs: dict[str, list[int]] = {"*": [], "_": []}
    for match in _DELIMITER_RUN.finditer(text):
        run = match.group()
        marker = run[0]
        scanned = state.scanDelims(match.start(), marker == "*")
        if scanned.can_close and open_runs[marker]:
            # One run may close several ("**Hold down *Win* and press *S***"):
            # the innermost first, as far as its markers go.
            left = len(run)
            while left and open_runs[marker]:
                opened = open_runs[marker].pop()
                used = min(opened, left)
                # CommonMark takes two markers for each strong span, then one for
                # an emphasis: "***x***" is "_**x**_", "****x****" two strong spans.
                for key, spans in (("**", used // 2), ("*", used % 2)):
                    if spans:
                        found[key] += spans
                        found["…" + key] += spans
                left -= used
                if opened > used:
                    open_runs[marker].append(opened - used)
        elif scanned.can_open:
            open_runs[marker].append(len(run))
    return found


def rendered_emphasis(text: str) -> Counter[str]:
    """How many emphasis and strong spans markdown-it-py's own inline parse makes
    of ``text``: the exact count, which :func:`emphasis_markers` approximates
    (CommonMark's rule of three and mis-nesting, ``*foo**bar**baz*``), at the cost
    of a parse, so asked only where the approximation sees a difference."""
    return Counter(
        child.type
        for token in _resolver().parseInline(text)
        for child in token.children or ()
        if child.type in ("em_open", "strong_open")
    )
