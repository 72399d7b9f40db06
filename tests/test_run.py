"""The main job: incremental runs and deterministic parallel runs."""

from __future__ import annotations

import shutil

import pytest
from pathlib import Path

from pipeline.config import load_config
from pipeline.project import Project
from pipeline import run
from pipeline.errors import InputError
from pipeline.run import run_all


def snapshot(root: Path, *folders: str) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for folder in folders:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                files[str(path.relative_to(root))] = path.read_bytes()
    return files


def project(root: Path) -> Project:
    return Project(root=root, config=load_config(root))


def test_a_changed_article_is_processed_again_and_the_rest_skipped(project_root: Path) -> None:
    first = run_all(project(project_root), jobs=1)
    assert first.processed == 4 and first.skipped == 0
    again = run_all(project(project_root), jobs=1)
    assert again.processed == 0 and again.skipped == 4 and not again.written
    source = project_root / "source/en/kubecon-eu-2021-recap.md"
    source.write_text(source.read_text() + "\nOne more paragraph at the end.\n")
    third = run_all(project(project_root), jobs=1)
    assert third.processed == 1 and third.skipped == 3
    po = (project_root / "locales/cs/LC_MESSAGES/kubecon-eu-2021-recap.po").read_text()
    assert 'msgid "One more paragraph at the end."' in po
    (project_root / "output/cs/index.html").unlink()
    (project_root / "output/reports/cs/rejekts-2025-london-day-1.html").unlink()
    fourth = run_all(project(project_root), jobs=1)
    assert fourth.processed == 1  # its report page was missing
    assert (project_root / "output/cs/index.html").is_file()
    assert [r.slug for r in fourth.checks] == sorted(r.slug for r in fourth.checks)


def _many_articles(root: Path, copies: int) -> None:
    for lang in ("en", "cs"):
        folder = root / "source" / lang
        for path in sorted(folder.glob("*.md")):
            for n in range(copies):
                shutil.copy(path, folder / f"{path.stem}-copy{n}.md")


def test_parallel_and_serial_runs_write_the_same_bytes(
    tmp_path: Path, project_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "MIN_PARALLEL", 1)
    _many_articles(project_root, 4)
    other = tmp_path / "other"
    shutil.copytree(project_root, other)
    serial = run_all(project(project_root), jobs=1, incremental=False)
    parallel = run_all(project(other), jobs=2, incremental=False)
    assert serial.processed == parallel.processed == 20
    assert snapshot(project_root, "locales", "output") == snapshot(other, "locales", "output")
    assert [(r.slug, r.total, r.missing) for r in serial.checks] == [(r.slug, r.total, r.missing) for r in parallel.checks]


def test_an_error_in_a_worker_is_raised_in_the_parent(project_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run, "MIN_PARALLEL", 1)
    _many_articles(project_root, 2)
    run_all(project(project_root), jobs=2)
    po = project_root / "locales/cs/LC_MESSAGES/kubecon-eu-2021-recap-copy1.po"
    po.write_text(po.read_text() + '\nmsgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n')
    with pytest.raises(InputError, match="duplicate message definition") as caught:
        run_all(project(project_root), jobs=2, incremental=False)
    assert caught.value.path == "locales/cs/LC_MESSAGES/kubecon-eu-2021-recap-copy1.po"


def test_a_deleted_article_leaves_no_generated_pages(project_root: Path) -> None:
    run_all(project(project_root), jobs=1)
    assert (project_root / "output/reports/cs/kubecon-eu-2021-recap.html").exists()
    (project_root / "source/en/kubecon-eu-2021-recap.md").unlink()
    summary = run_all(project(project_root), jobs=1)
    assert not (project_root / "output/reports/cs/kubecon-eu-2021-recap.html").exists()
    assert "kubecon-eu-2021-recap" not in (project_root / "output/reports/cs/index.html").read_text()
    assert (project_root / "locales/cs/LC_MESSAGES/kubecon-eu-2021-recap.po").exists()
    assert [r.slug for r in summary.checks] == ["rejekts-2025-london-day-1", "rejekts-2025-london-day-2", "rejekts-eu-2022-valencia"]
