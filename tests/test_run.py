"""The main job: incremental runs and deterministic parallel runs."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pipeline.catalog.po_format import reviewed_text
from pipeline.cli.main import cli
from pipeline.commands import run
from pipeline.commands.check import check_project
from pipeline.commands.pretranslate import memory_key
from pipeline.commands.run import run_all
from pipeline.config import Tuning
from pipeline.errors import InputError
from pipeline.store import run_cache
from pipeline.store.project import Project, load_config

#: Workers from the first article on (the default waits for 64).
PARALLEL = Tuning(min_parallel=1)
#: And DeepL's answers taken as they come.
NO_RETRIES = Tuning(min_parallel=1, mt_retries=0)


def snapshot(root: Path, *folders: str) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for folder in folders:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                files[str(path.relative_to(root))] = path.read_bytes()
    return files


def project(root: Path) -> Project:
    return Project(root=root, config=load_config(root))


def test_a_changed_article_is_processed_again_and_the_rest_skipped(project_root: Path) -> None:
    first = run_all(project(project_root), jobs=1)
    assert first.processed == 4 and first.skipped == 0
    again = run_all(project(project_root), jobs=1)
    assert again.processed == 0 and again.skipped == 4 and not again.written
    # The counts of a skipped article come from the cache, as the run found them.
    assert [(r.slug, r.errors, r.warnings, r.percent) for r in again.checks] == [
        (r.slug, r.errors, r.warnings, r.percent) for r in first.checks
    ] and sum(r.errors for r in first.checks) > 10
    source = project_root / "source/en/kubecon-eu-2021-recap.md"
    source.write_text(source.read_text() + "\nOne more paragraph at the end.\n")
    third = run_all(project(project_root), jobs=1)
    assert third.processed == 1 and third.skipped == 3
    po = (project_root / "locales/cs/LC_MESSAGES/kubecon-eu-2021-recap.po").read_text()
    assert 'msgid "One more paragraph at the end."' in po
    (project_root / "output/cs/index.html").unlink()
    (project_root / "output/reports/cs/rejekts-2025-london-day-1.html").unlink()
    fourth = run_all(project(project_root), jobs=1)
    assert fourth.processed == 1  # its report page was missing
    assert (project_root / "output/cs/index.html").is_file()
    assert [r.slug for r in fourth.checks] == sorted(r.slug for r in fourth.checks)


def _many_articles(root: Path, copies: int) -> None:
    for lang in ("en", "cs"):
        folder = root / "source" / lang
        for path in sorted(folder.glob("*.md")):
            for n in range(copies):
                shutil.copy(path, folder / f"{path.stem}-copy{n}.md")


def test_parallel_and_serial_runs_write_the_same_bytes(
    tmp_path: Path, project_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The runs follow each other: a minute turning between them would change the
    # PO header dates (to the minute), which is not what this compares.
    monkeypatch.setattr("pipeline.commands.catalogs.format_date", lambda _moment: "2026-12-07 12:00+0000")
    _many_articles(project_root, 4)
    other, portions = tmp_path / "other", tmp_path / "portions"
    shutil.copytree(project_root, other)
    shutil.copytree(project_root, portions)
    serial = run_all(project(project_root), jobs=1, incremental=False, tuning=PARALLEL)
    parallel = run_all(project(other), jobs=2, incremental=False, tuning=PARALLEL)
    assert serial.processed == parallel.processed == 20
    assert snapshot(project_root, "locales", "output") == snapshot(other, "locales", "output")
    assert [(r.slug, r.total, r.missing) for r in serial.checks] == [(r.slug, r.total, r.missing) for r in parallel.checks]
    assert serial.messages == parallel.messages and len(serial.messages) > 20
    # Phase two in portions of 3 articles instead of one of 20: the same files.
    in_portions = run_all(project(portions), jobs=1, incremental=False, tuning=Tuning(portion=3))
    assert snapshot(project_root, "locales", "output") == snapshot(portions, "locales", "output")
    assert [r.slug for r in in_portions.checks] == [r.slug for r in serial.checks]


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_keys_a_run_records_are_those_of_the_files_it_wrote(
    project_root: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    # Phase two keys each article as it finishes; the next run keys it from the disk.
    _many_articles(project_root, 1)
    first = run_all(project(project_root), jobs=jobs, tuning=PARALLEL)
    assert first.processed == 8
    with run_cache.open_cache(project(project_root)) as cache:
        states = cache.known("cs")
    config = run_cache.config_bytes(project(project_root))
    memory = memory_key(project(project_root), "cs")
    assert len(states) == 8
    for slug, state in states.items():
        key, has_empty = run_cache.article_key(project(project_root), "cs", slug, config, memory, None, 80.0)
        assert (state.key, state.has_empty) == (key, has_empty), slug
    assert any(state.has_empty for state in states.values())
    again = run_all(project(project_root), jobs=jobs, tuning=PARALLEL)
    assert again.processed == 0 and not again.written


def test_parallel_workers_build_the_memory_without_parsing_each_others_catalogs(
    project_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.commands import pretranslate as pretranslate_ops

    _many_articles(project_root, 1)
    parses = tmp_path / "parses.txt"  # the workers are other processes: they tell by file
    real = pretranslate_ops.load_catalog

    def load_catalog(p: Project, path: Path, **options: bool) -> object:
        with parses.open("a") as log:
            log.write(f"{path.name}\n")
        return real(p, path, **options)

    read_for_memory = pretranslate_ops.read_confirmed

    def read_confirmed(p: Project, path: Path, fingerprint: bytes) -> object:
        with parses.open("a") as log:
            log.write(f"memory:{path.name}\n")
        return read_for_memory(p, path, fingerprint)

    monkeypatch.setattr(pretranslate_ops, "load_catalog", load_catalog)
    monkeypatch.setattr(pretranslate_ops, "read_confirmed", read_confirmed)
    # Batches of one catalog: several batches from each worker.
    summary = run_all(project(project_root), jobs=2, tuning=Tuning(min_parallel=1, remember_batch=1))
    assert summary.processed == 8 and len(summary.checks) == 8
    # Each worker loads only its own articles' catalogs (for pre-translation),
    # and none for the memory: phase one kept what it wrote.
    loaded = parses.read_text().split()
    assert sorted(loaded) == sorted(p.name for p in (project_root / "locales/cs/LC_MESSAGES").glob("*.po"))


def test_an_error_in_a_worker_is_raised_in_the_parent(project_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _many_articles(project_root, 2)
    run_all(project(project_root), jobs=2, tuning=PARALLEL)
    po = project_root / "locales/cs/LC_MESSAGES/kubecon-eu-2021-recap-copy1.po"
    po.write_text(po.read_text() + '\nmsgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n')
    with pytest.raises(InputError, match="duplicate message definition") as caught:
        run_all(project(project_root), jobs=2, incremental=False, tuning=PARALLEL)
    assert caught.value.path == "locales/cs/LC_MESSAGES/kubecon-eu-2021-recap-copy1.po"


def test_a_deleted_article_leaves_no_generated_pages(project_root: Path) -> None:
    run_all(project(project_root), jobs=1)
    assert (project_root / "output/reports/cs/kubecon-eu-2021-recap.html").exists()
    (project_root / "source/en/kubecon-eu-2021-recap.md").unlink()
    summary = run_all(project(project_root), jobs=1)
    assert not (project_root / "output/reports/cs/kubecon-eu-2021-recap.html").exists()
    assert "kubecon-eu-2021-recap" not in (project_root / "output/reports/cs/index.html").read_text()
    assert (project_root / "locales/cs/LC_MESSAGES/kubecon-eu-2021-recap.po").exists()
    assert [r.slug for r in summary.checks] == ["rejekts-2025-london-day-1", "rejekts-2025-london-day-2", "rejekts-eu-2022-valencia"]


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("broken", ["addenda", "legacy"])
def test_bad_input_stops_the_run_before_anything_is_written(
    project_root: Path, monkeypatch: pytest.MonkeyPatch, jobs: int, broken: str
) -> None:
    run_all(project(project_root), jobs=1)
    before = snapshot(project_root, "locales", "output", "source")
    for path in (project_root / "source/en").glob("*.md"):
        path.write_text(path.read_text() + "\nA new closing paragraph.\n")
    (project_root / "source/en/kubecon-eu-2021-recap.md").unlink()  # its pages too must stay
    if broken == "addenda":
        bad = project_root / "locales/cs/addenda/rejekts-2025-london-day-2.json"
        bad.write_text("[not json")
        expected = "invalid JSON"
    else:  # a legacy file whose PO exists already: read only by the report, at the end
        bad = project_root / "source/cs/rejekts-2025-london-day-2.md"
        bad.write_bytes(bad.read_bytes() + b"\xff\n")
        expected = "not valid UTF-8"
    with pytest.raises(InputError, match=expected):
        run_all(project(project_root), jobs=jobs, tuning=PARALLEL)
    after = snapshot(project_root, "locales", "output")
    assert {k: v for k, v in after.items() if "addenda" not in k} == {
        k: v for k, v in before.items() if "addenda" not in k and not k.startswith("source")
    }
    # What phase one had prepared was staged beside its targets and is gone again.
    assert not [p for p in (project_root / "locales").rglob(".*") if p.is_file()]


def test_a_backup_po_in_a_subfolder_is_never_taken_for_the_catalog(project_root: Path) -> None:
    run_all(project(project_root), jobs=1)
    po = project_root / "locales/cs/LC_MESSAGES/rejekts-2025-london-day-2.po"
    backup = po.parent / "zz-backup" / po.name
    backup.parent.mkdir()
    backup.write_text(po.read_text())
    text = po.read_text()
    empty = 'msgid "Kuma is easy to deploy and configure"\nmsgstr ""'
    assert empty in text
    po.write_text(text.replace(empty, 'msgid "Kuma is easy to deploy and configure"\nmsgstr "PŘEKLAD OD PŘEKLADATELE"'))
    run_all(project(project_root), jobs=1)
    assert "PŘEKLAD OD PŘEKLADATELE" in po.read_text()


def test_a_catalog_without_article_feeds_the_memory_and_is_tracked(project_root: Path) -> None:
    run_all(project(project_root), jobs=1)
    glossary = project_root / "locales/cs/LC_MESSAGES/glossary.po"
    glossary.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "It\'s that time of the year again: spring means Kubecon!"\nmsgstr "Je to tu zase: jaro znamená Kubecon!"\n'
    )
    run_all(project(project_root), jobs=1)
    po = (project_root / "locales/cs/LC_MESSAGES/kubecon-eu-2021-recap.po").read_text()
    assert "#. tm 100% from glossary" in po


def test_a_cache_of_the_wrong_shape_is_ignored(project_root: Path) -> None:
    run_all(project(project_root), jobs=1)
    cache = project_root / ".l10n-cache" / run_cache.CACHE_FILE

    def broken_records(db: sqlite3.Connection) -> None:
        rows = db.execute("SELECT lang, slug, data FROM records").fetchall()
        for lang, slug, data in rows:
            record = json.loads(data)
            record["check"]["findings"] = [["missing", "catastrophic", 1]]
            db.execute("UPDATE records SET data = ? WHERE lang = ? AND slug = ?", (json.dumps(record), lang, slug))

    def other_version(db: sqlite3.Connection) -> None:
        db.execute("UPDATE meta SET value = '0.0' WHERE name = 'version'")

    def unreadable(db: sqlite3.Connection) -> None:
        db.execute("UPDATE records SET data = '{broken'")

    def infinite(db: sqlite3.Connection) -> None:
        rows = db.execute("SELECT lang, slug, data FROM records").fetchall()
        for lang, slug, data in rows:
            record = json.loads(data)
            record["review"]["counts"][0][1] = float("inf")  # json writes Infinity and reads it back
            db.execute("UPDATE records SET data = ? WHERE lang = ? AND slug = ?", (json.dumps(record), lang, slug))

    for damage in (broken_records, other_version, unreadable, infinite):
        db = sqlite3.connect(cache)
        with db:
            damage(db)
        db.close()
        summary = run_all(project(project_root), jobs=1)
        assert summary.processed == 4, damage.__name__
        assert run_all(project(project_root), jobs=1).processed == 0
    cache.write_bytes(b"not a database at all, " * 100)
    assert run_all(project(project_root), jobs=1).processed == 4


def test_the_memory_from_catalogs_just_written_equals_the_parsed_one(
    project_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.commands import pretranslate as pretranslate_ops

    run_all(project(project_root), jobs=1)
    for po in (project_root / "locales/cs/LC_MESSAGES").glob("*.po"):
        po.unlink()
    store = project_root / ".l10n-cache/memory-cs.sqlite3"
    store.unlink()
    slugs = project(project_root).slugs()
    run._phase_one(project(project_root), "cs", slugs, [s for s in slugs if project(project_root).has_article(s, "cs")], Tuning())
    loads: list[Path] = []
    real = pretranslate_ops.read_confirmed
    monkeypatch.setattr(pretranslate_ops, "read_confirmed", lambda p, path, print_: loads.append(path) or real(p, path, print_))
    with pretranslate_ops.memory_of(project(project_root), "cs")[0] as remembered:
        assert len(remembered) > 50
    assert loads == []  # phase one kept what it wrote: nothing parsed again
    kept = _indexed_units(store)
    store.unlink()
    with pretranslate_ops.memory_of(project(project_root), "cs")[0]:
        # A new store: every catalog parsed, once for each distinct content (the
        # catalogs with no confirmed translation share the empty one).
        catalogs = sorted((project_root / "locales/cs/LC_MESSAGES").glob("*.po"))
        assert len(loads) == len({reviewed_text(po.read_bytes()) for po in catalogs}) >= 2
    assert _indexed_units(store) == kept


def _indexed_units(store: Path) -> list[tuple[str, str, str, int]]:
    db = sqlite3.connect(store)
    try:
        return list(db.execute("SELECT source, target, origin, weight FROM tm_unit ORDER BY id"))
    finally:
        db.close()

def test_a_run_stopped_by_a_broken_catalog_keeps_nothing_in_the_memory_store(
    project_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    _many_articles(project_root, 2)
    run_all(project(project_root), jobs=1)
    store = project_root / ".l10n-cache/memory-cs.sqlite3"
    store.unlink()
    broken = sorted((project_root / "locales/cs/LC_MESSAGES").glob("*.po"))[-1]
    broken.write_text(broken.read_text() + '\nmsgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n')
    with pytest.raises(InputError, match="duplicate message definition"):
        # Batches of one catalog: batches go out before the failure.
        run_all(project(project_root), jobs=1, incremental=False, tuning=Tuning(remember_batch=1))
    db = sqlite3.connect(store)
    try:
        assert db.execute("SELECT COUNT(*) FROM contents").fetchone() == (0,)
    finally:
        db.close()


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_deepl_failure_is_in_the_summary_and_no_article_is_recorded_as_done(
    project_root: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    from fake_deepl import FakeDeepL

    _many_articles(project_root, 1)
    with FakeDeepL() as fake:
        env = {"DEEPL_AUTH_KEY": fake.key, "DEEPL_SERVER_URL": fake.url}
        fake.script = [456] * 99
        summary = run_all(project(project_root), jobs=jobs, mt="deepl", env=env, tuning=NO_RETRIES)
        assert summary.failure is not None and summary.failure.message.startswith("DeepL quota exceeded")
        assert summary.failure.exit_code == 1
        assert summary.processed == 8 and len(summary.checks) == 8 and len(fake.translate_requests()) == jobs
        with run_cache.open_cache(project(project_root)) as cache:
            states = cache.known("cs")
        assert len(states) == 8 and {state.key for state in states.values()} == {""}
        fake.script = []
        again = run_all(project(project_root), jobs=jobs, mt="deepl", env=env, tuning=PARALLEL)
        assert again.failure is None and again.processed == 8
        assert run_all(project(project_root), jobs=jobs, mt="deepl", env=env, tuning=PARALLEL).processed == 0


def test_workers_send_each_portion_as_it_is_done(project_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A worker keeps no article's records until it answers: each portion goes to
    # the parent, which folds it in at once.
    _many_articles(project_root, 1)
    received: list[list[str]] = []
    original = run.run_in_workers

    def spying(*args: Any, deliver: Any, **options: Any) -> Any:
        def counting(portion: Any) -> None:
            received.append([result.slug for result in portion.checks])
            deliver(portion)

        return original(*args, deliver=counting, **options)

    monkeypatch.setattr(run, "run_in_workers", spying)
    summary = run_all(project(project_root), jobs=2, tuning=Tuning(min_parallel=1, portion=1))
    slugs = project(project_root).all_slugs()
    assert sorted(received) == sorted([slug] for slug in slugs)
    assert sorted(result.slug for result in summary.checks) == sorted(slugs)
    assert isinstance(summary.written, int) and summary.written > 0  # counted, not listed


def test_a_refused_connection_fails_every_worker_and_the_summary_counts_them(
    project_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    import deepl

    # The client's own default retries: a refused connection must not use them.
    monkeypatch.setattr(deepl.http_client, "max_network_retries", 5)
    sleeps: list[object] = []
    monkeypatch.setattr(deepl.http_client._BackoffTimer, "sleep_until_deadline", lambda timer: sleeps.append(timer))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    _many_articles(project_root, 1)
    env = {"DEEPL_AUTH_KEY": "secret:fx", "DEEPL_SERVER_URL": f"http://127.0.0.1:{port}"}
    summary = run_all(project(project_root), jobs=2, mt="deepl", env=env, tuning=PARALLEL)
    assert len(summary.failures) == 2 and sleeps == []
    failure = summary.failure
    assert failure is not None and failure.message.startswith("DeepL unreachable")
    assert "2 processes failed alike" in (failure.hint or "")
    assert failure.unsent == sum(f.unsent for f in summary.failures) > 0


def test_a_second_run_in_the_same_project_waits_for_the_first_then_gives_up(project_root: Path) -> None:
    import fcntl
    import os

    folder = project_root / ".l10n-cache"
    folder.mkdir(exist_ok=True)
    held = os.open(folder / "run.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(held, fcntl.LOCK_EX)  # as another l10n run would
    try:
        with pytest.raises(InputError, match="another l10n run is working in this project"):
            run_all(project(project_root), jobs=1, tuning=Tuning(busy_seconds=0.3))
        assert not (project_root / "locales/templates").exists()  # it did nothing
    finally:
        os.close(held)
    assert run_all(project(project_root), jobs=1).processed == 4  # released: it runs


def test_a_translation_that_changes_the_structure_is_set_aside_and_reported(tmp_path: Path) -> None:
    root = tmp_path / "small"
    (root / "source/en").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[tool.l10n]\nsource_lang = "en"\nlanguages = ["cs"]\n')
    (root / "source/en/steps.md").write_text("---\ntitle: Steps\n---\n\nFirst do this.\n\n- Install it\n- Run it\n")
    run_all(project(root), jobs=1)
    po_path = root / "locales/cs/LC_MESSAGES/steps.po"
    texts = {"Steps": "Kroky", "First do this.": "Nejdřív tohle.", "Install it": "Nainstalujte to", "Run it": "\n1. Spusťte to"}
    po = po_path.read_text()
    for msgid, msgstr in texts.items():
        po = po.replace(f'msgid "{msgid}"\nmsgstr ""', f'msgid "{msgid}"\nmsgstr "{msgstr.replace(chr(10), chr(92) + "n")}"')
    po_path.write_text(po)
    summary = run_all(project(root), jobs=1, threshold=50)
    assert summary.build_failures == {}
    assert [m for m in summary.messages if "block structure" in m] == [
        "warning: cs/steps: source/en/steps.md:8: the translation changes the article's block structure;"
        " the article shows the source text"
    ]
    built = (root / "output/cs/steps.md").read_text()
    assert "- Nainstalujte to\n- Run it <!-- untranslated: en -->\n" in built and "Nejdřív tohle." in built
    review = (root / "output/reports/cs/steps.html").read_text()
    assert "changes the article&#x27;s block structure: the built article shows the source text" in review
    # `l10n check` builds too and names the entry.
    (result,) = check_project(project(root), with_build=True)
    line = po.split("\n").index('msgid "Run it"') + 1
    assert [(f.check, f.line, f.severity.value) for f in result.findings if "block structure" in f.message] == [
        ("structure", line, "error")
    ]
    assert not [f for f in check_project(project(root))[0].findings if "block structure" in f.message]
    result_cli = CliRunner().invoke(cli, ["--root", str(root), "check", "--build", "--format", "github"])
    assert result_cli.exit_code == 1
    assert f"::error file=locales/cs/LC_MESSAGES/steps.po,line={line},title=l10n structure::" in result_cli.stdout


def test_a_default_an_upgrade_changes_makes_the_run_process_every_article_again(
    project_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The version before kept link targets inline; its configuration files say
    # nothing of it, so only the setting read from them tells the runs apart.
    import pipeline.config

    source = project_root / "source/en/kubecon-eu-2021-recap.md"
    source.write_text(source.read_text() + "\nSee [the schedule](https://example.com/schedule).\n")
    monkeypatch.setattr(pipeline.config, "DEFAULT_LINK_PLACEHOLDERS", False)
    assert run_all(project(project_root), jobs=1).processed == 4
    po = project_root / "locales/cs/LC_MESSAGES/kubecon-eu-2021-recap.po"
    assert "](https://" in po.read_text()
    monkeypatch.undo()
    upgraded = run_all(project(project_root), jobs=1)
    assert upgraded.processed == 4 and upgraded.skipped == 0
    assert "](https://" not in po.read_text().split("#~")[0]


def test_the_settings_in_an_articles_key_are_the_same_in_every_process(project_root: Path) -> None:
    import subprocess
    import sys

    with (project_root / "pyproject.toml").open("a") as config:
        config.write('\n[tool.l10n.keep]\nterms = ["Kubernetes", "Linkerd", "Falco", "Kuma", "Cilium"]\n')
    code = (
        "import sys; from pathlib import Path; from pipeline.store.project import Project, load_config;"
        "from pipeline.store.run_cache import config_bytes; root = Path(sys.argv[1]);"
        "sys.stdout.buffer.write(config_bytes(Project(root=root, config=load_config(root))))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code, str(project_root)], env={"PYTHONHASHSEED": str(seed)}, capture_output=True, check=True
        ).stdout
        for seed in range(6)
    }
    assert len(outputs) == 1
