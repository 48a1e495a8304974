"""Every story of a .docx release, paragraph by paragraph: its text, its inline formatting, and where it sits.

Read by ingest (the English to translate) and walked again by publish (the same paragraphs, in the same order, on
a copy of the same file) so each translated paragraph is written back where its English was.

Reading order, which is also the order of segments:

1. the body, in document order: paragraphs, table cells (row by row, nested tables in place), content controls;
   the paragraphs of a text box come right after the paragraph that anchors it (the modern `mc:Choice` copy; the
   legacy VML fallback holds the same text and is rewritten from it at publish);
2. footnotes, then endnotes, in the order the body refers to them;
3. headers, then footers, in the order the sections refer to them (each part once): the "EMBARGOED UNTIL …"
   line of a header is a segment like any other.

Inside a paragraph: tracked insertions are read as accepted, deletions dropped (a table row deleted with tracking
too); a manual line break (`w:br`, `w:cr`) ends a line, and each line is a paragraph of the release; field codes
are not text, field results are (the "1" of a caption's `SEQ Figure` field), except page-number and date fields
(PAGE, NUMPAGES, DATE, ...): a paragraph holding one is not read and is kept as it is (`WordParagraph.readable`
is False), so a footer's "Page 3 of 5" keeps counting; ingest says so in the release's notes. Images are
counted, not read. Hidden text (`w:vanish`, `w:specVanish`: direct formatting, a character or paragraph style;
pipeline/docx/hidden.py) is not read: its runs are listed (`WordParagraph.hidden`, `Stories.hidden_runs`) so that
publish keeps them, hidden, where they are, and so that ingest can say how many there were. An image or a text box
anchored in hidden text is hidden with it: not counted as an image, its text box not read, its run listed with the
hidden runs (kept as it is). Text hidden on the web only (`w:webHidden`) is printed and shown in Word: it is read
(`WordParagraph.web_text` says whether a paragraph holds some); a reader made for the web page
(`StoryReader(..., web=True)`) reads past it, and past images and text boxes anchored in it.

Inline formatting becomes `Mark`s: bold, italic, underline, superscript, subscript (direct formatting or a
character style such as Strong or Emphasis) and hyperlinks (`w:hyperlink` with an external target, or a
HYPERLINK field) with their URL. Formatting that covers the whole paragraph (a bold headline) is the
paragraph's, not a mark: it stays in the published paragraph's run properties. Underline inside a hyperlink is
the link's look (the Hyperlink style), not a mark. Marks are trimmed of surrounding whitespace and made laminar
(a mark crossing another is split), so they can be sent to the model as paired tags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.core.marks import marks_from_spans
from pipeline.core.release import Mark
from pipeline.docx.hidden import visibility
from pipeline.docx.xml_entities import run_text

_TOKEN = re.compile(r'"([^"]*)"?|([^\s"]+)')
_SWITCHES_WITH_ARGUMENT = {"\\o", "\\t"}  # \o "tooltip", \t "target frame"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
RT_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
RT_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
RT_ENDNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"
RT_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"

DRAWINGS = {W + "drawing", W + "pict", W + "object"}
# Fields whose result Word recomputes (page numbers, dates): never translated, their paragraph kept as it is.
DYNAMIC_FIELDS = {
    "PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION", "DATE", "TIME", "PRINTDATE", "SAVEDATE", "CREATEDATE",
    "EDITTIME", "REVNUM", "FILENAME", "FILESIZE", "NUMWORDS", "NUMCHARS", "PAGEREF",
}  # fmt: skip
FORMAT_KINDS = ("b", "i", "u", "sup", "sub")
_RUN_TEXT = {W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen", W + "sym"}
_ON = {None, "1", "true", "on"}
_CHARACTERS = {W + "tab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "\u2011"}
_NOTE_REFERENCES = {W + "footnoteReference": "footnote", W + "endnoteReference": "endnote"}
NOTE_REFERENCE = "\ufffc"  # OBJECT REPLACEMENT CHARACTER: where a note reference sits (StoryReader, note_references)


@dataclass(frozen=True)
class WebText:
    """Whether a paragraph's text (hidden text aside) is shown on the web page, and whether some is hidden there
    only (`w:webHidden`, pipeline/docx/hidden.py)."""

    shown: bool = False
    hidden: bool = False


@dataclass
class Line:
    text: str  # stripped of leading and trailing whitespace
    marks: list[Mark] = field(default_factory=list)  # offsets into `text`


@dataclass
class WordParagraph:
    story: str  # body, table, text box, footnote, endnote, header, footer
    part: Any  # the python-docx Part holding it (for hyperlink relationships)
    element: Any  # the w:p element
    lines: list[Line] = field(default_factory=list)
    readable: bool = True  # False: holds a page-number or date field; kept as it is
    uniform: set[str] = field(default_factory=set)  # formatting kinds of the whole paragraph (not marks)
    hidden: list[Any] = field(default_factory=list)  # its runs of hidden text (w:r elements): not read, kept hidden
    web_text: WebText = field(default_factory=WebText)  # whether its text is hidden on the web page


@dataclass
class Stories:
    paragraphs: list[WordParagraph] = field(default_factory=list)
    images: int = 0
    changes: int = 0
    notes_read: dict[str, int] = field(default_factory=dict)  # footnote/endnote → how many
    comments: bool = False
    format_styles: set[str] = field(default_factory=set)  # character styles that carry b/i/sup/sub
    hidden_runs: list[Any] = field(default_factory=list)  # every run of hidden text read past, in reading order

    def count(self, story: str) -> int:
        return sum(1 for p in self.paragraphs if p.story == story and p.readable and any(ln.text for ln in p.lines))

    def kept(self) -> list[WordParagraph]:
        return [p for p in self.paragraphs if not p.readable]


def walk_document(document) -> Stories:
    """Every story of a python-docx `Document`, in reading order (see the module docstring)."""
    stories = Stories()
    reader = StoryReader(document, stories)
    reader.block(document.element.body, "body", document.part)
    for kind, reltype, reference in (("footnote", RT_FOOTNOTES, "footnoteReference"), ("endnote", RT_ENDNOTES, "endnoteReference")):
        found = reader.notes(reltype, reference, kind)
        if found:
            stories.notes_read[kind] = found
    for kind in ("header", "footer"):
        for part in _section_parts(document, kind):
            reader.block(part.element, kind, part)
    stories.comments = any(rel.reltype == RT_COMMENTS for rel in document.part.rels.values())
    return stories


def _section_parts(document, kind: str) -> list:
    seen: dict[str, Any] = {}
    rels = document.part.rels
    for sect in document.element.body.iter(W + "sectPr"):
        for ref in sect.iterchildren(W + f"{kind}Reference"):
            rid = ref.get(R + "id")
            rel = rels.get(rid) if rid else None
            if rel is None or rel.is_external:
                continue
            part = rel.target_part
            if str(part.partname) not in seen and hasattr(part, "element"):
                seen[str(part.partname)] = part
    return list(seen.values())


class StoryReader:
    """`web`: reading for the web page: text, images and text boxes hidden there only are not read either.
    `note_references`: a footnote or endnote reference is read as one NOTE_REFERENCE character carrying a
    ("note", "footnote:ID") format, and `highlights`: highlighted text carries a ("mark", None) format; both only for
    the web page (html.py), which shows them; ingest reads neither (a note's text is read as its own story)."""

    web = False  # class defaults: a reader made with __new__ (review/marks.py) reads as ingest does
    web_text = WebText()  # of the paragraph read last
    note_references = False
    highlights = False

    def __init__(
        self, document, stories: Stories, *, web: bool = False, note_references: bool = False, highlights: bool = False
    ):
        self.document = document
        self.stories = stories
        self.note_references = note_references
        self.highlights = highlights
        self.styles = character_styles(document)
        self.visibility = visibility(document)
        self.web = web
        stories.format_styles = {sid for sid, kinds in self.styles.items() if kinds}

    def shows(self, element, p) -> bool:
        """Whether an image or a text box's content (`element`) in paragraph `p` is shown: not anchored in hidden
        text or a tracked deletion (hidden.py); reading for the web page, not hidden there only either."""
        if self.visibility.object_hidden(element, p):
            return False
        web = self.visibility.web
        return not (self.web and web is not None and web.object_hidden(element, p))

    # --- blocks ---------------------------------------------------------------------------------------------

    def block(self, element, story: str, part) -> None:
        for child in element.iterchildren():
            tag = child.tag
            if tag == W + "p":
                self.paragraph(child, story, part)
            elif tag == W + "tbl":
                for row in child.iterchildren(W + "tr"):
                    if is_deleted_row(row):
                        self.stories.changes += 1
                        continue
                    for cell in row.iterchildren(W + "tc"):
                        self.block(cell, "table" if story == "body" else story, part)
            elif tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "moveTo"):
                if tag in (W + "ins", W + "moveTo"):
                    self.stories.changes += 1
                self.block(child, story, part)
            elif tag in (W + "del", W + "moveFrom"):
                self.stories.changes += 1

    def paragraph(self, p, story: str, part) -> None:
        hidden_before = len(self.stories.hidden_runs)
        chars, readable = self._read(p, part)
        paragraph = WordParagraph(story, part, p, chars_to_lines(chars) if readable else [], readable)
        paragraph.hidden = self.stories.hidden_runs[hidden_before:]
        paragraph.web_text = self.web_text
        paragraph.uniform = {kind for kind, _ in uniform_kinds(chars)}
        if readable or any(text.strip() for text, _ in chars):
            self.stories.paragraphs.append(paragraph)
        for box in text_boxes(p):
            if self.shows(box, p):  # a text box anchored in hidden text is hidden with it: not content
                self.block(box, "text box", part)

    def notes(self, reltype: str, reference: str, kind: str) -> int:
        ids = [ref.get(W + "id") for ref in self.document.element.body.iter(W + reference)]
        if not ids:
            return 0
        part = next(
            (rel.target_part for rel in self.document.part.rels.values() if rel.reltype == reltype and not rel.is_external),
            None,
        )
        if part is None:
            return 0
        root = notes_root(part)
        if root is None:
            return 0
        by_id = {el.get(W + "id"): el for el in root.iterchildren() if el.get(W + "type") in (None, "normal")}
        found = 0
        for note_id in dict.fromkeys(ids):
            element = by_id.get(note_id)
            if element is not None:
                self.block(element, kind, part)
                found += 1
        return found

    # --- one paragraph -------------------------------------------------------------------------------------

    def _read(self, p, part) -> tuple[list[tuple[str, frozenset]], bool]:
        chars: list[tuple[str, frozenset]] = []
        fields: list[dict] = []  # complex fields open in this paragraph: instr text, phase, link
        state = {"dynamic": False}
        stories = self.stories
        paragraph_hidden = self.visibility.paragraph_hidden(p)
        web = self.visibility.web
        web_paragraph_hidden = web is not None and web.paragraph_hidden(p)
        seen_on_web = {True: False, False: False}  # text shown on the web page / hidden there only (w:webHidden)

        def field_link() -> str | None:
            for f in reversed(fields):
                if f["phase"] == "result" and f.get("href"):
                    return f["href"]
            return None

        def hidden_by_field() -> bool:
            return any(f["phase"] == "instr" for f in fields)

        def run(r, link: str | None) -> None:
            fmt = self._format(r)
            hidden = self.visibility.run_hidden(r, paragraph_hidden)
            on_web = web is None or not web.run_hidden(r, web_paragraph_hidden)
            hidden = hidden or (self.web and not on_web)
            hidden_text = hidden_object = False
            for child in r.iterchildren():
                tag = child.tag
                if not isinstance(tag, str):
                    continue
                if tag in (W + "fldChar", W + "instrText"):
                    _field_part(child, fields, state)
                    continue
                if tag in DRAWINGS or tag == MC + "AlternateContent":
                    if hidden:
                        hidden_object = True  # an image or text box anchored in hidden text: hidden with it
                    elif not any(True for _ in child.iter(W + "txbxContent")):
                        stories.images += 1
                    continue
                if hidden_by_field():
                    continue
                if hidden:
                    hidden_text = hidden_text or tag in _RUN_TEXT
                    continue
                here = field_link() or link
                f = fmt | {("a", here)} if here else fmt
                if here:
                    f = frozenset(k for k in f if k[0] != "u")  # a link's underline is its look, not a mark
                if tag == W + "t":
                    chars.append((element_text(child), f))
                    seen_on_web[on_web] = seen_on_web[on_web] or bool(chars[-1][0].strip())
                elif tag in _CHARACTERS:
                    chars.append((_CHARACTERS[tag], f))
                elif tag == W + "sym":
                    chars.append((sym_char(child), f))
                elif tag in _NOTE_REFERENCES and self.note_references:
                    kind = _NOTE_REFERENCES[tag]
                    chars.append((NOTE_REFERENCE, frozenset({("note", f"{kind}:{child.get(W + 'id')}")})))
            if (hidden_text or hidden_object) and r.find(W + "fldChar") is None and r.find(W + "instrText") is None:
                stories.hidden_runs.append(r)  # a field's own runs stay with the field (publish rewrites it)

        def visit(el, link: str | None) -> None:
            for child in el.iterchildren():
                tag = child.tag
                if not isinstance(tag, str):
                    continue  # comments, processing instructions
                if tag == W + "pPr":
                    continue
                if tag == W + "r":
                    run(child, link)
                elif tag in (W + "del", W + "moveFrom"):
                    stories.changes += 1
                elif tag in (W + "ins", W + "moveTo"):
                    stories.changes += 1
                    visit(child, link)
                elif tag == W + "hyperlink":
                    visit(child, hyperlink_target(child, part) or link)
                elif tag == W + "fldSimple":
                    instr = child.get(W + "instr") or ""
                    if _field_name(instr) in DYNAMIC_FIELDS:
                        state["dynamic"] = True
                        continue
                    visit(child, field_target(instr) or link)
                elif tag == MC + "AlternateContent" or tag in DRAWINGS:
                    if not any(True for _ in child.iter(W + "txbxContent")):
                        stories.images += 1
                else:
                    visit(child, link)  # smartTag, sdt, sdtContent, customXml, bdo, dir, ...

        visit(p, None)
        self.web_text = WebText(shown=seen_on_web[True], hidden=seen_on_web[False])
        return chars, not state["dynamic"]

    def _format(self, r) -> frozenset:
        rpr = r.find(W + "rPr")
        kinds: set[str] = set()
        if rpr is None:
            return frozenset()
        style = rpr.find(W + "rStyle")
        if style is not None:
            kinds |= self.styles.get(style.get(W + "val"), set())
        for kind, tag in (("b", "b"), ("i", "i")):
            el = rpr.find(W + tag)
            if el is not None:
                (kinds.add if el.get(W + "val") in _ON else kinds.discard)(kind)
        u = rpr.find(W + "u")
        if u is not None:
            (kinds.add if u.get(W + "val") not in ("none", "0", "false") else kinds.discard)("u")
        va = rpr.find(W + "vertAlign")
        if va is not None:
            value = va.get(W + "val")
            kinds.discard("sup")
            kinds.discard("sub")
            if value == "superscript":
                kinds.add("sup")
            elif value == "subscript":
                kinds.add("sub")
        if self.highlights:
            highlight = rpr.find(W + "highlight")
            if highlight is not None and highlight.get(W + "val") not in (None, "none"):
                kinds.add("mark")
        return frozenset((k, None) for k in kinds)


