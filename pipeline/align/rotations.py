"""One moved paragraph that the monotone path read as crossings.

A translation moved two or three places away cannot be linked by a monotone
path; the decoder then often reads the stretch as crossings (2-2 beads, each two
neighbours that changed places) instead of skipping the moved paragraph on both
sides. With four look-alike paragraphs (tldr's "Compress a file, keeping the
original file:" and "Compress a file, specifying the output filename:"; kac's
"Using commit log diffs..." moved past two paragraphs) two crossings link four
pairs of which two are wrong, while one move links all four right.

The decoder cannot weigh the two readings: a move is two skips there, without
the pair cost of its link, which only :mod:`pipeline.align.moves` adds later. So
a window of consecutive one-to-one links (1-1 beads and the two crossing links of
each 2-2 bead) over sources ``i..i+L-1`` and targets ``j..j+L-1`` that holds a
crossing is compared with its two rotations: the first target moved from after
the last source (``i+L-1 -> j``, the rest straight ``i+k -> j+k+1``), and the
last target moved from before the first source (``i -> j+L-1``, the rest
``i+k+1 -> j+k``). Each reading is priced with the decoder's own shape priors (a
crossing ``merge22``, a move two skips) and the pair costs of all its links; the
rotation replaces the window when it gains at least ``_GAIN``. Parsimony is built
in: one edit (a move) against one per crossing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from pipeline.config import DEFAULT_FINDING_THRESHOLD
from pipeline.model import Bead, Move

__all__ = ["find_rotations"]

#: Gain (cost units) at which a rotation is as likely as not: a tie under the
#: decoder's own prices.
_GAIN = 0.0
#: Steepness of the confidence curve around ``_GAIN``.
_SCALE = 1.0
#: A rotation stands only at this confidence or above (as a move does).
_SURE = DEFAULT_FINDING_THRESHOLD
#: Window lengths (links) tried: a move of two or three places.
_LENGTHS = (3, 4)

RunCost = Callable[[tuple[int, ...], tuple[int, ...]], float]


def find_rotations(
    beads: Sequence[Bead], moves: Sequence[Move], cost: RunCost, skip: float, merge22: float
) -> tuple[tuple[Bead, ...], tuple[Move, ...]]:
    """Beads and moves after the rotations found: a window's beads become the
    straight 1-1 links and two lone beads (1-0 and 0-1, in monotone order) that a
    new move pairs. ``cost(src, tgt)`` scores two runs as one bead."""

    memo: dict[tuple[int, int], float] = {}

    def one(i: int, j: int) -> float:
        # Windows overlap: each pair is priced once.
        price = memo.get((i, j))
        if price is None:
            price = memo[i, j] = cost((i,), (j,))
        return price

    found: list[tuple[float, int, int, bool]] = []
    crossings = [k for k, b in enumerate(beads) if len(b.source) == len(b.target) == 2]
    # A window holds a crossing: it starts at most max(_LENGTHS) - 2 beads before one.
    starts = sorted({k for c in crossings for k in range(max(0, c - max(_LENGTHS) + 2), c + 1)})
    for k in starts:
        for length in _LENGTHS:
            window = _window(beads, k, length)
            if window is None:
                continue
            i, j, crossed = window
            now = crossed * merge22 + sum(_links_cost(beads, k, length, one))
            forward = sum(one(i + x, j + x + 1) for x in range(length - 1)) + one(i + length - 1, j)
            backward = sum(one(i + x + 1, j + x) for x in range(length - 1)) + one(i, j + length - 1)
            for alt, last_moves in ((forward, True), (backward, False)):
                gain = now - alt - 2 * skip
                if gain > _GAIN:
                    found.append((gain, k, length, last_moves))
    if not found:
        return tuple(beads), tuple(moves)
    replaced: dict[int, tuple[int, tuple[Bead, ...]]] = {}
    busy: set[int] = set()
    new_moves: list[Move] = []
    for gain, k, length, last_moves in sorted(found, reverse=True):
        confidence = 1.0 / (1.0 + math.exp(-(gain - _GAIN) / _SCALE))
        span = set(range(k, k + _beads_in(beads, k, length)))
        if confidence < _SURE or span & busy:
            continue
        busy |= span
        i, j = beads[k].source[0], beads[k].target[0]
        last = length - 1
        if last_moves:
            links = tuple(Bead((i + x,), (j + x + 1,), confidence) for x in range(last))
            out = (Bead((), (j,), 1.0), *links, Bead((i + last,), (), 1.0))
            new_moves.append(Move((i + last,), (j,), confidence))
        else:
            links = tuple(Bead((i + x + 1,), (j + x,), confidence) for x in range(last))
            out = (Bead((i,), (), 1.0), *links, Bead((), (j + last,), 1.0))
            new_moves.append(Move((i,), (j + last,), confidence))
        replaced[k] = (len(span), out)
    result: list[Bead] = []
    k = 0
    while k < len(beads):
        if k in replaced:
            count, out = replaced[k]
            result.extend(out)
            k += count
        else:
            result.append(beads[k])
            k += 1
    return tuple(result), (*moves, *new_moves)


def _window(beads: Sequence[Bead], k: int, length: int) -> tuple[int, int, int] | None:
    """(first source, first target, crossings) of the beads from ``k`` on that hold
    exactly ``length`` links, each bead a 1-1 or a 2-2, at least one a 2-2."""
    if not beads[k].source or not beads[k].target:
        return None
    covered = crossings = 0
    n = k
    while covered < length and n < len(beads):
        b = beads[n]
        if len(b.source) != len(b.target) or len(b.source) not in (1, 2):
            return None
        covered += len(b.source)
        crossings += len(b.source) == 2
        n += 1
    if covered != length or not crossings:
        return None
    return beads[k].source[0], beads[k].target[0], crossings


def _beads_in(beads: Sequence[Bead], k: int, length: int) -> int:
    covered = count = 0
    while covered < length:
        covered += len(beads[k + count].source)
        count += 1
    return count


def _links_cost(beads: Sequence[Bead], k: int, length: int, one: Callable[[int, int], float]) -> list[float]:
    """The pair costs of the window's links (a 2-2 bead's two crossing links)."""
    out: list[float] = []
    for n in range(k, k + _beads_in(beads, k, length)):
        b = beads[n]
        if len(b.source) == 1:
            out.append(one(b.source[0], b.target[0]))
        else:
            out += [one(b.source[0], b.target[1]), one(b.source[1], b.target[0])]
    return out
