"""End to end: a project translated into several languages (Czech, German, Slovak,
Polish), from `l10n update` to `l10n check` and `l10n build`."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from pipeline.cli.main import cli

TRANSLATIONS = json.loads((Path(__file__).parent / "data" / "translations.json").read_text(encoding="utf-8"))
LANGUAGES = ("cs", "de", "sk", "pl")
MARKERS = {"paragraph": "", "heading": "## ", "list item": "- "}


def invoke(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--root", str(root), *args], catch_exceptions=False)
    return result.exit_code, result.stdout + result.stderr


def _article() -> str:
    lines = ["---", f"title: {TRANSLATIONS['en'][0]}", "date: 2025-04-01", "---", ""]
    for kind, text in zip(TRANSLATIONS["kinds"][1:], TRANSLATIONS["en"][1:]):
        lines += [MARKERS[kind] + text, ""]
    return "\n".join(lines)


def _translate(root: Path, lang: str, replace: dict[str, str] | None = None) -> Path:
    path = root / "locales" / lang / "LC_MESSAGES" / "day-2.po"
    catalog = polib.pofile(str(path))
    wording = dict(zip(TRANSLATIONS["en"], TRANSLATIONS[lang]))
    wording.update(replace or {})
    for entry in catalog:
        entry.msgstr = wording[entry.msgid]
    catalog.save(str(path))
    return path


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "l10n.toml").write_text('source_lang = "en"\nlanguages = ["cs", "de", "sk", "pl"]\n', encoding="utf-8")
    (tmp_path / "source" / "en").mkdir(parents=True)
    (tmp_path / "source" / "en" / "day-2.md").write_text(_article(), encoding="utf-8")
    code, out = invoke(tmp_path, "update")
    assert code == 0, out
    return tmp_path


def test_update_writes_a_catalog_per_language_with_babel_plural_forms(project: Path) -> None:
    plurals = {}
    for lang in LANGUAGES:
        catalog = polib.pofile(str(project / "locales" / lang / "LC_MESSAGES" / "day-2.po"))
        assert catalog.metadata["Language"] == lang
        assert len(catalog) == len(TRANSLATIONS["en"])
        plurals[lang] = catalog.metadata["Plural-Forms"]
    assert plurals["de"].startswith("nplurals=2;")
    assert plurals["sk"].startswith("nplurals=3;") and plurals["pl"].startswith("nplurals=3;")


def test_correct_translations_pass_the_check_and_build(project: Path) -> None:
    paths = [_translate(project, lang) for lang in LANGUAGES]
    code, out = invoke(project, "check")
    assert code == 0, out
    assert "0 error(s), 0 warning(s)" in out
    code, out = invoke(project, "build")
    assert code == 0, out
    dates = {"cs": "1. dubna 2025", "de": "1. April 2025", "sk": "1. apríla 2025", "pl": "1 kwietnia 2025"}
    for lang in LANGUAGES:
        page = (project / "output" / lang / "day-2.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in page and f"<time datetime=\"2025-04-01\">{dates[lang]}</time>" in page
        assert "untranslated" not in (project / "output" / lang / "day-2.md").read_text(encoding="utf-8")
        assert TRANSLATIONS[lang][3] in page
    if shutil.which("msgfmt"):
        for path in paths:
            done = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
            assert done.returncode == 0, done.stderr


def test_english_left_in_a_german_translation_fails_the_check(project: Path) -> None:
    for lang in ("cs", "sk", "pl"):
        _translate(project, lang)
    english = TRANSLATIONS["en"][3]
    # Not a copy of the source (that is found without language detection): a rewording.
    reworded = "Rejekts is a small conference of two days for talks that did not make it to KubeCon."
    _translate(project, "de", {english: reworded})
    code, out = invoke(project, "check", "--format", "json")
    assert code == 1
    report = json.loads(out)
    findings = {
        lang: [(f["check"], f["msgid"], f["message"]) for a in entry["articles"] for f in a["findings"]]
        for lang, entry in report["languages"].items()
    }
    assert findings["de"] == [("untranslated", english, "the translation is still in 'en'")]
    assert findings["cs"] == findings["sk"] == findings["pl"] == []


def _translated_article(lang: str, replace: dict[int, str] | None = None) -> str:
    texts = list(TRANSLATIONS[lang])
    for index, text in (replace or {}).items():
        texts[index] = text
    lines = ["---", f"title: {texts[0]}", "---", ""]
    for kind, text in zip(TRANSLATIONS["kinds"][1:], texts[1:]):
        lines += [MARKERS[kind] + text, ""]
    return "\n".join(lines)


@pytest.mark.parametrize("lang", ["de", "sk", "pl"])
def test_compare_takes_the_target_for_the_configured_language_it_is_in(project: Path, lang: str) -> None:
    target = project / f"{lang}.md"  # no `lang` in its front matter, no --target-lang
    target.write_text(_translated_article(lang), encoding="utf-8")
    code, out = invoke(project, "compare", str(project / "source/en/day-2.md"), str(target), "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["target"]["lang"] == lang
    assert report["untranslated"] == report["partial"] == report["missing"] == []
    # A paragraph left in English is found (segment 2 of the body: the title is metadata).
    target.write_text(_translated_article(lang, {3: TRANSLATIONS["en"][3]}), encoding="utf-8")
    code, out = invoke(project, "compare", str(project / "source/en/day-2.md"), str(target), "--format", "json")
    assert json.loads(out)["untranslated"] == [2]
