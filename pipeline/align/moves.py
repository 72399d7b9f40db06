"""Reordered translations: a 1-0 bead and a 0-1 bead that are one link out of order.

The aligner is monotone, so a paragraph the translation moved (or two neighbours
that changed places beyond what a 2-2 bead covers) comes out as one "missing" and
one "extra" segment, or the moved paragraph is glued to a neighbour's bead (a
1-2 or 2-1). :func:`find_moves` pairs them back when the evidence is strong:

* the pair costs less than ``_MOVE_COST`` under the aligner's own pair score
  (length, shared anchors, kind, punctuation, kept text), after paying for
  detaching a segment from the bead it was glued to;
* or, both alone and at least ``_ADJACENT_LENGTH`` characters long, fewer than
  ``_ADJACENT`` links lie between them (two neighbours that changed places; lone
  segments between them do not count) and they cost less than ``_ADJACENT_COST``;
* or the two share an anchor that occurs once in each document (a URL, a number,
  a code span) and cost less than ``_ANCHORED_COST``: such a pair is a
  translation even when the translator rewrote its length;
* pairs are taken one to one, surest first (a segment whose best candidate
  went to a surer pair may take its second best).

A move stands only at confidence ``_MOVE_SURE`` or above (the confidence is a
logistic of how far under its limit the cost lies, 0.5 at the limit): a pair
just under its limit is as likely chance as a translation, and taken as a move
it would hide a "missing" finding and offer an unrelated paragraph as the
translation. Such a weaker pair is returned as a doubt instead: nothing is
detached, lone segments stay 1-0 and 0-1 beads, and the pair counts as one more
alternative against their findings (a finding is at most as sure as the pair is
not a move).

Without a shared anchor a pair is looked for only near by (``_NEAR`` beads): far
away, a length match alone is chance.
"""

from __future__ import annotations

import itertools
import math
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pipeline.config import DEFAULT_FINDING_THRESHOLD
from pipeline.model import Bead, Move

__all__ = ["find_moves"]

#: A pair below this cost is a translation (gold pairs of the docs dev set: median
#: 0.0, 95th percentile 2.5; neighbours that are not translations: 5th percentile 1.2).
_MOVE_COST = 2.5
#: The same for two lone segments with fewer than ``_ADJACENT`` links between
#: them (neighbours that changed places): there a drop next to an insertion is
#: the rarer reading.
_ADJACENT = 3
_ADJACENT_COST = 4.0
#: ... when both are this long (characters): two short headings agree in length by chance.
_ADJACENT_LENGTH = 40
#: The same for a pair sharing an anchor unique on both sides.
_ANCHORED_COST = 9.0
#: Beads apart within which pairs without a shared anchor are considered.
_NEAR = 8
#: Steepness of the confidence curve around the cost limit.
_SCALE = 1.5
#: A move stands only at this confidence or above, so that no move weaker than a
#: raised finding hides one.
_MOVE_SURE = DEFAULT_FINDING_THRESHOLD

RunCost = Callable[[tuple[int, ...], tuple[int, ...]], float]


@dataclass(frozen=True, slots=True)
class _Lone:
    """A segment without a partner, or one that could be detached from its bead."""

    bead: int
    index: int
    #: What detaching it costs (0 for a segment already alone).
    detach: float
    #: The bead it leaves behind (same as the original for a lone one).
    rest: Bead | None = None


