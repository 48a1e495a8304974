"""The review document: one .docx per target language that a reviewer edits in Word.

Layout (A4 landscape):

* a header block: title, source file, generation date, run id, model package and version (and converter),
  glossary file and hash, things ingest skipped, and - for a demo model - a red banner saying the target column
  is NOT a translation;
* one table, columns ID | English | <target language> | Notes | OK? (the row's approval mark, approval.py), the
  header row repeated on every page, every row
  kept on one page, exactly one row per segment, in segment order, and no other rows.

What the review import relies on:

* The ID cell's text is exactly the segment id.
* Cell text is written as runs whose `w:t` hold the text; a tab is written as `w:tab`, a line feed as `w:br`,
  a carriage return as `w:cr`. Reading `w:t` (plus `w:tab` → "\\t", `w:br` → "\\n", `w:cr` → "\\r") gives the
  written text back exactly.
* Characters XML cannot hold (C0 controls other than tab/LF/CR, U+FFFE, U+FFFF, lone surrogates) are removed,
  and the row's Notes say "control characters removed".
* `core_properties.identifier` is the run id, `title` the release name, `language` the target language code.

Paragraph boundaries: the first row of each source paragraph has a thicker top border across all its cells and
its ID in bold; no separator rows are added, so every body row is a segment.

Scale: the body rows are built as XML one at a time (`_segment_row`, pipeline/docx/table_xml.py) and
`write_review_docx` streams them into the file (pipeline/docx/streaming.py), so writing time per segment is
flat and memory does not grow with the release (benchmarks/RESULTS.md, issue 14).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from pipeline.files.atomic import atomic_output
from pipeline.core.release import VERBATIM, Segment, TranslatedRelease, Translation
from pipeline.review.approval import STATUS_COLUMN
from pipeline.docx.streaming import marker, save_streamed
from pipeline.docx.fonts import FONTS, apply_east_asian_fonts
from pipeline.docx.ooxml import cell_shading, row_flags, set_fonts, set_lang
from pipeline.docx.table_xml import RunLooks, cell_element, element, grid_widths, paragraph_element, row_element
from pipeline.docx.table_xml import text_into as _append_text
from pipeline.docx.table_xml import w
from pipeline.review.marks import char_formats, document_links
from lxml import etree

_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

__all__ = [
    "DEMO_WARNING",
    "LanguageStyle",
    "build_review_document",
    "clean_text",
    "language_style",
    "segment_notes",
    "write_review_docx",
]

DEMO_WARNING = "DEMO MODEL — the target column is a copy of the English, NOT a translation."
CONTROL_NOTE = "[control-characters] control characters removed"
NO_GLOSSARY = "none (run with --no-glossary: names were not checked against a glossary)"

LATIN_FONT = "Calibri"
ENGLISH_LANG = "en-US"

APPROVED_HIGHLIGHT = WD_COLOR_INDEX.YELLOW
PROPOSED_HIGHLIGHT = WD_COLOR_INDEX.TURQUOISE
VERBATIM_COLOR = RGBColor(0x80, 0x80, 0x80)
LINK_COLOR = RGBColor(0x05, 0x63, 0xC1)
DEMO_COLOR = RGBColor(0xC0, 0x00, 0x00)

# A4 landscape, widths of ID | English | target | Notes (sum = page width - margins = 261 mm).
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Mm(297), Mm(210), Mm(18)
COLUMN_WIDTHS = (Mm(22), Mm(92), Mm(93), Mm(40), Mm(14))  # ID | English | target | Notes | OK? (approval.py)
BODY_SIZE, NOTES_SIZE = Pt(10), Pt(8.5)
PARAGRAPH_BORDER = {"val": "single", "sz": "12", "space": "0", "color": "404040"}  # 1.5 pt
HEADER_FILL = "D9D9D9"


@dataclass(frozen=True)
class LanguageStyle:
    code: str
    display: str  # in the title line
    column: str  # the target column's header
    east_asia_font: str | None  # rFonts/@w:eastAsia of target runs
    east_asia_lang: str | None  # w:lang/@w:eastAsia of target runs
    latin_lang: str  # w:lang/@w:val of target runs


_LANGUAGES = {  # East Asian face and language tag: pipeline/docx/fonts.py (shared with publish)
    "zh-TW": LanguageStyle(
        "zh-TW", "Traditional Chinese (繁體中文)", "繁體中文", FONTS["zh-TW"].face, FONTS["zh-TW"].tag, ENGLISH_LANG
    ),
    "ja": LanguageStyle("ja", "Japanese (日本語)", "日本語", FONTS["ja"].face, FONTS["ja"].tag, ENGLISH_LANG),
}


def language_style(lang: str) -> LanguageStyle:
    """Fonts and labels for a target language; unknown codes get their code as label and no East Asian font."""
    return _LANGUAGES.get(lang) or LanguageStyle(lang, lang, lang, None, None, lang)


# --------------------------------------------------------------------------------------------- text cleaning

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean_text(text: str) -> tuple[str, bool]:
    """`text` without the characters an XML document cannot hold, and whether any were removed."""
    cleaned = _XML_ILLEGAL.sub("", text)
    return cleaned, len(cleaned) != len(text)


def _clean(text: str) -> str:
    return clean_text(text)[0]


@dataclass(frozen=True)
class _RunStyle:
    """How one column's runs look; `highlight`/`verbatim` vary within a cell."""

    east_asia_font: str | None
    lang_val: str
    lang_east_asia: str | None
    hint_east_asia: bool = False
    size: Pt = BODY_SIZE
    bold: bool = False


