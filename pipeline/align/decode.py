"""The aligner's dynamic programming over a band of the (source, target) lattice:
the Viterbi path, with forward-backward posteriors as the beads' confidences.

The costs come from a :class:`Lattice` (the scorer of :mod:`pipeline.align.aligner`);
this module knows nothing of segments, only of bead shapes, costs and the band.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import Protocol

from pipeline.model import Bead

__all__ = ["SHAPES", "Lattice", "RowCosts", "decode"]

#: Bead shapes (source count, target count) the aligner considers.
SHAPES: tuple[tuple[int, int], ...] = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2))

#: Per shape of :data:`SHAPES`, the cost of the bead ending at one row as a
#: function of the column it starts at; None for a skip (its cost is fixed).
RowCosts = Sequence[Callable[[int], float] | None]

_INF = math.inf
# (index, source count, target count) of every shape, and of those that move down a row.
_ALL = tuple((k, a, b) for k, (a, b) in enumerate(SHAPES))
_DOWN = tuple((k, a, b) for k, a, b in _ALL if a)


class Lattice(Protocol):
    def costs(self, i: int) -> RowCosts:
        """The costs of the beads ending at row ``i``."""

    def forget(self, row: int, col: int) -> None:
        """No bead ending at row >= ``row``, column >= ``col`` is asked for any more."""


def decode(
    lattice: Lattice, lo: list[int], hi: list[int], skip: float, temp: float, beam: float
) -> tuple[list[Bead], dict[tuple[bool, int], float]]:
    """Viterbi path over the band, with forward-backward posteriors (costs divided
    by ``temp``) as confidences, and for each segment the path skips (keyed by
    side, True for a source, and index), the posterior that it is skipped at any
    place. A skip costs ``skip``; cells more than ``beam`` behind their row's best
    are dropped.

    Soft costs are -T log sum exp(-cost / T) over all paths, accumulated online
    (running minimum and scaled sum) so that no per-cell lists are allocated; the
    costs of incoming beads are kept in one flat list per row for the backward pass.
    """
    n = len(lo) - 1
    m = hi[n]
    shapes = len(SHAPES)
    skip_k = SHAPES.index((0, 1))
    # Locals: read in every cell, where a global costs a dictionary check.
    exp, log, inf = math.exp, math.log, _INF
    best: list[list[float]] = []  # Viterbi cost per row cell
    soft: list[list[float]] = []  # forward soft cost per row cell
    back: list[list[int]] = []  # shape index of the best incoming bead
    incoming: list[list[float]] = []  # per row, cost of each incoming shape, cell-major
    for i in range(n + 1):
        row_lo = lo[i]
        width = hi[i] - row_lo + 1
        b_row = [inf] * width
        s_row = [inf] * width
        k_row = [-1] * width
        c_row = [inf] * (width * shapes)
        costs = lattice.costs(i) if i else ()
        # Per incoming shape: the previous row's cells as offsets from this row's
        # x (index = x - shift, valid in 0..last).
        sources = [
            (k, row_lo - b - lo[i - a], hi[i - a] - lo[i - a], best[i - a], soft[i - a], costs[k], row_lo - b)
            for k, a, b in _DOWN
            if a <= i
        ]
        # The previous cell's Viterbi and soft costs, kept in locals for the skip
        # into the next cell (the beam prunes only after the row is done).
        left_best = left_soft = inf
        start = 0
        if not i and not row_lo:
            b_row[0] = s_row[0] = left_best = left_soft = 0.0
            start = 1
        for x in range(start, width):
            at = x * shapes
            if left_best < inf:
                c_row[at + skip_k] = skip
                top, top_k = left_best + skip, skip_k
                low, acc = left_soft + skip, 1.0
            else:
                top, top_k = inf, -1
                low, acc = inf, 0.0  # soft cost so far: low - temp * log(acc)
            for k, shift, last, p_best, p_soft, fn, col in sources:
                px = x + shift
                if px < 0 or px > last:
                    continue
                pb = p_best[px]
                if pb == inf:
                    continue
                c = fn(x + col) if fn else skip
                c_row[at + k] = c
                t = pb + c
                if t < top:
                    top, top_k = t, k
                v = p_soft[px] + c
                if v < low:
                    acc = acc * exp((v - low) / temp) + 1.0 if acc else 1.0
                    low = v
                else:
                    acc += exp((low - v) / temp)
            b_row[x] = left_best = top
            k_row[x] = top_k
            if acc:
                s_row[x] = left_soft = low - temp * log(acc)
            else:
                left_soft = inf
        # Beam: a cell this far behind the row's best contributes nothing visible.
        # A row's last cell stays, however far behind: the next row can always be
        # reached from it, so (n, m) always can be (and the last row is all kept).
        if i < n:
            limit = min(b_row) + beam
            for x in range(width - 1):
                if b_row[x] > limit:
                    b_row[x] = s_row[x] = inf
        best.append(b_row)
        soft.append(s_row)
        back.append(k_row)
        incoming.append(c_row)
        lattice.forget(i, row_lo)

    # Backward soft costs: from each cell to (n, m).
    after: list[list[float]] = [[inf] * (hi[i] - lo[i] + 1) for i in range(n + 1)]
    after[n][m - lo[n]] = 0.0
    for i in range(n, -1, -1):
        row_lo = lo[i]
        b_row, a_row = best[i], after[i]
        # Per outgoing shape: the next row's cells as offsets from this row's x
        # (index = x + shift, valid in 0..last).
        targets = [
            (k, row_lo + b - lo[i + a], hi[i + a] - lo[i + a], incoming[i + a], after[i + a])
            for k, a, b in _ALL
            if i + a <= n
        ]
        # (n, m), the last row's last cell, is where every path ends.
        for x in range(hi[i] - row_lo - (i == n), -1, -1):
            if b_row[x] == inf:
                continue
            low, acc = inf, 0.0
            for k, shift, last, n_inc, n_after in targets:
                nx = x + shift
                if nx > last or nx < 0:
                    continue
                v = n_inc[nx * shapes + k] + n_after[nx]
                if v == inf:
                    continue
                if v < low:
                    acc = acc * exp((v - low) / temp) + 1.0 if acc else 1.0
                    low = v
                else:
                    acc += exp((low - v) / temp)
            if acc:
                a_row[x] = low - temp * log(acc)

    total = soft[n][m - lo[n]]
    beads: list[Bead] = []
    skipped: dict[tuple[bool, int], float] = {}
    i, j = n, m
    while i > 0 or j > 0:
        k = back[i][j - lo[i]]
        a, b = SHAPES[k]
        pi, pj = i - a, j - b
        c = incoming[i][(j - lo[i]) * shapes + k]
        log_post = -(soft[pi][pj - lo[pi]] + c + after[i][j - lo[i]] - total) / temp
        confidence = min(1.0, max(0.0, math.exp(min(0.0, log_post))))
        if b == 0:
            log_skip = _log_skipped(pi, soft, after, lo, hi, total, skip, temp)
            skipped[True, pi] = max(confidence, math.exp(min(0.0, log_skip)))
        elif a == 0:
            log_skip = _log_skipped_column(pj, soft, after, lo, hi, total, skip, temp)
            skipped[False, pj] = max(confidence, math.exp(min(0.0, log_skip)))
        beads.append(Bead(tuple(range(pi, i)), tuple(range(pj, j)), confidence))
        i, j = pi, pj
    beads.reverse()
    return beads, skipped


def _log_skipped(
    i: int,
    soft: list[list[float]],
    after: list[list[float]],
    lo: list[int],
    hi: list[int],
    total: float,
    skip: float,
    temp: float,
) -> float:
    """Log posterior that source ``i`` is skipped (a 1-0 bead) at any column."""
    terms = [
        soft[i][j - lo[i]] + skip + after[i + 1][j - lo[i + 1]]
        for j in range(max(lo[i], lo[i + 1]), min(hi[i], hi[i + 1]) + 1)
    ]
    return _log_share(terms, total, temp)


def _log_skipped_column(
    j: int,
    soft: list[list[float]],
    after: list[list[float]],
    lo: list[int],
    hi: list[int],
    total: float,
    skip: float,
    temp: float,
) -> float:
    """Log posterior that target ``j`` is skipped (a 0-1 bead) at any row."""
    # The band is monotone: the rows holding both columns j and j + 1 are one run.
    rows = range(bisect_right(hi, j), bisect_right(lo, j))
    return _log_share([soft[i][j - lo[i]] + skip + after[i][j + 1 - lo[i]] for i in rows], total, temp)


def _log_share(terms: list[float], total: float, temp: float) -> float:
    """Log of the share of all paths' weight that passes through one of ``terms``
    (the costs of the paths through each place, against ``total``)."""
    low = min(terms, default=_INF)
    if low == _INF:
        return -_INF
    acc = math.fsum(math.exp((low - t) / temp) for t in terms if t < _INF)
    return -(low - temp * math.log(acc) - total) / temp
