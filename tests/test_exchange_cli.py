"""End-to-end tests of export, import-xliff, import-tmx and import-tbx (CliRunner)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_cli import invoke, snapshot

REPO = Path(__file__).resolve().parents[1]
SLUG = "rejekts-2025-london-day-2"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    for name in ("source", "locales"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def _po(root: Path) -> Path:
    return root / "locales/cs/LC_MESSAGES" / f"{SLUG}.po"


def _xlf(root: Path) -> Path:
    return root / "output/exchange/cs" / f"{SLUG}.xlf"


def test_export_then_import_changes_nothing_and_rerun_writes_nothing(project: Path) -> None:
    code, out, _ = invoke(project, "export", "--format", "xliff", SLUG)
    assert code == 0 and f"wrote output/exchange/cs/{SLUG}.xlf" in out
    before = snapshot(project / "locales")
    code, out, _ = invoke(project, "import-xliff", str(_xlf(project)))
    assert code == 0 and "0 entries updated" in out and "0 file(s) written, 1 unchanged" in out
    assert snapshot(project / "locales") == before
    code, out, _ = invoke(project, "export", "--format", "xliff", SLUG)
    assert code == 0 and "0 file(s) written, 1 unchanged" in out


def test_a_translators_edit_comes_back_and_a_conflict_is_kept(project: Path) -> None:
    invoke(project, "export", "--format", "xliff", SLUG)
    xlf = _xlf(project)
    text = xlf.read_text(encoding="utf-8")
    text = text.replace("Co jsou Cloud Native Rejekts</target>", "Co je Cloud Native Rejekts</target>")
    text = text.replace("Jejich vlastními slovy:</target>", "Jak sami říkají:</target>")
    xlf.write_text(text, encoding="utf-8")
    po = _po(project)
    # Meanwhile someone edits the PO too, one of the same entries.
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Jejich vlastními slovy:"', 'msgstr "Svými slovy:"'),
                  encoding="utf-8")
    code, out, err = invoke(project, "import-xliff", str(xlf))
    assert code == 1, out + err
    assert "conflict, the PO keeps its translation of 'In their own words:'" in out
    assert "1 unit(s) not imported" in err
    content = po.read_text(encoding="utf-8")
    assert 'msgstr "Co je Cloud Native Rejekts"' in content and 'msgstr "Svými slovy:"' in content
    code, out, _ = invoke(project, "import-xliff", "--overwrite", str(xlf))
    assert code == 0 and 'msgstr "Jak sami říkají:"' in po.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace("<source>What Are Cloud Native Rejekts</source>", "<source>What Is Rejekts</source>"),
         "the source text of unit"),
        (lambda t: t.replace('target-language="cs"', 'target-language="de"'), "unknown language 'de'"),
        (lambda t: t.replace("</body>", "</bdy>"), "malformed XML"),
    ],
)
def test_bad_xliff_is_one_line_exit_2_and_writes_nothing(project: Path, change: object, message: str) -> None:
    invoke(project, "export", "--format", "xliff", SLUG)
    xlf = _xlf(project)
    xlf.write_text(change(xlf.read_text(encoding="utf-8")), encoding="utf-8")  # type: ignore[operator]
    before = snapshot(project / "locales")
    code, out, err = invoke(project, "import-xliff", str(xlf))
    assert code == 2
    assert err.startswith(f"error: {xlf}:") and message in err and err.count("\n") == 1, err
    assert "Traceback" not in err + out
    assert snapshot(project / "locales") == before


def test_broken_utf8_and_missing_file(project: Path) -> None:
    invoke(project, "export", "--format", "xliff", SLUG)
    xlf = _xlf(project)
    data = xlf.read_bytes()
    xlf.write_bytes(data.replace("Londýně".encode(), b"Lond\xfd", 1))
    code, _, err = invoke(project, "import-xliff", str(xlf))
    assert code == 2 and "not valid UTF-8" in err and err.startswith(f"error: {xlf}:")
    code, _, err = invoke(project, "import-xliff", str(project / "nothing.xlf"))
    assert code == 2 and "no such file" in err


def test_tmx_export_of_memory_and_legacy_pairs(project: Path) -> None:
    code, out, _ = invoke(project, "export", "--format", "tmx", "--legacy")
    assert code == 0
    legacy = (project / "output/exchange/cs/legacy.tmx").read_text(encoding="utf-8")
    assert '<prop type="x-confidence">' in legacy and f'<prop type="x-origin">{SLUG}</prop>' in legacy
    code, out, _ = invoke(project, "export", "--format", "tmx")
    assert code == 0 and "output/exchange/cs/memory.tmx:" in out


def test_imported_tmx_feeds_pretranslation(project: Path) -> None:
    po = _po(project)
    text = po.read_text(encoding="utf-8")
    assert 'msgid "In their own words:"\nmsgstr "Jejich vlastními slovy:"' in text
    po.write_text(text.replace('msgstr "Jejich vlastními slovy:"', 'msgstr ""'), encoding="utf-8")
    tmx = project / "in.tmx"
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" creationtoolversion="1"'
        ' segtype="sentence" o-tmf="t" adminlang="en" srclang="en" datatype="plaintext"/><body>'
        '<tu><tuv xml:lang="en-GB"><seg>In their own words:</seg></tuv><tuv xml:lang="cs-CZ"><seg>Slovy pořadatelů:</seg></tuv></tu>'
        "</body></tmx>\n",
        encoding="utf-8",
    )
    code, out, _ = invoke(project, "import-tmx", str(tmx), "--lang", "cs")
    assert code == 0 and "1 unit(s) added to locales/cs/memory.tmx" in out
    code, out, _ = invoke(project, "import-tmx", str(tmx), "--lang", "cs")
    assert code == 0 and "0 unit(s) added" in out and "0 file(s) written" in out
    code, out, _ = invoke(project, "pretranslate", SLUG, "--lang", "cs")
    assert code == 0, out
    assert 'msgstr "Slovy pořadatelů:"' in po.read_text(encoding="utf-8")


def test_imported_tbx_drives_the_terminology_check(project: Path) -> None:
    tbx = project / "terms.tbx"
    tbx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX-Basic" xml:lang="en"><text><body>'
        '<termEntry><langSet xml:lang="en"><tig><term>conference</term></tig></langSet>'
        '<langSet xml:lang="cs"><tig><term>sympozium</term></tig></langSet></termEntry>'
        "</body></text></martif>\n",
        encoding="utf-8",
    )
    code, out, _ = invoke(project, "import-tbx", str(tbx))
    assert code == 0 and "1 term(s) added" in out and (project / "locales/glossary.tbx").is_file()
    code, out, _ = invoke(project, "check", SLUG, "--format", "json")
    assert "glossary: 'conference' should be translated as 'sympozium'" in out
    assert '"check": "terminology", "severity": "warning"' in out.replace("\n", " ").replace("  ", " ") or "terminology" in out
