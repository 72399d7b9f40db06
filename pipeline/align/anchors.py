"""Scoring features for the aligner: anchors, lengths, punctuation, and the anchor chain.

An *anchor* is a token that a translator normally carries over unchanged: numbers,
URLs, inline code, link targets, names and technical terms ("K8GB", "CockroachDB",
"x-pdb", "Cilium Cluster Mesh"). Czech inflects borrowed names ("Google Cloudu",
"Dapru", "DaemonSetem"), so tokens are compared after :func:`stem`, which folds
diacritics and case and strips one short inflectional ending. Both sides go through
the same stemmer, so an ending that is not really a suffix ("Kafka" -> "kafk") is
stripped on both sides alike and still matches.

The suffix list in :data:`_ENDINGS` is general Czech noun morphology (case endings
after diacritic folding) plus the English plural ``s``/``es``; it names no word.

:func:`anchor_chain` finds a monotone chain of confident one-to-one links by looking
at tokens that are rare *within a local window*, so that a long document that
repeats its names (or a benchmark that repeats one article) still yields anchors
and the search stays linear in the document length.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
import zlib
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, reduce
from operator import or_

from pipeline.model import BlockKind, Segment

__all__ = [
    "Features",
    "anchor_chain",
    "end_class",
    "extract",
    "extract_all",
    "fold",
    "interpolate",
    "normalise_text",
    "promote_names",
    "stem",
]

# Longest first, so "-ou" comes off whole rather than as "-u" leaving an "o".
_ENDINGS = ("ovi", "ech", "ach", "ami", "emi", "em", "ou", "um", "es", "u", "a", "e", "y", "i", "o", "s")
_MIN_STEM = 3
_WORD_BITS = 512
_WORD_MASK = (1 << _WORD_BITS) - 1
# Cognates ("informace"/"information", "projekt"/"project"): the first letters of
# longer words, folded, as bits of a set large enough that two unrelated
# paragraphs rarely share many bits by chance (two 15-word paragraphs share
# one bit in about one pair of five). 4,096 bits moved no bench figure by more
# than 0.006 F1 and cost about 0.4 s CPU more per 10,000 blocks.
_PREFIX = 4
_PREFIX_MIN_WORD = 5
_PREFIX_BITS = 1024
# Czech spells borrowed c and s as k and z ("verze"/"version", "funkce"/"function",
# "konzole"/"console"): both sides are compared with k -> c and z -> s.
_SPELLING = str.maketrans("kz", "cs")

_URL = re.compile(r"https?://[^\s)>\]]+|www\.[^\s)>\]]+")
_LINK = re.compile(r"\]\(([^)\s]+)[^)]*\)")
_CODE = re.compile(r"`+([^`]+)`+")
# A path on the site (no scheme, no fragment alone): translations move and rename
# the file ("images/x.png" -> "../../translated_images/x.<hash>.cs.png",
# "guide.md" -> "guide.cs.md"), so it is known by its name up to the first dot,
# and by its fragment (links to two sections of one page are two anchors).
# Possessive: a name the expression cannot read (a folder, "docs/") is given up
# at once, not tried at every split of the path (quadratic in its length).
_SITE_PATH = re.compile(r"(?:[^/?#]*/)*+\.*+([^/?#.]++)[^/?#]*+(?:[?#].*)?")


def _site_path_stem(target: str) -> str:
    if "://" in target or target.startswith(("#", "mailto:", "data:")):
        return target
    match = _SITE_PATH.fullmatch(target)
    if match is None:
        return target
    fragment = target.partition("#")[2]
    return match.group(1) + ("#" + fragment if fragment else "")


# Words inside code spans, as weak keys (a match counts, a miss does not).
_CODE_WORD = "cw:"
_MIN_CODE_WORD = 2
# A command-line option inside a code span (`-c`, `--force`, `[-f|--force]`).
_OPTION = re.compile(r"(?<![\w\-.])--?[A-Za-z][\w\-]*")
_OPTION_KEY = "opt:"
# A code span's shape: its text with each ``{{...}}`` placeholder emptied. tldr
# pages, Handlebars and Jinja examples write placeholders so, and translators
# translate only them: `more {{path/to/file}}` and `more +{{line_number}}
# {{path/to/file}}` keep their shapes (`more {{}}`, `more +{{}} {{}}`) when every
# word of both is translated or shared.
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}")
_SHAPE_KEY = "shape:"
# A word: letters/digits with inner joiners, so "x-pdb", "v1.3", "C++" and
# "didn't" stay whole while trailing sentence punctuation does not stick.
_TOKEN = re.compile(r"[^\W_](?:[\w'’+.\-]*[^\W_+])?\+*")
_DIGIT = re.compile(r"\d")
_SENTENCE_END = frozenset(".!?:…")
_OPENERS = "\"'“”„‘’«»([{*_#>-–— \t\n"
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})


class _FoldTable(dict[int, str]):
    """Per-character fold, filled as characters are met (str.translate consults it)."""

    def __missing__(self, code: int) -> str:
        char = chr(code).translate(_QUOTES)
        decomposed = unicodedata.normalize("NFKD", char)
        folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower-case, strip diacritics and unify quote characters."""
    return text.translate(_FOLD)


