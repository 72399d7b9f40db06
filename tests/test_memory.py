"""Translation memory: what goes in, exact and fuzzy lookup, the index against brute force."""

from __future__ import annotations

import random

import polib
import pytest
from rapidfuzz import fuzz

from pipeline.mt.memory import MemoryUnit, normalise, units_from_entries
from pipeline.store.memory_index import TranslationMemory

DAY_TWO = "Rejekts is a small two-day conference for talks that didn’t make it to KubeCon."
DAY_ONE = "Rejekts is a small two-day conference for talks that didn’t make it into KubeCon."
CZECH = "Rejekts je malá dvoudenní konference pro přednášky, které se nedostaly na KubeCon."


def entry(msgid: str, msgstr: str = "", **kwargs: object) -> polib.POEntry:
    return polib.POEntry(msgid=msgid, msgstr=msgstr, **kwargs)


def test_only_confirmed_translations_are_remembered() -> None:
    entries = [
        entry("Translated", "Přeloženo"),
        entry("Fuzzy", "Nejisté", flags=["fuzzy"]),
        entry("Obsolete", "Zastaralé", obsolete=True),
        entry("Empty"),
        entry("Plural", msgid_plural="Plurals", msgstr_plural={0: "a", 1: "b"}),
    ]
    assert units_from_entries(entries, "day-2") == [MemoryUnit("Translated", "Přeloženo", "day-2")]


def test_exact_match_is_100_percent() -> None:
    memory = TranslationMemory([MemoryUnit(DAY_TWO, CZECH, "rejekts-2025-london-day-2")])
    match = memory.lookup(DAY_TWO)
    assert match is not None and match.exact and match.percent == 100
    assert match.unit.origin == "rejekts-2025-london-day-2"


def test_fuzzy_match_reports_its_similarity_and_source() -> None:
    memory = TranslationMemory([MemoryUnit(DAY_TWO, CZECH, "day-2"), MemoryUnit("Something else entirely.", "x", "y")])
    match = memory.lookup(DAY_ONE)
    assert match is not None and not match.exact
    assert match.unit.source == DAY_TWO and match.unit.target == CZECH
    assert match.percent == int(fuzz.ratio(DAY_ONE, DAY_TWO)) and 90 <= match.percent < 100


def test_a_remembered_answer_is_the_answer_for_that_threshold() -> None:
    memory = TranslationMemory([MemoryUnit(DAY_TWO, CZECH, "day-2")])
    first = memory.lookup(DAY_ONE, 80)
    assert first is not None and memory.lookup(DAY_ONE, 80) == first
    assert memory.lookup(DAY_ONE, 99.5) is None  # another threshold, another answer
    assert memory.lookup(DAY_ONE, 80) == first


def test_threshold_is_respected() -> None:
    memory = TranslationMemory([MemoryUnit(DAY_TWO, CZECH, "day-2")])
    score = fuzz.ratio(DAY_ONE, DAY_TWO)
    assert memory.lookup(DAY_ONE, min_similarity=score + 0.5) is None
    assert memory.lookup(DAY_ONE, min_similarity=score) is not None
    assert memory.lookup("Completely unrelated words here.") is None


def test_typography_and_case_only_differences_are_found_but_not_100() -> None:
    memory = TranslationMemory([MemoryUnit("Don’t panic — it works", "Nepanikařte – funguje to", "a")])
    assert normalise("Don't PANIC - it  works") == normalise("Don’t panic — it works")
    match = memory.lookup("Don't panic - it works")
    assert match is not None and 80 <= match.percent < 100


def test_the_most_frequent_translation_wins_then_the_first() -> None:
    memory = TranslationMemory(
        [MemoryUnit("Hello", "Ahoj", "a"), MemoryUnit("Hello", "Dobrý den", "b"), MemoryUnit("Hello", "Dobrý den", "c")]
    )
    match = memory.lookup("Hello")
    assert match is not None and match.unit == MemoryUnit("Hello", "Dobrý den", "b")
    tie = TranslationMemory([MemoryUnit("Hello", "Ahoj", "a"), MemoryUnit("Hello", "Nazdar", "b")])
    first = tie.lookup("Hello")
    assert first is not None and first.unit.origin == "a"
    assert len(memory) == 2


