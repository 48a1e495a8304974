"""Every mention of a person rendered or flagged (issue 21): a bare surname or title + surname of a person the glossary
lacks is flagged on its own row naming the full name found earlier; a glossary person's bare surname is rendered;
a surname inside a longer name is neither. Titles at a college or school (`institution_type: college`) are written
after the college's name: Dean of the College of Nursing → 護理學院院長 / 看護学部長. A glossary of the test's own."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from support import scripted_engines as e
from pipeline.cli.glossary import glossary as glossary_cli
from pipeline.glossary import load_glossary
from pipeline.glossary.people.mentions import resolve_people
from pipeline.glossary.people.suggest import find_people
from pipeline.review.write.writer import segment_notes
from pipeline.run import StageTimes, translate_release
from pipeline.source.ingest import read_release
from pipeline.source.segment import segment_release

GLOSSARY = """version: 1
entries:
  - id: kmu
    english: Kaohsiung Medical University
    abbreviations: {KMU: {zh-TW: 高醫}}
    kind: institution
    targets: {zh-TW: 高雄醫學大學, ja: 高雄医学大学}
  - id: osaka-university
    english: Osaka University
    kind: institution
    targets: {zh-TW: 大阪大學, ja: 大阪大学}
  - id: chen-memorial-hospital
    english: Chen Memorial Hospital
    kind: institution
    targets: {zh-TW: 陳紀念醫院, ja: 陳記念病院}
  - id: nursing
    english: College of Nursing
    kind: institution
    institution_type: college
    targets: {zh-TW: 護理學院, ja: 看護学部}
  - id: pharmacy
    english: College of Pharmacy
    kind: institution
    institution_type: college
    targets: {zh-TW: 藥學院, ja: 薬学部}
  - id: ming-lung-yu
    english: Ming-Lung Yu
    kind: person
    targets: {zh-TW: 余明隆, ja: 余明隆}
    person:
      family: Yu
      family_targets: {zh-TW: 余, ja: 余}
      titles: [{title: President, of: kmu}]
  - id: mei-ling-chen
    english: Mei-Ling Chen
    kind: person
    targets: {zh-TW: 陳美玲, ja: 陳美玲}
    person:
      family: Chen
      family_targets: {zh-TW: 陳, ja: 陳}
      titles: [{title: Dean, of: nursing}]
  - id: wen-lin
    english: Wen Lin
    kind: person
    targets: {zh-TW: 林文, ja: 林文}
    person:
      family: Lin
      family_targets: {zh-TW: 林, ja: 林}
      titles: [{title: Dean, of: kmu, type: medical-school}]
titles:
  - english: Dean
    forms:
      university: {zh-TW: 院長, ja: 学部長}
      medical-school: {zh-TW: 院長, ja: 医学部長}
      college: {zh-TW: 院長, ja: 長}
  - english: Associate Dean
    forms:
      university: {zh-TW: 副院長, ja: 副学部長}
      college: {zh-TW: 副院長, ja: 副学部長}
  - english: President
    forms:
      university: {zh-TW: 校長, ja: 学長}
  - english: Professor
    variants: [Prof.]
    courtesy: true
    forms:
      university: {zh-TW: 教授, ja: 教授}
  - english: Dr.
    courtesy: true
    forms:
      other: {zh-TW: 博士, ja: 博士}
"""

RELEASE = """KMU and Osaka University Sign an Agreement

Osaka University Professor Hiroshi Tanaka visited KMU on Monday. Dr. Min-Jun Kim of Osaka University joined him.

Tanaka said the partnership would grow. Kim noted that students would benefit.

Professor Tanaka and Dr. Kim thanked KMU President Ming-Lung Yu.

