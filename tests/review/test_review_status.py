"""One status vocabulary, the same counts everywhere (pipeline/review/status.py): `translate run`, `review import`
and `publish` count a language's rows alike; error rows are listed with the drafts as not approved, a number
error is no glossary matter, memory rows are approved from the memory; refusals name the copy that was imported
by its path; formatting a reviewer lost is reported at import; Notes typed without Enter are kept apart.

Each test builds its own release and glossary and runs it through scripted engines (no shipped glossary)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from pipeline.cli.run import language_line
from pipeline.glossary import load_glossary
from pipeline.memory import MemoryStore
from pipeline.run import run_releases
from support import formatted_release as fr
from support import review_edits as edit
from support.scripted_engines import ScriptedEngine, pseudo_translate

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
TITLE = "Partners Meet Again"
SENTENCES = (
    "Kumamoto University welcomed the delegation.",
    "The partners first met in 2017.",
    "The deans signed the agreement.",
    "The students spoke.",
    "The teachers spoke.",
    "The visitors left.",
)


@pytest.fixture
def glossary(tmp_path) -> Path:
    path = tmp_path / "glossary.yaml"
    path.write_text(GLOSSARY, encoding="utf-8")
    return path


def write_release(folder: Path, sentences=SENTENCES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "partners.txt"
    path.write_text(f"{TITLE}\n\n{' '.join(sentences)}\n", encoding="utf-8")
    return path


def engines(*langs: str) -> dict:
    made = {"zh-TW": ScriptedEngine(pseudo_translate), "ja": ScriptedEngine(pseudo_translate, to_code="ja", lang="ja")}
    return {lang: made[lang] for lang in langs}


def translate(release: Path, out: Path, glossary: Path, langs=("zh-TW",), memory=None):
    [result] = run_releases([release], engines(*langs), out, glossary=load_glossary(glossary), memory=memory)
    folder = out / release.stem
    manifest = json.loads((folder / f"{release.stem}.manifest.json").read_text(encoding="utf-8"))
    return result, folder, manifest


def ids_of(manifest: dict) -> dict[str, str]:
    """English sentence → segment id."""
    return {s["source"]: s["id"] for s in manifest["segments"]}


def machine(manifest: dict, sid: str, lang: str = "zh-TW") -> str:
    return next(s for s in manifest["segments"] if s["id"] == sid)["targets"][lang]["text"]


def rows_line(output: str) -> str:
    return re.search(r"^  rows: (.*)$", output, re.M).group(1)


def test_errors_are_listed_with_the_drafts_and_a_number_error_is_no_glossary_matter(tmp_path, glossary, cli):
    _, folder, manifest = translate(write_release(tmp_path / "releases"), tmp_path / "out", glossary)
    ids = ids_of(manifest)
    term, number, edited, marked = (ids[s] for s in SENTENCES[:4])
    drafts = [ids[TITLE], ids[SENTENCES[4]], ids[SENTENCES[5]]]
    doc = docx.Document(folder / "partners.zh-TW.review.docx")
    edit.replace_text(edit.target_cell(doc, term), machine(manifest, term).replace("熊本大學", "熊本大"))
    edit.replace_text(edit.target_cell(doc, number), machine(manifest, number).replace("2017", "2018"))
    edit.replace_text(edit.target_cell(doc, edited), "院長們簽署了協議。")
    edit.mark_ok(doc, marked)
    copy = tmp_path / "returned" / "zh (Lin).docx"  # the copy the reviewer sent back, imported from where it lies
    copy.parent.mkdir()
    doc.save(copy)

    result = cli("review", "import", copy, "--manifest", folder, "--no-memory")
    assert result.exit_code == 0, result.output
    assert rows_line(result.output) == (
        "2 approved (1 edited, 1 marked OK), 5 not approved (1 needs-glossary-review, 1 check-error, 3 draft)"
    )
    assert f"1 needs-glossary-review ({term})" in result.output and f"1 check-error ({number})" in result.output
    assert f"3 draft ({', '.join(drafts)})" in result.output
    assert "worklist now: 5 row(s) need attention (3 draft, 1 check-error, 1 needs-glossary-review)" in result.output
    assert "errors: 1 number-missing" in result.output
    as_json = json.loads(cli("review", "import", copy, "--manifest", folder, "--no-memory", "--format", "json").stdout)
    [imported] = as_json["imported"]
    assert imported["unapproved"] == [term, number, *drafts]  # the error rows are not left out
    assert imported["status"]["approved"] == {"edited": [edited], "marked OK": [marked]}

    published = cli("publish", folder, "--no-memory")
    assert published.exit_code == 6
    assert f"({number}, check-error): number-missing" in published.output  # not needs-glossary-review
    assert f"({term}, needs-glossary-review): term-missing" in published.output
    # Every refusal names the copy that was imported, by its path, not the untouched document in the output folder.
    assert f"of {copy.resolve()} and import the document again" in published.output
    assert f"OK? column in {copy.resolve()}" in published.output
    assert "partners.zh-TW.review.docx" not in published.output


def test_run_import_and_publish_say_the_same_counts_per_language(tmp_path, glossary, cli):
    memory_path = tmp_path / "memory.sqlite"
    first, folder, _ = translate(write_release(tmp_path / "releases"), tmp_path / "out", glossary, langs=("zh-TW", "ja"))
    for lang in ("zh-TW", "ja"):
        line = language_line(lang, first.translated.translations[lang])
        assert line == f"{lang}: 0 approved, 7 not approved (7 draft), 7 need attention", line  # per language (spaces)
        imported = cli("review", "import", folder / f"partners.{lang}.review.docx", "--accept-unedited",
                       "--approve-all", "--memory", memory_path)  # fmt: skip
        assert imported.exit_code == 0, imported.output

    # The release again with one sentence changed: the others come from the memory, approved before.
    changed = (*SENTENCES[:5], "The visitors left on Monday.")
    release = write_release(tmp_path / "releases", changed)
    with MemoryStore(memory_path, readonly=True) as memory:
        second, folder, manifest = translate(release, tmp_path / "out2", glossary, memory=memory)
    run_line = language_line("zh-TW", second.translated.translations["zh-TW"])
    assert run_line == "zh-TW: 6 approved (6 from memory), 1 not approved (1 draft), 7 need attention", run_line  # the worklist counts warnings

    new = ids_of(manifest)[changed[-1]]
    copy = reviewed(folder, {new: "訪客於週一離開。"}, tmp_path / "back" / "zh.docx")
    result = cli("review", "import", copy, "--manifest", folder, "--memory", memory_path)
    assert result.exit_code == 0, result.output
    assert rows_line(result.output) == "7 approved (1 edited, 6 from memory)"  # memory rows are no drafts
    assert "not approved" not in result.output

    published = cli("publish", folder, "--to", "zh-TW", "--memory", memory_path)
    assert published.exit_code == 0, published.output
    summary = next(line for line in published.output.splitlines() if line.startswith("zh-TW: "))
    assert summary.endswith(f"— {rows_line(result.output)}"), published.output


def reviewed(folder: Path, edits: dict[str, str], path: Path, change=None) -> Path:
    doc = docx.Document(folder / f"{folder.name}.zh-TW.review.docx")
    for sid, text in edits.items():
        edit.replace_text(edit.target_cell(doc, sid), text)
    if change is not None:
        change(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def retype_plain(cell, text: str) -> None:
    """The reviewer selects the cell's text and types it again: one plain run, no bold, italic or link left."""
    paragraph = cell.paragraphs[0]._p
    for child in list(paragraph):
        if child.tag != qn("w:pPr"):
            paragraph.remove(child)
    run = paragraph.makeelement(qn("w:r"), {})
    t = run.makeelement(qn("w:t"), {})
    t.text = text
    run.append(t)
    paragraph.append(run)


