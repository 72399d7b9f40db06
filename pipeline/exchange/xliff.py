"""XLIFF 1.2 for CAT tools (OmegaT, memoQ, Trados, Phrase, Weblate): one
``<file>`` per article and language, one ``<trans-unit>`` per active PO entry.

Pure: :func:`write_xliff` returns bytes, :func:`parse_xliff` takes bytes; no file
is touched here. What a unit holds, and where the PO keeps it:

========================================  ===================================
XLIFF                                     PO
========================================  ===================================
``trans-unit/@id``                        ``u`` + a hash of msgctxt and msgid
``source``                                ``msgid``
``target`` (absent when empty)            ``msgstr``
``target/@state`` and ``@approved``       ``#, fuzzy`` (see :func:`is_fuzzy`)
``context-group purpose="information"``:  ``msgctxt`` (present, even empty,
``context x-po-msgctxt``                  only when the entry has one)
``context x-po-flags``                    the other flags (``no-wrap``)
``context x-po-msgstr-digest``            a hash of msgstr at export time
``context-group purpose="location"``      ``#:`` (``sourcefile``, ``linenumber``)
``note from="developer"``                 ``#.`` (block kind, provenance)
``note from="translator"``                ``#`` translator comments
``alt-trans alttranstype=                 ``#| msgctxt``/``#| msgid`` of a fuzzy
"previous-version"``                      entry, its target the msgstr
========================================  ===================================

The context types are those of Translate Toolkit's po2xliff, so its tools
read the same fields; the groups have no ``name`` (po2xliff's repeat one per
unit, which the XLIFF 1.2 schema forbids: a name is unique in a ``<file>``). The digest lets an import tell a
translation the translator changed (the PO still holds what was exported)
from a conflict (the PO was changed meanwhile too).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from lxml import etree

from pipeline.errors import InputError
from pipeline.exchange.xmlio import (
    LANG,
    SPACE,
    invalid_xml_char,
    line_of,
    local,
    parse_xml,
    plain_text,
    serialise,
    text_of,
)

NS = "urn:oasis:names:tc:xliff:document:1.2"
_Q = f"{{{NS}}}"
#: ``datatype`` of a file: the units are gettext PO entries (as po2xliff says).
DATATYPE = "po"
TOOL_ID = "l10n-pipeline"


@dataclass(frozen=True)
class Unit:
    """One PO entry as a translation unit (every field a PO entry can carry but
    the obsolete state: obsolete entries are not exported)."""

    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    fuzzy: bool = False
    comment: str = ""
    tcomment: str = ""
    occurrences: tuple[tuple[str, str], ...] = ()
    flags: tuple[str, ...] = ()
    previous_msgid: str | None = None
    previous_msgctxt: str | None = None
    #: Digest of msgstr when the file was exported (None: not said).
    exported: str | None = None
    #: Line of the trans-unit in the file read (0: made here).
    line: int = 0

    @property
    def id(self) -> str:
        return unit_id(self.msgctxt, self.msgid)


@dataclass(frozen=True)
class XliffFile:
    """One ``<file>``: an article in one language."""

    original: str
    source_lang: str
    target_lang: str
    units: tuple[Unit, ...] = field(default_factory=tuple)
    line: int = 0


def unit_id(msgctxt: str | None, msgid: str) -> str:
    """The id of the unit of an entry: stable while its msgctxt and msgid are."""
    key = ("\x04" if msgctxt is None else msgctxt + "\x04\x04") + msgid
    return "u" + hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


def text_digest(text: str) -> str:
    """A short fingerprint of a msgstr, to tell later whether it changed."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


# --------------------------------------------------------------------------
# Writing.


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, _Q + tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _check_text(text: str, where: str, what: str) -> str:
    bad = invalid_xml_char(text)
    if bad is not None:
        raise InputError(
            f"{what} holds the character U+{ord(bad):04X}, which XML cannot carry",
            path=where,
            hint="remove the control character from the PO entry",
        )
    return text


