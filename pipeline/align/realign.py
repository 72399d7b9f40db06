"""The aligner's second pass: where to decode again, and splicing the result in.

After the first pass has learned word partners from its sure links
(:mod:`pipeline.align.lexicon`), only the stretches around its doubtful beads can
change; they are decoded anew as small lattices of their own and put back in
place of what the first pass made of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pipeline.model import Bead

__all__ = ["doubtful_windows", "monotone", "redecode"]

# The second pass decodes anew only around the
# first path's doubtful beads (anything but a one-to-one link at least
# ``_SURE`` likely), ``_AROUND`` beads either side, within ``_NEAR`` columns of
# where the first path went: the lexicon moves a link by a block or two, and
# the whole band again would double the cost.
_SURE = 0.9
_AROUND = 1
_NEAR = 2
# Segments (both sides) the second pass may decode anew: this share of the
# pair's, and at least this many.
_BUDGET = 0.05
_BUDGET_MIN = 500

#: Decode the sub-lattice at (i0, j0) within the band lo/hi: its beads and the
#: posteriors of its lone segments (keyed by side, True for a source, and index).
Decode = Callable[[int, int, list[int], list[int]], tuple[list[Bead], dict[tuple[bool, int], float]]]


def monotone(lo: list[int], hi: list[int], m: int) -> tuple[list[int], list[int]]:
    """Clamp the band to the lattice and make every cell reachable from (0, 0) and to (n, m)."""
    n = len(lo) - 1
    for i in range(n + 1):
        lo[i], hi[i] = max(0, lo[i]), min(m, hi[i])
    lo[0], hi[n] = 0, m
    # Monotone bounds keep every band cell reachable from (0, 0) and to (n, m).
    for i in range(n - 1, -1, -1):
        lo[i] = min(lo[i], lo[i + 1])
    for i in range(1, n + 1):
        hi[i] = max(hi[i], hi[i - 1])
        lo[i] = min(lo[i], hi[i - 1] + 1)
    return lo, hi


def doubtful_windows(path: Sequence[Bead]) -> list[tuple[int, int, int, int]]:
    """Stretches (i0, i1, j0, j1) of the lattice around the path's doubtful
    beads (anything but a sure one-to-one link), ``_AROUND`` beads either side."""
    doubtful = [k for k, b in enumerate(path) if not (len(b.source) == len(b.target) == 1 and b.confidence >= _SURE)]
    spans: list[list[int]] = []
    for k in doubtful:
        a, b = max(0, k - _AROUND), min(len(path), k + _AROUND + 1)
        if spans and a <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], b)
        else:
            spans.append([a, b])
    starts_i, starts_j = [0], [0]
    for bead in path:
        starts_i.append(starts_i[-1] + len(bead.source))
        starts_j.append(starts_j[-1] + len(bead.target))
    # The second pass costs at most a share of the first: beyond it, the surest
    # stretches stay as the first pass decoded them (a long pair full of edits
    # gets the doubtfullest, every short pair all of them).
    budget = max(_BUDGET_MIN, _BUDGET * (starts_i[-1] + starts_j[-1]))
    worst = sorted(range(len(spans)), key=lambda x: (min(path[k].confidence for k in range(*spans[x])), x))
    chosen: set[int] = set()
    for x in worst:
        a, b = spans[x]
        size = starts_i[b] - starts_i[a] + starts_j[b] - starts_j[a]
        if size > budget:
            break
        budget -= size
        chosen.add(x)
    return [(starts_i[a], starts_i[b], starts_j[a], starts_j[b]) for x, (a, b) in enumerate(spans) if x in chosen]


def redecode(
    path: Sequence[Bead],
    skipped: dict[tuple[bool, int], float],
    windows: Sequence[tuple[int, int, int, int]],
    decode: Decode,
) -> tuple[list[Bead], dict[tuple[bool, int], float]]:
    """``path`` decoded anew inside each window (within ``_NEAR`` columns of where it was)."""
    out: list[Bead] = []
    skipped = dict(skipped)
    k = at_i = at_j = 0
    for i0, i1, j0, j1 in windows:
        while (at_i, at_j) != (i0, j0):
            out.append(path[k])
            at_i, at_j = at_i + len(path[k].source), at_j + len(path[k].target)
            k += 1
        # The old path inside the window sets its band.
        n, m = i1 - i0, j1 - j0
        lo, hi = [m] * (n + 1), [0] * (n + 1)
        while (at_i, at_j) != (i1, j1):
            bead = path[k]
            i, j = at_i - i0, at_j - j0
            at_i, at_j = at_i + len(bead.source), at_j + len(bead.target)
            for r in range(i, at_i - i0 + 1):
                lo[r] = min(lo[r], j - _NEAR)
                hi[r] = max(hi[r], at_j - j0 + _NEAR)
            k += 1
        lo, hi = monotone(lo, hi, m)
        beads, lone = decode(i0, j0, lo, hi)
        for x in range(i0, i1):
            skipped.pop((True, x), None)
        for y in range(j0, j1):
            skipped.pop((False, y), None)
        skipped.update(((is_source, x + (i0 if is_source else j0)), p) for (is_source, x), p in lone.items())
        out.extend(
            Bead(tuple(x + i0 for x in b.source), tuple(y + j0 for y in b.target), b.confidence) for b in beads
        )
    out.extend(path[k:])
    return out, skipped
