"""Catalog files on disk: PO files and templates read (and parsed once), the
addenda files beside them, and what a template's header says of its source.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Iterable

import polib

from pipeline.catalog.entries import Addendum, keys_digest
from pipeline.catalog.po_format import parse_po
from pipeline.errors import InputError
from pipeline.store import fs
from pipeline.store.project import Project
from pipeline.version import __version__


def load_catalog(project: Project, path: Path, *, remember: bool = True) -> polib.POFile | None:
    """The parsed PO/POT at ``path``, None when there is none; InputError if unusable.
    ``remember`` False: a file read once, kept out of the parse cache."""
    return load_with_text(project, path, remember)[0]


def load_with_text(project: Project, path: Path, remember: bool = True) -> tuple[polib.POFile | None, str]:
    """The parsed catalog at ``path`` (None when there is none) and its text."""
    if not path.exists():
        return None, ""
    text = catalog_text(project, path)
    return parse_po(text, project.display(path), remember=remember), text


def catalog_text(project: Project, path: Path) -> str:
    """The text of the PO/POT file at ``path``. An empty PO file is an error, not
    a catalog to make again: a file cut short by a crash or a bad save would
    otherwise be replaced without a word, and its translations with it."""
    text = fs.read_text(path, allow_empty=True)
    # A template holds no one's work: an empty one is simply made again.
    if path.suffix == ".po" and not text.strip(" \t\r\n\ufeff"):
        raise InputError(
            "the catalog is empty",
            path=project.display(path),
            line=1,
            hint="restore it (e.g. from version control), or delete it and run 'l10n update' to start it again",
        )
    return text


_ADDENDUM_KEYS = ("after_msgid", "after_msgctxt", "kind", "text")


_ADDENDA_HINT = (
    "restore it from version control, or fix it: a JSON list of objects with string"
    " after_msgid, after_msgctxt, kind and text ([] for none)"
)


def load_addenda(project: Project, lang: str, slug: str) -> list[Addendum]:
    """The addenda of an article (empty when it has none); InputError naming the
    line when the file is not a usable addenda file (an empty file too: ``[]``
    says "none", an empty one was cut short)."""
    path = project.addenda_path(lang, slug)
    if not path.exists():
        return []
    shown = project.display(path)
    text = fs.decode_text(fs.read_bytes(path), shown, allow_empty=True).removeprefix("\ufeff")
    if not text.strip():
        raise InputError("the addenda file is empty", path=shown, line=1, hint=_ADDENDA_HINT)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", path=shown, line=exc.lineno, hint=_ADDENDA_HINT) from None
    if not isinstance(data, list):
        line = text.count("\n", 0, len(text) - len(text.lstrip())) + 1
        raise InputError("expected a JSON list of addenda", path=shown, line=line, hint=_ADDENDA_HINT)
    for number, item in enumerate(data, 1):
        problem = "is not an object" if not isinstance(item, dict) else next(
            (f"{key!r} is missing or not a string" for key in _ADDENDUM_KEYS if not isinstance(item.get(key), str)), ""
        )
        if problem:
            line = _item_line(text, number - 1)
            raise InputError(f"addendum {number}: {problem}", path=shown, line=line, hint=_ADDENDA_HINT)
    return [Addendum(**{k: item[k] for k in _ADDENDUM_KEYS}) for item in data]


def _item_line(text: str, index: int) -> int:
    """The line on which item ``index`` of the JSON list ``text`` (valid) starts."""

    def blanks(position: int) -> int:
        while position < len(text) and text[position] in " \t\n\r":
            position += 1
        return position

    decoder = json.JSONDecoder()
    position = blanks(text.index("[") + 1)
    for _ in range(index):
        position = blanks(blanks(decoder.raw_decode(text, position)[1]) + 1)  # past the item and its comma
    return text.count("\n", 0, position) + 1


def reviewed_fingerprint(reviewed: bytes) -> bytes:
    """A catalog's fingerprint for the memory store, taken of its
    :func:`~pipeline.catalog.po_format.reviewed_text`: the confirmed translations depend on
    nothing else, so adding fuzzy suggestions keeps it."""
    return hashlib.blake2b(reviewed, digest_size=32).digest()


#: Template header fields that let ``check`` know the keys a source article has
#: without parsing it: the source's fingerprint, and that of its keys.
SOURCE_DIGEST = "X-Source-Digest"


KEYS_DIGEST = "X-Keys-Digest"


_HEADER_FIELD = re.compile(r'^"(X-Source-Digest|X-Keys-Digest): ([0-9a-f]+)\\n"$', re.MULTILINE)


def source_digest(project: Project, slug: str) -> str:
    """A fingerprint of what decides an article's keys: its file, the settings and
    the version of this program (a new one may cut articles differently)."""
    digest = hashlib.sha256(fs.read_bytes(project.article_path(project.config.source_lang, slug)))
    digest.update(repr((project.config.source_lang, project.config.text_keys, project.config.link_placeholders, __version__)).encode())
    return digest.hexdigest()[:32]


def template_says_keys(project: Project, slug: str, keys: Iterable[tuple[str, str]]) -> bool:
    """Whether the template, made from the source as it is now, has exactly ``keys``
    (a check's shortcut: a header read and two hashes instead of a Markdown parse)."""
    path = project.template_path(slug)
    try:
        head = _template_header(path)
    except InputError:  # missing or unreadable: no shortcut, the source is parsed
        return False
    fields = dict(_HEADER_FIELD.findall(head))
    return fields.get(SOURCE_DIGEST) == source_digest(project, slug) and fields.get(KEYS_DIGEST) == keys_digest(keys)


#: Bytes read for a template's header: the header the pipeline writes is under 1 kB.
_HEAD_BYTES = 4096


def _template_header(path: Path) -> str:
    """The text of a template before its first blank line, decoded as strictly as
    the whole file would be; only the first bytes are read when the header is
    there (the body, most of the file, says nothing of the digests)."""
    data = fs.read_head(path, _HEAD_BYTES)
    end = data.find(b"\n\n")
    if end < 0 and len(data) == _HEAD_BYTES:  # a longer header: read the whole file
        data = fs.read_bytes(path)
        end = data.find(b"\n\n")
    return fs.decode_text(data if end < 0 else data[:end], str(path), allow_empty=True)


def read_catalog(project: Project, path: Path) -> polib.POFile | None:
    """The parsed PO file for reading only (check, build, report never change it):
    the parse cache's own object, which nobody may change."""
    if not path.exists():
        return None
    return parse_po(catalog_text(project, path), project.display(path), shared=True)


def catalog_files(project: Project, lang: str) -> dict[str, Path]:
    """Every catalog of ``lang`` by slug: ``LC_MESSAGES/*.po`` only, so that a copy
    in a subfolder (a backup) is never taken for the real file."""
    folder = project.locales_dir / lang / "LC_MESSAGES"
    return {path.stem: path for path in fs.list_files(folder, (".po",), recursive=False)}
