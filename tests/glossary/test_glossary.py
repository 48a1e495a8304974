"""Glossary model, matching, formats (round trips) and uncovered names."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core.errors import GlossaryError
from pipeline.glossary import Entry, Glossary, default_glossary_path, find_uncovered_names, load_glossary
from pipeline.glossary.formats import FORMATS
from pipeline.glossary.load import glossary_hash

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "tests" / "fixtures" / "office-glossary"  # the frozen copy (support/paths.py)
SAMPLE = ROOT / "samples" / "kmu-kumamoto-mou-2025.txt"
FIXTURES = ROOT / "tests" / "fixtures" / "glossary"


@pytest.fixture(scope="module")
def kmu() -> Glossary:
    return load_glossary(SHIPPED)


def glossary(*entries: Entry) -> Glossary:
    return Glossary(Path("test.yaml"), list(entries), "0" * 16)


def found(g: Glossary, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.entry.id) for m in g.find(text)]


# ------------------------------------------------------------------------------------------------ loading


def test_shipped_glossary_loads_with_every_entry_of_the_issue(kmu):
    ids = {e.id for e in kmu.entries}
    assert len(kmu.entries) == 24
    assert {"kmu", "kumamoto-university", "ncvc", "po-liang-lu", "shibasaburo-kitasato", "hiv-1", "htlv-1", "hbv"} <= ids
    kmu_entry = kmu.get("kmu")
    assert kmu_entry.targets == {"zh-TW": "高雄醫學大學", "ja": "高雄医学大学"}
    assert kmu_entry.abbreviations == {"KMU": {"zh-TW": "高醫"}}
    assert kmu.get("po-liang-lu").status == "proposed"
    assert kmu.get("kumamoto-university").status == "approved"
    assert kmu.get("mafld").abbreviations == {"MAFLD": {}}
    assert kmu.get("emi").abbreviations == {"EMI": {}}
    assert kmu.get("hbv").kind == "do-not-translate"
    assert "Shibasaburo Kitasato" in kmu.get("shibasaburo-kitasato").variants


def test_hash_is_sha256_prefix_and_stable(kmu, tmp_path):
    import hashlib

    assert len(kmu.hash) == 16
    assert load_glossary(SHIPPED).hash == kmu.hash
    single = load_glossary(SHIPPED / "kmu.yaml")
    assert single.hash == hashlib.sha256((SHIPPED / "kmu.yaml").read_bytes()).hexdigest()[:16]
    copy = tmp_path / "g.yaml"
    copy.write_bytes((SHIPPED / "kmu.yaml").read_bytes() + b"\n# changed\n")
    assert load_glossary(copy).hash != single.hash


def test_entries_remember_file_and_line(kmu):
    entry = kmu.get("kumamoto-university")
    text = (SHIPPED / "kmu.yaml").read_text(encoding="utf-8").splitlines()
    assert text[entry.line - 1].strip() == "- id: kumamoto-university"
    assert text[entry.lines["targets.ja"] - 1].strip() == "ja: 熊本大学"
    assert entry.source.name == "kmu.yaml"


def test_default_glossary_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert default_glossary_path() is None
    (tmp_path / "glossaries").mkdir()
    assert default_glossary_path() == Path("glossaries")


def test_load_errors_name_file_and_line():
    with pytest.raises(GlossaryError) as error:
        load_glossary(FIXTURES / "schema-unknown-field.yaml")
    assert "schema-unknown-field.yaml:6:" in str(error.value.message)
    assert error.value.exit_code == 2
    with pytest.raises(GlossaryError, match=r"parse-error\.yaml:7: YAML syntax error"):
        load_glossary(FIXTURES / "parse-error.yaml")
    with pytest.raises(GlossaryError, match="no such file"):
        load_glossary(FIXTURES / "missing.yaml")


def test_load_a_folder_of_mixed_formats(tmp_path, kmu):
    (tmp_path / "a.yaml").write_bytes(FORMATS["yaml"].dumps(kmu.entries[:5]))
    (tmp_path / "b.csv").write_bytes(FORMATS["csv"].dumps(kmu.entries[5:12]))
    (tmp_path / "c.tbx").write_bytes(FORMATS["tbx"].dumps(kmu.entries[12:]))
    (tmp_path / "notes.txt").write_text("not a glossary")
    loaded = load_glossary(tmp_path)
    assert loaded.entries == kmu.entries
    assert [f.name for f in loaded.files] == ["a.yaml", "b.csv", "c.tbx"]
    assert loaded.hash == glossary_hash(loaded.files)


# ------------------------------------------------------------------------------------------------ matching


KUMAMOTO = Entry("kumamoto", "Kumamoto", {"zh-TW": "熊本", "ja": "熊本"}, kind="place")
KUMAMOTO_U = Entry("kumamoto-university", "Kumamoto University", {"zh-TW": "熊本大學", "ja": "熊本大学"})


def test_longest_match_first():
    g = glossary(KUMAMOTO, KUMAMOTO_U)
    assert found(g, "Kumamoto University is in Kumamoto.") == [
        ("Kumamoto University", "kumamoto-university"),
        ("Kumamoto", "kumamoto"),
    ]


def test_word_boundaries():
    g = glossary(Entry("kmu", "Kaohsiung Medical University", {"zh-TW": "高雄醫學大學"}, abbreviations={"KMU": {}}))
    assert found(g, "KMUs and XKMU and KMU1") == []
    assert [m.text for m in g.find("KMU’s students (KMU) KMU.")] == ["KMU", "KMU", "KMU"]
    assert found(Glossary(Path("x"), [KUMAMOTO], ""), "Kumamotoshi") == []


def test_possessive_stays_outside_the_match(kmu):
    text = "Kaohsiung Medical University's president and Kumamoto University’s history"
    matches = kmu.find(text)
    assert [m.text for m in matches] == ["Kaohsiung Medical University", "Kumamoto University"]
    assert text[matches[0].end :].startswith("'s")
    assert matches[0].target("zh-TW") == "高雄醫學大學"


def test_abbreviation_after_full_name_is_one_match(kmu):
    text = "Kaohsiung Medical University (KMU) signed. KMU President Ming-Lung Yu"
    matches = kmu.find(text)
    assert [m.text for m in matches] == ["Kaohsiung Medical University (KMU)", "KMU", "Ming-Lung Yu"]
    both, alone, _ = matches
    assert both.form == "name+abbreviation"
    assert both.target("zh-TW") == "高雄醫學大學（高醫）"
    assert both.target("ja") == "高雄医学大学（KMU）"
    assert alone.form == "abbreviation"
    assert alone.target("zh-TW") == "高醫"
    assert alone.target("ja") == "KMU"
    assert both.entry.target("zh-TW") == "高雄醫學大學"


def test_abbreviation_kept_in_english_and_reverse_order(kmu):
    text = "liver diseases and metabolic-associated fatty liver disease (MAFLD); 70 EMI (English-Medium Instruction) courses"
    first, second = kmu.find(text)
    assert first.target("zh-TW") == "代謝功能障礙相關脂肪肝病（MAFLD）"
    assert first.target("ja") == "代謝機能障害関連脂肪性肝疾患（MAFLD）"
    assert second.form == "abbreviation+name"
    assert second.text == "EMI (English-Medium Instruction)"
    assert second.target("zh-TW") == "EMI（全英語授課）"
    (mafld,) = kmu.find("MAFLD is common.")
    assert mafld.target("zh-TW") == "MAFLD" and mafld.target("ja") == "MAFLD"


def test_parenthesis_of_another_entry_is_not_joined(kmu):
    text = "Kumamoto University (KMU)"
    assert [m.form for m in kmu.find(text)] == ["name", "abbreviation"]


def test_variant_without_macron(kmu):
    for text in ("Shibasaburō Kitasato", "Shibasaburo Kitasato"):
        (match,) = kmu.find(f"educated {text}, a pivotal figure")
        assert match.entry.id == "shibasaburo-kitasato"
        assert match.target("ja") == "北里柴三郎"


def test_case_rules():
    names = Entry("ku", "Kumamoto University", {"ja": "熊本大学"})
    term = Entry("mafld", "metabolic-associated fatty liver disease", {"ja": "代謝機能障害関連脂肪性肝疾患"})
    acronym = Entry("hbv", "HBV", kind="do-not-translate")
    loose = Entry("sea", "Student Exchange Agreement", {"ja": "学生交流協定"}, case_sensitive=False)
    g = glossary(names, term, acronym, loose)
    assert found(g, "kumamoto university") == []
    assert found(g, "Metabolic-Associated Fatty Liver Disease") == [("Metabolic-Associated Fatty Liver Disease", "mafld")]
    assert found(g, "hbv and Hbv") == []
    assert found(g, "HBV") == [("HBV", "hbv")]
    assert found(g, "a student exchange agreement") == [("student exchange agreement", "sea")]


def test_typographic_variants_match(kmu):
    (match,) = kmu.find("the Japan-Taiwan University Presidents' Forum in July")
    assert match.entry.id == "japan-taiwan-presidents-forum"
    (match,) = kmu.find("Kaohsiung\u00a0Medical University")
    assert match.entry.id == "kmu"


def test_do_not_translate_target_is_the_english(kmu):
    matches = kmu.find("work on HIV-1, HTLV-1, HBV, and related fields")
    assert [(m.text, m.target("zh-TW"), m.target("ja")) for m in matches] == [
        ("HIV-1", "HIV-1", "HIV-1"),
        ("HTLV-1", "HTLV-1", "HTLV-1"),
        ("HBV", "HBV", "HBV"),
    ]
    assert kmu.get("hbv").target("zh-TW") == "HBV"


def test_every_sample_term_is_found(kmu):
    text = SAMPLE.read_text(encoding="utf-8")
    ids = {m.entry.id for m in kmu.find(text)}
    # MAFLD and EMI appear only after (or before) their full names, where they join the full name's match
    assert ids == {e.id for e in kmu.entries} - {"mafld-acronym", "emi-acronym"}
    for m in kmu.find(text):
        assert text[m.start : m.end] == m.text
        assert m.target("zh-TW") and m.target("ja")


def test_matches_are_sorted_and_disjoint_on_the_sample(kmu):
    matches = kmu.find(SAMPLE.read_text(encoding="utf-8"))
    assert all(a.end <= b.start for a, b in zip(matches, matches[1:]))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Kumamoto", "University", "Kumamoto University", "KMU", "(KMU)", "’s", "'s", " ", ", ", "HIV-1",
             "Kaohsiung Medical University", "x", "é", "İ", "\n", "–", "Shibasaburō Kitasato"]
        ),  # fmt: skip
        max_size=30,
    )
)
def test_find_invariants(pieces):
    g = glossary(KUMAMOTO, KUMAMOTO_U, *load_glossary(SHIPPED).entries[:1])
    text = "".join(pieces)
    matches = g.find(text)
    assert matches == sorted(matches, key=lambda m: m.start)
    for a, b in zip(matches, matches[1:]):
        assert a.end <= b.start
    for m in matches:
        assert text[m.start : m.end] == m.text
        assert m.start == 0 or not (text[m.start - 1].isalnum() or text[m.start - 1] == "_")


def test_empty_glossary_finds_nothing():
    assert glossary().find("Kumamoto University") == []


# ------------------------------------------------------------------------------------------------ formats


FULL = Entry(
    id="full",
    english="National Cheng Kung University",
    targets={"zh-TW": "國立成功大學", "ja": "国立成功大学", "zh-CN": "国立成功大学"},
    variants=["Cheng Kung University", "National Cheng-Kung University"],
    abbreviations={"NCKU": {"zh-TW": "成大", "ja": "成大"}, "NCKUH": {}},
    kind="institution",
    status="proposed",
    note='Line one, with "quotes", commas; and = signs.\nLine two: 成大.',
    case_sensitive=False,
    allow_traditional_in_ja=True,
)


@pytest.mark.parametrize("fmt", ["yaml", "csv", "tbx"])
def test_round_trip_without_loss(fmt, kmu, tmp_path):
    entries = kmu.entries + [FULL]
    path = tmp_path / f"g.{fmt}"
    path.write_bytes(FORMATS[fmt].dumps(entries))
    back, problems = FORMATS[fmt].read(path)
    assert problems == []
    assert back == entries
    # and again: the written file is stable
    assert FORMATS[fmt].dumps(back) == path.read_bytes()


def test_csv_is_excel_friendly(tmp_path, kmu):
    data = FORMATS["csv"].dumps(kmu.entries)
    assert data.startswith(b"\xef\xbb\xbf")
    header = data.decode("utf-8-sig").splitlines()[0].split(",")
    assert header[:9] == [
        "id", "english", "variants", "abbreviations", "kind", "status", "case_sensitive",
        "allow_traditional_in_ja", "note",
    ]  # fmt: skip
    assert "zh-TW" in header and "ja" in header and "zh-TW abbreviations" in header


def test_csv_edited_in_excel_reads(tmp_path):
    path = tmp_path / "edited.csv"
    path.write_bytes(
        "\ufeffid,english,variants,kind,status,zh-TW,ja\r\n"
        'kyoto,Kyoto University,"Kyoto Univ\nKyodai",institution,proposed,京都大學,京都大学\r\n'
        ",,,,,,\r\n".encode("utf-8")
    )
    (entry,) = load_glossary(path).entries
    assert entry.variants == ["Kyoto Univ", "Kyodai"]
    assert entry.status == "proposed"


def test_csv_errors_have_row_lines(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id,english,kind,zh-TW,ja\nok,Kyoto University,institution,京都大學,京都大学\nbad,Kyoto City,city,京都市,京都市\n")
    with pytest.raises(GlossaryError, match=r"bad\.csv:3: kind 'city'"):
        load_glossary(path)


def test_tbx_is_readable_by_translate_toolkit(kmu, tmp_path):
    from translate.storage import tbx

    data = FORMATS["tbx"].dumps(kmu.entries)
    store = tbx.tbxfile.parsestring(data)
    units = {u.source: u.target for u in store.units}
    assert units["Kumamoto University"] == "熊本大學"
    assert units["Kaohsiung Medical University"] == "高雄醫學大學"


def test_tbx_errors_have_lines(tmp_path):
    path = tmp_path / "bad.tbx"
    path.write_text('<?xml version="1.0"?>\n<martif type="TBX-Basic">\n<text><body>\n<termEntry id="x">\n</body>')
    with pytest.raises(GlossaryError, match=r"bad\.tbx:\d+: XML error"):
        load_glossary(path)


def test_parsed_glossary_cache(tmp_path, monkeypatch, kmu):
    from pipeline.glossary import load as load_module

    monkeypatch.setenv("TRANSLATE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(load_module, "CACHE_MIN_BYTES", 0)
    path = tmp_path / "g.yaml"
    path.write_bytes(FORMATS["yaml"].dumps(kmu.entries))
    first = load_glossary(path)
    assert list((tmp_path / "cache" / "glossary").glob("*.json"))
    second = load_glossary(path)
    assert second.entries == first.entries
    assert [e.lines for e in second.entries] == [e.lines for e in first.entries]
    assert second.entries[0].source == path


# ------------------------------------------------------------------------------------------------ uncovered


def test_uncovered_names_on_the_sample(kmu):
    names = find_uncovered_names(SAMPLE.read_text(encoding="utf-8"), kmu)
    assert "College of Medicine" in names
    assert "Kumamoto University" not in names
    assert "KMU" not in names
    assert not any(name in {"President", "The", "After", "Prof", "Japan", "Taiwan"} for name in names)


def test_uncovered_names_without_the_entries():
    text = SAMPLE.read_text(encoding="utf-8")
    names = find_uncovered_names(text, None)
    for name in ("Student Exchange Agreement", "HIV-1", "College of Medicine", "National Cerebral and Cardiovascular Center"):
        assert name in names
    assert names.index("Kaohsiung Medical University") < names.index("College of Medicine")
    assert len(names) == len(set(names))
    # the headline's title case is not a list of names; its acronyms count
    assert "Signs Collaboration Agreement" not in names
    assert "KMU" in names


def test_uncovered_names_rules():
    g = glossary(KUMAMOTO_U)
    text = (
        "The Student Exchange Agreement was signed. After Kumamoto University President Prof. John Smith spoke, "
        "Taiwan and Japan agreed on COVID-19 work in Chapter II with the WHO."
    )
    assert find_uncovered_names(text, g) == ["Student Exchange Agreement", "John Smith", "COVID-19", "Chapter II", "WHO"]


def test_find_remembers_a_text_but_hands_out_a_new_list_each_time(monkeypatch):
    import pipeline.glossary.glossary as glossary_module

    glossary = load_glossary(SHIPPED)
    text = "Kaohsiung Medical University (KMU) signed an MOU with Kumamoto University."
    first = glossary.find(text)
    texts = [m.text for m in first]
    assert "Kumamoto University" in texts
    calls = []
    original = glossary._matcher.find
    monkeypatch.setattr(glossary._matcher, "find", lambda t: calls.append(t) or original(t))
    first.clear()  # a caller's list is its own
    again = glossary.find(text)
    assert calls == [] and [m.text for m in again] == texts
    monkeypatch.setattr(glossary_module, "FIND_MEMO", 2)  # bounded: a full memo is emptied, then fills again
    for k in range(3):
        glossary.find(f"{k} Kumamoto University")
    assert len(glossary._found) <= 2 and calls == ["0 Kumamoto University", "1 Kumamoto University", "2 Kumamoto University"]


def test_find_does_not_keep_long_texts():
    glossary = load_glossary(SHIPPED)
    long_text = "Kumamoto University " * 200  # 4,000 characters: found, not remembered
    assert len(glossary.find(long_text)) == 200
    assert long_text not in glossary._found
