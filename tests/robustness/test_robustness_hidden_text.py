"""Hidden text and tracked deletions in a .docx release are never translated and never published (issue 22).

The release is built here: "HIDDENSECRET the internal budget is confidential." formatted as hidden (`w:vanish`)
in a paragraph with visible text, as a whole hidden paragraph, through a character style and a paragraph style
that hide, as `w:specVanish`; and "DELETEDSECRET" as tracked deletions (in a paragraph, and a whole paragraph).
The run uses the identity models: text read as content would reach every output letter for letter.
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

from pipeline.docx.stories import walk_document
from pipeline.source.ingest import read_release
from support import review_edits as edit
from support.review_runs import block

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % W_NS
SECRET = "HIDDENSECRET the internal budget is confidential."
DELETED = "DELETEDSECRET the old figure was 12 million."

VISIBLE = [
    "The university opens a new research centre",
    "The centre opens in April.",
    "It will host forty researchers from three countries.",
    "The university thanks its partners.",
    "Researchers will share the laboratories.",
    "The press office answers questions.",
]


def _run(text: str, props: str = "") -> str:
    return f'<w:r xmlns:w="{W_NS}"><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def _deleted(text: str) -> str:
    return (f'<w:del xmlns:w="{W_NS}" w:id="91" w:author="Editor" w:date="2025-01-01T00:00:00Z"><w:r>'
            f'<w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>')


def build_release(path: Path, cases: tuple[str, ...] = ("inline", "paragraph", "character-style",
                                                         "paragraph-style", "spec-vanish", "header", "deleted")) -> Path:
    document = docx.Document()
    hiding = document.styles.add_style("InternalNote", WD_STYLE_TYPE.CHARACTER)
    hiding.element.get_or_add_rPr().append(parse_xml(f'<w:vanish xmlns:w="{W_NS}"/>'))
    hidden_paragraphs = document.styles.add_style("InternalParagraph", WD_STYLE_TYPE.PARAGRAPH)
    hidden_paragraphs.element.get_or_add_rPr().append(parse_xml(f'<w:vanish xmlns:w="{W_NS}"/>'))
    document.add_heading(VISIBLE[0], level=1)
    p = document.add_paragraph()
    p._p.append(parse_xml(_run(VISIBLE[1] + " ")))
    if "inline" in cases:
        p._p.append(parse_xml(_run(SECRET + " ", "<w:vanish/>")))
    p._p.append(parse_xml(_run(VISIBLE[2])))
    if "paragraph" in cases:
        document.add_paragraph()._p.append(parse_xml(_run(SECRET, "<w:vanish/>")))
    p = document.add_paragraph()
    p._p.append(parse_xml(_run(VISIBLE[3] + " ")))
    if "character-style" in cases:
        p._p.append(parse_xml(_run(SECRET, '<w:rStyle w:val="InternalNote"/>')))
    if "paragraph-style" in cases:
        hidden = document.add_paragraph(SECRET, style="InternalParagraph")
        hidden.add_run(" " + VISIBLE[4])._r.get_or_add_rPr().append(parse_xml(f'<w:vanish xmlns:w="{W_NS}" w:val="0"/>'))
    if "spec-vanish" in cases:
        p = document.add_paragraph()
        p._p.append(parse_xml(_run(SECRET, "<w:specVanish/>")))
    if "header" in cases:
        header = document.sections[0].header.paragraphs[0]
        header._p.append(parse_xml(_run("EMBARGOED UNTIL 1 MAY ")))
        header._p.append(parse_xml(_run(SECRET, "<w:vanish/>")))
    p = document.add_paragraph()
    p._p.append(parse_xml(_run(VISIBLE[5] + " ")))
    if "deleted" in cases:
        p._p.append(parse_xml(_deleted(DELETED)))
        document.add_paragraph()._p.append(parse_xml(_deleted(DELETED)))
    document.save(path)
    return path


def hidden_runs_of(path: Path) -> int:
    return len(walk_document(docx.Document(str(path))).hidden_runs)


# --- reading ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["inline", "paragraph", "character-style", "paragraph-style", "spec-vanish", "header"])
def test_hidden_text_is_not_read_as_content_and_is_counted(tmp_path, case):
    release = read_release(build_release(tmp_path / "release.docx", (case,)))
    assert not any("HIDDENSECRET" in p for p in release.paragraphs_text)
    assert release.hidden_runs == 1
    assert "1 hidden run(s) kept hidden, not translated" in " ".join(release.notes)
    expected = VISIBLE[:4] + ([VISIBLE[4]] if case == "paragraph-style" else []) + VISIBLE[5:]
    expected += ["EMBARGOED UNTIL 1 MAY"] if case == "header" else []
    text = " ".join(release.paragraphs_text)
    assert all(sentence in text for sentence in expected)  # the visible text around it is all there


def test_a_tracked_deletion_is_not_read(tmp_path):
    release = read_release(build_release(tmp_path / "release.docx", ("deleted",)))
    assert not any("DELETEDSECRET" in p for p in release.paragraphs_text)
    assert VISIBLE[5] in release.paragraphs_text and release.hidden_runs == 0


def test_a_release_without_hidden_text_says_nothing_about_it(tmp_path):
    release = read_release(build_release(tmp_path / "release.docx", ()))
    assert release.hidden_runs == 0 and not any("hidden" in note for note in release.notes)


# --- through the CLI: run, review, publish ---------------------------------------------------------------------


def _xml_texts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist() if name.endswith(".xml")}


def _runs_with(root, word: str) -> list:
    return [r for r in root.iter(W + "r") if word in "".join(t.text or "" for t in r.iter(W + "t", W + "delText"))]


def _directly_hidden(r) -> bool:
    vanish = r.find(f"{W}rPr/{W}vanish")
    return vanish is not None and vanish.get(W + "val") in (None, "1", "true", "on")


def run_release(tmp_path: Path, cli, cases: tuple[str, ...] | None = None) -> Path:
    """The release built and run with the identity models: its output folder."""
    (tmp_path / "releases").mkdir()
    release = build_release(tmp_path / "releases" / "hidden.docx", *([cases] if cases is not None else []))
    result = cli("run", release, "--out", tmp_path / "out", "--no-glossary")
    assert result.exit_code == 0, result.output
    hidden = hidden_runs_of(release)
    if hidden:
        assert f"{hidden} hidden run(s) kept hidden, not translated" in result.output  # the run's summary line
    return tmp_path / "out" / "hidden"


def _shown(root) -> str:
    """The text of `root` outside runs hidden by their own properties."""
    return "".join(t.text or "" for t in root.iter(W + "t") if not any(_directly_hidden(r) for r in t.iterancestors(W + "r")))


@pytest.fixture
def published(tmp_path, installed, cli) -> Path:
    folder = run_release(tmp_path, cli)
    assert hidden_runs_of(tmp_path / "releases" / "hidden.docx") == 6
    for lang in ("zh-TW", "ja"):
        imported = cli("review", "import", folder / f"hidden.{lang}.review.docx", "--accept-unedited", "--approve-all",
                       "--no-memory")
        assert imported.exit_code == 0, imported.output
    result = cli("publish", folder, "--no-memory", "--format", "html")
    assert result.exit_code == 0, result.output
    return folder


def test_hidden_text_is_never_a_row_never_shown_and_kept_hidden_in_the_published_document(published):
    manifest = json.loads((published / "hidden.manifest.json").read_text(encoding="utf-8"))
    sources = [segment["source"] for segment in manifest["segments"]]
    assert sources and not any("HIDDENSECRET" in s or "DELETEDSECRET" in s for s in sources)
    assert any(note.startswith("6 hidden run(s) kept hidden, not translated") for note in manifest["notes"])
    assert any(VISIBLE[4] in s for s in sources)  # a run shown again (w:val="0") in a hiding paragraph style is read
    for lang in ("zh-TW", "ja"):
        review = docx.Document(str(published / f"hidden.{lang}.review.docx"))
        body = etree.tostring(review.element.body, encoding="unicode")
        assert "HIDDENSECRET" not in body and "DELETEDSECRET" not in body
        header = [p.text for p in review.paragraphs]
        assert any(t.startswith("Note: 6 hidden run(s) kept hidden, not translated") for t in header), header

        parts = _xml_texts(published / f"hidden.{lang}.docx")
        assert not any(b"DELETEDSECRET" in data for data in parts.values())  # tracked deletions are not published
        document = etree.fromstring(parts["word/document.xml"])
        secret_runs = _runs_with(document, "HIDDENSECRET")
        assert len(secret_runs) == 5  # kept, where they were (the sixth is in the header) ...
        assert all(_directly_hidden(r) for r in secret_runs)  # ... each hidden by its own properties
        shown = _shown(document)
        assert "HIDDENSECRET" not in shown and VISIBLE[1] in shown and VISIBLE[2] in shown
        assert document.find(f".//{W}del") is None
        header = etree.fromstring(next(data for name, data in parts.items() if name.startswith("word/header")))
        [secret] = _runs_with(header, "HIDDENSECRET")
        assert _directly_hidden(secret) and "HIDDENSECRET" not in _shown(header) and "EMBARGOED" in _shown(header)

        page = (published / f"hidden.{lang}.html").read_text(encoding="utf-8")
        assert "HIDDENSECRET" not in page and "DELETEDSECRET" not in page
        assert VISIBLE[1] in page and VISIBLE[3] in page


def test_the_hidden_run_stays_between_the_translated_text_of_its_paragraph(published):
    document = etree.fromstring(_xml_texts(published / "hidden.zh-TW.docx")["word/document.xml"])
    [paragraph] = [p for p in document.iter(W + "p") if VISIBLE[1] in "".join(t.text or "" for t in p.iter(W + "t"))]
    runs = list(paragraph.iter(W + "r"))
    [secret] = _runs_with(paragraph, "HIDDENSECRET")
    assert runs.index(secret) > 0  # the translation is written where the first visible text was, before it
    new = [r for r in runs if r is not secret]
    assert all(not _directly_hidden(r) for r in new)  # the translation does not inherit the hidden look


# --- a reviewer's hidden text in the review document ------------------------------------------------------------

ROW = "p05.s02"


def _hide(paragraph, text: str) -> None:
    """Add `text` to a review cell's paragraph as hidden text (Font → Hidden in Word)."""
    paragraph._p.append(parse_xml(_run(text, "<w:vanish/>")))


