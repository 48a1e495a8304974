"""East Asian fonts and language for review and published documents, so every editor shows the right glyph forms.

Traditional Chinese (Taiwan) and Japanese share code points but not glyph forms (言: a dot on top in Taiwan's
standard, a bar in Japan's). An editor picks the forms from the font it resolves and from the text's East Asian
language, and each resolves a missing font differently:

* **Word (Windows)** uses the face named in the run (`rFonts/@w:eastAsia`) when installed: Microsoft JhengHei
  for zh-TW and Yu Mincho for ja ship with Windows 8.1 and later.
* **Word (macOS, older Windows)** substitutes a missing face from the document's font table: its `w:charset`
  (136 = 0x88 Big5 for Traditional Chinese, 128 = 0x80 Shift-JIS for Japanese), `w:sig` code-page bits, `w:panose1`
  and `w:altName` (the localised name). So the table lists the named face and the faces that stand in for it on
  other systems (PMingLiU, PingFang TC, Noto Sans CJK TC; Hiragino Mincho ProN, Noto Serif/Sans CJK JP), each with
  the charset of its script.
* **LibreOffice** ignores `w:altName`, panose and sig (writerfilter's FontTable.cxx) and asks fontconfig (Linux)
  or CoreText (macOS) for a face covering the text in its **East Asian language**: `w:lang/@w:eastAsia` of the
  run, else the document defaults, else `w:themeFontLang`. python-docx's template says `ja-JP` there and `en-US`
  in the defaults, so text without its own language (typed in a new paragraph, a footer) came out Japanese in a
  zh-TW document.

`apply_east_asian_fonts(doc, fonts)` therefore sets, for the document's language: the document defaults (East Asian
face named explicitly instead of through the theme, `w:lang/@w:eastAsia`), every style's East Asian slot that
pointed at a theme font, `w:themeFontLang/@w:eastAsia`, the theme's East Asian typefaces, and the font-table
entries. Runs keep naming the record's `fonts.face` with `w:lang/@w:eastAsia` = `fonts.tag` (both writers do).
Proof: tests/docx/test_fonts_rendered.py renders both documents with LibreOffice and reads 言's form off the pixels.

The facts (which faces, charsets and tags each language has) are the language registry's: the caller passes
`pipeline.language.language_for(lang).fonts` (docx/ imports nothing of the pipeline but pipeline.core).
"""

from __future__ import annotations

from typing import Protocol

from docx.oxml.ns import qn
from lxml import etree

__all__ = ["EastAsianFaces", "FontFace", "apply_east_asian_fonts"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"


class FontFace(Protocol):
    """One `w:font` entry of the font table (a language record's `Face`: pipeline/language/base.py)."""

    name: str
    alt_name: str | None  # the localised name Word writes in w:altName
    charset: str
    family: str  # roman (serif), swiss (sans), modern
    panose: str
    usb: tuple[str, str, str, str]  # Unicode-range bits
    csb0: str  # code-page bits: the script the face is for


class EastAsianFaces(Protocol):
    """What this module writes (a language record's `fonts`: pipeline/language/base.py `EastAsianFonts`)."""

    tag: str  # w:lang/@w:eastAsia, w:themeFontLang/@w:eastAsia
    face: str  # rFonts/@w:eastAsia of every run and of the document defaults
    faces: tuple[FontFace, ...]  # font-table entries: `face` first, then its stand-ins on other systems


def apply_east_asian_fonts(doc, fonts: EastAsianFaces | None) -> None:
    """Make `doc` (a python-docx Document) name the East Asian face and language of `fonts` (a language record's
    `fonts`) everywhere an editor looks (see the module docstring). None (a language without East Asian fonts)
    leaves `doc` as it is."""
    if fonts is None:
        return
    styles = doc.styles.element
    defaults = styles.find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr")
    if defaults is not None:
        _east_asian_slot(defaults, fonts.face, create=True)
        lang_element = defaults.find(qn("w:lang"))
        if lang_element is not None:
            lang_element.set(qn("w:eastAsia"), fonts.tag)
    for rfonts in styles.iter(qn("w:rFonts")):
        if rfonts.get(qn("w:eastAsiaTheme")) is not None:  # Word lets a theme reference win over a face name
            del rfonts.attrib[qn("w:eastAsiaTheme")]
            rfonts.set(qn("w:eastAsia"), fonts.face)
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), fonts.tag)
    for rel in doc.part.rels.values():
        if rel.is_external:
            continue
        if rel.reltype.endswith("/fontTable"):
            _rewrite_part(rel.target_part, lambda root: _font_table(root, fonts))
        elif rel.reltype.endswith("/theme"):
            _rewrite_part(rel.target_part, lambda root: _theme(root, fonts))


def _east_asian_slot(rpr, face: str, *, create: bool) -> None:
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        if not create:
            return
        rfonts = etree.SubElement(rpr, qn("w:rFonts"))
        rpr.insert(0, rfonts)
    rfonts.attrib.pop(qn("w:eastAsiaTheme"), None)
    rfonts.set(qn("w:eastAsia"), face)


def _rewrite_part(part, change) -> None:
    """Edit a part python-docx keeps as bytes (font table, theme)."""
    root = etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False, no_network=True))
    change(root)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _font_table(root, fonts: EastAsianFaces) -> None:
    for face in fonts.faces:
        for old in root.findall(f"{{{W}}}font"):
            if old.get(f"{{{W}}}name") == face.name:
                root.remove(old)
        font = etree.SubElement(root, f"{{{W}}}font")
        font.set(f"{{{W}}}name", face.name)
        # CT_Font's children in schema order: altName, panose1, charset, family, notTrueType, pitch, sig.
        if face.alt_name:
            etree.SubElement(font, f"{{{W}}}altName").set(f"{{{W}}}val", face.alt_name)
        etree.SubElement(font, f"{{{W}}}panose1").set(f"{{{W}}}val", face.panose)
        etree.SubElement(font, f"{{{W}}}charset").set(f"{{{W}}}val", face.charset)
        etree.SubElement(font, f"{{{W}}}family").set(f"{{{W}}}val", face.family)
        etree.SubElement(font, f"{{{W}}}pitch").set(f"{{{W}}}val", "variable")
        sig = etree.SubElement(font, f"{{{W}}}sig")
        for name, value in zip(("usb0", "usb1", "usb2", "usb3"), face.usb):
            sig.set(f"{{{W}}}{name}", value)
        sig.set(f"{{{W}}}csb0", face.csb0)
        sig.set(f"{{{W}}}csb1", "00000000")


def _theme(root, fonts: EastAsianFaces) -> None:
    """The theme's major and minor East Asian typeface: what a style or run that names a theme font resolves to."""
    for ea in root.iter(f"{{{A}}}ea"):
        ea.set("typeface", fonts.face)