def normalise_text(text: str) -> str:
    """Text reduced to folded words, for "is this the same text" comparisons."""
    return " ".join(_TOKEN.findall(fold(text)))  # no groups: findall gives whole matches


@lru_cache(maxsize=1 << 16)
def stem(token: str) -> str:
    """Folded token without one inflectional ending (kept whole if too short)."""
    word = fold(token)
    if any(c.isdigit() for c in word):
        return word
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            return word[: -len(ending)]
    return word


def end_class(text: str) -> str:
    """The segment's closing punctuation: one of ``? ! : .`` or ``""`` for none."""
    stripped = text.rstrip(" \t\n\"'”“»)*_")
    if not stripped:
        return ""
    last = stripped[-1]
    if last in "?!:":
        return last
    if last in ".…":
        return "."
    return ""


def _is_initial(text: str, start: int) -> bool:
    """Whether the token starting at ``start`` begins a sentence (so a capital is no name)."""
    k = start - 1
    while k >= 0 and text[k] in _OPENERS:
        k -= 1
    return k < 0 or text[k] in _SENTENCE_END


# Thousands of segments have no names or no numbers: one shared empty set, not
# thousands (CPython no longer interns the empty frozenset).
_EMPTY: frozenset[str] = frozenset()


def _frozen(items: set[str] | frozenset[str]) -> frozenset[str]:
    return frozenset(items) if items else _EMPTY


@lru_cache(maxsize=1 << 16)
def _bit(token: str) -> int:
    """The token's stem as one bit of a ``_WORD_BITS``-bit set (0 for one-letter words)."""
    key = stem(token)
    if len(key) < 2 and not key.isdigit():
        return 0
    # A stable hash (str hashes change per process) keeps alignments reproducible.
    return 1 << (zlib.crc32(key.encode("utf-8")) & (_WORD_BITS - 1))


@lru_cache(maxsize=1 << 16)
def _prefix_bit(token: str) -> int:
    """The first letters of a longer word as one bit of a ``_PREFIX_BITS``-bit set."""
    if len(token) < _PREFIX_MIN_WORD or not token.isalpha():
        return 0
    key = fold(token)[:_PREFIX].translate(_SPELLING)
    return 1 << (zlib.crc32(key.encode("utf-8")) % _PREFIX_BITS)


@lru_cache(maxsize=1 << 16)
def _bits(token: str) -> int:
    """:func:`_bit` and, above the first ``_WORD_BITS`` bits, :func:`_prefix_bit`:
    one look-up and one OR per token for both sets."""
    return _bit(token) | _prefix_bit(token) << _WORD_BITS


