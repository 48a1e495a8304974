"""`translate glossary check --against`: wrong forms of another language, kana in Chinese, and term counts."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli.glossary import glossary as glossary_cli
from pipeline.glossary import load_glossary
from pipeline.glossary.terms import check_against_segment, kana_runs, wrong_forms

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "tests" / "fixtures" / "office-glossary"  # the frozen copy (support/paths.py)
FIXTURES = ROOT / "tests" / "fixtures" / "glossary"

TWICE = "Kumamoto University signed the agreement; Kumamoto University will host the students."


def check(*args: str) -> tuple[int, list[dict], str]:
    result = CliRunner().invoke(glossary_cli, ["check", "--format", "json", *args], catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout), result.stderr


def segment_problems(source: str, lang: str, text: str) -> list[tuple[str, str | None]]:
    kmu = load_glossary(SHIPPED)
    problems = check_against_segment("doc", "s1", source, kmu.find(source), lang, text)
    return [(p.code, p.found) for p in problems]


# ------------------------------------------------------------------------------------------- wrong-form


def test_one_of_two_mentions_in_the_ja_form_is_a_wrong_form():
    status, problems, _ = check(str(SHIPPED), "--against", str(FIXTURES / "against-wrong-form.manifest.json"))
    assert status == 1
    errors = [p for p in problems if p["severity"] == "error"]
    assert [(p["code"], p["segment"], p["lang"], p["found"], p["expected"]) for p in errors] == [
        ("wrong-form", "p01.s01", "zh-TW", "熊本大学", "熊本大學")
    ]
    assert errors[0]["entry"] == "kumamoto-university"
    assert "the ja form" in errors[0]["message"]
    # the same text also has the target only once for two mentions: a warning beside the error
    assert [p["code"] for p in problems if p["severity"] == "warning"] == ["term-count"]


def test_wrong_form_in_ja_is_the_zh_tw_form():
    source = "Kumamoto University and Kumamoto University"
    assert segment_problems(source, "ja", "熊本大学と熊本大學") == [("term-count", "1"), ("wrong-form", "熊本大學")]


def test_forms_shared_by_the_languages_are_not_wrong_forms():
    kmu = load_glossary(SHIPPED)
    assert wrong_forms(kmu.get("ming-lung-yu"), "zh-TW") == []  # 余明隆 in both
    assert wrong_forms(kmu.get("kumamoto-city"), "ja") == []  # 熊本市 in both
    assert wrong_forms(kmu.get("kmu"), "zh-TW") == [("ja", "高雄医学大学")]
    assert wrong_forms(kmu.get("kmu"), "ja") == [("zh-TW", "高雄醫學大學"), ("zh-TW", "高醫")]


def test_abbreviation_form_of_another_language_is_a_wrong_form():
    # KMU alone is 高醫 in zh-TW and stays KMU in ja: 高醫 in a Japanese text is the zh-TW abbreviation
    assert segment_problems("KMU signed.", "ja", "KMU（高醫）が署名した。") == [("wrong-form", "高醫")]


def test_clean_translations_have_no_wrong_forms():
    assert segment_problems(TWICE, "zh-TW", "熊本大學簽署協議；熊本大學將接待學生。") == []
    assert segment_problems(TWICE, "ja", "熊本大学が署名し、熊本大学が受け入れる。") == []


def test_known_limitation_a_longer_wrong_string_containing_the_target():
    # docs/glossary.md: 熊本大學校 contains the target 熊本大學, and no other language's form: not detected.
    assert segment_problems("Kumamoto University signed.", "zh-TW", "熊本大學校簽署協議。") == []


# ------------------------------------------------------------------------------------------- kana-in-zh


def test_kana_in_a_zh_tw_translation_is_an_error():
    status, problems, _ = check(str(SHIPPED), "--against", str(FIXTURES / "against-kana-in-zh.manifest.json"))
    assert status == 1
    kana = [p for p in problems if p["code"] == "kana-in-zh"]
    assert [(p["segment"], p["lang"], p["found"], p["severity"]) for p in kana] == [
        ("p01.s01", "zh-TW", "ハーバード", "error")
    ]
    # the Harvard Medical School form is also missing
    assert {p["code"] for p in problems} == {"kana-in-zh", "term-missing"}


def test_kana_runs():
    assert kana_runs("ハーバード大學與ひらがな") == ["ハーバード", "ひらがな"]
    assert kana_runs("高雄ー熊本・約翰") == []  # the prolonged-sound mark alone and the middle dot are not kana
    assert kana_runs("ｶﾀｶﾅ") == ["ｶﾀｶﾅ"]  # half-width katakana


def test_kana_is_not_checked_in_ja_and_not_when_the_source_has_it():
    assert segment_problems("Kumamoto University", "ja", "熊本大学はハーバードと") == []
    assert segment_problems("Kumamoto University (熊本大学のセンター)", "zh-TW", "熊本大學（熊本大学のセンター）") == [
        ("wrong-form", "熊本大学")
    ]


# ------------------------------------------------------------------------------------------- term-count


def test_fewer_targets_than_mentions_is_a_warning_that_keeps_exit_0():
    status, problems, _ = check(str(SHIPPED), "--against", str(FIXTURES / "against-term-count.manifest.json"))
    assert status == 0
    assert [(p["code"], p["severity"], p["expected"], p["found"]) for p in problems] == [
        ("term-count", "warning", "熊本大學", "1")
    ]
    assert "2 times" in problems[0]["message"]


def test_term_count_in_human_and_github_formats():
    fixture = str(FIXTURES / "against-term-count.manifest.json")
    human = CliRunner().invoke(glossary_cli, ["check", str(SHIPPED), "--against", fixture])
    assert human.exit_code == 0
    assert "OK: 24 entries in 1 file, 1 document; 1 warning" in human.stderr
    assert ": warning: term-count: segment p01.s01 (zh-TW)" in human.stdout
    github = CliRunner().invoke(glossary_cli, ["check", "--format", "github", str(SHIPPED), "--against", fixture])
    assert github.exit_code == 0
    assert github.stdout.startswith("::warning file=")


def test_no_target_at_all_is_term_missing_not_term_count():
    # one term-missing per mention, as before; no term-count on top
    assert segment_problems(TWICE, "zh-TW", "該校簽署協議。") == [("term-missing", None)] * 2
