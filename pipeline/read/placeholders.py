"""The text translators edit, without the link destinations and edge comments.

A segment's inline links and images, ``[text](https://x "Title")``, reach the
``msgid`` in reference style, ``[text][1]``: the translator edits the link text
and moves the link, and never sees, nor can break, its destination. The label is
a number; the same destination written the same way twice gets the same number,
as a Markdown reference definition would. An HTML comment right after a link
(the Rust book's ``[text][ref]<!-- ignore -->``) goes with it, under one label.
Other HTML comments at the very start or end of a segment are cut off and put
back where they stood; one inside running text stays (the ``markup`` check and
the build guard it). Autolinks and bare URLs stay: they are the text the reader sees.

Nothing is stored to go back: :func:`to_source_form` asks the source text for
what each label stands for again, so a ``msgstr`` in this form is turned back into
the source form byte for byte when it keeps every label as often as the source
has it, in any order. Labels are numbered past every number the segment already
uses as a reference label, so an existing ``[text][2]`` is never taken for one.

A shortcut or collapsed reference link, ``[Configuration]`` or
``[Configuration][]`` with ``[Configuration]: ../config.md`` defined in the
document, has its label for its text: translating the text would break it. It
reaches the ``msgid`` numbered like an inline link, ``[Configuration][1]``, the
``#.`` comment showing ``[1]: [Configuration]``; the build writes it back as it
was when the text is unchanged, and as a full reference,
``[Konfigurace][Configuration]``, when it is translated. Which brackets are such
links the document's definitions say (``references``); a merge, which sees PO
entries and no document, learns them from the notes (:func:`labels_in_notes`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Container, Iterable, Mapping

from markdown_it.common.utils import normalizeReference

from pipeline.read.inline import Region, destination, destination_end, regions

#: A reference to a numbered label, ``[3]`` right after a ``]`` (a lookbehind: in
#: ``[r][1][2]`` both ``[1]`` and ``[2]`` are labels).
_LABEL_REFERENCE = re.compile(r"(?<=\])\[(\d+)\]")
#: The end of a link text, with the label of a full or collapsed reference link,
#: right before a comment.
_LINK_END = re.compile(r"(?<!\\)\]((?:\[(?:[^\[\]\\]|\\.)*\])?)\Z")
_SPACE = " \t\n"
#: A shortcut ``[label]`` or collapsed ``[label][]`` reference: not the text of
#: an inline or full reference link, not its label, not an image, not a footnote.
_WHOLE_REFERENCE = re.compile(r"(?<![\]!\\])\[(?!\^)((?:[^\[\]\\]|\\.)*?\S(?:[^\[\]\\]|\\.)*)\](\[\])?(?![\[(])")


class _EveryLabel:
    """A set of reference labels that holds every label."""

    def __contains__(self, label: object) -> bool:
        return True


#: For a link already known to be a shortcut or collapsed reference.
_EVERY_LABEL: Container[str] = _EveryLabel()


@dataclass(frozen=True, slots=True)
class MsgidForm:
    """A segment's text as translators see it, and what was taken out of it.

    ``tails[n - first]`` is what label ``n`` stands for: what followed the link
    text's ``]`` in the source (``(https://x "Title")``, possibly with a comment
    after it, or a reference's ``[ref]<!-- ignore -->``); ``prefix`` and
    ``suffix`` are the comments (with the spaces next to them) cut from the
    start and the end."""

    msgid: str
    tails: tuple[str, ...] = ()
    first: int = 1
    prefix: str = ""
    suffix: str = ""
    #: Offsets in ``tails`` of shortcut and collapsed references: their tail is
    #: the whole link as written, ``[Configuration]`` or ``[Configuration][]``.
    whole: frozenset[int] = frozenset()

    @property
    def changed(self) -> bool:
        return bool(self.tails or self.prefix or self.suffix)

    def notes(self) -> tuple[str, ...]:
        """``#.`` lines that show the translator what the msgid left out: each
        label as a reference definition, and the comments around the text."""
        lines = [f"[{self.first + n}]: {_shown(tail)}" for n, tail in enumerate(self.tails)]
        if self.prefix.strip():
            lines.append(f"before the text: {' '.join(self.prefix.split())}")
        if self.suffix.strip():
            lines.append(f"after the text: {' '.join(self.suffix.split())}")
        return tuple(lines)


def _shown(tail: str) -> str:
    """A tail as a reference definition shows it: the destination without its
    parentheses, then what else the label stands for."""
    if tail.startswith("(") and (end := destination_end(tail, 1)) > 0:
        rest = tail[end:]
        tail = tail[1 : end - 1].strip(_SPACE) + (" " + rest if rest else "")
    return " ".join(tail.split())


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
        if _LINK_END.search(text, 0, region.start) or any(r.kind == "destination" and r.end == region.start for r in found):
            break  # a link's comment: it goes with the link
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


def _tails(
    text: str, found: list[Region], start: int, end: int, references: Container[str] = ()
) -> list[tuple[int, int, str]]:
    """The spans ``text[a:b]`` between ``start`` and ``end`` that labels stand
    for, each with what its label stands for: an inline link's destination with
    the comment right after it, a comment right after a reference link (or a
    bracket) with that reference, and, right after the ``]`` of a shortcut or
    collapsed reference whose label is one of ``references``, nothing or the
    ``[]`` (such a label stands for the whole link as written)."""
    spans: list[tuple[int, int]] = []
    for index, region in enumerate(found):
        if region.start < start or region.end > end:
            continue
        if region.kind == "destination":
            after = region.end
            following = found[index + 1] if index + 1 < len(found) else None
            if following is not None and following.start == after and _is_comment(text, following) and following.end <= end:
                after = following.end
            spans.append((region.start + 1, after))
        elif _is_comment(text, region) and not (spans and spans[-1][1] == region.end):
            link_end = _LINK_END.search(text, start, region.start)
            if link_end is not None:
                spans.append((link_end.start() + 1, region.end))
    labelled = [(a, b, text[a:b]) for a, b in spans]
    if "[" in text and references:
        labelled.extend(_whole_references(text, found, start, end, spans, references))
        labelled.sort()
    return labelled


def _whole_references(
    text: str, found: list[Region], start: int, end: int, spans: list[tuple[int, int]], references: Container[str]
) -> list[tuple[int, int, str]]:
    whole: list[tuple[int, int, str]] = []
    for match in _WHOLE_REFERENCE.finditer(text, start, end):
        close = match.start() + len(match.group(1)) + 1  # the text's "]"
        if any(r.start < match.end() and match.start() < r.end for r in found) or any(a - 1 == close for a, _ in spans):
            continue  # in code or a comment, or a reference whose comment goes with it already
        if normalizeReference(match.group(1)) not in references:
            continue  # bracketed text, not a link
        whole.append((close + 1, match.end(), match.group()))
    return whole


def whole_reference_labels(text: str, references: Container[str]) -> list[str]:
    """The labels, as written, of the shortcut and collapsed reference links of
    ``text`` whose label is one of ``references``."""
    if "[" not in text or not references:
        return []
    found = _whole_references(text, regions(text), 0, len(text), [], references)
    return [link[1:-3] if link.endswith("][]") else link[1:-1] for _, _, link in found]


def _first_free_label(text: str) -> int:
    used = [int(label) for label in _LABEL_REFERENCE.findall(text)]
    return max(used, default=0) + 1


def to_msgid_form(text: str, references: Container[str] = ()) -> MsgidForm:
    """``text`` (a segment's source form) as its ``msgid``. ``references``: the
    document's reference labels (normalised, as
    :func:`pipeline.read.inline.link_references` keys them)."""
    if "](" not in text and "<!--" not in text and not ("[" in text and references):
        return MsgidForm(text)
    found = regions(text)
    start, end = _edges(text, found) if "<!--" in text else (0, len(text))
    first = _first_free_label(text)
    numbers: dict[str, int] = {}
    whole: set[int] = set()
    pieces: list[str] = []
    position = start
    for a, b, stands_for in _tails(text, found, start, end, references):
        number = numbers.setdefault(stands_for, first + len(numbers))
        if stands_for != text[a:b]:
            whole.add(number - first)
        pieces.append(text[position:a] + f"[{number}]")
        position = b
    pieces.append(text[position:end])
    return MsgidForm("".join(pieces), tuple(numbers), first, text[:start], text[end:], frozenset(whole))


#: A ``#.`` note of a shortcut or collapsed reference, ``[1]: [Configuration]``.
_WHOLE_NOTE = re.compile(r"^\[\d+\]: \[((?:[^\[\]\\]|\\.)+)\](?:\[\])?$", re.MULTILINE)


def labels_in_notes(comments: Iterable[str]) -> frozenset[str]:
    """The reference labels (normalised) whose shortcut or collapsed links the
    extracted ``comments`` of a catalog's entries (:meth:`MsgidForm.notes`) show:
    what a merge, which sees no article, knows of the article's definitions."""
    return frozenset(normalizeReference(label) for comment in comments for label in _WHOLE_NOTE.findall(comment))


