"""Aligner on real EN/CS documentation pairs: link P/R/F1 and missing/extra P/R
per pair and overall, on the real pairs, on blanked variants (1-3 Czech paragraphs
removed) and on perturbed variants (drop, merge, split, insert, swap, move), beside
hunalign when it is installed. Prints, never asserts.

Run from the repository root::

    .venv/bin/python bench/align_docs.py [--pairs] [--threshold 0.5]

The pairs and their hand-checked gold alignments are in ``bench/data/docs`` (see
the README there for origin, commits, licences and how the gold was checked).
Scoring follows ``tests/variants.py``: links are the (source, target) pairs of
every bead with both sides; a swap's gold is the 2-2 bead holding both pairs; a
moved translation's gold is the one link where it landed. A predicted move counts
as that link and as neither missing nor extra.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for entry in (ROOT, ROOT / "tests"):
    if str(entry) not in sys.path:
        sys.path.insert(0, str(entry))

from docs_pairs import (
    DOCS,
    blanked,
    crosswise,
    load_pairs,
    monotone,
    predicted,
    renumbered,
)
from variants import (
    Case,
    GoldBead,
    Score,
    concatenate,
    foreign_paragraphs,
    make_variant,
    score,
)

from pipeline.align import aligner
from pipeline.config import DEFAULT_FINDING_THRESHOLD
from pipeline.model import Segment

Aligner = Callable[[tuple[Segment, ...], tuple[Segment, ...]], tuple[GoldBead, ...]]


def ours(threshold: float | None) -> Aligner:
    def run(source: tuple[Segment, ...], target: tuple[Segment, ...]) -> tuple[GoldBead, ...]:
        aligner._align.cache_clear()
        return predicted(aligner.align(source, target), threshold)

    return run


def hunalign(path: str | None = None) -> Aligner | None:
    """hunalign (no dictionary, -realign), paragraphs as its "sentences"; None if absent.
    Found as ``path`` (--hunalign), else $HUNALIGN, else on PATH."""
    exe = shutil.which(path or os.environ.get("HUNALIGN") or "hunalign")
    if exe is None:
        return None

    def run(source: tuple[Segment, ...], target: tuple[Segment, ...]) -> tuple[GoldBead, ...]:
        with tempfile.TemporaryDirectory() as tmp:
            paths = [Path(tmp, name) for name in ("s.txt", "t.txt", "null.dic")]
            paths[0].write_text("".join(" ".join(s.text.split()) + "\n" for s in source), encoding="utf-8")
            paths[1].write_text("".join(" ".join(t.text.split()) + "\n" for t in target), encoding="utf-8")
            paths[2].write_text("", encoding="utf-8")
            out = subprocess.run(
                [exe, "-realign", str(paths[2]), str(paths[0]), str(paths[1])],
                capture_output=True, text=True, check=True, cwd=tmp,  # -realign leaves a translate.txt in its cwd
            ).stdout
        # Ladder output: "i<TAB>j<TAB>score" rungs; consecutive rungs make beads.
        rungs = [tuple(int(x) for x in line.split("\t")[:2]) for line in out.splitlines() if line.strip()]
        beads: list[GoldBead] = []
        for (i1, j1), (i2, j2) in itertools.pairwise(rungs):
            beads.append((tuple(range(i1, i2)), tuple(range(j1, j2))))
        return tuple(b for b in beads if b[0] or b[1])

    return run


def evaluate(name: str, cases: Sequence[tuple[str, Case]], run: Aligner, verbose: bool) -> Score:
    total = Score()
    for label, case in cases:
        result = score(crosswise(case.gold), crosswise(run(case.source, case.target)))
        total = total + result
        if verbose:
            print(f"    {label:<48} {_row(result)}")
    return total


def _p(tp: int, pred: int) -> str:
    return f"{tp / pred:.3f}" if pred else "  -  "


def _row(s: Score) -> str:
    lp, lr = (s.link_tp / s.link_pred if s.link_pred else 1.0), (s.link_tp / s.link_gold if s.link_gold else 1.0)
    return (
        f"link P {lp:.4f} R {lr:.4f} F1 {s.link_f1:.4f} | missing P {_p(s.miss_tp, s.miss_pred)} "
        f"R {_p(s.miss_tp, s.miss_gold)} ({s.miss_tp}/{s.miss_pred} pred, {s.miss_gold} gold) | extra P "
        f"{_p(s.extra_tp, s.extra_pred)} R {_p(s.extra_tp, s.extra_gold)} ({s.extra_tp}/{s.extra_pred}, {s.extra_gold})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", action="store_true", help="a line per pair (or variant)")
    parser.add_argument(
        "--threshold", type=float, default=DEFAULT_FINDING_THRESHOLD,
        help="report findings at or above this confidence (the l10n row; l10n-all counts every finding)",
    )
    parser.add_argument("--no-scale", action="store_true", help="skip the 10,000-block timing")
    parser.add_argument(
        "--extra", action="append", type=Path, default=[], metavar="DIR",
        help="also the pairs of DIR (same layout as bench/data/docs, e.g. pairs whose licence keeps them out of the repository)",
    )
    parser.add_argument(
        "--docs", type=Path, default=DOCS, metavar="DIR",
        help="the pairs of DIR in place of the dev set (e.g. bench/data/heldout-sec101, held out: measure, never tune)",
    )
    parser.add_argument("--hunalign", help="the hunalign binary (default: $HUNALIGN, else hunalign on PATH)")
    args = parser.parse_args()
    pairs = _all_pairs(args.extra, args.docs)
    pool = foreign_paragraphs()
    suites: dict[str, list[tuple[str, Case]]] = {"real pairs": pairs}
    suites["blanked (1-3 CS paragraphs removed, 3 seeds)"] = [
        (f"{n} #{k}", renumbered(blanked(c, k), c.target)) for n, c in pairs for k in range(3)
    ]
    mono = [(n, c) for n, c in pairs if monotone(c)]
    for op in ("drop", "merge", "split", "insert", "swap", "move"):
        suites[f"perturbed: {op} (3 seeds)"] = [
            (f"{n} #{k}", renumbered(make_variant(c, 1000 * k + len(n), pool=pool, ops=[op, op]), c.target)) for n, c in mono for k in range(3)
        ]
    suites["perturbed: mixed (5 seeds)"] = [
        (f"{n} #{k}", renumbered(make_variant(c, 77 + k, pool=pool, ops=random.Random(k).choices(
            ("drop", "merge", "split", "insert", "swap", "move"), k=4)), c.target)) for n, c in mono for k in range(5)
    ]
    runners: list[tuple[str, Aligner]] = [("l10n", ours(args.threshold)), ("l10n-all", ours(None))]
    hun = hunalign(args.hunalign)
    if hun is None:
        print("hunalign: not found (--hunalign, $HUNALIGN or PATH; build it as bench/README.md says); its column is left out")
    else:
        runners.append(("hunalign", hun))
    print(f"{len(pairs)} pairs, {sum(len(c.source) for _, c in pairs)} EN and {sum(len(c.target) for _, c in pairs)} CS segments")
    for title, cases in suites.items():
        print(f"\n{title}: {len(cases)} cases")
        for label, run in runners:
            total = evaluate(label, cases, run, args.pairs)
            print(f"  {label:<9} {_row(total)}")
    if not args.no_scale:
        command = [sys.executable, __file__, "--scale", *(str(folder) for folder in args.extra)]
        child = subprocess.run(command, capture_output=True, text=True, check=True)
        print("\n" + child.stdout.strip())


def _all_pairs(extra: Sequence[Path], docs: Path = DOCS) -> list[tuple[str, Case]]:
    return [pair for folder in (docs, *extra) for pair in load_pairs(folder)]


def scale(extra: Sequence[Path]) -> None:
    """Child process: a 10,000-block docs pair (mixed variants of the dev set chained),
    its time and memory in a fresh process, and its link F1."""
    pairs = [c for _, c in _all_pairs(extra)]
    pool = foreign_paragraphs()
    cases: list[Case] = []
    total = k = 0
    while total < 10_000:
        base = pairs[k % len(pairs)]
        if monotone(base):
            ops = random.Random(k).choices(("drop", "merge", "split", "insert", "swap", "move"), k=3)
            case = renumbered(make_variant(base, k, pool=pool, ops=ops), base.target)
            cases.append(case)
            total += len(case.source)
        k += 1
    joined = concatenate(cases)
    # Block indices run on across the chained files, so gaps (code) stay gaps.
    source = _chain_blocks(joined.source)
    target = _chain_blocks(joined.target)
    gc.collect()
    before = _rss_mb()
    start, start_cpu = time.perf_counter(), time.process_time()
    aligner._align.cache_clear()
    result = aligner.align(source, target)
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    f1 = score(crosswise(joined.gold), crosswise(predicted(result, None))).link_f1
    print(
        f"{len(source):,} x {len(target):,} block docs pair (chained variants), fresh process: {wall:.2f} s wall, "
        f"{cpu:.2f} s CPU; RSS {before:.0f} MB before align, peak {peak:.0f} MB; link F1 {f1:.4f}"
    )


def _chain_blocks(segments: Sequence[Segment]) -> tuple[Segment, ...]:
    out: list[Segment] = []
    offset = 0
    for seg in segments:
        if out and seg.block + offset <= out[-1].block:
            offset = out[-1].block + 1 - seg.block
        out.append(replace(seg, block=seg.block + offset))
    return tuple(out)


def _rss_mb() -> float:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * resource.getpagesize() / 2**20


if __name__ == "__main__":
    scale([Path(a) for a in sys.argv[2:]]) if sys.argv[1:2] == ["--scale"] else main()
