"""``l10n build --jobs N`` and ``l10n extract --jobs N``: workers make the
files, the parent writes them; the files, the report and its order are those
of the command in one process."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli.main import cli
from pipeline.commands.build import BuildReport, build_project
from pipeline.commands.catalogs import extract
from pipeline.commands.run import run_all
from pipeline.config import Tuning
from pipeline.errors import InputError
from pipeline.store.project import Project, load_config

PARALLEL = Tuning(min_parallel=1)


def _project(root: Path) -> Project:
    return Project(root=root, config=load_config(root))


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "output").rglob("*")) if p.is_file()}


def _summary(report: BuildReport) -> tuple[object, ...]:
    return (
        [(b.slug, b.lang, b.markdown, b.translated, b.total, b.fallbacks) for b in report.built],
        report.written,
        report.unchanged,
        report.below_threshold,
        report.stale,
        [(lang, slug, str(error)) for lang, slug, error in report.failed],
        report.listing,
    )


@pytest.fixture
def built_once(project_root: Path) -> Path:
    run_all(_project(project_root), jobs=1, threshold=0)
    return project_root


@pytest.mark.parametrize("threshold", [0.0, 50.0])
def test_parallel_build_writes_and_reports_what_one_process_does(built_once: Path, threshold: float) -> None:
    shutil.rmtree(built_once / "output")
    serial = build_project(_project(built_once), threshold=threshold, jobs=1)
    serial_files = _files(built_once)
    assert serial.written and serial_files
    shutil.rmtree(built_once / "output")
    parallel = build_project(_project(built_once), threshold=threshold, jobs=2, tuning=PARALLEL)
    assert _files(built_once) == serial_files
    assert _summary(parallel) == _summary(serial)
    # Run again: nothing changes, and both say so alike.
    again = build_project(_project(built_once), threshold=threshold, jobs=2, tuning=PARALLEL)
    assert not again.written and again.unchanged == serial.written
    assert _files(built_once) == serial_files
    # The pages are rendered in the workers, and the page of an article still renders here.
    assert all(b.html.startswith("<!DOCTYPE html>") for b in parallel.built)


def test_parallel_build_removes_an_older_build_below_the_threshold(built_once: Path) -> None:
    build_project(_project(built_once), threshold=0, jobs=2, tuning=PARALLEL)
    everything = _files(built_once)
    report = build_project(_project(built_once), threshold=100, jobs=2, tuning=PARALLEL)
    assert report.below_threshold
    for _lang, slug, _percent in report.below_threshold:
        assert not (built_once / "output/cs" / f"{slug}.md").exists()
        assert f"output/cs/{slug}.md" in everything


def test_a_broken_catalog_in_a_parallel_build_leaves_every_page_as_it_was(built_once: Path) -> None:
    build_project(_project(built_once), threshold=0, jobs=1)
    before = _files(built_once)
    catalogs = sorted((built_once / "locales/cs/LC_MESSAGES").glob("*.po"))
    # Every page would change, but one catalog (the last, so that others are done first) is broken.
    for po in catalogs[:-1]:
        po.write_text(po.read_text().replace('msgstr ""\n\n', 'msgstr "x"\n\n', 3))
    catalogs[-1].write_text('msgid "a"\nmsgstr "b"\nmsgid "a"\n')
    with pytest.raises(InputError):
        build_project(_project(built_once), threshold=0, jobs=2, tuning=PARALLEL)
    assert _files(built_once) == before
    assert not list((built_once / "output").rglob("*.tmp"))


def test_build_command_takes_jobs(built_once: Path) -> None:
    shutil.rmtree(built_once / "output")
    one = CliRunner().invoke(cli, ["--root", str(built_once), "build", "--threshold", "0", "--jobs", "1"])
    files = _files(built_once)
    shutil.rmtree(built_once / "output")
    two = CliRunner().invoke(cli, ["--root", str(built_once), "build", "--threshold", "0", "-j", "2"])
    assert one.exit_code == two.exit_code == 0, one.output + two.output
    assert one.output == two.output
    assert _files(built_once) == files


def test_parallel_extract_writes_and_reports_what_one_process_does(project_root: Path) -> None:
    now = dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.timezone.utc)
    serial = extract(_project(project_root), now=now, jobs=1)
    templates = project_root / "locales/templates"
    files = {p.name: p.read_bytes() for p in sorted(templates.iterdir())}
    assert len(files) == 4
    shutil.rmtree(templates)
    parallel = extract(_project(project_root), now=now, jobs=2, tuning=PARALLEL)
    assert {p.name: p.read_bytes() for p in sorted(templates.iterdir())} == files
    assert parallel.written == serial.written and parallel.messages == serial.messages
    again = extract(_project(project_root), now=now + dt.timedelta(days=1), jobs=2, tuning=PARALLEL)
    assert not again.written and again.unchanged == serial.written
    assert {p.name: p.read_bytes() for p in sorted(templates.iterdir())} == files


def test_a_broken_source_in_a_parallel_extract_writes_no_template(project_root: Path) -> None:
    sources = sorted((project_root / "source/en").glob("*.md"))
    sources[-1].write_bytes(b"# Broken \xff\n")
    with pytest.raises(InputError):
        extract(_project(project_root), jobs=2, tuning=PARALLEL)
    templates = project_root / "locales/templates"
    assert not templates.exists() or not [p for p in templates.iterdir()]
