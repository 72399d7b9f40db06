"""The package's public face (pipeline/__init__.py), end to end on the bundled articles."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib

import pipeline

ROOT = Path(__file__).resolve().parent.parent
EN = ROOT / "source/en/rejekts-2025-london-day-2.md"
CS = ROOT / "source/cs/rejekts-2025-london-day-2.md"


def test_read_align_extract_and_build_from_text_alone() -> None:
    en = pipeline.read_markdown(EN.read_text(encoding="utf-8"), path=str(EN))
    cs = pipeline.read_markdown(CS.read_text(encoding="utf-8"), path=str(CS))
    alignment = pipeline.align_articles(en, cs)
    assert alignment.beads and all(0.0 <= bead.confidence <= 1.0 for bead in alignment.beads)
    assert any(not bead.target for bead in alignment.beads)  # the Czech version drops the bullet lists
    comparison = pipeline.compare_articles(en, cs)
    assert comparison.missing

    pot = pipeline.extract_template(en)
    template = polib.pofile(pot)
    assert len(template) > 20 and all(entry.msgstr == "" for entry in template)

    # Identity: every msgstr = msgid rebuilds the source byte for byte.
    for entry in template:
        entry.msgstr = entry.msgid
    built = pipeline.build_localized(en, str(template), lang="cs")
    assert built.translated == built.total
    assert built.markdown == EN.read_text(encoding="utf-8")
    # Untranslated: the source stays, each segment a fallback.
    empty = pipeline.build_localized(en, pot, lang="cs")
    assert empty.translated == 0 and len(empty.fallbacks) == empty.total


def test_project_entry_points_run_and_check(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "source", tmp_path / "source")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    project = pipeline.open_project(tmp_path)
    summary = pipeline.run_project(project, jobs=1)
    assert summary.processed == len(project.all_slugs()) * len(project.config.languages)
    results = pipeline.check_project(project)
    assert {r.slug for r in results} == set(project.all_slugs())
    assert (tmp_path / "output/cs/index.html").is_file()


def test_importing_the_package_loads_no_stage() -> None:
    code = "import sys, pipeline; print(sorted(m for m in sys.modules if m.startswith('pipeline.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['pipeline.version']"
