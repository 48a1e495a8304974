"""Review import: what the audit found (several documents of one run and language, a wrong language property,
text typed outside the table, the same bytes imported from another path)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import pytest

import review_edits as edit
from test_review_import import Run, copy_run, memory_rows, refused, translated_once  # noqa: F401


@pytest.fixture(scope="module")
def translated(identity_packages, tmp_path_factory) -> Path:
    return translated_once(identity_packages, tmp_path_factory)


@pytest.fixture
def run(translated, tmp_path, monkeypatch) -> Run:
    monkeypatch.delenv("TRANSLATE_MEMORY", raising=False)
    return copy_run(translated, tmp_path)


def reviewed_copy(run: Run, path: Path, lang: str = "zh-TW", edits: dict[str, str] | None = None, change=None) -> Path:
    """A copy of the run's review document with `edits` (segment id → new target text) made, saved at `path`."""
    doc = docx.Document(run.review(lang))
    for sid, text in (edits or {}).items():
        edit.replace_text(edit.target_cell(doc, sid), text)
    if change is not None:
        change(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def block(run: Run, lang: str = "zh-TW") -> dict:
    return json.loads(run.reviewed.read_text(encoding="utf-8"))["runs"][run.manifest["run_id"]][lang]


# --------------------------------------------------------------------------------------------- the language


def test_a_language_property_that_contradicts_the_target_column_is_refused(run, cli, tmp_path):
    """core_properties.language zh-TW on the ja document: its column says 日本語, so it is refused, not imported
    as Chinese."""

    def relabel(doc):
        doc.core_properties.language = "zh-TW"

    path = reviewed_copy(run, tmp_path / "back" / "ja.docx", "ja", {"p05.s02": "定期的に交流している。"}, relabel)
    result = cli("review", "import", path, "--manifest", run.folder)
    refused(result, "ja.docx", "zh-TW", "日本語", "繁體中文", "nothing was imported")
    assert not run.memory.exists() and not run.reviewed.exists()
