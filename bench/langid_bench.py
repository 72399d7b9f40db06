"""Language identification: cost of a single `l10n compare` (now and at an older
revision), detector build times, agreement with the older revision's detector, and
verdicts on Czech, German, Slovak and Polish translations.

    .venv/bin/python bench/langid_bench.py                  # against rev b5a59c0
    .venv/bin/python bench/langid_bench.py --against REV --runs 9

Prints figures only; asserts nothing. The older revision's ``pipeline/align/langid.py``
is read with ``git show`` (its imports must still exist), so the comparison needs the
git history of the repository.
"""

from __future__ import annotations

import argparse
import glob
import importlib.util
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.align import langid  # noqa: E402
from pipeline.align.aligner import align  # noqa: E402
from pipeline.model import BlockKind, Segment, body_segments  # noqa: E402
from pipeline.store.project import read_article  # noqa: E402

#: The last revision whose detector was lingua in high-accuracy mode over English and Czech.
OLD_REVISION = "b5a59c0"
PAIR = ("source/en/rejekts-2025-london-day-2.md", "source/cs/rejekts-2025-london-day-2.md")
SEEDS = ROOT / "tests" / "data" / "seeds"
TRANSLATIONS = ROOT / "tests" / "data" / "translations.json"


def _wall(command: list[str], runs: int, cwd: Path = ROOT) -> tuple[float, float, float]:
    """Minimum and median wall time, and minimum CPU time (user + system: less
    disturbed by other processes on a busy machine), of ``runs`` runs."""
    times, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(times), statistics.median(times), min(cpu)


