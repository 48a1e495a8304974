"""Run the CLI in a subprocess under a memory cap (`resource.setrlimit`) and a wall-clock timeout.

Where a bound is the point of a test, the old behaviour (reading 12 GB, expanding an alias bomb) must fail the test
rather than eat the machine, and a hang (a FIFO) must fail it rather than stop the suite.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GiB = 1024**3


def run_capped(args: list[str], *, memory: int = int(1.5 * GiB), timeout: float = 180, env: dict | None = None,
               cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`python -m pipeline ARGS` with its address space capped at `memory` bytes."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    environment = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=cap,
        env=environment,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
    )


def assert_one_line_error(result: subprocess.CompletedProcess, code: int, *words: str) -> str:
    """The run exited `code` with one `Error:` line holding `words`, and no traceback; the line."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    assert result.returncode == code, (result.returncode, output[-3000:])
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr[-3000:]
    for word in words:
        assert word in errors[0], errors[0]
    return errors[0]
