"""Explicit approval: a row is approved by an edit, by an OK mark in its OK? column (typed in Word — python-docx
here — or in LibreOffice through UNO), or by --approve-all; the others are drafts, which never reach the memory as
approved, never replace a reviewer's text there, and are not published."""

from __future__ import annotations

import docx
import pytest

from support import review_edits as edit
from support.review_runs import A, A_TEXT, B, block, copy_run_from, current, reviewed_copy

C, D, E = "p05.s02", "p06.s04", "p04.s03"
TRANSLATED = {  # what a real model might have written for these rows (the fake test model copies the English)
    B: "此外，兩校也初步討論了雙聯學位計畫，以培育國際醫學人才。",
    C: "學生定期赴海外進行臨床選修。",
    D: "此合作可望促進基礎與臨床研究的合作。",
    E: "他強調：「今天的協議象徵正式的夥伴關係。」",
}


@pytest.fixture
def run(real_model_run):
    """A run with a real (non-demo) model, with rows B, C, D, E holding Chinese machine text (review document and
    manifest), so that approving them as they are passes the checks."""
    import json

    from pipeline.files.manifest import file_sha256

    doc = docx.Document(real_model_run.review("zh-TW"))
    for sid, text in TRANSLATED.items():
        text = "、".join(real_model_run.approved_targets(sid)) + text
        edit.replace_text(edit.target_cell(doc, sid), text)
        real_model_run.segment(sid)["targets"]["zh-TW"]["text"] = text
    doc.save(real_model_run.review("zh-TW"))
    real_model_run.manifest["documents"]["zh-TW"]["sha256"] = file_sha256(real_model_run.review("zh-TW"))
    real_model_run.manifest_path.write_text(json.dumps(real_model_run.manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return real_model_run


def test_untouched_rows_are_drafts_unless_marked(run, cli, tmp_path):
    path = reviewed_copy(run, tmp_path / "back" / "zh.docx", edits={A: A_TEXT}, marks=[B])
    result = cli("review", "import", path, "--manifest", run.folder)
    assert result.exit_code == 0, result.output
    segments = block(run)["segments"]
    assert segments[A]["approval"] == "edited" and segments[B]["approval"] == "marked" and segments[B]["mark"] == "OK"
    drafts = [sid for sid, s in segments.items() if s["approval"] is None and s["origin"] != "verbatim"]
    assert C in drafts and len(drafts) == len(segments) - 3  # the verbatim dateline needs no approval
    assert "2 approved (1 edited, 1 marked OK)" in result.output
    assert f"{len(drafts)} not approved" in result.output and "--approve-all" in result.output
    # The memory: the edit and the marked row approved; the drafts stored as drafts, never reused.
    assert current(run, A).approved and current(run, B).approved and current(run, B).target == run.machine(B)
    assert current(run, C).status == "draft"
    # publish: the drafts are unreviewed (they are named), the approved rows are not.
    published = cli("publish", run.folder, "--to", "zh-TW", "--no-memory")
    assert published.exit_code == 6
    unreviewed = published.output.split("unreviewed:")[1]
    assert C in unreviewed and A not in unreviewed and B not in unreviewed


def test_approve_all_approves_every_row_as_it_stands(run, cli, tmp_path):
    path = reviewed_copy(run, tmp_path / "back" / "zh.docx", edits={A: A_TEXT})
    result = cli("review", "import", path, "--manifest", run.folder, "--approve-all")
    assert result.exit_code == 0, result.output
    segments = block(run)["segments"]
    assert segments[A]["approval"] == "edited" and segments[C]["approval"] == "approve-all"
    assert current(run, C).approved and "by --approve-all" in result.output
    # the run's own bytes, approved as they are, import too
    assert cli("review", "import", run.review("ja"), "--manifest", run.folder, "--approve-all").exit_code == 0


@pytest.mark.parametrize("mark, approved", [("ok", True), ("✓", True), ("済", True), (" x ", True), ("OK。", True),
                                            ("?", False), ("no", False)])  # fmt: skip
def test_the_marks_reviewers_type(run, cli, tmp_path, mark, approved):
    doc = docx.Document(run.review("zh-TW"))
    edit.mark_ok(doc, C, mark)
    path = tmp_path / "back" / "zh.docx"
    path.parent.mkdir()
    doc.save(path)
    result = cli("review", "import", path, "--manifest", run.folder)
    assert result.exit_code == 0, result.output
    entry = block(run)["segments"][C]
    assert (entry["approval"] == "marked") is approved and entry["mark"] == mark.strip()
    if not approved:
        assert f"holds “{mark.strip()}”, not an approval mark" in result.output


def test_a_second_round_never_replaces_the_first_reviewers_text(run, cli, tmp_path):
    """Round 1 edits A; round 2 (another copy of the document) leaves A untouched: the memory keeps round 1's text."""
    first = reviewed_copy(run, tmp_path / "r1" / "zh.docx", edits={A: A_TEXT})
    assert cli("review", "import", first, "--manifest", run.folder).exit_code == 0
    again = copy_run_from(run, tmp_path / "again")  # the same run's output, its memory shared below
    second = reviewed_copy(again, tmp_path / "r2" / "zh.docx", edits={B: "兩校也討論了雙學位。"})
    result = cli("review", "import", second, "--manifest", again.folder, "--memory", run.memory)
    assert result.exit_code == 0, result.output
    assert current(run, A).target == A_TEXT and current(run, A).approved


def test_ok_typed_in_libreoffice_is_an_approval(run, cli, libreoffice, tmp_path):
    from support.libreoffice import WORD_2007, op

    ids = [s["id"] for s in run.manifest["segments"]]
    saved = tmp_path / "lo" / "zh.docx"
    saved.parent.mkdir()
    results = libreoffice.edit(
        run.review("zh-TW"),
        op.author("Reviewer Lin"),
        op.set_cell(1 + ids.index(C), 4, "OK"),  # plain typing
        op.track_changes(),
        op.set_cell(1 + ids.index(D), 4, "✓"),  # typed with Track Changes on, not accepted
        op.cell_text(0, 4),
        op.save(saved, WORD_2007),
    )
    assert results[-2] == "OK?"
    result = cli("review", "import", saved, "--manifest", run.folder)
    assert result.exit_code == 0, result.output
    segments = block(run)["segments"]
    assert segments[C]["approval"] == "marked" and segments[D]["approval"] == "marked" and segments[D]["mark"] == "✓"
    assert segments[E]["approval"] is None
    assert current(run, C).approved and current(run, D).approved and current(run, E).status == "draft"
