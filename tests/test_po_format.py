"""PO parsing and GNU-compatible serialisation (pipeline.catalog.po_format)."""

from __future__ import annotations

import ctypes
import ctypes.util
import random
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.catalog.entries import make_metadata, new_catalog
from pipeline.catalog.linebreak import _NARROW, _char_width
from pipeline.catalog.linebreak import break_opportunities as _break_opportunities
from pipeline.catalog.linebreak import columns as _columns
from pipeline.catalog.linebreak import width_linebreaks as _width_linebreaks
from pipeline.catalog.po_format import (
    PAGE_WIDTH,
    _Parser,
    dump_and_remember,
    dump_po,
    parse_po,
)
from pipeline.errors import InputError

MSGCAT = shutil.which("msgcat")
MSGFMT = shutil.which("msgfmt")
needs_msgcat = pytest.mark.skipif(MSGCAT is None or MSGFMT is None, reason="GNU gettext not installed")

HEADER = make_metadata("demo", "cs", pot_date="2025-04-01 09:30+0000", revision_date="2025-04-01 09:30+0000")


def catalog(*entries: polib.POEntry) -> polib.POFile:
    return new_catalog(entries, HEADER, "Czech translation of demo.")


def msgcat(path: Path) -> str:
    assert MSGCAT is not None
    return subprocess.run([MSGCAT, str(path)], capture_output=True, text=True, check=True).stdout


def msgfmt_check(path: Path) -> subprocess.CompletedProcess[str]:
    assert MSGFMT is not None
    return subprocess.run([MSGFMT, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)


# --------------------------------------------------------------------------
# Serialisation.


def test_dump_small_catalog_layout() -> None:
    entry = polib.POEntry(
        msgid="Hello",
        msgstr="Ahoj",
        comment="heading",
        occurrences=[("source/en/demo.md", "5")],
    )
    fuzzy = polib.POEntry(
        msgid='Say "hi"\tnow',
        msgstr="Řekni „ahoj“",
        msgctxt="Intro",
        flags=["fuzzy"],
        previous_msgid="Say hi",
        tcomment="check this",
        comment="paragraph",
        occurrences=[("source/en/demo.md", "7")],
    )
    gone = polib.POEntry(msgid="Old text", msgstr="Starý text", obsolete=True)
    empty_gone = polib.POEntry(msgid="Never translated", msgstr="", obsolete=True)
    text = dump_po(catalog(entry, fuzzy, gone, empty_gone))
    assert text.endswith(
        "\n\n#. heading\n#: source/en/demo.md:5\nmsgid \"Hello\"\nmsgstr \"Ahoj\"\n\n"
        "# check this\n#. paragraph\n#: source/en/demo.md:7\n#, fuzzy\n#| msgid \"Say hi\"\n"
        'msgctxt "Intro"\nmsgid "Say \\"hi\\"\\tnow"\nmsgstr "Řekni „ahoj“"\n\n'
        '#~ msgid "Old text"\n#~ msgstr "Starý text"\n'
    )
    assert text.startswith('# Czech translation of demo.\nmsgid ""\nmsgstr ""\n"Project-Id-Version: demo\\n"\n')


def test_fuzzy_flag_dropped_on_empty_msgstr_like_gnu() -> None:
    text = dump_po(catalog(polib.POEntry(msgid="x", msgstr="", flags=["fuzzy"])))
    assert "#, fuzzy" not in text


def test_long_strings_wrap_at_79_columns() -> None:
    words = " ".join(f"word{i}" for i in range(60))
    text = dump_po(catalog(polib.POEntry(msgid=words, msgstr=words)))
    lines = text.splitlines()
    assert 'msgid ""' in lines and 'msgstr ""' in lines
    assert max(len(line) for line in lines) <= PAGE_WIDTH
    assert parse_po(text, "x.po")[0].msgid == words


def test_multiline_value_is_split_after_each_newline() -> None:
    text = dump_po(catalog(polib.POEntry(msgid="a\\\nb", msgstr="c")))
    assert 'msgid ""\n"a\\\\\\n"\n"b"\n' in text


def test_references_wrap_like_gnu() -> None:
    refs = [(f"source/en/a-rather-long-article-name-{i}.md", str(i)) for i in range(4)]
    text = dump_po(catalog(polib.POEntry(msgid="x", msgstr="", occurrences=refs)))
    ref_lines = [line for line in text.splitlines() if line.startswith("#:")]
    assert len(ref_lines) == 4 and all(len(line) <= PAGE_WIDTH for line in ref_lines)


def _random_catalog(seed: int, count: int) -> polib.POFile:
    rng = random.Random(seed)
    alphabet = list("abcdefghij ABC    0123456789.,;:!?-()[]{}\"'/\\%$#@&*+=<>|_~`^\t\n") + list(
        "áčďéěíňóřšťúůýž–—…„“”‘’«»·•€§°×÷ \u2011😀🎉👍🏻漢字かカ한\u0301"
    ) + ["https://example.com/a-b/c_d?x=1&y=2", "**bold**", "`code`", "[link](http://x.y/z)", "x" * 90]

    def text(limit: int) -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, limit)))

    entries = []
    seen = set()
    for index in range(count):
        msgid = text(rng.choice([10, 60, 200, 500]))
        msgctxt = text(30) if rng.random() < 0.2 else None
        if (msgctxt, msgid) in seen:
            continue
        seen.add((msgctxt, msgid))
        msgstr = text(300).strip("\n") if rng.random() < 0.7 else ""
        if msgstr:
            # msgfmt requires msgid and msgstr to agree on a leading/trailing newline.
            msgstr = ("\n" if msgid.startswith("\n") else "") + msgstr + ("\n" if msgid.endswith("\n") else "")
        entry = polib.POEntry(
            msgid=msgid,
            msgstr=msgstr,
            msgctxt=msgctxt,
            flags=["fuzzy"] if msgstr and rng.random() < 0.3 else [],
            comment="paragraph\nnote " + text(100).replace("\n", " ").rstrip("\\"),
            tcomment=("translator " + text(40).replace("\n", " ").rstrip("\\")) if rng.random() < 0.2 else "",
            occurrences=[("source/en/x.md", str(index))] + [("source/en/a-long-name-to-wrap.md", "12")] * rng.randint(0, 3),
            obsolete=bool(msgstr) and rng.random() < 0.1,
        )
        if entry.flags and rng.random() < 0.5:
            entry.previous_msgid = text(200)
        entries.append(entry)
    return catalog(*entries)


