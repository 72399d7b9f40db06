"""How sure a "missing" or "extra" finding is: the evidence against every other
reading of the same segment.

The monotone decoder calls a segment missing when skipping it is cheaper than
any bead it could join; its posterior says how much cheaper over all paths, but
a skip between two weak pairs often wins by little. A finding is believed only
as far as the cheapest local alternative loses to it:

* the segment joins the neighbouring bead before or after it (the translation
  merged it into the neighbour's paragraph: a 2-1 instead of a 1-0 and a 1-1);
* the segment pairs with a lone segment of the other side in the same gap (the
  two skips were one pair whose score the decoder found too weak).

``margin`` is how much more (in the aligner's cost units) the best alternative
costs than the finding; the confidence is a logistic of it, 0.5 at a tie.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from pipeline.model import Bead

__all__ = ["finding_confidences", "has_gap_partner"]

#: Cost units per factor e of odds (the width of the logistic).
_WIDTH = 1.5

Cost = Callable[[tuple[int, ...], tuple[int, ...]], float]


def finding_confidences(beads: Sequence[Bead], cost: Cost, skip: float, merge: float) -> dict[int, float]:
    """For each 1-0 or 0-1 bead (by index in ``beads``), the confidence that its
    segments really have no counterpart. ``cost(src, tgt)`` scores any two runs
    as one bead (no position, no shape prior); ``skip`` and ``merge`` are the
    decoder's shape priors."""
    out: dict[int, float] = {}
    for k, bead in enumerate(beads):
        if bead.source and bead.target:
            continue
        is_source = bool(bead.source)
        own = bead.source if is_source else bead.target
        margins: list[float] = []
        for d in (-1, 1):
            n = k + d
            if 0 <= n < len(beads) and beads[n].source and beads[n].target:
                nb = beads[n]
                now = cost(nb.source, nb.target) + skip
                if is_source:
                    joined = (own + nb.source) if d > 0 else (nb.source + own)
                    alt = cost(joined, nb.target) + merge
                else:
                    joined = (own + nb.target) if d > 0 else (nb.target + own)
                    alt = cost(nb.source, joined) + merge
                margins.append(alt - now)
        for other in _gap_partners(beads, k, is_source):
            alt = cost(own, other) if is_source else cost(other, own)
            margins.append(alt - 2 * skip)
        margin = min(margins, default=math.inf)
        out[k] = 1.0 / (1.0 + math.exp(-margin / _WIDTH)) if margin < math.inf else 1.0
    return out


def _gap_partners(beads: Sequence[Bead], k: int, is_source: bool) -> list[tuple[int, ...]]:
    """Lone segments of the other side in the run of one-sided beads around ``k``."""
    found: list[tuple[int, ...]] = []
    for step in (-1, 1):
        n = k + step
        while 0 <= n < len(beads) and not (beads[n].source and beads[n].target):
            side = beads[n].target if is_source else beads[n].source
            if side:
                found.append(side)
            n += step
    return found


def has_gap_partner(beads: Sequence[Bead], k: int, related: Callable[[int, int], bool]) -> bool:
    """Whether the run of one-sided beads around source bead ``k`` holds a target
    segment ``related(source, target)`` to it."""
    i = beads[k].source[0]
    for step in (-1, 1):
        n = k + step
        while 0 <= n < len(beads) and not (beads[n].source and beads[n].target):
            if any(related(i, j) for j in beads[n].target):
                return True
            n += step
    return False
