"""SIGTERM and the release lock (issue 13, items 6 and 7).

SIGTERM is what `timeout`, systemd and CI runners send: it is handled like Ctrl-C (exit 143, one line, no lock
and no hidden temporary file left). The release lock is held with `flock` on the open `.lock` and carries the
holder's pid: a lock whose holder is still writing its pid (empty) is never taken over, so one run's clean-up
never removes another's temporary files.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from support.long_run import signalled_long_run
from support.paths import ROOT, SAMPLE

NAME = SAMPLE.stem


def _leftovers(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.name == ".lock" or p.name.endswith(".tmp"))


# --- SIGTERM ----------------------------------------------------------------------------------------------------

# The first review document is complete in its hidden temporary file, the lock is held, nothing renamed yet:
# SIGTERM arrives exactly then (sent by the process to itself, as `timeout` would send it).
_TERM_AFTER_FIRST_DOCUMENT = textwrap.dedent(
    """
    import os, signal, sys
    import pipeline.review.write.writer as writer
    original = writer.write_review_docx
    def write_then_terminated(*args, **kwargs):
        original(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGTERM)
    writer.write_review_docx = write_then_terminated
    from pipeline.cli import entry
    sys.argv = ["translate", *sys.argv[1:]]
    entry()
    """
)


def test_sigterm_while_writing_exits_143_with_one_line_and_leaves_no_lock_or_temporary_file(installed, sample_copy, tmp_path, cli):
    out = tmp_path / "out"
    assert cli("run", sample_copy, "--out", out, "--no-glossary", "--quiet").exit_code == 0
    folder = out / NAME
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    done = subprocess.run(
        [sys.executable, "-c", _TERM_AFTER_FIRST_DOCUMENT, "run", str(sample_copy), "--out", str(out), "--no-glossary", "--quiet"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 143, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "Terminated (SIGTERM): no document was half-written."
    assert "Traceback" not in done.stderr
    assert _leftovers(out) == []
    # every previous document as it was (the journal may name the new, never-renamed hash: harmless)
    after = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and p.name != ".written.json"}
    assert after == {name: data for name, data in before.items() if name != ".written.json"}
    result = cli("run", sample_copy, "--out", out, "--no-glossary", "--quiet")
    assert result.exit_code == 0, result.output


def test_sigterm_at_a_random_moment_of_a_long_run_is_clean(installed, tmp_path, cli):
    """A real `python -m pipeline run` over many releases, sent SIGTERM once some are done (as `timeout` does)."""
    releases, out, process, stderr = signalled_long_run(tmp_path, signal.SIGTERM)
    assert process.returncode == 143, stderr
    assert "Terminated (SIGTERM)" in stderr and "Traceback" not in stderr
    assert _leftovers(out) == []
    result = cli("run", releases, "--out", out, "--no-glossary", "--quiet")
    assert result.exit_code == 0, result.output


def test_sigterm_handler_is_the_callers_again_after_an_in_process_entry(monkeypatch):
    from pipeline.cli import entry

    before = signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(sys, "argv", ["translate", "--version"])
    with pytest.raises(SystemExit):
        entry()
    assert signal.getsignal(signal.SIGTERM) is before


# --- the release lock -------------------------------------------------------------------------------------------

# A run that has just created the lock and not yet written its pid: it holds the flock on an empty `.lock` (the
# protocol of pipeline/files/release_folder.py) and has a temporary document in the folder. It waits until told to exit.
_EMPTY_LOCK_HOLDER = textwrap.dedent(
    """
    import fcntl, sys, time
    from pathlib import Path
    folder = Path(sys.argv[1])
    handle = open(folder / ".lock", "a+")
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
    (folder / ".doc.review.docx.0123abcd.tmp").write_bytes(b"PK being written")
    print("holding", flush=True)
    sys.stdin.read()
    """
)


def test_a_lock_whose_holder_has_not_written_its_pid_yet_is_not_taken(installed, sample_copy, tmp_path, cli):
    out = tmp_path / "out"
    folder = out / NAME
    folder.mkdir(parents=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", _EMPTY_LOCK_HOLDER, str(folder)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        assert (folder / ".lock").read_text() == ""
        result = cli("run", sample_copy, "--out", out, "--no-glossary", "--quiet")
        assert result.exit_code == 5, result.output
        assert "another `translate` run" in result.output and "wait for it to finish" in result.output
        assert (folder / ".lock").exists()
        assert (folder / ".doc.review.docx.0123abcd.tmp").read_bytes() == b"PK being written"  # not ours to remove
        assert not list(folder.glob("*.docx"))
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    result = cli("run", sample_copy, "--out", out, "--no-glossary", "--quiet")  # its holder gone: taken
    assert result.exit_code == 0, result.output
    assert _leftovers(out) == []


_TAKER = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from pipeline.core.errors import OutputError
    from pipeline.files.release_folder import ReleasePaths, release_lock
    folder, rounds = Path(sys.argv[1]), int(sys.argv[2])
    paths = ReleasePaths(folder, "rel")
    held = refused = 0
    while held < rounds:
        try:
            with release_lock(paths):
                mine = folder / f".doc.{os.getpid()}.{held}.tmp"
                mine.write_bytes(b"x")
                fd = os.open(folder / "inside", os.O_CREAT | os.O_EXCL | os.O_WRONLY)  # two holders: FileExistsError
                time.sleep(0.002)
                os.close(fd)
                os.unlink(folder / "inside")
                if not mine.exists():
                    sys.exit(f"another taker removed {mine.name} while this one held the lock")
                mine.unlink()
                held += 1
        except OutputError:
            refused += 1
    print(held, refused)
    """
)


def test_concurrent_lock_takers_never_hold_it_together(tmp_path):
    """Four processes take and release one release's lock in a tight loop: never two holders at once, and no
    holder's temporary file is removed by another's clean-up."""
    folder = tmp_path / "rel"
    folder.mkdir()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    takers = [
        subprocess.Popen(
            [sys.executable, "-c", _TAKER, str(folder), "150"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    for taker in takers:
        stdout, stderr = taker.communicate(timeout=300)
        assert taker.returncode == 0, stderr
        assert stdout.split()[0] == "150"
    assert not (folder / ".lock").exists() and not (folder / "inside").exists()


def test_a_full_disk_while_writing_the_lock_is_one_line_and_leaves_no_lock(installed, sample_copy, tmp_path, cli, monkeypatch):
    import errno

    import pipeline.files.release_folder as outputs

    def full(*_):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outputs, "_lock_content", full)
    out = tmp_path / "out"
    result = cli("run", sample_copy, "--out", out, "--no-glossary", "--quiet")
    assert result.exit_code == 5, result.output
    assert "disk is full" in result.output and str(out / NAME / ".lock") in result.output
    assert _leftovers(out) == []
