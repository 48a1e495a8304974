"""Review import: what the audit found (several documents of one run and language, a wrong language property,
text typed outside the table, the same bytes imported from another path)."""

from __future__ import annotations

import json
import shutil

import pytest

from support.review_runs import (
    A, A_TEXT, B, block, copy_run, copy_run_from, current, memory_rows, refused, reviewed_copy,
)  # fmt: skip


@pytest.fixture
def run(real_model_run):
    """This module's run: one with a real (non-demo) model (tests/conftest.py, `real_model_run`)."""
    return real_model_run


# --------------------------------------------------------------------------------------------- the language


def test_a_language_property_that_contradicts_the_target_column_is_refused(run, cli, tmp_path):
    """core_properties.language zh-TW on the ja document: its column says 日本語, so it is refused, not imported
    as Chinese."""

    def relabel(doc):
        doc.core_properties.language = "zh-TW"

    path = reviewed_copy(run, tmp_path / "back" / "ja.docx", "ja", {"p05.s02": "定期的に交流している。"}, relabel)
    result = cli("review", "import", path, "--manifest", run.folder)
    refused(result, "ja.docx", "zh-TW", "日本語", "繁體中文", "nothing was imported")
    assert not run.memory.exists() and not run.reviewed.exists()


# --------------------------------------------------------------------------------------------- several documents

A_OTHER, B_TEXT = "兩校在感染症與病毒學研究上優勢互補。", "兩校也初步討論了雙學位。"


def test_two_copies_of_one_document_are_merged_per_segment(run, cli, tmp_path):
    assert not run.manifest["models"]["zh-TW"].get("demo")
    rev1 = reviewed_copy(run, tmp_path / "r1" / "rev1.docx", edits={A: A_TEXT})
    rev2 = reviewed_copy(run, tmp_path / "r2" / "rev2.docx", edits={B: B_TEXT})

    result = cli("review", "import", rev1, rev2, "--manifest", run.folder)
    assert result.exit_code == 0, result.output
    merged = block(run)["segments"]
    assert merged[A]["text"] == A_TEXT and merged[A]["status"] == "edited" and merged[A]["document"] == "rev1.docx"
    assert merged[B]["text"] == B_TEXT and merged[B]["status"] == "edited" and merged[B]["document"] == "rev2.docx"
    assert set(block(run)["documents"]) == {"rev1.docx", "rev2.docx"}
    # The memory's current entry of each is the edit, not the other document's unchanged machine text.
    assert current(run, A).target == A_TEXT and current(run, A).document == "rev1.docx"
    assert current(run, B).target == B_TEXT
    assert run.machine(A) not in [target for _, _, target, *_ in memory_rows(run.memory)]
    assert "rev1.docx's edit is kept" in result.output  # rev2 left A unchanged: it does not override rev1

    # publish takes both edits (the rows nobody edited are this fake model's English: the gate refuses those)
    from pipeline.review.importing import load_reviewed
    from pipeline.publish.plan import plan_language

    planned = {s.id: s for s in plan_language(run.manifest, "zh-TW", load_reviewed(run.manifest_path, run.manifest)["zh-TW"])}
    assert (planned[A].how, planned[A].text) == ("reviewed", A_TEXT)
    assert (planned[B].how, planned[B].text) == ("reviewed", B_TEXT)

    # Either order gives the same merge.
    again = copy_run_from(run, tmp_path / "again")
    result = cli("review", "import", rev2, rev1, "--manifest", again.folder)
    assert result.exit_code == 0, result.output
    merged = block(again)["segments"]
    assert merged[A]["text"] == A_TEXT and merged[B]["text"] == B_TEXT
    assert current(again, A).target == A_TEXT and current(again, B).target == B_TEXT


