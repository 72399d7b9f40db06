"""The docs dev set (bench/data/docs): real EN/CS pairs with hand-checked gold,
read as :class:`variants.Case`, and the helpers that score the aligner on them
the same way in ``tests/test_align_docs.py`` and ``bench/align_docs.py``."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from variants import Case, GoldBead

from pipeline.model import Alignment, Segment, body_segments
from pipeline.read.markdown import parse_markdown

DOCS = Path(__file__).resolve().parents[1] / "bench" / "data" / "docs"


def load_pairs(folder: Path = DOCS) -> list[tuple[str, Case]]:
    """Every pair listed in ``folder``/manifest.json, with its gold beads."""
    out = []
    for item in json.loads((folder / "manifest.json").read_text(encoding="utf-8")):
        name = item["name"]
        source = body_segments(parse_markdown((folder / f"{name}.en.md").read_text(encoding="utf-8"), lang="en"))
        target = body_segments(parse_markdown((folder / f"{name}.cs.md").read_text(encoding="utf-8"), lang="cs"))
        gold = json.loads((folder / f"{name}.gold.json").read_text(encoding="utf-8"))
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


def monotone(case: Case) -> bool:
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
