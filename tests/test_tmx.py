"""TMX 1.4b writing and reading (pipeline/exchange/tmx.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.exchange.tmx import TranslationUnit, parse_tmx, same_language, write_tmx

GOLDEN = Path(__file__).resolve().parent / "golden" / "legacy.cs.tmx"

UNITS = (
    TranslationUnit(
        "Rejekts is a small two-day conference.",
        "Rejekts je malá dvoudenní konference.",
        (("x-confidence", "0.97"), ("x-bead", "1-1"), ("x-origin", "day-2"), ("x-kind", "paragraph")),
    ),
    TranslationUnit("Tabs\tand <angle> & \"quotes\"\nover two lines", "Tabulátory\ta <úhly> & „uvozovky“\nna dvou řádcích",
                    (("x-confidence", "0.41"), ("x-bead", "2-1"))),
)


def test_golden_file() -> None:
    data = write_tmx(UNITS, "en", "cs", tool_version="0.0.test")
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_bytes(data)
    assert data == GOLDEN.read_bytes()


def test_units_read_back() -> None:
    parsed = parse_tmx(write_tmx(UNITS, "en", "cs", tool_version="1"), "m.tmx", "en", "cs")
    assert [(u.source, u.target, u.properties) for u in parsed.units] == [(u.source, u.target, u.properties) for u in UNITS]
    assert parsed.skipped == 0 and parsed.units[0].line > 1


def test_regions_and_old_lang_attributes_match() -> None:
    assert same_language("cs-CZ", "cs") and same_language("EN_us", "en") and not same_language("sk", "cs")
    data = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en-US" datatype="plaintext"/>
<body>
<tu><tuv xml:lang="en-US"><seg>Hello <hi>world</hi></seg></tuv><tuv lang="cs-CZ"><seg>Ahoj světe</seg></tuv></tu>
<tu><tuv xml:lang="en-US"><seg>Only English</seg></tuv><tuv xml:lang="de-DE"><seg>Nur Deutsch</seg></tuv></tu>
</body></tmx>""".encode()
    parsed = parse_tmx(data, "m.tmx", "en", "cs")
    assert [(u.source, u.target) for u in parsed.units] == [("Hello world", "Ahoj světe")]
    assert parsed.skipped == 1


def test_placeholders_are_refused_with_their_line() -> None:
    data = b'<tmx version="1.4"><header/><body>\n<tu><tuv xml:lang="en"><seg>a <ph x="1">{0}</ph></seg></tuv>' \
           b'<tuv xml:lang="cs"><seg>b</seg></tuv></tu></body></tmx>'
    with pytest.raises(InputError) as caught:
        parse_tmx(data, "m.tmx", "en", "cs")
    assert caught.value.line == 2 and "<ph>" in caught.value.message


def test_not_a_tmx() -> None:
    with pytest.raises(InputError, match="not a TMX"):
        parse_tmx(b"<xliff/>", "m.tmx", "en", "cs")
