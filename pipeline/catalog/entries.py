"""Gettext catalogs from articles and alignments, and msgmerge-style merging.

Pure functions over :mod:`pipeline.model` objects and polib entries: no I/O, no
clock (dates are passed in). :mod:`pipeline.commands.catalogs` reads and writes files.

One entry per translatable segment, in source order, front matter first:

* ``msgid`` is the segment's text with its inline Markdown;
* ``#:`` points at the segment's line in the source article;
* ``#.`` names what the segment is (``title``, ``heading``, ``list item`` ...),
  followed by notes from the legacy alignment where there are any;
* ``msgctxt`` is set only when the same text occurs more than once in an article:
  the text of the nearest preceding heading (the title before the first heading,
  the front-matter key for front matter), with `` #N`` (N-th occurrence in that
  section) added only if that is still ambiguous. It depends on content, never
  on a block's position in the file, so inserting a paragraph elsewhere changes
  no context.

The legacy-alignment and merge rules are documented on :func:`align_entries` and
:func:`merge`.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain
from typing import Iterable, Mapping, Protocol, Sequence

import polib
from babel import Locale
from babel.messages.plurals import get_plural
from rapidfuzz import fuzz, process

from pipeline.catalog.captions import caption_like
from pipeline.catalog.po_format import entry_key
from pipeline.model import (
    Alignment,
    Article,
    BlockKind,
    Segment,
    meta_segments,
    segments,
)

#: A 1-1 legacy pair below this alignment confidence is only a suggestion (fuzzy).
LOW_CONFIDENCE = 0.6
#: Minimum rapidfuzz ratio for an old translation to be offered for changed text.
FUZZY_THRESHOLD = 70.0
#: Beyond this length ratio two texts cannot reach FUZZY_THRESHOLD (Indel ratio).
_LENGTH_SLACK = FUZZY_THRESHOLD / (200.0 - FUZZY_THRESHOLD)
_CONTEXT_CHARS = 60


class Classifier(Protocol):
    """Whether a legacy text translates its source (:func:`pipeline.align.langid.classify_target`):
    "translated", "kept", "untranslated" or "partial"."""

    def __call__(
        self, source_seg: Segment | None, target_seg: Segment, /, *, previous_source: Segment | None = None
    ) -> str: ...


@dataclass(frozen=True)
class Addendum:
    """Target-only legacy content, anchored after a source segment's entry."""

    after_msgid: str
    after_msgctxt: str
    kind: str
    text: str

    def as_json(self) -> dict[str, str]:
        return {"after_msgid": self.after_msgid, "after_msgctxt": self.after_msgctxt, "kind": self.kind, "text": self.text}


@dataclass
class AlignedCatalog:
    """Entries made from a legacy translation, with what did not fit in them."""

    entries: list[polib.POEntry]
    addenda: list[Addendum] = field(default_factory=list)
    #: (target segment, source segment, classification) for text not translated.
    kept: list[tuple[Segment, Segment, str]] = field(default_factory=list)


# --------------------------------------------------------------------------
# Templates.


def contexts(segs: Sequence[Segment]) -> list[str | None]:
    """The msgctxt of each segment: None unless its text occurs more than once."""
    sections: list[str] = []
    # Before the first heading the article's title is the section.
    heading = next((seg.text for seg in segs if seg.key == "title"), "")
    for seg in segs:
        sections.append(seg.key if seg.key else heading)
        if seg.kind is BlockKind.HEADING:
            heading = seg.text
    counts: dict[str, int] = {}
    for seg in segs:
        counts[seg.text] = counts.get(seg.text, 0) + 1
    per_section: dict[tuple[str, str], int] = {}
    for seg, section in zip(segs, sections):
        per_section[(seg.text, section)] = per_section.get((seg.text, section), 0) + 1
    result: list[str | None] = []
    ordinal: dict[tuple[str, str], int] = {}
    for seg, section in zip(segs, sections):
        if counts[seg.text] == 1:
            result.append(None)
            continue
        pair = (seg.text, section)
        ordinal[pair] = ordinal.get(pair, 0) + 1
        ambiguous = per_section[pair] > 1 or not section
        result.append(f"{section} #{ordinal[pair]}".strip() if ambiguous else section)
    # A heading literally named like "Intro #2" could still collide: number on.
    seen: set[tuple[str | None, str]] = set()
    for index, (seg, ctxt) in enumerate(zip(segs, result)):
        extra = 1
        while (result[index], seg.text) in seen:
            extra += 1
            result[index] = f"{ctxt} #{extra}" if ctxt else f"#{extra}"
        seen.add((result[index], seg.text))
    return result


def segment_keys(article: Article) -> list[tuple[str, str]]:
    """(msgctxt or "", msgid) of each of ``segments(article)``, in order."""
    segs = segments(article)
    return [(ctxt or "", seg.text) for seg, ctxt in zip(segs, contexts(segs))]


