"""Tests of untranslated-text detection on aligned pairs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from variants import Case, foreign_paragraphs, load_seed_pair, make_variant

from pipeline.align.aligner import align
from pipeline.align import langid
from pipeline.align.langid import sentences
from pipeline.model import Alignment, Bead, BlockKind, Segment

EN_CS = {"source_lang": "en", "target_lang": "cs"}


def classify_target(source: Segment | None, target: Segment, previous_source: Segment | None = None) -> str:
    return langid.classify_target(source, target, previous_source=previous_source, **EN_CS)


def classify_alignment(alignment: Alignment) -> tuple[str, ...]:
    return langid.classify_alignment(alignment, **EN_CS)


def detect_untranslated(alignment: Alignment) -> tuple[int, ...]:
    return langid.detect_untranslated(alignment, **EN_CS)


def detect_language(text: str) -> str | None:
    return langid.detect_language(text, ("en", "cs"))

P = BlockKind.PARAGRAPH


@pytest.fixture(scope="module")
def seed() -> Case:
    return load_seed_pair()


@pytest.fixture(scope="module")
def seed_alignment(seed: Case) -> Alignment:
    return align(seed.source, seed.target)


def test_the_seed_translation_has_nothing_untranslated(seed_alignment: Alignment) -> None:
    assert detect_untranslated(seed_alignment) == ()
    assert "partial" not in classify_alignment(seed_alignment)


def test_quotation_after_a_colon_lead_in_is_kept(seed: Case, seed_alignment: Alignment) -> None:
    assert seed.source[3].text == "In their own words:"
    j = next(b.target[0] for b in seed_alignment.beads if b.source == (4,))
    assert seed.target[j].text.startswith("Cloud Native Rejekts is the b-side conference")
    assert classify_alignment(seed_alignment)[j] == "kept"
    # The same English text without the lead-in is a paragraph left untranslated.
    assert classify_target(seed.source[4], seed.target[j]) == "untranslated"


def test_talk_title_heading_kept_in_english_is_kept(seed: Case, seed_alignment: Alignment) -> None:
    verdicts = classify_alignment(seed_alignment)
    titles = [j for j, t in enumerate(seed.target) if t.text == "The Service Mesh Wars: A New Hope for Kubernetes"]
    assert titles and verdicts[titles[0]] == "kept"
    assert seed.target[titles[0]].kind is BlockKind.HEADING


def test_english_paragraph_in_czech_target_is_untranslated(seed: Case) -> None:
    # The translator left source paragraph 22 in English.
    gold = dict(seed.gold)
    (j,) = gold[(22,)]
    target = list(seed.target)
    target[j] = Segment(seed.source[22].text, P, target[j].line)
    alignment = align(seed.source, target)
    assert detect_untranslated(alignment) == (j,)


def test_added_english_paragraph_is_untranslated(seed: Case) -> None:
    foreign = foreign_paragraphs()[0]
    target = list(seed.target)
    target.insert(20, foreign)
    alignment = align(seed.source, target)
    assert 20 in alignment.extra
    assert detect_untranslated(alignment) == (20,)


def test_czech_paragraph_with_an_english_sentence_is_partial(seed: Case) -> None:
    source = seed.source[22]
    gold = dict(seed.gold)
    (j,) = gold[(22,)]
    czech = seed.target[j].text
    first, rest = czech.split(". ", 1)
    mixed = Segment(f"{first}. Developers don’t actually care about any of it and everything works very nicely. {rest}", P, 1)
    assert classify_target(source, mixed) == "partial"
    assert classify_target(source, seed.target[j]) == "translated"


def test_short_english_phrase_inside_czech_is_not_partial() -> None:
    text = "Specifikace zatím neumí retries, circuit breaking nebo rate limiting. Iniciativa Gateway API for Service Mesh se rozjíždí."
    assert classify_target(None, Segment(text, P, 1)) == "translated"


def test_quoted_english_sentence_is_kept() -> None:
    source = Segment("He said: “We never ship on Fridays, whatever the sprint board says.”", P, 1)
    target = Segment("“We never ship on Fridays, whatever the sprint board says.”", P, 1)
    assert classify_target(source, target) == "kept"


def test_names_and_identical_numbers_are_kept_or_translated() -> None:
    assert classify_target(Segment("Kubernetes", P, 1), Segment("Kubernetes", P, 1)) == "kept"
    assert classify_target(Segment("2025", P, 1), Segment("2025", P, 1)) == "translated"


def test_untranslated_part_of_a_split_translation_is_found() -> None:
    english = "In general, Hyperlight can be used for securely executing third-party code. Everything goes through it."
    source = (Segment(english, P, 1),)
    target = (
        Segment("Obecně je možné Hyperlight použít pro bezpečné spouštění kódu třetích stran.", P, 1),
        Segment("Everything goes through Hyperlight, and specific functions must be provided explicitly.", P, 2),
    )
    alignment = Alignment(source, target, (Bead((0,), (0, 1), 1.0),))
    assert classify_alignment(alignment) == ("translated", "untranslated")
    assert detect_untranslated(alignment) == (1,)


def test_detect_language_abstains_on_names() -> None:
    assert detect_language("Kubernetes native Global Load Balancer") is None
    assert detect_language("Tahle přednáška byla vlastně jeden velký fičák.") == "cs"
    assert detect_language("This talk was essentially one big feature showcase.") == "en"


def test_sentences_split_at_sentence_ends_only() -> None:
    text = "Jak řešit PDB? Use case: Form3 provozuje clustery (např. databáze). Pak 10 ms. „Citace.“ Konec"
    assert sentences(text) == ["Jak řešit PDB?", "Use case: Form3 provozuje clustery (např. databáze).", "Pak 10 ms.", "„Citace.“", "Konec"]


def test_detector_is_not_built_at_import_time() -> None:
    code = "import pipeline.align.langid as l; print(l._detector.cache_info().currsize)"
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"


def test_lead_in_merged_with_its_quotation_is_translated(seed: Case) -> None:
    lead_in = next(t for t in seed.target if t.text == "Jejich vlastními slovy:")
    quote = next(t for t in seed.target if t.text.startswith("Cloud Native Rejekts is the b-side"))
    merged = Segment(f"{lead_in.text} {quote.text}", P, 1)
    source = Segment(f"{seed.source[3].text} {seed.source[4].text}", P, 1)
    assert classify_target(source, merged, previous_source=seed.source[2]) == "translated"


def test_variants_flag_exactly_the_added_english_paragraphs(seed: Case) -> None:
    pool = foreign_paragraphs()
    english = set(pool)
    expected = 0
    for k in range(30):
        case = make_variant(seed, k, pool=pool)
        found = set(detect_untranslated(align(case.source, case.target)))
        want = {j for j, t in enumerate(case.target) if t in english}
        assert found == want, (k, case.ops)
        expected += len(want)
    assert expected >= 5  # the variants do insert English paragraphs
