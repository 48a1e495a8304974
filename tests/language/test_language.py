"""The language registry (pipeline/language/): one record per target language, read by every stage."""

from __future__ import annotations

import ast

import pytest

import pipeline.language as registry
from pipeline.language import ALL, DEFAULT_TARGETS, UnknownLanguage, find_language, language_for
from pipeline.language.script import HANGUL, is_cjk_char, script_of

from support.paths import ROOT
LANGUAGE_DIR = ROOT / "pipeline" / "language"


def test_each_target_has_one_record_with_its_codes():
    assert DEFAULT_TARGETS == ("zh-TW", "ja")
    assert [lang.code for lang in ALL][:2] == ["zh-TW", "ja"]  # the default targets first
    codes = {lang.code: (lang.argos_codes, lang.docx_lang, lang.html_lang) for lang in ALL}
    assert codes["zh-TW"] == (("zt", "zh"), "zh-TW", "zh-Hant-TW")
    assert codes["ja"] == (("ja",), "ja-JP", "ja")
    assert codes["ko"] == (("ko",), "ko-KR", "ko")
    assert language_for("zh-TW").argos[1].converter == "s2twp"  # en→zh + OpenCC when there is no en→zt
    assert language_for("ko").display_name == "Korean (한국어)" and language_for("ja").column_header == "日本語"


def test_unknown_codes_raise_a_clear_error_and_aliases_find_their_record():
    with pytest.raises(UnknownLanguage, match=r"'fr'.*known: zh-TW, ja"):
        language_for("fr")
    assert language_for("zh_TW") is language_for("zh-Hant") is language_for("zh-TW")
    assert find_language("zh-HK").code == "zh-TW"  # same primary subtag: the same script rules
    assert find_language("fr") is None


def test_a_language_is_one_module_and_the_package_imports_only_core():
    import importlib

    infrastructure = {"__init__", "base", "defaults", "registry", "script", "numerals", "typography"}
    modules = {path.stem for path in LANGUAGE_DIR.glob("*.py")} - infrastructure
    records = {importlib.import_module(f"pipeline.language.{name}").LANGUAGE.code: name for name in modules}
    assert len(records) == len(modules) == len(ALL)  # one record per module, and every module's record registered
    assert {lang.code for lang in ALL} == set(records) >= {"zh-TW", "ja", "ko"}
    assert records["ko"] == "ko" and records["zh-TW"] == "zh_tw"
    for path in LANGUAGE_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pipeline"):
                assert node.module.startswith(("pipeline.core", "pipeline.language")), (path.name, node.module)


def test_one_definition_of_a_cjk_character_includes_hangul():
    from pipeline.language import typography
    from pipeline.source import detect
    from pipeline.translation import protect

    assert typography.is_cjk_char is is_cjk_char and detect.script_of is script_of
    for ch in "漢かカ한ㄱ，。「":
        assert is_cjk_char(ch) and detect.is_foreign(ch) and protect._is_cjk(ch)
    assert script_of("한") == HANGUL and not is_cjk_char("A") and not is_cjk_char("é")


def test_korean_is_written_with_spaces_and_western_punctuation():
    ko, ja = language_for("ko"), language_for("ja")
    assert ko.spaced and ko.joiner == " " and not ko.full_width_punctuation and ko.unit == "words"
    assert not ja.spaced and ja.joiner == "" and ja.list_comma == "、" and ja.unit == "characters"
    from pipeline.glossary.model import written_in_cjk_script, join_with_abbreviation
    from pipeline.language.typography import join_pieces, typeset

    assert written_in_cjk_script("ko")  # CJK script: glossary forms compared ignoring spaces
    assert join_with_abbreviation("고려대학교", "KU", "ko") == "고려대학교 (KU)"
    assert join_with_abbreviation("熊本大學", "KU", "zh-TW") == "熊本大學（KU）"
    assert join_pieces(["서울대학교와", "협약을 맺었다."], "ko") == "서울대학교와 협약을 맺었다."
    assert join_pieces(["熊本大學與", "簽署協議。"], "zh-TW") == "熊本大學與簽署協議。"
    assert typeset("협약을  맺었다, 2025년.", "ko") == "협약을 맺었다, 2025년."  # no full-width punctuation


def test_the_engine_joins_pieces_of_a_korean_sentence_with_spaces():
    from support.scripted_engines import ScriptedEngine

    assert ScriptedEngine(to_code="ko", lang="ko").joiner == " "
    assert ScriptedEngine(to_code="zt").joiner == "" and ScriptedEngine(to_code="zh").joiner == ""
    assert ScriptedEngine(to_code="ja", lang="ja").joiner == "" and ScriptedEngine(to_code="fr", lang="fr").joiner == " "


