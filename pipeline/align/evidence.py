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
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

from pipeline.align.anchors import Features
from pipeline.model import Bead, Move, Segment

__all__ = ["finding_confidences", "finding_posteriors", "has_gap_partner", "in_source_words"]

_WORD = re.compile(r"[^\W\d_]{2,}")
_MARKUP = re.compile(r"\{/\*.*?\*/\}|\]\([^)]*\)|<[^>]*>|`[^`]*`")
#: Common source words a target segment must have to read as written in the source's.
_SOURCE_WORDS = 3
#: Segments either side within which a document's common words are counted (a
#: long document's vocabulary would cost more than the findings that ask).
_NEARBY = 30

#: First letters two unrelated segments share by chance: one (a link title of six
#: long words and a 35-word disclaimer share one of the 1,024 bits in one pair of five).
_CHANCE_PREFIXES = 2
#: Cost units per factor e of odds (the width of the logistic).
_WIDTH = 1.5

Cost = Callable[[tuple[int, ...], tuple[int, ...]], float]


def finding_confidences(
    beads: Sequence[Bead], cost: Cost, skip: float, merge: float, placed: frozenset[tuple[bool, int]] = frozenset()
) -> dict[int, float]:
    """For each 1-0 or 0-1 bead (by index in ``beads``), the confidence that its
    segments really have no counterpart. ``cost(src, tgt)`` scores any two runs
    as one bead (no position, no shape prior); ``skip`` and ``merge`` are the
    decoder's shape priors. The segments of ``placed`` (side, index; side True
    for a source) were weighed against every lone segment of the other side
    already and went to a move: they are no alternative here."""
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
            if (not is_source, other[0]) in placed:
                continue
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


def finding_posteriors(
    beads: Sequence[Bead],
    findings: Mapping[int, float],
    skipped: Mapping[tuple[bool, int], float],
    moves: Sequence[Move],
    segments: tuple[Sequence[Segment], Sequence[Segment]],
    features: tuple[Sequence[Features], Sequence[Features]],
) -> dict[int, float]:
    """The decoder's posterior for each finding (by index in ``beads``; ``findings``
    holds each one's confidence from the local alternatives, which the posterior
    can only lower), given the ``moves`` found. ``skipped`` holds, for each segment
    the path skips (by side, True for a source, and index), the posterior that it
    is skipped at any place."""
    source, target = segments
    untranslated = in_source_words(source, target)
    # A lone target that a move pairs is no one else's rewritten translation.
    moved = {j for m in moves for j in m.target}
    related = _relatedness(*features, lambda i, j: j in moved or untranslated(i, j))
    out: dict[int, float] = {}
    for k in findings:
        b = beads[k]
        if b.source and (True, b.source[0]) in skipped and not has_gap_partner(beads, k, related):
            # A missing segment: the posterior that it is skipped at all, wherever.
            # In a run of similar short blocks the skip may fall beside one link or
            # the next, and each place alone looks doubtful. Not where the target
            # has a related lone segment in the same gap: there the decoder's doubt
            # between the two orders of the skips is the doubt between a drop
            # beside an insertion and one pair rewritten beyond recognition (which
            # still shares an anchor or a cognate).
            out[k] = skipped[True, b.source[0]]
        elif (
            not b.source
            and b.confidence < findings[k]
            and _gap_partners(beads, k, False)
            and untranslated(_near(b.target[0], source, target), b.target[0])
        ):
            # A segment left in the source's words pairs with nothing: where its
            # skip falls among the skipped sources of its gap (semver's untranslated
            # tail) is no doubt about it being extra.
            out[k] = 1.0
        elif not b.source and (False, b.target[0]) in skipped and not has_gap_partner(beads, k, related):
            # An extra segment likewise: a translator's note at the end of a page
            # beside a dropped last paragraph is extra wherever its skip falls
            # (before or after the source's), when nothing ties it to that paragraph.
            out[k] = skipped[False, b.target[0]]
        else:
            out[k] = b.confidence
    return out


def has_gap_partner(beads: Sequence[Bead], k: int, related: Callable[[int, int], bool]) -> bool:
    """Whether the run of one-sided beads around bead ``k`` (a lone source or a
    lone target) holds a segment of the other side ``related(source, target)`` to it."""
    is_source = bool(beads[k].source)
    own = beads[k].source[0] if is_source else beads[k].target[0]
    for step in (-1, 1):
        n = k + step
        while 0 <= n < len(beads) and not (beads[n].source and beads[n].target):
            if is_source and any(related(own, j) for j in beads[n].target):
                return True
            if not is_source and any(related(i, own) for i in beads[n].source):
                return True
            n += step
    return False


def _near(j: int, source: Sequence[Segment], target: Sequence[Segment]) -> int:
    """The source index at the same share of the document as target ``j``."""
    return j * len(source) // len(target)


def _relatedness(
    fs: Sequence[Features], ft: Sequence[Features], excluded: Callable[[int, int], bool]
) -> Callable[[int, int], bool]:
    """Whether target ``j`` could be source ``i``'s translation rewritten beyond
    recognition: it shares an anchor or a cognate with it (semver's "I call this
    system..." keeps some; an unrelated insertion none) and is not ``excluded``
    (written in the source's words, :func:`in_source_words`, or paired by a move)."""

    def related(i: int, j: int) -> bool:
        shares = not fs[i].keys.isdisjoint(ft[j].keys) or (fs[i].prefixes & ft[j].prefixes).bit_count() >= _CHANCE_PREFIXES
        return shares and not excluded(i, j)

    return related


def in_source_words(source: Sequence[Segment], target: Sequence[Segment]) -> Callable[[int, int], bool]:
    """Whether target segment ``j`` is written in the source's words rather than the
    translation's, judged near source ``i`` (at least ``_NEARBY`` segments either
    side of each): at least ``_SOURCE_WORDS`` of its words are common in the source (in two
    segments or more) and absent from the rest of the target, more than twice as
    many as it shares only with the rest of the target (an untranslated paragraph,
    or one pasted in from an original). Such a segment is no
    translation rewritten beyond recognition, whatever first letters it shares with
    a source segment: every paragraph of one language shares them."""
    buckets: dict[tuple[bool, int], Counter[str]] = {}

    def counts(is_source: bool, k: int) -> Callable[[str], int]:
        # In how many segments near index k a word occurs: the counts of the
        # bucket of _NEARBY segments holding k and of the buckets either side.
        side = source if is_source else target
        near = range(max(0, k // _NEARBY - 1), min((len(side) - 1) // _NEARBY, k // _NEARBY + 1) + 1)
        for b in near:
            if (is_source, b) not in buckets:
                part = side[b * _NEARBY : (b + 1) * _NEARBY]
                buckets[is_source, b] = Counter(w for seg in part for w in _words(seg.text))
        found = [buckets[is_source, b] for b in near]
        return lambda w: sum(c[w] for c in found)

    def test(i: int, j: int) -> bool:
        df_s, df_t = counts(True, i), counts(False, j)
        own = _words(target[j].text)
        only_source = sum(df_s(w) >= 2 and df_t(w) == 1 for w in own)
        only_target = sum(df_t(w) >= 2 and not df_s(w) for w in own)
        return only_source >= _SOURCE_WORDS and only_source > 2 * only_target

    return test


def _words(text: str) -> frozenset[str]:
    """The words of a segment's prose: code, link targets, tags and MDX comments
    (react's heading ids, ``{/*safari-and-other-browsers*/}``) stay as they were
    in any translation and tell no language."""
    return frozenset(w.lower() for w in _WORD.findall(_MARKUP.sub(" ", text)))
