"""The review table's rows: one per segment, ID | English | <target language> | Notes | OK?, built as XML one at a
time (pipeline/docx/table_xml.py), with the look of every run (fonts, glossary highlights, text kept verbatim,
inline formatting) and the Notes lines the run gives each segment.

What the review import relies on:

* The ID cell's text is exactly the segment id.
* Cell text is written as runs whose `w:t` hold the text; a tab is written as `w:tab`, a line feed as `w:br`,
  a carriage return as `w:cr`. Reading `w:t` (plus `w:tab` → "\\t", `w:br` → "\\n", `w:cr` → "\\r") gives the
  written text back exactly.
* Characters XML cannot hold (C0 controls other than tab/LF/CR, U+FFFE, U+FFFF, lone surrogates) are removed,
  and the row's Notes say "control characters removed".

Paragraph boundaries: the first row of each source paragraph has a thicker top border across all its cells and
its ID in bold; no separator rows are added, so every body row is a segment.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.run import Run
from lxml import etree

from pipeline.core.release import Segment, TranslatedRelease, Translation
from pipeline.docx.ooxml import set_fonts, set_lang
from pipeline.language import find_language
from pipeline.docx.table_xml import (
    RunLooks,
    cell_element,
    element,
    paragraph_element,
    row_element,
    w,
)
from pipeline.review.approval import STATUS_COLUMN
from pipeline.review.marks import char_formats

_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

CONTROL_NOTE = "[control-characters] control characters removed"
LATIN_FONT = "Calibri"

APPROVED_HIGHLIGHT = WD_COLOR_INDEX.YELLOW
PROPOSED_HIGHLIGHT = WD_COLOR_INDEX.TURQUOISE
VERBATIM_COLOR = RGBColor(0x80, 0x80, 0x80)
LINK_COLOR = RGBColor(0x05, 0x63, 0xC1)

COLUMN_WIDTHS = (Mm(22), Mm(92), Mm(93), Mm(40), Mm(14))  # ID | English | target | Notes | OK? (approval.py)
BODY_SIZE, NOTES_SIZE = Pt(10), Pt(8.5)
PARAGRAPH_BORDER = {"val": "single", "sz": "12", "space": "0", "color": "404040"}  # 1.5 pt


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean_text(text: str) -> tuple[str, bool]:
    """`text` without the characters an XML document cannot hold, and whether any were removed."""
    cleaned = _XML_ILLEGAL.sub("", text)
    return cleaned, len(cleaned) != len(text)


@dataclass(frozen=True)
class RunStyle:
    """How one column's runs look; `highlight`/`verbatim` vary within a cell."""

    east_asia_font: str | None
    lang_val: str
    lang_east_asia: str | None
    hint_east_asia: bool = False
    size: Pt = BODY_SIZE
    bold: bool = False


# Faces for text kept verbatim in another language (the Chinese dateline), whatever the document's language.
@dataclass(frozen=True)
class Look:
    """Everything that decides how one run looks (the key of the table's `RunLooks`)."""

    style: RunStyle
    highlight: object = None
    verbatim: bool | str = False  # True, or the verbatim text's language ("" if unknown)
    bold: bool | None = None  # None: the style's
    marks: frozenset = frozenset()  # inline formatting kinds: b, i, u, sup, sub, link (review_marks.py)


def format_run(run: Run, look: Look) -> None:
    style, highlight, verbatim, bold = look.style, look.highlight, look.verbatim, look.bold
    rpr = run._r.get_or_add_rPr()
    east_asia_font, east_asia_lang = style.east_asia_font, style.lang_east_asia
    # A span in another CJK language (detected: "zh", "ja", "ko", ...) in its own face; a bare "zh" is the first
    # zh record, Traditional: a Taiwanese university's releases
    language = find_language(verbatim) if isinstance(verbatim, str) else None
    if language is not None and language.fonts is not None:
        east_asia_font, east_asia_lang = language.fonts.face, language.docx_lang
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


def _write_pieces(looks: RunLooks, pieces, style: RunStyle) -> tuple[list, bool]:
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
            looks.run(cleaned, Look(style, highlight, verbatim, marks=kinds), into=into)
    if not len(p):
        looks.run("", Look(style), into=p)  # an empty run still carries the fonts for what the reviewer types
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
# To add a column: give it a width in COLUMN_WIDTHS (they must sum to 261 mm), a header label in `header_labels`,
# and a cell in `_segment_row` (a list of `w:p` elements, usually from `_text_cell` or `_write_pieces`) at the
# same position; the reader finds columns by position (reader.COLUMNS), so a new column goes after Notes unless
# the reader changes with it.


@dataclass(frozen=True)
class TableStyles:
    """The run styles of one review document's table."""

    english: RunStyle
    target: RunStyle
    notes: RunStyle
    header: RunStyle


def header_labels(target_column: str) -> tuple[str, ...]:
    """The header row's labels; `target_column`: the target language's (`writer.language_style(lang).column`)."""
    return ("ID", "English", target_column, "Notes", STATUS_COLUMN)


def _paragraph_top_border():
    """`w:tcBorders` with the thick top line that marks the first row of a source paragraph."""
    borders = element("tcBorders")
    borders.append(element("top", **PARAGRAPH_BORDER))
    return borders


def _text_cell(looks: RunLooks, lines: list[str], look: Look) -> list:
    """One paragraph per line, each one run; no lines: one empty paragraph."""
    return [paragraph_element([looks.run(line, look)]) for line in lines]


def _segment_row(
    segment: Segment,
    translation: Translation | None,
    *,
    starts_paragraph: bool,
    styles: TableStyles,
    looks: RunLooks,
    widths: list[str],
    border,
):
    """The `w:tr` of one segment: ID | English | target | Notes | OK? (empty: the reviewer types OK to approve)."""
    removed = False
    id_text, changed = clean_text(segment.id)
    removed |= changed
    id_cell = _text_cell(looks, [id_text], Look(styles.english, bold=starts_paragraph))
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
    notes_cell = _text_cell(looks, lines, Look(styles.notes))

    properties = (border,) if starts_paragraph else ()
    status_cell = _text_cell(looks, [""], Look(styles.english))  # one empty run: what is typed gets its fonts
    cells = (id_cell, source_cell, target_cell, notes_cell, status_cell)
    return row_element(cell_element(width, paragraphs, properties=properties) for width, paragraphs in zip(widths, cells))


def segment_rows(tr: TranslatedRelease, lang: str, styles: TableStyles, widths: list[str], links: dict | None = None) -> Iterator:
    """The body rows, one per segment in order, made one at a time."""
    by_id = {t.segment_id: t for t in tr.translations[lang]}
    looks = RunLooks(format_run)
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


def fixed_layout(table) -> None:
    table.autofit = False
    tblpr = table._tbl.tblPr
    width = tblpr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        style = tblpr.find(qn("w:tblStyle"))
        tblpr.insert(0 if style is None else 1, width)
    width.set(qn("w:w"), str(sum(int(column_width.twips) for column_width in COLUMN_WIDTHS)))
    width.set(qn("w:type"), "dxa")
    for col, column_width in zip(table.columns, COLUMN_WIDTHS):
        col.width = column_width


