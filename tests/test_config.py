from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import Config
from pipeline.errors import ConfigError
from pipeline.store.project import load_config


def test_defaults_without_configuration(tmp_path: Path) -> None:
    assert load_config(tmp_path) == Config()


def test_pyproject_table_is_read(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.l10n]\nlanguages = ["cs", "de"]\nsource_dir = "content"\n'
        '[tool.l10n.import]\nboilerplate_tail = ["^Ads$"]\n'
    )
    config = load_config(tmp_path)
    assert config.languages == ("cs", "de")
    assert config.source_dir == "content"
    assert config.importing.boilerplate_tail == ("^Ads$",)


def test_l10n_toml_wins(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.l10n]\nlanguages = ["de"]\n')
    (tmp_path / "l10n.toml").write_text('languages = ["sk"]\n')
    assert load_config(tmp_path).languages == ("sk",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[tool.l10n]\nlanguages = ["xx-nope"]\n', "unknown language"),
        ('[tool.l10n]\nlangauges = ["cs"]\n', "unknown key"),
        ("[tool.l10n\n", "invalid TOML"),
        ('[tool.l10n.keep]\ncitations = "yes"\n', "keep.citations must be true or false"),
    ],
)
def test_bad_configuration_is_an_error(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(text)
    with pytest.raises(ConfigError, match=message) as caught:
        load_config(tmp_path)
    assert caught.value.path is not None and caught.value.path.endswith("pyproject.toml")


def test_citations_may_stay_unless_turned_off(tmp_path: Path) -> None:
    assert load_config(tmp_path).keep.citations
    (tmp_path / "pyproject.toml").write_text("[tool.l10n.keep]\ncitations = false\n")
    assert not load_config(tmp_path).keep.citations