def test_two_documents_editing_one_segment_differently_need_override(run, cli, tmp_path):
    rev1 = reviewed_copy(run, tmp_path / "r1" / "rev1.docx", edits={A: A_TEXT})
    rev3 = reviewed_copy(run, tmp_path / "r3" / "rev3.docx", edits={A: A_OTHER, B: B_TEXT})
    assert cli("review", "import", rev1, "--manifest", run.folder).exit_code == 0
    memory_before, reviewed_before = run.memory.read_bytes(), run.reviewed.read_bytes()

    result = cli("review", "import", rev3, "--manifest", run.folder)
    refused(result, "rev3.docx", A, "rev1.docx", "--override", "nothing was imported")
    assert f"({B})" not in result.output  # B was edited in rev3 only: no disagreement
    assert run.memory.read_bytes() == memory_before and run.reviewed.read_bytes() == reviewed_before

    result = cli("review", "import", rev3, "--manifest", run.folder, "--override")
    assert result.exit_code == 0, result.output
    merged = block(run)["segments"]
    assert merged[A]["text"] == A_OTHER and merged[A]["document"] == "rev3.docx"
    assert merged[A]["other_edits"] == [{"document": "rev1.docx", "text": A_TEXT, "status": "edited"}]
    assert merged[B]["text"] == B_TEXT
    assert block(run)["documents"]["rev1.docx"]["segments"][A]["text"] == A_TEXT  # rev1's text is kept
    assert current(run, A).target == A_OTHER

    # rev1 imported again (unchanged): the override stands, nothing changes.
    before = run.reviewed.read_bytes()
    result = cli("review", "import", rev1, "--manifest", run.folder)
    assert result.exit_code == 0, result.output
    assert run.reviewed.read_bytes() == before and current(run, A).target == A_OTHER

    # rev1 re-edited, A changed again: a new disagreement with rev3, refused again without --override.
    rev1b = reviewed_copy(run, tmp_path / "r1b" / "rev1.docx", edits={A: "兩校優勢互補。"})
    refused(cli("review", "import", rev1b, "--manifest", run.folder), "rev1.docx", A, "rev3.docx")
    assert block(run)["segments"][A]["text"] == A_OTHER


def test_the_same_document_reimported_after_further_edits_replaces_its_own_values(run, cli, tmp_path):
    first = reviewed_copy(run, tmp_path / "v1" / "rev1.docx", edits={A: A_TEXT})
    assert cli("review", "import", first, "--manifest", run.folder).exit_code == 0
    second = reviewed_copy(run, tmp_path / "v2" / "rev1.docx", edits={A: A_OTHER, B: B_TEXT})  # same name
    result = cli("review", "import", second, "--manifest", run.folder)
    assert result.exit_code == 0, result.output
    data = block(run)
    assert list(data["documents"]) == ["rev1.docx"]
    assert data["segments"][A]["text"] == A_OTHER and data["segments"][B]["text"] == B_TEXT
    assert current(run, A).target == A_OTHER

    # A copy with the same name that has A back as the machine text: another reviewer's copy, or a revert?
    # Refused (nothing typed is silently dropped) unless --override says this document wins.
    third = reviewed_copy(run, tmp_path / "v3" / "rev1.docx", edits={B: B_TEXT})
    refused(cli("review", "import", third, "--manifest", run.folder), "rev1.docx", A, "--override", "rename")
    assert block(run)["segments"][A]["text"] == A_OTHER
    result = cli("review", "import", third, "--manifest", run.folder, "--override")
    assert result.exit_code == 0, result.output
    # Taken back, but not approved (no OK mark): a draft, which never replaces the reviewer's text in the memory.
    assert block(run)["segments"][A]["status"] == "unchanged" and current(run, A).target == A_OTHER
    # Marked OK: the reviewer approves the machine text, which becomes the memory's current entry.
    fourth = reviewed_copy(run, tmp_path / "v4" / "rev1.docx", edits={B: B_TEXT}, marks=[A])
    result = cli("review", "import", fourth, "--manifest", run.folder, "--override")
    assert result.exit_code == 0, result.output
    assert block(run)["segments"][A]["approval"] == "marked" and current(run, A).target == run.machine(A)


def test_identical_bytes_from_another_path_are_a_no_op(run, cli, tmp_path):
    rev1 = reviewed_copy(run, tmp_path / "r1" / "rev1.docx", edits={A: A_TEXT})
    assert cli("review", "import", rev1, "--manifest", run.folder).exit_code == 0
    memory_before, reviewed_before = run.memory.read_bytes(), run.reviewed.read_bytes()
    elsewhere = tmp_path / "downloads" / "KMU review (final).docx"
    elsewhere.parent.mkdir()
    shutil.copy(rev1, elsewhere)
    result = cli("review", "import", elsewhere, "--manifest", run.folder)
    assert result.exit_code == 0, result.output
    assert "already imported as rev1.docx" in result.output and "already up to date" in result.output
    assert run.reviewed.read_bytes() == reviewed_before
    assert run.memory.read_bytes() == memory_before


