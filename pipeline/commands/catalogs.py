"""The PO commands on a project: extract, align (legacy translations) and update.

Files (all through :mod:`pipeline.store.fs`, relative to the project root):

* ``locales/templates/<slug>.pot`` -- the template of ``source/<source_lang>/<slug>.md``;
* ``locales/<lang>/LC_MESSAGES/<slug>.po`` -- one catalog per article and language;
* ``locales/<lang>/addenda/<slug>.json`` -- legacy content that exists only in the
  translation (a caption, a note), so it is never lost. A JSON list, in document
  order, of objects ``{"after_msgid", "after_msgctxt", "kind", "text"}``: put
  ``text`` (a block of kind ``kind``, a :class:`BlockKind` value) after the block
  of the entry with that msgid and msgctxt (``""`` when it has none);
  ``after_msgid`` ``""`` means before the first block of the body. Written only
  by the first alignment of an article (no PO file yet) and only when there is
  something in it; after that it belongs to the translators, who may edit it or
  empty it (``[]``), and no command rewrites it.

Every command reads and checks everything first and writes only when all of it
is usable, so an error leaves every file as it was. Dates in headers change only
with content: a file whose entries are unchanged keeps its dates and bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Collection, Sequence

import polib

from pipeline.catalog.entries import (
    Classifier,
    align_entries,
    article_body_segments,
    keys_digest,
    language_name,
    make_metadata,
    new_catalog,
    statistics,
    template_entries,
)
from pipeline.catalog.merging import fill_empty, merge
from pipeline.catalog.po_format import (
    dump_and_remember,
    dump_po,
    key_lines,
    parse_po,
    reviewed_text,
)
from pipeline.commands.workers import deal, run_in_workers
from pipeline.config import Tuning, validate_language
from pipeline.errors import InputError
from pipeline.model import Article, Outcome, body_segments
from pipeline.store import fs
from pipeline.store.catalogs import (
    KEYS_DIGEST,
    SOURCE_DIGEST,
    load_addenda,
    load_with_text,
    reviewed_fingerprint,
    source_digest,
    template_says_keys,
)
from pipeline.store.memory_index import usable
from pipeline.store.project import Project, load_source_article

_DATE_FORMAT = "%Y-%m-%d %H:%M%z"
_VERDICTS = {
    "kept": "left in the source language",
    "untranslated": "not translated",
    "partial": "partly translated",
}


def format_date(moment: dt.datetime) -> str:
    """A header date as GNU writes it: ``2025-04-01 09:30+0000``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.strftime(_DATE_FORMAT)














#: Receives the confirmed translations of catalogs as a plan writes them (see
#: :class:`pipeline.store.memory_store.MemoryStore.remember`).
Remember = Callable[[list[tuple[bytes, list[tuple[str, str]]]]], None]


@dataclass
class _Plan:
    """Files a command will write, decided before any is written.

    Each planned text goes at once into a temporary file beside its target (so a
    plan of thousands of articles holds no texts in memory); :meth:`commit` puts
    them all in place, :meth:`discard` removes them when the command fails first.
    With ``remember``, the confirmed translations of each planned catalog go there
    in batches (keyed by content, so that a plan discarded later leaves nothing
    wrong behind).
    """

    project: Project
    now: str
    remember: Remember | None = None
    remember_batch: int = Tuning().remember_batch
    outcome: Outcome = field(default_factory=Outcome)
    writes: list[tuple[Path, fs.Staged | None]] = field(default_factory=list)
    contents: list[tuple[bytes, list[tuple[str, str]]]] = field(default_factory=list)

    def add(self, path: Path, text: str, po: polib.POFile | None = None) -> None:
        """Plan to write ``text``; ``po`` is the catalog it serialises, if it is one."""
        with fs.signals_held():
            self.writes.append((path, fs.stage_text(path, text)))
        if po is not None and self.remember is not None:
            pairs = [(entry.msgid, entry.msgstr) for entry in po if usable(entry)]
            self.contents.append((reviewed_fingerprint(reviewed_text(text.encode())), pairs))
            if len(self.contents) >= self.remember_batch:
                self._hand_over()

    def _hand_over(self) -> None:
        if self.remember is not None and self.contents:
            self.remember(self.contents)
        self.contents = []

    def commit(self) -> Outcome:
        self._hand_over()
        fs.commit_staged([staged for _path, staged in self.writes if staged is not None])
        for path, staged in self.writes:
            self.outcome.record(path, staged is not None)
        self.writes = []
        return self.outcome

    def discard(self) -> None:
        fs.discard_staged([staged for _path, staged in self.writes if staged is not None])
        self.writes = []
        self.contents = []

    def __enter__(self) -> "_Plan":
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.discard()  # after a commit there is nothing left to discard




