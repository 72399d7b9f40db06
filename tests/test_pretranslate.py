"""Pretranslation: filling empty entries from the translation memory and DeepL.

Everything runs under tmp_path; DeepL is the real client against the local fake
server of ``tests/fake_deepl.py``.
"""

from __future__ import annotations

import logging
import socket
from pathlib import Path

import polib
import pytest
from fake_deepl import FakeDeepL, fake, fast_client  # noqa: F401  (fixtures)

from pipeline.catalog.entries import make_metadata, new_catalog
from pipeline.catalog.po_format import dump_po, parse_po
from pipeline.commands import catalogs as catalog_ops
from pipeline.commands.pretranslate import pretranslate
from pipeline.errors import InputError, ProblemsFound
from pipeline.mt.memory import MemoryUnit
from pipeline.mt.suggest import Suggestion, apply, fill_from_memory, needs_translation
from pipeline.store.memory_index import TranslationMemory
from pipeline.store.project import Project, load_config

DAY_1, DAY_2 = "rejekts-2025-london-day-1", "rejekts-2025-london-day-2"


def env_for(fake: FakeDeepL) -> dict[str, str]:
    return {"DEEPL_AUTH_KEY": fake.key, "DEEPL_SERVER_URL": fake.url}


def load(path: Path) -> polib.POFile:
    return parse_po(path.read_text(encoding="utf-8"), str(path))


def snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def assert_key_nowhere(root: Path, key: str) -> None:
    for path, data in snapshot(root).items():
        assert key.encode() not in data, path


# --------------------------------------------------------------------------
# Pure filling.


def test_a_non_empty_msgstr_is_never_touched() -> None:
    translated = polib.POEntry(msgid="Hello", msgstr="Ahoj")
    fuzzy = polib.POEntry(msgid="Hello", msgstr="Nazdar", flags=["fuzzy"])
    space = polib.POEntry(msgid="Hello", msgstr=" ")
    for entry in (translated, fuzzy, space):
        before = (entry.msgstr, list(entry.flags), entry.comment, entry.previous_msgid)
        assert not apply(entry, Suggestion("Dobrý den", "tm 100% from x", "Hello"))
        assert (entry.msgstr, list(entry.flags), entry.comment, entry.previous_msgid) == before
    memory = TranslationMemory([MemoryUnit("Hello", "Dobrý den", "x")])
    assert fill_from_memory([translated, fuzzy, space], memory, 80) == []


def test_fuzzy_but_empty_is_filled_and_its_stale_state_replaced() -> None:
    entry = polib.POEntry(
        msgid="Hello world",
        msgstr="",
        flags=["fuzzy", "no-wrap"],
        comment="paragraph\ntm 85% from older",
        tcomment="translator: check tone",
        previous_msgid="Hello old world",
        previous_msgctxt="Old heading",
    )
    assert needs_translation(entry)
    memory = TranslationMemory([MemoryUnit("Hello world!", "Ahoj světe!", "day-2")])
    ((filled, match),) = fill_from_memory([entry], memory, 80)
    assert filled is entry and match.unit.origin == "day-2"
    assert entry.msgstr == "Ahoj světe!"
    assert entry.flags == ["fuzzy", "no-wrap"]
    assert entry.comment == f"paragraph\ntm {match.percent}% from day-2"
    assert entry.tcomment == "translator: check tone"
    assert (entry.previous_msgid, entry.previous_msgctxt) == ("Hello world!", None)


def test_exact_matches_are_fuzzy_too() -> None:
    entry = polib.POEntry(msgid="In their own words:", msgstr="", comment="paragraph")
    memory = TranslationMemory([MemoryUnit("In their own words:", "Jejich vlastními slovy:", "day-2")])
    fill_from_memory([entry], memory, 80)
    assert entry.flags == ["fuzzy"] and entry.comment == "paragraph\ntm 100% from day-2"
    assert entry.previous_msgid == "In their own words:"


# --------------------------------------------------------------------------
# The sample corpus: translation memory only, no key.


