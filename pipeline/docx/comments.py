"""Word comments taken out of a document before it is published.

A comment is the office's own talk ("do not publish the budget figure"), never part of the release: ingest does not
read it (pipeline/docx/stories.py), and the document publish writes on a copy of the source
(pipeline/publish/formats/docx_inplace.py) must not carry it either. `remove_comments` takes out

- the comments parts: `word/comments.xml` and Word's companions `commentsExtended.xml` (replies, resolved),
  `commentsIds.xml`, `commentsExtensible.xml` (modern comments) and `people.xml` (the authors' names and
  accounts), by dropping every relationship of those types from every part of the package: python-docx writes
  only the parts it can reach, and writes `[Content_Types].xml` from them, so neither the parts nor their content
  type overrides are saved;
- their anchors in every story (body, headers, footers, footnotes, endnotes, building blocks): `w:commentRangeStart`,
  `w:commentRangeEnd`, and the `w:commentReference` runs (a run left with nothing but its properties goes too).
"""

from __future__ import annotations

from lxml import etree

from pipeline.docx.stories import RT_COMMENTS, W, notes_root

__all__ = ["COMMENT_RELTYPES", "remove_comments"]

COMMENT_RELTYPES = frozenset({
    RT_COMMENTS,
    "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
    "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
    "http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible",
    "http://schemas.microsoft.com/office/2011/relationships/people",
})  # fmt: skip
_ANCHORS = (W + "commentRangeStart", W + "commentRangeEnd", W + "commentReference")
_STORIES_AS_BYTES = (  # story parts python-docx keeps as bytes: parsed here like notes (stories.notes_root)
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.glossary+xml",  # building blocks
)


def remove_comments(document) -> int:
    """Take every comment out of a python-docx `document` (see the module docstring); returns how many comment
    anchors were removed."""
    parts = _reachable_parts(document.part)
    removed = 0
    for part in parts:
        root = _story_root(part)
        if root is None:
            continue
        found = _remove_anchors(root)
        if found and getattr(part, "element", None) is None:  # a part python-docx keeps as bytes (notes)
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        removed += found
    for part in parts:
        for rid, rel in list(part.rels.items()):
            if rel.reltype in COMMENT_RELTYPES:
                part.rels.pop(rid)
    return removed


def _reachable_parts(start) -> list:
    """`start` and every part reachable from it through internal relationships, each once."""
    seen = {id(start): start}
    todo = [start]
    while todo:
        for rel in todo.pop().rels.values():
            if rel.is_external:
                continue
            target = rel.target_part
            if id(target) not in seen:
                seen[id(target)] = target
                todo.append(target)
    return list(seen.values())


def _story_root(part):
    element = getattr(part, "element", None)
    if element is not None:
        return element
    if part.content_type in _STORIES_AS_BYTES:
        return notes_root(part)
    return None


def _remove_anchors(root) -> int:
    anchors = list(root.iter(*_ANCHORS))
    for anchor in anchors:
        parent = anchor.getparent()
        if parent is None:
            continue
        parent.remove(anchor)
        if parent.tag == W + "r" and all(child.tag == W + "rPr" for child in parent):
            holder = parent.getparent()
            if holder is not None:
                holder.remove(parent)  # the comment mark's run (CommentReference style), nothing else in it
    return len(anchors)
