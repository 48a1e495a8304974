"""Low-level WordprocessingML helpers shared by the review document and the published documents.

python-docx has no API for some run, cell and row properties; these set them on the XML directly, creating
each child element in the position the schema requires (Word rejects out-of-order children).
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import _Cell

__all__ = [
    "RPR_ORDER",
    "TCPR_ORDER",
    "TRPR_ORDER",
    "cell_shading",
    "child",
    "row_flags",
    "set_fonts",
    "set_lang",
]


RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike", "w:dstrike",
    "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden",
    "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
    "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)  # fmt: skip
TCPR_ORDER = (
    "w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd", "w:noWrap", "w:tcMar",
    "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark", "w:headers", "w:cellIns", "w:cellDel",
    "w:cellMerge", "w:tcPrChange",
)  # fmt: skip
TRPR_ORDER = (
    "w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter", "w:cantSplit",
    "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange",
)  # fmt: skip


def child(parent, tag: str, order: tuple[str, ...]):
    """The `tag` child of `parent`, created in its schema position if missing."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    element = OxmlElement(tag)
    later = {qn(t) for t in order[order.index(tag) + 1 :]}
    for i, existing in enumerate(parent):
        if existing.tag in later:
            parent.insert(i, element)
            return element
    parent.append(element)
    return element


def set_fonts(rpr, *, latin: str, east_asia: str | None, hint_east_asia: bool = False) -> None:
    fonts = child(rpr, "w:rFonts", RPR_ORDER)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    if east_asia:
        fonts.set(qn("w:eastAsia"), east_asia)
        if hint_east_asia:
            fonts.set(qn("w:hint"), "eastAsia")


def set_lang(rpr, *, val: str, east_asia: str | None) -> None:
    lang = child(rpr, "w:lang", RPR_ORDER)
    lang.set(qn("w:val"), val)
    if east_asia:
        lang.set(qn("w:eastAsia"), east_asia)


def cell_shading(cell: _Cell, fill: str) -> None:
    shd = child(cell._tc.get_or_add_tcPr(), "w:shd", TCPR_ORDER)
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)


def row_flags(row, *, header: bool) -> None:
    trpr = row._tr.get_or_add_trPr()
    child(trpr, "w:cantSplit", TRPR_ORDER)
    if header:
        child(trpr, "w:tblHeader", TRPR_ORDER)
