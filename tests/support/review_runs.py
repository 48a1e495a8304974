"""The sample's run output as the review tests see it (`Run`), copies of it, and the edits reviewers make.

The sample is translated once per test session (the `translated` fixture in tests/conftest.py); each test works on
a copy (`copy_run`).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import docx

from pipeline.core.release import normalize
from pipeline.files.manifest import file_sha256
from pipeline.memory import MemoryStore
from pipeline.review.write.writer import DEMO_WARNING
from support import review_edits as edit
from support.paths import GLOSSARY, SAMPLE


@dataclass
class Run:
    out: Path
    folder: Path
    manifest: dict

    def review(self, lang: str) -> Path:
        return self.folder / f"{SAMPLE.stem}.{lang}.review.docx"

    @property
    def manifest_path(self) -> Path:
        return self.folder / f"{SAMPLE.stem}.manifest.json"

    @property
    def memory(self) -> Path:
        return self.out / "memory.sqlite"

    @property
    def reviewed(self) -> Path:
        return self.folder / f"{SAMPLE.stem}.reviewed.json"

    def segment(self, segment_id: str) -> dict:
        return next(s for s in self.manifest["segments"] if s["id"] == segment_id)

    def machine(self, segment_id: str, lang: str = "zh-TW") -> str:
        return self.segment(segment_id)["targets"][lang]["text"]

    def approved_targets(self, segment_id: str, lang: str = "zh-TW") -> list[str]:
        terms = self.segment(segment_id)["targets"][lang]["terms"]
        return list(dict.fromkeys(t["target"] for t in terms if t["status"] == "approved"))


def do_run(cli, release: Path, out: Path, *extra) -> Run:
    result = cli("run", release, "--out", out, "--glossary", GLOSSARY, "--quiet", *extra)
    assert result.exit_code == 0, result.output
    folder = out / SAMPLE.stem
    manifest = json.loads((folder / f"{SAMPLE.stem}.manifest.json").read_text(encoding="utf-8"))
    return Run(out, folder, manifest)


def copy_run(translated: Path, tmp_path: Path) -> Run:
    out = tmp_path / "out"
    shutil.copytree(translated, out)
    folder = out / SAMPLE.stem
    manifest = json.loads((folder / f"{SAMPLE.stem}.manifest.json").read_text(encoding="utf-8"))
    return Run(out, folder, manifest)


def memory_rows(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT source, lang, target, status, comment, reviewer FROM units ORDER BY seq").fetchall()


def as_real_model_run(run: Run) -> Run:
    """The run's output folder made as a run with a REAL (non-demo) model would leave it: unchanged segments are
    then approved translations that go to the memory (the identity test packages are demo models)."""
    for lang in ("zh-TW", "ja"):
        doc = docx.Document(run.review(lang))
        for paragraph in doc.paragraphs:
            if paragraph.text == DEMO_WARNING:
                paragraph._p.getparent().remove(paragraph._p)
            for r in paragraph.runs:
                if r.text.endswith(" — DEMO MODEL"):
                    r.text = r.text[: -len(" — DEMO MODEL")]
        doc.save(run.review(lang))
        run.manifest["models"][lang]["demo"] = False
        run.manifest["documents"][lang]["sha256"] = file_sha256(run.review(lang))
    run.manifest_path.write_text(json.dumps(run.manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return run


def refused(result, *words):
    assert result.exit_code == 6, result.output
    for word in words:
        assert word in result.output, (word, result.output)
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------------------------- the reviewer's edits

TITLE, INSERT, DELETE, TERM, COMMENTED, SPLIT, EMPTY, NOTE, MOVE = (
    "p01.s01", "p02.s02", "p02.s03", "p03.s01", "p03.s02", "p03.s03", "p03.s04", "p04.s01", "p04.s02",
)  # fmt: skip
MOVED = "in July this year, "


def review_zh(run: Run, path: Path) -> dict[str, str]:
    """Edit the zh-TW review document the ways reviewers do; return segment id → expected reviewed text."""
    doc = docx.Document(run.review("zh-TW"))
    expected = {}

    title = "與".join(run.approved_targets(TITLE)) + "簽署合作協議"
    edit.replace_text(edit.target_cell(doc, TITLE), title)  # plain edit
    expected[TITLE] = title

    cell = edit.target_cell(doc, INSERT)
    edit.tracked_insert(cell.paragraphs[0], "（已校對）")
    edit.comment(doc, cell, "Checked against the Chinese press office's wording")
    expected[INSERT] = run.machine(INSERT) + "（已校對）"

    assert "recently " in run.machine(DELETE)
    edit.tracked_delete(edit.target_cell(doc, DELETE).paragraphs[0], "recently ")
    expected[DELETE] = run.machine(DELETE).replace("recently ", "", 1)

    term = run.approved_targets(TERM)[0]
    edit.tracked_replace(edit.target_cell(doc, TERM).paragraphs[0], term, "某大學")  # changes a glossary term
    expected[TERM] = run.machine(TERM).replace(term, "某大學", 1)

    cell = edit.target_cell(doc, COMMENTED)
    edit.tracked_bold(cell)  # formatting only
    edit.comment(doc, cell, "Bold for emphasis?", author="Chen")

    first = "、".join(run.approved_targets(SPLIT)) + "歷史悠久。"
    edit.split_cell(edit.target_cell(doc, SPLIT), first, "其前身學校培育了人才。")  # Enter pressed in the cell
    expected[SPLIT] = first + "其前身學校培育了人才。"

    edit.replace_text(edit.target_cell(doc, EMPTY), "")
    expected[EMPTY] = ""

    edit.add_note(doc, NOTE, "Reviewer: 請確認年份")

    assert MOVED in run.machine(MOVE)
    edit.tracked_move_to_end(edit.target_cell(doc, MOVE).paragraphs[0], MOVED)
    expected[MOVE] = normalize(run.machine(MOVE).replace(MOVED, "", 1) + MOVED)

    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return expected


def reviewed_copy(
    run: Run, path: Path, lang: str = "zh-TW", edits: dict[str, str] | None = None, change=None, marks=()
) -> Path:
    """A copy of the run's review document with `edits` (segment id → new target text) made and the rows in `marks`
    marked OK (approved as they are), saved at `path`."""
    doc = docx.Document(run.review(lang))
    for sid, text in (edits or {}).items():
        edit.replace_text(edit.target_cell(doc, sid), text)
    for sid in marks:
        edit.mark_ok(doc, sid)
    if change is not None:
        change(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def block(run: Run, lang: str = "zh-TW") -> dict:
    return json.loads(run.reviewed.read_text(encoding="utf-8"))["runs"][run.manifest["run_id"]][lang]


def current(run: Run, sid: str, lang: str = "zh-TW"):
    with MemoryStore(run.memory, readonly=True) as store:
        return store.current(run.segment(sid)["source"], lang)


def copy_run_from(run: Run, where: Path) -> Run:
    """A fresh copy of the run's output folder as it was before any import (the review documents and manifest)."""
    out = where / "out"
    folder = out / run.folder.name
    folder.mkdir(parents=True)
    for name in (run.manifest_path.name, run.review("zh-TW").name, run.review("ja").name):
        shutil.copy(run.folder / name, folder / name)
    return Run(out, folder, run.manifest)

# --------------------------------------------------------------------------------------------- several documents

A, B = "p06.s01", "p07.s01"  # reviewer 1 edits A in rev1.docx, reviewer 2 edits B in rev2.docx
A_TEXT = "兩校在感染症研究上優勢互補。"