def with_dates(
    po: polib.POFile, old: polib.POFile | None, fields: Sequence[str], now: str, old_text: str = "", shown: str = ""
) -> str:
    """Serialise ``po``; the ``fields`` keep ``old``'s values unless content changed
    (``old_text``, the file ``old`` was read from, answers that cheaply when it is
    already in our format). The template's fingerprints are not content: a source
    edit that changes no entry (a trailing blank) updates them and keeps the dates.
    A new text is remembered as parsed when ``shown`` (the path as messages show
    it) is given: the next stage of a run reads it."""
    if old is not None:
        for name in fields:
            po.metadata[name] = old.metadata.get(name, "")
        text = dump_po(po)
        if text == old_text or text == dump_po(old):
            return text
        fingerprints = {name: po.metadata[name] for name in (SOURCE_DIGEST, KEYS_DIGEST) if name in po.metadata}
        if fingerprints:
            po.metadata.update({name: old.metadata.get(name, "") for name in fingerprints})
            same = dump_po(po) in (old_text, dump_po(old))
            po.metadata.update(fingerprints)
            if same:
                return text
    for name in fields:
        po.metadata[name] = now
    return dump_and_remember(po, shown) if shown else dump_po(po)








def _selected(project: Project, slugs: Sequence[str] | None) -> list[str]:
    if slugs is None:
        return project.all_slugs()
    for slug in slugs:
        if not project.has_article(slug):
            path = project.article_path(project.config.source_lang, slug)
            raise InputError("no such article", path=project.display(path), hint="check the slug")
    return list(dict.fromkeys(slugs))


def _reference(project: Project, slug: str) -> str:
    return project.display(project.article_path(project.config.source_lang, slug))


def _plan_template(plan: _Plan, slug: str) -> tuple[Article, list[polib.POEntry], str]:
    """Add the template of ``slug`` to the plan; (article, entries, its POT-Creation-Date)."""
    article, entries, pot_date, path, text = _template(plan.project, slug, plan.now)
    plan.add(path, text)
    return article, entries, pot_date


def _template(project: Project, slug: str, now: str) -> tuple[Article, list[polib.POEntry], str, Path, str]:
    """The template of ``slug``: (article, entries, its POT-Creation-Date, path, text)."""
    article = load_source_article(project, project.config.source_lang, slug)
    entries = template_entries(article, _reference(project, slug), placeholders=project.config.link_placeholders)
    path = project.template_path(slug)
    old, old_text = load_with_text(project, path)
    metadata = make_metadata(slug, "", pot_date=now, revision_date=now)
    metadata[SOURCE_DIGEST] = source_digest(project, slug)
    metadata[KEYS_DIGEST] = keys_digest((entry.msgctxt or "", entry.msgid) for entry in entries)
    pot = new_catalog(entries, metadata, f"Translation template for {_reference(project, slug)}.")
    text = with_dates(pot, old, ("POT-Creation-Date", "PO-Revision-Date"), now, old_text)
    return article, entries, pot.metadata["POT-Creation-Date"], path, text


def _catalog(project: Project, slug: str, lang: str, entries: list[polib.POEntry], old: polib.POFile | None, pot_date: str) -> polib.POFile:
    """A catalog of ``entries`` with ``old``'s header (or msginit's) brought up to date."""
    fresh = make_metadata(slug, lang, pot_date=pot_date, revision_date="")
    if old is None:
        header = f"{language_name(lang)} translation of {_reference(project, slug)}."
        return new_catalog(entries, fresh, header)
    metadata = dict(old.metadata)
    for name, value in fresh.items():
        metadata.setdefault(name, value)
    metadata["POT-Creation-Date"] = pot_date
    po = new_catalog(entries, metadata, old.header)
    po.metadata_is_fuzzy = old.metadata_is_fuzzy
    return po


