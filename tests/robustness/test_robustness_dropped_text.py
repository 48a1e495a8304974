"""Issue 13, item 4 (part): text that was dropped without a word — an entity reference inside a run, a table nested
in a review cell — is read."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import docx

from support import review_edits as edit
from support.paths import SAMPLE
from pipeline.source.ingest import read_release
from pipeline.review.read.reader import read_review_document
from support.review_runs import copy_run

DOCTYPE = '<!DOCTYPE w:document [<!ENTITY co "KMU"><!ENTITY nbsp "&#160;"><!ENTITY long "{}">]>'.format("x" * 40)


def _with_doctype(path: Path, replacements: dict[str, str]) -> None:
    """Rewrite word/document.xml of `path`: a DOCTYPE declaring entities after the XML declaration, and each
    `replacements` key (plain text in the document) replaced by its value (which may hold entity references)."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename == "word/document.xml":
                xml = data.decode("utf-8")
                end = xml.index("?>") + 2
                xml = xml[:end] + DOCTYPE + xml[end:]
                for old, new in replacements.items():
                    assert old in xml, old
                    xml = xml.replace(old, new)
                data = xml.encode("utf-8")
            target.writestr(info, data)


def test_an_entity_reference_in_a_docx_release_keeps_the_rest_of_the_run(tmp_path):
    lines = [line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    path = tmp_path / "release.docx"
    document.save(path)
    headline = lines[0]
    assert headline.startswith("KMU ") and "Kumamoto University" in headline
    _with_doctype(path, {
        headline: "&co; " + headline[4:].replace("Kumamoto University", "Kumamoto&nbsp;University"),
        lines[1]: lines[1] + " &long;",
    })
    paragraphs = read_release(path).paragraphs_text
    assert len(paragraphs) == len(lines)  # before: the headline's run stopped at the reference
    assert paragraphs[0] == headline.replace("Kumamoto University", "Kumamoto\u00a0University")
    assert paragraphs[1] == lines[1] + " &long;"  # long declared text is not expanded, and not lost either


def test_an_entity_reference_in_a_review_cell_keeps_the_reviewers_edit(translated, tmp_path, cli, monkeypatch):
    monkeypatch.delenv("TRANSLATE_MEMORY", raising=False)
    run = copy_run(translated, tmp_path)
    review = run.review("zh-TW")
    document = docx.Document(review)
    edit.replace_text(edit.target_cell(document, "p01.s01"), "EDITMARK")
    document.save(review)
    _with_doctype(review, {"EDITMARK": "高醫&co;與熊本大學簽署合作備忘錄（審閱後）"})

    rows = {row.id: row for row in read_review_document(review).rows}
    assert rows["p01.s01"].target == "高醫KMU與熊本大學簽署合作備忘錄（審閱後）"

    result = cli("review", "import", review)
    assert result.exit_code == 0, result.output
    reviewed = json.loads(run.reviewed.read_text(encoding="utf-8"))
    found = json.dumps(reviewed, ensure_ascii=False)
    assert "高醫KMU與熊本大學簽署合作備忘錄（審閱後）" in found
    assert "1 edited" in result.output  # before: the row counted "unchanged" and the edit after &co; was lost


def test_a_table_nested_in_a_review_cell_is_read(translated, tmp_path, cli, monkeypatch):
    monkeypatch.delenv("TRANSLATE_MEMORY", raising=False)
    run = copy_run(translated, tmp_path)
    review = run.review("zh-TW")
    document = docx.Document(review)
    cell = edit.target_cell(document, "p01.s01")
    edit.replace_text(cell, "高雄醫學大學與熊本大學簽署合作備忘錄")
    nested = cell.add_table(rows=2, cols=1)
    nested.rows[0].cells[0].text = "審閱者在表格中的補充一"
    nested.rows[1].cells[0].text = "審閱者在表格中的補充二"
    document.save(review)

    rows = {row.id: row for row in read_review_document(review).rows}
    target = rows["p01.s01"].target
    assert "審閱者在表格中的補充一" in target and "審閱者在表格中的補充二" in target  # before: ignored
    assert target.index("補充一") < target.index("補充二")

    result = cli("review", "import", review)
    assert result.exit_code == 0, result.output
    found = json.dumps(json.loads(run.reviewed.read_text(encoding="utf-8")), ensure_ascii=False)
    assert "審閱者在表格中的補充二" in found
