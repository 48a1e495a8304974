"""A review document as Microsoft Word saves it, hand-built: the XML quirks Word writes around a reviewer's edits.

Word does not write what python-docx writes. After a reviewer's session a document carries revision-save ids
(`w:rsidR`, `w:rsidRPr`, `w:rsidRDefault`, `w:rsidP`, `w:rsidTr` on paragraphs, runs and rows; `w:rsid*` on
tracked changes), runs split wherever the rsid changes, proofing marks (`w:proofErr` spellStart/spellEnd and
gramStart/gramEnd around words), `w:lastRenderedPageBreak` inside the first run of a page, the `_GoBack`
bookmark where the cursor was, smart tags around recognised names (`w:smartTag`), content controls (`w:sdt`) at
block, row, cell and run level, `w:noProof` runs, and `w:rsids` in settings.xml. `word_saved(...)` applies all of
them to a review document's XML; the import must read exactly the text a reviewer sees.
"""

from __future__ import annotations

import itertools
import json
import re
import zipfile
from pathlib import Path

import docx
from lxml import etree

from support import review_edits as edit

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
N = {"w": W}
_rsids = (f"00{n:06X}" for n in itertools.count(0xA10B2C, 0x1F3))


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _stamp(element, *names: str) -> None:
    for name in names:
        element.set(w(name), next(_rsids))


def _split_runs(p) -> None:
    """Split every text run of `p` into runs of at most 4 characters, as Word does where rsids change."""
    for r in p.findall("w:r", N):
        t = r.find("w:t", N)
        if t is None or not t.text or len(t.text) <= 4:
            continue
        pieces = [t.text[i : i + 4] for i in range(0, len(t.text), 4)]
        t.text = pieces[0]
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        at = r
        for piece in pieces[1:]:
            clone = etree.fromstring(etree.tostring(r))
            clone.find("w:t", N).text = piece
            _stamp(clone, "rsidR", "rsidRPr")
            at.addnext(clone)
            at = clone


def _proof_marks(p) -> None:
    """spellStart/spellEnd around the second run, gramStart/gramEnd around the third."""
    runs = p.findall("w:r", N)
    for kind, index in (("spell", 1), ("gram", 2)):
        if len(runs) > index:
            start, end = etree.Element(w("proofErr")), etree.Element(w("proofErr"))
            start.set(w("type"), f"{kind}Start")
            end.set(w("type"), f"{kind}End")
            runs[index].addprevious(start)
            runs[index].addnext(end)


def _wrap(node, tag: str, *, sdt: bool = False, **attrs):
    """Wrap `node` in a smart tag (`w:smartTag`) or a content control (`w:sdt`/`w:sdtContent`)."""
    if sdt:
        wrapper = etree.Element(w("sdt"))
        pr = etree.SubElement(wrapper, w("sdtPr"))
        etree.SubElement(pr, w("id")).set(w("val"), str(abs(hash(tag)) % 10**9))
        etree.SubElement(pr, w("alias")).set(w("val"), tag)
        content = etree.SubElement(wrapper, w("sdtContent"))
        node.addprevious(wrapper)
        content.append(node)
        return wrapper
    wrapper = etree.Element(w(tag))
    for key, value in attrs.items():
        wrapper.set(w(key), value)
    node.addprevious(wrapper)
    wrapper.append(node)
    return wrapper


