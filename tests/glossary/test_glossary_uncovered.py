"""`translate glossary suggest` heuristics (pipeline/glossary/uncovered.py): where one name ends and the next begins."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.glossary import find_uncovered_names, load_glossary

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "tests" / "fixtures" / "office-glossary"  # the frozen copy (support/paths.py)
SAMPLE = ROOT / "samples" / "kmu-kumamoto-mou-2025.txt"


@pytest.fixture(scope="module")
def kmu():
    return load_glossary(SHIPPED)


@pytest.mark.parametrize(
    "text, names",
    [
        # a modifier such as General is a title only beside one
        ("Patients were referred to Taipei Veterans General Hospital last year.", ["Taipei Veterans General Hospital"]),
        ("Secretary General Anna Lee and the Director General Bo Wu came.", ["Anna Lee", "Bo Wu"]),
        ("KMU Vice President John Smith spoke.", ["John Smith"]),
        # `and` inside a name, and between two
        ("Funding came from the Ministry of Health and Welfare in 2024.", ["Ministry of Health and Welfare"]),
        ("Experts from WHO and Academia Sinica attended.", ["WHO", "Academia Sinica"]),
        ("He studied at the University of Tokyo and Keio University.", ["University of Tokyo", "Keio University"]),
        ("John Smith and Mary Jones came.", ["John Smith", "Mary Jones"]),
        ("Taiwan and South Korea signed.", ["South Korea"]),
        ("the Department of Science and Technology said.", ["Department of Science and Technology"]),
        # `of` between a person and an institution
        ("The study was led by Dr. Chen of National Taiwan University and others.", ["National Taiwan University"]),
        ("the University of Tokyo Hospital opened.", ["University of Tokyo Hospital"]),
        # a plural possessive inside a name
        ("at the Asian Deans’ Forum in July.", ["Asian Deans’ Forum"]),
    ],
)
def test_name_boundaries(kmu, text, names):
    assert find_uncovered_names(text, kmu) == names


@pytest.mark.parametrize(
    "text, names",
    [
        ("Students train at Kaohsiung Medical University Hospital every year.", ["Kaohsiung Medical University Hospital"]),
        ("Ming-Lung Yu of Kumamoto University Hospital spoke.", ["Kumamoto University Hospital"]),
        ("the Kaohsiung Medical University Chung-Ho Memorial Hospital opened.",
         ["Kaohsiung Medical University Chung-Ho Memorial Hospital"]),
    ],
)  # fmt: skip
def test_a_glossary_name_with_more_capitalised_words_is_an_uncovered_longer_name(kmu, text, names):
    assert find_uncovered_names(text, kmu) == names


@pytest.mark.parametrize(
    "text",
    [
        "It was signed by Kumamoto University President Prof. Hisao Ogawa.",
        "KMU President Ming-Lung Yu said so.",
        "Kumamoto University’s Hospital and Kaohsiung City and Kumamoto City.",
        "Dean Po-Liang Lu of KMU’s College",
    ],
)
def test_covered_names_beside_titles_possessives_and_each_other_are_not_reported(kmu, text):
    assert find_uncovered_names(text, kmu) == []


def test_the_sample_with_and_without_the_glossary(kmu):
    text = SAMPLE.read_text(encoding="utf-8")
    assert find_uncovered_names(text, kmu) == ["College of Medicine"]
    names = find_uncovered_names(text, None)
    # two sister cities, not one name; the forum's plural possessive stays inside its name
    assert "Kaohsiung City" in names and "Kumamoto City" in names
    assert "Kaohsiung City and Kumamoto City" not in names
    assert "Japan–Taiwan University Presidents’ Forum" in names
    assert "Kumamoto University" in names and not any("President" in n and "Forum" not in n for n in names)
