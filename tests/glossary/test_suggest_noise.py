"""`glossary suggest` without noise (issue 21): what it listed wrongly on real releases stays gone, names joined by
"and" are split unless they are one name, people come with their institution, and precision on the hand-keyed
releases of tests/fixtures/releases/ stays above the floor measured when this was built."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli.glossary import glossary as glossary_cli
from pipeline.glossary import find_uncovered_names, load_glossary
from pipeline.glossary.people.suggest import find_people, suggest_release
from pipeline.source.ingest import read_release
from support.suggest_keys import GLOSSARY, RELEASES, REPO_SAMPLE, SAMPLE_KEY, SECOND_SET, keyed_releases, load_key, score, total

# Measured when the suggest rules were settled (benchmarks/suggest_precision.py): 100% precision and recall on
# the five releases and the sample (before: 76% precision, 89% recall). The floors leave room for a rule change
# that trades one line for another, not for a junk class coming back.
PRECISION_FLOOR = 0.95
RELEASE_PRECISION_FLOOR = 0.85
RECALL_FLOOR = 0.9
INSTITUTION_FLOOR = 0.9


@pytest.fixture(scope="module")
def office():
    return load_glossary(GLOSSARY)


@pytest.fixture(scope="module")
def suggested(office):
    """Each fixture release (the five and the second set) → (names, {person name: person})."""
    result = {}
    for release, _ in keyed_releases() + keyed_releases(SECOND_SET):
        names, people = suggest_release(read_release(release), office)
        result[release.name] = (names, {p.name: p for p in people})
    return result


def listed(suggested, release: str) -> set[str]:
    names, people = suggested[release]
    return set(names) | set(people)


@pytest.mark.parametrize(
    "release, junk, kept",
    [
        # embargo and release lines: their capitals are typography
        ("nursing-award-embargo.txt", ["EMBARGOED", "UNTIL", "TAIPEI", "TIME", "DECEMBER"], ["College of Nursing"]),
        ("dental-ai-screening.txt", ["FOR", "IMMEDIATE", "RELEASE"], ["ITRI", "AI"]),
        # headings and the title: "About KMU", "Current Situation", a person-shaped headline
        ("nursing-award-embargo.txt", ["About KMU", "Wins Asia Pacific Award", "Background"], []),
        ("mafld-blood-test.md", ["Current Situation", "Key Findings"], ["Health Promotion Administration"]),
        # list items' first words
        ("mafld-blood-test.md", ["Detects MAFLD", "Predicts"], ["MAFLD"]),
        ("thrombectomy-center.txt", ["Gets CT", "Arrives"], ["CT"]),
        ("chiang-mai-delegation.md", ["Visited Kaohsiung Municipal Siaogang Hospital", "Toured the Biomedical Innovation Hub"],
         ["Kaohsiung Municipal Siaogang Hospital", "Biomedical Innovation Hub", "Center for Medical Education and Humanities"]),
        # link text and labels before a URL (a link holding a head noun is a name)
        ("mafld-blood-test.md", ["KMU International Affairs", "Journal of Hepatology website"], ["Journal of Hepatology"]),
        ("thrombectomy-center.txt", ["KMUH Stroke Services"], ["KMUH"]),
        ("chiang-mai-delegation.md", [], ["Office of Global Engagement"]),
        # fragments: an initial, an abbreviated month
        ("nursing-award-embargo.txt", ["John S"], ["John S. Smith"]),
        ("kmu-osaka-mou.txt", ["MOU on Aug", "Cell Research Collaboration"], ["MOU", "Center for iPS Cell Research Collaboration"]),
        ("chiang-mai-delegation.md", ["Kaohsiung Medical University (KMU) on Nov"], []),
        # a misspelt title is a title, not part of the name
        ("thrombectomy-center.txt", ["Superindendant Ming-Feng Hou"], ["Ming-Feng Hou"]),
        # two names joined by "and", and one name with "and" in it
        ("chiang-mai-delegation.md", ["Kaohsiung Medical University (KMU) and Mahidol University"], ["Mahidol University"]),
        ("mafld-blood-test.md", ["National Science", "Technology Council", "Ministry of Education and National Science"],
         ["National Science and Technology Council", "Ministry of Education"]),
        ("nursing-award-embargo.txt", [], ["Ministry of Health and Welfare"]),
        ("dental-ai-screening.txt", ["Health Promotion Administration of the Ministry of Health and Welfare"],
         ["Health Promotion Administration", "Ministry of Health and Welfare", "National Sun Yat-sen University",
          "Department of Oral and Maxillofacial Surgery"]),
        # a person of a glossary institution is not one name with it
        ("kmu-osaka-mou.txt", ["Kenji Tanaka of Osaka University"], ["Kenji Tanaka"]),
    ],
)  # fmt: skip
def test_junk_classes_stay_gone_and_the_real_names_beside_them_stay(suggested, release, junk, kept):
    found = listed(suggested, release)
    assert not set(junk) & found, sorted(found)
    assert set(kept) <= found, sorted(found)


@pytest.mark.parametrize(
    "text, names",
    [
        ("It was funded by the Ministry of Education and National Science and Technology Council.",
         ["Ministry of Education", "National Science and Technology Council"]),
        ("Taiwan’s National Science and Technology Council (NSTC) said so.", ["National Science and Technology Council", "NSTC"]),
        ("Both the Ministry of Science and Technology and National Science and Technology Council paid.",
         ["Ministry of Science and Technology", "National Science and Technology Council"]),
        ("Funding from the Science and Technology Council came.", ["Science and Technology Council"]),
        ("Students from Taiwan and Keio University came.", ["Keio University"]),
        ("Hokkaido University and Tohoku University signed.", ["Hokkaido University", "Tohoku University"]),
        ("Kaohsiung Medical University (KMU) and Hokkaido University signed.", ["Hokkaido University"]),
        ("John Smith and Mary Jones came.", ["John Smith", "Mary Jones"]),
        ("She joined the College of Engineering and Computer Science.", ["College of Engineering and Computer Science"]),
        ("He led the National Cerebral and Cardiovascular Center.", ["National Cerebral and Cardiovascular Center"]),
    ],
)  # fmt: skip
def test_and_splits_two_names_and_keeps_one(office, text, names):
    assert find_uncovered_names(text, office) == names


@pytest.mark.parametrize(
    "text, name, title, institution, of",
    [
        ("Kaohsiung Medical University (KMU) Professor Mei-Ling Chen said so.", "Mei-Ling Chen", "Professor",
         "Kaohsiung Medical University", "kmu"),
        ("Professor Tanaka of Osaka University said so.", "Tanaka", "Professor", "Osaka University", "osaka-university"),
        ("Professor Kenji Tanaka of Osaka University said so.", "Kenji Tanaka", "Professor", "Osaka University",
         "osaka-university"),
        ("It was signed by Osaka University Executive Vice President Hiroshi Nakamura.", "Hiroshi Nakamura",
         "Vice President", "Osaka University", "osaka-university"),
        ("Dean Ya-Wen Chang of the KMU College of Medicine said so.", "Ya-Wen Chang", "Dean", "KMU College of Medicine", "kmu"),
        ("Dean Ya-Wen Chang of KMU’s College of Medicine said so.", "Ya-Wen Chang", "Dean", "KMU’s College of Medicine", "kmu"),
        ("Professor Ken Ito of Hokkaido University said so.", "Ken Ito", "Professor", "Hokkaido University", ""),
        ("It was led by Dr. Yu-Ting Lee, director of the Stroke Center, at night.", "Yu-Ting Lee", "Director",
         "Stroke Center", ""),
        ("Dr. Kuan-Ting Lai of the Department of Oral and Maxillofacial Surgery said so.", "Kuan-Ting Lai", "Dr.",
         "Department of Oral and Maxillofacial Surgery", ""),
        ("Superindendant Ming-Feng Hou said so.", "Ming-Feng Hou", "Superintendent", "", ""),
    ],
)  # fmt: skip
def test_people_come_with_the_institution_the_text_gives(office, text, name, title, institution, of):
    (person,) = find_people(text, office)
    assert person.name == name
    assert [(t.title, t.institution, t.of) for t in person.titles] == [(title, institution, of)]


def test_a_later_one_word_mention_adds_to_the_person_not_a_new_one(office):
    text = ("Professor Kenji Tanaka spoke first. Later, Professor Tanaka of Osaka University thanked Vice President "
            "Somchai Prasert. Vice President Somchai agreed. President Yu closed.")  # fmt: skip
    people = {p.name: p for p in find_people(text, office)}
    assert set(people) == {"Kenji Tanaka", "Somchai Prasert"}  # Yu: the glossary's Ming-Lung Yu
    assert [(t.title, t.of) for t in people["Kenji Tanaka"].titles] == [("Professor", "osaka-university")]


def test_plain_text_without_structure_loses_the_same_junk(office):
    """The run's review header reads the plain text (find_uncovered_names without a layout): embargo lines,
    bullets, headings and labels before a URL are recognised from the lines alone."""
    text = (RELEASES / "thrombectomy-center.txt").read_text(encoding="utf-8")
    text += "\nEMBARGOED UNTIL 10:00 TAIPEI TIME, DECEMBER 3, 2025\nCurrent Situation\n- Detects MAFLD early\n"
    names = find_uncovered_names(text, office)
    for junk in ("EMBARGOED", "TAIPEI", "DECEMBER", "Current Situation", "Detects MAFLD", "Gets CT", "KMUH Stroke Services"):
        assert junk not in names
    assert {"MAFLD", "CT", "Kaohsiung City Fire Bureau"} <= set(names)


@pytest.mark.parametrize(
    "line",
    [
        "Embargoed until 10 a.m. Taipei Time, Wednesday, Dec. 3",
        "Under embargo until Monday: Kaohsiung Time Zone",
        "For immediate release: Press Office",
        "Hold for release until Dec. 3, Taipei Standard Time",
        "Not for publication before Public Health Week",
    ],
)
def test_release_information_lines_name_nothing_even_in_sentence_case(office, line):
    text = f"{line}\nThe Health Promotion Administration said so.\n"
    assert find_uncovered_names(text, office) == ["Health Promotion Administration"]
    assert find_people(f"{line} President Jae-won Choi\n", office) == []


def run_suggest(releases: list[Path]) -> dict:
    result = CliRunner().invoke(
        glossary_cli, ["suggest", "--glossary", str(GLOSSARY), "--format", "json", *map(str, releases)]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_precision_and_recall_on_the_keyed_releases_stay_above_the_floor():
    pairs = [(REPO_SAMPLE, SAMPLE_KEY), *keyed_releases()]
    assert len(pairs) == 6
    payload = run_suggest([release for release, _ in pairs])
    scores = [score(release.name, payload[str(release)], load_key(key)) for release, key in pairs]
    for s in scores:
        assert s.precision >= RELEASE_PRECISION_FLOOR, (s.release, s.junk)
    whole = total(scores)
    assert whole.precision >= PRECISION_FLOOR, [(s.release, s.junk) for s in scores if s.junk]
    assert whole.recall >= RECALL_FLOOR, [(s.release, s.missed) for s in scores if s.missed]
    assert whole.institutions_right >= INSTITUTION_FLOOR * whole.institutions_expected, [
        (s.release, s.wrong_institutions) for s in scores if s.wrong_institutions
    ]


def test_the_scoring_counts_junk_and_misses(office):
    """The floor test means something only if the scorer sees junk: a result with a junk line and a missing name
    scores below 100%."""
    key = load_key(RELEASES / "kmu-osaka-mou.key.yaml")
    result = {"names": ["MOU", "MOU on Aug"], "people": [{"name": "Mei-Ling Chen", "titles": [{"title": "Professor"}]}]}
    scored = score("kmu-osaka-mou.txt", result, key)
    assert scored.junk == ["MOU on Aug"] and scored.precision == pytest.approx(2 / 3)
    assert "Suita Campus" in scored.missed and scored.institutions_right == 0


def test_write_proposes_people_with_their_institution_id(tmp_path):
    release = tmp_path / "release.txt"
    release.write_text("Kaohsiung Medical University (KMU) Professor Mei-Ling Chen met Professor Kenji Tanaka of "
                       "Osaka University.\n", encoding="utf-8")  # fmt: skip
    proposed = tmp_path / "proposed.yaml"
    result = CliRunner().invoke(glossary_cli, ["suggest", "--glossary", str(GLOSSARY), str(release), "--write", str(proposed)])
    assert result.exit_code == 0, result.output
    entries = {e.english: e for e in load_glossary(proposed).entries}
    assert entries["Mei-Ling Chen"].person["titles"] == [{"title": "Professor", "of": "kmu"}]
    assert entries["Kenji Tanaka"].person["titles"] == [{"title": "Professor", "of": "osaka-university"}]


@pytest.mark.parametrize("opener", ["Then", "However,", "Later", "Together with", "Recently"])
def test_a_sentence_opening_adverb_is_not_part_of_the_name_after_it(office, opener):
    text = f"KMU signed an agreement with Tohoku University.\n\n{opener} Tohoku University sent a delegation.\n"
    names = find_uncovered_names(text, office)
    assert "Tohoku University" in names
    assert not [name for name in names if name.startswith(opener.rstrip(","))]