def key_in_msgid_form(msgctxt: str | None, msgid: str, references: Container[str] = ()) -> tuple[str | None, str]:
    """A PO key (msgctxt, msgid) with both in the msgid form: a repeated text's
    msgctxt is the text of its section's heading, which may hold a link too."""
    if msgctxt is not None and ("](" in msgctxt or "<!--" in msgctxt or "[" in msgctxt and references):
        msgctxt = to_msgid_form(msgctxt, references).msgid
    if "](" in msgid or "<!--" in msgid or "[" in msgid and references:
        msgid = to_msgid_form(msgid, references).msgid
    return msgctxt, msgid


def to_source_form(translation: str, source: str, references: Container[str] = ()) -> tuple[str, str]:
    """A ``msgstr`` of :func:`to_msgid_form`'s ``msgid`` for ``source`` with the
    destinations and comments put back: (text, "") or ("", why it cannot be)."""
    form = to_msgid_form(source, references)
    if not form.changed:
        return translation, ""
    labels = {str(form.first + n): tail for n, tail in enumerate(form.tails)}
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
        tail = labels[label]
        if int(label) - form.first in form.whole:
            tail = _whole_tail(tail, _link_text(translation, match.start() - 1))
        pieces.append(translation[position : match.start()] + tail)
        position = match.end()
    pieces.append(translation[position:])
    if got != expected and "](" in translation:
        # A localized copy of a label's link, written inline, stands for the
        # label: the article shows it as the translator wrote it.
        notes = {label: _shown(tail) for label, tail in labels.items() if tail.startswith("(")}
        got = Counter(label for label, _ in _label_uses(with_source_targets(translation, form.msgid, notes), labels))
    if got != expected:
        detail = counted_difference(
            expected, got, show=lambda label: f"[{label}]", order=int, extra_word="one too many"
        )
        return "", f"link labels differ from the source: {detail}"
    return form.prefix + "".join(pieces) + form.suffix, ""


