"""What ``l10n check`` does to save CPU gives the answers of the slower way:
the template's header read alone (not the whole file), and the workers' results
sent back as plain tuples and made into the same results in the parent."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.align.langid import classifier_for
from pipeline.check.checks import CheckContext, Entry, check_untranslated
from pipeline.commands import catalogs as ops
from pipeline.commands import check as publish
from pipeline.config import Tuning
from pipeline.errors import InputError
from pipeline.model import Severity
from pipeline.store import catalogs as stored
from pipeline.store import fs
from pipeline.store.project import Project, load_config, selected_slugs

_FIELD = re.compile(r'^"(X-Source-Digest|X-Keys-Digest): ([0-9a-f]+)\\n"$', re.MULTILINE)


def _says_keys_by_full_read(project: Project, slug: str, keys: list[tuple[str, str]]) -> bool:
    """The answer as it was before: the whole template read and decoded, its
    header taken as the text before the first blank line."""
    try:
        head = fs.read_text(project.template_path(slug), allow_empty=True).split("\n\n", 1)[0]
    except InputError:
        return False
    fields = dict(_FIELD.findall(head))
    return fields.get(stored.SOURCE_DIGEST) == stored.source_digest(project, slug) and fields.get(
        stored.KEYS_DIGEST
    ) == stored.keys_digest(keys)


@pytest.fixture
def project(project_root: Path) -> Project:
    project = Project(project_root, load_config(project_root))
    ops.extract(project, None)
    ops.align_legacy(project, None, "cs", classify=classifier_for("en", "cs"))
    return project


def _template_keys(project: Project, slug: str) -> list[tuple[str, str]]:
    pot = stored.load_catalog(project, project.template_path(slug), remember=False)
    assert pot is not None
    return [(e.msgctxt or "", e.msgid) for e in pot]


def _both(project: Project, slug: str, keys: list[tuple[str, str]]) -> bool:
    fast = stored.template_says_keys(project, slug, keys)
    assert fast == _says_keys_by_full_read(project, slug, keys)
    return fast


def test_header_read_answers_as_the_full_read(project: Project) -> None:
    slugs = selected_slugs(project, None)
    assert len(slugs) >= 3
    for slug in slugs:
        keys = _template_keys(project, slug)
        assert _both(project, slug, keys)
        assert not _both(project, slug, keys[1:])  # one key fewer
        assert not _both(project, slug, keys + [("", "a key the source does not have")])
    slug = slugs[0]
    keys = _template_keys(project, slug)
    source = project.article_path("en", slug)
    source.write_bytes(source.read_bytes() + b"\nA new paragraph.\n")
    assert not _both(project, slug, keys)  # the source changed since the template


def test_header_read_with_a_broken_body(project: Project) -> None:
    slug = selected_slugs(project, None)[0]
    keys = _template_keys(project, slug)
    path = project.template_path(slug)
    header, body = path.read_bytes().split(b"\n\n", 1)
    # A body that is no PO at all: neither way reads it, both answer from the header.
    path.write_bytes(header + b'\n\nmsgid "unterminated\nmsgstr\n\x01 rubbish' + body[: len(body) // 2])
    assert _both(project, slug, keys)
    # A header cut short, the digests gone with it.
    path.write_bytes(header[: header.index(b'"X-Source-Digest')])
    assert not _both(project, slug, keys)
    # Bytes that are not UTF-8 (or a NUL) in the header: unreadable, no shortcut.
    for bad in (b"\xff", b"\x00"):
        path.write_bytes(header.replace(b"Language-Team", b"Language" + bad + b"Team", 1) + b"\n\n" + body)
        assert not _both(project, slug, keys)
    path.unlink()
    assert not _both(project, slug, keys)


def test_header_read_with_bad_bytes_in_the_body_reads_the_header(project: Project) -> None:
    """The one difference from the full read, by design: bytes in the body that
    would make the whole file unreadable do not stop the header's shortcut (the
    full read gave up and parsed the source, which has the header's keys)."""
    slug = selected_slugs(project, None)[0]
    keys = _template_keys(project, slug)
    path = project.template_path(slug)
    header, body = path.read_bytes().split(b"\n\n", 1)
    path.write_bytes(header + b"\n\n" + body + b"\xff\n")
    assert stored.template_says_keys(project, slug, keys)
    assert not _says_keys_by_full_read(project, slug, keys)
    assert publish._source_keys(project, slug) == frozenset(keys)  # the same keys either way


