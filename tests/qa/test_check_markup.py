"""The markup check (pipeline/qa/checks/markup.py): a formatting tag or glossary placeholder left in the translation
as letters, in any shape a model gives it, is an error; ordinary brackets, arithmetic and markup the English holds
itself are not. Run by the one QA at run, import and publish."""

from __future__ import annotations

import pytest

from pipeline.qa import ERROR, check_segment

SOURCE = "KMU signed an agreement with Kumamoto University in Taiwan."


def _residue(target: str, source: str = SOURCE, lang: str = "zh-TW") -> list[str]:
    found = [f for f in check_segment(source, target, lang, []) if f.code == "markup-residue"]
    assert all(f.severity == ERROR for f in found)
    return [f.message for f in found]


@pytest.mark.parametrize(
    ("target", "shown"),
    [
        ("合 <作1>國言學臺合言譯合國作院學灣</作1>.", ["<作1>", "</作1>"]),  # letters transliterated (the row)
        ("高醫與‹訳1>熊本大学‹/訳1>が締結。", ["‹訳1>", "‹/訳1>"]),  # another bracket, another script
        ("高醫與＜b1＞熊本大學＜/b1＞簽約。", ["＜b1＞", "＜/b1＞"]),  # full-width brackets
        ("高醫與< a 1 >熊本大學< / a 1 >簽約。", ["< a 1 >", "< / a 1 >"]),  # spaces inside
        ("高醫與<b7>熊本大學</b7>簽約。", ["<b7>", "</b7>"]),  # renumbered, the project's own shape
        ("高醫與〈b1〉熊本大學〈/b1〉簽約。", ["〈b1〉", "〈/b1〉"]),  # title brackets around a tag's own name
        ("高醫與[a1]熊本大學[/a1]簽約。", ["[a1]", "[/a1]"]),  # re-bracketed as BBCode
        ("高醫與<a1熊本大學簽約。", ["<a1"]),  # the closing bracket lost
        ("高醫與熊本大學a1>簽約。", ["a1>"]),  # the opening bracket lost
        ("高醫與熊本大學/作1>簽約。", ["/作1>"]),
        ("高醫與熊本大學作1>簽約。", ["作1>"]),
        ("高醫與<sup1>熊本大學</sup1>簽約。", ["<sup1>", "</sup1>"]),
        ("高醫與<<b1>>熊本大學簽約。", ["<<b1>>"]),
        ("高醫與熊本大學⟦1⟧簽約。", ["⟦1⟧"]),  # a glossary placeholder
        ("高醫與熊本大學⟦ １ ⟧簽約。", ["⟦ １ ⟧"]),
        ("高醫與熊本大學〚1〛簽約。", ["〚1〛"]),
        ("高醫與熊本大學⟦1簽約。", ["⟦1"]),  # half a placeholder
        ("高醫與熊本大學1⟧簽約。", ["1⟧"]),
        ("高醫與熊本大學⟦⟧簽約。", ["⟦"]),  # the number lost
        ("高醫與ZXQ1簽約。", ["ZXQ1"]),
        ("高醫與 Z X Q 2 簽約。", ["Z X Q 2"]),
        ("高醫與ｚｘｑ１簽約。", ["ｚｘｑ１"]),
    ],
)
def test_tag_and_placeholder_residue_is_an_error_naming_it(target, shown):
    [message] = _residue(target)
    for piece in shown:
        assert f"“{piece}”" in message
    assert "delete it" in message


def test_the_stage_sentinels_are_residue_too():
    [message] = _residue("高醫與熊本大學\U000f0001簽約。")
    assert "U+F0001" in message


@pytest.mark.parametrize(
    "target",
    [
        "據《熊本日日新聞》報導，高醫與熊本大學簽約。",  # book titles
        "〈研究報告〉與〈表1〉、《三國志2》都是書名號。",  # 〈…〉 around ordinary words, a title with a number
        "〈第1回〉交流會於〈1〉號館舉行。",
        "結果顯示 a < b，且 p < 0.05、x>3、2 < 3 > 1。",  # arithmetic
        "參見文獻[1]與【2】。",  # a reference, a CJK list marker
        "〚注〛高醫與熊本大學簽約。",
        "COVID19 疫苗；A4 紙張；ZX 系列；Q1 財報。",
        "高醫與熊本大學簽約。",
    ],
)
def test_ordinary_text_is_not_residue(target):
    assert _residue(target) == []
    assert _residue(target, lang="ja") == []


def test_markup_the_english_holds_itself_is_allowed_as_often_as_it_holds_it():
    source = "The <b1> element and the ⟦1⟧ sign are ZXQ1 codes."
    assert _residue("<b1> 元素與 ⟦1⟧ 符號是 ZXQ1 代碼。", source) == []
    [message] = _residue("<b1> 元素與 <b1> ⟦1⟧ 符號是 ZXQ1 代碼。", source)  # once more than the English: residue
    assert "“<b1>”" in message


def test_the_check_is_an_error_of_the_registry_in_every_language():
    for lang in ("zh-TW", "ja", "ko"):
        assert _residue("<作1>고려</작1>", lang=lang)
