"""Reading a review document back: its metadata and the rows of its table, with tracked changes ACCEPTED.

python-docx's `cell.text` skips runs inside `<w:ins>` (a reviewer's tracked insertion) and so silently loses
tracked edits (/work/shared/docs/word-facts.md). Cells are therefore read by walking their XML, which gives
exactly what Word's "Accept All Changes" would leave:

* text (`w:t`) of plain runs and of runs inside `w:ins` (insertions) and `w:moveTo` (moved here) is kept;
* `w:delText`, and anything inside `w:del` (deletions) or `w:moveFrom` (moved away), is dropped;
* `w:tab` → "\\t", `w:br` → "\\n", `w:cr` → "\\r", `w:noBreakHyphen` → U+2011, `w:softHyphen` → nothing;
* field instructions (`w:instrText`) are not text; a field's result is;
* ruby (furigana, `w:ruby`): the base text (`w:rubyBase`) is kept, the reading above it (`w:rt`) is not;
* formatting, and formatting changes (`w:rPrChange`, `w:pPrChange`), are ignored: they never change text;
* the paragraphs of a cell are joined with "\\n", except where the paragraph mark itself was deleted with tracking
  (`w:pPr/w:rPr/w:del`): accepting that deletion joins the paragraph with the next one;
* a table row deleted with tracking (`w:trPr/w:del`) is not read; an inserted one is.
* in the target and OK? columns, text formatted as hidden (`w:vanish`, directly or by a style;
  pipeline/docx/hidden.py) is not read as the translation or the mark: a hidden "OK" approves nothing, hidden
  text in a target cell is never published. It is kept apart (`ReviewRow.hidden_target`, `hidden_mark`) for the
  import to report.

Paragraphs outside the review table (the header block, anything typed after the table) are returned too
(`ReviewDocument.outside`, `outside_paragraphs`), so that the import can keep what a reviewer typed there.

Comments (`word/comments.xml`) are read too and attached to the row whose cell holds their
`w:commentRangeStart` (or, failing that, their `w:commentReference`); comments anchored outside the table are
returned separately (`ReviewDocument.comments`).

The table is the one whose header row starts with "ID" (else the first table); its header row is skipped.
Columns: ID | English | <target> | Notes | OK? (the approval mark; older documents have no OK? column).

Published documents (`translate publish`) are recognised by their core property `category`: a bilingual one
("published-bilingual") reads as rows `p01`, `p02`, ... of English | target paragraphs (so that
`translate glossary check --against` checks it); a monolingual one ("published") has no English and no rows.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.core.errors import InputError, ReviewError
from pipeline.core.limits import REVIEW_DOCX_MAX_BYTES, LimitExceeded, check_file
from pipeline.docx.bounded import DocxRefused, open_docx
from pipeline.docx.hidden import Visibility, visibility
from pipeline.docx.xml_entities import run_text
from pipeline.review.marks import cell_marks, may_have_marks

__all__ = [
    "KIND_BILINGUAL",
    "KIND_PUBLISHED",
    "KIND_REVIEW",
    "ReviewComment",
    "ReviewDocument",
    "ReviewRow",
    "cell_paragraphs",
    "cell_text",
    "outside_paragraphs",
    "paragraph_text",
    "read_review_document",
    "read_review_rows",
    "review_table",
]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SKIP = {W + "del", W + "moveFrom", W + "delText", W + "instrText", W + "delInstrText", W + "rPr", W + "pPr",
         W + "sectPr", W + "tblPr", W + "trPr", W + "tcPr", W + "footnoteReference", W + "endnoteReference",
         W + "commentReference", W + "rt", W + "rubyPr"}  # fmt: skip
_CHARS = {W + "tab": "\t", W + "br": "\n", W + "cr": "\r", W + "noBreakHyphen": "\u2011", W + "softHyphen": ""}
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_CONTAINERS = (W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag")
_TRACKED = (W + "ins", W + "del", W + "moveTo", W + "moveFrom")

KIND_REVIEW = "review"
KIND_PUBLISHED = "published"
KIND_BILINGUAL = "published-bilingual"
COLUMNS = ("ID", "English", "target", "Notes", "OK?")


@dataclass
class ReviewComment:
    """A Word comment: its text with tracked changes accepted, and where it is anchored."""

    id: str
    author: str
    date: str | None
    text: str
    column: str | None = None  # "ID", "English", "target", "Notes"; None outside the table


@dataclass
class ReviewRow:
    id: str
    english: str
    target: str  # the target cell's paragraphs joined with "\n"
    notes: str
    row: int  # 1-based row number in the table, the header row being row 1
    target_paragraphs: list[str] = field(default_factory=list)
    comments: list[ReviewComment] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)  # authors of tracked changes in the target cell
    tracked: bool = False  # the target cell holds tracked changes
    mark: str = ""  # the OK? (approval) cell, tracked changes accepted; "" in a document without that column
    # Text formatted as hidden (w:vanish) in the target and OK? cells: not part of `target` or `mark` (it is not
    # what the reviewer's Word shows, and never published), kept here so that the import can say so.
    hidden_target: str = ""
    hidden_mark: str = ""
    target_marks: tuple | None = None  # (cell text as read for formatting, its marks): review_marks.cell_marks


@dataclass
class ReviewDocument:
    meta: dict
    rows: list[ReviewRow]
    comments: list[ReviewComment]  # comments anchored outside the table
    outside: list[tuple[str, str]] = field(default_factory=list)  # (where, text): paragraphs outside the table


BEFORE_TABLE, AFTER_TABLE = "before the table", "after the table"


def paragraph_text(p, visibility: Visibility | None = None, hidden: list[str] | None = None) -> str:
    """The text of a `w:p` element with tracked changes accepted. With `visibility`, runs of hidden text (w:vanish,
    pipeline/docx/hidden.py) are not part of it: their text goes to `hidden`."""
    parts: list[str] = []
    paragraph_hidden = visibility.paragraph_hidden(p) if visibility is not None else False

    def visit(element, parts: list[str]) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP or tag == _MC_FALLBACK:
                continue
            if tag == W + "r" and visibility is not None and visibility.run_hidden(child, paragraph_hidden):
                if hidden is not None:
                    visit(child, hidden)
                continue
            if tag == W + "t":
                parts.append(run_text(child))  # with any entity reference in it, and the text after it
            elif tag in _CHARS:
                parts.append(_CHARS[tag])
            elif tag == W + "sym":
                char = child.get(W + "char")
                try:
                    parts.append(chr(int(char, 16)) if char else "")
                except ValueError:
                    pass
            elif tag == W + "tbl" or tag == W + "p":
                continue  # nested content is not this paragraph's text
            else:
                visit(child, parts)  # runs, w:ins, w:moveTo, hyperlinks, smart tags, fields, content controls ...

    visit(p, parts)
    return "".join(parts)


def _mark_deleted(p) -> bool:
    ppr = p.find(W + "pPr")
    if ppr is None:
        return False
    rpr = ppr.find(W + "rPr")
    return rpr is not None and (rpr.find(W + "del") is not None or rpr.find(W + "moveFrom") is not None)


def _children(parent, tag: str, through: tuple[str, ...] = _CONTAINERS) -> list:
    """`parent`'s `tag` children, including those wrapped in `through` elements (content controls, custom XML)."""
    found = []
    for child in parent:
        if child.tag == tag:
            found.append(child)
        elif child.tag in through:
            found += _children(child, tag, through)
    return found


