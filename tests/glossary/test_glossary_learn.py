"""`translate glossary suggest --from-reviews`: glossary entries learned from what reviewers wrote
(pipeline/glossary/learn.py, pipeline/review/reviewed_rows.py, pipeline/cli/glossary_learn.py).

The releases are run through scripted engines with the test's own glossary; the review documents are edited as
reviewers edit them (the target cell retyped) and imported with `translate review import`; then the command reads
the output folder. The pure function is also tried on rows alone for the cases the releases do not show."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

from pipeline.glossary import load_glossary
from pipeline.glossary.learn import ReviewedRow, agreed_forms, learn, threshold
from pipeline.run import run_releases
from support import review_edits as edit
from support.scripted_engines import ScriptedEngine, pseudo_translate

GLOSSARY = """# The test's glossary: KMU only.
version: 1
entries:
  - id: kmu
    english: Kaohsiung Medical University
    kind: institution
    status: approved
    targets:
      zh-TW: 高雄醫學大學
      ja: 高雄医学大学
"""

# release → [(English sentence, zh-TW reviewed, ja reviewed)]; every sentence its own paragraph, every row edited.
RELEASES = {
    "osaka-mou": [
        ("Kaohsiung Medical University signed an agreement with Osaka University.",
         "高雄醫學大學與大阪大學簽署協議。", "高雄医学大学は大阪大学と協定を締結した。"),
        ("Researchers from Osaka University will visit Taiwan in May.",
         "大阪大學的研究人員將於五月訪問臺灣。", "大阪大学の研究者が五月に台湾を訪問する。"),
        ("Kumamoto University also attended.", "熊本大學也出席了。", "熊本大学も出席した。"),
        ("Tohoku University sent a letter.", "東北大學寄來賀函。", "東北大学から祝電が届いた。"),
        ("Nagoya University joined too.", "名古屋大學也加入了。", "名古屋大学も加わった。"),
    ],
    "osaka-forum": [
        ("Osaka University hosted the forum in Japan.", "大阪大學在日本主辦論壇。", "大阪大学が日本でフォーラムを開催した。"),
        ("Kaohsiung Medical University sent a delegation.", "高醫大派代表團出席。", "高雄医学大学は代表団を派遣した。"),
        ("Kaohsiung Medical University will host the next forum.", "高醫大將主辦下一屆論壇。",
         "高雄医学大学が次回のフォーラムを主催する。"),
        ("Tohoku University gave a talk.", "東北大学發表演講。", "東北大学が講演した。"),
        ("After that, Tohoku University left.", "隨後仙台東北大離開。", "その後東北大学は退席した。"),
        ("Nagoya University spoke last.", "名古屋大學最後致詞。", "名古屋大学が最後に挨拶した。"),
        ("The university in Nagoya was founded in 1939.", "名古屋大學創立於1939年。", "名古屋の大学は1939年に創立された。"),
    ],
}  # fmt: skip


def _review(folder: Path, name: str, rows, lang: str, column: int, cli) -> None:
    """Retype the target cell of every row (by its English) in the run's review document, and import it."""
    manifest = json.loads((folder / f"{name}.manifest.json").read_text(encoding="utf-8"))
    ids = {s["source"]: s["id"] for s in manifest["segments"]}
    path = folder / f"{name}.{lang}.review.docx"
    doc = docx.Document(path)
    for row in rows:
        edit.replace_text(edit.target_cell(doc, ids[row[0]]), row[column])
    reviewed = folder / "reviewed" / path.name
    reviewed.parent.mkdir(exist_ok=True)
    doc.save(reviewed)
    result = cli("review", "import", reviewed, "--manifest", folder / f"{name}.manifest.json", "--no-memory")
    assert result.exit_code == 0, result.output


