"""The review document: one .docx per target language that a reviewer edits in Word.

Layout (A4 landscape):

* a header block: title, source file, generation date, run id, model package and version (and converter),
  glossary file and hash, things ingest skipped, and - for a demo model - a red banner saying the target column
  is NOT a translation;
* one table, columns ID | English | <target language> | Notes | OK? (the row's approval mark, approval.py), the
  header row repeated on every page, every row
  kept on one page, exactly one row per segment, in segment order, and no other rows.

What the review import relies on: the table's rows and cells (table.py), and the core properties:
`identifier` is the run id, `title` the release name, `language` the target language code.

This module writes the document around the table: page, header block, footer, the table's header row, core
properties. Scale: the body rows are built as XML one at a time (table.py `segment_rows`) and
`write_review_docx` streams them into the file (pipeline/docx/streaming.py), so writing time per segment is
flat and memory does not grow with the release (benchmarks/RESULTS.md, issue 14).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from pipeline.core.release import TranslatedRelease
from pipeline.docx.fonts import apply_east_asian_fonts
from pipeline.docx.ooxml import cell_shading, row_flags, set_fonts, set_lang
from pipeline.docx.streaming import marker, save_streamed
from pipeline.docx.table_xml import grid_widths
from pipeline.docx.table_xml import text_into as _append_text
from pipeline.files.atomic import atomic_output
from pipeline.language import ALL as ALL_LANGUAGES
from pipeline.language import Language, find_language
from pipeline.review.approval import STATUS_COLUMN
from pipeline.review.marks import document_links
from pipeline.review.write.table import (
    APPROVED_HIGHLIGHT,
    BODY_SIZE,
    COLUMN_WIDTHS,
    CONTROL_NOTE,
    LATIN_FONT,
    NOTES_SIZE,
    PROPOSED_HIGHLIGHT,
    Look,
    RunStyle,
    TableStyles,
    clean_text,
    fixed_layout,
    format_run,
    header_labels,
    segment_notes,
    segment_rows,
)
from pipeline.review.write.worklist import worklist

__all__ = [  # CONTROL_NOTE, clean_text, segment_notes: the table's, named here for the import and publish
    "CONTROL_NOTE",
    "DEMO_WARNING",
    "HEADER_FILL",
    "LanguageStyle",
    "build_review_document",
    "clean_text",
    "language_style",
    "segment_notes",
    "write_review_docx",
]

DEMO_WARNING = "DEMO MODEL — the target column is a copy of the English, NOT a translation."
NO_GLOSSARY = "none (run with --no-glossary: names were not checked against a glossary)"
PIPELINE_AUTHOR = "translation pipeline"  # the core properties' author and last-modified-by

ENGLISH_LANG = "en-US"
DEMO_COLOR = RGBColor(0xC0, 0x00, 0x00)

# A4 landscape; the table's column widths (table.py COLUMN_WIDTHS) sum to the page width less the margins.
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Mm(297), Mm(210), Mm(18)
HEADER_FILL = "D9D9D9"


@dataclass(frozen=True)
class LanguageStyle:
    code: str
    display: str  # in the title line
    column: str  # the target column's header
    east_asia_font: str | None  # rFonts/@w:eastAsia of target runs
    east_asia_lang: str | None  # w:lang/@w:eastAsia of target runs
    latin_lang: str  # w:lang/@w:val of target runs


def _style_of(language: Language) -> LanguageStyle:
    fonts = language.fonts
    return LanguageStyle(
        language.code,
        language.display_name,
        language.column_header,
        fonts.face if fonts else None,
        fonts.tag if fonts else None,
        # Latin letters in a CJK translation are English names; in a Latin-script language, the language itself
        ENGLISH_LANG if language.cjk_script else language.docx_lang,
    )


# Labels, East Asian face and language tag of every target: the language registry (pipeline/language/)
_LANGUAGES = {language.code: _style_of(language) for language in ALL_LANGUAGES}


def language_style(lang: str) -> LanguageStyle:
    """Fonts and labels for a target language; unknown codes get their code as label and no East Asian font."""
    return _LANGUAGES.get(lang) or LanguageStyle(lang, lang, lang, None, None, lang)


def _clean(text: str) -> str:
    return clean_text(text)[0]


def _add_run(
    p: DocxParagraph,
    text: str,
    style: RunStyle,
    *,
    highlight=None,
    verbatim: bool | str = False,
    bold: bool | None = None,
):
    """A run at the end of python-docx paragraph `p` (header block, footer, header row; body rows: table.py)."""
    run = p.add_run()
    format_run(run, Look(style, highlight, verbatim, bold))
    _append_text(run._r, text)
    return run


def _header_line(doc: DocxDocument, label: str, value: str, style: RunStyle) -> None:
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


def _add_page_field(p: DocxParagraph, style: RunStyle) -> None:
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


def _table_styles(ls: LanguageStyle) -> TableStyles:
    """The run styles of the table's columns (the English column's also serves the header block)."""
    return TableStyles(
        english=RunStyle(ls.east_asia_font, ENGLISH_LANG, ls.east_asia_lang),
        target=RunStyle(ls.east_asia_font, ls.latin_lang, ls.east_asia_lang, hint_east_asia=bool(ls.east_asia_font)),
        notes=RunStyle(ls.east_asia_font, ENGLISH_LANG, ls.east_asia_lang, size=NOTES_SIZE),
        header=RunStyle(ls.east_asia_font, ENGLISH_LANG, ls.east_asia_lang, bold=True),
    )


def _review_document(tr: TranslatedRelease, lang: str, *, generated_at: str, source_label: str, run_id: str) -> _Unfinished:
    if lang not in tr.translations:
        raise ValueError(f"no translations for {lang!r} in this release (have: {', '.join(tr.translations)})")
    ls = language_style(lang)
    model = tr.models.get(lang)
    demo = bool(model and model.demo)
    styles = _table_styles(ls)

    doc = Document()
    language = find_language(lang)
    apply_east_asian_fonts(doc, language.fonts if language else None)  # defaults, theme language, font table
    _set_page(doc, ls, styles.notes, f"{tr.release.name} → {lang} · run {run_id} · page ")
    _header_block(doc, tr, lang, styles, demo=demo, generated_at=generated_at, source_label=source_label, run_id=run_id)
    table, rows = _review_table(doc, tr, lang, styles)

    # A paragraph after the table: a document that ends on a table gives an editor nowhere else to put the cursor,
    # so LibreOffice's Ctrl+End and typing landed in the last row's Notes cell (imported as that row's note). Text
    # typed here is kept as text outside the table.
    doc.add_paragraph()
    _set_core_properties(doc, tr.release.name, lang, run_id, demo=demo, generated_at=generated_at)
    return _Unfinished(doc, table._tbl, rows, len(tr.release.segments))


def _set_page(doc: DocxDocument, ls: LanguageStyle, footer_style: RunStyle, footer_text: str) -> None:
    """The Normal style's defaults, A4 landscape, and the footer (its text, then the page number)."""
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
    _add_run(footer, _clean(footer_text), footer_style)
    _add_page_field(footer, footer_style)