def _all_translated(*_args: object, **_kwargs: object) -> str:
    """Legacy classifier for the fixture: what is translated does not matter here."""
    return "translated"


@pytest.fixture
def corpus(project_root: Path) -> Project:
    """The bundled corpus (conftest's copy) with catalogs for both Rejekts 2025 days."""
    project = Project(project_root, load_config(project_root))
    if not project.catalog_path("cs", DAY_2).is_file():
        catalog_ops.align_legacy(project, [DAY_2], "cs", classify=_all_translated)
    if not project.catalog_path("cs", DAY_1).is_file():
        catalog_ops.update(project, [DAY_1], "cs")
    return project


def test_day_one_introduction_comes_from_day_two(corpus: Project) -> None:
    day1 = corpus.catalog_path("cs", DAY_1)
    day2 = {e.msgid: e for e in load(corpus.catalog_path("cs", DAY_2)) if e.msgstr and "fuzzy" not in e.flags}
    before = {p: load(p) for p in (corpus.locales_dir / "cs" / "LC_MESSAGES").glob("*.po")}

    outcome = pretranslate(corpus, None, "cs", env={})

    assert day1 in outcome.written
    entries = {e.msgid: e for e in load(day1)}
    intro = entries["Rejekts is a small two-day conference for talks that didn’t make it into KubeCon."]
    source = "Rejekts is a small two-day conference for talks that didn’t make it to KubeCon."
    assert intro.msgstr == day2[source].msgstr
    assert "fuzzy" in intro.flags and intro.previous_msgid == source
    assert f"tm 98% from {DAY_2}" in intro.comment.split("\n")
    exact = entries["In their own words:"]
    assert exact.msgstr == day2["In their own words:"].msgstr and "fuzzy" in exact.flags
    assert f"tm 100% from {DAY_2}" in exact.comment.split("\n")
    suggested = [e for e in entries.values() if e.msgstr]
    assert len(suggested) >= 5
    assert all("fuzzy" in e.flags and e.previous_msgid and any(line.startswith("tm ") for line in e.comment.split("\n")) for e in suggested)
    # Every translation that existed is exactly as it was.
    for path, po in before.items():
        after = {(e.msgctxt, e.msgid): e.msgstr for e in load(path)}
        for e in po:
            if e.msgstr:
                assert after[(e.msgctxt, e.msgid)] == e.msgstr
    assert any(f"{DAY_1}.po: " in m and "from translation memory" in m for m in outcome.messages)

    files = snapshot(corpus.root)
    again = pretranslate(corpus, None, "cs", env={})
    assert again.written == [] and snapshot(corpus.root) == files


def test_the_memory_key_follows_confirmed_translations_only(corpus: Project) -> None:
    from pipeline.commands.pretranslate import memory_key, memory_of

    path = corpus.catalog_path("cs", DAY_2)
    before = memory_key(corpus, "cs")
    assert memory_of(corpus, "cs")[1] == before
    po = parse_po(path.read_text(), str(path))
    reviewed = next(e for e in po if e.msgstr and "fuzzy" not in e.flags)
    empty = next(e for e in po if not e.msgstr)
    # Suggestions and comments are not in the memory: the key stays.
    empty.msgstr, empty.flags = "Návrh", ["fuzzy"]
    reviewed.tcomment = "checked by a reviewer"
    path.write_text(dump_po(po))
    assert memory_key(corpus, "cs") == before
    # A confirmed translation changed, or a suggestion confirmed: a new key.
    reviewed.msgstr += " (upraveno)"
    path.write_text(dump_po(po))
    changed = memory_key(corpus, "cs")
    assert changed != before
    empty.flags = []
    path.write_text(dump_po(po))
    assert memory_key(corpus, "cs") not in (before, changed)


def test_dry_run_writes_nothing(corpus: Project) -> None:
    files = snapshot(corpus.root)
    outcome = pretranslate(corpus, [DAY_1], "cs", dry_run=True, env={})
    assert outcome.written == [] and snapshot(corpus.root) == files
    assert any("would fill" in m and "from translation memory" in m for m in outcome.messages)


