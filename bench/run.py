"""End-to-end scale benchmark of the ``l10n`` command, with po4a, Translate Toolkit and msgfmt.

For every size N (default 100 and 1,000 articles) it generates a corpus with
``bench/corpus.py`` in a temporary folder and times, each as a separate subprocess of the
real command (``python -m pipeline --root DIR ...``, with this interpreter):

    extract, align, update, pretranslate --lang cs (memory only; skipped while the command
    is not wired), check --format json, build --threshold 0, report,
    run (from scratch, on a fresh copy of the corpus), run again (nothing changed).

When they are installed, the same work is timed with the comparison tools:

    po4a         po4a-updatepo (extract) and po4a-translate (rebuild), one process per article
                 (and, with --with-gettextize, po4a-gettextize on the legacy pairs);
    Translate    md2po (extract) and po2md (rebuild) on the same articles, pocount on the PO
    Toolkit      files (directory mode: one process each, as the tools are used);
    gettext      msgfmt --statistics on every PO file (one process per file).

Prints, per stage and N: seconds, milliseconds per article, segments per second, peak memory
(max RSS of the process, from wait4) and exit code; then the ratios to the comparison tools,
the time per article across sizes, the targets of the "Scale" issue, and finally everything
again as Markdown with the exact command. It never fails on speed: it prints figures. Exit 1
only when an l10n command crashed (exit code 2 or more, or a traceback).

    python bench/run.py [--sizes 100,1000,10000] [--seed 1] [--ttk-bin DIR]
                        [--compare-max 1000] [--no-compare] [--with-gettextize]
                        [--workdir DIR] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

L10N = [sys.executable, "-m", "pipeline"]


# --------------------------------------------------------------------------- processes

@dataclass
class Timing:
    """One measured piece of work (one process, or a series of processes)."""

    tool: str
    stage: str
    n: int
    seconds: float = 0.0
    cpu: float = 0.0
    maxrss_kb: int = 0
    rc: int = 0
    processes: int = 0
    failures: int = 0
    segments: int = 0
    note: str = ""
    error: str = ""

    @property
    def per_article_ms(self) -> float:
        return self.seconds / self.n * 1000 if self.n else 0.0

    @property
    def seg_per_s(self) -> float:
        return self.segments / self.seconds if self.segments and self.seconds else 0.0

    @property
    def peak_mb(self) -> float:
        return self.maxrss_kb / 1024


def _gnu_time() -> str | None:
    """GNU time, when installed: it reports the peak RSS of the command alone."""
    path = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").is_file() else None)
    if path is None:
        return None
    probe = subprocess.run([path, "-f", "%M", "true"], capture_output=True, text=True)
    return path if probe.returncode == 0 and probe.stderr.strip().isdigit() else None


GNU_TIME = _gnu_time()


def spawn(cmd: list[str], *, cwd: Path | None, out: Path, err: Path) -> tuple[float, float, int, int]:
    """Run ``cmd``; (wall seconds, CPU seconds, max RSS in KiB, exit code).

    Peak memory comes from GNU time when it is installed. Without it, from ``wait4``; but Linux
    counts in a child's max RSS the memory of the process it was forked from (the harness) up
    to ``exec``, so that figure is a ceiling, not the command's own peak.
    """
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", COLUMNS="140")
    env.pop("DEEPL_AUTH_KEY", None)  # memory only: never call the network
    rss_file = out.with_suffix(".rss")
    argv = [GNU_TIME, "-q", "-f", "%M", "-o", str(rss_file), *cmd] if GNU_TIME else cmd
    with out.open("ab") as stdout, err.open("ab") as stderr:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss = usage.ru_maxrss
    if GNU_TIME:
        try:
            rss = int(rss_file.read_text().split()[-1])
        except (OSError, ValueError, IndexError):
            pass
    return elapsed, usage.ru_utime + usage.ru_stime, rss, proc.returncode


def tail(path: Path, lines: int = 6) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.rstrip().splitlines()[-lines:])


def run_one(timing: Timing, cmd: list[str], *, logs: Path, cwd: Path | None = None, ok: tuple[int, ...] = (0, 1)) -> Timing:
    """Time one process into ``timing``; record a failure when it crashed or exited outside ``ok``."""
    name = re.sub(r"\W+", "-", f"{timing.tool}-{timing.stage}-{timing.n}").strip("-")
    out, err = logs / f"{name}.out", logs / f"{name}.err"
    seconds, cpu, rss, rc = spawn(cmd, cwd=cwd, out=out, err=err)
    timing.seconds += seconds
    timing.cpu += cpu
    timing.maxrss_kb = max(timing.maxrss_kb, rss)
    timing.processes += 1
    timing.rc = rc if rc not in ok else max(timing.rc, rc)
    stderr = tail(err, 12)
    if rc not in ok or "Traceback (most recent call last)" in stderr:
        timing.failures += 1
        timing.rc = rc
        if not timing.error:
            timing.error = f"$ {shlex.join(cmd)}\nexit {rc}\n{stderr}"
    return timing


def run_many(timing: Timing, cmds: list[list[str]], *, logs: Path, cwd: Path | None = None) -> Timing:
    """Time a series of processes (one per article) into one ``timing``; exit codes are counted."""
    for cmd in cmds:
        run_one(timing, cmd, logs=logs, cwd=cwd, ok=(0,))
    if timing.failures:
        timing.note = f"{timing.failures} of {timing.processes} processes failed"
        timing.rc = 1
    return timing


# --------------------------------------------------------------------------- counting

def pot_segments(root: Path) -> int:
    """Entries of every POT file (minus one header each)."""
    total = 0
    for path in (root / "locales" / "templates").glob("*.pot"):
        text = path.read_text(encoding="utf-8")
        total += len(re.findall(r"^msgid ", text, re.M)) - (1 if re.search(r'^msgid ""\nmsgstr ""\n"', text, re.M) else 0)
    return total


def po_files(root: Path, lang: str = "cs") -> list[Path]:
    return sorted((root / "locales" / lang / "LC_MESSAGES").glob("*.po"))


def check_totals(path: Path) -> dict[str, int]:
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    totals = {"articles": 0, "total": 0, "translated": 0, "fuzzy": 0, "missing": 0, "findings": 0}
    for language in report.get("languages", {}).values():
        for article in language.get("articles", []):
            totals["articles"] += 1
            totals["findings"] += len(article.get("findings", []))
            for key in ("total", "translated", "fuzzy", "missing"):
                totals[key] += int(article.get(key, 0))
    return totals


# --------------------------------------------------------------------------- one size

@dataclass
class SizeResult:
    n: int
    articles_cs: int = 0
    megabytes: float = 0.0
    generate_s: float = 0.0
    segments: int = 0
    totals: dict[str, int] = field(default_factory=dict)
    l10n: list[Timing] = field(default_factory=list)
    other: list[Timing] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def get(self, tool: str, stage: str) -> Timing | None:
        return next((t for t in self.l10n + self.other if t.tool == tool and t.stage == stage), None)


def has_command(name: str) -> bool:
    out = subprocess.run(L10N + [name, "--help"], capture_output=True, text=True, cwd=REPO)
    return out.returncode == 0


def bench_size(n: int, args: argparse.Namespace, work: Path, tools: dict[str, str | None]) -> SizeResult:
    result = SizeResult(n)
    folder = work / f"n{n}"
    if folder.exists():
        shutil.rmtree(folder)
    logs = folder / "logs"
    logs.mkdir(parents=True)
    pristine = folder / "corpus"
    started = time.perf_counter()
    stats = corpus.generate(n, pristine, args.seed)
    result.generate_s = time.perf_counter() - started
    result.articles_cs = stats["cs"]
    result.megabytes = stats["bytes"] / 1e6
    say(f"\n== N = {n:,}: {stats['en']:,} English + {stats['cs']:,} Czech articles, "
        f"{result.megabytes:.1f} MB, generated in {result.generate_s:.2f} s ({folder})")

    def l10n(stage: str, root: Path, *argv: str, segments: int = 0, counted: bool = False) -> Timing:
        timing = run_one(Timing("l10n", stage, n, segments=segments), L10N + ["--root", str(root), *argv], logs=logs)
        result.l10n.append(timing)
        if not counted:
            show(timing)
        return timing

    l10n("startup (--version)", pristine, "--version")
    stages = folder / "stages"
    shutil.copytree(pristine, stages)
    extract = l10n("extract", stages, "extract", counted=True)
    result.segments = extract.segments = pot_segments(stages)
    show(extract)
    segments = result.segments
    l10n("align", stages, "align", "--lang", "cs", segments=segments)
    l10n("update", stages, "update", "--lang", "cs", segments=segments)
    if tools["pretranslate"]:
        l10n("pretranslate (memory)", stages, "pretranslate", "--lang", "cs", segments=segments)
    else:
        result.notes.append("pretranslate: `l10n pretranslate` is not a command yet; stage skipped "
                            "(the pretranslate step still runs inside `l10n run`)")
        say("   pretranslate: skipped, `l10n pretranslate` is not a command yet")
    check = l10n("check --format json", stages, "check", "--format", "json", counted=True)
    result.totals = check_totals(logs / f"l10n-check-format-json-{n}.out")
    check.segments = result.totals.get("total", 0)
    show(check)
    l10n("build --threshold 0", stages, "build", "--threshold", "0", segments=segments)
    l10n("report", stages, "report", segments=segments)
    fresh = folder / "run"
    shutil.copytree(pristine, fresh)
    l10n("run (from scratch)", fresh, "run", segments=segments)
    l10n("run (again, no change)", fresh, "run", segments=segments)

    if args.compare and n <= args.compare_max:
        compare(result, pristine, stages, folder, logs, tools)
    elif args.compare:
        result.notes.append(f"N={n:,}: comparison tools not run (above --compare-max {args.compare_max:,})")
        say(f"   comparison tools not run at this size (--compare-max {args.compare_max:,})")
    if not args.keep:
        for sub in ("corpus", "stages", "run", "po4a", "ttk"):
            shutil.rmtree(folder / sub, ignore_errors=True)
    return result


def compare(result: SizeResult, pristine: Path, stages: Path, folder: Path, logs: Path, tools: dict[str, str | None]) -> None:
    n = result.n
    english = sorted((pristine / "source" / "en").glob("*.md"))
    pos = po_files(stages)

    def record(timing: Timing) -> None:
        result.other.append(timing)
        show(timing)

    if tools["po4a-updatepo"] and tools["po4a-translate"]:
        p4 = folder / "po4a"
        (p4 / "po").mkdir(parents=True)
        (p4 / "out").mkdir()
        common = ["-f", "text", "-o", "markdown", "-M", "UTF-8"]
        record(run_many(Timing("po4a", "extract (po4a-updatepo)", n, segments=result.segments), [
            [tools["po4a-updatepo"], *common, "-m", str(md), "-p", str(p4 / "po" / f"{md.stem}.po")]
            for md in english], logs=logs, cwd=p4))
        record(run_many(Timing("po4a", "rebuild (po4a-translate)", n, segments=result.segments), [
            [tools["po4a-translate"], *common, "-L", "UTF-8", "-k", "0", "-m", str(md),
             "-p", str(p4 / "po" / f"{md.stem}.po"), "-l", str(p4 / "out" / md.name)]
            for md in english], logs=logs, cwd=p4))
        if tools["po4a-gettextize"]:
            pairs = [(md, pristine / "source" / "cs" / md.name) for md in english]
            pairs = [(en, cs) for en, cs in pairs if cs.is_file()]
            (p4 / "aligned").mkdir()
            timing = run_many(Timing("po4a", "align legacy (po4a-gettextize)", n, segments=result.segments), [
                [tools["po4a-gettextize"], *common, "-L", "UTF-8", "-m", str(en), "-l", str(cs),
                 "-p", str(p4 / "aligned" / f"{en.stem}.po")] for en, cs in pairs], logs=logs, cwd=p4)
            timing.note = f"{timing.failures} of {len(pairs)} pairs refused (structure disparity)"
            timing.error = ""
            timing.rc = 0
            record(timing)
    else:
        result.notes.append("po4a: not installed (apt-get install po4a); skipped")

    if tools["md2po"] and tools["po2md"]:
        tt = folder / "ttk"
        (tt / "po").mkdir(parents=True)
        (tt / "out").mkdir()
        record(run_one(Timing("translate-toolkit", "extract (md2po)", n, segments=result.segments), [
            tools["md2po"], "--progress=none", "-i", str(pristine / "source" / "en"), "-o", str(tt / "po")],
            logs=logs, ok=(0,)))
        record(run_one(Timing("translate-toolkit", "rebuild (po2md)", n, segments=result.segments), [
            tools["po2md"], "--progress=none", "-t", str(pristine / "source" / "en"), "-i", str(tt / "po"),
            "-o", str(tt / "out")], logs=logs, ok=(0,)))
    else:
        result.notes.append("Translate Toolkit: md2po/po2md not found (pass --ttk-bin DIR); skipped")
    if tools["pocount"]:
        record(run_one(Timing("translate-toolkit", "pocount (PO files)", n, segments=result.totals.get("total", 0)), [
            tools["pocount"], str(stages / "locales" / "cs" / "LC_MESSAGES")], logs=logs, ok=(0,)))
    if tools["msgfmt"]:
        record(run_many(Timing("gettext", "msgfmt --statistics (PO files)", n, segments=result.totals.get("total", 0)), [
            [tools["msgfmt"], "--statistics", "-o", os.devnull, str(po)] for po in pos], logs=logs))
    else:
        result.notes.append("gettext: msgfmt not installed; skipped")


# --------------------------------------------------------------------------- printing

def say(text: str = "") -> None:
    print(text, flush=True)


def show(t: Timing) -> None:
    rate = f"{t.seg_per_s:>10,.0f}" if t.seg_per_s else f"{'':>10}"
    flag = f"  {failure_kind(t)}" if t.failures and t.tool == "l10n" else ""
    note = f"  ({t.note})" if t.note else ""
    say(f"   {t.tool:<18} {t.stage:<32} {t.seconds:8.2f} s {t.cpu:8.2f} s CPU {t.per_article_ms:8.2f} ms/art {rate} seg/s "
        f"{t.peak_mb:7.0f} MB  exit {t.rc}{flag}{note}")


def failure_kind(t: Timing) -> str:
    """"CRASH" for a traceback or a signal, "FAILED" for an input error (exit 2)."""
    return "CRASH" if "Traceback" in t.error or t.rc < 0 or t.rc > 2 else "FAILED"


def ratio(a: Timing | None, b: Timing | None, *more: Timing | None, cpu: bool = False) -> float | None:
    """(a + more...) / b in wall seconds (CPU seconds with ``cpu``), None when something is missing."""
    if a is None or b is None or any(m is None for m in more):
        return None

    def of(t: Timing) -> float:
        return t.cpu if cpu else t.seconds

    if of(b) <= 0:
        return None
    return (of(a) + sum(of(m) for m in more if m)) / of(b)


def _sum_ratio(tops: list[Timing | None], bottoms: list[Timing | None]) -> float | None:
    """CPU seconds of ``tops`` together over those of ``bottoms`` together."""
    if any(t is None for t in tops + bottoms):
        return None
    below = sum(t.cpu for t in bottoms if t)
    return sum(t.cpu for t in tops if t) / below if below > 0 else None


def fmt_ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}x"


def ratios(r: SizeResult) -> list[tuple[str, float | None, str]]:
    get = r.get
    run = get("l10n", "run (from scratch)")
    return [
        ("po4a extract+rebuild / l10n run", ratio(get("po4a", "extract (po4a-updatepo)"), run,
                                                  get("po4a", "rebuild (po4a-translate)")), ">= 10x"),
        ("Translate Toolkit extract+rebuild / l10n run", ratio(get("translate-toolkit", "extract (md2po)"), run,
                                                               get("translate-toolkit", "rebuild (po2md)")), ">= 3x"),
        ("po4a-updatepo / l10n extract", ratio(get("po4a", "extract (po4a-updatepo)"), get("l10n", "extract")), ""),
        ("po4a-translate / l10n build", ratio(get("po4a", "rebuild (po4a-translate)"), get("l10n", "build --threshold 0")), ""),
        ("po4a-gettextize / l10n align", ratio(get("po4a", "align legacy (po4a-gettextize)"), get("l10n", "align")), ""),
        ("md2po / l10n extract", ratio(get("translate-toolkit", "extract (md2po)"), get("l10n", "extract")), ""),
        ("po2md / l10n build", ratio(get("translate-toolkit", "rebuild (po2md)"), get("l10n", "build --threshold 0")), ""),
        ("msgfmt --statistics / l10n check", ratio(get("gettext", "msgfmt --statistics (PO files)"),
                                                   get("l10n", "check --format json")), ">= 1x"),
        # CPU seconds (user + system, the process and its children): on a machine shared
        # with other work, wall time says more about the neighbours than about the tools.
        ("CPU: po4a extract+rebuild / l10n run", ratio(get("po4a", "extract (po4a-updatepo)"), run,
                                                       get("po4a", "rebuild (po4a-translate)"), cpu=True), ""),
        ("CPU: Translate Toolkit extract+rebuild / l10n run",
         ratio(get("translate-toolkit", "extract (md2po)"), run, get("translate-toolkit", "rebuild (po2md)"), cpu=True), ""),
        ("CPU: md2po + po2md / l10n extract + build",
         _sum_ratio([get("translate-toolkit", "extract (md2po)"), get("translate-toolkit", "rebuild (po2md)")],
                    [get("l10n", "extract"), get("l10n", "build --threshold 0")]), ""),
        ("CPU: msgfmt --statistics / l10n check", ratio(get("gettext", "msgfmt --statistics (PO files)"),
                                                        get("l10n", "check --format json"), cpu=True), ""),
        ("pocount / l10n check", ratio(get("translate-toolkit", "pocount (PO files)"), get("l10n", "check --format json")), ""),
    ]


def targets(results: list[SizeResult]) -> list[tuple[str, str, str]]:
    """(target, figure, met?) for the targets of the Scale issue."""
    rows: list[tuple[str, str, str]] = []
    at = next((r for r in results if r.n == 1000), None)

    def verdict(ok: bool | None) -> str:
        return "n/a" if ok is None else "yes" if ok else "NO"

    if at is None:
        rows.append(("targets are stated for N = 1,000", "not measured (add 1000 to --sizes)", "n/a"))
    else:
        run = at.get("l10n", "run (from scratch)")
        again = at.get("l10n", "run (again, no change)")
        rows.append(("`l10n run` on 1,000 article pairs < 15 s", f"{run.seconds:.1f} s" if run else "n/a",
                     verdict(run.seconds < 15 if run and not run.failures else None if not run else False)))
        rows.append(("second `l10n run` (nothing changed) on 1,000 < 2 s", f"{again.seconds:.1f} s" if again else "n/a",
                     verdict(again.seconds < 2 if again and not again.failures else None if not again else False)))
        for label, value, goal in ratios(at):
            if goal:
                threshold = float(goal.strip(">= x"))
                rows.append((f"{label} {goal}", fmt_ratio(value), verdict(None if value is None else value >= threshold)))
    sizes = [r for r in results if r.get("l10n", "run (from scratch)")]
    if len(sizes) >= 2:
        per = [r.get("l10n", "run (from scratch)").per_article_ms for r in sizes]  # type: ignore[union-attr]
        spread = max(per) / min(per) - 1
        label = ", ".join(f"{p:.1f}" for p in per)
        span = f"{sizes[0].n:,}..{sizes[-1].n:,}"
        rows.append((f"`l10n run` time per article constant within 20% ({span})",
                     f"{label} ms/article: spread {spread * 100:.0f}%", verdict(spread <= 0.2)))
    return rows


def scaling_rows(results: list[SizeResult]) -> tuple[list[str], list[list[str]]]:
    stages: list[tuple[str, str]] = []
    for r in results:
        for t in r.l10n + r.other:
            if (t.tool, t.stage) not in stages:
                stages.append((t.tool, t.stage))
    header = ["tool", "stage"] + [f"ms/article N={r.n:,}" for r in results] + ["spread"]
    rows = []
    for tool, stage in stages:
        cells = []
        per = []
        for r in results:
            found = r.get(tool, stage)
            if found is None:
                cells.append("")
            else:
                cells.append(f"{found.per_article_ms:.2f}")
                per.append(found.per_article_ms)
        spread = f"{(max(per) / min(per) - 1) * 100:.0f}%" if len(per) >= 2 and min(per) > 0 else ""
        rows.append([tool, stage] + cells + [spread])
    return header, rows


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def text_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths)), "  ".join("-" * w for w in widths)]
    out += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)) for row in rows]
    return "\n".join(out)


def figure_rows(results: list[SizeResult]) -> tuple[list[str], list[list[str]]]:
    header = ["tool", "stage", "N", "seconds", "CPU s", "ms/article", "segments/s", "peak RSS MB", "exit"]
    rows = []
    for r in results:
        for t in r.l10n + r.other:
            exit_code = str(t.rc) + (f" {failure_kind(t)}" if t.failures and t.tool == "l10n" else "")
            rows.append([t.tool, t.stage + (f" ({t.note})" if t.note else ""), f"{r.n:,}", f"{t.seconds:.2f}", f"{t.cpu:.2f}",
                         f"{t.per_article_ms:.2f}", f"{t.seg_per_s:,.0f}" if t.seg_per_s else "",
                         f"{t.peak_mb:.0f}", exit_code])
    return header, rows


def report(results: list[SizeResult], command: str, tools: dict[str, str | None], filesystem: str) -> int:
    header, rows = figure_rows(results)
    say("\n== Figures")
    say(text_table(header, rows))
    say("\n== Ratios (comparison tool time / l10n time; more is better for l10n)")
    ratio_header = ["ratio"] + [f"N={r.n:,}" for r in results] + ["target"]
    ratio_rows = []
    labels = [label for label, _, _ in ratios(results[0])] if results else []
    for k, label in enumerate(labels):
        if all(ratios(r)[k][1] is None for r in results):
            continue  # that tool was not run
        ratio_rows.append([label] + [fmt_ratio(ratios(r)[k][1]) for r in results] + [ratios(results[0])[k][2]])
    say(text_table(ratio_header, ratio_rows))
    scale_header, scale_rows = scaling_rows(results)
    say("\n== Time per article (linear scaling shows as a constant)")
    say(text_table(scale_header, scale_rows))
    target_rows = [list(t) for t in targets(results)]
    say("\n== Targets (issue \"Scale\")")
    say(text_table(["target", "figure", "met"], target_rows))
    failures = [t for r in results for t in r.l10n if t.failures]
    notes = [note for r in results for note in r.notes]
    if failures:
        say("\n== Failures")
        for t in failures:
            say(f"-- {t.stage}, N={t.n:,}\n{t.error}")

    # The Markdown a README can quote.
    say("\n== Markdown\n")
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    versions = ", ".join(f"{k} {v}" for k, v in tool_versions(tools).items())
    say(f"Figures from `{command}` on {dt.date.today().isoformat()} ({machine}; {versions}; corpora on {filesystem}).\n")
    say(markdown_table(header, rows))
    say("\nComparison tool time / l10n time:\n")
    say(markdown_table(ratio_header, ratio_rows))
    say("\nTime per article:\n")
    say(markdown_table(scale_header, scale_rows))
    say("\nTargets:\n")
    say(markdown_table(["target", "figure", "met"], target_rows))
    corpus_rows = [[f"{r.n:,}", f"{r.articles_cs:,}", f"{r.megabytes:.1f}", f"{r.segments:,}",
                    f"{r.totals.get('translated', 0):,}", f"{r.totals.get('missing', 0):,}", f"{r.generate_s:.2f}"]
                   for r in results]
    say("\nCorpus:\n")
    say(markdown_table(["N (English)", "Czech legacy", "MB", "segments (POT)", "translated (check)",
                        "missing (check)", "generated in s"], corpus_rows))
    if notes:
        say("")
        for note in dict.fromkeys(notes):
            say(f"- {note}")
    if failures:
        say("")
        for t in failures:
            first = t.error.strip().splitlines()[-1] if t.error.strip() else f"exit {t.rc}"
            say(f"- **{failure_kind(t)}**: `{t.stage}` at N={t.n:,}: exit {t.rc}: `{first}`")
    return 1 if failures else 0


def tool_versions(tools: dict[str, str | None]) -> dict[str, str]:
    versions: dict[str, str] = {}
    probes = {"po4a": ("po4a-translate", ["--version"]), "translate-toolkit": ("md2po", ["--version"]),
              "gettext": ("msgfmt", ["--version"])}
    for name, (key, argv) in probes.items():
        if tools.get(key):
            try:
                out = subprocess.run([tools[key], *argv], capture_output=True, text=True, timeout=30)  # type: ignore[list-item]
            except (OSError, subprocess.TimeoutExpired):
                continue
            match = re.search(r"\d+(?:\.\d+)+", out.stdout + out.stderr)
            versions[name] = match.group(0) if match else "?"
    return versions


def find_tools(args: argparse.Namespace) -> dict[str, str | None]:
    def which(name: str, folder: str | None = None) -> str | None:
        if folder:
            candidate = Path(folder) / name
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
        return shutil.which(name)

    tools: dict[str, str | None] = {}
    for name in ("po4a-updatepo", "po4a-translate", "po4a-gettextize", "msgfmt"):
        tools[name] = which(name) if args.compare else None
    for name in ("md2po", "po2md", "pocount"):
        tools[name] = which(name, args.ttk_bin) if args.compare else None
    if not args.with_gettextize:
        tools["po4a-gettextize"] = None
    # Translate Toolkit's Markdown support needs the optional mistletoe package.
    if tools["md2po"]:
        probe = subprocess.run([tools["md2po"], "--help"], capture_output=True, text=True)
        if probe.returncode != 0:
            say(f"md2po does not start (pip install 'translate-toolkit[markdown]'?): {probe.stderr.strip().splitlines()[-1:]}")
            tools["md2po"] = tools["po2md"] = None
    tools["pretranslate"] = "yes" if has_command("pretranslate") else None
    return tools


def filesystem_of(path: Path) -> str:
    """The type of the filesystem holding ``path``, from /proc/mounts ("tmpfs",
    "ext4", "ext4 without a journal", or "unknown"). It belongs with the figures:
    ext4 without a journal scans past every inode freed in the last minute or so
    on each file it creates, which made `l10n run` on 1,000 articles 2 to 4 s
    slower on the machine these figures come from."""
    try:
        mounts = [line.split()[:3] for line in Path("/proc/mounts").read_text().splitlines()]
    except OSError:
        return "unknown"
    where = str(path.resolve())
    holding = [m for m in mounts if len(m) == 3 and (where == m[1] or where.startswith(m[1].rstrip("/") + "/"))]
    if not holding:
        return "unknown"
    device, _mount, kind = max(holding, key=lambda m: len(m[1]))
    journals = Path("/proc/fs/jbd2")
    if kind == "ext4" and journals.is_dir():
        if not any(entry.name.startswith(Path(device).name + "-") for entry in journals.iterdir()):
            return "ext4 without a journal"
    return kind


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000", help="comma-separated article counts (default 100,1000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--ttk-bin", help="folder with md2po, po2md and pocount (e.g. a separate venv's bin)")
    parser.add_argument("--compare-max", type=int, default=1000,
                        help="run the comparison tools only up to this N (po4a runs ~0.1 s per article per step)")
    parser.add_argument("--no-compare", dest="compare", action="store_false", help="time l10n only")
    parser.add_argument("--with-gettextize", action="store_true", help="also time po4a-gettextize on the legacy pairs")
    parser.add_argument("--workdir", type=Path, help="where to generate corpora (default: a new /tmp/bench-l10n-* folder)")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora and outputs")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    command = "python bench/run.py" + ("" if argv is None and len(sys.argv) == 1 else " " + shlex.join(sys.argv[1:] if argv is None else argv))

    tools = find_tools(args)
    say(f"l10n: {shlex.join(L10N)} (cwd-independent, --root per corpus)")
    for name in ("po4a-updatepo", "po4a-translate", "po4a-gettextize", "md2po", "po2md", "pocount", "msgfmt"):
        say(f"  {name:<16} {tools[name] or 'not used / not found: skipped'}")
    say(f"  {'pretranslate':<16} {'l10n pretranslate exists' if tools['pretranslate'] else 'no such command yet: stage skipped'}")

    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-l10n-", dir="/tmp" if Path("/tmp").is_dir() else None))
    work.mkdir(parents=True, exist_ok=True)
    filesystem = filesystem_of(work)
    say(f"corpora in {work} ({filesystem})")
    results: list[SizeResult] = []
    try:
        for n in sizes:
            results.append(bench_size(n, args, work, tools))
    finally:
        if not args.keep and args.workdir is None:
            # Logs of failures are kept; everything else goes.
            failures = any(t.failures for r in results for t in r.l10n)
            if not failures:
                shutil.rmtree(work, ignore_errors=True)
            else:
                say(f"\nlogs kept in {work}")
    return report(results, command, tools, filesystem)


if __name__ == "__main__":
    sys.exit(main())
