"""Saving a python-docx document with a long run of elements streamed into its `word/document.xml`.

A 10,000-segment review document held as one lxml tree costs ~45 KB a segment (every run has its own `w:rPr`),
500 MB in all, and python-docx serializes the whole part to one bytes object on save. Here the document is saved
without those elements (a marker comment where they go), and the package is copied part by part into the target
file, `word/document.xml` written as: the XML before the marker, each element serialized as it is made, the
XML after the marker. Memory stays that of the document without the streamed elements, whatever their number.

The bytes written are the ones `doc.save` writes for the document with the elements in place (tested): an
element serialized on its own declares the `w` namespace, which the document root already declares, and
only that declaration is dropped.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from pipeline.docx.table_xml import W_NS

__all__ = ["MARKER", "marker", "save_streamed"]

MARKER = "pipeline: streamed elements go here"
_DOCUMENT_PART = "word/document.xml"
_W_DECLARATION = f' xmlns:w="{W_NS}"'.encode()


def marker():
    """The comment to put where the streamed elements go (one per document)."""
    return etree.Comment(MARKER)


def _element_bytes(element) -> bytes:
    data = etree.tostring(element, encoding="utf-8")
    end = data.index(b">")  # the namespace declaration lxml adds sits in the first start tag
    return data[:end].replace(_W_DECLARATION, b"", 1) + data[end:]


def save_streamed(doc, where, elements: Iterable, target: Path | str) -> None:
    """Save `doc` to `target` with `elements` (lxml elements, made lazily) in place of the comment `where`.

    `where` is removed from the document afterwards; `doc` itself never holds the elements.
    """
    skeleton = io.BytesIO()
    try:
        doc.save(skeleton)
    finally:
        where.getparent().remove(where)
    skeleton.seek(0)
    with zipfile.ZipFile(skeleton) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            if info.filename != _DOCUMENT_PART:
                out.writestr(_fresh(info), source.read(info))
                continue
            xml = source.read(info)
            token = f"<!--{MARKER}-->".encode()
            before, found, after = xml.partition(token)
            if not found:
                raise ValueError(f"the marker comment is not in {_DOCUMENT_PART}")
            with out.open(_fresh(info), "w") as part:
                part.write(before)
                buffer = io.BytesIO()
                for element in elements:
                    buffer.write(_element_bytes(element))
                    if buffer.tell() > 1 << 20:  # ~1 MB writes: few calls into zlib, little memory
                        part.write(buffer.getvalue())
                        buffer = io.BytesIO()
                part.write(buffer.getvalue())
                part.write(after)


def _fresh(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """The same name, date, compression and attributes; nothing left over from the skeleton's sizes."""
    made = zipfile.ZipInfo(info.filename, info.date_time)
    made.compress_type = info.compress_type
    made.external_attr = info.external_attr
    made.create_system = info.create_system
    return made
