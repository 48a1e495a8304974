"""The import's shortcut for plain target cells (review_marks.may_have_marks): a cell without any element that
makes a mark is not walked a second time, and the walk would have found no mark there."""

from __future__ import annotations

import docx
import pytest
from lxml import etree

from pipeline.review.read.reader import cell_text, paragraph_elements
from pipeline.review.marks import cell_marks, may_have_marks

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _cell(body: str):
    return etree.fromstring(f'<w:tc xmlns:w="{W}" xmlns:r="{R}"><w:tcPr/>{body}</w:tc>')


PLAIN = [
    "<w:p><w:r><w:t>高雄醫學大學與熊本大學</w:t></w:r></w:p>",
    # fonts, language, colour, highlight, a tracked insertion and deletion, two paragraphs: still no mark
    '<w:p><w:r><w:rPr><w:rFonts w:eastAsia="PMingLiU"/><w:lang w:eastAsia="zh-TW"/><w:highlight w:val="yellow"/>'
    '</w:rPr><w:t>簽署</w:t></w:r><w:ins w:id="1" w:author="A"><w:r><w:t>合作</w:t></w:r></w:ins>'
    '<w:del w:id="2" w:author="A"><w:r><w:delText>備忘錄</w:delText></w:r></w:del></w:p><w:p><w:r><w:t>第二段</w:t></w:r></w:p>',
]
MARKED = [
    '<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>粗體</w:t></w:r></w:p>',
    '<w:p><w:r><w:rPr><w:i w:val="1"/></w:rPr><w:t>斜體</w:t></w:r></w:p>',
    '<w:p><w:r><w:rPr><w:u w:val="single"/></w:rPr><w:t>底線</w:t></w:r></w:p>',
    '<w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>2</w:t></w:r></w:p>',
    '<w:p><w:r><w:rPr><w:rStyle w:val="Strong"/></w:rPr><w:t>樣式</w:t></w:r></w:p>',
    '<w:p><w:hyperlink r:id="rId9"><w:r><w:t>連結</w:t></w:r></w:hyperlink></w:p>',
    '<w:p><w:fldSimple w:instr=" HYPERLINK &quot;https://www.kmu.edu.tw&quot; "><w:r><w:t>高醫</w:t></w:r></w:fldSimple></w:p>',
    '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "https://a.b" </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>網址</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
]


@pytest.fixture(scope="module")
def part():
    return docx.Document().part


@pytest.mark.parametrize("body", PLAIN)
def test_a_plain_cell_is_skipped_and_the_walk_agrees_it_has_no_mark(body, part):
    tc = _cell(body)
    assert not may_have_marks(tc)
    text, marks = cell_marks(tc, part, paragraph_elements(tc))
    assert marks == [] and text == cell_text(tc)


@pytest.mark.parametrize("body", MARKED)
def test_a_cell_with_anything_that_marks_is_walked(body, part):
    assert may_have_marks(_cell(body))
