"""Aligner benchmark: speed, growth, memory and robustness figures (prints, never asserts).

Run from the repository root::

    /tmp/venv/bin/python bench/align_bench.py

Long pairs are built by chaining seeded variants of the real seed pair
(``tests/variants.py``), so they repeat names the way a long document does and
carry edits (drops, merges, splits, inserts, swaps) throughout.
"""

from __future__ import annotations

import gc
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for entry in (ROOT, ROOT / "tests"):
    if str(entry) not in sys.path:
        sys.path.insert(0, str(entry))

from variants import (
    Case,
    Score,
    as_gold,
    concatenate,
    foreign_paragraphs,
    load_seed_pair,
    make_variant,
    score,
)

from pipeline.align import aligner
from pipeline.model import Alignment, Segment


def align(source: tuple[Segment, ...], target: tuple[Segment, ...]) -> Alignment:
    """The aligner without its in-process memo, so every call is timed for real."""
    aligner._align.cache_clear()
    return aligner.align(source, target)


def best_of(runs: int, call: Callable[[], object]) -> tuple[float, float]:
    """Fastest wall time and fastest CPU time of ``runs`` calls, in seconds.

    CPU time is reported too because on a shared machine wall time also counts the
    time other processes hold the CPU. Each run starts after a full garbage
    collection: otherwise the collector's passes over objects the benchmark itself
    just built (the long input pairs) are billed to the aligner.
    """
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(runs):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(wall), min(cpu)


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    """Resident set size of this process now, in MB (Linux /proc; 0 elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * resource.getpagesize() / 2**20


def long_case(base: Case, segments: int, seed: int) -> Case:
    """About ``segments`` source segments of chained variants."""
    pool = foreign_paragraphs()
    cases: list[Case] = []
    total = 0
    k = 0
    while total < segments:
        case = make_variant(base, seed * 100_003 + k, pool=pool)
        cases.append(case)
        total += len(case.source)
        k += 1
    joined = concatenate(cases)
    # Trim to the requested size at a bead boundary, keeping the gold exact.
    gold = []
    for s, t in joined.gold:
        if s and s[-1] >= segments:
            break
        gold.append((s, t))
    n = max((i for s, _ in gold for i in s), default=-1) + 1
    m = max((j for _, t in gold for j in t), default=-1) + 1
    return Case(joined.source[:n], joined.target[:m], tuple(gold), joined.ops)


def memory() -> None:
    """Child process: memory for aligning a 10,000-segment pair."""
    case = long_case(load_seed_pair(), 10_000, seed=7)
    gc.collect()
    before = current_rss_mb()
    start, start_cpu = time.perf_counter(), time.process_time()
    align(case.source, case.target)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    peak = peak_rss_mb()
    tracemalloc.start()
    align(case.source, case.target)
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"10,000-segment pair ({len(case.source)} x {len(case.target)}), fresh process: "
        f"{elapsed:.2f} s wall, {cpu:.2f} s CPU; "
        f"peak memory allocated by align (tracemalloc) {traced / 2**20:.0f} MB; "
        f"process RSS {before:.0f} MB before align, peak {peak:.0f} MB"
    )


def main() -> None:
    base = load_seed_pair()
    align(base.source, base.target)  # warm caches (stemmer)
    seed_time, seed_cpu = best_of(30, partial(align, base.source, base.target))
    exact = as_gold(align(base.source, base.target).beads) == base.gold
    print(
        f"seed pair ({len(base.source)} x {len(base.target)} segments): {seed_time * 1000:.1f} ms wall, "
        f"{seed_cpu * 1000:.1f} ms CPU (best of 30); gold reproduced exactly: {exact}"
    )

    print("\nscaling (source x target segments: best wall time, best CPU time, CPU per source segment, link F1)")
    for size in (100, 1_000, 10_000):
        case = long_case(base, size, seed=size)
        runs = 5 if size <= 1_000 else 2
        elapsed, cpu = best_of(runs, partial(align, case.source, case.target))
        result = score(case.gold, as_gold(align(case.source, case.target).beads))
        rate = (len(case.source) + len(case.target)) / cpu
        print(
            f"  {len(case.source):>6} x {len(case.target):>6}: {elapsed:7.3f} s wall  {cpu:7.3f} s CPU  "
            f"{rate:>8,.0f} seg/s  {cpu / len(case.source) * 1e6:5.0f} us/seg  F1 {result.link_f1:.4f}"
        )

    # Peak memory in a fresh process, so earlier runs do not mask it.
    child = subprocess.run(
        [sys.executable, __file__, "--memory"], capture_output=True, text=True, check=True
    )
    print("\n" + child.stdout.strip())
    small = long_case(base, 1_000, seed=7)
    tracemalloc.start()
    align(small.source, small.target)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"1,000-segment pair: peak memory allocated by align (tracemalloc) {peak / 2**20:.1f} MB")

    pool = foreign_paragraphs()
    total = Score()
    f1: list[float] = []
    variants = 50
    for seed in range(variants):
        case = make_variant(base, seed, pool=pool)
        result = score(case.gold, as_gold(align(case.source, case.target).beads))
        total = total + result
        f1.append(result.link_f1)
    print(f"\nrobustness on {variants} seeded variants of the seed pair:")
    print(f"  mean link F1            {sum(f1) / len(f1):.4f} (worst {min(f1):.4f})")
    print(f"  missing precision/recall {total.missing_precision:.4f} / {total.missing_recall:.4f}")
    print(f"  extra precision/recall   {total.extra_precision:.4f} / {total.extra_recall:.4f}")


if __name__ == "__main__":
    memory() if sys.argv[1:] == ["--memory"] else main()
