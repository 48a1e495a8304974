"""Keeping the glossary by hand (issue 21): `glossary add` into the right file with its comments kept,
`glossary import --delete-missing` (the spreadsheet is the whole truth), `glossary check` of one file resolving
ids against its folder, and a language key that is no language named with the code meant. Every glossary here is
written by the test."""

from __future__ import annotations

import csv
import io

import pytest

from pipeline.core.errors import GlossaryError
from pipeline.glossary import load_glossary

KMU = """\
# The office's names. Keep them alphabetical within a section.
version: 1
entries:
  # --- Institutions ---
  - id: kmu
    english: Kaohsiung Medical University
    kind: institution
    targets: {zh-TW: 高雄醫學大學, ja: 高雄医学大学}   # the official forms

  - id: osaka-university
    english: Osaka University
    kind: institution
    targets:
      zh-TW: 大阪大學
      ja: 大阪大学

  # --- Terms ---
  - id: mou
    english: memorandum of understanding
    targets: {zh-TW: 合作備忘錄, ja: 覚書}

# The titles the office uses
titles:
  - english: Professor
    variants: [Prof.]
    courtesy: true
    forms:
      university: {zh-TW: 教授, ja: 教授}
"""

NCVC = """\

  - id: ncvc
    english: National Cerebral and Cardiovascular Center
    kind: institution
    status: proposed
    targets:
      zh-TW: 國立循環器病研究中心
      ja: 国立循環器病研究センター
    note: From the Osaka release
"""

PERSON = """\
version: 1
entries:
  - id: mei-ling-chen
    english: Mei-Ling Chen
    kind: person
    status: proposed
    targets: {{zh-TW: 陳美玲, ja: 陳美玲}}
    person:
      family: Chen
      family_targets: {{zh-TW: 陳, ja: 陳}}
      titles:
        - {{title: Professor, of: {of}}}
"""


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "glossaries"
    folder.mkdir()
    (folder / "kmu.yaml").write_text(KMU, encoding="utf-8")
    return folder


def add(cli, folder, *args):
    return cli("glossary", "add", *args, "--glossary", folder)


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# ------------------------------------------------------------------------------------------- glossary add


def test_add_goes_after_the_last_entry_of_its_kind_every_other_line_kept(cli, folder):
    result = add(cli, folder, "National Cerebral and Cardiovascular Center", "--kind", "institution",
                 "--target", "zh-TW=國立循環器病研究中心", "--target", "ja=国立循環器病研究センター",
                 "--note", "From the Osaka release", "--id", "ncvc")  # fmt: skip
    assert result.exit_code == 0, result.output
    # exactly the new lines, after Osaka University (the institutions' section), before the Terms heading
    at = KMU.index("\n  # --- Terms ---")
    assert (folder / "kmu.yaml").read_text(encoding="utf-8") == KMU[:at] + NCVC + KMU[at:]
    assert "Added ncvc to" in result.output
    assert "kmu.yaml:17 (the file holding the most institution entries)" in result.output
    glossary = load_glossary(folder)
    entry = next(e for e in glossary.entries if e.english == "National Cerebral and Cardiovascular Center")
    assert entry.status == "proposed" and entry.targets["ja"] == "国立循環器病研究センター"
    assert cli("glossary", "check", folder).exit_code == 0