def test_an_ok_typed_as_hidden_text_is_not_an_approval(real_model_run, cli, tmp_path):
    doc = docx.Document(real_model_run.review("zh-TW"))
    edit.mark_ok(doc, ROW, "")
    _hide(edit.row_of(doc, ROW).cells[4].paragraphs[0], "OK")
    path = tmp_path / "back" / "zh.docx"
    path.parent.mkdir()
    doc.save(path)
    result = cli("review", "import", path, "--manifest", real_model_run.folder)
    assert result.exit_code == 0, result.output
    entry = block(real_model_run)["segments"][ROW]
    assert entry["approval"] is None and entry["mark"] == "" and "mark-hidden" in entry["flags"]
    assert f"{ROW}: OK? holds “OK” as hidden text, not an approval mark" in result.output
    rows = next(line for line in result.output.splitlines() if line.strip().startswith("rows:"))
    assert "marked OK" not in rows and "edited" not in rows, rows  # nothing approved by the hidden OK


def test_hidden_text_in_a_target_cell_is_not_read_and_keeps_the_row_a_draft(real_model_run, cli, tmp_path):
    doc = docx.Document(real_model_run.review("zh-TW"))
    cell = edit.target_cell(doc, ROW)
    visible = cell.text
    _hide(cell.paragraphs[0], SECRET)
    edit.mark_ok(doc, ROW)
    path = tmp_path / "back" / "zh.docx"
    path.parent.mkdir()
    doc.save(path)
    result = cli("review", "import", path, "--manifest", real_model_run.folder, "--approve-all")
    assert result.exit_code == 0, result.output
    entry = block(real_model_run)["segments"][ROW]
    assert entry["text"] == visible and "HIDDENSECRET" not in entry["text"]  # never the translation
    assert entry["hidden_text"] == SECRET  # what the reviewer typed is kept in the record, not lost
    assert entry["approval"] is None and "hidden-text" in entry["flags"]  # not approved, even with --approve-all
    assert f"{ROW}: the target cell holds hidden text (“{SECRET}”)" in result.output


def test_a_reviewers_hidden_text_is_not_published(tmp_path, installed, cli):
    folder = run_release(tmp_path, cli, ())
    review = folder / "hidden.zh-TW.review.docx"
    doc = docx.Document(str(review))
    row = "p02.s01"
    _hide(edit.target_cell(doc, row).paragraphs[0], " " + SECRET)
    doc.save(review)
    result = cli("review", "import", review, "--accept-unedited", "--approve-all", "--no-memory")
    assert result.exit_code == 0, result.output
    assert f"{row}: the target cell holds hidden text" in result.output
    refused = cli("publish", folder, "--to", "zh-TW", "--no-memory")
    assert refused.exit_code == 6 and row in refused.output  # the row waits for the reviewer's decision
    allowed = cli("publish", folder, "--to", "zh-TW", "--no-memory", "--allow-unreviewed", "--format", "html")
    assert allowed.exit_code == 0, allowed.output
    parts = _xml_texts(folder / "hidden.zh-TW.docx")
    assert not any(b"HIDDENSECRET" in data for data in parts.values())
    assert "HIDDENSECRET" not in (folder / "hidden.zh-TW.html").read_text(encoding="utf-8")
