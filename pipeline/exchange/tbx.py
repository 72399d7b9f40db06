"""TBX-Basic glossaries: read from terminology tools, kept as one canonical file.

Pure: :func:`parse_tbx` takes bytes, :func:`write_tbx` returns bytes. Both TBX
dialects in use are read: TBX 2008 (``<martif>``, ``termEntry``/``langSet``/
``tig``) and TBX 2019 (``<tbx>``, ``conceptEntry``/``langSec``/``termSec``).
A concept gives one term per language: the first that is not marked
deprecated or forbidden (``administrativeStatus``). The glossary is a mapping
(target language, source term) -> target term; :func:`write_tbx` writes it as
TBX-Basic 2008 (one ``termEntry`` per source term), which every tool reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lxml import etree

from pipeline.errors import InputError
from pipeline.exchange.tmx import same_language
from pipeline.exchange.xmlio import (
    LANG,
    invalid_xml_char,
    line_of,
    local,
    parse_xml,
    serialise,
    text_of,
)

#: (target language, source term) -> target term.
Glossary = dict[tuple[str, str], str]

_ENTRY = {"termEntry", "conceptEntry"}
_LANGUAGE = {"langSet", "langSec"}
_TERM_GROUP = {"tig", "ntig", "termSec"}
_REJECTED_STATUS = ("deprecated", "forbidden", "superseded")
_HINT = "give a TBX-Basic file (martif or tbx)"


@dataclass(frozen=True)
class Concept:
    """One concept: its preferred term in each language it has, with a line."""

    terms: tuple[tuple[str, str], ...]
    line: int


@dataclass(frozen=True)
class ParsedTbx:
    concepts: tuple[Concept, ...]


def parse_tbx(data: bytes, path: str) -> ParsedTbx:
    """The concepts of a TBX document; InputError with the line when unusable."""
    root = parse_xml(data, path, "TBX")
    if local(root) not in ("martif", "tbx"):
        raise InputError(f"not a TBX document (root <{local(root)}>)", path=path, line=line_of(root), hint=_HINT)
    concepts = []
    for entry in root.iter():
        if local(entry) not in _ENTRY:
            continue
        terms: list[tuple[str, str]] = []
        for lang_set in entry.iterchildren():
            if local(lang_set) not in _LANGUAGE:
                continue
            lang = lang_set.get(LANG) or ""
            if not lang:
                raise InputError("a language section without xml:lang", path=path, line=line_of(lang_set), hint=_HINT)
            term = _preferred(lang_set)
            if term and all(code != lang for code, _term in terms):
                terms.append((lang, term))
        concepts.append(Concept(tuple(terms), line_of(entry)))
    return ParsedTbx(tuple(concepts))


def _preferred(lang_set: etree._Element) -> str:
    for group in lang_set.iterchildren():
        if local(group) not in _TERM_GROUP:
            continue
        term = next((child for child in group.iter() if local(child) == "term"), None)
        if term is None:
            continue
        status = " ".join(
            (child.text or "") for child in group.iter() if local(child) == "termNote" and child.get("type") == "administrativeStatus"
        )
        if any(word in status for word in _REJECTED_STATUS):
            continue
        text = " ".join(text_of(term).split())
        if text:
            return text
    return ""


def glossary_of(parsed: ParsedTbx, source_lang: str, target_langs: Iterable[str]) -> Glossary:
    """The (language, source term) -> target term pairs of ``parsed`` for the
    target languages (a concept without a source term gives nothing)."""
    wanted = list(target_langs)
    result: Glossary = {}
    for concept in parsed.concepts:
        source = next((term for lang, term in concept.terms if same_language(lang, source_lang)), "")
        if not source:
            continue
        for lang in wanted:
            target = next((term for code, term in concept.terms if same_language(code, lang)), "")
            if target:
                result.setdefault((lang, source), target)
    return result


def terms_for(glossary: Mapping[tuple[str, str], str], lang: str) -> dict[str, str]:
    """Source term -> target term of one language."""
    return {source: target for (code, source), target in sorted(glossary.items()) if code == lang}


def write_tbx(glossary: Mapping[tuple[str, str], str], source_lang: str) -> bytes:
    """The glossary as a TBX-Basic (2008) document, sorted by source term."""
    root = etree.Element("martif", {"type": "TBX-Basic", LANG: source_lang})
    header = etree.SubElement(root, "martifHeader")
    description = etree.SubElement(etree.SubElement(etree.SubElement(header, "fileDesc"), "sourceDesc"), "p")
    description.text = "Glossary of l10n-pipeline (l10n import-tbx)"
    encoding = etree.SubElement(etree.SubElement(header, "encodingDesc"), "p", {"type": "XCSURI"})
    encoding.text = "TBXBasicXCSV02.xcs"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    by_source: dict[str, dict[str, str]] = {}
    for (lang, source), target in glossary.items():
        by_source.setdefault(source, {})[lang] = target
    for number, source in enumerate(sorted(by_source, key=lambda term: (term.casefold(), term)), 1):
        entry = etree.SubElement(body, "termEntry", {"id": f"c{number}"})
        for lang, term in [(source_lang, source), *sorted(by_source[source].items())]:
            bad = invalid_xml_char(term)
            if bad is not None:
                raise InputError(f"the term {term!r} holds the character U+{ord(bad):04X}", path="(glossary)")
            tig = etree.SubElement(etree.SubElement(entry, "langSet", {LANG: lang}), "tig")
            etree.SubElement(tig, "term").text = term
    return serialise(root)


__all__ = ["Concept", "Glossary", "ParsedTbx", "glossary_of", "parse_tbx", "terms_for", "write_tbx"]
