"""Safe parsing and deterministic writing of the exchange formats' XML.

Input comes from other tools and other people, so it is parsed without resolving
entities, without loading a DTD and without any network access; a document that
declares entities is refused (nothing in XLIFF, TMX or TBX needs them, and they
are how XML bombs and file-disclosure tricks work). Every problem is an
:class:`InputError` with the file and line. Only UTF-8 input is accepted.
"""

from __future__ import annotations

from lxml import etree

from pipeline.errors import InputError

XML_NS = "http://www.w3.org/XML/1998/namespace"
LANG = f"{{{XML_NS}}}lang"
SPACE = f"{{{XML_NS}}}space"


def parse_xml(data: bytes, path: str, what: str) -> etree._Element:
    """The root element of ``data`` (a ``what`` file, e.g. "XLIFF"), parsed safely."""
    body = data.removeprefix(b"\xef\xbb\xbf")
    if not body.strip():
        raise InputError("the file is empty", path=path, line=1, hint=f"give a {what} file")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{body[exc.start]:02x})", path=path, line=line, hint=f"save the {what} file as UTF-8"
        ) from None
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False, remove_comments=True
    )
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(
            f"malformed XML: {exc.msg}", path=path, line=exc.lineno or 1, hint=f"fix the {what} file or export it again"
        ) from None
    dtd = root.getroottree().docinfo.internalDTD
    entities = list(dtd.iterentities()) if isinstance(dtd, etree.DTD) else []  # type: ignore[attr-defined]
    if entities or any(isinstance(node, etree._Entity) for node in root.iter()):
        raise InputError(
            "the document declares or uses XML entities, which are not accepted",
            path=path,
            line=1,
            hint=f"a {what} file needs none: remove the <!ENTITY> declarations",
        )
    return root


def local(element: etree._Element) -> str:
    """An element's name without its namespace."""
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def line_of(element: etree._Element) -> int:
    line = element.sourceline
    return line if isinstance(line, int) and line > 0 else 1


def text_of(element: etree._Element) -> str:
    """All the text inside ``element``."""
    return "".join(str(piece) for piece in element.itertext())


def plain_text(element: etree._Element, path: str, allowed: frozenset[str] = frozenset({"mrk", "g"})) -> str:
    """The text of ``element``; inline elements named in ``allowed`` (segment and
    group markers a tool may add) give their text, any other is an error (this
    pipeline writes plain text; a placeholder it cannot restore would be lost)."""
    for child in element.iterdescendants():
        if local(child) not in allowed:
            raise InputError(
                f"inline element <{local(child)}> is not supported here",
                path=path,
                line=line_of(child),
                hint="keep the text plain (Markdown) in the translation tool",
            )
    return text_of(element)


def invalid_xml_char(text: str) -> str | None:
    """The first character of ``text`` that XML 1.0 cannot hold, if any."""
    for char in text:
        code = ord(char)
        if code < 0x20 and char not in "\t\n\r" or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
            return char
    return None


def serialise(root: etree._Element, doctype: str | None = None) -> bytes:
    """``root`` as an indented UTF-8 document with a declaration and a final newline."""
    etree.indent(root, space="  ")
    if doctype is None:
        data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    else:
        data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", doctype=doctype)
    return bytes(data) + b"\n"
