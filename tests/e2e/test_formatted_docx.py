"""A formatted .docx release end to end: every story read, inline formatting through the model, published on the
source document (styles, lists, image, caption, table, text box, header, footer), links never lost."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from support import formatted_release as fr
from support.paths import GLOSSARY
from pipeline.core.release import Mark, Segment
from pipeline.glossary import load_glossary
from pipeline.source.ingest import read_release
from pipeline.run import run_releases
from pipeline.source.segment import segment_release
from pipeline.translation.stage import translate_segments
from support.footnotes import add_footnote
from support.scripted_engines import AligningEngine, ScriptedEngine, drop_tags, pseudo_translate, swap_tag_order, tagged_suffix
from support.scripted_runs import run_and_review

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def release(tmp_path) -> Path:
    folder = tmp_path / "releases"
    folder.mkdir()
    return fr.build_docx(folder / "formatted.docx")


def test_every_story_is_read_and_says_where(release):
    read = segment_release(read_release(release))
    texts = [s.source for s in read.segments]
    for expected in (fr.EMBARGO, fr.FOOTER, fr.TEXTBOX, fr.CELL, fr.CAPTION, fr.HEADING2, *fr.BULLETS):
        assert expected in texts, expected
    assert texts[-2:] == [fr.EMBARGO, fr.FOOTER]  # headers and footers after the body
    assert fr.CAPTION in texts  # "Figure 1." is not a segment of its own
    notes = " ".join(read.notes)
    assert "header paragraph(s) were read" in notes and "text box paragraph(s) were read" in notes
    assert "page-number or date field" in notes  # the footer's "Page 1" is kept, and the run says so
    bold = next(s for s in read.segments if s.source.startswith(fr.LEAD_IN))
    assert [(m.kind, bold.source[m.start : m.end], m.href) for m in bold.marks] == [
        ("b", fr.LEAD_IN, None),
        ("a", "Kumamoto University", fr.LINK1),
    ]
    italic = next(s for s in read.segments if fr.ITALIC in s.source)
    assert [(m.kind, italic.source[m.start : m.end]) for m in italic.marks] == [("i", fr.ITALIC), ("a", "our news page")]


def test_a_text_box_only_document_is_not_empty(tmp_path):
    document = docx.Document()
    fr.add_text_box(document.add_paragraph(), "Kaohsiung Medical University signed an agreement today.")
    path = tmp_path / "box.docx"
    document.save(str(path))
    read = read_release(path)
    assert read.paragraphs_text == ["Kaohsiung Medical University signed an agreement today."]


# --------------------------------------------------------------------------------------------- tags and recovery


def _segment(source: str, marks: list[Mark]) -> Segment:
    from pipeline.source.segment import make_spans

    return Segment("p01.s01", "sentence", 1, 1, source, spans=make_spans(source), marks=marks)


SOURCE = "KMU signed an agreement with Kumamoto University and published it in The Lancet today."


def _marks() -> list[Mark]:
    link = SOURCE.index("Kumamoto University")
    italic = SOURCE.index("The Lancet")
    return [Mark(link, link + len("Kumamoto University"), "a", fr.LINK1), Mark(italic, italic + 10, "i")]


def _placed(translation) -> list[tuple[str, str, str | None]]:
    return [(m.kind, translation.text[m.start : m.end], m.href) for m in translation.marks]


def test_tags_come_back_around_the_glossary_target():
    glossary = load_glossary(GLOSSARY)
    engine = ScriptedEngine()
    [translation] = translate_segments([_segment(SOURCE, _marks())], "zh-TW", engine, glossary)
    assert "<a1>⟦" in engine.calls[0][0] and "<i2>The Lancet</i2>" in engine.calls[0][0]  # the model sees tags
    assert _placed(translation) == [("a", "熊本大學", fr.LINK1), ("i", "The Lancet", None)]
    assert not [f for f in translation.flags if f.code.startswith("formatting")]


def test_dropped_tags_are_recovered_from_the_alignment_and_flagged_for_a_check():
    engine = AligningEngine(drop_tags)
    [translation] = translate_segments([_segment(SOURCE, _marks())], "zh-TW", engine, load_glossary(GLOSSARY))
    assert engine.aligned, "alignment was asked for"
    assert _placed(translation) == [("a", "熊本大學", fr.LINK1), ("i", "The Lancet", None)]
    assert [f.code for f in translation.flags] == ["formatting-recovered"]


def test_broken_tags_without_alignment_flag_the_row_with_the_english_spans():
    engine = ScriptedEngine(swap_tag_order)
    [translation] = translate_segments([_segment(SOURCE, _marks())], "zh-TW", engine, load_glossary(GLOSSARY))
    assert translation.marks == []
    [flag] = [f for f in translation.flags if f.code == "formatting-not-transferred"]
    assert "link “Kumamoto University” → https://www.kumamoto-u.ac.jp/" in flag.message
    assert "italic “The Lancet”" in flag.message


def test_a_mark_over_the_whole_segment_is_not_sent_as_a_tag():
    source = "Visit the KMU website."
    engine = ScriptedEngine(tagged_suffix)
    [translation] = translate_segments([_segment(source, [Mark(0, len(source), "a", fr.LINK2)])], "ja", engine)
    assert "<" not in engine.calls[0][0]
    assert _placed(translation) == [("a", translation.text, fr.LINK2)]


def test_the_real_ctranslate2_path_aligns_through_attention(installed):
    """ArgosEngine.align on the identity package: CTranslate2's return_attention with the output as prefix."""
    from pipeline.translation.engine.argos import load_engine
    from pipeline.translation.engine.base import DecodeOptions

    engine = load_engine("ja", DecodeOptions(), verify=False)
    source = "Kaohsiung Medical University signed an agreement."
    [pairs] = engine.align([source], [source])
    assert pairs
    word = source.index("signed")
    covering = [p for p in pairs if p[2] <= word < p[3]]
    assert covering and all(p[0] <= word < p[1] for p in covering)  # identity model: target k ← source k