@dataclass(frozen=True, slots=True)
class Features:
    """What the scorer needs to know about one segment, or about a run of them.

    ``strong`` are tokens that are practically never translated (numbers, code,
    URLs, CamelCase and all-caps terms). ``names`` are capitalised words inside a
    sentence. ``weak`` are sentence-initial capitals and hyphenated lower-case terms:
    a match counts half, a miss nothing, since "Thanks" or "two-day" are translated.
    ``keys`` is the union of the three.

    ``words`` is a bit set (a Bloom-style ``int``) of every folded stem and ``norm``
    the lower-cased words, for spotting text kept in the source language (kept text
    is identical, so no diacritic folding is needed there); an ``int`` is
    far cheaper to intersect and to hold than a set.
    """

    length: float
    strong: frozenset[str]
    names: frozenset[str]
    weak: frozenset[str]
    keys: frozenset[str]
    words: int
    kinds: tuple[BlockKind, ...]
    end: str
    norm: str
    #: The code spans among ``strong`` (translators rename identifiers in them).
    code: frozenset[str] = frozenset()
    #: Bit set of the folded first letters of the longer words (cognates), and its size.
    prefixes: int = 0
    prefix_count: int = 0
    #: Bit sets of the stems and of their learned partners (:mod:`pipeline.align.lexicon`).
    lex_own: int = 0
    lex_partners: int = 0

    # The two changes the aligner makes to a segment's features, built directly:
    # dataclasses.replace() looks every field up by name.
    def with_names(self, names: frozenset[str], weak: frozenset[str]) -> Features:
        """These features with other ``names`` and ``weak`` tokens."""
        return Features(
            self.length, self.strong, names, weak, self.keys, self.words, self.kinds, self.end, self.norm,
            self.code, self.prefixes, self.prefix_count, self.lex_own, self.lex_partners,
        )

    def with_lexicon(self, lex_own: int, lex_partners: int) -> Features:
        """These features with other learned-lexicon bit sets."""
        return Features(
            self.length, self.strong, self.names, self.weak, self.keys, self.words, self.kinds, self.end,
            self.norm, self.code, self.prefixes, self.prefix_count, lex_own, lex_partners,
        )

    def __add__(self, other: Features) -> Features:
        # Positional and with the unions inline: runs are built for every row
        # and column of the lattice.
        a, b = self.strong, other.strong
        strong = a | b if a and b else (a or b)
        a, b = self.names, other.names
        names = a | b if a and b else (a or b)
        a, b = self.weak, other.weak
        weak = a | b if a and b else (a or b)
        a, b = self.keys, other.keys
        keys = a | b if a and b else (a or b)
        a, b = self.code, other.code
        code = a | b if a and b else (a or b)
        prefixes = self.prefixes | other.prefixes
        return Features(
            self.length + other.length + 1.0,
            strong,
            names,
            weak,
            keys,
            self.words | other.words,
            self.kinds + other.kinds,
            other.end,
            f"{self.norm} {other.norm}",
            code,
            prefixes,
            prefixes.bit_count(),
            self.lex_own | other.lex_own,
            self.lex_partners | other.lex_partners,
        )


def extract(segment: Segment) -> Features:
    """Features of one segment."""
    return _extract(segment)[0]


def extract_all(segments: Sequence[Segment], other: Sequence[Segment]) -> tuple[list[Features], list[Features]]:
    """Features of both sides of a pair, with names told apart by :func:`promote_names`."""
    fs, lower_s = zip(*map(_extract, segments)) if segments else ((), ())
    ft, lower_t = zip(*map(_extract, other)) if other else ((), ())
    return promote_names(fs, lower_s, ft, lower_t), promote_names(ft, lower_t, fs, lower_s)


def _extract(segment: Segment) -> tuple[Features, frozenset[str]]:
    """Features of one segment and the stems it writes in lower case."""
    return _features(segment.text, segment.kind)


