"""The workspace (issue 20): `translate init`, then every command from a subfolder or from outside (given the
release folder) uses the same glossary, memory and models; without a workspace today's defaults hold."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from support.paths import GLOSSARY, SAMPLE
from support.review_edits import replace_text, target_cell



def invoke(*args) -> object:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def workspace(tmp_path, monkeypatch, identity_packages) -> Path:
    """A workspace made by `translate init`, the tests' glossary copied in, the test models installed into its
    models folder from a subfolder (no ARGOS_PACKAGES_DIR, no TRANSLATE_MEMORY)."""
    for name in ("ARGOS_PACKAGES_DIR", "TRANSLATE_MEMORY", "TRANSLATE_NO_WORKSPACE", "TRANSLATE_WORKSPACE"):
        monkeypatch.delenv(name, raising=False)
    root = tmp_path / "office"
    made = invoke("init", root)
    assert made.exit_code == 0, made.output
    for file in GLOSSARY.iterdir():
        if file.is_file():
            shutil.copy(file, root / "glossaries" / file.name)
    deep = root / "drafts" / "2025"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    installed = invoke("models", "install", *identity_packages.values())
    assert installed.exit_code == 0, installed.output
    assert len([p for p in (root / "models").iterdir() if (p / "metadata.json").is_file()]) == 2  # installed there
    return root


def test_init_writes_the_file_and_folders_and_never_overwrites(tmp_path, monkeypatch):
    monkeypatch.delenv("TRANSLATE_NO_WORKSPACE", raising=False)
    result = invoke("init", tmp_path / "ws")
    assert result.exit_code == 0, result.output
    config = tmp_path / "ws" / "translate.toml"
    text = config.read_text(encoding="utf-8")
    for key in ("glossary", "memory", "output", "models", "languages"):
        assert f"\n{key} = " in text
    assert (tmp_path / "ws" / "output").is_dir() and (tmp_path / "ws" / "models").is_dir()
    glossary_files = [p.name for p in (tmp_path / "ws" / "glossaries").iterdir()]
    assert glossary_files == ["README.txt"]  # the project's glossary is never copied in
    config.write_text(text + "# the office's note\n", encoding="utf-8")
    again = invoke("init", tmp_path / "ws")
    assert again.exit_code == 5
    assert "already exists" in again.output and str(config) in again.output
    assert config.read_text(encoding="utf-8").endswith("# the office's note\n")


def test_every_command_uses_the_same_glossary_memory_and_models(workspace, tmp_path, monkeypatch):
    root = workspace
    ran = invoke("run", SAMPLE)  # from drafts/2025: no --out, no --glossary, no ARGOS_PACKAGES_DIR
    assert ran.exit_code == 0, ran.output
    assert f"Workspace {root} (translate.toml): glossary {root / 'glossaries'}" in ran.stderr
    assert f"models {root / 'models'}" in ran.stderr
    folder = root / "output" / SAMPLE.stem
    manifest = json.loads((folder / f"{SAMPLE.stem}.manifest.json").read_text(encoding="utf-8"))
    assert manifest["workspace"]["path"] == str(root)
    assert manifest["workspace"]["config"] == str(root / "translate.toml")
    assert manifest["glossary"]["path"] == str(root / "glossaries")
    assert manifest["memory"] == {"path": str(root / "memory.sqlite"), "sha256": None}
    assert not (Path.cwd() / "output").exists()

    # A reviewer edits one row; the document is imported from outside the workspace.
    review = folder / f"{SAMPLE.stem}.zh-TW.review.docx"
    document = docx.Document(review)
    machine = next(s for s in manifest["segments"] if s["id"] == "p01.s01")["targets"]["zh-TW"]["text"]
    edited = machine + "（審閱）"  # the glossary's names kept, as the gate wants them
    replace_text(target_cell(document, "p01.s01"), edited)
    document.save(review)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    monkeypatch.chdir(outside)
    imported = invoke("review", "import", review)
    assert imported.exit_code == 0, imported.output
    assert f"memory {root / 'memory.sqlite'}" in imported.stderr
    with sqlite3.connect(root / "memory.sqlite") as db:
        assert (edited,) in db.execute("SELECT target FROM units WHERE lang = 'zh-TW'").fetchall()
    assert not (root / "output" / "memory.sqlite").exists()

    published = invoke("publish", folder, "--to", "zh-TW", "--allow-unreviewed")
    assert published.exit_code == 0, published.output
    assert f"Workspace {root} (translate.toml): glossary {root / 'glossaries'}, memory {root / 'memory.sqlite'}" in published.stderr

    checked = invoke("glossary", "check", "--against", folder)  # outside: the glossary comes from the manifest
    assert checked.exit_code == 0, checked.output
    assert f"glossary {root / 'glossaries'}" in checked.stderr

    # A second release, run from another folder of the workspace, reuses the memory.
    second = tmp_path / "incoming" / "second-release.txt"
    second.parent.mkdir()
    shutil.copy(SAMPLE, second)
    monkeypatch.chdir(root / "drafts")
    again = invoke("run", second, "--to", "zh-TW")
    assert again.exit_code == 0, again.output
    reused = json.loads((root / "output" / "second-release" / "second-release.manifest.json").read_text(encoding="utf-8"))
    first = next(s for s in reused["segments"] if s["id"] == "p01.s01")
    assert first["targets"]["zh-TW"]["origin"] == "memory"
    assert first["targets"]["zh-TW"]["text"] == edited
    assert reused["memory"]["path"] == str(root / "memory.sqlite") and reused["memory"]["sha256"]

    # status from a subfolder of the workspace: the workspace's output folder, both releases, zh-TW published
    shown = invoke("status", "--format", "json")
    assert shown.exit_code == 0, shown.output
    assert sorted(release["release"] for release in json.loads(shown.stdout)["releases"]) == [SAMPLE.stem, "second-release"]


def test_workspace_option_from_outside(workspace, tmp_path, monkeypatch):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    monkeypatch.chdir(outside)
    listed = invoke("--workspace", workspace, "models", "list")
    assert listed.exit_code == 0, listed.output
    assert f"Packages folder: {workspace / 'models'} (the workspace's models folder" in listed.output
    assert "serves zh-TW" in listed.output
    ran = invoke("--workspace", workspace, "run", SAMPLE, "--to", "ja", "--quiet")
    assert ran.exit_code == 0, ran.output
    assert (workspace / "output" / SAMPLE.stem / f"{SAMPLE.stem}.ja.review.docx").is_file()
    assert "Workspace" not in ran.stderr  # --quiet
    missing = invoke("--workspace", outside, "run", SAMPLE)
    assert missing.exit_code == 2
    assert "no translate.toml there" in missing.output


@pytest.mark.parametrize(
    "text, where, what",
    [
        ('glossary = "glossaries"\nmemory = memory.sqlite\n', ":2:", "not valid TOML"),
        ('glossary = "glossaries"\nmodel = "models"\n', ":2:", "unknown setting 'model'"),
        ('languages = ["zh-TW", "xx"]\n', ":1:", "unknown language 'xx'"),
        ('output = 3\n', ":1:", "output must be a path in quotes"),
    ],
)
def test_a_broken_workspace_file_is_one_line_naming_it(tmp_path, monkeypatch, text, where, what):
    monkeypatch.delenv("TRANSLATE_NO_WORKSPACE", raising=False)
    (tmp_path / "translate.toml").write_text(text, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    for command in (("run", SAMPLE), ("glossary", "check"), ("memory", "stats")):
        result = invoke(*command)
        assert result.exit_code == 2, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1, lines
        assert f"{tmp_path / 'translate.toml'}{where}" in lines[0] and what in lines[0]


def test_without_a_workspace_the_old_defaults_hold(tmp_path, monkeypatch, installed):
    monkeypatch.delenv("TRANSLATE_NO_WORKSPACE", raising=False)
    monkeypatch.delenv("TRANSLATE_MEMORY", raising=False)
    shutil.copytree(GLOSSARY, tmp_path / "glossaries")
    monkeypatch.chdir(tmp_path)
    ran = invoke("run", SAMPLE)
    assert ran.exit_code == 0, ran.output
    assert "Workspace" not in ran.output
    manifest = json.loads((tmp_path / "output" / SAMPLE.stem / f"{SAMPLE.stem}.manifest.json").read_text(encoding="utf-8"))
    assert "workspace" not in manifest
    assert manifest["glossary"]["path"] == str(tmp_path / "glossaries")
    assert manifest["memory"]["path"] == str(tmp_path / "output" / "memory.sqlite")
    listed = invoke("models", "list")
    assert f"Packages folder: {installed} (ARGOS_PACKAGES_DIR)" in listed.output


def test_without_a_workspace_the_used_line_comes_last_and_only_on_success(tmp_path, monkeypatch, installed):
    monkeypatch.delenv("TRANSLATE_NO_WORKSPACE", raising=False)
    monkeypatch.delenv("TRANSLATE_MEMORY", raising=False)
    shutil.copytree(GLOSSARY, tmp_path / "glossaries")
    monkeypatch.chdir(tmp_path)
    ran = invoke("run", SAMPLE, "--to", "ja")
    assert ran.exit_code == 0, ran.output
    used = ran.stderr.strip().splitlines()[-1]
    assert used.startswith("No workspace")
    assert "glossary glossaries" in used and f"memory {Path('output') / 'memory.sqlite'}" in used
    assert f"models {installed} (ARGOS_PACKAGES_DIR)" in used
    checked = invoke("glossary", "check")
    assert checked.exit_code == 0, checked.output
    assert checked.stderr.strip().splitlines()[-1].endswith("`translate init` makes one): glossary glossaries")
    failed = invoke("run", tmp_path / "missing.txt")
    assert failed.exit_code == 3
    assert len(failed.stderr.strip().splitlines()) == 1 and "No workspace" not in failed.stderr


def test_no_workspace_option_ignores_the_workspace(workspace, installed, monkeypatch):
    shutil.copytree(GLOSSARY, Path.cwd() / "glossaries")
    ran = invoke("--no-workspace", "run", SAMPLE, "--to", "ja", "--quiet")
    assert ran.exit_code == 0, ran.output
    assert (Path.cwd() / "output" / SAMPLE.stem).is_dir()
    assert not (workspace / "output" / SAMPLE.stem).exists()