def _link_text(text: str, close: int) -> str | None:
    """The link text that ends at the ``]`` at ``close``, or None when no
    ``[`` opens it."""
    depth = 0
    for i in range(close - 1, -1, -1):
        if text[i] not in "[]" or (i and text[i - 1] == "\\"):
            continue
        if text[i] == "]":
            depth += 1
        elif depth:
            depth -= 1
        else:
            return text[i + 1 : close]
    return None


def _whole_tail(link: str, text: str | None) -> str:
    """What follows the text's ``]`` of a shortcut or collapsed reference
    ``link`` whose text is now ``text``: as in the source when the text is the
    label still, else the label, making it a full reference."""
    label = whole_reference_labels(link, _EVERY_LABEL)[0]
    if text == label:
        return link[len(label) + 2 :]
    return f"[{label}]"


def translation_to_msgid_form(translation: str, source: str, references: Container[str] = ()) -> str | None:
    """A translation written in the source form (before links left the msgid) in
    the msgid form of ``source``: its links numbered as the source's, its edge
    comments cut as the source's. None when they differ from the source's (then
    it cannot be converted safely; the caller keeps it as it is)."""
    form = to_msgid_form(source, references)
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
    if _first_free_label(text) > form.first:
        return None  # a label the translation already uses would be read as one of ours
    numbers = {tail: form.first + n for n, tail in enumerate(form.tails)}
    source_found = regions(source)
    start, end = _edges(source, source_found) if "<!--" in source else (0, len(source))
    source_tails = _tails(source, source_found, start, end, references)
    pieces: list[str] = []
    got: Counter[str] = Counter()
    position = 0
    for index, (a, b, tail) in enumerate(_tails(text, regions(text), 0, len(text), references)):
        if tail not in numbers:
            # A localized copy of the source's link at the same place stays as the
            # translator wrote it: no label can say where the copy is.
            if index >= len(source_tails) or not _copies_tail(text, a, tail, source, *source_tails[index]):
                return None
            got[source_tails[index][2]] += 1
            continue
        got[tail] += 1
        pieces.append(text[position:a] + f"[{numbers[tail]}]")
        position = b
    pieces.append(text[position:])
    if got != Counter(tail for _, _, tail in source_tails):
        return None
    return "".join(pieces)