@needs_msgcat
@pytest.mark.parametrize("seed", [1, 2])
def test_random_catalogs_come_back_unchanged_from_msgcat(tmp_path: Path, seed: int) -> None:
    po = _random_catalog(seed, 600)
    text = dump_po(po)
    path = tmp_path / "random.po"
    path.write_text(text, encoding="utf-8")
    assert msgcat(path) == text
    assert msgfmt_check(path).returncode == 0
    assert dump_po(parse_po(text, str(path))) == text


def _fields(po: polib.POFile) -> list[tuple[object, ...]]:
    return [
        (
            e.msgid, e.msgstr, e.msgctxt, e.msgid_plural, dict(e.msgstr_plural), list(e.flags), bool(e.obsolete),
            e.comment, e.tcomment, [tuple(o) for o in e.occurrences], e.previous_msgid, e.previous_msgctxt,
            e.linenum,
        )
        for e in po
    ] + [(po.header, dict(po.metadata), po.metadata_is_fuzzy)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_remembered_dump_is_what_parsing_it_gives(seed: int) -> None:
    po = _random_catalog(seed, 300)
    # What GNU drops or rewrites: an empty fuzzy entry, an obsolete empty one,
    # references repeated or with numbers as integers, obsolete entries first.
    po.insert(0, polib.POEntry(msgid="empty but fuzzy", msgstr="", flags=["fuzzy"], comment="x"))
    po.insert(0, polib.POEntry(msgid="gone", msgstr="", obsolete=True))
    po.insert(0, polib.POEntry(msgid="old", msgstr="staré", obsolete=True, flags=["fuzzy"]))
    po.append(polib.POEntry(msgid="refs", msgstr="odkazy", occurrences=[("a.md", 3), ("a.md", 3), ("b.md", "")]))
    po.append(polib.POEntry(msgid="spaced", msgstr="s", occurrences=[("my articles/x.md", "3")], flags=["c-format", "c-format"]))
    text = dump_and_remember(po, f"remembered-{seed}.po")
    assert text == dump_po(po)
    remembered = parse_po(text, f"remembered-{seed}.po", shared=True)
    assert _fields(remembered) == _fields(_Parser("fresh").parse(text))


def test_parse_matches_polib_on_our_output() -> None:
    text = dump_po(_random_catalog(3, 200))
    ours = parse_po(text, "x.po")
    theirs = polib.pofile(text)
    assert [(e.msgctxt, e.msgid, e.msgstr, e.obsolete, e.fuzzy) for e in ours] == [
        (e.msgctxt, e.msgid, e.msgstr, e.obsolete, e.fuzzy) for e in theirs
    ]
    assert ours.metadata == theirs.metadata


# --------------------------------------------------------------------------
# Line breaking against GNU libunistring itself, where it can be loaded.


def _libunistring() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("unistring")
    if name is None:
        return None
    try:
        return ctypes.CDLL(name)
    except OSError:
        return None


LIB = _libunistring()
needs_lib = pytest.mark.skipif(LIB is None or not hasattr(LIB, "u8_width_linebreaks_v2"), reason="no libunistring")


def _gnu_breaks(text: str, prohibited: set[int], width: int, start: int) -> list[int]:
    assert LIB is not None
    data = text.encode()
    override = bytearray()
    offsets = []
    for index, char in enumerate(text):
        size = len(char.encode())
        offsets.append(len(override))
        override += bytes([1 if index in prohibited else 0]) + bytes([1]) * (size - 1)
    out = ctypes.create_string_buffer(len(data))
    LIB.u8_width_linebreaks_v2(data, len(data), width, start, 0, bytes(override), b"UTF-8", out)
    return [index for index, offset in enumerate(offsets) if out.raw[offset] == 2]


@needs_lib
def test_line_breaks_match_libunistring_on_random_text() -> None:
    rng = random.Random(7)
    alphabet = list("abcdefghij ABC   0123456789.,;:!?-()[]{}\"'/\\%$#@&*+=<>|_~`^") + list(
        "áčďéěíňóřšťúůýž–—…„“”‘’«»·•€§°×÷ \u200b\u2011\u2060😀🎉👍🏻🇨🇿漢字かカ한ᄀ\u0301\u200d\u05d0\u2028"
    )
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 120)))
        prohibited = {i for i in range(len(text)) if rng.random() < 0.1}
        width, start = rng.randint(5, 80), rng.randint(0, 30)
        found = [item for item in _break_opportunities(text) if item[0] not in prohibited]
        assert _width_linebreaks(text, found, _columns(text), width, start) == _gnu_breaks(
            text, prohibited, width, start
        ), text