Yu welcomed the delegation, and Tanaka’s team toured Chen Memorial Hospital and the Tanaka Lab.
"""


@pytest.fixture(scope="module")
def glossary(tmp_path_factory):
    path = tmp_path_factory.mktemp("later") / "office.yaml"
    path.write_text(GLOSSARY, encoding="utf-8")
    return load_glossary(path)


def release_of(tmp_path: Path, text: str, name: str = "release.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return segment_release(read_release(path))


def segment_with(release, words: str):
    return next(s for s in release.segments if s.source.startswith(words))


def unresolved(people, segment) -> list[str]:
    return [n.message for m in people.mentions.get(segment.id, []) if (n := m.note("ja")) and n.code == "person-unresolved"]


def test_a_bare_surname_is_flagged_on_its_row_naming_the_full_name(glossary, tmp_path):
    release = release_of(tmp_path, RELEASE)
    engines = {"zh-TW": e.ScriptedEngine(), "ja": e.ScriptedEngine(to_code="ja", lang="ja")}
    translated = translate_release(release, engines, glossary, None, StageTimes())
    tanaka_row = segment_with(release, "Osaka University Professor").id
    kim_row = segment_with(release, "Dr. Min-Jun Kim").id
    for lang in ("zh-TW", "ja"):
        rows = {t.segment_id: t for t in translated.translations[lang]}
        said = segment_with(release, "Tanaka said")
        notes = [n for n in segment_notes(said, rows[said.id]) if n.startswith("[person-unresolved]")]
        assert notes == [
            f"[person-unresolved] “Tanaka”: a later mention of Hiroshi Tanaka (row {tanaka_row}), who is not in the "
            "glossary (add the person: translate glossary suggest --write); the name is left to the model: check it"
        ]
        noted = segment_with(release, "Kim noted")
        (kim,) = [n for n in segment_notes(noted, rows[noted.id]) if n.startswith("[person-unresolved]")]
        assert f"“Kim”: a later mention of Min-Jun Kim (row {kim_row})" in kim
        # the possessive is the person too
        toured = segment_with(release, "Yu welcomed")
        (team,) = [n for n in segment_notes(toured, rows[toured.id]) if n.startswith("[person-unresolved]")]
        assert f"“Tanaka”: a later mention of Hiroshi Tanaka (row {tanaka_row})" in team


def test_title_and_surname_is_flagged_once_naming_the_full_name(glossary, tmp_path):
    release = release_of(tmp_path, RELEASE)
    people = resolve_people(release, glossary)
    thanked = segment_with(release, "Professor Tanaka and Dr. Kim")
    tanaka_row = segment_with(release, "Osaka University Professor").id
    kim_row = segment_with(release, "Dr. Min-Jun Kim").id
    notes = unresolved(people, thanked)
    assert len(notes) == 2  # one each: "Kim" after "Dr." is not flagged again as a bare surname
    assert notes[0].startswith(f"“Professor Tanaka”: a later mention of Hiroshi Tanaka (row {tanaka_row})")
    assert notes[1].startswith(f"“Dr. Kim”: a later mention of Min-Jun Kim (row {kim_row})")
    assert "title rendered 教授" in notes[0] and "title rendered 博士" in notes[1]


def test_a_surname_inside_a_longer_name_is_not_a_mention(glossary, tmp_path):
    """`Chen Memorial Hospital` (a glossary institution), `Tanaka Lab` (a name the glossary lacks), another person
    of the same surname written in full (`Mei-Ling Chen` is not a later mention of Wen-Chung Chen), a surname
    before anyone of that name was named, a month, and an everyday word at a sentence start are not flagged."""
    text = (
        "Chen spoke first. Superintendent Wen-Chung Chen of Chen Memorial Hospital welcomed guests.\n\n"
        "The Chen Memorial Hospital team and the Tanaka Lab met. Mei-Ling Chen attended.\n\n"
        "Dr. Alan Young and Dr. Li May attended in May. Young researchers joined; the young team thanked Young.\n"
    )
    release = release_of(tmp_path, text)
    people = resolve_people(release, glossary)
    bare = [(sid, m) for sid, ms in people.mentions.items() for m in ms if m.title is None]
    young_row = segment_with(release, "Young researchers")
    # only "thanked Young", mid-sentence; not "Young researchers" (the release writes "young"), nor "in May"
    assert [(sid, m.text, m.start) for sid, m in bare] == [(young_row.id, "Young", young_row.source.rindex("Young"))]
    assert "a later mention of Alan Young" in bare[0][1].problem
    hospital_row = segment_with(release, "The Chen Memorial")
    assert not unresolved(people, hospital_row)
    assert not [m for m in people.mentions.get(hospital_row.id, []) if m.text == "Chen"]  # the glossary's Mei-Ling Chen neither
    assert not people.mentions.get(segment_with(release, "Chen spoke first").id)


def test_two_people_of_one_surname_make_a_bare_surname_ambiguous(glossary, tmp_path):
    text = "Prof. Hiroshi Tanaka and Dr. Aiko Tanaka visited.\n\nTanaka said more.\n"
    release = release_of(tmp_path, text)
    people = resolve_people(release, glossary)
    (note,) = unresolved(people, segment_with(release, "Tanaka said"))
    assert "2 people named Tanaka in this release (Hiroshi Tanaka, Aiko Tanaka)" in note


def test_a_glossary_persons_bare_surname_is_rendered_and_protected(glossary, tmp_path):
    """After "KMU President Ming-Lung Yu", "Yu welcomed …" is the glossary's person: 余 in both languages, and a
    model that would write 于 never sees the name."""
    release = release_of(tmp_path, RELEASE)

    def bad_model(text: str) -> str:
        return text.replace("Yu", "于")

    engines = {"zh-TW": e.ScriptedEngine(bad_model), "ja": e.ScriptedEngine(bad_model, to_code="ja", lang="ja")}
    translated = translate_release(release, engines, glossary, None, StageTimes())
    welcomed = segment_with(release, "Yu welcomed")
    for lang in ("zh-TW", "ja"):
        (row,) = [t for t in translated.translations[lang] if t.segment_id == welcomed.id]
        assert row.text.startswith("余 welcomed") and "于" not in row.text
        assert any(t.entry_id == "ming-lung-yu" and t.source == "Yu" for t in row.terms)
        assert "[person] “Yu” = Ming-Lung Yu (ming-lung-yu) → 余" in segment_notes(welcomed, row)
    # Yu alone before anyone named Yu: left alone
    people = resolve_people(release_of(tmp_path, "Yu spoke first.\n", "first.txt"), glossary)
    assert not people.mentions


def test_later_mentions_full_writes_the_full_name(tmp_path):
    path = tmp_path / "full.yaml"
    path.write_text(GLOSSARY + "house_style:\n  later_mentions: full\n", encoding="utf-8")
    people = resolve_people(release_of(tmp_path, "Ming-Lung Yu spoke. Then Yu left.\n"), load_glossary(path))
    assert {m.text: m.target("zh-TW") for ms in people.mentions.values() for m in ms} == {"Yu": "余明隆"}


def test_college_titles_are_rendered_through_the_run(glossary, tmp_path):
    text = (
        "KMU Dean Mei-Ling Chen opened the forum.\n\n"
        "Dean Chen thanked Wen Lin, Dean of the College of Pharmacy. Chen said more.\n\n"
        "Mei-Ling Chen previously served as Associate Dean of the College of Nursing.\n\n"
        "Dean of the College of Nursing Mei-Ling Chen closed the forum.\n"
    )
    release = release_of(tmp_path, text)
    engines = {"zh-TW": e.ScriptedEngine(), "ja": e.ScriptedEngine(to_code="ja", lang="ja")}
    translated = translate_release(release, engines, glossary, None, StageTimes())
    source = {s.id: s.source for s in release.segments}
    zh = {source[t.segment_id]: t.text for t in translated.translations["zh-TW"]}
    ja = {source[t.segment_id]: t.text for t in translated.translations["ja"]}
    # her glossary title is at the College of Nursing: kept with KMU named before it
    assert zh["KMU Dean Mei-Ling Chen opened the forum."] == "高醫陳美玲護理學院院長 opened the forum."
    assert ja["KMU Dean Mei-Ling Chen opened the forum."] == "KMUの陳美玲看護学部長 opened the forum."
    # a later "Dean Chen" does not repeat the college; the college named in the text wins over the glossary's
    # medical-school title of Wen Lin; a bare "Chen" is her family name
    thanked = "Dean Chen thanked Wen Lin, Dean of the College of Pharmacy."
    assert (zh[thanked], ja[thanked]) == ("陳院長 thanked 林文藥學院院長.", "陳学部長 thanked 林文薬学部長.")
    assert (zh["Chen said more."], ja["Chen said more."]) == ("陳 said more.", "陳 said more.")
    # a title at a college with no person: the college's name and the title, as one term
    served = "Mei-Ling Chen previously served as Associate Dean of the College of Nursing."
    assert zh[served] == "陳美玲 previously served as 護理學院副院長."
    assert ja[served] == "陳美玲 previously served as 看護学部副学部長."
    closed = "Dean of the College of Nursing Mei-Ling Chen closed the forum."
    assert (zh[closed], ja[closed]) == ("陳美玲護理學院院長 closed the forum.", "陳美玲看護学部長 closed the forum.")


def test_a_college_title_form_is_never_used_without_the_colleges_name(glossary):
    dean = glossary.titles.get("Dean")
    assert dean.form("ja", "college") == "学部長"  # the default type's, not the bare 長
    assert dean.form_in_unit("ja", "看護学部") == "看護学部長"
    assert dean.form_in_unit("ja", None) is None


def test_default_institution_cannot_be_college(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(GLOSSARY + "house_style:\n  default_institution: college\n", encoding="utf-8")
    result = CliRunner().invoke(glossary_cli, ["check", str(path)])
    assert result.exit_code == 2
    assert "default_institution 'college'" in result.output and "bad.yaml" in result.output


def test_a_glossary_with_colleges_passes_the_check(tmp_path):
    path = tmp_path / "office.yaml"
    path.write_text(GLOSSARY, encoding="utf-8")
    result = CliRunner().invoke(glossary_cli, ["check", str(path)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "written",
    ["Dean Mei-Ling Chen", "Mei-Ling Chen, Dean of the College of Nursing", "College of Nursing Dean Mei-Ling Chen"],
)
def test_every_way_of_writing_a_college_title_gives_one_form(glossary, tmp_path, written):
    people = resolve_people(release_of(tmp_path, f"{written} spoke.\n"), glossary)
    (mention,) = [m for ms in people.mentions.values() for m in ms]
    assert mention.text == written
    assert (mention.target("zh-TW"), mention.target("ja")) == ("陳美玲護理學院院長", "陳美玲看護学部長")


@pytest.mark.parametrize(
    ("first", "name", "later"),
    [
        ("Hiroshi Tanaka of Osaka University visited KMU.", "Hiroshi Tanaka", "Tanaka"),
        ("Aiko Sato, a professor at Osaka University, visited KMU.", "Aiko Sato", "Sato"),
        ("“We are glad to be here,” said Mei-Hua Lu.", "Mei-Hua Lu", "Lu"),
        ("Then Kenji Watanabe said the visit went well.", "Kenji Watanabe", "Watanabe"),
        ("Kim Min-jun noted that students would benefit.", "Kim Min-jun", "Kim"),
        ("Jae-won Choi explained the plan.", "Jae-won Choi", "Choi"),
    ],
)
def test_a_person_named_without_a_title_is_flagged_and_so_are_later_mentions(glossary, tmp_path, first, name, later):
    """A person the glossary lacks, named in full without a title in a clear person pattern: the full name is
    flagged on its row, and a later bare surname and title + surname name the full name and that row."""
    text = f"{first}\n\n{later} said the partnership would grow.\n\nProfessor {later} thanked KMU.\n"
    release = release_of(tmp_path, text)
    engines = {"zh-TW": e.ScriptedEngine(), "ja": e.ScriptedEngine(to_code="ja", lang="ja")}
    translated = translate_release(release, engines, glossary, None, StageTimes())
    first_row, said_row, thanked_row = release.segments[0], segment_with(release, f"{later} said"), segment_with(release, "Professor")
    rows = {t.segment_id: t for t in translated.translations["ja"]}

    def flags(segment) -> list[str]:
        return [n for n in segment_notes(segment, rows[segment.id]) if n.startswith("[person-unresolved]")]

    assert flags(first_row) == [
        f"[person-unresolved] “{name}”: {name} is not in the glossary (add the person: translate glossary suggest "
        "--write); the name is left to the model: check it"
    ]
    assert flags(said_row) == [
        f"[person-unresolved] “{later}”: a later mention of {name} (row {first_row.id}), who is not in the glossary "
        "(add the person: translate glossary suggest --write); the name is left to the model: check it"
    ]
    (thanked,) = flags(thanked_row)
    assert f"“Professor {later}”: a later mention of {name} (row {first_row.id})" in thanked


def test_the_full_name_written_again_in_the_same_row_is_a_later_mention(glossary, tmp_path):
    release = release_of(tmp_path, "Hiroshi Tanaka of Osaka University spoke, and Hiroshi Tanaka said more.\n")
    notes = unresolved(resolve_people(release, glossary), release.segments[0])
    assert len(notes) == 2
    assert notes[0].startswith("“Hiroshi Tanaka”: Hiroshi Tanaka is not in the glossary")
    assert notes[1].startswith(f"“Hiroshi Tanaka”: a later mention of Hiroshi Tanaka (row {release.segments[0].id})")


@pytest.mark.parametrize(
    "text",
    [
        "Kaohsiung Medical University said the center would open.",  # a glossary institution
        "Chen Hospital said the center would open.",  # a head noun
        "Cancer Research said the center would open.",  # a field
        "National Taiwan University of Science said more.",  # a head noun before "of"
        "Taipei said the center would open.",  # one word
        "Breast Screening said the results were clear; screening works.",  # a word the release writes in lower case
        "Osaka University Professor Hiroshi Tanaka said more.",  # titled: flagged as such, once
        "Dr. Min-Jun Kim of Osaka University said more.",  # titled
        "The KMU Cancer Center said more.",  # an acronym and a head noun
        "Hiroshi Tanaka visited KMU.",  # no person pattern: a name the glossary lacks, for glossary suggest
    ],
)
def test_what_is_not_a_person_named_without_a_title(glossary, tmp_path, text):
    release = release_of(tmp_path, text + "\n\nTanaka and Chen and Kim and Taipei and Screening and Research spoke.\n")
    people = resolve_people(release, glossary)
    first_named = [m.problem for m in people.mentions.get(release.segments[0].id, []) if m.title is None]
    assert first_named == []
    titled = [m for m in people.mentions.get(release.segments[0].id, []) if m.title is not None]
    assert len(titled) == ("Professor" in text or "Dr." in text)  # the titled mention alone, once
    if not titled:  # no one remembered: the bare words later are no one's
        assert not people.mentions.get(release.segments[1].id)


def test_glossary_suggest_proposes_people_named_without_a_title_with_the_same_rules(glossary):
    """suggest and the mention resolver share the detector (people/untitled.py): what is flagged is proposed as a
    person, and an organisation "said" stays a name."""
    text = (
        "Hiroshi Tanaka of Osaka University said the partnership would grow. Cancer Research said so too.\n\n"
        "“We are glad,” said Mei-Hua Lu. Dr. Min-Jun Kim of Osaka University agreed.\n"
    )
    people = {p.name: p for p in find_people(text, glossary)}
    assert set(people) == {"Hiroshi Tanaka", "Mei-Hua Lu", "Min-Jun Kim"}
    assert (people["Hiroshi Tanaka"].family, people["Mei-Hua Lu"].family) == ("Tanaka", "Lu")
