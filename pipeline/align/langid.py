"""Untranslated text in an aligned translation (English source, Czech target).

:func:`classify_target` tells, for one target segment and the source it is aligned
with, whether it is

* ``"translated"``: Czech (or nothing to tell, e.g. a number);
* ``"kept"``: still English, but the way translators keep text on purpose: a
  heading or title (talk titles, product names), a block quote, a quotation in
  quote marks, a short quotation introduced by a source line ending with ":"
  ("In their own words:"), or a name of one or two words;
* ``"untranslated"``: still English (identical to the source, or detected as
  English) where a translation was due;
* ``"partial"``: Czech that contains a whole English sentence of at least
  :data:`MIN_SENTENCE_WORDS` words (quoted sentences excepted).

Language detection uses lingua restricted to English and Czech, with a minimum
relative distance so that it abstains on text it cannot tell (short strings,
names). The detector is built on first use and cached, never at import time.

Lingua alone is swayed by the English terms technical Czech is full of, so its
verdict is checked against counts of function words. The two lexicons below are
general: the commonest English and Czech function words (articles, pronouns,
auxiliaries, prepositions, conjunctions), leaving out words spelt the same in both
languages ("a", "to", "i", "on", "do", "pro", "u", "by", "no", "my", "ten", "co",
"most") and "pod", which Czech technical text borrows. They name nothing of any
particular text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from pipeline.align.anchors import normalise_text
from pipeline.bounded_memo import sized_memo
from pipeline.model import Alignment, BlockKind, Segment

if TYPE_CHECKING:
    from lingua import LanguageDetector

__all__ = [
    "MIN_SENTENCE_WORDS",
    "Verdict",
    "classify_alignment",
    "classify_target",
    "detect_language",
    "detect_untranslated",
    "sentences",
]

Verdict = Literal["translated", "kept", "untranslated", "partial"]

#: Shortest English sentence (in words) that makes a Czech paragraph "partial".
MIN_SENTENCE_WORDS = 6
#: Longest English segment (in words) still taken for a quotation after a colon.
MAX_QUOTATION_WORDS = 80
#: English of at most this many words is a name or a term, kept by nature.
MAX_NAME_WORDS = 2
_MIN_RELATIVE_DISTANCE = 0.25

_EN_FUNCTION = frozenset(
    """the an and or but nor of in at for with from into onto about over under
    after before between through during without within is are was were be been being
    am has have had having does did doing will would shall should can could may might
    must not this that these those it its it's he she we they you your our their
    his her them us me mine which who whom whose what where when why how there
    here than then so if because while although as also just only very too each any
    some all both more such own same other another don't doesn't didn't isn't
    aren't wasn't can't won't i'm i've you're we're they're that's there's""".split()  # noqa: SIM905
)
_CS_FUNCTION = frozenset(
    """je jsou byl byla bylo byli byly být jsem jsi jsme jste bude budou není nejsou
    se si sebe ve ze ke na za při nad před mezi přes bez kolem podle proti během
    místo kvůli až že aby když protože jestli pokud ale nebo ani však tedy také taky
    tak jak jako už ještě jen pouze který která které kteří kterou kterým tento tato
    toto tyto ta tu tom tím tomu jeho její jejich můj moje naše váš vaše svůj svoje
    já ty vy oni ony něco nic někdo nikdo vše všechno všechny každý každá každé tady
    tam kde kdy proč kdo jaký jaká jaké velmi hodně trochu asi možná""".split()  # noqa: SIM905
)

_CZECH_ONLY = re.compile("[ěščřžůťďň]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"'”“»)]*\s+")
_OPEN_QUOTES = "\"“„«‘'‚"
_CLOSE_QUOTES = "\"”“»’'‘"


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    from lingua import Language, LanguageDetectorBuilder

    return (
        LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.CZECH)
        .with_minimum_relative_distance(_MIN_RELATIVE_DISTANCE)
        # Loaded lazily, the models cost a first check about 0.6 s spread over its
        # first texts, and each worker process would load them again.
        .with_preloaded_language_models()
        .build()
    )


def warm_up() -> None:
    """Load lingua's models now (they load on first use, in about half a second),
    so that worker processes forked afterwards share them."""
    _detector().detect_language_of("warm up")


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def _text_size(text: str) -> int:
    return len(text) + 100  # the entry itself takes about what a hundred characters do


