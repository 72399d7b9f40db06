"""Moves the monotone path hid behind a wrong link.

When a translation moves a paragraph, the monotone decoder often links the
moved paragraph's neighbour in the translation to the wrong source: the source
``y`` whose own translation moved away takes the translation ``p`` that the
move put next to it, and the source ``x`` that ``p`` really translates, and the
translation ``t`` that moved away from ``y``, are left alone (or paired with
each other as a weak move). :func:`find_chains` looks for such a link and two
lone segments, one on each side, whose exchange makes two better links::

    now:   y - p,  x alone,  t alone      (or x - t as a move)
    then:  x - p,  y - t                  (both out of order: two moves)

The exchange must gain at least ``_GAIN`` in the aligner's cost units over the
current reading (a lone segment costs the decoder's skip prior; a move its pair
cost; a link that is one of a crossing's two, a 2-2 bead, also the crossing's
prior, which the exchange saves: tldr-7z's moved "E[x]trahovat archiv..." read
as a crossing with "Encrypt an existing archive..." gains 0.8 in pair costs and
3.8 with it), and ``x`` must fit ``p`` better than ``y`` does. The gain of true
exchanges on the docs dev set was 3.0-24 (held-out javascript.info pairs
included), of false ones at most 2.0. A link is taken apart only for the
exchange of largest gain that uses it, and each segment takes part in one
exchange.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence

from pipeline.config import DEFAULT_FINDING_THRESHOLD
from pipeline.model import Bead, Move

__all__ = ["find_chains"]

#: Gain (cost units) at which an exchange is as likely as not.
_GAIN = 2.0
#: Steepness of the confidence curve around ``_GAIN``.
_SCALE = 1.0
#: An exchange stands only at this confidence or above (as a move does).
_SURE = DEFAULT_FINDING_THRESHOLD
#: Beads apart within which the lone segments and the link are looked for.
_NEAR = 8

RunCost = Callable[[tuple[int, ...], tuple[int, ...]], float]


def find_chains(
    beads: Sequence[Bead], moves: Sequence[Move], cost: RunCost, skip: float, merge22: float = 0.0
) -> tuple[tuple[Bead, ...], tuple[Move, ...]]:
    """Beads and moves after the exchanges found: a link taken apart leaves its two
    segments in 1-0 and 0-1 beads (the bead order stays monotone), each paired by
    a new move; a move that one of the exchanged lone segments had is dropped (its
    other segment is alone again). ``cost(src, tgt)`` scores two runs as one bead;
    ``skip`` is the decoder's skip prior, ``merge22`` its prior for a crossing
    (a 2-2 bead): an exchange that takes a crossing link apart leaves the other
    link straight, and saves that prior once."""
    lone_s = [(k, b.source[0]) for k, b in enumerate(beads) if len(b.source) == 1 and not b.target]
    lone_t = [(k, b.target[0]) for k, b in enumerate(beads) if len(b.target) == 1 and not b.source]
    if not lone_s or not lone_t:
        return tuple(beads), tuple(moves)
    moved_s = {m.source[0]: m for m in moves}
    moved_t = {m.target[0]: m for m in moves}
    pos_s = [k for k, _ in lone_s]
    pos_t = [k for k, _ in lone_t]

    def alone(x: int, t: int) -> float:
        # What the two lone segments cost now: a skip each, or their move's pair
        # cost (a move with a third segment leaves that one alone: a skip).
        mx, mt = moved_s.get(x), moved_t.get(t)
        if mx is not None and mx is mt:
            return cost((x,), (t,))
        sx = cost((x,), mx.target) - skip if mx is not None else skip
        st = cost(mt.source, (t,)) - skip if mt is not None else skip
        return sx + st

    found: list[tuple[float, int, int, int, int, int]] = []
    for k, y, p in _links(beads):
        crossing = merge22 if len(beads[k].source) == 2 else 0.0
        near_s = lone_s[bisect_left(pos_s, k - _NEAR) : bisect_right(pos_s, k + _NEAR)]
        near_t = lone_t[bisect_left(pos_t, k - _NEAR) : bisect_right(pos_t, k + _NEAR)]
        if not near_s or not near_t:
            continue
        old = cost((y,), (p,))
        better = [(x, cost((x,), (p,))) for _, x in near_s]
        better = [(x, c) for x, c in better if c < old]
        if not better:
            continue
        for _, t in near_t:
            rep = cost((y,), (t,))
            for x, new in better:
                gain = old + crossing + alone(x, t) - new - rep
                if gain > _GAIN:
                    found.append((gain, k, x, y, p, t))
    if not found:
        return tuple(beads), tuple(moves)
    used_s: set[int] = set()
    used_t: set[int] = set()
    taken: dict[int, list[tuple[int, int]]] = {}
    new_moves: list[Move] = []
    for gain, k, x, y, p, t in sorted(found, reverse=True):
        if k in taken:
            gain -= merge22  # the crossing's prior is saved by the first exchange only
        confidence = 1.0 / (1.0 + math.exp(-(gain - _GAIN) / _SCALE))
        if confidence < _SURE or {x, y} & used_s or {p, t} & used_t or k in taken and len(beads[k].source) == 1:
            continue
        used_s |= {x, y}
        used_t |= {p, t}
        taken.setdefault(k, []).append((y, p))
        new_moves += [Move((x,), (p,), confidence), Move((y,), (t,), confidence)]
    kept = [m for m in moves if m.source[0] not in used_s and m.target[0] not in used_t]
    out: list[Bead] = []
    for k, b in enumerate(beads):
        out.extend(_apart(b, taken[k]) if k in taken else (b,))
    return tuple(out), tuple(kept + new_moves)


def _links(beads: Sequence[Bead]) -> list[tuple[int, int, int]]:
    """(bead, source, target) of every one-to-one link: 1-1 beads and the two
    crossing links of each 2-2 bead."""
    out: list[tuple[int, int, int]] = []
    for k, b in enumerate(beads):
        if len(b.source) == len(b.target) == 1:
            out.append((k, b.source[0], b.target[0]))
        elif len(b.source) == len(b.target) == 2:
            out += [(k, b.source[0], b.target[1]), (k, b.source[1], b.target[0])]
    return out


def _apart(bead: Bead, links: list[tuple[int, int]]) -> tuple[Bead, ...]:
    """``bead`` with ``links`` taken out, its segments in monotone order."""
    if len(bead.source) == 1 or len(links) == 2:
        return tuple(Bead((i,), (), 1.0) for i in bead.source) + tuple(Bead((), (j,), 1.0) for j in bead.target)
    y = links[0][0]
    a, b = bead.source, bead.target
    if y == a[0]:  # a[0] - b[1] leaves, the crossing a[1] - b[0] stays
        return (Bead((a[0],), (), 1.0), Bead((a[1],), (b[0],), bead.confidence), Bead((), (b[1],), 1.0))
    return (Bead((), (b[0],), 1.0), Bead((a[0],), (b[1],), bead.confidence), Bead((a[1],), (), 1.0))
