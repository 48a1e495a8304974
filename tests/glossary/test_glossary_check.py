"""`translate glossary check` (the CI check), `--against`, export/import and suggest, through the Click group."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli.glossary import glossary as glossary_cli
from pipeline.glossary import load_glossary
from pipeline.glossary.formats import FORMATS

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "tests" / "fixtures" / "office-glossary"  # the frozen copy (support/paths.py)
FIXTURES = ROOT / "tests" / "fixtures" / "glossary"
SAMPLE = ROOT / "samples" / "kmu-kumamoto-mou-2025.txt"


def run(*args: str, cwd: Path | None = None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(glossary_cli, list(args), catch_exceptions=False)
    import os

    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(glossary_cli, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def problems_json(*args: str) -> tuple[int, list[dict]]:
    result = run("check", "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


# ------------------------------------------------------------------------------------------- the glossary


def test_shipped_glossary_is_clean():
    result = run("check", str(SHIPPED))
    assert result.exit_code == 0, result.output
    assert "OK: 24 entries in 1 file" in result.stderr


def test_default_path_is_glossaries_in_the_current_folder(tmp_path):
    office = tmp_path / "office"
    shutil.copytree(SHIPPED, office / "glossaries")
    result = run("check", cwd=office)
    assert result.exit_code == 0, result.output
    assert run("check", str(SHIPPED)).stderr == "OK: 24 entries in 1 file\n"
    summary, used = result.stderr.splitlines()  # ./glossaries read, and said last: no workspace here
    assert summary == "OK: 24 entries in 1 file" and used.endswith("makes one): glossary glossaries")
    broken = tmp_path / "broken"
    (broken / "glossaries").mkdir(parents=True)
    (broken / "glossaries" / "duplicate-form.yaml").write_bytes((FIXTURES / "duplicate-form.yaml").read_bytes())
    assert run("check", cwd=broken).exit_code == 1  # the current folder's glossaries/, not another one


def test_no_glossaries_folder_is_a_usage_error(tmp_path):
    result = run("check", cwd=tmp_path)
    assert result.exit_code == 2
    assert "no ./glossaries folder" in result.output


# (fixture, code, line, words in the message, exit code): one fixture per class of error.
CASES = [
    ("parse-error.yaml", "parse", 7, "YAML syntax error", 2),
    ("schema-unknown-field.yaml", "schema", 6, "unknown field 'varients'", 2),
    ("schema-bad-kind.yaml", "schema", 5, "kind 'university' is not one of", 2),
    ("schema-duplicate-id.yaml", "schema", 7, "id 'kyoto' is used twice", 2),
    ("schema-duplicate-key.yaml", "schema", 8, "duplicate key 'zh-TW'", 2),
    ("duplicate-form.yaml", "duplicate-form", 11, "'Kyoto University' is in two entries", 1),
    ("conflicting-targets.yaml", "conflicting-targets", 9, "'Kumamoto University' has two different targets", 1),
    ("shared-target.yaml", "shared-target", 11, "'熊本大學' is the target of two concepts", 1),
    ("missing-language.yaml", "missing-language", 6, "has no target for ja", 1),
    ("simplified-in-zh-TW.yaml", "simplified-in-zh-TW", 7, "医 (Traditional: 醫), 学 (Traditional: 學)", 1),
    ("traditional-in-ja.yaml", "traditional-in-ja", 8, "學 (Japanese: 学)", 1),
    ("mixed-parentheses.yaml", "mixed-parentheses", 7, "mixes half-width ( ) and full-width （ ）", 1),
]


@pytest.mark.parametrize("fixture, code, line, words, exit_code", CASES, ids=[c[0] for c in CASES])
def test_each_class_of_error_is_caught(fixture, code, line, words, exit_code):
    status, problems = problems_json(str(FIXTURES / fixture))
    assert status == exit_code
    assert [(p["code"], p["line"]) for p in problems] == [(code, line)], problems
    assert words in problems[0]["message"]
    assert problems[0]["file"].endswith(fixture)


def test_stray_whitespace_is_caught():
    status, problems = problems_json(str(FIXTURES / "whitespace.yaml"))
    assert status == 1
    assert [(p["code"], p["line"]) for p in problems] == [("whitespace", 4), ("whitespace", 7)]
    assert "double space" in problems[0]["message"]
    assert "leading or trailing whitespace" in problems[1]["message"]


def test_personal_names_and_explicit_exceptions_keep_traditional_forms_in_ja():
    _, problems = problems_json(str(FIXTURES / "traditional-in-ja.yaml"))
    assert {p["entry"] for p in problems} == {"kumamoto-university"}


def test_tai_and_tai_are_both_traditional():
    _, problems = problems_json(str(FIXTURES / "simplified-in-zh-TW.yaml"))
    assert {p["entry"] for p in problems} == {"kmu"}


def test_simplified_characters_in_ja(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text("entries:\n  - id: gate\n    english: Gate\n    targets: {zh-TW: 門, ja: 门}\n", encoding="utf-8")
    status, problems = problems_json(str(path))
    assert status == 1 and [p["code"] for p in problems] == ["simplified-in-ja"]


def test_required_languages_option(tmp_path):
    status, _ = problems_json(str(FIXTURES / "missing-language.yaml"), "--require-langs", "zh-TW")
    assert status == 0
    status, problems = problems_json(str(SHIPPED), "--require-langs", "zh-TW,ja,zh-CN")
    assert status == 1 and {p["code"] for p in problems} == {"missing-language", "title-missing-language"}  # titles need zh-CN too


def test_human_and_github_formats():
    result = run("check", str(FIXTURES / "shared-target.yaml"))
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith("tests/fixtures/glossary/shared-target.yaml:11: shared-target: ") or first.startswith(
        str(FIXTURES / "shared-target.yaml") + ":11: shared-target: "
    )
    result = run("check", "--format", "github", str(FIXTURES / "shared-target.yaml"))
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    assert line.startswith("::error file=")
    assert "shared-target.yaml,line=11,title=glossary shared-target::" in line


def test_github_annotations_are_escaped(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text('entries:\n  - id: a\n    english: "A  50% B"\n    targets: {zh-TW: 甲, ja: 甲}\n', encoding="utf-8")
    result = run("check", "--format", "github", str(path))
    assert "%25" in result.stdout


def test_bad_option_is_exit_2():
    result = run("check", "--format", "xml")
    assert result.exit_code == 2
    assert "Invalid value for '--format': 'xml' is not one of 'human', 'json', 'github'" in result.output


# ------------------------------------------------------------------------------------------- --against


def manifest(tmp_path: Path, zh: str, ja: str, name: str = "release") -> Path:
    source = "Kaohsiung Medical University (KMU) signed a Memorandum of Understanding on Academic Collaboration with Kumamoto University’s president."
    data = {
        "schema_version": 1,
        "run_id": "r1",
        "release": name,
        "segments": [
            {"id": "p01.s01", "kind": "title", "source": "KMU Signs Agreement", "spans": [],
             "targets": {"zh-TW": {"text": "高醫簽署協議"}, "ja": {"text": "KMUが協定に署名"}}},
            {"id": "p02.s01", "kind": "sentence", "source": source, "spans": [],
             "targets": {"zh-TW": {"text": zh}, "ja": {"text": ja}}},
            {"id": "p02.s02", "kind": "dateline", "source": "(中央社訊息服務20251127 16:22:39)",
             "spans": [{"start": 0, "end": 26, "kind": "verbatim", "lang": "zh"}],
             "targets": {"zh-TW": {"text": "(中央社訊息服務20251127 16:22:39)"}}},
        ],
    }  # fmt: skip
    path = tmp_path / f"{name}.manifest.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


GOOD_ZH = "高雄醫學大學（高醫）與熊本大學校長簽署學術合作備忘錄。"
GOOD_JA = "高雄医学大学（KMU）は熊本大学の学長と学術交流に関する覚書を締結した。"


def test_against_a_clean_manifest(tmp_path):
    path = manifest(tmp_path, GOOD_ZH, GOOD_JA)
    result = run("check", str(SHIPPED), "--against", str(path))
    assert result.exit_code == 0, result.output
    assert "1 document" in result.stderr


def test_against_half_width_parentheses_and_spaces_are_fine(tmp_path):
    path = manifest(tmp_path, "高雄醫學大學 (高醫) 與熊本大學校長簽署學術合作備忘錄。", GOOD_JA)
    assert problems_json(str(SHIPPED), "--against", str(path)) == (0, [])
    assert "1 document" in run("check", str(SHIPPED), "--against", str(path)).stderr
    # The same sentence with other brackets, or none, is still checked for '高雄醫學大學（高醫）': a missing term.
    for n, zh in enumerate(["高雄醫學大學 [高醫] 與熊本大學校長簽署學術合作備忘錄。", "高雄醫學大學與熊本大學校長簽署學術合作備忘錄。"]):
        status, problems = problems_json(str(SHIPPED), "--against", str(manifest(tmp_path, zh, GOOD_JA, f"r{n}")))
        assert status == 1 and [(p["code"], p["expected"]) for p in problems] == [("term-missing", "高雄醫學大學（高醫）")]


def test_against_a_manifest_with_a_violation(tmp_path):
    path = manifest(tmp_path, GOOD_ZH, "高雄医学大学（KMU）は熊本大學の学長と学術交流に関する覚書を締結した。")
    status, problems = problems_json(str(SHIPPED), "--against", str(path))
    assert status == 1
    problem, wrong = problems
    assert (wrong["code"], wrong["found"], wrong["lang"]) == ("wrong-form", "熊本大學", "ja")
    assert problem["code"] == "term-missing"
    assert problem["document"].endswith("release.manifest.json")
    assert problem["segment"] == "p02.s01"
    assert problem["lang"] == "ja"
    assert problem["term"] == "Kumamoto University"
    assert problem["expected"] == "熊本大学"
    result = run("check", str(SHIPPED), "--against", str(path))
    assert "segment p02.s01 (ja): 'Kumamoto University' must be rendered '熊本大学'" in result.stdout


def test_against_a_folder(tmp_path):
    manifest(tmp_path, GOOD_ZH, GOOD_JA, name="one")
    manifest(tmp_path, "高雄醫學大學與熊本大學簽署學術合作備忘錄。", GOOD_JA, name="two")
    status, problems = problems_json(str(SHIPPED), "--against", str(tmp_path))
    assert status == 1
    assert [(Path(p["document"]).name, p["expected"]) for p in problems] == [("two.manifest.json", "高雄醫學大學（高醫）")]


def test_against_an_unreadable_document_is_exit_2(tmp_path):
    bad = tmp_path / "bad.manifest.json"
    bad.write_text("{not json")
    status, problems = problems_json(str(SHIPPED), "--against", str(bad))
    assert status == 2 and problems[0]["code"] == "parse"
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really")
    status, problems = problems_json(str(SHIPPED), "--against", str(broken))
    assert status == 2 and problems[0]["code"] == "parse"


def test_against_is_skipped_when_the_glossary_does_not_parse(tmp_path):
    path = manifest(tmp_path, GOOD_ZH, GOOD_JA)
    status, problems = problems_json(str(FIXTURES / "parse-error.yaml"), "--against", str(path))
    assert status == 2 and [p["code"] for p in problems] == ["parse"]


# review documents with tracked changes

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def review_docx(path: Path, lang: str, rows: list[tuple[str, str, list[tuple[str, str]]]]) -> Path:
    """A review document: rows of (id, english, target pieces); a piece is ("", text), ("ins", text) or
    ("del", text) - the last two as tracked changes."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.core_properties.language = lang
    document.core_properties.identifier = "run-1"
    document.core_properties.title = "release"
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ("ID", "English", lang, "Notes")):
        cell.text = text
    for n, (segment_id, english, pieces) in enumerate(rows):
        cells = table.add_row().cells
        cells[0].text = segment_id
        cells[1].text = english
        p = cells[2].paragraphs[0]._p
        for i, (kind, text) in enumerate(pieces):
            if kind == "":
                xml = f'<w:r xmlns:w="{W_NS}"><w:t xml:space="preserve">{text}</w:t></w:r>'
            elif kind == "ins":
                xml = (
                    f'<w:ins xmlns:w="{W_NS}" w:id="{n * 10 + i}" w:author="Reviewer" w:date="2025-11-28T00:00:00Z">'
                    f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:ins>'
                )
            else:
                xml = (
                    f'<w:del xmlns:w="{W_NS}" w:id="{n * 10 + i}" w:author="Reviewer" w:date="2025-11-28T00:00:00Z">'
                    f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'
                )
            p.append(parse_xml(xml))
    document.save(str(path))
    return path


