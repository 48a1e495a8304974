"""The bilingual document keeps what the release has (issue 19, item 5): italics, bold and links in both columns,
the image in its place before its caption, and a Latin word in a CJK column is never broken inside."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from support import formatted_release as fr
from support.libreoffice import PDF
from support.scripted_runs import run_and_review

from pipeline.core.release import Mark
from pipeline.publish.formats.bilingual import build_bilingual
from pipeline.publish.plan import PublishedSegment

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
R_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
A_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"


def formatted_runs(cell, tag: str) -> list[str]:
    """The text of the runs of `cell` that carry run property `tag` (w:i, w:b) switched on."""
    found = []
    for r in cell._tc.iter(f"{W}r"):
        on = r.find(f"{W}rPr/{W}{tag}")
        if on is not None and on.get(f"{W}val") not in ("0", "false", "off"):
            found.append(r.findtext(f"{W}t") or "")
    return found


def links(document, cell) -> list[tuple[str, str]]:
    return [("".join(t.text or "" for t in h.iter(f"{W}t")), document.part.rels[h.get(R_ID)].target_ref)
            for h in cell._tc.iter(f"{W}hyperlink")]


@pytest.fixture(params=["docx", "md"])
def published(request, tmp_path, cli) -> Path:
    (tmp_path / "releases").mkdir()
    build = fr.build_docx if request.param == "docx" else fr.build_markdown
    release = build(tmp_path / "releases" / f"formatted.{request.param}")
    folder = run_and_review(release, tmp_path / "out", cli)
    result = cli("publish", folder, "--no-memory")
    assert result.exit_code == 0, result.output
    assert "left out of the bilingual" not in result.output
    return folder


@pytest.mark.parametrize("lang", ["zh-TW", "ja"])
def test_the_bilingual_document_keeps_italics_links_and_the_image(published, lang):
    document = docx.Document(str(published / f"formatted.{lang}.bilingual.docx"))
    rows = document.tables[0].rows
    italic = next(row for row in rows if fr.ITALIC in row.cells[0].text)
    assert formatted_runs(italic.cells[0], "i") == [fr.ITALIC]
    assert formatted_runs(italic.cells[1], "i") == ["譯譯"]  # The Lancet, through the model
    assert links(document, italic.cells[0]) == [("our news page", fr.LINK2)]
    assert [url for _, url in links(document, italic.cells[1])] == [fr.LINK2]
    lead = next(row for row in rows if row.cells[0].text.startswith(fr.LEAD_IN))
    assert formatted_runs(lead.cells[0], "b") == [fr.LEAD_IN]
    assert links(document, lead.cells[0]) == [("Kumamoto University", fr.LINK1)]
    assert links(document, lead.cells[1]) == [({"zh-TW": "熊本大學", "ja": "熊本大学"}[lang], fr.LINK1)]
    pictures = [k for k, row in enumerate(rows) if list(row._tr.iter(A_BLIP))]
    assert len(pictures) == 1
    [blip] = rows[pictures[0]]._tr.iter(A_BLIP)
    assert document.part.related_parts[blip.get(R_EMBED)].blob == fr.png()  # the release's image itself
    assert rows[pictures[0] + 1].cells[0].text == fr.CAPTION  # in its place: right before its caption
    assert rows[pictures[0]]._tr.find(f"{W}tc/{W}tcPr/{W}gridSpan").get(f"{W}val") == "2"  # across both columns


HEPATOLOGY = "Hepatology"


def hepatology_segments() -> list[PublishedSegment]:
    """Rows whose Japanese puts the journal's name (italic, as the release has it) at every place of a line."""
    segments = []
    for k in range(24):
        text = "研" * k + f"この研究成果は国際学術誌{HEPATOLOGY}に掲載されました。"
        at = text.index(HEPATOLOGY)
        source = f"The study {k} was published in {HEPATOLOGY}."
        segment = PublishedSegment(id=f"p{k + 1:02d}.s01", kind="sentence", paragraph=k + 1, source=source,
                                   trailing="", text=text, how="reviewed")
        segment.marks = [Mark(at, at + len(HEPATOLOGY), "i")]
        segment.source_marks = [Mark(source.index(HEPATOLOGY), source.index(HEPATOLOGY) + len(HEPATOLOGY), "i")]
        segments.append(segment)
    return segments


def test_latin_letters_in_a_cjk_column_are_english_for_the_line_breaker(tmp_path):
    document = build_bilingual({"release": "hep", "run_id": "r", "models": {}}, "ja", hepatology_segments())
    cells = [row.cells[1] for row in document.tables[0].rows[1:]]
    languages = {(lang.get(qn("w:val")), lang.get(qn("w:eastAsia"))) for cell in cells for lang in cell._tc.iter(qn("w:lang"))}
    # w:val is the language of Latin letters: said to be Japanese, LibreOffice breaks a Latin word anywhere
    assert languages == {("en-US", "ja-JP")}


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_a_latin_word_in_the_ja_column_is_never_broken_inside(tmp_path, libreoffice):
    path = tmp_path / "hep.ja.bilingual.docx"
    build_bilingual({"release": "hep", "run_id": "r", "models": {}}, "ja", hepatology_segments()).save(str(path))
    pdf = libreoffice.convert(path, tmp_path / "hep.pdf", PDF)
    rendered = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words = set(re.findall(r"[A-Za-z]+", rendered)) - {"hep", "English", "The", "study", "was", "published", "in"}
    assert words == {HEPATOLOGY}, words  # before: "Hepatolo" at the end of a line, "gy" on the next
