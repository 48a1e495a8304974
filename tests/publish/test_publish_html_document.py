"""The web page is the document (issue 19, item 5): footnotes as a notes list linked both ways, numbered lists as
`<ol>` (with `start` and `type` as Word numbers them), unreviewed text marked, a tab a visible gap; for a Word
release made with python-docx and for the same release saved by LibreOffice, and for a Markdown release."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from support import review_edits as edit
from support.footnotes import add_footnote
from support.libreoffice import WORD_2007
from support.scripted_engines import ScriptedEngine, pseudo_translate
from support.scripted_runs import run_and_review
from support.web_allowlist import NS, check_fragment, check_images

from pipeline.glossary import load_glossary
from pipeline.run import run_releases
from support.paths import GLOSSARY

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STEPS = ("First step of the plan.", "Second step of the plan.", "Third step of the plan.")
LETTERED = ("Option one for the partners.", "Option two for the partners.")
FROM_FIVE = ("Fifth item of the agenda.", "Sixth item of the agenda.")
NOTED = "signed a memorandum."
NUMBERING = f"""<w:numbering xmlns:w="{W_NS}">
<w:abstractNum w:abstractNumId="91"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
<w:lvlText w:val="%1."/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="92"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>
<w:lvlText w:val="%1)"/></w:lvl></w:abstractNum>
<w:num w:numId="91"><w:abstractNumId w:val="91"/></w:num>
<w:num w:numId="92"><w:abstractNumId w:val="92"/></w:num>
<w:num w:numId="93"><w:abstractNumId w:val="91"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
</w:numbering>"""


def _numbered(document, text: str, num_id: int):
    """A paragraph numbered the way Word's numbering button does it: List Paragraph with its own w:numPr."""
    paragraph = document.add_paragraph(text, style="List Paragraph")
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
    ))
    return paragraph


def build_release(folder: Path) -> Path:
    """A release with a footnote, a "1. 2." list that goes on as "3." after a paragraph, a lettered list, a list
    that starts at 5 and a bulleted one."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    definitions = parse_xml(NUMBERING)
    for k, abstract in enumerate(definitions.findall(f"{{{W_NS}}}abstractNum")):
        numbering.insert(k, abstract)  # abstract numberings come before every w:num
    for num in definitions.findall(f"{{{W_NS}}}num"):
        numbering.append(num)
    document.add_paragraph("KMU Signs Agreement with Kumamoto University", style="Title")
    document.add_paragraph(f"Kaohsiung Medical University {NOTED}")
    _numbered(document, STEPS[0], 91)
    _numbered(document, STEPS[1], 91)
    document.add_paragraph("The partners agreed on the next step.")
    _numbered(document, STEPS[2], 91)
    for text in LETTERED:
        _numbered(document, text, 92)
    for text in FROM_FIVE:
        _numbered(document, text, 93)
    document.add_paragraph("Student exchanges in clinical medicine.", style="List Bullet")
    plain = folder / "plain.docx"
    document.save(str(plain))
    release = folder / "notes.docx"
    add_footnote(plain, release, NOTED)
    plain.unlink()
    return release


def text(element) -> str:
    return "".join(element.itertext())


def page(folder: Path, lang: str):
    path = folder / f"{folder.name}.{lang}.html"
    raw = path.read_text(encoding="utf-8")
    root = check_fragment(raw)  # the allow-list: the new elements and attributes too; ids unique, #links resolve
    check_images(path, root)
    [article] = list(root)
    return article, raw


def lists(article) -> list[tuple[str, dict, int]]:
    """(tag, attributes, items) of each list of the page's body (not the notes)."""
    return [(child.tag[len(NS):], dict(child.attrib), len(child.findall(NS + "li"))) for child in article
            if child.tag in (NS + "ol", NS + "ul") and child.get("class") != "notes"]


def assert_note_linked_both_ways(article) -> None:
    [sup] = article.iter(NS + "sup")
    [reference] = sup.findall(NS + "a")
    assert (reference.get("href"), reference.get("id"), text(reference)) == ("#fn1", "fnref1", "1")
    assert "譯" in text(next(p for p in article.iter(NS + "p") if sup in list(p.iter(NS + "sup"))))
    [notes] = [ol for ol in article.iter(NS + "ol") if ol.get("class") == "notes"]
    assert list(article)[-1] is notes  # at the end of the page
    [note] = notes.findall(NS + "li")
    assert note.get("id") == "fn1"
    back = [a for a in note.iter(NS + "a") if a.get("href") == "#fnref1"]
    assert len(back) == 1
    assert text(note).replace(text(back[0]), "").strip() == "譯譯譯譯譯譯。"  # " The memorandum runs for five years."


@pytest.fixture
def release(tmp_path) -> Path:
    (tmp_path / "releases").mkdir()
    return build_release(tmp_path / "releases")


