"""TMX 1.4b translation memories: written for CAT tools, read into the memory.

Pure: :func:`write_tmx` returns bytes, :func:`parse_tmx` takes bytes. A unit is
a pair of paragraphs (``segtype="paragraph"``, as this pipeline's entries are)
with properties (``<prop type="x-...">``): where it came from and, for aligned
legacy pairs, the aligner's confidence, as LF Aligner's TMX from hunalign gives.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from pipeline.errors import InputError
from pipeline.exchange.xmlio import (
    LANG,
    invalid_xml_char,
    line_of,
    local,
    parse_xml,
    plain_text,
    serialise,
    text_of,
)

DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
TOOL = "l10n-pipeline"


@dataclass(frozen=True)
class TranslationUnit:
    """A source text, its translation and their properties ((type, value) pairs)."""

    source: str
    target: str
    properties: tuple[tuple[str, str], ...] = ()
    line: int = 0


def write_tmx(
    units: list[TranslationUnit] | tuple[TranslationUnit, ...], source_lang: str, target_lang: str, *, tool_version: str
) -> bytes:
    """A TMX 1.4b document of ``units`` (deterministic: no dates)."""
    root = etree.Element("tmx", {"version": "1.4"})
    etree.SubElement(
        root,
        "header",
        {
            "creationtool": TOOL,
            "creationtoolversion": tool_version,
            "segtype": "paragraph",
            "o-tmf": "PO",
            "adminlang": "en",
            "srclang": source_lang,
            "datatype": "plaintext",
        },
    )
    body = etree.SubElement(root, "body")
    for number, unit in enumerate(units, 1):
        for text in (unit.source, unit.target, *(value for _type, value in unit.properties)):
            bad = invalid_xml_char(text)
            if bad is not None:
                raise InputError(
                    f"unit {number} ({unit.source[:40]!r}) holds the character U+{ord(bad):04X}, which XML cannot carry",
                    path="(memory)",
                    hint="remove the control character from the PO entry",
                )
        tu = etree.SubElement(body, "tu")
        for kind, value in unit.properties:
            prop = etree.SubElement(tu, "prop", {"type": kind})
            prop.text = value
        for lang, text in ((source_lang, unit.source), (target_lang, unit.target)):
            tuv = etree.SubElement(tu, "tuv", {LANG: lang})
            seg = etree.SubElement(tuv, "seg")
            seg.text = text
    return serialise(root, DOCTYPE)


def same_language(code: str, wanted: str) -> bool:
    """Whether a ``xml:lang`` code is ``wanted``: case and ``_``/``-`` ignored,
    and a region (``cs-CZ``) matching its language (``cs``)."""
    code, wanted = code.replace("_", "-").casefold(), wanted.replace("_", "-").casefold()
    return code == wanted or code.split("-")[0] == wanted or wanted.split("-")[0] == code


@dataclass(frozen=True)
class ParsedTmx:
    units: tuple[TranslationUnit, ...]
    #: Units without a variant in the source or the target language.
    skipped: int


def parse_tmx(data: bytes, path: str, source_lang: str, target_lang: str) -> ParsedTmx:
    """The (source, target) units of a TMX document for this pair of languages.
    Units without both variants are counted, not taken; inline markup other
    than ``<hi>`` is refused (with the line)."""
    root = parse_xml(data, path, "TMX")
    if local(root) != "tmx":
        raise InputError(f"not a TMX document (root <{local(root)}>)", path=path, line=line_of(root), hint="give a TMX 1.4 file")
    body = root.find("body")
    if body is None:
        raise InputError("the TMX document has no <body>", path=path, line=line_of(root), hint="give a TMX 1.4 file")
    units = []
    skipped = 0
    for tu in body.iterchildren("tu"):
        source = target = None
        for tuv in tu.iterchildren("tuv"):
            lang = tuv.get(LANG) or tuv.get("lang") or ""
            seg = tuv.find("seg")
            if seg is None:
                raise InputError("a <tuv> without <seg>", path=path, line=line_of(tuv), hint="give a TMX 1.4 file")
            if source is None and same_language(lang, source_lang):
                source = plain_text(seg, path, frozenset({"hi"}))
            elif target is None and same_language(lang, target_lang):
                target = plain_text(seg, path, frozenset({"hi"}))
        if not source or not target:
            skipped += 1
            continue
        properties = tuple((p.get("type") or "", text_of(p)) for p in tu.iterchildren("prop"))
        units.append(TranslationUnit(source, target, properties, line_of(tu)))
    return ParsedTmx(tuple(units), skipped)


__all__ = ["ParsedTmx", "TranslationUnit", "parse_tmx", "same_language", "write_tmx"]
