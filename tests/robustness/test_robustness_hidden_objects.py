"""An image or a text box anchored in hidden text is hidden with it: not content, not on the web page, kept hidden in
the published .docx (issue 22, round 3).

The release (tests/support/unpublished_release.py) holds a visible image (blue) and, in one paragraph, a red image
and a text box ("BOXSECRET the draft figure is 12 million.") each anchored in a run formatted as hidden.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from pipeline.docx.stories import walk_document
from pipeline.source.ingest import read_release
from support.formatted_release import png
from support.unpublished_release import BLUE, BOX, VISIBLE, W, build_release
from support.web_allowlist import check_fragment, check_images, page_urls

A_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"


def _release(tmp_path: Path) -> Path:
    (tmp_path / "releases").mkdir(exist_ok=True)
    return build_release(tmp_path / "releases" / "objects.docx", comments=False, web_hidden=False)


def _directly_hidden(r) -> bool:
    vanish = r.find(f"{W}rPr/{W}vanish")
    return vanish is not None and vanish.get(W + "val") in (None, "1", "true", "on")


def test_a_hidden_text_box_is_not_read_and_a_hidden_image_not_counted(tmp_path):
    source = _release(tmp_path)
    stories = walk_document(docx.Document(str(source)))
    assert not [p for p in stories.paragraphs if p.story == "text box"]
    assert stories.images == 1 and len(stories.hidden_runs) == 2  # the anchors, listed to be kept hidden
    release = read_release(source)
    assert not any("BOXSECRET" in text for text in release.paragraphs_text)
    assert VISIBLE[3] in release.paragraphs_text  # the paragraph that anchors them is read
    assert "1 image(s) in the document were skipped" in " ".join(release.notes)


def test_a_text_box_anchored_in_a_deleted_run_is_not_read(tmp_path):
    from docx.oxml import parse_xml

    from support.unpublished_release import W_NS

    document = docx.Document()
    p = document.add_paragraph("The centre opens in April.")
    p._p.append(parse_xml(
        f'<w:del xmlns:w="{W_NS}" xmlns:v="urn:schemas-microsoft-com:vml" w:id="5" w:author="E" w:date="2025-01-01T00:00:00Z">'
        f'<w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>{BOX}</w:t></w:r></w:p></w:txbxContent>'
        "</v:textbox></v:shape></w:pict></w:r></w:del>"
    ))  # fmt: skip
    document.save(str(tmp_path / "deleted.docx"))
    texts = [line.text for p in walk_document(docx.Document(str(tmp_path / "deleted.docx"))).paragraphs for line in p.lines]
    assert texts == ["The centre opens in April."]


@pytest.fixture
def published(tmp_path, installed, cli) -> Path:
    release = _release(tmp_path)
    result = cli("run", release, "--out", tmp_path / "out", "--no-glossary")
    assert result.exit_code == 0, result.output
    assert "2 hidden run(s) kept hidden, not translated" in result.output
    folder = tmp_path / "out" / "objects"
    result = cli("publish", folder, "--to", "zh-TW", "--no-memory", "--allow-unreviewed", "--format", "html")
    assert result.exit_code == 0, result.output
    return folder


def test_hidden_images_and_text_boxes_are_not_on_the_web_page_and_stay_hidden_in_the_document(published):
    manifest = (published / "objects.manifest.json").read_text(encoding="utf-8")
    assert "BOXSECRET" not in manifest
    assert VISIBLE[3] in [s["source"] for s in json.loads(manifest)["segments"]]
    with zipfile.ZipFile(published / "objects.zh-TW.review.docx") as review:
        assert not any(b"BOXSECRET" in review.read(name) for name in review.namelist())

    page = (published / "objects.zh-TW.html").read_text(encoding="utf-8")
    assert "BOXSECRET" not in page and "<aside" not in page and VISIBLE[3] in page
    root = check_fragment(page)
    copied = check_images(published / "objects.zh-TW.html", root)
    assert len(copied) == 1 and copied[0].read_bytes() == png(rgb=BLUE)  # the visible image only
    assert len(page_urls(root, "img", "src")) == 1

    document = published / "objects.zh-TW.docx"
    with zipfile.ZipFile(document) as package:
        body = etree.fromstring(package.read("word/document.xml"))
        assert len([n for n in package.namelist() if n.startswith("word/media/")]) == 2  # both images kept
    [paragraph] = [p for p in body.iter(W + "p") if VISIBLE[3] in "".join(t.text or "" for t in p.iter(W + "t"))]
    anchors = [r for r in paragraph.iterchildren(W + "r") if r.find(W + "drawing") is not None or r.find(W + "pict") is not None]
    assert len(anchors) == 2 and all(_directly_hidden(r) for r in anchors)  # kept where they were, hidden
    assert BOX in "".join(t.text or "" for t in anchors[1].iter(W + "t"))  # the box as it was (not translated)
    assert next(anchors[0].iter(A_BLIP), None) is not None
    docx.Document(str(document))  # python-docx opens it
