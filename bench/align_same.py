"""Do two installations align the same? For a change to the aligner that must not
change its output: each interpreter aligns the same pairs (the docs dev set with
its blanked and perturbed variants as ``align_docs.py`` builds them, the seed pair
and its variants, every legacy pair of a generated corpus, the 10,000-block
chained docs pair, and the pairs of any ``--extra`` folder) and the ``repr`` of
every :class:`~pipeline.model.Alignment` (beads, confidences and findings as
exact floats, moves) is compared. Prints the counts, the differing cases and each
side's CPU seconds inside ``align``; exits 1 when any differ.

Usage (two virtual environments, e.g. one installed from the commit before the change)::

    python bench/align_same.py /tmp/venv-before/bin/python .venv/bin/python --articles 200
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.model import Segment

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def cases(corpus: Path | None, extra: list[Path], scale: bool) -> Iterator[tuple[str, Sequence[Segment], Sequence[Segment]]]:
    """(label, source segments, target segments) of every pair to align."""
    from docs_pairs import DOCS, blanked, load_pairs, monotone, renumbered
    from variants import concatenate, foreign_paragraphs, load_seed_pair, make_variant

    ops = ("drop", "merge", "split", "insert", "swap", "move")
    pool = foreign_paragraphs()
    seed = load_seed_pair()
    yield "seed", seed.source, seed.target
    for k in range(20):
        v = make_variant(seed, k, pool=pool, ops=random.Random(k).choices(ops, k=3))
        yield f"seed #{k}", v.source, v.target
    pairs = [pair for folder in (DOCS, *extra) for pair in load_pairs(folder)]
    for name, case in pairs:
        yield name, case.source, case.target
        for k in range(3):
            v = renumbered(blanked(case, k), case.target)
            yield f"{name} blanked #{k}", v.source, v.target
        if monotone(case):
            for op in ops:
                for k in range(3):
                    v = renumbered(make_variant(case, 1000 * k + len(name), pool=pool, ops=[op, op]), case.target)
                    yield f"{name} {op} #{k}", v.source, v.target
            for k in range(5):
                mixed = random.Random(k).choices(ops, k=4)
                v = renumbered(make_variant(case, 77 + k, pool=pool, ops=mixed), case.target)
                yield f"{name} mixed #{k}", v.source, v.target
    if corpus is not None:
        from pipeline.catalog.entries import article_body_segments
        from pipeline.model import body_segments
        from pipeline.store.project import load_source_article, open_project

        project = open_project(corpus)
        source_lang = project.config.source_lang
        for path in sorted((corpus / "source").glob("*/*.md")):
            lang, slug = path.parent.name, path.stem
            if lang == source_lang:
                continue
            source = load_source_article(project, source_lang, slug)
            target = load_source_article(project, lang, slug)
            yield f"{lang}/{slug}", article_body_segments(source), body_segments(target)
    if scale:
        bases = [c for _, c in pairs]
        chained = []
        total = k = 0
        while total < 10_000:
            base = bases[k % len(bases)]
            if monotone(base):
                v = renumbered(make_variant(base, k, pool=pool, ops=random.Random(k).choices(ops, k=3)), base.target)
                chained.append(v)
                total += len(v.source)
            k += 1
        joined = concatenate(chained)
        yield "10,000-block pair", _chain_blocks(joined.source), _chain_blocks(joined.target)


def _chain_blocks(segments: Sequence[Segment]) -> tuple[Segment, ...]:
    # As align_docs.py chains them: block indices run on across the files. (A
    # copy: importing align_docs puts this repository first on the import path,
    # and the other interpreter must align with its own pipeline.)
    out: list[Segment] = []
    offset = 0
    for seg in segments:
        if out and seg.block + offset <= out[-1].block:
            offset = out[-1].block + 1 - seg.block
        out.append(replace(seg, block=seg.block + offset))
    return tuple(out)


def dump(corpus: Path | None, extra: list[Path], scale: bool) -> None:
    """Child: one JSON line per case (label, digest of the alignment's repr), then the CPU seconds."""
    # The installed package aligns; tests/ and bench/ only build the cases.
    sys.path[1:1] = [str(ROOT / "tests"), str(HERE)]
    from pipeline.align import aligner

    cpu = 0.0
    for label, source, target in cases(corpus, extra, scale):
        aligner._align.cache_clear()
        start = time.process_time()
        result = aligner.align(source, target)
        cpu += time.process_time() - start
        print(json.dumps([label, hashlib.sha256(repr(result).encode()).hexdigest()]))
    print(json.dumps(["cpu", cpu, aligner.__file__]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("before", help="the python of the first installation")
    parser.add_argument("after", help="the python of the second installation")
    parser.add_argument("--articles", type=int, default=200, help="articles of the generated corpus (0: none)")
    parser.add_argument("--extra", action="append", type=Path, default=[], metavar="DIR", help="also the docs pairs of DIR")
    parser.add_argument("--no-scale", action="store_true", help="skip the 10,000-block pair")
    parser.add_argument("--hash-seed", default="0", help="PYTHONHASHSEED of both children")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-l10n-") as tmp:
        corpus = None
        if args.articles:
            corpus = Path(tmp, "corpus")
            subprocess.run([sys.executable, str(HERE / "corpus.py"), str(args.articles), str(corpus)], check=True, capture_output=True)
        outputs = []
        for python in (args.before, args.after):
            command = [python, __file__, "--dump", str(corpus or ""), str(int(not args.no_scale)), *map(str, args.extra)]
            env = dict(os.environ, PYTHONHASHSEED=args.hash_seed)
            child = subprocess.run(command, capture_output=True, text=True, check=True, cwd=tmp, env=env)
            outputs.append([json.loads(line) for line in child.stdout.splitlines()])
    (*before, (_, cpu_before, file_before)), (*after, (_, cpu_after, file_after)) = outputs
    print(f"before: {file_before}\nafter:  {file_after}")
    differ = [b[0] for b, a in zip(before, after, strict=True) if b != a]
    print(f"{len(before)} pairs aligned, {len(differ)} differ; CPU in align: {cpu_before:.2f} s before, {cpu_after:.2f} s after")
    for label in differ:
        print(f"  differs: {label}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--dump"]:
        dump(Path(sys.argv[2]) if sys.argv[2] else None, [Path(a) for a in sys.argv[4:]], sys.argv[3] == "1")
    else:
        main()
