"""Reading and writing gettext PO files, byte-compatible with GNU gettext.

:func:`parse_po` turns PO text into a :class:`polib.POFile`; every way the text can
be unusable (bad syntax, a charset other than UTF-8, the same msgctxt+msgid twice)
is an :class:`InputError` with the file and the line of the problem. polib's own
parser is not used: it skips ``#~|`` lines, accepts entries GNU rejects and gives
no line for a duplicate.

:func:`dump_po` writes a POFile exactly as ``msgcat`` would: strings wrapped at 79
columns at the line-break opportunities of Unicode UAX #14 as GNU libunistring 1.x
finds them (its pair table and rules; character classes from Unicode properties
plus a table of the code points where those disagree with libunistring), the
same escapes, comment order and blank lines, and GNU's normalisations (no
``fuzzy`` flag on an empty msgstr, each file position once, obsolete entries
without a translation dropped). No polib ``wrapwidth`` reproduces GNU's wrapping,
and this is also faster than polib's ``__unicode__``. Format-string flags
(``c-format``), which make GNU avoid breaks inside directives, are not used by
this pipeline and not modelled.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import polib
from cachetools import LRUCache

from pipeline.bounded_memo import sized_memo
from pipeline.catalog.linebreak import break_opportunities, columns, width_linebreaks
from pipeline.errors import InputError

#: GNU's default page width: a wrapped line is at most this many columns.
PAGE_WIDTH = 79

Key = tuple[str | None, str]


def entry_key(entry: polib.POEntry) -> Key:
    """What makes an entry unique in a catalog: its context and msgid."""
    return (entry.msgctxt, entry.msgid)


_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v", "\\": "\\\\", '"': '\\"'}
_NEEDS_ESCAPE = re.compile(r'[\a\b\f\n\r\t\v\\"]')


def _escape(portion: str) -> tuple[str, set[int]]:
    """The escaped portion and where GNU forbids a break (inside an escape)."""
    if not _NEEDS_ESCAPE.search(portion):
        return portion, set()
    chars: list[str] = []
    prohibited: set[int] = set()
    position = 0
    for char in portion:
        escaped = _ESCAPES.get(char)
        if escaped is None:
            chars.append(char)
            position += 1
        else:
            chars.append(escaped)
            prohibited.add(position + 1)
            position += 2
    return "".join(chars), prohibited


def _wrap(out: list[str], prefix: str, name: str, value: str, *, wrap: bool = True) -> None:
    """Append ``prefix name "value"`` lines as GNU's write-po.c ``wrap()`` does."""
    out.append(_wrapped(prefix, name, value, wrap))


def _value_size(prefix: str, name: str, value: str, wrap: bool) -> int:
    # The value and its wrapped lines, and the entry itself (its key, its dict
    # slot: about what a hundred characters take).
    return 2 * len(value) + 100


#: Holds what a worker writes again in a run of 1,000 articles (12,000 strings,
#: no more misses than 65,536 entries had); at most about 40 MB.
@sized_memo(16_000_000, size=_value_size)
def _wrapped(prefix: str, name: str, value: str, wrap: bool) -> str:
    """The lines of one keyword; remembered, because every command writes the same
    strings again (finding the break opportunities is the costly part)."""
    out: list[str] = []
    width = (PAGE_WIDTH if wrap else 1 << 30) - 2 - len(prefix)
    portions = _split_portions(value)
    first_line = True
    for number, portion in enumerate(portions):
        text, prohibited = _escape(portion)
        if portion.endswith("\n"):
            # GNU never breaks right before the escaped newline ending a portion.
            prohibited.add(len(text) - 2)
        widths = columns(text)
        total = widths[-1] if widths else len(text)
        start = len(name) + 1 if first_line else 0
        breaks: list[int] = []
        found: list[tuple[int, int]] = []
        if start + total > width:
            found = [item for item in break_opportunities(text) if item[0] not in prohibited]
            breaks = width_linebreaks(text, found, widths, width, start)
        if first_line and text and (number + 1 < len(portions) or start > width or breaks):
            # A string that does not fit on the keyword's line starts on the next.
            out.append(f'{prefix}{name} ""\n')
            first_line = False
            breaks = width_linebreaks(text, found, widths, width, 0) if total > width else []
        pieces = [text[a:b] for a, b in zip([0, *breaks], [*breaks, len(text)])]
        keyword = f"{name} " if first_line else ""
        out.append(f'{prefix}{keyword}"' + f'"\n{prefix}"'.join(pieces) + '"\n')
        first_line = False
    return "".join(out)


