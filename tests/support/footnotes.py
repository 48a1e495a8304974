"""A footnote added to a .docx by hand (python-docx cannot add footnotes)."""

from __future__ import annotations

import zipfile
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="{W}">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> The memorandum runs for five years.</w:t></w:r></w:p></w:footnote>
</w:footnotes>"""


def add_footnote(src: Path, dst: Path, after_text: str) -> None:
    """python-docx cannot add footnotes: add word/footnotes.xml, its relationship and a reference by hand."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                marker = f"{after_text}</w:t></w:r>".encode()
                assert marker in data
                data = data.replace(marker, marker + b'<w:r><w:footnoteReference w:id="1"/></w:r>', 1)
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
            elif info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdFn1" Type="http://schemas.openxmlformats'
                                    b'.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
            zout.writestr(info, data)
        zout.writestr("word/footnotes.xml", FOOTNOTES_XML)
