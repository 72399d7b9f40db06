"""The vocabulary every other module speaks: articles, blocks, segments, beads,
alignments and findings. All frozen dataclasses, no behaviour beyond derived views.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any, Mapping

from pipeline.errors import PipelineError


class BlockKind(str, Enum):
    """What a block of an article is. The value is what PO comments and JSON show."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list item"
    QUOTE = "quote"
    CAPTION = "caption"
    #: The title of an admonition (MkDocs ``!!! note "Title"``, Docusaurus
    #: ``:::tip[Title]``, PyMdown ``/// note | Title``): one line inside markup, so
    #: a translation may not hold what ends it (see ``structure_breaks``).
    ADMONITION_TITLE = "admonition title"
    #: Text in a markup attribute: a Hugo shortcode's ``caption="..."``,
    #: ``alt="..."`` or ``title="..."``, an HTML ``<img alt="...">``. Inside
    #: quotes on a markup line, guarded as an admonition title is.
    ATTRIBUTE = "attribute"
    #: A paragraph that is one image, ``![alt](url)``: its alt text is translated,
    #: its URL kept (the build falls back to the source when a translation edits it).
    IMAGE = "image"
    TABLE_CELL = "table cell"
    CODE = "code"
    HTML = "html"
    THEMATIC_BREAK = "thematic break"
    # Front-matter values that are text (title, description): segments, not blocks.
    TITLE = "title"
    DESCRIPTION = "description"


#: Kinds whose text a translator translates. Code, raw HTML and rules never are.
TRANSLATABLE_KINDS = frozenset(
    {
        BlockKind.HEADING,
        BlockKind.PARAGRAPH,
        BlockKind.LIST_ITEM,
        BlockKind.QUOTE,
        BlockKind.CAPTION,
        BlockKind.ADMONITION_TITLE,
        BlockKind.ATTRIBUTE,
        BlockKind.IMAGE,
        BlockKind.TABLE_CELL,
        BlockKind.TITLE,
        BlockKind.DESCRIPTION,
    }
)


@dataclass(frozen=True, slots=True)
class Block:
    """One block of an article with where it stands in the source text.

    ``text`` is the translatable text with its inline Markdown as written; soft line
    breaks are folded to one space and hard breaks kept as a backslash and newline.
    ``start``/``end`` are character offsets of that text's region in the article's
    normalised source (LF newlines, no BOM), so a writer can splice a translation in
    place; -1 when the region could not be located (the block is then not spliceable).
    ``continuation`` is the prefix a continuation line needs inside this block
    (``"> "`` in a quote, indentation in a list item): the second line's.
    """

    kind: BlockKind
    text: str
    line: int
    end_line: int
    level: int = 0
    ordered: bool = False
    start: int = -1
    end: int = -1
    continuation: str = ""
    #: Offsets in ``text`` of the spaces that stand for a soft line break of the
    #: source, and the prefix of each continuation line (``"> "``, indentation,
    #: ``""`` for a lazy line): a translation is written over as many lines.
    breaks: tuple[int, ...] = ()
    prefixes: tuple[str, ...] = ()
    #: A heading's explicit id (``## Title {#id}``), not part of ``text``.
    anchor: str = ""

    @property
    def translatable(self) -> bool:
        return self.kind in TRANSLATABLE_KINDS and bool(self.text.strip())


@dataclass(frozen=True, slots=True)
class MetaField:
    """A front-matter value that is text, with the offsets of its scalar in the source."""

    key: str
    text: str
    line: int
    start: int = -1
    end: int = -1


@dataclass(frozen=True)
class Article:
    """A parsed article: metadata, blocks and the source text the offsets refer to."""

    slug: str
    lang: str
    blocks: tuple[Block, ...]
    source: str
    metadata: Mapping[str, Any] = field(default_factory=dict, hash=False)
    meta_fields: tuple[MetaField, ...] = ()
    path: str = ""
    bom: bool = False
    newline: str = "\n"
    body_offset: int = 0
    body_line: int = 1

    @property
    def title(self) -> str:
        value = self.metadata.get("title", "")
        return value if isinstance(value, str) else str(value)


@dataclass(frozen=True, slots=True)
class Segment:
    """One translatable unit: a block's text or a front-matter text field.

    ``block`` is the index in ``Article.blocks`` (-1 for front matter); ``key`` the
    front-matter key for metadata segments.
    """

    text: str
    kind: BlockKind
    line: int
    block: int = -1
    key: str = ""
    level: int = 0


