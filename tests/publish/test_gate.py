"""The publish gate: every segment re-checked against the CURRENT glossary and the quality checks, whatever its
origin; a refused language names each row, its problem and the next step; a clean language is still published.
The issue's sequence: review and import, add a glossary entry for a name the release holds, rerun, publish."""

from __future__ import annotations

import json
import shutil

import docx
import pytest

from support import review_edits as edit
from support.paths import GLOSSARY, SAMPLE
from support.review_runs import do_run

SID = "p05.s02"  # "Students are regularly sent abroad for clinical electives.": a term the glossary lacks
ENTRY = """version: 1
entries:
  - id: clinical-electives
    english: clinical electives
    kind: term
    status: approved
    target_status: {ja: proposed}
    targets:
      zh-TW: 臨床選修課程
      ja: 臨床選択実習
"""
NEW, NEW_FORM = "clinical electives", "臨床選修課程"


@pytest.fixture
def new_glossary(tmp_path):
    """The project's glossary plus an entry for a name the sample holds (zh-TW form only: ja is unaffected)."""
    folder = tmp_path / "glossaries"
    shutil.copytree(GLOSSARY, folder)
    (folder / "colleges.yaml").write_text(ENTRY, encoding="utf-8")
    return folder


def saved(doc, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def test_a_glossary_change_after_review_is_caught_by_publish_and_by_check_against(run, cli, new_glossary, tmp_path):
    assert NEW in run.segment(SID)["source"]
    for lang in ("zh-TW", "ja"):
        assert cli("review", "import", run.review(lang), "--approve-all").exit_code == 0
    first = cli("publish", run.folder, "--glossary", GLOSSARY)
    assert first.exit_code == 0, first.output
    published = run.folder / f"{SAMPLE.stem}.zh-TW.docx"
    assert cli("glossary", "check", GLOSSARY, "--against", published).exit_code == 0

    # The published document is checked against the manifest's English: with the new entry it fails.
    result = cli("glossary", "check", new_glossary, "--against", published)
    assert result.exit_code == 1 and NEW_FORM in result.output, result.output

    # publish re-checks against the current glossary: zh-TW refused with the row named, ja still published.
    (run.folder / f"{SAMPLE.stem}.ja.docx").unlink()
    published.unlink()
    result = cli("publish", run.folder, "--glossary", new_glossary)
    assert result.exit_code == 6, result.output
    row = 2 + [s["id"] for s in run.manifest["segments"]].index(SID)
    assert f"zh-TW row {row} ({SID}, reviewed): term-missing: {NEW} must be rendered {NEW_FORM}" in result.output
    assert f"fix it in row {row} of {run.review('zh-TW')} and import the document again" in result.output
    assert "were not reviewed" not in result.output
    assert not published.exists() and (run.folder / f"{SAMPLE.stem}.ja.docx").exists()
    assert "published: ja" in result.output


def test_the_issues_sequence_rerun_keeps_the_reviewers_text_and_publish_names_the_row(
    run, cli, new_glossary, installed, sample_copy, tmp_path
):
    # Round 1: a reviewer edits the sentence (keeping every glossary term); it goes to the memory as approved.
    doc = docx.Document(run.review("zh-TW"))
    human = run.machine(SID) + "（已與院方確認）"
    edit.replace_text(edit.target_cell(doc, SID), human)
    result = cli("review", "import", saved(doc, tmp_path / "r1" / "zh.docx"), "--manifest", run.folder)
    assert result.exit_code == 0, result.output

    # A glossary entry is added for a name the sentence holds; the release is run again.
    again = do_run(cli, sample_copy, run.out, "--glossary", new_glossary)  # (do_run's own --glossary comes first)
    target = again.segment(SID)["targets"]["zh-TW"]
    # Human work is never demoted: the reviewer's text stays in the cell, the term flagged, the machine text offered.
    assert target["origin"] == "memory" and target["text"] == human
    codes = {f["code"]: f for f in target["flags"]}
    assert codes["memory-outdated"]["severity"] == "error" and f"{NEW} → {NEW_FORM}" in codes["memory-outdated"]["message"]
    assert "machine-version" in codes
    cell = edit.target_cell(docx.Document(again.review("zh-TW")), SID)
    assert cell.text == human

    # Both documents approved as they are: ja is clean; zh-TW is refused, naming the row and the fix.
    for lang in ("zh-TW", "ja"):
        assert cli("review", "import", again.review(lang), "--approve-all").exit_code == 0
    result = cli("publish", again.folder)
    assert result.exit_code == 6, result.output
    row = 2 + [s["id"] for s in again.manifest["segments"]].index(SID)
    assert f"zh-TW row {row} ({SID}" in result.output and NEW_FORM in result.output
    assert f"row {row} of {again.review('zh-TW')}" in result.output  # the copy imported, by its path
    assert (again.folder / f"{SAMPLE.stem}.ja.docx").exists()
    assert not (again.folder / f"{SAMPLE.stem}.zh-TW.docx").exists()

    # The reviewer fixes the one term in that row and imports the document again: zh-TW publishes.
    doc = docx.Document(again.review("zh-TW"))
    edit.replace_text(edit.target_cell(doc, SID), human.replace(NEW, NEW_FORM))
    fixed = saved(doc, tmp_path / "r2" / "zh.docx")
    assert cli("review", "import", fixed, "--manifest", again.folder, "--approve-all").exit_code == 0
    result = cli("publish", again.folder)
    assert result.exit_code == 0, result.output
    text = "".join(p.text for p in docx.Document(again.folder / f"{SAMPLE.stem}.zh-TW.docx").paragraphs)
    assert NEW_FORM in text


def test_unreviewed_rows_get_the_right_advice(run, cli):
    result = cli("publish", run.folder, "--to", "ja")
    assert result.exit_code == 6
    assert "unreviewed: p01.s01" in result.output and "type OK in their OK? column" in result.output
    assert "--allow-unreviewed" in result.output


def test_machine_text_is_checked_even_with_allow_unreviewed(run, cli, tmp_path):
    """A broken machine row (here: a number the fake model lost) refuses the language even as a marked draft."""
    manifest = run.manifest
    target = next(s for s in manifest["segments"] if s["id"] == "p05.s01")["targets"]["ja"]
    target["text"] = target["text"].replace("70", "07")
    run.manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    result = cli("publish", run.folder, "--allow-unreviewed")
    assert result.exit_code == 6, result.output
    assert "ja row" in result.output and "number-missing" in result.output and "70" in result.output
    assert (run.folder / f"{SAMPLE.stem}.zh-TW.docx").exists() and not (run.folder / f"{SAMPLE.stem}.ja.docx").exists()
