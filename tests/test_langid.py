"""Tests of untranslated-text detection on aligned pairs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from variants import Case, foreign_paragraphs, load_seed_pair, make_variant

from pipeline.align import langid
from pipeline.align.aligner import align
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


def test_code_link_targets_and_addresses_tell_no_language() -> None:
    # AdGuard DNS docs (Crowdin): a Czech link to a page whose path is English words.
    path = "(/private-dns/connect-devices/other-options/dedicated-ip.md)"
    english, czech = Segment(f"[Dedicated IP addresses]{path}", P, 1), Segment(f"[Vyhrazené IP adresy]{path}", P, 1)
    assert classify_target(english, czech) == "translated"
    assert classify_target(english, Segment(english.text, P, 1)) == "untranslated"  # the link text is English
    code = Segment("`True-Client-IP`", P, 1)
    assert classify_target(code, Segment(code.text, P, 1)) == "translated"  # code: nothing to translate
    term = Segment("DNS-over-TLS", P, 1)
    assert classify_target(term, Segment(term.text, P, 1)) == "kept"  # one term, however hyphenated
    untranslated = Segment("Command-line arguments override settings from the [configuration file](config.md).", P, 1)
    assert classify_target(untranslated, Segment(untranslated.text, P, 1)) == "untranslated"


def test_a_sentence_short_outside_its_code_spans_is_no_name() -> None:
    # Left as it was, it is untranslated, as before code spans told no language.
    sentence = Segment("Run `npm install` and `npm test`.", P, 1)
    assert classify_target(sentence, Segment(sentence.text, P, 1)) == "untranslated"
    option = Segment("Use `--force`.", P, 1)  # short, code and all
    assert classify_target(option, Segment(option.text, P, 1)) == "kept"


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


# --- Languages other than Czech -------------------------------------------------

TRANSLATIONS = json.loads((Path(__file__).parent / "data" / "translations.json").read_text(encoding="utf-8"))
CONFIGURED = ("en", "cs", "de", "sk", "pl")


def _pairs(lang: str) -> list[tuple[Segment, Segment]]:
    return [
        (Segment(english, BlockKind(kind), 1), Segment(translated, BlockKind(kind), 1))
        for english, translated, kind in zip(TRANSLATIONS["en"], TRANSLATIONS[lang], TRANSLATIONS["kinds"])
    ]


@pytest.mark.parametrize("lang", ["cs", "de", "sk", "pl"])
def test_correct_translations_are_translated(lang: str) -> None:
    verdicts = [
        langid.classify_target(source, target, source_lang="en", target_lang=lang) for source, target in _pairs(lang)
    ]
    assert verdicts == ["translated"] * len(verdicts)


@pytest.mark.parametrize("lang", ["cs", "de", "sk", "pl"])
def test_english_left_in_a_translation_is_untranslated(lang: str) -> None:
    for source, _ in _pairs(lang):
        # Reworded, so that it is not merely the source text copied.
        english = Segment(source.text.replace("—", ",").replace(" I ", " we "), source.kind, 1)
        verdict = langid.classify_target(source, english, source_lang="en", target_lang=lang)
        expected = "kept" if source.kind in (BlockKind.TITLE, BlockKind.HEADING) else "untranslated"
        assert verdict == expected, (lang, source.text)


@pytest.mark.parametrize("lang", ["de", "sk", "pl"])
def test_an_english_sentence_inside_a_translation_is_partial(lang: str) -> None:
    source, target = _pairs(lang)[16]  # the Dapr paragraph: four sentences
    first, rest = target.text.split(". ", 1)
    mixed = Segment(f"{first}. Developers don’t actually care about any of it and everything works very nicely. {rest}", P, 1)
    assert langid.classify_target(source, mixed, source_lang="en", target_lang=lang) == "partial"


def test_slovak_is_told_from_czech_and_the_others() -> None:
    for lang in ("cs", "de", "sk", "pl"):
        found = [langid.detect_language(text, CONFIGURED) for text in TRANSLATIONS[lang]]
        assert set(found) <= {lang, None}, (lang, found)
        assert found.count(lang) >= len(found) - 3, (lang, found)  # abstains only on the shortest
    for text in TRANSLATIONS["en"][1:]:
        assert langid.detect_language(text, CONFIGURED) in ("en", None)


def test_a_slovak_paragraph_is_slovak_even_with_czech_configured() -> None:
    slovak = TRANSLATIONS["sk"][3]
    assert langid.detect_language(slovak, ("en", "cs", "sk")) == "sk"
    assert langid.detect_language(TRANSLATIONS["cs"][3], ("en", "cs", "sk")) == "cs"


FRENCH = [
    (
        "Rejekts is a small two-day conference for talks that didn’t make it to KubeCon.",
        "Rejekts est une petite conférence de deux jours pour les présentations qui n’ont pas été retenues à la KubeCon.",
    ),
    (
        "On Monday, I attended several talks again — some better, others weaker. Here are my takeaways.",
        "Lundi, j’ai de nouveau assisté à plusieurs présentations, certaines meilleures, d’autres plus faibles. Voici ce que j’en retiens.",
    ),
    (
        "Thanks to sponsors, Rejekts is free, and it takes place at an interesting venue with very limited capacity — so it’s hard to get in.",
        "Grâce aux sponsors, Rejekts est gratuit et se tient dans un lieu intéressant à la capacité très limitée, il est donc difficile d’y entrer.",
    ),
]


def test_a_language_without_function_words_relies_on_the_detector() -> None:
    for english, french in FRENCH:
        source = Segment(english, P, 1)
        assert langid.detect_language(french, ("en", "fr")) == "fr"
        assert langid.classify_target(source, Segment(french, P, 1), source_lang="en", target_lang="fr") == "translated"
        left = Segment(english.replace("—", ","), P, 1)
        assert langid.classify_target(source, left, source_lang="en", target_lang="fr") == "untranslated"


def test_a_language_the_detector_does_not_know_is_never_called_untranslated_without_evidence() -> None:
    # Scottish Gaelic: Babel knows it, lingua does not, and it has no function-word list.
    english = "Rejekts is a small two-day conference for talks that didn’t make it to KubeCon."
    gaelic = "’S e co-labhairt bheag dà latha a th’ ann an Rejekts airson òraidean nach d’ fhuair àite aig KubeCon."
    source = Segment(english, P, 1)
    assert langid.detect_language(english, ("en", "gd")) is None
    assert langid.classify_target(source, Segment(gaelic, P, 1), source_lang="en", target_lang="gd") == "translated"
    # Text identical to its source is evidence enough.
    assert langid.classify_target(source, source, source_lang="en", target_lang="gd") == "untranslated"


def test_locale_codes_name_their_language() -> None:
    assert [langid.language_code(c) for c in ("pt_BR", "de-AT", "sr@latin", "CS")] == ["pt", "de", "sr", "cs"]
    german = TRANSLATIONS["de"][3]
    assert langid.detect_language(german, ("en", "de_AT")) == "de"


def test_warm_up_builds_one_detector_per_pair() -> None:
    langid._detector.cache_clear()
    langid.warm_up("en", ["de", "pl"])
    assert langid._detector.cache_info().currsize == 2


def test_a_translation_whose_function_words_decide_never_builds_the_detector() -> None:
    # The bundled pair's every verdict follows from its function words, so lingua
    # (the costly part of a single `l10n compare`) is never loaded for it.
    code = (
        "from pathlib import Path\n"
        "import pipeline.align.langid as l\n"
        "from pipeline.align.compare import compare_articles\n"
        "from pipeline.store.project import read_article\n"
        "en = read_article(Path('source/en/rejekts-2025-london-day-2.md'), lang='en')\n"
        "cs = read_article(Path('source/cs/rejekts-2025-london-day-2.md'), lang='cs')\n"
        "states = compare_articles(en, cs).states\n"
        "print(l._detector.cache_info().currsize, states.count('kept'), states.count('untranslated'))\n"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    built, kept, untranslated = map(int, out.stdout.split())
    assert built == 0
    assert kept >= 2 and untranslated == 0  # the quotation and the talk titles kept in English
