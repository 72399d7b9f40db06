"""The translation memory's store on disk: same answers as a memory in RAM, built
once per memory key, content-addressed catalogs, clear errors."""

from __future__ import annotations

import gc
import random
import sqlite3
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.mt.memory import MemoryUnit
from pipeline.store.memory_index import TranslationMemory
from pipeline.store.memory_store import MemoryStore, store_file

WORDS = "kubernetes cluster talk speaker conference day room network storage policy gateway mesh".split()


def _catalogs(seed: int, count: int) -> dict[str, list[tuple[str, str]]]:
    rng = random.Random(seed)
    catalogs = {}
    for number in range(count):
        pairs = []
        for _ in range(rng.randint(0, 12)):
            source = " ".join(rng.choices(WORDS, k=rng.randint(3, 9))).capitalize() + "."
            pairs.append((source, source.upper() if rng.random() < 0.7 else source[::-1]))
        catalogs[f"article-{number:02d}"] = pairs
    return catalogs


def _fingerprint(pairs: list[tuple[str, str]]) -> bytes:
    return repr(pairs).encode()  # any function of the contents will do here


def _store_memory(
    folder: Path, catalogs: dict[str, list[tuple[str, str]]], asked: list[str], busy_seconds: float = 600.0
) -> TranslationMemory:
    def pairs_of(slug: str) -> list[tuple[str, str]]:
        asked.append(slug)
        return catalogs[slug]

    listing = [(slug, _fingerprint(pairs)) for slug, pairs in catalogs.items()]
    store = MemoryStore(folder, "cs", busy_seconds=busy_seconds)
    try:
        return store.memory("key-" + repr(sorted(listing)), listing, pairs_of)
    except BaseException:
        store.close()  # as memory_of does
        raise


def test_the_store_answers_as_a_memory_in_ram(tmp_path: Path) -> None:
    catalogs = _catalogs(1, 30)
    in_ram = TranslationMemory(MemoryUnit(s, t, slug) for slug in sorted(catalogs) for s, t in catalogs[slug])
    with _store_memory(tmp_path, catalogs, []) as stored:
        assert stored.units() == in_ram.units() and len(stored) == len(in_ram) > 50
        rng = random.Random(2)
        for _ in range(200):
            query = " ".join(rng.choices(WORDS, k=rng.randint(3, 9))).capitalize() + "."
            assert stored.lookup(query, 70) == in_ram.lookup(query, 70)
    in_ram.close()


