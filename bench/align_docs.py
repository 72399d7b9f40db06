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
import json
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
from pipeline.model import Alignment, Segment, body_segments
from pipeline.read.markdown import parse_markdown

DOCS = ROOT / "bench" / "data" / "docs"
Aligner = Callable[[tuple[Segment, ...], tuple[Segment, ...]], tuple[GoldBead, ...]]


def load_pairs() -> list[tuple[str, Case]]:
    """Every pair of the dev set with its gold beads."""
    out = []
    for item in json.loads((DOCS / "manifest.json").read_text(encoding="utf-8")):
        name = item["name"]
        source = body_segments(parse_markdown((DOCS / f"{name}.en.md").read_text(encoding="utf-8"), lang="en"))
        target = body_segments(parse_markdown((DOCS / f"{name}.cs.md").read_text(encoding="utf-8"), lang="cs"))
        gold = json.loads((DOCS / f"{name}.gold.json").read_text(encoding="utf-8"))
        assert [s.text for s in source] == gold["en_segments"], f"{name}: the reader's segments changed"
        assert [t.text for t in target] == gold["cs_segments"], f"{name}: the reader's segments changed"
        beads = tuple((tuple(s), tuple(t)) for s, t in gold["beads"])
        out.append((name, Case(source, target, beads)))
    return out


def predicted(alignment: Alignment, threshold: float | None) -> tuple[GoldBead, ...]:
    """Beads as scored: a move is its link; a finding below ``threshold`` is not raised
    (its segment is then neither missing nor extra, and links nothing)."""
    moves = getattr(alignment, "moves", ())
    moved_s = {i for m in moves for i in m.source}
    moved_t = {j for m in moves for j in m.target}
    beads: list[GoldBead] = []
    for b in alignment.beads:
        if not b.target and set(b.source) <= moved_s or not b.source and set(b.target) <= moved_t:
            continue
        if (not b.source or not b.target) and threshold is not None and _finding_confidence(b) < threshold:
            continue
        beads.append((b.source, b.target))
    beads += [(m.source, m.target) for m in moves]
    return tuple(beads)


def _finding_confidence(bead: object) -> float:
    # Before findings carried a confidence of their own, the bead's posterior.
    return float(getattr(bead, "finding", getattr(bead, "confidence", 1.0)))


def ours(threshold: float | None) -> Aligner:
    def run(source: tuple[Segment, ...], target: tuple[Segment, ...]) -> tuple[GoldBead, ...]:
        aligner._align.cache_clear()
        return predicted(aligner.align(source, target), threshold)

    return run


def hunalign() -> Aligner | None:
    """hunalign (no dictionary, -realign), paragraphs as its "sentences"; None if absent."""
    exe = shutil.which("hunalign")
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
                capture_output=True, text=True, check=True,
            ).stdout
        # Ladder output: "i<TAB>j<TAB>score" rungs; consecutive rungs make beads.
        rungs = [tuple(int(x) for x in line.split("\t")[:2]) for line in out.splitlines() if line.strip()]
        beads: list[GoldBead] = []
        for (i1, j1), (i2, j2) in zip(rungs, rungs[1:]):
            beads.append((tuple(range(i1, i2)), tuple(range(j1, j2))))
        return tuple(b for b in beads if b[0] or b[1])

    return run


def blanked(case: Case, seed: int) -> Case:
    """1-3 translated paragraphs (of 1-1 beads) blanked out of the translation."""
    rng = random.Random(seed)
    ones = [k for k, (s, t) in enumerate(case.gold) if len(s) == 1 and len(t) == 1]
    chosen = set(rng.sample(ones, min(len(ones), rng.randint(1, 3))))
    target: list[Segment] = []
    gold: list[GoldBead] = []
    for k, (s, t) in enumerate(case.gold):
        if k in chosen:
            gold.append((s, ()))
            continue
        gold.append((s, tuple(range(len(target), len(target) + len(t)))))
        target.extend(case.target[j] for j in t)
    return Case(case.source, tuple(target), tuple(gold), ("blank",))


