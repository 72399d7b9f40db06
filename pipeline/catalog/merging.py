"""Merging a catalog into its new template, as msgmerge does (see :func:`merge`),
and filling what a merge left empty from a legacy alignment (:func:`fill_empty`).
Never is a translation lost: what no entry takes becomes obsolete."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from itertools import chain
from typing import Sequence

import polib
from rapidfuzz import fuzz, process

from pipeline.catalog.entries import copy_entry, is_translated
from pipeline.catalog.po_format import entry_key
from pipeline.read.placeholders import (
    key_in_msgid_form,
    labels_in_notes,
    to_msgid_form,
    to_source_form,
    translation_to_msgid_form,
)

#: Minimum rapidfuzz ratio for an old translation to be offered for changed text.
FUZZY_THRESHOLD = 70.0
#: Beyond this length ratio two texts cannot reach FUZZY_THRESHOLD (Indel ratio).
_LENGTH_SLACK = FUZZY_THRESHOLD / (200.0 - FUZZY_THRESHOLD)


def merge(template: Sequence[polib.POEntry], existing: Sequence[polib.POEntry]) -> list[polib.POEntry]:
    """Bring ``existing`` entries (a PO's, obsolete ones included) up to ``template``.

    As msgmerge: an entry whose msgctxt and msgid are unchanged keeps its
    translation, flags and translator comments (an obsolete one comes back); a
    new entry gets the most similar unused old translation as ``fuzzy`` with the
    old msgid in ``#|``; old translations no entry took become obsolete, after
    the active entries, in their old order. Entries without a translation that
    nothing uses are dropped, as msgmerge does. Never is a translation lost.
    """
    active = {entry_key(e): e for e in existing if not e.obsolete}
    obsolete = {entry_key(e): e for e in existing if e.obsolete}
    position_of = {id(e): k for k, e in enumerate(existing)}
    used: set[int] = set()
    merged: list[polib.POEntry] = []
    anchors: list[int] = []  # position in ``existing`` of each exact match, -1 for none
    unmatched: list[int] = []
    # Entries of catalogs made when a heading's {#id} or a footnote's [^label]: was
    # still part of the msgid: their translations belong to the entries made now.
    moved_out = {
        (e.msgctxt, without_moved_markup(e.msgid)): e
        for e in existing
        if not e.obsolete and without_moved_markup(e.msgid) != e.msgid
    }
    # Entries of the other msgid form (links inline or as labels, see
    # pipeline.read.placeholders): a team turned `link_placeholders` on or off.
    # Which bracketed texts are shortcut references: what the notes of either side say.
    labels = labels_in_notes(e.comment for e in chain(template, existing))
    relinked: dict[tuple[str | None, str], polib.POEntry] = {}
    for e in existing:
        if not e.obsolete and (label_key := key_in_msgid_form(e.msgctxt, e.msgid, labels)) != entry_key(e):
            relinked[label_key] = e
    for new in template:
        key = entry_key(new)
        old = active.get(key)
        if old is None:
            old = obsolete.get(key)
        inline_key = key_in_msgid_form(new.msgctxt, new.msgid, labels)
        if old is None and (earlier := moved_out.get(key)) is not None and id(earlier) not in used:
            used.add(id(earlier))
            merged.append(_carry(new, copy_entry(earlier, msgstr=without_moved_markup(earlier.msgstr))))
            anchors.append(position_of[id(earlier)])
        elif old is None and (earlier := relinked.get(key)) is not None and id(earlier) not in used:
            used.add(id(earlier))
            merged.append(_carry(new, _relinked(earlier, translation_to_msgid_form(earlier.msgstr, earlier.msgid, labels))))
            anchors.append(position_of[id(earlier)])
        elif (
            old is None
            and inline_key != key
            and (earlier := active.get(inline_key) or obsolete.get(inline_key)) is not None
            and id(earlier) not in used
        ):
            used.add(id(earlier))
            restored, why = to_source_form(earlier.msgstr, new.msgid, labels)
            merged.append(_carry(new, _relinked(earlier, None if why else restored)))
            anchors.append(-1 if earlier.obsolete else position_of[id(earlier)])
        elif old is not None and id(old) not in used:
            used.add(id(old))
            merged.append(_carry(new, old))
            anchors.append(-1 if old.obsolete else position_of[id(old)])
        else:
            merged.append(copy_entry(new, msgstr="", flags=[f for f in new.flags if f != "fuzzy"]))
            anchors.append(-1)
            unmatched.append(len(merged) - 1)
    unmatched = _same_text_elsewhere(merged, unmatched, anchors, existing, used, position_of)
    eligible = [not e.obsolete and id(e) not in used and is_translated(e) and bool(e.msgid) for e in existing]
    for position, old in _fuzzy_pairs(merged, unmatched, anchors, existing, eligible):
        used.add(id(old))
        fuzzy_old = "fuzzy" in old.flags and old.previous_msgid is not None
        merged[position] = copy_entry(
            merged[position],
            msgstr=old.msgstr,
            msgstr_plural=dict(old.msgstr_plural),
            tcomment=old.tcomment,
            flags=["fuzzy"] + [f for f in merged[position].flags if f != "fuzzy"],
            previous_msgid=old.previous_msgid if fuzzy_old else old.msgid,
            previous_msgctxt=old.previous_msgctxt if fuzzy_old else old.msgctxt,
        )
    leftovers = [old for old in existing if id(old) not in used and is_translated(old) and old.msgid]
    # One obsolete entry per key: a just-removed translation supersedes an older one.
    taken = {entry_key(e) for e in merged} | {entry_key(o) for o in leftovers if not o.obsolete}
    for old in leftovers:
        if old.obsolete and entry_key(old) in taken:
            continue
        merged.append(copy_entry(old, obsolete=True, occurrences=[], comment=""))
    return merged


#: Markup earlier versions kept in msgids and this one keeps out of them: a
#: heading's explicit ``{#id}``, a footnote definition's ``[^label]:``, and the
#: marker line around the title of a content tab or of an admonition nested in a
#: list (``=== "Title"``, ``!!! tip "Title"``), which was read as a paragraph.
_MOVED_OUT_OF_MSGIDS = (
    (re.compile(r"[ \t]+\{[ \t]*#[A-Za-z][\w:.-]*[ \t]*\}[ \t]*$"), ""),
    (re.compile(r"^\[\^[^\]\s]+\]:[ \t]+"), ""),
    (re.compile(r'^(?:===[+!]{0,2}|!!!|\?\?\?\+?)(?:[ \t]+[\w-]+)*[ \t]+"([^"\n]*)"[ \t]*$'), r"\1"),
)


def without_moved_markup(text: str) -> str:
    """``text`` without the markup :data:`_MOVED_OUT_OF_MSGIDS` names."""
    for pattern, kept in _MOVED_OUT_OF_MSGIDS:
        text = pattern.sub(kept, text, count=1)
    return text


#: A ``#.`` line :func:`pipeline.catalog.entries.template_entries` writes
#: (what a label stands for, a comment cut from the text's edge).
_TEMPLATE_NOTE = re.compile(r"\[\d+\]: |before the text: |after the text: ")


def text_and_targets(msgid: str, comment: str) -> tuple[str, str, tuple[str, ...]]:
    """What an entry (its ``msgid`` and extracted ``comment``) says whatever its
    msgctxt: its msgid in the label form, its kind, what each label stands for."""
    form = to_msgid_form(msgid)
    kind, *notes = comment.split("\n")
    return form.msgid, kind, form.notes() or tuple(line for line in notes if _TEMPLATE_NOTE.match(line))


def _same_text_elsewhere(
    merged: list[polib.POEntry],
    unmatched: list[int],
    anchors: list[int],
    existing: Sequence[polib.POEntry],
    used: set[int],
    position_of: dict[int, int],
) -> list[int]:
    """Give each unmatched entry the unused translation of the same text, kind and
    link targets under another msgctxt, in order; return the still unmatched.

    A msgctxt only tells repeated texts apart, so it changes when another
    segment starts or stops repeating a text (two links to different pages that
    read the same once their targets are labels): no edit of this entry's text."""
    if not unmatched:
        return unmatched
    waiting: dict[tuple[str, str, tuple[str, ...]], list[polib.POEntry]] = {}
    for old in existing:
        if not old.obsolete and id(old) not in used and is_translated(old) and old.msgid:
            waiting.setdefault(text_and_targets(old.msgid, old.comment), []).append(old)
    if not waiting:
        return unmatched
    left: list[int] = []
    for u in unmatched:
        new = merged[u]
        candidates = waiting.get(text_and_targets(new.msgid, new.comment), [])
        while candidates and id(candidates[0]) in used:
            candidates.pop(0)
        if not candidates:
            left.append(u)
            continue
        old = candidates.pop(0)
        used.add(id(old))
        if old.msgid == new.msgid:
            carried = old
        elif to_msgid_form(old.msgid).msgid == new.msgid:
            carried = _relinked(old, translation_to_msgid_form(old.msgstr, old.msgid))
        else:
            restored, why = to_source_form(old.msgstr, new.msgid)
            carried = _relinked(old, None if why else restored)
        merged[u] = _carry(new, carried)
        anchors[u] = position_of[id(old)]
    return left


def _relinked(old: polib.POEntry, converted: str | None) -> polib.POEntry:
    """``old`` with its translation in the other msgid form (``converted``), or,
    when its links or comments differ from the source's (None), with its text as
    it was, fuzzy, its old msgid in ``#|``: never dropped, never published broken."""
    if converted is not None or not is_translated(old):
        return copy_entry(old, msgstr=converted or "")
    if "fuzzy" in old.flags and old.previous_msgid is not None:
        return copy_entry(old)
    return copy_entry(
        old, flags=["fuzzy"] + [f for f in old.flags if f != "fuzzy"], previous_msgid=old.msgid, previous_msgctxt=old.msgctxt
    )


def _carry(new: polib.POEntry, old: polib.POEntry) -> polib.POEntry:
    """``new`` (from the template) with ``old``'s translation and translator's state."""
    fuzzy = "fuzzy" in old.flags
    comment = new.comment
    # Notes from the alignment explain an entry until a translator settles it;
    # the template's own lines (the kind, link targets) are the new ones.
    if fuzzy or not is_translated(old):
        kind, *notes = old.comment.split("\n")
        template_lines = new.comment.split("\n")
        extra = [line for line in notes if line not in template_lines and not _TEMPLATE_NOTE.match(line)]
        if kind == template_lines[0] and extra:
            comment = "\n".join([new.comment, *extra])
    return copy_entry(
        new,
        msgstr=old.msgstr,
        msgstr_plural=dict(old.msgstr_plural),
        tcomment=old.tcomment,
        comment=comment,
        flags=list(old.flags),
        previous_msgid=old.previous_msgid if fuzzy else None,
        previous_msgctxt=old.previous_msgctxt if fuzzy else None,
        previous_msgid_plural=old.previous_msgid_plural if fuzzy else None,
        obsolete=False,
    )


def _fuzzy_pairs(
    merged: Sequence[polib.POEntry],
    unmatched: Sequence[int],
    anchors: Sequence[int],
    existing: Sequence[polib.POEntry],
    eligible: Sequence[bool],
) -> list[tuple[int, polib.POEntry]]:
    """Best-first one-to-one pairs (index in ``merged``, old entry) scoring at
    least FUZZY_THRESHOLD, so an edited paragraph gets its old translation.

    Cheap first: the old entries between the exact matches around a new entry
    (where an edited paragraph usually still is). Only entries not found there
    are compared with all other candidates, and then only with those whose
    length can reach the threshold and, in a large catalog, that share the most
    words with it: never all against all.
    """
    # The nearest exact match before and after each entry: (index in merged, in existing).
    before: list[tuple[int, int]] = []
    last = (-1, -1)
    for i, k in enumerate(anchors):
        before.append(last)
        if k >= 0:
            last = (i, k)
    after: list[tuple[int, int]] = [(len(anchors), len(existing))] * len(anchors)
    last = (len(anchors), len(existing))
    for i in range(len(anchors) - 1, -1, -1):
        after[i] = last
        if anchors[i] >= 0:
            last = (i, anchors[i])
    scored: list[tuple[float, int, int]] = []
    pending: list[int] = []
    for u in unmatched:
        (pu, a), (_nu, b) = before[u], after[u]
        expected = a + (u - pu)
        lo, hi = max(a + 1, expected - _NEAR // 2), min(b, expected + _NEAR // 2)
        near = [k for k in range(lo, hi) if eligible[k]]
        hits = _score(merged[u].msgid, near, existing)
        scored.extend((score, u, k) for score, k in hits)
        if not hits:
            pending.append(u)
    if pending:
        search = _Search(existing, eligible)
        for u in pending:
            scored.extend((score, u, k) for score, k in _score(merged[u].msgid, search.candidates(merged[u].msgid), existing))
    scored.sort(key=lambda item: (-item[0], item[1], item[2]))
    taken_new: set[int] = set()
    taken_old: set[int] = set()
    pairs: list[tuple[int, polib.POEntry]] = []
    for _score_value, u, k in scored:
        if u not in taken_new and k not in taken_old:
            taken_new.add(u)
            taken_old.add(k)
            pairs.append((u, existing[k]))
    return pairs


#: How many old entries around a new one are tried first.
_NEAR = 40
#: Above this many length-compatible candidates, only the best by shared words are scored.
_WIDE_SEARCH = 100
_WORD = re.compile(r"\w+")


def _score(query: str, positions: Sequence[int], existing: Sequence[polib.POEntry]) -> list[tuple[float, int]]:
    if not positions:
        return []
    choices = [existing[k].msgid for k in positions]
    found = process.extract(query, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD, limit=5)
    return [(score, positions[index]) for _choice, score, index in found]


class _Search:
    """Old entries by msgid length (bisect) and by word (an inverted index)."""

    def __init__(self, existing: Sequence[polib.POEntry], eligible: Sequence[bool]) -> None:
        self.existing = existing
        self.order = sorted((k for k, ok in enumerate(eligible) if ok), key=lambda k: len(existing[k].msgid))
        self.lengths = [len(existing[k].msgid) for k in self.order]
        self.length_of = dict(zip(self.order, self.lengths))
        self.words: dict[str, list[int]] | None = None

    def candidates(self, query: str) -> list[int]:
        lo = bisect.bisect_left(self.lengths, len(query) * _LENGTH_SLACK)
        hi = bisect.bisect_right(self.lengths, len(query) / _LENGTH_SLACK)
        window = self.order[lo:hi]
        if len(window) <= _WIDE_SEARCH:
            return window
        if self.words is None:
            self.words = {}
            for k in self.order:
                for word in set(_WORD.findall(self.existing[k].msgid.lower())):
                    self.words.setdefault(word, []).append(k)
        lists = (self.words.get(word, ()) for word in set(_WORD.findall(query.lower())))
        # A word in nearly every paragraph tells nothing.
        shared = Counter(chain.from_iterable(ks for ks in lists if len(ks) <= _WIDE_SEARCH))
        low, high = self.lengths[lo] if lo < len(self.lengths) else 0, self.lengths[hi - 1]
        length_of = self.length_of
        fitting = [k for k in shared if low <= length_of[k] <= high]
        fitting.sort(key=shared.__getitem__, reverse=True)
        return fitting[:_WIDE_SEARCH]


def fill_empty(merged: Sequence[polib.POEntry], aligned: Sequence[polib.POEntry]) -> list[polib.POEntry]:
    """``merged`` with each empty entry replaced by the aligned entry of the same key."""
    by_key = {entry_key(e): e for e in aligned}
    result = []
    for entry in merged:
        source = by_key.get(entry_key(entry))
        if entry.obsolete or is_translated(entry) or source is None:
            result.append(entry)
        else:
            result.append(copy_entry(source, tcomment=entry.tcomment or source.tcomment))
    return result
