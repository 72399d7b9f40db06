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

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Callable, Container, Iterable, Mapping, Protocol, Sequence, TypeVar

import polib
from babel import Locale
from babel.messages.plurals import get_plural

from pipeline.catalog.captions import caption_like
from pipeline.model import (
    Alignment,
    Article,
    BlockKind,
    Segment,
    body_segments,
    meta_segments,
    segments,
)
from pipeline.read.inline import link_references
from pipeline.read.placeholders import (
    MsgidForm,
    to_msgid_form,
    translation_to_msgid_form,
)

#: A 1-1 legacy pair below this alignment confidence is only a suggestion (fuzzy).
LOW_CONFIDENCE = 0.6
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


def contexts(segs: Sequence[Segment], msgids: Sequence[str] | None = None) -> list[str | None]:
    """The msgctxt of each segment: None unless its msgid (``msgids``, default
    its text) occurs more than once."""
    # Two links to different places may read the same once their targets are out:
    # the msgids, when given, stand for the texts (no copy of each segment made).
    texts = list(msgids) if msgids is not None else [seg.text for seg in segs]
    sections: list[str] = []
    # Before the first heading the article's title is the section.
    heading = next((text for seg, text in zip(segs, texts) if seg.key == "title"), "")
    for seg, text in zip(segs, texts):
        sections.append(seg.key if seg.key else heading)
        if seg.kind is BlockKind.HEADING:
            heading = text
    counts: dict[str, int] = {}
    for text in texts:
        counts[text] = counts.get(text, 0) + 1
    per_section: dict[tuple[str, str], int] = {}
    for text, section in zip(texts, sections):
        per_section[(text, section)] = per_section.get((text, section), 0) + 1
    result: list[str | None] = []
    ordinal: dict[tuple[str, str], int] = {}
    for text, section in zip(texts, sections):
        if counts[text] == 1:
            result.append(None)
            continue
        pair = (text, section)
        ordinal[pair] = ordinal.get(pair, 0) + 1
        ambiguous = per_section[pair] > 1 or not section
        result.append(f"{section} #{ordinal[pair]}".strip() if ambiguous else section)
    # A heading literally named like "Intro #2" could still collide: number on.
    seen: set[tuple[str | None, str]] = set()
    for index, (text, ctxt) in enumerate(zip(texts, result)):
        extra = 1
        while (result[index], text) in seen:
            extra += 1
            result[index] = f"{ctxt} #{extra}" if ctxt else f"#{extra}"
        seen.add((result[index], text))
    return result


def msgid_forms(segs: Sequence[Segment], *, placeholders: bool, references: Container[str] = ()) -> list[MsgidForm]:
    """Each segment's text as its msgid: with link targets and edge comments out
    (:mod:`pipeline.read.placeholders`) when ``placeholders``, else as written.
    ``references``: the article's reference labels, whose shortcut links go too."""
    return [to_msgid_form(seg.text, references) if placeholders else MsgidForm(seg.text) for seg in segs]


def segment_keys(article: Article, *, placeholders: bool = False) -> list[tuple[str, str]]:
    """(msgctxt or "", msgid) of each of ``segments(article)``, in order."""
    keys: tuple[tuple[str, str], ...] = _by_identity(
        _KEYS, article, placeholders, lambda: tuple(_segment_keys(article, placeholders))
    )
    return list(keys)


def article_segments(article: Article) -> tuple[Segment, ...]:
    """``segments(article)``, the same tuple for the same article object while it
    is one of the last few asked for."""
    return _by_identity(_SEGMENTS, article, False, lambda: segments(article))


def article_body_segments(article: Article) -> tuple[Segment, ...]:
    """``body_segments(article)``, remembered as :func:`article_segments` is."""
    return _by_identity(_SEGMENTS, article, True, lambda: body_segments(article))


T = TypeVar("T")
#: More than the articles of one portion of phase two (see ``Tuning.portion``).
_KEPT = 128
_KEYS: OrderedDict[tuple[int, bool], tuple[Article, tuple[tuple[str, str], ...]]] = OrderedDict()
_SEGMENTS: OrderedDict[tuple[int, bool], tuple[Article, tuple[Segment, ...]]] = OrderedDict()


def _by_identity(
    table: OrderedDict[tuple[int, bool], tuple[Article, T]], article: Article, variant: bool, make: Callable[[], T]
) -> T:
    # Extraction, alignment, check, build and report each ask for the segments
    # and keys of the same parsed article (the article cache hands them the same
    # object): the last few are kept by the article's identity, the article held
    # so that no other object can take its id meanwhile. Hashing an article
    # (all its blocks) would cost about what making the segments does.
    key = (id(article), variant)
    known = table.get(key)
    if known is not None and known[0] is article:
        table.move_to_end(key)
        return known[1]
    value = make()
    table[key] = (article, value)
    if len(table) > _KEPT:
        table.popitem(last=False)
    return value


def _segment_keys(article: Article, placeholders: bool) -> list[tuple[str, str]]:
    segs = article_segments(article)
    references = link_references(article.source) if placeholders else {}
    msgids = [form.msgid for form in msgid_forms(segs, placeholders=placeholders, references=references)]
    return [(ctxt or "", msgid) for msgid, ctxt in zip(msgids, contexts(segs, msgids))]


def keys_digest(keys: Iterable[tuple[str, str]]) -> str:
    """A fingerprint of a set of (msgctxt, msgid) keys, order and repeats ignored."""
    digest = hashlib.sha256()
    for context, msgid in sorted(set(keys)):
        digest.update(context.encode() + b"\x04" + msgid.encode() + b"\0")
    return digest.hexdigest()[:32]


def template_entries(article: Article, reference: str, *, placeholders: bool = False) -> list[polib.POEntry]:
    """One empty entry per segment of ``article`` (front matter first), in order.

    ``reference`` is the article's path as ``#:`` lines show it. With
    ``placeholders`` the msgid has its links in reference style and the ``#.``
    comment each label's target, ``[1]: https://...``, after the block kind.
    """
    segs = article_segments(article)
    references = link_references(article.source) if placeholders else {}
    forms = msgid_forms(segs, placeholders=placeholders, references=references)
    return [
        polib.POEntry(
            msgid=form.msgid,
            msgstr="",
            msgctxt=ctxt,
            comment="\n".join((seg.key or seg.kind.value, *form.notes())),
            occurrences=[(reference, str(seg.line))],
        )
        for seg, form, ctxt in zip(segs, forms, contexts(segs, [form.msgid for form in forms]))
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
    references = link_references(source.source)
    for entry, seg in zip(entries, article_segments(source)):
        if entry.msgstr and entry.msgid != seg.text:
            _in_msgid_form(entry, seg.text, references)
    return result


def _in_msgid_form(entry: polib.POEntry, source: str, references: Container[str]) -> None:
    """Give a legacy text the msgid's link labels; one whose links go elsewhere
    than the source's is kept as it is, for review (the build shows the source
    until a translator puts the labels in)."""
    converted = translation_to_msgid_form(entry.msgstr, source, references)
    if converted is not None:
        entry.msgstr = converted
    else:
        _fuzzy(entry, "legacy text: its links or comments differ from the source; write its links as the msgid's [1], [2]", "")


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

