"""The ``l10n`` commands that exchange files with CAT tools (XLIFF, TMX, TBX)."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.common import lang_option, project_of, report_outcome, slugs_argument
from pipeline.model import Outcome
from pipeline.store.project import Project


@click.command("export")
@slugs_argument
@lang_option
@click.option("--format", "fmt", type=click.Choice(["xliff", "tmx"]), required=True,
              help="xliff: one XLIFF 1.2 file per article and language; tmx: the translation memory (TMX 1.4).")
@click.option("--legacy", is_flag=True, help="With --format tmx: the aligned legacy pairs, with their confidence.")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write to (default: output/exchange); files go to <folder>/<lang>/.")
@click.pass_context
def export_command(
    ctx: click.Context, slugs: tuple[str, ...], lang: str | None, fmt: str, legacy: bool, output: Path | None
) -> None:
    """Export for CAT tools: XLIFF per article, or the memory (or legacy pairs) as TMX."""
    from pipeline.commands.exchange import export_tmx, export_xliff

    if legacy and fmt != "tmx":
        raise click.BadParameter("--legacy goes with --format tmx", param_hint="--legacy")
    project = project_of(ctx)
    if fmt == "xliff":
        outcome = export_xliff(project, list(slugs) or None, lang, output=output)
    else:
        outcome = export_tmx(project, list(slugs) or None, lang, legacy=legacy, output=output)
    report_outcome(ctx, project, outcome)


@click.command("import-xliff")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--overwrite", is_flag=True, help="Take the XLIFF's translation even where the PO's changed too.")
@click.pass_context
def import_xliff_command(ctx: click.Context, files: tuple[Path, ...], overwrite: bool) -> None:
    """Take translated XLIFF files back into the PO files; a translator's msgstr is
    never replaced unless --overwrite (conflicts are listed, exit 1)."""
    from pipeline.commands.exchange import import_xliff

    project = project_of(ctx)
    _finish(ctx, project, import_xliff(project, list(files), overwrite=overwrite))


@click.command("import-tmx")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", required=True, help="Target language of the units to take.")
@click.pass_context
def import_tmx_command(ctx: click.Context, file: Path, lang: str) -> None:
    """Add a TMX memory's units to locales/<lang>/memory.tmx (part of the translation memory)."""
    from pipeline.commands.exchange import import_tmx

    project = project_of(ctx)
    report_outcome(ctx, project, import_tmx(project, file, lang))


@click.command("import-tbx")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--overwrite", is_flag=True, help="Take the file's target term where the glossary has another.")
@click.pass_context
def import_tbx_command(ctx: click.Context, file: Path, overwrite: bool) -> None:
    """Merge a TBX-Basic glossary into locales/glossary.tbx (used by DeepL and the terminology check)."""
    from pipeline.commands.exchange import import_tbx

    project = project_of(ctx)
    _finish(ctx, project, import_tbx(project, file, overwrite=overwrite))


def _finish(ctx: click.Context, project: Project, outcome: Outcome) -> None:
    """Report ``outcome``; its failure (conflicts kept, exit 1) comes last."""
    report_outcome(ctx, project, outcome)
    if outcome.failure is not None:
        raise outcome.failure


COMMANDS = (export_command, import_xliff_command, import_tmx_command, import_tbx_command)
