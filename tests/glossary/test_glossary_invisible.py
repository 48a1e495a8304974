"""Invisible format characters (Unicode Cf) inside a glossary name in a release: matched, replaced whole, and said
(issue 22, blocker 5: a zero-width joiner in `Kao\u200dhsiung Medical University` was a silent miss)."""

from __future__ import annotations

import json
import zipfile

import pytest
from click.testing import CliRunner
from support.scripted_engines import ScriptedEngine

from pipeline.cli import main
from pipeline.core.release import SENTENCE, TEXT, Segment, Span
from pipeline.glossary import load_glossary
from pipeline.glossary.invisible import format_characters_in, visible, visible_copy
from pipeline.translation.stage import translate_segments

# The test's own glossary (never the office's).
GLOSSARY_YAML = """version: 1
entries:
  - id: kmu
    english: Kaohsiung Medical University
    abbreviations: {KMU: {zh-TW: 高醫}}
    kind: institution
    targets: {zh-TW: 高雄醫學大學, ja: 高雄医学大学}
  - id: kumamoto-university
    english: Kumamoto University
    kind: institution
    targets: {zh-TW: 熊本大學, ja: 熊本大学}
  - id: hiv-1
    english: HIV-1
    kind: do-not-translate
"""

ZWJ, ZWSP, WORD_JOINER, SOFT_HYPHEN, BOM, LRM = "\u200d", "\u200b", "\u2060", "\u00ad", "\ufeff", "\u200e"


@pytest.fixture
def glossary(tmp_path):
    path = tmp_path / "glossary.yaml"
    path.write_text(GLOSSARY_YAML, encoding="utf-8")
    return load_glossary(path)


@pytest.mark.parametrize("char", [ZWJ, ZWSP, WORD_JOINER, SOFT_HYPHEN, BOM, LRM])
@pytest.mark.parametrize(
    "name, cut, entry, zh",
    [
        ("Kaohsiung Medical University", 3, "kmu", "高雄醫學大學"),
        ("Kumamoto University", 4, "kumamoto-university", "熊本大學"),
        ("Kumamoto University", 9, "kumamoto-university", "熊本大學"),  # right before the space between the words
    ],
)
def test_a_name_with_an_invisible_character_inside_is_matched_whole(glossary, char, name, cut, entry, zh):
    hidden = name[:cut] + char + name[cut:]
    text = f"Officials of {hidden} met on Monday."
    [match] = glossary.find(text)
    assert match.entry.id == entry
    assert match.text == hidden and text[match.start : match.end] == hidden  # the original span, invisible included
    assert match.target("zh-TW") == zh


def test_invisible_characters_around_a_name_stay_outside_its_match(glossary):
    text = f"{BOM}Kumamoto University{ZWSP} and {LRM}KMU{LRM} agreed."
    found = glossary.find(text)
    assert [(m.text, m.entry.id, m.form) for m in found] == [
        ("Kumamoto University", "kumamoto-university", "name"),
        ("KMU", "kmu", "abbreviation"),
    ]


def test_an_abbreviation_and_a_name_kept_in_english_lose_the_invisible_characters(glossary):
    [joined] = glossary.find(f"Kaohsiung{ZWJ} Medical University (K{ZWSP}MU) and partners")
    assert joined.form == "name+abbreviation" and joined.target("zh-TW") == "高雄醫學大學（高醫）"
    [alone] = glossary.find(f"K{WORD_JOINER}MU signed.")
    assert alone.form == "abbreviation" and alone.target("zh-TW") == "高醫" and alone.target("ja") == "KMU"
    [kept] = glossary.find(f"H{SOFT_HYPHEN}IV-1 infections")
    assert kept.text == f"H{SOFT_HYPHEN}IV-1" and kept.target("ja") == "HIV-1"


