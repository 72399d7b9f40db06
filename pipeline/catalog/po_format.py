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
from pipeline.catalog.po_parser import Key, _Parser, _reference

#: GNU's default page width: a wrapped line is at most this many columns.
PAGE_WIDTH = 79


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
