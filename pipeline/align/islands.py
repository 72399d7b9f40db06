"""A moved translation that landed inside a dropped run.

When a translation drops a run of paragraphs and a paragraph moved from
elsewhere lands among the gaps, the monotone decoder links the moved translation
``p`` to one of the dropped sources ``y`` beside it: one link costs less than two
skips even when it is a poor one. The path then reads as an island, a lone link
with skipped sources on both sides, while the source ``x`` that ``p`` really
translates is left alone wherever the move took it from (tldr-gzip's
"Dekomprimovat soubor a nahradit jej..." linked to "Display the name and
reduction percentage...", ten blocks below "Decompress a file, replacing it...").
:mod:`pipeline.align.chains` cannot see it: there is no lone target to exchange,
``y``'s translation is gone with its run.

An island is no evidence of position: the run around it says the translation
did not follow the source there. So its link is compared, pair cost against pair
cost, with every lone source (and, the other way round, a link amid lone targets
with every lone target): when a lone segment ``x`` fits ``p`` better than ``y``
does, by ``_GAIN`` or more, and well enough to stand as a move on its own
(``_MOVE_COST``), ``x``-``p`` becomes a move and ``y`` is left with its run.
Both readings keep one link and one lone segment, so the decoder's shape priors
cancel and the pair costs alone decide. The segment the island leaves alone is
missing (or extra) as surely as the move stands, and so are the other lone
segments of its run, whose doubt was the link they might have made instead. On the docs dev set the islands that
were right fit their link better than any lone segment elsewhere; the wrong ones
fit a lone segment better by 1.0-2.7.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pipeline.config import DEFAULT_FINDING_THRESHOLD
from pipeline.model import Bead, Move

__all__ = ["GivenUp", "find_islands", "posterior_floors"]

#: Gain (cost units) at which the move is as likely as the island's link.
_GAIN = 0.0
#: Steepness of the confidence curve around ``_GAIN``.
_SCALE = 1.0
#: A move found so stands only at this confidence or above (as every move does).
_SURE = DEFAULT_FINDING_THRESHOLD
#: The move's own pair must be a translation by the limit :mod:`moves` sets.
_MOVE_COST = 2.5

RunCost = Callable[[tuple[int, ...], tuple[int, ...]], float]


@dataclass(frozen=True, slots=True)
class GivenUp:
    """An island's link taken apart: ``placed`` (side, index; side True for a
    source) went to a move, weighed against every lone segment of the other
    side, so it is no alternative to their findings; ``left`` is alone now, as
    surely as the move stands (``confidence``)."""

    left: tuple[bool, int]
    placed: tuple[bool, int]
    confidence: float


def find_islands(
    beads: Sequence[Bead], moves: Sequence[Move], cost: RunCost
) -> tuple[tuple[Bead, ...], tuple[Move, ...], tuple[GivenUp, ...]]:
    """Beads and moves after giving each island's translation to the lone segment
    it fits best: the island's 1-1 bead becomes a 1-0 and a 0-1 bead (monotone
    order kept), and a new move pairs the partner with its lone segment. Also
    the links given up. ``cost(src, tgt)`` scores two runs as one bead."""
    moved_s = {i for m in moves for i in m.source}
    moved_t = {j for m in moves for j in m.target}
    lone_s = [b.source[0] for b in beads if len(b.source) == 1 and not b.target and b.source[0] not in moved_s]
    lone_t = [b.target[0] for b in beads if len(b.target) == 1 and not b.source and b.target[0] not in moved_t]
    found: list[tuple[float, int, bool, int]] = []
    for k in range(1, len(beads) - 1):
        b = beads[k]
        if len(b.source) != 1 or len(b.target) != 1:
            continue
        before, after = beads[k - 1], beads[k + 1]
        for is_source, lone in ((True, lone_s), (False, lone_t)):
            # The island lies amid lone segments of one side: its partner on the
            # other side may belong to a lone segment of this side elsewhere.
            if not lone or not _alone(before, is_source) or not _alone(after, is_source):
                continue
            y, p = b.source[0], b.target[0]
            ranked = sorted((cost((x,), (p,)) if is_source else cost((y,), (x,)), x) for x in lone)
            new, x = ranked[0]
            # The move must beat the island's own link and the next lone
            # candidate: two look-alike lone segments leave the move in doubt.
            rival = min(cost((y,), (p,)), ranked[1][0] if len(ranked) > 1 else math.inf)
            gain = rival - new
            if gain > _GAIN and new < _MOVE_COST:
                found.append((gain, k, is_source, x))
    if not found:
        return tuple(beads), tuple(moves), ()
    taken: set[int] = set()
    used: set[tuple[bool, int]] = set()
    new_moves: list[Move] = []
    given: list[GivenUp] = []
    for gain, k, is_source, x in sorted(found, reverse=True):
        confidence = 1.0 / (1.0 + math.exp(-(gain - _GAIN) / _SCALE))
        if confidence < _SURE or k in taken or (is_source, x) in used:
            continue
        taken.add(k)
        used.add((is_source, x))
        y, p = beads[k].source[0], beads[k].target[0]
        if is_source:
            new_moves.append(Move((x,), (p,), confidence))
            given.append(GivenUp((True, y), (False, p), confidence))
        else:
            new_moves.append(Move((y,), (x,), confidence))
            given.append(GivenUp((False, p), (True, y), confidence))
    out: list[Bead] = []
    for k, b in enumerate(beads):
        if k in taken:
            out += [Bead(b.source, (), 1.0), Bead((), b.target, 1.0)]
        else:
            out.append(b)
    return tuple(out), (*moves, *new_moves), tuple(given)


def posterior_floors(beads: Sequence[Bead], given: Sequence[GivenUp]) -> dict[int, float]:
    """For the findings of the other side in the run of one-sided beads around
    each placed segment (by index in ``beads``), the least their posterior may be:
    the decoder doubted them for the link they might make with the placed segment
    (tldr-i3's "Split the next window vertically:" and "Open an application
    launcher:" were as likely partners of "Otevřít nové terminálové okno:"), and
    the move settled that doubt as surely as it stands."""
    where: dict[tuple[bool, int], int] = {}
    for k, b in enumerate(beads):
        if not b.target and len(b.source) == 1:
            where[True, b.source[0]] = k
        elif not b.source and len(b.target) == 1:
            where[False, b.target[0]] = k
    floors: dict[int, float] = {}
    for g in given:
        at = where.get(g.placed)
        if at is None:
            continue
        for step in (-1, 1):
            n = at + step
            while 0 <= n < len(beads) and not (beads[n].source and beads[n].target):
                if bool(beads[n].source) != g.placed[0]:
                    floors[n] = max(floors.get(n, 0.0), g.confidence)
                n += step
    return floors


def _alone(bead: Bead, is_source: bool) -> bool:
    """A 1-0 bead (``is_source``) or a 0-1 bead."""
    mine, other = (bead.source, bead.target) if is_source else (bead.target, bead.source)
    return len(mine) == 1 and not other