@sized_memo(4_000_000, size=_text_size)
def detect_language(text: str) -> Literal["en", "cs"] | None:
    """``"en"``, ``"cs"`` or None when the text does not say clearly enough."""
    words = _words(text)
    if not words:
        return None
    en = sum(w in _EN_FUNCTION for w in words)
    cs = sum(w in _CS_FUNCTION for w in words)
    # Where the counts alone decide, lingua cannot change the answer (each of its
    # verdicts below ends in the same result), so it is not asked: most text.
    if en >= 3 and cs == 0:
        return "en"
    if cs >= 3 and en == 0:
        return "cs"
    language = _detector().detect_language_of(text)
    name = language.name if language is not None else ""
    if name == "ENGLISH" and en > cs:
        return "en"
    if name == "CZECH" and cs >= en:
        return "cs"
    # Lingua abstained or disagrees with the function words: trust only a clear count.
    if en >= 3 and cs == 0:
        return "en"
    if cs >= 3 and en == 0:
        return "cs"
    return None


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


def _quoted(text: str) -> bool:
    stripped = text.strip().rstrip(".,;")
    return len(stripped) >= 2 and stripped[0] in _OPEN_QUOTES and stripped[-1] in _CLOSE_QUOTES


def _has_czech_part(text: str) -> bool:
    """Whether a sentence, or the part of one before or after a colon, is Czech."""
    for sentence in sentences(text):
        for part in sentence.split(": "):
            if len(_words(part)) >= 3 and detect_language(part) == "cs":
                return True
    return False


def _english_sentence(sentence: str) -> bool:
    """A whole English sentence inside Czech text, not a quotation kept on purpose."""
    words = _words(sentence)
    if _quoted(sentence) or len(words) < MIN_SENTENCE_WORDS:
        return False
    # Letters no English word has: two words with them make a sentence Czech (one
    # may be a name), and detection, the costly part of a check, is not needed.
    if sum(1 for w in words if _CZECH_ONLY.search(w)) >= 2:
        return False
    head, colon, tail = sentence.partition(": ")
    if colon and detect_language(head) != "en" and detect_language(tail) == "en":
        return False  # "Jejich vlastními slovy: <English>": a quotation after its lead-in
    return detect_language(sentence) == "en"


def classify_target(
    source_seg: Segment | None,
    target_seg: Segment,
    *,
    previous_source: Segment | None = None,
) -> Verdict:
    """How ``target_seg`` renders ``source_seg`` (None for text the source lacks).

    ``previous_source`` is the source segment before ``source_seg``; a lead-in
    ending with ":" marks what follows as a quotation, which translators keep.
    """
    lead_in = previous_source is not None and previous_source.text.rstrip().endswith(":")
    return _classify(source_seg.text if source_seg is not None else None, target_seg.text, target_seg.kind, lead_in)


def _pair_size(source: str | None, target: str, kind: BlockKind, lead_in: bool) -> int:
    return len(source or "") + len(target) + 100


@sized_memo(8_000_000, size=_pair_size)
def _classify(source: str | None, target: str, kind: BlockKind, lead_in: bool) -> Verdict:
    # Remembered: the align stage and the check ask about the same legacy texts.
    text = target.strip()
    words = _words(text)
    if not words:
        return "translated"
    same = source is not None and bool(normalise_text(source)) and normalise_text(source) == normalise_text(target)
    # Mostly English text that has a Czech sentence or lead-in is Czech with English in it.
    if same or (detect_language(text) == "en" and not _has_czech_part(text)):
        if len(words) <= MAX_NAME_WORDS:
            return "kept"
        if kind in (BlockKind.HEADING, BlockKind.TITLE, BlockKind.QUOTE, BlockKind.CODE):
            return "kept"
        if _quoted(text):
            return "kept"
        if lead_in and len(words) <= MAX_QUOTATION_WORDS:
            return "kept"
        return "untranslated"
    # After a lead-in, the opening sentence is the quotation it announced.
    if any(_english_sentence(sentence) for sentence in sentences(text)[1 if lead_in else 0 :]):
        return "partial"
    return "translated"


def _joined(segments: Sequence[Segment]) -> Segment:
    first = segments[0]
    return Segment(" ".join(s.text for s in segments), first.kind, first.line, first.block, first.key, first.level)


def classify_alignment(alignment: Alignment) -> tuple[Verdict, ...]:
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
            verdicts[j] = classify_target(source, alignment.target[j], previous_source=previous)
        if bead.source:
            last_source = bead.source[-1]
    return tuple(verdicts)


def detect_untranslated(alignment: Alignment) -> tuple[int, ...]:
    """Target indices whose text is still English where a translation was due."""
    return tuple(j for j, verdict in enumerate(classify_alignment(alignment)) if verdict == "untranslated")