def _copies_tail(text: str, a: int, tail: str, source: str, source_a: int, _: int, source_tail: str) -> bool:
    """Whether the link or image whose tail starts at ``text[a]`` leads to a
    localized copy of where the source's at ``source[source_a]`` leads, with
    the same comment after it."""
    end, source_end = destination_end(tail, 1), destination_end(source_tail, 1)
    if not tail.startswith("(") or not source_tail.startswith("(") or end < 0 or source_end < 0:
        return False
    return (
        tail[end:] == source_tail[source_end:]
        and _is_image(text, a - 1) == _is_image(source, source_a - 1)
        and is_localized_copy(destination("]" + source_tail[:source_end]), destination("]" + tail[:end]))
    )


def counted_difference(
    expected: Counter[str],
    got: Counter[str],
    *,
    show: Callable[[str], str] = repr,
    order: Callable[[str], Any] = str,
    extra_word: str = "unexpected",
) -> str:
    """What ``got`` lacks and has too many of, against ``expected``, in words
    ("missing 'a'; unexpected 'b'"), for a finding or a build's reason."""
    lost = sorted((expected - got).elements(), key=order)
    added = sorted((got - expected).elements(), key=order)
    parts = (
        f"missing {', '.join(map(show, lost))}" if lost else "",
        f"{extra_word} {', '.join(map(show, added))}" if added else "",
    )
    return "; ".join(part for part in parts if part)


#: A URI scheme (``https:``, ``mailto:``, ``data:``) or a protocol-relative ``//``.
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|//")


def _site_file(target: str) -> tuple[str, str, str] | None:
    """The path, the file name stem (up to the name's first dot) and the final
    extension of a link target that is a file on the site; None for a web
    address, a fragment alone, a folder or a hidden file."""
    if not target or target.startswith("#") or _SCHEME.match(target):
        return None
    path = re.split(r"[?#]", target, maxsplit=1)[0]
    name = path.rsplit("/", 1)[-1]
    stem, dot, _ = name.partition(".")
    if not stem:
        return None
    return path, stem, name.rsplit(".", 1)[1] if dot else ""


def is_localized_copy(source_target: str, target: str) -> bool:
    """Whether ``target`` leads to a localized copy of the file ``source_target``
    leads to: both paths on the site, to another file of the same name stem and
    final extension (``images/x.png`` -> ``../../translated_images/x.<hash>.cs.png``,
    ``img/cs/x.png``, ``guide.md`` -> ``guide.cs.md``). Translation tools and
    i18n sites move and rename the copy, so its folders and inner suffixes say
    nothing; a file of the same name in another folder (``../index.md`` for
    ``index.md``) passes too, which no rule on names alone can tell apart. A web
    address must stay as it is, and the same path with another fragment is
    another place, not a copy."""
    source_file, file = _site_file(source_target), _site_file(target)
    if source_file is None or file is None or source_file[0] == file[0]:
        return False
    return source_file[1:] == file[1:]


def _is_image(text: str, close: int) -> bool:
    """Whether the link text that ends at the ``]`` at ``close`` is an image's."""
    inner = _link_text(text, close)
    opener = close - len(inner) - 1 if inner is not None else -1
    return opener > 0 and text[opener - 1] == "!" and (opener < 2 or text[opener - 2] != "\\")


