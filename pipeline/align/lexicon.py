"""A word-association table learned from the pair itself, as hunalign's realign
pass and Moore's (2002) aligner learn theirs: no dictionary, only the links a
first alignment pass was sure of.

Over the confident one-to-one links, every source word stem is counted with
every target word stem of the same link; a word's partner is the stem of the
other language it co-occurs with most (Dice coefficient), kept when the two
were seen together often enough and rarely apart. Each segment then carries two
bit sets in one hashed space: the stems it has and the partners of its stems.
A pair of segments whose partners meet each other's stems shares vocabulary
that only a translation would share ("soubor" for "file" in a document that
says so often), like a cognate learned from the document.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache, reduce
from itertools import chain, compress, product
from operator import or_
from typing import cast

from pipeline.align.anchors import Features, stem
from pipeline.model import Segment

__all__ = ["Lexicon", "learn", "segment_bits", "with_lexicon", "words"]

# How many partners make a second pass worth it, and how many sure links are
# learned from (evenly spread: a 10,000-block pair need not be read whole).
_MIN_PARTNERS = 3
_MAX_LINKS = 200

_BITS = 1024
# Letters only, at least this long: short function words co-occur with everything.
_MIN_WORD = 3
# A pair must be seen together this often, and its Dice coefficient reach this.
_MIN_TOGETHER = 2
_MIN_DICE = 0.5
# A stem on more than this share of the links says nothing about which one.
_MAX_SHARE = 0.5

Lexicon = tuple[dict[str, str], dict[str, str]]


def words(features: Features) -> frozenset[str]:
    """The folded stems of the segment's longer words (outside code and URLs)."""
    return _words(features.norm)


@lru_cache(maxsize=1 << 13)
def _words(norm: str) -> frozenset[str]:
    # A text met again (see anchors._features) is split and stemmed once.
    stems = set(map(_word, norm.split()))
    stems.discard(None)
    return frozenset(cast(set[str], stems))


@lru_cache(maxsize=1 << 16)
def _word(word: str) -> str | None:
    return stem(word) if len(word) >= _MIN_WORD and word.isalpha() else None


def learn(
    source: Mapping[int, frozenset[str]], target: Mapping[int, frozenset[str]], links: Iterable[tuple[int, int]]
) -> Lexicon:
    """Partners (source stem -> target stem, and back) from the linked pairs.

    A partner is the stem of the other side with the highest Dice coefficient
    (the first in alphabetical order among equals), seen together at least
    ``_MIN_TOGETHER`` times. Dice depends on a pair only through the sets of
    links each stem is on, so stems on the same links (the words of one
    repeated sentence) are paired as one group and never pair by pair."""
    pairs = [(source[i], target[j]) for i, j in links]
    if len(pairs) < 3:
        return {}, {}
    # Only stems that could pass are paired: on more than a share of the links
    # a stem says nothing about which one.
    limit = _MAX_SHARE * len(pairs)
    groups_s, of_s = _groups([e for e, _ in pairs], limit)
    groups_t, of_t = _groups([f for _, f in pairs], limit)
    keep_s, keep_t = set(of_s), set(of_t)  # a set meets a set faster than a keys view
    together: Counter[tuple[int, int]] = Counter()
    for e_words, f_words in pairs:
        # product() and Counter's C counting loop: a generator of the pairs cost
        # twice as much (tens of thousands of pairs on long paragraphs).
        together.update(product(set(map(of_s.__getitem__, e_words & keep_s)), set(map(of_t.__getitem__, f_words & keep_t))))
    # Per group, the best Dice and the first stem of the other side reaching it.
    best_s: dict[int, tuple[float, str]] = {}
    best_t: dict[int, tuple[float, str]] = {}
    # Only pairs seen together often enough (picked out in C: most pairs of
    # long paragraphs meet once) whose Dice coefficient may pass are compared.
    # Each group's number of links, counted once rather than per pair it is in.
    size_s = [mask.bit_count() for mask, _ in groups_s]
    size_t = [mask.bit_count() for mask, _ in groups_t]
    for (a, b), c in compress(together.items(), map(_MIN_TOGETHER.__le__, together.values())):
        cs, ct = size_s[a], size_t[b]
        if 2 * c < _MIN_DICE * (cs + ct):
            continue
        dice = 2.0 * c / (cs + ct)
        if dice < _MIN_DICE:
            continue
        first_a, first_b = groups_s[a][1], groups_t[b][1]
        old = best_s.get(a)
        if old is None or dice > old[0] or dice == old[0] and first_b < old[1]:
            best_s[a] = (dice, first_b)
        old = best_t.get(b)
        if old is None or dice > old[0] or dice == old[0] and first_a < old[1]:
            best_t[b] = (dice, first_a)
    # Only partners that are each other's best (Melamed's competitive linking, in
    # one step): with few links "the" co-occurs with whatever a page repeats.
    # Every stem of a group has the same best partner, whose best is one stem:
    # the first of its group.
    mutual = {}
    for a, (_, f) in best_s.items():
        e = groups_s[a][1]
        if best_t[of_t[f]][1] == e:
            mutual[e] = f
    mutual = dict(sorted(mutual.items()))
    return mutual, {f: e for e, f in mutual.items()}