@needs_lib
def test_character_widths_match_libunistring() -> None:
    assert LIB is not None
    LIB.uc_width.restype = ctypes.c_int
    LIB.uc_width.argtypes = [ctypes.c_uint32, ctypes.c_char_p]
    for cp in list(range(0x20, 0x3000)) + list(range(0x1F300, 0x1FAFF)):
        assert _char_width(cp) == LIB.uc_width(cp, b"UTF-8"), hex(cp)


def test_narrow_characters_are_one_column() -> None:
    for cp in range(0x10000):
        if not 0xD800 <= cp <= 0xDFFF and _NARROW.fullmatch(chr(cp)):
            assert _char_width(cp) == 1, hex(cp)


# --------------------------------------------------------------------------
# Parsing errors: InputError with the file and the line of the problem.

GOOD_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (GOOD_HEADER + 'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 8, "duplicate"),
        (GOOD_HEADER + 'msgctxt "x"\nmsgid "a"\nmsgstr "b"\n\nmsgctxt "x"\nmsgid "a"\nmsgstr "c"\n', 9, "duplicate"),
        (GOOD_HEADER + 'msgid "a"\nmsgstr "b"\nmsgfoo "c"\n', 7, "unknown keyword"),
        (GOOD_HEADER + 'msgid "a"\n\nmsgid "b"\nmsgstr ""\n', 5, "without msgstr"),
        (GOOD_HEADER + 'msgid "a"\n', 5, "without msgstr"),
        (GOOD_HEADER + 'msgid "a\nmsgstr ""\n', 5, "double quotes"),
        (GOOD_HEADER + 'msgid "a" "b"\nmsgstr ""\n', 5, "double quotes"),
        (GOOD_HEADER + 'msgid "a\\q"\nmsgstr ""\n', 5, "escape"),
        ('"stray"\n' + GOOD_HEADER, 1, "without a keyword"),
        (GOOD_HEADER + 'msgstr "b"\n', 5, "without msgid"),
        ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-2\\n"\n', 3, "charset"),
        (GOOD_HEADER + 'msgid "a"\nmsgstr "b"\n\nmsgid ""\nmsgstr "x"\n', 8, "header"),
        (GOOD_HEADER + 'msgid "a"\n#~ msgstr "b"\n', 6, "obsolete"),
        (GOOD_HEADER + '#| bogus "x"\nmsgid "a"\nmsgstr "b"\n', 5, "#|"),
    ],
)
def test_malformed_po_raises_input_error_with_line(text: str, line: int, words: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_po(text, "locales/cs/LC_MESSAGES/x.po")
    assert caught.value.path == "locales/cs/LC_MESSAGES/x.po"
    assert caught.value.line == line, caught.value
    assert words in caught.value.message


def test_parse_reads_everything_gnu_writes() -> None:
    text = (
        "\ufeff# header comment\n#, fuzzy\nmsgid \"\"\nmsgstr \"\"\n\"Language: cs\\n\"\n"
        "\"Content-Type: text/plain; charset=utf-8\\n\"\n\n"
        "#  spaced translator comment\n#. extracted\n#: a.md:1 b.md:2 c.md\n#, fuzzy, no-wrap\n"
        "#| msgctxt \"old\"\n#| msgid \"old \"\n#| \"text\"\nmsgctxt \"ctx\"\nmsgid \"\"\n\"new \"\n\"text\"\n"
        "msgstr \"nový \\\"text\\\" \\101\\x42\"\n\n"
        "#~ #| msgid \"older\"\n#~| msgid \"gone before\"\n#~ msgid \"gone\"\n#~ msgstr \"pryč\"\n"
    )
    po = parse_po(text, "x.po")
    assert po.header == "header comment" and po.metadata_is_fuzzy
    assert po.metadata == {"Language": "cs", "Content-Type": "text/plain; charset=utf-8"}
    entry = po[0]
    assert (entry.msgctxt, entry.msgid, entry.msgstr) == ("ctx", "new text", 'nový "text" AB')
    assert entry.tcomment == " spaced translator comment" and entry.comment == "extracted"
    assert entry.occurrences == [("a.md", "1"), ("b.md", "2"), ("c.md", "")]
    assert entry.flags == ["fuzzy", "no-wrap"]
    assert (entry.previous_msgctxt, entry.previous_msgid) == ("old", "old text")
    gone = po[1]
    assert gone.obsolete and gone.previous_msgid == "gone before" and gone.msgstr == "pryč"


def test_obsolete_and_active_entries_may_share_a_key() -> None:
    po = parse_po(GOOD_HEADER + 'msgid "a"\nmsgstr "b"\n\n#~ msgid "a"\n#~ msgstr "c"\n', "x.po")
    assert [e.obsolete for e in po] == [False, True]


@pytest.mark.parametrize("escape", ["\\x110000", "\\xD800", "\\xFFFFFFFF"])
def test_escapes_that_are_not_characters_are_input_errors(escape: str) -> None:
    text = f'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "bad {escape}"\n'
    with pytest.raises(InputError, match="not a character") as caught:
        parse_po(text, "x.po")
    assert caught.value.line == 5


def test_reviewed_text_ignores_fuzzy_entries_but_not_text_that_mentions_the_flag() -> None:
    from pipeline.catalog.po_format import reviewed_text

    po = (
        b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        b'#, fuzzy\nmsgid "a"\nmsgstr "b"\n\n'
        b'msgid "Remove the #, fuzzy flag"\nmsgstr "Odstra\xc5\x88te p\xc5\x99\xc3\xadznak"\n\n'
        b'msgid "empty"\nmsgstr ""\n'
    )
    assert reviewed_text(po) == b'msgid "Remove the #, fuzzy flag"\nmsgstr "Odstra\xc5\x88te p\xc5\x99\xc3\xadznak"'


def test_reviewed_text_sees_every_change_of_a_confirmed_translation_in_any_layout() -> None:
    from pipeline.catalog.po_format import reviewed_text

    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    entries = 'msgid "One"\nmsgstr "Jedna"\n\n#, fuzzy\nmsgid "Two"\nmsgstr "Dva"\n\nmsgid "Three"\nmsgstr "Tři"\n'
    layouts = {
        "as msgcat writes": lambda text: header + text,
        "CRLF": lambda text: (header + text).replace("\n", "\r\n"),
        "no header": lambda text: text,
        "no blank lines": lambda text: (header + text).replace("\n\n", "\n"),
    }
    for name, layout in layouts.items():
        before = reviewed_text(layout(entries).encode())
        for old, new in (('"Jedna"', '"Jedna!"'), ('"Tři"', '"Tři!"')):
            after = reviewed_text(layout(entries.replace(old, new)).encode())
            assert after != before, (name, old)
    # Fuzzy suggestions are not confirmed translations: filling one changes nothing.
    assert reviewed_text((header + entries.replace('"Dva"', '"Dva?"')).encode()) == reviewed_text(
        (header + entries).encode()
    )


def _catalog_text(number: int, words: int) -> str:
    body = " ".join(f"word{number}x{i}" for i in range(words))
    return f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "{body}"\nmsgstr ""\n'


def test_the_parse_cache_is_bounded_by_characters_not_by_catalogs() -> None:
    from pipeline.catalog.po_format import ParseCache

    cache = ParseCache(2_000)
    texts = [_catalog_text(n, 60) for n in range(4)]  # about 600 characters each
    first = parse_po(texts[0], "0.po", shared=True, cache=cache)
    assert parse_po(texts[0], "0.po", shared=True, cache=cache) is first  # remembered
    for number, text in enumerate(texts[1:], 1):
        parse_po(text, f"{number}.po", shared=True, cache=cache)
    assert cache.chars <= 2_000
    assert parse_po(texts[0], "0.po", shared=True, cache=cache) is not first  # the oldest made room
    large = _catalog_text(9, 400)  # larger than the whole budget: parsed, never kept
    assert parse_po(large, "9.po", cache=cache)[0].msgid.startswith("word9x0")
    assert (large, "9.po") not in cache
    assert len(cache) >= 2  # and nothing was pushed out for it


def test_an_empty_parse_cache_given_is_the_one_used() -> None:
    from pipeline.catalog.po_format import PARSED, ParseCache, dump_and_remember

    cache = ParseCache(100_000)  # empty, so falsy by its length: must still be used
    po = parse_po(_catalog_text(1, 5), "1.po", remember=False)
    text = dump_and_remember(po, "again.po", cache=cache)
    assert (text, "again.po") in cache and len(cache) == 1
    assert (text, "again.po") not in PARSED


_KEY_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), min_size=1, max_size=120)