# Faces for text kept verbatim in another language (the Chinese dateline), whatever the document's language.
_VERBATIM_FACES = {
    "zh": ("Microsoft JhengHei", "zh-TW"),  # a Taiwanese university's releases: Traditional by default
    "zh-tw": ("Microsoft JhengHei", "zh-TW"),
    "zh-hant": ("Microsoft JhengHei", "zh-TW"),
    "zh-cn": ("Microsoft YaHei", "zh-CN"),
    "zh-hans": ("Microsoft YaHei", "zh-CN"),
    "ja": ("Yu Mincho", "ja-JP"),
    "ko": ("Malgun Gothic", "ko-KR"),
}


@dataclass(frozen=True)
class _Look:
    """Everything that decides how one run looks (the key of the table's `RunLooks`)."""

    style: _RunStyle
    highlight: object = None
    verbatim: bool | str = False  # True, or the verbatim text's language ("" if unknown)
    bold: bool | None = None  # None: the style's
    marks: frozenset = frozenset()  # inline formatting kinds: b, i, u, sup, sub, link (review_marks.py)


def _format_run(run: Run, look: _Look) -> None:
    style, highlight, verbatim, bold = look.style, look.highlight, look.verbatim, look.bold
    rpr = run._r.get_or_add_rPr()
    east_asia_font, east_asia_lang = style.east_asia_font, style.lang_east_asia
    if isinstance(verbatim, str) and verbatim.lower() in _VERBATIM_FACES:
        east_asia_font, east_asia_lang = _VERBATIM_FACES[verbatim.lower()]
    set_fonts(rpr, latin=LATIN_FONT, east_asia=east_asia_font, hint_east_asia=style.hint_east_asia)
    if style.bold if bold is None else bold:
        run.font.bold = True
    if verbatim is not False:
        run.font.italic = True
        run.font.color.rgb = VERBATIM_COLOR
    run.font.size = style.size
    _format_marks(run, look.marks)
    if highlight is not None:
        run.font.highlight_color = highlight
    set_lang(rpr, val=style.lang_val, east_asia=east_asia_lang)


def _format_marks(run: Run, marks: frozenset) -> None:
    if "b" in marks:
        run.font.bold = True
    if "i" in marks:
        run.font.italic = True
    if "u" in marks or "link" in marks:
        run.font.underline = True
    if "link" in marks:
        run.font.color.rgb = LINK_COLOR
    if "sup" in marks:
        run.font.superscript = True
    if "sub" in marks:
        run.font.subscript = True


def _add_run(
    p: DocxParagraph,
    text: str,
    style: _RunStyle,
    *,
    highlight=None,
    verbatim: bool | str = False,
    bold: bool | None = None,
):
    """A run at the end of python-docx paragraph `p` (header block, footer, header row; body rows: `_segment_row`)."""
    run = p.add_run()
    _format_run(run, _Look(style, highlight, verbatim, bold))
    _append_text(run._r, text)
    return run


# --------------------------------------------------------------------------------------------- marking text


def _highlight_for(status: str):
    return APPROVED_HIGHLIGHT if status == "approved" else PROPOSED_HIGHLIGHT