def test_number_words_of_every_language_are_read():
    from pipeline.qa.checks import numbers

    assert {5_000_000, 300_000_000, 20_000_000, 120_000_000} <= numbers.target_numbers("500만 명, 3억 원, 2천만, 1억 2천만")
    assert 100_000_000 in numbers.target_numbers("1억 2천만")  # the part before the space stays a number too
    assert numbers.check("It costs 5 million dollars and 300 million won.", "500만 달러와 3억 원이 든다.", "ko", []) == []
    assert numbers.check("5 million", "600만", "ko", [])[0].code == "number-missing"
    assert numbers.target_numbers("500萬") == numbers.target_numbers("500万") == {500, 5_000_000}



def test_korean_number_syllables_inside_words_are_not_numbers():
    """만 and 천 are syllables of everyday words (하지만 "but", 인천 Incheon): read as a number only after a digit, so
    they never stand in for a number the translation lost."""
    from pipeline.qa.checks import numbers

    assert numbers.target_numbers("하지만 인천에서") == set()
    missing = numbers.check("The fund has 10,000 dollars.", "하지만 기금은 달러가 있다.", "ko", [])
    assert [finding.code for finding in missing] == ["number-missing"]
    assert numbers.check("The fund has 10,000 dollars.", "하지만 기금은 1만 달러가 있다.", "ko", []) == []
    assert numbers.check("It costs 1,000 yen.", "千円です。", "ja", []) == []  # ja writes 千 alone: still read

def test_korean_untranslated_text_is_caught_and_no_cjk_spacing_rules_apply():
    from pipeline.qa.checks import punctuation, spaces, untranslated

    english = "The university signed an agreement with the city."
    assert untranslated.check(english, "The university signed an agreement 도시.", "ko", [])[0].code == "untranslated"
    assert untranslated.check(english, "대학교는 시와 협약을 체결했다.", "ko", []) == []
    assert spaces.check(english, "대학교는 시와 협약을 체결했다.", "ko", []) == []
    assert punctuation.check(english, "대학교, 시와 협약을 체결했다.", "ko", []) == []


def test_documents_and_web_pages_take_fonts_and_language_tags_from_the_record():
    from pipeline.publish.formats.html import html_lang
    from pipeline.publish.word import docx_lang_tag, east_asian_fonts_of
    from pipeline.review.write.writer import language_style

    korean = language_for("ko").fonts
    assert (korean.face, korean.tag, korean.faces[0].charset) == ("Malgun Gothic", "ko-KR", "81")
    for language in ALL:
        assert docx_lang_tag(language.code) == language.docx_lang
        assert html_lang(language.code) == language.html_lang
        assert east_asian_fonts_of(language.code) is language.fonts
        style = language_style(language.code)
        assert (style.column, style.east_asia_font) == (language.column_header, language.fonts.face)
    assert (docx_lang_tag("fr"), html_lang("fr"), east_asian_fonts_of("fr")) == ("fr", "fr", None)


def test_argos_tables_come_from_the_registry():
    from pipeline.translation.engine import packages, verify

    assert packages.TARGET_CODES["zh-TW"] == [("zt", None), ("zh", "s2twp")]
    assert packages.TARGET_CODES["ko"] == [("ko", None)]
    assert verify.EXPECTED_SCRIPT == {"zt": "zh", "zh": "zh", "ja": "ja", "ko": "ko"}
    assert verify.metadata_problem({"to_code": "ko", "to_name": "Japanese"})
    assert verify.metadata_problem({"to_code": "ko", "to_name": "Korean"}) is None


def test_cli_defaults_come_from_the_registry():
    from pipeline.cli.run import DEFAULT_TARGETS as run_targets
    from pipeline.glossary.lint import DEFAULT_REQUIRED_LANGS

    assert run_targets == DEFAULT_REQUIRED_LANGS == registry.DEFAULT_TARGETS


def test_title_patterns_come_from_the_registry():
    from pipeline.glossary.people.titles import HouseStyle

    style = HouseStyle()
    assert style.render("ko", "김민수", "총장", "고려대") == "고려대 김민수 총장"
    assert style.render("ja", "小川久雄", "学長", "熊本大学") == "熊本大学の小川久雄学長"
    assert style.render("zh-TW", "余明隆", "校長") == "余明隆校長"
    assert style.render("fr", "Yu", "Président") == "Président Yu"
