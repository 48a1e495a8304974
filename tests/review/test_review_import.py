"""`translate review import`: review documents edited the ways reviewers edit them, read back and checked."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from support import review_edits as edit
from support.paths import GLOSSARY, SAMPLE
from pipeline.core.release import normalize
from support.review_runs import (
    COMMENTED, DELETE, EMPTY, INSERT, MOVE, NOTE, SPLIT, TERM, TITLE, do_run, memory_rows, refused, review_zh,
)

LANGS = ("zh-TW", "ja")


def test_tracked_changes_comments_and_split_cells_are_read_and_stored(run, cli):
    reviewed = run.folder / f"{SAMPLE.stem}.zh-TW.review (Lin).docx"  # returned next to the original
    expected = review_zh(run, reviewed)

    result = cli("review", "import", reviewed)  # manifest found next to it; memory: OUT/memory.sqlite
    assert result.exit_code == 0, result.output
    total = len(run.manifest["segments"])
    assert f"{total} segments: {total - 7} unchanged, 6 edited, 1 emptied" in result.output, result.output
    assert "chrF" in result.output and "TER" in result.output and "TER on characters" in result.output
    assert f"1 needs-glossary-review ({TERM})" in result.output

    # The memory holds exactly the reviewed pairs; the glossary change is kept but NOT approved.
    rows = {(source, lang): (target, status, comment, reviewer) for source, lang, target, status, comment, reviewer in memory_rows(run.memory)}
    stored = {sid: text for sid, text in expected.items() if text}  # emptied: not stored
    assert set(rows) == {(normalize(run.segment(sid)["source"]), "zh-TW") for sid in stored}
    for sid, text in stored.items():
        target, status, comment, reviewer = rows[(normalize(run.segment(sid)["source"]), "zh-TW")]
        assert target == text, sid
        assert status == ("needs-glossary-review" if sid == TERM else "approved"), sid
    insert = rows[(normalize(run.segment(INSERT)["source"]), "zh-TW")]
    assert insert[2] == "Reviewer Lin: Checked against the Chinese press office's wording"
    assert insert[3] == "Reviewer Lin"

    # The release records every segment for publish, comments and notes included: nothing typed is lost.
    data = json.loads(run.reviewed.read_text(encoding="utf-8"))
    segments = data["runs"][run.manifest["run_id"]]["zh-TW"]["segments"]
    assert len(segments) == total
    for sid, text in expected.items():
        assert segments[sid]["text"] == text, sid
    assert segments[EMPTY]["status"] == "emptied"
    assert segments[COMMENTED]["status"] == "unchanged"  # bold added: not an edit
    assert segments[COMMENTED]["comments"] == ["Chen: Bold for emphasis?"]
    assert segments[NOTE]["reviewer_notes"] == ["Reviewer: 請確認年份"] and segments[NOTE]["status"] == "unchanged"
    assert segments[SPLIT]["flags"] == ["split-cell"] and len(segments[SPLIT]["paragraphs"]) == 2
    assert "glossary-changed" in segments[TERM]["flags"] and segments[TERM]["approved"] is False
    assert "tracked-changes" in segments[DELETE]["flags"]
    for sid in (TITLE, INSERT, DELETE, TERM, SPLIT, MOVE):
        assert segments[sid]["chrf"] < 100 and segments[sid]["ter"] > 0, sid
    assert segments["p05.s02"]["chrf"] == 100 and segments["p05.s02"]["ter"] == 0
    # TER on characters: deleting "recently " (8 characters, one edit span) from the machine text.
    machine = run.machine(DELETE)
    assert segments[DELETE]["ter"] == pytest.approx(round(100 * 8 / len(expected[DELETE].replace(" ", "")), 2), abs=0.01)
    assert segments[DELETE]["machine"] == normalize(machine)


def test_glossary_check_against_the_reviewed_docx_sees_the_tracked_term_change(run, cli, tmp_path):
    reviewed = tmp_path / "back" / "zh.docx"
    review_zh(run, reviewed)
    result = cli("glossary", "check", GLOSSARY, "--against", reviewed, "--format", "json")
    problems = json.loads(result.stdout)
    missing = [p for p in problems if p["code"] == "term-missing"]
    assert {p["segment"] for p in missing} == {TERM, EMPTY}, missing  # the emptied cell lacks its terms too
    assert result.exit_code == 1


def test_importing_the_same_document_twice_changes_nothing(run, cli, tmp_path):
    reviewed = tmp_path / "back" / "zh.docx"
    review_zh(run, reviewed)
    first = cli("review", "import", reviewed, "--manifest", run.folder, "--memory", run.memory)
    assert first.exit_code == 0, first.output
    assert "6 new" in first.output
    memory_bytes, reviewed_bytes = run.memory.read_bytes(), run.reviewed.read_bytes()
    rows = memory_rows(run.memory)

    second = cli("review", "import", reviewed, "--manifest", run.folder, "--memory", run.memory)
    assert second.exit_code == 0, second.output
    assert "0 new, 0 updated, 6 already there" in second.output
    assert "already up to date" in second.output
    assert memory_rows(run.memory) == rows
    assert run.memory.read_bytes() == memory_bytes
    assert run.reviewed.read_bytes() == reviewed_bytes


def test_a_later_review_of_the_same_sentence_becomes_current_and_the_first_is_kept(run, cli, tmp_path):
    first = tmp_path / "back" / "v1.docx"
    review_zh(run, first)
    assert cli("review", "import", first, "--manifest", run.folder).exit_code == 0
    doc = docx.Document(first)
    edit.replace_text(edit.target_cell(doc, TITLE), run.approved_targets(TITLE)[0] + "與" + run.approved_targets(TITLE)[1] + "簽約")
    second = tmp_path / "back" / "v2.docx"
    doc.save(second)
    # Another document that edits the same row differently: refused unless it is meant to win (--override).
    refused(cli("review", "import", second, "--manifest", run.folder), "v2.docx", TITLE, "v1.docx", "--override")
    result = cli("review", "import", second, "--manifest", run.folder, "--override")
    assert result.exit_code == 0, result.output
    assert "1 new, 0 updated" in result.output
    from pipeline.memory import MemoryStore

    with MemoryStore(run.memory, readonly=True) as store:
        current = store.current(run.segment(TITLE)["source"], "zh-TW")
        assert current.target.endswith("簽約")
        history = [e.target for e in store.entries("zh-TW", current_only=False) if e.source_hash == current.source_hash]
        assert len(history) == 2  # the first review is kept
    data = json.loads(run.reviewed.read_text(encoding="utf-8"))
    assert data["runs"][run.manifest["run_id"]]["zh-TW"]["segments"][TITLE]["text"].endswith("簽約")


def test_next_run_takes_approved_translations_from_memory(run, installed, cli, tmp_path, sample_copy):
    reviewed = tmp_path / "back" / "zh.docx"
    expected = review_zh(run, reviewed)
    assert cli("review", "import", reviewed, "--manifest", run.folder).exit_code == 0

    again = do_run(cli, sample_copy, run.out)  # OUT/memory.sqlite is used by default
    for sid in (TITLE, INSERT, DELETE, SPLIT, MOVE):
        target = again.segment(sid)["targets"]["zh-TW"]
        assert target["origin"] == "memory", sid
        assert target["text"] == expected[sid]
        assert target["flags"][0]["code"] == "memory" and target["flags"][0]["message"].startswith("from memory, approved ")
    # The glossary-changed pair is not reused; the reviewer sees it as a suggestion.
    term = again.segment(TERM)["targets"]["zh-TW"]
    assert term["origin"] == "machine" and term["suggestion"] == expected[TERM]
    assert any(f["code"] == "tm-suggestion" for f in term["flags"])
    # Other segments and the other language are machine-translated as before.
    assert again.segment("p05.s02")["targets"]["zh-TW"]["origin"] == "machine"
    assert all(s["targets"]["ja"]["origin"] != "memory" for s in again.manifest["segments"])
    # The review document says so in Notes.
    doc = docx.Document(again.review("zh-TW"))
    notes = edit.row_of(doc, TITLE).cells[3].text
    assert "from memory, approved" in notes
    assert "TM suggestion: " + expected[TERM] in edit.row_of(doc, TERM).cells[3].text

    plain = do_run(cli, sample_copy, tmp_path / "fresh", "--no-memory")
    assert all(s["targets"]["zh-TW"]["origin"] != "memory" for s in plain.manifest["segments"])
    missing = cli("run", sample_copy, "--out", tmp_path / "o3", "--memory", tmp_path / "nope.sqlite", "--quiet")
    assert missing.exit_code == 3 and "nope.sqlite" in missing.output


def test_remembered_segments_never_reach_the_model(tmp_path):
    from support.scripted_engines import ScriptedEngine

    from pipeline.core.release import Segment
    from pipeline.memory import MemoryStore, NewEntry
    from pipeline.translation.stage import translate_segments

    segments = [
        Segment("p01.s01", "sentence", 1, 1, "Kumamoto University signed the agreement."),
        Segment("p01.s02", "sentence", 1, 2, "The two universities signed the agreement today."),
        Segment("p01.s03", "sentence", 1, 3, "Something else entirely."),
    ]
    with MemoryStore(tmp_path / "m.sqlite") as store:
        store.add([
            NewEntry("Kumamoto  University signed the agreement. ", "zh-TW", "熊本大學簽署了協議。", document="a.docx"),
            NewEntry("The two universities signed the agreement yesterday.", "zh-TW", "兩校昨天簽署了協議。"),
        ])  # fmt: skip
        engine = ScriptedEngine()
        result = translate_segments(segments, "zh-TW", engine, memory=store)
    sent = [text for call in engine.calls for text in call]
    assert not any("Kumamoto" in text for text in sent)  # exact (normalized) match: not translated
    assert result[0].origin == "memory" and result[0].text == "熊本大學簽署了協議。"
    assert result[0].flags[0].message.startswith("from memory, approved ")
    assert result[1].origin == "machine" and result[1].suggestion == "兩校昨天簽署了協議。"  # close match
    assert [f.code for f in result[1].flags] == ["tm-suggestion"]
    assert result[2].suggestion is None and not result[2].flags


# --------------------------------------------------------------------------------------------- refusals


def test_a_tampered_english_cell_is_refused_and_named(run, cli, tmp_path):
    doc = docx.Document(run.review("zh-TW"))
    edit.replace_text(edit.target_cell(doc, TITLE), "高醫簽約")
    edit.set_english(doc, "p03.s02", "One of its predecessor institutions trained Kitasato.")
    path = tmp_path / "back" / "zh.docx"
    path.parent.mkdir()
    doc.save(path)
    result = cli("review", "import", path, "--manifest", run.folder)
    refused(result, "p03.s02", "English cell altered", "nothing was imported")
    assert not run.memory.exists() and not run.reviewed.exists()


def test_a_tracked_change_in_the_english_column_is_refused(run, cli, tmp_path):
    doc = docx.Document(run.review("ja"))
    edit.tracked_delete(edit.row_of(doc, "p05.s02").cells[1].paragraphs[0], "regularly ")
    path = tmp_path / "back" / "ja.docx"
    path.parent.mkdir()
    doc.save(path)
    refused(cli("review", "import", path, "--manifest", run.folder), "row ", "(p05.s02): English cell altered")


def test_a_document_from_another_run_is_refused(run, cli, tmp_path):
    doc = docx.Document(run.review("zh-TW"))
    edit.replace_text(edit.target_cell(doc, TITLE), "高醫簽約")
    edit.set_run_id(doc, "0123456789ab")
    path = tmp_path / "back" / "zh.docx"
    path.parent.mkdir()
    doc.save(path)
    refused(cli("review", "import", path, "--manifest", run.folder), "another run", "0123456789ab", run.manifest["run_id"])


@pytest.mark.parametrize(
    "damage, words",
    [
        (lambda doc: edit.delete_row(doc, "p03.s02"), ["rows missing", "p03.s02"]),
        (lambda doc: edit.tracked_delete_row(doc, "p04.s03"), ["rows missing", "p04.s03"]),
        (lambda doc: edit.swap_rows(doc, "p03.s01", "p03.s02"), ["reordered"]),
        (lambda doc: edit.replace_text(edit.row_of(doc, "p05.s01").cells[0], "p05.s9"), ["'p05.s9'", "not a segment"]),
    ],
    ids=["deleted-row", "tracked-row-deletion", "reordered", "id-altered"],
)
def test_rows_deleted_reordered_or_renamed_are_refused(run, cli, tmp_path, damage, words):
    doc = docx.Document(run.review("zh-TW"))
    damage(doc)
    path = tmp_path / "back" / "zh.docx"
    path.parent.mkdir()
    doc.save(path)
    refused(cli("review", "import", path, "--manifest", run.folder), *words)
    assert not run.memory.exists()


def test_damaged_documents_are_refused_clearly(run, cli, tmp_path):
    data = run.review("zh-TW").read_bytes()
    truncated = tmp_path / "truncated.docx"
    truncated.write_bytes(data[: len(data) // 2])
    refused(cli("review", "import", truncated, "--manifest", run.folder), "truncated.docx", "damaged")
    text = tmp_path / "notes.docx"
    text.write_text("not a Word document", encoding="utf-8")
    refused(cli("review", "import", text, "--manifest", run.folder), "notes.docx")
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(run.review("zh-TW")) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                content = content[: len(content) // 2]
            target.writestr(item, content)
    refused(cli("review", "import", broken, "--manifest", run.folder), "broken.docx")


def test_an_unedited_document_is_not_a_review(run, cli):
    result = cli("review", "import", run.review("ja"))
    refused(result, "exactly the document", "--approve-all")
    accepted = cli("review", "import", run.review("ja"), "--accept-unedited")
    assert accepted.exit_code == 0, accepted.output
    assert f"{len(run.manifest['segments'])} unchanged" in accepted.output


def test_one_refused_document_does_not_stop_the_others(run, cli, tmp_path):
    good = tmp_path / "back" / "zh.docx"
    review_zh(run, good)
    bad = tmp_path / "back" / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 nonsense")
    result = cli("review", "import", bad, good, "--manifest", run.folder, "--format", "json")
    assert result.exit_code == 6
    report = json.loads(result.output[result.output.index("{") :])
    assert [Path(d["document"]).name for d in report["imported"]] == ["zh.docx"]
    assert [Path(d["document"]).name for d in report["refused"]] == ["bad.docx"]
    assert report["imported"][0]["counts"]["emptied"] == 1


# --------------------------------------------------------------------------------------------- reading


def test_reader_accepts_changes_like_word(tmp_path):
    """Paragraph-mark deletion joins paragraphs; moveFrom is skipped; field instructions are not text."""
    from lxml import etree

    from pipeline.review.read.reader import cell_paragraphs, cell_text

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    tc = etree.fromstring(
        f"""<w:tc xmlns:w="{w}">
          <w:p><w:pPr><w:rPr><w:del w:id="1" w:author="A" w:date="{edit.DATE}"/></w:rPr></w:pPr>
            <w:r><w:t>first half</w:t></w:r></w:p>
          <w:p><w:r><w:t xml:space="preserve"> joined</w:t></w:r>
            <w:moveFrom w:id="2" w:author="A" w:date="{edit.DATE}"><w:r><w:t>OLD</w:t></w:r></w:moveFrom>
            <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>
            <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>
            <w:moveTo w:id="3" w:author="A" w:date="{edit.DATE}"><w:r><w:t>NEW</w:t></w:r></w:moveTo>
            <w:ins w:id="4" w:author="A" w:date="{edit.DATE}"><w:r><w:tab/><w:t>in</w:t><w:br/><w:t>s</w:t></w:r></w:ins>
            <w:del w:id="5" w:author="A" w:date="{edit.DATE}"><w:r><w:delText>gone</w:delText></w:r></w:del></w:p>
          <w:p><w:r><w:t>second</w:t></w:r></w:p>
        </w:tc>"""
    )
    assert cell_paragraphs(tc) == ["first half joined7NEW\tin\ns", "second"]
    assert cell_text(tc) == "first half joined7NEW\tin\ns\nsecond"


def test_reader_keeps_comments_outside_the_table_with_the_document(run, tmp_path):
    from pipeline.review.read.reader import read_review_document

    doc = docx.Document(run.review("ja"))
    doc.add_comment(doc.paragraphs[0].runs[0], text="Whole document: fine", author="Sato")
    edit.comment(doc, edit.target_cell(doc, "p05.s02"), "この文は自然です", author="Sato")
    path = tmp_path / "ja.docx"
    doc.save(path)
    read = read_review_document(path)
    assert [c.text for c in read.comments] == ["Whole document: fine"]
    row = next(r for r in read.rows if r.id == "p05.s02")
    assert [(c.author, c.text, c.column) for c in row.comments] == [("Sato", "この文は自然です", "target")]


def test_post_edit_scores_use_characters_for_cjk():
    from pipeline.review.importing import reviewed_text
    from pipeline.review.scores import post_edit_scores

    per, chrf, ter = post_edit_scores([("高雄醫學大學和熊本大學", "高雄醫學大學與熊本大學")], "zh-TW")
    assert per[0][1] == pytest.approx(100 / 11, abs=0.01)  # one substituted character in eleven
    assert 0 < per[0][0] < 100 and chrf == per[0][0] and ter == per[0][1]
    per, _, _ = post_edit_scores([("the cat sat", "the cat sat down")], "ko")
    assert per[0][1] == pytest.approx(100 / 4, abs=0.01)  # words elsewhere
    assert reviewed_text(["前半。", " 後半 "], "ja") == "前半。後半"
    assert reviewed_text(["First part", "second part"], "ko") == "First part second part"
    assert reviewed_text(["含 HIV-1\nHBV 的研究"], "zh-TW") == "含 HIV-1 HBV 的研究"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_document_saved_by_libreoffice_imports_unchanged(run, cli, tmp_path):
    """A real office suite rewrites the whole document; the import must still read every row the same."""
    profile = tmp_path / "lo-profile"
    out = tmp_path / "lo"
    proc = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "docx:MS Word 2007 XML",
         "--outdir", str(out), str(run.review("zh-TW"))],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    saved = out / run.review("zh-TW").name
    assert saved.exists(), proc.stderr
    result = cli("review", "import", saved, "--manifest", run.folder, "--no-memory")
    assert result.exit_code == 0, result.output
    total = len(run.manifest["segments"])
    assert f"{total} segments: {total} unchanged, 0 edited, 0 emptied" in result.output


def test_reader_skips_the_furigana_reading_of_ruby_text():
    """`w:ruby`: the base text is the sentence; the `w:rt` reading above it is not."""
    from lxml import etree

    from pipeline.review.read.reader import cell_text

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    tc = etree.fromstring(
        f"""<w:tc xmlns:w="{w}"><w:p>
          <w:r><w:t>本日、</w:t></w:r>
          <w:r><w:ruby>
            <w:rubyPr><w:rubyAlign w:val="distributeSpace"/><w:hps w:val="10"/><w:hpsRaise w:val="18"/>
              <w:hpsBaseText w:val="20"/><w:lid w:val="ja-JP"/></w:rubyPr>
            <w:rt><w:r><w:t>くまもと</w:t></w:r></w:rt>
            <w:rubyBase><w:r><w:t>熊本</w:t></w:r></w:rubyBase>
          </w:ruby></w:r>
          <w:ins w:id="1" w:author="A" w:date="{edit.DATE}"><w:r><w:ruby>
            <w:rt><w:r><w:t>だいがく</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>大学</w:t></w:r></w:rubyBase>
          </w:ruby></w:r></w:ins>
          <w:r><w:t>と協定を締結しました。</w:t></w:r>
        </w:p></w:tc>"""
    )
    assert cell_text(tc) == "本日、熊本大学と協定を締結しました。"


def _replace_in_target(path: Path, segment_id: str, old: str, new: str) -> None:
    doc = docx.Document(str(path))
    row = next(r for r in doc.tables[0].rows if r.cells[0].text.strip() == segment_id)
    paragraph = row.cells[2].paragraphs[0]
    text = "".join(r.text for r in paragraph.runs)
    assert old in text
    for r in paragraph.runs:
        r._r.getparent().remove(r._r)
    paragraph.add_run(text.replace(old, new))
    doc.save(str(path))


@pytest.mark.parametrize("lang, form, enforced", [
    ("ja", "ヒトレトロウイルス学共同研究センター", True),  # the centre's official Japanese name: approved
    ("zh-TW", "人類反轉錄病毒感染聯合研究中心", False),  # proposed in zh-TW: the reviewer may change it
])  # fmt: skip
def test_a_changed_term_is_judged_by_its_status_in_that_language(run, cli, lang, form, enforced):
    sid = next(s["id"] for s in run.manifest["segments"] if "Human Retrovirus Infection" in s["source"])
    _replace_in_target(run.review(lang), sid, form, "熊本大学エイズ研究所" if lang == "ja" else "熊本大學愛滋病研究所")
    result = cli("review", "import", run.review(lang))
    assert result.exit_code == 0, result.output
    entry = json.loads(run.reviewed.read_text(encoding="utf-8"))["runs"][run.manifest["run_id"]][lang]["segments"][sid]
    assert ("glossary-changed" in entry["flags"]) is enforced
    assert entry["approved"] is not enforced
