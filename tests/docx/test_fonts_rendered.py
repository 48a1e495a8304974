"""East Asian fonts per language in review and published documents, and the proof by rendering (issue 12).

The XML tests need nothing; the rendering tests take the `libreoffice` fixture (skipped with the reason where
soffice or python3-uno is missing) and poppler's pdftoppm/pdftotext, and read 言's form off the pixels
and 骨's (tests/support/glyph_forms.py): Taiwan's forms in zh-TW documents, Japan's in ja ones, wherever the text sits: a
target cell, the Notes, a paragraph a reviewer typed after the table, the published and bilingual text. (`pdffonts`
cannot tell: Debian's Noto CJK collection shares one CFF table, named NotoSansCJKjp, among all its faces.)
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from support import review_edits as edit
from support.paths import SAMPLE
from support.glyph_forms import GlyphReader
from support.libreoffice import PDF, WORD_2007, op
from pipeline.language import language_for

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WORD = "言骨言骨"
# 言 tells Japan's form (a bar on top) from the Chinese ones (a dot); 骨 tells Taiwan's from China's.
EXPECTED_FORMS = {"zh-TW": {"言": {"TW/CN"}, "骨": {"TW"}}, "ja": {"言": {"JP"}, "骨": {"JP"}}}
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None, reason="poppler-utils is not installed"
)


def _part(path: Path, name: str):
    return etree.fromstring(zipfile.ZipFile(path).read(name))


def assert_fonts_declared(path: Path, lang: str) -> None:
    fonts = language_for(lang).fonts
    styles = _part(path, "word/styles.xml")
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert defaults.find(f"{W}rFonts").get(f"{W}eastAsia") == fonts.face
    assert defaults.find(f"{W}lang").get(f"{W}eastAsia") == fonts.tag
    assert not [f for f in styles.iter(f"{W}rFonts") if f.get(f"{W}eastAsiaTheme")]  # no theme reference wins
    settings = _part(path, "word/settings.xml")
    assert settings.find(f"{W}themeFontLang").get(f"{W}eastAsia") == fonts.tag
    table = {f.get(f"{W}name"): f for f in _part(path, "word/fontTable.xml").findall(f"{W}font")}
    for face in fonts.faces:
        entry = table[face.name]
        assert entry.find(f"{W}charset").get(f"{W}val") == face.charset  # 88 Big5 / 80 Shift-JIS
        assert [child.tag[len(W):] for child in entry] == (["altName"] if face.alt_name else []) + [
            "panose1", "charset", "family", "pitch", "sig"]  # fmt: skip
    theme = zipfile.ZipFile(path).read("word/theme/theme1.xml").decode("utf-8")
    assert f'<a:ea typeface="{fonts.face}"/>' in theme


@pytest.mark.parametrize("lang", ["zh-TW", "ja"])
def test_review_and_published_documents_declare_the_languages_fonts(run, cli, lang):
    fonts = language_for(lang).fonts
    assert_fonts_declared(run.review(lang), lang)
    document = docx.Document(run.review(lang))
    for row in document.tables[0].rows[1:]:  # the target text: the language's face and East Asian language
        for r in row.cells[2]._tc.iter(f"{W}r"):
            rpr = r.find(f"{W}rPr")
            if rpr.find(f"{W}color") is not None:
                continue  # a span kept verbatim carries its own language's face
            assert rpr.find(f"{W}rFonts").get(f"{W}eastAsia") == fonts.face
            assert rpr.find(f"{W}lang").get(f"{W}eastAsia") == fonts.tag
    assert cli("publish", run.folder, "--to", lang, "--allow-unreviewed").exit_code == 0
    for name in (f"{SAMPLE.stem}.{lang}.docx", f"{SAMPLE.stem}.{lang}.bilingual.docx"):
        assert_fonts_declared(run.folder / name, lang)


# --------------------------------------------------------------------------------------------- rendered


@pytest.fixture(scope="module")
def glyphs(libreoffice, tmp_path_factory) -> GlyphReader:
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftoppm, pdftotext) is not installed")
    return GlyphReader(libreoffice, tmp_path_factory.mktemp("glyph-references"))


def forms_by_char(reader: GlyphReader, pdf: Path, workdir: Path) -> dict[str, set[str]]:
    """char → the forms seen; the rendered pages are left in `workdir` (PNG) for a person to look at."""
    found, pngs = reader.forms_of(pdf, workdir)
    assert pngs, f"no {WORD} found in {pdf}"
    seen: dict[str, set[str]] = {}
    for glyph in found:
        seen.setdefault(glyph.char, set()).add(glyph.form)
    return seen


@needs_poppler
@pytest.mark.parametrize("lang", ["zh-TW", "ja"])
def test_libreoffice_renders_each_languages_glyph_forms_in_the_review_document(run, libreoffice, glyphs, tmp_path, lang):
    """言 typed by a reviewer in a target cell, in the Notes and after the table: all in the language's form."""
    edited, pdf = tmp_path / "edited.docx", tmp_path / "edited.pdf"
    libreoffice.edit(
        run.review(lang),
        op.type_in_cell(1, 2, WORD),
        op.set_cell(2, 3, WORD),
        op.type_at_end(WORD),
        op.save(edited, WORD_2007),
    )
    libreoffice.convert(edited, pdf, PDF)
    found, _ = glyphs.forms_of(pdf, tmp_path / "png")
    assert len(found) >= 12, found  # three contexts, four characters each
    assert forms_by_char(glyphs, pdf, tmp_path / "png") == EXPECTED_FORMS[lang]


