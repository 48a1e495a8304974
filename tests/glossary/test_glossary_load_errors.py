"""Glossary files that cannot be used: one-line errors with file:line (exit 2), and a glossary with no entries
refused rather than silently checking nothing (docs/robustness.md, "Glossary")."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.core.errors import GlossaryError
from pipeline.glossary import load_glossary

GOOD = "entries:\n  - id: gate\n    english: Gate\n    targets: {zh-TW: 門, ja: 門}\n"
TBX_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX" xml:lang="en"><text><body>\n'


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def _refused(path: Path) -> str:
    with pytest.raises(GlossaryError) as error:
        load_glossary(path)
    assert error.value.exit_code == 2
    message = error.value.message
    assert "\n" not in message, message
    return message


# ------------------------------------------------------------------------------------------ one-line errors


@pytest.mark.parametrize(
    "name, data, line, words",
    [
        ("nul-first.yaml", b"\x00", 1, "NUL byte"),
        ("nul-inside.yaml", GOOD.replace("Gate\n", "Gate\x00\n").encode(), 3, "NUL byte"),
        ("control.yaml", GOOD.replace("Gate\n", "Ga\x01te\n").encode(), 3, "U+0001"),
        ("binary.yaml", b"entries:\n" + bytes(range(1, 9)) * 4, 2, "binary or damaged"),
        ("nul.csv", "id,english,zh-TW,ja\ngate,Gate\x00,門,門\n".encode(), 2, "NUL byte"),
        ("unclosed.yaml", "entries:\n  - id: gate\n    english: [Gate\n", 3, "YAML syntax error"),
        ("tab.yaml", "entries:\n\t- id: gate\n", 2, "YAML syntax error"),
        ("nul.tbx", (TBX_HEAD + "<termEntry>\x00</termEntry></body></text></martif>\n").encode(), 3, "XML error"),
        ("unclosed.tbx", (TBX_HEAD + "<termEntry>\n").encode(), 4, "XML error"),
    ],
)
def test_load_errors_are_one_line_with_file_and_line(tmp_path, name, data, line, words):
    path = _write(tmp_path, name, data)
    message = _refused(path)
    assert message.startswith(f"{path}:{line}: "), message
    assert words in message
    assert "<unicode string>" not in message and "position" not in message


def test_a_nul_byte_in_the_glossary_stops_the_run_with_one_line(tmp_path, sample_copy, installed):
    glossary = _write(tmp_path, "nul.yaml", b"\x00")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(sample_copy), "--glossary", str(glossary), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().count("\n") == 0 and f"{glossary}:1:" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_glossary_check_reports_a_nul_byte_on_one_line(tmp_path):
    glossary = _write(tmp_path, "nul.yaml", GOOD.replace("Gate\n", "Gate\x00\n"))
    result = CliRunner().invoke(main, ["glossary", "check", str(glossary)])
    assert result.exit_code == 2
    assert result.stdout.strip() == f"{glossary}:3: parse: {_refused(glossary).split(': ', 1)[1]}"


# ------------------------------------------------------------------------------------ no entries at all


EMPTY = [
    ("empty.yaml", ""),
    ("comments.yaml", "# the glossary\n"),
    ("no-list.yaml", "version: 1\nentries:\n"),
    ("empty-list.yaml", "version: 1\nentries: []\n"),
    ("header-only.csv", "\ufeffid,english,zh-TW,ja\n"),
    ("empty.csv", ""),
    ("no-terms.tbx", TBX_HEAD + "</body></text></martif>\n"),
]


@pytest.mark.parametrize("name, text", EMPTY, ids=[name for name, _ in EMPTY])
def test_a_glossary_without_entries_is_refused(tmp_path, name, text):
    path = _write(tmp_path, name, text)
    message = _refused(path)
    assert message.startswith(f"{path}:1: ") and "no entries" in message and "wrong file" in message


@pytest.mark.parametrize("name, text", EMPTY, ids=[name for name, _ in EMPTY])
def test_glossary_check_reports_a_glossary_without_entries_as_an_error(tmp_path, name, text):
    path = _write(tmp_path, name, text)
    result = CliRunner().invoke(main, ["glossary", "check", str(path)])
    assert result.exit_code == 2, result.output
    assert f"{path}:1:" in result.stdout and "no entries" in result.stdout
    assert "1 problem" in result.stderr


def test_an_empty_glossary_file_stops_the_run_before_anything_is_written(tmp_path, sample_copy, installed):
    glossary = _write(tmp_path, "terms.yaml", "")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(sample_copy), "--glossary", str(glossary), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert str(glossary) in result.stderr and "no entries" in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert not out.exists()


def test_a_folder_without_glossary_files_is_refused(tmp_path):
    folder = tmp_path / "glossaries"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a glossary", encoding="utf-8")
    message = _refused(folder)
    assert str(folder) in message and "no glossary files" in message


def test_an_empty_file_beside_good_ones_in_a_folder_is_named(tmp_path):
    folder = tmp_path / "glossaries"
    folder.mkdir()
    _write(folder, "a.yaml", GOOD)
    empty = _write(folder, "b.yaml", "")
    assert _refused(folder).startswith(f"{empty}:1: ")


def test_a_glossary_with_entries_still_loads(tmp_path):
    assert [e.id for e in load_glossary(_write(tmp_path, "good.yaml", GOOD)).entries] == ["gate"]