def keys_digest(keys: Iterable[tuple[str, str]]) -> str:
    """A fingerprint of a set of (msgctxt, msgid) keys, order and repeats ignored."""
    digest = hashlib.sha256()
    for context, msgid in sorted(set(keys)):
        digest.update(context.encode() + b"\x04" + msgid.encode() + b"\0")
    return digest.hexdigest()[:32]


def template_entries(article: Article, reference: str) -> list[polib.POEntry]:
    """One empty entry per segment of ``article`` (front matter first), in order.

    ``reference`` is the article's path as ``#:`` lines show it.
    """
    segs = segments(article)
    return [
        polib.POEntry(
            msgid=seg.text,
            msgstr="",
            msgctxt=ctxt,
            comment=seg.key or seg.kind.value,
            occurrences=[(reference, str(seg.line))],
        )
        for seg, ctxt in zip(segs, contexts(segs))
    ]


def plural_forms(lang: str) -> str:
    """The Plural-Forms header value for ``lang`` (Babel's CLDR data)."""
    return str(get_plural(lang.replace("-", "_")))


def language_name(lang: str) -> str:
    return str(Locale.parse(lang.replace("-", "_")).get_display_name("en"))


def make_metadata(project_id: str, lang: str, *, pot_date: str, revision_date: str) -> dict[str, str]:
    """Header fields in msginit's order; ``lang`` "" for a template."""
    metadata = {
        "Project-Id-Version": project_id,
        "POT-Creation-Date": pot_date,
        "PO-Revision-Date": revision_date,
        "Last-Translator": "Automatically generated",
        "Language-Team": "none",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    if lang:
        metadata["Plural-Forms"] = plural_forms(lang)
    return metadata


def new_catalog(entries: Iterable[polib.POEntry], metadata: Mapping[str, str], header: str = "") -> polib.POFile:
    po = polib.POFile()
    po.metadata = dict(metadata)
    po.header = header
    po.metadata_is_fuzzy = False
    for entry in entries:
        po.append(entry)
    return po


def copy_entry(entry: polib.POEntry, **changes: object) -> polib.POEntry:
    """A fresh entry with ``entry``'s fields, some replaced (polib lists are shared otherwise)."""
    fields: dict[str, object] = {
        "msgid": entry.msgid,
        "msgstr": entry.msgstr,
        "msgctxt": entry.msgctxt,
        "msgid_plural": entry.msgid_plural,
        "msgstr_plural": dict(entry.msgstr_plural),
        "obsolete": entry.obsolete,
        "comment": entry.comment,
        "tcomment": entry.tcomment,
        "occurrences": list(entry.occurrences),
        "flags": list(entry.flags),
        "previous_msgctxt": entry.previous_msgctxt,
        "previous_msgid": entry.previous_msgid,
        "previous_msgid_plural": entry.previous_msgid_plural,
    }
    fields.update(changes)
    return polib.POEntry(**fields)


# --------------------------------------------------------------------------
# Legacy alignment.


def _short(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > _CONTEXT_CHARS:
        text = text[: _CONTEXT_CHARS - 1] + "…"
    # GNU reads a comment line ending in a backslash as continued on the next line.
    return text.rstrip("\\")


def _note(entry: polib.POEntry, *lines: str) -> None:
    entry.comment = "\n".join([entry.comment, *lines]) if entry.comment else "\n".join(lines)


def align_entries(
    template: Sequence[polib.POEntry],
    source: Article,
    target: Article,
    alignment: Alignment,
    classify: Classifier,
) -> AlignedCatalog:
    """Fill ``template`` (from :func:`template_entries` of ``source``) from a legacy
    translation ``target`` and the alignment of their body segments.

    1-1 pairs at or above LOW_CONFIDENCE are translated; weaker pairs and merged
    or split pairs (2-1, 1-2, 2-2) are fuzzy with the confidence and the
    neighbouring legacy text noted; dropped segments stay empty with a note;
    target-only segments become addenda. Text the legacy translation kept in the
    source language stays (translated) and is listed in ``kept``.
    """
    entries = [copy_entry(entry) for entry in template]
    result = AlignedCatalog(entries)
    metas = meta_segments(source)
    target_meta = {seg.key: seg for seg in meta_segments(target)}
    for index, seg in enumerate(metas):
        legacy = target_meta.get(seg.key)
        if legacy is None:
            _note(entries[index], f"legacy translation: no {seg.key}")
        else:
            _translate(result, entries[index], seg, legacy, classify, None)
    offset = len(metas)
    tgt = alignment.target
    moved_to = {m.source[0]: m for m in alignment.moves}
    moved_from = {j for m in alignment.moves for j in m.target}
    last_source = -1
    captions = caption_like(alignment)
    for bead in alignment.beads:
        src = [offset + i for i in bead.source]
        texts = [tgt[j].text for j in bead.target]
        confidence = f"confidence {bead.confidence:.2f}"
        if not bead.source:
            anchor = entries[last_source] if last_source >= 0 else None
            for j in bead.target:
                if j in moved_from:
                    continue  # the translation of a source segment, found out of order
                result.addenda.append(
                    Addendum(
                        after_msgid=anchor.msgid if anchor is not None else "",
                        after_msgctxt=(anchor.msgctxt or "") if anchor is not None else "",
                        kind=BlockKind.CAPTION.value if j in captions else tgt[j].kind.value,
                        text=tgt[j].text,
                    )
                )
            continue
        last_source = src[-1]
        move = moved_to.get(bead.source[0]) if not bead.target else None
        if move is not None:
            # The legacy translation has this paragraph elsewhere: offer it, for review.
            entries[src[0]].msgstr = " ".join(tgt[j].text for j in move.target)
            _fuzzy(
                entries[src[0]],
                f"legacy alignment: moved in the legacy translation, confidence {move.confidence:.2f}",
                _neighbours(alignment, move.target),
            )
            continue
        if not bead.target:
            for index in src:
                _note(entries[index], f"legacy translation dropped this ({confidence})")
            continue
        around = _neighbours(alignment, bead.target)
        shape = bead.shape
        if shape == "1-1":
            entry = entries[src[0]]
            i = bead.source[0]
            previous = alignment.source[i - 1] if i > 0 else None
            _translate(result, entry, alignment.source[i], tgt[bead.target[0]], classify, previous)
            if bead.confidence < LOW_CONFIDENCE:
                _fuzzy(entry, f"legacy alignment 1-1, {confidence}, uncertain", around)
        elif len(src) == len(texts):
            for index, text in zip(src, texts):
                entries[index].msgstr = text
                _fuzzy(entries[index], f"legacy alignment {shape}, {confidence}: paired in order", around)
        elif len(src) == 1:
            entries[src[0]].msgstr = " ".join(texts)
            _fuzzy(entries[src[0]], f"legacy alignment {shape}, {confidence}: the legacy text was split", around)
        else:
            entries[src[0]].msgstr = " ".join(texts)
            _fuzzy(
                entries[src[0]],
                f"legacy alignment {shape}, {confidence}: the legacy text merged this and the next {len(src) - 1}",
                around,
            )
            for index in src[1:]:
                _note(entries[index], f"legacy alignment {shape}: translated together with the previous entry")
    return result


def _translate(
    result: AlignedCatalog,
    entry: polib.POEntry,
    source: Segment,
    target: Segment,
    classify: Classifier,
    previous: Segment | None,
) -> None:
    entry.msgstr = target.text
    verdict = classify(source, target, previous_source=previous)
    if verdict != "translated":
        # Legacy text (partly) in the source language stays as it is, reported.
        result.kept.append((target, source, verdict))


def _fuzzy(entry: polib.POEntry, why: str, around: str) -> None:
    if "fuzzy" not in entry.flags:
        entry.flags.append("fuzzy")
    _note(entry, why, *([around] if around else []))


def _neighbours(alignment: Alignment, target: tuple[int, ...]) -> str:
    before = alignment.target[target[0] - 1].text if target[0] > 0 else ""
    after = alignment.target[target[-1] + 1].text if target[-1] + 1 < len(alignment.target) else ""
    parts = []
    if before:
        parts.append(f"after «{_short(before)}»")
    if after:
        parts.append(f"before «{_short(after)}»")
    return "legacy context: " + ", ".join(parts) if parts else ""


# --------------------------------------------------------------------------
# Merging (msgmerge semantics).


def is_translated(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr) or any(entry.msgstr_plural.values())


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
    for new in template:
        key = entry_key(new)
        old = active.get(key)
        if old is None:
            old = obsolete.get(key)
        if old is not None and id(old) not in used:
            used.add(id(old))
            merged.append(_carry(new, old))
            anchors.append(-1 if old.obsolete else position_of[id(old)])
        else:
            merged.append(copy_entry(new, msgstr="", flags=[f for f in new.flags if f != "fuzzy"]))
            anchors.append(-1)
            unmatched.append(len(merged) - 1)
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


def _carry(new: polib.POEntry, old: polib.POEntry) -> polib.POEntry:
    """``new`` (from the template) with ``old``'s translation and translator's state."""
    fuzzy = "fuzzy" in old.flags
    comment = new.comment
    # Notes from the alignment explain an entry until a translator settles it.
    if (fuzzy or not is_translated(old)) and old.comment.startswith(new.comment + "\n"):
        comment = old.comment
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


def statistics(entries: Iterable[polib.POEntry]) -> dict[str, int]:
    """Counts of translated, fuzzy, untranslated and obsolete entries."""
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0, "obsolete": 0}
    for entry in entries:
        if entry.obsolete:
            counts["obsolete"] += 1
        elif not is_translated(entry):
            counts["untranslated"] += 1
        elif "fuzzy" in entry.flags:
            counts["fuzzy"] += 1
        else:
            counts["translated"] += 1
    return counts


__all__ = [
    "Addendum",
    "AlignedCatalog",
    "Classifier",
    "FUZZY_THRESHOLD",
    "LOW_CONFIDENCE",
    "align_entries",
    "contexts",
    "copy_entry",
    "fill_empty",
    "is_translated",
    "language_name",
    "make_metadata",
    "merge",
    "new_catalog",
    "plural_forms",
    "segment_keys",
    "statistics",
    "template_entries",
]