def test_add_of_a_kind_no_file_holds_goes_to_proposed_yaml_and_file_picks_the_file(cli, folder):
    result = add(cli, folder, "Kumamoto", "--kind", "place", "--target", "zh-TW=熊本", "--target", "ja=熊本",
                 "--status", "approved")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "proposed.yaml:4 (created)" in result.output
    assert (folder / "kmu.yaml").read_text(encoding="utf-8") == KMU
    [entry] = load_glossary(folder / "proposed.yaml").entries
    assert (entry.id, entry.kind, entry.status) == ("kumamoto", "place", "approved")

    chosen = add(cli, folder, "Taipei", "--kind", "place", "--target", "zh-TW=臺北", "--target", "ja=台北",
                 "--file", "kmu.yaml", "--id", "taipei-city")  # fmt: skip
    assert chosen.exit_code == 0, chosen.output
    assert "kmu.yaml" in chosen.output and "(--file)" in chosen.output
    text = (folder / "kmu.yaml").read_text(encoding="utf-8")
    assert text.startswith(KMU[: KMU.index("# The titles")]) and "  - id: taipei-city\n    english: Taipei\n" in text
    assert text.endswith(KMU[KMU.index("\n# The titles") :])  # the titles after the entries stay after them


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("Osaka University", "--kind", "institution", "--target", "zh-TW=大阪大學", "--target", "ja=大阪大学"),
         "kmu.yaml:10: 'Osaka University' is already in the glossary (entry osaka-university"),
        (("Osaka Univ.", "--kind", "institution", "--id", "kmu", "--target", "zh-TW=大阪", "--target", "ja=大阪"),
         "kmu.yaml:5: id 'kmu' is already used (by 'Kaohsiung Medical University'); give another --id"),
        (("Kyoto University", "--kind", "institution", "--target", "zh-TW=京都大學", "--target", "jp=京都大学"),
         "kmu.yaml: `jp` is not a language: did you mean `ja`?"),
        (("Kyoto University", "--kind", "institution", "--target", "zh-TW=京都大學"),
         "kmu.yaml: missing-language: entry kyoto-university ('Kyoto University') has no target for ja; give --target ja=FORM"),
        (("Osaka City", "--kind", "place", "--target", "zh-TW=大阪大學", "--target", "ja=大阪市"),
         "proposed.yaml: shared-target: zh-TW form '大阪大學' is the target of two concepts: osaka-university"),
        (("Kyoto University", "--kind", "college", "--target", "zh-TW=京都大學", "--target", "ja=京都大学"),
         "proposed.yaml: kind 'college' is not one of: institution, person"),
    ],
    ids=["english-twice", "id-twice", "unknown-language", "missing-language", "shared-target", "unknown-kind"],
)  # fmt: skip
def test_add_refuses_in_one_line_naming_the_file_and_writes_nothing(cli, folder, args, said):
    before = snapshot(folder)
    result = add(cli, folder, *args)
    assert result.exit_code == 2, result.output
    assert said in result.output and "nothing was changed" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert snapshot(folder) == before


def test_add_refuses_a_glossary_that_cannot_be_read_and_a_spreadsheet_file(cli, folder):
    (folder / "broken.yaml").write_text("version: 1\nentries:\n  - id: [\n", encoding="utf-8")
    before = snapshot(folder)
    result = add(cli, folder, "Kyoto", "--kind", "place", "--target", "zh-TW=京都", "--target", "ja=京都")
    assert result.exit_code == 2 and "broken.yaml:" in result.output and "fix the glossary first" in result.output
    assert snapshot(folder) == before
    (folder / "broken.yaml").unlink()
    csv_file = add(cli, folder, "Kyoto", "--kind", "place", "--target", "zh-TW=京都", "--target", "ja=京都", "--file", "x.csv")
    assert csv_file.exit_code == 2 and "writes YAML files only" in csv_file.output


def test_add_into_a_file_without_blank_lines_between_entries_adds_none(cli, tmp_path):
    folder = tmp_path / "g"
    folder.mkdir()
    dense = "entries:\n- id: a\n  english: Alpha Institute\n  kind: institution\n  targets: {zh-TW: 甲, ja: 甲}\n" \
            "- id: b\n  english: Beta Institute\n  kind: institution\n  targets: {zh-TW: 乙, ja: 乙}\n"  # fmt: skip
    (folder / "names.yaml").write_text(dense, encoding="utf-8")
    result = add(cli, folder, "Gamma Institute", "--kind", "institution", "--target", "zh-TW=丙", "--target", "ja=丙")
    assert result.exit_code == 0, result.output
    assert (folder / "names.yaml").read_text(encoding="utf-8") == dense + (
        "- id: gamma-institute\n  english: Gamma Institute\n  kind: institution\n  status: proposed\n  targets:\n"
        "    zh-TW: 丙\n    ja: 丙\n"
    )


