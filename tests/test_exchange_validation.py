"""Exported files against the standards' schemas (shipped in tests/data/schemas,
resolved offline), and read back by Translate Toolkit."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from pipeline.catalog.po_format import parse_po
from pipeline.exchange.po_units import exportable, unit_of
from pipeline.exchange.tbx import write_tbx
from pipeline.exchange.tmx import TranslationUnit, write_tmx
from pipeline.exchange.xliff import XliffFile, write_xliff

HERE = Path(__file__).resolve().parent
SCHEMAS = HERE / "data" / "schemas"
SAMPLE = HERE / "data" / "exchange" / "sample.cs.po"


class _Local(etree.Resolver):
    """Resolves the W3C xml.xsd import to the copy beside the schema."""

    def resolve(self, url: str | None, pubid: str | None, context: object) -> object:
        if url and url.endswith("xml.xsd"):
            return self.resolve_filename(str(SCHEMAS / "xml.xsd"), context)
        if url and "://" in url:
            raise AssertionError(f"the schema asked for {url}: nothing may be fetched")
        return None  # a local file: lxml reads it


def _xliff_schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Local())
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "xliff-core-1.2-transitional.xsd"), parser))


def _sample_xliff() -> bytes:
    po = parse_po(SAMPLE.read_text(encoding="utf-8"), "sample.cs.po", remember=False)
    units = tuple(unit_of(e) for e in po if exportable(e))
    return write_xliff([XliffFile("source/en/sample.md", "en", "cs", units), XliffFile("source/en/b.md", "en", "cs", units)])


def _tmx() -> bytes:
    units = [
        TranslationUnit("Hello & <world>", "Ahoj & <světe>", (("x-confidence", "0.93"), ("x-bead", "1-1"))),
        TranslationUnit("Two\nlines", "Dva\nřádky"),
    ]
    return write_tmx(units, "en", "cs", tool_version="0.2.0")


def test_xliff_is_valid_xliff_1_2() -> None:
    schema = _xliff_schema()
    document = etree.fromstring(_sample_xliff())
    assert schema.validate(document), schema.error_log


def test_the_schema_does_reject_a_wrong_file() -> None:
    bad = _sample_xliff().replace(b' datatype="po"', b"", 1)
    assert not _xliff_schema().validate(etree.fromstring(bad))


def test_tmx_is_valid_tmx_1_4() -> None:
    dtd = etree.DTD(str(SCHEMAS / "tmx14.dtd"))
    document = etree.fromstring(_tmx())
    assert dtd.validate(document), dtd.error_log
    assert not dtd.validate(etree.fromstring(_tmx().replace(b' srclang="en"', b"")))


def test_translate_toolkit_reads_the_xliff() -> None:
    xliff = pytest.importorskip("translate.storage.xliff")
    store = xliff.xlifffile(_sample_xliff())
    def context(unit: object) -> str | None:
        pairs = dict(unit.getcontextgroupsbyattribute("purpose", "information")[0])  # type: ignore[attr-defined]
        return pairs.get("x-po-msgctxt")

    units = {(u.source, context(u)): u for u in store.units if u.source}
    title = units[("Deploying a Kubernetes cluster", None)]
    assert title.target == "Nasazení klastru Kubernetes" and not title.isfuzzy() and title.isapproved()
    fuzzy = units[('Open a pull request & wait for the "review".', None)]
    assert fuzzy.isfuzzy() and fuzzy.target == "Otevřete žádost o sloučení & počkejte na <revizi>."
    assert "Keep the product name in English." in fuzzy.getnotes("translator")
    assert "paragraph" in fuzzy.getnotes("developer")
    assert fuzzy.getlocations() == ["source/en/sample.md:8"]
    assert [alt.source for alt in fuzzy.getalttrans()] == ["Open a pull request & wait for <review>."]
    assert units[("Setup", "Deploying a Kubernetes cluster")].target == "Instalace"
    assert units[("First line\nsecond line", None)].target == "První řádek\ndruhý řádek"
    assert store.getsourcelanguage() == "en" and store.gettargetlanguage() == "cs"


def test_translate_toolkit_reads_the_tmx() -> None:
    tmx = pytest.importorskip("translate.storage.tmx")
    store = tmx.tmxfile(_tmx())
    assert [(u.source, u.target) for u in store.units] == [("Hello & <world>", "Ahoj & <světe>"), ("Two\nlines", "Dva\nřádky")]


def test_translate_toolkit_reads_the_tbx() -> None:
    tbx = pytest.importorskip("translate.storage.tbx")
    store = tbx.tbxfile(write_tbx({("cs", "pull request"): "žádost o sloučení"}, "en"))
    (unit,) = store.units
    assert unit.source == "pull request"
    assert unit.target == "žádost o sloučení"
