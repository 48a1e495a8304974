"""pipeline/files/atomic.py: files written whole, several files as one unit, and errors that name the real file."""

from __future__ import annotations

import errno
import os
import signal
import threading

import pytest

import pipeline.files.atomic as atomic
from pipeline.core.errors import OutputError
from pipeline.files.atomic import atomic_output, atomic_write_text, one_unit


class Stopped(Exception):
    pass


def _three(folder):
    return [folder / name for name in ("ja.docx", "ja.bilingual.docx", "ja.html")]


def _old(folder):
    for path in _three(folder):
        path.write_text("old " + path.name, encoding="utf-8")


def _contents(folder):
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def test_a_unit_renames_nothing_until_every_file_is_complete(tmp_path):
    _old(tmp_path)
    with pytest.raises(Stopped), one_unit():
        for number, path in enumerate(_three(tmp_path)):
            if number == 2:
                raise Stopped  # Ctrl-C, SIGTERM, a failed build: before the last file
            atomic_write_text(path, "new " + path.name)
            assert path.read_text(encoding="utf-8") == "old " + path.name  # not yet renamed
    assert _contents(tmp_path) == {p.name: "old " + p.name for p in _three(tmp_path)}  # and no temporary file left


def test_a_full_disk_inside_a_unit_changes_nothing_and_names_the_file(tmp_path):
    _old(tmp_path)
    with pytest.raises(OutputError) as error, one_unit():
        atomic_write_text(_three(tmp_path)[0], "new")
        with atomic_output(_three(tmp_path)[1]):
            raise OSError(errno.ENOSPC, "No space left on device")
    assert str(error.value) == f"Cannot write {_three(tmp_path)[1]}: the disk is full (or over quota). Free some space and run again."
    assert _contents(tmp_path) == {p.name: "old " + p.name for p in _three(tmp_path)}


def test_a_completed_unit_renames_every_file(tmp_path):
    _old(tmp_path)
    with one_unit():
        for path in _three(tmp_path):
            atomic_write_text(path, "new " + path.name)
    assert _contents(tmp_path) == {p.name: "new " + p.name for p in _three(tmp_path)}


def test_sigterm_during_the_renames_takes_effect_after_the_last(tmp_path, monkeypatch):
    """A SIGTERM that arrives between two renames is held until all are done: never ja.docx new, ja.html old."""
    _old(tmp_path)
    real_replace = os.replace
    seen = []

    def replace(src, dst):
        if not seen:
            os.kill(os.getpid(), signal.SIGTERM)
        real_replace(src, dst)
        seen.append(os.path.basename(dst))

    def terminated(signum, frame):
        raise Stopped(list(seen))

    # another thread, as CTranslate2 or a warm-up leaves: the kernel may hand it a process-directed signal
    release = threading.Event()
    other = threading.Thread(target=release.wait, daemon=True)
    other.start()
    previous = signal.signal(signal.SIGTERM, terminated)
    try:
        monkeypatch.setattr(atomic.os, "replace", replace)
        with pytest.raises(Stopped) as stopped, one_unit():
            for path in _three(tmp_path):
                atomic_write_text(path, "new " + path.name)
    finally:
        signal.signal(signal.SIGTERM, previous)
        release.set()
    assert stopped.value.args[0] == [p.name for p in _three(tmp_path)]  # delivered once all three were renamed
    assert _contents(tmp_path) == {p.name: "new " + p.name for p in _three(tmp_path)}


def test_a_rename_that_fails_half_way_says_the_publication_is_incomplete(tmp_path, monkeypatch):
    _old(tmp_path)
    real_replace = os.replace

    def replace(src, dst):
        if str(dst).endswith(".bilingual.docx"):
            raise PermissionError(errno.EACCES, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)
    with pytest.raises(OutputError) as error, one_unit("publication"):
        for path in _three(tmp_path):
            atomic_write_text(path, "new " + path.name)
    message = str(error.value)
    assert message.startswith(f"Cannot write {_three(tmp_path)[1]}: permission denied")
    assert message.endswith(
        "The publication is incomplete: ja.docx was replaced, ja.bilingual.docx, ja.html not; run the command again."
    )
    assert _contents(tmp_path)["ja.html"] == "old ja.html"
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_failure_inside_a_writer_that_writes_into_a_temporary_file_names_the_destination(tmp_path):
    """The review writer writes into the run's temporary file (itself atomically): the message names the review
    document, never `.x.review.docx.1a2b3c4d.tmp`."""
    destination = tmp_path / "x.zh-TW.review.docx"
    with pytest.raises(OutputError) as error, atomic_output(destination) as temporary, atomic_output(temporary):
        raise OSError(errno.ENOSPC, "No space left on device")
    assert str(error.value).startswith(f"Cannot write {destination}: the disk is full")
    assert list(tmp_path.iterdir()) == []
