"""Shared fixtures: the repository, its bundled corpus and a scratch project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "tests" / "data" / "seeds"


@pytest.fixture
def project_root(tmp_path: Path) -> Path:
    """A copy of the bundled articles and configuration, without locales/ (a project
    before any PO file exists)."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(REPO / "source", root / "source")
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root
