"""The PO parser's fast paths change nothing: on real catalogs, random ones and
thousands of damaged variants of them, :func:`pipeline.catalog.po_format.parse_po`
gives what the line-by-line parser it replaced gives (``tests/po_reference.py``,
kept verbatim): the same polib entries attribute for attribute, the same header
and metadata, or the same error on the same line."""

from __future__ import annotations

import random
from pathlib import Path

import polib
import pytest
from po_reference import ReferenceParser
from test_po_format import _random_catalog

from pipeline.catalog.po_format import dump_po
from pipeline.catalog.po_parser import _Parser
from pipeline.errors import InputError

ROOT = Path(__file__).resolve().parent.parent


def _real_catalogs() -> list[Path]:
    found = [p for folder in ("locales", "tests") for p in (ROOT / folder).rglob("*.po*")]
    return sorted(p for p in found if p.suffix in (".po", ".pot"))


def _outcome(parser: type, text: str) -> object:
    try:
        po = parser("x.po").parse(text)
    except InputError as exc:
        return ("error", exc.message, exc.line, exc.hint)
    entries = [(type(e), e.__dict__) for e in po]
    return (entries, po.header, po.metadata, po.metadata_is_fuzzy, po.__dict__.keys())


def _same(text: str) -> None:
    assert _outcome(_Parser, text) == _outcome(ReferenceParser, text)


def test_real_catalogs_exist() -> None:
    assert len(_real_catalogs()) >= 8


@pytest.mark.parametrize("path", _real_catalogs(), ids=lambda p: str(p.relative_to(ROOT)))
def test_real_catalogs_parse_as_before(path: Path) -> None:
    _same(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_catalogs_parse_as_before(seed: int) -> None:
    _same(dump_po(_random_catalog(seed, 300)))


def test_entries_are_what_polib_builds() -> None:
    po = _Parser("x.po").parse(dump_po(_random_catalog(5, 50)))
    fresh = polib.POEntry()
    for entry in po:
        assert type(entry) is polib.POEntry
        assert list(entry.__dict__) == list(fresh.__dict__)


# Damage of the kinds the fast paths must step aside for: blanks and CRs around
# lines, escapes and quotes inside strings, obsolete marks, a byte-order mark,
# lines dropped, repeated or moved.
_DAMAGE = (
    lambda line, rng: line + "\r",
    lambda line, rng: line + " ",
    lambda line, rng: "  " + line,
    lambda line, rng: "\t" + line + "\t",
    lambda line, rng: "#~ " + line,
    lambda line, rng: "#~" + line,
    lambda line, rng: "#| " + line,
    lambda line, rng: "#~| " + line,
    lambda line, rng: line[:-1] + '\\"' + line[-1:] if line else line,
    lambda line, rng: line[:-1] + '"x"' if line else line,
    lambda line, rng: line[:-1] + "\\n" + line[-1:] if line else line,
    lambda line, rng: line[:-1] + "\\q" + line[-1:] if line else line,
    lambda line, rng: line[:-1] + "\\101" + line[-1:] if line else line,
    lambda line, rng: line[:-1],
    lambda line, rng: line[1:],
    lambda line, rng: '"' + line + '"',
    lambda line, rng: "",
    lambda line, rng: line + "\n" + line,
    lambda line, rng: "msgstr " + line,
    lambda line, rng: "msgid " + line,
    lambda line, rng: "msgctxt " + line,
    lambda line, rng: "msgid_plural " + line,
    lambda line, rng: "msgstr[0] " + line,
    lambda line, rng: "msgstr[1]" + line,
    lambda line, rng: line.replace("msgstr", "msgstr[0]"),
    lambda line, rng: "\ufeff" + line,
    lambda line, rng: "#" + line,
    lambda line, rng: "#, fuzzy\n" + line,
    lambda line, rng: "#: a.md:1 b.md\n" + line,
    lambda line, rng: '"' if line else "msgid",
)


def _damaged(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(lines))
        lines[at] = rng.choice(_DAMAGE)(lines[at], rng)
    if rng.random() < 0.1:
        lines.insert(rng.randrange(len(lines)), lines[rng.randrange(len(lines))])
    return "\n".join(lines)


@pytest.mark.parametrize("seed", range(8))
def test_damaged_catalogs_parse_or_fail_as_before(seed: int) -> None:
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in _real_catalogs()] + [dump_po(_random_catalog(seed, 40))]
    outcomes = set()
    for _ in range(400):
        text = _damaged(rng.choice(texts), rng)
        _same(text)
        outcomes.add(_outcome(_Parser, text)[0] == "error")
    assert outcomes == {True, False}  # both kinds of outcome were compared