def test_word_boundaries_are_judged_without_the_invisible_characters(glossary):
    assert glossary.find(f"XKumamoto{ZWJ} University") == []  # still inside a word
    assert glossary.find(f"KMU{ZWSP}s are many") == []


def test_the_comparison_copy_maps_back_to_every_original_offset():
    text = f"a{ZWJ}b{ZWSP}{ZWSP}c"
    shown, offsets = visible_copy(text)
    assert shown == "abc" and [text[i] for i in offsets[:-1]] == ["a", "b", "c"] and offsets[-1] == len(text)
    assert visible_copy("plain") == ("plain", None) and visible_copy("高雄") == ("高雄", None)
    assert format_characters_in(text) == [ZWJ, ZWSP] and visible(text) == "abc"


def _segment(text: str) -> Segment:
    return Segment("p01.s01", SENTENCE, 1, 1, text, "", [Span(0, len(text), TEXT)])


@pytest.mark.parametrize("lang, code, target", [("zh-TW", "zt", "高雄醫學大學"), ("ja", "ja", "高雄医学大学")])
def test_the_row_names_the_invisible_characters_that_went_with_the_name(glossary, lang, code, target):
    text = f"Kao{ZWJ}hsiung Medical University and Kuma{ZWSP}moto University signed an agreement."
    [translation] = translate_segments([_segment(text)], lang, ScriptedEngine(lang=lang, to_code=code), glossary)
    assert target in translation.text and ZWJ not in translation.text and ZWSP not in translation.text
    flags = {flag.code: flag.message for flag in translation.flags}
    message = flags["invisible-characters"]
    assert "U+200D ZERO WIDTH JOINER" in message and "“Kaohsiung Medical University” (entry kmu)" in message
    assert "U+200B ZERO WIDTH SPACE" in message and "kumamoto-university" in message


def test_a_row_without_invisible_characters_has_no_such_flag(glossary):
    text = "Kaohsiung Medical University and Kumamoto University signed an agreement."
    [translation] = translate_segments([_segment(text)], "zh-TW", ScriptedEngine(), glossary)
    assert "高雄醫學大學" in translation.text
    assert "invisible-characters" not in {flag.code for flag in translation.flags}


RELEASE = (
    "KMU and Kumamoto University Sign an Agreement\n"
    f"Kao{ZWJ}hsiung Medical University signed an agreement with Kuma{ZWSP}moto University on Monday.\n"
    f"The Kumamoto{WORD_JOINER} University delegation visited the campus.\n"
)


def test_a_run_replaces_the_names_and_says_so_in_the_notes(tmp_path, monkeypatch):
    from pipeline.translation.engine import argos

    monkeypatch.setattr(
        argos, "load_engine",
        lambda lang, options=None: ScriptedEngine(lang=lang, to_code="zt" if lang == "zh-TW" else "ja"),
    )  # fmt: skip
    glossary = tmp_path / "glossary.yaml"
    glossary.write_text(GLOSSARY_YAML, encoding="utf-8")
    release = tmp_path / "releases" / "invisible.txt"
    release.parent.mkdir()
    release.write_text(RELEASE, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(release), "--out", str(out), "--glossary", str(glossary), "--no-memory", "-q"])
    assert result.exit_code == 0, result.output
    folder = out / release.stem
    manifest = json.loads((folder / f"{release.stem}.manifest.json").read_text(encoding="utf-8"))
    rows = [s for s in manifest["segments"] if format_characters_in(s["source"])]
    assert len(rows) == 2
    for segment in rows:
        target = segment["targets"]["zh-TW"]
        assert "熊本大學" in target["text"] and not format_characters_in(target["text"])
        flags = {flag["code"]: flag["message"] for flag in target["flags"]}
        assert "U+" in flags["invisible-characters"], target
    with zipfile.ZipFile(folder / f"{release.stem}.zh-TW.review.docx") as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert "[invisible-characters]" in body and "U+200D ZERO WIDTH JOINER" in body and "U+2060 WORD JOINER" in body