@settings(max_examples=60, deadline=None)
@given(
    keys=st.lists(st.tuples(st.one_of(st.none(), _KEY_TEXT), _KEY_TEXT), min_size=1, max_size=12, unique=True),
    seed=st.integers(0, 1000),
)
def test_key_lines_equal_exactly_when_the_keys_and_their_order_are(keys: list[tuple[str | None, str]], seed: int) -> None:
    from pipeline.catalog.po_format import key_lines

    chance = random.Random(seed)

    def written(order: list[tuple[str | None, str]], translated: bool) -> bytes:
        entries = [
            polib.POEntry(
                msgctxt=context, msgid=msgid, msgstr=msgid[::-1] if translated else "",
                flags=["fuzzy"] if translated and chance.random() < 0.3 else [], comment="paragraph",
            )
            for context, msgid in order
        ]
        # An obsolete entry is not a key of the catalog.
        entries.append(polib.POEntry(msgid="gone " + keys[0][1], msgstr="pryč", obsolete=True))
        return dump_po(catalog(*entries)).encode()

    template = key_lines(written(keys, translated=False))
    assert template is not None and len(template) == len(keys)
    # Translations, flags and obsolete entries aside, the same keys give the same lines.
    assert key_lines(written(keys, translated=True)) == template
    shuffled = keys[:]
    chance.shuffle(shuffled)
    assert (key_lines(written(shuffled, translated=True)) == template) == (shuffled == keys)
    assert key_lines(written(keys[:-1], translated=True)) != template
    # Not laid out as written: no answer rather than a wrong one.
    assert key_lines(written(keys, translated=True).replace(b"\n", b"\r\n")) is None
    assert key_lines(written(keys, translated=True).replace(b"\n\n#", b"\n#")) is None
