"""The text translators edit, without the link destinations and edge comments.

A segment's inline links and images, ``[text](https://x "Title")``, reach the
``msgid`` in reference style, ``[text][1]``: the translator edits the link text
and moves the link, and never sees, nor can break, its destination. The label is
a number; the same destination written the same way twice gets the same number,
as a Markdown reference definition would. HTML comments at the very start or end
of a segment (mdBook's ``<!-- ignore -->``) are cut off and put back where they
stood. Autolinks and bare URLs stay: they are the text the reader sees.

Nothing is stored to go back: :func:`to_source_form` asks the source text for the
destinations again, so a ``msgstr`` in this form is turned back into the source
form byte for byte when it keeps every label as often as the source has it, in
any order. Labels are numbered past every number the segment already uses as a
reference label, so an existing ``[text][2]`` of the source is never taken for one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.read.inline import Region, regions

#: A reference to a numbered label, ``][3]`` (the link text's ``]`` and the label).
_LABEL_REFERENCE = re.compile(r"\]\[(\d+)\]")
_SPACE = " \t\n"


@dataclass(frozen=True, slots=True)
class MsgidForm:
    """A segment's text as translators see it, and what was taken out of it.

    ``targets[n - first]`` is the destination (and title) of label ``n`` as
    written between ``](`` and ``)``; ``prefix`` and ``suffix`` are the comments
    (with the spaces next to them) cut from the start and the end."""

    msgid: str
    targets: tuple[str, ...] = ()
    first: int = 1
    prefix: str = ""
    suffix: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.targets or self.prefix or self.suffix)

    def notes(self) -> tuple[str, ...]:
        """``#.`` lines that show the translator what the msgid left out: each
        label as a reference definition, and the comments around the text."""
        lines = [f"[{self.first + n}]: {' '.join(target.split())}" for n, target in enumerate(self.targets)]
        if self.prefix.strip():
            lines.append(f"before the text: {' '.join(self.prefix.split())}")
        if self.suffix.strip():
            lines.append(f"after the text: {' '.join(self.suffix.split())}")
        return tuple(lines)


def _is_comment(text: str, region: Region) -> bool:
    return region.kind == "html" and text.startswith("<!--", region.start)


def _edges(text: str, found: list[Region]) -> tuple[int, int]:
    """Where the text between leading and trailing comments starts and ends."""
    start, end = 0, len(text)
    for region in found:
        if region.start != _skip(text, start) or not _is_comment(text, region):
            break
        start = _skip(text, region.end)
    for region in reversed(found):
        if region.end != len(text[:end].rstrip(_SPACE)) or not _is_comment(text, region) or region.start < start:
            break
        end = region.start
        while end > start and text[end - 1] in _SPACE:
            end -= 1
    if start >= end:  # nothing but comments: nothing to translate, leave it whole
        return 0, len(text)
    return start, end


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in _SPACE:
        i += 1
    return i


def _first_free_label(text: str) -> int:
    used = [int(label) for label in _LABEL_REFERENCE.findall(text)]
    return max(used, default=0) + 1


def to_msgid_form(text: str) -> MsgidForm:
    """``text`` (a segment's source form) as its ``msgid``."""
    if "](" not in text and "<!--" not in text:
        return MsgidForm(text)
    found = regions(text)
    start, end = _edges(text, found) if "<!--" in text else (0, len(text))
    first = _first_free_label(text)
    numbers: dict[str, int] = {}
    pieces: list[str] = []
    position = start
    for region in found:
        if region.kind != "destination" or region.start < start or region.end > end:
            continue
        target = text[region.start + 2 : region.end - 1]
        number = numbers.setdefault(target, first + len(numbers))
        pieces.append(text[position : region.start] + f"][{number}]")
        position = region.end
    pieces.append(text[position:end])
    return MsgidForm("".join(pieces), tuple(numbers), first, text[:start], text[end:])


def to_source_form(translation: str, source: str) -> tuple[str, str]:
    """A ``msgstr`` of :func:`to_msgid_form`'s ``msgid`` for ``source`` with the
    destinations and comments put back: (text, "") or ("", why it cannot be)."""
    form = to_msgid_form(source)
    if not form.changed:
        return translation, ""
    labels = {str(form.first + n): target for n, target in enumerate(form.targets)}
    expected = Counter(label for label in _LABEL_REFERENCE.findall(form.msgid) if label in labels)
    # A label inside a code span or a comment is text, not a link.
    hidden = [r for r in regions(translation) if r.kind in ("code", "escape", "html", "autolink")]
    pieces: list[str] = []
    got: Counter[str] = Counter()
    position = 0
    for match in _LABEL_REFERENCE.finditer(translation):
        label = match.group(1)
        if label not in labels or any(r.start <= match.start() < r.end for r in hidden):
            continue
        got[label] += 1
        pieces.append(translation[position : match.start()] + "](" + labels[label] + ")")
        position = match.end()
    pieces.append(translation[position:])
    if got != expected:
        lost = sorted((expected - got).elements(), key=int)
        added = sorted((got - expected).elements(), key=int)
        detail = "; ".join(
            part
            for part in (
                f"missing {', '.join(f'[{label}]' for label in lost)}" if lost else "",
                f"one too many {', '.join(f'[{label}]' for label in added)}" if added else "",
            )
            if part
        )
        return "", f"link labels differ from the source: {detail}"
    return form.prefix + "".join(pieces) + form.suffix, ""


def translation_to_msgid_form(translation: str, source: str) -> str | None:
    """A translation written in the source form (before links left the msgid) in
    the msgid form of ``source``: its destinations numbered as the source's, its
    edge comments cut as the source's. None when they differ from the source's
    (then it cannot be converted safely; the caller keeps it as it is)."""
    form = to_msgid_form(source)
    if not form.changed:
        return translation
    text = translation
    if form.prefix:
        if not text.startswith(form.prefix):
            return None
        text = text[len(form.prefix) :]
    if form.suffix:
        if not text.endswith(form.suffix):
            return None
        text = text[: len(text) - len(form.suffix)]
    numbers = {target: form.first + n for n, target in enumerate(form.targets)}
    source_targets = Counter(
        source[r.start + 2 : r.end - 1] for r in regions(source) if r.kind == "destination"
    )
    pieces: list[str] = []
    got: Counter[str] = Counter()
    position = 0
    for region in regions(text):
        if region.kind != "destination":
            continue
        target = text[region.start + 2 : region.end - 1]
        if target not in numbers:
            return None
        got[target] += 1
        pieces.append(text[position : region.start] + f"][{numbers[target]}]")
        position = region.end
    pieces.append(text[position:])
    if got != source_targets:
        return None
    converted = "".join(pieces)
    # A label the translation already used for something else would now be read as ours.
    if _first_free_label(text) > form.first:
        return None
    return converted
