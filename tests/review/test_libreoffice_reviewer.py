"""A reviewer with the real LibreOffice (driven through UNO, tests/support/libreoffice.py): edit, save, import, publish.

Every test here takes the session `libreoffice` fixture, which skips with the reason where soffice or python3-uno
is missing. Rows and columns are LibreOffice's: row 0 is the header, column 2 the target language, 3 the Notes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.paths import SAMPLE
from support.libreoffice import OOXML_TEXT, WORD_2007, op
from support.review_runs import Run, copy_run

TARGET, NOTES = 2, 3
AUTHOR = "Reviewer Lin"


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


@pytest.mark.parametrize("save_type", [WORD_2007, OOXML_TEXT], ids=["word-2007-365", "ooxml-text-transitional"])
def test_import_of_unaccepted_changes_equals_libreoffices_own_accept_all(run, cli, libreoffice, tmp_path, save_type):
    """What the importer and publish make of tracked changes is what LibreOffice's Edit → Track Changes → Accept All
    makes, in either .docx save type."""
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
    libreoffice.edit(run.review("zh-TW"), op.author(AUTHOR), op.track_changes(), *edits, op.save(tracked, save_type))
    after = libreoffice.edit(tracked, op.accept_all(), op.redlines(), op.save(accepted, save_type))
    assert after[1] == []  # Accept All left no tracked change

    other = copy_run(run.out, tmp_path / "other")
    import_ok(cli, run, tracked)
    import_ok(cli, other, accepted)
    mine, theirs = imported(run), imported(other)
    assert {sid: s["text"] for sid, s in mine.items()} == {sid: s["text"] for sid, s in theirs.items()}
    assert sum("tracked-changes" in s["flags"] for s in mine.values()) >= 2
    published = []
    for each in (run, other):
        assert cli("publish", each.folder, "--to", "zh-TW", "--allow-unreviewed").exit_code == 0
        import docx

        published.append([p.text for p in docx.Document(each.folder / f"{SAMPLE.stem}.zh-TW.docx").paragraphs])
    assert published[0] == published[1]
    assert any(f"〔{index}〕" in "".join(published[0]) for index in range(2, 7))


# Characters a reviewer types on purpose (see test_review_editors.py): 神 U+FA19, 﨑 U+FA11, U+3000, NBSP, tab.
KAMI, SAKI, IDEO_SPACE, NBSP, TAB = "\ufa19", "\ufa11", "\u3000", "\u00a0", "\t"


def plain_rows(run: Run, lang: str, count: int) -> list[str]:
    """Sentences with no glossary term: editing them never needs glossary review, so publish takes them."""
    found = [
        s["id"] for s in run.manifest["segments"][2:]
        if not s["targets"][lang]["terms"] and s["targets"][lang]["origin"] == "machine"
    ]  # fmt: skip
    assert len(found) >= count
    return found[:count]


@pytest.mark.parametrize("save_type", [WORD_2007, OOXML_TEXT], ids=["word-2007-365", "ooxml-text-transitional"])
def test_characters_typed_in_libreoffice_are_stored_and_published_exactly(run, cli, libreoffice, save_type):
    lang = "ja"
    typed_in, replaced, tracked = plain_rows(run, lang, 3)
    name = f"山{SAKI}{IDEO_SPACE}{KAMI}太郎"
    machine = {sid: run.segment(sid)["targets"][lang]["text"] for sid in (typed_in, replaced, tracked)}
    saved = run.folder / f"{SAMPLE.stem}.{lang}.review (LibreOffice).docx"
    libreoffice.edit(
        run.review(lang),
        op.author(AUTHOR),
        op.type_in_cell(row(run, typed_in), TARGET, f"{NBSP}{name}{TAB}教授", at="start"),
        op.set_cell(row(run, replaced), TARGET, f"{IDEO_SPACE}本日、{name}氏が{KAMI}戸を訪問。"),
        op.track_changes(),
        op.type_in_cell(row(run, tracked), TARGET, f"（{name}）"),  # tracked, left unaccepted
        op.save(saved, save_type),
    )
    result = import_ok(cli, run, saved)
    assert "3 edited" in result.output, result.output
    segments = imported(run, lang)
    assert segments[typed_in]["text"] == f"{NBSP}{name}{TAB}教授" + machine[typed_in]
    assert segments[replaced]["text"] == f"{IDEO_SPACE}本日、{name}氏が{KAMI}戸を訪問。"
    assert segments[tracked]["text"] == machine[tracked] + f"（{name}）"

    published = cli("publish", run.folder, "--to", lang, "--allow-unreviewed")
    assert published.exit_code == 0, published.output
    import docx

    text = "\n".join(p.text for p in docx.Document(run.folder / f"{SAMPLE.stem}.{lang}.docx").paragraphs)
    for piece in (f"{NBSP}{name}{TAB}教授", f"本日、{name}氏が{KAMI}戸を訪問。", f"（{name}）"):
        assert piece in text, piece
    assert "山崎" not in text and "\u795e戸" not in text


def test_formats_other_than_docx_saved_by_libreoffice_are_refused_with_how_to_save(run, cli, libreoffice, tmp_path):
    from support.libreoffice import DOC, ODT

    odt, doc = tmp_path / "review.odt", tmp_path / "review.doc"
    libreoffice.edit(run.review("zh-TW"), op.save(odt, ODT), op.save(doc, DOC))
    for path, what in ((odt, "OpenDocument Text (.odt)"), (doc, "Word 97–2003 (.doc)")):
        result = cli("review", "import", path, "--manifest", run.folder)
        assert result.exit_code == 6, result.output
        assert what in result.output and "Save As" in result.output and "Traceback" not in result.output
        assert len([line for line in result.output.splitlines() if line.strip()]) == 1


def test_ctrl_end_and_typing_lands_after_the_table_not_in_the_last_notes_cell(run, cli, libreoffice, tmp_path):
    saved = tmp_path / "typed-at-end.docx"
    last = run.manifest["segments"][-1]["id"]
    before, = libreoffice.edit(run.review("zh-TW"), op.cell_text(len(run.manifest["segments"]), NOTES))
    libreoffice.edit(run.review("zh-TW"), op.type_at_end("整體意見：請再確認日期"), op.save(saved, WORD_2007))
    after, = libreoffice.edit(saved, op.cell_text(len(run.manifest["segments"]), NOTES))
    assert after == before  # the last row's Notes cell is untouched
    result = cli("review", "import", saved, "--manifest", run.folder, "--accept-unedited")
    assert result.exit_code == 0, result.output
    assert "typed outside the table (after the table), kept with the document: 整體意見：請再確認日期" in result.output
    assert imported(run)[last]["reviewer_notes"] == []


def test_changes_by_a_libreoffice_user_with_no_name_are_said_once(run, cli, libreoffice, tmp_path):
    saved = tmp_path / "anonymous.docx"
    ids = [s["id"] for s in run.manifest["segments"][3:5]]
    libreoffice.edit(
        run.review("zh-TW"),
        op.author(""),
        op.track_changes(),
        *[op.type_in_cell(row(run, sid), TARGET, "（校）") for sid in ids],
        op.save(saved, WORD_2007),
    )
    libreoffice.edit(run.review("zh-TW"), op.author(AUTHOR))  # later tests get a named reviewer again
    result = import_ok(cli, run, saved)
    assert result.output.count("Unknown Author") == 1, result.output
    assert f"2 row(s) ({', '.join(ids)})" in result.output
