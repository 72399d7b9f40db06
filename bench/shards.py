"""A run spread over shards (``l10n run --shard K/N`` + ``l10n merge-shards``) against
one run, on one generated corpus: the time of each shard (on a CI matrix they run at
once, each on its own machine, so the wall time is the slowest shard plus the
merge), the merge, and whether the merged files equal the single run's (PO header
dates set aside, as ``same_outputs.py`` does). Prints figures; exits 1 only when the
files differ or a command fails.

    python bench/shards.py [--articles 1000] [--shards 4] [--jobs 2] [--workdir DIR] [--with-catalogs]

``--with-catalogs``: the checkout every machine starts from already holds the PO files
(as a project in CI does once its catalogs are committed: legacy pairs are aligned
once, when their PO file is made), without output/ and run cache; otherwise it holds
only the articles, so every shard aligns every legacy pair (the memory needs them all).
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

L10N = [sys.executable, "-m", "pipeline"]
_DATES = re.compile(rb'^"(?:POT-Creation|PO-Revision)-Date: [^"]*"\n', re.M)


#: What each timed command printed last: its summary line of files written.
_SAID: dict[str, str] = {}


def timed(args: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + system of the process and its workers)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode >= 2 or "Traceback" in done.stderr:
        sys.exit(f"failed: {' '.join(args)}\n{done.stderr[-2000:]}")
    _SAID["files"] = next((line for line in done.stdout.splitlines() if "file(s) written" in line), "")
    return seconds, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): _DATES.sub(b"", p.read_bytes())
        for folder in ("locales", "output")
        for p in sorted((root / folder).rglob("*"))
        if p.is_file()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--with-catalogs", action="store_true", help="start from a checkout with the PO files made")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-l10n-shards-", dir=options.workdir))
    try:
        source = work / "corpus"
        corpus.generate(options.articles, source, options.seed)
        if options.with_catalogs:
            timed([*L10N, "--root", str(source), "run", "--quiet", "--jobs", str(options.jobs)])
            for made in ("output", ".l10n-cache"):
                shutil.rmtree(source / made, ignore_errors=True)
        single = work / "single"
        shutil.copytree(source, single)
        jobs = ["--jobs", str(options.jobs)]
        one, one_cpu = timed([*L10N, "--root", str(single), "run", "--quiet", *jobs])
        one_said = _SAID["files"]
        start = "with its PO files" if options.with_catalogs else "articles only"
        print(f"{options.articles} articles ({start}), {options.jobs} processes per machine")
        print(f"  one run                     {one:7.2f} s {one_cpu:7.2f} s CPU")
        bundles = work / "bundles"
        slowest = slowest_cpu = 0.0
        for number in range(1, options.shards + 1):
            machine = work / f"machine-{number}"
            shutil.copytree(source, machine)
            seconds, cpu = timed([*L10N, "--root", str(machine), "run", "--quiet", *jobs, "--shard", f"{number}/{options.shards}"])
            slowest, slowest_cpu = max(slowest, seconds), max(slowest_cpu, cpu)
            print(f"  shard {number}/{options.shards}                   {seconds:7.2f} s {cpu:7.2f} s CPU")
            shutil.copytree(machine / "l10n-shards", bundles, dirs_exist_ok=True)
            shutil.rmtree(machine)
        merging = work / "merge"
        shutil.copytree(source, merging)
        merge, merge_cpu = timed([*L10N, "--root", str(merging), "merge-shards", "--quiet", str(bundles)])
        print(f"  merge-shards                {merge:7.2f} s {merge_cpu:7.2f} s CPU")
        print(f"  matrix wall time (slowest shard + merge) {slowest + merge:.2f} s = {one / (slowest + merge):.2f}x one run")
        print(f"  CPU (largest shard + merge) {slowest_cpu + merge_cpu:.2f} s = {one_cpu / (slowest_cpu + merge_cpu):.2f}x one run")
        same = "the same" if _SAID["files"] == one_said else "DIFFERENT"
        print(f"  summary: one run {one_said!r}, merge {_SAID['files']!r}: {same}")
        expected, got = files(single), files(merging)
        differing = sorted(name for name in expected.keys() | got.keys() if expected.get(name) != got.get(name))
        print(f"  files compared: {len(expected)}; differing: {len(differing)}")
        for name in differing[:20]:
            print(f"    {name}")
        if differing:
            sys.exit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
