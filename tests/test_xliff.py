"""XLIFF 1.2 writing and reading (pipeline/exchange/xliff.py), with the PO
round trip through pipeline/exchange/po_units.py."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.catalog.entries import copy_entry
from pipeline.catalog.po_format import dump_po, parse_po
from pipeline.errors import InputError
from pipeline.exchange.po_units import entry_of, exportable, merge_units, unit_of
from pipeline.exchange.xliff import (
    Unit,
    XliffFile,
    is_fuzzy,
    parse_xliff,
    text_digest,
    unit_id,
    write_xliff,
)

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "data" / "exchange" / "sample.cs.po"
GOLDEN = HERE / "golden" / "sample.cs.xlf"


def sample() -> polib.POFile:
    return parse_po(SAMPLE.read_text(encoding="utf-8"), "sample.cs.po", remember=False)


def export(po: polib.POFile) -> bytes:
    units = tuple(unit_of(e) for e in po if exportable(e))
    return write_xliff([XliffFile("source/en/sample.md", "en", "cs", units)])


def test_golden_file() -> None:
    data = export(sample())
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_bytes(data)
    assert data == GOLDEN.read_bytes()


def test_units_carry_every_field_of_an_entry() -> None:
    (xfile,) = parse_xliff(export(sample()), "sample.xlf")
    assert (xfile.original, xfile.source_lang, xfile.target_lang) == ("source/en/sample.md", "en", "cs")
    by_id = {u.id: u for u in xfile.units}
    fuzzy = by_id[unit_id(None, 'Open a pull request & wait for the "review".')]
    assert fuzzy.fuzzy and fuzzy.msgstr == "Otevřete žádost o sloučení & počkejte na <revizi>."
    assert fuzzy.previous_msgid == "Open a pull request & wait for <review>."
    assert fuzzy.tcomment == "Keep the product name in English."
    assert fuzzy.comment == "paragraph\ntm 93% from other-article"
    assert fuzzy.occurrences == (("source/en/sample.md", "8"),)
    assert by_id[unit_id("Usage", "Setup")].msgctxt == "Usage"
    assert by_id[unit_id("Usage", "Setup")].msgstr == ""
    assert by_id[unit_id(None, "First line\nsecond line")].flags == ("no-wrap",)
    # Obsolete entries are not exported.
    assert all(u.msgid != "An old paragraph." for u in xfile.units)


def test_a_placeholder_entry_travels_with_its_targets_in_the_note() -> None:
    # The msgid form of pipeline.read.placeholders: a CAT tool shows the link text
    # in <source>, the targets in the developer's note, and the labels come back.
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "cs"}
    po.append(
        polib.POEntry(
            msgid="Read [the guide][1] and [the FAQ][2].",
            msgstr="Přečtěte si [FAQ][2] a [průvodce][1].",
            comment='paragraph\n[1]: https://g.example "Guide"\n[2]: https://f.example',
        )
    )
    data = export(po)
    assert b"https://g.example" not in data.split(b"<source>")[1].split(b"</source>")[0]
    assert b'[1]: https://g.example "Guide"' in data
    (xfile,) = parse_xliff(data, "links.xlf")
    (unit,) = xfile.units
    assert entry_of(unit).msgstr == "Přečtěte si [FAQ][2] a [průvodce][1]."
    assert merge_units(list(po), xfile.units, "links.xlf").updated == 0


def test_units_of_the_other_msgid_form_are_taken_in_converted() -> None:
    inline = polib.POEntry(msgid="Read [the guide](https://g.example).", msgstr="Čtěte [průvodce](https://g.example).")
    labelled = polib.POEntry(msgid="Read [the guide][1].", msgstr="Čtěte [průvodce][1].")
    # An export with labels, edited, into a PO with links inline ...
    edited = Unit(msgid=labelled.msgid, msgstr="Přečtěte si [průvodce][1].", exported=text_digest(labelled.msgstr))
    merged = merge_units([inline], [edited], "x.xlf")
    assert merged.updated == 1 and merged.entries[0].msgstr == "Přečtěte si [průvodce](https://g.example)."
    # ... and an inline export into a PO with labels; a changed link is a conflict.
    moved = Unit(msgid=inline.msgid, msgstr="Čtěte [průvodce](https://cs.g.example).", exported=text_digest(inline.msgstr))
    merged = merge_units([labelled], [moved], "x.xlf")
    assert merged.updated == 0 and [c.offered for c in merged.conflicts] == ["Čtěte [průvodce](https://cs.g.example)."]


def test_units_whose_context_has_the_other_form_are_taken_in() -> None:
    # A repeated text's msgctxt is its section's heading, with the heading's link.
    inline = polib.POEntry(msgctxt="Use [Flask](https://flask.example)", msgid="Inspired by it.", msgstr="Inspirace.")
    labelled = polib.POEntry(msgctxt="Use [Flask][1]", msgid="Inspired by it.", msgstr="Inspirace.")
    for exported_with, catalog in ((inline, labelled), (labelled, inline)):
        unit = replace(unit_of(exported_with), msgstr="Inspiroval se jím.", exported=text_digest(exported_with.msgstr))
        merged = merge_units([catalog], [unit], "x.xlf")
        assert merged.updated == 1 and merged.entries[0].msgstr == "Inspiroval se jím."
        assert merged.entries[0].msgctxt == catalog.msgctxt


def test_a_unit_whose_entry_has_a_new_context_is_taken_in() -> None:
    # Exported with its URL inline and no msgctxt; since then the URL is a label
    # and an image with the same alt text elsewhere made the msgids repeat.
    catalog = [
        polib.POEntry(
            msgctxt=f"Editor #{n}", msgid="![editor][1]", msgstr="![editor][1]", comment=f"image\n[1]: https://x.example/{name}.png"
        )
        for n, name in ((1, "vscode"), (2, "pycharm"))
    ]
    exported = polib.POEntry(
        msgid="![editor](https://x.example/pycharm.png)", msgstr="![editor](https://x.example/pycharm.png)", comment="image"
    )
    unit = replace(unit_of(exported), msgstr="![editor v PyCharmu](https://x.example/pycharm.png)", exported=text_digest(exported.msgstr))
    merged = merge_units(catalog, [unit], "x.xlf")
    assert merged.updated == 1 and [e.msgstr for e in merged.entries] == ["![editor][1]", "![editor v PyCharmu][1]"]
    assert [e.msgctxt for e in merged.entries] == ["Editor #1", "Editor #2"]


def test_a_unit_exported_when_its_marker_line_was_in_the_msgid_is_taken_in() -> None:
    # Exported when a content tab's marker line was read as a paragraph, and a
    # heading's {#id} was in its msgid; update has carried both entries since.
    catalog = [
        polib.POEntry(msgid="Feature enabled", msgstr="Funkce zapnuta", comment="admonition title"),
        polib.POEntry(msgid="Setup", msgstr="Nastavení", comment="heading"),
    ]
    exported = [
        polib.POEntry(msgid='=== "Feature enabled"', msgstr='=== "Funkce zapnuta"', comment="paragraph"),
        polib.POEntry(msgid="Setup {#start}", msgstr="Nastavení {#start}", comment="heading"),
    ]
    units = [
        replace(unit_of(exported[0]), msgstr='=== "Funkce je zapnutá"', exported=text_digest(exported[0].msgstr)),
        replace(unit_of(exported[1]), msgstr="Instalace {#start}", exported=text_digest(exported[1].msgstr)),
    ]
    merged = merge_units(catalog, units, "x.xlf")
    assert merged.updated == 2 and not merged.conflicts
    assert [e.msgstr for e in merged.entries] == ["Funkce je zapnutá", "Instalace"]


def test_an_edit_of_a_translation_kept_as_it_was_on_the_move_replaces_it_fuzzy() -> None:
    # Its link pointed to a Czech page, so update kept it inline and fuzzy; the
    # translator edited that very text in a CAT tool since.
    exported = polib.POEntry(msgid="Go [there](https://t.example).", msgstr="Jděte [tam](https://cs.t.example).")
    kept = polib.POEntry(
        msgid="Go [there][1].", msgstr=exported.msgstr, flags=["fuzzy"], previous_msgid=exported.msgid, comment="paragraph"
    )
    unit = replace(unit_of(exported), msgstr="Jděte [sem](https://cs.t.example).", exported=text_digest(exported.msgstr))
    merged = merge_units([kept], [unit], "x.xlf")
    assert merged.updated == 1 and not merged.conflicts
    assert merged.entries[0].msgstr == "Jděte [sem](https://cs.t.example)." and merged.entries[0].fuzzy
    # One the PO changed since the export is still a conflict.
    changed = copy_entry(kept, msgstr="Jděte [tam][1].")
    assert merge_units([changed], [unit], "x.xlf").conflicts


def test_entries_rebuilt_from_units_are_the_entries() -> None:
    po = sample()
    (xfile,) = parse_xliff(export(po), "sample.xlf")
    rebuilt = polib.POFile()
    rebuilt.metadata = po.metadata
    rebuilt.header = po.header
    for unit in xfile.units:
        rebuilt.append(entry_of(unit))
    for entry in po:
        if entry.obsolete:
            rebuilt.append(entry)
    assert dump_po(rebuilt) == dump_po(po)


def test_importing_the_export_changes_nothing() -> None:
    po = sample()
    (xfile,) = parse_xliff(export(po), "sample.xlf")
    merged = merge_units(list(po), xfile.units, "sample.xlf")
    assert merged.updated == 0 and not merged.conflicts


def _blank(po: polib.POFile) -> polib.POFile:
    """The catalog as 'l10n update' would make it: no translations, no
    translator state."""
    blank = parse_po(dump_po(po), "blank.po", remember=False)
    for entry in blank:
        if not entry.obsolete:
            entry.msgstr = ""
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            entry.tcomment = ""
            entry.previous_msgid = entry.previous_msgctxt = None
    return blank


def _imported(blank: polib.POFile, entries: list[polib.POEntry]) -> str:
    result = polib.POFile()
    result.metadata = blank.metadata
    result.header = blank.header
    for entry in entries:
        result.append(entry)
    return dump_po(result)


def test_round_trip_po_xliff_po_is_lossless() -> None:
    po = sample()
    blank = _blank(po)
    (xfile,) = parse_xliff(export(po), "sample.xlf")
    merged = merge_units(list(blank), xfile.units, "sample.xlf")
    assert not merged.conflicts
    assert _imported(blank, merged.entries) == dump_po(po)


# Text a PO file and XML can both carry: no control characters but tab and
# newline (XML turns a CR into a newline unless escaped; lxml escapes it).
_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff") | st.sampled_from("\t\n\r <>&\"'"),
    max_size=40,
)


@st.composite
def catalogs(draw: st.DrawFn) -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "cs"}
    keys: set[tuple[str | None, str]] = set()
    for _ in range(draw(st.integers(1, 6))):
        msgid = draw(_TEXT.filter(bool))
        msgctxt = draw(st.none() | _TEXT)
        if (msgctxt, msgid) in keys:
            continue
        keys.add((msgctxt, msgid))
        msgstr = draw(_TEXT)
        fuzzy = bool(msgstr) and draw(st.booleans())
        entry = polib.POEntry(
            msgid=msgid,
            msgstr=msgstr,
            msgctxt=msgctxt,
            comment=draw(_TEXT),
            tcomment=draw(_TEXT),
            occurrences=[("source/en/a.md", str(draw(st.integers(1, 999))))],
            flags=(["fuzzy"] if fuzzy else []) + (["no-wrap"] if draw(st.booleans()) else []),
        )
        if fuzzy and draw(st.booleans()):
            entry.previous_msgid = draw(_TEXT)
        po.append(entry)
    return po


@settings(max_examples=150, deadline=None)
@given(catalogs())
def test_round_trip_property(po: polib.POFile) -> None:
    """PO -> XLIFF -> PO gives the PO back, field by field (the blank catalog
    takes every translator's field from the XLIFF)."""
    text = dump_po(po)
    po = parse_po(text, "a.po", remember=False)  # as a PO file holds it
    (xfile,) = parse_xliff(export(po), "a.xlf")
    assert [entry_of(u).__dict__ | {"linenum": 0} for u in xfile.units] == [
        entry_of(unit_of(e)).__dict__ | {"linenum": 0} for e in po if exportable(e)
    ]
    blank = _blank(po)
    merged = merge_units(list(blank), xfile.units, "a.xlf")
    assert _imported(blank, merged.entries) == dump_po(po)
    assert merge_units(list(po), xfile.units, "a.xlf").updated == 0


def test_review_state_from_approved_then_state() -> None:
    assert is_fuzzy(None, "no") and not is_fuzzy(None, "yes")
    data = export(sample()).replace(b' approved="yes"', b"").replace(b' approved="no"', b"")
    data = data.replace(b'state="needs-review-translation"', b'state="final"')
    (xfile,) = parse_xliff(data, "x.xlf")
    assert not any(u.fuzzy for u in xfile.units)


def _error(data: bytes) -> InputError:
    with pytest.raises(InputError) as caught:
        parse_xliff(data, "bad.xlf")
    return caught.value


def test_malformed_xml_names_the_line() -> None:
    error = _error(b'<?xml version="1.0"?>\n<xliff version="1.2">\n<file>\n</xliff>\n')
    assert error.path == "bad.xlf" and error.line == 4 and "malformed XML" in error.message


def test_an_edited_source_text_is_refused_at_its_line() -> None:
    data = export(sample()).replace(b"<source>Instalace", b"<source>Instalace").replace(
        b"<source>Setup</source>", b"<source>Set up</source>", 1
    )
    error = _error(data)
    assert "source text" in error.message and error.line == data[: data.index(b"Set up")].count(b"\n") + 1


def test_entities_and_broken_utf8_are_refused() -> None:
    bomb = b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n<xliff version="1.2"><file>&a;</file></xliff>'
    assert "entities" in _error(bomb).message
    broken = export(sample()).replace("Instalace".encode(), b"Instalace \xff")
    error = _error(broken)
    assert "UTF-8" in error.message and error.line == broken[: broken.index(b"\xff")].count(b"\n") + 1


def test_units_without_xml_characters_are_refused_on_export() -> None:
    with pytest.raises(InputError, match="U\\+0007"):
        write_xliff([XliffFile("a.md", "en", "cs", (Unit("bell \a"),))], "a.po")
