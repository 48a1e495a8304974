"""Every editor reviewers use, every character they type (issue 12), without an office suite.

The same round trip through the real LibreOffice is in test_libreoffice_reviewer.py; the Microsoft Word quirks
are in test_word_saved_fixture.py.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import docx
import pytest

from support import review_edits as edit
from support.paths import SAMPLE
from pipeline.review.difference import first_difference, show_difference
from pipeline.review.importing import reviewed_text
from pipeline.docx.properties import core_properties, not_a_docx
from pipeline.language.typography import join_pieces, typeset
from support.review_runs import Run

# Characters a reviewer types on purpose: compatibility ideographs in names (NFC would turn 神 U+FA19 into 神
# U+795E and 﨑 U+FA11 into 崎), the ideographic space between family and given name, a no-break space, a tab.
KAMI, SAKI, IDEO_SPACE, NBSP, TAB = "\ufa19", "\ufa11", "\u3000", "\u00a0", "\t"
NAME = f"山{SAKI}{IDEO_SPACE}{KAMI}太郎"


def imported(run: Run, lang: str = "zh-TW") -> dict[str, dict]:
    data = json.loads(run.reviewed.read_text(encoding="utf-8"))
    return data["runs"][run.manifest["run_id"]][lang]["segments"]


def plain_segment(run: Run, lang: str = "zh-TW") -> str:
    """A sentence with no glossary term (an edit of it never needs glossary review)."""
    return next(
        s["id"] for s in run.manifest["segments"][2:]
        if not s["targets"][lang]["terms"] and s["targets"][lang]["origin"] == "machine"
    )  # fmt: skip


# --------------------------------------------------------------------------------------------- characters


@pytest.mark.parametrize("lang", ["zh-TW", "ja", "en"])
def test_typesetting_never_touches_characters_typed_in_a_name(lang):
    text = f"{NAME}與{KAMI}戸{NBSP}大學{TAB}協定"
    assert typeset(text, lang) == text
    assert typeset(typeset(text, lang), lang) == typeset(text, lang)


def test_typesetting_still_applies_its_documented_rules_around_them():
    assert typeset(f"{NAME} 說 :  “好” .", "zh-TW") == f"{NAME}說：「好」。"
    assert typeset(f"{IDEO_SPACE}本日 , 山{SAKI}氏が来訪 .", "ja") == f"{IDEO_SPACE}本日、山{SAKI}氏が来訪。"
    assert join_pieces([f"{IDEO_SPACE}第一段 ", f"{NBSP}x"], "ja") == f"{IDEO_SPACE}第一段{NBSP}x"


def test_script_checks_never_call_a_compatibility_ideograph_in_a_name_simplified_or_old():
    from pipeline.glossary.scripts import old_forms_in_ja, simplified_in_ja, simplified_in_zh_tw

    for check in (old_forms_in_ja, simplified_in_ja, simplified_in_zh_tw):
        assert check(f"山{SAKI}{KAMI}戸") == [], check.__name__
    assert simplified_in_ja("门") and simplified_in_zh_tw("门") and old_forms_in_ja("學")  # still judged


def test_reviewed_text_keeps_every_character_and_joins_pieces_as_the_language_writes():
    assert reviewed_text([f"{NAME}先生。", f" 第二句{TAB}。 "], "zh-TW") == f"{NAME}先生。第二句{TAB}。"
    assert reviewed_text([f"{IDEO_SPACE}本日、{KAMI}戸"], "ja") == f"{IDEO_SPACE}本日、{KAMI}戸"


def test_a_name_typed_with_compatibility_ideographs_is_stored_and_published_as_typed(run, cli, tmp_path):
    sid = plain_segment(run)
    machine = run.machine(sid)
    typed = f"{NAME}{NBSP}教授{TAB}{machine}"
    doc = docx.Document(run.review("zh-TW"))
    edit.replace_text(edit.target_cell(doc, sid), typed)
    folded = plain_segment_other(run, sid)
    # Only a compatibility ideograph changed, to its unified form's twin: an edit, though NFC folds them equal.
    edit.replace_text(edit.target_cell(doc, folded), run.machine(folded) + "神")
    path = tmp_path / "back" / "zh.docx"
    path.parent.mkdir()
    doc.save(path)
    result = cli("review", "import", path, "--manifest", run.folder)
    assert result.exit_code == 0, result.output
    segments = imported(run)
    assert segments[sid]["text"] == typed and segments[sid]["status"] == "edited"
    assert segments[folded]["text"] == run.machine(folded) + "神"
    import sqlite3

    with sqlite3.connect(run.memory) as conn:
        stored = {t for (t,) in conn.execute("SELECT target FROM units")}
    assert typed in stored
    published = cli("publish", run.folder, "--to", "zh-TW", "--allow-unreviewed")
    assert published.exit_code == 0, published.output
    text = "\n".join(p.text for p in docx.Document(run.folder / f"{SAMPLE.stem}.zh-TW.docx").paragraphs)
    assert f"{NAME}{NBSP}教授{TAB}" in text
    assert KAMI in text and SAKI in text and "山崎" not in text


def plain_segment_other(run: Run, not_this: str) -> str:
    return next(
        s["id"] for s in run.manifest["segments"][2:]
        if s["id"] != not_this and not s["targets"]["zh-TW"]["terms"] and s["targets"]["zh-TW"]["origin"] == "machine"
    )  # fmt: skip


# --------------------------------------------------------------------------------------------- packages


def _rewrite(path: Path, out: Path, change) -> Path:
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, change(item.filename, src.read(item.filename)))
    return out


OLD_CORE = b"http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties"
NEW_CORE = b"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"


def test_core_properties_are_found_under_either_relationship_type(run, cli, tmp_path):
    doc = docx.Document(run.review("zh-TW"))
    edit.replace_text(edit.target_cell(doc, plain_segment(run)), "已校對")
    edited = tmp_path / "edited.docx"
    doc.save(edited)
    old_style = _rewrite(edited, tmp_path / "old-style.docx", lambda name, data: data.replace(NEW_CORE, OLD_CORE))
    assert OLD_CORE in zipfile.ZipFile(old_style).read("_rels/.rels")
    assert not docx.Document(old_style).core_properties.identifier  # python-docx alone loses it
    props = core_properties(old_style)
    assert props["identifier"] == run.manifest["run_id"] and props["language"] == "zh-TW"
    result = cli("review", "import", old_style, "--manifest", run.folder, "--no-memory")
    assert result.exit_code == 0, result.output
    assert "1 edited" in result.output


def test_odt_doc_and_other_formats_are_named_with_how_to_save_as_docx(run, cli, tmp_path):
    odt = tmp_path / "review.odt"
    with zipfile.ZipFile(odt, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    doc = tmp_path / "review.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    renamed = tmp_path / "review (odt renamed).docx"
    shutil.copy(odt, renamed)
    for path, what in ((odt, "OpenDocument Text (.odt)"), (doc, "Word 97–2003 (.doc)"), (renamed, "OpenDocument Text")):
        assert what in not_a_docx(path)
        result = cli("review", "import", path, "--manifest", run.folder)
        assert result.exit_code == 6, result.output
        assert what in result.output and "Save As" in result.output and "(.docx)" in result.output
        assert "Traceback" not in result.output and "Content_Types" not in result.output
    assert not_a_docx(run.review("zh-TW")) is None


def test_a_missing_document_is_unreadable_input_exit_3_and_nothing_is_imported(run, cli, tmp_path):
    doc = docx.Document(run.review("zh-TW"))
    edit.replace_text(edit.target_cell(doc, plain_segment(run)), "已校對")
    good = tmp_path / "good.docx"
    doc.save(good)
    result = cli("review", "import", good, tmp_path / "nope.docx", "--manifest", run.folder)
    assert result.exit_code == 3, result.output
    assert "nope.docx: no such file" in result.output and "nothing was imported" in result.output
    assert not run.reviewed.exists()


# --------------------------------------------------------------------------------------------- refusals, report


def test_first_difference_shows_a_few_words_either_side():
    english = "One of its predecessor institutions trained Kitasato Shibasaburo, the father of Japanese bacteriology."
    shown = show_difference(english.replace("trained", "educated"), english)
    assert shown == (
        "“…predecessor institutions «educated» Kitasato Shibasaburo,…”, the run has "
        "“…predecessor institutions «trained» Kitasato Shibasaburo,…”"
    )
    assert show_difference("高雄醫學大學與熊本大學簽署合作協議", "高雄醫學大學和熊本大學簽署合作協議") == (
        "“高雄醫學大學«與»熊本大學簽署合作協議”, the run has “高雄醫學大學«和»熊本大學簽署合作協議”"
    )
    assert first_difference("same", "same") is None
    assert show_difference("a b c d", "a b c d e") == "“…b c d«»”, the run has “…b c d« e»”"  # «»: text removed


def test_a_find_and_replace_in_the_english_column_is_refused_showing_where(run, cli, tmp_path):
    doc = docx.Document(run.review("zh-TW"))
    changed = []
    for row in doc.tables[0].rows[1:]:
        english = row.cells[1].text
        if " the " in english and len(english) > 80:
            edit.set_english(doc, row.cells[0].text.strip(), english.replace(" the ", " a ", 1))
            changed.append(english)
    assert len(changed) >= 3
    path = tmp_path / "replaced.docx"
    doc.save(path)
    result = cli("review", "import", path, "--manifest", run.folder)
    assert result.exit_code == 6, result.output
    lines = [line for line in result.output.splitlines() if "English cell altered" in line]
    assert len(lines) == len(changed)
    for line in lines:
        assert "«a»" in line and "«the»" in line, line  # the differing word itself, in both texts


def test_two_documents_editing_a_long_row_differently_are_quoted_where_they_differ(run, cli, tmp_path):
    sid = max(run.manifest["segments"], key=lambda s: len(s["targets"]["zh-TW"]["text"]))["id"]
    machine = run.machine(sid)
    assert len(machine) > 120
    for name, word in (("first.docx", "甲"), ("second.docx", "乙")):
        doc = docx.Document(run.review("zh-TW"))
        edit.replace_text(edit.target_cell(doc, sid), machine[:100] + word + machine[100:])
        doc.save(tmp_path / name)
    assert cli("review", "import", tmp_path / "first.docx", "--manifest", run.folder).exit_code == 0
    result = cli("review", "import", tmp_path / "second.docx", "--manifest", run.folder)
    assert result.exit_code == 6, result.output
    line = next(line for line in result.output.splitlines() if f"({sid})" in line)
    assert "«乙»" in line and "«甲»" in line, line


def test_the_review_document_ends_with_a_paragraph_after_the_table(run):
    body = docx.Document(run.review("ja")).element.body
    blocks = [child.tag.split("}")[1] for child in body if child.tag.split("}")[1] != "sectPr"]
    assert blocks[-2:] == ["tbl", "p"]


def test_tracked_changes_by_unknown_author_are_said_once(run, cli, tmp_path):
    doc = docx.Document(run.review("zh-TW"))
    ids = [s["id"] for s in run.manifest["segments"][3:6]]
    for sid in ids:
        edit.tracked_insert(edit.target_cell(doc, sid).paragraphs[0], "（校）", author="Unknown Author")
    path = tmp_path / "anon.docx"
    doc.save(path)
    result = cli("review", "import", path, "--manifest", run.folder)
    assert result.exit_code == 0, result.output
    assert result.output.count("Unknown Author") == 1
    assert f"3 row(s) ({', '.join(ids)})" in result.output and "User Data" in result.output
    assert all(imported(run)[sid]["reviewers"] == [] or "Unknown Author" not in imported(run)[sid]["reviewers"] for sid in ids)