def body_segments(article: Article) -> tuple[Segment, ...]:
    """The translatable blocks of an article as segments, in document order."""
    return tuple(
        Segment(text=b.text, kind=b.kind, line=b.line, block=i, level=b.level)
        for i, b in enumerate(article.blocks)
        if b.translatable
    )


def meta_segments(article: Article) -> tuple[Segment, ...]:
    """The front-matter text fields (title, description, ...) as segments."""
    kinds = {"title": BlockKind.TITLE}
    return tuple(
        Segment(text=m.text, kind=kinds.get(m.key, BlockKind.DESCRIPTION), line=m.line, key=m.key)
        for m in article.meta_fields
        if m.text.strip()
    )


def segments(article: Article) -> tuple[Segment, ...]:
    """Every translatable segment: front matter first, then the body."""
    return meta_segments(article) + body_segments(article)


@dataclass(frozen=True, slots=True)
class Bead:
    """A link between 0..n consecutive source segments and 0..m target segments."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    confidence: float
    #: For a 1-0 or 0-1 bead: how sure it is that the segments have no counterpart
    #: at all (evidence against every local alternative); 1.0 for other beads.
    finding: float = 1.0

    @property
    def shape(self) -> str:
        return f"{len(self.source)}-{len(self.target)}"


@dataclass(frozen=True, slots=True)
class Move:
    """A translation found away from its source's place: the 1-0 bead of
    ``source`` and the 0-1 bead of ``target`` are one link, out of order."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    confidence: float


@dataclass(frozen=True)
class Alignment:
    """Beads in order; every segment of both sides appears in exactly one bead.

    ``moves`` pair a 1-0 bead with a 0-1 bead elsewhere (a reordered translation);
    those segments stay in their beads, so the beads remain monotone, but they are
    neither missing nor extra.
    """

    source: tuple[Segment, ...]
    target: tuple[Segment, ...]
    beads: tuple[Bead, ...]
    moves: tuple[Move, ...] = ()

    @property
    def missing(self) -> tuple[int, ...]:
        """Source segments with no target (dropped by the translation), moves aside."""
        moved = {i for m in self.moves for i in m.source}
        return tuple(i for b in self.beads if not b.target for i in b.source if i not in moved)

    @property
    def extra(self) -> tuple[int, ...]:
        """Target segments with no source (added by the translation), moves aside."""
        moved = {j for m in self.moves for j in m.target}
        return tuple(j for b in self.beads if not b.source for j in b.target if j not in moved)

    def moved_target(self, source: int) -> int | None:
        """The target segment a moved ``source`` segment was found at, if any."""
        return next((m.target[0] for m in self.moves if source in m.source), None)


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem a check found, located by file and line."""

    check: str
    severity: Severity
    file: str
    line: int
    message: str
    msgid: str = ""


class SegmentState(StrEnum):
    """Whether a build can show a segment's translation (decided by
    :func:`pipeline.build.article.segment_state`, for the build and the review
    report alike)."""

    #: No PO entry, or an empty msgstr: the source text is shown.
    MISSING = "missing"
    #: Marked fuzzy: shown only when the build is told to include fuzzy entries.
    FUZZY = "fuzzy"
    #: Markup or structure the build cannot use: the source text is shown.
    BROKEN = "broken"
    #: Shown as translated.
    USABLE = "usable"


class ReviewState(StrEnum):
    """The state of a row of the review report; the value is its CSS class."""

    MISSING = "missing"
    EXTRA = "extra"
    FUZZY = "fuzzy"
    UNTRANSLATED = "untranslated"
    BROKEN = "broken"
    LOW = "low"
    OK = "ok"


class BuildState(StrEnum):
    """What ``l10n build`` did with an article in one language."""

    BUILT = "built"
    BELOW_THRESHOLD = "below threshold"
    STALE = "stale"
    FAILED = "failed"


def build_label(state: BuildState, percent: float | None = None) -> str:
    """How summaries show a build state: "below threshold (73%)" with its figure."""
    if state is BuildState.BELOW_THRESHOLD and percent is not None:
        return f"{state.value} ({percent:.0f}%)"
    return state.value


@dataclass
class Outcome:
    """What a command did: files it wrote (changed) and left as they were
    (unchanged), what it says, and the failure that ended part of its work
    while the rest was done (DeepL failing: what it translated is saved)."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    failure: PipelineError | None = None

    def record(self, path: Path, changed: bool) -> None:
        (self.written if changed else self.unchanged).append(path)