def test_a_header_longer_than_the_bytes_first_read(project: Project) -> None:
    slug = selected_slugs(project, None)[0]
    keys = _template_keys(project, slug)
    path = project.template_path(slug)
    header, body = path.read_bytes().split(b"\n\n", 1)
    long_comment = b"".join(b"# a translator's note, line %d, to make the header long\n" % i for i in range(200))
    assert len(long_comment) > stored._HEAD_BYTES
    path.write_bytes(long_comment + header + b"\n\n" + body)
    assert _both(project, slug, keys)
    # The digests past the first bytes, the file without a blank line at all.
    path.write_bytes(long_comment + header)
    assert _both(project, slug, keys)
    # A multi-byte character across the point where the first read stops.
    pad = b"#" * (stored._HEAD_BYTES - 1) + "\u010d".encode() + b"\n"
    path.write_bytes(pad + header + b"\n\n" + body)
    assert _both(project, slug, keys)


def test_read_head_reads_at_most_so_many_bytes(tmp_path: Path) -> None:
    path = tmp_path / "f.pot"
    path.write_bytes(b"abcdef")
    assert fs.read_head(path, 4) == b"abcd" and fs.read_head(path, 100) == b"abcdef"
    with pytest.raises(InputError, match="no such file"):
        fs.read_head(tmp_path / "missing.pot", 4)
    with pytest.raises(InputError, match="directory"):
        fs.read_head(tmp_path, 4)


def test_packed_results_come_back_equal(project: Project) -> None:
    results = publish.check_project(project, jobs=1)
    findings = [f for r in results for f in r.findings]
    assert len(findings) > 5 and Severity.ERROR in {f.severity for f in findings}
    assert any(f.msgid for f in findings) and any(not f.msgid for f in findings)
    assert [publish.unpack_result(publish.pack_result(r)) for r in results] == results


def test_parallel_check_equals_the_serial_one_with_findings(project: Project) -> None:
    serial = publish.check_project(project, jobs=1, tuning=Tuning(min_parallel=1))
    parallel = publish.check_project(project, jobs=2, tuning=Tuning(min_parallel=1))
    assert parallel == serial and sum(len(r.findings) for r in serial) > 5
    assert [[type(f.severity) for f in r.findings] for r in parallel] == [
        [Severity] * len(r.findings) for r in serial
    ]


def test_untranslated_tells_same_texts_apart_as_the_full_normalisation() -> None:
    """check_untranslated compares word counts before folding case: it must flag
    exactly the translations that equal their source with spaces collapsed and
    case folded (the comparison it replaced)."""
    def normalised(text: str) -> str:
        return " ".join(text.split()).casefold()

    words = st.sampled_from(["Straße", "STRASSE", "strasse", "İstanbul", "i̇stanbul", "ﬁle", "FILE", "Σίσυφος", "ΣΊΣΥΦΟΣ", "talk", "Talk"])
    spaces = st.sampled_from([" ", "  ", "\t", "\n", "\u00a0", "\u2003", ""])
    text = st.lists(st.tuples(words, spaces), min_size=3, max_size=6).map(lambda ws: "".join(w + s for w, s in ws))

    @settings(max_examples=400, deadline=None)
    @given(text, text)
    def same_as_full(msgid: str, msgstr: str) -> None:
        if not msgstr.strip():
            return
        entry = Entry(msgid, msgstr, "", False, False, 1, "paragraph", "paragraph", "")
        ctx = CheckContext(path="x.po", lang="cs", source_lang="en", entries=(entry,))
        flagged = [f for f in check_untranslated(entry, ctx) if f.message == "the translation is the source text"]
        wanted = normalised(msgstr) == normalised(msgid) and len(msgid.split()) > 2
        assert bool(flagged) == wanted, (msgid, msgstr)

    same_as_full()
