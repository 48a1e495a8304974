"""Output faults: unwritable folder, disk full, Ctrl-C at every stage, kill -9, two runs at once, a reviewer's
edits. Each leaves the previous documents or complete new ones (never half a .docx or manifest), no temporary
files, and a next run that works.

See docs/robustness.md for the table of every class and the test that shows it.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from support.long_run import signalled_long_run
from support.paths import SAMPLE
from pipeline.cli import entry

NAME = SAMPLE.stem
LANGS = ("zh-TW", "ja")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")}


def _assert_whole(folder: Path) -> None:
    """Every document opens, every manifest parses, no temporary file, no lock: nothing half-written."""
    for path in folder.iterdir():
        assert not path.name.endswith(".tmp"), path
        assert path.name != ".lock", path
        if path.suffix == ".docx":
            docx.Document(str(path)).tables[0]
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))


def _is_new_or_old(folder: Path, before: dict[str, bytes]) -> None:
    """Each document is either exactly the previous one or a complete new one (with the same rows)."""
    for name, old in before.items():
        if name.startswith("."):
            continue
        now = (folder / name).read_bytes()
        if now != old and name.endswith(".docx"):
            rows = len(docx.Document(str(folder / name)).tables[0].rows)
            assert rows == len(docx.Document(__import__("io").BytesIO(old)).tables[0].rows)


@pytest.fixture
def previous(installed, sample_copy, tmp_path, cli):
    """A completed run: the documents a failed or interrupted run must not damage."""
    out = tmp_path / "out"
    result = cli("run", sample_copy, "--out", out, "--no-glossary", "--quiet")
    assert result.exit_code == 0, result.output
    folder = out / NAME
    return out, folder, _files(folder)


def _entry(monkeypatch, capsys, *args) -> tuple[int, str]:
    """The real console entry point (exit codes, Ctrl-C → 130), in this process so faults can be injected."""
    monkeypatch.setattr(sys, "argv", ["translate", *map(str, args)])
    try:
        entry()
        code = 0
    except SystemExit as done:
        code = done.code
    return code, capsys.readouterr().err


def _rerun_works(cli, release: Path, out: Path) -> None:
    """The next run, without --force, succeeds: nothing the failed run left looks like a reviewer's edit."""
    result = cli("run", release, "--out", out, "--no-glossary", "--quiet")
    assert result.exit_code == 0, result.output
    _assert_whole(out / NAME)


# --- unwritable output ----------------------------------------------------------------------------------------


def test_output_folder_under_a_file_exits_5(installed, sample_copy, tmp_path, cli):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should be")
    result = cli("run", sample_copy, "--out", blocker / "out")
    assert result.exit_code == 5, result.output
    assert "cannot create the output folder" in result.output and "--out" in result.output
    assert blocker.read_text() == "a file where the output folder should be"


def test_permission_denied_on_rename_exits_5_and_keeps_the_previous_documents(previous, sample_copy, cli):
    out, folder, before = previous

    def denied(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "replace", denied)
        result = cli("run", sample_copy, "--out", out, "--no-glossary")
    assert result.exit_code == 5, result.output
    assert "permission denied" in result.output and "Cannot write" in result.output
    assert _files(folder) == before
    _assert_whole(folder)
    _rerun_works(cli, sample_copy, out)


# --- disk full ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("failing_call", [1, 2], ids=["first-document", "second-document"])
def test_disk_full_while_saving_a_document_keeps_every_previous_document(previous, sample_copy, cli, failing_call):
    import pipeline.review.write.writer

    out, folder, before = previous
    real_save = pipeline.review.write.writer.save_streamed  # what writes the review document's file
    calls = []

    def save(doc, where, rows, target):
        calls.append(target)
        if len(calls) == failing_call:
            with open(target, "wb") as handle:
                handle.write(b"PK\x03\x04 half a document")  # the disk filled up mid-write
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_save(doc, where, rows, target)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline.review.write.writer, "save_streamed", save)
        result = cli("run", sample_copy, "--out", out, "--no-glossary")
    assert result.exit_code == 5, result.output
    assert "disk is full" in result.output and "Free some space" in result.output
    assert _files(folder) == before  # all documents complete before any is renamed: none replaced
    _assert_whole(folder)
    _rerun_works(cli, sample_copy, out)


