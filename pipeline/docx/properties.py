"""The .docx package around a review document, read the way every editor writes it.

Two things python-docx does not do for us:

* **Core properties under either relationship type.** ECMA-376 names the core-properties part with
  `http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties`; LibreOffice's
  "Office Open XML Text (Transitional)" save type writes the older
  `http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties`. python-docx
  follows only the first and, not finding it, reports empty properties (so the run ID and language seemed gone).
  `core_properties` follows any relationship whose type ends in `/metadata/core-properties`.
* **Saying what a file is when it is not a .docx.** A reviewer who saved as .odt or .doc gets a sentence naming
  the format and the Save As step, not a zip error (`not_a_docx`).

Why .odt is refused rather than read: an OpenDocument file stores tracked changes, comments and tables in another
model (text:tracked-changes, office:annotation, table:table-cell), so reading it would mean a second reader with its
own rules for what "Accept All" yields, tested twice over. Saving as .docx is one step in the same program, and
LibreOffice's .docx export is what the round-trip tests drive.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

from lxml import etree

__all__ = ["core_properties", "not_a_docx"]

CORE_PROPERTIES_SUFFIX = "/metadata/core-properties"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
}
_FIELDS = {
    "language": "dc:language",
    "identifier": "dc:identifier",
    "title": "dc:title",
    "category": "cp:category",
    "last_modified_by": "cp:lastModifiedBy",
}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_MAX_PART = 4 * 1024 * 1024  # a core-properties part is a few hundred bytes

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SAVE_AS_DOCX = (
    "open it in LibreOffice Writer and use File → Save As → “Word 2007–365 (.docx)” (Use Word 2007–365!), or in "
    "Word File → Save As → “Word Document (*.docx)”, then import the .docx"
)
_ODF_KINDS = {
    "application/vnd.oasis.opendocument.text": "an OpenDocument Text (.odt) file",
    "application/vnd.oasis.opendocument.text-template": "an OpenDocument Text template (.ott)",
    "application/vnd.oasis.opendocument.spreadsheet": "an OpenDocument spreadsheet (.ods)",
}


def core_properties(path: Path) -> dict[str, str | None]:
    """language, identifier, title, category, last_modified_by from the package's core-properties part (either
    relationship type); values None where absent, and all None if the package has no such part or cannot be read."""
    found: dict[str, str | None] = dict.fromkeys(_FIELDS)
    try:
        with zipfile.ZipFile(path) as package:
            rels = etree.fromstring(_read(package, "_rels/.rels"), _PARSER)
            targets = [
                rel.get("Target", "")
                for rel in rels.iter(_RELS)
                if rel.get("Type", "").endswith(CORE_PROPERTIES_SUFFIX) and rel.get("TargetMode") != "External"
            ]
            if not targets:
                return found
            name = posixpath.normpath(targets[0].lstrip("/"))
            core = etree.fromstring(_read(package, name), _PARSER)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return found
    for key, tag in _FIELDS.items():
        element = core.find(tag, _NS)
        value = (element.text or "").strip() if element is not None else ""
        found[key] = value or None
    return found


def _read(package: zipfile.ZipFile, name: str) -> bytes:
    info = package.getinfo(name)
    if info.file_size > _MAX_PART:
        raise ValueError(f"{name} is {info.file_size} bytes")
    return package.read(info)


def not_a_docx(path: Path) -> str | None:
    """A one-line description of what `path` is when it is plainly another document format (.odt, .doc, .rtf,
    PDF), with how to save it as .docx; None when it may be a .docx (or cannot be told)."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError:
        return None
    if head.startswith(OLE2_MAGIC):
        what = "a Word 97–2003 (.doc) file" if path.suffix.lower() != ".docx" else "a Word 97–2003 (.doc) file named .docx"
        return f"{path}: {what}, not a Word .docx document; {SAVE_AS_DOCX}."
    if head.startswith(b"{\\rtf"):
        return f"{path}: a Rich Text (.rtf) file, not a Word .docx document; {SAVE_AS_DOCX}."
    if head.startswith(b"%PDF"):
        return f"{path}: a PDF, not a Word .docx document; ask the reviewer for the .docx they edited."
    if not head.startswith(b"PK"):
        return None
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            if "[Content_Types].xml" in names or "mimetype" not in names:
                return None
            mimetype = package.read("mimetype")[:200].decode("ascii", "replace").strip()
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        return None
    what = _ODF_KINDS.get(mimetype, f"an OpenDocument file ({mimetype})")
    return f"{path}: {what}, not a Word .docx document; {SAVE_AS_DOCX}."
