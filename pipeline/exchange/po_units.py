"""PO entries to XLIFF units and back, and what an import may change in a PO.

The rules of :func:`merge_units` (never lose a translator's work):

* a unit is matched to the active entry with the same msgctxt and msgid; a unit
  with no such entry is an error (the article changed since the export);
* an empty target changes no translation (a tool that drops a translation must
  not erase one);
* a target equal to the msgstr changes only the review state (fuzzy or not);
* a different target replaces the msgstr when the msgstr is empty, or is still
  what was exported (the unit's msgstr digest says so: the translator's edit is
  the newer work), or with ``overwrite``; otherwise the PO keeps its msgstr and
  the unit is reported as a conflict;
* translator notes replace the ``#`` comment unless the unit is a conflict (no
  notes: the comment stays);
* an entry that becomes reviewed loses its ``#|`` previous msgid (as Poedit and
  ``msgattrib --clear-previous`` do); a fuzzy one keeps the PO's, or takes the
  unit's ``previous-version`` when the PO has none.

Extracted comments, references and other flags are the pipeline's and stay as
the PO has them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Sequence

import polib

from pipeline.catalog.entries import copy_entry
from pipeline.catalog.merging import text_and_targets, without_moved_markup
from pipeline.catalog.po_format import entry_key
from pipeline.catalog.po_parser import Key
from pipeline.errors import InputError
from pipeline.exchange.xliff import Unit, text_digest
from pipeline.read.placeholders import (
    key_in_msgid_form,
    labels_in_notes,
    to_source_form,
    translation_to_msgid_form,
)


def unit_of(entry: polib.POEntry) -> Unit:
    """The unit of an (active, singular) PO entry."""
    fuzzy = "fuzzy" in entry.flags
    return Unit(
        msgid=entry.msgid,
        msgstr=entry.msgstr or "",
        msgctxt=entry.msgctxt,
        fuzzy=fuzzy and bool(entry.msgstr),
        comment=entry.comment or "",
        tcomment=entry.tcomment or "",
        occurrences=tuple((str(f), str(n or "")) for f, n in entry.occurrences),
        flags=tuple(f for f in entry.flags if f != "fuzzy"),
        previous_msgid=entry.previous_msgid,
        previous_msgctxt=entry.previous_msgctxt,
    )


def exportable(entry: polib.POEntry) -> bool:
    """Entries that become units: active, with a msgid, not plural (this
    pipeline makes none; a plural one is not exported rather than half-exported)."""
    return not entry.obsolete and bool(entry.msgid) and not entry.msgid_plural


def entry_of(unit: Unit) -> polib.POEntry:
    """The PO entry a unit describes (the inverse of :func:`unit_of`)."""
    flags = (["fuzzy"] if unit.fuzzy and unit.msgstr else []) + list(unit.flags)
    return polib.POEntry(
        msgid=unit.msgid,
        msgstr=unit.msgstr,
        msgctxt=unit.msgctxt,
        comment=unit.comment,
        tcomment=unit.tcomment,
        occurrences=list(unit.occurrences),
        flags=flags,
        previous_msgid=unit.previous_msgid,
        previous_msgctxt=unit.previous_msgctxt,
    )


@dataclass(frozen=True)
class Conflict:
    """A unit whose translation the PO did not take: both were changed."""

    line: int
    msgid: str
    kept: str
    offered: str


@dataclass
class Merged:
    """The entries after an import, and what it did."""

    entries: list[polib.POEntry]
    updated: int = 0
    conflicts: list[Conflict] = field(default_factory=list)


def merge_units(
    entries: Sequence[polib.POEntry], units: Sequence[Unit], path: str, *, overwrite: bool = False
) -> Merged:
    """``entries`` (a PO's, in order) with the translators' work from ``units``
    (read from the XLIFF file ``path``) taken in, by the rules of this module."""
    position = {entry_key(e): k for k, e in enumerate(entries) if exportable(e)}
    # Entries whose msgid has the other form (links inline or as labels, see
    # pipeline.read.placeholders): a file exported before `link_placeholders` changed.
    # Which bracketed texts are shortcut references: what the entries' notes say.
    labels = labels_in_notes(e.comment for e in entries)
    relinked = {
        label_key: k
        for k, e in enumerate(entries)
        if exportable(e) and (label_key := key_in_msgid_form(e.msgctxt, e.msgid, labels)) != entry_key(e)
    }
    result = Merged(list(entries))
    for unit in units:
        key = (unit.msgctxt, unit.msgid)
        index = position.get(key)
        if index is None and (label_key := key_in_msgid_form(*key, labels)) != key and (index := position.get(label_key)) is not None:
            unit = _relinked(unit, result.entries[index], to_placeholders=True, labels=labels)
        elif index is None and (index := relinked.get(key)) is not None:
            unit = _relinked(unit, result.entries[index], to_placeholders=False, labels=labels)
        elif index is None and (index := position.get((unit.msgctxt, without_moved_markup(unit.msgid)))) is not None:
            unit = _without_moved_markup(unit, result.entries[index])
        elif index is None and (index := _only_entry_saying(unit, entries, position)) is not None:
            entry = result.entries[index]
            if unit.msgid == entry.msgid:
                unit = replace(unit, msgctxt=entry.msgctxt)
            else:
                unit = _relinked(unit, entry, to_placeholders=unit.msgid != text_and_targets(unit.msgid, "")[0])
        if index is None:
            raise InputError(
                f"no entry for the unit {unit.msgid[:60]!r} in the catalog",
                path=path,
                line=unit.line,
                hint="the article changed since the export: run 'l10n update', export again and carry the translation over",
            )
        old = result.entries[index]
        new = _merged(old, unit, overwrite, result)
        if new is not None:
            result.entries[index] = new
            result.updated += 1
    return result


def _only_entry_saying(unit: Unit, entries: Sequence[polib.POEntry], position: dict[Key, int]) -> int | None:
    """The one entry with the unit's text, kind and link targets under another
    msgctxt (a repeat of its text appeared since the export), if only one has them."""
    said = text_and_targets(unit.msgid, unit.comment)
    found = [k for k in position.values() if text_and_targets(entries[k].msgid, entries[k].comment) == said]
    return found[0] if len(found) == 1 else None


def _without_moved_markup(unit: Unit, entry: polib.POEntry) -> Unit:
    """``unit`` (exported when markup an update has since taken out of ``entry``'s
    msgid was in it) in ``entry``'s form, its export digest the digest of what
    the entry holds now when the entry held then what was exported."""
    held_then = unit.msgid.replace(entry.msgid, entry.msgstr, 1) if entry.msgstr else ""
    exported = unit.exported
    if exported is not None and text_digest(held_then) == exported:
        exported = text_digest(entry.msgstr or "")
    return replace(unit, msgid=entry.msgid, msgstr=without_moved_markup(unit.msgstr), exported=exported)


def _relinked(unit: Unit, entry: polib.POEntry, *, to_placeholders: bool, labels: frozenset[str] = frozenset()) -> Unit:
    """``unit`` (exported with ``entry``'s msgid in the other form) in the form of
    ``entry``: its target converted, and its export digest the digest of what
    the entry holds now when the entry held then what was exported. A target
    whose links differ from the source's is offered as it is (a conflict unless
    the entry is empty, fuzzy as a suggestion)."""
    offered: str | None
    held_then: str | None
    if to_placeholders:
        offered = translation_to_msgid_form(unit.msgstr, unit.msgid, labels) if unit.msgstr else ""
        held_then = to_source_form(entry.msgstr, unit.msgid, labels)[0] if entry.msgstr else ""
    else:
        converted, why = to_source_form(unit.msgstr, entry.msgid, labels) if unit.msgstr else ("", "")
        offered = None if why else converted
        held_then = translation_to_msgid_form(entry.msgstr, entry.msgid, labels) if entry.msgstr else ""
    exported = unit.exported
    if exported is not None and held_then is not None and text_digest(held_then) == exported:
        exported = text_digest(entry.msgstr or "")
    if offered is None:
        # Kept as it is, fuzzy: the edit replaces it only where the entry still
        # holds the very text exported (update kept it so, links and all).
        unchanged = unit.exported is not None and text_digest(entry.msgstr or "") == unit.exported
        return replace(unit, msgctxt=entry.msgctxt, msgid=entry.msgid, fuzzy=True, exported=unit.exported if unchanged else None)
    return replace(unit, msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr=offered, exported=exported)


def _merged(old: polib.POEntry, unit: Unit, overwrite: bool, result: Merged) -> polib.POEntry | None:
    """The entry with the unit taken in, None when nothing changes."""
    current = old.msgstr or ""
    offered = unit.msgstr
    msgstr = current
    fuzzy = "fuzzy" in old.flags and bool(current)
    if offered and offered != current:
        untouched = unit.exported is not None and unit.exported == text_digest(current)
        if current and not untouched and not overwrite:
            result.conflicts.append(Conflict(unit.line, unit.msgid, current, offered))
            return None
        msgstr, fuzzy = offered, unit.fuzzy
    elif offered:
        fuzzy = unit.fuzzy
    tcomment = unit.tcomment if unit.tcomment else (old.tcomment or "")
    was_fuzzy = "fuzzy" in old.flags and bool(current)
    fuzzy = fuzzy and bool(msgstr)
    if fuzzy == was_fuzzy:
        flags = list(old.flags)
    else:
        flags = (["fuzzy"] if fuzzy else []) + [f for f in old.flags if f != "fuzzy"]
    previous_msgid, previous_msgctxt = old.previous_msgid, old.previous_msgctxt
    if fuzzy and previous_msgid is None and previous_msgctxt is None:
        previous_msgid, previous_msgctxt = unit.previous_msgid, unit.previous_msgctxt
    elif was_fuzzy and not fuzzy:
        previous_msgid = previous_msgctxt = None
    same = (
        msgstr == current
        and flags == list(old.flags)
        and tcomment == (old.tcomment or "")
        and previous_msgid == old.previous_msgid
        and previous_msgctxt == old.previous_msgctxt
    )
    if same:
        return None
    return copy_entry(
        old,
        msgstr=msgstr,
        flags=flags,
        tcomment=tcomment,
        previous_msgid=previous_msgid,
        previous_msgctxt=previous_msgctxt,
    )


__all__ = ["Conflict", "Merged", "entry_of", "exportable", "merge_units", "unit_of"]
