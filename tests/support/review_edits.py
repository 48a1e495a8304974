"""Edit review documents the way reviewers do in Word, in the XML Word writes (word-facts.md).

Every helper works on a python-docx `Document` (save it afterwards). Tracked changes are written as Word writes
them: `<w:ins>`/`<w:del>` (with `w:id`, `w:author`, `w:date`) around whole runs, deleted text in `w:delText`,
moves as `<w:moveFrom>`/`<w:moveTo>`, formatting changes with `<w:rPrChange>` holding the old properties.
"""

from __future__ import annotations

import copy
import itertools

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

AUTHOR = "Reviewer Lin"
DATE = "2025-11-28T10:00:00Z"
_ids = itertools.count(9001)


def row_of(doc, segment_id: str):
    for row in doc.tables[0].rows[1:]:
        if row.cells[0].text.strip() == segment_id:
            return row
    raise KeyError(segment_id)


def target_cell(doc, segment_id: str):
    return row_of(doc, segment_id).cells[2]


def mark_ok(doc, segment_id: str, mark: str = "OK") -> None:
    """Type `mark` in the row's OK? (approval) cell, as a reviewer approving the row as it is."""
    cell = row_of(doc, segment_id).cells[4]
    paragraph = cell.paragraphs[0]
    for r in list(paragraph.runs):
        r._r.getparent().remove(r._r)
    paragraph.add_run(mark)


def _mark(tag: str, author: str = AUTHOR):
    element = OxmlElement(tag)
    element.set(qn("w:id"), str(next(_ids)))
    element.set(qn("w:author"), author)
    element.set(qn("w:date"), DATE)
    return element


def _run_like(template, text: str, *, deleted: bool = False):
    """A copy of run `template`'s properties holding `text` (as w:delText when deleted)."""
    run = OxmlElement("w:r")
    rpr = template.find(qn("w:rPr"))
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    t = OxmlElement("w:delText" if deleted else "w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    return run


def _runs(paragraph):
    return paragraph._p.findall(qn("w:r"))


def _run_text(run) -> str:
    return "".join(t.text or "" for t in run.findall(qn("w:t")))


def replace_text(cell, text: str) -> None:
    """A plain edit (Track Changes off): the cell's first paragraph holds `text` in its first run."""
    paragraph = cell.paragraphs[0]
    runs = _runs(paragraph)
    first = runs[0]
    for t in first.findall(qn("w:t")):
        first.remove(t)
    new = _run_like(first, text)
    first.append(new.find(qn("w:t")))
    for run in runs[1:]:
        paragraph._p.remove(run)
    for extra in cell.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)


def _split_at(paragraph, old: str):
    """Split the runs of `paragraph` so that `old` (first occurrence) is exactly a sequence of runs; return them."""
    text = "".join(_run_text(r) for r in _runs(paragraph))
    start = text.find(old)
    assert start >= 0, (old, text)
    end = start + len(old)
    position = 0
    covered = []
    for run in list(_runs(paragraph)):
        run_text = _run_text(run)
        lo, hi = position, position + len(run_text)
        position = hi
        if hi <= start or lo >= end:
            continue
        a, b = max(start, lo) - lo, min(end, hi) - lo
        pieces = [(run_text[:a], False), (run_text[a:b], True), (run_text[b:], False)]
        anchor = run
        made = []
        for piece, inside in pieces:
            if not piece:
                continue
            new = _run_like(run, piece)
            anchor.addnext(new)
            anchor = new
            made.append((new, inside))
        run.getparent().remove(run)
        covered += [r for r, inside in made if inside]
    return covered


def tracked_delete(paragraph, old: str, author: str = AUTHOR):
    """Delete `old` with Track Changes on: its runs move into <w:del>, their w:t become w:delText."""
    runs = _split_at(paragraph, old)
    deletion = _mark("w:del", author)
    runs[0].addprevious(deletion)
    for run in runs:
        for t in run.findall(qn("w:t")):
            t.tag = qn("w:delText")
        deletion.append(run)
    return deletion


