"""Draft a gold alignment for a new pair of the docs dev set, and list what a
person must read before it is gold (bench/data/docs/README.md, "How the gold
was made and checked").

    .venv/bin/python bench/draft_gold.py NAME [NAME ...]           # review list
    .venv/bin/python bench/draft_gold.py --write NAME [NAME ...]   # also write NAME.gold.json

The draft is the aligner's monotone output (every finding kept; a move it
reports is listed and placed by hand).
Listed for reading: every bead that is not 1-1, has a confidence under 0.9 or
links two block kinds; and every 1-1 bead that fails the screen (the same count
of code spans, links and numbers on both sides, length ratio 0.6-1.8). A gold
file that exists is never overwritten: corrections are made in it by hand.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipeline.align.aligner import align
from pipeline.model import Segment, body_segments
from pipeline.read.markdown import parse_markdown

DOCS = ROOT / "bench" / "data" / "docs"
_CODE = re.compile(r"`[^`]+`")
_LINK = re.compile(r"\]\([^)]*\)|https?://\S+")
_NUMBER = re.compile(r"\d+")


def segments(name: str, lang: str) -> tuple[Segment, ...]:
    return body_segments(parse_markdown((DOCS / f"{name}.{lang}.md").read_text(encoding="utf-8"), lang=lang))


def _screen(s: str, t: str) -> bool:
    same = all(len(rx.findall(s)) == len(rx.findall(t)) for rx in (_CODE, _LINK, _NUMBER))
    return same and 0.6 <= len(t) / max(1, len(s)) <= 1.8


def review(name: str, write: bool) -> None:
    source, target = segments(name, "en"), segments(name, "cs")
    result = align(source, target)
    # Gold beads are in document order; a move would be a bead out of order,
    # which the person reviewing places by hand.
    beads = [[list(b.source), list(b.target)] for b in result.beads]
    print(f"== {name}: {len(source)} EN, {len(target)} CS segments, {len(beads)} beads")
    for b in result.beads:
        kinds = {source[i].kind for i in b.source} | {target[j].kind for j in b.target}
        one = len(b.source) == len(b.target) == 1
        flagged = not one or b.confidence < 0.9 or len(kinds) > 1
        if one and not flagged and _screen(source[b.source[0]].text, target[b.target[0]].text):
            continue
        print(f"  {list(b.source)} -> {list(b.target)} conf {b.confidence:.2f}{'' if flagged else ' (screen)'}")
        for i in b.source:
            print(f"      EN {i}: {source[i].text[:160]!r}")
        for j in b.target:
            print(f"      CS {j}: {target[j].text[:160]!r}")
    for m in result.moves:
        print(f"  MOVE {list(m.source)} -> {list(m.target)} conf {m.confidence:.2f}")
    path = DOCS / f"{name}.gold.json"
    if write and not path.exists():
        gold = {
            "en_file": f"{name}.en.md",
            "cs_file": f"{name}.cs.md",
            "segmentation": "body segments of pipeline.read.markdown.parse_markdown",
            "en_segments": [s.text for s in source],
            "cs_segments": [t.text for t in target],
            "beads": beads,
            "notes": [],
        }
        path.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("names", nargs="+")
    parser.add_argument("--write", action="store_true", help="write NAME.gold.json where there is none")
    args = parser.parse_args()
    for name in args.names:
        review(name, args.write)


if __name__ == "__main__":
    main()
