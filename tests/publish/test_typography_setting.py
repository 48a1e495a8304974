"""A reviewer's text is never retypeset silently (issue 19, item 7): with the house style's `typography: apply` (the
default) `review import` shows per row what publish will change (`row N: ２０１７ → 2017`); with `keep` publish
prints the reviewer's text exactly as typed. Machine text is typeset either way."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

from pipeline.glossary import load_glossary
from pipeline.glossary.formats.yaml_titles import read_titles
from pipeline.language.typography import typeset, typeset_changes
from pipeline.run import run_releases
from support import review_edits as edit
from support.scripted_engines import ScriptedEngine, pseudo_translate

RELEASE = "Kumamoto University Signs an Agreement\n\nHer term began in 2017. Kumamoto University hosts the office.\n"
TYPED = "任期２０１７年。"  # what the reviewer typed: full-width digits
GLOSSARY = """version: 1
entries:
  - id: kumamoto-university
    english: Kumamoto University
    kind: institution
    status: approved
    targets:
      zh-TW: 熊本大學
      ja: 熊本大学
"""


def release_run(tmp_path: Path, style: str | None):
    """A .txt release run into ja with a small glossary (`house_style: typography:` when `style`); the row of the
    2017 sentence typed by the reviewer as `任期２０１７年。`, every row approved. Returns (folder, row, reviewed)."""
    glossary = tmp_path / "glossaries"
    glossary.mkdir()
    text = GLOSSARY + (f"house_style:\n  typography: {style}\n" if style else "")
    (glossary / "names.yaml").write_text(text, encoding="utf-8")
    release = tmp_path / "term.txt"
    release.write_text(RELEASE, encoding="utf-8")
    engines = {"ja": ScriptedEngine(pseudo_translate, to_code="ja", lang="ja")}
    run_releases([release], engines, tmp_path / "out", glossary=load_glossary(glossary))
    folder = tmp_path / "out" / "term"
    manifest = json.loads((folder / "term.manifest.json").read_text(encoding="utf-8"))
    [segment] = [s for s in manifest["segments"] if "2017" in s["source"]]
    document = docx.Document(folder / "term.ja.review.docx")
    edit.replace_text(edit.target_cell(document, segment["id"]), TYPED)
    reviewed = tmp_path / "back" / "term.ja.docx"
    reviewed.parent.mkdir()
    document.save(reviewed)
    row = 2 + [s["id"] for s in manifest["segments"]].index(segment["id"])
    return folder, row, reviewed


def published_text(folder: Path) -> str:
    return "\n".join(p.text for p in docx.Document(folder / "term.ja.docx").paragraphs)


@pytest.mark.parametrize("style", [None, "apply"])
def test_apply_shows_at_import_what_publish_changes_in_the_reviewers_text(tmp_path, cli, style):
    folder, row, reviewed = release_run(tmp_path, style)
    imported = cli("review", "import", reviewed, "--manifest", folder, "--approve-all", "--no-memory")
    assert imported.exit_code == 0, imported.output
    assert "typography: publish will typeset the reviewer's text of 1 row(s)" in imported.output
    assert f"    row {row}: ２０１７ → 2017\n" in imported.output
    published = cli("publish", folder, "--no-memory")
    assert published.exit_code == 0, published.output
    text = published_text(folder)
    assert "任期2017年。" in text and TYPED not in text  # what import said is what was published
    assert "譯 譯" not in text and "譯譯" in text  # machine text typeset


def test_the_import_report_and_json_carry_the_changes_per_row(tmp_path, cli):
    folder, row, reviewed = release_run(tmp_path, None)
    result = cli("review", "import", reviewed, "--manifest", folder, "--approve-all", "--no-memory", "--format", "json")
    assert result.exit_code == 0, result.output
    [document] = json.loads(result.stdout)["imported"]
    changed = {s["row"]: s["typeset"] for s in document["segments"] if s["typeset"]}
    assert changed == {row: ["２０１７ → 2017"]}  # machine rows approved unchanged are not the reviewer's text


def test_keep_publishes_the_reviewers_text_as_typed_and_still_typesets_machine_text(tmp_path, cli):
    folder, row, reviewed = release_run(tmp_path, "keep")
    imported = cli("review", "import", reviewed, "--manifest", folder, "--approve-all", "--no-memory")
    assert imported.exit_code == 0, imported.output
    assert "typography:" not in imported.output and "→ 2017" not in imported.output  # nothing will change
    published = cli("publish", folder, "--no-memory")
    assert published.exit_code == 0, published.output
    text = published_text(folder)
    assert TYPED in text and "任期2017年。" not in text
    assert "譯 譯" not in text and "譯譯" in text  # machine text typeset


def test_a_typography_setting_other_than_apply_or_keep_is_a_schema_error(tmp_path):
    path = tmp_path / "names.yaml"
    path.write_text(GLOSSARY + "house_style:\n  typography: retype\n", encoding="utf-8")
    _, style, problems = read_titles([path])
    assert style.typography == "apply"
    assert [p.code for p in problems] == ["schema"] and "'apply'" in problems[0].message
    path.write_text(GLOSSARY + "house_style:\n  typography: keep\n", encoding="utf-8")
    assert read_titles([path])[1].typography == "keep"
    path.write_text(GLOSSARY, encoding="utf-8")
    assert read_titles([path])[1].typography == "apply"  # the default


@pytest.mark.parametrize(
    "text, lang, changes",
    [
        ("任期２０１７年。", "ja", ["２０１７ → 2017"]),
        ("学長 “協定” に署名", "ja", ["長 “協定” に → 長「協定」に"]),
        ("日本,大学", "ja", [", → 、"]),
        ("熊本 大学", "ja", ["本 大 → 本大"]),
        ("他說：「好」。", "zh-TW", []),
    ],
)
def test_typeset_changes_says_what_typeset_does(text, lang, changes):
    assert typeset_changes(text, lang) == changes
    assert bool(changes) == (typeset(text, lang) != text)
