"""A formatted press release as the office writes it in Word (and in Markdown), for the formatting tests.

Headline (Title), Heading 2, a bold lead-in, an italic journal title inside a sentence, two hyperlinks (one on a
glossary name), a bulleted list, an image with its caption, a table, a text box, a header with the embargo line
and a footer with a page-number field.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

HEADLINE = "KMU Signs Collaboration Agreement with Kumamoto University"
HEADING2 = "A partnership in medical education"
LINK1 = "https://www.kumamoto-u.ac.jp/"
LINK2 = "https://www.kmu.edu.tw/news"
EMBARGO = "EMBARGOED UNTIL 10:00, 27 November 2025"
FOOTER = "Office of International Affairs"
CAPTION = "Figure 1. The signing ceremony in Kaohsiung."
TEXTBOX = "Media contact: Ms. Lin, Office of International Affairs."
CELL = "Partners since 2019."
BULLETS = ("Student exchanges in clinical medicine.", "Joint research in public health.")
LEAD_IN = "KAOHSIUNG, Nov. 27 —"
ITALIC = "The Lancet"


def png(width: int = 120, height: int = 60, rgb=(30, 90, 160)) -> bytes:
    """A small solid PNG, written by hand (no imaging library needed)."""
    row = b"\x00" + bytes(rgb) * width
    raw = row * height

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def add_hyperlink(paragraph, text: str, url: str):
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rid = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    rpr.append(style)
    run.append(rpr)
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)
    return link


def add_page_field(paragraph) -> None:
    """A complex PAGE field (begin, instruction, separate, result "1", end), each part in a run of its own."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def run_with(tag: str, text: str | None = None, field_char: str | None = None) -> None:
        child = OxmlElement(tag)
        if text is not None:
            child.text = text
        if field_char is not None:
            child.set(qn("w:fldCharType"), field_char)
        r = OxmlElement("w:r")
        r.append(child)
        paragraph._p.append(r)

    run_with("w:fldChar", field_char="begin")
    run_with("w:instrText", " PAGE ")
    run_with("w:fldChar", field_char="separate")
    run_with("w:t", "1")
    run_with("w:fldChar", field_char="end")


def add_text_box(paragraph, text: str) -> None:
    """A legacy VML text box (w:pict/v:shape/v:textbox/w:txbxContent) anchored in `paragraph`."""
    from docx.oxml import parse_xml

    xml = (
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape style="width:300pt;height:40pt">'
        f'<v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox>'
        "</v:shape></w:pict></w:r>"
    )
    paragraph._p.append(parse_xml(xml))


def build_docx(path: Path) -> Path:
    import io

    import docx
    from docx.shared import Mm

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = EMBARGO
    section.footer.paragraphs[0].text = FOOTER
    add_page_field(section.footer.add_paragraph("Page "))
    document.add_paragraph(HEADLINE, style="Title")
    document.add_paragraph(HEADING2, style="Heading 2")
    p = document.add_paragraph()
    p.add_run(LEAD_IN).bold = True
    p.add_run(" Kaohsiung Medical University signed an agreement with ")
    add_hyperlink(p, "Kumamoto University", LINK1)
    p.add_run(" in Japan.")
    p = document.add_paragraph("The study was published in ")
    p.add_run(ITALIC).italic = True
    p.add_run(" last year, and the full story is on ")
    add_hyperlink(p, "our news page", LINK2)
    p.add_run(".")
    for item in BULLETS:
        document.add_paragraph(item, style="List Bullet")
    document.add_picture(io.BytesIO(png()), width=Mm(40))
    document.add_paragraph(CAPTION, style="Caption")
    table = document.add_table(rows=1, cols=1)
    table.style = document.styles["Table Grid"]
    table.cell(0, 0).text = CELL
    add_text_box(document.add_paragraph(), TEXTBOX)
    document.save(str(path))
    return path


MARKDOWN = f"""# {HEADLINE}

## {HEADING2}

**{LEAD_IN}** Kaohsiung Medical University signed an agreement with [Kumamoto University]({LINK1}) in Japan.

The study was published in *{ITALIC}* last year, and the full story is on [our news page]({LINK2}).

- {BULLETS[0]}
- {BULLETS[1]}

![The signing ceremony](ceremony.png)

{CAPTION}
"""


def build_markdown(path: Path) -> Path:
    path.write_text(MARKDOWN, encoding="utf-8")
    (path.parent / "ceremony.png").write_bytes(png())
    return path