def test_formatting_the_reviewer_lost_is_reported_at_import(tmp_path, glossary, cli):
    (tmp_path / "releases").mkdir()
    release = fr.build_docx(tmp_path / "releases" / "formatted.docx")
    _, folder, manifest = translate(release, tmp_path / "out", glossary)
    lead = next(s for s in manifest["segments"] if s["source"].startswith(fr.LEAD_IN))
    italic = next(s for s in manifest["segments"] if fr.ITALIC in s["source"])
    kinds = {m["kind"] for s in (lead, italic) for m in s["targets"]["zh-TW"].get("marks") or []}
    assert kinds == {"b", "i", "a"}  # the machine text carries the English's bold, italic and links

    def lose(doc):
        retype_plain(edit.target_cell(doc, lead["id"]), machine(manifest, lead["id"]))  # same words, no formatting
        retype_plain(edit.target_cell(doc, italic["id"]), machine(manifest, italic["id"]) + "（已校對）")

    copy = reviewed(folder, {}, tmp_path / "back" / "zh.docx", change=lose)
    result = cli("review", "import", copy, "--manifest", folder, "--no-memory", "--approve-all")
    assert result.exit_code == 0, result.output
    assert f"2 row(s) lost formatting of the machine translation ({lead['id']}, {italic['id']})" in result.output
    assert "worklist now: 2 row(s) need attention (2 formatting-lost)" in result.output
    row = result.output.split(f"  {lead['id']} ")[1].split("\n  p")[0]
    assert "[formatting-lost] bold (on “" in row and f"[formatting-lost] link {fr.LINK1}" in row
    row = result.output.split(f"  {italic['id']} ")[1].split("\n  p")[0]
    assert "[formatting-lost] italic (on “" in row and f"link {fr.LINK2}" in row
    as_json = cli("review", "import", copy, "--manifest", folder, "--no-memory", "--approve-all", "--format", "json")
    [imported] = json.loads(as_json.stdout)["imported"]
    lost = {s["id"]: len(s["formatting_lost"]) for s in imported["segments"] if "formatting-lost" in s["flags"]}
    assert lost == {lead["id"]: 2, italic["id"]: 2}  # rows whose formatting was kept are not named
    # A warning at import, and a lost link stays an error at publish.
    published = cli("publish", folder, "--to", "zh-TW", "--no-memory")
    assert published.exit_code == 6 and "link-lost" in published.output