ENGLISH = "KMU signed an agreement with Kumamoto University."


def test_against_a_review_docx_where_a_tracked_insertion_fixes_the_term(tmp_path):
    path = review_docx(
        tmp_path / "release.zh-TW.docx",
        "zh-TW",
        [("p02.s01", ENGLISH, [("", "高醫與熊本大"), ("del", "学"), ("ins", "學"), ("", "簽署協議。")])],
    )
    result = run("check", str(SHIPPED), "--against", str(path))
    assert result.exit_code == 0, result.output
    assert "1 document" in result.stderr and problems_json(str(SHIPPED), "--against", str(path)) == (0, [])


def test_against_a_review_docx_where_a_tracked_change_breaks_the_term(tmp_path):
    path = review_docx(
        tmp_path / "release.ja.docx",
        "ja",
        [("p02.s01", ENGLISH, [("", "KMUは熊本大"), ("del", "学"), ("ins", "學"), ("", "と協定を締結した。")])],
    )
    status, problems = problems_json(str(SHIPPED), "--against", str(path))
    assert status == 1
    assert [(p["code"], p["segment"], p["lang"], p["expected"]) for p in problems] == [
        ("term-missing", "p02.s01", "ja", "熊本大学"),
        ("wrong-form", "p02.s01", "ja", "熊本大学"),  # 熊本大學 is the zh-TW form
    ]


