"""The external hyperlinks a Word document holds, wherever they are."""

from __future__ import annotations

from pipeline.docx.stories import R, W, notes_root

__all__ = ["hyperlink_urls"]


def hyperlink_urls(document) -> set[str]:
    """Every external hyperlink URL in a python-docx document: body, headers, footers, notes (relationships that
    are used), and HYPERLINK fields."""
    found: set[str] = set()
    parts = {id(document.part): document.part}
    for rel in document.part.rels.values():
        if not rel.is_external and hasattr(rel.target_part, "rels"):
            parts[id(rel.target_part)] = rel.target_part
    for part in parts.values():
        element = getattr(part, "element", None)
        if element is None:
            element = notes_root(part)
        if element is None:
            continue
        used = {h.get(R + "id") for h in element.iter(W + "hyperlink")}
        for rid in used:
            rel = part.rels.get(rid) if rid else None
            if rel is not None and rel.is_external:
                found.add(rel.target_ref)
        for instr in element.iter(W + "instrText"):
            words = (instr.text or "").split()
            if words[:1] == ["HYPERLINK"] and len(words) > 1:
                found.add(words[1].strip('"'))
    return found
