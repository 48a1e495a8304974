"""People with titles resolved across a release (pipeline/glossary/people/mentions.py): every mention rendered from the glossary in
the house style, or flagged on its row; the review Notes say whom a reference was linked to."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from support import scripted_engines as e
from pipeline.glossary import load_glossary
from pipeline.source.ingest import read_release
from pipeline.glossary.people.mentions import resolve_people
from pipeline.review.write.writer import segment_notes
from pipeline.run import StageTimes, translate_release
from pipeline.source.segment import segment_release

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "tests" / "fixtures" / "office-glossary" / "kmu.yaml"  # the frozen copy (support/paths.py)
SAMPLE = ROOT / "samples" / "kmu-kumamoto-mou-2025.txt"

EXTRA = """
  - id: choi-jae-won
    english: Choi Jae-won                # Korean: family name first in English too
    kind: person
    targets: {zh-TW: 崔在源, ja: チェ・ジェウォン}
    person:
      family: Choi
      family_targets: {zh-TW: 崔, ja: チェ}
      titles:
        - {title: President, of: seoul-national-university}

  - id: john-smith
    english: John Smith
    kind: person
    targets: {zh-TW: 約翰·史密斯, ja: ジョン・スミス}   # given name first in both
    person:
      family: Smith
      family_targets: {zh-TW: 史密斯, ja: スミス}
