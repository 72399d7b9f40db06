"""End-to-end tests of the l10n command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import html5lib
import pytest
from click.testing import CliRunner

from pipeline.cli.main import cli

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "tests" / "data" / "seeds"


def invoke(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--root", str(root), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_python_dash_m_runs_the_same_command() -> None:
    done = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert "import" in done.stdout and "run" in done.stdout


def test_import_writes_then_is_unchanged(tmp_path: Path) -> None:
    args = ("import", str(SEEDS / "002_ada2ef6ccfe4cc2d.txt"), "--lang", "cs", "--slug", "d2")
    code, out, _ = invoke(tmp_path, *args)
    assert code == 0 and out.strip() == "wrote source/cs/d2.md"
    code, out, _ = invoke(tmp_path, *args)
    assert code == 0 and out.strip() == "unchanged source/cs/d2.md"


def test_import_refuses_to_overwrite_a_different_article(tmp_path: Path) -> None:
    target = tmp_path / "source" / "cs" / "d2.md"
    target.parent.mkdir(parents=True)
    target.write_text("---\ntitle: Edited by hand\n---\n\nKeep me.\n")
    code, _, err = invoke(tmp_path, "import", str(SEEDS / "002_ada2ef6ccfe4cc2d.txt"), "--lang", "cs", "--slug", "d2")
    assert code == 2
    assert err.startswith("error: source/cs/d2.md: the article exists")
    assert "Keep me." in target.read_text()


def test_run_does_every_stage_and_a_second_run_changes_nothing(project_root: Path) -> None:
    code, out, _ = invoke(project_root, "run")
    assert code == 0, out
    assert "l10n run" in out and "output/reports/cs/index.html" in out
    assert (project_root / "locales/cs/LC_MESSAGES/rejekts-2025-london-day-2.po").is_file()
    assert (project_root / "locales/templates/rejekts-2025-london-day-1.pot").is_file()
    page = (project_root / "output/cs/rejekts-2025-london-day-2.html").read_text()
    document = html5lib.parse(page, namespaceHTMLElements=False)
    assert document.get("lang") == "cs"
    assert document.find("head/title").text == "Rejekts 2025 v Londýně – druhý den"
    assert (project_root / "output/reports/cs/rejekts-2025-london-day-2.html").is_file()
    first = snapshot(project_root)
    code, out, _ = invoke(project_root, "run", "--quiet")
    assert code == 0
    assert out.strip().endswith("0 file(s) written, 2 unchanged, 4 article(s) unchanged since the last run")
    assert snapshot(project_root) == first
    code, _, _ = invoke(project_root, "run", "--strict")
    assert code == 1  # the day-two article still misses its dropped lists


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary data"),
        (b"Nadpis\n\nText \xe8l\xe1nku.\n", "not valid UTF-8"),
    ],
)
def test_bad_input_is_one_line_with_exit_2(tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    code, out, err = invoke(tmp_path, "import", str(bad), "--lang", "cs", "--slug", "bad")
    assert code == 2
    assert err.count("\n") == 1 and err.startswith(f"error: {bad}") and message in err
    assert "Traceback" not in err
    assert not (tmp_path / "source").exists()


def test_unknown_language_and_bad_date_are_usage_errors(tmp_path: Path) -> None:
    seed = str(SEEDS / "000_7bc680ae9ef17361.txt")
    code, _, err = invoke(tmp_path, "import", seed, "--lang", "xx-nope", "--slug", "s")
    assert code == 2 and "unknown language" in err
    code, _, err = invoke(tmp_path, "import", seed, "--lang", "en", "--slug", "s", "--date", "1.4.2025")
    assert code == 2 and "YYYY-MM-DD" in err
    for option in ("--source-lang", "--target-lang"):
        code, _, err = invoke(tmp_path, "compare", seed, str(SEEDS / "002_ada2ef6ccfe4cc2d.txt"), option, "qq")
        assert code == 2 and err == f"error: {option}: unknown language 'qq' (use a code such as en, cs, de, pt_BR)\n"


@pytest.mark.parametrize("command", [["run"], ["check"], ["build"], ["update"], ["status"], ["report"]])
def test_no_source_articles_is_an_error_not_an_empty_success(project_root: Path, command: list[str]) -> None:
    # A wrong --root or source_dir: the check must not pass, nor the run delete pages.
    code, _, _ = invoke(project_root, "run")
    assert code == 0
    before = snapshot(project_root)
    (project_root / "source").rename(project_root / "elsewhere")
    code, _, err = invoke(project_root, *command)
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("error: source/en: no source articles") and "--root" in err
    assert snapshot(project_root) == {k.replace("source/", "elsewhere/", 1) if k.startswith("source/") else k: v for k, v in before.items()}


@pytest.mark.parametrize("command", [["run"], ["check"], ["update"], ["pretranslate", "--lang", "cs"], ["build"]])
def test_an_empty_catalog_is_an_error_not_made_again(project_root: Path, command: list[str]) -> None:
    # Cut short by a crash or a bad save: making it again would hide the loss.
    code, _, _ = invoke(project_root, "run")
    assert code == 0
    po = project_root / "locales/cs/LC_MESSAGES/rejekts-2025-london-day-2.po"
    po.write_text("")
    before = snapshot(project_root)
    code, out, err = invoke(project_root, *command)
    error = "locales/cs/LC_MESSAGES/rejekts-2025-london-day-2.po:1: the catalog is empty"
    assert code == 2
    if command == ["check"]:  # reported with the other articles' findings, as any broken file
        assert f"{error[:-len(': the catalog is empty')]}: error syntax: the catalog is empty" in out
    else:
        assert err.count("\n") == 1 and err.startswith(f"error: {error}")
    assert snapshot(project_root) == before


def test_an_empty_template_is_made_again(project_root: Path) -> None:
    # A template is generated, nobody's work: unlike a PO file, it is rewritten.
    code, _, _ = invoke(project_root, "run")
    pot = project_root / "locales/templates/kubecon-eu-2021-recap.pot"
    pot.write_text("")
    code, _, err = invoke(project_root, "update", "--lang", "cs")
    assert code == 0, err
    assert 'msgid "KubeCon + CloudNativeCon EU 2021 recap"' in pot.read_text()


def test_broken_source_article_is_reported_with_its_line(project_root: Path) -> None:
    (project_root / "source" / "en" / "broken.md").write_text("---\ntitle: x\ndate: [2025\n---\n\nBody\n")
    code, _, err = invoke(project_root, "run")
    assert code == 2
    assert err.strip().startswith("error: source/en/broken.md:3: front matter: ")


def test_pretranslate_from_the_command_line_with_a_fake_deepl(
    project_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from fake_deepl import FakeDeepL

    code, out, _ = invoke(project_root, "update")
    assert code == 0, out
    code, out, _ = invoke(project_root, "pretranslate", "--mt", "deepl")
    assert code == 2 and "DEEPL_AUTH_KEY" not in out  # the hint is on stderr
    with FakeDeepL() as fake:
        monkeypatch.setenv("DEEPL_AUTH_KEY", fake.key)
        monkeypatch.setenv("DEEPL_SERVER_URL", fake.url)
        fake.script = [456]
        code, out, err = invoke(project_root, "pretranslate", "kubecon-eu-2021-recap", "--mt", "deepl")
        assert code == 1
        assert err.startswith("error: DeepL quota exceeded: ") and err.count("\n") == 1
        assert fake.key not in err + out
        code, out, err = invoke(project_root, "pretranslate", "kubecon-eu-2021-recap", "--mt", "deepl")
        assert code == 0, err
        assert "filled 44 machine-translated; 0 left empty" in out
    po = (project_root / "locales/cs/LC_MESSAGES/kubecon-eu-2021-recap.po").read_text()
    assert "#. machine translation (DeepL)" in po and "#, fuzzy" in po
    assert fake.key not in po


def test_slugs_are_file_names_and_other_files_are_ignored(project_root: Path) -> None:
    seed = str(SEEDS / "000_7bc680ae9ef17361.txt")
    for slug in ("../../evil", "a b/c"):
        code, _, err = invoke(project_root, "import", seed, "--lang", "en", "--slug", slug)
        assert code == 2 and "invalid slug" in err
    assert not (project_root.parent / "evil.md").exists()
    drafts = project_root / "source/en/drafts"
    drafts.mkdir()
    (drafts / "wip.md").write_text("# Draft\n\nNot ready.\n")
    (project_root / "source/en/notes.markdown").write_text("Notes.\n")
    code, out, err = invoke(project_root, "update")
    assert code == 0, err
    assert not (project_root / "locales/cs/LC_MESSAGES/wip.po").exists()
    for command in ("update", "check", "build"):  # a path is no slug, even where a file is
        code, out, err = invoke(project_root, command, "drafts/wip")
        assert code == 2 and not (project_root / "locales/cs/LC_MESSAGES/wip.po").exists(), (command, out, err)


def test_unwritable_output_is_a_one_line_error(project_root: Path) -> None:
    assert invoke(project_root, "update")[0] == 0
    (project_root / "output").write_text("a file where a folder should be")
    code, _, err = invoke(project_root, "build", "--threshold", "0")
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err


def test_configuration_mistakes_are_named(project_root: Path) -> None:
    pyproject = project_root / "pyproject.toml"
    original = pyproject.read_text()
    for bad, message in (
        ('languages = ["cs"]', 'languages = ["cs", "en"]'),
        ("[tool.l10n.import]", '[tool.l10n.check]\nfuzzy_is_warning = "no"\n[tool.l10n.import]'),
    ):
        pyproject.write_text(original.replace(bad, message))
        code, _, err = invoke(project_root, "status")
        assert code == 2 and err.startswith("error: ") and "pyproject.toml" in err, err
    pyproject.write_text(original)
    code, _, err = invoke(project_root, "run", "--lang", "de")
    assert code == 2 and "not a configured language" in err
    assert not (project_root / "locales/de").exists()


ADDENDA = "locales/cs/addenda/rejekts-2025-london-day-2.json"
#: Ways an addenda file can be broken, with the line the error names and what it says.
BROKEN_ADDENDA = {
    "json": (b'[\n  {"after_msgid": "x",\n', 3, "invalid JSON"),
    "shape": (b'[\n  {"after_msgid": "", "after_msgctxt": "", "kind": "paragraph", "text": "a"},\n  {"text": 1}\n]\n', 3,
              "addendum 2: 'after_msgid' is missing or not a string"),
    "utf8": (b'[\n  {"after_msgid": "", "after_msgctxt": "", "kind": "paragraph", "text": "\xe8"}\n]\n', 2, "not valid UTF-8"),
    "empty": (b"", 1, "the addenda file is empty"),
}


@pytest.fixture(scope="module")
def ran_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled project after one `l10n run` (shared: copy it before changing it)."""
    root = tmp_path_factory.mktemp("ran") / "project"
    root.mkdir()
    shutil.copytree(REPO / "source", root / "source")
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    assert invoke(root, "run", "--quiet")[0] == 0
    return root