# Features are immutable and depend on the text and kind alone: a text met again
# (the same source paragraph aligned with each language's translation, a
# heading or a boilerplate paragraph on many pages) is read once. Bounded, so a
# long run's memory stays flat; the features themselves are small.
@lru_cache(maxsize=1 << 13)
def _features(text: str, kind: BlockKind) -> tuple[Features, frozenset[str]]:
    plain = text
    strong: set[str] = set()
    # Cheap substring tests first: most paragraphs have no markup at all.
    names: set[str] = set()
    weak: set[str] = set()
    if "`" in text or "](" in text or "http" in text or "www." in text:
        for match in _URL.finditer(text):
            strong.add("url:" + fold(match.group(0)))
        for match in _LINK.finditer(text):
            strong.add("url:" + fold(_site_path_stem(match.group(1))))
        for match in _CODE.finditer(text):
            strong.add("code:" + fold(match.group(1)))
        # A translator renames some words of a code span (`alert(message)` ->
        # `alert(zpráva)`, `cp {{path/to/file}}` -> `cp {{cesta/k/souboru}}`)
        # and keeps the rest: the kept words still tell two spans apart.
        for match in _CODE.finditer(text):
            weak.update(_CODE_WORD + fold(w) for w in _TOKEN.findall(match.group(1)) if len(w) >= _MIN_CODE_WORD)
            # Command-line options are never translated: `unzip -c` and `unzip -O`
            # are two commands whatever their placeholders say.
            strong.update(_OPTION_KEY + w for w in _OPTION.findall(match.group(1)))
            if "{{" in match.group(1):
                weak.add(_SHAPE_KEY + fold(_PLACEHOLDER.sub("{{}}", match.group(1))))
        plain = _CODE.sub(" ", _LINK.sub("]", _URL.sub(" ", text)))
    found = _TOKEN.findall(plain)
    distinct = set(found)
    lower = set(map(stem, filter(str.islower, distinct)))
    cursor = 0
    # Plain lower-case words (most of them) say nothing beyond ``words`` and ``lower``.
    for token in [t for t in found if not (t.islower() and t.isalpha())]:
        # These tokens come in order and plain lower-case words cannot contain
        # them, so searching on from the previous one finds each in place.
        start = plain.find(token, cursor)
        cursor = start + len(token)
        if "-" in token:
            parts = token.split("-")
            if any(p.isdigit() for p in parts):
                # "5-minute" is the number 5 and a word; "K8GB" or "v1.3" stay whole.
                strong.update(p for p in parts if p.isdigit())
                continue
        key = stem(token)
        first, rest = token[0], token[1:]
        if first.isdigit() or rest != rest.lower() or _DIGIT.search(rest):
            strong.add(key)
        elif first.isupper():
            if len(key) >= 2:
                (weak if _is_initial(plain, start) else names).add(key)
        elif "-" in token and len(token) >= 4:
            weak.add(key)
    names -= strong
    weak -= strong | names
    bits = reduce(or_, map(_bits, distinct), 0)
    prefixes = bits >> _WORD_BITS
    # Where a link or an image leads is copied or rewritten, not translated: a
    # localized image path (`../../translated_images/x.<64 hex digits>.cs.png`)
    # would make a thumbnail's translation read as long as the thumbnail and
    # the paragraph beside it together. (An address written out in the text,
    # `<https://...>`, is text both sides show, and counts.)
    prose = _LINK.sub("]", text) if "](" in text else text
    features = Features(
        float(len(" ".join(prose.split()))),
        _frozen(strong),
        _frozen(names),
        _frozen(weak),
        _frozen(strong | names | weak),
        bits & _WORD_MASK,
        (kind,),
        end_class(text),
        " ".join(found).lower(),
        _frozen({key for key in strong if key.startswith("code:")}) if strong else _EMPTY,
        prefixes,
        prefixes.bit_count(),
    )
    return features, _frozen(lower)


