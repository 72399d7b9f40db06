"""Paragraph alignment of a source article with its translation.

:func:`align` links runs of source segments to runs of target segments (beads of
shape 1-1, 1-0, 0-1, 2-1, 1-2 and 2-2), monotonically, so that every segment of
both sides lies in exactly one bead. It is a pure function: no I/O, no globals.

How it works:

1. Features per segment (:mod:`pipeline.align.anchors`): length, anchor tokens (numbers,
   code, URLs, names and technical terms, compared inflection-tolerantly), block
   kind and closing punctuation.
2. A chain of confident one-to-one links is found window by window; the median
   length ratio over those links (their summed lengths when fewer than three are
   long) estimates how much longer the translation runs (a dropped run would
   bias a whole-document ratio).
3. Dynamic programming over a band of the (source, target) lattice. Between two
   chain links the band covers the whole rectangle the path must cross, so a
   dropped run of any size between anchors is found; long unanchored stretches get
   a diagonal band as wide as their length difference plus a margin. The band is
   therefore proportional to the document, not to its square.
4. Bead costs are negative log-likelihood-like: Gale-Church style length term on a
   log ratio, rewards for shared anchors, penalties for one-sided numbers and
   terms, block-kind and punctuation agreement, a diagonal prior around the
   anchor-guided path, a shape prior. Identical text on both sides (a quotation or
   a title kept in English) is a very strong link. A 2-2 bead is read crosswise:
   it stands for two neighbours that changed places (read straight it would just
   be two 1-1 beads).
5. Forward-backward over the same band turns costs into posterior probabilities
   (at temperature ``_TEMPERATURE``); a bead's confidence is the posterior
   probability that the alignment contains it (a skipped source segment also
   gets the posterior of being skipped at any place, for its finding). Cells far behind their row's best
   (``_BEAM``) are dropped, which changes no decision and no visible digit.
5a. A second pass (:mod:`pipeline.align.lexicon`, :mod:`pipeline.align.realign`): word
   partners learned from the first path's sure links join the pair cost, and the
   stretches around the first path's doubtful beads are decoded again.
6. Out-of-order translations: lone segments are paired as moves (:mod:`pipeline.align.moves`),
   a link the path made with a moved translation is exchanged for two moves
   (:mod:`pipeline.align.chains`), crossings that one move explains better
   become that move (:mod:`pipeline.align.rotations`), and a link between skips
   whose translation a lone segment elsewhere fits better is given to it as a
   move (:mod:`pipeline.align.islands`); each remaining finding gets its own
   confidence (:mod:`pipeline.align.evidence`).

The constants below were set on the real seed pair and on seeded variants of it
(``tests/variants.py``); ``bench/align_bench.py`` prints the resulting figures.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from statistics import median

from rapidfuzz import fuzz

from pipeline.align.anchors import Features, anchor_chain, extract_all, interpolate
from pipeline.align.chains import find_chains
from pipeline.align.decode import SHAPES, Lattice, RowCosts, decode
from pipeline.align.evidence import finding_confidences, finding_posteriors
from pipeline.align.islands import find_islands, posterior_floors
from pipeline.align.lexicon import with_lexicon
from pipeline.align.moves import find_moves
from pipeline.align.realign import doubtful_windows, monotone, redecode
from pipeline.align.rotations import find_rotations
from pipeline.model import Alignment, Bead, BlockKind, Segment

__all__ = ["SHAPES", "align", "source_confidences"]

# Shape priors (cost units ~ nats). A skip costs less than half of what a
# mismatched pair pays on average, so dropped runs are found, yet two skips cost
# more than an ordinary pair pays, so plain 1-1 pairs stay linked.
_SKIP = 2.6
_MERGE = 2.2
_MERGE_22 = 3.0
# Joining two segments that another block (code) separates.
_APART = 6.0

# Length model: log(target / (ratio * source)) ~ Normal(0, var), var larger for
# short segments whose length says little.
_LEN_SMOOTH = 8.0
_LEN_VAR = 0.03
_LEN_VAR_SHORT = 4.0
# The length term's ceiling: a translation that left out a sentence, or added
# one, is as unlikely as the lengths say only up to a point (semver's "I call
# this system..." lost its second sentence and cost 15 in length alone, more
# than skipping both sides); beyond it, anchors, cognates and kind decide.
_LEN_CAP = 4.0

_ANCHOR_REWARD = 2.2
_ANCHOR_CAP = 6.0
_WEAK_FACTOR = 0.5
_ONE_SIDED = 1.2
_ONE_SIDED_CAP = 5
_ONE_SIDED_NAME = 0.5
_IDENTITY = 9.0
_IDENTITY_FLOOR = 0.6
_IDENTITY_GATE = 0.3
_COGNATE = 3.0
_KIND = 1.6
_KIND_HEADING = 3.0
_PUNCT = 0.8
_PUNCT_QUESTION = 1.5
_POSITION = 0.04
_POSITION_CAP = 10.0
# Learned word partners (:mod:`pipeline.align.lexicon`): the reward for a pair
# that meets all the partners either side expects, and how sure a first-pass
# link must be to be learned from.
_LEXICAL = 3.0
_LEX_SURE = 0.9

# Band: margin around chain links, width of unanchored diagonal bands, and the
# area above which a gap between links gets a diagonal band instead of its rectangle.
_MARGIN = 2
_WIDE = 8
_MAX_RECT = 2500
_MAX_HALF = 200
# Cells whose best path is this much costlier than the row's best are dropped.
_BEAM = 20.0

# Posterior temperature: costs are divided by it before exponentiation.
_TEMPERATURE = 0.7

_log = math.log


def align(source: Sequence[Segment], target: Sequence[Segment]) -> Alignment:
    """Align ``source`` segments with their translation ``target``.

    Returns beads in document order covering every index of both sides once.
    Each bead's ``confidence`` is its posterior probability in [0, 1].
    """
    return _align(tuple(source), tuple(target))


def source_confidences(alignment: Alignment) -> tuple[float, ...]:
    """The confidence of the bead holding each source segment."""
    confidence = [0.0] * len(alignment.source)
    for bead in alignment.beads:
        for i in bead.source:
            confidence[i] = bead.confidence
    return tuple(confidence)


@lru_cache(maxsize=64)
def _align(source: tuple[Segment, ...], target: tuple[Segment, ...]) -> Alignment:
    # Keyed by content (segments are immutable): align, update, check and report
    # all ask for the alignment of the same legacy pair within one run. After the
    # monotone decoding, lone segments are paired back where the translation
    # moved them, and every remaining finding gets its own confidence.
    src, tgt = tuple(source), tuple(target)
    n, m = len(src), len(tgt)
    if not n or not m:
        lone = [Bead((i,), (), 1.0) for i in range(n)] + [Bead((), (j,), 1.0) for j in range(m)]
        return Alignment(src, tgt, tuple(lone))
    fs, ft = extract_all(src, tgt)
    chain = anchor_chain(fs, ft)
    scorer = _Scorer(fs, ft, _length_ratio(fs, ft, chain), interpolate(chain, n, m), _apart(src), _apart(tgt))
    lo, hi = _band(n, m, chain)
    path, skipped = _decode(scorer, lo, hi)
    windows = doubtful_windows(path)
    if windows:
        # A second pass with words learned from the first pass's sure links,
        # only where the first pass was unsure (the rest cannot change).
        needed_s = {i for i0, i1, _, _ in windows for i in range(i0, i1)}
        needed_t = {j for _, _, j0, j1 in windows for j in range(j0, j1)}
        confident = [(b.source[0], b.target[0]) for b in path if len(b.source) == len(b.target) == 1 and b.confidence >= _LEX_SURE]
        learned = with_lexicon(src, tgt, fs, ft, confident, needed_s, needed_t)
        if learned is not None:
            fs, ft = learned
            scorer = _Scorer(fs, ft, scorer.ratio, scorer.guide, scorer.apart_s, scorer.apart_t, scorer.weight)
            second = scorer

            def decode(i0: int, j0: int, lo: list[int], hi: list[int]) -> tuple[list[Bead], dict[tuple[bool, int], float]]:
                return _decode(_Shifted(second, i0, j0), lo, hi)

            path, skipped = redecode(path, skipped, windows, decode)

    def run_cost(a: tuple[int, ...], b: tuple[int, ...]) -> float:
        return scorer.pair(_run(fs, a), _run(ft, b))

    relinked, moves, doubts = find_moves(
        path,
        run_cost,
        lambda k, is_source: (fs if is_source else ft)[k].strong,
        _SKIP,
        _MERGE,
        lambda k, is_source: (fs if is_source else ft)[k].length,
    )
    relinked, moves = find_chains(relinked, moves, run_cost, _SKIP, _MERGE_22)
    relinked, moves = find_rotations(relinked, moves, run_cost, _SKIP, _MERGE_22)
    relinked, moves, given = find_islands(relinked, moves, run_cost)
    if moves:
        # A pair the exchanges have placed is no longer a doubt about anything.
        moved_s = {i for m in moves for i in m.source}
        moved_t = {j for m in moves for j in m.target}
        doubts = tuple(d for d in doubts if d.source[0] not in moved_s and d.target[0] not in moved_t)
    apart_s, apart_t = scorer.apart_s, scorer.apart_t

    def join_cost(a: tuple[int, ...], b: tuple[int, ...]) -> float:
        # Priced as the decoder prices it: a finding beside a code block is not
        # doubtful merely because gluing it across the code would fit in length.
        across = sum(x in apart_s for x in a[:-1]) + sum(y in apart_t for y in b[:-1])
        return run_cost(a, b) + _APART * across

    sure = finding_confidences(relinked, join_cost, _SKIP, _MERGE, frozenset(g.placed for g in given))

    posteriors = finding_posteriors(relinked, sure, skipped, moves, (src, tgt), (fs, ft))
    for k, floor in posterior_floors(relinked, given).items():
        if k in posteriors:
            posteriors[k] = max(posteriors[k], floor)
    # A pair too weak to stand as a move is still evidence against both findings.
    doubted: dict[tuple[bool, int], float] = {}
    for doubt in doubts:
        doubted[True, doubt.source[0]] = doubted[False, doubt.target[0]] = 1.0 - doubt.confidence
    for g in given:
        # The island's link lost to a move: the segment it leaves alone is lone
        # as surely as that move stands.
        doubted[g.left] = min(doubted.get(g.left, 1.0), g.confidence)
    for k in sure:
        b = relinked[k]
        side = (True, b.source[0]) if b.source else (False, b.target[0])
        sure[k] = min(sure[k], posteriors[k], doubted.get(side, 1.0))
    beads = tuple(replace(b, finding=sure[k]) if k in sure else b for k, b in enumerate(relinked))
    return Alignment(src, tgt, beads, moves)


def _run(features: Sequence[Features], indices: tuple[int, ...]) -> Features:
    """The features of consecutive segments read as one."""
    run = features[indices[0]]
    for i in indices[1:]:
        run = run + features[i]
    return run


def _apart(segments: Sequence[Segment]) -> frozenset[int]:
    """Indices i whose segment and the next no translator could have joined or
    split: another block stands between them (segments without a block index,
    plain text, are taken as neighbours), one is a table cell (a table keeps
    its cells), one is a heading (no translator writes a heading into a
    paragraph), or both are list items (a list keeps its items: the 39 real
    pairs of the docs dev sets join no two items, and no heading)."""
    return frozenset(
        i
        for i, (a, b) in enumerate(itertools.pairwise(segments))
        if (a.block >= 0 and b.block >= 0 and b.block - a.block > 1)
        or BlockKind.TABLE_CELL in (a.kind, b.kind)
        or BlockKind.HEADING in (a.kind, b.kind)
        or a.kind is b.kind is BlockKind.LIST_ITEM
    )


def _length_ratio(fs: Sequence[Features], ft: Sequence[Features], chain: Sequence[tuple[int, int]]) -> float:
    """Target/source length ratio: the median over confident links of some length;
    with fewer than three of those, the summed lengths of every confident link;
    the whole pair's only without any. (The whole pair's is biased by what one
    side lacks: a short page that lost six of fourteen blocks read as 0.62.)"""
    ratios = [ft[j].length / fs[i].length for i, j in chain if fs[i].length >= 20 and ft[j].length >= 20]
    if len(ratios) >= 3:
        ratio = median(ratios)
    elif chain:
        ratio = sum(ft[j].length for _, j in chain) / max(1.0, sum(fs[i].length for i, _ in chain))
    else:
        ratio = sum(f.length for f in ft) / max(1.0, sum(f.length for f in fs))
    return min(2.5, max(0.4, ratio))


def _df_weights(fs: Sequence[Features], ft: Sequence[Features]) -> dict[str, float]:
    """Anchor weight 1/sqrt(document frequency): a name on every line links nothing."""
    df = Counter(itertools.chain.from_iterable(f.keys for f in fs))
    for key, count in Counter(itertools.chain.from_iterable(f.keys for f in ft)).items():
        if count > df[key]:
            df[key] = count
    return {key: 1.0 / math.sqrt(count) for key, count in df.items()}


class _Scorer:
    """Bead costs for one source/target pair.

    Caches the features of two-segment runs and the one-to-one costs that 2-2 beads
    reuse; :meth:`forget` drops what the row-by-row decoder has left behind, so the
    caches stay as small as the band (and the garbage collector has little to scan).
    """

    def __init__(
        self,
        fs: Sequence[Features],
        ft: Sequence[Features],
        ratio: float,
        guide: list[float],
        apart_s: frozenset[int] = frozenset(),
        apart_t: frozenset[int] = frozenset(),
        weight: dict[str, float] | None = None,
    ) -> None:
        self.fs, self.ft = fs, ft
        self.apart_s, self.apart_t = apart_s, apart_t
        self.ratio = ratio
        self.guide = guide
        # The second pass's features differ in learned words only: the same anchors' weights.
        self.weight = _df_weights(fs, ft) if weight is None else weight
        self._runs_t: dict[int, Features] = {}
        self._ones: dict[int, dict[int, float]] = {}
        self._kind_costs: dict[tuple[tuple[BlockKind, ...], tuple[BlockKind, ...]], float] = {}
        self._done_s = self._done_t = 0

    def forget(self, row: int, col: int) -> None:
        """Drop cached values no bead ending at row >= ``row``, column >= ``col`` needs."""
        if row - 2 > self._done_s:
            for i in range(self._done_s, row - 2):
                self._ones.pop(i, None)
            self._done_s = row - 2
        if col - 3 > self._done_t:
            for j in range(self._done_t, col - 3):
                self._runs_t.pop(j, None)
            self._done_t = col - 3

    def one(self, i: int, j: int) -> float:
        """Cost of linking source[i] with target[j], memoised: 2-2 beads reuse it."""
        row = self._ones.get(i)
        if row is None:
            row = self._ones[i] = {}
        cost = row.get(j)
        if cost is None:
            cost = row[j] = self.pair(self.fs[i], self.ft[j])
        return cost

    def costs(self, i: int, j0: int = 0) -> RowCosts:
        """Per shape, the cost of the bead ending at row ``i`` from column j + ``j0``: the
        pair cost, the shape's prior and the diagonal prior (the distance of the
        bead's centre from the anchor-guided path). Two neighbours that changed
        places cannot be linked monotonically: a 2-2 bead read crosswise keeps
        both as translated (read straight it is two 1-1 beads). Two segments with
        a block between them (a code sample, an HTML component) cannot have been
        joined into one paragraph by the translator."""
        fs, ft, pair, runs_t, apart_t = self.fs, self.ft, self.pair, self._runs_t, self.apart_t
        guide = self.guide
        ones_1 = self._ones.setdefault(i - 1, {})
        g_1 = guide[i - 1]
        s_1 = fs[i - 1]

        def c11(j: int) -> float:
            j += j0
            cost = ones_1.get(j)
            if cost is None:
                cost = ones_1[j] = pair(s_1, ft[j])
            d = abs(j + 0.5 - g_1 - 0.5)
            return cost + _POSITION * (d if d <= _POSITION_CAP else _POSITION_CAP)

        def c12(j: int) -> float:
            j += j0
            run = runs_t.get(j)
            if run is None:
                run = runs_t[j] = ft[j] + ft[j + 1]
            d = abs(j + 1.0 - g_1 - 0.5)
            position = _POSITION * (d if d <= _POSITION_CAP else _POSITION_CAP)
            return _MERGE + (_APART if j in apart_t else 0.0) + pair(s_1, run) + position

        if i < 2:
            return (c11, None, None, None, c12, None)
        g_2 = guide[i - 2]
        s_2 = fs[i - 2]
        run_s = s_2 + s_1
        apart = _APART if i - 2 in self.apart_s else 0.0
        ones_2 = self._ones.setdefault(i - 2, {})

        def c21(j: int) -> float:
            j += j0
            d = abs(j + 0.5 - g_2 - 1.0)
            return _MERGE + apart + pair(run_s, ft[j]) + _POSITION * (d if d <= _POSITION_CAP else _POSITION_CAP)

        def c22(j: int) -> float:
            j += j0
            d = abs(j + 1.0 - g_2 - 1.0)
            position = _POSITION * (d if d <= _POSITION_CAP else _POSITION_CAP)
            # self.one() inlined (the row dictionaries bound once per row): half
            # of the calls to it came from here.
            upper = ones_2.get(j + 1)
            if upper is None:
                upper = ones_2[j + 1] = pair(s_2, ft[j + 1])
            lower = ones_1.get(j)
            if lower is None:
                lower = ones_1[j] = pair(s_1, ft[j])
            return _MERGE_22 + upper + lower + position

        return (c11, None, None, c21, c12, c22)

    def pair(self, s: Features, t: Features) -> float:
        """How unlikely it is that ``t`` translates ``s`` (negative: very likely)."""
        # Length.
        ls, lt = s.length * self.ratio, t.length
        r = _log((lt + _LEN_SMOOTH) / (ls + _LEN_SMOOTH))
        cost = r * r / (2.0 * (_LEN_VAR + _LEN_VAR_SHORT / (ls + lt + _LEN_SMOOTH)))
        if cost > _LEN_CAP:
            cost = _LEN_CAP
        # Anchors. Most candidate pairs share none: test that without building sets.
        s_keys, t_keys = s.keys, t.keys
        if s_keys.isdisjoint(t_keys):
            one_sided = len(s.strong) + len(t.strong)
            names = len(s.names) + len(t.names)
        else:
            weight, s_weak, t_weak = self.weight, s.weak, t.weak
            # fsum: exact whatever the order, and a set's order changes with the
            # process's string hashes (a plain sum let a bead's confidence vary
            # by 4e-4 from one run to the next). One or two terms (most pairs)
            # need no fsum: a single IEEE addition is already correctly rounded.
            terms = [weight[key] * _WEAK_FACTOR if key in s_weak or key in t_weak else weight[key] for key in s_keys & t_keys]
            if len(terms) == 1:
                reward = terms[0]
            elif len(terms) == 2:
                reward = terms[0] + terms[1]
            else:
                reward = math.fsum(terms)
            cost -= _ANCHOR_REWARD * min(reward, _ANCHOR_CAP)
            one_sided = len(s.strong) + len(t.strong) - 2 * len(s.strong & t.strong)
            names = len(s.names - t_keys) + len(t.names - s_keys)
        if one_sided:
            # Tutorials translate identifiers (`message` -> `zpráva`): as many
            # unmatched code spans on each side read as renamed, not as one-sided.
            if s.code and t.code:
                one_sided -= 2 * min(len(s.code - t_keys), len(t.code - s_keys))
            if one_sided:
                cost += _ONE_SIDED * (one_sided if one_sided < _ONE_SIDED_CAP else _ONE_SIDED_CAP)
        if names:
            cost += _ONE_SIDED_NAME * (names if names < _ONE_SIDED_CAP else _ONE_SIDED_CAP)
        # Text kept as it is. Shared words alone would also pair two unrelated
        # paragraphs of one language, so the characters must agree too.
        s_length = s.length
        if 0.7 * s_length < lt < 1.4 * s_length:
            sw, tw = s.words, t.words
            if 2 * (sw & tw).bit_count() > _IDENTITY_GATE * (sw.bit_count() + tw.bit_count()):
                similarity = fuzz.ratio(s.norm, t.norm) / 100.0
                if similarity > _IDENTITY_FLOOR:
                    cost -= _IDENTITY * (similarity - _IDENTITY_FLOOR) / (1.0 - _IDENTITY_FLOOR)
        # Cognates: shared first letters of longer words, as a share of both sides'.
        shared = (s.prefixes & t.prefixes).bit_count()
        if shared:
            cost -= _COGNATE * 2.0 * shared / (s.prefix_count + t.prefix_count)
        # Learned word partners, as a share of the partners either side expects.
        s_partners, t_partners = s.lex_partners, t.lex_partners
        if s_partners or t_partners:
            expected = s_partners.bit_count() + t_partners.bit_count()
            if expected:
                hits = (s_partners & t.lex_own).bit_count() + (t_partners & s.lex_own).bit_count()
                cost -= _LEXICAL * hits / expected
        # Block kind: a heading stays a heading, a list item a list item.
        s_kinds, t_kinds = s.kinds, t.kinds
        if s_kinds != t_kinds:
            # A handful of kind combinations make up every pair: priced once each.
            kind_cost = self._kind_costs.get((s_kinds, t_kinds))
            if kind_cost is None:
                kind_cost = self._kind_costs[s_kinds, t_kinds] = _kind_cost(s_kinds, t_kinds)
            if kind_cost:
                cost += kind_cost
        # Punctuation: a question stays a question, a lead-in keeps its colon.
        s_end, t_end = s.end, t.end
        if s_end != t_end:
            cost += _PUNCT_QUESTION if "?" in (s_end, t_end) else _PUNCT
        return cost


def _kind_cost(a: tuple[BlockKind, ...], b: tuple[BlockKind, ...]) -> float:
    """What runs of kinds ``a`` and ``b`` pay for the segments whose kind the other lacks."""
    odd = 2 if len(a) + len(b) == 2 else sum(k not in b for k in a) + sum(k not in a for k in b)
    if not odd:
        return 0.0
    heading = (BlockKind.HEADING in a) != (BlockKind.HEADING in b)
    return (_KIND_HEADING if heading else _KIND) * odd / 2.0


def _band(n: int, m: int, chain: Sequence[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Per lattice row i (0..n), the inclusive range of j the path may visit."""
    lo = [m] * (n + 1)
    hi = [0] * (n + 1)
    points = [(0, 0)]
    for i, j in chain:
        points += [(i, j), (i + 1, j + 1)]
    points.append((n, m))
    for (i1, j1), (i2, j2) in itertools.pairwise(points):
        di, dj = i2 - i1, j2 - j1
        if di * dj <= _MAX_RECT:
            for i in range(i1, i2 + 1):
                lo[i] = min(lo[i], j1 - _MARGIN)
                hi[i] = max(hi[i], j2 + _MARGIN)
            continue
        # As wide as the stretch's length difference needs, within reason: a
        # shift larger than the cap in a stretch without a single anchor is
        # beyond what position and length alone could place anyway.
        half = min(abs(di - dj) + _WIDE, _MAX_HALF)
        for i in range(i1, i2 + 1):
            centre = j1 + (i - i1) * dj / di
            lo[i] = min(lo[i], max(j1 - _MARGIN, math.floor(centre - half)))
            hi[i] = max(hi[i], min(j2 + _MARGIN, math.ceil(centre + half)))
    return monotone(lo, hi, m)


class _Shifted:
    """A scorer for the sub-lattice starting at (``i0``, ``j0``) of ``inner``'s."""

    def __init__(self, inner: _Scorer, i0: int, j0: int) -> None:
        self.inner, self.i0, self.j0 = inner, i0, j0

    def costs(self, i: int) -> RowCosts:
        return self.inner.costs(i + self.i0, self.j0)

    def forget(self, row: int, col: int) -> None:
        self.inner.forget(row + self.i0, col + self.j0)


def _decode(lattice: Lattice, lo: list[int], hi: list[int]) -> tuple[list[Bead], dict[tuple[bool, int], float]]:
    return decode(lattice, lo, hi, _SKIP, _TEMPERATURE, _BEAM)