def test_disk_full_on_the_manifest_leaves_complete_documents_and_the_next_run_works(previous, sample_copy, cli):
    """The documents were renamed, the manifest was not: the next run must not take them for a reviewer's."""
    out, folder, before = previous
    real_replace = os.replace

    def replace(src, dst):
        if str(dst).endswith(".manifest.json"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "replace", replace)
        result = cli("run", sample_copy, "--out", out, "--no-glossary")
    assert result.exit_code == 5 and "disk is full" in result.output, result.output
    assert (folder / f"{NAME}.manifest.json").read_bytes() == before[f"{NAME}.manifest.json"]
    _is_new_or_old(folder, before)
    _assert_whole(folder)
    _rerun_works(cli, sample_copy, out)


# --- Ctrl-C at every stage ------------------------------------------------------------------------------------


def _interrupt(monkeypatch, target, attribute, when=lambda *a, **k: True):
    original = getattr(target, attribute)

    def interrupted(*args, **kwargs):
        if when(*args, **kwargs):
            raise KeyboardInterrupt
        return original(*args, **kwargs)

    monkeypatch.setattr(target, attribute, interrupted)


def _nth(n):
    count = []

    def when(*args, **kwargs):
        count.append(1)
        return len(count) == n

    return when


def _nth_docx_rename(n):
    count = []

    def when(src, dst):
        if str(dst).endswith(".docx"):
            count.append(1)
            return len(count) == n
        return False

    return when


def _stages():
    import pipeline.run

    return {
        "ingest": (pipeline.run, "read_release", None),
        "detect": (pipeline.run, "require_english", None),
        "segment": (pipeline.run, "segment_release", None),
        "translate": (pipeline.run, "translate_segments", None),
        "checks": (pipeline.run, "run_checks", None),
        "first-document": (docx.document.Document, "save", _nth(1)),
        "second-document": (docx.document.Document, "save", _nth(2)),
        "journal": (pipeline.run, "record_written", _nth(2)),
        "first-rename": (os, "replace", _nth_docx_rename(1)),
        "second-rename": (os, "replace", _nth_docx_rename(2)),
        "manifest": (pipeline.run, "write_manifest", None),
        "manifest-rename": (os, "replace", lambda src, dst: str(dst).endswith(".manifest.json")),
    }


# Up to here nothing of the new run is in place: every file is exactly the previous one.
UNTOUCHED = {"ingest", "detect", "segment", "translate", "checks", "first-document", "second-document", "journal",
             "first-rename"}


@pytest.mark.parametrize("stage", list(_stages()))
def test_ctrl_c_at_any_stage_leaves_previous_or_complete_documents(previous, sample_copy, capsys, cli, stage):
    out, folder, before = previous
    target, attribute, when = _stages()[stage]
    with pytest.MonkeyPatch.context() as mp:
        _interrupt(mp, target, attribute, when or (lambda *a, **k: True))
        code, err = _entry(mp, capsys, "run", sample_copy, "--out", out, "--no-glossary", "--quiet")
    assert code == 130, err
    assert "Interrupted" in err and "Traceback" not in err
    _assert_whole(folder)
    if stage in UNTOUCHED:
        assert _files(folder) == before
    else:
        assert set(_files(folder)) == set(before)
        _is_new_or_old(folder, before)
    _rerun_works(cli, sample_copy, out)


def test_kill_9_mid_run_leaves_only_whole_files_and_the_next_run_cleans_up(installed, tmp_path, cli):
    """A real `python -m pipeline run` over many releases, killed with SIGKILL once some releases are done."""
    releases, out, process, _ = signalled_long_run(tmp_path, signal.SIGKILL)
    assert process.returncode == -signal.SIGKILL

    for folder in out.iterdir():
        for path in folder.iterdir():
            if path.name.startswith(".") and path.name.endswith(".tmp"):
                continue  # a temporary file being written at the moment of the kill: hidden, removed next run
            if path.name == ".lock":
                continue  # the killed run's lock: taken over next run
            if path.suffix == ".docx":
                docx.Document(str(path)).tables[0]
            elif path.suffix == ".json":
                json.loads(path.read_text(encoding="utf-8"))
            else:
                raise AssertionError(f"unexpected file {path}")

    result = cli("run", releases, "--out", out, "--no-glossary", "--quiet")
    assert result.exit_code == 0, result.output
    for folder in out.iterdir():
        _assert_whole(folder)
        assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == [
            f"{folder.name}.ja.review.docx", f"{folder.name}.manifest.json", f"{folder.name}.zh-TW.review.docx"]


# --- two runs at once -----------------------------------------------------------------------------------------


