"""run_checks skips the entry checks that cannot find anything in an entry (an
obsolete one, the header, one without a translation): on real catalogs, and on
every entry of them made empty, blank, fuzzy, obsolete or stripped of its msgid,
it finds exactly what running every check on every entry finds."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from pipeline.align.langid import classifier_for
from pipeline.catalog.po_format import parse_po
from pipeline.check import checks
from pipeline.check.checks import (
    ENTRY_CHECKS,
    FILE_CHECKS,
    CheckContext,
    Entry,
    entries_with_kind,
    run_checks,
)
from pipeline.config import parse_check
from pipeline.model import Finding

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = sorted((ROOT / "locales" / "cs" / "LC_MESSAGES").glob("*.po")) + sorted((ROOT / "tests").rglob("*.po"))


def _entries(path: Path) -> tuple[Entry, ...]:
    po = parse_po(path.read_text(encoding="utf-8"), str(path), remember=False)
    return entries_with_kind(
        (e.msgid, e.msgstr, e.msgctxt or "", "fuzzy" in e.flags, bool(e.obsolete), int(e.linenum or 0), e.comment or "")
        for e in list(po) + list(po.obsolete_entries())
    )


def _variants(entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
    """Each entry as it is, and as the shortcut's cases: no translation, a blank
    one, fuzzy, obsolete, no msgid; and with findings of other checks."""
    out = []
    for e in entries:
        out += [
            e,
            dataclasses.replace(e, msgstr=""),
            dataclasses.replace(e, msgstr=" \n\t"),
            dataclasses.replace(e, fuzzy=True),
            dataclasses.replace(e, msgstr="", fuzzy=True),
            dataclasses.replace(e, obsolete=True),
            dataclasses.replace(e, msgid=""),
            dataclasses.replace(e, msgstr=e.msgid),  # copied source: the untranslated check's case
            dataclasses.replace(e, msgstr=re.sub(r"[\d`*\[]", "", e.msgstr)),  # numbers and markup lost
        ]
    return tuple(out)


def _every_check(ctx: CheckContext) -> list[Finding]:
    """What run_checks finds without its shortcut: every check on every entry."""
    found: list[Finding] = []
    for check in FILE_CHECKS:
        found.extend(check(ctx))
    for entry in ctx.entries:
        for entry_check in ENTRY_CHECKS:
            found.extend(entry_check(entry, ctx))
    levels = parse_check({}, "pyproject.toml").severities()
    found = [dataclasses.replace(f, severity=levels.get(f.check, f.severity)) for f in found]
    return sorted(found, key=lambda f: (f.line, f.check))


_SEEN: set[str] = set()


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_run_checks_finds_what_every_check_finds(path: Path) -> None:
    entries = _variants(_entries(path))
    ctx = CheckContext(
        path="a.po", lang="cs", source_lang="en", entries=entries, classify=classifier_for("en", "cs"),
        glossary={"service mesh": "síť služeb", "cluster": "cluster"},
    )
    levels = parse_check({}, "pyproject.toml").severities()
    found = run_checks(ctx, levels)
    assert found == _every_check(ctx)
    _SEEN.update(f.check for f in found)


def test_the_catalogs_above_gave_findings_of_many_checks() -> None:
    for path in CATALOGS:
        test_run_checks_finds_what_every_check_finds(path)
    assert {"missing", "fuzzy", "untranslated", "numbers", "markup"} <= _SEEN


def test_the_shortcut_lists_only_checks_of_run_checks() -> None:
    assert set(checks.UNTRANSLATED_ENTRY_CHECKS) <= set(ENTRY_CHECKS)