@needs_poppler
def test_the_glyph_reader_tells_the_three_forms_apart(run, libreoffice, glyphs, tmp_path):
    """The control: the same zh-TW review document with its target cell's East Asian language set to ja-JP, then
    zh-CN, shows those forms, so the assertions above can fail."""
    for tag, expected in (("ja-JP", {"言": {"JP"}, "骨": {"JP"}}), ("zh-CN", {"言": {"TW/CN"}, "骨": {"CN"}})):
        document = docx.Document(run.review("zh-TW"))
        cell = document.tables[0].rows[1].cells[2]
        edit.replace_text(cell, WORD)
        for lang in cell._tc.iter(qn("w:lang")):
            lang.set(qn("w:eastAsia"), tag)
        path = tmp_path / f"{tag}.docx"
        document.save(path)
        pdf = libreoffice.convert(path, tmp_path / f"{tag}.pdf", PDF)
        assert forms_by_char(glyphs, pdf, tmp_path / tag) == expected, tag


@needs_poppler
@pytest.mark.parametrize("lang", ["zh-TW", "ja"])
def test_libreoffice_renders_each_languages_glyph_forms_in_the_published_documents(run, cli, libreoffice, glyphs, tmp_path, lang):
    sid = next(
        s["id"] for s in run.manifest["segments"][2:]
        if not s["targets"][lang]["terms"] and s["targets"][lang]["origin"] == "machine"
    )  # fmt: skip
    document = docx.Document(run.review(lang))
    edit.replace_text(edit.target_cell(document, sid), f"KMU {WORD}。")  # a space: its own word in the PDF
    reviewed = tmp_path / f"{lang}.docx"
    document.save(reviewed)
    assert cli("review", "import", reviewed, "--manifest", run.folder).exit_code == 0
    assert cli("publish", run.folder, "--to", lang, "--allow-unreviewed").exit_code == 0
    for name in (f"{SAMPLE.stem}.{lang}.docx", f"{SAMPLE.stem}.{lang}.bilingual.docx"):
        pdf = libreoffice.convert(run.folder / name, tmp_path / f"{name}.pdf", PDF)
        assert forms_by_char(glyphs, pdf, tmp_path / name) == EXPECTED_FORMS[lang], name


def test_a_docx_release_published_on_its_own_document_declares_the_languages_fonts(tmp_path, cli):
    from support import formatted_release as fr
    from support.scripted_runs import run_and_review

    folder_in = tmp_path / "releases"
    folder_in.mkdir()
    release = fr.build_docx(folder_in / "formatted.docx")
    folder = run_and_review(release, tmp_path / "out", cli)
    result = cli("publish", folder, "--no-memory")
    assert result.exit_code == 0, result.output
    for lang in ("zh-TW", "ja"):
        assert_fonts_declared(folder / f"{release.stem}.{lang}.docx", lang)