def paragraph_elements(container) -> list:
    """The `w:p` elements of a container (a cell) in reading order, tracked insertions and moves included."""
    return _children(container, W + "p", _CONTAINERS + (W + "ins", W + "moveTo"))


def _block_paragraphs(container) -> list:
    """The `w:p` of a cell in reading order, those of a table nested in it included (row by row, cell by cell;
    rows deleted with tracking skipped): a reviewer who pasted a table into a cell typed that text too."""
    found = []
    for child in container:
        tag = child.tag
        if tag == W + "p":
            found.append(child)
        elif tag == W + "tbl":
            for tr in _table_rows(child):
                if not _row_deleted(tr):
                    for tc in _cells(tr):
                        found += _block_paragraphs(tc)
        elif tag in _CONTAINERS or tag in (W + "ins", W + "moveTo"):
            found += _block_paragraphs(child)
    return found


def cell_paragraphs(tc, visibility: Visibility | None = None, hidden: list[str] | None = None) -> list[str]:
    """The paragraphs of a table cell (`w:tc`) with tracked changes accepted, a nested table's included.

    A paragraph whose mark was deleted with tracking is joined to the next one, as accepting the deletion does.
    With `visibility`, hidden text is left out, into `hidden` (`paragraph_text`).
    """
    result: list[str] = []
    joined = False
    for p in _block_paragraphs(tc):
        text = paragraph_text(p, visibility, hidden)
        if joined and result:
            result[-1] += text
        else:
            result.append(text)
        joined = _mark_deleted(p)
    return result


def cell_text(tc) -> str:
    """The text of a table cell (`w:tc` element) with tracked changes accepted; paragraphs joined with "\\n"."""
    return "\n".join(cell_paragraphs(tc))


def _cells(tr) -> list:
    return _children(tr, W + "tc")


def _row_deleted(tr) -> bool:
    trpr = tr.find(W + "trPr")
    return trpr is not None and trpr.find(W + "del") is not None


def _table_rows(tbl) -> list:
    return _children(tbl, W + "tr")


