"""Untranslated text in an aligned translation (source language to target language).

:func:`classify_target` tells, for one target segment and the source it is aligned
with, whether it is

* ``"translated"``: in the target language (or nothing to tell, e.g. a number);
* ``"kept"``: still in the source language, but the way translators keep text on
  purpose: a heading or title (talk titles, product names), a block quote, a
  quotation in quote marks, a short quotation introduced by a source line ending
  with ":" ("In their own words:"), or a name of one or two words;
* ``"untranslated"``: still in the source language (identical to the source, or
  detected as such) where a translation was due;
* ``"partial"``: in the target language but containing a whole source-language
  sentence of at least :data:`MIN_SENTENCE_WORDS` words (quoted sentences excepted).

Each question is between two languages, the source and the target of the pair at
hand (``source_lang``, ``target_lang``: any language code Babel knows), so a
Slovak translation is never taken for Czech, whatever else is configured.

Detection (:func:`detect_language`) combines two opinions:

* lingua, restricted to the languages asked about, in its low-accuracy mode
  (trigram models only: built in about 0.05 s instead of 0.5 s per language, which
  made a single ``l10n compare`` slow) and with a minimum relative distance, so
  that it abstains on text it cannot tell (short strings, names). Detectors are
  built on first use and cached, never at import time;
* counts of general function words (:mod:`pipeline.align.function_words`),
  because lingua alone is swayed by the English terms technical text in any
  language is full of. Where the counts are clear, lingua is not asked.

For a language with no function-word list (or that lingua does not know) the
other opinion alone decides, and abstains when unsure; a language neither knows
is never detected, so its translations are never called untranslated, except
text identical to its source.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from pipeline.align.anchors import normalise_text
from pipeline.align.function_words import function_word_counts, special_letters
from pipeline.bounded_memo import sized_memo
from pipeline.model import Alignment, BlockKind, Segment

if TYPE_CHECKING:
    from lingua import Language, LanguageDetector

__all__ = [
    "MIN_SENTENCE_WORDS",
    "Verdict",
    "classifier_for",
    "classify_alignment",
    "classify_target",
    "detect_language",
    "detect_untranslated",
    "language_code",
    "sentences",
    "warm_up",
]

Verdict = Literal["translated", "kept", "untranslated", "partial"]

#: Shortest source-language sentence (in words) that makes a translation "partial".
MIN_SENTENCE_WORDS = 6
#: Longest source-language segment (in words) still taken for a quotation after a colon.
MAX_QUOTATION_WORDS = 80
#: Text of at most this many words is a name or a term, kept by nature.
MAX_NAME_WORDS = 2
_MIN_RELATIVE_DISTANCE = 0.25
#: Function words of one language, and none of the other: a clear count.
_CLEAR_COUNT = 3

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
#: What tells no language: code spans, where links lead, web addresses, tags and
#: MDX comments ("[Vyhrazené IP adresy](/private-dns/connect-devices/dedicated-ip.md)"
#: is Czech, whatever words its path has).
_NOT_PROSE = re.compile(r"`+[^`]*`+|\]\([^)]*\)|<[^<>]*>|\{/\*.*?\*/\}|https?://\S+|www\.\S+")
_CODE_SPAN = re.compile(r"`+[^`]*`+")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"'”“»)]*\s+")
_OPEN_QUOTES = "\"“„«‘'‚"
_CLOSE_QUOTES = "\"”“»’'‘"


def language_code(lang: str) -> str:
    """The language of a locale code, lower case: "pt_BR" and "pt-BR" are "pt"."""
    return re.split(r"[-_@.]", lang.strip(), maxsplit=1)[0].lower()


def _lingua_language(code: str) -> Language | None:
    from lingua import IsoCode639_1, Language

    try:
        return Language.from_iso_code_639_1(IsoCode639_1.from_str(code))
    except ValueError:
        return None  # a language lingua does not know


@lru_cache(maxsize=32)
def _detector(languages: tuple[str, ...]) -> tuple[LanguageDetector, dict[str, str]] | None:
    """Lingua over ``languages`` and its languages' codes; None when it knows fewer
    than two of them (nothing to choose between)."""
    from lingua import LanguageDetectorBuilder

    known = {language: code for code in languages if (language := _lingua_language(code)) is not None}
    if len(known) < 2:
        return None
    detector = (
        LanguageDetectorBuilder.from_languages(*known)
        .with_minimum_relative_distance(_MIN_RELATIVE_DISTANCE)
        # Trigram models only: the full models cost 0.4-0.9 s a language to load,
        # most of a single `l10n compare`, and the function words back the answer.
        .with_low_accuracy_mode()
        # Loaded now, not over the first texts: a worker process forked after
        # warm_up() shares them. Lingua keeps one copy per language for all detectors.
        .with_preloaded_language_models()
        .build()
    )
    return detector, {language.name: code for language, code in known.items()}


def warm_up(source_lang: str, target_langs: Iterable[str]) -> None:
    """Build the detectors of every (source, target) pair now, so that worker
    processes forked afterwards share them instead of each loading the models."""
    for target in target_langs:
        _detector(_pair(source_lang, target))


def _pair(source_lang: str, target_lang: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys((language_code(source_lang), language_code(target_lang))))


# One classification looks at the same text (and its sentences) several times:
# the words and their counts are remembered for the last few hundred texts.
@lru_cache(maxsize=512)
def _words(text: str) -> tuple[str, ...]:
    # ’ and ' are alike to the pattern (neither is a word character), so the
    # apostrophe is unified before the search, not in every word after it.
    return tuple(w.lower() for w in _WORD.findall(text.replace("’", "'")))


@lru_cache(maxsize=512)
def _counts(text: str, languages: tuple[str, ...]) -> dict[str, int] | None:
    """:func:`function_word_counts` of the words of ``text`` (not to be changed)."""
    return function_word_counts(_words(text), languages)


def _text_size(text: str, languages: tuple[str, ...]) -> int:
    return len(text) + 100  # the entry itself takes about what a hundred characters do


def _clear(counts: dict[str, int]) -> str | None:
    leaders = [lang for lang, n in counts.items() if n >= _CLEAR_COUNT]
    if len(leaders) == 1 and all(n == 0 for lang, n in counts.items() if lang != leaders[0]):
        return leaders[0]
    return None


def detect_language(text: str, languages: Sequence[str]) -> str | None:
    """Which of ``languages`` (codes) ``text`` is in, or None when it does not say
    clearly enough. The first language is the one a wrong answer costs most
    (the source: its verdict makes a translation "untranslated"), so a tie of
    function words never goes its way."""
    return _detect(text, tuple(dict.fromkeys(language_code(lang) for lang in languages)))


@sized_memo(4_000_000, size=_text_size)
def _detect(text: str, languages: tuple[str, ...]) -> str | None:
    words = _words(text)
    if not words or len(languages) < 2:
        return None
    counts = _counts(text, languages)
    # Where the counts alone decide, lingua cannot change the answer (each of its
    # verdicts below ends in the same result), so it is not asked: most text.
    if counts is not None and (clear := _clear(counts)) is not None:
        return clear
    built = _detector(languages)
    detected: str | None = None
    if built is not None:
        detector, codes = built
        language = detector.detect_language_of(text)
        detected = codes.get(language.name) if language is not None else None
    if counts is None:
        return detected  # no lexicon to check it against: lingua's word, or its abstention
    if detected is not None:
        others = max(n for lang, n in counts.items() if lang != detected)
        if counts[detected] > others or (counts[detected] == others and detected != languages[0]):
            return detected
    # Lingua abstained or disagrees with the function words: trust only a clear count.
    return _clear(counts)


def _in_language(text: str, pair: tuple[str, ...], lang: str) -> bool:
    """``_detect(text, pair) == lang``, without building or asking lingua where the
    function words already rule the answer in or out: lingua's word is taken only
    with at least as many function words of ``lang`` as of the other language
    (strictly more for the first), so most translations are never asked about."""
    counts = _counts(text, pair) if len(pair) == 2 else None
    if counts is not None:
        other = counts[pair[1] if lang == pair[0] else pair[0]]
        if counts[lang] < other or (counts[lang] == other and lang == pair[0]):
            return False
        if counts[lang] >= _CLEAR_COUNT and other == 0:
            return True
    return _detect(text, pair) == lang


def sentences(text: str) -> list[str]:
    """``text`` cut after sentence-closing punctuation followed by a capital or a quote."""
    out: list[str] = []
    start = 0
    for match in _SENTENCE_BREAK.finditer(text):
        following = text[match.end() : match.end() + 1]
        if following and (following.isupper() or following.isdigit() or following in _OPEN_QUOTES):
            out.append(text[start : match.end()].strip())
            start = match.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def _prose(text: str) -> str:
    """``text`` without what tells no language (:data:`_NOT_PROSE`)."""
    if "`" in text or "](" in text or "<" in text or "{/*" in text or "http" in text or "www." in text:
        return " ".join(_NOT_PROSE.sub(" ", text).split())
    return text


def _quoted(text: str) -> bool:
    stripped = text.strip().rstrip(".,;")
    return len(stripped) >= 2 and stripped[0] in _OPEN_QUOTES and stripped[-1] in _CLOSE_QUOTES


def _has_target_part(text: str, pair: tuple[str, ...]) -> bool:
    """Whether a sentence, or the part of one before or after a colon, is in the
    target language (the second of ``pair``)."""
    for sentence in sentences(text):
        for part in sentence.split(": "):
            if len(_words(part)) >= 3 and _in_language(part, pair, pair[-1]):
                return True
    return False


def _source_sentence(sentence: str, pair: tuple[str, ...]) -> bool:
    """A whole source-language sentence inside a translation, not a quotation kept
    on purpose."""
    words = _words(sentence)
    if _quoted(sentence) or len(words) < MIN_SENTENCE_WORDS:
        return False
    # Letters the source language never writes: two words with them make a sentence
    # the target's (one may be a name), and detection, the costly part of a check,
    # is not needed.
    letters = special_letters(pair[-1], pair[0])
    if letters and sum(1 for w in words if not letters.isdisjoint(w)) >= 2:
        return False
    source = pair[0]
    head, colon, tail = sentence.partition(": ")
    if colon and not _in_language(head, pair, source) and _in_language(tail, pair, source):
        return False  # "Jejich vlastními slovy: <English>": a quotation after its lead-in
    return _in_language(sentence, pair, source)


def classify_target(
    source_seg: Segment | None,
    target_seg: Segment,
    *,
    previous_source: Segment | None = None,
    source_lang: str,
    target_lang: str,
) -> Verdict:
    """How ``target_seg`` (in ``target_lang``) renders ``source_seg`` (in
    ``source_lang``; None for text the source lacks).

    ``previous_source`` is the source segment before ``source_seg``; a lead-in
    ending with ":" marks what follows as a quotation, which translators keep.
    """
    lead_in = previous_source is not None and previous_source.text.rstrip().endswith(":")
    pair = _pair(source_lang, target_lang)
    return _classify(source_seg.text if source_seg is not None else None, target_seg.text, target_seg.kind, lead_in, pair)


def classifier_for(source_lang: str, target_lang: str) -> Callable[..., Verdict]:
    """:func:`classify_target` for one pair of languages, called as
    ``classify(source_seg, target_seg, previous_source=...)``."""
    return _Classifier(_pair(source_lang, target_lang))


@dataclass(frozen=True)
class _Classifier:
    """:func:`classify_target` with the pair of language codes worked out once,
    not at every segment (a check asks about tens of thousands)."""

    pair: tuple[str, ...]

    def __call__(
        self, source_seg: Segment | None, target_seg: Segment, *, previous_source: Segment | None = None
    ) -> Verdict:
        previous = previous_source.text if previous_source is not None else None
        return self.texts(source_seg.text if source_seg is not None else None, target_seg.text, target_seg.kind, previous)

    def texts(self, source: str | None, target: str, kind: BlockKind, previous_source: str | None = None) -> Verdict:
        """The same verdict from the texts and the target's block kind, for a
        caller that has no segments (a check's PO entries): none are made."""
        lead_in = previous_source is not None and previous_source.rstrip().endswith(":")
        return _classify(source, target, kind, lead_in, self.pair)


def _pair_size(source: str | None, target: str, kind: BlockKind, lead_in: bool, pair: tuple[str, ...]) -> int:
    return len(source or "") + len(target) + 100


@sized_memo(8_000_000, size=_pair_size)
def _classify(source: str | None, target: str, kind: BlockKind, lead_in: bool, pair: tuple[str, ...]) -> Verdict:
    # Remembered: the align stage and the check ask about the same legacy texts.
    normalised = normalise_text(source) if source is not None else ""
    same = bool(normalised) and normalised == normalise_text(target)
    text = _prose(target.strip())
    words = _words(text)
    if not words:
        return "translated"  # numbers, code, a path, an address: nothing in a language
    # Mostly source-language text with a sentence or lead-in in the target language
    # is a translation with source-language terms in it.
    if same or (len(pair) == 2 and _in_language(text, pair, pair[0]) and not _has_target_part(text, pair)):
        # A name or a term ("DNS-over-TLS": one term) is short as written: each
        # code span is a word of it ("Run `npm install` and `npm test`." is a sentence).
        coded = len(_CODE_SPAN.findall(target)) if "`" in target else 0
        if min(len(words), len(text.split())) + coded <= MAX_NAME_WORDS:
            return "kept"
        if kind in (BlockKind.HEADING, BlockKind.TITLE, BlockKind.QUOTE, BlockKind.CODE):
            return "kept"
        if _quoted(text):
            return "kept"
        if lead_in and len(words) <= MAX_QUOTATION_WORDS:
            return "kept"
        return "untranslated"
    if len(pair) < 2:
        return "translated"  # source and target are one language: nothing to detect
    # After a lead-in, the opening sentence is the quotation it announced.
    if any(_source_sentence(sentence, pair) for sentence in sentences(text)[1 if lead_in else 0 :]):
        return "partial"
    return "translated"


def _joined(segments: Sequence[Segment]) -> Segment:
    first = segments[0]
    return Segment(" ".join(s.text for s in segments), first.kind, first.line, first.block, first.key, first.level)


def classify_alignment(alignment: Alignment, *, source_lang: str, target_lang: str) -> tuple[Verdict, ...]:
    """The verdict of :func:`classify_target` for every target segment, by index."""
    verdicts: list[Verdict] = ["translated"] * len(alignment.target)
    last_source = -1
    for bead in alignment.beads:
        source = _joined([alignment.source[i] for i in bead.source]) if bead.source else None
        before = (bead.source[0] if bead.source else last_source + 1) - 1
        previous = alignment.source[before] if before >= 0 else None
        # In a 2-2 bead of swapped neighbours the lead-in may be inside the bead.
        for i in bead.source[:-1]:
            if alignment.source[i].text.rstrip().endswith(":"):
                previous = alignment.source[i]
        for j in bead.target:
            verdicts[j] = classify_target(
                source, alignment.target[j], previous_source=previous, source_lang=source_lang, target_lang=target_lang
            )
        if bead.source:
            last_source = bead.source[-1]
    return tuple(verdicts)


def detect_untranslated(alignment: Alignment, *, source_lang: str, target_lang: str) -> tuple[int, ...]:
    """Target indices whose text is still in the source language where a translation was due."""
    verdicts = classify_alignment(alignment, source_lang=source_lang, target_lang=target_lang)
    return tuple(j for j, verdict in enumerate(verdicts) if verdict == "untranslated")
