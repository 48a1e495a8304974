"""A long real `python -m pipeline run` in a subprocess, sent a signal part-way through."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from support.paths import ROOT, SAMPLE


def signalled_long_run(tmp_path: Path, sig: int) -> tuple[Path, Path, subprocess.Popen, str]:
    """A real `python -m pipeline run` over 10 releases, sent `sig` once two are done (somewhere inside the next):
    (the releases folder, the output folder, the ended process, its stderr)."""
    releases = tmp_path / "releases"
    releases.mkdir()
    for k in range(10):
        shutil.copy(SAMPLE, releases / f"release-{k:02d}.txt")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "pipeline", "run", str(releases), "--out", str(out), "--no-glossary", "--quiet"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if len(list(out.glob("*/*.manifest.json"))) >= 2:
                break
            time.sleep(0.01)
        time.sleep(0.05)  # somewhere inside the next release
        assert process.poll() is None, f"the run finished before {signal.Signals(sig).name}: give it more releases"
    finally:
        process.send_signal(sig)
        _, stderr = process.communicate(timeout=120)
    return releases, out, process, stderr
