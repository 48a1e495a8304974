"""TBX from other tools: translate-toolkit writes termEntry elements without an id."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from pipeline.cli.glossary import glossary as glossary_cli
from pipeline.glossary import load_glossary
from pipeline.glossary.formats import FORMATS
from pipeline.glossary.formats.tbx_format import generated_id, slug

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "glossary" / "translate-toolkit.tbx"  # written by translate.storage.tbx


def test_the_fixture_really_has_no_ids():
    from translate.storage import tbx

    data = FIXTURE.read_bytes()
    assert b"<termEntry>" in data and b"id=" not in data
    assert len(tbx.tbxfile.parsestring(data).units) == 5


def test_import_of_a_translate_toolkit_tbx(tmp_path):
    out = tmp_path / "tt.yaml"
    result = CliRunner().invoke(glossary_cli, ["import", str(FIXTURE), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    entries = load_glossary(out).entries
    assert [(e.id, e.english, e.targets) for e in entries] == [
        ("kumamoto-university", "Kumamoto University", {"zh-TW": "熊本大學"}),
        ("kyoto-university", "Kyoto University", {"zh-TW": "京都大學"}),
        ("shibasaburo-kitasato", "Shibasaburō Kitasato", {"zh-TW": "北里柴三郎"}),
        ("kyoto-university-2", "Kyoto-University", {"zh-TW": "京大"}),
        ("term-1-000-yen-banknote", "1,000-yen banknote", {"zh-TW": "千圓鈔票"}),
    ]
    check = CliRunner().invoke(glossary_cli, ["check", str(out), "--require-langs", "zh-TW"], catch_exceptions=False)
    assert check.exit_code == 0, check.output


def test_generated_ids_are_stable():
    first = [e.id for e in FORMATS["tbx"].read(FIXTURE)[0]]
    second = [e.id for e in FORMATS["tbx"].read(FIXTURE)[0]]
    assert first == second and len(set(first)) == len(first)


def test_generated_ids_avoid_the_ids_the_file_gives(tmp_path):
    path = tmp_path / "mixed.tbx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX" xml:lang="en"><text><body>\n'
        '<termEntry><langSet xml:lang="en"><tig><term>Kyoto University</term></tig></langSet>'
        '<langSet xml:lang="zh_TW"><tig><term>京都大學</term></tig></langSet></termEntry>\n'
        '<termEntry id="kyoto-university"><langSet xml:lang="en"><tig><term>Kyoto Univ.</term></tig></langSet>'
        '<langSet xml:lang="zh-TW"><tig><term>京大</term></tig></langSet></termEntry>\n'
        "</body></text></martif>\n",
        encoding="utf-8",
    )
    entries, problems = FORMATS["tbx"].read(path)
    assert problems == []
    assert [(e.id, e.targets) for e in entries] == [
        ("kyoto-university-2", {"zh-TW": "京都大學"}),  # zh_TW read as zh-TW
        ("kyoto-university", {"zh-TW": "京大"}),
    ]


def test_slug():
    assert slug("Japan–Taiwan University Presidents’ Forum") == "japan-taiwan-university-presidents-forum"
    assert slug("HIV-1") == "hiv-1"
    assert slug("熊本大學") == "term"
    assert generated_id("Kyoto University", {"kyoto-university", "kyoto-university-2"}) == "kyoto-university-3"


def test_an_entry_without_english_is_still_an_error(tmp_path):
    path = tmp_path / "bad.tbx"
    path.write_text(
        '<?xml version="1.0"?>\n<martif type="TBX"><text><body>\n'
        '<termEntry><langSet xml:lang="zh-TW"><tig><term>京都大學</term></tig></langSet></termEntry>\n'
        "</body></text></martif>\n",
        encoding="utf-8",
    )
    _, problems = FORMATS["tbx"].read(path)
    assert [p.message for p in problems] == ["entry without an id", "entry ? has no 'english' form"]