def test_the_latest_override_wins_even_when_an_earlier_winner_is_imported_again(run, cli, tmp_path):
    C = "p08.s01"
    rev1 = reviewed_copy(run, tmp_path / "r1" / "rev1.docx", edits={A: A_TEXT})
    rev2 = reviewed_copy(run, tmp_path / "r2" / "rev2.docx", edits={A: A_OTHER})
    rev4 = reviewed_copy(run, tmp_path / "r4" / "rev4.docx", edits={A: "兩校優勢互補。"})
    assert cli("review", "import", rev1, "--manifest", run.folder).exit_code == 0
    assert cli("review", "import", rev2, rev4, "--manifest", run.folder, "--override").exit_code == 0
    assert block(run)["segments"][A]["text"] == "兩校優勢互補。"
    assert {e["document"] for e in block(run)["segments"][A]["other_edits"]} == {"rev1.docx", "rev2.docx"}
    # rev2 comes back with one more edit (C) and A as before: rev4's later override still decides A.
    rev2b = reviewed_copy(run, tmp_path / "r2b" / "rev2.docx", edits={A: A_OTHER, C: "雙方將持續擴大合作。"})
    result = cli("review", "import", rev2b, "--manifest", run.folder)
    assert result.exit_code == 0, result.output
    assert "rev4.docx's edit is used" in result.output
    merged = block(run)["segments"]
    assert merged[A]["text"] == "兩校優勢互補。" and merged[C]["text"] == "雙方將持續擴大合作。"
    assert current(run, A).target == "兩校優勢互補。"


# --------------------------------------------------------------------------------------------- outside the table


def test_text_typed_outside_the_table_is_reported_and_kept(run, cli, tmp_path):
    def type_outside(doc):
        run_line = next(p for p in doc.paragraphs if p.text.startswith("Run: "))
        run_line.insert_paragraph_before("Reviewed by Lin on 28 Nov; 人名請再確認。")  # in the header block
        doc.add_paragraph("整體翻譯品質良好，p05 的語氣請再調整。")  # after the table

    path = reviewed_copy(run, tmp_path / "back" / "rev1.docx", edits={A: A_TEXT}, change=type_outside)
    result = cli("review", "import", path, "--manifest", run.folder)
    assert result.exit_code == 0, result.output
    assert "typed outside the table (before the table), kept with the document: Reviewed by Lin on 28 Nov" in result.output
    assert "typed outside the table (after the table), kept with the document: 整體翻譯品質良好" in result.output
    expected = [
        {"where": "before the table", "text": "Reviewed by Lin on 28 Nov; 人名請再確認。"},
        {"where": "after the table", "text": "整體翻譯品質良好，p05 的語氣請再調整。"},
    ]
    data = block(run)
    assert data["documents"]["rev1.docx"]["outside_text"] == expected
    assert data["outside_text"] == [dict(item, document="rev1.docx") for item in expected]
    report = cli("review", "import", path, "--manifest", run.folder, "--format", "json")
    assert json.loads(report.stdout)["imported"][0]["outside_text"] == expected


@pytest.mark.parametrize("demo", [False, True], ids=["real-model", "demo-model"])
def test_the_header_the_run_wrote_is_not_taken_for_reviewer_text(run, translated, cli, tmp_path, demo):
    """Only what a reviewer typed is reported: the run's own header block (demo banner included) is not."""
    if demo:
        run = copy_run(translated, tmp_path / "demo")
    copy = tmp_path / "elsewhere" / "unedited.docx"  # away from the run's own document
    copy.parent.mkdir()
    shutil.copy(run.review("ja"), copy)
    run.review("ja").unlink()  # the header is rebuilt from the manifest, not read from the original
    result = cli("review", "import", copy, "--manifest", run.folder, "--accept-unedited", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["imported"][0]["outside_text"] == []


def test_a_reviewed_json_from_before_the_merge_is_read_as_one_document(run, cli, tmp_path):
    rev1 = reviewed_copy(run, tmp_path / "r1" / "rev1.docx", edits={A: A_TEXT})
    assert cli("review", "import", rev1, "--manifest", run.folder).exit_code == 0
    data = json.loads(run.reviewed.read_text(encoding="utf-8"))
    lang_block = data["runs"][run.manifest["run_id"]]["zh-TW"]
    own = lang_block["documents"]["rev1.docx"]
    data["runs"][run.manifest["run_id"]]["zh-TW"] = {  # the shape an earlier version wrote: one document per block
        "imported_at": own["imported_at"], "document": "rev1.docx", "sha256": own["sha256"], "chrf": own["chrf"],
        "ter": own["ter"], "metrics": lang_block["metrics"], "demo": False, "document_comments": [],
        "segments": own["segments"],
    }  # fmt: skip
    run.reviewed.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    run.reviewed.with_suffix(".sqlite").unlink()  # a release folder from before the review record: reviewed.json only

    rev2 = reviewed_copy(run, tmp_path / "r2" / "rev2.docx", edits={B: B_TEXT})
    result = cli("review", "import", rev2, "--manifest", run.folder)
    assert result.exit_code == 0, result.output
    merged = block(run)["segments"]
    assert merged[A]["text"] == A_TEXT and merged[B]["text"] == B_TEXT
    assert list(block(run)["documents"]) == ["rev1.docx", "rev2.docx"]
    assert current(run, A).target == A_TEXT
