"""`<release>.<lang>.docx` of a release without a Word source (a .txt or .md release): the title as a heading,
the dateline, the paragraphs in their original order; no table. Text typeset for the language (full-width
punctuation, no spaces between CJK characters, 「」 quotes), runs with East Asian fonts (`rFonts/@w:eastAsia`) and
`w:lang`, inline formatting and links from the translation's marks; A4 portrait. With unreviewed text: a red
banner at the top, the unreviewed sentences highlighted, and the core properties say so.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.shared import Pt, RGBColor

from pipeline.language.typography import typeset_as_cjk
from pipeline.publish.formats.base import DOCUMENT, Publication, PublishFormat, PublishOptions, ReleaseFiles
from pipeline.publish.plan import LanguagePlan, PublishedSegment
from pipeline.publish.word import (
    DOCUMENT_CATEGORY,
    add_banners,
    add_marked_runs,
    add_run,
    new_document,
    save_document,
    set_core_properties,
)

SUFFIX = ".docx"

__all__ = ["FORMAT", "build_publication"]


def build_publication(manifest: dict, lang: str, segments: list[PublishedSegment]):
    """The publishable document of `lang` (a python-docx Document, not saved)."""
    plan = LanguagePlan(manifest, lang, segments)
    doc, east_asia, tag = new_document(lang)
    add_banners(doc, plan.banners(), east_asia)
    for paragraph in plan.reading_paragraphs():
        pieces = paragraph.pieces()
        if not pieces:
            continue
        kind = paragraph.kind
        if kind == "title":
            p = doc.add_paragraph(style="Heading 1")
        else:
            p = doc.add_paragraph()
            if kind == "dateline":
                p.paragraph_format.space_after = Pt(4)
            elif typeset_as_cjk(lang):
                p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        for piece in pieces:
            text = piece.text + piece.separator
            if piece.segment.marks and kind != "dateline":
                add_marked_runs(p, text, piece.marks, east_asia, tag, highlight=piece.blocking)
                continue
            add_run(
                p,
                text,
                east_asia,
                tag,
                size=Pt(9.5) if kind == "dateline" else None,
                color=RGBColor(0x59, 0x59, 0x59) if kind == "dateline" else None,
                highlight=WD_COLOR_INDEX.YELLOW if piece.blocking else None,
            )
    set_core_properties(doc, plan, plan.reading_title(), DOCUMENT_CATEGORY)
    return doc


def applies(release: ReleaseFiles, options: PublishOptions) -> bool:
    return release.kept(".docx") is None  # a Word source is published in place (docx_inplace.py)


def build(publication: Publication):
    return build_publication(publication.manifest, publication.lang, publication.plan.segments)


def write(publication: Publication) -> Path:
    return save_document(publication.built[DOCUMENT], publication.release.output(publication.lang, SUFFIX))


FORMAT = PublishFormat(DOCUMENT, SUFFIX, applies, write, build)
