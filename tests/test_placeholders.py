"""Link targets and edge comments out of msgids (pipeline.read.placeholders)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.build.article import Translation, build_article
from pipeline.catalog.entries import segment_keys
from pipeline.read.markdown import parse_markdown
from pipeline.read.placeholders import (
    to_msgid_form,
    to_source_form,
    translation_to_msgid_form,
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
@settings(max_examples=300, deadline=None)
def test_any_text_goes_to_its_msgid_form_and_back(text: str) -> None:
    form = to_msgid_form(text)
    assert to_source_form(form.msgid, text) == (text, "")
    assert translation_to_msgid_form(text, text) == form.msgid
