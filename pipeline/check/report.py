"""Check results as text for people and JSON, GitHub annotations and JUnit for machines."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any, Sequence

from pipeline.model import Finding, Severity


@dataclass(frozen=True)
class ArticleResult:
    """The statistics and findings of one article in one language."""

    slug: str
    lang: str
    po: str
    total: int
    translated: int
    fuzzy: int
    missing: int
    untranslated: int
    findings: tuple[Finding, ...]

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)


def is_ok(results: Sequence[ArticleResult]) -> bool:
    return all(r.errors == 0 for r in results)


def to_json(results: Sequence[ArticleResult]) -> dict[str, Any]:
    """The documented JSON report (README, "l10n check")."""
    languages: dict[str, Any] = {}
    for result in results:
        articles = languages.setdefault(result.lang, {"articles": []})["articles"]
        articles.append(
            {
                "slug": result.slug,
                "po": result.po,
                "total": result.total,
                "translated": result.translated,
                "fuzzy": result.fuzzy,
                "missing": result.missing,
                "untranslated": result.untranslated,
                "findings": [
                    {
                        "check": f.check,
                        "severity": f.severity.value,
                        "file": f.file,
                        "line": f.line,
                        "msgid": f.msgid,
                        "message": f.message,
                    }
                    for f in result.findings
                ],
            }
        )
    return {"ok": is_ok(results), "languages": languages}


def render_json(results: Sequence[ArticleResult]) -> str:
    """The report with one finding per line: readable, and written by json's C
    encoder (``indent`` would take the pure-Python one, a tenth of a large check)."""
    data = to_json(results)
    out = ['{"ok": ' + json.dumps(data["ok"]) + ', "languages": {']
    for number, (lang, table) in enumerate(data["languages"].items()):
        out.append(("," if number else "") + "\n  " + _compact(lang) + ': {"articles": [')
        for index, article in enumerate(table["articles"]):
            head = {k: v for k, v in article.items() if k != "findings"}
            findings = ",".join("\n      " + _compact(f) for f in article["findings"])
            out.append(
                ("," if index else "")
                + "\n    "
                + _compact(head)[:-1]
                + ', "findings": ['
                + findings
                + ("\n    ]}" if findings else "]}")
            )
        out.append("\n  ]}")
    out.append("\n}}\n")
    return "".join(out)


#: json.dumps(value, ensure_ascii=False) without making an encoder at every call
#: (json.dumps reuses one only for its default options): a call per finding.
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _compact(value: Any) -> str:
    return _ENCODER.encode(value)


def _annotation_escape(text: str, *, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_github(results: Sequence[ArticleResult]) -> str:
    """``::error file=...,line=...::message`` workflow commands, one per finding."""
    lines = []
    for result in results:
        for f in result.findings:
            level = {"error": "error", "warning": "warning"}.get(f.severity.value, "notice")
            title = _annotation_escape(f"l10n {f.check}", property_value=True)
            message = f.message + (f": {f.msgid[:80]}" if f.msgid else "")
            lines.append(
                f"::{level} file={_annotation_escape(f.file, property_value=True)},line={f.line},"
                f"title={title}::{_annotation_escape(message)}"
            )
    return "".join(line + "\n" for line in lines)


def render_junit(results: Sequence[ArticleResult]) -> str:
    """One testsuite per language, one testcase per article; errors are failures."""
    import xml.etree.ElementTree as ET  # only this format needs it (3 ms at start-up)

    root = ET.Element("testsuites", name="l10n check")
    by_lang: dict[str, list[ArticleResult]] = {}
    for result in results:
        by_lang.setdefault(result.lang, []).append(result)
    for lang, group in by_lang.items():
        failures = sum(1 for r in group if r.errors)
        suite = ET.SubElement(root, "testsuite", name=lang, tests=str(len(group)), failures=str(failures), errors="0")
        for result in group:
            case = ET.SubElement(suite, "testcase", classname=f"l10n.{lang}", name=result.slug, file=result.po)
            errors = [f for f in result.findings if f.severity is Severity.ERROR]
            if errors:
                failure = ET.SubElement(
                    case, "failure", message=f"{len(errors)} error(s), {result.percent:.0f}% translated", type="l10n"
                )
                failure.text = "\n".join(f"{f.file}:{f.line}: {f.check}: {f.message}" for f in errors)
            others = [f for f in result.findings if f.severity is not Severity.ERROR]
            if others:
                out = ET.SubElement(case, "system-out")
                out.text = "\n".join(f"{f.file}:{f.line}: {f.check} ({f.severity.value}): {f.message}" for f in others)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def console_text(text: str) -> str:
    """``text`` to print as written in Rich markup that goes on with plain text: "[/b]"
    is no tag, and a final backslash stays single (Rich's ``escape`` doubles it in
    case a tag follows)."""
    # Rich (about 20 ms to import) only where text is rendered: not for JSON.
    from rich.markup import escape

    escaped = escape(text)
    return escaped[:-1] if text.endswith("\\") and escaped.endswith("\\\\") and not text.endswith("\\\\") else escaped


def render_text(results: Sequence[ArticleResult], *, color: bool = False, width: int = 100) -> str:
    """Findings grouped by file with line numbers, then a summary line."""
    from rich.console import Console
    from rich.markup import escape

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system="standard" if color else None, highlight=False, emoji=False)
    for result in results:
        if not result.findings:
            continue
        console.print(f"[bold]{escape(result.po)}[/bold] ({escape(result.lang)}, {result.percent:.0f}% translated)")
        for f in result.findings:
            style = "red" if f.severity is Severity.ERROR else "yellow"
            text = f.msgid[:70] + ("…" if len(f.msgid) > 70 else "")
            # Escaped: "[/b]" or "[the docs](…)" in a text is not markup for the console.
            suffix = f" — {console_text(text)}" if text else ""
            console.print(
                f"  {console_text(f.file)}:{f.line}: [{style}]{f.severity.value}[/{style}] {console_text(f.check)}: "
                f"{console_text(f.message)}{suffix}",
                markup=True,
                soft_wrap=True,
            )
    errors = sum(r.errors for r in results)
    warnings = sum(r.warnings for r in results)
    verdict = "failed" if errors else "passed"
    console.print(f"check {verdict}: {len(results)} article(s), {errors} error(s), {warnings} warning(s)")
    return buffer.getvalue()


def render_status(results: Sequence[ArticleResult], *, color: bool = False, width: int = 100) -> str:
    """A table per article and language: total, translated, fuzzy, missing, percent."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system="standard" if color else None, highlight=False, emoji=False)
    table = Table(title="Translation status")
    for name, justify in (("article", "left"), ("lang", "left"), ("total", "right"), ("translated", "right"),
                          ("fuzzy", "right"), ("missing", "right"), ("untranslated", "right"), ("%", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for r in results:
        table.add_row(escape(r.slug), escape(r.lang), str(r.total), str(r.translated), str(r.fuzzy), str(r.missing),
                      str(r.untranslated), f"{r.percent:.0f}")
    console.print(table)
    return buffer.getvalue()
