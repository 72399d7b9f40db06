"""The PO commands on a scratch copy of the project (pipeline.commands.catalogs)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Callable, Sequence

import pytest

from pipeline.align.aligner import align
from pipeline.align.langid import classifier_for
from pipeline.catalog.entries import LOW_CONFIDENCE, Addendum, plural_forms
from pipeline.catalog.po_format import parse_po
from pipeline.commands import catalogs as ops
from pipeline.errors import InputError
from pipeline.model import Alignment, Bead, BlockKind, Segment, body_segments
from pipeline.store import catalogs as stored
from pipeline.store.project import Project, load_config, load_source_article

GOLDEN = Path(__file__).resolve().parent / "golden"
SLUG = "rejekts-2025-london-day-2"
NOW = dt.datetime(2025, 4, 1, 9, 30, tzinfo=dt.timezone.utc)
LATER = dt.datetime(2025, 5, 2, 16, 45, tzinfo=dt.timezone.utc)

CLASSIFY = classifier_for("en", "cs")


def project_at(root: Path) -> Project:
    return Project(root=root, config=load_config(root))


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def po_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "locales").rglob("*") if p.suffix in (".po", ".pot"))


def read_po(path: Path):  # type: ignore[no-untyped-def]
    return parse_po(path.read_text(encoding="utf-8"), str(path))


def run_all(project: Project, now: dt.datetime = NOW) -> list[Path]:
    written = ops.extract(project, None, now=now).written
    written += ops.align_legacy(project, None, "cs", now=now, classify=CLASSIFY).written
    written += ops.update(project, None, "cs", now=now).written
    return written


# --------------------------------------------------------------------------
# The sample corpus.


def test_align_sample_article(project_root: Path) -> None:
    project = project_at(project_root)
    outcome = ops.align_legacy(project, [SLUG], "cs", now=NOW, classify=CLASSIFY)
    po_path = project.catalog_path("cs", SLUG)
    assert po_path in outcome.written and project.template_path(SLUG) in outcome.written
    po = read_po(po_path)

    source = load_source_article(project, "en", SLUG)
    target = load_source_article(project, "cs", SLUG)
    alignment = align(body_segments(source), body_segments(target))
    list_items = [s.text for s in body_segments(source) if s.kind is BlockKind.LIST_ITEM]
    assert len(list_items) == 10  # five Service Mesh items, five lightning talks

    untranslated = po.untranslated_entries()
    assert sorted(e.msgid for e in untranslated) == sorted(list_items)
    assert all("legacy translation dropped this" in e.comment for e in untranslated)
    assert len(untranslated) == len(alignment.missing)

    expected_fuzzy = sum(
        len(b.source) for b in alignment.beads if b.source and b.target and (b.shape != "1-1" or b.confidence < LOW_CONFIDENCE)
    )
    assert len(po.fuzzy_entries()) == expected_fuzzy
    assert len(po.translated_entries()) == len(po) - len(untranslated) - expected_fuzzy
    title = next(e for e in po if e.comment == "title")
    assert (title.msgid, title.msgstr) == ("Rejekts 2025 in London – Day Two", "Rejekts 2025 v Londýně – druhý den")

    addenda = stored.load_addenda(project, "cs", SLUG)
    assert [a.text for a in addenda] == ["Vojta Mareš na Rejekts"]
    assert addenda[0].after_msgid.startswith("Thanks to sponsors")
    # An image caption the scraper left as a short line: never built as a heading (#20).
    assert addenda[0].kind == "caption"
    assert len(addenda) == len(alignment.extra)
    assert any("Cloud Native Rejekts is the b-side conference" in m for m in outcome.messages)
    assert any(m.startswith(f"locales/cs/LC_MESSAGES/{SLUG}.po: ") and "10 untranslated" in m for m in outcome.messages)


def test_legacy_confidences_are_remembered_by_content(project_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = project_at(project_root)
    monkeypatch.setattr(ops, "_CONFIDENCES", {})
    ops.align_legacy(project, [SLUG], "cs", now=NOW, classify=CLASSIFY)
    source = load_source_article(project, "en", SLUG)
    remembered = ops.legacy_confidences(project, "cs", SLUG, source)
    expected = [0.0] * len(body_segments(source))
    for bead in align(body_segments(source), body_segments(load_source_article(project, "cs", SLUG))).beads:
        for i in bead.source:
            expected[i] = bead.confidence
    assert list(remembered) == expected and len(ops._CONFIDENCES) == 1
    # The legacy file changes (a paragraph dropped): the remembered figures no
    # longer apply, and those of the new pair are served.
    legacy = project.article_path("cs", SLUG)
    paragraphs = legacy.read_text(encoding="utf-8").split("\n\n")
    legacy.write_text("\n\n".join(paragraphs[:8] + paragraphs[10:]), encoding="utf-8")
    target = load_source_article(project, "cs", SLUG)
    fresh = [0.0] * len(body_segments(source))
    for bead in align(body_segments(source), body_segments(target)).beads:
        for i in bead.source:
            fresh[i] = bead.confidence
    again = ops.legacy_confidences(project, "cs", SLUG, source)
    assert list(again) == fresh != expected


def _no_aligning(*_args: object) -> None:
    raise AssertionError("aligned again")


def _report_pages(project: Project) -> dict[str, bytes]:
    from pipeline.commands.report import report_project

    report_project(project, None, "cs")
    folder = project.output_dir / "reports" / "cs"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_report_takes_the_confidences_align_kept(project_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.align.aligner as aligner

    project = project_at(project_root)
    monkeypatch.setattr(ops, "_CONFIDENCES", {})
    ops.align_legacy(project, [SLUG], "cs", now=NOW, classify=CLASSIFY)
    aligned = _report_pages(project)  # in the process that aligned
    # As a later process: nothing remembered in memory, the pair not aligned again.
    monkeypatch.setattr(ops, "_CONFIDENCES", {})
    with monkeypatch.context() as patched:
        patched.setattr(aligner, "align", _no_aligning)
        assert _report_pages(project) == aligned
    # Without the run cache the report aligns and writes the same pages.
    shutil.rmtree(project_root / ".l10n-cache")
    monkeypatch.setattr(ops, "_CONFIDENCES", {})
    assert _report_pages(project) == aligned
    assert any(b"confidence" in page for page in aligned.values())


def test_kept_confidences_of_another_pair_are_not_taken(project_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = project_at(project_root)
    ops.align_legacy(project, [SLUG], "cs", now=NOW, classify=CLASSIFY)
    source = load_source_article(project, "en", SLUG)
    legacy = project.article_path("cs", SLUG)
    paragraphs = legacy.read_text(encoding="utf-8").split("\n\n")
    legacy.write_text("\n\n".join(paragraphs[:8] + paragraphs[10:]), encoding="utf-8")
    fresh = [0.0] * len(body_segments(source))
    for bead in align(body_segments(source), body_segments(load_source_article(project, "cs", SLUG))).beads:
        for i in bead.source:
            fresh[i] = bead.confidence
    monkeypatch.setattr(ops, "_CONFIDENCES", {})
    pages = _report_pages(project)
    monkeypatch.setattr(ops, "_CONFIDENCES", {})
    assert list(ops.legacy_confidences(project, "cs", SLUG, source)) == fresh
    # The report kept the new pair's figures: the next report reads those.
    import pipeline.align.aligner as aligner

    monkeypatch.setattr(ops, "_CONFIDENCES", {})
    monkeypatch.setattr(aligner, "align", _no_aligning)
    assert _report_pages(project) == pages


def test_a_run_keeps_every_legacy_alignment_for_the_report(project_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.align.aligner as aligner
    from pipeline.commands.run import run_all
    from pipeline.store.run_cache import KeptConfidences

    project = project_at(project_root)
    run_all(project, jobs=1)
    folder = project.output_dir / "reports" / "cs"
    by_run = {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
    legacy = [slug for slug in project.all_slugs() if project.article_path("cs", slug).is_file()]
    assert legacy
    with KeptConfidences(project) as kept:
        rows = kept._db.execute("SELECT slug FROM alignments WHERE lang = 'cs'").fetchall()
    assert sorted(slug for (slug,) in rows) == sorted(legacy)
    monkeypatch.setattr(ops, "_CONFIDENCES", {})
    monkeypatch.setattr(aligner, "align", _no_aligning)
    before = snapshot(project_root / ".l10n-cache")
    assert _report_pages(project) == by_run
    assert snapshot(project_root / ".l10n-cache") == before


@pytest.mark.skipif(shutil.which("msgfmt") is None or shutil.which("msgcat") is None, reason="GNU gettext not installed")
def test_every_catalog_passes_msgfmt_and_msgcat(project_root: Path) -> None:
    project = project_at(project_root)
    run_all(project)
    files = po_files(project_root)
    assert len(files) == 2 * len(project.slugs())
    for path in files:
        check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        assert "error" not in check.stderr
        cat = subprocess.run(["msgcat", str(path)], capture_output=True, text=True, check=True)
        assert cat.stdout == path.read_text(encoding="utf-8"), path


def test_rerunning_changes_no_file(project_root: Path) -> None:
    project = project_at(project_root)
    run_all(project)
    before = snapshot(project_root)
    assert run_all(project, now=LATER) == []
    assert snapshot(project_root) == before


def test_dates_change_only_with_content(project_root: Path) -> None:
    project = project_at(project_root)
    run_all(project)
    source = project.article_path("en", SLUG)
    source.write_text(source.read_text(encoding="utf-8").replace("How was it?", "How did it go?"), encoding="utf-8")
    outcome = ops.update(project, None, "cs", now=LATER)
    assert sorted(outcome.written) == sorted([project.template_path(SLUG), project.catalog_path("cs", SLUG)])
    changed, other = read_po(project.catalog_path("cs", SLUG)), read_po(project.catalog_path("cs", "kubecon-eu-2021-recap"))
    assert changed.metadata["POT-Creation-Date"] == changed.metadata["PO-Revision-Date"] == "2025-05-02 16:45+0000"
    assert other.metadata["POT-Creation-Date"] == "2025-04-01 09:30+0000"
    entry = next(e for e in changed if e.msgid.endswith("How did it go?"))
    assert entry.fuzzy and entry.previous_msgid.endswith("How was it?") and entry.msgstr.endswith("Jaký byl?")


def test_a_source_edit_that_changes_no_entry_keeps_the_dates(project_root: Path) -> None:
    project = project_at(project_root)
    run_all(project)
    po_path, pot_path = project.catalog_path("cs", SLUG), project.template_path(SLUG)
    po_before, pot_before = po_path.read_bytes(), read_po(pot_path)
    source = project.article_path("en", SLUG)
    source.write_text(source.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")  # blank lines only
    outcome = ops.update(project, None, "cs", now=LATER)
    assert outcome.written == [pot_path] and po_path.read_bytes() == po_before
    pot = read_po(pot_path)
    assert pot.metadata["POT-Creation-Date"] == pot_before.metadata["POT-Creation-Date"]
    assert pot.metadata[stored.SOURCE_DIGEST] == stored.source_digest(project, SLUG) != pot_before.metadata[stored.SOURCE_DIGEST]
    assert stored.template_says_keys(project, SLUG, [(e.msgctxt or "", e.msgid) for e in pot])


def test_align_never_replaces_a_translators_msgstr(project_root: Path) -> None:
    project = project_at(project_root)
    ops.align_legacy(project, [SLUG], "cs", now=NOW, classify=CLASSIFY)
    path = project.catalog_path("cs", SLUG)
    text = path.read_text(encoding="utf-8")
    text = text.replace('msgid "Kuma is easy to deploy and configure"\nmsgstr ""', 'msgid "Kuma is easy to deploy and configure"\nmsgstr "Kuma se snadno nasazuje"')
    text = text.replace('msgstr "Jejich vlastními slovy:"', 'msgstr "Slovy pořadatelů:"')
    path.write_text(text, encoding="utf-8")
    ops.align_legacy(project, [SLUG], "cs", now=LATER, classify=CLASSIFY)
    po = read_po(path)
    by_id = {e.msgid: e for e in po}
    assert by_id["Kuma is easy to deploy and configure"].msgstr == "Kuma se snadno nasazuje"
    assert by_id["In their own words:"].msgstr == "Slovy pořadatelů:"
    assert len(po.untranslated_entries()) == 9
    # The note saying the legacy translation dropped it went with the translation.
    assert by_id["Kuma is easy to deploy and configure"].comment == "list item"
    assert not ops.align_legacy(project, [SLUG], "cs", now=LATER, classify=CLASSIFY).written


def test_update_follows_source_edits(project_root: Path) -> None:
    project = project_at(project_root)
    ops.align_legacy(project, [SLUG], "cs", now=NOW, classify=CLASSIFY)
    source = project.article_path("en", SLUG)
    text = source.read_text(encoding="utf-8")
    text = text.replace("For me, probably the most interesting talk of the day.", "For me, the most interesting talk of the whole day.")
    text = text.replace("Presented by Moritz Johner.\n\n", "")
    text = text.replace("## Recording\n", "## Recording\n\nA brand new paragraph about nothing in particular.\n")
    source.write_text(text, encoding="utf-8")
    outcome = ops.update(project, None, "cs", now=LATER)
    po = read_po(project.catalog_path("cs", SLUG))
    by_id = {e.msgid: e for e in po}
    edited = by_id["For me, the most interesting talk of the whole day."]
    assert edited.fuzzy and edited.previous_msgid == "For me, probably the most interesting talk of the day."
    assert edited.msgstr == "Za mě asi nejzajímavější přednáška dne."
    gone = by_id["Presented by Moritz Johner."]
    assert gone.obsolete and gone.msgstr == "Přednášel Moritz Johner."
    assert by_id["A brand new paragraph about nothing in particular."].msgstr == ""
    # Articles without a catalog get one from their template, as msginit does.
    fresh = read_po(project.catalog_path("cs", "kubecon-eu-2021-recap"))
    assert fresh.metadata["Language"] == "cs" and fresh.metadata["Plural-Forms"].startswith("nplurals=3;")
    assert all(not e.msgstr for e in fresh) and len(fresh) > 0
    assert len(outcome.messages) == len(project.slugs())


# --------------------------------------------------------------------------
# Errors: InputError with path and line, and no file written.


@pytest.mark.parametrize(
    ("damage", "line_of"),
    [
        (lambda t: t + '\nmsgid "In their own words:"\nmsgstr "x"\n', lambda t: t.count("\n") + 2),
        (lambda t: t.replace("charset=UTF-8", "charset=ISO-8859-2"), lambda t: t.split("\n").index('"Content-Type: text/plain; charset=UTF-8\\n"') + 1),
        (lambda t: t.replace('msgid "In their own words:"', 'msgid "In their own words:'), lambda t: t.split("\n").index('msgid "In their own words:"') + 1),
    ],
)
def test_malformed_catalog_is_reported_and_nothing_written(
    project_root: Path, damage: Callable[[str], str], line_of: Callable[[str], int]
) -> None:
    project = project_at(project_root)
    ops.align_legacy(project, [SLUG], "cs", now=NOW, classify=CLASSIFY)
    path = project.catalog_path("cs", SLUG)
    good = path.read_text(encoding="utf-8")
    path.write_text(damage(good), encoding="utf-8")
    source = project.article_path("en", "kubecon-eu-2021-recap")
    source.write_text(source.read_text(encoding="utf-8") + "\nOne more paragraph.\n", encoding="utf-8")
    before = snapshot(project_root)
    commands: list[Callable[[], object]] = [
        lambda: ops.update(project, None, "cs", now=LATER),
        lambda: ops.align_legacy(project, None, "cs", now=LATER, classify=CLASSIFY),
    ]
    for command in commands:
        with pytest.raises(InputError) as caught:
            command()
        assert caught.value.path == f"locales/cs/LC_MESSAGES/{SLUG}.po"
        assert caught.value.line == line_of(good)
        assert snapshot(project_root) == before


def test_non_utf8_catalog(project_root: Path) -> None:
    project = project_at(project_root)
    ops.update(project, [SLUG], "cs", now=NOW)
    path = project.catalog_path("cs", SLUG)
    path.write_bytes(path.read_bytes() + "\n# Příliš\n".encode("cp1250"))
    with pytest.raises(InputError) as caught:
        ops.update(project, [SLUG], "cs", now=NOW)
    assert caught.value.line is not None and "UTF-8" in caught.value.message


def test_bad_arguments(project_root: Path) -> None:
    project = project_at(project_root)
    with pytest.raises(InputError):
        ops.extract(project, ["no-such-article"])
    with pytest.raises(InputError):
        ops.update(project, None, "en")
    with pytest.raises(InputError):
        ops.update(project, None, "xx-not-a-language")
    assert not (project_root / "locales" / "templates").exists()


def test_addenda_file_is_validated(project_root: Path) -> None:
    project = project_at(project_root)
    path = project.addenda_path("cs", SLUG)
    path.parent.mkdir(parents=True)
    path.write_text('[{"after_msgid": "", "after_msgctxt": "", "kind": "paragraph"}]', encoding="utf-8")
    with pytest.raises(InputError):
        stored.load_addenda(project, "cs", SLUG)
    path.write_text("[\n  {oops}\n]", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        stored.load_addenda(project, "cs", SLUG)
    assert caught.value.line == 2
    item = Addendum("a", "", "paragraph", "b")
    path.write_text(json.dumps([item.as_json()]), encoding="utf-8")
    assert stored.load_addenda(project, "cs", SLUG) == [item]
    path.write_text("\ufeff" + json.dumps([item.as_json()]), encoding="utf-8")  # a BOM, as Windows editors save
    assert stored.load_addenda(project, "cs", SLUG) == [item]
    # The line of the item that is wrong, and a hint, in every message.
    path.write_text(json.dumps([item.as_json(), item.as_json(), ["x"]], indent=2), encoding="utf-8")
    with pytest.raises(InputError, match="addendum 3: is not an object") as caught:
        stored.load_addenda(project, "cs", SLUG)
    assert caught.value.line == 14 and caught.value.path == str(path.relative_to(project_root))
    for text, line in (("", 1), ("\n\n", 1), ('\n{"a": 1}', 2), ("[1,\n\n2]", 1)):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as caught:
            stored.load_addenda(project, "cs", SLUG)
        assert caught.value.line == line and caught.value.hint and "version control" in caught.value.hint, text


# --------------------------------------------------------------------------
# Golden files for one small article (regenerate with UPDATE_GOLDEN=1).

#: The small article's alignment, pinned so the golden files test the catalog
#: format, not the aligner: one pair dropped, one legacy caption added, one weak pair.
GOLDEN_BEADS = [
    ((0,), (0,), 1.0), ((1,), (1,), 0.99), ((2,), (2,), 0.98), ((3,), (3,), 0.9), ((4,), (), 0.8),
    ((5,), (4,), 0.97), ((6,), (5,), 0.55), ((), (6,), 0.9), ((7,), (7,), 1.0), ((8,), (8,), 0.99), ((9,), (9,), 0.99),
]


def test_golden_small_article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "golden"
    shutil.copytree(GOLDEN / "source", root / "source")
    shutil.copy(Path(__file__).resolve().parents[1] / "pyproject.toml", root / "pyproject.toml")
    project = project_at(root)

    def pinned(source: Sequence[Segment], target: Sequence[Segment]) -> Alignment:
        return Alignment(tuple(source), tuple(target), tuple(Bead(s, t, c) for s, t, c in GOLDEN_BEADS))

    monkeypatch.setattr("pipeline.align.aligner.align", pinned)
    ops.align_legacy(project, ["small-article"], "cs", now=NOW, classify=CLASSIFY)
    produced = {
        "small-article.pot": project.template_path("small-article"),
        "small-article.cs.po": project.catalog_path("cs", "small-article"),
        "small-article.cs.addenda.json": project.addenda_path("cs", "small-article"),
    }
    for name, path in produced.items():
        if os.environ.get("UPDATE_GOLDEN"):
            shutil.copy(path, GOLDEN / name)
        assert path.read_bytes() == _plural_forms_as_written((GOLDEN / name).read_bytes()), name


def _plural_forms_as_written(data: bytes) -> bytes:
    """The golden ``data`` with its Plural-Forms value in this Babel's spelling:
    Babel 2.19 spells the same expression without parentheses (test_catalog
    checks what it computes), and a new catalog takes it from the installed Babel."""
    current = plural_forms("cs").encode()
    return re.sub(rb'"Plural-Forms: [^"\\]*\\n"', b'"Plural-Forms: ' + current + rb'\\n"', data)


def _reviewed_of(path: Path) -> bytes:
    from pipeline.catalog.po_format import reviewed_text

    return reviewed_text(path.read_bytes())


def test_reviewed_if_update_keeps_says_when_update_leaves_the_memory_alone(project_root: Path) -> None:
    project = project_at(project_root)
    run_all(project)
    po = project.catalog_path("cs", SLUG)
    assert _reviewed_of(po)  # the legacy alignment confirmed translations
    taken = ops.reviewed_if_update_keeps(project, SLUG, "cs")
    # What the memory would read from the file: its fingerprint and confirmed pairs.
    assert taken is not None and taken[0] == stored.reviewed_fingerprint(_reviewed_of(po))
    assert taken[1] == [(e.msgid, e.msgstr) for e in read_po(po) if e.msgstr and not e.fuzzy and not e.obsolete]
    before = _reviewed_of(po)
    ops.update(project, [SLUG], "cs", now=LATER)
    assert _reviewed_of(po) == before

    # A reviewed msgstr laid out as another editor writes it (same text): update
    # lays it out again, so the memory's bytes would change.
    text = po.read_text(encoding="utf-8")
    entry = next(e for e in read_po(po) if e.msgstr and not e.fuzzy and '\n"' not in e.msgstr and len(e.msgstr) < 60)
    quoted = '"' + entry.msgstr.replace('"', '\\"') + '"'
    assert f"msgstr {quoted}\n" in text
    po.write_text(text.replace(f"msgstr {quoted}\n", f'msgstr ""\n{quoted}\n', 1), encoding="utf-8")
    assert read_po(po).find(entry.msgid, msgctxt=entry.msgctxt).msgstr == entry.msgstr
    assert ops.reviewed_if_update_keeps(project, SLUG, "cs") is None
    ops.update(project, [SLUG], "cs", now=LATER)
    assert _reviewed_of(po) == before and ops.reviewed_if_update_keeps(project, SLUG, "cs") == taken

    # Two entries in another order than the template's: update puts them back.
    blocks = po.read_text(encoding="utf-8").split("\n\n")
    blocks[2], blocks[3] = blocks[3], blocks[2]
    po.write_text("\n\n".join(blocks), encoding="utf-8")
    assert ops.reviewed_if_update_keeps(project, SLUG, "cs") is None

    # The source edited since the template was made: the template is not current.
    ops.update(project, [SLUG], "cs", now=LATER)
    assert ops.reviewed_if_update_keeps(project, SLUG, "cs") == taken
    source = project.article_path("en", SLUG)
    source.write_text(source.read_text(encoding="utf-8") + "\nA paragraph added later.\n", encoding="utf-8")
    assert ops.reviewed_if_update_keeps(project, SLUG, "cs") is None
    # No catalog, or no template: nothing to take as it is.
    assert ops.reviewed_if_update_keeps(project, "rejekts-2025-london-day-1", "de") is None
    assert ops.reviewed_if_update_keeps(project, "rejekts-2025-london-day-1", "cs") is not None
    project.template_path("rejekts-2025-london-day-1").unlink()
    assert ops.reviewed_if_update_keeps(project, "rejekts-2025-london-day-1", "cs") is None
