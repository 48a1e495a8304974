"""`<release>.<lang>.bilingual.docx`: a two-column table, one row per published paragraph: English | target
(the dateline a row of its own), with the banners, highlights and core properties of the publishable document,
and in both columns the inline formatting (bold, italic, links...) of the English and of the translation.

The release's images come with it, each in a row across both columns after the paragraph it follows in the release
(so before its caption): a .docx release's from its kept copy, a .md release's local image files. An image is read
only when it is a PNG, JPEG or GIF of at most `IMAGE_MAX_BYTES` (its declared size checked before a byte is read):
any other is left out with a note that publish prints (the publishable document keeps every image, streamed).
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.shared import Emu, Mm, Pt

from pipeline.core.limits import human_size
from pipeline.core.release import Mark
from pipeline.core.web_safety import IMAGE_MAX_BYTES, SNIFF_BYTES, image_type, safe_url
from pipeline.docx.bounded import DocxRefused, open_docx
from pipeline.docx.ooxml import cell_shading, row_flags
from pipeline.docx.stories import MC, W, walk_document
from pipeline.docx.table_xml import RunLooks, cell_element, docx_text, element, paragraph_element, row_element
from pipeline.publish.formats.base import Publication, PublishFormat, PublishOptions, ReleaseFiles
from pipeline.publish.formats.markdown import IMAGE, kept_markdown, markdown_blocks, markdown_source
from pipeline.publish.plan import LanguagePlan, PublishedParagraph, PublishedSegment
from pipeline.publish.word import (
    add_banners, add_run, format_run, marked_runs, new_document, save_document, set_core_properties, style_ids,
)  # fmt: skip
from pipeline.review.write.writer import HEADER_FILL, clean_text, language_style

__all__ = ["FORMAT", "build_bilingual"]

NAME = "bilingual"
SUFFIX = ".bilingual.docx"
CATEGORY = "published-bilingual"


A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/wordprocessingml/2006/wordprocessingDrawing}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_MAX_WIDTH = Mm(150)  # the two columns together
_SKIPPED = "was left out of the bilingual document"


@dataclass(frozen=True)
class Figure:
    """An image of the release: after which paragraph it sits (None: before the first), its bytes and size."""

    after: int | None
    data: bytes
    name: str
    alt: str = ""
    width: int | None = None  # EMU, as the release sized it (None: the image's own size)
    height: int | None = None


def build_bilingual(manifest: dict, lang: str, segments: list[PublishedSegment], figures: list[Figure] = (),
                    notes: list[str] | None = None):
    """The bilingual document of `lang` (a python-docx Document, not saved), with `figures` (`release_figures`)
    in rows of their own; an image python-docx cannot place is named in `notes`."""
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
    styles = style_ids(doc)

    def runs(text: str, marks: list[Mark], look: tuple, highlight: bool) -> list:
        """The runs of `text` in `look`; with inline formatting (italic, links...) as the publishable document
        writes it (word.marked_runs), else one run of that look (table_xml: made once per look)."""
        if not marks:
            return [looks.run(clean_text(text)[0], look)]
        base = looks.properties(look)
        base = copy.deepcopy(base) if base is not None else OxmlElement("w:rPr")
        spans = [(0, len(text))] if highlight else []
        return marked_runs(doc.part, text, marks, spans, base, styles, east_asia, look[1])

    pending = sorted(figures, key=lambda f: -1 if f.after is None else f.after)
    span = [element("gridSpan", val="2")]

    def figures_before(number: int | None) -> None:
        while pending and (number is None or (-1 if pending[0].after is None else pending[0].after) < number):
            figure = pending.pop(0)
            picture = _picture(doc, figure, notes)
            if picture is not None:
                cell = cell_element(str(sum(int(t) for t in twips)), [paragraph_element([picture])], properties=span)
                tbl.append(row_element([cell], cant_split=False))

    for paragraph in plan.reading_paragraphs():
        figures_before(paragraph.number)
        title = paragraph.kind == "title"
        english_text, english_marks = _english(paragraph)
        english = runs(english_text, english_marks, (east_asia, "en-US", title or None, None, None, None), False)
        target = [
            run
            for piece in paragraph.pieces()
            for run in runs(piece.text + piece.separator, piece.marks,
                            (east_asia, tag, title or None, None, None, WD_COLOR_INDEX.YELLOW if piece.blocking else None),
                            piece.blocking)
        ] or [looks.run("", (east_asia, tag, None, None, None, None))]  # fmt: skip
        cells = [paragraph_element(english), paragraph_element(target)]
        tbl.append(row_element((cell_element(w, [p]) for w, p in zip(twips, cells)), cant_split=False))
    figures_before(None)
    set_core_properties(doc, plan, plan.reading_title(), CATEGORY)
    return doc


def _english(paragraph: PublishedParagraph) -> tuple[str, list[Mark]]:
    """The English of `paragraph` (as `PublishedParagraph.english` says it) with its segments' inline formatting."""
    text, marks = "", []
    for segment in paragraph.segments:
        start = len(text)
        marks += [Mark(m.start + start, m.end + start, m.kind, m.href) for m in segment.source_marks]
        text += segment.source + segment.trailing
    lead = len(text) - len(text.lstrip())
    stripped = text.strip()
    return stripped, [Mark(max(m.start - lead, 0), min(m.end - lead, len(stripped)), m.kind, m.href)
                      for m in marks if min(m.end - lead, len(stripped)) > max(m.start - lead, 0)]