def test_min_similarity_limits_matches(corpus: Project) -> None:
    pretranslate(corpus, [DAY_1], "cs", min_similarity=100, env={})
    filled = [e for e in load(corpus.catalog_path("cs", DAY_1)) if e.msgstr]
    assert filled and all(f"tm 100% from {DAY_2}" in e.comment for e in filled)


def test_an_article_without_catalog_is_sent_to_update(corpus: Project) -> None:
    corpus.catalog_path("cs", DAY_1).unlink()
    with pytest.raises(InputError, match="no such catalog") as caught:
        pretranslate(corpus, [DAY_1], "cs", env={})
    assert caught.value.hint == f"make it first with 'l10n update {DAY_1} --lang cs'"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"slugs": ["no-such-article"]}, "no source article 'no-such-article'"),
        ({"lang": "en"}, "source language"),
        ({"min_similarity": 0}, "percentage"),
        ({"min_similarity": 120}, "percentage"),
        ({"mt": "google"}, "unknown machine translation engine"),
        ({"mt": "deepl"}, "DEEPL_AUTH_KEY"),
    ],
)
def test_bad_arguments_are_input_errors_and_write_nothing(corpus: Project, kwargs: dict[str, object], message: str) -> None:
    files = snapshot(corpus.root)
    args = {"slugs": None, "lang": "cs", **kwargs}
    with pytest.raises(InputError, match=message):
        pretranslate(corpus, args.pop("slugs"), args.pop("lang"), env={}, **args)  # type: ignore[arg-type]
    assert snapshot(corpus.root) == files


# --------------------------------------------------------------------------
# Machine translation against the fake server.

PYPROJECT = """\
[tool.l10n]
source_lang = "en"
languages = ["cs"]

[tool.l10n.pretranslate]
glossary = {"Kubernetes" = "Kubernetes", "Rejekts" = "Rejekts"}
"""


def small_project(root: Path, catalogs: dict[str, list[polib.POEntry]]) -> Project:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    date = "2025-04-01 09:30+0000"
    for slug, entries in catalogs.items():
        po = new_catalog(entries, make_metadata(slug, "cs", pot_date=date, revision_date=date), "Czech translation.")
        path = root / "locales" / "cs" / "LC_MESSAGES" / f"{slug}.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_po(po), encoding="utf-8")
    return Project(root, load_config(root))


def paragraph(msgid: str, msgstr: str = "", **kwargs: object) -> polib.POEntry:
    return polib.POEntry(msgid=msgid, msgstr=msgstr, comment="paragraph", **kwargs)


def test_machine_translation_fills_the_rest_and_a_rerun_costs_nothing(tmp_path: Path, fake: FakeDeepL) -> None:
    project = small_project(
        tmp_path / "p",
        {
            "demo": [
                paragraph("Kubernetes runs `kubectl apply` for [Rejekts](https://cfp.cloud-native.rejekts.io/)."),
                paragraph("Already translated.", "Už přeloženo."),
                paragraph("Hello **world**."),
                paragraph("![diagram](img/diagram.png)"),
                paragraph("Shared sentence."),
            ],
            "other": [paragraph("Shared sentence.")],
        },
    )
    path = project.locales_dir / "cs" / "LC_MESSAGES" / "demo.po"
    outcome = pretranslate(project, None, "cs", mt="deepl", env=env_for(fake))

    entries = {e.msgid: e for e in load(path)}
    linked = entries["Kubernetes runs `kubectl apply` for [Rejekts](https://cfp.cloud-native.rejekts.io/)."]
    assert linked.msgstr == "CS: Kubernetes runs `kubectl apply` for [Rejekts](https://cfp.cloud-native.rejekts.io/)."
    assert "fuzzy" in linked.flags and linked.comment == "paragraph\nmachine translation (DeepL)"
    assert linked.previous_msgid is None
    assert entries["Hello **world**."].msgstr == "CS: Hello **world**."
    assert entries["Already translated."].msgstr == "Už přeloženo." and "fuzzy" not in entries["Already translated."].flags
    image = entries["![diagram](img/diagram.png)"]
    assert image.msgstr == image.msgid and "copied from the source (nothing to translate)" in image.comment
    # One request, the shared sentence sent once, the image not at all, glossary used.
    (request,) = fake.translate_requests()
    assert len(request.body["text"]) == 3 and not any("diagram" in t for t in request.body["text"])
    assert request.body["glossary_id"] in fake.glossaries
    assert sorted(p.name for p in outcome.written) == ["demo.po", "other.po"]
    assert any(m.startswith("DeepL: 3 texts translated in 1 request,") for m in outcome.messages)
    assert (project.root / ".l10n-cache" / "mt-cache.sqlite3").is_file()

    files = snapshot(project.root)
    requests = len(fake.requests)
    again = pretranslate(project, None, "cs", mt="deepl", env=env_for(fake))
    assert len(fake.requests) == requests  # not even a glossary lookup
    assert again.written == [] and snapshot(project.root) == files
    assert_key_nowhere(project.root, fake.key)