def _field_part(child, fields: list[dict], state: dict) -> None:
    """A complex field's character (begin, separate, end) or instruction text, in paragraph reading order."""
    if child.tag == W + "instrText":
        if fields:
            fields[-1]["instr"] += child.text or ""
        return
    kind = child.get(W + "fldCharType")
    if kind == "begin":
        fields.append({"instr": "", "phase": "instr"})
    elif kind == "separate" and fields:
        f = fields[-1]
        f["phase"] = "result"
        f["href"] = field_target(f["instr"])
        if _field_name(f["instr"]) in DYNAMIC_FIELDS:
            state["dynamic"] = True
    elif kind == "end" and fields:
        f = fields.pop()
        if f["phase"] == "instr" and _field_name(f["instr"]) in DYNAMIC_FIELDS:
            state["dynamic"] = True


# --- helpers shared with publish ---------------------------------------------------------------------------------


def is_deleted_row(tr) -> bool:
    """A table row deleted with Track Changes (`w:trPr/w:del`): not read, not published."""
    trpr = tr.find(W + "trPr")
    return trpr is not None and trpr.find(W + "del") is not None


def element_text(t) -> str:
    """The text of a w:t, entity references included (xml_entities.run_text: lxml keeps a reference as a child
    and the text after it as its tail)."""
    return run_text(t)