def _split_portions(value: str) -> list[str]:
    """``value`` cut after each newline (GNU splits at '\\n' only)."""
    if "\n" not in value:
        return [value]
    parts = value.split("\n")
    portions = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        portions.append(parts[-1])
    return portions


def _dump_entry(out: list[str], entry: polib.POEntry, *, is_header: bool = False) -> int:
    """Append the entry's lines; return the index in ``out`` of its first keyword
    line (-1 when GNU drops the entry: obsolete and untranslated)."""
    obsolete = bool(entry.obsolete)
    msgstr = entry.msgstr or ""
    plural = entry.msgid_plural is not None and entry.msgid_plural != ""
    # GNU looks at the first plural form only.
    translated = bool(msgstr) if not plural else bool(entry.msgstr_plural.get(0))
    if obsolete and not translated:
        return -1
    if out:
        out.append("\n")
    if entry.tcomment:
        for line in entry.tcomment.split("\n"):
            out.append(f"# {line}\n" if line else "#\n")
    if entry.comment:
        for line in entry.comment.split("\n"):
            out.append(f"#. {line}\n" if line else "#.\n")
    if entry.occurrences:
        refs = ["#:"]
        column = 2
        # GNU keeps each file position once.
        positions = [(str(f), str(n or "")) for f, n in entry.occurrences]
        for file, line_number in dict.fromkeys(positions) if len(positions) > 1 else positions:
            ref = f"{file}:{line_number}" if line_number else file
            if column > 2 and column + len(ref) + 1 > PAGE_WIDTH:
                refs.append("\n#:")
                column = 2
            refs.append(" " + ref)
            column += len(ref) + 1
        out.append("".join(refs) + "\n")
    flags = [f for f in entry.flags if f != "fuzzy"]
    fuzzy = "fuzzy" in entry.flags and (translated or obsolete or is_header)
    if fuzzy or flags:
        out.append("#, " + ", ".join((["fuzzy"] if fuzzy else []) + flags) + "\n")
    wrap = "no-wrap" not in entry.flags
    previous = "#~| " if obsolete else "#| "
    if entry.previous_msgctxt is not None:
        _wrap(out, previous, "msgctxt", entry.previous_msgctxt, wrap=wrap)
    if entry.previous_msgid is not None:
        _wrap(out, previous, "msgid", entry.previous_msgid, wrap=wrap)
    if entry.previous_msgid_plural is not None:
        _wrap(out, previous, "msgid_plural", entry.previous_msgid_plural, wrap=wrap)
    prefix = "#~ " if obsolete else ""
    key_piece = len(out)
    if entry.msgctxt is not None:
        _wrap(out, prefix, "msgctxt", entry.msgctxt, wrap=wrap)
    _wrap(out, prefix, "msgid", entry.msgid, wrap=wrap)
    if plural:
        _wrap(out, prefix, "msgid_plural", entry.msgid_plural, wrap=wrap)
        for index in sorted(entry.msgstr_plural):
            _wrap(out, prefix, f"msgstr[{index}]", entry.msgstr_plural[index], wrap=wrap)
    else:
        _wrap(out, prefix, "msgstr", msgstr, wrap=wrap)
    return key_piece


def reviewed_text(po: bytes) -> bytes:
    """The reviewed translations of a PO file's bytes: the msgid/msgstr lines of
    entries that are neither fuzzy, empty, obsolete nor the header, without
    comments. A byte scan, not a parse: it fingerprints what a translation memory
    would take from a thousand catalogs in milliseconds."""
    if b"\r" in po:
        po = po.replace(b"\r\n", b"\n")
    blocks = po.split(b"\n\n")
    if b"\r" in po or any(block.count(b"\nmsgid ") + block.startswith(b"msgid ") > 1 for block in blocks):
        # Not laid out as msgcat writes (entries not one to a blank-line block, or
        # bare CRs): the whole file, so that no change can go unseen.
        return po
    if blocks and _is_header(blocks[0]):
        blocks = blocks[1:]
    kept = []
    for block in blocks:
        if block.startswith(b"#~") or block.rstrip().endswith(b'msgstr ""'):
            continue
        lines = block.split(b"\n")
        # Flags are rare: their lines are looked for only in a block that has one.
        if b"#," in block and any(line.startswith(b"#,") and b"fuzzy" in line for line in lines):
            continue
        kept.append(b"\n".join([line for line in lines if line and not line.startswith(b"#")]))
    return b"\n\n".join(kept)


