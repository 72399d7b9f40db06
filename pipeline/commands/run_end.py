"""What ``l10n run`` (and ``l10n merge-shards``) says, and the end of a run: what
needs every article done. The records are read one at a time and only what the
index pages and the summary show is kept of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from pipeline.build.article import Listing
from pipeline.check.report import ArticleResult
from pipeline.commands.build import write_build_index
from pipeline.commands.report import write_review_index
from pipeline.errors import MachineTranslationFailed
from pipeline.model import BuildState, Outcome
from pipeline.report.review import ReviewSummary
from pipeline.store import fs
from pipeline.store.project import Project
from pipeline.store.run_cache import ArticleRecord


@dataclass
class RunSummary:
    """What the main job did and found."""

    #: Files written and left unchanged (counted: a run over thousands of
    #: articles need not hold every path).
    written: int = 0
    unchanged: int = 0
    messages: list[str] = field(default_factory=list)
    checks: list[ArticleResult] = field(default_factory=list)
    reports: list[Path] = field(default_factory=list)
    skipped: int = 0
    processed: int = 0
    #: (lang, slug) -> "built", "below threshold (N%)", "stale" or "failed".
    build_states: dict[tuple[str, str], str] = field(default_factory=dict)
    #: (lang, slug) -> why its build failed (the error as ``l10n build`` prints it),
    #: for every article whose state is "failed".
    build_failures: dict[tuple[str, str], str] = field(default_factory=dict)
    #: Failures of the machine translation asked for (everything else was done).
    failures: list[MachineTranslationFailed] = field(default_factory=list)
    #: How many of ``messages`` each stage said, in turn (a merge of shards puts
    #: the shards' messages of one stage together, in article order).
    blocks: list[int] = field(default_factory=list)
    #: A merge of shards: files it put in place from the bundles, and those it
    #: found already so (``written`` and ``unchanged`` count what the run did).
    installed: int = 0
    already_installed: int = 0

    @property
    def failure(self) -> MachineTranslationFailed | None:
        """The failure of the machine translation the command reports: the first
        one's cause, with the counts of every worker (and language) that failed."""
        if len(self.failures) <= 1:
            return self.failures[0] if self.failures else None
        first = self.failures[0]
        saved = sum(failure.saved for failure in self.failures)
        unsent = sum(failure.unsent for failure in self.failures)
        alike = all(failure.message == first.message for failure in self.failures)
        counts = (
            f"{len(self.failures)} processes failed{' alike' if alike else ' (the first shown)'}: {saved} texts"
            f" translated before the failure are saved, {unsent} not sent"
        )
        hint = f"{first.cause_hint}; {counts}" if first.cause_hint else counts
        combined = MachineTranslationFailed(first.message, path=first.path, line=first.line, hint=hint)
        combined.cause_hint, combined.saved, combined.unsent = first.cause_hint, saved, unsent
        return combined

    def absorb(self, told: Told) -> None:
        self.written += told.written
        self.unchanged += told.unchanged
        self.messages.extend(told.messages)
        self.blocks.append(len(told.messages))

    @property
    def ok(self) -> bool:
        return all(r.errors == 0 for r in self.checks) and all(v == BuildState.BUILT for v in self.build_states.values())


@dataclass
class Told:
    """What a stage said: its messages, and how many files it wrote or left as
    they were."""

    messages: list[str] = field(default_factory=list)
    written: int = 0
    unchanged: int = 0

    @classmethod
    def of(cls, outcome: Outcome) -> Told:
        return cls(list(outcome.messages), len(outcome.written), len(outcome.unchanged))


def _quiet_progress(_stage: str, _done: int, _total: int) -> None:
    return None


@dataclass
class Collected:
    """What the end of a run needs of every article's record, gathered while the
    records are read one at a time (the records themselves are not kept)."""

    slugs: set[str] = field(default_factory=set)
    listing: list[Listing] = field(default_factory=list)
    reviews: list[ReviewSummary] = field(default_factory=list)
    checks: list[ArticleResult] = field(default_factory=list)
    builds: dict[str, str] = field(default_factory=dict)
    #: slug -> why its build failed (kept in the record, so a run that skips an
    #: unchanged failed article still says why).
    failures: dict[str, str] = field(default_factory=dict)


def collect(records: Iterable[tuple[str, ArticleRecord]]) -> Collected:
    """The parts of ``records`` (in article order) the index pages and the summary need."""
    collected = Collected()
    for slug, record in records:
        collected.slugs.add(slug)
        if record.listing is not None:
            collected.listing.append(record.listing)
        if record.review is not None:
            collected.reviews.append(record.review)
        if record.check is not None:
            collected.checks.append(record.check)
        collected.builds[slug] = record.build
        if record.why:
            collected.failures[slug] = record.why
    return collected


def finish_language(
    project: Project,
    language: str,
    slugs: Sequence[str],
    collected: Collected,
    summary: RunSummary,
    progress: Callable[[str, int, int], None] = _quiet_progress,
) -> None:
    """What needs every article of ``language`` done: the pages of articles gone
    from source/ removed, the index pages, and the summary's tables."""
    # Pages of articles gone from source/ go too (their PO files stay, as the
    # translators' work); decided from output/ itself, cache or not, and only
    # once the articles are done (a broken input stops the run with no change).
    present = set(slugs)
    for folder, suffixes in ((project.output_dir / language, (".md", ".html")), (project.output_dir / "reports" / language, (".html",))):
        for path in fs.list_files(folder, suffixes, recursive=False):
            if path.stem not in present and path.stem != "index" and fs.remove(path):
                summary.written += 1
    progress(f"{language}: index pages", 0, 0)
    index = project.output_dir / language / "index.html"
    summary_record(summary, index, write_build_index(project, language, collected.listing))
    reports = project.output_dir / "reports" / language / "index.html"
    summary_record(summary, reports, write_review_index(project, language, collected.reviews))
    summary.reports.append(reports)
    summary.checks.extend(collected.checks)
    summary.build_states.update({(language, slug): build for slug, build in collected.builds.items()})
    summary.build_failures.update({(language, slug): why for slug, why in collected.failures.items()})


def summary_record(summary: RunSummary, path: Path, changed: bool) -> None:
    if changed:
        summary.written += 1
    else:
        summary.unchanged += 1
