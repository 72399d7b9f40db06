"""Read plain text as scraped from websites into blocks.

Scrapers produce two layouts: one paragraph per line, or paragraphs separated by
blank lines (often hard-wrapped). The layout is detected from the share of blank
lines. List items start with "- ", "• ", "* " (indentation gives depth); numbered
lines count as items only in runs of consecutive numbers, so a paragraph that
starts with a date such as "1. dubna 2025" stays a paragraph.

Repairs are made only where they are unambiguous:

* a line that is not an item, standing between two items, continues the item
  before it when that item ends mid-sentence (no closing punctuation, or a
  function word such as "and" / "a");
* an item line that holds several items run together (" - Next item") is split
  where the marker is the list's own marker followed by a capital letter;
* in the line layout, a line ending mid-sentence followed by one starting in
  lower case is one hard-wrapped paragraph.

Headings are inferred: a short line with no closing punctuation, followed by body
text (or by one more such line and then body text), that is not a date.

The small function-word list below is a general English/Czech lexicon (the most
common conjunctions, prepositions and articles), not words of any sample text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.model import Article, Block, BlockKind
from pipeline.read.dates import parse_date_line
from pipeline.read.markdown import normalise_source

# After the marker any space will do: pages often put a no-break space there.
_BULLET = re.compile(r"^([ \t]*)([-*•+‣◦▪])[ \t\u00a0\u202f\u2007]+(\S.*)$")
_NUMBERED = re.compile(r"^([ \t]*)(\d{1,3})([.)])[ \t\u00a0\u202f\u2007]+(\S.*)$")
_TERMINAL = ("." , "!", "?", ":", ";", "…", "。")
_CLOSERS = "\"'”’»)]"
#: Words after which an English or Czech sentence cannot end.
FUNCTION_WORDS = frozenset(
    "a an the and or but nor of to in on at by for with from as into than that "
    "i a ale nebo ani v ve na s se z ze k ke o u do od po pro při za že který".split()
)


@dataclass(frozen=True, slots=True)
class Line:
    """A non-empty source line with its position."""

    number: int
    start: int
    text: str


def detect_layout(lines: list[str]) -> str:
    """"lines" (one paragraph per line) or "blank" (blank-line separated)."""
    content = [i for i, line in enumerate(lines) if line.strip()]
    if len(content) < 2:
        return "lines"
    gaps = sum(1 for a, b in zip(content, content[1:]) if b - a > 1)
    return "blank" if gaps >= 0.4 * (len(content) - 1) else "lines"


def ends_mid_sentence(text: str) -> bool:
    stripped = text.rstrip().rstrip(_CLOSERS)
    if not stripped or stripped.endswith(_TERMINAL):
        return False
    last = stripped.split()[-1].casefold()
    return last in FUNCTION_WORDS or stripped[-1].isalnum() or stripped.endswith((",", "-", "—", "–"))


def _item(line: Line) -> tuple[int, bool, str, str] | None:
    """(indent, ordered, marker, text) of a list-item line."""
    bullet = _BULLET.match(line.text)
    if bullet:
        return len(bullet.group(1).expandtabs(4)), False, bullet.group(2), bullet.group(3)
    numbered = _NUMBERED.match(line.text)
    if numbered:
        return len(numbered.group(1).expandtabs(4)), True, numbered.group(2), numbered.group(4)
    return None


@dataclass
class _Draft:
    kind: BlockKind
    parts: list[str]
    first: Line
    last: Line
    indent: int = 0
    ordered: bool = False
    marker: str = ""

    @property
    def text(self) -> str:
        return " ".join(p.strip() for p in self.parts if p.strip())


def _numbered_runs(lines: list[Line]) -> set[int]:
    """Indices of numbered lines that are items: neighbours numbered one apart."""
    numbers: dict[int, int] = {}
    for index, line in enumerate(lines):
        match = _NUMBERED.match(line.text)
        if match:
            numbers[index] = int(match.group(2))
    items = set()
    for index, number in numbers.items():
        if numbers.get(index - 1) == number - 1 or numbers.get(index + 1) == number + 1:
            items.add(index)
    return items


def _drafts(groups: list[list[Line]], layout: str) -> list[_Draft]:
    drafts: list[_Draft] = []
    flat = [line for group in groups for line in group]
    numbered_items = {id(flat[i]) for i in _numbered_runs(flat)}
    for group in groups:
        current: _Draft | None = None
        for line in group:
            item = _item(line)
            if item and item[1] and id(line) not in numbered_items:
                item = None
            if item:
                indent, ordered, marker, text = item
                current = _Draft(BlockKind.LIST_ITEM, [text], line, line, indent, ordered, marker)
                drafts.append(current)
            elif current is not None and layout == "blank":
                current.parts.append(line.text)
                current.last = line
            else:
                current = _Draft(BlockKind.PARAGRAPH, [line.text], line, line)
                drafts.append(current)
                if layout == "blank":
                    continue
                current = None
    return drafts


def _repair_lists(drafts: list[_Draft], layout: str) -> list[_Draft]:
    repaired: list[_Draft] = []
    for index, draft in enumerate(drafts):
        previous = repaired[-1] if repaired else None
        following = drafts[index + 1] if index + 1 < len(drafts) else None
        if (
            draft.kind is BlockKind.PARAGRAPH
            and previous is not None
            and previous.kind is BlockKind.LIST_ITEM
            and following is not None
            and following.kind is BlockKind.LIST_ITEM
            and ends_mid_sentence(previous.text)
        ):
            previous.parts.extend(draft.parts)
            previous.last = draft.last
            continue
        if (
            layout == "lines"
            and draft.kind is BlockKind.PARAGRAPH
            and previous is not None
            and previous.kind is BlockKind.PARAGRAPH
            and ends_mid_sentence(previous.text)
            and draft.text[:1].islower()
        ):
            previous.parts.extend(draft.parts)
            previous.last = draft.last
            continue
        repaired.append(draft)
    return [piece for draft in repaired for piece in _split_run_together(draft)]


def _split_run_together(draft: _Draft) -> list[_Draft]:
    if draft.kind is not BlockKind.LIST_ITEM or draft.ordered:
        return [draft]
    pattern = re.compile(rf"\s+{re.escape(draft.marker)}\s+(?=[A-Z0-9À-Ž])")
    text = draft.text
    pieces = pattern.split(text)
    if len(pieces) < 2 or any(len(p.split()) < 2 for p in pieces):
        return [draft]
    # The pieces after the first were run together onto the item's last line.
    return [replace(draft, parts=[pieces[0]])] + [
        replace(draft, parts=[piece], first=draft.last) for piece in pieces[1:]
    ]


def _looks_like_heading(draft: _Draft, lang: str, max_words: int) -> bool:
    text = draft.text
    if draft.kind is not BlockKind.PARAGRAPH or draft.first is not draft.last:
        return False
    if not text or len(text.split()) > max_words or len(text) > 120:
        return False
    if text.rstrip(_CLOSERS).endswith(_TERMINAL) or text.endswith(","):
        return False
    if not (text[0].isupper() or text[0].isdigit()) or not any(c.isalpha() for c in text):
        return False
    return parse_date_line(text, lang) is None


def infer_headings(drafts: list[_Draft], lang: str, max_words: int) -> list[bool]:
    """Which drafts are headings: a candidate followed by body text, or by one
    more candidate and then body text (a section heading over a talk title)."""
    candidate = [_looks_like_heading(d, lang, max_words) for d in drafts]
    body = [not c for c in candidate]
    headings = []
    for index, is_candidate in enumerate(candidate):
        nxt = index + 1
        heading = is_candidate and nxt < len(drafts) and (
            body[nxt] or (candidate[nxt] and nxt + 1 < len(drafts) and body[nxt + 1])
        )
        headings.append(heading)
    return headings


def _list_depths(drafts: list[_Draft]) -> dict[int, int]:
    """Depth of each list item: the rank of its indentation within its list run."""
    depths: dict[int, int] = {}
    run: list[int] = []
    for index in range(len(drafts) + 1):
        item = drafts[index] if index < len(drafts) and drafts[index].kind is BlockKind.LIST_ITEM else None
        # A different marker at the outer indentation starts a new list.
        same_list = item is not None and (
            not run
            or item.marker == drafts[run[0]].marker
            or item.indent > min(drafts[i].indent for i in run)
        )
        if item is not None and same_list:
            run.append(index)
            continue
        levels = sorted({drafts[i].indent for i in run})
        depths.update({i: levels.index(drafts[i].indent) for i in run})
        run = [index] if item is not None else []
    return depths


def read_plain_blocks(
    text: str, *, lang: str = "en", max_words: int = 14, heading_level: int = 2
) -> list[Block]:
    """Blocks of a plain-text article; offsets refer to ``text`` after normalisation."""
    lines_raw = text.split("\n")
    layout = detect_layout(lines_raw)
    groups: list[list[Line]] = []
    position = 0
    current: list[Line] = []
    for number, raw in enumerate(lines_raw, start=1):
        if raw.strip():
            current.append(Line(number, position, raw))
            if layout == "lines":
                groups.append(current)
                current = []
        elif current:
            groups.append(current)
            current = []
        position += len(raw) + 1
    if current:
        groups.append(current)
    drafts = _repair_lists(_drafts(groups, layout), layout)
    headings = infer_headings(drafts, lang, max_words)
    depths = _list_depths(drafts)
    blocks = []
    for index, (draft, heading) in enumerate(zip(drafts, headings)):
        kind = BlockKind.HEADING if heading else draft.kind
        level = heading_level if heading else depths.get(index, 0)
        start = draft.first.start + (len(draft.first.text) - len(draft.first.text.lstrip()))
        end = draft.last.start + len(draft.last.text.rstrip())
        single = len(draft.parts) == 1 and draft.first is draft.last and kind is not BlockKind.LIST_ITEM
        blocks.append(
            Block(
                kind,
                draft.text,
                draft.first.number,
                draft.last.number,
                level=level,
                ordered=draft.ordered,
                start=start if single else -1,
                end=end if single else -1,
            )
        )
    return blocks


def parse_plain_text(text: str, *, path: str = "", slug: str = "", lang: str = "") -> Article:
    """A plain-text article as it is: no metadata taken out, no boilerplate removed."""
    text, bom, newline = normalise_source(text)
    blocks = read_plain_blocks(text, lang=lang or "en")
    return Article(
        slug=slug, lang=lang, blocks=tuple(blocks), source=text, path=path, bom=bom, newline=newline
    )