def tracked_insert(paragraph, text: str, *, after=None, author: str = AUTHOR):
    """Insert `text` with Track Changes on, after element `after` (default: at the end of the paragraph)."""
    runs = _runs(paragraph)
    template = runs[-1] if runs else OxmlElement("w:r")
    insertion = _mark("w:ins", author)
    insertion.append(_run_like(template, text))
    if after is None:
        paragraph._p.append(insertion)
    else:
        after.addnext(insertion)
    return insertion


def tracked_replace(paragraph, old: str, new: str, author: str = AUTHOR) -> None:
    """Select `old`, type `new` (Track Changes on): Word writes <w:del> then <w:ins>."""
    deletion = tracked_delete(paragraph, old, author)
    tracked_insert(paragraph, new, after=deletion, author=author)


def tracked_move_to_end(paragraph, old: str, author: str = AUTHOR) -> None:
    """Drag `old` to the end of the paragraph (Track Changes on): <w:moveFrom> there, <w:moveTo> here."""
    runs = _split_at(paragraph, old)
    move_from = _mark("w:moveFrom", author)
    runs[0].addprevious(move_from)
    for run in runs:
        move_from.append(run)
    move_to = _mark("w:moveTo", author)
    move_to.append(_run_like(runs[0], old))
    paragraph._p.append(move_to)


def split_cell(cell, first: str, second: str) -> None:
    """The reviewer typed `first`, pressed Enter, typed `second`."""
    replace_text(cell, first)
    paragraph = cell.add_paragraph()
    template = _runs(cell.paragraphs[0])[0]
    paragraph._p.append(_run_like(template, second))


def tracked_bold(cell, author: str = AUTHOR) -> None:
    """Make every run of the cell bold with Track Changes on (w:rPrChange keeps the old properties)."""
    for paragraph in cell.paragraphs:
        for run in _runs(paragraph):
            rpr = run.find(qn("w:rPr"))
            if rpr is None:
                rpr = OxmlElement("w:rPr")
                run.insert(0, rpr)
            old = copy.deepcopy(rpr)
            fonts = rpr.find(qn("w:rFonts"))
            bold = OxmlElement("w:b")
            if fonts is not None:
                fonts.addnext(bold)
            else:
                rpr.insert(0, bold)
            change = _mark("w:rPrChange", author)
            old.tag = qn("w:rPr")
            change.append(old)
            rpr.append(change)


def comment(doc, cell, text: str, author: str = AUTHOR) -> None:
    """A Word comment on the cell's first run (comments.xml + commentRangeStart/End + commentReference)."""
    run = cell.paragraphs[0].runs[0]
    doc.add_comment(run, text=text, author=author, initials="RL")


def add_note(doc, segment_id: str, text: str) -> None:
    notes = row_of(doc, segment_id).cells[3]
    paragraph = notes.add_paragraph()
    paragraph.add_run(text)


def set_english(doc, segment_id: str, text: str) -> None:
    replace_text(row_of(doc, segment_id).cells[1], text)


def delete_row(doc, segment_id: str) -> None:
    row = row_of(doc, segment_id)
    row._tr.getparent().remove(row._tr)


def tracked_delete_row(doc, segment_id: str, author: str = AUTHOR) -> None:
    """Delete a row with Track Changes on: <w:trPr><w:del/></w:trPr> and every run in <w:del>."""
    row = row_of(doc, segment_id)
    trpr = row._tr.get_or_add_trPr()
    trpr.append(_mark("w:del", author))
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            runs = _runs(paragraph)
            if runs:
                text = "".join(_run_text(r) for r in runs)
                if text:
                    tracked_delete(paragraph, text, author)


def swap_rows(doc, first: str, second: str) -> None:
    a, b = row_of(doc, first)._tr, row_of(doc, second)._tr
    a.addprevious(b)  # b moves before a


def set_run_id(doc, run_id: str) -> None:
    doc.core_properties.identifier = run_id
