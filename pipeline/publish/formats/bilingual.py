"""`<release>.<lang>.bilingual.docx`: a two-column table, one row per published paragraph: English | target
(the dateline a row of its own), with the banners, highlights and core properties of the publishable document.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_COLOR_INDEX
from docx.shared import Mm, Pt

from pipeline.docx.ooxml import cell_shading, row_flags
from pipeline.docx.table_xml import RunLooks, cell_element, docx_text, paragraph_element, row_element
from pipeline.publish.formats.base import Publication, PublishFormat, PublishOptions, ReleaseFiles
from pipeline.publish.plan import LanguagePlan, PublishedSegment
from pipeline.publish.word import add_banners, add_run, format_run, new_document, save_document, set_core_properties
from pipeline.review.write.writer import HEADER_FILL, clean_text, language_style

__all__ = ["FORMAT", "build_bilingual"]

NAME = "bilingual"
CATEGORY = "published-bilingual"


def build_bilingual(manifest: dict, lang: str, segments: list[PublishedSegment]):
    """The bilingual document of `lang` (a python-docx Document, not saved)."""
    plan = LanguagePlan(manifest, lang, segments)
    doc, east_asia, tag = new_document(lang)
    doc.styles["Normal"].paragraph_format.space_after = Pt(2)
    doc.styles["Normal"].font.size = Pt(10)
    add_banners(doc, plan.banners(), east_asia)
    heading = doc.add_paragraph(style="Heading 1")
    add_run(heading, f"{manifest.get('release', '')} — English / {language_style(lang).column}", east_asia, "en-US")
    table = doc.add_table(rows=1, cols=2)
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    widths = (Mm(80), Mm(80))
    header = table.rows[0]
    row_flags(header, header=True)
    for cell, label, width in zip(header.cells, ("English", language_style(lang).column), widths):
        cell.width = width
        cell_shading(cell, HEADER_FILL)
        add_run(cell.paragraphs[0], label, east_asia, "en-US", bold=True)
    # Body rows as XML (table_xml: python-docx's add_row()/row.cells walk the whole table on every call).
    looks = RunLooks(format_run, docx_text)
    twips = [str(width.twips) for width in widths]
    tbl = table._tbl
    for paragraph in plan.reading_paragraphs():
        title = paragraph.kind == "title"
        english = looks.run(clean_text(paragraph.english())[0], (east_asia, "en-US", title, None, None, None))
        target = [
            looks.run(clean_text(piece.text + piece.separator)[0],
                      (east_asia, tag, title or None, None, None, WD_COLOR_INDEX.YELLOW if piece.blocking else None))
            for piece in paragraph.pieces()
        ] or [looks.run("", (east_asia, tag, None, None, None, None))]  # fmt: skip
        cells = [paragraph_element([english]), paragraph_element(target)]
        tbl.append(row_element((cell_element(w, [p]) for w, p in zip(twips, cells)), cant_split=False))
    set_core_properties(doc, plan, plan.reading_title(), CATEGORY)
    return doc


def applies(release: ReleaseFiles, options: PublishOptions) -> bool:
    return True


def build(publication: Publication):
    return build_bilingual(publication.manifest, publication.lang, publication.plan.segments)


def write(publication: Publication) -> Path:
    return save_document(publication.built[NAME], publication.release.output(publication.lang, ".bilingual.docx"))


FORMAT = PublishFormat(NAME, applies, write, build)