def write_xliff(files: list[XliffFile] | tuple[XliffFile, ...], where: str = "") -> bytes:
    """The XLIFF 1.2 document of ``files`` (deterministic: the same input gives
    the same bytes). ``where`` names the source in an error (a PO file)."""
    root = etree.Element(_Q + "xliff", {"version": "1.2"}, nsmap={None: NS})  # type: ignore[dict-item]
    for xfile in files:
        element = _sub(
            root,
            "file",
            original=xfile.original,
            source_language=xfile.source_lang,
            target_language=xfile.target_lang,
            datatype=DATATYPE,
        )
        header = _sub(element, "header")
        _sub(header, "tool", tool_id=TOOL_ID, tool_name=TOOL_ID)
        body = _sub(element, "body")
        for unit in xfile.units:
            _write_unit(body, unit, where)
    return serialise(root)


def _write_unit(body: etree._Element, unit: Unit, where: str) -> None:
    for what, text in (("msgid", unit.msgid), ("msgstr", unit.msgstr), ("msgctxt", unit.msgctxt or ""),
                       ("a comment", unit.comment + unit.tcomment), ("#| msgid", unit.previous_msgid or ""),
                       ("#| msgctxt", unit.previous_msgctxt or "")):
        _check_text(text, where, f"the entry {unit.msgid[:40]!r}: {what}")
    attrs = {"id": unit.id}
    if unit.msgstr:
        attrs["approved"] = "no" if unit.fuzzy else "yes"
    element = _sub(body, "trans-unit", **attrs)
    element.set(SPACE, "preserve")
    _sub(element, "source", unit.msgid)
    if unit.msgstr:
        _sub(element, "target", unit.msgstr, state="needs-review-translation" if unit.fuzzy else "translated")
    entry = [("x-po-msgctxt", unit.msgctxt)] if unit.msgctxt is not None else []
    if unit.flags:
        entry.append(("x-po-flags", ", ".join(unit.flags)))
    entry.append(("x-po-msgstr-digest", text_digest(unit.msgstr)))
    group = _sub(element, "context-group", purpose="information")
    for kind, text in entry:
        _sub(group, "context", text, context_type=kind)
    for file, line in unit.occurrences:
        group = _sub(element, "context-group", purpose="location")
        _sub(group, "context", file, context_type="sourcefile")
        if line:
            _sub(group, "context", line, context_type="linenumber")
    if unit.comment:
        _sub(element, "note", unit.comment, **{"from": "developer"})
    if unit.tcomment:
        _sub(element, "note", unit.tcomment, **{"from": "translator"})
    if unit.fuzzy and (unit.previous_msgid is not None or unit.previous_msgctxt is not None):
        alt = _sub(element, "alt-trans", alttranstype="previous-version")
        if unit.previous_msgid is not None:
            _sub(alt, "source", unit.previous_msgid)
        _sub(alt, "target", unit.msgstr)
        if unit.previous_msgctxt is not None:
            group = _sub(alt, "context-group", purpose="information")
            _sub(group, "context", unit.previous_msgctxt, context_type="x-po-msgctxt")


# --------------------------------------------------------------------------
# Reading.

_HINT = "give an XLIFF 1.2 file exported by 'l10n export --format xliff'"


def is_fuzzy(target: etree._Element | None, approved: str | None) -> bool:
    """Whether a returned unit needs review. ``approved`` decides when the unit
    has it (``yes``: reviewed); else the target's ``state``: ``translated``,
    ``signed-off`` and ``final`` are reviewed, ``new`` and ``needs-*`` (or none)
    are not."""
    if approved in ("yes", "no"):
        return approved == "no"
    state = target.get("state") if target is not None else None
    return state not in ("translated", "signed-off", "final")