def _header_block(
    doc: DocxDocument,
    tr: TranslatedRelease,
    lang: str,
    styles: TableStyles,
    *,
    demo: bool,
    generated_at: str,
    source_label: str,
    run_id: str,
) -> None:
    """Title, demo banner, the run's facts, the worklist, notes, and the legend, above the table."""
    ls = language_style(lang)
    plain, notes = styles.english, styles.notes
    title = doc.add_paragraph()
    title.paragraph_format.space_after = Pt(6)
    _add_run(title, _clean(f"Review document — {tr.release.name} → {ls.display}"), RunStyle(
        ls.east_asia_font, ENGLISH_LANG, ls.east_asia_lang, size=Pt(16), bold=True))  # fmt: skip
    if demo:
        banner = doc.add_paragraph()
        banner.paragraph_format.space_after = Pt(6)
        run = _add_run(banner, DEMO_WARNING, RunStyle(None, ENGLISH_LANG, None, size=Pt(16), bold=True))
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


def _review_table(doc: DocxDocument, tr: TranslatedRelease, lang: str, styles: TableStyles) -> tuple:
    """The table with its header row (through python-docx), and its body rows (XML, made as they are taken)."""
    labels = header_labels(language_style(lang).column)
    table = doc.add_table(rows=1, cols=len(labels))
    table.style = doc.styles["Table Grid"]
    fixed_layout(table)

    header = table.rows[0]
    row_flags(header, header=True)
    for cell, label, width in zip(header.cells, labels, COLUMN_WIDTHS):
        cell.width = width
        cell_shading(cell, HEADER_FILL)
        _add_run(cell.paragraphs[0], label, styles.header)

    links = {url: doc.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True) for url in document_links(tr, lang)}
    return table, segment_rows(tr, lang, styles, grid_widths(table), links)


def _set_core_properties(doc: DocxDocument, release_name: str, lang: str, run_id: str, *, demo: bool, generated_at: str) -> None:
    """What the import checks, and the demo warning where file browsers show it."""
    props = doc.core_properties
    props.title = _core_text(release_name)
    props.identifier = _core_text(run_id)
    props.language = lang
    props.subject = _core_text(f"Review document {release_name} → {lang}" + (f" — {DEMO_WARNING}" if demo else ""))
    props.comments = DEMO_WARNING if demo else ""
    props.keywords = _core_text(f"review; {lang}; run {run_id}")
    props.author = props.last_modified_by = PIPELINE_AUTHOR
    props.revision = 1
    when = _parse_time(generated_at)
    if when is not None:
        props.created = props.modified = when


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