def key_lines(po: bytes) -> list[bytes] | None:
    """The msgctxt, msgid and msgid_plural lines (continuations included) of each
    active entry of a PO file's bytes but the header, in order. A byte scan, not a
    parse: two files laid out as msgcat writes them (one entry to a blank-line
    block) have the same keys in the same order when these are equal. None when
    the file is not so laid out (see :func:`reviewed_text`)."""
    if b"\r" in po:
        return None
    keys = []
    for block in po.split(b"\n\n"):
        if block.count(b"\nmsgid ") + block.startswith(b"msgid ") > 1:
            return None
        key: list[bytes] = []
        for line in block.split(b"\n"):
            if line.startswith((b"msgctxt ", b"msgid ", b"msgid_plural ")) or (key and line.startswith(b'"')):
                key.append(line)
            elif key:
                break  # msgstr: the key is complete
        if key and key != [b'msgid ""']:  # an obsolete entry's lines start with "#~"
            keys.append(b"\n".join(key))
    return keys


def _is_header(block: bytes) -> bool:
    """Whether a blank-line block of a PO file is its header entry: an empty msgid
    (one line, the next one the msgstr) with no msgctxt."""
    lines = [line for line in block.split(b"\n") if line and not line.startswith(b"#")]
    return len(lines) >= 2 and lines[0] == b'msgid ""' and lines[1].startswith(b"msgstr ")


def header_msgstr(metadata: dict[str, str]) -> str:
    """The header entry's msgstr for ``metadata`` (one ``Key: value`` line each)."""
    return "".join(f"{key}: {value}\n" for key, value in metadata.items())


def dump_po(po: polib.POFile) -> str:
    """Serialise ``po`` exactly as GNU ``msgcat`` would write it."""
    return "".join(_pieces(po)[0])


def _dump(po: polib.POFile) -> tuple[str, list[tuple[polib.POEntry, int]]]:
    """The text, and each written entry with the line its msgctxt/msgid is on."""
    out, marks = _pieces(po)
    lines: list[tuple[polib.POEntry, int]] = []
    line, counted = 1, 0
    for entry, piece in marks:
        # One join and one count per entry: a count per piece cost as much as
        # writing the entry.
        line += "".join(out[counted:piece]).count("\n")
        counted = piece
        lines.append((entry, line))
    return "".join(out), lines


def _pieces(po: polib.POFile) -> tuple[list[str], list[tuple[polib.POEntry, int]]]:
    """The text in pieces, and each written entry with the index of the piece
    its msgctxt/msgid starts."""
    out: list[str] = []
    if po.metadata or po.header:
        header = polib.POEntry(msgid="", msgstr=header_msgstr(po.metadata))
        header.tcomment = po.header or ""
        if po.metadata_is_fuzzy:
            header.flags = ["fuzzy"]
        _dump_entry(out, header, is_header=True)
    marks: list[tuple[polib.POEntry, int]] = []
    for entry in po:
        if not entry.obsolete:
            marks.append((entry, _dump_entry(out, entry)))
    for entry in po:
        if entry.obsolete:
            piece = _dump_entry(out, entry)
            if piece >= 0:
                marks.append((entry, piece))
    return out, marks


def dump_and_remember(po: polib.POFile, path: str, cache: ParseCache | None = None) -> str:
    """:func:`dump_po`, and remember for :func:`parse_po` that this text (read as
    ``path``) parses into ``po`` as written: the next stage to read the file
    finds it parsed already."""
    text, lines = _dump(po)
    keys = [(bool(e.obsolete), e.msgctxt, e.msgid) for e, _line in lines]
    if len(set(keys)) == len(keys) and all(e.msgid for e, _line in lines):  # else let the parser report it
        (cache if cache is not None else PARSED).remember((text, path), _as_parsed(po, lines))
    return text


def _reference(ref: str) -> tuple[str, str]:
    """A ``#:`` reference as (file, line); line "" when it has none."""
    file, colon, line = ref.rpartition(":")
    return (file, line) if colon and line.isdigit() else (ref, "")


