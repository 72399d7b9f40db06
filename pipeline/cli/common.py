"""What the ``l10n`` commands share: the project of the invocation, the
common arguments and how an Outcome is reported."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.model import Outcome
from pipeline.store.project import Project, open_project

slugs_argument = click.argument("slugs", nargs=-1)
lang_option = click.option("--lang", help="Only this language (default: every language configured).")


def project_of(ctx: click.Context) -> Project:
    """The project of this invocation (``--root``), opened once."""
    obj: Project | None = ctx.obj
    if obj is None:
        root = Path(ctx.find_root().params.get("root") or ".")
        obj = open_project(root)
        ctx.obj = obj
    return obj


def is_quiet(ctx: click.Context) -> bool:
    return bool(ctx.find_root().params.get("quiet", False))


def report_outcome(ctx: click.Context, project: Project, outcome: Outcome) -> None:
    """The messages of ``outcome``, the files it wrote (unless quiet) and the counts."""
    for message in outcome.messages:
        click.echo(message)
    if not is_quiet(ctx):
        for path in outcome.written:
            click.echo(f"wrote {project.display(path)}")
    click.echo(f"{len(outcome.written)} file(s) written, {len(outcome.unchanged)} unchanged")
