"""`translate status` (issue 20): a release through run → review → publish → stale after a glossary change, in the
status vocabulary of `review import` and `publish`; `--format json`'s shape; nothing written."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pytest

from pipeline.glossary import load_glossary
from pipeline.run import run_releases
from support import formatted_release as fr
from support.office_glossary import JA, JA_NEW, TERM, office
from support.review_runs import reviewed_copy, Run
from support.scripted_engines import ScriptedEngine, pseudo_translate

NAME = "mou"


@pytest.fixture
def made(tmp_path):
    """An office folder with its own glossary and one .docx release run in it (not yet reviewed)."""
    made = office(tmp_path / "office")
    with contextlib.chdir(made.root):
        release = fr.build_docx(Path("releases") / f"{NAME}.docx")
        engines = {"zh-TW": ScriptedEngine(pseudo_translate), "ja": ScriptedEngine(pseudo_translate, to_code="ja", lang="ja")}
        run_releases([release], engines, Path("output"), glossary=load_glossary(Path("glossaries")))
    (tmp_path / "elsewhere").mkdir()
    return made


def status(cli, where: Path, *args) -> dict:
    with contextlib.chdir(where):
        result = cli("status", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def languages(document: dict) -> dict[str, dict]:
    [release] = document["releases"]
    return {lang["lang"]: lang for lang in release["languages"]}


def import_all(made, cli, lang: str, path: Path | None = None) -> str:
    with contextlib.chdir(made.root):
        document = path or Path("output") / NAME / f"{NAME}.{lang}.review.docx"
        result = cli("review", "import", document, "--accept-unedited", "--approve-all", "--no-memory")
    assert result.exit_code == 0, result.output
    return result.output


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_release_from_run_to_review_to_publish_to_stale_after_a_glossary_change(made, cli, tmp_path):
    folder = made.folder(NAME)
    elsewhere = tmp_path / "elsewhere"

    # run: nothing imported, every row a draft, nothing publishable
    before = snapshot(made.root)
    ran = languages(status(cli, elsewhere, folder))
    assert snapshot(made.root) == before  # status writes nothing
    segments = len(json.loads((folder / f"{NAME}.manifest.json").read_text(encoding="utf-8"))["segments"])
    for lang in ("zh-TW", "ja"):
        state = ran[lang]
        assert state["segments"] == segments and state["approved"]["count"] == 0
        assert state["not_approved"]["count"] == segments == len(state["not_approved"]["draft"])
        assert state["last_import"] is None and not state["publishable"] and state["published"] == []
        assert state["next_step"] == "import the reviewed documents"
        assert state["command"] == f"translate review import {folder / f'{NAME}.{lang}.review.docx'}"

    # review: imported, every row approved, publishable; the same count line as the import's
    imported = {lang: import_all(made, cli, lang) for lang in ("zh-TW", "ja")}
    reviewed = languages(status(cli, elsewhere, folder))
    for lang in ("zh-TW", "ja"):
        state = reviewed[lang]
        assert f"rows: {state['summary']}\n" in imported[lang]
        assert state["approved"]["count"] == segments and state["not_approved"]["count"] == 0
        assert state["last_import"]["document"] == f"{NAME}.{lang}.review.docx" and state["last_import"]["at"]
        assert state["publishable"] and state["why_not"] == [] and state["next_step"] == "publish"

    # publish: the files are current, nothing to do; the same count line as publish's
    with contextlib.chdir(elsewhere):
        published = cli("publish", folder, "--no-memory")
    assert published.exit_code == 0, published.output
    done = status(cli, elsewhere, folder)
    assert done["releases"][0]["next_step"] == "nothing: published and current"
    for lang, state in languages(done).items():
        assert f" — {state['summary']}\n" in published.output
        files = {f["format"]: f for f in state["published"]}
        assert set(files) == {"document", "bilingual"}
        assert files["document"]["path"] == str(folder / f"{NAME}.{lang}.docx")
        assert all(f["current"] and f["stale"] == [] for f in files.values())

    # the office changes the glossary: ja is stale and refused now, named with the change; zh-TW stays current
    made.set_ja(JA_NEW)
    after = status(cli, elsewhere, folder)
    release = after["releases"][0]
    assert release["glossary"]["changed_since_run"] and release["next_step"] == "run again: the glossary changed"
    ja, zh = languages(after)["ja"], languages(after)["zh-TW"]
    change = f"{TERM}, ja: {JA} → {JA_NEW}"
    assert not ja["publishable"] and ja["not_approved"]["needs-glossary-review"]
    assert any(f"term-missing: {TERM} must be rendered {JA_NEW}" in why for why in ja["why_not"])
    assert all(not f["current"] and f"the glossary changed since: {change}" in f["stale"] for f in ja["published"])
    assert ja["next_step"] == "run again: the glossary changed"
    assert zh["next_step"] == "nothing: published and current" and all(f["current"] for f in zh["published"])

    with contextlib.chdir(elsewhere):
        human = cli("status", folder)
    assert human.exit_code == 0, human.output
    assert "which changed since the run" in human.output and change in human.output
    assert f"published: {NAME}.ja.docx (stale: the glossary changed since: {change}" in human.output
    assert "next: run again: the glossary changed — translate run" in human.output


def test_a_newer_import_makes_the_published_files_stale(made, cli, tmp_path):
    folder = made.folder(NAME)
    for lang in ("zh-TW", "ja"):
        import_all(made, cli, lang)
    assert cli("publish", folder, "--no-memory").exit_code == 0
    for published in folder.glob(f"{NAME}.zh-TW*.docx"):
        if not published.name.endswith(".review.docx"):
            os.utime(published, (published.stat().st_atime, published.stat().st_mtime - 60))  # published a minute ago
    run = Run(made.out, folder, json.loads((folder / f"{NAME}.manifest.json").read_text(encoding="utf-8")))
    run.review = lambda lang: folder / f"{NAME}.{lang}.review.docx"
    first = run.manifest["segments"][1]["id"]
    edited = reviewed_copy(run, folder / f"{NAME}.zh-TW.second-review.docx", edits={first: "修訂後的句子。"})
    import_all(made, cli, "zh-TW", edited)
    zh = languages(status(cli, tmp_path / "elsewhere", folder))["zh-TW"]
    assert zh["last_import"]["document"] == edited.name
    for published in zh["published"]:
        assert published["stale"] == [f"a newer import: {edited.name} at {zh['last_import']['at']}"]
    assert zh["publishable"] and zh["next_step"] == "publish again"
    assert zh["command"] == f"translate publish {folder}"


def test_the_json_shape_is_stable(made, cli):
    document = status(cli, made.root)  # no argument: every release under ./output
    assert set(document) == {"schema", "releases"} and document["schema"] == 1
    [release] = document["releases"]
    assert set(release) == {
        "release", "folder", "manifest", "run_id", "generated_at", "source", "error", "glossary", "next_step", "languages",
    }  # fmt: skip
    assert set(release["glossary"]) == {"checked_against", "changed_since_run"}
    assert release["folder"] == str(Path("output") / NAME) and release["release"] == NAME
    for state in release["languages"]:
        assert set(state) == {
            "lang", "segments", "approved", "not_approved", "verbatim", "summary", "review_document", "last_import",
            "publishable", "why_not", "published", "next_step", "command",
        }  # fmt: skip
        assert set(state["approved"]) == {"count", "how"}
        assert set(state["not_approved"]) == {"count", "needs-glossary-review", "check-error", "draft"}


def test_a_missing_folder_or_a_file_that_is_no_release_exits_3(made, cli, tmp_path):
    missing = cli("status", tmp_path / "nowhere")
    assert missing.exit_code == 3 and "does not exist" in missing.output and "Traceback" not in missing.output
    document = made.folder(NAME) / f"{NAME}.ja.review.docx"
    wrong = cli("status", document)
    assert wrong.exit_code == 3 and "give the release's output folder (output/NAME)" in wrong.output
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = cli("status", empty)
    assert nothing.exit_code == 3 and "no release here" in nothing.output


def test_a_damaged_manifest_is_reported_and_the_other_releases_still_shown(made, cli):
    other = made.out / "broken"
    other.mkdir()
    (other / "broken.manifest.json").write_text("{not json", encoding="utf-8")
    document = status(cli, made.root, made.out)
    by_name = {r["release"]: r for r in document["releases"]}
    assert "damaged" in by_name["broken"]["error"] and by_name["broken"]["languages"] == []
    assert by_name[NAME]["error"] is None and len(by_name[NAME]["languages"]) == 2