"""

RELEASE = """KMU Welcomes Partners from Seoul and Boston
KMU President Ming-Lung Yu welcomed Seoul National University President Choi Jae-won and Dr. John Smith of Harvard Medical School to Kaohsiung.
Dean Po-Liang Lu of the College of Medicine introduced Prof. Mei-Hua Lu, who leads the new exchange programme.
President Yu thanked President Choi for the visit. Dr. Smith spoke about training.
Dean Lu said the two colleges would exchange students, and Prof. Lu added that Dr. Lu would coordinate it.
Superintendent Wen-Chung Chen said the hospital would host the students.
Prof. Ogawa of Kumamoto University sent a message.
"""


@pytest.fixture(scope="module")
def glossary(tmp_path_factory):
    folder = tmp_path_factory.mktemp("people")
    text = SHIPPED.read_text(encoding="utf-8")
    text = text.replace("\n  # ------------------------------------------------------------------ places", EXTRA + "\n  # ---- places", 1)
    path = folder / "kmu.yaml"
    path.write_text(text, encoding="utf-8")
    return load_glossary(path)


def release_of(tmp_path: Path, text: str, name: str = "people.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return segment_release(read_release(path))


def by_text(people, lang: str) -> dict[str, str | None]:
    return {m.text: m.target(lang) for ms in people.mentions.values() for m in ms}


def notes_of(people, lang: str) -> list[str]:
    return [n.message for ms in people.mentions.values() for m in ms if (n := m.note(lang)) is not None]


def test_titles_and_later_surnames_are_rendered_in_the_house_style(glossary, tmp_path):
    people = resolve_people(release_of(tmp_path, RELEASE), glossary)
    zh, ja = by_text(people, "zh-TW"), by_text(people, "ja")
    assert zh["KMU President Ming-Lung Yu"] == "高醫余明隆校長" and ja["KMU President Ming-Lung Yu"] == "KMUの余明隆学長"
    # Korean: family name first, in each language's own form
    assert zh["Seoul National University President Choi Jae-won"] == "首爾大學崔在源校長"
    assert ja["Seoul National University President Choi Jae-won"] == "ソウル大学校のチェ・ジェウォン学長"
    assert zh["Dr. John Smith"] == "約翰·史密斯博士" and ja["Dr. John Smith"] == "ジョン・スミス博士"
    # later references: the family name alone with the title
    assert (zh["President Yu"], ja["President Yu"]) == ("余校長", "余学長")
    assert (zh["President Choi"], ja["President Choi"]) == ("崔校長", "チェ学長")
    assert (zh["Dr. Smith"], ja["Dr. Smith"]) == ("史密斯博士", "スミス博士")
    # the glossary person's title at a medical school
    assert (zh["Dean Po-Liang Lu"], ja["Dean Po-Liang Lu"]) == ("盧柏樑院長", "盧柏樑医学部長")
    assert (zh["Dean Lu"], ja["Dean Lu"]) == ("盧院長", "盧医学部長")
    # a Japanese person named by surname only, never in the release before: the full name first
    assert (zh["Prof. Ogawa"], ja["Prof. Ogawa"]) == ("小川久雄教授", "小川久雄教授")


def test_notes_say_whom_a_reference_was_linked_to(glossary, tmp_path):
    people = resolve_people(release_of(tmp_path, RELEASE), glossary)
    notes = notes_of(people, "ja")
    assert "“President Yu” = Ming-Lung Yu (ming-lung-yu, President of Kaohsiung Medical University) → 余学長" in notes
    assert any(n.startswith("“Dean Lu” = Po-Liang Lu (po-liang-lu") for n in notes)


def test_two_people_sharing_a_surname_and_an_unglossed_person_are_flagged(glossary, tmp_path):
    people = resolve_people(release_of(tmp_path, RELEASE), glossary)
    zh = by_text(people, "zh-TW")
    notes = notes_of(people, "zh-TW")
    # "Dean Lu": two people named Lu, but only Po-Liang Lu was introduced as Dean → linked (above).
    # "Prof. Lu": the one introduced as Prof. is Mei-Hua Lu, who is not in the glossary → title only, flagged
    assert zh["Prof."] == "教授"
    assert any("Mei-Hua Lu" in n and "not in the glossary" in n and "教授" in n for n in notes)
    # "Dr. Lu": neither was introduced as Dr. → ambiguous, both names in the flag
    (dr_lu,) = [n for n in notes if n.startswith("“Dr. Lu”")]
    assert "2 people named Lu" in dr_lu and "Po-Liang Lu" in dr_lu and "Mei-Hua Lu" in dr_lu and "博士" in dr_lu
    # a person with a title the glossary lacks: the title (in the hospital's form: the default is university…)
    (chen,) = [n for n in notes if "Wen-Chung Chen" in n]
    assert "not in the glossary" in chen and "院長" in chen


def test_through_the_translate_stage_with_a_model_that_would_get_it_wrong(glossary, tmp_path):
    """A model that writes 于 for 余 and 總統 for a university President never sees either: the mention is protected."""

    def bad_model(text: str) -> str:
        return text.replace("President Yu", "于總統").replace("President", "總統")

    release = release_of(tmp_path, RELEASE)
    engines = {"zh-TW": e.ScriptedEngine(bad_model), "ja": e.ScriptedEngine(bad_model, to_code="ja", lang="ja")}
    translated = translate_release(release, engines, glossary, None, StageTimes())
    sent = " ".join(engines["zh-TW"].calls[0])
    assert "President" not in sent.replace("Superintendent", "")
    zh = {t.segment_id: t for t in translated.translations["zh-TW"]}
    ja = {t.segment_id: t for t in translated.translations["ja"]}
    thanked = next(s for s in release.segments if s.source.startswith("President Yu thanked"))
    assert zh[thanked.id].text.startswith("余校長 thanked 崔校長") and "于" not in zh[thanked.id].text
    assert ja[thanked.id].text.startswith("余学長 thanked チェ学長")
    notes = segment_notes(thanked, ja[thanked.id])
    assert any(n.startswith("[person] “President Yu” = Ming-Lung Yu") for n in notes)
    assert "Glossary: President Yu → 余学長" in notes
    flagged = next(s for s in release.segments if "Dr. Lu" in s.source)
    assert any(n.startswith("[person-unresolved] “Dr. Lu”") for n in segment_notes(flagged, zh[flagged.id]))


def test_recovery_without_placeholders_still_renders_the_mention(glossary, tmp_path):
    """A model that loses every placeholder: the segment is translated unprotected and the model's rendering of
    the mention (translated alone) is swapped for the house-style form."""

    def lossy(text: str) -> str:
        return e.drop_everything(text).replace("President Yu", "于總統")

    release = release_of(tmp_path, "President Yu met Prof. Hisao Ogawa in Kumamoto City.\n")
    translated = translate_release(release, {"zh-TW": e.ScriptedEngine(lossy)}, glossary, None, StageTimes())
    (out,) = translated.translations["zh-TW"]
    assert out.text.startswith("余明隆校長 met 小川久雄教授") and "于" not in out.text
    assert "glossary-missing" not in {f.code for f in out.flags}


def test_appositive_and_title_of_institution(glossary, tmp_path):
    text = (
        "Ming-Lung Yu, President of KMU, opened the forum. Hisao Ogawa previously served as President of the "
        "National Cerebral and Cardiovascular Center (NCVC).\n"
    )
    people = resolve_people(release_of(tmp_path, text), glossary)
    zh, ja = by_text(people, "zh-TW"), by_text(people, "ja")
    assert zh["Ming-Lung Yu, President of KMU"] == "高醫余明隆校長"
    assert ja["Ming-Lung Yu, President of KMU"] == "KMUの余明隆学長"
    assert (zh["President"], ja["President"]) == ("理事長", "理事長")  # not 總統 / 大統領, not 校長


def test_unknown_surname_is_flagged(glossary, tmp_path):
    people = resolve_people(release_of(tmp_path, "President Park visited KMU.\n"), glossary)
    (note,) = notes_of(people, "ja")
    assert "no one named Park" in note and "学長" in note
    assert by_text(people, "zh-TW") == {"President": "校長"}


def test_house_style_full_names_on_later_mentions(glossary, tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text(SHIPPED.read_text(encoding="utf-8").replace("later_mentions: family", "later_mentions: full"), encoding="utf-8")
    people = resolve_people(release_of(tmp_path, RELEASE), load_glossary(path))
    assert by_text(people, "zh-TW")["President Yu"] == "余明隆校長"


def test_sample_president_yu_is_the_glossary_person_with_the_university_title(tmp_path):
    from pipeline.glossary import load_glossary as load

    release = segment_release(read_release(SAMPLE))
    glossary = load(SHIPPED)
    engines = {"zh-TW": e.ScriptedEngine(), "ja": e.ScriptedEngine(to_code="ja", lang="ja")}
    translated = translate_release(release, engines, glossary, None, StageTimes())
    for lang, expected in (("zh-TW", "余校長"), ("ja", "余学長")):
        (yu,) = [t for t in translated.translations[lang] if "President Yu" in next(s.source for s in release.segments if s.id == t.segment_id)]
        assert yu.text.startswith(expected + " noted")
        assert any(t.entry_id == "ming-lung-yu" and t.source == "President Yu" for t in yu.terms)
        assert any(f.code == "person" and "ming-lung-yu" in f.message for f in yu.flags)
    first = {t.segment_id: t.text for t in translated.translations["zh-TW"]}
    assert any("高醫余明隆校長" in text and "熊本大學小川久雄校長" in text for text in first.values())
    assert not re.search("總統|大統領", " ".join(t.text for ts in translated.translations.values() for t in ts))


def test_a_language_without_title_forms_keeps_the_plain_glossary_terms(tmp_path):
    """zh-CN: the person has a form, the titles table has none: the title is left to the model, the name and the
    institution stay glossary terms (never the name alone in place of "KMU President Ming-Lung Yu")."""
    path = tmp_path / "g.yaml"
    text = SHIPPED.read_text(encoding="utf-8").replace("      zh-TW: 余明隆\n", "      zh-TW: 余明隆\n      zh-CN: 余明隆\n", 1)
    path.write_text(text, encoding="utf-8")
    glossary = load_glossary(path)
    release = release_of(tmp_path, "KMU President Ming-Lung Yu spoke. President Yu thanked everyone.\n")
    engine = e.ScriptedEngine(to_code="zh", lang="zh-CN")
    translated = translate_release(release, {"zh-CN": engine}, glossary, None, StageTimes())
    first, second = translated.translations["zh-CN"]
    assert first.text == "KMU President 余明隆 spoke."
    assert second.text == "President Yu thanked everyone."  # no form: not rendered, and not flagged as linked
    assert "President" in engine.calls[0][0]
    assert not [f for t in (first, second) for f in t.flags if f.code.startswith("person")]


def test_a_surname_with_an_office_the_person_does_not_hold_is_flagged(glossary, tmp_path):
    """"Vice President Yu" after "KMU President Ming-Lung Yu" is probably another Yu: flagged, not linked."""
    text = "KMU President Ming-Lung Yu and Vice President Yu attended. Prof. Yu spoke. President Yu closed.\n"
    people = resolve_people(release_of(tmp_path, text), glossary)
    zh = by_text(people, "zh-TW")
    assert zh["Vice President"] == "副校長"
    (note,) = [n for n in notes_of(people, "zh-TW") if n.startswith("“Vice President Yu”")]
    assert "Ming-Lung Yu" in note and "not Vice President" in note
    assert zh["Prof. Yu"] == "余教授" and zh["President Yu"] == "余校長"  # a courtesy title, the office he holds
    # and from the glossary alone, with no one named before
    people = resolve_people(release_of(tmp_path, "Vice President Yu attended.\n", "alone.txt"), glossary)
    (note,) = notes_of(people, "ja")
    assert "the glossary's Ming-Lung Yu is President, not Vice President" in note


def test_glossary_check_against_checks_person_references(tmp_path):
    """`glossary check --against` knows "President Yu" must be 余校長 (zh-TW) / 余学長 (ja), and a title alone its
    form: a model's 于總統 or a reviewer's 總統 is reported."""
    import json

    from click.testing import CliRunner

    from pipeline.cli.glossary import glossary as glossary_cli

    manifest = tmp_path / "r.manifest.json"
    segments = [
        {"id": "p01.s01", "source": "KMU President Ming-Lung Yu spoke.",
         "targets": {"zh-TW": {"text": "高醫余明隆校長致詞。"}, "ja": {"text": "KMUの余明隆学長が挨拶した。"}}},
        {"id": "p01.s02", "source": "President Yu thanked the guests.",
         "targets": {"zh-TW": {"text": "于總統感謝來賓。"}, "ja": {"text": "余学長は来賓に感謝した。"}}},
        {"id": "p01.s03", "source": "He served as President of the National Cerebral and Cardiovascular Center (NCVC).",
         "targets": {"zh-TW": {"text": "他曾任日本國立循環器病研究中心（NCVC）總統。"}}},
    ]  # fmt: skip
    manifest.write_text(json.dumps({"segments": segments}, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(glossary_cli, ["check", str(SHIPPED), "--against", str(manifest), "--format", "json"])
    problems = json.loads(result.stdout)
    missing = {(p["segment"], p["lang"], p["expected"]) for p in problems if p["code"] == "term-missing"}
    assert missing == {("p01.s02", "zh-TW", "余校長"), ("p01.s03", "zh-TW", "理事長")}
    assert result.exit_code == 1
