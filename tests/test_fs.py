from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.store import fs


def test_decode_reports_line_of_bad_utf8() -> None:
    data = "line one\nline two\n".encode() + b"bad \xff byte\n"
    with pytest.raises(InputError) as caught:
        fs.decode_text(data, "x.txt")
    assert caught.value.path == "x.txt"
    assert caught.value.line == 3
    assert "UTF-8" in str(caught.value)


@pytest.mark.parametrize("data", [b"", b"  \n\n", b"\xef\xbb\xbf\n"])
def test_empty_files_are_refused(data: bytes) -> None:
    with pytest.raises(InputError, match="empty"):
        fs.decode_text(data, "e.md")


def test_binary_file_is_refused_with_line() -> None:
    with pytest.raises(InputError, match="binary") as caught:
        fs.decode_text(b"text\n\x89PNG\x00\x00", "img.md")
    assert caught.value.line == 2


def test_bom_is_kept_for_the_parser() -> None:
    assert fs.decode_text("\ufeffhello".encode(), "b.md") == "\ufeffhello"


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file") as caught:
        fs.read_text(tmp_path / "nope.md")
    assert caught.value.path is not None and caught.value.path.endswith("nope.md")


def test_write_is_atomic_and_skips_unchanged(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "out.txt"
    assert fs.write_text(target, "one") is True
    first = target.stat().st_mtime_ns
    os.utime(target, ns=(first - 10_000_000, first - 10_000_000))
    before = target.stat().st_mtime_ns
    assert fs.write_text(target, "one") is False
    assert target.stat().st_mtime_ns == before
    assert fs.write_text(target, "two") is True
    assert target.read_text() == "two"
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]


def test_failed_write_leaves_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    fs.write_text(target, "kept")

    class Boom(Exception):
        pass

    original = os.replace

    def failing_replace(src: str, dst: str) -> None:
        raise Boom()

    os.replace = failing_replace  # type: ignore[assignment]
    try:
        with pytest.raises(Boom):
            fs.write_text(target, "new")
    finally:
        os.replace = original
    assert target.read_text() == "kept"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_stale_temporaries_are_removed_and_fresh_ones_kept(tmp_path: Path) -> None:
    staged = fs.stage_text(tmp_path / "a.po", "x")
    assert staged is not None
    old = tmp_path / ".b.po.abcd_123.tmp"
    old.write_text("left by a killed run")
    os.utime(old, (0, 0))
    (tmp_path / ".hidden.tmp").write_text("not ours")
    os.utime(tmp_path / ".hidden.tmp", (0, 0))
    assert fs.remove_stale_temporaries(tmp_path) == 1
    assert not old.exists() and Path(staged.temp).exists() and (tmp_path / ".hidden.tmp").exists()


def test_a_batch_changes_files_only_when_committed(tmp_path: Path) -> None:
    kept, gone, new = tmp_path / "kept.txt", tmp_path / "gone.txt", tmp_path / "sub" / "new.txt"
    kept.write_text("old\n")
    gone.write_text("to remove\n")
    with pytest.raises(InputError):
        with fs.Batch() as batch:
            assert batch.write_text(kept, "new\n") and batch.write_text(new, "x\n")
            assert not batch.write_text(gone, "to remove\n")  # unchanged: nothing staged
            batch.remove(gone)
            raise InputError("a broken input further on")
    assert kept.read_text() == "old\n" and gone.exists() and not new.exists()
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["gone.txt", "kept.txt"]  # no temporaries
    with fs.Batch() as batch:
        batch.write_text(kept, "new\n")
        batch.remove(gone)
        batch.commit()
    assert kept.read_text() == "new\n" and not gone.exists()
