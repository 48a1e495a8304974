"""Opening a .docx (a release or a reviewed document) with its costs bounded before python-docx sees it.

python-docx reads every part of the package into memory and parses every XML part whole. A 3.6 MB .docx whose
`document.xml` expands to 16.8 million paragraphs reached 7.3 GB before it was called damaged; a 1 GB image
entry was read whole (2.25 GB); a review document with 100,000 extra rows cost 4.3 GB before it was refused.
So, before python-docx:

1. the zip directory is checked: at most `MAX_ENTRIES` entries; each XML part (`.xml`, `.rels`) declares at most
   `XML_PART_MAX_BYTES` unpacked and all together `XML_TOTAL_MAX_BYTES`, with a compression ratio of at most
   `MAX_RATIO` for parts over 1 MB (zipfile never unpacks more than an entry declares, and fails its CRC check
   when the data is longer);
2. each XML part is parsed once as a stream that builds no tree (a counting parser target, entities not
   resolved, nothing fetched): at most `MAX_ELEMENTS` elements and `MAX_TABLE_ROWS` table rows per part;
3. python-docx is given a copy of the package holding only the XML parts: images, embedded files and fonts are
   never unpacked (this tool reads no image; it only counts them, from the XML).

Every refusal is a `DocxRefused` whose text is the reason (the caller names the file and says what to do).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

__all__ = [
    "DocxRefused",
    "MAX_ELEMENTS",
    "MAX_ENTRIES",
    "MAX_RATIO",
    "MAX_TABLE_ROWS",
    "XML_PART_MAX_BYTES",
    "XML_TOTAL_MAX_BYTES",
    "open_docx",
]

MiB = 1024 * 1024
MAX_ENTRIES = 5_000  # a Word document has 10–40 parts, a few hundred with many images
XML_PART_MAX_BYTES = 256 * MiB  # a 10 MB release's review document.xml is about 160 MB
XML_TOTAL_MAX_BYTES = 512 * MiB
MAX_RATIO = 300  # document.xml packs 10–30×; a bomb of empty paragraphs packs ~1000×
MAX_ELEMENTS = 6_000_000  # a review row is ~100 elements: 47,250 rows (a 10 MB release) are 4.7 million
MAX_TABLE_ROWS = 60_000  # a press release has 20–100 rows; the 10 MB benchmark release 47,250

_W_TR = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tr"
_XML_SUFFIXES = (".xml", ".rels")


class DocxRefused(Exception):
    """A .docx over one of the limits: `str()` is the one-line reason (without the path)."""


def _is_xml(name: str) -> bool:
    return name.lower().endswith(_XML_SUFFIXES)


def _mb(size: int) -> str:
    return f"{size / MiB:.0f} MB" if size >= MiB else f"{size / 1024:.0f} kB"


def _check_directory(infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    if len(infos) > MAX_ENTRIES:
        raise DocxRefused(f"has {len(infos):,} entries in its package, over the limit of {MAX_ENTRIES:,} (a zip bomb?)")
    total = 0
    xml = []
    for info in infos:
        if not _is_xml(info.filename):
            continue
        size = info.file_size
        if size > XML_PART_MAX_BYTES:
            raise DocxRefused(
                f"has a part {info.filename} of {_mb(size)} unpacked, over the {_mb(XML_PART_MAX_BYTES)} limit (a zip bomb?)"
            )
        if size > MiB and size > MAX_RATIO * max(info.compress_size, 1):
            ratio = size // max(info.compress_size, 1)
            raise DocxRefused(
                f"has a part {info.filename} that expands {ratio:,}× ({_mb(size)} unpacked), over the limit of "
                f"{MAX_RATIO}× (a zip bomb?)"
            )
        total += size
        xml.append(info)
    if total > XML_TOTAL_MAX_BYTES:
        raise DocxRefused(f"has {_mb(total)} of XML unpacked, over the {_mb(XML_TOTAL_MAX_BYTES)} limit (a zip bomb?)")
    return xml


class PartCounter:
    """An lxml parser target: counts elements and table rows, builds nothing."""

    def __init__(self, name: str):
        self.name = name
        self.elements = 0
        self.rows = 0

    def start(self, tag, attrib, nsmap=None):
        self.elements += 1
        if tag == _W_TR:
            self.rows += 1
            if self.rows > MAX_TABLE_ROWS:
                raise DocxRefused(
                    f"has more than {MAX_TABLE_ROWS:,} table rows in {self.name} (a press release has 20–100)"
                )
        if self.elements > MAX_ELEMENTS:
            raise DocxRefused(f"has more than {MAX_ELEMENTS:,} XML elements in {self.name} (a zip bomb?)")

    def end(self, tag):
        pass

    def data(self, data):
        pass

    def close(self):
        return self.elements


_DECLARED = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_BYTE_COUNTABLE = {b"utf-8", b"utf8", b"us-ascii", b"ascii"}


def byte_count_bounds(data: bytes) -> tuple[int, int] | None:
    """Upper bounds on the elements and the table rows of an XML part, read from its bytes without parsing; None
    when its encoding does not write markup as ASCII bytes (UTF-16, EBCDIC, UTF-7: parse it instead).

    Every start tag begins with `<` and a row's with `<tr` or `<prefix:tr`; comments, CDATA and closing tags only
    add to the counts, and entity references are never expanded (here or in python-docx), so a part under both
    limits by these counts is under them by the parser's too."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if not body.startswith(b"<") or body[1:2] == b"\x00":
        return None
    declared = _DECLARED.match(body, 0, 400)
    if declared and declared.group(1).lower() not in _BYTE_COUNTABLE:
        return None
    return body.count(b"<"), body.count(b"<tr") + body.count(b":tr")


def check_part_counts(name: str, data: bytes) -> None:
    from lxml import etree

    bounds = byte_count_bounds(data)
    if bounds is not None and bounds[0] <= MAX_ELEMENTS and bounds[1] <= MAX_TABLE_ROWS:
        return  # the parse below would count no more than these bounds (a 2,000-row review part: 0.2 s saved)

    parser = etree.XMLParser(target=PartCounter(name), resolve_entities=False, no_network=True, load_dtd=False)
    try:
        for start in range(0, len(data), 4 * MiB):
            parser.feed(data[start : start + 4 * MiB])
        parser.close()
    except DocxRefused:
        raise
    except etree.LxmlError:
        return  # malformed XML: python-docx reports the damage as it always has
    except Exception as exc:  # lxml re-raises a target's exception wrapped on some versions
        cause = exc.__context__ or exc.__cause__
        if isinstance(cause, DocxRefused):
            raise cause from None
        raise


def bounded_package(path: Path) -> io.BytesIO:
    """A copy of the .docx at `path` holding its XML parts only (other entries empty), after the checks above."""
    with zipfile.ZipFile(path) as source:
        infos = source.infolist()
        xml = _check_directory(infos)
        xml_ids = {id(info) for info in xml}
        latest = {info.filename: info for info in infos}  # a name given twice: zipfile reads the last one too
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as copy:
            for name, info in latest.items():
                if id(info) in xml_ids:
                    data = source.read(info)
                    check_part_counts(name, data)
                else:
                    data = b""
                copy.writestr(name, data)
    buffer.seek(0)
    return buffer


def open_docx(path: Path):
    """python-docx's Document for the .docx at `path`, opened from the bounded copy. `DocxRefused` when a limit is
    passed; zipfile, python-docx and lxml errors as `docx.Document` raises them."""
    import docx

    return docx.Document(bounded_package(Path(path)))
