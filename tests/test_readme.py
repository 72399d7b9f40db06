"""The README's two commands are what CI runs, so they stay true."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    readme = (REPO / "README.md").read_text()
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", quick, re.S)]


def test_readme_has_install_and_test_commands() -> None:
    commands = _readme_commands()
    assert len(commands) == 2
    assert "pip install" in commands[0] and "l10n run" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_exactly_the_readme_commands() -> None:
    ci_lines = (REPO / ".ci" / "run").read_text().splitlines()
    for command in _readme_commands():
        assert command in ci_lines