def word_saved(source: Path, target: Path) -> None:
    """Rewrite `source` (a review .docx) as Word would have saved it (see the module docstring)."""
    with zipfile.ZipFile(source) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    body = root.find("w:body", N)
    table = body.find("w:tbl", N)
    for p in root.iter(w("p")):
        _stamp(p, "rsidR", "rsidRDefault", "rsidP")
        for r in p.iter(w("r")):
            _stamp(r, "rsidR", "rsidRPr")
        _split_runs(p)
        _proof_marks(p)
    for tracked in itertools.chain(root.iter(w("ins")), root.iter(w("del"))):
        _stamp(tracked, "rsidR")
    rows = table.findall("w:tr", N)
    for tr in rows:
        _stamp(tr, "rsidR", "rsidTr")
    # The first text run on page 2 (Word records where it last laid out a page break).
    first = rows[8].findall(".//w:r", N)[0]
    first.insert(1 if first.find("w:rPr", N) is not None else 0, etree.Element(w("lastRenderedPageBreak")))
    # _GoBack: where the reviewer's cursor was when saving.
    cell_p = rows[4].findall("w:tc", N)[2].find("w:p", N)
    start, end = etree.Element(w("bookmarkStart")), etree.Element(w("bookmarkEnd"))
    start.set(w("id"), "0"), start.set(w("name"), "_GoBack"), end.set(w("id"), "0")
    cell_p.insert(1, start)
    cell_p.insert(2, end)
    # A smart tag (a recognised place name) and a run-level content control in a target cell.
    target_runs = rows[5].findall("w:tc", N)[2].find("w:p", N).findall("w:r", N)
    _wrap(target_runs[0], "smartTag", uri="urn:schemas-microsoft-com:office:smarttags", element="place")
    _wrap(target_runs[-1], "run-control", sdt=True)
    # A cell-level and a row-level content control, then the whole table in a block-level one.
    _wrap(rows[6].findall("w:tc", N)[3], "cell-control", sdt=True)
    _wrap(rows[7], "row-control", sdt=True)
    _wrap(table, "table-control", sdt=True)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    settings = etree.fromstring(parts["word/settings.xml"])
    rsids = settings.find("w:rsids", N)
    if rsids is None:
        rsids = etree.SubElement(settings, w("rsids"))
    for _ in range(3):
        etree.SubElement(rsids, w("rsid")).set(w("val"), next(_rsids))
    parts["word/settings.xml"] = etree.tostring(settings, xml_declaration=True, encoding="UTF-8", standalone=True)
    core = parts["docProps/core.xml"].decode("utf-8")
    core = re.sub(r"<cp:lastModifiedBy>[^<]*</cp:lastModifiedBy>", "<cp:lastModifiedBy>Lin Mei-hua</cp:lastModifiedBy>", core)
    parts["docProps/core.xml"] = core.encode("utf-8")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)


def test_a_review_document_saved_by_word_imports_exactly_what_the_reviewer_sees(run, cli, tmp_path):
    segments = run.manifest["segments"]
    ids = [s["id"] for s in segments]
    machine = {s["id"]: s["targets"]["zh-TW"]["text"] for s in segments}
    doc = docx.Document(run.review("zh-TW"))
    expected: dict[str, str] = {}
    # Row 4 (the _GoBack bookmark): a plain edit. Row 5 (smart tag, run control): a tracked insertion.
    edit.replace_text(edit.target_cell(doc, ids[3]), "高醫近年積極推動國際化，學生海外見習機會穩定增加。")
    expected[ids[3]] = "高醫近年積極推動國際化，學生海外見習機會穩定增加。"
    edit.tracked_insert(edit.target_cell(doc, ids[4]).paragraphs[0], "（已校對）")
    expected[ids[4]] = machine[ids[4]] + "（已校對）"
    # Row 6: its Notes cell (inside a cell control) gets a reviewer's line. Row 7 (row control): a deletion.
    edit.add_note(doc, ids[5], "請確認人名")
    word = machine[ids[6]].split()[0]
    edit.tracked_delete(edit.target_cell(doc, ids[6]).paragraphs[0], word)
    expected[ids[6]] = machine[ids[6]].replace(word, "", 1).strip()
    edited = tmp_path / "edited.docx"
    doc.save(edited)
    saved = run.folder / "kmu-kumamoto-mou-2025.zh-TW.review (Word).docx"
    word_saved(edited, saved)

    xml = zipfile.ZipFile(saved).read("word/document.xml").decode("utf-8")
    for quirk in ("w:rsidR=", "w:rsidRDefault=", "w:rsidTr=", "w:proofErr", "w:lastRenderedPageBreak", "_GoBack",
                  "w:smartTag", "w:sdtContent"):  # fmt: skip
        assert quirk in xml, quirk
    assert xml.count("<w:sdt>") == 4

    result = cli("review", "import", saved, "--manifest", run.folder)
    assert result.exit_code == 0, result.output
    assert f"{len(ids)} segments: {len(ids) - 3} unchanged, 3 edited, 0 emptied" in result.output
    data = json.loads(run.reviewed.read_text(encoding="utf-8"))
    stored = data["runs"][run.manifest["run_id"]]["zh-TW"]["segments"]
    for sid in ids:
        assert stored[sid]["text"] == expected.get(sid, machine[sid]).strip(), sid
    assert stored[ids[5]]["reviewer_notes"] == ["請確認人名"] and stored[ids[5]]["status"] == "unchanged"
    assert "tracked-changes" in stored[ids[4]]["flags"] and "tracked-changes" in stored[ids[6]]["flags"]
    assert stored[ids[3]]["reviewers"] == ["Lin Mei-hua"]  # a plain edit: the last-saved-by names the reviewer