def _check_lang(project: Project, lang: str) -> None:
    validate_language(lang, "--lang")
    if lang == project.config.source_lang:
        raise InputError(
            f"{lang!r} is the source language", path=project.display(project.root), hint="give a target language"
        )


def _report(plan: _Plan, path: Path, entries: Sequence[polib.POEntry], extra: str = "") -> None:
    counts = statistics(entries)
    summary = ", ".join(f"{value} {name}" for name, value in counts.items() if value)
    plan.outcome.messages.append(f"{plan.project.display(path)}: {summary or 'no entries'}{extra}")


def extract(
    project: Project,
    slugs: Sequence[str] | None = None,
    *,
    now: dt.datetime | None = None,
    jobs: int = 1,
    tuning: Tuning = Tuning(),
) -> Outcome:
    """Write ``locales/templates/<slug>.pot`` for each article (all when ``slugs`` is None).

    With ``jobs`` > 1 and many articles, worker processes make the templates and
    this process stages what they send; the files and the outcome are the same."""
    plan = _Plan(project, format_date(now or dt.datetime.now(dt.timezone.utc)))
    with plan:
        chosen = _selected(project, slugs)
        if jobs > 1 and len(chosen) >= tuning.min_parallel:

            def take(made: tuple[Path, str]) -> None:
                plan.add(*made)

            run_in_workers(_Templates(project, plan.now), deal(chosen, jobs), deliver=take, tuning=tuning)
            # In the order one process plans them, which the outcome lists.
            order = {project.template_path(slug): number for number, slug in enumerate(chosen)}
            plan.writes.sort(key=lambda write: order[write[0]])
        else:
            for slug in chosen:
                _plan_template(plan, slug)
        return plan.commit()


@dataclass(frozen=True)
class _Templates:
    """What each worker of a parallel extract does: make its articles' templates
    and send each (path, text) for the parent to stage."""

    project: Project
    now: str

    def __call__(self, slugs: list[str], _barrier: object, send: Callable[[tuple[Path, str]], None]) -> int:
        for slug in slugs:
            _article, _entries, _date, path, text = _template(self.project, slug, self.now)
            send((path, text))
        return len(slugs)


def update(
    project: Project, slugs: Sequence[str] | None, lang: str, *, now: dt.datetime | None = None
) -> Outcome:
    """Re-extract each article and merge its template into its ``lang`` catalog.

    Unchanged entries keep their translation, changed ones get the closest old
    translation as fuzzy, removed ones become obsolete; an article without a
    catalog gets one made from its template (as msginit does).
    """
    _check_lang(project, lang)
    plan = _Plan(project, format_date(now or dt.datetime.now(dt.timezone.utc)))
    with plan:
        for slug in _selected(project, slugs):
            _plan_update(plan, slug, lang)
        return plan.commit()


def _plan_update(plan: _Plan, slug: str, lang: str) -> None:
    project = plan.project
    _article, entries, pot_date = _plan_template(plan, slug)
    path = project.catalog_path(lang, slug)
    old, old_text = load_with_text(project, path)
    merged = merge(entries, list(old) if old is not None else [])
    po = _catalog(project, slug, lang, merged, old, pot_date)
    plan.add(path, with_dates(po, old, ("PO-Revision-Date",), plan.now, old_text, project.display(path)), po)
    _report(plan, path, merged)


def reviewed_if_update_keeps(project: Project, slug: str, lang: str) -> tuple[bytes, list[tuple[str, str]]] | None:
    """The reviewed translations of ``slug``'s ``lang`` catalog as the memory takes
    them (the fingerprint of its reviewed text, its confirmed (msgid, msgstr) pairs),
    when ``update`` would leave them byte for byte as they are (so the translation
    memory, and its key, are the same with or without it): the template is current
    (its source digest matches the article as it is now, its keys digest its own
    entries), the catalog's active entries have the template's keys in the
    template's order, once each, and its reviewed entries are laid out as this
    program writes them. None whenever unsure (no template, no catalog, anything
    moved or changed).

    A shard's phase one asks this of other shards' articles: a catalog committed
    after a run passes, and its article need not be extracted and merged again."""
    path, template = project.catalog_path(lang, slug), project.template_path(slug)
    if not path.is_file() or not template.is_file():
        return None
    # Both files laid out as written: their keys compared as bytes, not parsed.
    data = fs.read_bytes(path)
    present = key_lines(data)
    if present is None or present != key_lines(fs.read_bytes(template)) or len(set(present)) != len(present):
        return None
    po = parse_po(fs.decode_text(data, project.display(path)), project.display(path), remember=False)
    if not template_says_keys(project, slug, [(e.msgctxt or "", e.msgid) for e in po if not e.obsolete]):
        return None
    # The merge carries each entry's msgid, msgstr and flags unchanged, and writes
    # them as dump_po does: the same bytes unless the file was laid out otherwise.
    # The memory fingerprints the file's bytes, not its decoded text.
    reviewed = reviewed_text(data)
    if reviewed_text(dump_po(po).encode()) != reviewed:
        return None
    return reviewed_fingerprint(reviewed), [(entry.msgid, entry.msgstr) for entry in po if usable(entry)]