@pytest.mark.parametrize("broken", sorted(BROKEN_ADDENDA))
@pytest.mark.parametrize(
    "command", [["align"], ["run"], ["check"], ["status"], ["build", "--threshold", "0"], ["report"]], ids=lambda c: c[0]
)
def test_a_broken_addenda_file_stops_every_command_that_reads_it(
    ran_project: Path, tmp_path: Path, command: list[str], broken: str
) -> None:
    root = tmp_path / "project"
    shutil.copytree(ran_project, root)
    # Something for each command to write, had the file been usable.
    shutil.rmtree(root / "output")
    shutil.rmtree(root / "locales/templates")
    content, line, message = BROKEN_ADDENDA[broken]
    (root / ADDENDA).write_bytes(content)
    before = snapshot(root)
    code, out, err = invoke(root, *command)
    assert code == 2, (out, err)
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"error: {ADDENDA}:{line}: {message}"), err
    hint = "convert the file to UTF-8" if broken == "utf8" else "restore it from version control, or fix it"
    assert err.rstrip().endswith(")") and f" ({hint}" in err
    assert snapshot(root) == before


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("failure", "cause"),
    [
        ("refused", "DeepL unreachable"),
        (500, "DeepL server error"),
        ("wrong key", "DeepL rejected the key"),
        (456, "DeepL quota exceeded"),
        ("quota after one batch", "DeepL quota exceeded"),
    ],
)
def test_a_run_whose_machine_translation_fails_finishes_and_exits_1(
    project_root: Path, monkeypatch: pytest.MonkeyPatch, failure: object, cause: str
) -> None:
    import deepl
    from fake_deepl import FakeDeepL

    from pipeline.commands import pretranslate as pretranslate_ops
    from pipeline.mt.deepl import plan_batches

    monkeypatch.setattr(deepl.http_client, "max_network_retries", 0)
    monkeypatch.setattr(deepl.http_client, "min_connection_timeout", 5.0)  # a loaded machine must not time out
    # Batches of 10 texts: a quota can run out after the first.
    monkeypatch.setattr(pretranslate_ops, "plan_batches", lambda texts: plan_batches(texts, max_texts=10))
    with FakeDeepL() as fake:
        monkeypatch.setenv("DEEPL_AUTH_KEY", "a-wrong-secret:fx" if failure == "wrong key" else fake.key)
        monkeypatch.setenv("DEEPL_SERVER_URL", f"http://127.0.0.1:{_closed_port()}" if failure == "refused" else fake.url)
        fake.script = ["ok", 456] if failure == "quota after one batch" else [failure] * 99
        code, out, err = invoke(project_root, "run", "--mt", "deepl")
        secret = os.environ["DEEPL_AUTH_KEY"]
        # The failure is the last line, on its own: exit 1, no traceback, no key.
        assert code == 1, (out, err)
        assert err.count("\n") == 1 and err.startswith(f"error: {cause}: ") and "Traceback" not in err, err
        assert secret not in out + err
        # The rest of the run was done: summary, pages and reports of every article.
        assert "l10n run" in out and "output/reports/cs/index.html" in out
        for slug in ("kubecon-eu-2021-recap", "rejekts-2025-london-day-1", "rejekts-2025-london-day-2", "rejekts-eu-2022-valencia"):
            assert (project_root / f"output/reports/cs/{slug}.html").is_file()
        assert (project_root / "output/cs/index.html").is_file()
        catalogs = sorted((project_root / "locales/cs/LC_MESSAGES").glob("*.po"))
        translated = [po.name for po in catalogs if "#. machine translation (DeepL)" in po.read_text()]
        assert bool(translated) == (failure == "quota after one batch")  # the batch paid for is saved
        assert all(secret not in p.read_text(errors="replace") for p in project_root.rglob("*") if p.is_file())
        # Nothing is taken for done: the next run with DeepL back translates the rest.
        monkeypatch.setenv("DEEPL_AUTH_KEY", fake.key)
        monkeypatch.setenv("DEEPL_SERVER_URL", fake.url)
        fake.script = []
        code, out, err = invoke(project_root, "run", "--mt", "deepl")
        assert code == 0, (out, err)
        assert all("#. machine translation (DeepL)" in po.read_text() for po in catalogs)


@pytest.mark.parametrize("key", [None, "", "  "])
def test_a_run_asked_for_machine_translation_without_a_key_is_a_usage_error(
    project_root: Path, monkeypatch: pytest.MonkeyPatch, key: str | None
) -> None:
    # As `l10n pretranslate --mt deepl`: a CI job whose secret is missing must not pass.
    if key is None:
        monkeypatch.delenv("DEEPL_AUTH_KEY", raising=False)
    else:
        monkeypatch.setenv("DEEPL_AUTH_KEY", key)
    before = snapshot(project_root)
    code, out, err = invoke(project_root, "--quiet", "run", "--mt", "deepl")
    assert code == 2, (out, err)
    assert err.count("\n") == 1 and err.startswith("error: --mt deepl needs an API key") and "DEEPL_AUTH_KEY" in err
    assert snapshot(project_root) == before
