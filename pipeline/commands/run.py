"""The main job, ``l10n run``: every stage over every article.

extract -> align legacy pairs -> update (create or merge every PO) -> pre-translate
(memory, and DeepL when asked: a key must be set) -> check -> build -> report.
When DeepL fails, what it translated is kept and the run does its other stages;
the summary carries the failure (the command then exits 1) and the articles are
not recorded as done, so the next run asks DeepL again.

Articles are independent except through the translation memory, so the work runs
in two phases: phase one extracts, aligns and updates; phase two pre-translates,
checks, builds and reports. With ``jobs`` > 1 each worker process takes a slice
of the articles through both phases, waiting at a barrier in between. Output does
not depend on the number of jobs: each article's files depend only on its inputs
and on the memory, which holds only reviewed (non-fuzzy) translations and so is
not changed by phase two.

Runs are incremental: each article's inputs (source, legacy translation, PO,
addenda, template, configuration, pipeline version) are hashed into a key kept in
``.l10n-cache/run.sqlite3`` with what the summary and the index pages need
(read and written an article at a time, see :class:`RunCache`). An
article whose key is unchanged and whose outputs exist is skipped. An article that
still has empty entries also depends on the memory, so its key includes a hash of
every catalog of the language.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from pipeline.align.langid import warm_up
from pipeline.build.article import Listing
from pipeline.check.report import ArticleResult
from pipeline.commands.build import BuildReport, build_project, structure_fallbacks
from pipeline.commands.catalogs import (
    made_confidences,
    prepare_catalogs,
    reviewed_if_update_keeps,
)
from pipeline.commands.check import check_project
from pipeline.commands.pretranslate import (
    memory_folder,
    memory_key,
    memory_of,
    pretranslate,
)
from pipeline.commands.report import report_project
from pipeline.commands.run_end import RunSummary as RunSummary
from pipeline.commands.run_end import Told, collect, finish_language
from pipeline.commands.workers import deal, run_in_workers
from pipeline.config import Tuning
from pipeline.errors import MachineTranslationFailed
from pipeline.model import BuildState, Outcome, build_label
from pipeline.mt.deepl import auth_key
from pipeline.report.review import ReviewSummary
from pipeline.store import fs
from pipeline.store.memory_store import MemoryStore, store_file
from pipeline.store.project import Project, languages
from pipeline.store.run_cache import (
    ArticleRecord,
    RunCache,
    alignment_pair,
    article_key,
    config_bytes,
    open_cache,
    outputs_exist,
    run_lock,
    summarised,
)

#: (K, N): shard K (counted from 1) of N; see :func:`in_shard`.
Shard = tuple[int, int]


def in_shard(slug: str, shard: Shard) -> bool:
    """Whether shard K of N takes ``slug``: by a hash of the slug alone, so every
    machine deals alike and a new article moves no other to another shard."""
    number, count = shard
    return int.from_bytes(hashlib.sha256(slug.encode()).digest()[:8], "big") % count == number - 1


#: (stage, articles done, articles in the stage; 0 when not counted).
RunProgress = Callable[[str, int, int], None]


def _quiet_progress(_stage: str, _done: int, _total: int) -> None:
    return None


@dataclass
class _Portion:
    """What phase two sends on as soon as a portion of articles is done: figures
    and records, never pages (they are written), so that neither a worker nor its
    answer grows with the corpus."""

    told: Told
    #: Check results with their findings counted (see :func:`summarised`).
    checks: list[ArticleResult]
    reviews: list[ReviewSummary]
    listing: list[Listing]
    #: slug -> "built", "below threshold (N%)", "stale" or "failed".
    build_states: dict[str, str]
    #: slug -> why its build failed, for the articles whose state is "failed".
    why: dict[str, str]
    #: slug -> the article's :func:`article_key` (with has-empty), its files final.
    keys: dict[str, tuple[str, bool]]
    #: (lang, slug) -> (the pair's key, confidences) of the legacy alignments the
    #: worker made since its last portion, for the run cache (see
    #: :func:`pipeline.commands.report.report_project`).
    aligned: dict[tuple[str, str], tuple[bytes, tuple[float, ...]]]


@dataclass
class _PhaseTwo:
    """What phase two says once every portion is sent: the memory it used (see
    :func:`memory_key`), what machine translation said, and how it failed."""

    memory: str
    told: Told
    failure: MachineTranslationFailed | None = None


#: Receives each portion phase two finishes.
Deliver = Callable[[_Portion], None]


def _phase_one(
    project: Project,
    lang: str,
    slugs: list[str],
    legacy: list[str],
    tuning: Tuning,
    before_write: Callable[[], None] | None = None,
    second: frozenset[str] | None = None,
) -> Outcome:
    # What phase one writes goes into the memory's store as it is written: phase
    # two's memory then need not parse a catalog again, nor hold them all at once.
    folder = memory_folder(project)
    shown = project.display(store_file(folder, lang))
    with MemoryStore(folder, lang, shown, busy_seconds=tuning.busy_seconds) as store:
        if second is not None:
            # A shard needs other shards' articles only for what their catalogs give
            # the memory: where the committed catalog already holds what update would
            # leave in it, that goes to the store as it is (the article's own shard
            # does the rest).
            todo = []
            for slug in slugs:
                taken = None if slug in second else reviewed_if_update_keeps(project, slug, lang)
                if taken is None:
                    todo.append(slug)
                else:
                    store.stage([taken])
            kept = set(todo)
            slugs, legacy = todo, [slug for slug in legacy if slug in kept]
        outcome = prepare_catalogs(
            project, slugs, lang, set(legacy), before_write=before_write, remember=store.stage,
            remember_batch=tuning.remember_batch,
        )
        store.keep_staged()  # the files are written: what they hold may be kept
        return outcome


def _phase_two(
    project: Project,
    lang: str,
    slugs: list[str],
    mt: str | None,
    threshold: float,
    env: dict[str, str],
    config: bytes,
    deliver: Deliver,
    tuning: Tuning,
    progress: RunProgress = _quiet_progress,
) -> _PhaseTwo:
    # After phase one everywhere: the same for every portion, and for every worker.
    memory, memory_digest = memory_of(project, lang, busy_seconds=tuning.busy_seconds)
    with memory:
        told = Told()
        failure = None
        if mt is not None:
            # Machine translation in one go: one client, batches packed across all
            # articles, one summary line (the network, not the parsing, is its cost).
            progress("pretranslate", 0, len(slugs))
            outcome = pretranslate(project, slugs, lang, use_tm=True, mt=mt, env=env, memory=memory, tuning=tuning)
            failure = outcome.failure if isinstance(outcome.failure, MachineTranslationFailed) else None
            told = Told.of(outcome)
        # Last portion first: the articles phase one parsed last are still cached.
        size = max(1, tuning.portion)
        starts = list(range(0, len(slugs), size))
        for number, start in enumerate(reversed(starts)):
            portion = slugs[start : start + size]
            progress("pretranslate, check, build, report", number * size, len(slugs))
            filled = pretranslate(project, portion, lang, use_tm=True, env=env, memory=memory) if mt is None else Outcome()
            results = check_project(project, portion, lang)
            built = build_project(project, portion, lang, threshold=threshold, write_index=False)
            reported = report_project(
                project, portion, lang, write_index=False, results=results, built=built.built, keep=False
            )
            # Each article's key, now that its files are final: the parent would otherwise
            # read every article's files again, alone, while the workers sit idle. Phase two
            # writes no reviewed translation, so the memory is still ``memory_digest``.
            keys = {slug: article_key(project, lang, slug, config, memory_digest, mt, threshold) for slug in portion}
            if failure is not None:
                keys = _not_done(keys)
            deliver(_portion_of(filled, results, built, reported, keys, made_confidences(project)))
        progress("pretranslate, check, build, report", len(slugs), len(slugs))
        return _PhaseTwo(memory_digest, told, failure)


def _not_done(keys: dict[str, tuple[str, bool]]) -> dict[str, tuple[str, bool]]:
    """``keys`` of articles whose machine translation failed: no article's key is
    "", so the next run takes them again (and asks DeepL for the rest)."""
    return {slug: ("", has_empty) for slug, (_key, has_empty) in keys.items()}


def _portion_of(
    filled: Outcome,
    results: list[ArticleResult],
    built: BuildReport,
    reported: list[tuple[str, list[ReviewSummary], list[Path], list[Path]]],
    keys: dict[str, tuple[str, bool]],
    aligned: dict[tuple[str, str], tuple[bytes, tuple[float, ...]]],
) -> _Portion:
    states = {article.slug: build_label(BuildState.BUILT) for article in built.built}
    states.update({slug: build_label(BuildState.BELOW_THRESHOLD, percent) for _, slug, percent in built.below_threshold})
    states.update({slug: build_label(BuildState.STALE) for _, slug, _message in built.stale})
    states.update({slug: build_label(BuildState.FAILED) for _, slug, _error in built.failed})
    told = Told(
        list(filled.messages) + structure_fallbacks(built),
        len(filled.written) + len(built.written) + sum(len(done) for _, _, done, _ in reported),
        len(filled.unchanged) + len(built.unchanged) + sum(len(same) for _, _, _, same in reported),
    )
    reviews = [summary for _, summaries, _, _ in reported for summary in summaries]
    listing = [entry for _, entry in built.listing]
    why = {slug: str(error) for _, slug, error in built.failed}
    return _Portion(told, [summarised(result) for result in results], reviews, listing, states, why, keys, aligned)


_Phases = tuple[Told, _PhaseTwo]


@dataclass(frozen=True)
class _BothPhases:
    """What each worker of a parallel run does with its slice of the articles."""

    project: Project
    language: str
    legacy: frozenset[str]
    mt: str | None
    threshold: float
    env: dict[str, str]
    config: bytes
    tuning: Tuning
    #: The articles phase two takes (None: all); see ``shard`` in :func:`run_all`.
    second: frozenset[str] | None = None

    def __call__(self, chunk: list[str], barrier: Any, send: Deliver) -> _Phases:
        try:
            # Every worker has read its inputs before any writes: a bad file anywhere
            # stops the run with nothing written, as with one process.
            first = _phase_one(
                self.project, self.language, chunk, [s for s in chunk if s in self.legacy], self.tuning,
                before_write=barrier.wait, second=self.second,
            )
        except BaseException:
            barrier.abort()
            raise
        # The memory must see every article's phase one before any phase two.
        barrier.wait()
        mine = chunk if self.second is None else [slug for slug in chunk if slug in self.second]
        second = _phase_two(
            self.project, self.language, mine, self.mt, self.threshold, self.env, self.config, send, self.tuning
        )
        return _told_of(first, self.second), second


def _told_of(outcome: Outcome, second: frozenset[str] | None) -> Told:
    """What phase one said; in a shard (``second``: its articles) its files counted
    only for the shard's own articles, as the single run counts them once over all
    shards (each of an article's files is named after its slug)."""
    if second is None:
        return Told.of(outcome)
    return Told(
        list(outcome.messages),
        sum(path.stem in second for path in outcome.written),
        sum(path.stem in second for path in outcome.unchanged),
    )


def run_all(
    project: Project,
    *,
    lang: str | None = None,
    mt: str | None = None,
    threshold: float = 80.0,
    jobs: int | None = None,
    incremental: bool = True,
    env: Mapping[str, str] = os.environ,
    progress: RunProgress = _quiet_progress,
    tuning: Tuning = Tuning(),
    shard: Shard | None = None,
) -> RunSummary:
    """Run every stage on every article of ``project`` for ``lang`` (or all languages).

    ``mt`` needs ``DEEPL_AUTH_KEY`` in ``env`` (InputError before anything is
    done). A failure of DeepL does not stop the run: see ``RunSummary.failure``.

    ``shard`` (K, N): only the articles :func:`in_shard` deals to shard K of N go
    through phase two (pre-translate, check, build, report); every article goes
    through phase one, because the memory each article is pre-translated from is
    every catalog's, as one run would leave it (but for other shards' articles
    whose catalogs phase one would leave as they are: see :func:`_phase_one`). The index pages, and the pages of
    articles gone from source/, are left to :func:`pipeline.commands.shards.merge_shards`;
    the summary holds the shard's articles only."""
    jobs = jobs or os.cpu_count() or 1
    mt = mt or None
    if mt is not None:  # a usage error, before anything (the lock's folder included) is made
        auth_key(env, "or run without --mt")
    with run_lock(project, tuning.busy_seconds):
        summary = RunSummary()
        for language in languages(project, lang):
            # A run killed outright (no cleanup possible) leaves its staged files.
            for folder in (
                project.locales_dir / language / "LC_MESSAGES",
                project.locales_dir / language / "addenda",
                project.locales_dir / "templates",
                project.output_dir / language,
                project.output_dir / "reports" / language,
            ):
                fs.remove_stale_temporaries(folder)
        slugs = project.all_slugs()
        mine = slugs if shard is None else [slug for slug in slugs if in_shard(slug, shard)]
        second = None if shard is None else frozenset(mine)
        config = config_bytes(project)
        env_copy = dict(env)
        with open_cache(project, busy_seconds=tuning.busy_seconds) as cache:
            if not incremental:
                cache.clear()
            for language in languages(project, lang):
                _run_language(
                    project, language, slugs, mine, second, cache, mt, threshold, env_copy, config, jobs, summary,
                    progress, tuning,
                )
        return summary


def _run_language(
    project: Project,
    language: str,
    slugs: list[str],
    mine: list[str],
    second: frozenset[str] | None,
    cache: RunCache,
    mt: str | None,
    threshold: float,
    env: dict[str, str],
    config: bytes,
    jobs: int,
    summary: RunSummary,
    progress: RunProgress,
    tuning: Tuning,
) -> None:
    known = cache.known(language)
    cache.drop(language, sorted(set(known) - set(slugs)))
    done: set[str] = set()
    # A pass can add reviewed translations (from legacy files) to the memory,
    # which articles with empty entries depend on: repeat for those, a few times.
    memory = memory_key(project, language)
    fresh: Mapping[str, tuple[str, bool]] = {}  # keys the last pass made against ``memory``
    for _attempt in range(2):
        for _ in range(3):
            todo = [
                slug
                for slug in slugs
                if slug not in known
                or slug not in fresh
                and known[slug].key != article_key(project, language, slug, config, memory, mt, threshold)[0]
                or not outputs_exist(project, language, slug, known[slug])
            ]
            if second is not None:  # another shard's article: its phase one, once
                todo = [slug for slug in todo if slug in second or slug not in done]
            if not todo:
                break
            failures = len(summary.failures)
            memory, fresh = _process(
                project, language, todo, mt, threshold, env, config, jobs, summary, cache, progress, tuning, second
            )
            done.update(todo)
            known = cache.known(language)
            if len(summary.failures) > failures:
                break  # DeepL failed: another pass would only ask it again
        # Every record is read, one at a time (the index pages list every article);
        # one that does not read back is dropped and its article processed again.
        collected = collect(cache.records(language, mine))
        unreadable = set(known) & set(mine) - collected.slugs
        if not unreadable:
            break
        cache.drop(language, sorted(unreadable))
        known = cache.known(language)
    if second is None:
        finish_language(project, language, slugs, collected, summary, progress)
    else:
        _keep_messages(summary, second)
        summary.checks.extend(collected.checks)
        summary.build_states.update({(language, slug): build for slug, build in collected.builds.items()})
    done &= set(mine)
    summary.processed += len(done)
    summary.skipped += len(mine) - len(done)


_NAMED_FILE = re.compile(r"([^/\s:]+)\.(?:po|pot|md|json)\b")


def _keep_messages(summary: RunSummary, slugs: frozenset[str]) -> None:
    """Keep only the messages about ``slugs`` (a shard's phase one speaks of every article)."""
    messages: list[str] = []
    blocks: list[int] = []
    start = 0
    for size in summary.blocks:
        kept = [m for m in summary.messages[start : start + size] if _named_slug(m) in slugs]
        messages.extend(kept)
        blocks.append(len(kept))
        start += size
    summary.messages, summary.blocks = messages, blocks


def _named_slug(text: str) -> str | None:
    """The article a message is about: the slug of the first file it names."""
    match = _NAMED_FILE.search(text)
    return match.group(1) if match else None


def in_article_order(messages: Sequence[str], todo: Sequence[str]) -> list[str]:
    """``messages`` of the workers (or of portions done in another order) in article
    order, as a single process going through ``todo`` says them."""
    position = {slug: index for index, slug in enumerate(todo)}

    def rank(text: str) -> int:
        slug = _named_slug(text)
        return position.get(slug, len(position)) if slug is not None else len(position)

    return sorted(messages, key=rank)


def _merged(parts: Sequence[Told], todo: Sequence[str], more: Sequence[str] = ()) -> Told:
    """What the workers said as one, messages in article order."""
    messages = in_article_order([m for part in parts for m in part.messages] + list(more), todo)
    return Told(messages, sum(part.written for part in parts), sum(part.unchanged for part in parts))


def _process(
    project: Project,
    language: str,
    todo: list[str],
    mt: str | None,
    threshold: float,
    env: dict[str, str],
    config: bytes,
    jobs: int,
    summary: RunSummary,
    cache: RunCache,
    progress: RunProgress,
    tuning: Tuning,
    second: frozenset[str] | None = None,
) -> tuple[str, dict[str, tuple[str, bool]]]:
    """Take ``todo`` through both phases (phase two: those in ``second``, all when
    None); return the memory's key afterwards and each article's key against it."""
    # A legacy translation bootstraps an article's PO once; after that the PO is
    # the translators' and `update` follows the source (an English paragraph
    # deleted later must not come back from the legacy file).
    legacy = {
        slug
        for slug in todo
        if project.article_path(language, slug).is_file() and not project.catalog_path(language, slug).exists()
    }
    progress(f"{language}: reading", 0, len(todo))
    said: list[str] = []  # by the portions, in the order they came
    fresh: dict[str, tuple[str, bool]] = {}

    def take(portion: _Portion) -> None:
        # Folded in as it comes: nothing holds a portion once it is recorded.
        summary.written += portion.told.written
        summary.unchanged += portion.told.unchanged
        said.extend(portion.told.messages)
        checks = {result.slug: result for result in portion.checks}
        reviews = {review.slug: review for review in portion.reviews}
        listing = {entry[0]: entry for entry in portion.listing}
        with cache.batch():  # each article's record read, updated and written
            for slug, (key, has_empty) in portion.keys.items():
                record = cache.get(language, slug) or ArticleRecord()
                record.check = checks.get(slug, record.check)
                record.review = reviews.get(slug, record.review)
                record.listing = listing.get(slug, record.listing)
                if slug in portion.build_states:
                    record.build = portion.build_states[slug]
                    record.why = portion.why.get(slug, "")
                record.key, record.has_empty = key, has_empty
                cache.put(language, slug, record)
            by_lang: dict[str, dict[str, tuple[str, tuple[float, ...]]]] = {}
            for (lang, slug), (pair, values) in portion.aligned.items():
                by_lang.setdefault(lang, {})[slug] = (alignment_pair(pair, config), values)
            for lang, made in by_lang.items():
                cache.keep_confidences(lang, made)
        fresh.update(portion.keys)

    if jobs > 1 and len(todo) >= tuning.min_parallel:
        progress(f"{language}: every stage, {jobs} processes", 0, 0)
        warm_up(project.config.source_lang, [language])  # before forking: each worker would load the models again
        if legacy:  # and the aligner, which each worker would import again
            importlib.import_module("pipeline.align.aligner")
        # Each worker takes one slice of the articles through both phases, so what it
        # parsed and aligned in phase one serves its phase two; a barrier between the
        # phases keeps the memory complete.
        work = _BothPhases(project, language, frozenset(legacy), mt, threshold, env, config, tuning, second)
        phases = run_in_workers(work, deal(todo, jobs), deliver=take, barrier=True, tuning=tuning)
    else:
        progress(f"{language}: extract, align, update", 0, len(todo))
        first = _told_of(_phase_one(project, language, todo, sorted(legacy), tuning, second=second), second)
        last = _phase_two(
            project, language, todo if second is None else [s for s in todo if s in second], mt, threshold, env,
            config, take, tuning, lambda s, d, t: progress(f"{language}: {s}", d, t),
        )
        phases = [(first, last)]
    seconds = [part for _, part in phases]
    summary.absorb(_merged([first for first, _ in phases], todo))
    summary.absorb(_merged([part.told for part in seconds], todo, said))
    summary.failures.extend(part.failure for part in seconds if part.failure is not None)
    memories = {part.memory for part in seconds}
    todo = todo if second is None else [slug for slug in todo if slug in second]
    if len(memories) == 1:
        return memories.pop(), fresh
    # Workers that saw different memories mean a catalog changed under the run:
    # read them all again rather than trust either.
    memory = memory_key(project, language)
    keys = {slug: article_key(project, language, slug, config, memory, mt, threshold) for slug in todo}
    if any(part.failure is not None for part in seconds):
        keys = _not_done(keys)
    with cache.batch():
        for slug, (key, has_empty) in keys.items():
            record = cache.get(language, slug) or ArticleRecord()
            record.key, record.has_empty = key, has_empty
            cache.put(language, slug, record)
    return memory, keys
