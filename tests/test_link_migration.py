"""End to end: a project whose PO files were made with links inline in msgids
(before ``link_placeholders``) moves to the new msgid form without losing a
translation, and back when the setting is turned off."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import polib
from click.testing import CliRunner

from pipeline.cli.main import cli
from pipeline.read.inline import link_references, resolved_links
from pipeline.read.placeholders import to_msgid_form, translation_to_msgid_form

BEFORE = Path(__file__).resolve().parent / "data" / "link-migration"
PO = "locales/cs/LC_MESSAGES/links.po"


def invoke(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--root", str(root), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(BEFORE, root)
    return root


def entries(root: Path) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(root / PO)) if not e.obsolete}


def test_update_carries_every_translation_to_the_placeholder_form(tmp_path: Path) -> None:
    root = project(tmp_path)
    before = {e.msgid: e.msgstr for e in polib.pofile(str(root / PO))}
    code, out, err = invoke(root, "update")
    assert code == 0, out + err
    after = entries(root)
    assert len(after) == len(before)
    reordered = after["Read [the guide][1] and then [the FAQ][2]."]
    assert reordered.msgstr == "Nejdřív si přečtěte [FAQ][2], pak [průvodce][1]." and not reordered.fuzzy
    assert reordered.comment.split("\n")[1:] == ['[1]: https://kuma.io/docs "Kuma docs"', "[2]: https://kuma.io/faq"]
    same_twice = after["Both [one][1] and [two][1] go to the same page."]
    assert same_twice.msgstr == "Na stejnou stránku vedou [jeden][1] i [druhý][1]."
    assert "after the text: <!-- ignore -->" in same_twice.comment
    # A link the translator pointed elsewhere: the old text stays, for review.
    elsewhere = after["The mesh is described on [the project site][1], in English only."]
    old = "The mesh is described on [the project site](https://kuma.io/mesh), in English only."
    assert elsewhere.msgstr == before[old] and elsewhere.fuzzy and elsewhere.previous_msgid == old
    assert after["Install it with [Helm][1] or see <https://kuma.io/install>."].msgstr == (
        "Nainstalujte jej pomocí [Helmu][1] nebo viz <https://kuma.io/install>."
    )
    # Nothing lost: each old translation is its entry's, converted or as it was.
    for msgid, msgstr in before.items():
        if msgstr:
            entry = after[to_msgid_form(msgid).msgid]
            assert entry.msgstr in (msgstr, translation_to_msgid_form(msgstr, msgid)), msgid
    written = (root / PO).read_bytes()
    code, out, _ = invoke(root, "update")
    assert code == 0 and "0 file(s) written" in out and (root / PO).read_bytes() == written


def test_the_built_article_has_the_source_links_and_the_run_keeps_its_files(tmp_path: Path) -> None:
    root = project(tmp_path)
    code, out, err = invoke(root, "run", "--quiet")
    assert code == 0, out + err
    built = (root / "output/cs/links.md").read_text()
    assert "Nejdřív si přečtěte [FAQ](https://kuma.io/faq), pak [průvodce](https://kuma.io/docs \"Kuma docs\")." in built
    assert "[jeden](https://a.example) i [druhý](https://a.example). <!-- ignore -->" in built
    assert "| [Kuma](https://kuma.io) | síť |" in built
    # The fuzzy one is shown in English, with the English link.
    assert "[the project site](https://kuma.io/mesh), in English only. <!-- untranslated: en -->" in built
    code, out, err = invoke(root, "check")
    assert code == 1 and "links.po:" in out and "fuzzy" in out
    files = {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and ".l10n-cache" not in p.parts}
    code, _, _ = invoke(root, "run", "--quiet")
    assert code == 0
    assert {p: p.read_bytes() for p in files} == files


def test_turning_the_setting_off_brings_the_inline_form_back(tmp_path: Path) -> None:
    root = project(tmp_path)
    original = entries(root)
    assert invoke(root, "update")[0] == 0
    with (root / "pyproject.toml").open("a") as config:
        config.write("link_placeholders = false\n")
    assert invoke(root, "update")[0] == 0
    back = entries(root)
    assert set(back) == set(original)
    for msgid, entry in back.items():
        assert entry.msgstr == original[msgid].msgstr, msgid
    assert [msgid for msgid, entry in back.items() if entry.fuzzy] == [
        "The mesh is described on [the project site](https://kuma.io/mesh), in English only."
    ]


def test_an_xliff_exported_before_the_move_is_taken_in(tmp_path: Path) -> None:
    # Exported by the version before from this project, then edited by a
    # translator in a CAT tool: a link's text and a plain entry.
    root = project(tmp_path)
    assert invoke(root, "update")[0] == 0
    code, out, err = invoke(root, "import-xliff", str(BEFORE / "links.cs.xlf"))
    assert code == 0, out + err
    assert "2 entries updated" in out
    after = entries(root)
    assert after["Install it with [Helm][1] or see <https://kuma.io/install>."].msgstr == (
        "Instalace: [Helm][1] nebo viz <https://kuma.io/install>."
    )
    assert after["Nothing to link here."].msgstr == "Tady nic k odkazování."
    # Every other unit was what the PO holds: nothing else changed, no conflict.
    assert after["Read [the guide][1] and then [the FAQ][2]."].msgstr == "Nejdřív si přečtěte [FAQ][2], pak [průvodce][1]."


SHORTCUTS = """# Setup

