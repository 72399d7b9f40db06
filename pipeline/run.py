"""The main job, ``l10n run``: every stage over every article.

extract -> align legacy pairs -> update (create or merge every PO) -> pre-translate
(memory, and DeepL when asked and a key is set) -> check -> build -> report.
Each stage writes only what changed, so a second run on unchanged input writes
nothing. Progress goes to a callback; this module never prints.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

from .catalog_ops import align_legacy, extract, update
from .check_report import ArticleResult
from .pretranslate_ops import pretranslate
from .project import Outcome, Project
from .publish import BuildReport, build_project, check_project, languages, report_project

#: stage name, detail (e.g. "cs/slug"), or "" when a stage starts.
RunProgress = Callable[[str, str], None]

STAGES = ("extract", "align", "update", "pretranslate", "check", "build", "report")


def _quiet_progress(_stage: str, _detail: str) -> None:
    return None


@dataclass
class RunSummary:
    """What the main job did and found."""

    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    messages: list[str] = field(default_factory=list)
    checks: list[ArticleResult] = field(default_factory=list)
    builds: list[BuildReport] = field(default_factory=list)
    reports: list[Path] = field(default_factory=list)

    def absorb(self, outcome: Outcome) -> None:
        self.written.extend(outcome.written)
        self.unchanged += len(outcome.unchanged)
        self.messages.extend(outcome.messages)

    @property
    def ok(self) -> bool:
        return all(r.errors == 0 for r in self.checks) and all(b.ok for b in self.builds)


def run_all(
    project: Project,
    *,
    lang: str | None = None,
    mt: str | None = None,
    threshold: float = 80.0,
    env: Mapping[str, str] = os.environ,
    progress: RunProgress = _quiet_progress,
) -> RunSummary:
    """Run every stage on every article of ``project`` for ``lang`` (or all languages)."""
    summary = RunSummary()
    slugs: Sequence[str] | None = None
    progress("extract", "")
    summary.absorb(extract(project, slugs))
    for language in languages(project, lang):
        progress("align", language)
        summary.absorb(align_legacy(project, slugs, language))
        progress("update", language)
        summary.absorb(update(project, slugs, language))
        progress("pretranslate", language)
        use_mt = mt if mt and env.get("DEEPL_AUTH_KEY") else None
        if mt and not use_mt:
            summary.messages.append(f"{language}: DEEPL_AUTH_KEY is not set; machine translation skipped")
        summary.absorb(pretranslate(project, slugs, language, use_tm=True, mt=use_mt, env=env))
        progress("check", language)
        summary.checks.extend(
            check_project(project, slugs, language, progress=lambda d: progress("check", d))
        )
        progress("build", language)
        build = build_project(project, slugs, language, threshold=threshold, progress=lambda d: progress("build", d))
        summary.builds.append(build)
        summary.written.extend(build.written)
        summary.unchanged += len(build.unchanged)
        progress("report", language)
        for _, _, written, unchanged in report_project(project, slugs, language, progress=lambda d: progress("report", d)):
            summary.written.extend(written)
            summary.unchanged += len(unchanged)
            summary.reports.append(project.output_dir / "reports" / language / "index.html")
    return summary