def _tracked_authors(tc) -> tuple[bool, list[str]]:
    authors: list[str] = []
    tracked = False
    for element in tc.iter(*_TRACKED):
        if element.getparent() is not None and element.getparent().tag == W + "rPr":
            if element.getparent().getparent() is not None and element.getparent().getparent().tag == W + "pPr":
                tracked = True  # a paragraph mark inserted or deleted
            else:
                continue
        tracked = True
        author = (element.get(W + "author") or "").strip()
        if author and author not in authors:
            authors.append(author)
    return tracked, authors


def _comments(document) -> dict[str, ReviewComment]:
    """Comment id → comment, from the document's comments part (if any)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT  # lazy: python-docx, keeps --help fast
    from lxml import etree  # lazy: lxml, keeps --help fast

    part = next((rel.target_part for rel in document.part.rels.values() if rel.reltype == RT.COMMENTS and not rel.is_external), None)
    if part is None:
        return {}
    element = getattr(part, "element", None)
    if element is None:
        element = etree.fromstring(part.blob)
    result = {}
    for comment in element.iter(W + "comment"):
        cid = comment.get(W + "id")
        if cid is None:
            continue
        paragraphs = [paragraph_text(p) for p in paragraph_elements(comment)]
        result[cid] = ReviewComment(
            id=cid,
            author=(comment.get(W + "author") or "").strip(),
            date=comment.get(W + "date"),
            text="\n".join(paragraphs).strip(),
        )
    return result


def _anchors(element) -> list[str]:
    """Ids of the comments anchored in `element`: range starts, or bare references (no range)."""
    ids = [e.get(W + "id") for e in element.iter(W + "commentRangeStart")]
    ids += [e.get(W + "id") for e in element.iter(W + "commentReference")]
    return [i for i in dict.fromkeys(ids) if i is not None]


def _header_value(body, label: str) -> str | None:
    """The value of a "Label: value" line of the review document's header block (before the table)."""
    prefix = f"{label}:"
    for child in body:
        if child.tag == W + "tbl":
            break
        if child.tag == W + "p":
            text = paragraph_text(child).strip()
            if text.startswith(prefix):
                return text[len(prefix) :].strip() or None
    return None


