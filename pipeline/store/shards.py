"""A shard's bundle: what ``l10n run --shard K/N`` hands to ``l10n merge-shards``.

``<dir>/shard-K-of-N/shard.json`` and, under ``<dir>/shard-K-of-N/files/``, a copy of
each file of the shard's articles (template, catalogs, addenda, built pages, report
pages) at its path relative to the project root. A bundle is self-contained, so a
CI job uploads the folder as an artifact and the merging job, on another machine,
needs only its own checkout and the bundles. ``shard.json`` carries the shard's run
records (see :class:`pipeline.store.run_cache.ArticleRecord`), its messages by stage
and its machine-translation failures, and the files of its articles that do not
exist (the merge removes them, as the single run would have left them absent).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Mapping, Sequence

from pipeline.errors import InputError
from pipeline.store import fs
from pipeline.store.project import Project
from pipeline.store.run_cache import ArticleRecord, config_bytes, digest
from pipeline.version import __version__

RECORD_FILE = "shard.json"
FILES = "files"
#: Shape of ``shard.json``; a bundle of another shape (or version) is refused.
SHARD_FORMAT = 3

#: What :func:`file_digest` says of a file that does not exist.
ABSENT = "absent"


@dataclass(frozen=True)
class Failure:
    """A machine-translation failure, as a shard saw it."""

    message: str
    path: str | None
    hint: str | None
    #: Texts saved before it, texts left unsent, the hint of the cause alone.
    saved: int = 0
    unsent: int = 0
    cause_hint: str | None = None


@dataclass(frozen=True)
class ShardRecord:
    """What a shard did, as the merge needs it."""

    number: int
    count: int
    #: Digest of the configuration files: every shard must have run with the same.
    config: str
    #: Every article of the project as the shard saw it, and the languages it ran
    #: (all shards must agree).
    slugs: tuple[str, ...]
    languages: tuple[str, ...]
    #: lang -> slug -> record, for the shard's articles.
    records: Mapping[str, Mapping[str, ArticleRecord]]
    #: The shard's messages, stage by stage (see ``RunSummary.blocks``).
    blocks: tuple[tuple[str, ...], ...]
    failures: tuple[Failure, ...]
    processed: int
    skipped: int
    #: Paths (relative to the root, POSIX) of its articles' files: present, absent.
    files: tuple[str, ...]
    absent: tuple[str, ...]
    #: Path -> :func:`file_digest` of each of its articles' files as the shard
    #: found them, before it ran: the merge replaces a file only while it is
    #: still so (or already the bundle's), never a translator's later edit.
    found: Mapping[str, str]
    #: Files the shard wrote and left unchanged for its own articles, counted as
    #: the single run counts them (the merge adds the index pages it writes).
    written: int = 0
    unchanged: int = 0

    @property
    def name(self) -> str:
        return bundle_name(self.number, self.count)


def bundle_name(number: int, count: int) -> str:
    return f"shard-{number}-of-{count}"


def config_digest(project: Project) -> str:
    return digest(config_bytes(project))


def file_digest(path: Path) -> str:
    """A digest of the file's bytes, or :data:`ABSENT`."""
    return digest(fs.read_bytes(path)) if path.is_file() else ABSENT


def found_digests(project: Project, paths: Sequence[Path]) -> dict[str, str]:
    """:func:`file_digest` of each of ``paths``, by its path relative to the root."""
    return {relative_path(project, path): file_digest(path) for path in paths}


def article_files(project: Project, langs: Sequence[str], slug: str) -> list[Path]:
    """Every file a run writes for ``slug``, whether or not it exists."""
    paths = [project.template_path(slug)]
    for lang in langs:
        paths += [
            project.catalog_path(lang, slug),
            project.addenda_path(lang, slug),
            project.output_dir / lang / f"{slug}.md",
            project.output_dir / lang / f"{slug}.html",
            project.output_dir / "reports" / lang / f"{slug}.html",
        ]
    return paths


def relative_path(project: Project, path: Path) -> str:
    try:
        return path.relative_to(project.root).as_posix()
    except ValueError:
        raise InputError(
            "a sharded run needs its folders inside the project root", path=str(path), hint="set them relative to the root"
        ) from None


