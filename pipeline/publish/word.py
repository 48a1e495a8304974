"""What the Word formats of publishing share (formats/docx_plain.py, bilingual.py, docx_inplace.py): runs in the
target's fonts and language, runs carrying inline formatting and links, a new A4 document, the warning banners,
the core properties, and saving.
"""

from __future__ import annotations

import copy
import io
from datetime import datetime, timezone
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from pipeline.core.release import Mark
from pipeline.core.web_safety import publishable_marks
from pipeline.docx.fonts import apply_east_asian_fonts
from pipeline.language import find_language
from pipeline.docx.ooxml import RPR_ORDER, child, set_fonts, set_lang
from pipeline.docx.stories import RT_HYPERLINK, W
from pipeline.files.atomic import atomic_output
from pipeline.publish.plan import LanguagePlan
from pipeline.review.write.writer import ENGLISH_LANG, clean_text, language_style
from pipeline.translation.inline_tags import remap_marks

__all__ = [
    "DOCUMENT_CATEGORY",
    "docx_lang_tag",
    "UNREVIEWED_STATUS",
    "add_banners",
    "add_marked_runs",
    "add_run",
    "apply_kinds",
    "format_run",
    "make_run",
    "marked_runs",
    "new_document",
    "published_text",
    "save_document",
    "set_core_properties",
    "set_run_fonts",
    "style_ids",
]

DOCUMENT_CATEGORY = "published"  # the core property `category` of the publishable document
UNREVIEWED_STATUS = "contains unreviewed machine translation"
LATIN_FONT = "Calibri"


def docx_lang_tag(lang: str) -> str:
    """w:lang of a target's runs: the language record's (ko-KR, ja-JP); a language without a record, its code."""
    language = find_language(lang)
    return language.docx_lang if language else lang


def east_asian_fonts_of(lang: str):
    """The language record's East Asian fonts, or None (a language without a record or without CJK fonts)."""
    language = find_language(lang)
    return language.fonts if language else None
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


# --------------------------------------------------------------------------------------------- runs


def set_run_fonts(rpr, east_asia: str | None, lang_tag: str) -> None:
    """The target's fonts and language on run properties `rpr`. In a CJK target (one with an East Asian font) the
    language of Latin letters (`w:lang/@w:val`) is English, as in the review document: they are names and titles
    ("Hepatology"), and a Latin word said to be Japanese is broken anywhere by LibreOffice's Japanese line
    breaking ("Hepatolo | gy" at the end of a line). The CJK text's own language is `w:eastAsia`."""
    fonts = child(rpr, "w:rFonts", RPR_ORDER)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    set_fonts(rpr, latin=LATIN_FONT, east_asia=east_asia, hint_east_asia=True)
    set_lang(rpr, val=ENGLISH_LANG if east_asia else lang_tag, east_asia=lang_tag if east_asia else None)


def add_run(
    paragraph, text: str, east_asia: str | None, lang_tag: str, *, bold=None, size=None, color=None, highlight=None
):
    run = paragraph.add_run(clean_text(text)[0])
    format_run(run, (east_asia, lang_tag, bold, size, color, highlight))
    return run


def format_run(run, look: tuple) -> None:
    """`look`: (east_asia, lang_tag, bold, size, color, highlight), as `add_run` takes them."""
    east_asia, lang_tag, bold, size, color, highlight = look
    set_run_fonts(run._r.get_or_add_rPr(), east_asia, lang_tag)
    if bold is not None:
        run.font.bold = bold
    if size is not None:
        run.font.size = size
    if color is not None:
        run.font.color.rgb = color
    if highlight is not None:
        run.font.highlight_color = highlight


def apply_kinds(rpr, kinds) -> None:
    """Inline formatting kinds (b, i, u, sup, sub) as run properties."""
    for kind in kinds:
        if kind in ("b", "i"):
            child(rpr, f"w:{kind}", RPR_ORDER)
            child(rpr, f"w:{kind}Cs", RPR_ORDER)
        elif kind == "u":
            child(rpr, "w:u", RPR_ORDER).set(W + "val", "single")
        elif kind in ("sup", "sub"):
            child(rpr, "w:vertAlign", RPR_ORDER).set(W + "val", "superscript" if kind == "sup" else "subscript")


def make_run(text: str, base, kinds, east_asia, lang_tag, *, highlight: bool, style: str | None):
    """A w:r with the properties `base`, `kinds`, the target's fonts and language; tabs as w:tab."""
    r = OxmlElement("w:r")
    rpr = copy.deepcopy(base)
    if style:
        child(rpr, "w:rStyle", RPR_ORDER).set(W + "val", style)
    apply_kinds(rpr, kinds)
    set_run_fonts(rpr, east_asia, lang_tag)
    if highlight:
        child(rpr, "w:highlight", RPR_ORDER).set(W + "val", "yellow")
    r.append(rpr)
    for k, piece in enumerate(text.split("\t")):
        if k:
            r.append(OxmlElement("w:tab"))
        if piece:
            t = OxmlElement("w:t")
            t.text = piece
            t.set(XML_SPACE, "preserve")
            r.append(t)
    return r