def test_notes_typed_at_the_end_of_the_machines_note_are_kept_apart(tmp_path, glossary, cli):
    _, folder, manifest = translate(write_release(tmp_path / "releases"), tmp_path / "out", glossary)
    sid = ids_of(manifest)[SENTENCES[0]]  # its Notes cell says which glossary term the row holds

    def type_after_the_note(doc):
        last = edit.row_of(doc, sid).cells[3].paragraphs[-1]
        assert last.text.startswith("Glossary: Kumamoto University → 熊本大學")
        last.add_run(" 請確認校名")  # typed at the end of the line, without pressing Enter

    copy = reviewed(folder, {}, tmp_path / "back" / "zh.docx", change=type_after_the_note)
    result = cli("review", "import", copy, "--manifest", folder, "--no-memory", "--format", "json")
    assert result.exit_code == 0, result.output
    [imported] = json.loads(result.stdout)["imported"]
    segment = next(s for s in imported["segments"] if s["id"] == sid)
    assert segment["reviewer_notes"] == ["請確認校名"]


def test_a_tab_typed_inside_a_term_is_a_changed_term_at_import(tmp_path, glossary, cli):
    _, folder, manifest = translate(write_release(tmp_path / "releases"), tmp_path / "out", glossary)
    sid = ids_of(manifest)[SENTENCES[0]]
    copy = reviewed(folder, {sid: machine(manifest, sid).replace("熊本大學", "熊本\t大學")}, tmp_path / "back" / "zh.docx")
    result = cli("review", "import", copy, "--manifest", folder, "--no-memory")
    assert result.exit_code == 0, result.output
    assert f"1 needs-glossary-review ({sid})" in result.output
