"""Do two installations of the pipeline write the same files? For a restructure
that must not change behaviour: each runs ``l10n run`` and ``l10n check --format
json`` on its own copy of one generated corpus, and every file they leave in
``locales/``, ``output/`` and the check report is compared byte for byte, with the
PO header dates (``POT-Creation-Date``, ``PO-Revision-Date``: the time of the run)
set aside. Prints the counts and the differing files; exits 1 when any differ.

Usage (two virtual environments, e.g. one installed from a worktree of the commit
before the change)::

    python bench/same_outputs.py /tmp/venv-before/bin/l10n .venv/bin/l10n --articles 500
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
_DATES = re.compile(rb'^"(?:POT-Creation|PO-Revision)-Date: [^"]*"\n', re.M)


def run_tool(l10n: str, corpus: Path, folder: Path) -> float:
    shutil.copytree(corpus, folder)
    start = time.perf_counter()
    subprocess.run([l10n, "--root", str(folder), "run", "--quiet"], check=True, capture_output=True)
    seconds = time.perf_counter() - start
    check = subprocess.run([l10n, "--root", str(folder), "check", "--format", "json"], capture_output=True)
    (folder / "check.json").write_bytes(check.stdout)
    return seconds


def files_of(folder: Path) -> dict[str, bytes]:
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and not relative.startswith(".l10n-cache/"):
            found[relative] = _DATES.sub(b"", path.read_bytes())
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", help="the l10n command of the first installation")
    parser.add_argument("after", help="the l10n command of the second installation")
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-l10n-same-") as tmp:
        corpus = Path(tmp) / "corpus"
        subprocess.run(
            [sys.executable, str(HERE / "corpus.py"), str(options.articles), str(corpus), "--seed", str(options.seed)],
            check=True,
            capture_output=True,
        )
        seconds = {name: run_tool(tool, corpus, Path(tmp) / name) for name, tool in (("before", options.before), ("after", options.after))}
        before, after = files_of(Path(tmp) / "before"), files_of(Path(tmp) / "after")
    differing = sorted(name for name in before.keys() & after.keys() if before[name] != after[name])
    only = sorted(before.keys() ^ after.keys())
    kinds = {suffix: sum(1 for name in before if name.endswith(suffix)) for suffix in (".po", ".pot", ".md", ".html", ".json")}
    print(f"{options.articles} articles (seed {options.seed}); l10n run: before {seconds['before']:.1f} s, after {seconds['after']:.1f} s")
    print(f"files compared: {len(before.keys() & after.keys())} ({', '.join(f'{n} {k}' for k, n in kinds.items())})")
    print(f"differing: {len(differing)}; in one run only: {len(only)}")
    for name in differing + only:
        print(f"  {name}")
    return 1 if differing or only else 0


if __name__ == "__main__":
    sys.exit(main())