def marked_runs(part, text: str, marks: list[Mark], highlights, base, styles: set[str], east_asia, lang_tag) -> list:
    """Runs for `text` with `marks`; consecutive pieces under one link go into one w:hyperlink (a link whose URL
    may not be published, pipeline/core/web_safety.py, is left out: its text stays)."""
    marks = publishable_marks(marks)
    cleaned = clean_text(text)[0]
    if len(cleaned) != len(text):
        marks, highlights = remap_marks(text, cleaned, marks), [(0, len(cleaned))] if highlights else []
    text = cleaned
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks),
                   *(h for span in highlights for h in span)})
    out: list = []
    link_el, link_href = None, None
    for a, b in zip(cuts, cuts[1:]):
        if a >= b:
            continue
        active = [m for m in marks if m.start <= a and b <= m.end]
        href = next((m.href for m in active if m.kind == "a" and m.href), None)
        kinds = {m.kind for m in active if m.kind != "a"}
        highlight = any(s <= a and b <= e for s, e in highlights)
        run = make_run(text[a:b], base, kinds, east_asia, lang_tag, highlight=highlight,
                       style="Hyperlink" if href and "Hyperlink" in styles else None)
        if href and "Hyperlink" not in styles:
            rpr = run.find(W + "rPr")
            child(rpr, "w:color", RPR_ORDER).set(W + "val", "0563C1")
            child(rpr, "w:u", RPR_ORDER).set(W + "val", "single")
        if href:
            if link_el is None or link_href != href:
                link_el = OxmlElement("w:hyperlink")
                link_el.set("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
                            part.relate_to(href, RT_HYPERLINK, is_external=True))
                link_el.set(W + "history", "1")
                link_href = href
                out.append(link_el)
            link_el.append(run)
        else:
            link_el, link_href = None, None
            out.append(run)
    return out


def style_ids(document) -> set[str]:
    try:
        return {s.get(W + "styleId") for s in document.styles.element.iterchildren(W + "style")}
    except Exception:
        return set()


def add_marked_runs(paragraph, text: str, marks: list[Mark], east_asia, lang_tag, *, highlight: bool) -> None:
    """Typeset text with inline formatting appended to a python-docx paragraph: runs, links as w:hyperlink."""
    rpr = OxmlElement("w:rPr")
    styles = style_ids(paragraph.part.document) if hasattr(paragraph.part, "document") else set()
    spans = [(0, len(text))] if highlight else []
    for element in marked_runs(paragraph.part, text, marks, spans, rpr, styles, east_asia, lang_tag):
        paragraph._p.append(element)


# --------------------------------------------------------------------------------------------- documents


def new_document(lang: str):
    """(document, East Asian font, language tag): an empty A4 document typeset for `lang`."""
    east_asia = language_style(lang).east_asia_font
    tag = docx_lang_tag(lang)
    doc = docx.Document()
    apply_east_asian_fonts(doc, east_asian_fonts_of(lang))  # defaults, theme language, font table (same as the review document)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin = section.bottom_margin = Mm(25)
    for name in ("Normal", "Heading 1", "Title"):
        try:
            style = doc.styles[name]
        except KeyError:
            continue
        set_run_fonts(style.element.get_or_add_rPr(), east_asia, tag)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(8)
    normal.paragraph_format.line_spacing = 1.4
    return doc, east_asia, tag


def add_banners(doc, lines: list[str], east_asia) -> None:
    """The warning lines (LanguagePlan.banners) in red at the end of `doc` (an empty document: its top)."""
    for line in lines:
        p = doc.add_paragraph()
        add_run(p, line, east_asia, "en-US", bold=True, size=Pt(13), color=RGBColor(0xC0, 0x00, 0x00))


def set_core_properties(doc, plan: LanguagePlan, title: str, category: str) -> None:
    """Title, language, run, category, whether it holds unreviewed text (status, keywords, the banners)."""
    manifest, lang = plan.manifest, plan.lang
    unreviewed = bool(plan.blocking)
    props = doc.core_properties
    # clean_text: a release name that is not valid UTF-8 holds lone surrogates XML cannot hold
    props.title = clean_text(title)[0][:255]
    props.language = lang
    props.identifier = manifest.get("run_id", "")
    props.category = category
    props.subject = clean_text(f"{manifest.get('release', '')} → {lang}")[0][:255]
    props.content_status = UNREVIEWED_STATUS if unreviewed else "reviewed"
    props.keywords = f"{category}; {lang}; run {manifest.get('run_id', '')}" + ("; unreviewed" if unreviewed else "")
    props.comments = " ".join(plan.banners())[:255]
    props.author = props.last_modified_by = "translation pipeline"
    props.revision = 1
    now = datetime.now(timezone.utc)
    props.created = props.modified = now


def save_document(doc, path: Path) -> Path:
    # Saved in memory, then written: python-docx never closes its ZipFile when a write fails, so on a full disk
    # that ZipFile's finalizer tried the write again at exit ("Exception ignored in: ZipFile.__del__ … OSError"
    # after the one-line message, issue 22). A package in memory cannot fail that way; our own write can.
    package = io.BytesIO()
    doc.save(package)
    with atomic_output(path) as temporary, open(temporary, "wb") as handle:
        handle.write(package.getbuffer())
    return path


def published_text(path: Path) -> list[str]:
    """The paragraphs of a published document (banner lines included), for tests and checks."""
    return [p.text for p in docx.Document(str(path)).paragraphs]