def _groups(sides: list[frozenset[str]], limit: float) -> tuple[list[tuple[int, str]], dict[str, int]]:
    """The stems on at least ``_MIN_TOGETHER`` and at most ``limit`` of the
    links, grouped by the links they are on: per group the links (bit k for
    link k) and its first stem in alphabetical order; and each stem's group."""
    counts = Counter(chain.from_iterable(sides))
    kept = {stem_ for stem_, c in counts.items() if _MIN_TOGETHER <= c <= limit}
    links = dict.fromkeys(kept, 0)
    for k, stems in enumerate(sides):
        bit = 1 << k
        for stem_ in stems & kept:
            links[stem_] |= bit
    first: dict[int, str] = {}
    for stem_, mask in links.items():
        if mask not in first or stem_ < first[mask]:
            first[mask] = stem_
    index = {mask: k for k, mask in enumerate(first)}
    of = {stem_: index[mask] for stem_, mask in links.items()}
    return list(first.items()), of


@lru_cache(maxsize=1 << 16)
def _bit(key: str) -> int:
    return 1 << (zlib.crc32(key.encode("utf-8")) % _BITS)


def segment_bits(stems: frozenset[str], partners: dict[str, str]) -> tuple[int, int]:
    """The segment's own stems and its stems' partners, as bit sets."""
    own = reduce(or_, map(_bit, stems), 0)
    expected = reduce(or_, map(_bit, map(partners.__getitem__, stems & partners.keys())), 0)
    return own, expected


def with_lexicon(
    src: Sequence[Segment],
    tgt: Sequence[Segment],
    fs: Sequence[Features],
    ft: Sequence[Features],
    sure: Sequence[tuple[int, int]],
    needed_s: set[int],
    needed_t: set[int],
) -> tuple[list[Features], list[Features]] | None:
    """The features with the partners learned from the ``sure`` links filled in
    for the segments ``needed_s`` and ``needed_t``; None when too few partners
    were learned to change anything."""
    step = max(1, -(-len(sure) // _MAX_LINKS))
    links = list(sure[::step])
    ws: dict[int, frozenset[str]] = {i: words(fs[i]) for i in {i for i, _ in links} | needed_s}
    wt: dict[int, frozenset[str]] = {j: words(ft[j]) for j in {j for _, j in links} | needed_t}
    forward, backward = learn(ws, wt, links)
    if len(forward) + len(backward) < _MIN_PARTNERS:
        return None
    out_s, out_t = list(fs), list(ft)
    for i in needed_s:
        own, partners = segment_bits(ws[i], forward)
        out_s[i] = fs[i].with_lexicon(own, partners)
    for j in needed_t:
        own, partners = segment_bits(wt[j], backward)
        out_t[j] = ft[j].with_lexicon(own, partners)
    return out_s, out_t
