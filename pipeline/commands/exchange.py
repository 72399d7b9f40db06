"""The exchange commands: XLIFF for CAT tools and agencies, TMX memories, TBX glossaries.

* :func:`export_xliff` -- ``<out>/<lang>/<slug>.xlf`` (default ``out``:
  ``output/exchange``), one XLIFF 1.2 file per article and language;
* :func:`import_xliff` -- takes returned XLIFF files back into the PO files
  (rules in :mod:`pipeline.exchange.po_units`: a translator's msgstr is never
  replaced without ``overwrite``; conflicts are reported);
* :func:`export_tmx` -- ``<out>/<lang>/memory.tmx`` (the memory: every reviewed
  entry and the imported units) or ``legacy.tmx`` (the aligned legacy pairs,
  with the aligner's confidence as ``x-confidence``);
* :func:`import_tmx` -- adds a TMX's units to ``locales/<lang>/memory.tmx``;
* :func:`import_tbx` -- merges a TBX-Basic glossary into ``locales/glossary.tbx``.

Every input is read and checked before anything is written; writes are atomic
and skipped when the bytes would not change.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path, PurePosixPath
from typing import Sequence

from pipeline.catalog.entries import new_catalog
from pipeline.catalog.po_format import parse_po
from pipeline.commands.catalogs import format_date, with_dates
from pipeline.errors import InputError, ProblemsFound
from pipeline.exchange.po_units import exportable, merge_units, unit_of
from pipeline.exchange.tbx import Glossary, glossary_of, parse_tbx, write_tbx
from pipeline.exchange.tmx import TranslationUnit, parse_tmx, same_language, write_tmx
from pipeline.exchange.xliff import XliffFile, parse_xliff, write_xliff
from pipeline.model import Outcome, body_segments
from pipeline.mt.memory import usable
from pipeline.store import fs
from pipeline.store.catalogs import catalog_files, catalog_text, load_catalog
from pipeline.store.exchange import (
    glossary_path,
    load_glossary,
    load_imported_memory,
    memory_tmx_path,
)
from pipeline.store.project import (
    Project,
    languages,
    load_source_article,
    selected_slugs,
)
from pipeline.version import __version__


def exchange_dir(project: Project, output: Path | None) -> Path:
    return output if output is not None else project.output_dir / "exchange"


def _posix(shown: str) -> str:
    return PurePosixPath(Path(shown)).as_posix()


def export_xliff(
    project: Project, slugs: Sequence[str] | None, lang: str | None, *, output: Path | None = None
) -> Outcome:
    """One XLIFF file per selected article and language that has a PO file."""
    outcome = Outcome()
    folder = exchange_dir(project, output)
    with fs.Batch() as batch:
        planned: list[tuple[Path, bool]] = []
        for language in languages(project, lang):
            for slug in selected_slugs(project, slugs):
                path = project.catalog_path(language, slug)
                po = load_catalog(project, path)
                if po is None:
                    outcome.messages.append(f"{project.display(path)}: no PO file; run 'l10n update' first (skipped)")
                    continue
                xfile = XliffFile(
                    original=_posix(project.display(project.article_path(project.config.source_lang, slug))),
                    source_lang=project.config.source_lang,
                    target_lang=language,
                    units=tuple(unit_of(entry) for entry in po if exportable(entry)),
                )
                target = folder / language / f"{slug}.xlf"
                data = write_xliff([xfile], project.display(path))
                planned.append((target, batch.write_text(target, data.decode("utf-8"))))
        batch.commit()
    for target, changed in planned:
        outcome.record(target, changed)
    return outcome


def _language_of(project: Project, code: str, path: str, line: int) -> str:
    for lang in project.config.languages:
        if same_language(code, lang):
            return lang
    raise InputError(
        f"unknown language {code!r}: not one of the configured languages",
        path=path,
        line=line,
        hint=f"configured: {', '.join(project.config.languages) or 'none'}",
    )


def import_xliff(
    project: Project, files: Sequence[Path], *, overwrite: bool = False, now: dt.datetime | None = None
) -> Outcome:
    """Take the translations of returned XLIFF files into the PO files.

    Raises ProblemsFound (exit 1) after writing what could be taken when some
    units were conflicts (both the PO and the XLIFF changed the translation)."""
    outcome = Outcome()
    stamp = format_date(now or dt.datetime.now(dt.timezone.utc))
    results: dict[Path, tuple[str, str]] = {}  # PO path -> (old text, new text)
    conflicts = 0
    for file in files:
        shown = str(file)
        for xfile in parse_xliff(fs.read_bytes(file), shown):
            if not same_language(xfile.source_lang, project.config.source_lang):
                raise InputError(
                    f"source-language {xfile.source_lang!r} is not the project's {project.config.source_lang!r}",
                    path=shown,
                    line=xfile.line,
                    hint="export the file from this project again",
                )
            lang = _language_of(project, xfile.target_lang, shown, xfile.line)
            slug = PurePosixPath(xfile.original).stem
            path = project.catalog_path(lang, slug)
            if not path.is_file():
                raise InputError(
                    f"no PO file for {xfile.original!r} in {lang!r} ({project.display(path)})",
                    path=shown,
                    line=xfile.line,
                    hint=f"run 'l10n update {slug} --lang {lang}' first",
                )
            old_text, current = results.get(path, (None, None))
            if old_text is None:
                old_text = catalog_text(project, path)
                current = old_text
            assert current is not None
            po = parse_po(current, project.display(path), remember=False)
            merged = merge_units(list(po), xfile.units, shown, overwrite=overwrite)
            for conflict in merged.conflicts:
                outcome.messages.append(
                    f"{shown}:{conflict.line}: conflict, the PO keeps its translation of {conflict.msgid[:50]!r}:"
                    f" {conflict.kept[:50]!r} (the XLIFF has {conflict.offered[:50]!r}; --overwrite takes it)"
                )
            conflicts += len(merged.conflicts)
            if merged.updated:
                new_po = new_catalog(merged.entries, po.metadata, po.header)
                new_po.metadata_is_fuzzy = po.metadata_is_fuzzy
                old_po = parse_po(old_text, project.display(path), remember=False)
                current = with_dates(new_po, old_po, ("PO-Revision-Date",), stamp, old_text)
            outcome.messages.append(
                f"{shown}: {project.display(path)}: {merged.updated} entr{'y' if merged.updated == 1 else 'ies'} updated"
                + (f", {len(merged.conflicts)} conflict(s)" if merged.conflicts else "")
            )
            results[path] = (old_text, current)
    with fs.Batch() as batch:
        changes = [(path, batch.write_text(path, new)) for path, (_old, new) in results.items()]
        batch.commit()
    for path, changed in changes:
        outcome.record(path, changed)
    if conflicts:
        outcome.failure = ProblemsFound(
            f"{conflicts} unit(s) not imported: the PO's translation changed too",
            hint="review the conflicts above, or import again with --overwrite",
        )
    return outcome


# --------------------------------------------------------------------------
# TMX.


def memory_units(project: Project, lang: str) -> list[TranslationUnit]:
    """The memory of ``lang`` as units: every reviewed entry of every catalog (in
    slug order, ``x-origin`` the slug), then the imported units; each pair once."""
    units: list[TranslationUnit] = []
    seen: set[tuple[str, str]] = set()
    for slug, path in sorted(catalog_files(project, lang).items()):
        po = load_catalog(project, path, remember=False)
        for entry in po or []:
            if usable(entry) and (entry.msgid, entry.msgstr) not in seen:
                seen.add((entry.msgid, entry.msgstr))
                units.append(TranslationUnit(entry.msgid, entry.msgstr, (("x-origin", slug),)))
    for unit in load_imported_memory(project, lang):
        if (unit.source, unit.target) not in seen:
            seen.add((unit.source, unit.target))
            units.append(TranslationUnit(unit.source, unit.target, unit.properties))
    return units


def legacy_units(project: Project, slugs: Sequence[str] | None, lang: str) -> list[TranslationUnit]:
    """The aligned pairs of every legacy translation (``source/<lang>/<slug>.md``):
    one unit per bead with text on both sides, merged texts joined by a space,
    with ``x-confidence`` (the aligner's, 0-1), ``x-bead`` (its shape, 1-1, 2-1
    ...), ``x-origin`` (the slug) and ``x-kind`` (the block kind)."""
    from pipeline.align.aligner import align

    units = []
    for slug in selected_slugs(project, slugs):
        if not project.article_path(lang, slug).is_file():
            continue
        source = load_source_article(project, project.config.source_lang, slug)
        target = load_source_article(project, lang, slug, remember=False)
        alignment = align(body_segments(source), body_segments(target))
        for bead in alignment.beads:
            if not bead.source or not bead.target:
                continue
            properties = (
                ("x-confidence", f"{bead.confidence:.2f}"),
                ("x-bead", bead.shape),
                ("x-origin", slug),
                ("x-kind", alignment.source[bead.source[0]].kind.value),
            )
            units.append(
                TranslationUnit(
                    " ".join(alignment.source[i].text for i in bead.source),
                    " ".join(alignment.target[j].text for j in bead.target),
                    properties,
                )
            )
    return units


def export_tmx(
    project: Project, slugs: Sequence[str] | None, lang: str | None, *, legacy: bool = False, output: Path | None = None
) -> Outcome:
    """``memory.tmx`` (or with ``legacy``, ``legacy.tmx``) per language."""
    outcome = Outcome()
    folder = exchange_dir(project, output)
    with fs.Batch() as batch:
        planned = []
        for language in languages(project, lang):
            units = legacy_units(project, slugs, language) if legacy else memory_units(project, language)
            data = write_tmx(units, project.config.source_lang, language, tool_version=__version__)
            target = folder / language / ("legacy.tmx" if legacy else "memory.tmx")
            planned.append((target, batch.write_text(target, data.decode("utf-8"))))
            outcome.messages.append(f"{project.display(target)}: {len(units)} unit(s)")
        batch.commit()
    for target, changed in planned:
        outcome.record(target, changed)
    return outcome


def import_tmx(project: Project, file: Path, lang: str) -> Outcome:
    """Add the units of a TMX file for (source language, ``lang``) to
    ``locales/<lang>/memory.tmx``; units already there are not added twice."""
    (lang,) = languages(project, lang)
    parsed = parse_tmx(fs.read_bytes(file), str(file), project.config.source_lang, lang)
    existing = load_imported_memory(project, lang)
    seen = {(unit.source, unit.target) for unit in existing}
    kept = [TranslationUnit(u.source, u.target, u.properties) for u in existing]
    added = 0
    for unit in parsed.units:
        if (unit.source, unit.target) not in seen:
            seen.add((unit.source, unit.target))
            kept.append(TranslationUnit(unit.source, unit.target, unit.properties))
            added += 1
    outcome = Outcome()
    target = memory_tmx_path(project, lang)
    skipped = f", {parsed.skipped} without both {project.config.source_lang} and {lang} skipped" if parsed.skipped else ""
    outcome.messages.append(
        f"{file}: {added} unit(s) added to {project.display(target)}, {len(parsed.units) - added} already there{skipped}"
    )
    if added or not target.exists():
        data = write_tmx(kept, project.config.source_lang, lang, tool_version=__version__)
        outcome.record(target, fs.write_text(target, data.decode("utf-8")))
    else:
        outcome.record(target, False)
    return outcome


# --------------------------------------------------------------------------
# TBX.


def import_tbx(project: Project, file: Path, *, overwrite: bool = False) -> Outcome:
    """Merge the terms of a TBX file (for the source language and the configured
    languages) into ``locales/glossary.tbx``. A term the glossary already
    translates differently is kept, and reported, unless ``overwrite``."""
    parsed = parse_tbx(fs.read_bytes(file), str(file))
    incoming = glossary_of(parsed, project.config.source_lang, project.config.languages)
    merged: Glossary = dict(load_glossary(project))
    outcome = Outcome()
    added = changed = 0
    conflicts = []
    for key, target in incoming.items():
        old = merged.get(key)
        if old == target:
            continue
        if old is not None and not overwrite:
            conflicts.append(key)
            outcome.messages.append(
                f"{file}: conflict, the glossary keeps {key[1]!r} = {old!r} in {key[0]!r} (the file has {target!r}; --overwrite takes it)"
            )
            continue
        changed += old is not None
        added += old is None
        merged[key] = target
    path = glossary_path(project)
    unused = len(parsed.concepts) - len({source for _lang, source in incoming})
    outcome.messages.append(
        f"{file}: {added} term(s) added, {changed} changed, {len(conflicts)} conflict(s) in {project.display(path)}"
        + (f"; {unused} concept(s) without a {project.config.source_lang} term and a configured language's" if unused > 0 else "")
    )
    if added or changed or not path.exists():
        outcome.record(path, fs.write_text(path, write_tbx(merged, project.config.source_lang).decode("utf-8")))
    else:
        outcome.record(path, False)
    if conflicts:
        outcome.failure = ProblemsFound(
            f"{len(conflicts)} term(s) not imported: the glossary translates them differently",
            hint="import again with --overwrite to take the file's terms",
        )
    return outcome


__all__ = ["export_tmx", "export_xliff", "import_tbx", "import_tmx", "import_xliff", "legacy_units", "memory_units"]