def parse_xliff(data: bytes, path: str) -> list[XliffFile]:
    """The files of an XLIFF 1.2 document; InputError (with the line) when it is
    not one this pipeline can take back."""
    root = parse_xml(data, path, "XLIFF")
    if root.tag != _Q + "xliff":
        raise InputError(f"not an XLIFF 1.2 document (root <{local(root)}>)", path=path, line=line_of(root), hint=_HINT)
    if root.get("version") not in ("1.2", None):
        raise InputError(f"XLIFF version {root.get('version')} is not supported", path=path, line=line_of(root), hint=_HINT)
    files = []
    for element in root.iterchildren(_Q + "file"):
        source_lang = element.get("source-language") or ""
        target_lang = element.get("target-language") or ""
        original = element.get("original") or ""
        if not (source_lang and target_lang and original):
            raise InputError(
                "<file> needs original, source-language and target-language", path=path, line=line_of(element), hint=_HINT
            )
        units = []
        seen: dict[str, int] = {}
        for unit_element in element.iter(_Q + "trans-unit"):
            unit = _read_unit(unit_element, path)
            if unit.id in seen:
                raise InputError(
                    f"a second unit for {unit.msgid[:60]!r} (first at line {seen[unit.id]})",
                    path=path,
                    line=unit.line,
                    hint="keep one unit per id",
                )
            seen[unit.id] = unit.line
            units.append(unit)
        files.append(XliffFile(original, source_lang, target_lang, tuple(units), line_of(element)))
    if not files:
        raise InputError("the XLIFF document has no <file>", path=path, line=line_of(root), hint=_HINT)
    return files


def _child(element: etree._Element, name: str) -> etree._Element | None:
    found = element.find(_Q + name)
    return found


def _read_unit(element: etree._Element, path: str) -> Unit:
    line = line_of(element)
    given = element.get("id") or ""
    source = _child(element, "source")
    if source is None:
        raise InputError("a <trans-unit> without <source>", path=path, line=line, hint=_HINT)
    target = _child(element, "target")
    msgid = plain_text(source, path)
    msgstr = plain_text(target, path) if target is not None else ""
    contexts: dict[str, str] = {}
    occurrences: list[tuple[str, str]] = []
    for group in element.iterchildren(_Q + "context-group"):
        pairs = [(c.get("context-type") or "", text_of(c)) for c in group.iterchildren(_Q + "context")]
        if group.get("purpose") == "location" or group.get("name") == "po-reference":
            named = dict(pairs)
            if "sourcefile" in named:
                occurrences.append((named["sourcefile"], named.get("linenumber", "")))
        else:
            for kind, text in pairs:
                contexts.setdefault(kind, text)
    notes: dict[str, list[str]] = {}
    for note in element.iterchildren(_Q + "note"):
        origin = note.get("from") or "translator"
        notes.setdefault("developer" if origin in ("developer", "programmer", "source code") else "translator", []).append(
            text_of(note)
        )
    previous_msgid = previous_msgctxt = None
    for alt in element.iterchildren(_Q + "alt-trans"):
        if alt.get("alttranstype") == "previous-version":
            alt_source = _child(alt, "source")
            previous_msgid = text_of(alt_source) if alt_source is not None else None
            for context in alt.iter(_Q + "context"):
                if context.get("context-type") == "x-po-msgctxt":
                    previous_msgctxt = text_of(context)
            break
    flags = tuple(f.strip() for f in contexts.get("x-po-flags", "").split(",") if f.strip())
    unit = Unit(
        msgid=msgid,
        msgstr=msgstr,
        msgctxt=contexts.get("x-po-msgctxt"),
        fuzzy=bool(msgstr) and is_fuzzy(target, element.get("approved")),
        comment="\n".join(notes.get("developer", [])),
        tcomment="\n".join(notes.get("translator", [])),
        occurrences=tuple(occurrences),
        flags=flags,
        previous_msgid=previous_msgid,
        previous_msgctxt=previous_msgctxt,
        exported=contexts.get("x-po-msgstr-digest"),
        line=line,
    )
    if given != unit.id:
        raise InputError(
            f"the source text of unit {given!r} is not the one exported for it",
            path=path,
            line=line_of(source),
            hint="the source text must not be edited; export the article again",
        )
    return unit


__all__ = ["DATATYPE", "NS", "Unit", "XliffFile", "is_fuzzy", "parse_xliff", "text_digest", "unit_id", "write_xliff", "LANG"]
