"""Read and re-write a large corpus: Markdown parse + splice write, and plain-text import.

Builds a corpus from the bundled articles repeated to about 20 MB (each copy a separate
article), then times parse_markdown + splice (identity and with every block translated)
and the plain-text reader. Prints MB/s and peak memory. Target: >= 5 MB/s read+write.

    python bench/read_write.py [--mb 20]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.read.markdown import parse_markdown  # noqa: E402
from pipeline.read.markdown_writer import splice  # noqa: E402
from pipeline.read.plaintext import parse_plain_text  # noqa: E402


def corpus(kind: str, megabytes: float) -> list[str]:
    folder = REPO / ("source" if kind == "md" else "tests/data/seeds")
    texts = [p.read_text() for p in sorted(folder.rglob("*.md" if kind == "md" else "*.txt"))]
    out: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        for text in texts:
            out.append(text)
            size += len(text.encode())
    return out


def measure(label: str, texts: list[str], work: object) -> None:
    total = sum(len(t.encode()) for t in texts) / 1_000_000
    started = time.perf_counter()
    for text in texts:
        work(text)  # type: ignore[operator]
    elapsed = time.perf_counter() - started
    # Memory in a separate, shorter pass: tracing slows the timed one down.
    tracemalloc.start()
    for text in texts[:50]:
        work(text)  # type: ignore[operator]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<44} {total:6.1f} MB  {elapsed:6.2f} s  {total / elapsed:6.1f} MB/s  peak {peak / 1e6:5.1f} MB per article")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=20.0)
    args = parser.parse_args()
    markdown = corpus("md", args.mb)
    plain = corpus("txt", args.mb)
    print(f"corpus: {len(markdown)} Markdown articles, {len(plain)} plain-text articles, about {args.mb:g} MB each")

    def identity(text: str) -> None:
        article = parse_markdown(text)
        assert splice(article, {}) == text

    def translate_all(text: str) -> None:
        article = parse_markdown(text)
        splice(article, {i: b.text.upper() for i, b in enumerate(article.blocks) if b.translatable})

    measure("Markdown read + identity write", markdown, identity)
    measure("Markdown read + write every block translated", markdown, translate_all)
    measure("plain-text read", plain, parse_plain_text)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS: {rss:.0f} MB")


if __name__ == "__main__":
    main()