def write_bundle(project: Project, folder: Path, record: ShardRecord, paths: Sequence[Path]) -> Path:
    """Write the bundle of ``record`` into ``folder`` (``paths``: the shard's
    article files, see :func:`article_files`); files of an earlier bundle of the
    same shard that are not its files any more are removed. Return the bundle."""
    bundle = folder / record.name
    present = [path for path in paths if path.is_file()]
    wanted = {relative_path(project, path) for path in present}
    files = bundle / FILES
    for old in sorted(p for p in files.rglob("*") if p.is_file()) if files.is_dir() else []:
        if old.relative_to(files).as_posix() not in wanted:
            fs.remove(old)
    for path in present:
        fs.write_bytes(bundle / FILES / relative_path(project, path), fs.read_bytes(path))
    data = {
        "version": __version__,
        "format": SHARD_FORMAT,
        "shard": [record.number, record.count],
        "config": record.config,
        "slugs": list(record.slugs),
        "languages": list(record.languages),
        "records": {
            lang: {slug: rec.to_json() for slug, rec in records.items()} for lang, records in record.records.items()
        },
        "blocks": [list(block) for block in record.blocks],
        "failures": [[f.message, f.path, f.hint, f.saved, f.unsent, f.cause_hint] for f in record.failures],
        "processed": record.processed,
        "skipped": record.skipped,
        "written": record.written,
        "unchanged": record.unchanged,
        "files": sorted(wanted),
        "absent": sorted({relative_path(project, path) for path in paths} - wanted),
        "found": dict(sorted(record.found.items())),
    }
    fs.write_text(bundle / RECORD_FILE, json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n")
    return bundle


def find_bundles(folders: Sequence[Path]) -> list[Path]:
    """The bundles in ``folders``: each a bundle itself, or a folder holding bundles
    (as CI tools download artifacts: one folder each, or all in one)."""
    found: list[Path] = []
    for folder in folders:
        if (folder / RECORD_FILE).is_file():
            found.append(folder)
            continue
        inside = sorted(p.parent for p in folder.glob(f"*/{RECORD_FILE}")) + sorted(
            p.parent for p in folder.glob(f"*/*/{RECORD_FILE}")
        )
        if not inside:
            raise InputError("no shard bundle here", path=str(folder), hint=f"give the folders `l10n run --shard` wrote ({RECORD_FILE} inside)")
        found.extend(inside)
    return found


def read_bundle(bundle: Path) -> ShardRecord:
    """The record of ``bundle``; InputError when it is not one this version wrote."""
    path = bundle / RECORD_FILE
    shown = str(path)
    try:
        data = json.loads(fs.read_text(path))
    except ValueError as exc:
        raise InputError(f"not a shard record: {exc}", path=shown, hint="run the shard again") from None
    if not isinstance(data, dict) or data.get("format") != SHARD_FORMAT or data.get("version") != __version__:
        raise InputError(
            f"a shard record of another l10n version or format (this is {__version__})",
            path=shown,
            hint="run every shard and the merge with the same version",
        )
    try:
        number, count = (int(n) for n in data["shard"])
        records = {
            str(lang): {str(slug): ArticleRecord.from_json(str(slug), rec) for slug, rec in by_slug.items()}
            for lang, by_slug in data["records"].items()
        }
        record = ShardRecord(
            number=number,
            count=count,
            config=str(data["config"]),
            slugs=tuple(str(s) for s in data["slugs"]),
            languages=tuple(str(lang) for lang in data["languages"]),
            records=records,
            blocks=tuple(tuple(str(m) for m in block) for block in data["blocks"]),
            failures=tuple(
                Failure(str(m), _text_or_none(p), _text_or_none(h), int(s), int(u), _text_or_none(c))
                for m, p, h, s, u, c in data["failures"]
            ),
            processed=int(data["processed"]),
            skipped=int(data["skipped"]),
            written=int(data["written"]),
            unchanged=int(data["unchanged"]),
            files=tuple(_safe(str(f), shown) for f in data["files"]),
            absent=tuple(_safe(str(f), shown) for f in data["absent"]),
            found={_safe(str(f), shown): str(d) for f, d in data["found"].items()},
        )
    except (TypeError, ValueError, KeyError, AttributeError, ArithmeticError) as exc:
        raise InputError(f"not a shard record: {exc!r}", path=shown, hint="run the shard again") from None
    for name in record.files:
        if not (bundle / FILES / name).is_file():
            raise InputError(f"the bundle lacks {name}", path=shown, hint="upload the whole shard folder")
    return record


def _text_or_none(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"{value!r} is not a text")


def _safe(name: str, shown: str) -> str:
    """A relative path that stays inside the project (a record is input)."""
    parts = PurePosixPath(name).parts
    if not parts or name.startswith("/") or ".." in parts:
        raise InputError(f"a file outside the project: {name!r}", path=shown, hint="run the shard again")
    return name


def check_installable(project: Project, bundle: Path, record: ShardRecord, own: set[str]) -> None:
    """InputError unless every path of ``record`` is one of ``own`` (the files of
    the shard's own articles) and every such file in the checkout is as the shard
    found it or as the bundle has it: a bundle never reaches another file, and the
    merge never replaces what someone changed after the shards ran."""
    shown = str(bundle / RECORD_FILE)
    for name in (*record.files, *record.absent):
        if name not in own:
            raise InputError(f"the bundle names {name!r}, not a file of its articles", path=shown, hint="run the shard again")
    for name in (*record.files, *record.absent):
        now = file_digest(project.root / name)
        bundled = file_digest(bundle / FILES / name) if name in record.files else ABSENT
        if now not in (record.found.get(name), bundled):
            raise InputError(
                "changed since the shards ran: the merge would replace it",
                path=name,
                hint="commit the change and run the shards again, or restore the file",
            )


def install(project: Project, bundle: Path, record: ShardRecord) -> tuple[int, int]:
    """Put the bundle's files in place (atomically, each only when it differs) and
    remove its articles' files it has not; (files changed, files left as they were).
    Call :func:`check_installable` for every bundle first."""
    written = unchanged = 0
    for name in record.files:
        if fs.write_bytes(project.root / name, fs.read_bytes(bundle / FILES / name)):
            written += 1
        else:
            unchanged += 1
    for name in record.absent:
        written += fs.remove(project.root / name)
    return written, unchanged
