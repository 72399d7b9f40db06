"""Seeded hard cases for the aligner, derived from a real aligned pair with exact gold.

The seed pair is the English article ``000_*.txt`` (one paragraph per line) and its
Czech translation ``002_*.txt`` (blank-line paragraphs) with the hand-made gold
alignment, copied into ``tests/data/seeds`` and ``tests/data`` so the suite is self-contained.

:func:`make_variant` edits the *target* side and keeps the gold exact:

* ``drop``: a run of 1-5 translated segments disappears -> 1-0 beads;
* ``merge``: two adjacent target paragraphs joined with a space -> one 2-1 bead;
* ``split``: a target paragraph cut at a sentence boundary -> one 1-2 bead;
* ``insert``: a paragraph the source does not have (a far-away paragraph of the same
  translation, or an English paragraph from another article) -> a 0-1 bead;
* ``swap``: two neighbouring translations change places. No monotone alignment can
  link both, so the gold is the 2-2 bead holding both pairs: it keeps the fact
  that neither paragraph is missing nor extra, which is what the checks built on
  the aligner care about, and it contains both true links (plus two false ones,
  which link F1 charges to precision).

Several operations are applied at once on disjoint places; :func:`concatenate`
chains cases into long documents for the benchmark. Where a variant puts a 0-1 bead
next to 1-0 beads, their relative order is arbitrary (both are monotone), so
exactness is best checked on the *set* of beads; :func:`score` works on links and
index sets and is indifferent to it.

The segmenter here (:func:`segment`) is deliberately the gold's own: non-empty lines
for the English file, blank-line paragraphs for the Czech one, "- " for list items
and short lines without closing punctuation for headings.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.model import Bead, BlockKind, Segment

DATA = Path(__file__).resolve().parent / "data"
SEEDS = DATA / "seeds"
EN_FILE = SEEDS / "000_7bc680ae9ef17361.txt"
CS_FILE = SEEDS / "002_ada2ef6ccfe4cc2d.txt"
GOLD_FILE = DATA / "rejekts-2025-day-2.alignment.json"
OTHER_EN_FILES = (SEEDS / "003_9c3bb289b0edca9f.txt", SEEDS / "004_cde04e1401f38bb3.txt")

GoldBead = tuple[tuple[int, ...], tuple[int, ...]]

_TERMINAL = tuple(".!?:;…")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+(?=[\"“„(]?[A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ])")
OPS = ("drop", "merge", "split", "insert", "swap")
#: Edits only asked for by name (``ops=``): random variants keep their seeds' edits.
EXTRA_OPS = ("move",)


@dataclass(frozen=True)
class Case:
    """A source/target pair with its exact gold beads and the edits that made it."""

    source: tuple[Segment, ...]
    target: tuple[Segment, ...]
    gold: tuple[GoldBead, ...]
    ops: tuple[str, ...] = ()


def segment(text: str, line: int = 0) -> Segment:
    """A segment with the kind a plain-text reader would infer (``line``: its ordinal)."""
    text = text.strip()
    if text.startswith("- "):
        return Segment(text[2:].strip(), BlockKind.LIST_ITEM, line)
    if len(text.split()) <= 12 and not text.rstrip("\"'”»)").endswith(_TERMINAL):
        return Segment(text, BlockKind.HEADING, line)
    return Segment(text, BlockKind.PARAGRAPH, line)


def line_segments(text: str) -> tuple[Segment, ...]:
    """One segment per non-empty line."""
    return tuple(segment(t, n) for n, t in enumerate(text.splitlines(), 1) if t.strip())


def block_segments(text: str) -> tuple[Segment, ...]:
    """One segment per blank-line separated paragraph."""
    out: list[Segment] = []
    for n, block in enumerate(re.split(r"\n\s*\n", text)):
        if block.strip():
            out.append(segment(" ".join(block.split()), n))
    return tuple(out)


def load_seed_pair() -> Case:
    """The real English/Czech pair with its gold alignment."""
    gold = json.loads(GOLD_FILE.read_text(encoding="utf-8"))
    source = line_segments(EN_FILE.read_text(encoding="utf-8"))
    target = block_segments(CS_FILE.read_text(encoding="utf-8"))
    beads = tuple((tuple(s), tuple(t)) for s, t in gold["beads"])
    return Case(source, target, beads)


def foreign_paragraphs() -> tuple[Segment, ...]:
    """English paragraphs of other articles, to insert as text the source lacks."""
    out: list[Segment] = []
    for path in OTHER_EN_FILES:
        for seg in block_segments(path.read_text(encoding="utf-8")) + line_segments(path.read_text(encoding="utf-8")):
            if seg.kind is BlockKind.PARAGRAPH and 60 <= len(seg.text) <= 600:
                out.append(seg)
    return tuple(dict.fromkeys(out))


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_BREAK.split(text) if s.strip()]


class _Work:
    """A case being edited: beads of (source indices, target segments, touched)."""

    def __init__(self, case: Case) -> None:
        self.source = case.source
        self.beads: list[tuple[tuple[int, ...], list[Segment], bool]] = [
            (s, [case.target[j] for j in t], False) for s, t in case.gold
        ]
        #: Moved translations: id of the target segment -> its source indices.
        self.moved: dict[int, tuple[int, ...]] = {}

    def one_to_one(self, k: int) -> bool:
        if not 0 <= k < len(self.beads):
            return False
        s, t, touched = self.beads[k]
        return len(s) == 1 and len(t) == 1 and not touched

    def case(self, ops: Sequence[str]) -> Case:
        target: list[Segment] = []
        gold: list[GoldBead] = []
        sources = set(self.moved.values())
        for s, t, touched in self.beads:
            if touched and s in sources and not t:
                continue  # the moved translation's gold bead is written where it landed
            if not s and len(t) == 1 and id(t[0]) in self.moved:
                gold.append((self.moved[id(t[0])], (len(target),)))
            else:
                gold.append((s, tuple(range(len(target), len(target) + len(t)))))
            target.extend(t)
        return Case(self.source, tuple(target), tuple(gold), tuple(ops))


def _drop(w: _Work, rng: random.Random, _pool: Sequence[Segment]) -> bool:
    run = rng.choice((1, 1, 1, 2, 3, 5))
    starts = [k for k in range(len(w.beads) - run + 1) if all(w.one_to_one(k + d) for d in range(run))]
    if not starts:
        return False
    k = rng.choice(starts)
    for d in range(run):
        s, _, _ = w.beads[k + d]
        w.beads[k + d] = (s, [], True)
    return True


def _neighbours(a: Segment, b: Segment) -> bool:
    return a.block < 0 or b.block < 0 or b.block - a.block <= 1


def _merge(w: _Work, rng: random.Random, _pool: Sequence[Segment]) -> bool:
    def ok(k: int) -> bool:
        return (
            w.one_to_one(k)
            and w.one_to_one(k + 1)
            and all(w.beads[k + d][1][0].kind is BlockKind.PARAGRAPH for d in (0, 1))
            and all(w.source[w.beads[k + d][0][0]].kind is BlockKind.PARAGRAPH for d in (0, 1))
            # A translator joins neighbouring paragraphs, not two that a code
            # sample separates (segments without a block index: plain text).
            and _neighbours(w.source[w.beads[k][0][0]], w.source[w.beads[k + 1][0][0]])
        )

    starts = [k for k in range(len(w.beads) - 1) if ok(k)]
    if not starts:
        return False
    k = rng.choice(starts)
    (s1, (t1,), _), (s2, (t2,), _) = w.beads[k], w.beads[k + 1]
    merged = Segment(f"{t1.text} {t2.text}", BlockKind.PARAGRAPH, t1.line)
    w.beads[k : k + 2] = [(s1 + s2, [merged], True)]
    return True


def _split(w: _Work, rng: random.Random, _pool: Sequence[Segment]) -> bool:
    starts = [
        k
        for k in range(len(w.beads))
        if w.one_to_one(k) and w.beads[k][1][0].kind is BlockKind.PARAGRAPH and len(_sentences(w.beads[k][1][0].text)) >= 2
    ]
    if not starts:
        return False
    k = rng.choice(starts)
    s, (t,), _ = w.beads[k]
    parts = _sentences(t.text)
    cut = rng.randint(1, len(parts) - 1)
    first = Segment(" ".join(parts[:cut]), BlockKind.PARAGRAPH, t.line)
    second = Segment(" ".join(parts[cut:]), BlockKind.PARAGRAPH, t.line)
    w.beads[k] = (s, [first, second], True)
    return True


def _insert(w: _Work, rng: random.Random, pool: Sequence[Segment]) -> bool:
    k = rng.randint(0, len(w.beads))
    if any(w.beads[x][2] for x in (k - 1, k) if 0 <= x < len(w.beads)):
        return False
    far = [
        t
        for x, (s, ts, _) in enumerate(w.beads)
        if abs(x - k) >= 10 and s
        for t in ts
        if t.kind is BlockKind.PARAGRAPH
    ]
    choices = list(pool) + far
    if not choices:
        return False
    w.beads.insert(k, ((), [rng.choice(choices)], True))
    return True


def _swap(w: _Work, rng: random.Random, _pool: Sequence[Segment]) -> bool:
    starts = [k for k in range(len(w.beads) - 1) if w.one_to_one(k) and w.one_to_one(k + 1)]
    if not starts:
        return False
    k = rng.choice(starts)
    (s1, (t1,), _), (s2, (t2,), _) = w.beads[k], w.beads[k + 1]
    w.beads[k : k + 2] = [(s1 + s2, [t2, t1], True)]
    return True


def _move(w: _Work, rng: random.Random, _pool: Sequence[Segment]) -> bool:
    """A translation moved 2-6 paragraphs away. Its gold bead links it where it
    landed, so the gold is not monotone (``score`` works on links and sets)."""
    starts = [k for k in range(len(w.beads)) if w.one_to_one(k)]
    if not starts:
        return False
    k = rng.choice(starts)
    distance = rng.choice((-6, -4, -3, -2, 2, 3, 4, 6))
    to = k + distance + (1 if distance > 0 else 0)
    if not 0 <= to <= len(w.beads) or not all(w.one_to_one(x) for x in range(min(k, to), min(max(k, to), len(w.beads)))):
        return False
    s, (t,), _ = w.beads[k]
    w.moved[id(t)] = s
    w.beads[k] = (s, [], True)
    w.beads.insert(to, ((), [t], True))
    return True


_EDITS = {"drop": _drop, "merge": _merge, "split": _split, "insert": _insert, "swap": _swap, "move": _move}


def make_variant(
    base: Case,
    seed: int,
    *,
    pool: Sequence[Segment] = (),
    ops: Sequence[str] | None = None,
    max_ops: int = 4,
) -> Case:
    """``base`` with 1..``max_ops`` random edits (or exactly ``ops``), deterministic in ``seed``."""
    rng = random.Random(seed)
    wanted = list(ops) if ops is not None else [rng.choice(OPS) for _ in range(rng.randint(1, max_ops))]
    work = _Work(base)
    done: list[str] = []
    for op in wanted:
        for _ in range(20):
            if _EDITS[op](work, rng, pool):
                done.append(op)
                break
    return work.case(done)


def concatenate(cases: Sequence[Case]) -> Case:
    """Cases one after another, as one long document pair."""
    source: list[Segment] = []
    target: list[Segment] = []
    gold: list[GoldBead] = []
    ops: list[str] = []
    for case in cases:
        ds, dt = len(source), len(target)
        gold.extend((tuple(i + ds for i in s), tuple(j + dt for j in t)) for s, t in case.gold)
        source.extend(case.source)
        target.extend(case.target)
        ops.extend(case.ops)
    return Case(tuple(source), tuple(target), tuple(gold), tuple(ops))


# ------------------------------------------------------------------- scoring


def links(beads: Sequence[GoldBead]) -> set[tuple[int, int]]:
    """Every (source, target) pair a bead links: the cartesian product of its sides."""
    return {(i, j) for s, t in beads for i in s for j in t}


def as_gold(beads: Sequence[Bead]) -> tuple[GoldBead, ...]:
    return tuple((b.source, b.target) for b in beads)


@dataclass
class Score:
    """Counts from comparing predicted beads with gold ones; add them up over cases."""

    link_tp: int = 0
    link_pred: int = 0
    link_gold: int = 0
    miss_tp: int = 0
    miss_pred: int = 0
    miss_gold: int = 0
    extra_tp: int = 0
    extra_pred: int = 0
    extra_gold: int = 0

    def __add__(self, other: Score) -> Score:
        return Score(*(a + b for a, b in zip(vars(self).values(), vars(other).values())))

    @staticmethod
    def _ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    @property
    def link_f1(self) -> float:
        p, r = self._ratio(self.link_tp, self.link_pred), self._ratio(self.link_tp, self.link_gold)
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def missing_precision(self) -> float:
        return self._ratio(self.miss_tp, self.miss_pred)

    @property
    def missing_recall(self) -> float:
        return self._ratio(self.miss_tp, self.miss_gold)

    @property
    def extra_precision(self) -> float:
        return self._ratio(self.extra_tp, self.extra_pred)

    @property
    def extra_recall(self) -> float:
        return self._ratio(self.extra_tp, self.extra_gold)


def score(gold: Sequence[GoldBead], predicted: Sequence[GoldBead]) -> Score:
    """Link, missing-segment and extra-segment counts of ``predicted`` against ``gold``."""
    gl, pl = links(gold), links(predicted)
    gm = {i for s, t in gold if not t for i in s}
    pm = {i for s, t in predicted if not t for i in s}
    ge = {j for s, t in gold if not s for j in t}
    pe = {j for s, t in predicted if not s for j in t}
    return Score(len(gl & pl), len(pl), len(gl), len(gm & pm), len(pm), len(gm), len(ge & pe), len(pe), len(ge))
