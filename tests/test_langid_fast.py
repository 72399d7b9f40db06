"""The cheaper paths of language identification give the verdicts of the full
ones on real text: the remembered words and function-word counts, the classifier
that works out its language pair once, and the check's classifier calls.

Real inputs: the 20 docs pairs of bench/data/docs (aligned with their gold
beads), the seed pair and the hand-written cs/de/sk/pl translations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docs_pairs import load_pairs
from variants import load_seed_pair

from pipeline.align import langid
from pipeline.align.function_words import function_word_counts
from pipeline.model import BlockKind, Segment

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def pairs() -> list[tuple[Segment | None, Segment, Segment | None]]:
    """(source, target, previous source) of every gold bead's target segment."""
    found: list[tuple[Segment | None, Segment, Segment | None]] = []
    cases = [case for _name, case in load_pairs()] + [load_seed_pair()]
    for case in cases:
        for sources, targets in case.gold:
            source = case.source[sources[0]] if len(sources) == 1 else None
            previous = case.source[sources[0] - 1] if sources and sources[0] > 0 else None
            found += [(source, case.target[t], previous) for t in targets]
    return found


def _old_words(text: str) -> list[str]:
    # The words as langid found them before they were remembered.
    return [w.lower().replace("’", "'") for w in langid._WORD.findall(text)]


def _texts(pairs: list[tuple[Segment | None, Segment, Segment | None]]) -> list[str]:
    texts = [t.text for _s, t, _p in pairs] + [s.text for s, _t, _p in pairs if s is not None]
    translations = json.loads((ROOT / "tests" / "data" / "translations.json").read_text(encoding="utf-8"))
    texts += [text for lang in ("en", "cs", "de", "sk", "pl") for text in translations[lang]]
    # Apostrophes of both kinds, and a capital whose lower case is two characters.
    texts += ["Don’t panic, it's O’Brien’s İstanbul ’quote’ test’"]
    return texts + [sentence for text in texts for sentence in langid.sentences(text)]


def test_there_are_real_pairs(pairs: list[tuple[Segment | None, Segment, Segment | None]]) -> None:
    assert len(pairs) > 600


def test_remembered_words_and_counts_are_the_computed_ones(
    pairs: list[tuple[Segment | None, Segment, Segment | None]],
) -> None:
    for text in _texts(pairs):
        assert list(langid._words(text)) == _old_words(text)
        for languages in (("en", "cs"), ("cs", "en"), ("en", "de"), ("en", "xx")):
            assert langid._counts(text, languages) == function_word_counts(_old_words(text), languages)


def test_the_pair_classifier_gives_classify_targets_verdicts(
    pairs: list[tuple[Segment | None, Segment, Segment | None]],
) -> None:
    classify = langid.classifier_for("en_US", "cs")
    verdicts = set()
    for source, target, previous in pairs:
        verdict = classify(source, target, previous_source=previous)
        verdicts.add(verdict)
        expected = langid.classify_target(source, target, previous_source=previous, source_lang="en_US", target_lang="cs")
        assert verdict == expected
        previous_text = previous.text if previous is not None else None
        assert classify.texts(source.text if source else None, target.text, target.kind, previous_text) == expected  # type: ignore[attr-defined]
    assert {"translated", "kept"} <= verdicts


def test_verdicts_do_not_depend_on_what_was_asked_before(
    pairs: list[tuple[Segment | None, Segment, Segment | None]],
) -> None:
    """Remembered words, counts and verdicts: asked in the opposite order with
    every memo emptied, each text gets the verdict it got first."""
    classify = langid.classifier_for("en", "cs")
    first = [classify(s, t, previous_source=p) for s, t, p in pairs]
    langid._words.cache_clear()
    langid._counts.cache_clear()
    fresh = [langid._classify.__wrapped__(  # type: ignore[attr-defined]
        s.text if s is not None else None, t.text, t.kind, p is not None and p.text.rstrip().endswith(":"), ("en", "cs")
    ) for s, t, p in reversed(pairs)]
    assert first == list(reversed(fresh))


def test_classifier_pickles() -> None:
    import pickle

    classify = langid.classifier_for("en", "cs")
    again = pickle.loads(pickle.dumps(classify))
    segment = Segment(text="This is still the English text of the paragraph, untouched.", kind=BlockKind.PARAGRAPH, line=1)
    assert again(segment, segment) == classify(segment, segment) == "untranslated"
