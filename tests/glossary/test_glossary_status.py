"""Status per language (`target_status`, `Entry.status_for`, `Match.status_for`) through YAML, CSV and TBX."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.core.errors import GlossaryError
from pipeline.glossary import Entry, load_glossary
from pipeline.glossary.formats import FORMATS

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "tests" / "fixtures" / "office-glossary"  # the frozen copy (support/paths.py)
RETROVIRUS = "Joint Research Center for Human Retrovirus Infection"

SPLIT = Entry(
    id="jrc",
    english=RETROVIRUS,
    targets={"zh-TW": "人類反轉錄病毒感染聯合研究中心", "ja": "ヒトレトロウイルス学共同研究センター"},
    kind="institution",
    status="proposed",
    target_status={"ja": "approved"},
)


def test_shipped_retrovirus_centre_is_proposed_in_zh_tw_and_approved_in_ja():
    kmu = load_glossary(SHIPPED)
    entry = kmu.get("kumamoto-jrchri")
    assert entry.status == "proposed"  # the entry-level status stays what it was
    assert entry.status_for("zh-TW") == "proposed"
    assert entry.status_for("ja") == "approved"
    assert entry.approved_for("ja") and not entry.approved_for("zh-TW")
    (match,) = kmu.find(f"Kumamoto University is home to Japan’s leading {RETROVIRUS}.")[1:]
    assert match.entry is entry
    assert (match.status, match.status_for("zh-TW"), match.status_for("ja")) == ("proposed", "proposed", "approved")


def test_status_for_defaults_to_the_entry_status():
    kmu = load_glossary(SHIPPED)
    assert kmu.get("po-liang-lu").status_for("ja") == "proposed"
    assert kmu.get("kumamoto-university").status_for("zh-TW") == "approved"
    assert kmu.get("kumamoto-university").status_for("zh-CN") == "approved"  # no target, still the entry's


def test_yaml_target_status(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text(
        "entries:\n"
        "  - id: jrc\n"
        f"    english: {RETROVIRUS}\n"
        "    kind: institution\n"
        "    status: proposed\n"
        "    target_status:\n"
        "      ja: approved\n"
        "      zh-TW: proposed\n"  # the same as the entry's: nothing to keep
        "    targets:\n"
        "      zh-TW: 人類反轉錄病毒感染聯合研究中心\n"
        "      ja: ヒトレトロウイルス学共同研究センター\n",
        encoding="utf-8",
    )
    (entry,) = load_glossary(path).entries
    assert entry == SPLIT
    assert entry.target_status == {"ja": "approved"}
    written = FORMATS["yaml"].dumps([entry]).decode("utf-8")
    assert "  status: proposed\n  target_status:\n    ja: approved\n  targets:\n" in written


@pytest.mark.parametrize(
    "block, words, line",
    [
        ("    target_status:\n      ja: confirmed\n", "status 'confirmed' for ja is not one of", 5),
        ("    target_status:\n      zh-CN: approved\n", "target_status for zh-CN, but the entry has no zh-CN target", 5),
        ("    target_status:\n      Japanese: approved\n", "'Japanese' is not a language code", 5),
        ("    target_status: approved\n", "'target_status' must be a mapping", 4),
    ],
)
def test_target_status_schema_errors(tmp_path, block, words, line):
    path = tmp_path / "g.yaml"
    path.write_text(
        f"entries:\n  - id: jrc\n    english: {RETROVIRUS}\n{block}    targets: {{zh-TW: 甲, ja: 乙}}\n",
        encoding="utf-8",
    )
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    assert words in str(info.value)
    assert f"g.yaml:{line}:" in str(info.value)


@pytest.mark.parametrize("fmt", ["yaml", "csv", "tbx"])
def test_target_status_round_trips(fmt, tmp_path):
    entries = [SPLIT, Entry(id="other", english="Other Place", targets={"zh-TW": "他處", "ja": "他所"})]
    path = tmp_path / f"g.{fmt}"
    path.write_bytes(FORMATS[fmt].dumps(entries))
    back, problems = FORMATS[fmt].read(path)
    assert problems == []
    assert back == entries
    assert back[0].status_for("ja") == "approved" and back[0].status_for("zh-TW") == "proposed"


def test_csv_has_a_status_column_per_language(tmp_path):
    text = FORMATS["csv"].dumps([SPLIT]).decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    columns = header.split(",")
    assert columns[-2:] == ["zh-TW status", "ja status"]
    assert row.split(",")[-2:] == ["", "approved"]
    # as edited in Excel
    path = tmp_path / "edited.csv"
    path.write_bytes(
        "\ufeffid,english,status,zh-TW,ja,ja status\r\n"
        f"jrc,{RETROVIRUS},approved,人類反轉錄病毒感染聯合研究中心,ヒトレトロウイルス学共同研究センター,proposed\r\n".encode()
    )
    (entry,) = load_glossary(path).entries
    assert (entry.status_for("zh-TW"), entry.status_for("ja")) == ("approved", "proposed")


def test_tbx_target_terms_carry_their_language_status(tmp_path):
    from lxml import etree

    data = FORMATS["tbx"].dumps([SPLIT])
    root = etree.fromstring(data)
    status = {}
    for lang_set in root.iter("langSet"):
        lang = lang_set.get("{http://www.w3.org/XML/1998/namespace}lang")
        status[lang] = lang_set.find("tig/termNote[@type='administrativeStatus']").text
    assert status == {"en": "admittedTerm-admn-sts", "zh-TW": "admittedTerm-admn-sts", "ja": "preferredTerm-admn-sts"}


# ------------------------------------------------------------------------------------------------ MAFLD and EMI


def test_standalone_mafld_and_emi_are_approved_do_not_translate_terms():
    kmu = load_glossary(SHIPPED)
    for acronym, entry_id in (("MAFLD", "mafld-acronym"), ("EMI", "emi-acronym")):
        (match,) = kmu.find(f"Research on {acronym} continues.")
        assert (match.entry.id, match.entry.kind, match.status) == (entry_id, "do-not-translate", "approved")
        assert match.status_for("zh-TW") == match.status_for("ja") == "approved"
        assert match.target("zh-TW") == match.target("ja") == acronym


def test_after_the_full_name_the_acronym_still_joins_the_proposed_entry():
    kmu = load_glossary(SHIPPED)
    (match,) = kmu.find("metabolic-associated fatty liver disease (MAFLD)")
    assert (match.entry.id, match.form, match.status) == ("mafld", "name+abbreviation", "proposed")
    assert match.target("zh-TW") == "代謝功能障礙相關脂肪肝病（MAFLD）"
    first, after = kmu.find("70 EMI (English-Medium Instruction) courses; EMI grows")
    assert (first.entry.id, first.form, first.target("ja")) == ("emi", "abbreviation+name", "EMI（英語による授業）")
    assert (after.entry.id, after.status) == ("emi-acronym", "approved")


@pytest.mark.parametrize("dnt_first", [True, False])
def test_do_not_translate_entry_wins_whatever_the_file_order(dnt_first):
    from pipeline.glossary import Glossary
    from pipeline.glossary.lint import lint

    full = Entry(id="emi", english="English-Medium Instruction", abbreviations={"EMI": {}}, status="proposed",
                 targets={"zh-TW": "全英語授課", "ja": "英語による授業"})  # fmt: skip
    dnt = Entry(id="emi-acronym", english="EMI", kind="do-not-translate")
    entries = [dnt, full] if dnt_first else [full, dnt]
    g = Glossary(Path("t.yaml"), entries, "0" * 16)
    assert [m.entry.id for m in g.find("EMI courses")] == ["emi-acronym"]
    assert [m.entry.id for m in g.find("English-Medium Instruction (EMI)")] == ["emi"]
    assert lint(entries) == []  # restating an abbreviation kept in English is not a duplicate form


def test_a_do_not_translate_entry_cannot_override_an_abbreviation_with_its_own_target():
    from pipeline.glossary.lint import lint

    kmu = Entry(id="kmu", english="Kaohsiung Medical University", abbreviations={"KMU": {"zh-TW": "高醫"}},
                targets={"zh-TW": "高雄醫學大學", "ja": "高雄医学大学"})  # fmt: skip
    dnt = Entry(id="kmu-acronym", english="KMU", kind="do-not-translate")
    assert [p.code for p in lint([kmu, dnt])] == ["conflicting-targets"]
