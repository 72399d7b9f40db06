"""The ``l10n`` command: parse options, call one core function, report.

Errors from the library (:class:`PipelineError`) become one line on stderr,
``error: FILE:LINE: message (what to do)``, and exit code 2 (input) or 1
(problems found); no traceback ever reaches the user.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from .config import load_config
from .errors import PipelineError
from .project import Project, import_article, render_sources


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PipelineError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("error: interrupted", err=True)
            ctx.exit(130)


def _project(ctx: click.Context) -> Project:
    obj: Project | None = ctx.obj
    if obj is None:
        root = Path(ctx.find_root().params.get("root") or ".")
        obj = Project(root=root, config=load_config(root))
        ctx.obj = obj
    return obj


def _parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


@click.group(cls=_Group)
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The content folder (with source/, locales/, output/ and its configuration).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors and the summary.")
@click.version_option(package_name="l10n-pipeline")
@click.pass_context
def cli(ctx: click.Context, root: Path, quiet: bool) -> None:
    """Align, translate, check and build localized articles with gettext PO files."""
    ctx.ensure_object(dict)
    ctx.obj = None
    if not root.is_dir():
        raise PipelineError("the root folder does not exist", path=str(root), hint="pass an existing --root")


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", required=True, help="Language of the article (en, cs, ...).")
@click.option("--slug", help="File name under source/<lang>/ (default: from the title).")
@click.option("--title", help="The article's title, when the text has none.")
@click.option("--date", callback=_parse_date, help="Publication date, YYYY-MM-DD.")
@click.option("--force", is_flag=True, help="Overwrite an existing, different article.")
@click.pass_context
def import_command(
    ctx: click.Context,
    file: Path,
    lang: str,
    slug: str | None,
    title: str | None,
    date: dt.date | None,
    force: bool,
) -> None:
    """Turn a scraped text article into source/<lang>/<slug>.md with front matter."""
    project = _project(ctx)
    path, changed = import_article(project, file, lang=lang, slug=slug, title=title, date=date, force=force)
    state = "wrote" if changed else "unchanged"
    click.echo(f"{state} {project.display(path)}")


@cli.command("run")
@click.pass_context
def run_command(ctx: click.Context) -> None:
    """The main job: run every stage on every article of the project."""
    project = _project(ctx)
    outcome = render_sources(project)
    quiet = ctx.find_root().params.get("quiet", False)
    if not quiet:
        for path in outcome.written:
            click.echo(f"wrote {project.display(path)}")
    click.echo(
        f"{len(outcome.written) + len(outcome.unchanged)} files in {project.display(project.output_dir)}/"
        f" ({len(outcome.written)} written, {len(outcome.unchanged)} unchanged)"
    )


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="l10n")


if __name__ == "__main__":  # pragma: no cover
    main()
