"""Link targets and edge comments out of msgids (pipeline.read.placeholders)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.build.article import Translation, build_article
from pipeline.catalog.entries import segment_keys
from pipeline.read.markdown import parse_markdown
from pipeline.read.placeholders import (
    is_localized_copy,
    labels_in_notes,
    targets_in_notes,
    to_msgid_form,
    to_source_form,
    translation_to_msgid_form,
    with_source_targets,
)


def test_inline_links_and_images_become_numbered_references() -> None:
    text = 'See [the docs](https://a.example/docs "Docs") and ![a logo](<img/logo 1.png>).'
    form = to_msgid_form(text)
    assert form.msgid == "See [the docs][1] and ![a logo][2]."
    assert form.notes() == ('[1]: https://a.example/docs "Docs"', "[2]: <img/logo 1.png>")


def test_the_same_target_twice_gets_one_label() -> None:
    form = to_msgid_form("[one](https://x.example) and [two](https://x.example) and [three](https://y.example)")
    assert form.msgid == "[one][1] and [two][1] and [three][2]"
    assert form.tails == ("(https://x.example)", "(https://y.example)")


def test_autolinks_bare_urls_and_existing_references_stay() -> None:
    text = "Go to <https://a.example>, www.b.example or [the site][2]; [c](https://c.example)."
    form = to_msgid_form(text)
    # The label numbering starts past the source's own reference label 2.
    assert form.msgid == "Go to <https://a.example>, www.b.example or [the site][2]; [c][3]."
    assert to_source_form("Jděte na <https://a.example>, www.b.example, [web][2] nebo [c][3].", text) == (
        "Jděte na <https://a.example>, www.b.example, [web][2] nebo [c](https://c.example).",
        "",
    )


def test_links_in_code_spans_are_code() -> None:
    text = "Write `[x](y)` for a [link](https://l.example)."
    assert to_msgid_form(text).msgid == "Write `[x](y)` for a [link][1]."
    # A label inside a translated code span is not a link.
    restored, why = to_source_form("Pište `[x][1]` pro [odkaz][1].", text)
    assert (restored, why) == ("Pište `[x][1]` pro [odkaz](https://l.example).", "")


def test_a_reordered_translation_is_restored() -> None:
    text = "[First](https://1.example) then [second](https://2.example)."
    msgid = to_msgid_form(text).msgid
    assert msgid == "[First][1] then [second][2]."
    assert to_source_form("Nejdřív [druhý][2], pak [první][1].", text) == (
        "Nejdřív [druhý](https://2.example), pak [první](https://1.example).",
        "",
    )


def test_a_dropped_or_duplicated_label_is_refused() -> None:
    text = "[First](https://1.example) then [second](https://2.example)."
    assert to_source_form("Jen [první][1].", text) == ("", "link labels differ from the source: missing [2]")
    assert to_source_form("[A][1], [b][1] a [c][2].", text)[1] == "link labels differ from the source: one too many [1]"


def test_edge_comments_are_cut_and_put_back() -> None:
    text = "<!-- ignore --> Run [this](https://r.example) <!-- end -->"
    form = to_msgid_form(text)
    assert form.msgid == "Run [this][1]"
    assert form.prefix == "<!-- ignore --> " and form.suffix == " <!-- end -->"
    assert to_source_form("Spusťte [toto][1]", text) == ("<!-- ignore --> Spusťte [toto](https://r.example) <!-- end -->", "")
    # A comment inside the text stays, guarded by the markup check.
    assert to_msgid_form("a <!-- x --> b").msgid == "a <!-- x --> b"
    assert to_msgid_form("<!-- only a comment -->").msgid == "<!-- only a comment -->"


def test_a_comment_right_after_a_link_goes_with_it() -> None:
    text = "Use [`rust-analyzer`][rust-analyzer]<!-- ignore --> and [the book](https://b.example)<!-- ignore -->."
    form = to_msgid_form(text)
    assert form.msgid == "Use [`rust-analyzer`][1] and [the book][2]."
    assert form.notes() == ("[1]: [rust-analyzer]<!-- ignore -->", "[2]: https://b.example <!-- ignore -->")
    assert to_source_form("Použijte [knihu][2] a [`rust-analyzer`][1].", text) == (
        "Použijte [knihu](https://b.example)<!-- ignore --> a [`rust-analyzer`][rust-analyzer]<!-- ignore -->.",
        "",
    )
    at_end = "See [the book](https://b.example)<!-- ignore -->"
    assert to_msgid_form(at_end).msgid == "See [the book][1]"
    assert translation_to_msgid_form("Viz [knihu](https://b.example)<!-- ignore -->", at_end) == "Viz [knihu][1]"
    # Not after a link: a comment inside running text stays, guarded by the markup check.
    assert to_msgid_form("(see above)<!-- x --> more").msgid == "(see above)<!-- x --> more"


def test_old_translations_are_converted_when_their_targets_match() -> None:
    source = "[First](https://1.example) then [second](https://2.example)."
    assert translation_to_msgid_form("[Druhý](https://2.example) a [první](https://1.example).", source) == (
        "[Druhý][2] a [první][1]."
    )
    # A link the translator pointed elsewhere, or dropped: not converted.
    assert translation_to_msgid_form("[Druhý](https://cz.example) a [první](https://1.example).", source) is None
    assert translation_to_msgid_form("[První](https://1.example).", source) is None
    assert translation_to_msgid_form("Beze změny.", "Beze změny.") == "Beze změny."


_WORDS = st.sampled_from(["word", "Zoë", "a", "x_y", "1.5", "(paren)", "*em*", "`code`", "\\*"])
_TARGETS = st.sampled_from(
    ["https://a.example", "https://a.example", "/docs/x.md#y", "<spaced target.png>", 'https://t.example "A title"', "x(1)"]
)


@st.composite
def _texts(draw: st.DrawFn) -> str:
    pieces = []
    for _ in range(draw(st.integers(1, 8))):
        choice = draw(st.integers(0, 5))
        if choice == 0:
            pieces.append(f"[{draw(_WORDS)}]({draw(_TARGETS)})")
        elif choice == 1:
            pieces.append(f"![{draw(_WORDS)}]({draw(_TARGETS)})")
        elif choice == 2:
            pieces.append("<!-- ignore -->")
        elif choice == 3:
            pieces.append(f"[{draw(_WORDS)}][ref]<!-- ignore -->")
        else:
            pieces.append(draw(_WORDS))
    return " ".join(pieces)


@given(_texts())
@settings(max_examples=200, deadline=None)
def test_msgid_form_round_trips_byte_for_byte(text: str) -> None:
    form = to_msgid_form(text)
    assert "](" not in form.msgid and "]<!--" not in form.msgid
    assert to_source_form(form.msgid, text) == (text, "")
    assert translation_to_msgid_form(text, text) == form.msgid


@given(st.lists(_texts(), min_size=1, max_size=5))
@settings(max_examples=60, deadline=None)
def test_built_identity_with_placeholder_msgids_is_the_source(paragraphs: list[str]) -> None:
    markdown = "# Title [here](https://h.example)\n\n" + "\n\n".join(f"- {p}" if i % 2 else p for i, p in enumerate(paragraphs)) + "\n"
    article = parse_markdown(markdown, path="doc.md", lang="en")
    keys = segment_keys(article, placeholders=True)
    built = build_article(article, keys, {k: Translation(k[1]) for k in keys}, lang="cs")
    assert built.markdown == markdown
    assert not built.fallbacks


_MARKUP_BITS = st.sampled_from(
    ["[a](u)", "![i](<x y>)", "<!-- c -->", "[r][1]", "[t][ref]", "`[c](d)`", "](", "\\]", "<https://a.b>", "x"]
)
_ODD_TEXT = st.lists(
    st.one_of(st.text(alphabet=list("[]()<>!-\\`\"' abc1:/#*_\n"), max_size=30), _MARKUP_BITS), max_size=8
).map("".join)


@given(_ODD_TEXT)
@example("[r][1]()")  # a link's label right after a numbered-looking reference
@settings(max_examples=300, deadline=None)
def test_any_text_goes_to_its_msgid_form_and_back(text: str) -> None:
    form = to_msgid_form(text)
    assert to_source_form(form.msgid, text) == (text, "")
    assert translation_to_msgid_form(text, text) == form.msgid


_DEFINED = {"CONFIGURATION", "FAQ", "1"}


def test_shortcut_and_collapsed_references_become_numbered_references() -> None:
    text = "See [Configuration], the [FAQ][] and [the guide](https://g.example); [sic] is text."
    form = to_msgid_form(text, _DEFINED)
    assert form.msgid == "See [Configuration][1], the [FAQ][2] and [the guide][3]; [sic] is text."
    assert form.notes() == ("[1]: [Configuration]", "[2]: [FAQ][]", "[3]: https://g.example")
    # Without the document's definitions, bracketed text is text.
    assert to_msgid_form(text).msgid == "See [Configuration], the [FAQ][] and [the guide][1]; [sic] is text."


def test_an_unchanged_shortcut_reference_comes_back_as_written() -> None:
    text = "See [Configuration] and the [FAQ][], [configuration] again."
    msgid = to_msgid_form(text, _DEFINED).msgid
    assert msgid == "See [Configuration][1] and the [FAQ][2], [configuration][3] again."
    assert to_source_form(msgid, text, _DEFINED) == (text, "")
    assert to_source_form("Viz [FAQ][2] a [Configuration][1], [configuration][3].", text, _DEFINED) == (
        "Viz [FAQ][] a [Configuration], [configuration].",
        "",
    )


def test_a_translated_shortcut_reference_becomes_a_full_reference() -> None:
    text = "See [Configuration] and the [FAQ][]."
    translated = "Viz [Konfigurace][1] a [časté otázky][2]."
    assert to_source_form(translated, text, _DEFINED) == ("Viz [Konfigurace][Configuration] a [časté otázky][FAQ].", "")
    # Link text with brackets of its own, or a code span, still ends at the label.
    assert to_source_form("Viz [`[x]` nastavení][1] a [FAQ][2].", text, _DEFINED) == (
        "Viz [`[x]` nastavení][Configuration] a [FAQ][].",
        "",
    )


def test_a_dropped_shortcut_label_is_refused() -> None:
    text = "See [Configuration] and the [FAQ][]."
    assert to_source_form("Viz [Konfigurace] a [FAQ][2].", text, _DEFINED) == (
        "",
        "link labels differ from the source: missing [1]",
    )


def test_a_shortcut_with_a_numeric_label_and_existing_numbered_labels() -> None:
    text = "Footnote-style [1], a [full][2] reference, and [Configuration]."
    form = to_msgid_form(text, _DEFINED)
    # Numbered past the source's own label 2; a "[1]" shortcut keeps its text.
    assert form.msgid == "Footnote-style [1][3], a [full][2] reference, and [Configuration][4]."
    assert to_source_form(form.msgid, text, _DEFINED) == (text, "")


def test_old_translations_with_shortcut_references_are_converted() -> None:
    source = "See [Configuration] and the [FAQ][]."
    assert translation_to_msgid_form("Viz [FAQ][] a [Configuration].", source, _DEFINED) == "Viz [FAQ][2] a [Configuration][1]."
    # A translator who translated the label broke the link: not converted.
    assert translation_to_msgid_form("Viz [Konfigurace] a [FAQ][].", source, _DEFINED) is None


def test_labels_in_notes_are_what_the_notes_show() -> None:
    comments = ["paragraph\n[1]: [Configuration]\n[2]: https://x.example", "list item\n[1]: [The  FAQ][]"]
    assert labels_in_notes(comments) == {"CONFIGURATION", "THE FAQ"}


_REFERENCE_WORDS = st.sampled_from(["Configuration", "FAQ", "sic", "the FAQ", "1"])


@st.composite
def _texts_with_references(draw: st.DrawFn) -> str:
    pieces = [draw(_texts())]
    for _ in range(draw(st.integers(1, 5))):
        label = draw(_REFERENCE_WORDS)
        pieces.append(draw(st.sampled_from([f"[{label}]", f"[{label}][]", f"[x][{label}]", "`[FAQ]`", "word"])))
    return " ".join(draw(st.permutations(pieces)))


@given(_texts_with_references())
@settings(max_examples=200, deadline=None)
def test_msgid_form_with_shortcut_references_round_trips_byte_for_byte(text: str) -> None:
    form = to_msgid_form(text, _DEFINED)
    assert to_source_form(form.msgid, text, _DEFINED) == (text, "")
    assert translation_to_msgid_form(text, text, _DEFINED) == form.msgid


@given(st.lists(_texts_with_references(), min_size=1, max_size=4))
@settings(max_examples=40, deadline=None)
def test_built_identity_with_shortcut_references_is_the_source(paragraphs: list[str]) -> None:
    definitions = "[Configuration]: ../config.md\n[FAQ]: /faq \"Questions\"\n[the FAQ]: /faq#top\n[1]: https://one.example\n"
    markdown = "# Title [FAQ]\n\n" + "\n\n".join(paragraphs) + "\n\n" + definitions
    article = parse_markdown(markdown, path="doc.md", lang="en")
    keys = segment_keys(article, placeholders=True)
    built = build_article(article, keys, {k: Translation(k[1]) for k in keys}, lang="cs")
    assert built.markdown == markdown
    assert not built.fallbacks


SEC101 = Path(__file__).resolve().parents[1] / "bench" / "data" / "heldout-sec101"


def sec101_line(name: str, lang: str, needle: str) -> str:
    """The line of a Security-101 lesson (English or its Czech machine translation) that holds ``needle``."""
    text = (SEC101 / f"sec101-{name}.{lang}.md").read_text(encoding="utf-8")
    return next(line for line in text.splitlines() if needle in line)


@pytest.mark.parametrize(
    ("source", "target", "copy"),
    [
        ("images/1-1_placeholder.png", "../../translated_images/1-1_placeholder.5743591289ea76087b78301a315f244c665d5266d895538c9d1a52b1f0d08603.cs.png", True),
        ("/images/ciatriad.png", "../../translated_images/ciatriad.0cf01e809b3845866bec11e829aac615e19a7b2a2897a4aafeb8000955a3f4b5.cs.png", True),
        ("img/x.png", "img/cs/x.png", True),  # Docusaurus, Hugo: a folder per language
        ("guide.md", "guide.cs.md", True),
        ("../docs/guide.md#install", "guide.cs.md#instalace", True),  # a localized page's anchors may be translated
        ("index.md", "../index.md", True),  # another folder's file of the same name: names cannot tell
        ("images/x.png", "images/y.cs.png", False),  # another file
        ("images/x.png", "images/x.cs.jpg", False),  # another format
        ("images/x.png", "images/x.png", False),  # the same file is no copy
        ("guide.md#a", "guide.md#b", False),  # the same page, another place
        ("https://a.example/x.png", "https://a.example/cs/x.png", False),  # a web address stays as it is
        ("images/x.png", "https://cdn.example/x.png", False),
        ("//cdn.example/x.png", "//cdn.example/cs/x.png", False),
        ("mailto:a@example.com", "mailto:a.cs@example.com", False),
        ("#intro", "#uvod", False),
        ("docs/", "cs/docs/", False),  # a folder has no file name
    ],
)
def test_a_localized_copy_is_another_path_to_a_file_of_the_same_name(source: str, target: str, copy: bool) -> None:
    assert is_localized_copy(source, target) is copy


def test_a_legacy_text_with_a_localized_image_keeps_it_inline() -> None:
    # Security-101's video thumbnail: Co-op Translator pointed the image at its
    # localized copy and kept the video's address.
    source = sec101_line("1.1-the-cia-triad-and-other-key-concepts", "en", "Watch the video")
    legacy = sec101_line("1.1-the-cia-triad-and-other-key-concepts", "cs", "Sledujte video")
    localized = legacy[legacy.index("(") + 1 : legacy.index(")")]
    assert localized.startswith("../../translated_images/1-1_placeholder.") and localized.endswith(".cs.png")
    form = to_msgid_form(source)
    assert form.msgid == "[![Watch the video][1]][2]"
    converted = translation_to_msgid_form(legacy, source)
    assert converted == f"[![Sledujte video]({localized})][2]"
    # The build writes it as the translator wrote it, the video's address put back.
    assert to_source_form(converted, source) == (legacy, "")
    # What the checks compare: the copy as the label it stands for.
    assert with_source_targets(converted, form.msgid, targets_in_notes("\n".join(form.notes()))) == "[![Sledujte video][1]][2]"
    assert with_source_targets(legacy, source) == "[![Sledujte video](images/1-1_placeholder.png)](" + form.tails[1][1:]
    # Another image, another video, or the copy as a link: not the source's.
    assert translation_to_msgid_form(legacy.replace("1-1_placeholder", "1-2_placeholder"), source) is None
    assert translation_to_msgid_form(legacy.replace("id=d4c2", "id=0000"), source) is None
    assert translation_to_msgid_form(legacy.replace("[![", "[["), source) is None
    assert to_source_form(converted.replace("1-1_placeholder", "1-2_placeholder"), source) == (
        "",
        "link labels differ from the source: missing [1]",
    )
    assert to_source_form(converted.replace("[![", "[["), source)[1] == "link labels differ from the source: missing [1]"


def test_a_standalone_localized_image_with_a_title_and_a_comment() -> None:
    source = sec101_line("1.1-the-cia-triad-and-other-key-concepts", "en", "ciatriad")
    legacy = sec101_line("1.1-the-cia-triad-and-other-key-concepts", "cs", "ciatriad")
    assert translation_to_msgid_form(legacy, source) == legacy  # nothing to label: the one link is the copy
    assert to_source_form(legacy, source) == (legacy, "")
    # A label kept where its link is a comment's: the comment must come with the copy.
    with_comment = 'See ![the triad](/images/ciatriad.png "CIA")<!-- ignore --> here.'
    assert translation_to_msgid_form('Viz ![triádu](cs/ciatriad.png "CIA")<!-- ignore --> zde.', with_comment) == (
        'Viz ![triádu](cs/ciatriad.png "CIA")<!-- ignore --> zde.'
    )
    assert translation_to_msgid_form('Viz ![triádu](cs/ciatriad.png "CIA") zde.', with_comment) is None
    # In the msgid form the label stands for the link and its comment: so does the copy.
    form = to_msgid_form(with_comment)
    notes = targets_in_notes("\n".join(("paragraph", *form.notes())))
    assert (form.msgid, notes) == ("See ![the triad][1] here.", {"1": '/images/ciatriad.png "CIA" <!-- ignore -->'})
    copy = 'Viz ![triádu](cs/ciatriad.png "Triáda")<!-- ignore --> zde.'
    assert to_source_form(copy, with_comment) == (copy, "")
    assert with_source_targets(copy, form.msgid, notes) == "Viz ![triádu][1] zde."
    without = 'Viz ![triádu](cs/ciatriad.png "CIA") zde.'
    assert with_source_targets(without, form.msgid, notes) == without
    assert to_source_form(without, with_comment)[1] == "link labels differ from the source: missing [1]"
