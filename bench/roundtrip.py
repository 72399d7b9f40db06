"""Round-trip fidelity of the Markdown build, beside Translate Toolkit and po4a.

For every stored document (tests/data: the CommonMark spec's examples, cmark-gfm's
spec and extension examples, 53 real documents from the Rust book, FastAPI's docs and
Docusaurus, Hugo and MkDocs pages): is an identity rebuild byte-exact, and does a pseudo-translated rebuild
(vowels accented, code, URLs, HTML, escapes left alone) keep the structure? The
structure is markdown-it-py's token tree (types, tags, nesting, markers, link
targets; text excluded), see pipeline/build/fidelity.py. For l10n, a segment that
falls back to the source text counts as not kept.

Translate Toolkit (md2po/po2md) and po4a (po4a-updatepo/po4a-translate, format
text -o markdown) get the same documents and the same pseudo-translation when
they are installed (``--ttk-bin DIR`` for a separate virtual environment); their
columns are skipped with a note otherwise. They are run one process per document,
so give them time (``--tool-max N`` takes an even sample of N per set).

    .venv/bin/python bench/roundtrip.py [--ttk-bin /tmp/ttk/bin] [--tool-max 200] [--inline-links]

l10n's msgids have link targets out (``[text][1]``, the default
``link_placeholders``); ``--inline-links`` measures them inline.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.build.fidelity import round_trip, spec_examples, structure  # noqa: E402
from pipeline.mt.pseudo import pseudo_translate  # noqa: E402

DATA = REPO / "tests" / "data"


@dataclass
class Tally:
    total: int = 0
    identity: int = 0
    kept: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, name: str, identity: bool, kept: bool) -> None:
        self.total += 1
        self.identity += identity
        self.kept += kept
        if not (identity and kept):
            self.failures.append(name)

    def cell(self) -> str:
        if not self.total:
            return "skipped"
        return f"{100 * self.identity / self.total:5.1f}% / {100 * self.kept / self.total:5.1f}%"


def document_sets() -> dict[str, list[tuple[str, str]]]:
    def examples(path: Path, prefix: str) -> list[tuple[str, str]]:
        return [(f"{prefix}#{e.number}", e.markdown) for e in spec_examples(path.read_text(encoding="utf-8"))]

    return {
        "CommonMark spec": examples(DATA / "commonmark" / "spec.txt", "spec"),
        "GFM spec + extensions": examples(DATA / "gfm" / "spec.txt", "gfm")
        + examples(DATA / "gfm" / "extensions.txt", "gfm-ext"),
        "real docs": [
            (str(p.relative_to(DATA / "real")), p.read_text(encoding="utf-8")) for p in sorted((DATA / "real").rglob("*.md"))
        ],
    }


def run_l10n(docs: list[tuple[str, str]], placeholders: bool = True) -> Tally:
    tally = Tally()
    for name, text in docs:
        result = round_trip(text, placeholders=placeholders)
        tally.add(name, result.identity, result.kept)
    return tally


def _fill(po_path: Path, translate: bool) -> None:
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = pseudo_translate(entry.msgid) if translate else entry.msgid
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
    po.save(str(po_path))


def _same_structure(source: str, built: str) -> bool:
    return structure(source) == structure(built)


def run_tool(tool: str, docs: list[tuple[str, str]], bindir: Path | None, limit: int, timeout: float) -> Tally | str:
    """Round trips through Translate Toolkit or po4a, or why they were skipped."""
    names = {"ttk": ("md2po", "po2md"), "po4a": ("po4a-updatepo", "po4a-translate")}[tool]
    found = [shutil.which(n, path=str(bindir) if bindir else None) for n in names]
    if not all(found):
        return f"{names[0]} not installed"
    extract, rebuild = (str(f) for f in found)
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="bench-l10n-roundtrip-") as tmp:
        work = Path(tmp)
        step = max(1, -(-len(docs) // limit))  # an even sample when capped
        for index, (name, text) in enumerate(docs[::step]):
            src = work / f"{index}.md"
            src.write_text(text, encoding="utf-8")
            pot = work / f"{index}.po"  # po2md reads only .po files
            outcomes = []
            for translate in (False, True):
                out = work / f"{index}.{int(translate)}.md"
                try:
                    if tool == "ttk":
                        subprocess.run([extract, str(src), str(pot)], check=True, capture_output=True, timeout=timeout)
                    else:
                        subprocess.run(
                            [extract, "-f", "text", "-o", "markdown", "-M", "UTF-8", "-m", str(src), "-p", str(pot)],
                            check=True, capture_output=True, timeout=timeout,
                        )
                    if not pot.exists():
                        raise FileNotFoundError(pot)
                    _fill(pot, translate)
                    if tool == "ttk":
                        subprocess.run(
                            [rebuild, "-t", str(src), "-i", str(pot), "-o", str(out)],
                            check=True, capture_output=True, timeout=timeout,
                        )
                    else:
                        subprocess.run(
                            [rebuild, "-f", "text", "-o", "markdown", "-M", "UTF-8", "-L", "UTF-8", "-k", "0",
                             "-m", str(src), "-p", str(pot), "-l", str(out)],
                            check=True, capture_output=True, timeout=timeout,
                        )
                    built = out.read_text(encoding="utf-8")
                    outcomes.append(built == text if not translate else _same_structure(text, built))
                except (subprocess.SubprocessError, OSError, UnicodeDecodeError, ValueError):
                    outcomes.append(False)
            tally.add(name, outcomes[0], outcomes[1])
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ttk-bin", type=Path, help="folder with md2po and po2md (default: PATH)")
    parser.add_argument("--po4a-bin", type=Path, help="folder with po4a-updatepo and po4a-translate (default: PATH)")
    parser.add_argument("--tool-max", type=int, default=10**9, help="at most this many documents per set for the other tools (an even sample)")
    parser.add_argument("--tool-timeout", type=float, default=10.0, help="seconds per tool process (po4a loops on some examples)")
    parser.add_argument("--inline-links", action="store_true", help="l10n with link targets inline in msgids (link_placeholders = false)")
    parser.add_argument("--show-failures", type=int, default=5, help="names of failing documents to print per set")
    args = parser.parse_args()
    sets = document_sets()
    print("identity byte-exact % / pseudo-translation structure kept %")
    print(f"{'set':24} {'docs':>5}  {'l10n':>17}  {'Translate Toolkit':>17}  {'po4a':>17}")
    notes: list[str] = []
    for label, docs in sets.items():
        started = time.perf_counter()
        ours = run_l10n(docs, placeholders=not args.inline_links)
        elapsed = time.perf_counter() - started
        cells = [ours.cell()]
        for tool, bindir in (("ttk", args.ttk_bin), ("po4a", args.po4a_bin)):
            result = run_tool(tool, docs, bindir, args.tool_max, args.tool_timeout)
            if isinstance(result, str):
                cells.append("skipped")
                notes.append(f"{tool}: {result}")
            else:
                cells.append(result.cell() + (f" (n={result.total})" if result.total != len(docs) else ""))
        print(f"{label:24} {len(docs):5}  " + "  ".join(f"{c:>17}" for c in cells))
        print(f"{'':24} {'':5}  l10n: {ours.identity}/{ours.total} identical, {ours.kept}/{ours.total} kept, {elapsed:.2f} s")
        if ours.failures:
            print(f"{'':24} {'':5}  l10n failing: {', '.join(ours.failures[: args.show_failures])}")
    for note in dict.fromkeys(notes):
        print(f"note: {note} (column skipped)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