def test_against_a_docx_without_language_is_exit_2(tmp_path):
    path = review_docx(tmp_path / "x.docx", "", [("p01.s01", ENGLISH, [("", "x")])])
    status, problems = problems_json(str(SHIPPED), "--against", str(path))
    assert status == 2 and "target language" in problems[0]["message"]


# ------------------------------------------------------------------------------------------- export / import


@pytest.mark.parametrize("fmt", ["csv", "tbx"])
def test_export_then_import_round_trips(fmt, tmp_path):
    exported = tmp_path / f"kmu.{fmt}"
    result = run("export", str(SHIPPED), "--format", fmt, "-o", str(exported))
    assert result.exit_code == 0, result.output
    imported = tmp_path / "kmu.yaml"
    result = run("import", str(exported), "-o", str(imported))
    assert result.exit_code == 0, result.output
    assert load_glossary(imported).entries == load_glossary(SHIPPED).entries
    assert run("check", str(imported)).exit_code == 0


def test_export_refuses_a_broken_glossary(tmp_path):
    result = CliRunner().invoke(glossary_cli, ["export", str(FIXTURES / "parse-error.yaml"), "--format", "csv", "-o", str(tmp_path / "x.csv")])
    assert result.exit_code == 2
    assert "parse-error.yaml:7" in result.output


