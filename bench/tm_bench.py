"""Translation-memory benchmark: build and lookup figures (prints, never asserts).

Run from the repository root::

    /tmp/venv/bin/python bench/tm_bench.py [UNITS] [QUERIES]

Defaults: 100,000 memory units and 10,000 queries. Sentences are drawn from a
Zipf-distributed vocabulary (as real text is: a few very common words, many rare
ones), so the inverted index faces realistic posting lengths. Queries are a
third exact repeats, a third near-duplicates (one to three words changed, added
or dropped) and a third new sentences. Recall is checked against a full
rapidfuzz scan on a sample of the queries.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402

from pipeline.mt.memory import MemoryUnit
from pipeline.store.memory_index import TranslationMemory  # noqa: E402

SYLLABLES = ["ka", "lo", "ti", "ne", "ru", "sa", "mo", "vi", "de", "po", "ra", "zu", "be", "ch", "kr", "st"]


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words: dict[str, None] = {}
    for common in "the a of to and in is for that it on with as was at by".split():
        words[common] = None
    while len(words) < size:
        words["".join(rng.choices(SYLLABLES, k=rng.randint(1, 4)))] = None
    return list(words)


def sentences(rng: random.Random, vocab: list[str], count: int) -> list[str]:
    weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(vocab))]
    out = []
    for _ in range(count):
        words = rng.choices(vocab, weights=weights, k=rng.randint(5, 30))
        out.append(" ".join(words).capitalize() + ".")
    return out


def mutate(rng: random.Random, text: str, vocab: list[str]) -> str:
    words = text.rstrip(".").split()
    for _ in range(rng.randint(1, 3)):
        op = rng.random()
        if op < 0.5 or len(words) < 4:
            words[rng.randrange(len(words))] = rng.choice(vocab)
        elif op < 0.75:
            words.insert(rng.randrange(len(words)), rng.choice(vocab))
        else:
            del words[rng.randrange(len(words))]
    return " ".join(words) + "."


def main() -> None:
    units = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    queries_n = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    rng = random.Random(20250401)
    vocab = vocabulary(rng, 30_000)
    sources = sentences(rng, vocab, units)
    memory_units = [MemoryUnit(s, s[::-1], f"article-{i % 400}") for i, s in enumerate(sources)]

    queries: list[str] = []
    for i in range(queries_n):
        kind = i % 3
        if kind == 0:
            queries.append(rng.choice(sources))
        elif kind == 1:
            queries.append(mutate(rng, rng.choice(sources), vocab))
        else:
            queries.extend(sentences(rng, vocab, 1))

    start = time.perf_counter()
    memory = TranslationMemory(memory_units)
    build = time.perf_counter() - start

    start = time.perf_counter()
    results = [memory.lookup(q, 80) for q in queries]
    lookup = time.perf_counter() - start

    exact = sum(1 for r in results if r is not None and r.exact)
    fuzzy = sum(1 for r in results if r is not None and not r.exact)
    print(f"memory units:          {len(memory):>10,}")
    print(f"queries:               {len(queries):>10,}")
    print(f"build:                 {build:>10.2f} s")
    print(f"lookup:                {lookup:>10.2f} s  ({lookup / len(queries) * 1e3:.3f} ms/query)")
    print(f"total:                 {build + lookup:>10.2f} s  (target < 30 s)")
    print(f"exact / fuzzy / none:  {exact:,} / {fuzzy:,} / {len(queries) - exact - fuzzy:,}")

    # Recall against a full scan (slow, so on a sample).
    sample = rng.sample(range(len(queries)), min(200, len(queries)))
    agree = found = missed = 0
    start = time.perf_counter()
    for i in sample:
        best = process.extractOne(queries[i], sources, scorer=fuzz.ratio, score_cutoff=80)
        got = results[i]
        if best is None:
            agree += got is None
            continue
        found += 1
        if got is not None and got.similarity >= best[1] - 1e-9:
            agree += 1
        else:
            missed += 1
    scan = time.perf_counter() - start
    print(f"full-scan check:       {len(sample)} queries, {found} with a match >= 80%, {missed} missed by the index")
    print(f"full scan would take:  {scan / len(sample) * len(queries):>10.1f} s for all queries")


if __name__ == "__main__":
    main()
