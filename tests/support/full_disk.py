"""A full disk for the command line, three ways, none of which can fill the machine's own disk.

- `run_cli_on_full_disk`: a real `python -m pipeline` process in which every hidden temporary file of ours
  (pipeline/files/atomic.py) is a symbolic link to `/dev/full`, the Linux device whose every write fails with
  ENOSPC: the kernel's own "No space left on device", raised inside python-docx, zipfile or our own writes, and
  the interpreter's exit (finalizers that write again) run as they would on a full disk.
- `full_disk_open`: an `open` for the release lock whose file takes bytes into its buffer and fails with ENOSPC
  when they reach the disk, as a full disk does: buffered, the close flushes again and fails again.
- `small_disk`: a real 16 MB tmpfs filled up to `free` bytes (needs root; else the test is skipped).
"""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from support.paths import ROOT

DEV_FULL = Path("/dev/full")

_TEMPORARIES_ON_DEV_FULL = textwrap.dedent(
    """
    import os, sys
    import pipeline.files.atomic as atomic
    made = atomic._create_temp
    def on_dev_full(folder, name):
        temporary = made(folder, name)
        temporary.unlink()
        os.symlink("/dev/full", temporary)
        return temporary
    atomic._create_temp = on_dev_full
    sys.argv = ["translate", *sys.argv[1:]]
    from pipeline.cli import console
    console()
    """
)


def cli_process(*args, full: bool = False, timeout: float = 300) -> subprocess.CompletedProcess:
    """`translate ARGS` in a process of its own (stdout and stderr apart); `full`: every temporary file on /dev/full."""
    if full and not DEV_FULL.exists():
        pytest.skip("no /dev/full on this system")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-c", _TEMPORARIES_ON_DEV_FULL] if full else [sys.executable, "-m", "pipeline"]
    return subprocess.run(
        [*command, *map(str, args)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def run_cli_on_full_disk(*args) -> subprocess.CompletedProcess:
    return cli_process(*args, full=True)


def assert_one_clean_line(done: subprocess.CompletedProcess, *words: str) -> str:
    """Exit 5, and stderr exactly one line holding `words`: no traceback, and nothing after it either (an
    "Exception ignored in: …" from a finalizer at exit is a traceback too)."""
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 5, done.stderr
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


class _FullDiskFile(io.FileIO):
    def write(self, data) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


def full_disk_open(file, mode="r", buffering=-1, encoding=None, errors=None, newline=None, closefd=True, opener=None):
    """`open` as it behaves on a full disk: the file opens, every write to it fails with ENOSPC (when the
    buffer, if any, is flushed)."""
    raw = _FullDiskFile(file, mode.replace("b", "").replace("t", ""))
    if buffering == 0:
        return raw
    buffered = io.BufferedRandom(raw) if "+" in mode else io.BufferedWriter(raw)
    return buffered if "b" in mode else io.TextIOWrapper(buffered, encoding=encoding or "utf-8", newline=newline)


def _fill(folder: Path, leave: int) -> None:
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
        except OSError:
            pass
    with open(filler, "ab", buffering=0) as handle:  # the last blocks, smaller than the writes above
        try:
            while True:
                handle.write(b"\0" * 512)
        except OSError:
            pass
    os.truncate(filler, max(0, filler.stat().st_size - leave))


class SmallDisk:
    def __init__(self, folder: Path):
        self.folder = folder

    def fill(self, free: int) -> None:
        """Fill the disk until `free` bytes are left."""
        _fill(self.folder, free)

    def unfill(self) -> None:
        (self.folder / "filler").unlink(missing_ok=True)


@contextmanager
def small_disk(folder: Path, size: str = "16m") -> Iterator[SmallDisk]:
    """A tmpfs of `size` mounted at `folder` (root only: skipped otherwise), unmounted at the end."""
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (not root): the injected ENOSPC tests cover this")
    try:
        yield SmallDisk(folder)
    finally:
        import gc

        gc.collect()  # files the test left open on it
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


