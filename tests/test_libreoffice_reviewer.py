"""A reviewer with the real LibreOffice (driven through UNO, tests/libreoffice.py): edit, save, import, publish.

Every test here takes the session `libreoffice` fixture, which skips with the reason where soffice or python3-uno
is missing. Rows and columns are LibreOffice's: row 0 is the header, column 2 the target language, 3 the Notes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE
from libreoffice import OOXML_TEXT, WORD_2007, op
from test_review_import import Run, copy_run, translated_once

TARGET, NOTES = 2, 3
AUTHOR = "Reviewer Lin"


@pytest.fixture(scope="module")
def translated(identity_packages, tmp_path_factory) -> Path:
    return translated_once(identity_packages, tmp_path_factory)


@pytest.fixture
def run(translated, tmp_path, monkeypatch) -> Run:
    monkeypatch.delenv("TRANSLATE_MEMORY", raising=False)
    return copy_run(translated, tmp_path)


def row(run: Run, segment_id: str) -> int:
    """The table row of a segment in LibreOffice's numbering (the header is row 0)."""
    return 1 + [s["id"] for s in run.manifest["segments"]].index(segment_id)


def imported(run: Run, lang: str = "zh-TW") -> dict[str, dict]:
    data = json.loads(run.reviewed.read_text(encoding="utf-8"))
    return data["runs"][run.manifest["run_id"]][lang]["segments"]


def import_ok(cli, run: Run, path: Path, *extra: str):
    result = cli("review", "import", path, "--manifest", run.folder, *extra)
    assert result.exit_code == 0, result.output
    return result


def test_the_harness_reads_the_review_table_as_written(run, libreoffice):
    """The op vocabulary against a document we know: the header row, the ID column, a target cell."""
    size, header, first_id, first_target = libreoffice.edit(
        run.review("zh-TW"), op.table_size(), op.cell_text(0, 0), op.cell_text(1, 0), op.cell_text(1, TARGET)
    )
    assert size == [len(run.manifest["segments"]) + 1, 5]
    assert header == "ID" and first_id == run.manifest["segments"][0]["id"]
    assert first_target == run.manifest["segments"][0]["targets"]["zh-TW"]["text"]


def test_plain_edit_tracked_change_and_comment_made_in_libreoffice_are_imported(run, cli, libreoffice, tmp_path):
    title, changed, commented = (s["id"] for s in run.manifest["segments"][:3])
    machine = {sid: run.segment(sid)["targets"]["zh-TW"]["text"] for sid in (title, changed, commented)}
    word = machine[changed].split()[0]
    saved = run.folder / f"{SAMPLE.stem}.zh-TW.review (LibreOffice).docx"
    results = libreoffice.edit(
        run.review("zh-TW"),
        op.author(AUTHOR),
        op.set_cell(row(run, title), TARGET, "高醫與熊本大學簽署合作協議"),  # Track Changes off: a plain edit
        op.track_changes(),
        op.replace_in_cell(row(run, changed), TARGET, word, "【改】"),  # left unaccepted
        op.comment(row(run, commented), TARGET, "請確認用語", author="Chen"),
        op.redlines(),
        op.save(saved, WORD_2007),
    )
    assert {(r["type"], r["author"]) for r in results[-2]} == {("Delete", AUTHOR), ("Insert", AUTHOR)}

    result = import_ok(cli, run, saved)
    segments = imported(run)
    assert segments[title]["text"] == "高醫與熊本大學簽署合作協議"
    assert segments[changed]["text"] == machine[changed].replace(word, "【改】", 1)
    assert "tracked-changes" in segments[changed]["flags"]
    assert segments[commented]["comments"] == ["Chen: 請確認用語"]
    assert "Traceback" not in result.output


def test_import_of_unaccepted_changes_equals_libreoffices_own_accept_all(run, cli, libreoffice, tmp_path):
    """What the importer makes of tracked changes is what LibreOffice's Edit → Track Changes → Accept All makes."""
    segments = run.manifest["segments"]
    edits = []
    for index, segment in enumerate(segments[1:6], start=2):
        words = segment["targets"]["zh-TW"]["text"].split()
        if len(words) > 2:
            edits.append(op.replace_in_cell(index, TARGET, words[1], f"〔{index}〕"))
            edits.append(op.type_in_cell(index, TARGET, "（校）"))
    assert len(edits) >= 4
    tracked = tmp_path / "tracked.docx"
    accepted = tmp_path / "accepted.docx"
    libreoffice.edit(run.review("zh-TW"), op.author(AUTHOR), op.track_changes(), *edits, op.save(tracked, WORD_2007))
    after = libreoffice.edit(tracked, op.accept_all(), op.redlines(), op.save(accepted, WORD_2007))
    assert after[1] == []  # Accept All left no tracked change

    other = copy_run(run.out, tmp_path / "other")
    import_ok(cli, run, tracked)
    import_ok(cli, other, accepted)
    mine, theirs = imported(run), imported(other)
    assert {sid: s["text"] for sid, s in mine.items()} == {sid: s["text"] for sid, s in theirs.items()}
    assert sum("tracked-changes" in s["flags"] for s in mine.values()) >= 2
