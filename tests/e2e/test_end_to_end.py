"""`translate run` on the sample release with identity Argos packages installed like a user installs them."""

from __future__ import annotations

import json
import subprocess
import sys

import docx
import pytest

from support.paths import GLOSSARY, SAMPLE

LANGS = {"zh-TW": "繁體中文", "ja": "日本語"}


def cell_text(cell) -> str:
    return "\n".join(p.text for p in cell.paragraphs)


@pytest.fixture
def run_sample(installed, sample_copy, tmp_path, cli):
    out = tmp_path / "out"
    result = cli("run", sample_copy, "--out", out, "--glossary", GLOSSARY)
    assert result.exit_code == 0, result.output
    folder = out / SAMPLE.stem
    manifest = json.loads((folder / f"{SAMPLE.stem}.manifest.json").read_text(encoding="utf-8"))
    return folder, manifest, result


def test_documents_have_one_row_per_segment_and_rejoin_to_the_source(run_sample):
    folder, manifest, _ = run_sample
    segments = manifest["segments"]
    lines = [line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    for lang, header in LANGS.items():
        document = docx.Document(folder / f"{SAMPLE.stem}.{lang}.review.docx")
        table = document.tables[0]
        assert [cell_text(c) for c in table.rows[0].cells][:3] == ["ID", "English", header]
        rows = table.rows[1:]
        assert len(rows) == len(segments)
        assert [cell_text(r.cells[0]) for r in rows] == [s["id"] for s in segments]
        english = [cell_text(r.cells[1]) for r in rows]
        rejoined: dict[int, str] = {}
        for segment, text in zip(segments, english):
            rejoined[segment["paragraph"]] = rejoined.get(segment["paragraph"], "") + text + segment["trailing"]
        assert list(rejoined.values()) == lines  # nothing lost, nothing duplicated, order kept


def test_identity_model_output_is_the_source_with_glossary_forms(run_sample):
    folder, manifest, _ = run_sample
    for lang in LANGS:
        document = docx.Document(folder / f"{SAMPLE.stem}.{lang}.review.docx")
        targets = [cell_text(r.cells[2]) for r in document.tables[0].rows[1:]]
        for segment, target in zip(manifest["segments"], targets):
            entry = segment["targets"][lang]
            assert target == entry["text"]  # the manifest matches the document
            # Undo each glossary substitution, right to left: what is left must be the source exactly.
            expected = segment["source"]
            for term in sorted(entry["terms"], key=lambda t: t["start"], reverse=True):
                expected = expected[: term["start"]] + term["target"] + expected[term["end"] :]
            assert target == expected, segment["id"]
            assert not [f for f in entry["flags"] if f["code"].startswith(("glossary-missing", "placeholder"))]


def test_every_sample_glossary_term_is_rendered_in_both_languages(run_sample):
    folder, manifest, _ = run_sample
    text = {lang: "\n".join(s["targets"][lang]["text"] for s in manifest["segments"]) for lang in LANGS}
    expected = {
        "zh-TW": ["高雄醫學大學", "熊本大學", "余明隆", "小川久雄", "盧柏樑", "北里柴三郎", "日本國立循環器病研究中心",
                  "人類反轉錄病毒感染聯合研究中心", "哈佛醫學院", "京都大學", "首爾大學", "新加坡國立大學", "高雄市",
                  "熊本市", "臺日大學校長論壇", "學術合作備忘錄", "學生交換協議", "代謝功能障礙相關脂肪肝病", "全英語授課"],
        "ja": ["高雄医学大学", "熊本大学", "余明隆", "小川久雄", "盧柏樑", "北里柴三郎", "国立循環器病研究センター",
               "ヒトレトロウイルス学共同研究センター", "ハーバード大学医学大学院", "京都大学", "ソウル大学校",
               "シンガポール国立大学", "高雄市", "熊本市", "日台大学学長フォーラム", "学術交流に関する覚書", "学生交流協定",
               "代謝機能障害関連脂肪性肝疾患", "英語による授業"],
    }
    for lang, forms in expected.items():
        for form in forms:
            assert form in text[lang], (lang, form)
        for english in ("Kumamoto University", "Kaohsiung Medical University", "Hisao Ogawa", "Kyoto University"):
            assert english not in text[lang], (lang, english)
    assert "熊本大學" not in text["ja"] and "熊本大学" not in text["zh-TW"]
    for dnt in ("HIV-1", "HTLV-1", "HBV"):
        assert dnt in text["ja"] and dnt in text["zh-TW"]


def test_dateline_is_its_own_verbatim_segment(run_sample):
    folder, manifest, _ = run_sample
    for lang in LANGS:
        rows = docx.Document(folder / f"{SAMPLE.stem}.{lang}.review.docx").tables[0].rows[1:]
        notes = {cell_text(r.cells[0]): cell_text(r.cells[3]) for r in rows}
        assert notes["p02.s01"] == "Kept verbatim (zh)"  # said once, not once per stage
    dateline = [s for s in manifest["segments"] if s["kind"] == "dateline"]
    assert [s["source"] for s in dateline] == ["(中央社訊息服務20251127 16:22:39)"]
    for lang in LANGS:
        assert dateline[0]["targets"][lang]["text"] == dateline[0]["source"]
        assert dateline[0]["targets"][lang]["origin"] == "verbatim"


def test_demo_model_is_labelled_in_console_documents_and_manifest(run_sample):
    folder, manifest, result = run_sample
    assert "NOT a translation" in result.output
    for lang in LANGS:
        assert manifest["models"][lang]["demo"] is True
        document = docx.Document(folder / f"{SAMPLE.stem}.{lang}.review.docx")
        assert any("NOT a translation" in p.text for p in document.paragraphs)


def test_header_names_source_models_and_glossary_hash(run_sample):
    folder, manifest, _ = run_sample
    document = docx.Document(folder / f"{SAMPLE.stem}.zh-TW.review.docx")
    header = "\n".join(p.text for p in document.paragraphs)
    assert SAMPLE.name in header
    assert manifest["models"]["zh-TW"]["package"] in header
    assert manifest["glossary"]["hash"] and manifest["glossary"]["hash"] in header
    section = document.sections[0]
    assert section.page_width > section.page_height


def test_names_the_glossary_lacks_are_listed_in_documents_manifest_and_console(run_sample):
    """The sample's "College of Medicine" is in no glossary entry: the comms team is told where they look."""
    folder, manifest, result = run_sample
    assert manifest["glossary"]["uncovered_names"] == ["College of Medicine"]
    assert "not in the glossary: College of Medicine" in result.output
    for lang in ("zh-TW", "ja"):
        header = [p.text for p in docx.Document(folder / f"{SAMPLE.stem}.{lang}.review.docx").paragraphs]
        [line] = [text for text in header if text.startswith("Not in the glossary: ")]
        assert "College of Medicine" in line and "Kumamoto University" not in line


def test_folder_of_releases_and_single_language(installed, sample_copy, tmp_path, cli):
    second = sample_copy.with_name("second-release.txt")
    second.write_text(sample_copy.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    result = cli("run", sample_copy.parent, "--to", "ja", "--out", out, "--quiet")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "second-release").iterdir() if not p.name.startswith(".")) == [  # .written.json: pipeline/files/release_folder.py
        "second-release.ja.review.docx",
        "second-release.manifest.json",
    ]
    assert (out / SAMPLE.stem / f"{SAMPLE.stem}.ja.review.docx").exists()