# ------------------------------------------------------------------------------------------- import --delete-missing


def sheet(tmp_path, cli, folder, drop: str, change: tuple[str, str] | None = None):
    """The folder exported to CSV, the row of `drop` deleted (and one cell changed), as the office does in Excel."""
    exported = tmp_path / "sheet.csv"
    assert cli("glossary", "export", folder / "kmu.yaml", "--format", "csv", "-o", exported).exit_code == 0
    rows = list(csv.reader(io.StringIO(exported.read_text(encoding="utf-8-sig"))))
    rows = [row for row in rows if row[0] != drop]
    if change is not None:
        for row in rows:
            row[:] = [change[1] if cell == change[0] else cell for cell in row]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    edited = tmp_path / "edited.csv"
    edited.write_text(out.getvalue(), encoding="utf-8")
    return edited


OSAKA_LINES = """\
  - id: osaka-university
    english: Osaka University
    kind: institution
    targets:
      zh-TW: 大阪大學
      ja: 大阪大学

"""


def test_delete_missing_removes_the_deleted_rows_entries_lists_them_and_keeps_a_backup(cli, folder, tmp_path):
    edited = sheet(tmp_path, cli, folder, drop="osaka-university")
    result = cli("glossary", "import", edited, "-o", folder / "kmu.yaml", "--delete-missing")
    assert result.exit_code == 0, result.output
    assert (folder / "kmu.yaml").read_text(encoding="utf-8") == KMU.replace(OSAKA_LINES, "")
    assert "0 updated, 0 added, 2 unchanged, 1 removed" in result.output
    assert f"  removed osaka-university ('Osaka University'): its row is not in {edited}" in result.output
    [backup] = folder.glob("kmu.yaml.backup-*")
    assert backup.read_text(encoding="utf-8") == KMU and f"the file before is {backup}" in result.output
    assert [e.id for e in load_glossary(folder).entries] == ["kmu", "mou"]


def test_delete_missing_with_a_changed_cell_updates_in_place_and_removes(cli, folder, tmp_path):
    edited = sheet(tmp_path, cli, folder, drop="kmu", change=("覚書", "了解覚書"))
    result = cli("glossary", "import", edited, "-o", folder / "kmu.yaml", "--delete-missing")
    assert result.exit_code == 0, result.output
    text = (folder / "kmu.yaml").read_text(encoding="utf-8")
    assert "  # --- Institutions ---\n  - id: osaka-university\n" in text  # the heading stays on the section's first
    assert "    targets: {zh-TW: 合作備忘錄, ja: 了解覚書}\n\n# The titles the office uses\n" in text
    assert "Kaohsiung" not in text and "1 updated, 0 added, 1 unchanged, 1 removed" in result.output


def test_without_the_flag_the_missing_entries_are_kept_and_counted(cli, folder, tmp_path):
    edited = sheet(tmp_path, cli, folder, drop="osaka-university")
    result = cli("glossary", "import", edited, "-o", folder / "kmu.yaml")
    assert result.exit_code == 0, result.output
    assert (folder / "kmu.yaml").read_text(encoding="utf-8") == KMU
    assert f"1 entry absent from {edited} kept (osaka-university); --delete-missing removes them" in result.output
    assert not list(folder.glob("*.backup-*"))


