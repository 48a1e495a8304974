"""The byte-count shortcut of the bounded .docx check (pipeline/docx/bounded.py): its counts are upper bounds of
what the parser counts, and it steps aside for encodings whose markup is not ASCII bytes."""

from __future__ import annotations

import pytest

from pipeline.docx import bounded
from pipeline.docx.bounded import DocxRefused, PartCounter, byte_count_bounds, check_part_counts

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _parsed(data: bytes) -> tuple[int, int]:
    from lxml import etree

    counter = PartCounter("part")
    parser = etree.XMLParser(target=counter, resolve_entities=False, no_network=True, load_dtd=False)
    parser.feed(data)
    parser.close()
    return counter.elements, counter.rows


PARTS = [
    f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body><w:tbl><w:tr><w:tc><w:p/></w:tc>'
    "</w:tr><w:tr/></w:tbl></w:body></w:document>",
    # another prefix for the same namespace, a default namespace, comments and CDATA holding "<"
    f'<x:document xmlns:x="{W}"><!-- <w:tr> --><x:body><x:tbl><x:tr/><x:tr/><x:tr/></x:tbl>'
    f'<tbl xmlns="{W}"><tr/><tr><tc><p><r><t><![CDATA[<<<]]></t></r></p></tc></tr></tbl></x:body></x:document>',
    f"\ufeff<?xml version='1.0' encoding='us-ascii'?><w:document xmlns:w=\"{W}\"><w:body><w:p/></w:body></w:document>",
    f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>高雄醫學大學 trade :tr &lt;</w:t></w:r></w:p></w:body></w:document>',
]


@pytest.mark.parametrize("text, rows", list(zip(PARTS, [2, 5, 0, 0])))
def test_the_byte_counts_bound_what_the_parser_counts(text, rows):
    data = text.encode("utf-8")
    elements, parsed_rows = _parsed(data)
    assert parsed_rows == rows
    bound_elements, bound_rows = byte_count_bounds(data)
    assert bound_elements >= elements and bound_rows >= rows


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "cp500", "utf-7", "shift_jis"])
def test_other_encodings_are_parsed_not_byte_counted(encoding):
    declaration = f'<?xml version="1.0" encoding="{encoding.upper()}"?>'
    text = declaration + f'<w:document xmlns:w="{W}"><w:body><w:tbl><w:tr/></w:tbl></w:body></w:document>'
    assert byte_count_bounds(text.encode(encoding)) is None


def test_a_utf16_part_over_the_row_limit_is_still_refused(monkeypatch):
    monkeypatch.setattr(bounded, "MAX_TABLE_ROWS", 3)
    text = f'<?xml version="1.0" encoding="UTF-16"?><w:document xmlns:w="{W}"><w:body><w:tbl>' + "<w:tr/>" * 4
    data = (text + "</w:tbl></w:body></w:document>").encode("utf-16")
    with pytest.raises(DocxRefused, match="more than 3 table rows"):
        check_part_counts("word/document.xml", data)


def test_a_utf8_part_near_the_limits_is_parsed_and_judged_exactly(monkeypatch):
    # 4 rows written as "<w:tr/>" plus one "tr" in text: the bound (5) passes the limit (4), so the parser decides
    text = f'<w:document xmlns:w="{W}"><w:body><w:tbl>' + "<w:tr/>" * 4 + "</w:tbl><w:p><w:t>a:tr</w:t></w:p>"
    data = (text + "</w:body></w:document>").encode()
    monkeypatch.setattr(bounded, "MAX_TABLE_ROWS", 4)
    check_part_counts("word/document.xml", data)  # exactly 4 rows: allowed
    monkeypatch.setattr(bounded, "MAX_TABLE_ROWS", 3)
    with pytest.raises(DocxRefused, match="more than 3 table rows"):
        check_part_counts("word/document.xml", data)