def compare_time(runs: int, revision: str) -> None:
    """`python -m pipeline compare` of the bundled pair, here and in ``revision``
    (its tree exported to a temporary folder: ``-m`` imports the package of the
    current folder first)."""
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="bench-l10n-langid-") as old:
        archive = subprocess.run(["git", "archive", revision], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", old], input=archive, check=True)
        rows = [
            ("interpreter start", [python, "-c", "pass"], ROOT),
            ("import pipeline.cli", [python, "-c", "import pipeline.cli"], ROOT),
            ("l10n compare (day 2)", [python, "-m", "pipeline", "compare", *PAIR], ROOT),
            (f"  ... at {revision}", [python, "-m", "pipeline", "compare", *PAIR], Path(old)),
        ]
        figures = [_wall(command, runs, cwd) for _, command, cwd in rows]
    for (name, _, _), (low, median, cpu) in zip(rows, figures):
        print(f"{name:<24} wall min {low:.3f} s  median {median:.3f} s  cpu min {cpu:.3f} s")
    start, start_median, start_cpu = figures[0]
    for label, (low, median, cpu) in (("compare beyond start", figures[2]), (f"  ... at {revision}", figures[3])):
        print(f"{label:<24} wall min {low - start:.3f} s  median {median - start_median:.3f} s  cpu min {cpu - start_cpu:.3f} s")


_BUILD = """
import sys, time
from pipeline.align import langid
start = time.perf_counter()
langid._detector(tuple(sys.argv[1].split(",")))
print(time.perf_counter() - start)
"""
_BUILD_HIGH = """
import sys, time
from lingua import IsoCode639_1, Language, LanguageDetectorBuilder
languages = [Language.from_iso_code_639_1(IsoCode639_1.from_str(c)) for c in sys.argv[1].split(",")]
start = time.perf_counter()
LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()
print(time.perf_counter() - start)
"""


def build_times(runs: int) -> None:
    print("detector build, fresh process each (min of runs): low accuracy (now) / high accuracy (before)")
    for languages in ("en,cs", "en,de", "en,sk", "en,pl", "en,cs,de,sk,pl"):
        low = min(float(_output([sys.executable, "-c", _BUILD, languages])) for _ in range(runs))
        high = min(float(_output([sys.executable, "-c", _BUILD_HIGH, languages])) for _ in range(max(1, runs // 3)))
        print(f"  {languages:<16} {low:.3f} s / {high:.3f} s")


def _output(command: list[str]) -> str:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()


def _old_module(revision: str) -> Any:
    source = _output(["git", "show", f"{revision}:pipeline/align/langid.py"])
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False, encoding="utf-8") as handle:
        handle.write(source)
    spec = importlib.util.spec_from_file_location("old_langid", handle.name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _texts() -> list[Segment]:
    segments: list[Segment] = []
    for path in sorted(glob.glob(str(ROOT / "source" / "*" / "*.md"))):
        article = read_article(Path(path), lang="")
        segments += body_segments(article)
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        parts = text.split("\n\n") if "\n\n" in text else text.splitlines()
        segments += [Segment(" ".join(p.split()), BlockKind.PARAGRAPH, 1) for p in parts if p.strip()]
    seen: dict[str, Segment] = {}
    for segment in segments:
        seen.setdefault(segment.text, segment)
        for sentence in langid.sentences(segment.text):
            seen.setdefault(sentence, Segment(sentence, BlockKind.PARAGRAPH, segment.line))
    return list(seen.values())


def agreement(revision: str) -> None:
    old = _old_module(revision)
    texts = _texts()
    detected = Counter[str]()
    differences = []
    for segment in texts:
        before, after = old.detect_language(segment.text), langid.detect_language(segment.text, ("en", "cs"))
        detected[f"{before}->{after}"] += 1
        if before != after:
            differences.append(("detect", before, after, segment.text))
    same = sum(n for k, n in detected.items() if k.split("->")[0] == k.split("->")[1])
    print(f"detect_language, {len(texts)} texts (segments of source/*/*.md and the seeds, and their sentences):")
    print(f"  agreement {same}/{len(texts)} ({100 * same / len(texts):.1f}%); transitions {dict(sorted(detected.items()))}")

    verdicts = Counter[str]()
    # Every text as a translation (of nothing, and of itself), and the aligned pairs.
    cases: list[tuple[Segment | None, Segment, Segment | None]] = []
    for segment in texts:
        cases += [(None, segment, None), (segment, segment, None)]
    for source_file, target_file in (PAIR, ("tests/data/seeds/000_7bc680ae9ef17361.txt", "tests/data/seeds/002_ada2ef6ccfe4cc2d.txt")):
        source = body_segments(read_article(ROOT / source_file, lang="en"))
        target = body_segments(read_article(ROOT / target_file, lang="cs"))
        alignment = align(source, target)
        for bead in alignment.beads:
            if not bead.source:
                continue
            joined = Segment(" ".join(source[i].text for i in bead.source), source[bead.source[0]].kind, 1)
            previous = source[bead.source[0] - 1] if bead.source[0] > 0 else None
            cases += [(joined, target[j], previous) for j in bead.target]
    for source_seg, target_seg, previous in cases:
        before = old.classify_target(source_seg, target_seg, previous_source=previous)
        after = langid.classify_target(source_seg, target_seg, previous_source=previous, source_lang="en", target_lang="cs")
        verdicts[f"{before}->{after}"] += 1
        if before != after:
            differences.append(("classify", before, after, target_seg.text))
    same = sum(n for k, n in verdicts.items() if k.split("->")[0] == k.split("->")[1])
    print(f"classify_target, {len(cases)} cases (each text as an added and as an identical translation, aligned pairs):")
    print(f"  agreement {same}/{len(cases)} ({100 * same / len(cases):.1f}%); changed {dict(sorted((k, n) for k, n in verdicts.items() if k.split('->')[0] != k.split('->')[1]))}")
    for kind, before, after, text in differences:
        print(f"  {kind:<8} {before} -> {after}: {text[:90]}")


def other_languages() -> None:
    data = json.loads(TRANSLATIONS.read_text(encoding="utf-8"))
    everything = ("en", "cs", "de", "sk", "pl")
    print(f"translations of {len(data['en'])} segments (tests/data/translations.json):")
    for lang in ("cs", "de", "sk", "pl"):
        good = Counter[str]()
        left = Counter[str]()
        among = Counter[str]()
        for english, translated, kind in zip(data["en"], data[lang], data["kinds"]):
            block = BlockKind(kind)
            good[langid.classify_target(Segment(english, block, 1), Segment(translated, block, 1), source_lang="en", target_lang=lang)] += 1
            left[langid.classify_target(Segment(english, block, 1), Segment(english, block, 1), source_lang="en", target_lang=lang)] += 1
            among[str(langid.detect_language(translated, everything))] += 1
        print(f"  {lang}: translations {dict(good)}; English left in {dict(left)}; detected among {'/'.join(everything)} {dict(among)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--against", default=OLD_REVISION, help="git revision of the detector to compare with")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    compare_time(args.runs, args.against)
    build_times(args.runs)
    agreement(args.against)
    other_languages()


if __name__ == "__main__":
    main()