def _open(path: Path):
    from docx.opc.exceptions import PackageNotFoundError  # lazy: python-docx, keeps --help fast

    from pipeline.docx.properties import not_a_docx  # lazy: lxml, keeps --help fast

    if not path.exists() or path.is_dir():
        raise InputError(f"{path}: {'a folder, not a file' if path.is_dir() else 'no such file'}; check the path")
    described = not_a_docx(path) if path.is_file() else None  # never open a FIFO here: check_file refuses it
    if described:
        raise ReviewError(described)
    try:
        if path.exists():
            check_file(path, REVIEW_DOCX_MAX_BYTES, "a reviewed .docx")
        return open_docx(path)  # the XML parts only, each bounded; images are never unpacked
    except (DocxRefused, LimitExceeded) as exc:
        raise ReviewError(f"{path} {exc}; refused, ask the reviewer to save the document again") from None
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except PackageNotFoundError as exc:
        if not path.exists():
            raise InputError(f"{path}: no such file; check the path") from None
        raise ReviewError(f"{path}: not a Word .docx document ({exc})") from None
    except (zipfile.BadZipFile, EOFError) as exc:
        raise ReviewError(
            f"{path}: damaged Word document (truncated or not a .docx: {exc}); ask the reviewer to save it again"
        ) from None
    except (KeyError, ValueError, OSError) as exc:
        raise ReviewError(f"{path}: not a Word .docx document ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # lxml errors in a damaged part
        raise ReviewError(f"{path}: damaged Word document ({type(exc).__name__}: {exc})") from None


def read_review_document(path: Path) -> ReviewDocument:
    """Metadata, rows (tracked changes accepted, comments attached) and the comments outside the table.

    Metadata: language, identifier, title, category, last_modified_by (core properties), run (the header block's "Run:" line),
    kind ("review", "published", "published-bilingual"), columns (the header row's texts).
    `ReviewError` if the file is not a Word document or has no review table.
    """
    path = Path(path)
    document = _open(path)
    try:
        return _read(path, document)
    except ReviewError:
        raise
    except Exception as exc:  # a damaged part that python-docx opened lazily
        raise ReviewError(f"{path}: damaged Word document ({type(exc).__name__}: {exc})") from None


def _read(path: Path, document) -> ReviewDocument:
    from pipeline.docx.properties import core_properties  # lazy: lxml, keeps --help fast

    # Read from the package under either core-properties relationship type (LibreOffice's OOXML Text writes the
    # older one, which python-docx does not follow); python-docx's reading where the package has no such part.
    found = core_properties(path)
    if not any(found.values()):
        props = document.core_properties
        found = {key: (getattr(props, key) or "").strip() or None for key in found}
    category = found["category"] or ""
    kind = category if category in (KIND_PUBLISHED, KIND_BILINGUAL) else KIND_REVIEW
    body = document.element.body
    meta = {
        "language": found["language"],
        "identifier": found["identifier"],
        "title": found["title"],
        "category": category or None,
        "last_modified_by": found["last_modified_by"],
        "run": _header_value(body, "Run"),
        "kind": kind,
        "columns": [],
    }
    comments = _comments(document)
    if kind == KIND_PUBLISHED:
        return ReviewDocument(meta, [], list(comments.values()))
    table = review_table(body)
    if table is None:
        raise ReviewError(f"{path}: no table in the document (expected ID | English | target | Notes)")
    anchored: set[str] = set()
    result = []
    seen = visibility(document)  # what the reviewer's Word shows: hidden text is no part of a target or a mark
    table_rows = _table_rows(table)
    if table_rows:
        meta["columns"] = [cell_text(tc).strip() for tc in _cells(table_rows[0])]
    for number, tr in enumerate(table_rows, 1):
        if number == 1 or _row_deleted(tr):
            continue
        tcs = _cells(tr)
        if kind == KIND_BILINGUAL:
            tcs = [None, *tcs]  # no ID column: rows are paragraphs p01, p02, ...
        hidden: dict[int, list[str]] = {2: [], 4: []}  # target and OK? columns: hidden text read apart
        paragraphs = [cell_paragraphs(tc, *((seen, hidden[k]) if k in hidden else ())) if tc is not None else []
                      for k, tc in enumerate(tcs)]
        paragraphs += [[] for _ in range(5 - len(paragraphs))]
        texts = ["\n".join(ps) for ps in paragraphs]
        row_id = texts[0].strip() if kind == KIND_REVIEW else f"p{len(result) + 1:02d}"
        row = ReviewRow(row_id, texts[1], texts[2], texts[3], number, target_paragraphs=paragraphs[2], mark=texts[4].strip(),
                        hidden_target="".join(hidden[2]).strip(), hidden_mark="".join(hidden[4]).strip())
        if len(tcs) > 2 and tcs[2] is not None:
            row.tracked, row.authors = _tracked_authors(tcs[2])
            if kind == KIND_REVIEW:
                if may_have_marks(tcs[2]):
                    row.target_marks = cell_marks(tcs[2], document.part, paragraph_elements(tcs[2]))
                else:  # a plain cell (most rows): its text as read, no marks, without walking it again
                    row.target_marks = (texts[2], [])
        for column, tc in zip(COLUMNS, tcs):
            if tc is None:
                continue
            for cid in _anchors(tc):
                if cid in comments and cid not in anchored:
                    anchored.add(cid)
                    comment = comments[cid]
                    comment.column = column
                    row.comments.append(comment)
        result.append(row)
    outside = [c for cid, c in comments.items() if cid not in anchored]
    return ReviewDocument(meta, result, outside, outside_paragraphs(body, table))


def review_table(body):
    """The review table of a document body: the first whose header row starts with "ID" (or "English"), else the
    first table; None without tables."""
    tables = [t for t in body.iter(W + "tbl")]
    if not tables:
        return None
    for candidate in tables:
        rows = _table_rows(candidate)
        if rows:
            cells = _cells(rows[0])
            if cells and cell_text(cells[0]).strip().upper() in ("ID", "ENGLISH"):
                return candidate
    return tables[0]


def outside_paragraphs(body, table=None) -> list[tuple[str, str]]:
    """(where, text) of every non-empty paragraph of the body outside the review table, tracked changes accepted:
    the header block and anything typed after the table (paragraphs of other tables included), in order.
    `where` is BEFORE_TABLE or AFTER_TABLE."""
    if table is None:
        table = review_table(body)
    found: list[tuple[str, str]] = []
    where = BEFORE_TABLE

    def visit(container) -> None:
        nonlocal where
        for child in container:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if child is table or (tag == W + "tbl" and any(t is table for t in child.iter(W + "tbl"))):
                where = AFTER_TABLE
            elif tag == W + "p":
                text = paragraph_text(child).strip()
                if text:
                    found.append((where, text))
            elif tag == W + "tbl":
                for p in child.iter(W + "p"):
                    text = paragraph_text(p).strip()
                    if text:
                        found.append((where, text))
            elif tag in _CONTAINERS or tag in (W + "ins", W + "moveTo"):
                visit(child)

    visit(body)
    return found


def read_review_rows(path: Path) -> tuple[dict, list[ReviewRow]]:
    """(metadata, rows) of a review document. Metadata: language, identifier, title (core properties), and
    category, run, kind, columns (see `read_review_document`).

    `ReviewError` if the file is not a Word document or has no review table.
    """
    document = read_review_document(path)
    return document.meta, document.rows
