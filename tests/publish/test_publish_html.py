"""`publish --format html`: the web fragment per language, checked with an HTML5 parser and looked at in Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import html5lib
import pytest

from support import formatted_release as fr
from support.scripted_runs import run_and_review
from support.web_allowlist import check_fragment, check_images

NS = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def published(tmp_path, cli) -> Path:
    (tmp_path / "releases").mkdir()
    release = fr.build_docx(tmp_path / "releases" / "formatted.docx")
    folder = run_and_review(release, tmp_path / "out", cli)
    result = cli("publish", folder, "--no-memory", "--format", "html")
    assert result.exit_code == 0, result.output
    assert "formatted.zh-TW.html" in result.output
    return folder


def parse(path: Path):
    """The fragment parsed strictly: html5lib raises on any parse error (unclosed or misnested elements...)."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    return parser.parseFragment(path.read_text(encoding="utf-8"), container="div")


def text(element) -> str:
    return "".join(element.itertext())


@pytest.mark.parametrize("lang, tag", [("zh-TW", "zh-Hant-TW"), ("ja", "ja")])
def test_the_fragment_is_valid_html_with_the_release_structure(published, lang, tag):
    path = published / f"formatted.{lang}.html"
    root = parse(path)
    [article] = list(root)
    assert article.tag == NS + "article" and article.get("lang") == tag
    names = [child.tag[len(NS) :] for child in article]
    assert names[:3] == ["h1", "h2", "p"]  # headline, heading 2, the lead paragraph
    assert names.count("ul") == 1 and names.count("figure") == 1 and "table" in names and "aside" in names
    assert [text(li) for li in article.iter(NS + "li")] == ["譯譯譯譯譯。", "譯譯譯譯譯。"]
    links = [(text(a), a.get("href")) for a in article.iter(NS + "a")]
    kumamoto = {"zh-TW": "熊本大學", "ja": "熊本大学"}[lang]
    assert links == [(kumamoto, fr.LINK1), ("譯譯譯", fr.LINK2)]  # every URL of the English, on the right words
    [strong] = [text(s) for s in article.iter(NS + "strong")]
    assert strong.startswith("譯") and strong.endswith("27—")  # the bold lead-in only
    assert [text(e) for e in article.iter(NS + "em")] == ["譯譯"]  # The Lancet
    [figure] = article.iter(NS + "figure")
    img = figure.find(NS + "img")
    assert (published / img.get("src")).read_bytes() == fr.png()  # the image, copied beside the page
    assert text(figure.find(NS + "figcaption")).startswith("譯 1.") or text(figure.find(NS + "figcaption")).startswith("譯1")
    raw = path.read_text(encoding="utf-8")
    assert len(check_images(path, check_fragment(raw))) == 1  # the allow-list: elements, attributes, URLs, files
    assert "EMBARGOED" not in raw and "<style" not in raw and "<script" not in raw
    assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", raw)  # CJK typography: no space between CJK


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed")
def test_chromium_renders_the_fragment(published, tmp_path):
    from pipeline.publish.formats.html import html_lang

    fragment = (published / "formatted.zh-TW.html").read_text(encoding="utf-8")
    page = published / "page.zh-TW.html"
    page.write_text(f'<!doctype html><html lang="{html_lang("zh-TW")}"><head><meta charset="utf-8"><title>t</title></head>'
                    f"<body>{fragment}</body></html>", encoding="utf-8")
    shot = tmp_path / "web.png"
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         f"--screenshot={shot}", "--window-size=900,1100", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 5000
