"""A formatted Markdown release keeps its Markdown structure when published (.md and the web fragment)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import html5lib
import pytest

from support import formatted_release as fr
from pipeline.source.ingest import read_release
from pipeline.source.markdown import UNSTRUCTURED
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


# --- issue 22, blocker 4: a URL with parentheses, and a release whose structure cannot be read -----------------

WIKI = "https://en.wikipedia.org/wiki/Kumamoto_(city)"
WIKI_RELEASE = f"""# KMU Signs Agreement with Kumamoto University

**KAOHSIUNG, Nov. 27 —** Kaohsiung Medical University signed an agreement in Kumamoto; see the
[wiki page]({WIKI}) for the city.

- Student exchanges in clinical medicine.
- Joint research in public health.

1. First step of the plan.
2. Second step of the plan.

![The signing ceremony](ceremony.png)

The signing ceremony in Kaohsiung.
"""


@pytest.fixture
def wiki_published(tmp_path, cli):
    (tmp_path / "releases").mkdir()
    release = tmp_path / "releases" / "wiki.md"
    release.write_text(WIKI_RELEASE, encoding="utf-8")
    (release.parent / "ceremony.png").write_bytes(fr.png())
    folder = run_and_review(release, tmp_path / "out", cli)
    result = cli("publish", folder, "--no-memory", "--format", "html")
    assert result.exit_code == 0, result.output
    return folder


def test_a_url_with_parentheses_keeps_the_release_and_its_structure(wiki_published):
    manifest = json.loads((wiki_published / "wiki.manifest.json").read_text(encoding="utf-8"))
    english = " ".join(s["source"] for s in manifest["segments"])
    assert ")" not in english.replace("(", "").replace("KAOHSIUNG", "")  # no stray `)` from the URL
    assert "see the wiki page for the city." in english
    assert [entry["kind"] for entry in manifest["layout"]] == ["heading", "paragraph", "item", "item", "item", "item",
                                                               "paragraph"]
    assert not any("could not be read" in note for note in manifest["notes"])


@pytest.mark.parametrize("lang", ["zh-TW", "ja"])
def test_the_wiki_release_publishes_its_link_list_bold_and_image(wiki_published, lang):
    text = (wiki_published / f"wiki.{lang}.md").read_text(encoding="utf-8")
    from markdown_it import MarkdownIt

    hrefs = [t.attrGet("href") for block in MarkdownIt().parse(text) for t in (block.children or []) if t.type == "link_open"]
    assert hrefs == [WIKI]  # the whole URL, parentheses included, as a CommonMark reader reads the published .md
    lines = [line for line in text.splitlines() if line.strip()]
    assert [line[:2] for line in lines].count("- ") == 2 and lines[0].startswith("# ")
    assert "<strong>" in text or "**" in text
    assert f"![The signing ceremony](wiki.{lang}.files/ceremony.png)" in text

    fragment = (wiki_published / f"wiki.{lang}.html").read_text(encoding="utf-8")
    root = html5lib.HTMLParser(strict=True).parseFragment(fragment, container="div")
    [article] = list(root)
    assert [a.get("href") for a in article.iter(NS + "a")] == [WIKI]
    assert len(article.findall(f"{NS}ul/{NS}li")) == 2  # the bullets
    [steps] = article.findall(f"{NS}ol")  # "1. 2." an ordered list, numbered by it (no "1." left in the text)
    assert steps.get("start") is None and [li.text[:1] for li in steps.findall(f"{NS}li")] == ["譯", "譯"]
    assert article.find(f".//{NS}strong") is not None
    assert article.find(f"{NS}figure/{NS}img").get("src") == f"wiki.{lang}.files/ceremony.png"
    assert article.find(f"{NS}figure/{NS}figcaption") is not None


def _deep_release(tmp_path) -> Path:
    (tmp_path / "releases").mkdir()
    release = tmp_path / "releases" / "deep.md"
    release.write_text("# KMU Signs Agreement\n\n" + "> " * 30 + "Kaohsiung Medical University signed it.\n\n"
                       "Kumamoto University welcomed the *agreement*.\n", encoding="utf-8")
    return release


def test_a_release_whose_structure_cannot_be_read_says_so_and_refuses_the_structured_outputs(tmp_path, cli):
    folder = run_and_review(_deep_release(tmp_path), tmp_path / "out", cli)
    manifest = json.loads((folder / "deep.manifest.json").read_text(encoding="utf-8"))
    assert "layout" not in manifest
    assert any(note.startswith(UNSTRUCTURED) and "line 3" in note for note in manifest["notes"])
    english = " ".join(s["source"] for s in manifest["segments"])
    assert "Kaohsiung Medical University signed it." in english  # the text deeper than the parser goes is kept

    before = sorted(p.name for p in folder.iterdir())
    refused = cli("publish", folder, "--no-memory", "--format", "html")
    assert refused.exit_code == 3
    [error] = [line for line in refused.output.splitlines() if line.startswith("Error:")]
    assert "no web page" in error and "nest" in error and "without --format html" in error
    assert sorted(p.name for p in folder.iterdir()) == before  # nothing written

    published = cli("publish", folder, "--no-memory")
    assert published.exit_code == 0, published.output
    assert "no .md published" in published.output and "nest" in published.output
    assert (folder / "deep.zh-TW.docx").is_file() and not (folder / "deep.zh-TW.md").exists()


def test_a_markdown_release_without_its_kept_source_refuses_the_web_page(wiki_published, cli):
    shutil.rmtree(wiki_published / ".sources")
    refused = cli("publish", wiki_published, "--no-memory", "--format", "html")
    assert refused.exit_code == 3 and ".sources" in refused.output
    published = cli("publish", wiki_published, "--no-memory")
    assert published.exit_code == 0 and "no .md published" in published.output
