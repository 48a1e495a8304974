"""A formatted Markdown release keeps its Markdown structure when published (.md and the web fragment)."""

from __future__ import annotations

import html5lib
import pytest

from support import formatted_release as fr
from pipeline.source.ingest import read_release
from support.scripted_runs import run_and_review

NS = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def published(tmp_path, cli):
    (tmp_path / "releases").mkdir()
    release = fr.build_markdown(tmp_path / "releases" / "formatted.md")
    folder = run_and_review(release, tmp_path / "out", cli)
    result = cli("publish", folder, "--no-memory", "--format", "html")
    assert result.exit_code == 0, result.output
    return folder


def test_markdown_marks_and_places_are_read(tmp_path):
    release = read_release(fr.build_markdown(tmp_path / "r.md"))
    assert [o["prefix"] for o in release.origins] == ["# ", "## ", "", "", "- ", "- ", ""]
    lead = release.paragraphs_text[2]
    assert [(m.kind, lead[m.start : m.end], m.href) for m in release.paragraph_marks[2]] == [
        ("b", fr.LEAD_IN, None),
        ("a", "Kumamoto University", fr.LINK1),
    ]


@pytest.mark.parametrize("lang", ["zh-TW", "ja"])
def test_published_markdown_keeps_the_structure(published, lang):
    text = (published / f"formatted.{lang}.md").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0].startswith("# ") and lines[1].startswith("## ")
    assert [line[:2] for line in lines].count("- ") == 2
    kumamoto = {"zh-TW": "熊本大學", "ja": "熊本大学"}[lang]
    assert f"[{kumamoto}]({fr.LINK1})" in text and f"[譯譯譯]({fr.LINK2})" in text  # links on the right words
    assert "*譯譯*" in text  # The Lancet, italic
    assert "<strong>譯" in text or "**譯" in text  # the bold lead-in (HTML where CJK punctuation stops **)
    image = f"![The signing ceremony](formatted.{lang}.files/ceremony.png)"
    assert image in text and (published / f"formatted.{lang}.files" / "ceremony.png").read_bytes() == fr.png()
    assert "Kaohsiung Medical" not in text


def test_markdown_web_fragment_is_valid_html(published):
    fragment = (published / "formatted.zh-TW.html").read_text(encoding="utf-8")
    root = html5lib.HTMLParser(strict=True).parseFragment(fragment, container="div")
    [article] = list(root)
    assert article.get("lang") == "zh-Hant-TW"
    assert [c.tag[len(NS) :] for c in article] == ["h1", "h2", "p", "p", "ul", "figure"]
    assert [a.get("href") for a in article.iter(NS + "a")] == [fr.LINK1, fr.LINK2]
    assert article.find(f"{NS}figure/{NS}figcaption") is not None