@pytest.fixture
def reviewed_output(tmp_path, cli) -> tuple[Path, Path]:
    """(output folder with both releases run and their zh-TW and ja reviews imported, the glossary file)."""
    glossary = tmp_path / "glossaries" / "kmu.yaml"
    glossary.parent.mkdir()
    glossary.write_text(GLOSSARY, encoding="utf-8")
    out = tmp_path / "output"
    for name, rows in RELEASES.items():
        release = tmp_path / "releases" / f"{name}.txt"
        release.parent.mkdir(exist_ok=True)
        release.write_text("Partners Meet\n\n" + "\n\n".join(row[0] for row in rows) + "\n", encoding="utf-8")
        engines = {"zh-TW": ScriptedEngine(pseudo_translate), "ja": ScriptedEngine(pseudo_translate, to_code="ja", lang="ja")}
        run_releases([release], engines, out, glossary=load_glossary(glossary))
        _review(out / name, name, rows, "zh-TW", 1, cli)
        _review(out / name, name, rows, "ja", 2, cli)
    return out, glossary


def _suggest(cli, out: Path, glossary: Path, *extra) -> dict:
    result = cli("glossary", "suggest", "--from-reviews", out, "--glossary", glossary, "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _segment(out: Path, release: str, english: str) -> str:
    manifest = json.loads((out / release / f"{release}.manifest.json").read_text(encoding="utf-8"))
    return next(s["id"] for s in manifest["segments"] if s["source"] == english)


def test_consistent_forms_of_an_unglossed_name_are_proposed_with_their_evidence(reviewed_output, cli):
    out, glossary = reviewed_output
    payload = _suggest(cli, out, glossary)
    new = {(p["english"], p["lang"]): p for p in payload["proposals"] if p["kind"] == "new"}
    assert new[("Osaka University", "zh-TW")]["form"] == "大阪大學"
    assert new[("Osaka University", "ja")]["form"] == "大阪大学"
    zh = new[("Osaka University", "zh-TW")]
    assert (zh["agree"], zh["rows"]) == (3, 3)
    assert zh["releases"] == ["osaka-forum", "osaka-mou"]  # the output folder's release folders, sorted
    expected = [
        {"release": "osaka-forum", "segment": _segment(out, "osaka-forum", RELEASES["osaka-forum"][0][0])},
        {"release": "osaka-mou", "segment": _segment(out, "osaka-mou", RELEASES["osaka-mou"][0][0])},
        {"release": "osaka-mou", "segment": _segment(out, "osaka-mou", RELEASES["osaka-mou"][1][0])},
    ]
    assert zh["evidence"] == expected
    assert sorted(payload["releases"]) == ["osaka-forum", "osaka-mou"]

    human = cli("glossary", "suggest", "--from-reviews", out, "--glossary", glossary)
    assert human.exit_code == 0, human.output
    assert "Osaka University zh-TW=大阪大學: in 3 of 3 reviewed rows (osaka-forum p" in human.stdout


def test_nothing_from_one_row_from_disagreeing_reviewers_or_from_a_form_rows_without_the_name_hold(reviewed_output, cli):
    out, glossary = reviewed_output
    payload = _suggest(cli, out, glossary)
    proposed = {(p["english"], p["lang"]) for p in payload["proposals"]}
    assert not {("Kumamoto University", "zh-TW"), ("Kumamoto University", "ja")} & proposed  # one row each
    # zh-TW 東北大學, 東北大学, 東北大: no form in 2 of 3 rows (東北大 never ends a word); ja agrees: 東北大学
    assert ("Tohoku University", "zh-TW") not in proposed
    assert ("Tohoku University", "ja") in proposed
    # zh-TW 名古屋大學 is also where the English has no "Nagoya University"; ja wrote 名古屋の大学 there
    assert ("Nagoya University", "zh-TW") not in proposed
    assert ("Nagoya University", "ja") in proposed


def test_a_glossary_form_reviewers_keep_replacing_is_proposed_as_a_change(reviewed_output, cli):
    out, glossary = reviewed_output
    changes = [p for p in _suggest(cli, out, glossary)["proposals"] if p["kind"] == "change"]
    assert len(changes) == 1, changes  # ja kept the glossary's form everywhere
    change = changes[0]
    assert (change["entry"], change["lang"], change["replaces"], change["form"]) == ("kmu", "zh-TW", "高雄醫學大學", "高醫大")
    assert (change["agree"], change["rows"], change["kept"]) == (2, 2, 1)
    assert change["releases"] == ["osaka-forum"]


def test_write_gives_proposed_entries_that_glossary_check_accepts(reviewed_output, cli, tmp_path):
    out, glossary = reviewed_output
    proposed = tmp_path / "proposed.yaml"
    _suggest(cli, out, glossary, "--write", proposed)
    data = __import__("yaml").safe_load(proposed.read_text(encoding="utf-8"))
    entries = {e["english"]: e for e in data["entries"]}
    osaka = entries["Osaka University"]
    assert (osaka["status"], osaka["kind"], osaka["targets"]) == ("proposed", "institution", {"zh-TW": "大阪大學", "ja": "大阪大学"})
    assert "zh-TW 大阪大學 in 3 of 3 reviewed rows (osaka-forum p" in osaka["note"]
    kmu = entries["Kaohsiung Medical University"]
    assert kmu["id"] != "kmu" and kmu["status"] == "proposed"
    assert kmu["targets"] == {"zh-TW": "高醫大", "ja": "高雄医学大学"}
    assert "高雄醫學大學 → 高醫大 in 2 of the 2 rows" in kmu["note"]
    assert entries["Tohoku University"]["targets"] == {"ja": "東北大学"}
    assert "No form agreed in zh-TW: fill it in" in entries["Tohoku University"]["note"]
    # The check accepts every entry; it lists those still missing a language until the office fills them in.
    check = cli("glossary", "check", proposed, "--require-langs", "zh-TW,ja", "--format", "json")
    assert check.exit_code == 1, check.output
    problems = json.loads(check.stdout)
    assert {(p["code"], p["entry"]) for p in problems} == {
        ("missing-language", "tohoku-university"), ("missing-language", "nagoya-university"),
    }  # fmt: skip
    assert cli("glossary", "check", proposed, "--require-langs", "ja").exit_code == 0

    # Into an existing file: its comments kept, only new entries added, a backup made.
    existing = tmp_path / "existing.yaml"
    existing.write_text("# the office's proposals\nversion: 1\nentries: []\n", encoding="utf-8")
    result = cli("glossary", "suggest", "--from-reviews", out, "--glossary", glossary, "--write", existing)
    assert result.exit_code == 0, result.output
    assert existing.read_text(encoding="utf-8").startswith("# the office's proposals")
    assert list(tmp_path.glob("existing.yaml.backup-*"))
    assert {e["english"] for e in __import__("yaml").safe_load(existing.read_text(encoding="utf-8"))["entries"]} == set(entries)


def test_the_default_folder_is_output_and_releases_and_from_reviews_exclude_each_other(reviewed_output, cli, monkeypatch, tmp_path):
    out, glossary = reviewed_output
    monkeypatch.chdir(out.parent)
    result = cli("glossary", "suggest", "--from-reviews", "--glossary", glossary, "--format", "json")
    assert result.exit_code == 0, result.output
    assert any(p["english"] == "Osaka University" for p in json.loads(result.stdout)["proposals"])
    release = tmp_path / "releases" / "osaka-mou.txt"
    both = cli("glossary", "suggest", release, "--from-reviews", out)
    assert both.exit_code == 2 and "instead of releases" in both.output
    neither = cli("glossary", "suggest")
    assert neither.exit_code == 2 and "--from-reviews" in neither.output


# --------------------------------------------------------------------------------------------- the pure function


def _rows(*pairs, lang="zh-TW"):
    return [ReviewedRow("r", f"s{i}", lang, english, text, edited=True) for i, (english, text) in enumerate(pairs)]


def test_agreement_threshold_is_all_or_two_thirds_never_one():
    assert [threshold(n) for n in (1, 2, 3, 4, 6)] == [2, 2, 2, 3, 4]
    two_of_three = _rows(
        ("Osaka University hosts.", "由大阪大學主辦。"),
        ("Osaka University researchers.", "大阪大學的學者。"),
        ("Osaka University talks.", "阪大發言。"),
    )
    learned = learn(two_of_three, None)
    assert [(p.form, p.agree, p.rows) for p in learned.proposals] == [("大阪大學", 2, 3)]


def test_a_common_prefix_of_two_forms_is_no_form_and_competing_forms_are_reported():
    assert agreed_forms(["東北大學的", "東北大学在"], [], "zh-TW") == {}
    assert agreed_forms(["與大阪大學簽署", "由阪大主辦"], [], "zh-TW") == {}
    rows = _rows(
        ("Osaka University hosts.", "大阪大學主辦。"),
        ("Osaka University signs.", "大阪大學簽約。"),
        ("Osaka University talks.", "大阪府立大學發言。"),
        ("Osaka University visits.", "大阪府立大學來訪。"),
    )
    learned = learn(rows, None)
    assert learned.proposals == []
    assert [(u.english, u.forms) for u in learned.undecided] == []  # neither reaches 3 of 4
    rows = _rows(
        ("Osaka University researchers.", "大阪大學的學者。"),
        ("Osaka University, Handai.", "大阪大學，阪大。"),
        ("Handai, Osaka University.", "阪大，大阪大學。"),
    )
    learned = learn(rows, None)
    assert learned.proposals == []
    assert learned.undecided[0].forms == {"大阪大學": 3, "阪大": 2}


def test_forms_of_other_glossary_names_in_the_rows_are_not_taken_for_the_name(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text(GLOSSARY, encoding="utf-8")
    rows = _rows(
        ("Kaohsiung Medical University and Osaka University met.", "高雄醫學大學與大阪大學會面。"),
        ("Osaka University and Kaohsiung Medical University signed.", "大阪大學與高雄醫學大學簽約。"),
        ("Kaohsiung Medical University hosted.", "高雄醫學大學主辦。"),
    )
    learned = learn(rows, load_glossary(path))
    assert [(p.english, p.form) for p in learned.proposals] == [("Osaka University", "大阪大學")]


def test_rows_reviewed_under_an_earlier_run_still_count_after_a_rerun(reviewed_output, cli, tmp_path):
    out, glossary = reviewed_output
    release = tmp_path / "releases" / "osaka-mou.txt"
    engines = {"zh-TW": ScriptedEngine(pseudo_translate), "ja": ScriptedEngine(pseudo_translate, to_code="ja", lang="ja")}
    before = json.loads((out / "osaka-mou" / "osaka-mou.manifest.json").read_text(encoding="utf-8"))["run_id"]
    run_releases([release], engines, out, glossary=load_glossary(glossary))
    after = json.loads((out / "osaka-mou" / "osaka-mou.manifest.json").read_text(encoding="utf-8"))["run_id"]
    assert after != before and (out / "osaka-mou" / ".runs" / f"{before}.json").is_file()
    new = {(p["english"], p["lang"]): p for p in _suggest(cli, out, glossary)["proposals"] if p["kind"] == "new"}
    assert (new[("Osaka University", "zh-TW")]["agree"], new[("Osaka University", "zh-TW")]["rows"]) == (3, 3)


def test_a_damaged_review_record_is_named_in_one_line(reviewed_output, cli):
    out, glossary = reviewed_output
    record = out / "osaka-mou" / "osaka-mou.reviewed.sqlite"
    record.write_bytes(b"not a database" * 100)
    result = cli("glossary", "suggest", "--from-reviews", out, "--glossary", glossary)
    assert result.exit_code == 6, result.output
    assert str(record) in result.output and "Traceback" not in result.output