def renumbered(case: Case, original: Sequence[Segment]) -> Case:
    """``case`` with its target's block indices as a real edited file would have
    them: a removed, moved or inserted paragraph leaves no gap in the numbering
    (the gap would tell the aligner where it was); a gap between two segments
    that were neighbours in the original (a code block between them) stays."""
    where = {id(seg): k for k, seg in enumerate(original)}
    out: list[Segment] = []
    for seg in case.target:
        k = where.get(id(seg))
        prev = out[-1] if out else None
        if prev is None:
            block = max(seg.block, 0)
        else:
            pk = where.get(id(case.target[len(out) - 1]))
            step = seg.block - original[pk].block if k is not None and pk is not None and k == pk + 1 else 1
            block = prev.block + max(step, 1)
        out.append(replace(seg, block=block))
    return Case(case.source, tuple(out), case.gold, case.ops)


def _monotone(case: Case) -> bool:
    """Whether the gold's target indices rise with the bead order (perturbations need it)."""
    flat = [j for _, t in case.gold for j in t]
    return flat == sorted(flat)


def crosswise(beads: Sequence[GoldBead]) -> tuple[GoldBead, ...]:
    """2-2 beads as the two crossing links they stand for (see the aligner)."""
    out: list[GoldBead] = []
    for s, t in beads:
        if len(s) == 2 and len(t) == 2:
            out += [((s[0],), (t[1],)), ((s[1],), (t[0],))]
        else:
            out.append((s, t))
    return tuple(out)


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
    args = parser.parse_args()
    pairs = load_pairs()
    pool = foreign_paragraphs()
    suites: dict[str, list[tuple[str, Case]]] = {"real pairs": pairs}
    suites["blanked (1-3 CS paragraphs removed, 3 seeds)"] = [
        (f"{n} #{k}", renumbered(blanked(c, k), c.target)) for n, c in pairs for k in range(3)
    ]
    mono = [(n, c) for n, c in pairs if _monotone(c)]
    for op in ("drop", "merge", "split", "insert", "swap", "move"):
        suites[f"perturbed: {op} (3 seeds)"] = [
            (f"{n} #{k}", renumbered(make_variant(c, 1000 * k + len(n), pool=pool, ops=[op, op]), c.target)) for n, c in mono for k in range(3)
        ]
    suites["perturbed: mixed (5 seeds)"] = [
        (f"{n} #{k}", renumbered(make_variant(c, 77 + k, pool=pool, ops=random.Random(k).choices(
            ("drop", "merge", "split", "insert", "swap", "move"), k=4)), c.target)) for n, c in mono for k in range(5)
    ]
    runners: list[tuple[str, Aligner]] = [("l10n", ours(args.threshold)), ("l10n-all", ours(None))]
    hun = hunalign()
    if hun is None:
        print("hunalign: not installed (Debian package hunalign); its column is left out")
    else:
        runners.append(("hunalign", hun))
    print(f"{len(pairs)} pairs, {sum(len(c.source) for _, c in pairs)} EN and {sum(len(c.target) for _, c in pairs)} CS segments")
    for title, cases in suites.items():
        print(f"\n{title}: {len(cases)} cases")
        for label, run in runners:
            total = evaluate(label, cases, run, args.pairs)
            print(f"  {label:<9} {_row(total)}")
    if not args.no_scale:
        child = subprocess.run([sys.executable, __file__, "--scale"], capture_output=True, text=True, check=True)
        print("\n" + child.stdout.strip())


def scale() -> None:
    """Child process: a 10,000-block docs pair (mixed variants of the dev set chained),
    its time and memory in a fresh process, and its link F1."""
    pairs = [c for _, c in load_pairs()]
    pool = foreign_paragraphs()
    cases: list[Case] = []
    total = k = 0
    while total < 10_000:
        base = pairs[k % len(pairs)]
        if _monotone(base):
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
    scale() if sys.argv[1:] == ["--scale"] else main()
