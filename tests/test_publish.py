"""check, build and report on the bundled corpus: the acceptance of the check,
build and review stages, end to end through the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import html5lib
import polib
import pytest
from click.testing import CliRunner

from pipeline.cli.main import cli
from pipeline.config import Tuning
from pipeline.read.markdown import parse_markdown

SLUG = "rejekts-2025-london-day-2"
PO = f"locales/cs/LC_MESSAGES/{SLUG}.po"


def invoke(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--root", str(root), *args], catch_exceptions=False)
    return result.exit_code, result.stdout + result.stderr


def aligned(root: Path) -> Path:
    code, out = invoke(root, "align", SLUG)
    assert code == 0, out
    return root / PO


def test_check_lists_exactly_the_dropped_items_then_passes_when_filled(project_root: Path) -> None:
    po_path = aligned(project_root)
    code, out = invoke(project_root, "check", SLUG, "--format", "json")
    assert code == 1
    report = json.loads(out)
    article = report["languages"]["cs"]["articles"][0]
    missing = [f for f in article["findings"] if f["check"] == "missing"]
    errors = [f for f in article["findings"] if f["severity"] == "error"]
    assert errors == missing and len(missing) == 10
    po = polib.pofile(str(po_path))
    assert {f["msgid"] for f in missing} == {e.msgid for e in po if not e.msgstr}
    lines = po_path.read_text().split("\n")
    for finding in missing:
        assert lines[finding["line"] - 1].startswith("msgid")
    assert {f["msgid"] for f in missing} >= {"Kuma is easy to deploy and configure"}
    # A translator fills them.
    for number, entry in enumerate(e for e in po if not e.msgstr):
        entry.msgstr = f"Tato položka seznamu číslo {number} je teď konečně přeložená do češtiny."
    po.save(str(po_path))
    code, out = invoke(project_root, "check", SLUG)
    assert code == 0, out
    assert "check passed" in out


def test_check_formats_for_machines(project_root: Path) -> None:
    aligned(project_root)
    code, out = invoke(project_root, "check", SLUG, "--format", "github")
    assert code == 1
    assert out.count("::error file=locales/cs/LC_MESSAGES/") == 10
    code, out = invoke(project_root, "check", SLUG, "--format", "junit")
    assert code == 1 and "<testsuite name=\"cs\"" in out and "<failure" in out


def _plain(text: str) -> str:
    return " ".join(re.sub(r"\\(.)", r"\1", text).split())


def test_build_puts_back_every_legacy_paragraph_and_marks_fallbacks(project_root: Path) -> None:
    aligned(project_root)
    code, out = invoke(project_root, "build", SLUG, "--threshold", "80")
    assert code == 0, out
    built_md = (project_root / f"output/cs/{SLUG}.md").read_text()
    built = parse_markdown(built_md)
    legacy = parse_markdown((project_root / f"source/cs/{SLUG}.md").read_text())
    built_texts = [_plain(b.text) for b in built.blocks]
    positions = [built_texts.index(_plain(b.text)) for b in legacy.blocks]
    assert positions == sorted(positions), "legacy paragraphs out of order"
    assert "Vojta Mareš na Rejekts" in built_texts
    fallbacks = [b.text for b in built.blocks if b.text.endswith("<!-- untranslated: en -->")]
    assert len(fallbacks) == 10 and fallbacks[0].startswith("Kuma is easy to deploy")
    assert built.metadata["title"] == "Rejekts 2025 v Londýně – druhý den"
    page = (project_root / f"output/cs/{SLUG}.html").read_text()
    document = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)
    assert document.get("lang") == "cs"
    assert document.find(".//time").text == "1. dubna 2025"
    marked = document.findall(".//li[@lang='en']")
    assert len(marked) == 10 and all(li.get("class") == "untranslated" for li in marked)
    index = (project_root / "output/cs/index.html").read_text()
    assert f'href="{SLUG}.html"' in index and "85%" in index


def test_build_below_threshold_is_named_and_fails(project_root: Path) -> None:
    aligned(project_root)
    code, out = invoke(project_root, "build", SLUG, "--threshold", "90")
    assert code == 1
    assert f"cs/{SLUG}: 85% translated, below the threshold of 90%: not written" in out
    assert not (project_root / f"output/cs/{SLUG}.md").exists()


def test_stale_po_is_reported_with_the_command_to_run(project_root: Path) -> None:
    aligned(project_root)
    source = project_root / f"source/en/{SLUG}.md"
    source.write_text(source.read_text() + "\nA paragraph added after the translation.\n")
    code, out = invoke(project_root, "build", SLUG)
    assert code == 1
    assert "stale" in out and "l10n update" in out
    code, out = invoke(project_root, "check", SLUG)
    assert code == 1 and "stale" in out


def test_check_takes_the_keys_from_the_template_only_when_it_matches(
    project_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.commands.check as publish

    po_path = aligned(project_root)
    parsed: list[str] = []
    real = publish.load_source_article
    monkeypatch.setattr(publish, "load_source_article", lambda p, lang, slug: parsed.append(slug) or real(p, lang, slug))
    code, out = invoke(project_root, "check", SLUG, "--format", "json")
    assert code == 1 and parsed == []  # source, template and PO agree: no parse needed
    # A translator deletes an entry by hand: the keys differ, the source is read.
    po = polib.pofile(str(po_path))
    po.remove(next(e for e in po if e.msgid.startswith("Kuma is easy")))
    po.save(str(po_path))
    code, out = invoke(project_root, "check", SLUG)
    assert code == 1 and "stale" in out and parsed == [SLUG]
    # The source changes without `update`: its fingerprint differs, the source is read.
    aligned(project_root)
    source = project_root / f"source/en/{SLUG}.md"
    source.write_text(source.read_text().replace("Kuma is easy", "Kuma is simple"))
    parsed.clear()
    code, out = invoke(project_root, "check", SLUG)
    assert code == 1 and "stale" in out and parsed == [SLUG]
    # So do the settings that decide the keys.
    aligned(project_root)
    invoke(project_root, "update", "--lang", "cs")
    parsed.clear()
    assert invoke(project_root, "check", SLUG)[0] == 1 and parsed == []
    pyproject = project_root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("[tool.l10n]", '[tool.l10n]\ntext_keys = ["title"]', 1))
    code, out = invoke(project_root, "check", SLUG)
    assert parsed == [SLUG]


def test_broken_translation_falls_back_and_is_reported(project_root: Path) -> None:
    po_path = aligned(project_root)
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if e.msgid.startswith("Rejekts is a small two-day"))
    entry.msgstr = "Rozbitý `kód a [odkaz"
    po.save(str(po_path))
    code, out = invoke(project_root, "build", SLUG)
    assert "shown in the source language: unbalanced inline code" in out
    built = (project_root / f"output/cs/{SLUG}.md").read_text()
    assert "Rejekts is a small two-day conference" in built and "Rozbitý" not in built


def test_report_pages_and_index(project_root: Path) -> None:
    aligned(project_root)
    code, out = invoke(project_root, "report", SLUG)
    assert code == 0, out
    page = (project_root / f"output/reports/cs/{SLUG}.html").read_text()
    html5lib.HTMLParser(strict=True).parse(page)
    assert page.count('data-state="missing"') == 10
    assert page.count('data-state="extra"') == 1
    assert f'href="../../../{PO}#L' in page
    index = (project_root / "output/reports/cs/index.html").read_text()
    assert "<svg" in index and "http://" not in index.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_translators_addenda_edits_survive_align_and_run(project_root: Path) -> None:
    aligned(project_root)
    addenda = project_root / f"locales/cs/addenda/{SLUG}.json"
    data = json.loads(addenda.read_text())
    data[0]["text"] = "Vojta Mareš na Rejekts (foto)"
    data[0]["kind"] = "paragraph"
    addenda.write_text(json.dumps(data, ensure_ascii=False))
    edited = addenda.read_text()
    assert invoke(project_root, "align", SLUG)[0] == 0
    assert invoke(project_root, "run", "--quiet")[0] == 0
    assert addenda.read_text() == edited
    assert "Vojta Mareš na Rejekts (foto)" in (project_root / f"output/cs/{SLUG}.md").read_text()


def test_a_deleted_english_paragraph_does_not_come_back(project_root: Path) -> None:
    assert invoke(project_root, "run", "--quiet")[0] == 0
    source = project_root / f"source/en/{SLUG}.md"
    source.write_text(source.read_text().replace("For me, probably the most interesting talk of the day.\n\n", ""))
    assert invoke(project_root, "run", "--quiet")[0] == 0
    built = (project_root / f"output/cs/{SLUG}.md").read_text()
    assert "Za mě asi nejzajímavější přednáška dne." not in built
    po = (project_root / PO).read_text()
    assert '#~ msgid "For me, probably the most interesting talk of the day."' in po  # obsolete, kept


def test_an_article_no_longer_built_leaves_no_old_output(project_root: Path) -> None:
    aligned(project_root)
    assert invoke(project_root, "build", SLUG)[0] == 0
    assert (project_root / f"output/cs/{SLUG}.html").exists()
    assert invoke(project_root, "build", SLUG, "--threshold", "95")[0] == 1
    assert not (project_root / f"output/cs/{SLUG}.html").exists()
    assert not (project_root / f"output/cs/{SLUG}.md").exists()


def test_malformed_po_is_listed_by_check_and_status_with_exit_2(project_root: Path) -> None:
    po_path = aligned(project_root)
    po_path.write_bytes(po_path.read_bytes() + b'\nmsgid "x"\nmsgstr "\xff"\n')
    code, out = invoke(project_root, "check")
    assert code == 2 and "syntax" in out
    code, out = invoke(project_root, "status")
    assert code == 2 and f"error: {PO}:" in out


def test_parallel_check_gives_the_same_results(project_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.commands.check as publish
    from pipeline.store.project import Project, load_config

    aligned(project_root)
    project = Project(project_root, load_config(project_root))
    serial = publish.check_project(project, jobs=1, tuning=Tuning(min_parallel=1))
    parallel = publish.check_project(project, jobs=2, tuning=Tuning(min_parallel=1))
    assert parallel == serial and len(serial) == 4


def test_building_or_reporting_some_articles_keeps_the_index_of_all(project_root: Path) -> None:
    code, _ = invoke(project_root, "run")
    assert code == 0
    indexes = [project_root / "output/cs/index.html", project_root / "output/reports/cs/index.html"]
    before = [path.read_bytes() for path in indexes]
    assert before[0].count(b"<li>") == 4 and before[1].count(b'.html">') == 4  # every article
    assert not (project_root / "output/cs/kubecon-eu-2021-recap.html").exists()  # below the run's threshold
    code, out = invoke(project_root, "build", "kubecon-eu-2021-recap", "--threshold", "0")
    assert code == 0 and (project_root / "output/cs/kubecon-eu-2021-recap.html").is_file(), out
    code, out = invoke(project_root, "report", "kubecon-eu-2021-recap")
    assert code == 0 and "index.html left as it was" in out
    assert [path.read_bytes() for path in indexes] == before


def test_the_report_marks_what_the_build_shows_in_english(project_root: Path) -> None:
    po_path = aligned(project_root)
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if e.msgstr and "fuzzy" not in e.flags and "\n" not in e.msgid)
    entry.msgstr = entry.msgstr + "\n\nRozbité."
    po.save()
    invoke(project_root, "report", SLUG)
    page = (project_root / f"output/reports/cs/{SLUG}.html").read_text()
    assert page.count('data-state="broken"') == 1
    assert "a blank line would split the block: the built article shows the source text" in page
    # Still a translation in the PO: counted as check counts it.
    code, out = invoke(project_root, "check", SLUG, "--format", "json")
    (article,) = json.loads(out)["languages"]["cs"]["articles"]
    assert f"{article['translated']} of {article['total']} segments translated" in page