def test_releases_with_the_same_name_are_refused_before_anything_is_written(installed, sample_copy, tmp_path, cli):
    """rel.txt and rel.docx, or two folders' rel.txt, would write one output folder: the second would replace the
    first's documents without a word. Refused (exit 3), nothing written; the same file given twice runs once."""
    other = tmp_path / "elsewhere" / sample_copy.name
    other.parent.mkdir()
    other.write_text("A different release.\n\nIt has the same file name.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = cli("run", sample_copy, other, "--out", out)
    assert result.exit_code == 3, result.output
    assert str(sample_copy) in result.output and str(other) in result.output and "rename one" in result.output
    assert not out.exists()
    twice = cli("run", sample_copy, sample_copy.parent / ".." / sample_copy.parent.name / sample_copy.name, "--out", out)
    assert twice.exit_code == 0, twice.output
    assert twice.output.count(f"{sample_copy.name}: 21 segments") == 1


def test_no_model_is_a_clear_error_and_writes_nothing(argos_dir, sample_copy, tmp_path, cli):
    out = tmp_path / "out"
    result = cli("run", sample_copy, "--out", out)
    assert result.exit_code == 4
    assert "translate models install" in result.output and "en→zt" in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    "content, code, words",
    [
        ("", 3, "empty"),
        ("   \n\t\n", 3, "empty"),
        ("高雄醫學大學與日本熊本大學簽署學術合作備忘錄，雙方將在醫學教育與研究方面加強合作。", 3, "--source-lang"),
    ],
)
def test_bad_input_is_refused_before_anything_is_written(installed, tmp_path, cli, content, code, words):
    release = tmp_path / "bad.txt"
    release.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    result = cli("run", release, "--out", out)
    assert result.exit_code == code, result.output
    assert words in result.output and str(release) in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_missing_file_is_refused(installed, tmp_path, cli):
    result = cli("run", tmp_path / "nope.txt", "--out", tmp_path / "out")
    assert result.exit_code == 3 and "nope.txt" in result.output


def test_console_script_exit_codes(installed, tmp_path):
    """The real entry point, as the comms team runs it."""
    release = tmp_path / "empty.txt"
    release.write_text("", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", str(release), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 3
    assert proc.stderr.strip().count("\n") == 0 and "empty" in proc.stderr