@pytest.mark.parametrize("lang", ["zh-TW", "ja"])
def test_a_word_release_keeps_its_footnote_and_numbered_lists(release, tmp_path, cli, lang):
    folder = run_and_review(release, tmp_path / "out", cli)
    result = cli("publish", folder, "--no-memory", "--format", "html")
    assert result.exit_code == 0, result.output
    article, raw = page(folder, lang)
    assert lists(article) == [
        ("ol", {}, 2),  # 1. 2.
        ("ol", {"start": "3"}, 1),  # 3. after the paragraph between: the numbers go on
        ("ol", {"type": "a"}, 2),  # a) b)
        ("ol", {"start": "5"}, 2),  # 5. 6.: the list restarts at 5
        ("ul", {}, 1),
    ]
    assert_note_linked_both_ways(article)
    assert "\ufffc" not in raw


def test_a_release_saved_by_libreoffice_keeps_its_footnote_and_numbered_list(release, tmp_path, cli, libreoffice):
    saved = tmp_path / "lo" / "saved.docx"
    saved.parent.mkdir()
    libreoffice.convert(release, saved, WORD_2007)  # LibreOffice writes its own numbering.xml and footnotes.xml
    folder = run_and_review(saved, tmp_path / "out", cli)
    result = cli("publish", folder, "--no-memory", "--format", "html")
    assert result.exit_code == 0, result.output
    article, _ = page(folder, "zh-TW")
    found = lists(article)
    assert [(tag, attributes.get("start"), items) for tag, attributes, items in found] == [
        ("ol", None, 2), ("ol", "3", 1), ("ol", None, 2), ("ol", "5", 2), ("ul", None, 1),
    ]  # fmt: skip
    assert found[2][1].get("type") == "a"
    assert_note_linked_both_ways(article)


def _segment_id(folder: Path, source: str) -> str:
    manifest = json.loads(next(folder.glob("*.manifest.json")).read_text(encoding="utf-8"))
    return next(s["id"] for s in manifest["segments"] if s["source"] == source)


def test_unreviewed_text_is_marked_and_a_tab_is_a_visible_gap(release, tmp_path, cli):
    engines = {"zh-TW": ScriptedEngine(pseudo_translate), "ja": ScriptedEngine(pseudo_translate, to_code="ja", lang="ja")}
    run_releases([release], engines, tmp_path / "out", glossary=load_glossary(GLOSSARY))
    folder = tmp_path / "out" / release.stem
    ok, tabbed = _segment_id(folder, STEPS[0]), _segment_id(folder, STEPS[1])
    review = folder / f"{release.stem}.zh-TW.review.docx"
    document = docx.Document(str(review))
    edit.mark_ok(document, ok)
    edit.replace_text(edit.target_cell(document, tabbed), "譯譯\t譯譯。")
    document.save(str(review))
    assert cli("review", "import", review, "--no-memory").exit_code == 0
    result = cli("publish", folder, "--no-memory", "--format", "html", "--allow-unreviewed", "--to", "zh-TW")
    assert result.exit_code == 0, result.output
    article, raw = page(folder, "zh-TW")
    banner = text(next(p for p in article.iter(NS + "p") if p.get("class") == "translate-warning"))
    assert "(highlighted)" in banner
    items = {text(li): li for li in article.iter(NS + "li")}
    assert "譯譯\u2003譯譯。" in items and "\t" not in raw  # the tab: an em space, a gap the page shows
    assert not list(items["譯譯\u2003譯譯。"].iter(NS + "mark"))  # edited: reviewed
    reviewed = [li for li in article.iter(NS + "li") if not list(li.iter(NS + "mark"))]
    assert len(reviewed) == 2  # the row marked OK and the edited one
    marked = [text(m) for m in article.iter(NS + "mark")]
    manifest = json.loads(next(folder.glob("*.manifest.json")).read_text(encoding="utf-8"))
    unreviewed = [s for s in manifest["segments"] if s["id"] not in (ok, tabbed)]
    assert len(marked) == len(unreviewed) and all(marked)  # each unreviewed sentence (one a paragraph here), the note's too
    assert f"{len(unreviewed)} segment(s) not reviewed" in banner


def test_a_markdown_list_that_starts_at_three_and_unreviewed_text(tmp_path, cli):
    (tmp_path / "releases").mkdir()
    release = tmp_path / "releases" / "steps.md"
    release.write_text("# KMU Signs Agreement\n\nThe partners agreed on three steps.\n\n3. Third step of the plan.\n"
                       "4. Fourth step of the plan.\n\n- Student exchanges in clinical medicine.\n", encoding="utf-8")
    engines = {"zh-TW": ScriptedEngine(pseudo_translate), "ja": ScriptedEngine(pseudo_translate, to_code="ja", lang="ja")}
    run_releases([release], engines, tmp_path / "out", glossary=load_glossary(GLOSSARY))
    folder = tmp_path / "out" / "steps"
    result = cli("publish", folder, "--no-memory", "--format", "html", "--allow-unreviewed", "--to", "ja")
    assert result.exit_code == 0, result.output
    article, _ = page(folder, "ja")
    assert lists(article) == [("ol", {"start": "3"}, 2), ("ul", {}, 1)]
    assert all(text(li) == "譯譯譯譯譯。" for li in article.iter(NS + "li"))  # the number is the list's, not text
    assert all(li.find(NS + "mark") is not None for li in article.iter(NS + "li"))  # nothing reviewed: all marked
    assert [text(h) for h in article.iter(NS + "h1")] and article.find(NS + "h1").find(NS + "mark") is not None
