"""General function-word lexicons, the second opinion of language detection.

A statistical detector alone is swayed by the English terms technical text in
any language is full of ("cluster", "deployment", "service mesh"); function words
(articles, pronouns, auxiliaries, prepositions, conjunctions) are what a
translation cannot borrow. Each lexicon holds the commonest function words of one
language and names nothing of any particular text.

Words of one letter are left out everywhere ("a", "v", "w", "z", "i": they are
also list markers, variables and version prefixes). A word that two lexicons
share tells neither language, so :func:`function_word_counts` counts only the
words distinctive among the languages asked about; that is why some lexicons list
words that look English ("was", "will", "so", "we"): German "was" and "will", Slovak
"so" and Polish "we" must not count as English. Words that English text has all
the time are left out of the other lists ("to", "do", "po", "pod", "my", "co",
"ten", "bin"), and the English list leaves out English words that Czech technical
text uses as Czech words or borrows ("pod", "most", "no", "pro").

A language without a lexicon here is still detected (by the statistical detector
alone, see :mod:`pipeline.align.langid`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

__all__ = ["FUNCTION_WORDS", "SPECIAL_LETTERS", "function_word_counts", "has_lexicon", "special_letters"]


def _lexicon(words: str) -> frozenset[str]:
    return frozenset(words.split())


#: Language code (ISO 639-1) -> its commonest function words, lower case.
FUNCTION_WORDS: Mapping[str, frozenset[str]] = {
    "en": _lexicon(
        """the an and or but nor of in at for with from into onto about over under
        after before between through during without within is are was were be been being
        am has have had having does did doing will would shall should can could may might
        must not this that these those it its it's he she we they you your our their
        his her them us me mine which who whom whose what where when why how there
        here than then so if because while although as also just only very too each any
        some all both more such own same other another don't doesn't didn't isn't
        aren't wasn't can't won't i'm i've you're we're they're that's there's"""
    ),
    "cs": _lexicon(
        """je jsou byl byla bylo byli byly být jsem jsi jsme jste bude budou není nejsou
        se si sebe ve ze ke na za při nad před mezi přes bez kolem podle proti během
        místo kvůli až že aby když protože jestli pokud ale nebo ani však tedy také taky
        tak jak jako už ještě jen pouze který která které kteří kterou kterým tento tato
        toto tyto ta tu tom tím tomu jeho její jejich můj moje naše váš vaše svůj svoje
        já ty vy oni ony něco nic někdo nikdo vše všechno všechny každý každá každé tady
        tam kde kdy proč kdo jaký jaká jaké velmi hodně trochu asi možná"""
    ),
    "sk": _lexicon(
        """je sú bol bola bolo boli byť som si sme ste bude budú nie nebol nebola sa seba
        vo zo ku na za pri nad pred medzi cez bez okolo podľa proti počas miesto kvôli až
        že aby keď pretože ak ale alebo ani však teda tiež aj tak ako už ešte len iba
        ktorý ktorá ktoré ktorí ktorú ktorým tento táto toto tieto tá tú tom tým tomu
        jeho jej ich môj moja naše náš naša váš vaša svoj svoje ja ty vy oni ony niečo
        nič niekto nikto všetko všetky každý každá každé také tu tam kde kedy prečo kto
        aký aká aké veľmi dosť trochu asi možno pre so"""
    ),
    "pl": _lexicon(
        """jest są był była było byli były być będzie będą nie się siebie że aby żeby
        ale lub albo oraz czy jak jako tak też także już jeszcze tylko bardzo który
        która które którzy którego której którym ta te tego tej tym tych ich jego jej
        nasz nasza nasze wasz wasza mój moja swój swoje na we ze od przez przy dla
        bez nad przed między za jeśli jeżeli gdy kiedy ponieważ bo więc jednak gdzie
        kto dlaczego wszystko wszystkie każdy każda każde można trzeba ma mają miał
        jestem jesteśmy oni one ja ty wy coś nic ktoś nikt tutaj tam"""
    ),
    "de": _lexicon(
        """der die das den dem des ein eine einen einem einer eines und oder aber denn
        sondern doch ist sind war waren sein bist seid wird werden wurde wurden
        worden hat haben hatte hatten habe kann können konnte muss müssen soll sollen
        will wollen darf nicht kein keine keinen auch noch schon nur sehr mit von zu
        zum zur bei beim aus nach vor für über unter zwischen durch gegen ohne um auf
        in an im am ins vom dass wenn weil ob als wie wo was wer wir ihr sie es er ich
        du uns euch ihnen ihm ihn ihre ihren ihrem seine seinen seinem diese dieser
        dieses diesen jede jeder jedes alle man sich hier dort dann also so"""
    ),
}

#: Letters that mark a language against others written in the Latin alphabet
#: (not á, é, í, ó, ú, which English text has in names and loanwords).
SPECIAL_LETTERS: Mapping[str, frozenset[str]] = {
    "en": frozenset(),
    "cs": frozenset("ěščřžůťďň"),
    "sk": frozenset("äčďľĺňôŕšťž"),
    "pl": frozenset("ąćęłńśźż"),
    "de": frozenset("äöüß"),
}


def has_lexicon(lang: str) -> bool:
    return lang in FUNCTION_WORDS


def special_letters(lang: str, against: str) -> frozenset[str]:
    """Letters of ``lang`` that ``against`` never writes (empty when either is
    unknown here: then nothing is known for sure)."""
    if lang not in SPECIAL_LETTERS or against not in SPECIAL_LETTERS:
        return frozenset()
    return SPECIAL_LETTERS[lang] - SPECIAL_LETTERS[against]


@lru_cache(maxsize=64)
def _distinctive(languages: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    lexicons = [FUNCTION_WORDS[lang] for lang in languages]
    return tuple(
        lexicon.difference(*(other for j, other in enumerate(lexicons) if j != i)) for i, lexicon in enumerate(lexicons)
    )


def function_word_counts(words: Sequence[str], languages: tuple[str, ...]) -> dict[str, int] | None:
    """How many of ``words`` (lower case) are function words of each language and
    of no other of ``languages``; None when a language has no lexicon (its words
    are unknown, so no count can be compared with it)."""
    if not all(lang in FUNCTION_WORDS for lang in languages):
        return None
    distinctive = _distinctive(languages)
    return {lang: sum(w in lexicon for w in words) for lang, lexicon in zip(languages, distinctive)}