def _pieces(text: str, highlights: list, verbatim: list, formats: list | None = None) -> list[tuple[str, object, bool | str, frozenset]]:
    """Split `text` into maximal pieces of equal (highlight, verbatim, inline formatting) marks."""
    formats = formats or [frozenset()] * len(text)
    pieces: list[tuple[str, object, bool, frozenset]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or highlights[i] != highlights[start] or verbatim[i] != verbatim[start] or formats[i] != formats[start]:
            pieces.append((text[start:i], highlights[start], verbatim[start], formats[start]))
            start = i
    return pieces


def _mark_range(marks: list, start: int, end: int, value, *, only_if_free: bool) -> bool:
    if only_if_free and any(m is not None for m in marks[start:end]):
        return False
    for i in range(start, end):
        if marks[i] is None:
            marks[i] = value
    return True


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    found, at = [], 0
    if not needle:
        return found
    while (i := text.find(needle, at)) >= 0:
        found.append((i, i + len(needle)))
        at = i + len(needle)
    return found


def _source_pieces(segment: Segment, translation: Translation | None):
    text = segment.source
    highlights: list = [None] * len(text)
    verbatim: list[bool | str] = [False] * len(text)
    for term in translation.terms if translation else []:
        start, end = term.start, term.end
        if not (0 <= start < end <= len(text)):
            start = text.find(term.source) if term.source else -1
            end = start + len(term.source)
        if start >= 0:
            _mark_range(highlights, start, end, _highlight_for(term.status), only_if_free=False)
    for span in segment.verbatim_spans():
        for i in range(max(0, span.start), min(len(text), span.end)):
            verbatim[i] = span.lang or ""
    return _pieces(text, highlights, verbatim, char_formats(text, segment.marks))


def _target_pieces(segment: Segment, translation: Translation | None):
    text = translation.text if translation else ""
    highlights: list = [None] * len(text)
    verbatim: list[bool | str] = [False] * len(text)
    for term in sorted(translation.terms if translation else [], key=lambda t: -len(t.target)):
        for start, end in _occurrences(text, term.target):
            _mark_range(highlights, start, end, _highlight_for(term.status), only_if_free=True)
    if segment.verbatim:
        verbatim = [segment.spans[0].lang or ""] * len(text)
    else:
        for span in segment.verbatim_spans():
            for start, end in _occurrences(text, segment.source[span.start : span.end]):
                for i in range(start, end):
                    verbatim[i] = span.lang or ""
    return _pieces(text, highlights, verbatim, char_formats(text, translation.marks if translation else []))


def _write_pieces(looks: RunLooks, pieces, style: _RunStyle) -> tuple[list, bool]:
    """A cell's paragraphs holding `pieces` as runs, and whether control characters were removed."""
    removed = False
    p = paragraph_element()
    link = None
    for text, highlight, verbatim, formats in pieces:
        cleaned, changed = clean_text(text)
        removed |= changed
        if cleaned:
            href = next((h for kind, h in formats if kind == "a"), None)
            kinds = frozenset(kind for kind, _ in formats if kind != "a") | ({"link"} if href else set())
            into = p
            rid = getattr(looks, "links", {}).get(href) if href else None
            if rid:
                if link is None or link[0] != href:
                    link = (href, etree.SubElement(p, w("hyperlink")))
                    link[1].set(f"{{{_R_NS}}}id", rid)
                into = link[1]
            else:
                link = None
            looks.run(cleaned, _Look(style, highlight, verbatim, marks=kinds), into=into)
    if not len(p):
        looks.run("", _Look(style), into=p)  # an empty run still carries the fonts for what the reviewer types
    return [p], removed


# --------------------------------------------------------------------------------------------- notes


def segment_notes(segment: Segment, translation: Translation | None) -> list[str]:
    """The Notes cell lines the review document gives `segment` (the importer subtracts them from what it reads)."""
    lines: list[str] = []
    if translation is None:
        lines.append("[missing] no translation was produced for this segment")
    else:
        lines += [f"[{flag.code}] {flag.message}" for flag in translation.flags]
        for term in translation.terms:
            line = f"Glossary: {term.source} → {term.target}"
            if term.status != "approved":
                line += f" ({term.status} — confirm)"
            lines.append(line)
        if translation.suggestion:
            lines.append(f"TM suggestion: {translation.suggestion}")
    if segment.verbatim:
        langs = sorted({s.lang for s in segment.spans if s.lang})
        lines.append(f"Kept verbatim ({', '.join(langs)})" if langs else "Kept verbatim")
    else:
        for span in segment.verbatim_spans():
            quoted = segment.source[span.start : span.end]
            quoted = quoted if len(quoted) <= 40 else quoted[:39] + "…"
            lines.append(f"Kept verbatim ({span.lang}): {quoted}" if span.lang else f"Kept verbatim: {quoted}")
    return list(dict.fromkeys(lines))  # drop repeats, keep order


# --------------------------------------------------------------------------------------------- table


# The body rows are lxml elements appended to the table (pipeline/docx/table_xml.py): python-docx's
# table.add_row()/row.cells cost grows with the table, which made long releases quadratic (issue 14).
#
# To add a column: give it a width in COLUMN_WIDTHS (they must sum to 261 mm), a header label in `_header_labels`,
# and a cell in `_segment_row` (a list of `w:p` elements, usually from `_text_cell` or `_write_pieces`) at the
# same position; the reader finds columns by position (reader.COLUMNS), so a new column goes after Notes unless
# the reader changes with it.


@dataclass(frozen=True)
class _Styles:
    """The run styles of one review document's table."""

    english: _RunStyle
    target: _RunStyle
    notes: _RunStyle
    header: _RunStyle


def _header_labels(ls: LanguageStyle) -> tuple[str, ...]:
    return ("ID", "English", ls.column, "Notes", STATUS_COLUMN)


def _paragraph_top_border():
    """`w:tcBorders` with the thick top line that marks the first row of a source paragraph."""
    borders = element("tcBorders")
    borders.append(element("top", **PARAGRAPH_BORDER))
    return borders


def _text_cell(looks: RunLooks, lines: list[str], look: _Look) -> list:
    """One paragraph per line, each one run; no lines: one empty paragraph."""
    return [paragraph_element([looks.run(line, look)]) for line in lines]


def _segment_row(
    segment: Segment,
    translation: Translation | None,
    *,
    starts_paragraph: bool,
    styles: _Styles,
    looks: RunLooks,
    widths: list[str],
    border,
):
    """The `w:tr` of one segment: ID | English | target | Notes | OK? (empty: the reviewer types OK to approve)."""
    removed = False
    id_text, changed = clean_text(segment.id)
    removed |= changed
    id_cell = _text_cell(looks, [id_text], _Look(styles.english, bold=starts_paragraph))
    source_cell, changed = _write_pieces(looks, _source_pieces(segment, translation), styles.english)
    removed |= changed
    target_cell, changed = _write_pieces(looks, _target_pieces(segment, translation), styles.target)
    removed |= changed

    lines = []
    for line in segment_notes(segment, translation):
        cleaned, changed = clean_text(line)
        removed |= changed
        lines.append(cleaned)
    if removed:
        lines.append(CONTROL_NOTE)
    notes_cell = _text_cell(looks, lines, _Look(styles.notes))

    properties = (border,) if starts_paragraph else ()
    status_cell = _text_cell(looks, [""], _Look(styles.english))  # one empty run: what is typed gets its fonts
    cells = (id_cell, source_cell, target_cell, notes_cell, status_cell)
    return row_element(cell_element(width, paragraphs, properties=properties) for width, paragraphs in zip(widths, cells))


def _segment_rows(tr: TranslatedRelease, lang: str, styles: _Styles, widths: list[str], links: dict | None = None) -> Iterator:
    """The body rows, one per segment in order, made one at a time."""
    by_id = {t.segment_id: t for t in tr.translations[lang]}
    looks = RunLooks(_format_run)
    looks.links = links or {}  # URL → relationship id, made before the rows (review_marks.py)
    border = _paragraph_top_border()
    previous_paragraph = None
    for segment in tr.release.segments:
        starts_paragraph = segment.paragraph != previous_paragraph
        previous_paragraph = segment.paragraph
        yield _segment_row(
            segment,
            by_id.get(segment.id),
            starts_paragraph=starts_paragraph,
            styles=styles,
            looks=looks,
            widths=widths,
            border=border,
        )


def _fixed_layout(table) -> None:
    table.autofit = False
    tblpr = table._tbl.tblPr
    width = tblpr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        style = tblpr.find(qn("w:tblStyle"))
        tblpr.insert(0 if style is None else 1, width)
    width.set(qn("w:w"), str(sum(int(w.twips) for w in COLUMN_WIDTHS)))
    width.set(qn("w:type"), "dxa")
    for col, w in zip(table.columns, COLUMN_WIDTHS):
        col.width = w


# --------------------------------------------------------------------------------------------- document


def _header_line(doc: DocxDocument, label: str, value: str, style: _RunStyle) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(1)
    _add_run(p, f"{label}: ", style, bold=True)
    _add_run(p, _clean(value), style)


def _model_line(tr: TranslatedRelease, lang: str) -> str:
    model = tr.models.get(lang)
    if model is None:
        return "unknown"
    text = f"{model.package} {model.version} ({model.from_code}→{model.to_code})"
    if model.converter:
        text += f" + {model.converter}"
    if model.demo:
        text += " — DEMO MODEL"
    return text


def _core_text(text: str) -> str:
    return _clean(text)[:255]  # python-docx refuses longer core-property strings


def _parse_time(generated_at: str) -> datetime | None:
    try:
        when = datetime.fromisoformat(generated_at.strip())
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _add_page_field(p: DocxParagraph, style: _RunStyle) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    p._p.append(field)
    run = _add_run(p, "1", style)
    field.append(run._r)  # moves the run inside the field


@dataclass
class _Unfinished:
    """A review document without its body rows, and the rows, made one by one as they are taken."""

    doc: DocxDocument
    table: object  # the review table's w:tbl element
    rows: Iterator
    total: int


def _counted(rows: Iterator, total: int, progress: Callable[[int, int], None] | None) -> Iterator:
    for done, row in enumerate(rows, 1):
        yield row
        if progress is not None:
            progress(done, total)


def build_review_document(
    tr: TranslatedRelease,
    lang: str,
    *,
    generated_at: str,
    source_label: str,
    run_id: str,
    progress: Callable[[int, int], None] | None = None,
) -> DocxDocument:
    """The review document for `lang`, not yet saved; `progress(rows done, rows)` is called after each row."""
    unfinished = _review_document(tr, lang, generated_at=generated_at, source_label=source_label, run_id=run_id)
    for row in _counted(unfinished.rows, unfinished.total, progress):
        unfinished.table.append(row)
    return unfinished.doc


def _review_document(tr: TranslatedRelease, lang: str, *, generated_at: str, source_label: str, run_id: str) -> _Unfinished:
    if lang not in tr.translations:
        raise ValueError(f"no translations for {lang!r} in this release (have: {', '.join(tr.translations)})")
    ls = language_style(lang)
    release_name = tr.release.name
    model = tr.models.get(lang)
    demo = bool(model and model.demo)

    english = _RunStyle(ls.east_asia_font, ENGLISH_LANG, ls.east_asia_lang)
    target = _RunStyle(ls.east_asia_font, ls.latin_lang, ls.east_asia_lang, hint_east_asia=bool(ls.east_asia_font))
    notes = _RunStyle(ls.east_asia_font, ENGLISH_LANG, ls.east_asia_lang, size=NOTES_SIZE)
    plain = english

    doc = Document()
    apply_east_asian_fonts(doc, lang)  # defaults, theme language, font table: pipeline/docx/fonts.py

    # Defaults: what a reviewer types anywhere gets the right faces and proofing language.
    normal = doc.styles["Normal"]
    normal.font.size = BODY_SIZE
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    nrpr = normal.element.get_or_add_rPr()
    set_fonts(nrpr, latin=LATIN_FONT, east_asia=ls.east_asia_font)
    set_lang(nrpr, val=ENGLISH_LANG, east_asia=ls.east_asia_lang)

    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN
    section.header_distance = section.footer_distance = Mm(8)

    footer = section.footer.paragraphs[0]
    _add_run(footer, _clean(f"{release_name} → {lang} · run {run_id} · page "), notes)
    _add_page_field(footer, notes)

    # Header block.
    title = doc.add_paragraph()
    title.paragraph_format.space_after = Pt(6)
    _add_run(title, _clean(f"Review document — {release_name} → {ls.display}"), _RunStyle(
        ls.east_asia_font, ENGLISH_LANG, ls.east_asia_lang, size=Pt(16), bold=True))  # fmt: skip
    if demo:
        banner = doc.add_paragraph()
        banner.paragraph_format.space_after = Pt(6)
        run = _add_run(banner, DEMO_WARNING, _RunStyle(None, ENGLISH_LANG, None, size=Pt(16), bold=True))
        run.font.color.rgb = DEMO_COLOR
    _header_line(doc, "Source", source_label, plain)
    _header_line(doc, "Generated", generated_at, plain)
    _header_line(doc, "Run", run_id, plain)
    _header_line(doc, "Model", _model_line(tr, lang), plain)
    if tr.glossary_path is not None:
        glossary = f"{tr.glossary_path} (hash {tr.glossary_hash or 'unknown'})"
    else:
        glossary = NO_GLOSSARY
    _header_line(doc, "Glossary", glossary, plain)
    if tr.translations.get(lang):
        from pipeline.review.write.worklist import worklist

        rows = [(t.origin, [f.code for f in t.flags]) for t in tr.translations[lang]]
        _header_line(doc, "Worklist", worklist(rows, tr.uncovered_names).line(), plain)
    if tr.uncovered_names:
        names = "; ".join(tr.uncovered_names)
        _header_line(doc, "Not in the glossary", f"{names} — check their translation; add them to the glossary", plain)
    for note in tr.release.notes:
        _header_line(doc, "Note", note, plain)
    legend = doc.add_paragraph()
    legend.paragraph_format.space_before = Pt(4)
    legend.paragraph_format.space_after = Pt(6)
    _add_run(legend, f"Edit the {ls.column} column only (Track Changes welcome); keep the ID column and the rows as "
             f"they are. An edited row is approved; to approve a row as it is, type OK in its {STATUS_COLUMN} column "
             "(rows left alone stay drafts). Glossary terms: ", notes)  # fmt: skip
    _add_run(legend, "approved", notes, highlight=APPROVED_HIGHLIGHT)
    _add_run(legend, ", ", notes)
    _add_run(legend, "proposed", notes, highlight=PROPOSED_HIGHLIGHT)
    _add_run(legend, "; ", notes)
    _add_run(legend, "grey italic", notes, verbatim=True)
    _add_run(legend, " = kept verbatim. A thick line starts a new paragraph.", notes)

    # The table: the header row through python-docx, the body rows as XML (see `_segment_row`).
    styles = _Styles(english, target, notes, _RunStyle(ls.east_asia_font, ENGLISH_LANG, ls.east_asia_lang, bold=True))
    labels = _header_labels(ls)
    table = doc.add_table(rows=1, cols=len(labels))
    table.style = doc.styles["Table Grid"]
    _fixed_layout(table)

    header = table.rows[0]
    row_flags(header, header=True)
    for cell, label, width in zip(header.cells, labels, COLUMN_WIDTHS):
        cell.width = width
        cell_shading(cell, HEADER_FILL)
        _add_run(cell.paragraphs[0], label, styles.header)

    from docx.opc.constants import RELATIONSHIP_TYPE

    links = {url: doc.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True) for url in document_links(tr, lang)}
    rows = _segment_rows(tr, lang, styles, grid_widths(table), links)

    # A paragraph after the table: a document that ends on a table gives an editor nowhere else to put the cursor,
    # so LibreOffice's Ctrl+End and typing landed in the last row's Notes cell (imported as that row's note). Text
    # typed here is kept as text outside the table.
    doc.add_paragraph()

    # Core properties: what the import checks, and the demo warning where file browsers show it.
    props = doc.core_properties
    props.title = _core_text(release_name)
    props.identifier = _core_text(run_id)
    props.language = lang
    props.subject = _core_text(f"Review document {release_name} → {lang}" + (f" — {DEMO_WARNING}" if demo else ""))
    props.comments = DEMO_WARNING if demo else ""
    props.keywords = _core_text(f"review; {lang}; run {run_id}")
    props.author = props.last_modified_by = "translation pipeline"
    props.revision = 1
    when = _parse_time(generated_at)
    if when is not None:
        props.created = props.modified = when
    return _Unfinished(doc, table._tbl, rows, len(tr.release.segments))


def write_review_docx(
    tr: TranslatedRelease,
    lang: str,
    path: Path,
    *,
    generated_at: str,
    source_label: str,
    run_id: str,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Write the review document for `lang` to `path` atomically (the previous file survives any failure).

    The body rows are streamed into the file as they are made (pipeline/docx/streaming.py): the bytes are
    those of `build_review_document(...).save(path)`, in memory that does not grow with the release.
    """
    unfinished = _review_document(tr, lang, generated_at=generated_at, source_label=source_label, run_id=run_id)
    where = marker()
    unfinished.table.append(where)
    with atomic_output(path) as tmp:
        save_streamed(unfinished.doc, where, _counted(unfinished.rows, unfinished.total, progress), tmp)
