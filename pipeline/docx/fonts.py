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
entries. Runs keep naming `east_asian_fonts(lang).face` with `w:lang/@w:eastAsia` = `.tag` (both writers do).
Proof: tests/docx/test_fonts_rendered.py renders both documents with LibreOffice and reads 言's form off the pixels.

The facts (which faces, charsets and tags each language has) are the language registry's: the caller passes
`pipeline.language.language_for(lang).fonts` (docx/ imports nothing of the pipeline but pipeline.core). `FONTS`
below is transitional: callers that still pass a language code are looked up there until they pass the record's
fonts (LANGUAGE_TODO.md), then it goes.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.oxml.ns import qn
from lxml import etree

__all__ = ["EastAsianFonts", "Face", "FONTS", "apply_east_asian_fonts", "east_asian_fonts"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
BIG5, SHIFT_JIS = "88", "80"  # w:charset values (Windows charsets 136 and 128)
CSB_BIG5, CSB_JIS = "00100000", "00020000"  # OS/2 ulCodePageRange1 bits 20 (Big5) and 17 (JIS)


@dataclass(frozen=True)
class Face:
    """One `w:font` entry of the font table."""

    name: str
    alt_name: str | None  # the localised name Word writes in w:altName
    charset: str
    family: str  # roman (serif), swiss (sans), modern
    panose: str
    usb: tuple[str, str, str, str]  # Unicode-range bits
    csb0: str  # code-page bits: the script the face is for


@dataclass(frozen=True)
class EastAsianFonts:
    lang: str  # the pipeline's language code
    tag: str  # w:lang/@w:eastAsia, w:themeFontLang/@w:eastAsia
    face: str  # rFonts/@w:eastAsia of every run and of the document defaults
    faces: tuple[Face, ...]  # font-table entries: `face` first, then its stand-ins on other systems


_CJK_USB = ("A00002FF", "28CFFCFA", "00000016", "00000000")
# Transitional copy of the registry's zh-TW and ja fonts (pipeline/language/zh_tw.py, ja.py; a test keeps them equal).
FONTS: dict[str, EastAsianFonts] = {
    "zh-TW": EastAsianFonts(
        "zh-TW",
        "zh-TW",
        "Microsoft JhengHei",
        (
            Face("Microsoft JhengHei", "微軟正黑體", BIG5, "swiss", "020B0604030504040204", ("000002A7", "28CF4400", "00000016", "00000000"), CSB_BIG5),
            Face("PMingLiU", "新細明體", BIG5, "roman", "02020500000000000000", _CJK_USB, CSB_BIG5),
            Face("PingFang TC", "蘋方-繁", BIG5, "swiss", "020B0400000000000000", _CJK_USB, CSB_BIG5),
            Face("Noto Sans CJK TC", None, BIG5, "swiss", "020B0500000000000000", _CJK_USB, CSB_BIG5),
        ),
    ),
    "ja": EastAsianFonts(
        "ja",
        "ja-JP",
        "Yu Mincho",
        (
            Face("Yu Mincho", "游明朝", SHIFT_JIS, "roman", "02020400000000000000", ("800002E7", "2AC7FCFF", "00000012", "00000000"), CSB_JIS),
            Face("Hiragino Mincho ProN", "ヒラギノ明朝 ProN", SHIFT_JIS, "roman", "02020300000000000000", _CJK_USB, CSB_JIS),
            Face("Noto Serif CJK JP", None, SHIFT_JIS, "roman", "02020400000000000000", _CJK_USB, CSB_JIS),
            Face("Noto Sans CJK JP", None, SHIFT_JIS, "swiss", "020B0500000000000000", _CJK_USB, CSB_JIS),
        ),
    ),
}  # fmt: skip


def east_asian_fonts(lang: str) -> EastAsianFonts | None:
    """Transitional: the fonts of zh-TW or ja by code; the registry's `language_for(lang).fonts` replaces it."""
    return FONTS.get(lang)


def apply_east_asian_fonts(doc, fonts: EastAsianFonts | str | None) -> None:
    """Make `doc` (a python-docx Document) name the East Asian face and language of `fonts` (a language record's
    `fonts`: any object with this module's EastAsianFonts fields) everywhere an editor looks (see the module
    docstring). None (a language without East Asian fonts) leaves `doc` as it is; a language code is transitional."""
    if isinstance(fonts, str):
        fonts = east_asian_fonts(fonts)
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


def _font_table(root, fonts: EastAsianFonts) -> None:
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


def _theme(root, fonts: EastAsianFonts) -> None:
    """The theme's major and minor East Asian typeface: what a style or run that names a theme font resolves to."""
    for ea in root.iter(f"{{{A}}}ea"):
        ea.set("typeface", fonts.face)
