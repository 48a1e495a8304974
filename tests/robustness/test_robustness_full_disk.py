"""A full disk under `run`, `review import` and `publish` (issue 22, major 7), and a publication as one unit.

Every case: exit 5, ONE line on stderr naming the file and saying what to do, nothing after it (no traceback, no
"Exception ignored in: ZipFile.__del__"), no half-written output, no lock or temporary file left, and the same
command works once there is space again. How the disk is filled: tests/support/full_disk.py.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

import pipeline.files.release_folder as release_folder
from pipeline.memory import reviews
from support.full_disk import assert_one_clean_line, cli_process, full_disk_open, run_cli_on_full_disk, small_disk
from support.paths import ROOT, SAMPLE
from support.review_runs import Run, reviewed_copy

NAME = SAMPLE.stem
FIRST = {"p05.s02": "學生定期出國進行臨床選修。"}
SECOND = {"p05.s02": "學生經常被派往海外參加臨床選修課程。", "p06.s04": "此次合作可望促進雙方在基礎與臨床研究上的緊密合作。"}


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under the release folder (the journal of written hashes aside: it may name a document never
    renamed into place, by design)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".written.json"
    }


def _leftovers(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.rglob("*") if p.name == ".lock" or p.name.endswith(".tmp"))


def _import(cli, run: Run, path: Path, edits: dict[str, str]):
    document = reviewed_copy(run, path, edits=edits)
    return cli("review", "import", document, "--manifest", run.folder, "--approve-all", "--accept-unedited")


def _published(run: Run, cli, tmp_path: Path) -> Run:
    """Both languages imported (zh-TW with FIRST) and published as .docx and web page."""
    assert _import(cli, run, tmp_path / "r1" / f"{NAME}.zh-TW.review.docx", FIRST).exit_code == 0
    ja = cli("review", "import", run.review("ja"), "--approve-all", "--accept-unedited")
    assert ja.exit_code == 0, ja.output
    result = cli("publish", run.folder, "--format", "html")
    assert result.exit_code == 0, result.output
    return run


# --- the release lock -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["run", "review import", "publish"])
def test_a_full_disk_under_the_lock_is_one_line_for_every_command(command, run, installed, sample_copy, cli, tmp_path):
    """The lock's pid reaches a full disk: before, the buffered handle's close() flushed again and raised again
    over the message (a traceback, exit 1) for each of the three commands."""
    if command == "publish":
        _published(run, cli, tmp_path)
    before = _files(run.folder)
    document = reviewed_copy(run, tmp_path / "r2" / f"{NAME}.zh-TW.review.docx", edits=SECOND)
    args = {
        "run": ("run", sample_copy, "--out", run.out, "--glossary", ROOT / "glossaries", "--quiet", "--force"),
        "review import": ("review", "import", document, "--manifest", run.folder, "--approve-all"),
        "publish": ("publish", run.folder, "--format", "html"),
    }[command]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(release_folder, "open", full_disk_open, raising=False)
        result = cli(*args)  # catch_exceptions=False: a traceback fails the test here
    assert result.exit_code == 5, result.output
    lines = result.output.strip().splitlines()
    assert lines[-1] == f"Error: {run.folder / '.lock'}: cannot create the lock, the disk is full (or over quota); free some space and run again"
    assert not any("Traceback" in line for line in lines)
    assert _leftovers(run.folder) == []
    if command != "review import":  # an import commits under the lock too: here it never got that far
        assert _files(run.folder) == before
    assert cli(*args).exit_code == 0  # space again: it works


# --- every write on a full disk, in a real process ----------------------------------------------------------------


def test_run_on_a_full_disk_names_the_document_and_changes_nothing(installed, sample_copy, cli, tmp_path):
    out = tmp_path / "out"
    assert cli("run", sample_copy, "--out", out, "--no-glossary", "--quiet").exit_code == 0
    folder = out / NAME
    before = _files(folder)
    done = run_cli_on_full_disk("run", sample_copy, "--out", out, "--no-glossary", "--quiet", "--force")
    line = assert_one_clean_line(done, "disk is full", "Free some space")
    assert line == f"Error: Cannot write {folder / f'{NAME}.zh-TW.review.docx'}: the disk is full (or over quota). Free some space and run again."
    assert _files(folder) == before and _leftovers(folder) == []


def test_review_import_on_a_full_disk_is_one_line_and_keeps_the_review(run, cli, tmp_path):
    """The memory and the record are SQLite (their own journals); the readable copy reviewed.json is ours and
    cannot be written: one line says the review is safe and the copy comes later."""
    document = reviewed_copy(run, tmp_path / "r" / f"{NAME}.zh-TW.review.docx", edits=SECOND)
    copy_before = run.reviewed.read_bytes() if run.reviewed.exists() else None
    done = run_cli_on_full_disk("review", "import", document, "--manifest", run.folder, "--approve-all", "--quiet")
    assert_one_clean_line(done, f"Cannot write {run.reviewed}", "disk is full", "the review itself is safe")
    assert (run.reviewed.read_bytes() if run.reviewed.exists() else None) == copy_before
    assert _leftovers(run.folder) == []
    held = reviews.load(run.reviewed)["runs"][run.manifest["run_id"]]["zh-TW"]["segments"]
    assert SECOND["p05.s02"] in {entry["text"] for entry in held.values()}  # in the record
    again = cli("review", "import", document, "--manifest", run.folder, "--approve-all", "--quiet")
    assert again.exit_code == 0, again.output  # space again: the copy is written
    assert SECOND["p05.s02"] in run.reviewed.read_text(encoding="utf-8")


def test_publish_on_a_full_disk_leaves_the_last_publication_whole(run, cli, tmp_path):
    """python-docx never closes its ZipFile when a write fails: its finalizer wrote again at exit and printed
    "Exception ignored in: <function ZipFile.__del__> … OSError" after the one-line message."""
    _published(run, cli, tmp_path)
    assert _import(cli, run, tmp_path / "r2" / f"{NAME}.zh-TW.review.docx", SECOND).exit_code == 0
    before = _files(run.folder)
    for attempt in range(3):  # it was intermittent on a real disk; on /dev/full it was every time
        done = run_cli_on_full_disk("publish", run.folder, "--format", "html")
        assert_one_clean_line(done, f"Cannot write {run.folder / f'{NAME}.zh-TW.docx'}", "disk is full")
        assert _files(run.folder) == before and _leftovers(run.folder) == []


# --- a publication is one unit -----------------------------------------------------------------------------------

# SIGTERM (sent by the process to itself, as `timeout` would) when the first web page starts: every .docx of the
# publication is complete in its temporary file by then.
_TERM_AT_THE_WEB_PAGE = textwrap.dedent(
    """
    import os, signal, sys
    import pipeline.files.atomic as atomic
    made = atomic._create_temp
    def then_terminated(folder, name):
        if name.endswith(".html"):
            os.kill(os.getpid(), signal.SIGTERM)
        return made(folder, name)
    atomic._create_temp = then_terminated
    sys.argv = ["translate", *sys.argv[1:]]
    from pipeline.cli import console
    console()
    """
)


def test_sigterm_during_publish_leaves_every_file_of_the_last_publication(run, cli, tmp_path):
    """Before: ja.docx (and zh-TW.docx) had the new edits and the web pages the old ones."""
    _published(run, cli, tmp_path)
    assert _import(cli, run, tmp_path / "r2" / f"{NAME}.zh-TW.review.docx", SECOND).exit_code == 0
    before = _files(run.folder)
    done = subprocess.run(
        [sys.executable, "-c", _TERM_AT_THE_WEB_PAGE, "publish", str(run.folder), "--format", "html"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 143, done.stderr
    assert done.stderr.strip().splitlines() == ["Terminated (SIGTERM): no document was half-written."]
    assert _files(run.folder) == before and _leftovers(run.folder) == []
    result = cli("publish", run.folder, "--format", "html")
    assert result.exit_code == 0, result.output
    assert SECOND["p05.s02"] in (run.folder / f"{NAME}.zh-TW.html").read_text(encoding="utf-8")


# --- a real small disk (root only) ------------------------------------------------------------------------------


def _whole(folder: Path) -> None:
    for document in folder.glob("*.docx"):
        with zipfile.ZipFile(document) as package:
            assert package.testzip() is None, document


@pytest.mark.parametrize("free_kb", [0, 8, 24, 64])
@pytest.mark.parametrize("command", ["run", "review import", "publish"])
def test_a_nearly_full_real_disk(command, free_kb, run, installed, sample_copy, cli, tmp_path):
    """On a real tmpfs with `free_kb` left: the command completes, or fails with one clean line; what is there
    is whole (old or new); with space again it completes."""
    with small_disk(tmp_path / "disk") as disk:
        out = disk.folder / "out"
        shutil.copytree(run.out, out)
        small = Run(out, out / NAME, run.manifest)
        if command == "publish":
            _published(small, cli, tmp_path)
            assert _import(cli, small, tmp_path / "r2" / f"{NAME}.zh-TW.review.docx", SECOND).exit_code == 0
        document = reviewed_copy(small, tmp_path / "r3" / f"{NAME}.zh-TW.review.docx", edits=SECOND)
        args = {
            "run": ("run", sample_copy, "--out", out, "--no-glossary", "--quiet", "--force"),
            "review import": ("review", "import", document, "--manifest", small.folder, "--approve-all", "--quiet"),
            "publish": ("publish", small.folder, "--format", "html"),
        }[command]
        disk.fill(free_kb * 1024)
        done = cli_process(*args)
        if done.returncode != 0:
            assert_one_clean_line(done, "disk is full")
        _whole(small.folder)
        assert _leftovers(small.folder) == []
        disk.unfill()
        again = cli_process(*args)
        assert again.returncode == 0, again.stderr
