"""The aligner's shortcuts give what the plain computation gives: the lexicon
learned by groups of stems equals the pair-by-pair Dice table (ties and dict
order included), and cached features equal freshly read ones, on real pairs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

import pytest
from docs_pairs import load_pairs
from variants import Case

from pipeline.align import anchors
from pipeline.align.anchors import extract_all
from pipeline.align.lexicon import learn, words


def _pairwise(
    source: Mapping[int, frozenset[str]], target: Mapping[int, frozenset[str]], links: Iterable[tuple[int, int]]
) -> tuple[dict[str, str], dict[str, str]]:
    # The definition, pair by pair (the code before the groups).
    pairs = [(source[i], target[j]) for i, j in links]
    if len(pairs) < 3:
        return {}, {}
    cs: Counter[str] = Counter()
    ct: Counter[str] = Counter()
    for e_words, f_words in pairs:
        cs.update(e_words)
        ct.update(f_words)
    limit = 0.5 * len(pairs)
    keep_s = {e for e, c in cs.items() if 2 <= c <= limit}
    keep_t = {f for f, c in ct.items() if 2 <= c <= limit}
    together: Counter[tuple[str, str]] = Counter()
    for e_words, f_words in pairs:
        together.update((e, f) for e in e_words & keep_s for f in f_words & keep_t)
    best_s: dict[str, tuple[float, str]] = {}
    best_t: dict[str, tuple[float, str]] = {}
    for (e, f), c in sorted(together.items()):
        dice = 2.0 * c / (cs[e] + ct[f])
        if c < 2 or dice < 0.5:
            continue
        if dice > best_s.get(e, (0.0, ""))[0]:
            best_s[e] = (dice, f)
        if dice > best_t.get(f, (0.0, ""))[0]:
            best_t[f] = (dice, e)
    mutual = {e: f for e, (_, f) in best_s.items() if best_t[f][1] == e}
    return mutual, {f: e for e, f in mutual.items()}


@pytest.fixture(scope="module")
def pairs() -> list[tuple[str, Case]]:
    return load_pairs()


def test_lexicon_by_groups_is_the_pairwise_table_on_real_pairs(pairs: list[tuple[str, Case]]) -> None:
    learned = 0
    for _name, case in pairs:
        fs, ft = extract_all(case.source, case.target)
        ws = {i: words(f) for i, f in enumerate(fs)}
        wt = {j: words(f) for j, f in enumerate(ft)}
        links = [(s[0], t[0]) for s, t in case.gold if len(s) == len(t) == 1]
        got, want = learn(ws, wt, links), _pairwise(ws, wt, links)
        assert [list(d.items()) for d in got] == [list(d.items()) for d in want]
        learned += len(got[0])
    assert learned > 100  # the comparison covered real tables, not empty ones


def test_lexicon_ties_between_stems_of_one_sentence_go_to_the_first() -> None:
    # A repeated sentence: its stems are on the same links, every pair of them
    # has the same Dice; the partners are the alphabetically first on each side.
    source = {k: frozenset({"zeta", "alpha", "beta"} if k < 3 else {f"w{k}"}) for k in range(8)}
    target = {k: frozenset({"delta", "gamma"} if k < 3 else {f"v{k}", "delta"} if k == 3 else {f"v{k}"}) for k in range(8)}
    links = [(k, k) for k in range(8)]
    assert learn(source, target, links) == _pairwise(source, target, links)
    assert learn(source, target, links)[0] == {"alpha": "gamma"}


def test_cached_features_equal_fresh_ones(pairs: list[tuple[str, Case]]) -> None:
    _name, case = pairs[0]
    warm = extract_all(case.source, case.target)
    again = extract_all(case.source, case.target)
    anchors._features.cache_clear()
    fresh = extract_all(case.source, case.target)
    assert warm == again == fresh