def promote_names(
    side: Sequence[Features],
    side_lower: Sequence[frozenset[str]],
    other: Sequence[Features],
    other_lower: Sequence[frozenset[str]],
) -> list[Features]:
    """Treat a sentence-initial capital as a name when its document never writes it in
    lower case and the other document has it too: "Kuma is easy" starts with a name,
    "The talk" and "Tady jsou" do not. ``*_lower`` are the stems each segment writes
    in lower case."""
    lower = _EMPTY.union(*side_lower)
    vocabulary = _EMPTY.union(*(f.keys for f in other), *other_lower)
    out = list(side)
    for k, f in enumerate(side):
        if f.weak:
            promoted = {w for w in f.weak if w not in lower and w in vocabulary and "-" not in w}
            if promoted:
                out[k] = f.with_names(f.names | promoted, _frozen(f.weak - promoted))
    return out


# --------------------------------------------------------------------------- anchors

_WINDOW = 48  # source segments looked at per step
_SLACK = 24  # extra target segments either side of the expected window
_MIN_SCORE = 1.0


def _link_score(
    s: Features,
    t: Features,
    df_s: Mapping[str, int],
    df_t: Mapping[str, int],
    norms: Mapping[str, int],
    shared: frozenset[str],
) -> float:
    """Evidence that two segments translate each other, from tokens rare in the window
    (``shared``: the names and strong tokens both have).

    Identical text counts only where it is unique on both sides of the window
    (``norms``: how often each text occurs there): a heading repeated further on
    (a page title that recurs as a section title) would otherwise pull the first
    occurrence onto the second and leave everything between unlinked.
    """
    # fsum: the same total whatever order the set (string hashes) gives.
    score = math.fsum(1.0 / (df_s[key] * df_t[key]) for key in shared)
    if s.norm and s.norm == t.norm and len(s.norm) >= 8 and norms.get(s.norm, 0) <= 2:
        score += 3.0
    return score


def _window_links(
    src: Sequence[Features],
    tgt: Sequence[Features],
    i0: int,
    i1: int,
    j0: int,
    j1: int,
    anchors_s: Sequence[frozenset[str]],
    anchors_t: Sequence[frozenset[str]],
) -> list[tuple[int, int, float]]:
    """Mutually best links (i, j, score) inside one source/target window
    (``anchors_*``: each segment's names and strong tokens)."""
    df_s = Counter(itertools.chain.from_iterable(anchors_s[i0:i1]))
    df_t = Counter(itertools.chain.from_iterable(anchors_t[j0:j1]))
    by_key: dict[str, list[int]] = defaultdict(list)
    by_norm: dict[str, list[int]] = defaultdict(list)
    norms: dict[str, int] = defaultdict(int)  # occurrences of each text on both sides
    for i in range(i0, i1):
        norms[src[i].norm] += 1
    for j in range(j0, j1):
        for key in anchors_t[j]:
            by_key[key].append(j)
        norms[tgt[j].norm] += 1
        if len(tgt[j].norm) >= 8:
            by_norm[tgt[j].norm].append(j)
    best_for_i: dict[int, tuple[float, int]] = {}
    best_for_j: dict[int, tuple[float, int]] = {}
    for i in range(i0, i1):
        cands: set[int] = set(by_norm.get(src[i].norm, ()))
        for key in anchors_s[i]:
            # Common tokens would make the candidate set quadratic and prove little.
            if df_s[key] <= 3 and df_t[key] <= 3:
                cands.update(by_key.get(key, ()))
        for j in sorted(cands):  # in order: ties go to the first, whatever the set's order
            score = _link_score(src[i], tgt[j], df_s, df_t, norms, anchors_s[i] & anchors_t[j])
            if score < _MIN_SCORE:
                continue
            if score > best_for_i.get(i, (0.0, -1))[0]:
                best_for_i[i] = (score, j)
            if score > best_for_j.get(j, (0.0, -1))[0]:
                best_for_j[j] = (score, i)
    return sorted(
        (i, j, score)
        for i, (score, j) in best_for_i.items()
        if best_for_j.get(j, (0.0, -1))[1] == i
    )


