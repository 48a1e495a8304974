"""pipeline.review.read.reader: review tables read with tracked changes accepted (used by `glossary check --against`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.core.errors import ReviewError
from pipeline.review.read.reader import read_review_rows

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TRACK = 'w:author="Reviewer" w:date="2025-11-28T00:00:00Z"'


def make_docx(path: Path, target_cells: list[str], *, lang: str = "ja", extra_rows_xml: str = "") -> Path:
    """A review document whose target cells are given as raw WordprocessingML paragraph content (`<w:p>`s)."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.core_properties.language = lang
    document.core_properties.identifier = "run-42"
    document.core_properties.title = "kmu-kumamoto"
    document.add_paragraph("Header block text that is not part of the table.")
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ("ID", "English", lang, "Notes")):
        cell.text = text
    for n, xml in enumerate(target_cells, 1):
        cells = table.add_row().cells
        cells[0].text = f"p01.s{n:02d}"
        cells[1].text = f"English {n}"
        cells[3].text = "note"
        tc = cells[2]._tc
        for p in list(tc.iterchildren(f"{{{W_NS}}}p")):
            tc.remove(p)
        for p in parse_xml(f'<w:body xmlns:w="{W_NS}">{xml}</w:body>'):
            tc.append(p)
    if extra_rows_xml:
        for tr in parse_xml(f'<w:tbl xmlns:w="{W_NS}">{extra_rows_xml}</w:tbl>'):
            table._tbl.append(tr)
    document.save(str(path))
    return path


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def test_plain_cells_metadata_and_header_skipped(tmp_path):
    path = make_docx(tmp_path / "a.docx", [f"<w:p>{run('熊本大学')}</w:p>"])
    meta, rows = read_review_rows(path)
    assert {k: meta[k] for k in ("language", "identifier", "title")} == {
        "language": "ja",
        "identifier": "run-42",
        "title": "kmu-kumamoto",
    }
    assert [(r.id, r.english, r.target, r.notes, r.row) for r in rows] == [("p01.s01", "English 1", "熊本大学", "note", 2)]


def test_tracked_changes_are_accepted(tmp_path):
    cells = [
        # insertion kept, deletion dropped
        f'<w:p>{run("熊本大")}<w:del w:id="1" {TRACK}><w:r><w:delText>學</w:delText></w:r></w:del>'
        f'<w:ins w:id="2" {TRACK}>{run("学")}</w:ins></w:p>',
        # a move: the text appears where it was moved to, not where it was
        f'<w:p><w:moveFrom w:id="3" {TRACK}>{run("先に")}</w:moveFrom>{run("本文")}'
        f'<w:moveTo w:id="4" {TRACK}>{run("先に")}</w:moveTo></w:p>',
        # line break, tab, two paragraphs
        f'<w:p><w:r><w:t>一</w:t><w:br/><w:t>二</w:t><w:tab/><w:t>三</w:t></w:r></w:p><w:p>{run("四")}</w:p>',
        # a deleted paragraph mark joins the paragraph with the next one
        f'<w:p><w:pPr><w:rPr><w:del w:id="5" {TRACK}/></w:rPr></w:pPr>{run("前")}</w:p><w:p>{run("後")}</w:p>',
        # formatting changes and field instructions are not text; hyperlinks are
        f'<w:p><w:r><w:rPr><w:b/><w:rPrChange w:id="6" {TRACK}><w:rPr/></w:rPrChange></w:rPr><w:t>太字</w:t></w:r>'
        f'<w:r><w:instrText> PAGE </w:instrText></w:r><w:hyperlink>{run("リンク")}</w:hyperlink></w:p>',
    ]
    _, rows = read_review_rows(make_docx(tmp_path / "b.docx", cells))
    assert [r.target for r in rows] == ["熊本大学", "本文先に", "一\n二\t三\n四", "前後", "太字リンク"]


def test_python_docx_cell_text_would_lose_the_insertion(tmp_path):
    """Why the reader walks the XML: python-docx's own text skips tracked insertions."""
    import docx

    path = make_docx(tmp_path / "c.docx", [f'<w:p>{run("keep ")}<w:ins w:id="1" {TRACK}>{run("INSERTED")}</w:ins></w:p>'])
    cell = docx.Document(str(path)).tables[0].rows[1].cells[2]
    assert "INSERTED" not in cell.text
    _, rows = read_review_rows(path)
    assert rows[0].target == "keep INSERTED"


def test_tracked_row_deletion_is_accepted(tmp_path):
    deleted_row = (
        f'<w:tr><w:trPr><w:del w:id="9" {TRACK}/></w:trPr>'
        + "".join(f"<w:tc><w:p>{run(t)}</w:p></w:tc>" for t in ("p09.s09", "gone", "消", ""))
        + "</w:tr>"
    )
    _, rows = read_review_rows(make_docx(tmp_path / "d.docx", [f"<w:p>{run('x')}</w:p>"], extra_rows_xml=deleted_row))
    assert [r.id for r in rows] == ["p01.s01"]


def test_not_a_word_document(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ReviewError) as error:
        read_review_rows(bad)
    assert error.value.exit_code == 6


def test_reads_the_review_writer_output(tmp_path):
    writer = pytest.importorskip("pipeline.review.write.writer")
    from pipeline.core.release import Paragraph, Release, Segment, TranslatedRelease, Translation

    segments = [
        Segment("p01.s01", "title", 1, 1, "KMU Signs Agreement with Kumamoto University"),
        Segment("p02.s01", "sentence", 2, 1, "Kumamoto University\thas a long history.\nNew line."),
    ]
    release = Release(tmp_path / "r.txt", [s.source for s in segments], language="en")
    release.paragraphs = [Paragraph(1, "title", segments[:1]), Paragraph(2, "sentence", segments[1:])]
    targets = ["高醫與熊本大學簽署協議", "熊本大學\t歷史悠久。\n新行。"]
    tr = TranslatedRelease(
        release, {"zh-TW": [Translation(s.id, "zh-TW", t) for s, t in zip(segments, targets)]}, models={}
    )
    path = tmp_path / "r.zh-TW.docx"
    try:
        writer.write_review_docx(tr, "zh-TW", path, generated_at="2025-11-28T00:00:00Z", source_label="r.txt", run_id="run-7")
    except Exception as exc:  # the writer is developed separately; its own tests cover it
        pytest.skip(f"review writer not usable here: {exc}")
    meta, rows = read_review_rows(path)
    assert meta["language"] == "zh-TW" and meta["identifier"] == "run-7"
    assert [(r.id, r.english, r.target) for r in rows] == [
        (s.id, s.source, t) for s, t in zip(segments, targets)
    ]