See [Configuration] for the options and the [FAQ][] for help; [sic] is text.

[Configuration]: ../config.md "Config"
[FAQ]: https://kuma.io/faq
"""


def _translated_before_the_move(tmp_path: Path) -> tuple[Path, Path, polib.POFile, str]:
    """A project whose PO was written before shortcut references left the msgid,
    its paragraph translated with the labels kept (not yet saved)."""
    root = tmp_path / "project"
    (root / "source/en").mkdir(parents=True)
    (root / "source/en/refs.md").write_text(SHORTCUTS)
    (root / "pyproject.toml").write_text('[tool.l10n]\nsource_lang = "en"\nlanguages = ["cs"]\nlink_placeholders = false\n')
    assert invoke(root, "update")[0] == 0
    po_path = root / "locales/cs/LC_MESSAGES/refs.po"
    old = "See [Configuration] for the options and the [FAQ][] for help; [sic] is text."
    catalog = polib.pofile(str(po_path))
    catalog.find(old).msgstr = "Možnosti viz [Configuration], pomoc v [FAQ][]; [sic] je text."
    return root, po_path, catalog, old


def test_shortcut_references_move_to_the_placeholder_form_and_build_as_links(tmp_path: Path) -> None:
    root, po_path, catalog, old = _translated_before_the_move(tmp_path)
    catalog.find("Setup").msgstr = "Nastavení"
    catalog.save()
    (root / "pyproject.toml").write_text('[tool.l10n]\nsource_lang = "en"\nlanguages = ["cs"]\n')
    code, out, err = invoke(root, "update")
    assert code == 0, out + err
    entry = {e.msgid: e for e in polib.pofile(str(po_path)) if not e.obsolete}[
        "See [Configuration][1] for the options and the [FAQ][2] for help; [sic] is text."
    ]
    assert entry.msgstr == "Možnosti viz [Configuration][1], pomoc v [FAQ][2]; [sic] je text." and not entry.fuzzy
    assert entry.comment.split("\n")[1:] == ["[1]: [Configuration]", "[2]: [FAQ][]"]
    # Untranslated link texts: the build writes the source's links as they were.
    code, out, err = invoke(root, "run", "--quiet")
    assert code == 0 and "built" in out, out + err
    built = (root / "output/cs/refs.md").read_text()
    assert "Možnosti viz [Configuration], pomoc v [FAQ][]; [sic] je text." in built
    # Translated link texts: full references to the source's labels.
    catalog = polib.pofile(str(po_path))
    catalog.find(entry.msgid).msgstr = "Možnosti viz [konfigurace][1], pomoc v [častých otázkách][2]; [sic] je text."
    catalog.save()
    code, out, err = invoke(root, "run", "--quiet")
    assert code == 0, out + err
    built = (root / "output/cs/refs.md").read_text()
    paragraph = "Možnosti viz [konfigurace][Configuration], pomoc v [častých otázkách][FAQ]; [sic] je text."
    assert paragraph in built and "untranslated" not in built
    references = link_references(built)
    assert resolved_links(paragraph, references) == resolved_links(old, link_references(SHORTCUTS)) == Counter(
        {"link ../config.md": 1, "link https://kuma.io/faq": 1}
    )
    # A label translated away is an error, and the build shows the source.
    catalog = polib.pofile(str(po_path))
    catalog.find(entry.msgid).msgstr = "Možnosti viz [konfigurace], pomoc v [častých otázkách][2]."
    catalog.save()
    code, out, _ = invoke(root, "check")
    assert code == 1 and "refs.po:" in out and "[Configuration]" in out
    assert invoke(root, "build", "--threshold", "0")[0] == 0
    assert old + " <!-- untranslated: en -->" in (root / "output/cs/refs.md").read_text()


def test_turning_the_setting_off_writes_shortcut_references_back(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "source/en").mkdir(parents=True)
    (root / "source/en/refs.md").write_text(SHORTCUTS + "\nAsk in the [FAQ].\n")
    (root / "pyproject.toml").write_text('[tool.l10n]\nsource_lang = "en"\nlanguages = ["cs"]\n')
    assert invoke(root, "update")[0] == 0
    po_path = root / "locales/cs/LC_MESSAGES/refs.po"
    catalog = polib.pofile(str(po_path))
    catalog.find("See [Configuration][1] for the options and the [FAQ][2] for help; [sic] is text.").msgstr = (
        "Možnosti viz [konfigurace][1], pomoc v [FAQ][2]; [sic] je text."
    )
    catalog.find("Ask in the [FAQ][1].").msgstr = "Zeptejte se v [FAQ][1]."
    catalog.save()
    with (root / "pyproject.toml").open("a") as config:
        config.write("link_placeholders = false\n")
    code, out, err = invoke(root, "update")
    assert code == 0, out + err
    back = {e.msgid: e for e in polib.pofile(str(po_path)) if not e.obsolete}
    paragraph = back["See [Configuration] for the options and the [FAQ][] for help; [sic] is text."]
    assert paragraph.msgstr == "Možnosti viz [konfigurace][Configuration], pomoc v [FAQ][]; [sic] je text."
    assert not paragraph.fuzzy
    assert back["Ask in the [FAQ]."].msgstr == "Zeptejte se v [FAQ]." and not back["Ask in the [FAQ]."].fuzzy


def test_an_xliff_with_shortcut_references_exported_before_the_move_is_taken_in(tmp_path: Path) -> None:
    root, po_path, catalog, old = _translated_before_the_move(tmp_path)
    catalog.save()
    assert invoke(root, "export", "--format", "xliff", "refs")[0] == 0
    xlf = root / "output/exchange/cs/refs.xlf"
    xlf.write_text(xlf.read_text(encoding="utf-8").replace("Možnosti viz", "Všechny možnosti viz"), encoding="utf-8")
    (root / "pyproject.toml").write_text('[tool.l10n]\nsource_lang = "en"\nlanguages = ["cs"]\n')
    assert invoke(root, "update")[0] == 0
    code, out, err = invoke(root, "import-xliff", str(xlf))
    assert code == 0, out + err
    assert "1 entry updated" in out
    entry = polib.pofile(str(po_path)).find("See [Configuration][1] for the options and the [FAQ][2] for help; [sic] is text.")
    assert entry.msgstr == "Všechny možnosti viz [Configuration][1], pomoc v [FAQ][2]; [sic] je text."
    assert not entry.fuzzy


SEC101 = Path(__file__).resolve().parents[1] / "bench" / "data" / "heldout-sec101"
LESSONS = ("1.1-the-cia-triad-and-other-key-concepts", "1.3-understanding-risk-management", "3.1-networking-key-concepts")


def _sec101_project(tmp_path: Path) -> Path:
    """Three Security-101 lessons and their Czech machine translation, whose
    images are Co-op Translator's localized copies (``../../translated_images/x.<hash>.cs.png``)."""
    root = tmp_path / "sec101"
    for lang in ("en", "cs"):
        (root / "source" / lang).mkdir(parents=True)
        for lesson in LESSONS:
            shutil.copyfile(SEC101 / f"sec101-{lesson}.{lang}.md", root / "source" / lang / f"{lesson}.md")
    (root / "pyproject.toml").write_text('[tool.l10n]\nsource_lang = "en"\nlanguages = ["cs"]\n')
    return root