def sym_char(el) -> str:
    code = el.get(W + "char") or ""
    try:
        cp = int(code, 16)
    except ValueError:
        return ""
    if 0xF000 <= cp <= 0xF0FF:  # symbol-font private-use range: no faithful Unicode character
        return ""
    return chr(cp)


def hyperlink_target(hyperlink, part) -> str | None:
    rid = hyperlink.get(R + "id")
    if not rid:
        return None
    rel = part.rels.get(rid)
    if rel is None or not rel.is_external:
        return None
    return rel.target_ref


def text_boxes(p) -> list:
    """The text box contents anchored in paragraph `p` (the mc:Choice copy only; nested boxes excluded)."""
    found = []
    for box in p.iter(W + "txbxContent"):
        if any(a.tag == MC + "Fallback" for a in box.iterancestors()):
            continue
        # a box inside another box is read when that box's paragraphs are
        if any(a.tag == W + "txbxContent" for a in box.iterancestors()):
            continue
        found.append(box)
    return found


def notes_root(part):
    from docx.oxml import parse_xml  # python-docx's parser: no entities resolved, no network

    element = getattr(part, "element", None)
    if element is not None:
        return element
    if not hasattr(part, "_pipeline_root"):
        try:
            part._pipeline_root = parse_xml(part.blob)
        except Exception:  # a damaged notes part loses the notes, not the release
            part._pipeline_root = None
    return part._pipeline_root


