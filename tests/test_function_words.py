"""Tests of the function-word lexicons on real text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline.align.function_words import (
    FUNCTION_WORDS,
    function_word_counts,
    has_lexicon,
    special_letters,
)

TRANSLATIONS = json.loads((Path(__file__).parent / "data" / "translations.json").read_text(encoding="utf-8"))
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def test_lexicons_are_lower_case_words_of_two_letters_or_more() -> None:
    for lang, lexicon in FUNCTION_WORDS.items():
        assert lexicon, lang
        assert all(w == w.lower() and len(w) >= 2 for w in lexicon), lang
    assert {"en", "cs", "de", "sk", "pl"} <= set(FUNCTION_WORDS)


def test_only_words_distinctive_among_the_languages_asked_count() -> None:
    # German "was" and "will" are English words too: they tell neither language.
    # "what", "it", "it", "and" are English; "er", "hier" German; "was" and "will" neither.
    assert function_word_counts(words("Was will er hier? What was it, and will it stay?"), ("en", "de")) == {
        "en": 4,
        "de": 2,
    }
    counts = function_word_counts(["was", "will", "the", "ist"], ("en", "de"))
    assert counts == {"en": 1, "de": 1}
    # Between Czech and Slovak, "že" and "ale" are shared; "sa" and "jsou" are not.
    assert function_word_counts(["že", "ale", "sa"], ("cs", "sk")) == {"cs": 0, "sk": 1}
    assert function_word_counts(["že", "ale", "jsou"], ("cs", "sk")) == {"cs": 1, "sk": 0}


def test_no_count_for_a_language_without_a_lexicon() -> None:
    assert not has_lexicon("fr")
    assert function_word_counts(["the", "of", "les"], ("en", "fr")) is None


@pytest.mark.parametrize("lang", ["cs", "de", "sk", "pl"])
def test_translations_count_their_own_language_and_english_counts_english(lang: str) -> None:
    for english, translated, kind in zip(TRANSLATIONS["en"], TRANSLATIONS[lang], TRANSLATIONS["kinds"]):
        if kind != "paragraph" or len(english.split()) < 12:
            continue
        own = function_word_counts(words(translated), ("en", lang))
        source = function_word_counts(words(english), ("en", lang))
        assert own is not None and source is not None
        assert own[lang] > own["en"], (lang, translated, own)
        assert source["en"] > source[lang], (lang, english, source)


def test_special_letters_are_those_the_other_language_lacks() -> None:
    assert "ř" in special_letters("cs", "en") and "ä" in special_letters("sk", "cs")
    assert not special_letters("en", "cs")
    assert not special_letters("fr", "en") and not special_letters("cs", "fr")
