"""Round-trip fidelity: does a rebuild keep a document's Markdown structure?

Used by the tests and by ``bench/roundtrip.py``. A document passes the identity
round trip when a build with every ``msgstr`` equal to its ``msgid`` gives back
the source byte for byte, and the pseudo-translation round trip when a build with
every segment pseudo-translated (:mod:`pipeline.mt.pseudo`) shows every
translation (no fallback) and parses to the same markdown-it-py token tree:
token types, tags, nesting, markers, link and image targets, soft and hard
line breaks. Text content is not compared: it is what a translation changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.token import Token

from pipeline.build.article import Translation, build_article
from pipeline.errors import PipelineError
from pipeline.model import segments
from pipeline.mt.pseudo import pseudo_translate
from pipeline.read.inline import link_references
from pipeline.read.markdown import parse_markdown, split_front_matter
from pipeline.read.placeholders import to_msgid_form

Signature = tuple[tuple[str, ...], ...]

_EXAMPLE = re.compile(
    r"^`{32} example(?P<extensions>[^\n]*)\n(?P<markdown>.*?)^\.\n(?P<html>.*?)^`{32}$",
    re.MULTILINE | re.DOTALL,
)
_SECTION = re.compile(r"^#{1,6} +(.*)$", re.MULTILINE)


@dataclass(frozen=True)
class Example:
    """One example of a CommonMark-style spec file (spec.txt, extensions.txt)."""

    number: int
    section: str
    markdown: str
    extensions: str = ""


def spec_examples(spec: str) -> list[Example]:
    """The examples of a spec file, numbered from 1 as the spec numbers them;
    "→" stands for a tab there and is turned back into one."""
    examples: list[Example] = []
    sections = [(m.start(), m.group(1).strip()) for m in _SECTION.finditer(spec)]
    for match in _EXAMPLE.finditer(spec):
        section = ""
        for start, name in sections:
            if start > match.start():
                break
            section = name
        examples.append(
            Example(
                number=len(examples) + 1,
                section=section,
                markdown=match.group("markdown").replace("\u2192", "\t"),
                extensions=match.group("extensions").strip(),
            )
        )
    return examples


def _comparer() -> MarkdownIt:
    # The pipeline's own dialect (CommonMark + GFM tables) with inline parsing on.
    return MarkdownIt("commonmark").enable("table")


def structure(markdown: str, parser: MarkdownIt | None = None) -> Signature:
    """The token tree of ``markdown`` without its text: what a translation keeps."""
    tokens = (parser or _comparer()).parse(markdown)
    return tuple(_flatten(tokens))


def _flatten(tokens: list[Token]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for token in tokens:
        if token.type == "text":
            continue  # a translation may split or join text runs
        target = str(token.attrs.get("href", token.attrs.get("src", "")))
        rows.append((token.type, token.tag, str(token.nesting), token.markup, target))
        if token.children:
            rows.extend(_flatten(token.children))
    return rows


@dataclass(frozen=True)
class RoundTrip:
    """What happened to one document."""

    identity: bool
    kept: bool
    #: Segments a pseudo-translation could not be shown for, with why.
    fallbacks: tuple[str, ...] = ()
    #: An error the build or the reader raised (the document then fails both).
    error: str = ""
    #: The pseudo-translated Markdown ("" when the build failed).
    translated: str = ""


def round_trip(text: str, *, translate: Callable[[str], str] = pseudo_translate, placeholders: bool = True) -> RoundTrip:
    """Identity and translated round trips of one Markdown document, its msgids
    with link targets out (``placeholders``, see :mod:`pipeline.read.placeholders`)
    or inline."""
    try:
        article = parse_markdown(text, path="doc.md", lang="en")
        segs = segments(article)
        references = link_references(article.source)
        keys = [("", to_msgid_form(seg.text, references).msgid if placeholders else seg.text) for seg in segs]
        identity = build_article(article, keys, {k: Translation(k[1]) for k in keys}, lang="xx")
        translated = build_article(article, keys, {k: Translation(translate(k[1])) for k in keys}, lang="xx")
    except PipelineError as exc:
        return RoundTrip(identity=False, kept=False, error=str(exc))
    fallbacks = tuple(f"{seg.text[:60]!r}: {why}" for seg, why in translated.fallbacks)
    body = article.source[article.body_offset :]
    out = translated.markdown.lstrip("\ufeff").replace("\r\n", "\n")
    # Front matter is rewritten in place, so its length may differ from the source's.
    out_body = out[split_front_matter(out, "doc.md")[1] :] if article.body_offset else out
    kept = not fallbacks and structure(out_body) == structure(body)
    return RoundTrip(
        identity=identity.markdown == text,
        kept=kept,
        fallbacks=fallbacks,
        translated=translated.markdown,
    )