def _heaviest_chain(links: list[tuple[int, int, float]]) -> list[tuple[int, int]]:
    """The strictly increasing (in i and j) subsequence of links with the largest total score."""
    if not links:
        return []
    # Links come sorted by i; weighted LIS on j, O(k^2) with k bounded by the window.
    total = [score for _, _, score in links]
    prev = [-1] * len(links)
    for b, (ib, jb, sb) in enumerate(links):
        for a in range(b):
            ia, ja, _ = links[a]
            if ia < ib and ja < jb and total[a] + sb > total[b]:
                total[b] = total[a] + sb
                prev[b] = a
    k = max(range(len(links)), key=total.__getitem__)
    chain: list[tuple[int, int]] = []
    while k >= 0:
        chain.append((links[k][0], links[k][1]))
        k = prev[k]
    return chain[::-1]


def _consistent(chain: list[tuple[int, int]], n: int = -1, m: int = -1) -> list[tuple[int, int]]:
    """Drop links whose diagonal offset disagrees with both neighbours.

    A real shift (a dropped run) moves the offset once and it stays moved; a false
    link (a paragraph the translation moved elsewhere) jumps away and back. The
    documents' start and end (offset 0 and ``m - n``) are neighbours too, so a
    false first or last link is dropped as well.
    """
    if not chain:
        return chain
    points = [(-1, -1), *chain] + ([(n, m)] if n >= 0 else [])
    offsets = [j - i for i, j in points]
    keep = []
    for k in range(1, len(chain) + 1):
        if k + 1 < len(points):
            d_prev = offsets[k] - offsets[k - 1]
            d_next = offsets[k + 1] - offsets[k]
            if abs(d_prev) > 1 and abs(d_next) > 1 and (d_prev > 0) != (d_next > 0):
                continue
        keep.append(points[k])
    return keep


def anchor_chain(src: Sequence[Features], tgt: Sequence[Features]) -> list[tuple[int, int]]:
    """Confident one-to-one links (i, j), strictly increasing in both, found window by window.

    Each window spans ``_WINDOW`` source segments from the last accepted link and the
    target range where they should land (by the overall length ratio) plus slack, so
    the work per segment is bounded and the whole search is linear.
    """
    n, m = len(src), len(tgt)
    if not n or not m:
        return []
    slope = m / n
    anchors_s = [f.strong | f.names for f in src]
    anchors_t = [f.strong | f.names for f in tgt]
    chain: list[tuple[int, int]] = []
    i0 = j0 = 0
    while i0 < n:
        i1 = min(n, i0 + _WINDOW)
        lo = max(chain[-1][1] + 1 if chain else 0, j0 - _SLACK)
        hi = min(m, j0 + math.ceil((i1 - i0) * slope) + _SLACK)
        found = _heaviest_chain(_window_links(src, tgt, i0, i1, lo, hi, anchors_s, anchors_t)) if lo < hi else []
        if i1 < n:
            # Links near the window's far edge may lack their true partner beyond it.
            found = [(i, j) for i, j in found if i < i0 + (3 * _WINDOW) // 4]
        if found:
            chain.extend(found)
            i0, j0 = found[-1][0] + 1, found[-1][1] + 1
        else:
            step = max(1, (i1 - i0) // 2) if i1 < n else i1 - i0
            i0 += step
            j0 = min(m, j0 + int(step * slope))
    return _consistent(chain, n, m)


def interpolate(chain: Sequence[tuple[int, int]], n: int, m: int) -> list[float]:
    """For each lattice row 0..n, where the chain expects the path (piecewise linear)."""
    points = [(0, 0)] + [(i, j) for i, j in chain] + [(n, m)]
    xs = [p[0] for p in points]
    guide: list[float] = []
    for i in range(n + 1):
        k = min(max(bisect_left(xs, i), 1), len(points) - 1)
        (xa, ya), (xb, yb) = points[k - 1], points[k]
        guide.append(float(ya) if xb == xa else ya + (yb - ya) * (i - xa) / (xb - xa))
    return guide
