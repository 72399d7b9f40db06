"""Reading gettext PO text the way GNU gettext does (see :mod:`pipeline.catalog.po_format`).

:class:`_Parser` turns PO text into a :class:`polib.POFile`, raising an
:class:`InputError` with the file and the line of the first problem (bad syntax, a
charset other than UTF-8, the same msgctxt+msgid twice). It has fast paths for
the lines ``msgcat`` writes; ``tests/po_reference.py`` keeps the former parser as
the oracle it is held to.
"""

from __future__ import annotations

import re

import polib

from pipeline.errors import InputError

#: An entry's identity: (msgctxt, msgid).
Key = tuple[str | None, str]


def _reference(ref: str) -> tuple[str, str]:
    """A ``#:`` reference as (file, line); line "" when it has none."""
    file, colon, line = ref.rpartition(":")
    return (file, line) if colon and line.isdigit() else (ref, "")


# --------------------------------------------------------------------------
# Parsing.

_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)(?=[\s\"])\s*(.*)$")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"$')
_UNESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v", "\\": "\\", '"': '"', "'": "'", "?": "?"}
_ESCAPE_SEQUENCE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]+)|(.))", re.DOTALL)
_CHARSET = re.compile(r"charset=([^\s;\\\"]+)", re.IGNORECASE)


class _Entry:
    """An entry being read: its parts so far and the line each part began on."""

    __slots__ = ("line", "key_line", "obsolete", "tcomment", "comment", "occurrences", "flags", "fields", "previous", "complete")

    def __init__(self, line: int) -> None:
        self.line = line
        self.key_line = 0
        self.obsolete = False
        self.tcomment: list[str] = []
        self.comment: list[str] = []
        self.occurrences: list[tuple[str, str]] = []
        self.flags: list[str] = []
        #: msgctxt, msgid, msgid_plural, msgstr or msgstr[N] -> value
        self.fields: dict[str, str] = {}
        self.previous: dict[str, str] = {}
        #: Whether a msgstr or msgstr[N] has been read.
        self.complete = False


