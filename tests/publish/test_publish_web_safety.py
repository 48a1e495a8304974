"""Issue 22, blockers 1 and 2: no script URL and no script-bearing file reaches a publication (docs/robustness.md,
"The web page"). Hostile .docx and .md releases are built here; every web page is checked against the allow-list
of tests/support/web_allowlist.py."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from pipeline.core.release import Mark
from pipeline.core.web_safety import image_type, safe_url
from pipeline.docx.links import field_target
from pipeline.publish.formats.html import render_inline
from pipeline.publish.formats.markdown import render_markdown
from support import formatted_release as fr
from support.scripted_runs import run_and_review
from support.web_allowlist import browser_scheme, check_fragment, check_images, page_urls

GOOD = "https://www.kmu.edu.tw/news"
HOSTILE = {
    "first unsafe words": "javascript:alert(document.cookie)",
    "second unsafe words": "data:text/html,<script>alert(1)</script>",
    "third unsafe words": "vbscript:msgbox(1)",
    "fourth unsafe words": " JaVaScRiPt:alert(1)",
    "fifth unsafe words": "java\tscript:alert(1)",
    "sixth unsafe words": "\r\n javascript:alert(1)",
}
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
PAGE = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.mark.parametrize("url, expected", [
    ("https://www.kmu.edu.tw/", "https://www.kmu.edu.tw/"),
    ("HTTP://EXAMPLE.ORG", "HTTP://EXAMPLE.ORG"),
    ("mailto:press@kmu.edu.tw", "mailto:press@kmu.edu.tw"),
    ("news/2025.html", "news/2025.html"),
    ("#contact", "#contact"),
    ("//www.example.org/", "//www.example.org/"),
    (" https://a.example/\n", "https://a.example/"),
    ("%6Aavascript:alert(1)", "%6Aavascript:alert(1)"),  # no scheme: a relative path to a browser too
    ("&#106;avascript:alert(1)", "&#106;avascript:alert(1)"),  # written escaped: the same characters
    ("javascript:alert(1)", None),
    (" JaVaScRiPt:alert(1)", None),
    ("java\tscript:alert(1)", None),
    ("java\nscript:alert(1)", None),
    ("\x00\x1fjavascript:alert(1)", None),
    ("data:text/html;base64,PHNjcmlwdD4=", None),
    ("vbscript:msgbox(1)", None),
    ("file:///etc/passwd", None),
    ("ftp://files.example.org/", None),
    ("https://a.example/\x00x", None),
    ("", None),
    (None, None),
])  # fmt: skip
def test_the_url_allow_list_reads_urls_as_browsers_do(url, expected):
    assert safe_url(url) == expected
    if expected is not None:
        assert browser_scheme(expected) in (None, "http", "https", "mailto")


def test_image_types_are_told_by_their_bytes_not_their_name():
    assert image_type(fr.png()).suffix == ".png"
    assert image_type(b"\xff\xd8\xff\xe0\x00\x10JFIF").suffix == ".jpg"
    assert image_type(b"GIF89a\x01\x00").suffix == ".gif"
    assert image_type(b"RIFF\x10\x00\x00\x00WEBPVP8 ").suffix == ".webp"
    for other in (SVG, PAGE, b"", b"\x89PN", b"RIFF\x10\x00\x00\x00WAVE"):
        assert image_type(other) is None


@pytest.mark.parametrize("instruction, target", [
    ('HYPERLINK "javascript:alert(1)"', "javascript:alert(1)"),
    (' hyperlink "java\tscript:x" \\o "tip"', "java\tscript:x"),
    ('HYPERLINK \\o "https://tip.example" "javascript:x"', "javascript:x"),
    ('HYPERLINK \\l "bookmark"', None),
    ("PAGE", None),
])  # fmt: skip
def test_hyperlink_field_targets_are_read_as_word_reads_them(instruction, target):
    assert field_target(instruction) == target


def test_inline_renderers_drop_unsafe_links_and_keep_their_text():
    text = "see this and that"
    marks = [Mark(4, 8, "a", "javascript:alert(1)"), Mark(13, 17, "a", "https://a.example/x) [y](javascript:alert(1)")]
    html = render_inline(text, marks)
    root = check_fragment(f"<article>{html}</article>")
    assert page_urls(root, "a", "href") == ["https://a.example/x) [y](javascript:alert(1)"]
    assert "".join(root.itertext()) == text
    markdown = render_markdown(text, marks)
    tokens = MarkdownIt().parseInline(markdown)[0].children
    hrefs = [t.attrs["href"] for t in tokens if t.type == "link_open"]
    assert len(hrefs) == 1 and browser_scheme(hrefs[0]) == "https" and "javascript" not in markdown.split(")")[-1]
    assert "".join(t.content for t in tokens if t.type == "text") == text


# --- a hostile Word release ------------------------------------------------------------------------------------


def _simple_field(paragraph, instruction: str, words: str) -> None:
    from docx.oxml import parse_xml

    paragraph._p.append(parse_xml(
        '<w:fldSimple xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        f'w:instr=\'{instruction}\'><w:r><w:t>{words}</w:t></w:r></w:fldSimple>'
    ))  # fmt: skip


def _complex_field(paragraph, instruction: str, words: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for tag, value in (("begin", None), ("instr", instruction), ("separate", None), ("text", words), ("end", None)):
        r = OxmlElement("w:r")
        if tag == "instr":
            child = OxmlElement("w:instrText")
            child.text = value
        elif tag == "text":
            child = OxmlElement("w:t")
            child.text = value
        else:
            child = OxmlElement("w:fldChar")
            child.set(qn("w:fldCharType"), tag)
        r.append(child)
        paragraph._p.append(r)


def build_hostile_docx(path: Path) -> Path:
    import docx
    from docx.shared import Mm

    document = docx.Document()
    fr.add_hyperlink(document.sections[0].header.paragraphs[0], "Header words", "javascript:alert('header')")
    document.add_paragraph("Hostile Links Release Test", style="Title")
    p = document.add_paragraph("The university published the report on ")
    fr.add_hyperlink(p, "its news page", GOOD)
    p.add_run(" today.")
    for words, url in HOSTILE.items():
        p = document.add_paragraph("The office said that ")
        fr.add_hyperlink(p, words, url)
        p.add_run(" were checked.")
    _simple_field(document.add_paragraph("A simple field holds "), 'HYPERLINK "javascript:alert(2)"', "seventh unsafe words")
    _complex_field(document.add_paragraph("A complex field holds "), ' HYPERLINK "java\tscript:alert(3)" ', "eighth unsafe words")
    for colour in ((200, 30, 30), (30, 200, 30), (30, 30, 200)):
        document.add_picture(io.BytesIO(fr.png(rgb=colour)), width=Mm(30))
    document.save(str(path))
    # the second picture becomes an SVG with script, the third an HTML page declared as a PNG
    with zipfile.ZipFile(path) as original:
        entries = {info.filename: original.read(info) for info in original.infolist()}
    rels = entries["word/_rels/document.xml.rels"].decode()
    rels = rels.replace("media/image2.png", "media/evil.svg").replace("media/image3.png", "media/page.html")
    entries["word/_rels/document.xml.rels"] = rels.encode()
    entries["word/media/evil.svg"] = SVG
    entries["word/media/page.html"] = PAGE
    del entries["word/media/image2.png"], entries["word/media/image3.png"]
    types = entries["[Content_Types].xml"].decode().replace("</Types>", (
        '<Override PartName="/word/media/evil.svg" ContentType="image/svg+xml"/>'
        '<Override PartName="/word/media/page.html" ContentType="image/png"/></Types>'))  # fmt: skip
    entries["[Content_Types].xml"] = types.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as rebuilt:
        for name, data in entries.items():
            rebuilt.writestr(name, data)
    return path


def _unsafe_in_package(path: Path) -> list[str]:
    """Every hyperlink target of the package (relationships, fields) a browser would not read as allowed."""
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    found = []
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if not name.endswith((".rels", ".xml")):
                continue
            root = etree.fromstring(package.read(name))
            if name.endswith(".rels"):
                found += [rel.get("Target") for rel in root if rel.get("Type", "").endswith("/hyperlink")
                          and browser_scheme(rel.get("Target", "")) not in (None, "http", "https", "mailto")]
            instructions = [f.get(w + "instr") or "" for f in root.iter(w + "fldSimple")]
            instructions += [t.text or "" for t in root.iter(w + "instrText")]
            found += [i for i in instructions if "script" in i.lower() or "data:" in i.lower()]
    return found


@pytest.fixture(scope="module")
def hostile_docx(tmp_path_factory):
    from click.testing import CliRunner

    from pipeline.cli import main

    def cli(*args):
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)

    tmp = tmp_path_factory.mktemp("hostile")
    (tmp / "releases").mkdir()
    release = build_hostile_docx(tmp / "releases" / "hostile.docx")
    folder = run_and_review(release, tmp / "out", cli)
    result = cli("publish", folder, "--no-memory", "--format", "html")
    assert result.exit_code == 0, result.output
    return folder, result.output


@pytest.mark.parametrize("lang", ["zh-TW", "ja"])
def test_no_script_url_and_no_script_file_reaches_the_web_page_of_a_word_release(hostile_docx, lang):
    folder, output = hostile_docx
    page = folder / f"hostile.{lang}.html"
    root = check_fragment(page.read_text(encoding="utf-8"))
    assert page_urls(root, "a", "href") == [GOOD]  # the one safe link, and only it
    images = check_images(page, root)
    assert [p.read_bytes() for p in images] == [fr.png(rgb=(200, 30, 30))]  # the SVG and the "page.html" refused
    assert len(page_urls(root, "img", "src")) == 1
    assert "evil.svg" in output and "SVG" in output and "page.html" in output  # each refusal named


@pytest.mark.parametrize("lang", ["zh-TW", "ja"])
def test_the_published_docx_holds_no_script_url(hostile_docx, lang):
    folder, _ = hostile_docx
    published = folder / f"hostile.{lang}.docx"
    assert _unsafe_in_package(published) == []
    from pipeline.docx.links import hyperlink_urls
    from pipeline.docx.bounded import open_docx

    assert {safe_url(u) for u in hyperlink_urls(open_docx(published))} == {GOOD}


def test_the_source_has_them_and_each_row_is_flagged_at_run_time(hostile_docx):
    folder, _ = hostile_docx
    assert len(_unsafe_in_package(next((folder / ".sources").glob("*.docx")))) >= 8  # the attack is really there
    manifest = json.loads((folder / "hostile.manifest.json").read_text(encoding="utf-8"))
    for lang in ("zh-TW", "ja"):
        flagged = [s["source"] for s in manifest["segments"]
                   if any(f["code"] == "link-unsafe" for f in s["targets"][lang]["flags"])]
        for words in list(HOSTILE) + ["seventh unsafe words", "eighth unsafe words"]:
            assert any(words in source for source in flagged), (lang, words, flagged)
        assert not any("its news page" in source for source in flagged)


# --- a hostile Markdown release --------------------------------------------------------------------------------

MARKDOWN = f"""# Hostile Markdown Release Test

