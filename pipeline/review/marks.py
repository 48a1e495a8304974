"""Inline formatting in the review document: shown in both columns, read back from the target cell on import.

Writing: each character of the English and target cells carries its marks (bold, italic, underline, super/
subscript, hyperlink) as well as its glossary highlight; runs are split where any of them changes, a bold mark
is a bold run, a link a `w:hyperlink` to the URL (relationships made once per document, before the rows).

Reading (`cell_marks`): the target cell's paragraphs walked as pipeline/docx/stories.py reads a release (tracked insertions
accepted, deletions dropped, character styles and hyperlinks followed), so a reviewer who bolds a word, removes
a link or adds one (Insert → Link) in Word is read back. The grey italic the writer uses for text kept verbatim
is that look, not a mark.
"""

from __future__ import annotations

import weakref

from pipeline.docx.hidden import part_visibility
from pipeline.core.marks import marks_from_spans
from pipeline.docx.stories import W, Stories, StoryReader, character_styles
from pipeline.core.release import Mark

VERBATIM_RGB = "808080"


def char_formats(text: str, marks: list[Mark]) -> list[frozenset]:
    """Per character of `text`: the (kind, href) pairs of the marks over it."""
    formats: list[set] = [set() for _ in text]
    for m in marks:
        for i in range(max(0, m.start), min(len(text), m.end)):
            formats[i].add((m.kind, m.href if m.kind == "a" else None))
    return [frozenset(f) for f in formats]


def document_links(tr, lang: str) -> list[str]:
    """Every hyperlink URL shown in a review document (English and target marks), in first-use order."""
    urls: dict[str, None] = {}
    for segment in tr.release.segments:
        for m in segment.marks:
            if m.kind == "a" and m.href:
                urls.setdefault(m.href)
    for translation in tr.translations.get(lang, []):
        for m in translation.marks:
            if m.kind == "a" and m.href:
                urls.setdefault(m.href)
    return list(urls)


# Every element that can give a character a mark when read (docx.stories.StoryReader: run properties, character
# styles, links and link fields). A cell without any of them has none: most rows of a review table.
_MARKING = tuple(W + tag for tag in ("b", "i", "u", "vertAlign", "rStyle", "hyperlink", "fldChar", "fldSimple"))


def may_have_marks(tc) -> bool:
    """False when the cell (`w:tc`) holds nothing that makes a mark, so `cell_marks` would find none."""
    return next(tc.iter(*_MARKING), None) is not None


def cell_marks(tc, part, cell_paragraphs: list) -> tuple[str, list[Mark]]:
    """(text, marks) of a target cell (`w:tc`), its paragraphs joined with "\\n" as the reader joins them."""
    reader = StoryReader.__new__(StoryReader)
    reader.document = None
    reader.stories = Stories()
    reader.styles = _character_styles_of(part)
    reader.visibility = part_visibility(part)  # hidden text is not read (review/read/reader.py reads it apart)
    chars: list[tuple[str, frozenset]] = []
    joined = False
    for k, p in enumerate(cell_paragraphs):
        if k and not joined:
            chars.append(("\n", frozenset()))
        paragraph_chars, _ = reader._read(p, part)
        chars.extend(_without_verbatim_look(p, paragraph_chars))
        joined = _mark_deleted(p)
    text = "".join(piece for piece, _ in chars)
    spans, position = [], 0
    for piece, fmt in chars:
        spans.append((position, position + len(piece), fmt))
        position += len(piece)
    return text, marks_from_spans(text, spans)


def _without_verbatim_look(p, chars):
    """The writer's grey italic (text kept verbatim) is not an italic mark."""
    grey = False
    for color in p.iter(W + "color"):
        if (color.get(W + "val") or "").upper() == VERBATIM_RGB:
            grey = True
    if not grey:
        return chars
    return [(ch, frozenset(k for k in f if k[0] != "i")) for ch, f in chars]


def _mark_deleted(p) -> bool:
    ppr = p.find(W + "pPr")
    rpr = ppr.find(W + "rPr") if ppr is not None else None
    return rpr is not None and (rpr.find(W + "del") is not None or rpr.find(W + "moveFrom") is not None)


_STYLES_OF_PART: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _character_styles_of(part) -> dict:
    """The document's character styles, read once per document part: every cell of a review table asks (a
    2,000-row import spent 3 of its 10 s reading the same styles part 4,000 times)."""
    try:
        return _STYLES_OF_PART[part]
    except (KeyError, TypeError):
        pass
    try:
        styles = character_styles(part.document)
    except Exception:
        return {}
    try:
        _STYLES_OF_PART[part] = styles
    except TypeError:  # a part that cannot be weakly referenced: read again next time
        pass
    return styles