def _picture(doc, figure: Figure, notes: list[str] | None):
    """A run holding `figure` as an inline picture, at most as wide as the table; None (with a note) when
    python-docx cannot read the image (WebP)."""
    try:
        inline = doc.part.new_pic_inline(io.BytesIO(figure.data), None, None)
    except Exception as exc:  # python-docx reads PNG, JPEG, GIF, BMP, TIFF only
        if notes is not None:
            notes.append(f"image {figure.name} {_SKIPPED}: Word documents take no such image ({type(exc).__name__})")
        return None
    width, height = figure.width or inline.extent.cx, figure.height or inline.extent.cy
    if width > _MAX_WIDTH:
        width, height = _MAX_WIDTH, round(height * _MAX_WIDTH / width)
    inline.extent.cx, inline.extent.cy = Emu(width), Emu(height)
    for ext in inline.iter(A + "ext"):
        ext.set("cx", str(width))
        ext.set("cy", str(height))
    inline.docPr.set("descr", figure.alt)
    run = OxmlElement("w:r")
    drawing = OxmlElement("w:drawing")
    drawing.append(inline)
    run.append(drawing)
    return run


def _bounded_image(read, size: int, name: str, notes: list[str]) -> bytes | None:
    """The bytes of an image of `size` bytes (`read(limit)` reads it), or None with a note: over the limit or not
    a raster image python-docx and the web page both take."""
    if size > IMAGE_MAX_BYTES:
        notes.append(f"image {name} {_SKIPPED}: it is {human_size(size)}, over the {human_size(IMAGE_MAX_BYTES)} limit")
        return None
    data = read(IMAGE_MAX_BYTES + 1)
    kind = image_type(data[:SNIFF_BYTES])
    if len(data) > IMAGE_MAX_BYTES or kind is None:
        notes.append(f"image {name} {_SKIPPED}: it is not a PNG, JPEG or GIF image of at most "
                     f"{human_size(IMAGE_MAX_BYTES)}")
        return None
    return data


