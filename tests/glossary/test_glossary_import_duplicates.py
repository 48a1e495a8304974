"""`glossary import` into a YAML file that already holds one id twice: refused, the file untouched (issue 22).

Before, the merge updated one of the two entries and left the other: which one the office meant was guessed."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.core.errors import GlossaryError
from pipeline.glossary.editing import merge_into_yaml
from pipeline.glossary.load import read_entries

TWICE = """version: 1
entries:
  - id: kmu
    english: Kaohsiung Medical University
    targets: {zh-TW: 高雄醫學大學, ja: 高雄医学大学}   # the university

  - id: kumamoto-university
    english: Kumamoto University
    targets: {zh-TW: 熊本大學, ja: 熊本大学}

  - id: kmu
    english: Kaohsiung Medical University Hospital
    targets: {zh-TW: 高雄醫學大學附設中和紀念醫院, ja: 高雄医学大学附属病院}
"""

INCOMING = """version: 1
entries:
  - id: kmu
    english: Kaohsiung Medical University
    abbreviations: {KMU: {zh-TW: 高醫}}
    targets: {zh-TW: 高雄醫學大學, ja: 高雄医学大学}
  - id: ncvc
    english: National Cerebral and Cardiovascular Center
    targets: {zh-TW: 國立循環器病研究中心, ja: 国立循環器病研究センター}
"""


@pytest.fixture
def office_file(tmp_path):
    path = tmp_path / "glossaries" / "kmu.yaml"
    path.parent.mkdir()
    path.write_text(TWICE, encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["csv", "yaml"])
def test_import_into_a_file_with_a_duplicate_id_is_refused_and_changes_nothing(tmp_path, office_file, fmt):
    source = tmp_path / "incoming.yaml"
    source.write_text(INCOMING, encoding="utf-8")
    if fmt == "csv":
        exported = CliRunner().invoke(main, ["glossary", "export", str(source), "--format", "csv", "-o", str(tmp_path / "in.csv")])
        assert exported.exit_code == 0, exported.output
        source = tmp_path / "in.csv"
    before = office_file.read_bytes()
    result = CliRunner().invoke(main, ["glossary", "import", str(source), "-o", str(office_file)])
    assert result.exit_code == 2, result.output
    [line] = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert f"{office_file}:11:" in line and "'kmu' at lines 3, 11" in line and "nothing was changed" in line
    assert office_file.read_bytes() == before
    assert sorted(p.name for p in office_file.parent.iterdir()) == ["kmu.yaml"]  # no backup either


def test_the_merge_refuses_before_writing_even_when_only_new_entries_come(tmp_path, office_file):
    entries, _, _ = read_entries(_write(tmp_path / "new.yaml", INCOMING))
    before = office_file.read_bytes()
    with pytest.raises(GlossaryError, match="uses an id twice"):
        merge_into_yaml(office_file, [e for e in entries if e.id == "ncvc"], update_existing=False)
    assert office_file.read_bytes() == before


def test_a_file_whose_ids_are_unique_still_merges(tmp_path, office_file):
    office_file.write_text(TWICE.replace("  - id: kmu\n    english: Kaohsiung Medical University Hospital",
                                         "  - id: kmuh\n    english: Kaohsiung Medical University Hospital"),
                           encoding="utf-8")  # fmt: skip
    entries, _, _ = read_entries(_write(tmp_path / "new.yaml", INCOMING))
    report = merge_into_yaml(office_file, entries)
    assert report.updated == ["kmu"] and report.added == ["ncvc"] and report.backup is not None
    assert "# the university" in office_file.read_text(encoding="utf-8")


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path