def test_the_index_is_built_once_per_key_and_reading_it_changes_no_byte(tmp_path: Path) -> None:
    catalogs = _catalogs(3, 10)
    catalogs["article-09"] = list(catalogs["article-02"])  # the same contents as another
    asked: list[str] = []
    _store_memory(tmp_path, catalogs, asked).close()
    first_with: dict[bytes, str] = {}
    for slug, pairs in catalogs.items():
        first_with.setdefault(_fingerprint(pairs), slug)
    assert asked == list(first_with.values())  # each distinct content parsed once
    path = store_file(tmp_path, "cs")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    asked.clear()
    source, target = catalogs["article-02"][0]
    with _store_memory(tmp_path, catalogs, asked) as again:
        match = again.lookup(source)
        assert match is not None and match.exact and match.unit.target == target
    assert asked == [] and (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_a_changed_catalog_is_asked_for_alone_and_forgotten_contents_are_dropped(tmp_path: Path) -> None:
    catalogs = _catalogs(4, 10)
    _store_memory(tmp_path, catalogs, []).close()
    catalogs["article-03"] = [("A brand new sentence here.", "Zcela nová věta.")]
    asked: list[str] = []
    with _store_memory(tmp_path, catalogs, asked) as memory:
        match = memory.lookup("A brand new sentence here.")
        assert match is not None and match.unit.target == "Zcela nová věta." and match.unit.origin == "article-03"
    assert asked == ["article-03"]
    db = sqlite3.connect(store_file(tmp_path, "cs"))
    kept = {row[0] for row in db.execute("SELECT fingerprint FROM contents")}
    db.close()
    assert kept == {_fingerprint(pairs) for pairs in catalogs.values()}


def test_contents_remembered_beforehand_are_not_asked_for(tmp_path: Path) -> None:
    catalogs = _catalogs(5, 8)
    with MemoryStore(tmp_path, "cs") as store:
        store.remember([(_fingerprint(pairs), pairs) for pairs in catalogs.values()])
        store.remember([(_fingerprint(pairs), [("ignored", "ignorováno")]) for pairs in catalogs.values()])
    asked: list[str] = []
    with _store_memory(tmp_path, catalogs, asked) as memory:
        assert memory.lookup("ignored") is None
    assert asked == []


def test_a_catalog_that_cannot_be_read_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    catalogs = _catalogs(6, 5)
    _store_memory(tmp_path, catalogs, []).close()
    before = store_file(tmp_path, "cs").read_bytes()
    catalogs["article-00"] = [("Read first.", "Přečteno první.")]  # stored before the failure
    catalogs["article-01"] = [("Changed.", "Změněno.")]

    def broken(slug: str) -> list[tuple[str, str]]:
        if slug == "article-00":
            return catalogs[slug]
        raise InputError("bad PO file", path=f"{slug}.po", line=3)

    listing = [(slug, _fingerprint(pairs)) for slug, pairs in catalogs.items()]
    with pytest.raises(InputError, match="bad PO file"):
        MemoryStore(tmp_path, "cs").memory("other key", listing, broken)
    assert store_file(tmp_path, "cs").read_bytes() == before


def test_a_corrupt_store_is_an_input_error_naming_it(tmp_path: Path) -> None:
    store_file(tmp_path, "cs").write_bytes(b"this is not a database" * 100)
    with pytest.raises(InputError, match="unusable") as caught:
        _store_memory(tmp_path, _catalogs(7, 3), [])
    assert caught.value.path is not None and caught.value.path.endswith("memory-cs.sqlite3")
    assert "delete the file" in (caught.value.hint or "")


def test_a_store_locked_by_another_process_is_reported(tmp_path: Path) -> None:
    MemoryStore(tmp_path, "cs").close()
    holder = sqlite3.connect(store_file(tmp_path, "cs"), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(InputError, match="locked by another process"):
            _store_memory(tmp_path, _catalogs(8, 3), [], busy_seconds=0.1)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_an_open_memory_keeps_its_view_while_another_process_would_rebuild(tmp_path: Path) -> None:
    catalogs = _catalogs(9, 6)
    source, target = next(pairs[0] for pairs in catalogs.values() if pairs)
    with _store_memory(tmp_path, catalogs, []) as memory:
        changed = {slug: [(s, "JINAK") for s, _t in pairs] for slug, pairs in catalogs.items()}
        with pytest.raises(InputError, match="locked by another process"):
            _store_memory(tmp_path, changed, [], busy_seconds=0.1)  # must wait for the open memory
        match = memory.lookup(source)
        assert match is not None and match.unit.target == target
    gc.collect()  # the failed attempt's statements, held by its traceback, go
    with _store_memory(tmp_path, changed, []) as rebuilt:  # once it is closed
        match = rebuilt.lookup(source)
        assert match is not None and match.unit.target == "JINAK"


def test_a_store_broken_under_an_open_memory_is_an_input_error(tmp_path: Path) -> None:
    with _store_memory(tmp_path, _catalogs(10, 4), []) as memory:
        memory._db.execute("DROP TABLE tm_token")
        with pytest.raises(InputError, match="unusable") as caught:
            memory.lookup("Kubernetes cluster talk about the storage policy.")
        assert caught.value.path is not None and caught.value.path.endswith("memory-cs.sqlite3")


def test_a_second_reader_of_an_up_to_date_store_does_not_wait_for_the_first(tmp_path: Path) -> None:
    catalogs = _catalogs(11, 6)
    with _store_memory(tmp_path, catalogs, []) as first:
        with MemoryStore(tmp_path, "cs", busy_seconds=0.1) as store:  # waiting would fail
            listing = [(slug, _fingerprint(pairs)) for slug, pairs in catalogs.items()]
            second = store.memory("key-" + repr(sorted(listing)), listing, lambda slug: catalogs[slug])
            assert second.units() == first.units()