# --------------------------------------------------------------------------------------------- publish on the source


def _runs(paragraph) -> list[tuple[str, bool, bool]]:
    return [(r.text, bool(r.bold), bool(r.italic)) for r in paragraph.runs if r.text]


def _links(paragraph, part) -> list[tuple[str, str]]:
    found = []
    for link in paragraph._p.iter(W + "hyperlink"):
        rid = link.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        text = "".join(t.text or "" for t in link.iter(W + "t"))
        found.append((text, part.rels[rid].target_ref))
    return found


def test_published_document_is_the_source_document_translated(release, tmp_path, cli):
    folder = run_and_review(release, tmp_path / "out", cli)
    result = cli("publish", folder, "--no-memory")
    assert result.exit_code == 0, result.output
    for lang in ("zh-TW", "ja"):
        published = docx.Document(str(folder / f"{release.stem}.{lang}.docx"))
        paragraphs = [p for p in published.paragraphs if p.text.strip()]
        styles = [p.style.name for p in paragraphs]
        assert styles[:2] == ["Title", "Heading 2"]
        assert styles.count("List Bullet") == 2 and "Caption" in styles
        assert not [p.text for p in paragraphs if re.search("[A-Za-z]{4,}", p.text)]  # every paragraph translated
        assert len(published.inline_shapes) == 1  # the image, in place
        lead = next(p for p in paragraphs if "27—" in p.text)
        bold = [text for text, is_bold, _ in _runs(lead) if is_bold]
        assert bold == [{"zh-TW": "譯，譯。27—", "ja": "譯、譯。27—"}[lang]]  # the lead-in only: "KAOHSIUNG, Nov. 27 —", translated and typeset
        kumamoto = {"zh-TW": "熊本大學", "ja": "熊本大学"}[lang]
        assert _links(lead, published.part) == [(kumamoto, fr.LINK1)]  # the link on the glossary's name
        study = paragraphs[paragraphs.index(lead) + 1]
        assert [text for text, _, italic in _runs(study) if italic] == ["譯譯"]  # The Lancet
        assert _links(study, published.part) == [("譯譯譯", fr.LINK2)]  # our news page
        assert published.tables[0].cell(0, 0).text == "譯譯 2019."  # Partners since 2019. (typeset)
        header = published.sections[0].header.paragraphs[0].text
        footer = [p.text for p in published.sections[0].footer.paragraphs]
        assert header == "譯譯 10:00, 27 譯 2025"  # EMBARGOED UNTIL 10:00, 27 November 2025
        assert footer == ["譯譯譯譯", "Page 1"]  # the PAGE field paragraph kept as it is
        assert any(el.tag == W + "fldChar" for el in published.sections[0].footer.paragraphs[1]._p.iter())
        [box] = [p for p in published.element.body.iter(W + "txbxContent")]
        assert "".join(t.text for t in box.iter(W + "t")).startswith("譯譯")  # Media contact: ..., in place
        assert "Media" not in published.element.body.xml
        lang_runs = [r for p in paragraphs for r in p._p.iter(W + "lang")]
        assert lang_runs  # runs carry the target language
        checked = cli("glossary", "check", GLOSSARY, "--against", folder / f"{release.stem}.{lang}.docx")
        assert checked.exit_code == 0, checked.output  # every story paired with its English for the check


