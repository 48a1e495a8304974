"""A .docx release holding what must never be published, or never on the web page (issue 22, round 3).

- comments: "COMMENTSECRET do not publish the budget figure." on a body paragraph, a second comment anchored in a
  footnote, both by an author named "Internal Editor COMMENTSECRET", with Word's companion parts
  (commentsExtended, commentsIds, commentsExtensible, people.xml naming the author);
- an image (red) and a text box ("BOXSECRET …") each anchored in a hidden run (`w:vanish`), beside a visible
  image (blue);
- text hidden on the web only (`w:webHidden`): a whole paragraph (`WEB_ONLY`), part of a paragraph
  (`MIXED` + `MIXED_WEB_ONLY`), and an image (green) in a web-hidden run.
"""

from __future__ import annotations

import io
from pathlib import Path

from support.formatted_release import png

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % W_NS
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"

COMMENT = "COMMENTSECRET do not publish the budget figure."
AUTHOR = "Internal Editor COMMENTSECRET"
BOX = "BOXSECRET the draft figure is 12 million."
WEB_ONLY = "The printed edition lists the room number for visitors."
MIXED = "Visitors are welcome at the open day."
MIXED_WEB_ONLY = "See the printed map on page four."
FOOTNOTE = "The memorandum runs for five years."

VISIBLE = [
    "The university opens a new research centre",
    "The centre opens in April.",
    "It will host forty researchers from three countries.",
    "The university thanks its partners.",
    "Researchers will share the laboratories.",
]

RED, BLUE, GREEN = (200, 20, 20), (30, 90, 160), (20, 160, 60)

_COMPANIONS = (  # part name, content type, relationship type, XML
    ("/word/commentsExtended.xml",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml",
     "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
     f'<w15:commentsEx xmlns:w15="{W15}"><w15:commentEx w15:paraId="1A2B3C4D" w15:done="0"/></w15:commentsEx>'),
    ("/word/commentsIds.xml",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsIds+xml",
     "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
     '<w16cid:commentsIds xmlns:w16cid="http://schemas.microsoft.com/office/word/2016/wordml/cid">'
     '<w16cid:commentId w16cid:paraId="1A2B3C4D" w16cid:durableId="5E6F7A8B"/></w16cid:commentsIds>'),
    ("/word/commentsExtensible.xml",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtensible+xml",
     "http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible",
     '<w16cex:commentsExtensible xmlns:w16cex="http://schemas.microsoft.com/office/word/2018/wordml/cex">'
     '<w16cex:commentExtensible w16cex:durableId="5E6F7A8B" w16cex:dateUtc="2025-01-01T00:00:00Z"/>'
     '</w16cex:commentsExtensible>'),
    ("/word/people.xml",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml",
     "http://schemas.microsoft.com/office/2011/relationships/people",
     f'<w15:people xmlns:w15="{W15}"><w15:person w15:author="{AUTHOR}"><w15:presenceInfo '
     'w15:providerId="AD" w15:userId="S::editor.commentsecret@example.org::0000"/></w15:person></w15:people>'),
)  # fmt: skip
_FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


def run_xml(text: str, props: str = "") -> str:
    return f'<w:r xmlns:w="{W_NS}"><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def _hidden_text_box(text: str) -> str:
    """A legacy VML text box anchored in a run formatted as hidden."""
    return (f'<w:r xmlns:w="{W_NS}" xmlns:v="urn:schemas-microsoft-com:vml"><w:rPr><w:vanish/></w:rPr><w:pict>'
            f'<v:shape style="width:300pt;height:40pt"><v:textbox><w:txbxContent><w:p><w:r>'
            f'<w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>')


def _picture_run(paragraph, rgb, prop: str) -> None:
    from docx.oxml import parse_xml
    from docx.shared import Mm

    run = paragraph.add_run()
    run.add_picture(io.BytesIO(png(rgb=rgb)), width=Mm(20))
    run._r.get_or_add_rPr().append(parse_xml(f'<w:{prop} xmlns:w="{W_NS}"/>'))


def _add_part(document, name: str, content_type: str, reltype: str, xml: str) -> None:
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    blob = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml).encode()
    document.part.relate_to(Part(PackURI(name), content_type, blob, document.part.package), reltype)


def _footnote_with_comment(document, paragraph, comment_id: int) -> None:
    """A footnote referred to from `paragraph`, holding the anchors of comment `comment_id` (moved there)."""
    from docx.oxml import parse_xml

    body = document.element.body
    anchors = [el for el in body.iter(W + "commentRangeStart", W + "commentRangeEnd", W + "commentReference")
               if el.get(W + "id") == str(comment_id)]
    for el in anchors:
        holder = el.getparent()
        holder.remove(el)
        if holder.tag == W + "r" and all(c.tag == W + "rPr" for c in holder):
            holder.getparent().remove(holder)
    paragraph._p.append(parse_xml(f'<w:r xmlns:w="{W_NS}"><w:footnoteReference w:id="1"/></w:r>'))
    c = f'w:id="{comment_id}"'
    xml = (f'<w:footnotes xmlns:w="{W_NS}">'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
           '</w:footnote><w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
           f'<w:commentRangeStart {c}/><w:r><w:t xml:space="preserve"> {FOOTNOTE}</w:t></w:r><w:commentRangeEnd {c}/>'
           f'<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference {c}/></w:r>'
           '</w:p></w:footnote></w:footnotes>')
    _add_part(document, "/word/footnotes.xml", _FOOTNOTES_TYPE, _FOOTNOTES_REL, xml)


def build_release(path: Path, *, comments: bool = True, hidden_objects: bool = True, web_hidden: bool = True) -> Path:
    import docx
    from docx.oxml import parse_xml
    from docx.shared import Mm

    document = docx.Document()
    document.add_heading(VISIBLE[0], level=1)
    commented = document.add_paragraph(VISIBLE[1])
    if comments:
        document.add_comment(commented.runs, text=COMMENT, author=AUTHOR, initials="IE")
        for name, content_type, reltype, xml in _COMPANIONS:
            _add_part(document, name, content_type, reltype, xml)
    p = document.add_paragraph(VISIBLE[2])
    if comments:
        second = document.add_comment(p.runs, text=COMMENT + " (footnote)", author=AUTHOR, initials="IE")
        _footnote_with_comment(document, p, second.comment_id)
    document.add_picture(io.BytesIO(png(rgb=BLUE)), width=Mm(40))
    p = document.add_paragraph(VISIBLE[3] + " ")
    if hidden_objects:
        _picture_run(p, RED, "vanish")
        p._p.append(parse_xml(_hidden_text_box(BOX)))
    document.add_paragraph(VISIBLE[4])
    if web_hidden:
        document.add_paragraph()._p.append(parse_xml(run_xml(WEB_ONLY, "<w:webHidden/>")))
        p = document.add_paragraph(MIXED + " ")
        p._p.append(parse_xml(run_xml(MIXED_WEB_ONLY, "<w:webHidden/>")))
        _picture_run(document.add_paragraph(), GREEN, "webHidden")
    document.save(str(path))
    return path