def test_delete_missing_refuses_a_sheet_that_shares_no_entry_with_the_file(cli, folder, tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("id,english,zh-TW,ja\nzed,Zed Institute,甲,甲\n", encoding="utf-8")
    before = snapshot(folder)
    result = cli("glossary", "import", other, "-o", folder / "kmu.yaml", "--delete-missing")
    assert result.exit_code == 2 and "none of its 3 entries is in what was imported" in result.output
    assert snapshot(folder) == before


# ------------------------------------------------------------------------------------------- one file, its folder


def test_check_of_one_file_resolves_of_against_its_folder_and_reports_only_that_file(cli, folder):
    (folder / "proposed.yaml").write_text(PERSON.format(of="kmu"), encoding="utf-8")
    result = cli("glossary", "check", folder / "proposed.yaml")
    assert result.exit_code == 0, result.output
    assert "OK: 1 entry in 1 file; people's ids resolved against 1 other file of its folder" in result.output

    (folder / "proposed.yaml").write_text(PERSON.format(of="osaka"), encoding="utf-8")
    (folder / "other.yaml").write_text("entries:\n  - id: kobe\n    english: Kobe \n    kind: place\n"
                                       "    targets: {zh-TW: 神戶, ja: 神戸}\n", encoding="utf-8")  # fmt: skip
    result = cli("glossary", "check", folder / "proposed.yaml")
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line]
    assert lines == [f"{folder / 'proposed.yaml'}:12: person-title: person mei-ling-chen: 'of: osaka' is not the id "
                     "of an institution entry in the glossary"]  # fmt: skip
    assert cli("glossary", "check", folder).exit_code == 1  # the folder checked whole reports the other file too


# ------------------------------------------------------------------------------------------- a language that is none


def test_a_misspelled_language_key_is_named_with_the_code_meant(cli, tmp_path):
    path = tmp_path / "names.yaml"
    path.write_text(KMU.replace("      ja: 大阪大学", "      jp: 大阪大学"), encoding="utf-8")
    result = cli("glossary", "check", path)
    assert result.exit_code == 2
    assert f"{path}:15: schema: `jp` is not a language: did you mean `ja`?" in result.output
    with pytest.raises(GlossaryError, match=r"names\.yaml:15: `jp` is not a language: did you mean `ja`\?"):
        load_glossary(path)


@pytest.mark.parametrize(("key", "said"), [("kr", "did you mean `ko`?"), ("cn", "did you mean `zh-CN`?"),
                                           ("tw", "did you mean `zh-TW`?"), ("xq", "use a language code like zh-TW")])  # fmt: skip
def test_other_typos_and_a_code_that_is_nothing(tmp_path, key, said):
    path = tmp_path / "names.yaml"
    path.write_text(KMU.replace("ja: 覚書", f"{key}: 覚書"), encoding="utf-8")
    with pytest.raises(GlossaryError, match=f"`{key}` is not a language: {said}"):
        load_glossary(path)


def test_a_language_without_a_record_is_still_a_language(tmp_path):
    path = tmp_path / "names.yaml"
    path.write_text(KMU.replace("ja: 覚書}", "ja: 覚書, fr: protocole d'accord, pt-BR: memorando}"), encoding="utf-8")
    assert load_glossary(path).entries[2].targets["fr"] == "protocole d'accord"


def test_a_spreadsheet_column_that_is_no_language_is_named_once_on_the_header(cli, tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("id,english,zh-TW,jp\nkmu,Kaohsiung Medical University,高雄醫學大學,高雄医学大学\n"
                    "mou,memorandum of understanding,合作備忘錄,覚書\n", encoding="utf-8")  # fmt: skip
    result = cli("glossary", "check", path, "--format", "json")
    assert result.exit_code == 2
    assert '"message": "column \'jp\': `jp` is not a language: did you mean `ja`?"' in result.stdout
    assert result.stdout.count("is not a language") == 1


def test_import_adds_a_new_row_after_a_flow_mapping_ending_the_list_as_lines(cli, folder, tmp_path):
    """The last entry's `targets: {…}` and the comment after the list stay whole (ruamel's dump used to put the
    blank line inside the flow mapping's braces)."""
    edited = sheet(tmp_path, cli, folder, drop="")
    with edited.open("a", encoding="utf-8") as out:
        out.write("kyoto,Kyoto,,,place,approved,,,,京都,京都,,,,\n")
    result = cli("glossary", "import", edited, "-o", folder / "kmu.yaml")
    assert result.exit_code == 0, result.output
    at = KMU.index("\n# The titles")
    added = "\n  - id: kyoto\n    english: Kyoto\n    kind: place\n    status: approved\n    targets:\n      zh-TW: 京都\n      ja: 京都\n"
    assert (folder / "kmu.yaml").read_text(encoding="utf-8") == KMU[:at] + added + KMU[at:]
