"""The text of a Word `w:t` element when the part declares its own XML entities.

Word never writes a DTD, but a generated or hand-edited .docx may (`<!DOCTYPE w:document [<!ENTITY co "KMU">]>`
and `&co;` in a run). Entities are not resolved when a part is parsed (that is what keeps billion-laughs and
external entities harmless), so lxml keeps each reference as a child node of the `w:t`, and the text after it is
that node's tail: reading `w:t.text` alone dropped the rest of the run (a headline vanished; a reviewer's edit
after a reference was lost). `run_text` reads all of it.

A reference is replaced by its declared text when that is short plain text (at most `SHORT` characters, no markup,
no further references: `&nbsp;`, `&co;`), so no part can grow by more than that per reference; anything else is
kept as written (`&name;`), so the reader sees it and nothing is silently lost.
"""

from __future__ import annotations

__all__ = ["SHORT", "run_text"]

SHORT = 16


def _declared(element) -> dict[str, str]:
    tree = element.getroottree()
    dtd = tree.docinfo.internalDTD if tree is not None else None
    if dtd is None:
        return {}
    found = {}
    for entity in dtd.iterentities():
        content = entity.content
        if isinstance(content, str) and len(content) <= SHORT and "&" not in content and "<" not in content:
            found[entity.name] = content
    return found


def run_text(t) -> str:
    """The whole text of a `w:t` (or any text-holding) element, entity references included."""
    if len(t) == 0:
        return t.text or ""
    from lxml import etree

    parts = [t.text or ""]
    declared: dict[str, str] | None = None
    for child in t:
        if isinstance(child, etree._Entity):
            if declared is None:
                declared = _declared(t)
            parts.append(declared.get(child.name, child.text or ""))
        parts.append(child.tail or "")
    return "".join(parts)
