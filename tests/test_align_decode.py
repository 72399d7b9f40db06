"""The band decoder against a plain dynamic programme written out cell by cell:
the same Viterbi path, posteriors and skip posteriors on random lattices, with
narrow and wide bands, bands that start right of column 0, and the beam off."""

from __future__ import annotations

import math
import random

import pytest

from pipeline.align.decode import SHAPES, RowCosts, decode

SKIP, TEMP = 1.5, 0.7


class _Random:
    """A lattice of random bead costs, fixed per (shape, row, column)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.table: dict[tuple[int, int, int], float] = {}
        self.forgotten: list[tuple[int, int]] = []

    def cost(self, k: int, i: int, j: int) -> float:
        key = (k, i, j)
        if key not in self.table:
            self.table[key] = self.rng.uniform(-3.0, 4.0)
        return self.table[key]

    def costs(self, i: int) -> RowCosts:
        def shape(k: int) -> object:
            return None if SHAPES[k] == (1, 0) else (lambda j: self.cost(k, i, j))

        return tuple(shape(k) for k in range(len(SHAPES)))  # type: ignore[misc]

    def forget(self, row: int, col: int) -> None:
        self.forgotten.append((row, col))


def _reference(
    lattice: _Random, lo: list[int], hi: list[int]
) -> tuple[list[tuple[tuple[int, ...], tuple[int, ...]]], dict[tuple[int, int, int], float], float]:
    """Path, bead cost per (shape, end row, end column) and total soft cost, the obvious way."""
    n, m = len(lo) - 1, hi[-1]

    def inside(i: int, j: int) -> bool:
        return 0 <= i <= n and lo[i] <= j <= hi[i]

    def bead(k: int, i: int, j: int) -> float:
        return SKIP if SHAPES[k] in ((1, 0), (0, 1)) else lattice.cost(k, i, j - SHAPES[k][1])

    def lse(values: list[float]) -> float:
        low = min(values, default=math.inf)
        if low == math.inf:
            return math.inf
        return low - TEMP * math.log(math.fsum(math.exp((low - v) / TEMP) for v in values))

    best: dict[tuple[int, int], tuple[float, int]] = {(0, 0): (0.0, -1)}
    fwd: dict[tuple[int, int], float] = {(0, 0): 0.0}
    for i in range(n + 1):
        for j in range(lo[i], hi[i] + 1):
            if (i, j) == (0, 0):
                continue
            options, soft = [], []
            for k, (a, b) in enumerate(SHAPES):
                if inside(i - a, j - b) and (i - a, j - b) in best:
                    c = bead(k, i, j)
                    options.append((best[i - a, j - b][0] + c, k))
                    soft.append(fwd[i - a, j - b] + c)
            if options:
                best[i, j] = min(options, key=lambda o: o[0])
                fwd[i, j] = lse(soft)
    path = []
    i, j = n, m
    while (i, j) != (0, 0):
        a, b = SHAPES[best[i, j][1]]
        path.append((tuple(range(i - a, i)), tuple(range(j - b, j))))
        i, j = i - a, j - b
    path.reverse()
    bwd: dict[tuple[int, int], float] = {(n, m): 0.0}
    for i in range(n, -1, -1):
        for j in range(hi[i], lo[i] - 1, -1):
            if (i, j) == (n, m) or (i, j) not in best:
                continue
            bwd[i, j] = lse(
                [bead(k, i + a, j + b) + bwd.get((i + a, j + b), math.inf) for k, (a, b) in enumerate(SHAPES) if inside(i + a, j + b)]
            )
    posts = {}
    for (i, j), f in fwd.items():
        for k, (a, b) in enumerate(SHAPES):
            if inside(i + a, j + b) and (a or b):
                posts[k, i + a, j + b] = -(f + bead(k, i + a, j + b) + bwd.get((i + a, j + b), math.inf) - fwd[n, m]) / TEMP
    return path, posts, fwd[n, m]


def _band(rng: random.Random, n: int, m: int, half: int) -> tuple[list[int], list[int]]:
    lo = [max(0, round(i * m / n) - half - rng.randrange(2)) for i in range(n + 1)]
    hi = [min(m, round(i * m / n) + half + rng.randrange(2)) for i in range(n + 1)]
    lo[0], hi[n] = 0, m
    for i in range(1, n + 1):  # monotone, so that the end is reachable
        lo[i] = max(lo[i], lo[i - 1])
        hi[i] = max(hi[i], hi[i - 1])
    return lo, hi


@pytest.mark.parametrize("seed", range(12))
def test_decode_matches_the_cell_by_cell_programme(seed: int) -> None:
    rng = random.Random(seed)
    n, m = rng.randrange(2, 14), rng.randrange(2, 14)
    lo, hi = _band(rng, n, m, rng.choice((1, 2, 20)))
    lattice = _Random(seed)
    beads, skipped = decode(lattice, lo, hi, SKIP, TEMP, math.inf)
    path, posts, total = _reference(lattice, lo, hi)

    assert [(b.source, b.target) for b in beads] == path
    assert math.isfinite(total)
    i = j = 0
    for bead in beads:
        a, b = len(bead.source), len(bead.target)
        i, j = i + a, j + b
        want = min(1.0, max(0.0, math.exp(min(0.0, posts[SHAPES.index((a, b)), i, j]))))
        assert bead.confidence == pytest.approx(want, rel=1e-9, abs=1e-12)
    # Every source segment the path skips has a skip posterior at least its bead's.
    lone = {(True, b.source[0]): b.confidence for b in beads if b.source and not b.target}
    lone.update({(False, b.target[0]): b.confidence for b in beads if b.target and not b.source})
    assert skipped.keys() == lone.keys()
    for key, confidence in lone.items():
        assert confidence <= skipped[key] <= 1.0
    # ... and it is the posterior of a skip of that segment at any place, summed.
    k10, k01 = SHAPES.index((1, 0)), SHAPES.index((0, 1))
    for (is_source, x), posterior in skipped.items():
        ends = [v for (k, i, j), v in posts.items() if (k, i if is_source else j) == ((k10, x + 1) if is_source else (k01, x + 1))]
        assert posterior == pytest.approx(min(1.0, math.fsum(math.exp(v) for v in ends)), rel=1e-9, abs=1e-12)
    # The decoder told the lattice each row it was done with, in order.
    assert [row for row, _ in lattice.forgotten] == list(range(n + 1))


def test_decode_is_the_same_with_a_beam_that_drops_nothing() -> None:
    rng = random.Random(99)
    lo, hi = _band(rng, 30, 34, 4)
    wide = decode(_Random(5), lo, hi, SKIP, TEMP, math.inf)
    assert decode(_Random(5), lo, hi, SKIP, TEMP, 1e9) == wide