def test_a_lost_link_refuses_publication_naming_it(release, tmp_path, cli):
    folder = run_and_review(release, tmp_path / "out", cli, script=lambda t: swap_tag_order(pseudo_translate(t)))
    manifest = json.loads((folder / f"{release.stem}.manifest.json").read_text(encoding="utf-8"))
    flags = [f["code"] for s in manifest["segments"] for f in s["targets"]["zh-TW"]["flags"]]
    assert "formatting-not-transferred" in flags
    result = cli("publish", folder, "--no-memory")
    assert result.exit_code == 6, result.output
    assert fr.LINK1 in result.output and "link-lost" in result.output and "nothing written" in result.output
    assert not (folder / f"{release.stem}.zh-TW.docx").exists()


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None, reason="LibreOffice/poppler missing")
def test_libreoffice_renders_the_published_formatted_document(release, tmp_path, cli):
    folder = run_and_review(release, tmp_path / "out", cli)
    assert cli("publish", folder, "--no-memory").exit_code == 0
    document = folder / f"{release.stem}.zh-TW.docx"
    profile = tmp_path / "lo-profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path / "pdf"), str(document)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / "pdf" / (document.stem + ".pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "譯譯 10:00" in text and "熊本大學" in text and "Page 1" in text and "EMBARGOED" not in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    assert list(tmp_path.glob("page*.png"))


def test_review_document_shows_formatting_and_import_reads_the_reviewers(release, tmp_path, cli):
    from support import review_edits as edit

    engines = {"zh-TW": ScriptedEngine(pseudo_translate)}
    run_releases([release], engines, tmp_path / "out", glossary=load_glossary(GLOSSARY))
    folder = tmp_path / "out" / release.stem
    doc = docx.Document(str(folder / f"{release.stem}.zh-TW.review.docx"))
    row = edit.row_of(doc, "p04.s01")
    for cell, linked in ((row.cells[1], "our news page"), (row.cells[2], "譯 譯 譯")):  # English and target columns
        paragraph = cell.paragraphs[0]
        assert [r.text for r in paragraph.runs if r.italic] in (["The Lancet"], ["譯 譯"])
        assert _links(paragraph, doc.part) == [(linked, fr.LINK2)]
    lead = edit.row_of(doc, "p03.s01").cells[2].paragraphs[0]
    assert lead.runs[0].bold and not lead.runs[-1].bold

    # the reviewer retypes the sentence without its link: publish refuses, naming it
    edit.replace_text(row.cells[2], "該研究發表於譯譯，詳見新聞頁。")
    for link in list(row.cells[2].paragraphs[0]._p.iter(W + "hyperlink")):
        link.getparent().remove(link)
    assert row.cells[2].text == "該研究發表於譯譯，詳見新聞頁。"
    back = tmp_path / "back" / "zh.docx"
    back.parent.mkdir()
    doc.save(str(back))
    assert cli("review", "import", back, "--manifest", folder, "--approve-all", "--no-memory").exit_code == 0
    refused = cli("publish", folder, "--to", "zh-TW", "--no-memory")
    assert refused.exit_code == 6 and fr.LINK2 in refused.output and "p04.s01" in refused.output

    # ... and adds it back in Word (Insert → Link) on the words of their choice: read back and published there
    doc = docx.Document(str(back))
    paragraph = edit.target_cell(doc, "p04.s01").paragraphs[0]
    paragraph.runs[0].text = "該研究發表於譯譯，詳見"
    fr.add_hyperlink(paragraph, "新聞頁", fr.LINK2)
    paragraph.add_run("。")
    doc.save(str(back))
    assert cli("review", "import", back, "--manifest", folder, "--approve-all", "--no-memory").exit_code == 0
    reviewed = json.loads((folder / f"{release.stem}.reviewed.json").read_text(encoding="utf-8"))
    assert "新聞頁" in json.dumps(reviewed, ensure_ascii=False)
    result = cli("publish", folder, "--to", "zh-TW", "--no-memory")
    assert result.exit_code == 0, result.output
    published = docx.Document(str(folder / f"{release.stem}.zh-TW.docx"))
    study = next(p for p in published.paragraphs if p.text.startswith("該研究"))
    assert _links(study, published.part) == [("新聞頁", fr.LINK2)]


def test_a_footnote_is_translated_in_its_own_part(tmp_path, cli):
    plain = tmp_path / "plain.docx"
    document = docx.Document()
    document.add_paragraph("KMU Signs Collaboration Agreement with Kumamoto University")
    document.add_paragraph("The universities signed a memorandum.")
    document.save(str(plain))
    (tmp_path / "releases").mkdir()
    release = tmp_path / "releases" / "noted.docx"
    add_footnote(plain, release, "memorandum.")
    folder = run_and_review(release, tmp_path / "out", cli)
    assert cli("publish", folder, "--no-memory").exit_code == 0
    import zipfile

    with zipfile.ZipFile(folder / "noted.ja.docx") as package:
        footnotes = package.read("word/footnotes.xml").decode("utf-8")
        body = package.read("word/document.xml").decode("utf-8")
    assert "memorandum runs" not in footnotes and "譯譯譯譯譯譯。" in footnotes.replace("</w:t><w:t", "")
    assert "<w:footnoteRef/>" in footnotes and 'w:footnoteReference w:id="1"' in body  # the note still anchored
