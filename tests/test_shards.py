"""``l10n run --shard K/N`` on several machines, put together by ``l10n merge-shards``:
the same PO files, pages, reports and summary as one run."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli.main import cli
from pipeline.commands.run import in_shard

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import corpus  # noqa: E402

#: Header dates say when a catalog was made: each shard ran at its own time.
_DATES = re.compile(rb'^"(?:POT-Creation|PO-Revision)-Date: [^"]*"\n', re.M)


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): _DATES.sub(b"", path.read_bytes())
        for folder in ("locales", "output")
        for path in sorted((root / folder).rglob("*"))
        if path.is_file()
    }


def _summary(output: str) -> str:
    """The run's output without what only a shard or a merge says (where its bundle
    went, what the merge put in place)."""
    return "\n".join(line for line in output.splitlines() if not line.startswith(("shard ", "==> ", "merge: ")))


def _files_counts(output: str) -> tuple[int, int]:
    """(written, unchanged) of the summary's line of files."""
    found = re.search(r"^(\d+) file\(s\) written, (\d+) unchanged", output, re.M)
    assert found is not None, output
    return int(found.group(1)), int(found.group(2))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus") / "project"
    corpus.generate(14, root, seed=3)
    # An article without any Czech file, and an existing catalog with reviewed
    # translations other shards' articles are pre-translated from.
    return root


