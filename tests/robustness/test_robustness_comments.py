"""A .docx release's comments are never published (issue 22, round 3).

The release (tests/support/unpublished_release.py) carries "COMMENTSECRET do not publish the budget figure." as a
comment on a body paragraph and a second comment in a footnote, by an author whose name holds COMMENTSECRET, with
Word's companion parts (commentsExtended, commentsIds, commentsExtensible, people.xml). The run uses the identity
models; publish writes the .docx on the kept copy of the source, and the web page.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from pipeline.docx.bounded import open_docx
from pipeline.docx.comments import COMMENT_RELTYPES, remove_comments
from support.unpublished_release import FOOTNOTE, VISIBLE, W, build_release
from support.web_allowlist import check_fragment

SECRET = b"COMMENTSECRET"
_ANCHORS = ("commentRangeStart", "commentRangeEnd", "commentReference")


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def _assert_no_comments(path: Path) -> None:
    parts = _parts(path)
    assert not [name for name, data in parts.items() if SECRET in data]  # every part, images and properties too
    assert not [name for name in parts if "comments" in name.lower() or "people" in name.lower()]
    assert b"comments" not in parts["[Content_Types].xml"] and b"people" not in parts["[Content_Types].xml"]
    for name, data in parts.items():
        if name.endswith(".rels"):
            assert not any(reltype.encode() in data for reltype in COMMENT_RELTYPES), name
        elif name.endswith(".xml") and name.startswith("word/"):
            root = etree.fromstring(data)
            assert not [el for el in root.iter() if isinstance(el.tag, str) and el.tag[len(W):] in _ANCHORS], name


def test_the_release_carries_its_comments_and_they_are_not_read(tmp_path):
    from pipeline.source.ingest import read_release

    release = build_release(tmp_path / "release.docx", hidden_objects=False, web_hidden=False)
    parts = _parts(release)
    assert SECRET in parts["word/comments.xml"] and SECRET in parts["word/people.xml"]
    assert b"commentReference" in parts["word/footnotes.xml"]  # the fixture is what the test says
    read = read_release(release)
    assert not any("COMMENTSECRET" in text for text in read.paragraphs_text)
    assert FOOTNOTE in read.paragraphs_text


def test_remove_comments_takes_out_parts_relationships_and_anchors(tmp_path):
    source = build_release(tmp_path / "release.docx", hidden_objects=False, web_hidden=False)
    document = open_docx(source)
    assert remove_comments(document) == 6  # range start, range end, reference: in the body and in the footnote
    document.save(str(tmp_path / "out.docx"))
    _assert_no_comments(tmp_path / "out.docx")
    again = docx.Document(str(tmp_path / "out.docx"))
    assert [p.text for p in again.paragraphs if p.text][:3] == VISIBLE[:3]  # the anchored text stays
    assert FOOTNOTE.encode() in _parts(tmp_path / "out.docx")["word/footnotes.xml"]  # and the footnote
    assert list(again.comments) == []


@pytest.fixture
def published(tmp_path, installed, cli) -> Path:
    (tmp_path / "releases").mkdir()
    release = build_release(tmp_path / "releases" / "commented.docx", hidden_objects=False, web_hidden=False)
    result = cli("run", release, "--out", tmp_path / "out", "--no-glossary")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / "commented"
    result = cli("publish", folder, "--to", "zh-TW", "--no-memory", "--allow-unreviewed", "--format", "html")
    assert result.exit_code == 0, result.output
    return folder


def test_comments_are_in_no_output_of_publish(published):
    manifest = (published / "commented.manifest.json").read_text(encoding="utf-8")
    assert "COMMENTSECRET" not in manifest
    sources = [s["source"] for s in json.loads(manifest)["segments"]]
    assert VISIBLE[1] in sources and FOOTNOTE in sources  # the commented text itself is translated
    review = _parts(published / "commented.zh-TW.review.docx")
    assert not [name for name, data in review.items() if SECRET in data]

    document = published / "commented.zh-TW.docx"
    _assert_no_comments(document)
    opened = docx.Document(str(document))  # python-docx opens it
    assert VISIBLE[1] in [p.text for p in opened.paragraphs]
    assert FOOTNOTE.encode() in _parts(document)["word/footnotes.xml"]
    page = (published / "commented.zh-TW.html").read_text(encoding="utf-8")
    assert "COMMENTSECRET" not in page and VISIBLE[1] in page
    check_fragment(page)
    for other in published.glob("commented.zh-TW*"):
        if other.is_file():
            assert SECRET not in other.read_bytes(), other.name


def test_libreoffice_opens_the_published_document_without_comments(published, libreoffice, tmp_path):
    """Headless soffice aborts when it loads a document with comments into a view (tests/support/libreoffice.py),
    which a PDF export does: the export is also a check that none is left."""
    from support.libreoffice import PDF

    pdf = libreoffice.convert(published / "commented.zh-TW.docx", tmp_path / "commented.pdf", PDF)
    assert pdf.stat().st_size > 1000
    if shutil.which("pdftotext") is not None:
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "COMMENTSECRET" not in text and "opens in April" in text
