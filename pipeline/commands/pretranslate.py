"""``l10n pretranslate``: fill the empty entries of a language's catalogs.

First from the translation memory of every catalog of the language, then (with
``mt="deepl"``) by machine translation of what is still empty. Everything filled
is a ``fuzzy`` suggestion with its provenance; a non-empty msgstr is never
touched. PO files are read and written through :mod:`pipeline.store.fs` only (the MT
cache database through :mod:`pipeline.store.mt_cache`, HTTP through :mod:`pipeline.mt.deepl`).

Machine translation never pays twice and never loses work: identical texts are
sent once, results come from the cache when they can, every result is stored in
the cache as soon as it arrives, and the catalogs are written after each batch,
so when DeepL fails (quota, key, network) everything done so far is saved before
the one-line error is raised.

``[tool.l10n.pretranslate]`` keys: ``glossary`` (table of source = target terms
for DeepL), ``min_similarity`` (percent, default 80), ``cache_dir`` (relative to
the project root, default ``.l10n-cache``).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

import polib

from pipeline.catalog.po_format import dump_and_remember, parse_po, reviewed_text
from pipeline.config import Tuning, check_similarity, validate_language
from pipeline.errors import InputError, MachineTranslationFailed
from pipeline.exchange.tmx import parse_tmx
from pipeline.model import Outcome
from pipeline.mt.deepl import (
    ENGINE,
    DeepLEngine,
    MarkupLost,
    Protected,
    engine_from_env,
    glossary_hash,
    plan_batches,
    protect,
    restore,
)
from pipeline.mt.memory import MemoryUnit, units_from_entries
from pipeline.mt.suggest import (
    apply,
    copy_suggestion,
    fill_from_memory,
    machine_suggestion,
    pending,
)
from pipeline.store import fs
from pipeline.store.catalogs import catalog_files, load_catalog, reviewed_fingerprint
from pipeline.store.exchange import (
    glossary_terms,
    load_imported_memory,
    memory_tmx_path,
)
from pipeline.store.memory_index import TranslationMemory
from pipeline.store.memory_store import MemoryStore, store_file
from pipeline.store.mt_cache import MTCache, cache_key
from pipeline.store.project import Project

MT_ENGINES = ("deepl",)


@dataclass
class _Catalog:
    """A selected catalog being filled, and what was filled in it."""

    slug: str
    path: Path
    shown: str
    po: polib.POFile
    tm: int = 0
    tm_exact: int = 0
    mt: int = 0
    mt_cached: int = 0
    copied: int = 0
    #: Entries a dry run would send to the engine.
    mt_todo: int = 0
    rejected: int = 0
    changed: bool = False


@dataclass
class _Job:
    """One distinct text to machine-translate and the entries waiting for it."""

    protected: Protected
    key: str
    targets: list[tuple[_Catalog, polib.POEntry]] = field(default_factory=list)


@dataclass(frozen=True)
class _Settings:
    glossary: dict[str, str]
    min_similarity: float
    cache_dir: Path


def _config_file(project: Project) -> str:
    name = "l10n.toml" if (project.root / "l10n.toml").is_file() else "pyproject.toml"
    return project.display(project.root / name)


def _settings(project: Project, lang: str, min_similarity: float | None, cache_dir: Path | None) -> _Settings:
    """The settings of a pre-translation into ``lang``: its glossary is the
    imported TBX's terms for ``lang`` and the configured glossary (which wins)."""
    table = project.config.pretranslate
    if min_similarity is None:
        threshold = table.min_similarity
    else:
        threshold = check_similarity(float(min_similarity), "--min-similarity")
    return _Settings(glossary_terms(project, lang), threshold, cache_dir if cache_dir is not None else project.cache_dir)


def _language(project: Project, lang: str | None) -> str:
    if lang is None:
        if not project.config.languages:
            raise InputError("no target language", path=_config_file(project), hint="pass --lang or set languages")
        lang = project.config.languages[0]
    validate_language(lang, "--lang")
    if lang == project.config.source_lang:
        raise InputError(f"{lang!r} is the source language", path="--lang", hint="give a target language")
    return lang