The university published the report on [its news page]({GOOD}) today.

The office said that [the archive](ftp://files.example.org/report) was checked, and [the map](<https://www.kmu.edu.tw/a b>) too.

![evil](evil.svg)

![page](page.html)

![fake](fake.png)

![inline](data:image/png;base64,iVBORw0KGgo=)

![ceremony](ceremony.png)
"""


def test_a_markdown_release_publishes_only_allowed_links_and_raster_images(tmp_path, cli):
    (tmp_path / "releases").mkdir()
    source = tmp_path / "releases" / "hostilemd.md"
    source.write_text(MARKDOWN, encoding="utf-8")
    (source.parent / "evil.svg").write_bytes(SVG)
    (source.parent / "page.html").write_bytes(PAGE)
    (source.parent / "fake.png").write_bytes(PAGE)
    (source.parent / "ceremony.png").write_bytes(fr.png())
    folder = run_and_review(source, tmp_path / "out", cli)
    result = cli("publish", folder, "--no-memory", "--format", "html")
    assert result.exit_code == 0, result.output
    for name in ("evil.svg", "page.html", "fake.png", "data:"):
        assert name in result.output, result.output
    for lang in ("zh-TW", "ja"):
        page = folder / f"hostilemd.{lang}.html"
        root = check_fragment(page.read_text(encoding="utf-8"))
        assert page_urls(root, "a", "href") == [GOOD, "https://www.kmu.edu.tw/a%20b"]
        assert [p.read_bytes() for p in check_images(page, root)] == [fr.png()]
        markdown = (folder / f"hostilemd.{lang}.md").read_text(encoding="utf-8")
        tokens = [t for block in MarkdownIt().parse(markdown) for t in (block.children or [])]
        hrefs = [t.attrs["href"] for t in tokens if t.type == "link_open"]
        srcs = [t.attrs["src"] for t in tokens if t.type == "image"]
        assert hrefs == [GOOD, "https://www.kmu.edu.tw/a%20b"], markdown
        assert srcs == [f"hostilemd.{lang}.files/ceremony.png"], markdown
    manifest = json.loads((folder / "hostilemd.manifest.json").read_text(encoding="utf-8"))
    flagged = [s["source"] for s in manifest["segments"] if any(f["code"] == "link-unsafe" for f in s["targets"]["ja"]["flags"])]
    assert len(flagged) == 1 and "the archive" in flagged[0]