def docx_figures(source: Path, manifest: dict, notes: list[str]) -> list[Figure]:
    """The images of a .docx release's kept copy (`source`), each after the paragraph it follows."""
    try:
        document = open_docx(source)  # the XML parts only: images are read below, bounded
    except DocxRefused:
        return []  # the publishable document names this copy's problem
    stories = walk_document(document)
    numbers: dict[object, int] = {}
    for entry in manifest.get("layout") or []:
        try:
            paragraph = stories.paragraphs[entry["index"]].element
            numbers[paragraph] = max(numbers.get(paragraph, -1), int(entry["paragraph"]))
        except (IndexError, KeyError, TypeError, ValueError):
            continue
    figures: list[Figure] = []
    current = None
    with zipfile.ZipFile(source) as zipped:
        for p in document.element.body.iter(W + "p"):
            current = numbers.get(p, current)
            for drawing in p.iter(W + "drawing"):
                if any(a.tag == MC + "Fallback" for a in drawing.iterancestors()):
                    continue
                blip = next(drawing.iter(A + "blip"), None)
                rel = document.part.rels.get(blip.get(R + "embed") or "") if blip is not None else None
                if rel is None or rel.is_external:
                    continue
                entry = str(rel.target_part.partname).lstrip("/")
                try:
                    info = zipped.getinfo(entry)
                    with zipped.open(info) as stream:
                        data = _bounded_image(stream.read, info.file_size, entry, notes)
                except (KeyError, OSError, zipfile.BadZipFile, RuntimeError, EOFError) as exc:
                    notes.append(f"image {entry} {_SKIPPED}: it cannot be read ({exc})")
                    continue
                if data is None:
                    continue
                doc_pr = next(drawing.iter(WP + "docPr"), None)
                extent = next(drawing.iter(WP + "extent"), None)
                size = (int(extent.get("cx") or 0) or None, int(extent.get("cy") or 0) or None) \
                    if extent is not None and (extent.get("cx") or "").isdigit() and (extent.get("cy") or "").isdigit() \
                    else (None, None)  # fmt: skip
                alt = (doc_pr.get("descr") or doc_pr.get("title") or "") if doc_pr is not None else ""
                figures.append(Figure(current, data, entry, alt, *size))
    return figures


def markdown_figures(publication: Publication, kept: Path) -> list[Figure]:
    """The local images of a .md release, each after the paragraph it follows (a web image is not fetched)."""
    source = markdown_source(publication, kept)
    blocks = markdown_blocks(source.layout)
    figures: list[Figure] = []
    current = None
    lines = source.text.splitlines()
    k = 0
    while k < len(lines):
        if k in blocks:
            end, _, _, number = blocks[k]
            current, k = number, max(end, k + 1)
            continue
        for match in IMAGE.finditer(lines[k]):
            url = safe_url(match.group(2))
            if url is None or source.source_dir is None or re.match(r"^[a-z][a-z0-9+.-]*:|/", url, re.IGNORECASE):
                continue
            path = (source.source_dir / url).resolve()
            if not path.is_relative_to(source.source_dir.resolve()) or not path.is_file():
                continue
            try:
                with open(path, "rb") as stream:
                    data = _bounded_image(stream.read, path.stat().st_size, url, publication.notes)
            except OSError as exc:
                publication.notes.append(f"image {url} {_SKIPPED}: it cannot be read ({exc})")
                continue
            if data is not None:
                figures.append(Figure(current, data, url, match.group(1)))
        k += 1
    return figures


def release_figures(publication: Publication) -> list[Figure]:
    """The images of the release being published, in order (see the module docstring)."""
    word = publication.release.kept(".docx")
    if word is not None:
        return docx_figures(word, publication.manifest, publication.notes)
    kept = kept_markdown(publication.release)
    return markdown_figures(publication, kept) if kept is not None else []


def applies(release: ReleaseFiles, options: PublishOptions) -> bool:
    return True


def build(publication: Publication):
    return build_bilingual(publication.manifest, publication.lang, publication.plan.segments,
                           release_figures(publication), publication.notes)


def write(publication: Publication) -> Path:
    return save_document(publication.built[NAME], publication.release.output(publication.lang, SUFFIX))


FORMAT = PublishFormat(NAME, SUFFIX, applies, write, build)