def load_with_text(project: Project, lang: str, slugs: Sequence[str] | None) -> tuple[dict[str, polib.POFile], list[str]]:
    """The selected catalogs of ``lang`` by slug, and their slugs."""
    if slugs is None:
        paths = catalog_files(project, lang)
    else:  # only the chosen catalogs are needed, not a listing
        paths = {slug: project.catalog_path(lang, slug) for slug in slugs}
        paths = {slug: path for slug, path in paths.items() if path.is_file()}
    chosen = sorted(paths) if slugs is None else list(dict.fromkeys(slugs))
    for slug in chosen:
        if slug not in paths:
            if not project.has_article(slug):  # 'l10n update' could not make it either
                raise InputError(
                    f"no source article {slug!r}",
                    path=project.display(project.source_dir / project.config.source_lang),
                    hint="check the slug: it is the file name without .md",
                )
            raise InputError(
                "no such catalog",
                path=project.display(project.catalog_path(lang, slug)),
                hint=f"make it first with 'l10n update {slug} --lang {lang}'",
            )
    catalogs: dict[str, polib.POFile] = {}
    for slug in chosen:
        # Kept out of the parse cache when not in it: a filled catalog is saved with
        # its new text remembered as parsed (see :func:`_save`), and the parse of
        # the old text would only push out catalogs the next stages read.
        po = load_catalog(project, paths[slug], remember=False)
        if po is not None:
            catalogs[slug] = po
    return catalogs, chosen


def memory_of(
    project: Project,
    lang: str,
    parsed: Mapping[str, polib.POFile] | None = None,
    *,
    cache_dir: Path | None = None,
    persist: bool = True,
    busy_seconds: float = Tuning().busy_seconds,
) -> tuple[TranslationMemory, str]:
    """The translation memory of every catalog of ``lang`` and its :func:`memory_key`;
    the caller closes it. ``parsed``: catalogs already read, by slug (used by a
    memory in RAM only: the store parses from the bytes it fingerprinted).

    The memory is the store of :mod:`pipeline.store.memory_store` in ``cache_dir`` (the
    configured one when None), brought up to date; only catalogs whose confirmed
    translations it has not seen are parsed. ``persist`` False builds it in RAM
    and writes nothing (a dry run). ``busy_seconds``: how long to wait for another
    process rebuilding the store."""
    parsed = parsed or {}
    paths = memory_files(project, lang)

    key, fingerprints = _fingerprints(paths)
    if not persist:
        units: list[MemoryUnit] = []
        for slug in sorted(paths):
            if slug == IMPORTED:
                units.extend(MemoryUnit(u.source, u.target, slug) for u in load_imported_memory(project, lang))
                continue
            po = parsed.get(slug) or load_catalog(project, paths[slug], remember=False)
            units.extend(units_from_entries(po or [], slug))
        return TranslationMemory(units), key

    def pairs_of(slug: str) -> list[tuple[str, str]]:
        return read_confirmed(project, paths[slug], fingerprints[slug])

    folder = cache_dir if cache_dir is not None else memory_folder(project)
    store = MemoryStore(folder, lang, project.display(store_file(folder, lang)), busy_seconds=busy_seconds)
    try:
        return store.memory(key, sorted(fingerprints.items()), pairs_of), key
    except BaseException:
        store.close()
        raise


def read_confirmed(project: Project, path: Path, fingerprint: bytes) -> list[tuple[str, str]]:
    """The confirmed (msgid, msgstr) pairs of the catalog at ``path``, parsed from
    the very bytes that have ``fingerprint`` (the store keeps them under it for
    good: a file saved in between must not be filed under its old fingerprint)."""
    shown = project.display(path)
    data = fs.read_bytes(path)
    if reviewed_fingerprint(_reviewed(path, data)) != fingerprint:
        raise InputError(
            "the catalog changed while the translation memory was being built",
            path=shown,
            hint="run the command again",
        )
    if path.suffix == ".tmx":
        return [(u.source, u.target) for u in parse_tmx(data, shown, project.config.source_lang, path.parent.name).units]
    po = parse_po(fs.decode_text(data, shown), shown, remember=False)
    return [(unit.source, unit.target) for unit in units_from_entries(po, path.stem)]


#: Where the memory's units imported from TMX (``locales/<lang>/memory.tmx``)
#: are filed, as if a catalog: what a suggestion from them says it came from
#: (no slug can be this).
IMPORTED = "(memory.tmx)"


def memory_files(project: Project, lang: str) -> dict[str, Path]:
    """What the memory of ``lang`` is made of: every catalog by slug, and the
    imported units when there are any."""
    paths = dict(catalog_files(project, lang))
    imported = memory_tmx_path(project, lang)
    if imported.is_file():
        paths[IMPORTED] = imported
    return paths


def _reviewed(path: Path, data: bytes) -> bytes:
    """What the memory takes from a file: a catalog's reviewed entries, an
    imported TMX whole."""
    return data if path.suffix == ".tmx" else reviewed_text(data)


def memory_folder(project: Project) -> Path:
    """The configured cache folder, where the memory's store is kept."""
    return project.cache_dir


def memory_key(project: Project, lang: str) -> str:
    """A fingerprint of what the memory of ``lang`` holds: the reviewed entries of
    every catalog, whether or not its article is still in source/."""
    return _fingerprints(memory_files(project, lang), each=False)[0]