def _field_name(instr: str) -> str:
    words = instr.split()
    return words[0].upper() if words else ""


def field_target(instruction: str) -> str | None:
    """The URL of a HYPERLINK field instruction (`HYPERLINK "https://…" \\o "tip"`), or None. A quoted target is
    read whole, tabs and spaces inside it included, as Word reads it."""
    tokens = [quoted if quoted is not None and bare == "" else bare for quoted, bare in _TOKEN.findall(instruction)]
    if not tokens or tokens[0].upper() != "HYPERLINK":
        return None
    switch_argument = False
    for token in tokens[1:]:
        if token == "\\l":
            return None  # a bookmark inside the document
        if token.startswith("\\"):
            switch_argument = token in _SWITCHES_WITH_ARGUMENT
            continue
        if switch_argument:
            switch_argument = False
            continue
        return token or None
    return None


def character_styles(document) -> dict[str, set[str]]:
    """styleId → formatting kinds of the character styles (Strong → b, Emphasis → i), basedOn followed."""
    try:
        root = document.styles.element
    except Exception:
        return {}
    own: dict[str, set[str]] = {}
    based: dict[str, str] = {}
    for style in root.iterchildren(W + "style"):
        if style.get(W + "type") != "character":
            continue
        sid = style.get(W + "styleId")
        kinds: set[str] = set()
        rpr = style.find(W + "rPr")
        if rpr is not None:
            for kind in ("b", "i"):
                el = rpr.find(W + kind)
                if el is not None and el.get(W + "val") in _ON:
                    kinds.add(kind)
            va = rpr.find(W + "vertAlign")
            if va is not None and va.get(W + "val") in ("superscript", "subscript"):
                kinds.add("sup" if va.get(W + "val") == "superscript" else "sub")
        own[sid] = kinds
        parent = style.find(W + "basedOn")
        if parent is not None:
            based[sid] = parent.get(W + "val")
    result = {}
    for sid in own:
        kinds, seen, cur = set(own[sid]), {sid}, based.get(sid)
        while cur and cur not in seen and cur in own:
            kinds |= own[cur]
            seen.add(cur)
            cur = based.get(cur)
        result[sid] = kinds
    return result