#: A ``#.`` note of a label that stands for an inline link, ``[1]: images/x.png "Title"``.
_TARGET_NOTE = re.compile(r"^\[(\d+)\]: (?!\[)(.+)$", re.MULTILINE)


def targets_in_notes(comment: str) -> dict[str, str]:
    """What each numbered label of an inline link stands for, as an entry's
    extracted ``comment`` shows it (:meth:`MsgidForm.notes`), for a check that
    sees no article."""
    return dict(_TARGET_NOTE.findall(comment))


def _note_target(note: str) -> tuple[str, str]:
    """The destination of a label's note and the comment that goes with the
    link (spaces collapsed; "" for none)."""
    target = note[1 : note.find(">")] if note.startswith("<") and ">" in note else note.split(" ", 1)[0]
    comment = note.find("<!--")
    return target, " ".join(note[comment:].split()) if comment >= 0 else ""


#: Roughly where an inline destination starts: texts whose such words are the
#: same lead to the same places (or the translation is left as it is).
_DESTINATION_START = re.compile(r"\]\(\s*<?([^)\s>]*)")


def _label_uses(text: str, labels: Container[str]) -> list[tuple[str, bool]]:
    """The numbered labels of ``labels`` that ``text`` refers to (not in code
    or a comment), each with whether an image refers to it."""
    hidden = [r for r in regions(text) if r.kind in ("code", "escape", "html", "autolink")]
    return [
        (match.group(1), _is_image(text, match.start() - 1))
        for match in _LABEL_REFERENCE.finditer(text)
        if match.group(1) in labels and not any(r.start <= match.start() < r.end for r in hidden)
    ]


def with_source_targets(translation: str, source: str, labels: Mapping[str, str] | None = None) -> str:
    """``translation`` with each of its localized copies (:func:`is_localized_copy`)
    written as the source writes the link or image it copies: an inline link
    the source does not have, in place of one of the same kind (link or image)
    that the translation lacks, gets the source's destination, or, for a
    numbered label of ``labels`` (label -> what it stands for, as the ``#.``
    notes show it), the label, with the comment the label's link has. What the
    checks and the build compare; the article keeps the translator's path."""
    if "](" not in translation:
        return translation
    if not labels and Counter(_DESTINATION_START.findall(translation)) == Counter(_DESTINATION_START.findall(source)):
        return translation  # every link leads where the source's do (most do): no copy to find
    found = regions(translation)
    links = [
        (region, destination(translation[region.start : region.end]), _is_image(translation, region.start))
        for region in found
        if region.kind == "destination"
    ]
    comments = {r.start: r for r in found if _is_comment(translation, r)}
    have = Counter((target, image) for _, target, image in links)
    inline = Counter(
        (destination(source[r.start : r.end]), _is_image(source, r.start)) for r in regions(source) if r.kind == "destination"
    )
    # (the destination it leads to, what stands for it, image, the comment after it)
    lacking = [(target, "", image, "") for (target, image), n in (inline - have).items() for _ in range(n)]
    if labels:
        used = Counter(_label_uses(translation, labels))
        for (label, image), n in (Counter(_label_uses(source, labels)) - used).items():
            target, comment = _note_target(labels[label])
            lacking += [(target, f"[{label}]", image, comment)] * n
    extra = have - inline
    if not lacking or not extra:
        return translation
    pieces: list[str] = []
    position = 0
    for region, target, image in links:
        if extra[(target, image)] <= 0:
            continue
        after = comments.get(region.end)
        comment = " ".join(translation[after.start : after.end].split()) if after is not None else ""
        copied = next(
            (m for m in lacking if m[2] == image and m[3] in ("", comment) and is_localized_copy(m[0], target)), None
        )
        if copied is None:
            continue
        extra[(target, image)] -= 1
        lacking.remove(copied)
        link = translation[region.start : region.end]
        pieces.append(translation[position : region.start] + ("]" + copied[1] if copied[1] else link.replace(target, copied[0], 1)))
        # A label stands for its link's comment too.
        position = after.end if copied[3] and after is not None else region.end
    pieces.append(translation[position:])
    return "".join(pieces)
