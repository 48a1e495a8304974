"""pipeline/files/workspace.py: finding translate.toml upwards, reading it into absolute paths, and the manifest's
record of it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.files.workspace import WorkspaceError, find_config, init_workspace, read_workspace, recorded_config

KNOWN = ("zh-TW", "ja", "ko", "zh-CN")
DEFAULT = ("zh-TW", "ja")


def test_found_from_any_folder_below_and_not_above(tmp_path):
    workspace = init_workspace(tmp_path / "office", KNOWN, DEFAULT)
    deep = tmp_path / "office" / "a" / "b" / "c"
    deep.mkdir(parents=True)
    assert find_config(deep) == workspace.config
    assert find_config(tmp_path / "office") == workspace.config
    assert find_config(tmp_path) is None


def test_paths_are_relative_to_the_file_and_absolute(tmp_path):
    config = tmp_path / "translate.toml"
    config.write_text(
        'glossary = "terms/kmu.yaml"\nmemory = "../shared/tm.sqlite"\noutput = "out"\nmodels = ""\nlanguages = ["ja", "ko"]\n',
        encoding="utf-8",
    )
    workspace = read_workspace(config, KNOWN, DEFAULT)
    assert workspace.glossary == tmp_path / "terms" / "kmu.yaml"
    assert workspace.memory == Path(os.path.abspath(tmp_path.parent / "shared" / "tm.sqlite"))
    assert workspace.output == tmp_path / "out"
    assert workspace.models is None  # "": the user's Argos folder
    assert workspace.languages == ("ja", "ko")


def test_settings_left_out_take_the_defaults(tmp_path):
    config = tmp_path / "translate.toml"
    config.write_text("# nothing set\n", encoding="utf-8")
    workspace = read_workspace(config, KNOWN, DEFAULT)
    assert (workspace.glossary, workspace.memory, workspace.output) == (
        tmp_path / "glossaries", tmp_path / "memory.sqlite", tmp_path / "output",
    )  # fmt: skip
    assert workspace.models is None and workspace.languages == DEFAULT


@pytest.mark.parametrize(
    "text, line, what",
    [
        ('glossary = "g"\nglossary = "h"\n', 2, "not valid TOML"),
        ('memory = ""\n', 1, "memory is empty"),
        ('languages = "ja"\n', 1, "languages must be a list"),
        ('\n\nlanguages = []\n', 3, "languages must be a list"),
    ],
)
def test_errors_name_the_file_and_line(tmp_path, text, line, what):
    config = tmp_path / "translate.toml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(WorkspaceError) as error:
        read_workspace(config, KNOWN, DEFAULT)
    message = error.value.format_message()
    assert message.startswith(f"{config}:{line}: ") and what in message
    assert "\n" not in message and error.value.exit_code == 2


def test_not_utf8_is_one_line(tmp_path):
    config = tmp_path / "translate.toml"
    config.write_bytes(b'glossary = "\xff"\n')
    with pytest.raises(WorkspaceError, match="not UTF-8"):
        read_workspace(config, KNOWN, DEFAULT)


def test_the_manifest_record_leads_back_while_the_file_is_there(tmp_path):
    workspace = init_workspace(tmp_path / "office", KNOWN, DEFAULT)
    manifest = {"workspace": workspace.record()}
    assert manifest["workspace"]["path"] == str(tmp_path / "office")
    assert len(manifest["workspace"]["sha256"]) == 64
    assert recorded_config(manifest) == workspace.config
    assert recorded_config({}) is None
    workspace.config.unlink()
    assert recorded_config(manifest) is None


def test_init_never_overwrites(tmp_path):
    init_workspace(tmp_path, KNOWN, DEFAULT)
    before = (tmp_path / "translate.toml").read_bytes()
    with pytest.raises(Exception) as error:
        init_workspace(tmp_path, KNOWN, DEFAULT)
    assert error.value.exit_code == 5
    assert (tmp_path / "translate.toml").read_bytes() == before
    assert Path(tmp_path / "glossaries" / "README.txt").is_file()