def test_cache_serves_a_cleared_entry_for_free(tmp_path: Path, fake: FakeDeepL) -> None:
    project = small_project(tmp_path / "p", {"demo": [paragraph("Hello there.")]})
    path = project.locales_dir / "cs" / "LC_MESSAGES" / "demo.po"
    pretranslate(project, None, "cs", mt="deepl", env=env_for(fake))
    po = load(path)
    po[0].msgstr = ""
    path.write_text(dump_po(po), encoding="utf-8")
    outcome = pretranslate(project, None, "cs", mt="deepl", env=env_for(fake))
    assert len(fake.translate_requests()) == 1
    assert load(path)[0].msgstr == "CS: Hello there."
    assert any("1 machine-translated (1 from the cache)" in m for m in outcome.messages)


def test_translation_memory_goes_first(tmp_path: Path, fake: FakeDeepL) -> None:
    project = small_project(
        tmp_path / "p",
        {"a": [paragraph("Remembered sentence here.", "Zapamatovaná věta.")], "b": [paragraph("Remembered sentence here!"), paragraph("New one.")]},
    )
    pretranslate(project, ["b"], "cs", mt="deepl", env=env_for(fake))
    entries = {e.msgid: e for e in load(project.locales_dir / "cs" / "LC_MESSAGES" / "b.po")}
    assert entries["Remembered sentence here!"].msgstr == "Zapamatovaná věta."
    assert entries["New one."].msgstr == "CS: New one."
    assert [r.body["text"] for r in fake.translate_requests()] == [["New one."]]


def many(n: int) -> list[polib.POEntry]:
    return [paragraph(f"Sentence number {i} about topic {i * 7}.") for i in range(n)]


