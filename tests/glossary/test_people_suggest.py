"""`glossary suggest` with people, the fragments it no longer reports, `--write`, and `glossary import` into the
office's own YAML file (comments, order and formatting kept, a backup made)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli.glossary import glossary as glossary_cli
from pipeline.glossary import find_uncovered_names, load_glossary
from pipeline.glossary.formats import FORMATS
from pipeline.glossary.people.suggest import find_people

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "tests" / "fixtures" / "office-glossary"  # the frozen copy (support/paths.py)

RELEASE = """KMU Welcomes Nursing Delegation
KAOHSIUNG, Taiwan, March 12, 2026 — KMU President Ming-Lung Yu welcomed Dean Chen-Hsiung Lin of the College of Nursing and Prof. Mei-Hua Lu on Tuesday.
Seoul National University President Jae-won Choi sent a message. The grant of NT$5 million comes from the Ministry of Health and Welfare.
TAIPEI (Nov. 5) — Mayor Chi-Mai Chen and Director Wen-Chung Chen of the National Taiwan University Hospital met on Tuesday.
President Choi and Dean Lin thanked Kaohsiung Medical University.
"""


def run(*args):
    return CliRunner().invoke(glossary_cli, list(args))


@pytest.fixture(scope="module")
def kmu():
    return load_glossary(SHIPPED)


def test_suggest_fragments_seen_on_real_releases_are_not_reported(kmu):
    names = find_uncovered_names(RELEASE, kmu)
    assert "KAOHSIUNG" not in names and "TAIPEI" not in names  # datelines
    assert "NT" not in names  # NT$
    assert not any("Tuesday" in n for n in names)  # "… on Tuesday"
    assert not any(" and " in n and "Lu" in n for n in names)  # "Lin … and Prof. Mei-Hua Lu"
    assert not any(n.endswith((" of", " of the")) or " of the " in n for n in names)  # "Chen of the …"
    assert "College of Nursing" in names and "National Taiwan University Hospital" in names
    assert "Ministry of Health and Welfare" in names  # `and` inside a name still joins


def test_suggest_lists_people_with_titles_and_institutions(kmu):
    people = {p.name: p for p in find_people(RELEASE, kmu)}
    assert set(people) == {"Chen-Hsiung Lin", "Mei-Hua Lu", "Jae-won Choi", "Chi-Mai Chen", "Wen-Chung Chen"}
    lin = people["Chen-Hsiung Lin"]
    assert lin.family == "Lin" and [(t.title, t.institution, t.of) for t in lin.titles] == [("Dean", "College of Nursing", "")]
    choi = people["Jae-won Choi"]
    assert [(t.title, t.institution, t.of) for t in choi.titles] == [
        ("President", "Seoul National University", "seoul-national-university")
    ]
    assert [(t.title, t.institution) for t in people["Wen-Chung Chen"].titles] == [("Director", "National Taiwan University Hospital")]
    assert "Ming-Lung Yu" not in people  # in the glossary


def test_suggest_cli_human_json_and_write(tmp_path):
    release = tmp_path / "release.txt"
    release.write_text(RELEASE, encoding="utf-8")
    result = run("suggest", "--glossary", str(SHIPPED), str(release))
    assert result.exit_code == 0, result.output
    assert "Chen-Hsiung Lin — Dean, College of Nursing" in result.stdout
    result = run("suggest", "--glossary", str(SHIPPED), "--format", "json", str(release))
    payload = json.loads(result.stdout)[str(release)]
    assert "Chen-Hsiung Lin" not in payload["names"]  # listed once, as a person
    assert {"name": "Jae-won Choi", "family": "Choi",
            "titles": [{"title": "President", "institution": "Seoul National University", "of": "seoul-national-university"}]} in payload["people"]  # fmt: skip

    proposed = tmp_path / "proposed.yaml"
    result = run("suggest", "--glossary", str(SHIPPED), str(release), "--write", str(proposed))
    assert result.exit_code == 0, result.output
    entries = {e.english: e for e in load_glossary(proposed).entries}
    choi = entries["Jae-won Choi"]
    assert choi.kind == "person" and choi.status == "proposed" and not choi.targets
    assert choi.person == {"family": "Choi", "titles": [{"title": "President", "of": "seoul-national-university"}]}
    assert entries["College of Nursing"].kind == "institution"
    # the office has not filled them in yet: the check says so, entry by entry
    folder = tmp_path / "glossaries"
    shutil.copytree(SHIPPED, folder)
    shutil.copy(proposed, folder / "proposed.yaml")
    check = run("check", str(folder), "--format", "json")
    assert check.exit_code == 1
    assert {p["code"] for p in json.loads(check.stdout)} == {"missing-language"}
    # writing again into the same file adds nothing twice, keeps what the office typed
    text = proposed.read_text(encoding="utf-8").replace("  status: proposed\n", "  status: proposed  # office: on it\n", 1)
    proposed.write_text(text, encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text("Vice President Hong-Da Lin of Korea University visited KMU.\n", encoding="utf-8")
    result = run("suggest", "--glossary", str(SHIPPED), str(release), str(other), "--write", str(proposed))
    assert result.exit_code == 0, result.output
    after = proposed.read_text(encoding="utf-8")
    assert "# office: on it" in after and after.count("english: Jae-won Choi") == 1 and "Hong-Da Lin" in after
    assert list(tmp_path.glob("proposed.yaml.backup-*"))


IMPORTED = "imported.csv"


def test_import_into_existing_yaml_keeps_comments_order_and_formatting(tmp_path):
    target = tmp_path / "kmu.yaml"
    shutil.copy(SHIPPED / "kmu.yaml", target)
    before = target.read_text(encoding="utf-8")
    entries = load_glossary(target).entries
    # what the office changed in Excel: one target, one note removed, one new entry
    kyoto = next(e for e in entries if e.id == "kyoto-university")
    kyoto.targets["zh-TW"] = "國立京都大學"
    from pipeline.glossary.model import Entry

    entries.append(Entry(id="ncku", english="National Cheng Kung University", kind="institution",
                         targets={"zh-TW": "國立成功大學", "ja": "国立成功大学"}))  # fmt: skip
    source = tmp_path / IMPORTED
    source.write_bytes(FORMATS["csv"].dumps(entries))
    result = run("import", str(source), "-o", str(target))
    assert result.exit_code == 0, result.output
    assert "1 updated, 1 added" in result.output
    after = target.read_text(encoding="utf-8")
    # every line but the changed one is as it was: comments, flow mappings, order, blank lines
    import difflib

    diff = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]  # fmt: skip
    assert diff[:2] == ["-      zh-TW: 京都大學", "+      zh-TW: 國立京都大學"]
    assert all(line.startswith("+") for line in diff[2:])  # the new entry, added: nothing else removed
    assert diff[2:] == ["+  - id: ncku", "+    english: National Cheng Kung University", "+    kind: institution",
                        "+    status: approved", "+    targets:", "+      zh-TW: 國立成功大學", "+      ja: 国立成功大学", "+"]  # fmt: skip
    # before the titles section, whose heading comment stays with it
    assert "      ja: 国立成功大学\n\n# ---" in after
    assert "# Kaohsiung Medical University: institutional names" in after and "KMU: {zh-TW: 高醫}           # ja keeps" in after
    (backup,) = tmp_path.glob("kmu.yaml.backup-*")
    assert backup.read_text(encoding="utf-8") == before
    reloaded = load_glossary(target)
    assert reloaded.get("kyoto-university").targets["zh-TW"] == "國立京都大學" and reloaded.get("ncku") is not None
    assert reloaded.titles.get("President") is not None  # the titles table and house style are untouched
    assert run("check", str(target)).exit_code == 0
    # the same import again changes nothing and makes no backup
    result = run("import", str(source), "-o", str(target))
    assert "0 updated, 0 added" in result.output and len(list(tmp_path.glob("kmu.yaml.backup-*"))) == 1


def test_import_into_a_broken_yaml_names_the_line_and_changes_nothing(tmp_path):
    target = tmp_path / "kmu.yaml"
    text = (SHIPPED / "kmu.yaml").read_text(encoding="utf-8").replace("    kind: institution\n", "    kind: [institution\n", 1)
    target.write_text(text, encoding="utf-8")
    source = tmp_path / IMPORTED
    source.write_bytes(FORMATS["csv"].dumps(load_glossary(SHIPPED).entries[:1]))
    result = run("import", str(source), "-o", str(target))
    assert result.exit_code == 2
    line = text.splitlines().index("    kind: [institution") + 1
    assert f"kmu.yaml:{line}" in result.output or f"kmu.yaml:{line + 1}" in result.output
    assert "YAML syntax error" in result.output and "nothing was changed" in result.output
    assert "Traceback" not in result.output
    assert target.read_text(encoding="utf-8") == text and not list(tmp_path.glob("*.backup-*"))


def test_import_of_a_whole_folder_export_into_one_file_leaves_other_files_entries_alone(tmp_path):
    folder = tmp_path / "glossaries"
    folder.mkdir()
    shutil.copy(SHIPPED / "kmu.yaml", folder / "kmu.yaml")
    (folder / "extra.yaml").write_text(
        "entries:\n  - id: ncku\n    english: National Cheng Kung University\n    kind: institution\n"
        "    targets: {zh-TW: 國立成功大學, ja: 国立成功大学}\n",
        encoding="utf-8",
    )
    exported = tmp_path / "all.csv"
    assert run("export", str(folder), "--format", "csv", "-o", str(exported)).exit_code == 0
    before = (folder / "kmu.yaml").read_bytes()
    result = run("import", str(exported), "-o", str(folder / "kmu.yaml"))
    assert result.exit_code == 0, result.output
    assert "0 updated, 0 added" in result.output and "1 left to the other files" in result.output
    assert (folder / "kmu.yaml").read_bytes() == before
    assert run("check", str(folder)).exit_code == 0