def test_shards_merged_equal_one_run(generated: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    single = tmp_path / "single"
    shutil.copytree(generated, single)
    one = runner.invoke(cli, ["--root", str(single), "run", "--jobs", "2"])
    assert one.exit_code == 0, one.output
    bundles = tmp_path / "artifacts"
    outputs = []
    for number in range(1, 5):
        machine = tmp_path / f"machine-{number}"
        shutil.copytree(generated, machine)
        done = runner.invoke(cli, ["--root", str(machine), "run", "--jobs", "1", "--shard", f"{number}/4"])
        assert done.exit_code == 0, done.output
        shutil.copytree(machine / "l10n-shards", bundles, dirs_exist_ok=True)
        outputs.append(done.output)
    merging = tmp_path / "merge"
    shutil.copytree(generated, merging)
    merged = runner.invoke(cli, ["--root", str(merging), "merge-shards", str(bundles)])
    assert merged.exit_code == 0, merged.output
    assert snapshot(merging) == snapshot(single)
    assert _summary(merged.output) == _summary(one.output)
    # Every shard took its articles, and pre-translated them from the memory of all.
    slugs = sorted(p.stem for p in (generated / "source/en").glob("*.md"))
    taken = [[s for s in slugs if in_shard(s, (n, 4))] for n in range(1, 5)]
    assert sorted(s for part in taken for s in part) == slugs and all(taken)
    assert "tm " in "".join(p.read_text() for p in (merging / "locales/cs/LC_MESSAGES").glob("*.po"))
    # The merged project is a finished run: nothing left to do.
    again = runner.invoke(cli, ["--root", str(merging), "run", "--jobs", "1"])
    assert again.exit_code == 0 and "0 file(s) written" in again.output, again.output


def test_a_missing_or_foreign_shard_is_refused(generated: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    machine = tmp_path / "machine"
    shutil.copytree(generated, machine)
    assert runner.invoke(cli, ["--root", str(machine), "run", "-j", "1", "--shard", "1/2"]).exit_code == 0
    merged = runner.invoke(cli, ["--root", str(machine), "merge-shards", str(machine / "l10n-shards")])
    assert merged.exit_code == 2 and "missing shard(s) 2 of 2" in merged.output
    bad = runner.invoke(cli, ["--root", str(machine), "run", "--shard", "3/2"])
    assert bad.exit_code == 2


def test_shards_with_parallel_workers_merge_to_the_serial_run(generated: Path, tmp_path: Path) -> None:
    from pipeline.commands.run import run_all
    from pipeline.commands.shards import merge_shards, run_shard
    from pipeline.config import Tuning
    from pipeline.store.project import Project, load_config

    def project(root: Path) -> Project:
        return Project(root=root, config=load_config(root))

    parallel = Tuning(min_parallel=1)
    single = tmp_path / "single"
    shutil.copytree(generated, single)
    one = run_all(project(single), jobs=1)
    bundles = tmp_path / "bundles"
    for number in (1, 2, 3):
        machine = tmp_path / f"machine-{number}"
        shutil.copytree(generated, machine)
        run_shard(project(machine), (number, 3), bundles, jobs=2, tuning=parallel)
    merging = tmp_path / "merge"
    shutil.copytree(generated, merging)
    merged = merge_shards(project(merging), [bundles])
    assert snapshot(merging) == snapshot(single)
    assert merged.messages == one.messages and merged.blocks == one.blocks
    assert [(r.slug, r.errors, r.percent) for r in merged.checks] == [(r.slug, r.errors, r.percent) for r in one.checks]
    assert merged.build_states == one.build_states and merged.processed == one.processed == 14
    assert (merged.written, merged.unchanged) == (one.written, one.unchanged)


def test_a_bundle_naming_a_file_outside_the_project_is_refused(generated: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    machine = tmp_path / "machine"
    shutil.copytree(generated, machine)
    assert runner.invoke(cli, ["--root", str(machine), "run", "-j", "1", "--shard", "1/1"]).exit_code == 0
    record = machine / "l10n-shards/shard-1-of-1/shard.json"
    record.write_text(record.read_text().replace('"files": [', '"files": [\n  "../../escape.txt",', 1))
    merged = runner.invoke(cli, ["--root", str(machine), "merge-shards", str(machine / "l10n-shards")])
    assert merged.exit_code == 2 and "outside the project" in merged.output
    assert not (tmp_path / "escape.txt").exists()


def _one_shard(generated: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A project run as shard 1 of 1, and a fresh checkout to merge into."""
    runner = CliRunner()
    machine = tmp_path / "machine"
    shutil.copytree(generated, machine)
    assert runner.invoke(cli, ["--root", str(machine), "run", "-j", "1", "--shard", "1/1"]).exit_code == 0
    merging = tmp_path / "merging"
    shutil.copytree(generated, merging)
    return machine / "l10n-shards", merging


def test_merging_again_keeps_a_translators_edit_made_since(generated: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    bundles, merging = _one_shard(generated, tmp_path)
    merged = runner.invoke(cli, ["--root", str(merging), "merge-shards", str(bundles)])
    assert merged.exit_code == 0 and re.search(r"^merge: [1-9]\d* file\(s\) put in place", merged.output, re.M)
    cache = merging / ".l10n-cache/run.sqlite3"
    first = cache.read_bytes()
    again = runner.invoke(cli, ["--root", str(merging), "merge-shards", str(bundles)])
    assert again.exit_code == 0, again.output  # the bundle's own files: nothing to refuse
    # Nothing to put in place the second time; the summary still counts the run's
    # files (the index pages, written by the first merge, now unchanged).
    assert re.search(r"^merge: 0 file\(s\) put in place from the bundles, [1-9]", again.output, re.M), again.output
    assert sum(_files_counts(again.output)) == sum(_files_counts(merged.output))
    assert _files_counts(again.output)[0] < _files_counts(merged.output)[0]
    assert cache.read_bytes() == first  # nor the run cache rewritten
    po = sorted((merging / "locales/cs/LC_MESSAGES").glob("*.po"))[0]
    edited = po.read_text().replace('msgstr ""\n\n', 'msgstr "PŘEKLAD OD PŘEKLADATELE"\n\n', 1)
    assert edited != po.read_text()
    po.write_text(edited)
    before = snapshot(merging)
    refused = runner.invoke(cli, ["--root", str(merging), "merge-shards", str(bundles)])
    assert refused.exit_code == 2 and "changed since the shards ran" in refused.output
    assert po.name in refused.output and refused.output.count("\n") == 1
    assert snapshot(merging) == before  # nothing written, the edit kept


def test_a_bundle_naming_a_file_not_of_its_articles_is_refused(generated: Path, tmp_path: Path) -> None:
    bundles, merging = _one_shard(generated, tmp_path)
    record = bundles / "shard-1-of-1/shard.json"
    record.write_text(record.read_text().replace('"absent": [', '"absent": [\n  "pyproject.toml",', 1))
    merged = CliRunner().invoke(cli, ["--root", str(merging), "merge-shards", str(bundles)])
    assert merged.exit_code == 2 and "not a file of its articles" in merged.output
    assert (merging / "pyproject.toml").is_file()


def test_a_damaged_run_cache_is_made_again(generated: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    project = tmp_path / "project"
    shutil.copytree(generated, project)
    assert runner.invoke(cli, ["--root", str(project), "run", "-j", "1"]).exit_code == 0
    cache = project / ".l10n-cache/run.sqlite3"
    data = bytearray(cache.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    assert len(data) > 3 * page
    # Every page after the schema's torn: the file still opens, its records do not read.
    data[2 * page :] = (bytes(range(7, 256, 3)) * (len(data) // 85 + 1))[: len(data) - 2 * page]
    cache.write_bytes(bytes(data))
    again = runner.invoke(cli, ["--root", str(project), "run", "-j", "1"])
    assert again.exit_code == 0, again.output
    assert "Traceback" not in again.output


def test_a_shard_takes_other_shards_current_catalogs_as_they_are(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.catalog.po_format import dump_po, parse_po
    from pipeline.commands import run as run_module
    from pipeline.commands.run import run_all
    from pipeline.commands.shards import merge_shards, run_shard
    from pipeline.store.project import Project, load_config

    def project(root: Path) -> Project:
        return Project(root=root, config=load_config(root))

    # A checkout with its catalogs committed (no output/, no cache), and one
    # article of shard 2 edited since: its catalog is not current.
    committed = tmp_path / "committed"
    shutil.copytree(generated, committed)
    run_all(project(committed), jobs=1)
    for made in ("output", ".l10n-cache"):
        shutil.rmtree(committed / made)
    # The memory's suggestions taken back out, so that each shard must make them
    # again from a memory holding the other shard's reviewed translations.
    suggested = 0
    for po_path in (committed / "locales/cs/LC_MESSAGES").glob("*.po"):
        po = parse_po(po_path.read_text(), str(po_path))
        for entry in po:
            if entry.fuzzy and any(line.startswith("tm ") for line in entry.comment.split("\n")):
                suggested += 1
                entry.msgstr, entry.previous_msgid, entry.previous_msgctxt = "", None, None
                entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
                entry.comment = "\n".join(line for line in entry.comment.split("\n") if not line.startswith("tm "))
        po_path.write_text(dump_po(po))
    assert suggested
    slugs = sorted(p.stem for p in (generated / "source/en").glob("*.md"))
    own = [s for s in slugs if in_shard(s, (1, 2))]
    edited = next(s for s in slugs if not in_shard(s, (1, 2)))
    source = committed / "source/en" / f"{edited}.md"
    source.write_text(source.read_text() + "\nA paragraph added after the catalogs were committed.\n")
    single = tmp_path / "single"
    shutil.copytree(committed, single)
    one = run_all(project(single), jobs=1)

    extracted: list[str] = []
    prepare = run_module.prepare_catalogs

    def recording(proj: Project, chosen: list[str], *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        extracted.extend(chosen)
        return prepare(proj, chosen, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(run_module, "prepare_catalogs", recording)
    bundles = tmp_path / "bundles"
    for number in (1, 2):
        machine = tmp_path / f"machine-{number}"
        shutil.copytree(committed, machine)
        extracted.clear()
        run_shard(project(machine), (number, 2), bundles, jobs=1)
        mine = own if number == 1 else [s for s in slugs if s not in own]
        # Its own articles, and of the others' only the one whose catalog is stale.
        assert sorted(set(extracted)) == sorted(set(mine) | {edited})
    merging = tmp_path / "merge"
    shutil.copytree(committed, merging)
    merged = merge_shards(project(merging), [bundles])
    assert snapshot(merging) == snapshot(single)
    from_others = re.findall(r"#\. tm \d+% from (\S+)", "".join(
        (merging / "locales/cs/LC_MESSAGES" / f"{slug}.po").read_text() for slug in own
    ))
    assert any(origin not in own for origin in from_others)
    assert merged.messages == one.messages and (merged.written, merged.unchanged) == (one.written, one.unchanged)
    assert merged.processed == one.processed == len(slugs)
    # The run cache holds the single run's keys (the memory's included): nothing to redo.
    again = run_all(project(merging), jobs=1)
    assert again.processed == 0 and again.written == 0