def _as_parsed(po: polib.POFile, lines: Sequence[tuple[polib.POEntry, int]]) -> polib.POFile:
    """What parsing the dump of ``po`` gives: the written entries in file order,
    with their line numbers and as GNU writes them (no fuzzy flag on an empty
    translation, each reference once)."""
    copy = polib.POFile()
    copy.__dict__.update({k: v for k, v in po.__dict__.items()})
    copy.metadata = dict(po.metadata)
    copy.header = po.header or ""
    del copy[:]
    for entry, line in lines:
        clone = polib.POEntry.__new__(type(entry))
        state = dict(entry.__dict__)
        plural = entry.msgid_plural is not None and entry.msgid_plural != ""
        translated = bool(entry.msgstr) if not plural else bool(entry.msgstr_plural.get(0))
        # Flags and references as the parser reads back the lines _dump_entry writes.
        flags = [f for f in entry.flags if f != "fuzzy"]
        written = (["fuzzy"] if "fuzzy" in entry.flags and (translated or entry.obsolete) else []) + flags
        state["flags"] = [flag.strip() for flag in ", ".join(written).split(",") if flag.strip()]
        refs = " ".join(
            f"{file}:{number}" if number else file
            for file, number in dict.fromkeys((str(f), str(n or "")) for f, n in entry.occurrences)
        ).split()
        state["occurrences"] = [_reference(ref) for ref in refs]
        state["msgstr_plural"] = dict(entry.msgstr_plural)
        state["comment"] = entry.comment or ""
        state["tcomment"] = entry.tcomment or ""
        state["msgid_plural"] = entry.msgid_plural or ""
        state["obsolete"] = bool(entry.obsolete)
        state["linenum"] = line
        clone.__dict__.update(state)
        copy.append(clone)
    return copy


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


class ParseCache:
    """Parses of PO texts by (text, path), the least recently used going first,
    bounded by characters of text, not by count: a parse takes about seven times
    its text, and a count would let a site of large pages take gigabytes."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._parsed: LRUCache[tuple[str, str], tuple[int, polib.POFile]] = LRUCache(
            maxsize=budget, getsizeof=lambda item: item[0]
        )

    def __contains__(self, key: tuple[str, str]) -> bool:
        return key in self._parsed

    def __len__(self) -> int:
        return len(self._parsed)

    @property
    def chars(self) -> int:
        """Characters of the texts whose parses are kept."""
        return int(self._parsed.currsize)

    def get(self, key: tuple[str, str]) -> polib.POFile | None:
        known = self._parsed.get(key)  # and now the most recently used
        return known[1] if known is not None else None

    def remember(self, key: tuple[str, str], po: polib.POFile) -> None:
        if len(key[0]) <= self.budget:  # a larger one would empty the cache and still not fit
            self._parsed[key] = (len(key[0]), po)


#: The parses every stage of a run shares: about 240 catalogs of 25 kB.
PARSED = ParseCache(6_000_000)


def parse_po(
    text: str, path: str, *, shared: bool = False, remember: bool = True, cache: ParseCache = PARSED
) -> polib.POFile:
    """Parse PO text (already decoded, see :func:`pipeline.store.fs.read_text`).

    Raises InputError with ``path`` and the line of the first problem. Each call
    returns a new POFile the caller may change; ``shared`` True returns the
    remembered parse itself, for a caller that only reads it (no copy made);
    ``remember`` False parses a text not seen before without keeping it (a file
    read once must not push out those that will be read again).
    """
    if not remember and (text, path) not in cache:
        return _Parser(path).parse(text)
    # Every stage of a run reads the same catalogs again; parsing costs about
    # forty times what copying does, so the parse is remembered by content.
    key = (text, path)
    parsed = cache.get(key)
    if parsed is None:
        parsed = _Parser(path).parse(text)
        cache.remember(key, parsed)
    return parsed if shared else _clone(parsed)


def _clone(po: polib.POFile) -> polib.POFile:
    """A copy of ``po`` whose entries can be changed without touching ``po``."""
    copy = polib.POFile()
    copy.__dict__.update({k: v for k, v in po.__dict__.items()})
    copy.metadata = dict(po.metadata)
    del copy[:]
    for entry in po:
        clone = polib.POEntry.__new__(type(entry))
        state = dict(entry.__dict__)
        state["flags"] = list(entry.flags)
        state["occurrences"] = list(entry.occurrences)
        state["msgstr_plural"] = dict(entry.msgstr_plural)
        clone.__dict__.update(state)
        copy.append(clone)
    return copy
