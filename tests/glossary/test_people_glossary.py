"""Person entries' parts, the titles table and the house style in the glossary, and what `glossary check` says
about them (docs/glossary.md, "People and titles")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli.glossary import glossary as glossary_cli
from pipeline.core.errors import GlossaryError
from pipeline.glossary import load_glossary
from pipeline.glossary.people.names import person_of
from pipeline.glossary.people.titles import institution_type_of

SHIPPED = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "office-glossary"  # the frozen copy (support/paths.py)

HEAD = """version: 1
entries:
  - id: kmu
    english: Kaohsiung Medical University
    kind: institution
    targets: {zh-TW: 高雄醫學大學, ja: 高雄医学大学}
"""


def check(path: Path) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(glossary_cli, ["check", str(path), "--format", "json"])
    return result.exit_code, json.loads(result.stdout or "[]")


def test_shipped_person_has_parts_and_titles():
    kmu = load_glossary(SHIPPED)
    yu = person_of(kmu.get("ming-lung-yu"))
    assert (yu.family, yu.given) == ("Yu", "Ming-Lung")
    assert yu.family_form("zh-TW") == "余" and yu.family_first("ja")
    assert [(t.title, t.of) for t in yu.titles] == [("President", "kmu")]
    ogawa = person_of(kmu.get("hisao-ogawa"))
    assert ogawa.family_form("ja") == "小川" and ogawa.full("ja") == "小川久雄" and ogawa.family_first("ja")
    lu = person_of(kmu.get("po-liang-lu"))
    assert (lu.titles[0].of, lu.titles[0].type) == ("kmu", "medical-school")


def test_title_forms_depend_on_the_kind_of_institution():
    titles = load_glossary(SHIPPED).titles
    president = titles.get("President")
    assert president.form("zh-TW", "university") == "校長" and president.form("ja", "university") == "学長"
    assert president.form("zh-TW", "country") == "總統" and president.form("ja", "country") == "大統領"
    assert president.form("ja", None) == "学長"  # unknown institution: the house style's default (university)
    assert titles.get("Superintendent").form("zh-TW", "hospital") == "院長"
    assert titles.get("Dean").form("ja", "medical-school") == "医学部長"
    assert titles.get("Prof").english == "Professor"  # "Prof." and "Prof" are the same title


def test_institution_type_from_entry_or_name():
    kmu = load_glossary(SHIPPED)
    assert institution_type_of(kmu.get("kmu")) == "university"
    assert institution_type_of(kmu.get("ncvc")) == "institute"  # given in the entry
    assert institution_type_of(kmu.get("harvard-medical-school")) == "medical-school"
    assert institution_type_of(kmu.get("kaohsiung-city")) == "city"


def test_shipped_glossary_passes_check_with_people_and_titles():
    status, problems = check(SHIPPED)
    assert status == 0, problems


def test_check_reports_a_title_without_ja(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text(HEAD + "titles:\n  - english: Chancellor\n    forms:\n      university: {zh-TW: 校監}\n", encoding="utf-8")
    status, problems = check(path)
    assert status == 1
    (problem,) = problems
    assert problem["code"] == "title-missing-language" and "Chancellor" in problem["message"] and "ja" in problem["message"]
    assert problem["line"] == 10


def test_check_reports_a_family_form_that_disagrees_with_the_full_form(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text(
        HEAD
        + "  - id: yu\n    english: Ming-Lung Yu\n    kind: person\n    targets: {zh-TW: 余明隆, ja: 余明隆}\n"
        "    person:\n      family: Yu\n      family_targets: {zh-TW: 于, ja: 余}\n",
        encoding="utf-8",
    )
    status, problems = check(path)
    assert status == 1
    (problem,) = problems
    assert problem["code"] == "person-family-form" and "于" in problem["message"] and "余明隆" in problem["message"]
    assert problem["line"] == 13


def test_check_reports_unknown_title_institution_and_family(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text(
        HEAD
        + "  - id: lin\n    english: Chen-Hsiung Lin\n    kind: person\n    targets: {zh-TW: 林振雄, ja: 林振雄}\n"
        "    person:\n      family: Chen\n      titles:\n        - {title: Archduke, of: kmu}\n        - {title: Dean, of: nowhere}\n",
        encoding="utf-8",
    )
    status, problems = check(path)
    assert status == 1
    codes = sorted(p["code"] for p in problems)
    assert codes == ["person-family", "person-title", "person-title"]
    messages = " ".join(p["message"] for p in problems)
    assert "Archduke" in messages and "nowhere" in messages


@pytest.mark.parametrize(
    "extra, expected",
    [
        ("    institution_type: castle\n", "institution_type 'castle'"),
        ("    person: {family: Yu}\n", "kind 'institution'"),  # person-field is a violation, below
    ],
)
def test_check_new_fields_on_institutions(tmp_path, extra, expected):
    path = tmp_path / "g.yaml"
    path.write_text(HEAD + extra, encoding="utf-8")
    status, problems = check(path)
    assert status in (1, 2) and expected in problems[0]["message"]


def test_house_style_pattern_is_validated(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text(HEAD + 'house_style:\n  patterns:\n    ja: {name: "{title}"}\n', encoding="utf-8")
    status, problems = check(path)
    assert status == 2 and problems[0]["line"] == 9 and "{name}" in problems[0]["message"]
    with pytest.raises(GlossaryError, match=r"g\.yaml:9"):
        load_glossary(path)


def test_house_style_is_configurable(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text(
        HEAD + 'house_style:\n  later_mentions: full\n  patterns:\n    zh-TW: {name: "{title}{name}"}\n', encoding="utf-8"
    )
    style = load_glossary(path).house_style
    assert style.later_mentions == "full"
    assert style.render("zh-TW", "余明隆", "校長") == "校長余明隆"
    assert style.render("ja", "余明隆", "学長", "KMU") == "KMUの余明隆学長"  # ja keeps the default


def test_own_titles_table_replaces_the_default(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text(HEAD + "titles:\n  - english: Rector\n    forms:\n      university: {zh-TW: 校長, ja: 学長}\n", encoding="utf-8")
    titles = load_glossary(path).titles
    assert titles.get("Rector") is not None and titles.get("President") is None
    # a glossary without a titles section gets the shipped table
    plain = tmp_path / "plain.yaml"
    plain.write_text(HEAD, encoding="utf-8")
    assert load_glossary(plain).titles.get("President").form("ja", "hospital") == "病院長"


def test_shipped_titles_table_is_the_code_default():
    """glossaries/kmu.yaml ships the table a glossary without `titles:` gets: the two never drift apart."""
    from pipeline.glossary.people.titles import default_table

    def rows(table):
        return {(t.english, tuple(t.variants), repr(t.forms), t.courtesy) for t in table.titles}

    assert rows(load_glossary(SHIPPED).titles) == rows(default_table())


def test_longest_title_wins():
    titles = load_glossary(SHIPPED).titles
    text = "Chair Professor Wen-Chang Lin met Professor Emeritus John Smith and Vice Superintendent Chen."
    found = [(u.text, u.title.english) for u in titles.finditer(text)]
    assert found == [
        ("Chair Professor", "Chair Professor"),
        ("Professor Emeritus", "Professor Emeritus"),
        ("Vice Superintendent", "Deputy Superintendent"),
    ]
    assert titles.get("Chair Professor").form("zh-TW", None) == "講座教授"