class _Parser:
    def __init__(self, path: str) -> None:
        self.path = path
        self.po = polib.POFile()
        self.po.metadata = {}
        self.seen: dict[tuple[bool, Key], int] = {}
        self.header_seen = False
        #: The entries read, appended to the POFile at the end (its append
        #: checks nothing when check_for_duplicates is off, as it is here).
        self.entries: list[polib.POEntry] = []

    def error(self, message: str, line: int, hint: str | None = None) -> InputError:
        return InputError(message, path=self.path, line=line, hint=hint or "fix the PO syntax, e.g. with msgcat")

    def unquote(self, token: str, line: int) -> str:
        token = token.strip()
        # Most strings have no quote or backslash inside: no regex needed.
        if len(token) >= 2 and token[0] == token[-1] == '"' and "\\" not in token and '"' not in token[1:-1]:
            return token[1:-1]
        match = _STRING.match(token)
        if match is None:
            raise self.error("expected a string in double quotes", line)

        def replace(m: re.Match[str]) -> str:
            octal, hexa, other = m.groups()
            if octal or hexa:
                code = int(octal, 8) if octal else int(hexa, 16)
                if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                    raise self.error(f"escape sequence {m.group(0)!r} is not a character", line)
                return chr(code)
            if other in _UNESCAPES:
                return _UNESCAPES[other]
            raise self.error(f"invalid escape sequence \\{other}", line)

        body = match.group(1)
        return _ESCAPE_SEQUENCE.sub(replace, body) if "\\" in body else body

    def parse(self, text: str) -> polib.POFile:
        entry = _Entry(1)
        target: str | None = None  # the field a continuation string extends
        keyword_match = _KEYWORD.match
        for number, raw in enumerate(text.split("\n"), start=1):
            first = raw[:1]
            # Fast paths for the lines msgcat writes (most of a file), each doing
            # what the general path below does with such a line.
            if first == '"':
                # A continuation string with no escape, no inner quote, no blank
                # after it, extending a field of an active entry.
                if (
                    target is not None
                    and not entry.obsolete
                    and raw[-1] == '"'
                    and raw.find('"', 1) == len(raw) - 1
                    and "\\" not in raw
                ):
                    entry.fields[target] += raw[1:-1]
                    continue
            elif not raw:
                continue
            if first == "m":
                # No blank or byte-order mark before it: only the end to strip.
                obsolete = False
                body = raw.rstrip()
            elif first == "#" and raw[1:2] != "~":
                # Comments keep trailing blanks (GNU does).
                obsolete = False
                body = raw.rstrip("\r")
            else:
                # Comments keep trailing blanks (GNU does); keywords and strings do not.
                line = raw.rstrip("\r").lstrip("\ufeff" if number == 1 else "").lstrip()
                obsolete = line.startswith("#~")
                body = line[2:].lstrip() if obsolete else line
                if obsolete and body.startswith("|"):
                    body = "#" + body
                if not body.startswith("#"):
                    body = body.rstrip()
                if not body:
                    continue
            first = body[0]
            if first == "#":
                if entry.complete:
                    self.finish(entry)
                    entry = _Entry(number)
                elif entry.fields:
                    raise self.error("an entry without msgstr", entry.key_line)
                if not (entry.tcomment or entry.comment or entry.occurrences or entry.flags or entry.previous):
                    entry.line = number
                if body[1:2] == ".":  # the commonest comment, as comment() reads it
                    rest = body[2:]
                    entry.comment.append(rest[1:] if rest[:1] == " " else rest)
                else:
                    self.comment(entry, body, number)
                target = None
                continue
            match = keyword_match(body) if first != '"' else None
            if match is not None and entry.complete and match.group(1) in ("msgctxt", "msgid"):
                self.finish(entry)
                entry = _Entry(number)
            if entry.fields and obsolete != entry.obsolete:
                raise self.error("obsolete (#~) and active lines mixed in one entry", number)
            if first == '"':
                if target is None:
                    raise self.error("a string without a keyword before it", number)
                entry.fields[target] += self.unquote(body, number)
                continue
            if match is None:
                raise self.error(f"unknown keyword {body.split()[0]!r}", number)
            keyword, index, rest = match.groups()
            fields = entry.fields
            if keyword == "msgctxt" and fields:
                raise self.error("msgctxt after msgid", number)
            if keyword == "msgid" and "msgid" in fields:
                raise self.error("an entry without msgstr", entry.key_line)
            if keyword not in ("msgctxt", "msgid"):
                if "msgid" not in fields or keyword in fields:
                    raise self.error(f"{keyword} without msgid", number)
                plural = "msgid_plural" in fields
                if (keyword == "msgid_plural" and entry.complete) or (keyword == "msgstr" and plural):
                    raise self.error(f"{keyword} out of place (a plural entry needs msgstr[N])", number)
                if index is not None and (not plural or "msgstr" in fields):
                    raise self.error(f"{keyword} in an entry without msgid_plural", number)
                if keyword[5] == "r":  # msgstr or msgstr[N]
                    entry.complete = True
            if not fields:
                entry.key_line = number
                entry.obsolete = obsolete
            # A plain string (as unquote() returns it without a look at escapes).
            if rest[:1] == '"' and rest[-1:] == '"' and rest.find('"', 1) == len(rest) - 1 and "\\" not in rest:
                fields[keyword] = rest[1:-1]
            else:
                fields[keyword] = self.unquote(rest, number)
            target = keyword
        if entry.fields:
            if not entry.complete:
                raise self.error("an entry without msgstr", entry.key_line)
            self.finish(entry)
        self.po.extend(self.entries)
        self.check_charset(text)
        return self.po

    def comment(self, entry: _Entry, body: str, number: int) -> None:
        mark, rest = body[1:2], body[2:]
        if mark == ".":
            entry.comment.append(rest[1:] if rest.startswith(" ") else rest)
        elif mark == ":":
            entry.occurrences.extend(_reference(ref) for ref in rest.split())
        elif mark == ",":
            entry.flags.extend(flag.strip() for flag in rest.split(",") if flag.strip())
        elif mark == "|":
            text = rest.strip()
            match = _KEYWORD.match(text)
            if text.startswith('"') and entry.previous:
                key = next(reversed(entry.previous))
                entry.previous[key] += self.unquote(text, number)
            elif match is not None and match.group(1) in ("msgctxt", "msgid", "msgid_plural"):
                entry.previous[match.group(1)] = self.unquote(match.group(3), number)
            else:
                raise self.error("a #| line needs msgctxt, msgid or msgid_plural and a string", number)
        else:
            text = body[1:]
            entry.tcomment.append(text[1:] if text.startswith(" ") else text)

    def finish(self, entry: _Entry) -> None:
        fields = entry.fields
        msgid = fields["msgid"]
        msgctxt = fields.get("msgctxt")
        obsolete = entry.obsolete
        if msgid == "" and msgctxt is None and not obsolete:
            if self.header_seen:
                raise self.error("a second header entry (msgid \"\")", entry.key_line)
            self.header_seen = True
            self.po.header = "\n".join(entry.tcomment)
            self.po.metadata_is_fuzzy = "fuzzy" in entry.flags
            last = ""
            for item in fields.get("msgstr", "").split("\n"):
                name, colon, value = item.partition(":")
                if colon and name.strip():
                    last = name.strip()
                    self.po.metadata[last] = value.strip()
                elif item.strip() and last:
                    self.po.metadata[last] += "\n" + item.strip()
            return
        key = (obsolete, (msgctxt, msgid))
        first = self.seen.get(key)
        if first is not None:
            raise self.error(
                f"duplicate message definition (first defined at line {first})",
                entry.key_line,
                hint="merge the two entries or give one a msgctxt",
            )
        self.seen[key] = entry.key_line
        # What polib.POEntry(**fields) sets, in its order, without its keyword
        # look-ups (a third of a parse); tests compare the two.
        po_entry = _new_entry()
        po_entry.__dict__ = {
            "msgid": msgid,
            "msgstr": fields.get("msgstr", ""),
            "msgid_plural": fields.get("msgid_plural", ""),
            "msgstr_plural": {int(k[7:-1]): v for k, v in fields.items() if k.startswith("msgstr[")}
            if "msgid_plural" in fields
            else {},
            "msgctxt": msgctxt,
            "obsolete": obsolete,
            "encoding": polib.default_encoding,
            "comment": "\n".join(entry.comment),
            "tcomment": "\n".join(entry.tcomment),
            "occurrences": entry.occurrences,
            "flags": entry.flags,
            "previous_msgctxt": entry.previous.get("msgctxt"),
            "previous_msgid": entry.previous.get("msgid"),
            "previous_msgid_plural": entry.previous.get("msgid_plural"),
            "linenum": entry.key_line or entry.line,
        }
        self.entries.append(po_entry)

    def check_charset(self, text: str) -> None:
        content_type = self.po.metadata.get("Content-Type")
        if content_type is None:
            return
        match = _CHARSET.search(content_type)
        charset = match.group(1) if match else ""
        if charset.lower() not in ("utf-8", "utf8"):
            offset = text.find("Content-Type:")
            line = text.count("\n", 0, offset) + 1 if offset >= 0 else 1
            raise InputError(
                f"the catalog declares charset {charset or '(none)'!r}; only UTF-8 is supported",
                path=self.path,
                line=line,
                hint="convert it with msgconv --to-code=UTF-8",
            )


def _new_entry() -> polib.POEntry:
    return polib.POEntry.__new__(polib.POEntry)