def _fingerprints(paths: Mapping[str, Path], *, each: bool = True) -> tuple[str, dict[str, bytes]]:
    """(digest of the reviewed entries of the catalogs in ``paths``, each file's
    :func:`reviewed_fingerprint` when ``each``)."""
    digest = hashlib.sha256()
    fingerprints = {}  # not the contents: a thousand catalogs would all stay in memory
    for slug in sorted(paths):
        reviewed = _reviewed(paths[slug], fs.read_bytes(paths[slug]))
        if each:
            fingerprints[slug] = reviewed_fingerprint(reviewed)
        digest.update(slug.encode() + b"\0" + reviewed + b"\0")
    return digest.hexdigest(), fingerprints


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _save(catalog: _Catalog) -> None:
    # Remembered as parsed: check and build read the file right after a run's
    # pre-translation.
    catalog.changed |= fs.write_text(catalog.path, dump_and_remember(catalog.po, catalog.shown))


def pretranslate(
    project: Project,
    slugs: Sequence[str] | None = None,
    lang: str | None = None,
    *,
    use_tm: bool = True,
    mt: str | None = None,
    min_similarity: float | None = None,
    dry_run: bool = False,
    env: Mapping[str, str] = os.environ,
    cache_dir: Path | None = None,
    memory: TranslationMemory | None = None,
    tuning: Tuning = Tuning(),
) -> Outcome:
    """Fill the empty entries of the ``lang`` catalogs of ``slugs`` (all when None).

    ``use_tm``: from the memory of every catalog of ``lang``, at ``min_similarity``
    percent or more (None: the configuration's, else 80). ``mt``: then by machine
    translation (``"deepl"``, key from ``env["DEEPL_AUTH_KEY"]``, address from
    ``env["DEEPL_SERVER_URL"]`` when set). ``dry_run``: report what would be
    filled and how many characters DeepL would bill; no request, no file written.
    ``lang`` None means the first configured language.

    ``memory``: the memory to use instead of the one of every catalog (a caller
    pre-translating in portions builds it once, see :func:`memory_of`).

    Raises InputError for bad arguments. When DeepL fails, what was filled before
    is saved and the outcome's ``failure`` says why (one line, naming the cause).
    """
    lang = _language(project, lang)
    if mt is not None and mt not in MT_ENGINES:
        raise InputError(f"unknown machine translation engine {mt!r}", path="--mt", hint=f"use one of: {', '.join(MT_ENGINES)}")
    settings = _settings(project, lang, min_similarity, cache_dir)
    catalogs, chosen = load_with_text(project, lang, slugs)
    # Check the key before anything is written: a missing key is a usage error.
    engine = None
    if mt is not None and not dry_run:
        engine = engine_from_env(
            env, source_lang=project.config.source_lang, target_lang=lang, glossary=settings.glossary,
            retries=tuning.mt_retries, timeout=tuning.mt_timeout,
        )
    own_memory = memory is None and use_tm
    outcome = Outcome()
    notes: list[str] = []
    totals: list[str] = []
    work = [
        _Catalog(slug, project.catalog_path(lang, slug), project.display(project.catalog_path(lang, slug)), catalogs[slug])
        for slug in chosen
    ]
    failure: MachineTranslationFailed | None = None
    try:
        if own_memory:
            memory, _key = memory_of(project, lang, catalogs, cache_dir=settings.cache_dir, persist=not dry_run)
        if memory is not None and use_tm:
            for catalog in work:
                filled = fill_from_memory(catalog.po, memory, settings.min_similarity)
                catalog.tm = len(filled)
                catalog.tm_exact = sum(1 for _entry, match in filled if match.exact)
        if mt is not None:
            totals.append(_machine(project, work, lang, settings, engine, dry_run, notes))
        elif not dry_run:
            for catalog in work:
                _save(catalog)
    except MachineTranslationFailed as exc:  # returned with what was saved
        failure = exc
    finally:
        if engine is not None:
            engine.close()
        if own_memory and memory is not None:
            memory.close()
    for catalog in work:
        if not dry_run:
            outcome.record(catalog.path, catalog.changed)
    outcome.messages = [_summary(catalog, dry_run) for catalog in work] + notes + totals
    outcome.failure = failure
    return outcome


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _summary(catalog: _Catalog, dry_run: bool) -> str:
    parts = []
    if catalog.tm:
        exact = f" ({catalog.tm_exact} exact)" if catalog.tm_exact else ""
        parts.append(f"{catalog.tm} from translation memory{exact}")
    if catalog.mt:
        cached = f" ({catalog.mt_cached} from the cache)" if catalog.mt_cached else ""
        parts.append(f"{catalog.mt} machine-translated{cached}")
    if catalog.mt_todo:
        parts.append(f"{catalog.mt_todo} by machine translation")
    if catalog.copied:
        parts.append(f"{catalog.copied} copied (nothing to translate)")
    if parts:
        head = ("would fill " if dry_run else "filled ") + ", ".join(parts)
    else:
        head = "nothing to fill"
    rejected = f", {catalog.rejected} rejected (markup lost)" if catalog.rejected else ""
    empty = len(pending(catalog.po)) - catalog.mt_todo
    return f"{catalog.shown}: {head}{rejected}; {empty} left empty"