def test_import_writes_the_yaml_format(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes(FORMATS["csv"].dumps(load_glossary(SHIPPED).entries[:2]))
    out = tmp_path / "out.yaml"
    assert run("import", str(source), "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "- id: kmu" in text and "KMU:" in text and "zh-TW: 高醫" in text


# ------------------------------------------------------------------------------------------- suggest


def test_suggest_lists_uncovered_names(tmp_path):
    result = run("suggest", "--glossary", str(SHIPPED), str(SAMPLE))
    assert result.exit_code == 0, result.output
    assert "College of Medicine" in result.stdout
    assert "Kumamoto University" not in result.stdout.replace(str(SAMPLE), "")
    result = run("suggest", "--glossary", str(SHIPPED), "--format", "json", str(SAMPLE))
    assert json.loads(result.stdout) == {str(SAMPLE): {"names": ["College of Medicine"], "people": []}}


def test_export_to_a_dash_writes_standard_output_not_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(glossary_cli, ["export", str(SHIPPED), "--format", "csv", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "-").exists()
    assert result.stdout_bytes == FORMATS["csv"].dumps(load_glossary(SHIPPED).entries)
    assert "to standard output" in result.stderr


def test_the_office_glossary_passes_its_check():
    """glossaries/ is the office's data: no test pins what it holds, only that it is a valid glossary (the check
    CI runs, .ci/run and .github/workflows/glossary.yml)."""
    from support.paths import SHIPPED_GLOSSARY

    result = run("check", str(SHIPPED_GLOSSARY))
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("OK: ")

