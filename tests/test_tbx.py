"""TBX-Basic reading and writing (pipeline/exchange/tbx.py)."""

from __future__ import annotations

import pytest

from pipeline.errors import InputError
from pipeline.exchange.tbx import glossary_of, parse_tbx, terms_for, write_tbx

TBX_2008 = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en-US">
  <martifHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="c1">
      <descrip type="subjectField">software</descrip>
      <langSet xml:lang="en-US"><tig><term>pull request</term><termNote type="partOfSpeech">noun</termNote></tig></langSet>
      <langSet xml:lang="cs-CZ">
        <tig><term>pull request</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
        <tig><term>žádost o sloučení</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
      </langSet>
    </termEntry>
    <termEntry id="c2">
      <langSet xml:lang="en"><tig><term>cluster</term></tig></langSet>
      <langSet xml:lang="cs"><tig><term>klastr</term></tig></langSet>
      <langSet xml:lang="de"><tig><term>Cluster</term></tig></langSet>
    </termEntry>
    <termEntry id="c3"><langSet xml:lang="cs"><tig><term>jen česky</term></tig></langSet></termEntry>
  </body></text>
</martif>
""".encode()

TBX_2019 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="c1">
      <langSec xml:lang="en"><termSec><term>container</term></termSec></langSec>
      <langSec xml:lang="cs"><termSec><term>kontejner</term></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>
""".encode()


def test_tbx_2008_preferred_terms() -> None:
    glossary = glossary_of(parse_tbx(TBX_2008, "g.tbx"), "en", ["cs"])
    assert glossary == {("cs", "pull request"): "žádost o sloučení", ("cs", "cluster"): "klastr"}


def test_tbx_2019_is_read_too() -> None:
    assert terms_for(glossary_of(parse_tbx(TBX_2019, "g.tbx"), "en", ["cs", "de"]), "cs") == {"container": "kontejner"}


def test_written_glossary_reads_back() -> None:
    glossary = glossary_of(parse_tbx(TBX_2008, "g.tbx"), "en", ["cs", "de"])
    data = write_tbx(glossary, "en")
    assert glossary_of(parse_tbx(data, "out.tbx"), "en", ["cs", "de"]) == glossary
    assert data == write_tbx(dict(reversed(list(glossary.items()))), "en")  # order-independent
    assert b'<martif type="TBX-Basic" xml:lang="en">' in data


def test_a_language_section_needs_a_language() -> None:
    with pytest.raises(InputError) as caught:
        parse_tbx(b"<martif>\n<text><body><termEntry>\n<langSet><tig><term>x</term></tig></langSet></termEntry></body></text></martif>", "g.tbx")
    assert caught.value.line == 3