def prepare_catalogs(
    project: Project,
    slugs: Sequence[str],
    lang: str,
    legacy: Collection[str],
    *,
    now: dt.datetime | None = None,
    before_write: Callable[[], None] | None = None,
    remember: Remember | None = None,
    remember_batch: int = Tuning().remember_batch,
) -> Outcome:
    """What ``extract``, ``align`` (for the ``legacy`` slugs) and ``update`` do in
    turn, with each template built once: the first phase of ``l10n run``.

    Every input of the articles (sources, legacy translations, templates,
    catalogs, addenda) is read before anything is written; ``before_write`` is
    called in between (parallel workers wait there for each other, so that a bad
    file anywhere stops the run before any write). ``remember`` receives the
    confirmed translations of the catalogs (see :class:`_Plan`).
    """
    _check_lang(project, lang)
    plan = _Plan(project, format_date(now or dt.datetime.now(dt.timezone.utc)), remember, remember_batch)
    with plan:
        for slug in _selected(project, slugs):
            if slug in legacy:
                _plan_alignment(plan, slug, lang, _default_classifier(project, lang))  # reads the addenda too
            else:
                _plan_update(plan, slug, lang)
                if project.article_path(lang, slug).is_file():
                    # The report reads it; a broken one must stop the run now.
                    load_source_article(project, lang, slug, remember=False)
                load_addenda(project, lang, slug)  # read now: a later stage must not find it broken
        if before_write is not None:
            before_write()
        return plan.commit()


def align_legacy(
    project: Project,
    slugs: Sequence[str] | None,
    lang: str,
    *,
    now: dt.datetime | None = None,
    classify: Classifier | None = None,
) -> Outcome:
    """Make ``lang`` catalogs from legacy translations ``source/<lang>/<slug>.md``.

    With ``slugs`` None, every source article that has a legacy translation. The
    template is (re)written too. An existing catalog is merged first (see
    :func:`update`) and then only its empty entries are filled: a translator's
    msgstr is never replaced. Target-only legacy content goes to the addenda file.
    ``classify`` says whether a legacy text is translated (default: langid's).
    """
    _check_lang(project, lang)
    plan = _Plan(project, format_date(now or dt.datetime.now(dt.timezone.utc)))
    with plan:
        chosen = _selected(project, slugs)
        if slugs is None:
            chosen = [slug for slug in chosen if project.article_path(lang, slug).is_file()]
        for slug in chosen:
            _plan_alignment(plan, slug, lang, classify or _default_classifier(project, lang))
        outcome = plan.commit()
    from pipeline.store.run_cache import config_bytes, keep_alignments

    # Kept for `l10n report`, which would otherwise align every pair again.
    keep_alignments(project, made_confidences(project), config_bytes(project))
    return outcome


def _default_classifier(project: Project, lang: str) -> Classifier:
    from pipeline.align.langid import classifier_for

    classify: Classifier = classifier_for(project.config.source_lang, lang)
    return classify


#: Confidences of legacy alignments made in this process, by the content of the
#: pair (see :func:`legacy_confidences`); a few floats per article, bounded.
_CONFIDENCES: dict[bytes, tuple[float, ...]] = {}
_MAX_CONFIDENCES = 1 << 15
#: (project root, lang, slug) -> (key of the pair, confidences) of the alignments
#: made in this process since :func:`made_confidences` last took them (the same
#: tuples as ``_CONFIDENCES``), for the run cache; bounded alike.
_MADE: dict[tuple[Path, str, str], tuple[bytes, tuple[float, ...]]] = {}

