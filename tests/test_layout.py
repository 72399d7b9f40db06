"""The package's layout: one folder per stage, dependencies one way.

cli -> commands -> store -> stages -> core (model, errors, config, ...), never
back up; no circle between the stage folders; only ``store`` uses SQLite or
writes files, and only ``mt/deepl.py`` talks HTTP.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"
CORE = {"model", "errors", "config", "version", "bounded_memo", "__init__", "__main__"}
STAGES = {"read", "align", "catalog", "mt", "check", "build", "report", "exchange"}
RANK = {"core": 0, "stage": 1, "store": 2, "commands": 3, "cli": 4}


def _unit(module: str) -> str:
    """The folder (or core module) a dotted module below ``pipeline`` belongs to."""
    return module.split(".")[0]


def _layer(unit: str) -> str:
    if unit in CORE:
        return "core"
    if unit in STAGES:
        return "stage"
    return unit


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        found[".".join(parts)] = path
    return found


def _imports(path: Path) -> list[tuple[str, int]]:
    """Modules below ``pipeline`` that a file imports (at any depth: a lazy import
    inside a function is a dependency all the same), with their line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "pipeline" or node.module.startswith("pipeline."):
                base = node.module.removeprefix("pipeline").removeprefix(".")
                for alias in node.names:
                    # ``from pipeline.store import fs`` depends on pipeline.store.fs
                    sub = f"{base}.{alias.name}" if base else alias.name
                    found.append((sub if (PACKAGE / (sub.replace(".", "/") + ".py")).exists() else base or sub, node.lineno))
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}:{node.lineno}: relative import; use pipeline.<stage>.<module>")
        elif isinstance(node, ast.Import):
            found += [(a.name.removeprefix("pipeline."), node.lineno) for a in node.names if a.name.startswith("pipeline.")]
    return found


def _third_party(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_dependencies_run_one_way() -> None:
    wrong = []
    for module, path in _modules().items():
        if module in ("__init__", "__main__"):
            continue  # the public face and the entry point may import anything
        here = _unit(module)
        for target, line in _imports(path):
            there = _unit(target)
            if RANK[_layer(there)] > RANK[_layer(here)]:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports pipeline.{target} ({_layer(here)} -> {_layer(there)})")
    assert not wrong, "\n".join(wrong)


def test_no_circle_between_folders() -> None:
    graph: dict[str, set[str]] = {}
    for module, path in _modules().items():
        if module in ("__init__", "__main__"):
            continue
        here = _unit(module)
        for target, _line in _imports(path):
            there = _unit(target)
            if there != here:
                graph.setdefault(here, set()).add(there)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    circles = sorted(unit for unit in graph if reaches(unit, unit, {unit}))
    assert not circles, f"folders in an import circle: {circles}"


def test_no_circle_between_modules() -> None:
    modules = _modules()
    graph = {
        module: {t for t, _ in _imports(path) if t in modules and t not in ("__init__", "version")}
        for module, path in modules.items()
        if module not in ("__init__", "__main__")
    }
    circles = []

    def visit(module: str, stack: list[str], done: set[str]) -> None:
        for nxt in sorted(graph.get(module, ())):
            if nxt in stack:
                circles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in done:
                visit(nxt, stack + [nxt], done)
        done.add(module)

    done: set[str] = set()
    for module in sorted(graph):
        if module not in done:
            visit(module, [module], done)
    assert not circles, "\n".join(circles)


@pytest.mark.parametrize(
    ("library", "allowed"),
    [("sqlite3", "store"), ("tempfile", "store"), ("deepl", "mt.deepl"), ("httpx", "mt.deepl"), ("requests", "mt.deepl")],
)
def test_disk_and_network_have_one_owner(library: str, allowed: str) -> None:
    users = [m for m, path in _modules().items() if library in _third_party(path)]
    assert all(m == allowed or m.startswith(allowed + ".") for m in users), users