def _localized_lines(lesson: str) -> list[str]:
    czech = (SEC101 / f"sec101-{lesson}.cs.md").read_text(encoding="utf-8")
    return [line for line in czech.splitlines() if "](../../translated_images/" in line]


def _files(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and ".l10n-cache" not in p.parts}


def test_localized_copies_of_images_are_kept_checked_built_and_carried_both_ways(tmp_path: Path) -> None:
    root = _sec101_project(tmp_path)
    code, out, err = invoke(root, "run", "--quiet")
    assert code == 0, out + err
    for lesson in LESSONS:
        lines = _localized_lines(lesson)
        assert lines and all(line.startswith(("[![Sledujte video]", "![")) for line in lines)
        built = (root / f"output/cs/{lesson}.md").read_text(encoding="utf-8")
        for line in lines:
            assert "\n" + line + "\n" in built, line  # the Czech alt text and the localized path
        po = {e.msgid: e for e in polib.pofile(str(root / f"locales/cs/LC_MESSAGES/{lesson}.po"))}
        video = po["[![Watch the video][1]][2]"]
        assert video.msgstr == lines[0].replace(lines[0][lines[0].rindex("](") :], "][2]") and not video.fuzzy
    _, out, _ = invoke(root, "check")
    assert "translated_images" not in out and "error markup: image" not in out
    assert "error fuzzy" not in out
    files = _files(root)
    code, out, _ = invoke(root, "run", "--quiet")
    assert code == 0 and _files(root) == files
    placeholder_pos = {p: b for p, b in files.items() if p.suffix == ".po"}
    # Turned off: the msgids hold the links, the translations the translator's paths.
    with (root / "pyproject.toml").open("a") as config:
        config.write("link_placeholders = false\n")
    assert invoke(root, "run", "--quiet")[0] == 0
    for lesson in LESSONS:
        po = {e.msgid: e for e in polib.pofile(str(root / f"locales/cs/LC_MESSAGES/{lesson}.po"))}
        kept = [e.msgstr for e in po.values() if not e.fuzzy]
        assert all(any(line in msgstr for msgstr in kept) for line in _localized_lines(lesson))
    _, out, _ = invoke(root, "check")
    assert "translated_images" not in out and "error fuzzy" not in out
    # And on again: each entry as it was.
    (root / "pyproject.toml").write_text('[tool.l10n]\nsource_lang = "en"\nlanguages = ["cs"]\n')
    assert invoke(root, "run", "--quiet")[0] == 0
    for path, before in placeholder_pos.items():
        again = polib.pofile(str(path))
        assert [(e.msgid, e.msgstr, e.fuzzy) for e in again] == [(e.msgid, e.msgstr, e.fuzzy) for e in polib.pofile(before.decode())]
    # A CAT tool's edit of the alt text comes back with the path.
    code, out, err = invoke(root, "export", "--format", "xliff", "-o", str(tmp_path / "xliff"))
    assert code == 0, out + err
    xliff = tmp_path / "xliff" / "cs" / f"{LESSONS[0]}.xlf"
    xliff.write_text(xliff.read_text(encoding="utf-8").replace("Sledujte video", "Pusťte si video"), encoding="utf-8")
    code, out, err = invoke(root, "import-xliff", str(xliff))
    assert code == 0 and "1 entry updated" in out, out + err
    assert invoke(root, "build")[0] == 0
    built = (root / f"output/cs/{LESSONS[0]}.md").read_text(encoding="utf-8")
    assert "\n" + _localized_lines(LESSONS[0])[0].replace("Sledujte video", "Pusťte si video") + "\n" in built