def find_moves(
    beads: Sequence[Bead],
    cost: RunCost,
    keys: Callable[[int, bool], frozenset[str]],
    skip: float,
    merge: float,
    length: Callable[[int, bool], float] = lambda index, is_source: math.inf,
) -> tuple[tuple[Bead, ...], tuple[Move, ...], tuple[Move, ...]]:
    """Beads (with detached segments split off into 1-0 / 0-1 beads), the moves
    found among them, and the doubts (pairs too weak to stand as moves).
    ``cost(src, tgt)`` scores two runs as one bead (no position, no shape
    prior); ``keys(index, is_source)`` gives a segment's strong anchors;
    ``skip`` and ``merge`` are the decoder's shape priors; ``length(index,
    is_source)`` a segment's length in characters."""
    lone_s = _lone(beads, True, cost, skip, merge)
    lone_t = _lone(beads, False, cost, skip, merge)
    if not lone_s or not lone_t or not any(x.detach == 0.0 for x in lone_s + lone_t):
        return tuple(beads), (), ()
    unique = _unique_keys(beads, keys)
    by_key: dict[str, list[_Lone]] = defaultdict(list)
    for t in lone_t:
        for key in keys(t.index, False) & unique:
            by_key[key].append(t)
    found: dict[tuple[int, int], tuple[float, _Lone, _Lone]] = {}
    positions = [t.bead for t in lone_t]  # ascending: _lone walks the beads in order
    linked = list(itertools.accumulate((bool(b.source and b.target) for b in beads), initial=0))
    for s in lone_s:
        near = lone_t[bisect_left(positions, s.bead - _NEAR) : bisect_right(positions, s.bead + _NEAR)]
        anchored = [t for key in keys(s.index, True) & unique for t in by_key.get(key, ())]
        long_s = length(s.index, True) >= _ADJACENT_LENGTH
        limits = [
            (t, _ADJACENT_COST if long_s and length(t.index, False) >= _ADJACENT_LENGTH and _adjacent(s, t, linked) else _MOVE_COST)
            for t in near
        ]
        for t, limit in limits + [(t, _ANCHORED_COST) for t in anchored]:
            if s.rest is not None and t.rest is not None or s.bead == t.bead:
                continue  # two detachments at once, or a bead with itself: no evidence
            c = cost((s.index,), (t.index,)) + s.detach + t.detach
            if c < limit and c - limit < found.get((s.index, t.index), (math.inf,))[0]:
                found[s.index, t.index] = (c - limit, s, t)
    moves: list[Move] = []
    doubts: list[Move] = []
    out: list[Bead | tuple[Bead, Bead]] = list(beads)
    split: set[int] = set()
    used_s: set[int] = set()
    used_t: set[int] = set()
    # Greedy one-to-one, surest pair first: a segment's best candidate may be
    # taken by a pair surer still, and its second best is then its move.
    for (i, j), (margin, s, t) in sorted(found.items(), key=lambda item: (item[1][0], item[0])):
        if i in used_s or j in used_t or {s.bead, t.bead} & split:
            continue
        used_s.add(i)
        used_t.add(j)
        move = Move((i,), (j,), 1.0 / (1.0 + math.exp(margin / _SCALE)))
        if move.confidence < _MOVE_SURE:
            doubts.append(move)
            continue
        for x, is_source in ((s, True), (t, False)):
            if x.rest is not None:
                # Split the glued segment off its bead, keeping bead order monotone.
                alone = Bead((x.index,), (), 1.0) if is_source else Bead((), (x.index,), 1.0)
                first = x.index < (x.rest.source if is_source else x.rest.target)[0]
                out[x.bead] = (alone, x.rest) if first else (x.rest, alone)
                split.add(x.bead)
        moves.append(move)
    flat: list[Bead] = []
    for item in out:
        flat.extend(item if isinstance(item, tuple) else (item,))
    return tuple(flat), tuple(moves), tuple(doubts)


def _adjacent(s: _Lone, t: _Lone, linked: Sequence[int]) -> bool:
    """Two segments both without a partner, fewer than ``_ADJACENT`` links between
    them (``linked[k]``: links among the first k beads). Other lone segments between
    them do not count: they are what the translation dropped or moved there."""
    a, b = sorted((s.bead, t.bead))
    return s.rest is None and t.rest is None and linked[b] - linked[a + 1] < _ADJACENT


def _lone(beads: Sequence[Bead], source: bool, cost: RunCost, skip: float, merge: float) -> list[_Lone]:
    """Segments of one side without a partner, and the outer segment of each
    1-2 / 2-1 bead's longer side with what detaching it would cost."""
    out: list[_Lone] = []
    for k, b in enumerate(beads):
        mine, other = (b.source, b.target) if source else (b.target, b.source)
        if len(mine) == 1 and not other:
            out.append(_Lone(k, mine[0], 0.0))
        elif len(mine) == 2 and len(other) == 1:
            whole = cost(b.source, b.target) + merge
            for keep, drop in ((mine[:1], mine[1]), (mine[1:], mine[0])):
                rest = Bead(keep, other, b.confidence) if source else Bead(other, keep, b.confidence)
                detach = cost(rest.source, rest.target) + skip - whole
                out.append(_Lone(k, drop, max(detach, 0.0), rest))
    return out


def _unique_keys(beads: Sequence[Bead], keys: Callable[[int, bool], frozenset[str]]) -> frozenset[str]:
    """Strong anchors that occur in exactly one segment of each side."""
    counts_s: Counter[str] = Counter()
    counts_t: Counter[str] = Counter()
    for b in beads:
        for i in b.source:
            counts_s.update(keys(i, True))
        for j in b.target:
            counts_t.update(keys(j, False))
    return frozenset(k for k, n in counts_s.items() if n == 1 and counts_t.get(k) == 1)