def test_short_texts_without_words_match_exactly_only() -> None:
    memory = TranslationMemory([MemoryUnit("—", "–", "a"), MemoryUnit("A", "B", "a")])
    assert memory.lookup("—") is not None
    assert memory.lookup("-") is None
    assert TranslationMemory([]).lookup("anything") is None


def _sentence(rng: random.Random, vocabulary: list[str]) -> str:
    weights = [1.0 / (rank + 1) for rank in range(len(vocabulary))]
    words = rng.choices(vocabulary, weights=weights, k=rng.randint(6, 18))
    return " ".join(words).capitalize() + "."


def test_index_finds_what_a_full_scan_finds() -> None:
    """Recall of the candidate index: on mutated queries, the best score equals brute force."""
    rng = random.Random(7)
    vocabulary = [f"w{i}" + "".join(rng.choices("abcdefghij", k=rng.randint(1, 6))) for i in range(3000)]
    sources = list(dict.fromkeys(_sentence(rng, vocabulary) for _ in range(3000)))
    memory = TranslationMemory(MemoryUnit(s, s.upper(), "m") for s in sources)
    misses = 0
    for _ in range(300):
        words = rng.choice(sources).rstrip(".").split()
        for _edit in range(rng.randint(1, 2)):
            words[rng.randrange(len(words))] = rng.choice(vocabulary)
        query = " ".join(words) + "."
        best = max(fuzz.ratio(query, s) for s in sources)
        match = memory.lookup(query, 80)
        if best >= 80:
            if match is None or match.similarity < best:
                misses += 1
        else:
            assert match is None
    assert misses <= 3  # a candidate cap may lose a rare tie; never more than 1%


@pytest.mark.parametrize("threshold", [50, 80, 100])
def test_any_match_returned_meets_the_threshold(threshold: float) -> None:
    memory = TranslationMemory([MemoryUnit(DAY_TWO, CZECH, "a"), MemoryUnit(DAY_ONE[:40], "x", "b")])
    match = memory.lookup(DAY_ONE, threshold)
    assert match is None or match.similarity >= threshold


def test_lookups_go_on_when_the_remembered_tokens_are_forgotten() -> None:
    memory = TranslationMemory([MemoryUnit(DAY_TWO, CZECH, "a")], max_tokens=4)
    rng = random.Random(3)
    for _ in range(20):
        words = " ".join(rng.choice(["alpha", "beta", "gamma", "delta", "epsilon"]) for _ in range(5))
        memory.lookup(f"Rejekts is a small {words} conference")
    match = memory.lookup(DAY_ONE)
    assert match is not None and match.unit.target == CZECH


def test_remembered_candidate_rows_give_the_answers_of_a_memory_that_reads_them_anew(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pipeline.store import memory_index

    rng = random.Random(11)
    vocabulary = [f"w{i}" + "".join(rng.choices("abcdefghij", k=rng.randint(1, 6))) for i in range(400)]
    sources = list(dict.fromkeys(_sentence(rng, vocabulary) for _ in range(600)))
    units = [MemoryUnit(s, s.upper(), "m") for s in sources]
    queries = []
    for _ in range(200):
        words = rng.choice(sources).rstrip(".").split()
        words[rng.randrange(len(words))] = rng.choice(vocabulary)
        queries.append(" ".join(words) + ".")
    # A cache smaller than one query's candidates: it is emptied again and again.
    monkeypatch.setattr(memory_index, "_MAX_ROWS", 40)
    kept = TranslationMemory(units)
    answers = [kept.lookup(q, 70) for q in queries] + [kept.lookup(q, 60) for q in queries]
    assert len(kept._row_cache) <= 40 + memory_index._MAX_CANDIDATES  # the budget, and one query's rows
    assert any(answer is not None and answer.similarity < 100 for answer in answers)
    fresh = TranslationMemory(units)
    for index, query in enumerate(queries):
        for offset, threshold in ((0, 70), (len(queries), 60)):
            fresh._row_cache.clear()  # every row read from the database again
            fresh._answers.clear()
            assert fresh.lookup(query, threshold) == answers[index + offset]
