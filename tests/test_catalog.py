"""Catalogs from articles and alignments, and msgmerge-style merging (pure)."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import polib
import pytest
from babel import Locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.catalog.entries import (
    align_entries,
    contexts,
    make_metadata,
    new_catalog,
    plural_forms,
    segment_keys,
    statistics,
    template_entries,
)
from pipeline.catalog.merging import FUZZY_THRESHOLD, fill_empty, merge
from pipeline.catalog.po_format import dump_po, entry_key, parse_po
from pipeline.model import Alignment, Article, Bead, Segment, body_segments, segments
from pipeline.read.markdown import parse_markdown

REF = "source/en/demo.md"


def article(body: str, title: str = "Demo", lang: str = "en") -> Article:
    return parse_markdown(f"---\ntitle: {title}\n---\n\n{body}", path=REF, slug="demo", lang=lang)


def translated(entries: list[polib.POEntry], prefix: str = "T:") -> list[polib.POEntry]:
    for entry in entries:
        entry.msgstr = prefix + entry.msgid
    return entries


# --------------------------------------------------------------------------
# Templates.


def test_template_entries_in_source_order_with_references_and_kinds() -> None:
    source = article("# Heading\n\nA paragraph.\n\n- item one\n- item two\n\n```\ncode\n```\n")
    entries = template_entries(source, REF)
    assert [(e.msgid, e.comment, e.occurrences) for e in entries] == [
        ("Demo", "title", [(REF, "2")]),
        ("Heading", "heading", [(REF, "5")]),
        ("A paragraph.", "paragraph", [(REF, "7")]),
        ("item one", "list item", [(REF, "9")]),
        ("item two", "list item", [(REF, "10")]),
    ]
    assert all(e.msgctxt is None and e.msgstr == "" for e in entries)


def test_contexts_only_for_repeated_text_from_the_section_heading() -> None:
    source = article(
        "Intro.\n\n## Setup\n\nSee below.\n\n- Yes\n- No\n\n## Usage\n\nSee below.\n\n- Yes\n- Yes\n\n## Setup\n\nEnd.\n"
    )
    by_text = [(seg.text, ctxt) for seg, ctxt in zip(segments(source), contexts(segments(source)))]
    assert by_text == [
        ("Demo", None),
        ("Intro.", None),
        ("Setup", "Demo"),  # before the first heading, the title is the section
        ("See below.", "Setup"),
        ("Yes", "Setup"),
        ("No", None),
        ("Usage", None),
        ("See below.", "Usage"),
        ("Yes", "Usage #1"),  # ...and twice in one section: numbered within it
        ("Yes", "Usage #2"),
        ("Setup", "Usage"),
        ("End.", None),
    ]
    keys = segment_keys(source)
    assert len(set(keys)) == len(keys)


def test_contexts_do_not_depend_on_position() -> None:
    first = article("## A\n\nSame.\n\n## B\n\nSame.\n")
    second = article("New paragraph.\n\n## A\n\nOther.\n\nSame.\n\n## B\n\nSame.\n")
    assert [k for k in segment_keys(first) if k[1] == "Same."] == [k for k in segment_keys(second) if k[1] == "Same."]


def test_header_fields() -> None:
    metadata = make_metadata("demo", "cs", pot_date="2025-04-01 09:30+0000", revision_date="2025-04-02 10:00+0000")
    assert metadata["Language"] == "cs"
    assert metadata["Plural-Forms"] == plural_forms("cs")
    assert metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert "Plural-Forms" not in make_metadata("demo", "", pot_date="x", revision_date="x")


@pytest.mark.parametrize("lang", ["cs", "de", "pl", "ja"])
def test_plural_forms_follow_cldr(lang: str) -> None:
    # Babel's spelling of the expression changed between releases (2.19 dropped
    # parentheses), so the test asserts what it computes, as GNU gettext reads it.
    header = plural_forms(lang)
    match = re.fullmatch(r"nplurals=(\d+); plural=(.+);", header)
    assert match, header
    expression = gettext.c2py(match.group(2))
    locale = Locale.parse(lang)
    # gettext counts whole numbers only (CLDR's Czech "many" is for decimals).
    integer_categories = {locale.plural_form(n) for n in range(1001)}
    categories = [category for category in ("zero", "one", "two", "few", "many", "other") if category in integer_categories]
    assert int(match.group(1)) == len(categories)
    for n in range(0, 1001):
        assert categories[expression(n)] == locale.plural_form(n), (lang, n)


# --------------------------------------------------------------------------
# Legacy alignment, with alignments built by hand.


def _legacy(
    source_body: str, target_body: str, beads: list[tuple[tuple[int, ...], tuple[int, ...], float]]
) -> tuple[Article, Article, Alignment]:
    source = article(source_body)
    target = article(target_body, title="Ukázka", lang="cs")
    alignment = Alignment(
        body_segments(source), body_segments(target), tuple(Bead(s, t, c) for s, t, c in beads)
    )
    return source, target, alignment


def classify(source: Segment | None, target: Segment, /, *, previous_source: Segment | None = None) -> str:
    return "kept" if source is not None and source.text == target.text else "translated"


def test_align_entries_shapes() -> None:
    source, target, alignment = _legacy(
        "One.\n\nTwo.\n\nThree.\n\nFour.\n\nFive.\n\nSix.\n\nSeven.\n\nEight.\n\nKept.\n",
        "Extra first.\n\nJedna.\n\nDva.\n\nTři a čtyři.\n\nPět, část 1.\n\nPět, část 2.\n\nŠest?\n\nKaption.\n\nSedm.\n\nOsm.\n\nKept.\n",
        [
            ((), (0,), 0.9),
            ((0,), (1,), 0.99),
            ((1,), (2,), 0.3),
            ((2, 3), (3,), 0.8),
            ((4,), (4, 5), 0.7),
            ((5,), (6,), 0.95),
            ((), (7,), 0.9),
            ((6, 7), (8, 9), 0.6),
            ((8,), (10,), 1.0),
        ],
    )
    template = template_entries(source, REF)
    result = align_entries(template, source, target, alignment, classify)
    entries = {e.msgid: e for e in result.entries}
    assert entries["Demo"].msgstr == "Ukázka" and not entries["Demo"].fuzzy
    assert entries["One."].msgstr == "Jedna." and not entries["One."].fuzzy
    assert entries["Two."].fuzzy and "confidence 0.30" in entries["Two."].comment
    assert "legacy context: after «Jedna.», before «Tři a čtyři.»" in entries["Two."].comment
    assert entries["Three."].fuzzy and entries["Three."].msgstr == "Tři a čtyři."
    assert entries["Four."].msgstr == "" and "together with the previous" in entries["Four."].comment
    assert entries["Five."].fuzzy and entries["Five."].msgstr == "Pět, část 1. Pět, část 2."
    assert entries["Seven."].msgstr == "Sedm." and entries["Eight."].msgstr == "Osm."
    assert entries["Seven."].fuzzy and "2-2" in entries["Seven."].comment
    assert entries["Kept."].msgstr == "Kept." and not entries["Kept."].fuzzy
    assert [(t.text, verdict) for t, _s, verdict in result.kept] == [("Kept.", "kept")]
    assert [(a.after_msgid, a.kind, a.text) for a in result.addenda] == [
        ("", "paragraph", "Extra first."),
        ("Six.", "paragraph", "Kaption."),
    ]
    assert template[1].msgstr == ""  # the template itself is not touched


def test_dropped_segments_are_empty_with_a_note() -> None:
    source, target, alignment = _legacy("A.\n\nB.\n\nC.\n", "Á.\n\nC-cz.\n", [((0,), (0,), 0.9), ((1,), (), 0.8), ((2,), (1,), 0.9)])
    result = align_entries(template_entries(source, REF), source, target, alignment, classify)
    dropped = [e for e in result.entries if not e.msgstr]
    assert [e.msgid for e in dropped] == ["B."]
    assert dropped[0].comment == "paragraph\nlegacy translation dropped this (confidence 0.80)"
    assert statistics(result.entries)["untranslated"] == len(alignment.missing) == 1


def test_fill_empty_never_replaces_a_translation() -> None:
    template = template_entries(article("A.\n\nB.\n"), REF)
    existing = merge(template, [])
    existing[1].msgstr = "translator's A"
    aligned = [polib.POEntry(msgid=e.msgid, msgstr="legacy " + e.msgid, occurrences=e.occurrences) for e in template]
    filled = fill_empty(existing, aligned)
    assert [e.msgstr for e in filled] == ["legacy Demo", "translator's A", "legacy B."]


# --------------------------------------------------------------------------
# Merging.


def test_merge_semantics() -> None:
    old = translated(template_entries(article("Keep me.\n\nThis paragraph will change a little.\n\nRemove me.\n"), REF))
    new_template = template_entries(
        article("Keep me.\n\nThis paragraph will change a little bit.\n\nBrand new text here.\n"), REF
    )
    merged = merge(new_template, old)
    active = [e for e in merged if not e.obsolete]
    assert [e.msgid for e in active] == [e.msgid for e in new_template]
    by_id = {e.msgid: e for e in merged}
    assert by_id["Keep me."].msgstr == "T:Keep me." and not by_id["Keep me."].fuzzy
    changed = by_id["This paragraph will change a little bit."]
    assert changed.fuzzy and changed.msgstr == "T:This paragraph will change a little."
    assert changed.previous_msgid == "This paragraph will change a little."
    assert by_id["Brand new text here."].msgstr == ""
    assert by_id["Remove me."].obsolete and by_id["Remove me."].msgstr == "T:Remove me."
    assert statistics(merged) == {"translated": 2, "fuzzy": 1, "untranslated": 1, "obsolete": 1}


def test_merge_revives_obsolete_and_keeps_first_previous() -> None:
    old = translated(template_entries(article("Alpha beta gamma delta.\n"), REF))
    step1 = merge(template_entries(article("Alpha beta gamma delta epsilon.\n"), REF), old)
    step2 = merge(template_entries(article("Alpha beta gamma delta epsilon zeta.\n"), REF), step1)
    entry = next(e for e in step2 if e.msgid.startswith("Alpha"))
    assert entry.fuzzy and entry.previous_msgid == "Alpha beta gamma delta."
    assert entry.msgstr == "T:Alpha beta gamma delta."
    back = merge(template_entries(article("Unrelated words entirely.\n"), REF), step2)
    assert [e.obsolete for e in back if e.msgstr.startswith("T:Alpha")] == [True]
    revived = merge(template_entries(article("Alpha beta gamma delta epsilon zeta.\n"), REF), back)
    entry = next(e for e in revived if e.msgid.startswith("Alpha"))
    assert not entry.obsolete and entry.fuzzy and entry.previous_msgid == "Alpha beta gamma delta."


def test_merge_does_not_offer_dissimilar_translations() -> None:
    old = translated(template_entries(article("Completely different words.\n"), REF))
    merged = merge(template_entries(article("Nothing alike at all here.\n"), REF), old)
    new = next(e for e in merged if e.msgid.startswith("Nothing"))
    assert new.msgstr == "" and FUZZY_THRESHOLD == 70.0


# --------------------------------------------------------------------------
# Property: random edit sequences with update after each never lose a translation.

WORDS = "the cluster mesh gateway talk demo latency service pod node proxy policy api cloud day".split()
paragraph = st.lists(st.sampled_from(WORDS), min_size=2, max_size=9).map(lambda w: " ".join(w).capitalize() + ".")
block = st.one_of(paragraph, paragraph.map(lambda p: "## " + p.rstrip(".")))
operation = st.tuples(
    st.sampled_from(["edit", "insert", "delete", "move", "copy"]), st.integers(0, 30), st.integers(0, 30), paragraph
)


def _render(blocks: list[str]) -> str:
    return "---\ntitle: Demo\n---\n\n" + "\n\n".join(blocks) + "\n"


def _apply(blocks: list[str], op: tuple[str, int, int, str]) -> list[str]:
    kind, i, j, text = op
    blocks = list(blocks)
    if not blocks or kind == "insert":
        blocks.insert(j % (len(blocks) + 1), text)
    elif kind == "edit":
        words = blocks[i % len(blocks)].split(" ")
        words[j % len(words)] = text.split(" ")[0].lower()
        blocks[i % len(blocks)] = " ".join(words)
    elif kind == "delete":
        del blocks[i % len(blocks)]
    elif kind == "move":
        moved = blocks.pop(i % len(blocks))
        blocks.insert(j % (len(blocks) + 1), moved)
    else:
        blocks.insert(j % (len(blocks) + 1), blocks[i % len(blocks)])
    return blocks


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(block, min_size=1, max_size=8), st.lists(operation, min_size=1, max_size=6))
def test_updates_never_lose_a_translation(initial: list[str], operations: list[tuple[str, int, int, str]]) -> None:
    counter = iter(range(10**6))
    blocks = initial
    entries = merge(template_entries(parse_markdown(_render(blocks), path=REF), REF), [])
    for op in [None, *operations]:
        if op is not None:
            blocks = _apply(blocks, op)
            template = template_entries(parse_markdown(_render(blocks), path=REF), REF)
            before = entries
            entries = merge(template, before)
            _check_no_loss(before, entries)
            assert [entry_key(e) for e in entries if not e.obsolete] == [entry_key(e) for e in template]
            obsolete_keys = [entry_key(e) for e in entries if e.obsolete]
            assert len(obsolete_keys) == len(set(obsolete_keys))
        # The translator fills every empty entry and confirms some fuzzy ones.
        for entry in entries:
            if not entry.obsolete and not entry.msgstr:
                entry.msgstr = f"T{next(counter)}"
            elif entry.fuzzy and next(counter) % 2:
                entry.flags.remove("fuzzy")
                entry.previous_msgid = entry.previous_msgctxt = None
        text = dump_po(new_catalog(entries, make_metadata("demo", "cs", pot_date="d", revision_date="d")))
        assert dump_po(parse_po(text, "demo.po")) == text


def _check_no_loss(before: list[polib.POEntry], after: list[polib.POEntry]) -> None:
    for old in before:
        if not old.msgstr:
            continue
        holders = [e for e in after if e.msgstr == old.msgstr]
        assert holders, f"translation of {old.msgid!r} lost"
        if old.obsolete:
            continue  # may only have been revived or superseded by a newer obsolete one
        origin = old.previous_msgid if old.fuzzy and old.previous_msgid is not None else old.msgid
        assert any(
            (not e.obsolete and not e.fuzzy and entry_key(e) == entry_key(old))
            # the same text, now told apart from a repeat of it by a new msgctxt
            or (not e.obsolete and not e.fuzzy and e.msgid == old.msgid and e.comment == old.comment)
            or (not e.obsolete and e.fuzzy and e.previous_msgid == origin)
            or (not e.obsolete and e.fuzzy and entry_key(e) == entry_key(old))
            or (e.obsolete and e.msgid == old.msgid)
            for e in holders
        ), f"translation of {old.msgid!r} is neither kept, fuzzy with its old text, nor obsolete"


def test_merge_keeps_translations_of_msgids_that_held_an_id_or_a_footnote_label() -> None:
    # Catalogs made before heading ids and footnote labels were kept out of msgids.
    source = "## Setup {#start}\n\nSee the note.[^1]\n\n[^1]: A note on the setup.\n"
    new_template = template_entries(article(source), REF)
    assert [e.msgid for e in new_template][-3:] == ["Setup", "See the note.[^1]", "A note on the setup."]
    old = [
        polib.POEntry(msgid="Setup {#start}", msgstr="Nastavení {#start}", comment="heading"),
        polib.POEntry(msgid="See the note.[^1]", msgstr="Viz poznámku.[^1]", comment="paragraph"),
        polib.POEntry(msgid="[^1]: A note on the setup.", msgstr="[^1]: Poznámka k nastavení.", comment="paragraph"),
    ]
    merged = merge(new_template, old)
    by_id = {e.msgid: e for e in merged}
    assert not [e for e in merged if e.obsolete]  # nothing left behind
    assert by_id["Setup"].msgstr == "Nastavení" and not by_id["Setup"].fuzzy
    assert by_id["A note on the setup."].msgstr == "Poznámka k nastavení." and not by_id["A note on the setup."].fuzzy


def test_template_puts_link_targets_in_comments_and_keeps_keys_apart() -> None:
    source = article("See [here](https://a.example).\n\nSee [here](https://b.example).\n")
    entries = template_entries(source, REF, placeholders=True)
    body = entries[-2:]
    assert [e.msgid for e in body] == ["See [here][1].", "See [here][1]."]
    # Same msgid, different targets: the keys stay apart by their context.
    assert len({(e.msgctxt, e.msgid) for e in entries}) == len(entries)
    assert [e.comment for e in body] == ["paragraph\n[1]: https://a.example", "paragraph\n[1]: https://b.example"]
    assert [k[1] for k in segment_keys(source, placeholders=True)] == [e.msgid for e in entries]
    assert [e.msgid for e in template_entries(source, REF)][-1] == "See [here](https://b.example)."


def test_merge_moves_translations_between_the_inline_and_the_placeholder_form() -> None:
    source = article("Read [the guide](https://g.example) and [the FAQ](https://f.example).\n\nGo [there](https://t.example).\n")
    inline = translated(template_entries(source, REF))
    inline[-2].msgstr = "Přečtěte si [FAQ](https://f.example) a [průvodce](https://g.example)."
    inline[-1].msgstr = "Jděte [tam](https://cs.t.example)."  # pointed elsewhere by its translator
    inline[-1].comment += "\nlegacy alignment 1-1, confidence 0.42, uncertain"
    inline[-1].flags.append("fuzzy")
    merged = {e.msgid: e for e in merge(template_entries(source, REF, placeholders=True), inline)}
    converted = merged["Read [the guide][1] and [the FAQ][2]."]
    assert converted.msgstr == "Přečtěte si [FAQ][2] a [průvodce][1]." and not converted.fuzzy
    kept = merged["Go [there][1]."]
    assert kept.msgstr == "Jděte [tam](https://cs.t.example)." and kept.fuzzy
    # Already fuzzy: its alignment note stays, after the template's lines.
    assert kept.comment == "paragraph\n[1]: https://t.example\nlegacy alignment 1-1, confidence 0.42, uncertain"
    assert not [e for e in merged.values() if e.obsolete]
    # And back, when a team turns the setting off.
    back = {e.msgid: e for e in merge(template_entries(source, REF), list(merged.values()))}
    assert back["Read [the guide](https://g.example) and [the FAQ](https://f.example)."].msgstr == inline[-2].msgstr
    assert back["Go [there](https://t.example)."].msgstr == inline[-1].msgstr


def test_legacy_text_gets_the_msgid_labels_or_is_offered_for_review() -> None:
    source, target, alignment = _legacy(
        "Read [the guide](https://g.example).\n\nGo [there](https://t.example).\n",
        "Přečtěte si [průvodce](https://g.example).\n\nJděte [tam](https://cs.t.example).\n",
        [((0,), (0,), 0.95), ((1,), (1,), 0.95)],
    )
    result = align_entries(template_entries(source, REF, placeholders=True), source, target, alignment, classify)
    first, second = result.entries[-2:]
    assert (first.msgstr, first.fuzzy) == ("Přečtěte si [průvodce][1].", False)
    assert (second.msgstr, second.fuzzy) == ("Jděte [tam](https://cs.t.example).", True)
    assert "its links or comments differ from the source" in second.comment


def test_merge_keeps_translations_whose_context_is_a_heading_with_a_link() -> None:
    # The msgctxt of a repeated text is its section's heading: with placeholders
    # the heading's link is a label there too, which is no edit of the entry.
    source = article(
        "## Use [Flask](https://flask.example)\n\nInspired by it.\n\n## Use [Sanic](https://sanic.example)\n\nInspired by it.\n"
    )
    inline = translated(template_entries(source, REF))
    assert [e.msgctxt for e in inline][-1] == "Use [Sanic](https://sanic.example)"
    for placeholders, before in ((True, inline), (False, translated(template_entries(source, REF, placeholders=True)))):
        merged = merge(template_entries(source, REF, placeholders=placeholders), before)
        assert not [e for e in merged if e.obsolete or e.fuzzy], placeholders
        texts = {(e.msgctxt or "", e.msgid): e.msgstr for e in merged}
        assert texts[(template_entries(source, REF, placeholders=placeholders)[-1].msgctxt or "", "Inspired by it.")] == (
            "T:Inspired by it."
        )


def test_merge_keeps_translations_of_texts_that_only_their_link_targets_told_apart() -> None:
    # Two images with the same alt text: distinct msgids with their URLs inline,
    # the same msgid as labels, kept apart by a context they did not have before.
    source = article(
        "## Editor support\n\n![editor support](https://x.example/vscode.png)\n\n"
        "Some text.\n\n![editor support](https://x.example/pycharm.png)\n"
    )
    inline = translated(template_entries(source, REF))
    vscode, pycharm = [e for e in inline if "editor support" in e.msgid]
    assert vscode.msgctxt is None and pycharm.msgctxt is None
    vscode.msgstr = "![podpora ve VS Code](https://x.example/vscode.png)"
    pycharm.msgstr = "![podpora v PyCharmu](https://x.example/pycharm.png)"
    merged = merge(template_entries(source, REF, placeholders=True), inline)
    assert not [e for e in merged if e.obsolete or e.fuzzy]
    images = [e for e in merged if e.msgid == "![editor support][1]"]
    assert [e.msgstr for e in images] == ["![podpora ve VS Code][1]", "![podpora v PyCharmu][1]"]
    assert images[0].msgctxt != images[1].msgctxt
    assert [e.comment.split("\n")[1] for e in images] == ["[1]: https://x.example/vscode.png", "[1]: https://x.example/pycharm.png"]


def test_merge_keeps_translations_of_tab_and_nested_admonition_titles_read_as_paragraphs() -> None:
    # Catalogs made before content tabs and nested admonitions were read as
    # markup: their marker lines were paragraphs, the title between quotes.
    source = '=== "Feature enabled"\n\n    Text.\n\n- Step\n\n    !!! tip "Be quick"\n\n        Body.\n'
    new_template = template_entries(article(source), REF)
    assert [e.msgid for e in new_template][1:] == ["Feature enabled", "Text.", "Step", "Be quick", "Body."]
    old = [
        polib.POEntry(msgid='=== "Feature enabled"', msgstr='=== "Funkce zapnuta"', comment="paragraph"),
        polib.POEntry(msgid='!!! tip "Be quick"', msgstr='!!! tip "Buďte rychlí"', comment="paragraph"),
    ]
    by_id = {e.msgid: e for e in merge(new_template, old)}
    assert by_id["Feature enabled"].msgstr == "Funkce zapnuta" and not by_id["Feature enabled"].fuzzy
    assert by_id["Be quick"].msgstr == "Buďte rychlí" and not by_id["Be quick"].fuzzy
    assert not [e for e in by_id.values() if e.obsolete]


SEC101 = Path(__file__).resolve().parents[1] / "bench" / "data" / "heldout-sec101"


def test_a_legacy_text_pointing_at_localized_copies_is_imported_reviewed_and_merged_both_ways() -> None:
    # Two blocks of Security-101's first lesson and its Czech machine translation:
    # the video thumbnail and a figure, their images Co-op Translator's localized copies.
    name = "sec101-1.1-the-cia-triad-and-other-key-concepts"
    english = (SEC101 / f"{name}.en.md").read_text(encoding="utf-8").splitlines()
    czech = (SEC101 / f"{name}.cs.md").read_text(encoding="utf-8").splitlines()
    blocks = [next(line for line in english if "Watch the video" in line), next(line for line in english if "ciatriad" in line)]
    legacy = [next(line for line in czech if "Sledujte video" in line), next(line for line in czech if "ciatriad" in line)]
    source, target, alignment = _legacy("\n\n".join(blocks) + "\n", "\n\n".join(legacy) + "\n", [((0,), (0,), 0.95), ((1,), (1,), 0.95)])
    result = align_entries(template_entries(source, REF, placeholders=True), source, target, alignment, classify)
    video, figure = result.entries[-2:]
    localized = legacy[0][legacy[0].index("](") + 2 : legacy[0].index(")")]
    assert (video.msgid, video.msgstr, video.fuzzy) == ("[![Watch the video][1]][2]", f"[![Sledujte video]({localized})][2]", False)
    assert (figure.msgid, figure.msgstr, figure.fuzzy) == ("![image][1]", legacy[1], False)
    assert "differ from the source" not in video.comment + figure.comment
    # The setting turned off and on again: the translator's paths stay.
    back = merge(template_entries(source, REF), result.entries)
    assert [(e.msgstr, e.fuzzy) for e in back[-2:]] == [(legacy[0], False), (legacy[1], False)]
    again = merge(template_entries(source, REF, placeholders=True), back)
    assert [(e.msgid, e.msgstr, e.fuzzy) for e in again[-2:]] == [(e.msgid, e.msgstr, False) for e in (video, figure)]
