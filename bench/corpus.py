"""Seeded generator of a large corpus of English articles and Czech legacy translations.

Every article is an edited copy of one of the bundled articles (``source/en/*.md``); copies of
the day-two article (most of them) also get a Czech legacy translation made from the real Czech
day-two article (``source/cs/rejekts-2025-london-day-2.md``) with the *same* edits, so the
Czech file stays a plausible translation of its English copy. Per copy:

* substitutions applied to both sides alike: the event name, the city (Czech in the locative,
  as the article uses it), the year (also in the front-matter date), speakers' names, project
  names (prefix match, so Czech inflections such as "Dapru" follow), latencies ("15 ms");
* section edits on both sides: talk sections shuffled, sections dropped or duplicated,
  a suffix added to some headings, a ``description`` added to some front matters;
* paragraph edits on both sides (where the two sides pair up): paragraphs dropped or
  duplicated, two sentences swapped;
* Czech-only damage on some copies: a paragraph dropped, or two paragraphs merged into one;
* a few day-two copies have no Czech file at all, nor do copies of the other articles.

Same seed and N give the same bytes; article ``i`` depends only on (seed, i), so a corpus of
1,000 is the first 1,000 articles of a corpus of 10,000. Writes::

    OUTDIR/pyproject.toml                 [tool.l10n] source_lang = "en", languages = ["cs"]
    OUTDIR/source/en/<slug>.md
    OUTDIR/source/cs/<slug>.md            (for most copies)

Usage::

    python bench/corpus.py N OUTDIR [--seed S]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "source"
PAIR_SLUG = "rejekts-2025-london-day-2"

PYPROJECT = """\
[tool.l10n]
source_lang = "en"
languages = ["cs"]
"""

# --------------------------------------------------------------------------- pools

EVENTS = [
    "Rejekts", "KubeDay", "DevConf", "ContainerDays", "OpenSlava", "CloudCamp", "InfraFest",
    "OpsCon", "PlatformCon", "MeshDay", "SREday", "GitOpsCon",
]
# (English, Czech locative: the Czech articles say "v Londýně").
CITIES = [
    ("London", "Londýně"), ("Paris", "Paříži"), ("Berlin", "Berlíně"), ("Prague", "Praze"),
    ("Vienna", "Vídni"), ("Amsterdam", "Amsterdamu"), ("Valencia", "Valencii"), ("Brno", "Brně"),
    ("Madrid", "Madridu"), ("Warsaw", "Varšavě"), ("Munich", "Mnichově"), ("Hamburg", "Hamburku"),
    ("Lisbon", "Lisabonu"), ("Atlanta", "Atlantě"), ("Salt Lake City", "Salt Lake City"),
]
FIRST = [
    "Anna", "Jiří", "Petra", "Lukáš", "Sofia", "Mateo", "Aisha", "Kenji", "Olga", "Tomáš",
    "Priya", "Jonas", "Zuzana", "Marek", "Chloé", "Erik", "Fatima", "Ondřej", "Lena", "Diego",
    "Hana", "Noah", "Yuki", "Radka",
]
LAST = [
    "Novák", "Dvořáková", "Schmidt", "García", "Okafor", "Tanaka", "Kowalski", "Svoboda",
    "Müller", "Rossi", "Andersen", "Horák", "Nguyen", "Petrov", "Černá", "O'Brien", "Silva",
    "Fischer", "Kučera", "Lindqvist",
]
# Projects named in the articles, and what a copy may call them instead.
TERMS = [
    "Cilium", "Dapr", "Kuma", "Linkerd", "Istio", "Falco", "KubeArmor", "Tetragon", "Kubescape",
    "Hyperlight", "K8GB", "CockroachDB", "Envoy", "Headlamp", "Podman", "Crossplane", "Argo CD",
    "Kyverno", "Flux", "Backstage",
]
TERM_POOL = [
    "Calico", "Consul", "Traefik", "Trivy", "Cosign", "Karpenter", "KEDA", "Vitess", "TiKV",
    "NATS", "Contour", "Emissary", "Knative", "OpenCost", "Longhorn", "Rook", "Harbor",
    "Dragonfly", "Thanos", "Cortex", "Jaeger", "Keptn", "Litmus", "Chaos Mesh", "Volcano",
    "Strimzi", "Cilium", "Dapr", "Istio", "Kuma",
]
# (English, Czech) heading suffixes.
HEADING_SUFFIXES = [
    (" (Recap)", " (shrnutí)"), (" – Notes", " – poznámky"), (": Part 2", ": 2. část"),
    (" Revisited", " znovu"), (" in Detail", " podrobně"),
]
DESCRIPTIONS = [
    ("Notes from {event} {year} in {city}: talks, takeaways and recordings.",
     "Poznámky z {event} {year} v {city_cs}: přednášky, postřehy a záznamy."),
    ("What did I learn at {event} {year} in {city}? A summary of the talks.",
     "Co jsem se dozvěděl na {event} {year} v {city_cs}? Shrnutí přednášek."),
]

_SENTENCE = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ])")
_SPEAKERS = re.compile(r"^(?:Presented by|Přednášel[ai]?) (.+?)\.$", re.M)
_YEAR = re.compile(r"\b20[0-3]\d\b")


# --------------------------------------------------------------------------- base articles

@dataclass(frozen=True)
class Section:
    heading: str | None
    blocks: tuple[str, ...]


@dataclass(frozen=True)
class Base:
    slug: str
    front: str  # front matter lines between the --- fences
    sections: tuple[Section, ...]
    year: str
    city: str
    event: str


@dataclass(frozen=True)
class Unit:
    """Paragraphs that translate each other (either side may be empty)."""

    en: tuple[str, ...]
    cs: tuple[str, ...]


@dataclass(frozen=True)
class PairSection:
    heading: tuple[str | None, str | None]
    units: tuple[Unit, ...]


def _split(text: str) -> tuple[str, list[Section]]:
    assert text.startswith("---\n"), "article without front matter"
    front, body = text[4:].split("\n---\n", 1)
    sections = [Section(None, ())]
    for block in re.split(r"\n[ \t]*\n", body.strip("\n")):
        block = block.strip("\n")
        if not block:
            continue
        if block.startswith("#"):
            sections.append(Section(block, ()))
        else:
            last = sections[-1]
            sections[-1] = Section(last.heading, last.blocks + (block,))
    return front, sections


def _is_list(block: str) -> bool:
    return bool(re.match(r"(?:[-*+]|\d+[.)]) ", block))


def _pair_units(en: tuple[str, ...], cs: tuple[str, ...]) -> tuple[Unit, ...]:
    """Pair paragraphs: 1:1 when counts agree, else skip lists and headings missing on one side."""
    if len(en) == len(cs):
        return tuple(Unit((e,), (c,)) for e, c in zip(en, cs))
    units: list[Unit] = []
    i = j = 0
    while i < len(en) or j < len(cs):
        if i < len(en) and j < len(cs):
            if _is_list(en[i]) and not _is_list(cs[j]):
                units.append(Unit((en[i],), ()))
                i += 1
            elif cs[j].startswith("#") and not en[i].startswith("#"):
                units.append(Unit((), (cs[j],)))
                j += 1
            else:
                units.append(Unit((en[i],), (cs[j],)))
                i += 1
                j += 1
        elif i < len(en):
            units.append(Unit((en[i],), ()))
            i += 1
        else:
            units.append(Unit((), (cs[j],)))
            j += 1
    return tuple(units)


def _guess(text: str, options: list[str], default: str) -> str:
    return next((o for o in options if o in text), default)


@lru_cache(maxsize=None)
def bases() -> tuple[Base, ...]:
    out = []
    for path in sorted((SOURCE / "en").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        front, sections = _split(text)
        year = (_YEAR.findall(front) or ["2025"])[0]
        out.append(Base(path.stem, front, tuple(sections), year,
                        _guess(text, [c for c, _ in CITIES], "London"), _guess(text, EVENTS, "Rejekts")))
    return tuple(out)


@lru_cache(maxsize=None)
def pair() -> tuple[str, str, tuple[PairSection, ...]]:
    """The day-two pair: (English front, Czech front, aligned sections)."""
    en_front, en = _split((SOURCE / "en" / f"{PAIR_SLUG}.md").read_text(encoding="utf-8"))
    cs_front, cs = _split((SOURCE / "cs" / f"{PAIR_SLUG}.md").read_text(encoding="utf-8"))
    # The Czech article has one heading more ("Vojta Mareš na Rejekts") whose paragraph the
    # English one keeps in the section before: fold extra Czech sections into the one before,
    # choosing the fold that makes the most headings equal (talk titles are left in English)
    # and then the most paragraph counts agree.
    while len(cs) > len(en):
        def folded(k: int) -> list[Section]:
            prev = cs[k - 1]
            return cs[:k - 1] + [Section(prev.heading, prev.blocks + ((cs[k].heading or ""),) + cs[k].blocks)] + cs[k + 1:]

        def score(sections: list[Section]) -> tuple[int, int]:
            pairs = list(zip(en, sections))
            return (sum(e.heading == c.heading for e, c in pairs), sum(len(e.blocks) == len(c.blocks) for e, c in pairs))

        cs = max((folded(k) for k in range(1, len(cs))), key=score)
    sections = tuple(
        PairSection((e.heading, c.heading), _pair_units(e.blocks, c.blocks)) for e, c in zip(en, cs)
    )
    return en_front, cs_front, sections


@lru_cache(maxsize=None)
def _speakers() -> tuple[str, ...]:
    names: list[str] = []
    for base in bases():
        for section in base.sections:
            for block in section.blocks:
                for m in _SPEAKERS.finditer(block):
                    for name in re.split(r",\s*| and | a ", m.group(1)):
                        name = name.strip()
                        if name and name not in names:
                            names.append(name)
    return tuple(names)


@lru_cache(maxsize=None)
def _token_pattern() -> re.Pattern[str]:
    words = set(_speakers()) | set(TERMS) | set(EVENTS) | {c for c, _ in CITIES} | {c for _, c in CITIES}
    alternation = "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    return re.compile(rf"(?P<word>(?<![\w-])(?:{alternation}))|(?P<year>\b20[0-3]\d\b)|\b(?P<ms>\d+) ms\b")


@lru_cache(maxsize=None)
def _template(text: str) -> tuple[tuple[str, str], ...]:
    """``text`` cut into (kind, piece): kind "" for literal text, else "word", "year" or "ms"."""
    pieces: list[tuple[str, str]] = []
    at = 0
    for m in _token_pattern().finditer(text):
        kind = m.lastgroup or ""
        pieces.append(("", text[at:m.start(kind)]))
        pieces.append((kind, m.group(kind)))
        at = m.end(kind)
    pieces.append(("", text[at:]))
    return tuple(p for p in pieces if p[1])


# --------------------------------------------------------------------------- one copy

class Copy:
    """The substitutions and choices of one article copy."""

    def __init__(self, rng: random.Random, base: Base) -> None:
        self.rng = rng
        self.event = rng.choice(EVENTS) if rng.random() < 0.7 else base.event
        city = rng.choice(CITIES) if rng.random() < 0.7 else next(c for c in CITIES if c[0] == base.city)
        self.city, self.city_cs = city
        self.year = str(rng.randint(2016, 2030))
        self.en: dict[str, str] = {base.event: self.event}
        self.cs: dict[str, str] = {base.event: self.event}
        for en_city, cs_city in CITIES:
            if en_city == base.city:
                self.en[en_city] = self.city
                self.cs[cs_city] = self.city_cs
        for name in _speakers():
            if rng.random() < 0.7:
                new = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                self.en[name] = self.cs[name] = new
        for term in TERMS:
            if rng.random() < 0.4:
                self.en[term] = self.cs[term] = rng.choice(TERM_POOL)
        self.base_year = base.year
        self.ms: dict[str, str] = {}

    def substitute(self, text: str, cs: bool) -> str:
        table = self.cs if cs else self.en
        out = []
        for kind, piece in _template(text):
            if kind == "word":
                piece = table.get(piece, piece)
            elif kind == "year":
                piece = self.year if piece == self.base_year else piece
            elif kind == "ms":
                if piece not in self.ms:
                    self.ms[piece] = str(self.rng.randint(2, 60))
                piece = self.ms[piece]
            out.append(piece)
        return "".join(out)


def _swap_sentences(rng: random.Random, unit: Unit) -> Unit:
    if len(unit.en) != 1 or len(unit.cs) > 1 or unit.en[0].startswith("#") or _is_list(unit.en[0]):
        return unit
    en = _SENTENCE.split(unit.en[0])
    if len(en) < 2:
        return unit
    k = rng.randrange(len(en) - 1)
    en[k], en[k + 1] = en[k + 1], en[k]
    cs_blocks = unit.cs
    if unit.cs:
        cs = _SENTENCE.split(unit.cs[0])
        if len(cs) == len(en):
            cs[k], cs[k + 1] = cs[k + 1], cs[k]
            cs_blocks = (" ".join(cs),)
    return Unit((" ".join(en),), cs_blocks)


def _edit_sections(rng: random.Random, sections: list[PairSection], movable: range) -> list[PairSection]:
    if rng.random() < 0.3 and len(movable) > 1:
        middle = sections[movable.start:movable.stop]
        rng.shuffle(middle)
        sections[movable.start:movable.stop] = middle
    out: list[PairSection] = []
    for k, section in enumerate(sections):
        if k and rng.random() < 0.06:
            continue  # dropped on both sides
        heading = section.heading
        if heading[0] and rng.random() < 0.12:
            en_suffix, cs_suffix = rng.choice(HEADING_SUFFIXES)
            heading = (heading[0] + en_suffix, heading[1] + cs_suffix if heading[1] else None)
        units: list[Unit] = []
        for unit in section.units:
            r = rng.random()
            if r < 0.04 and len(section.units) > 1:
                continue
            if r < 0.12:
                unit = _swap_sentences(rng, unit)
            units.append(unit)
            if rng.random() < 0.02:
                units.append(unit)
        edited = PairSection(heading, tuple(units))
        out.append(edited)
        if k and rng.random() < 0.03:
            out.append(edited)  # duplicated section
    return out


def _damage_czech(rng: random.Random, blocks: list[str]) -> list[str]:
    """Drop a paragraph or merge two adjacent ones, one to three times."""
    for _ in range(rng.randint(1, 3)):
        plain = [k for k, b in enumerate(blocks) if not b.startswith("#") and not _is_list(b)]
        if len(plain) < 3:
            break
        k = rng.choice(plain[:-1])
        if rng.random() < 0.5:
            del blocks[k]
        elif k + 1 < len(blocks) and not blocks[k + 1].startswith("#") and not _is_list(blocks[k + 1]):
            blocks[k:k + 2] = [blocks[k] + " " + blocks[k + 1]]
    return blocks


def _render(front: str, blocks: list[str]) -> str:
    return "---\n" + front + "\n---\n\n" + "\n\n".join(blocks) + "\n"


def _with_description(front: str, description: str) -> str:
    if re.search(r"^description:", front, re.M):
        return front
    # A double-quoted YAML scalar (JSON is valid YAML): the text has ": " in it.
    return front + "\ndescription: " + json.dumps(description, ensure_ascii=False)


def _slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")


def make_article(seed: int, index: int) -> tuple[str, str, str | None]:
    """Article ``index`` of the corpus for ``seed``: (slug, English text, Czech text or None)."""
    rng = random.Random(seed * 1_000_003 + index)
    all_bases = bases()
    pair_base = next(b for b in all_bases if b.slug == PAIR_SLUG)
    others = [b for b in all_bases if b.slug != PAIR_SLUG]
    base = pair_base if rng.random() < 0.8 or not others else rng.choice(others)
    copy = Copy(rng, base)
    with_description = rng.random() < 0.3
    template = rng.choice(DESCRIPTIONS)
    fields = {"event": copy.event, "year": copy.year, "city": copy.city, "city_cs": copy.city_cs}

    if base is pair_base:
        en_front, cs_front, pair_sections = pair()
        sections = _edit_sections(rng, list(pair_sections), range(4, len(pair_sections) - 3))
        has_czech = rng.random() < 0.9
    else:
        en_front, cs_front = base.front, ""
        sections = [PairSection((s.heading, None), tuple(Unit((b,), ()) for b in s.blocks)) for s in base.sections]
        sections = _edit_sections(rng, sections, range(1, len(sections) - 1))
        has_czech = False

    en_blocks: list[str] = []
    cs_blocks: list[str] = []
    for section in sections:
        if section.heading[0]:
            en_blocks.append(section.heading[0])
        if section.heading[1]:
            cs_blocks.append(section.heading[1])
        for unit in section.units:
            en_blocks.extend(unit.en)
            cs_blocks.extend(unit.cs)
    if with_description:
        en_front = _with_description(en_front, template[0].format(**fields))
        cs_front = _with_description(cs_front, template[1].format(**fields))
    english = _render(copy.substitute(en_front, cs=False), [copy.substitute(b, cs=False) for b in en_blocks])
    title = re.search(r"^title: *'?(.*?)'?$", english, re.M)
    slug = f"{_slugify(title.group(1) if title else base.slug)}-{index:05d}"
    czech = None
    if has_czech:
        cs_blocks = [copy.substitute(b, cs=True) for b in cs_blocks]
        if rng.random() < 0.3:
            cs_blocks = _damage_czech(rng, cs_blocks)
        czech = _render(copy.substitute(cs_front, cs=True), cs_blocks)
    return slug, english, czech


def generate(n: int, outdir: str | Path, seed: int = 1) -> dict[str, int]:
    """Write a corpus of ``n`` English articles (and Czech translations) to ``outdir``."""
    out = Path(outdir)
    en_dir = out / "source" / "en"
    cs_dir = out / "source" / "cs"
    en_dir.mkdir(parents=True, exist_ok=True)
    cs_dir.mkdir(parents=True, exist_ok=True)
    (out / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8", newline="\n")
    stats = {"en": 0, "cs": 0, "bytes": 0}
    for index in range(n):
        slug, english, czech = make_article(seed, index)
        data = english.encode("utf-8")
        (en_dir / f"{slug}.md").write_bytes(data)
        stats["en"] += 1
        stats["bytes"] += len(data)
        if czech is not None:
            data = czech.encode("utf-8")
            (cs_dir / f"{slug}.md").write_bytes(data)
            stats["cs"] += 1
            stats["bytes"] += len(data)
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of English articles")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    stats = generate(args.n, args.outdir, args.seed)
    print(
        f"{stats['en']} English and {stats['cs']} Czech articles, {stats['bytes'] / 1e6:.1f} MB, "
        f"in {args.outdir} ({time.perf_counter() - started:.2f} s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
