"""The quality checks on what reviewers type (`translate review import`) — a run with a real (non-demo) model."""

from __future__ import annotations

import json

import pytest

from support.review_runs import block, reviewed_copy


@pytest.fixture
def run(real_model_run):
    """This module's run: one with a real (non-demo) model (tests/conftest.py, `real_model_run`)."""
    return real_model_run


NUMBER, YEAR, YEN, ENGLISH = "p05.s01", "p03.s04", "p03.s02", "p05.s02"


def names(run, sid: str) -> str:
    return "、".join(run.approved_targets(sid))


def test_typed_errors_are_caught_per_row_and_in_the_summary_and_not_approved(run, cli, tmp_path):
    assert "70" in run.segment(NUMBER)["source"] and "2017" in run.segment(YEAR)["source"]
    edits = {
        NUMBER: names(run, NUMBER) + "目前開設07門全英語授課課程。",  # 07 for 70
        YEAR: names(run, YEAR) + "於2017年締結姊妹市，，延續友誼。",  # ，，
        YEN: names(run, YEN) + "培育了北里柴三郎，他也出現在日本千円紙鈔上。",  # 1,000-yen as 千円: correct
        ENGLISH: run.segment(ENGLISH)["source"],  # left in English
    }
    path = reviewed_copy(run, tmp_path / "back" / "zh.docx", edits=edits, marks=[ENGLISH])  # approved in English
    result = cli("review", "import", path, "--manifest", run.folder)
    assert result.exit_code == 0, result.output
    assert "check findings on the reviewed text — errors: " in result.output and "number-missing" in result.output
    named = result.output.split(" check-error (")[1].split(")")[0].split(", ")  # listed among the rows not approved
    assert {NUMBER, YEAR, ENGLISH} <= set(named)
    segments = block(run)["segments"]

    def codes(sid):
        return {(f["code"], f["severity"]) for f in segments[sid]["qa"]}

    assert ("number-missing", "error") in codes(NUMBER) and "70" in result.output
    assert ("punctuation-repeated", "error") in codes(YEAR)
    assert ("untranslated", "error") in codes(ENGLISH)
    assert not any(code == "number-missing" for code, _ in codes(YEN))
    for sid in (NUMBER, YEAR, ENGLISH):
        assert segments[sid]["approved"] is False and segments[sid]["memory"] == "needs-review", sid
    # each row is named in the report with its problem
    lines = result.output.splitlines()
    assert any(line.strip().startswith(NUMBER) for line in lines)
    assert "error [number-missing]" in result.output

    data = json.loads(run.reviewed.read_text(encoding="utf-8"))
    assert data["runs"][run.manifest["run_id"]]["zh-TW"]["segments"][NUMBER]["text"] == edits[NUMBER]  # kept as typed
