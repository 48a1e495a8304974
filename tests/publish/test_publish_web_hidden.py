"""Text hidden on the web only (`w:webHidden`): printed and shown in Word, so content of the published .docx; not on
the web page (docs/robustness.md).

The release (tests/support/unpublished_release.py) holds a whole paragraph hidden on the web (`WEB_ONLY`), a
paragraph with a part hidden on the web (`MIXED` + `MIXED_WEB_ONLY`) and an image (green) in a web-hidden run,
beside a visible image (blue).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from lxml import etree

from pipeline.docx.stories import Stories, StoryReader, walk_document
from support.formatted_release import png
from support.web_allowlist import check_fragment, check_images, page_urls
from support.unpublished_release import BLUE, MIXED, MIXED_WEB_ONLY, VISIBLE, W, W_NS, WEB_ONLY, build_release, run_xml


def _release(tmp_path: Path) -> Path:
    (tmp_path / "releases").mkdir(exist_ok=True)
    return build_release(tmp_path / "releases" / "web.docx", comments=False, hidden_objects=False)


def _texts(p) -> str:
    return "".join(t.text or "" for t in p.iter(W + "t"))


def test_text_hidden_on_the_web_is_read_as_content(tmp_path):
    stories = walk_document(docx.Document(str(_release(tmp_path))))
    by_text = {line.text: p for p in stories.paragraphs for line in p.lines}
    assert by_text[WEB_ONLY].web_text.hidden and not by_text[WEB_ONLY].web_text.shown
    mixed = by_text[f"{MIXED} {MIXED_WEB_ONLY}"]
    assert mixed.web_text.hidden and mixed.web_text.shown
    assert not by_text[VISIBLE[1]].web_text.hidden and by_text[VISIBLE[1]].web_text.shown
    assert stories.images == 2 and not stories.hidden_runs  # the web-hidden image is printed: an image


def test_the_web_page_reader_skips_text_hidden_on_the_web_through_a_style(tmp_path):
    document = docx.Document()
    style = document.styles.add_style("WebOnly", WD_STYLE_TYPE.CHARACTER)
    style.element.get_or_add_rPr().append(parse_xml(f'<w:webHidden xmlns:w="{W_NS}"/>'))
    p = document.add_paragraph("Shown everywhere. ")
    p._p.append(parse_xml(run_xml("Printed only.", '<w:rStyle w:val="WebOnly"/>')))
    p._p.append(parse_xml(run_xml(" Shown again.", '<w:rStyle w:val="WebOnly"/><w:webHidden w:val="0"/>')))
    document.save(str(tmp_path / "styled.docx"))
    document = docx.Document(str(tmp_path / "styled.docx"))
    paragraph = document.paragraphs[0]._p

    def read(web: bool) -> str:
        chars, _ = StoryReader(document, Stories(), web=web)._read(paragraph, document.part)
        return "".join(text for text, _ in chars)

    assert read(False) == "Shown everywhere. Printed only. Shown again."
    assert read(True) == "Shown everywhere.  Shown again."


@pytest.fixture
def published(tmp_path, installed, cli):
    result = cli("run", _release(tmp_path), "--out", tmp_path / "out", "--no-glossary")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / "web"
    result = cli("publish", folder, "--to", "zh-TW", "--no-memory", "--allow-unreviewed", "--format", "html")
    assert result.exit_code == 0, result.output
    return folder, result.output


def test_text_hidden_on_the_web_is_in_the_document_and_not_on_the_web_page(published):
    folder, output = published
    sources = [s["source"] for s in json.loads((folder / "web.manifest.json").read_text(encoding="utf-8"))["segments"]]
    assert WEB_ONLY in sources and MIXED_WEB_ONLY in sources  # translated: it is printed

    with zipfile.ZipFile(folder / "web.zh-TW.docx") as package:
        body = etree.fromstring(package.read("word/document.xml"))
    [whole] = [p for p in body.iter(W + "p") if WEB_ONLY in _texts(p)]
    runs = [r for r in whole.iter(W + "r") if r.find(W + "t") is not None]
    assert runs and all(r.find(f"{W}rPr/{W}webHidden") is not None for r in runs)  # still hidden on the web only
    assert all(r.find(f"{W}rPr/{W}vanish") is None for r in runs)  # and printed
    [mixed] = [p for p in body.iter(W + "p") if MIXED in _texts(p)]
    assert MIXED_WEB_ONLY in _texts(mixed)

    page = (folder / "web.zh-TW.html").read_text(encoding="utf-8")
    assert WEB_ONLY not in page and VISIBLE[1] in page
    # A paragraph only partly hidden on the web: its translation cannot tell the part apart; shown whole, and said
    assert MIXED in page and "part of its text is hidden on the web only (w:webHidden)" in output
    root = check_fragment(page)
    copied = check_images(folder / "web.zh-TW.html", root)
    assert len(copied) == 1 and copied[0].read_bytes() == png(rgb=BLUE)  # the web-hidden image is not copied
    assert len(page_urls(root, "img", "src")) == 1