def _deliver(job: _Job, translation: str, notes: list[str], *, cached: bool) -> None:
    """Restore a result's markup and fill the job's entries, or report it rejected."""
    try:
        text = restore(translation, job.protected)
    except MarkupLost as exc:
        for catalog, entry in job.targets:
            catalog.rejected += 1
            where = f"{catalog.shown}:{entry.linenum}" if entry.linenum else catalog.shown
            notes.append(f"{where}: {ENGINE} result rejected, {exc}; left empty: {_short(entry.msgid)}")
        return
    for catalog, entry in job.targets:
        if apply(entry, machine_suggestion(text, ENGINE)):
            catalog.mt += 1
            catalog.mt_cached += int(cached)


def _machine(
    project: Project,
    work: list[_Catalog],
    lang: str,
    settings: _Settings,
    engine: DeepLEngine | None,
    dry_run: bool,
    notes: list[str],
) -> str:
    """Machine-translate what is still empty: cache first, then DeepL batch by batch.

    Reports go to ``notes``; the return value is the line saying what was billed.
    """
    source_lang = project.config.source_lang
    glossary = glossary_hash(settings.glossary, source_lang, lang)
    jobs: dict[str, _Job] = {}
    for catalog in work:
        for entry in pending(catalog.po):
            protected = protect(entry.msgid)
            if not protected.has_text:
                # Only markup (an image, a code span): sending it would cost and
                # could only break it, so the source is the suggestion.
                if apply(entry, copy_suggestion(entry.msgid, "nothing to translate")):
                    catalog.copied += 1
                continue
            job = jobs.get(protected.xml)
            if job is None:
                key = cache_key(ENGINE, source_lang, lang, glossary, protected.xml)
                job = jobs[protected.xml] = _Job(protected, key)
            job.targets.append((catalog, entry))
    if not jobs:
        # Nothing for the engine: no request, and no cache folder made for nothing.
        if not dry_run:
            for catalog in work:
                _save(catalog)
        return f"{ENGINE}: nothing to translate"
    with MTCache(settings.cache_dir, read_only=dry_run) as cache:
        found = cache.get_many(job.key for job in jobs.values())
        todo: list[_Job] = []
        for job in jobs.values():
            hit = found.get(job.key)
            if hit is None:
                todo.append(job)
            else:
                _deliver(job, hit.translation, notes, cached=True)
        batches, oversized = plan_batches([job.protected.xml for job in todo])
        for index in oversized:
            for catalog, entry in todo[index].targets:
                notes.append(f"{catalog.shown}:{entry.linenum}: too long for one {ENGINE} request, left empty")
        sendable = [todo[i] for batch in batches for i in batch]
        billable = sum(job.protected.billable for job in sendable)
        if dry_run:
            for job in sendable:
                for catalog, _entry in job.targets:
                    catalog.mt_todo += 1
            return (
                f"{ENGINE} (dry run): {_count(len(sendable), 'text')} to send in {_count(len(batches), 'request')}, "
                f"{billable} characters would be billed; {_count(len(found), 'text')} from the cache (free)"
            )
        for catalog in work:
            _save(catalog)
        assert engine is not None
        billed = 0
        done = 0
        for batch in batches:
            chunk = [todo[i] for i in batch]
            try:
                results = engine.translate([job.protected.xml for job in chunk])
            except MachineTranslationFailed as exc:
                exc.cause_hint, exc.saved = exc.hint, done
                exc.unsent = sum(len(batch) for batch in batches) - done
                exc.hint = (
                    f"{exc.hint}; {done} texts translated before the failure are saved"
                    if exc.hint
                    else f"{done} texts translated before the failure are saved"
                )
                raise
            # Into the cache first: whatever happens next, this was paid for once.
            cache.put_many(
                [(job.key, job.protected.xml, text) for job, (text, _count) in zip(chunk, results)],
                engine=ENGINE,
                source_lang=source_lang,
                target_lang=lang,
                glossary=glossary,
                billed=[count for _text, count in results],
            )
            for job, (text, count) in zip(chunk, results):
                _deliver(job, text, notes, cached=False)
                billed += count
            done += len(chunk)
            for catalog in {id(t[0]): t[0] for job in chunk for t in job.targets}.values():
                _save(catalog)
        return (
            f"{ENGINE}: {_count(done, 'text')} translated in {_count(len(batches), 'request')}, "
            f"{billed} characters billed; {_count(len(found), 'text')} from the cache (free)"
        )


__all__ = ["MT_ENGINES", "pretranslate"]
