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
    """Partners (source stem -> target stem, and back) from the linked pairs."""
    pairs = [(source[i], target[j]) for i, j in links]
    if len(pairs) < 3:
        return {}, {}
    cs = Counter(chain.from_iterable(e_words for e_words, _ in pairs))
    ct = Counter(chain.from_iterable(f_words for _, f_words in pairs))
    # Only stems that could pass are paired: counting every word with every
    # word of its link costs more than the second decoding.
    limit = _MAX_SHARE * len(pairs)
    keep_s = {e for e, c in cs.items() if _MIN_TOGETHER <= c <= limit}
    keep_t = {f for f, c in ct.items() if _MIN_TOGETHER <= c <= limit}
    together: Counter[tuple[str, str]] = Counter()
    for e_words, f_words in pairs:
        # product() and Counter's C counting loop: a generator of the pairs cost
        # twice as much (tens of thousands of pairs on long paragraphs).
        together.update(product(e_words & keep_s, f_words & keep_t))
    best_s: dict[str, tuple[float, str]] = {}
    best_t: dict[str, tuple[float, str]] = {}
    # Only pairs seen together often enough (picked out in C: most pairs of
    # long paragraphs meet once) whose Dice coefficient may pass are compared,
    # sorted: the same table whatever the order of the counters.
    often = compress(together.items(), map(_MIN_TOGETHER.__le__, together.values()))
    passing = [(pair, c) for pair, c in often if 2 * c >= _MIN_DICE * (cs[pair[0]] + ct[pair[1]])]
    for (e, f), c in sorted(passing):
        dice = 2.0 * c / (cs[e] + ct[f])
        if dice < _MIN_DICE:
            continue
        if dice > best_s.get(e, (0.0, ""))[0]:
            best_s[e] = (dice, f)
        if dice > best_t.get(f, (0.0, ""))[0]:
            best_t[f] = (dice, e)
    # Only partners that are each other's best (Melamed's competitive linking, in
    # one step): with few links "the" co-occurs with whatever a page repeats.
    mutual = {e: f for e, (_, f) in best_s.items() if best_t[f][1] == e}
    return mutual, {f: e for e, f in mutual.items()}


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