def test_second_run_on_the_same_release_is_refused_while_the_first_holds_the_lock(previous, sample_copy, cli):
    out, folder, before = previous
    lock = folder / ".lock"
    lock.write_text(f"{os.getpid()} 2025-11-28T10:00:00\n")  # a live process holds it: this test's own
    result = cli("run", sample_copy, "--out", out, "--no-glossary")
    assert result.exit_code == 5, result.output
    assert f"another `translate` run (pid {os.getpid()})" in result.output and "wait for it to finish" in result.output
    assert lock.exists()  # not ours to remove
    assert _files(folder) == before


def test_stale_lock_of_a_dead_run_is_taken_over(previous, sample_copy, cli):
    out, folder, _ = previous
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (folder / ".lock").write_text(f"{dead.pid} 2025-11-28T10:00:00\n")
    (folder / f".{NAME}.ja.review.docx.0123abcd.tmp").write_bytes(b"PK half")  # the dead run's temporary file
    result = cli("run", sample_copy, "--out", out, "--no-glossary", "--quiet")
    assert result.exit_code == 0, result.output
    _assert_whole(folder)


# --- a reviewer's edits ---------------------------------------------------------------------------------------


def _edit_like_a_reviewer(path: Path, row: int = 2) -> bytes:
    document = docx.Document(str(path))
    cell = document.tables[0].rows[row].cells[2]
    cell.paragraphs[0].add_run(" — reviewer's correction")
    document.save(str(path))
    return path.read_bytes()


def test_edited_review_document_is_never_overwritten_without_force(previous, sample_copy, cli):
    out, folder, before = previous
    edited_path = folder / f"{NAME}.zh-TW.review.docx"
    edited = _edit_like_a_reviewer(edited_path)
    result = cli("run", sample_copy, "--out", out, "--no-glossary")
    assert result.exit_code == 5, result.output
    assert edited_path.name in result.output and "--force" in result.output and "edited" in result.output
    assert edited_path.read_bytes() == edited
    assert {k: v for k, v in _files(folder).items() if "zh-TW" not in k} == {
        k: v for k, v in before.items() if "zh-TW" not in k
    }


def test_force_overwrites_an_edited_document_and_keeps_a_backup(previous, sample_copy, cli):
    out, folder, _ = previous
    edited_path = folder / f"{NAME}.zh-TW.review.docx"
    edited = _edit_like_a_reviewer(edited_path)
    result = cli("run", sample_copy, "--out", out, "--no-glossary", "--force")
    assert result.exit_code == 0, result.output
    [backup] = folder.glob(f"{NAME}.zh-TW.review.backup-*.docx")
    assert backup.read_bytes() == edited
    assert str(backup) in result.output
    assert "reviewer's correction" not in "\n".join(c.text for r in docx.Document(str(edited_path)).tables[0].rows for c in r.cells)
    # a second forced run in the same second never overwrites the first backup
    _edit_like_a_reviewer(edited_path)
    assert cli("run", sample_copy, "--out", out, "--no-glossary", "--force", "--quiet").exit_code == 0
    assert len(list(folder.glob(f"{NAME}.zh-TW.review.backup-*.docx"))) == 2
    assert backup.read_bytes() == edited
    _rerun_works(cli, sample_copy, out)  # the new documents are ours: no --force needed


def test_an_imported_review_document_is_replaced_without_force(previous, sample_copy, cli):
    """Once imported, the reviewer's work is in the memory: a rerun needs no --force, keeps a backup, and the
    new document carries the reviewer's text (from memory). Edited again after the import: refused again."""
    out, folder, _ = previous
    edited_path = folder / f"{NAME}.zh-TW.review.docx"
    edited = _edit_like_a_reviewer(edited_path, row=3)  # row 2 is the verbatim dateline, not kept in the memory
    imported = cli("review", "import", edited_path)
    assert imported.exit_code == 0, imported.output
    result = cli("run", sample_copy, "--out", out, "--no-glossary")
    assert result.exit_code == 0, result.output
    [backup] = folder.glob(f"{NAME}.zh-TW.review.backup-*.docx")
    assert backup.read_bytes() == edited and str(backup) in result.output
    rows = docx.Document(str(edited_path)).tables[0].rows
    assert rows[3].cells[2].text.endswith(" — reviewer's correction") and "from memory" in rows[3].cells[3].text

    again = _edit_like_a_reviewer(edited_path, row=4)  # a second round of edits, not imported yet
    result = cli("run", sample_copy, "--out", out, "--no-glossary")
    assert result.exit_code == 5 and edited_path.name in result.output
    assert edited_path.read_bytes() == again