#: Confidences kept by an earlier command: (lang, slug, key of the pair) -> the
#: confidences, or None (see :class:`pipeline.store.run_cache.KeptConfidences`).
Kept = Callable[[str, str, bytes], "tuple[float, ...] | None"]


def _pair_key(project: Project, lang: str, slug: str, source: Article) -> bytes:
    legacy = fs.read_text(project.article_path(lang, slug))
    digest = hashlib.blake2b(digest_size=16)
    for part in (source.source, legacy, lang):
        digest.update(part.encode() + b"\0")
    return digest.digest()


def _remember(project: Project, lang: str, slug: str, key: bytes, confidences: tuple[float, ...]) -> None:
    if len(_CONFIDENCES) >= _MAX_CONFIDENCES:
        del _CONFIDENCES[next(iter(_CONFIDENCES))]
    if len(_MADE) >= _MAX_CONFIDENCES:
        del _MADE[next(iter(_MADE))]
    _CONFIDENCES[key] = confidences
    _MADE[project.root, lang, slug] = (key, confidences)


def made_confidences(project: Project) -> dict[tuple[str, str], tuple[bytes, tuple[float, ...]]]:
    """The confidences of the legacy alignments of ``project`` made in this process
    since the last call, by (lang, slug), with the key of their pair (forgotten
    here once taken)."""
    mine = [where for where in _MADE if where[0] == project.root]
    return {(lang, slug): _MADE.pop((root, lang, slug)) for root, lang, slug in mine}


def legacy_confidences(
    project: Project, lang: str, slug: str, source: Article, kept: Kept | None = None
) -> tuple[float, ...]:
    """The alignment confidence of each body segment of ``source`` against its
    legacy translation: remembered when this process aligned the same pair (so a
    report after the align stage neither parses the legacy file nor aligns again),
    else as ``kept`` by an earlier command for the same pair, else aligned."""
    from pipeline.align.aligner import align, source_confidences

    key = _pair_key(project, lang, slug, source)
    known = _CONFIDENCES.get(key)
    if known is None and kept is not None:
        known = kept(lang, slug, key)
        if known is not None and len(known) != len(body_segments(source)):
            known = None  # not this pair's after all
    if known is None:
        target = load_source_article(project, lang, slug)
        known = source_confidences(align(body_segments(source), body_segments(target)))
        _remember(project, lang, slug, key, known)
    return known


def _plan_alignment(plan: _Plan, slug: str, lang: str, classifier: Classifier) -> None:
    from pipeline.align.aligner import align, source_confidences

    project = plan.project
    source, entries, pot_date = _plan_template(plan, slug)
    # Read once: kept out of the cache, which phase two of a run needs for the sources.
    target = load_source_article(project, lang, slug, remember=False)
    alignment = align(article_body_segments(source), body_segments(target))
    _remember(project, lang, slug, _pair_key(project, lang, slug, source), source_confidences(alignment))
    aligned = align_entries(entries, source, target, alignment, classifier)
    path = project.catalog_path(lang, slug)
    old, old_text = load_with_text(project, path)
    result = aligned.entries if old is None else fill_empty(merge(entries, list(old)), aligned.entries)
    po = _catalog(project, slug, lang, result, old, pot_date)
    plan.add(path, with_dates(po, old, ("PO-Revision-Date",), plan.now, old_text, project.display(path)), po)
    # The addenda file is the translators' once it exists (they may edit or empty
    # it): only a first alignment writes it. One that exists is read all the same:
    # broken, it must stop this command, not pass unnoticed until a build.
    if project.addenda_path(lang, slug).exists():
        load_addenda(project, lang, slug)
    elif aligned.addenda and old is None:
        data = [item.as_json() for item in aligned.addenda]
        plan.add(project.addenda_path(lang, slug), json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    for target_seg, _source_seg, verdict in aligned.kept:
        where = f"{project.display(project.article_path(lang, slug))}:{target_seg.line}"
        label = _VERDICTS.get(verdict, verdict)
        plan.outcome.messages.append(f"{where}: {label}, kept as the translation: {target_seg.text[:70]}")
    extra = f", {len(aligned.addenda)} addenda" if aligned.addenda else ""
    _report(plan, path, result, extra)