@pytest.mark.parametrize(
    ("status", "cause"),
    [
        (456, "DeepL quota exceeded: "),
        (403, "DeepL rejected the key: "),
        ("hang", "DeepL unreachable: "),
        ("garbled", "DeepL's answer could not be read: "),
    ],
)
def test_a_failure_keeps_what_was_translated(
    tmp_path: Path, fake: FakeDeepL, status: object, cause: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    project = small_project(tmp_path / "p", {"demo": many(120)})
    path = project.locales_dir / "cs" / "LC_MESSAGES" / "demo.po"
    fake.script = ["ok", status]
    done = pretranslate(project, None, "cs", mt="deepl", env=env_for(fake))
    assert isinstance(done.failure, ProblemsFound) and done.failure.exit_code == 1
    message = str(done.failure)
    assert message.startswith(cause) and "\n" not in message
    assert "50 texts translated before the failure are saved" in (done.failure.hint or "")
    # What was done, for a caller that goes on (l10n run): the catalog written, and said so.
    assert done.written == [path]
    assert done.messages[0] == "locales/cs/LC_MESSAGES/demo.po: filled 50 machine-translated; 70 left empty"
    filled = [e for e in load(path) if e.msgstr]
    assert len(filled) == 50 and all("fuzzy" in e.flags and e.msgstr.startswith("CS: ") for e in filled)
    assert fake.key not in message and fake.key not in caplog.text
    assert_key_nowhere(project.root, fake.key)

    # The next run sends only what is missing.
    pretranslate(project, None, "cs", mt="deepl", env=env_for(fake))
    sent = [len(r.body["text"]) for r in fake.translate_requests()]
    assert sent[-2:] == [50, 20] and sum(sent[2:]) == 70
    assert all(e.msgstr for e in load(path))


def test_no_connection_is_one_line_and_keeps_memory_work(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    project = small_project(
        tmp_path / "p", {"a": [paragraph("Known text.", "Známý text.")], "b": [paragraph("Known text!"), paragraph("Unknown.")]}
    )
    key = "never-shown-secret:fx"
    done = pretranslate(project, ["b"], "cs", mt="deepl", env={"DEEPL_AUTH_KEY": key, "DEEPL_SERVER_URL": f"http://127.0.0.1:{port}"})
    assert isinstance(done.failure, ProblemsFound) and str(done.failure).startswith("DeepL unreachable: ")
    assert key not in str(done.failure)
    entries = {e.msgid: e.msgstr for e in load(project.locales_dir / "cs" / "LC_MESSAGES" / "b.po")}
    assert entries == {"Known text!": "Známý text.", "Unknown.": ""}
    assert_key_nowhere(project.root, key)


def test_broken_markup_is_rejected_and_reported(tmp_path: Path, fake: FakeDeepL) -> None:
    project = small_project(tmp_path / "p", {"demo": [paragraph("Run `make` now."), paragraph("Plain text.")]})
    path = project.locales_dir / "cs" / "LC_MESSAGES" / "demo.po"
    fake.script = ["break"]
    outcome = pretranslate(project, None, "cs", mt="deepl", env=env_for(fake))
    entries = {e.msgid: e for e in load(path)}
    assert entries["Run `make` now."].msgstr == ""
    assert entries["Plain text."].msgstr == "CS: Plain text."
    (report,) = [m for m in outcome.messages if "rejected" in m and "Run `make` now." in m]
    assert report.startswith("locales/cs/LC_MESSAGES/demo.po:") and "lost 1 markup placeholder" in report
    assert any("1 rejected (markup lost)" in m for m in outcome.messages)
    # The broken result is cached too: a re-run reports it again without paying again.
    again = pretranslate(project, None, "cs", mt="deepl", env=env_for(fake))
    assert len(fake.translate_requests()) == 1
    assert any("rejected" in m for m in again.messages)


def test_dry_run_reports_billable_characters_without_requests(tmp_path: Path, fake: FakeDeepL) -> None:
    project = small_project(tmp_path / "p", {"demo": [paragraph("Run `make` now."), paragraph("Hello.")]})
    files = snapshot(project.root)
    outcome = pretranslate(project, None, "cs", mt="deepl", dry_run=True, env={})
    assert fake.requests == [] and snapshot(project.root) == files
    assert not (project.root / ".l10n-cache").exists()
    expected = len("Run  now.") + len("Hello.")
    assert any(f"{expected} characters would be billed" in m for m in outcome.messages)
    assert any(m.endswith("would fill 2 by machine translation; 0 left empty") for m in outcome.messages)

    pretranslate(project, None, "cs", mt="deepl", env=env_for(fake))
    po = load(project.locales_dir / "cs" / "LC_MESSAGES" / "demo.po")
    for entry in po:
        entry.msgstr = ""
    (project.locales_dir / "cs" / "LC_MESSAGES" / "demo.po").write_text(dump_po(po), encoding="utf-8")
    outcome = pretranslate(project, None, "cs", mt="deepl", dry_run=True, env={})
    assert any("0 characters would be billed; 2 texts from the cache" in m for m in outcome.messages)


def test_cache_dir_is_configurable(tmp_path: Path, fake: FakeDeepL) -> None:
    project = small_project(tmp_path / "p", {"demo": [paragraph("Hello.")]})
    cache = tmp_path / "elsewhere"
    pretranslate(project, None, "cs", mt="deepl", env=env_for(fake), cache_dir=cache)
    assert (cache / "mt-cache.sqlite3").is_file() and not (project.root / ".l10n-cache").exists()
