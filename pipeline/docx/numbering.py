"""How Word numbers a list paragraph: its list, level, number format and first number, from numbering.xml.

A paragraph is in a list when its properties, or those of its paragraph style (followed through `basedOn`), hold a
`w:numPr` with a `w:numId` other than 0. The `w:num` it names points to an abstract numbering (`w:abstractNum`,
possibly through a numbering style's `w:numStyleLink`), whose `w:lvl` for the paragraph's level says the format
(`w:numFmt`: decimal, lowerLetter, upperRoman, bullet, none, ...) and the first number (`w:start`); a `w:lvlOverride`
of the `w:num` may replace either (`w:startOverride`, its own `w:lvl`). Word and LibreOffice both write lists this
way ("1. 2. 3." is a decimal level, a bulleted list a bullet one).

Read for the web page (pipeline/publish/formats/html.py), which writes an ordered list as `<ol>` and a bulleted
one as `<ul>`. A damaged or missing numbering part means no list is known: the caller falls back to the style name.
"""

from __future__ import annotations

from dataclasses import dataclass

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
RT_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
UNORDERED = frozenset({"bullet", "none", ""})
_STYLE_DEPTH = 20  # basedOn and numStyleLink chains longer than this are damaged (or a loop)

__all__ = ["ListLevel", "Numbering"]


@dataclass(frozen=True)
class ListLevel:
    """The list of one paragraph: which list (`list_key`: paragraphs with the same key count on together, as
    Word counts every w:num of one abstract numbering), its level (0 outermost), the level's number format, the
    number its first item gets, and the w:num with its `w:startOverride` (the count starts again there, the
    first time that w:num is met)."""

    list_key: str
    level: int
    number_format: str
    start: int
    num_id: str = ""
    restart: int | None = None

    @property
    def ordered(self) -> bool:
        return self.number_format not in UNORDERED


def _val(element, tag: str) -> str | None:
    found = element.find(W + tag) if element is not None else None
    return found.get(W + "val") if found is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


class Numbering:
    """The numbering definitions and paragraph styles of one python-docx Document, read once."""

    def __init__(self, document):
        root = _numbering_root(document)
        self.abstracts = {a.get(W + "abstractNumId"): a for a in root.iterchildren(W + "abstractNum")} if root is not None else {}
        self.nums = {n.get(W + "numId"): n for n in root.iterchildren(W + "num")} if root is not None else {}
        self.styles: dict[str | None, object] = {}
        try:
            for style in document.styles.element.iterchildren(W + "style"):
                self.styles[style.get(W + "styleId")] = style
        except Exception:  # a document without a styles part: lists by direct numbering only
            pass

    def level(self, p) -> ListLevel | None:
        """The list paragraph `p` (a w:p) is in, or None (not numbered, or numbering that cannot be read)."""
        num_id, ilvl = self._num_pr(p)
        if num_id in (None, "0") or num_id not in self.nums:
            return None
        num = self.nums[num_id]
        level = _int(ilvl, 0)
        override = next((o for o in num.iterchildren(W + "lvlOverride") if _int(o.get(W + "ilvl"), -1) == level), None)
        lvl = override.find(W + "lvl") if override is not None else None
        abstract_id = _val(num, "abstractNumId")
        if lvl is None:
            abstract = self._abstract(abstract_id)
            lvl = next((x for x in abstract.iterchildren(W + "lvl") if _int(x.get(W + "ilvl"), -1) == level), None) \
                if abstract is not None else None
        if lvl is None:
            return None
        start = _int(_val(lvl, "start"), 1)
        restart = _val(override, "startOverride") if override is not None else None
        key = f"abstract:{abstract_id}" if abstract_id is not None else f"num:{num_id}"
        return ListLevel(key, level, _val(lvl, "numFmt") or "decimal", start, num_id,
                         _int(restart, start) if restart is not None else None)

    def _num_pr(self, p) -> tuple[str | None, str | None]:
        ppr = p.find(W + "pPr")
        num_pr = ppr.find(W + "numPr") if ppr is not None else None
        if num_pr is not None and _val(num_pr, "numId") is not None:
            return _val(num_pr, "numId"), _val(num_pr, "ilvl")
        style_id = _val(ppr, "pStyle") if ppr is not None else None
        style_level = _val(num_pr, "ilvl") if num_pr is not None else None
        for _ in range(_STYLE_DEPTH):
            style = self.styles.get(style_id) if style_id is not None else self.styles.get(self._default_style())
            if style is None:
                return None, None
            spr = style.find(W + "pPr")
            snum = spr.find(W + "numPr") if spr is not None else None
            if snum is not None and _val(snum, "numId") is not None:
                return _val(snum, "numId"), style_level or _val(snum, "ilvl")
            style_id = _val(style, "basedOn")
            if style_id is None:
                return None, None
        return None, None

    def _default_style(self) -> str | None:
        for sid, style in self.styles.items():
            if style.get(W + "type") == "paragraph" and style.get(W + "default") in ("1", "true", "on"):
                return sid
        return None

    def _abstract(self, abstract_id: str | None):
        for _ in range(_STYLE_DEPTH):
            abstract = self.abstracts.get(abstract_id)
            if abstract is None:
                return None
            link = _val(abstract, "numStyleLink")
            if link is None:
                return abstract
            style = self.styles.get(link)
            spr = style.find(W + "pPr") if style is not None else None
            num = self.nums.get(_val(spr.find(W + "numPr"), "numId")) if spr is not None and spr.find(W + "numPr") is not None else None
            if num is None:
                return abstract
            abstract_id = _val(num, "abstractNumId")
        return None


def _numbering_root(document):
    """numbering.xml's root element, without python-docx creating the part when there is none."""
    from docx.oxml import parse_xml  # python-docx's parser: no entities resolved, no network

    try:
        part = next((rel.target_part for rel in document.part.rels.values()
                     if rel.reltype == RT_NUMBERING and not rel.is_external), None)
    except Exception:
        return None
    if part is None:
        return None
    element = getattr(part, "element", None)
    if element is not None:
        return element
    try:
        return parse_xml(part.blob)
    except Exception:  # a damaged numbering part: no list is known
        return None