# --- text pieces → lines with marks ------------------------------------------------------------------------------
# A paragraph is read as (text, formats) pieces, one per w:t (not per character: a 10 MB release stays small).


def chars_to_lines(chars: list[tuple[str, frozenset]]) -> list[Line]:
    uniform = uniform_kinds(chars)
    lines: list[Line] = []
    current: list[tuple[str, frozenset]] = []
    for text, fmt in chars:
        for k, part in enumerate(text.split("\n")):
            if k:
                lines.append(_line(current, uniform))
                current = []
            if part:
                current.append((part, fmt))
    lines.append(_line(current, uniform))
    return lines


def uniform_kinds(chars: list[tuple[str, frozenset]]) -> set:
    """Formatting on every visible character of the paragraph: the paragraph's own, not a mark (links excepted)."""
    visible = [fmt for text, fmt in chars if text.strip() and text != NOTE_REFERENCE]
    if not visible:
        return set()
    common = set(visible[0])
    for fmt in visible[1:]:
        common &= fmt
    return {k for k in common if k[0] != "a"}


def _line(pieces: list[tuple[str, frozenset]], uniform: set) -> Line:
    text = "".join(t for t, _ in pieces)
    stripped = text.strip()
    if not stripped:
        return Line("")
    lead = len(text) - len(text.lstrip())
    spans, position = [], 0
    for piece, fmt in pieces:
        start, end = max(0, position - lead), min(len(stripped), position + len(piece) - lead)
        if end > start:
            spans.append((start, end, fmt - uniform))
        position += len(piece)
    return Line(stripped, marks_from_spans(stripped, spans))
