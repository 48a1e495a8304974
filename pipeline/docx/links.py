"""The external hyperlinks a Word document holds, wherever they are; and taking out those that may not be published."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from pipeline.docx.stories import R, RT_HYPERLINK, W, field_target, notes_root

__all__ = ["drop_unsafe_links", "field_target", "hyperlink_urls"]


def _parts(document) -> list:
    """The document part and the parts it relates to that hold XML (headers, footers, notes, comments)."""
    parts = {id(document.part): document.part}
    for rel in document.part.rels.values():
        if not rel.is_external and hasattr(rel.target_part, "rels"):
            parts[id(rel.target_part)] = rel.target_part
    return list(parts.values())


def _root(part):
    element = getattr(part, "element", None)
    return element if element is not None else notes_root(part)


def hyperlink_urls(document) -> set[str]:
    """Every external hyperlink URL in a python-docx document: body, headers, footers, notes (relationships that
    are used), and HYPERLINK fields."""
    found: set[str] = set()
    for part in _parts(document):
        element = _root(part)
        if element is None:
            continue
        used = {h.get(R + "id") for h in element.iter(W + "hyperlink")}
        for rid in used:
            rel = part.rels.get(rid) if rid else None
            if rel is not None and rel.is_external:
                found.add(rel.target_ref)
        for instr in element.iter(W + "instrText"):
            target = field_target(instr.text or "")
            if target:
                found.add(target)
    return found


def drop_unsafe_links(document, allowed: Callable[[str], bool]) -> list[str]:
    """Take out every hyperlink whose URL `allowed` refuses, keeping its text: `w:hyperlink` elements unwrapped,
    drawing links (`a:hlinkClick`) removed, their relationships dropped, simple and complex HYPERLINK fields
    turned into their result text. Returns the URLs taken out."""
    dropped: list[str] = []
    for part in _parts(document):
        root = _root(part)
        if root is None:
            continue
        changed = _drop_related(part, root, allowed, dropped)
        changed = _drop_simple_fields(root, allowed, dropped) or changed
        changed = _drop_complex_fields(root, allowed, dropped) or changed
        if changed and getattr(part, "element", None) is None:  # a part python-docx keeps as bytes (notes)
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return dropped


def _unwrap(element) -> None:
    parent = element.getparent()
    at = parent.index(element)
    for k, child in enumerate(list(element)):
        parent.insert(at + k, child)
    parent.remove(element)


def _drop_related(part, root, allowed, dropped: list[str]) -> bool:
    unsafe = {rid: rel.target_ref for rid, rel in part.rels.items()
              if rel.reltype == RT_HYPERLINK and rel.is_external and not allowed(rel.target_ref)}
    if not unsafe:
        return False
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.get(R + "id") not in unsafe:
            continue
        if element.tag == W + "hyperlink":
            _unwrap(element)
        elif element.getparent() is not None:
            element.getparent().remove(element)  # a:hlinkClick, a:hlinkHover, …: the drawing stays, unlinked
    for rid, target in unsafe.items():
        part.rels.pop(rid, None)
        dropped.append(target)
    return True


def _drop_simple_fields(root, allowed, dropped: list[str]) -> bool:
    changed = False
    for field in list(root.iter(W + "fldSimple")):
        target = field_target(field.get(W + "instr") or "")
        if target is not None and not allowed(target):
            _unwrap(field)
            dropped.append(target)
            changed = True
    return changed


def _drop_complex_fields(root, allowed, dropped: list[str]) -> bool:
    """A complex field is begin, instruction runs, separate, result runs, end (nested fields possible): an unsafe
    HYPERLINK field loses its field characters and instruction; its result runs stay as plain text."""
    changed = False
    open_fields: list[dict] = []
    for element in list(root.iter(W + "fldChar", W + "instrText")):
        if element.tag == W + "instrText":
            if open_fields and open_fields[-1]["phase"] == "instr":
                open_fields[-1]["instr"] += element.text or ""
                open_fields[-1]["parts"].append(element)
            continue
        kind = element.get(W + "fldCharType")
        if kind == "begin":
            open_fields.append({"instr": "", "phase": "instr", "parts": [element]})
        elif kind == "separate" and open_fields:
            open_fields[-1]["phase"] = "result"
            open_fields[-1]["parts"].append(element)
        elif kind == "end" and open_fields:
            field = open_fields.pop()
            field["parts"].append(element)
            target = field_target(field["instr"])
            if target is not None and not allowed(target):
                for piece in field["parts"]:
                    if piece.getparent() is not None:
                        piece.getparent().remove(piece)
                dropped.append(target)
                changed = True
    return changed
