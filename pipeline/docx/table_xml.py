"""Table rows built as lxml elements, in time linear in the number of rows (issue 14).

python-docx's `table.add_row()` reads `tblGrid` and `row.cells` lists every cell of the whole table on each call,
and its run/font API creates each property element through a schema-ordered search: writing a 10,000-segment
review document took 9 ms a segment and 1.1 GB. Here a row is a `w:tr` element assembled from its cells and
appended to the table (or serialized on its own, see `rows_xml`), and each run's properties are made ONCE per
distinct look with python-docx's own API on a detached run (so they are exactly what that API writes) and copied
into every run that has that look.

The XML is the one python-docx wrote before: `<w:tr><w:trPr><w:cantSplit/>[<w:tblHeader/>]</w:trPr>` then per
cell `<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="…"/>[<w:tcBorders>…][<w:shd …/>]</w:tcPr><w:p>…</w:p>…</w:tc>`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Hashable, Iterable

from docx.oxml import OxmlElement
from docx.oxml.parser import oxml_parser
from docx.text.run import Run
from lxml import etree

__all__ = [
    "RunLooks",
    "W_NS",
    "cell_element",
    "docx_text",
    "grid_widths",
    "paragraph_element",
    "row_element",
    "text_into",
    "w",
]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(tag: str) -> str:
    """The Clark name of a WordprocessingML tag: w("tc") → "{…/main}tc"."""
    return f"{{{W_NS}}}{tag}"


_R, _RPR, _T, _TAB, _BR, _CR = w("r"), w("rPr"), w("t"), w("tab"), w("br"), w("cr")
_P, _TC, _TCPR, _TCW, _TR, _TRPR = w("p"), w("tc"), w("tcPr"), w("tcW"), w("tr"), w("trPr")
_TEXT_PARTS = re.compile(r"([\t\n\r])")
_NSMAP = {"w": W_NS}


def _new(tag: str):
    """A detached element made by python-docx's parser (so it gets python-docx's element classes) with the `w`
    prefix declared (dropped again when the element joins a document that declares it)."""
    return oxml_parser.makeelement(tag, nsmap=_NSMAP)


class RunLooks:
    """Run properties (`w:rPr`) per look, made once by `style(run, look)` on a detached run, then copied.

    `look` is any hashable description of how a run looks (font, size, highlight, ...); `style` formats a
    python-docx `Run` that way. Runs with no properties at all get no `w:rPr`, as python-docx writes them.
    """

    def __init__(self, style: Callable[[Run, Hashable], None], text: Callable[[object, str], None] | None = None) -> None:
        self._style = style
        self._text = text or text_into  # how text goes into a run: `text_into`, or python-docx's `docx_text`
        self._made: dict[Hashable, etree._Element | None] = {}

    def properties(self, look: Hashable):
        if look not in self._made:
            run = Run(OxmlElement("w:r"), None)  # type: ignore[arg-type]
            self._style(run, look)
            rpr = run._r.find(_RPR)
            self._made[look] = rpr if rpr is not None and len(rpr) else None
        return self._made[look]

    def run(self, text: str, look: Hashable, *, into=None):
        """A `w:r` with `look`'s properties holding `text` (tab, LF, CR as `w:tab`, `w:br`, `w:cr`)."""
        r = etree.SubElement(into, _R) if into is not None else _new(_R)
        rpr = self.properties(look)
        if rpr is not None:
            r.append(copy.deepcopy(rpr))
        self._text(r, text)
        return r


def text_into(r, text: str) -> None:
    """Append `text` to run element `r`: `w:t` for text, `w:tab`/`w:br`/`w:cr` for tab, LF and CR."""
    for part in _TEXT_PARTS.split(text) if ("\t" in text or "\n" in text or "\r" in text) else (text,):
        if not part:
            continue
        if part == "\t":
            etree.SubElement(r, _TAB)
        elif part == "\n":
            etree.SubElement(r, _BR)
        elif part == "\r":
            etree.SubElement(r, _CR)
        else:
            t = etree.SubElement(r, _T)
            t.set(_XML_SPACE, "preserve")
            t.text = part


def docx_text(r, text: str) -> None:
    """Text into run element `r` exactly as python-docx's `Run.text` writes it (`xml:space` only where needed)."""
    r.text = text  # CT_R's setter: keeps w:rPr, w:tab for tabs, w:br for line breaks


def paragraph_element(runs: Iterable = ()):
    p = _new(_P)
    p.extend(runs)
    return p


def cell_element(width: str, paragraphs: list, *, properties: Iterable = ()):
    """A `w:tc` of `width` twips holding `paragraphs` (at least one: a cell must end with a paragraph);
    `properties`: further `w:tcPr` children (`w:tcBorders`, `w:shd`, ...) in schema order."""
    tc = _new(_TC)
    tcpr = etree.SubElement(tc, _TCPR)
    tcw = etree.SubElement(tcpr, _TCW)
    tcw.set(w("type"), "dxa")
    tcw.set(w("w"), width)
    for element in properties:
        tcpr.append(copy.deepcopy(element))
    tc.extend(paragraphs or [_new(_P)])
    return tc


def row_element(cells: Iterable, *, header: bool = False, cant_split: bool = True):
    """A `w:tr` never split across pages (unless not `cant_split`), repeated on every page when `header`."""
    tr = _new(_TR)
    if cant_split or header:
        trpr = etree.SubElement(tr, _TRPR)
        if cant_split:
            etree.SubElement(trpr, w("cantSplit"))
        if header:
            etree.SubElement(trpr, w("tblHeader"))
    tr.extend(cells)
    return tr


def grid_widths(table) -> list[str]:
    """The column widths (twips, as written) of a python-docx table's `w:tblGrid`: read once per table."""
    return [col.get(w("w")) for col in table._tbl.find(w("tblGrid")).iter(w("gridCol"))]


def element(tag: str, **attributes: str):
    """A detached `w:<tag>` with `w:`-qualified attributes in the order given (for `properties`)."""
    made = _new(w(tag))
    for name, value in attributes.items():
        made.set(w(name), value)
    return made


__all__ += ["element"]
