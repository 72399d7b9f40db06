"""The table ``l10n run`` ends with: per article and language, the state of the
translation and whether it was built; then where the outputs are."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipeline.commands.run import RunSummary
from pipeline.store.project import Project

#: Rows of the summary table; longer runs show the articles with most errors.
MAX_ROWS = 40


def render_run_summary(project: Project, summary: RunSummary, *, color: bool = False, width: int = 120) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system="standard" if color else None, highlight=False, emoji=False)
    built = summary.build_states
    table = Table(title="l10n run")
    for name in ("article", "lang", "total", "translated", "fuzzy", "missing", "%", "errors", "warnings", "output"):
        if name == "article":
            table.add_column(name, overflow="fold", min_width=24)
        else:
            table.add_column(name, justify="right" if name not in ("lang", "output") else "left")
    # A long table helps nobody: the articles that need work first, then a count.
    rows = sorted(summary.checks, key=lambda r: (-r.errors, r.percent, r.slug)) if len(summary.checks) > MAX_ROWS else summary.checks
    for r in rows[:MAX_ROWS]:
        table.add_row(
            escape(r.slug), escape(r.lang), str(r.total), str(r.translated), str(r.fuzzy), str(r.missing),
            f"{r.percent:.0f}", str(r.errors), str(r.warnings), built.get((r.lang, r.slug), "—"),
        )
    console.print(table)
    if len(summary.checks) > MAX_ROWS:
        errors = sum(1 for r in summary.checks if r.errors)
        console.print(
            f"{len(summary.checks) - MAX_ROWS} more article(s) not shown; {errors} of {len(summary.checks)} have errors"
            " (`l10n status` lists them all)"
        )
    languages = sorted({r.lang for r in summary.checks})
    # Paths are the user's: "[draft]" in a folder name is not console markup.
    console.print(f"PO files:  {escape(project.display(project.locales_dir))}/<lang>/LC_MESSAGES/")
    for lang in languages:
        console.print(f"articles:  {escape(project.display(project.output_dir / lang))}/ (index.html)")
        console.print(f"report:    {escape(project.display(project.output_dir / 'reports' / lang / 'index.html'))}")
    skipped = f", {summary.skipped} article(s) unchanged since the last run" if summary.skipped else ""
    console.print(f"{summary.written} file(s) written, {summary.unchanged} unchanged{skipped}")
    return buffer.getvalue()