def test_a_document_imported_before_another_copy_is_still_known_as_imported(previous, sample_copy, cli, tmp_path):
    """Two reviewers' copies imported one after the other: the first (still in the release folder) needs no --force."""
    out, folder, _ = previous
    in_folder = folder / f"{NAME}.zh-TW.review.docx"
    pristine = in_folder.read_bytes()
    first = _edit_like_a_reviewer(in_folder, row=3)
    second_copy = tmp_path / f"{NAME}.zh-TW.review.reviewer2.docx"
    second_copy.write_bytes(pristine)
    _edit_like_a_reviewer(second_copy, row=5)
    for document in (in_folder, second_copy):
        imported = cli("review", "import", document, "--manifest", folder)
        assert imported.exit_code == 0, imported.output
    result = cli("run", sample_copy, "--out", out, "--no-glossary")
    assert result.exit_code == 0, result.output
    [backup] = folder.glob(f"{NAME}.zh-TW.review.backup-*.docx")
    assert backup.read_bytes() == first
    rows = docx.Document(str(in_folder)).tables[0].rows
    assert all(rows[n].cells[2].text.endswith(" — reviewer's correction") for n in (3, 5))  # both, from memory


def test_a_review_document_of_an_earlier_run_stays_importable(previous, sample_copy, cli):
    """`--to ja` rerun while zh-TW is being reviewed, then a forced rerun: the zh-TW document and its backup still
    import, against their run's manifest kept in .runs/; the reviewer's text reaches the memory."""
    out, folder, _ = previous
    zh = folder / f"{NAME}.zh-TW.review.docx"
    first_run = json.loads((folder / f"{NAME}.manifest.json").read_text(encoding="utf-8"))["run_id"]
    _edit_like_a_reviewer(zh, row=3)
    assert cli("run", sample_copy, "--out", out, "--no-glossary", "--to", "ja", "--quiet").exit_code == 0
    assert (folder / ".runs" / f"{first_run}.json").is_file()
    imported = cli("review", "import", zh)
    assert imported.exit_code == 0, imported.output
    reviewed = json.loads((folder / f"{NAME}.reviewed.json").read_text(encoding="utf-8"))
    assert "reviewer's correction" in json.dumps(reviewed["runs"][first_run]["zh-TW"], ensure_ascii=False)

    _edit_like_a_reviewer(zh, row=4)  # edited again, then replaced by a forced run: the backup imports too
    assert cli("run", sample_copy, "--out", out, "--no-glossary", "--force", "--quiet").exit_code == 0
    [backup] = folder.glob(f"{NAME}.zh-TW.review.backup-*.docx")
    again = cli("review", "import", backup, "--manifest", folder)
    assert again.exit_code == 0, again.output
    check = cli("glossary", "check", "--against", folder)  # the kept manifests are not linted as current runs
    assert ".runs" not in check.output


def test_a_damaged_reviewed_file_never_lets_an_edit_through(previous, sample_copy, cli):
    out, folder, _ = previous
    edited_path = folder / f"{NAME}.zh-TW.review.docx"
    edited = _edit_like_a_reviewer(edited_path)
    (folder / f"{NAME}.reviewed.json").write_text('{"runs": {"x": {"zh-TW": {"sha256": 1}}}, "trunc')
    assert cli("run", sample_copy, "--out", out, "--no-glossary").exit_code == 5
    assert edited_path.read_bytes() == edited


def test_lock_of_a_recycled_pid_is_taken_over(previous, sample_copy, cli):
    """A killed run's pid, now used by another process (here: this test's own), does not block the release."""
    out, folder, _ = previous
    (folder / ".lock").write_text(f"{os.getpid()} 2025-11-28T10:00:00 start=1\n")  # a start time we never had
    result = cli("run", sample_copy, "--out", out, "--no-glossary", "--quiet")
    assert result.exit_code == 0, result.output
    _assert_whole(folder)


def test_lock_records_the_holders_start_time(previous, sample_copy, cli, monkeypatch):
    """While a run holds the lock, the lock names its pid and start time; a second run is refused."""
    out, folder, _ = previous
    import pipeline.files.release_folder as outputs

    seen = []
    original = outputs._remove_stale_temporaries
    monkeypatch.setattr(outputs, "_remove_stale_temporaries", lambda f: (seen.append((f / ".lock").read_text()), original(f)))
    assert cli("run", sample_copy, "--out", out, "--no-glossary", "--quiet").exit_code == 0
    pid, _, start = seen[0].split()
    assert int(pid) == os.getpid() and start == f"start={outputs._process_start(os.getpid())}"
    (folder / ".lock").write_text(seen[0])
    result = cli("run", sample_copy, "--out", out, "--no-glossary", "--quiet")
    assert result.exit_code == 5 and "another `translate` run" in result.output
