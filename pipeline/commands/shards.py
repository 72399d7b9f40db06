"""``l10n run --shard K/N`` and ``l10n merge-shards``: one run spread over machines.

A shard takes every article through phase one (extract, align, update: the
translation memory is every catalog's, so each shard needs them all, and makes
them as the single run would), but for other shards' articles whose committed
catalogs phase one would leave as they are (see
:func:`pipeline.commands.catalogs.reviewed_if_update_keeps`), and only its own articles (see
:func:`pipeline.commands.run.in_shard`) through pre-translation, check, build and
report; it writes a bundle (:mod:`pipeline.store.shards`) of its articles' files and
records. The merge puts every bundle's files in place and does what needs all
articles: the index pages, the review index, the run cache and the summary. The
result is the single run's, byte for byte, except for the dates in the headers of
catalogs a shard created or changed, which say when that shard ran.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from pipeline.commands.run import RunSummary, Shard, in_article_order, in_shard, run_all
from pipeline.commands.run_end import collect, finish_language
from pipeline.config import Tuning
from pipeline.errors import InputError, MachineTranslationFailed
from pipeline.store.project import Project, languages
from pipeline.store.run_cache import ArticleRecord, open_cache, run_lock
from pipeline.store.shards import (
    Failure,
    ShardRecord,
    article_files,
    check_installable,
    config_digest,
    find_bundles,
    found_digests,
    install,
    read_bundle,
    relative_path,
    write_bundle,
)


def parse_shard(text: str) -> Shard:
    """``K/N`` with 1 <= K <= N; ValueError otherwise."""
    number, _, count = text.partition("/")
    shard = int(number), int(count)
    if not 1 <= shard[0] <= shard[1]:
        raise ValueError(f"{text!r}: K/N with 1 <= K <= N")
    return shard


def run_shard(project: Project, shard: Shard, folder: Path, **options: Any) -> tuple[RunSummary, Path]:
    """:func:`run_all` for shard ``shard``; its bundle written into ``folder``."""
    langs = languages(project, options.get("lang"))
    slugs = project.all_slugs()
    mine = [slug for slug in slugs if in_shard(slug, shard)]
    found = found_digests(project, [path for slug in mine for path in article_files(project, langs, slug)])
    summary = run_all(project, shard=shard, **options)
    with open_cache(project) as cache:  # the records this run wrote
        records = {lang: dict(cache.records(lang, mine)) for lang in langs}
    paths = [path for slug in slugs if in_shard(slug, shard) for path in article_files(project, langs, slug)]
    blocks: list[tuple[str, ...]] = []
    start = 0
    for size in summary.blocks:
        blocks.append(tuple(summary.messages[start : start + size]))
        start += size
    record = ShardRecord(
        number=shard[0],
        count=shard[1],
        config=config_digest(project),
        slugs=tuple(slugs),
        languages=tuple(langs),
        records=records,
        blocks=tuple(blocks),
        failures=tuple(Failure(f.message, f.path, f.hint, f.saved, f.unsent, f.cause_hint) for f in summary.failures),
        processed=summary.processed,
        skipped=summary.skipped,
        written=summary.written,
        unchanged=summary.unchanged,
        files=(),
        absent=(),
        found=found,
    )
    return summary, write_bundle(project, folder, record, paths)


def merge_shards(project: Project, folders: Sequence[Path], *, wait_seconds: float = Tuning().busy_seconds) -> RunSummary:
    """Put the bundles in ``folders`` together as the single run would have left
    the project (see the module's documentation); InputError when they are not
    the N shards of one run over this project's articles and configuration.
    Holds the project's run lock (see :func:`pipeline.store.fs.project_lock`)."""
    with run_lock(project, wait_seconds):
        return _merge_shards(project, folders)


def _merge_shards(project: Project, folders: Sequence[Path]) -> RunSummary:
    bundles = find_bundles(folders)
    read = [(bundle, read_bundle(bundle)) for bundle in bundles]
    slugs = project.all_slugs()
    _check_complete(project, [record for _, record in read], [str(bundle) for bundle in bundles], slugs)
    for bundle, record in read:  # all checked before anything is written
        own = [slug for slug in slugs if in_shard(slug, (record.number, record.count))]
        paths = {relative_path(project, path) for slug in own for path in article_files(project, record.languages, slug)}
        check_installable(project, bundle, record, paths)
    summary = RunSummary()
    for bundle, record in read:
        written, unchanged = install(project, bundle, record)
        summary.installed += written
        summary.already_installed += unchanged
    records_of = [record for _, record in read]
    # The files the run wrote, as one run counts them: each shard's for its own
    # articles, and (below) the index pages written here.
    summary.written = sum(r.written for r in records_of)
    summary.unchanged = sum(r.unchanged for r in records_of)
    # Each stage's messages of every shard, together and in article order, as
    # the single run says them.
    for number in range(max((len(r.blocks) for r in records_of), default=0)):
        said = [message for r in records_of if number < len(r.blocks) for message in r.blocks[number]]
        summary.messages.extend(in_article_order(said, slugs))
        summary.blocks.append(len(said))
    with open_cache(project) as cache:
        for language in records_of[0].languages:
            records: dict[str, ArticleRecord] = {}
            for record in records_of:
                records.update(record.records.get(language, {}))
            gone = sorted(set(cache.known(language)) - set(records))
            # Only what differs: merging the same bundles again leaves the file as it was.
            changed = {
                slug: article
                for slug, article in records.items()
                if (kept := cache.get(language, slug)) is None or kept.to_json() != article.to_json()
            }
            if gone or changed:
                with cache.batch():  # the shards' records are the run's
                    cache.drop(language, gone)
                    for slug, article in changed.items():
                        cache.put(language, slug, article)
            finish_language(project, language, slugs, collect((s, records[s]) for s in slugs if s in records), summary)
    for failure in (f for r in records_of for f in r.failures):
        error = MachineTranslationFailed(failure.message, path=failure.path, hint=failure.hint)
        error.saved, error.unsent, error.cause_hint = failure.saved, failure.unsent, failure.cause_hint
        summary.failures.append(error)
    summary.processed = sum(r.processed for r in records_of)
    summary.skipped = sum(r.skipped for r in records_of)
    return summary


def _check_complete(project: Project, records: Sequence[ShardRecord], shown: Sequence[str], slugs: Sequence[str]) -> None:
    counts = {record.count for record in records}
    if len(counts) != 1:
        raise InputError(
            f"bundles of different splits ({', '.join(f'{r.number}/{r.count}' for r in records)})",
            path=shown[0], hint="give the bundles of one run",
        )
    (count,) = counts
    numbers = sorted(record.number for record in records)
    if numbers != list(range(1, count + 1)):
        missing = sorted(set(range(1, count + 1)) - set(numbers))
        twice = sorted({n for n in numbers if numbers.count(n) > 1})
        what = f"missing shard(s) {', '.join(map(str, missing))}" if missing else f"shard(s) {', '.join(map(str, twice))} given twice"
        raise InputError(f"{what} of {count}", path=shown[0], hint="give every shard's bundle once")
    config = config_digest(project)
    for record, where in zip(records, shown):
        if record.config != config:
            raise InputError(
                "the shard ran with another configuration", path=where, hint="run the shards and the merge on one commit"
            )
        if list(record.slugs) != list(slugs):
            raise InputError(
                "the shard ran over other articles", path=where, hint="run the shards and the merge on one commit"
            )
        if record.languages != records[0].languages:
            raise InputError(
                f"the shard ran for {', '.join(record.languages)}, shard {records[0].number} for"
                f" {', '.join(records[0].languages)}",
                path=where,
                hint="give every shard the same --lang",
            )


__all__ = ["merge_shards", "parse_shard", "run_shard"]
