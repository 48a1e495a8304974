"""Inline formatting as `Mark`s over a text: built from per-character formats or spans, trimmed to the text's
non-space characters, and made laminar (nested or disjoint), so they can be written as paired tags. Shared by the
.docx reader (pipeline/docx/stories.py), the Markdown reader, segmentation and the inline tags."""

from __future__ import annotations

from pipeline.core.release import Mark

def marks_from_formats(text: str, fmts: list) -> list[Mark]:
    """Marks from per-character formats (see `marks_from_spans`)."""
    return marks_from_spans(text, [(i, i + 1, f) for i, f in enumerate(fmts)])


def marks_from_spans(text: str, spans: list[tuple[int, int, frozenset]]) -> list[Mark]:
    """Maximal spans per (kind, href) over consecutive (start, end, formats) pieces, trimmed of whitespace,
    made laminar."""
    marks: list[Mark] = []
    keys = sorted({k for _, _, f in spans for k in f}, key=lambda k: (k[0], k[1] or ""))
    for kind, href in keys:
        start = end = None
        for s, e, f in spans:
            if (kind, href) in f:
                if start is not None and s == end:
                    end = e
                else:
                    if start is not None:
                        marks.append(Mark(start, end, kind, href))
                    start, end = s, e
            elif start is not None:
                marks.append(Mark(start, end, kind, href))
                start = end = None
        if start is not None:
            marks.append(Mark(start, end, kind, href))
    return laminar(trim_marks(text, marks))


def trim_marks(text: str, marks: list[Mark]) -> list[Mark]:
    result = []
    for m in marks:
        s, e = m.start, m.end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            result.append(Mark(s, e, m.kind, m.href))
    return result


def laminar(marks: list[Mark]) -> list[Mark]:
    """Marks split so that any two are nested or disjoint (paired tags must nest), sorted outer first."""
    unique = {(m.start, m.end, m.kind, m.href): m for m in marks}  # the same mark twice is one mark
    work = sorted(unique.values(), key=lambda m: (m.start, -m.end, m.kind))
    done: list[Mark] = []
    while work:
        m = work.pop(0)
        crossing = next((o for o in done if o.start < m.start < o.end < m.end), None)
        if crossing is not None:
            work.append(Mark(m.start, crossing.end, m.kind, m.href))
            work.append(Mark(crossing.end, m.end, m.kind, m.href))
            work.sort(key=lambda x: (x.start, -x.end, x.kind))
            continue
        done.append(m)
    final = {(m.start, m.end, m.kind, m.href): m for m in done}  # a split can repeat a mark
    return sorted(final.values(), key=lambda x: (x.start, -x.end, x.kind))
