"""Which regional glyph forms a PDF shows: Taiwan (TW), mainland China (CN) or Japan (JP), read off the pixels.

Traditional Chinese (Taiwan), Simplified Chinese and Japanese share code points but not glyph forms: 言 has a dot
on top in Taiwan's and China's standards and a bar in Japan's; 骨's inner stroke turns right in Taiwan's and
Japan's and left in China's. Together they tell the three apart.

The Noto CJK fonts Debian ships are one OpenType collection whose faces share one CFF table, so `pdffonts` says
"NotoSansCJKjp-…" whatever the language; the glyph is what tells. `GlyphReader(office, workdir)` renders a
reference document (言骨 in Noto Sans CJK TC / SC / JP, each with its language) once; `forms_of(pdf)` then renders
the pages of a PDF that hold 言 or 骨 (`pdftoppm`, PGM: no imaging library needed), finds the characters with
`pdftotext -bbox`, and gives each the form whose reference bitmap (ink box scaled to a 32×32 grid) is nearest. It
also writes a PNG of each page, for a person to look at.

Test texts should hold 言 and 骨 in words of full-width characters only (言骨言骨, 言骨。), so each character's box is
the word's box divided evenly.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

CHARS = "言骨"
DPI = 300
GRID = 32
REFERENCE_FACES = {"TW": ("Noto Sans CJK TC", "zh-TW"), "CN": ("Noto Sans CJK SC", "zh-CN"), "JP": ("Noto Sans CJK JP", "ja-JP")}


@dataclass
class Glyph:
    char: str
    page: int
    x: float  # points
    y: float
    form: str  # "TW", "CN" or "JP"; "TW/CN" where those references are the same glyph (言)
    distance: int  # to the chosen reference (0..GRID*GRID)


def _pgm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    match = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert match, f"{path} is not a binary PGM"
    width, height = int(match.group(1)), int(match.group(2))
    return width, height, data[match.end() : match.end() + width * height]


def _bitmap(pixels: bytes, width: int, box: tuple[int, int, int, int]) -> tuple[bool, ...] | None:
    """The ink inside `box`, cropped to its own bounds and sampled on a GRID×GRID grid."""
    x0, y0, x1, y1 = box
    ink = [[pixels[y * width + x] < 128 for x in range(x0, x1)] for y in range(y0, y1)]
    rows = [i for i, row in enumerate(ink) if any(row)]
    cols = [j for j in range(x1 - x0) if any(row[j] for row in ink)]
    if not rows or not cols:
        return None
    top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    return tuple(
        ink[top + (i * (bottom - top)) // GRID][left + (j * (right - left)) // GRID]
        for i in range(GRID) for j in range(GRID)
    )  # fmt: skip


def _glyphs(pdf: Path, workdir: Path) -> tuple[list[tuple[str, int, float, float, tuple]], list[Path]]:
    workdir.mkdir(parents=True, exist_ok=True)
    text = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    found, pngs = [], []
    for number, page in enumerate(text.split("<page ")[1:], 1):
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page)
        hits = [
            (float(a), float(b), float(c), float(d), w) for a, b, c, d, w in words
            if set(CHARS) & set(w) and all(ord(ch) >= 0x2E80 for ch in w)
        ]  # fmt: skip
        if not hits:
            continue
        stem = workdir / f"page{number}"
        for fmt, dpi in (("-gray", DPI), ("-png", 80)):
            subprocess.run(["pdftoppm", fmt, "-r", str(dpi), "-f", str(number), "-l", str(number), "-singlefile",
                            str(pdf), str(stem)], check=True)  # fmt: skip
        pngs.append(stem.with_suffix(".png"))
        width, _, pixels = _pgm(stem.with_suffix(".pgm"))
        scale = DPI / 72
        for x_min, y_min, x_max, y_max, word in hits:
            step = (x_max - x_min) / len(word)
            for k, ch in enumerate(word):
                if ch not in CHARS:
                    continue
                box = (
                    int((x_min + k * step) * scale) + 1, int(y_min * scale) - 2,
                    int((x_min + (k + 1) * step) * scale) - 1, int(y_max * scale) + 2,
                )  # fmt: skip
                bitmap = _bitmap(pixels, width, box)
                if bitmap is not None:
                    found.append((ch, number, x_min + k * step, y_min, bitmap))
    return found, pngs


class GlyphReader:
    """Reference bitmaps rendered once by `office` (a tests/support/libreoffice.py LibreOffice), then any PDF classified."""

    def __init__(self, office, workdir: Path):
        import docx
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Pt

        from support.libreoffice import PDF

        workdir.mkdir(parents=True, exist_ok=True)
        document = docx.Document()
        for form, (face, tag) in REFERENCE_FACES.items():
            run = document.add_paragraph().add_run(CHARS * 2)
            run.font.size = Pt(36)
            rpr = run._r.get_or_add_rPr()
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is None:
                fonts = OxmlElement("w:rFonts")
                rpr.insert(0, fonts)
            fonts.set(qn("w:eastAsia"), face)
            lang = OxmlElement("w:lang")
            lang.set(qn("w:val"), "en-US")
            lang.set(qn("w:eastAsia"), tag)
            rpr.append(lang)
        source = workdir / "reference.docx"
        document.save(source)
        pdf = office.convert(source, workdir / "reference.pdf", PDF)
        found, _ = _glyphs(pdf, workdir / "reference")
        order = list(REFERENCE_FACES)
        self.references: dict[tuple[str, str], tuple] = {}
        lines = sorted({round(y) for _, _, _, y, _ in found})
        assert len(lines) == len(order), f"reference lines {lines} in {pdf}"
        for ch, _, _, y, bitmap in found:
            self.references.setdefault((order[lines.index(round(y))], ch), bitmap)
        for one in CHARS:  # the references must differ, or the reader tells nothing
            assert len({self.references[(form, one)] for form in order}) > 1, one

    def forms_of(self, pdf: Path, workdir: Path) -> tuple[list[Glyph], list[Path]]:
        found, pngs = _glyphs(pdf, workdir)
        glyphs = []
        for ch, page, x, y, bitmap in found:
            distances = {
                form: sum(a != b for a, b in zip(bitmap, self.references[(form, ch)])) for form in REFERENCE_FACES
            }
            nearest = min(distances.values())
            form = "/".join(f for f in REFERENCE_FACES if distances[f] == nearest)  # 言 is "TW/CN": same form
            glyphs.append(Glyph(ch, page, x, y, form, nearest))
        return glyphs, pngs
