"""The aligner's second pass with word partners learned from the pair itself
(pipeline.align.lexicon, pipeline.align.realign), on real dev-set pairs."""

from __future__ import annotations

import pytest
from docs_pairs import blanked, crosswise, load_pairs, predicted, renumbered
from variants import Case, Score, foreign_paragraphs, make_variant, score

from pipeline.align.aligner import align
from pipeline.align.lexicon import learn
from pipeline.align.realign import doubtful_windows, redecode
from pipeline.config import DEFAULT_FINDING_THRESHOLD
from pipeline.model import Bead


@pytest.fixture(scope="module")
def pairs() -> dict[str, Case]:
    return dict(load_pairs())


def _score(case: Case) -> Score:
    result = align(case.source, case.target)
    return score(crosswise(case.gold), crosswise(predicted(result, DEFAULT_FINDING_THRESHOLD)))


def test_a_translation_of_its_first_sentence_only_is_linked_by_its_words(pairs: dict[str, Case]) -> None:
    # semver's "I call this system 'Semantic Versioning.' Under this scheme..."
    # is translated by its first sentence only: length says no, the word
    # partners learned from the page's sure links say yes.
    s = _score(pairs["semver-spec"])
    assert s.link_tp == s.link_gold == s.link_pred
    assert s.miss_tp == s.miss_pred == s.miss_gold


@pytest.mark.parametrize("name", ["kac-1.0.0", "kac-1.1.0"])
def test_a_dropped_should_sentence_among_similar_ones_is_reported(pairs: dict[str, Case], name: str) -> None:
    # Keep a Changelog's short "should" sentences fit each other's translations
    # by length and punctuation; the learned words tell which one is gone.
    base = pairs[name]
    dropped = renumbered(make_variant(base, 1000 + len(name), pool=foreign_paragraphs(), ops=["drop", "drop"]), base.target)
    s = _score(dropped)
    assert s.miss_gold == 3 and s.miss_tp == s.miss_pred == 3
    assert s.link_tp == s.link_gold == s.link_pred
    gone = renumbered(blanked(base, 2), base.target)
    s = _score(gone)
    assert s.miss_gold and s.miss_tp == s.miss_pred == s.miss_gold


def test_partners_are_each_others_best_and_seen_together_more_than_once() -> None:
    source = {
        0: frozenset({"compress", "file", "the"}),
        1: frozenset({"compress", "archiv", "the"}),
        2: frozenset({"file", "list", "the"}),
        3: frozenset({"list", "archiv"}),
        4: frozenset({"output", "name"}),
    }
    target = {
        0: frozenset({"komprimovat", "soubor"}),
        1: frozenset({"komprimovat", "archiv"}),
        2: frozenset({"soubor", "vypsat"}),
        3: frozenset({"vypsat", "archiv"}),
        4: frozenset({"vystup", "nazev"}),
    }
    forward, backward = learn(source, target, [(k, k) for k in range(5)])
    assert forward == {"compress": "komprimovat", "file": "soubor", "list": "vypsat", "archiv": "archiv"}
    assert backward == {f: e for e, f in forward.items()}
    # Learned from three links or more only, and the same whatever their order.
    assert learn(source, target, [(0, 0), (1, 1)]) == ({}, {})
    assert learn(source, target, [(k, k) for k in (4, 3, 2, 1, 0)]) == (forward, backward)


def test_only_doubtful_stretches_are_decoded_again_and_spliced_in_place() -> None:
    path = [Bead((0,), (0,), 1.0), Bead((1,), (1,), 1.0), Bead((2,), (), 0.8), Bead((3,), (2,), 1.0), Bead((4,), (3,), 1.0), Bead((5,), (4,), 1.0)]
    windows = doubtful_windows(path)
    assert windows == [(1, 4, 1, 3)]
    seen: list[tuple[int, int, int, int]] = []

    def decode(i0: int, j0: int, lo: list[int], hi: list[int]) -> tuple[list[Bead], dict[int, float]]:
        seen.append((i0, j0, len(lo) - 1, hi[-1]))
        # A window of 3 source and 2 target segments, read anew.
        return [Bead((0,), (), 0.9), Bead((1,), (0,), 1.0), Bead((2,), (1,), 1.0)], {(True, 0): 0.9}

    beads, skipped = redecode(path, {(True, 2): 0.8, (False, 7): 0.6}, windows, decode)
    assert seen == [(1, 1, 3, 2)]
    assert [(b.source, b.target) for b in beads] == [((0,), (0,)), ((1,), ()), ((2,), (1,)), ((3,), (2,)), ((4,), (3,)), ((5,), (4,))]
    assert skipped == {(True, 1): 0.9, (False, 7): 0.6}
