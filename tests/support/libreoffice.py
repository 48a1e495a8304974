"""A reviewer with LibreOffice: start a headless soffice, drive it through UNO, stop it. For tests and scripts.

Usage (pytest: the session fixture `libreoffice` in conftest.py does the starting and skips WITH A REASON when
soffice or python3-uno is missing)::

    from support.libreoffice import LibreOffice, op, WORD_2007, OOXML_TEXT

    with LibreOffice(tmp_path / "lo") as lo:                     # own profile folder, free loopback port
        lo.edit(review_docx,
                op.author("Reviewer Lin"),                       # user name stamped on tracked changes/comments
                op.track_changes(),                              # Edit → Track Changes → Record
                op.replace_in_cell(3, 2, "協議", "協定"),          # row 3, column 2 of the first table
                op.comment(3, 2, "check the name", anchor="熊本"),
                op.save(out_docx, WORD_2007))                    # or OOXML_TEXT, ODT, DOC, PDF
        lo.convert(out_docx, out_pdf, PDF)                       # open + save with another filter

`edit(path, *ops)` opens `path` hidden (no window), applies the ops in order, closes it without saving over it
(save with `op.save`), and returns one result per op (None for ops that return nothing). Rows and columns count
from 0 and include the header row: in a review document row 0 is the header, column 0 the ID, 1 English,
2 the target language, 3 Notes.

Ops (all in `op`):

    author(name)                        user name for later changes in this soffice ("" → "Unknown Author")
    track_changes(on=True)              record changes from here on
    set_cell(row, col, text)            replace the whole cell text (tracked when recording)
    replace_in_cell(row, col, old, new, occurrence=1)   select `old` in the cell and type `new` over it
    type_in_cell(row, col, text, at="end"|"start"|N)    insert characters (U+3000, U+00A0, tab, 神 ... kept as typed)
    comment(row, col, text, author="", anchor=None)     an annotation on `anchor` (whole cell if None)
    type_at_end(text)                   Ctrl+End then type, as a reviewer adding a remark below everything
    accept_all()                        Edit → Track Changes → Accept All
    cell_text(row, col) → str           what Writer holds in the cell (paragraphs joined by "\\n")
    table_size() → [rows, cols]
    redlines() → [{"type", "author"}]   tracked changes present
    comments() → [{"author", "text"}]
    save(path, filter)                  store a copy with a filter name (constants below)

Views: headless soffice 7.4 aborts when a document that has a view (even a hidden one) holds or gets a comment,
so documents are loaded with no view at all; only `accept_all` and a PDF `save` load one, and they refuse a
document with comments (split such work into two `edit` calls: accept first, comment after). An edit that took
soffice down anyway restarts it on the next call.

The UNO side runs in /usr/bin/python3 (`tests/support/libreoffice_uno.py`, one process per `edit`), because python3-uno
belongs to the OS Python, not the project's venv. soffice is stopped through UNO (Desktop.terminate), then by pid
(its own process group, started here) if it has not exited.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

WORD_2007 = "MS Word 2007 XML"  # File → Save As → "Word 2007–365 (.docx)"
OOXML_TEXT = "Office Open XML Text"  # "Office Open XML Text (Transitional) (.docx)"
ODT = "writer8"
DOC = "MS Word 97"
PDF = "writer_pdf_Export"

OS_PYTHON = "/usr/bin/python3"
UNO_SCRIPT = Path(__file__).resolve().with_name("libreoffice_uno.py")
START_TIMEOUT_S = 120  # first start with an empty profile; a busy shared machine is slow
EDIT_TIMEOUT_S = 300


_WATCHDOG = """
import os, signal, sys, time
owner, group = int(sys.argv[1]), int(sys.argv[2])
while True:
    time.sleep(2)
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        sys.exit(0)  # soffice is gone: nothing to watch
    try:
        os.kill(owner, 0)
    except ProcessLookupError:
        os.killpg(group, signal.SIGKILL)  # the Python that started soffice died without stopping it
        sys.exit(0)
"""


class LibreOfficeUnavailable(RuntimeError):
    """soffice or python3-uno is missing, or soffice did not start: the message says which."""


def unavailable_reason() -> str | None:
    """Why LibreOffice cannot be driven here, or None when it can (soffice on PATH and `import uno` works)."""
    if shutil.which("soffice") is None:
        return "LibreOffice is not installed (no soffice on PATH; apt-get install libreoffice-writer-nogui)"
    if not Path(OS_PYTHON).exists():
        return f"{OS_PYTHON} is missing: python3-uno belongs to the OS Python"
    probe = subprocess.run([OS_PYTHON, "-c", "import uno"], capture_output=True, text=True, timeout=60)
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["?"])[-1]
        return f"python3-uno is not installed for {OS_PYTHON} ({last}; apt-get install python3-uno)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _op(_kind: str, **fields) -> dict:
    return {"op": _kind, **{k: v for k, v in fields.items() if v is not None}}


op = SimpleNamespace(
    author=lambda name: _op("author", name=name),
    track_changes=lambda on=True: _op("track_changes", on=on),
    set_cell=lambda row, col, text, table=0: _op("set_cell", row=row, col=col, text=text, table=table),
    replace_in_cell=lambda row, col, old, new, occurrence=1, table=0: _op(
        "replace_in_cell", row=row, col=col, old=old, new=new, occurrence=occurrence, table=table
    ),
    type_in_cell=lambda row, col, text, at="end", table=0: _op(
        "type_in_cell", row=row, col=col, text=text, at=at, table=table
    ),
    comment=lambda row, col, text, author="", anchor=None, table=0: _op(
        "comment", row=row, col=col, text=text, author=author, anchor=anchor, table=table
    ),
    type_at_end=lambda text: _op("type_at_end", text=text),
    accept_all=lambda: _op("accept_all"),
    cell_text=lambda row, col, table=0: _op("cell_text", row=row, col=col, table=table),
    table_size=lambda table=0: _op("table_size", table=table),
    redlines=lambda: _op("redlines"),
    comments=lambda: _op("comments"),
    save=lambda path, filter: _op("save", path=str(Path(path).resolve()), filter=filter),
)


class LibreOffice:
    """One headless soffice with its own profile folder, listening for UNO on a free loopback port."""

    def __init__(self, workdir: Path):
        self.workdir = Path(workdir)
        self.profile = self.workdir / "profile"
        self.port = 0
        self.process: subprocess.Popen | None = None
        self._watchdog: subprocess.Popen | None = None
        self.log = self.workdir / "soffice.log"

    # --- lifetime ------------------------------------------------------------------------------------------------
    def start(self) -> "LibreOffice":
        reason = unavailable_reason()
        if reason:
            raise LibreOfficeUnavailable(reason)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = _free_port()
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [
                    "soffice",
                    f"-env:UserInstallation={self.profile.resolve().as_uri()}",
                    "--headless", "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
                    f"--accept=socket,host=127.0.0.1,port={self.port};urp;",
                ],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stop() can end soffice.bin by our pid
            )  # fmt: skip
        # If this Python dies without stop() (killed by a timeout, SIGKILL), a watchdog ends soffice's process group,
        # so no soffice outlives the test session that started it.
        self._watchdog = subprocess.Popen(
            [sys.executable, "-c", _WATCHDOG, str(os.getpid()), str(self.process.pid)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None and self.process.returncode != 81:  # 81: restart after first start
                raise LibreOfficeUnavailable(f"soffice exited with {self.process.returncode}: {self._log_tail()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    pass
                self._call({"ops": [], "probe": True}, probe=True)
                return self
            except (OSError, RuntimeError):
                time.sleep(0.5)
        self.stop()
        raise LibreOfficeUnavailable(f"soffice did not accept UNO connections in {START_TIMEOUT_S}s: {self._log_tail()}")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                self._call({"terminate": True}, timeout=30)
            except (RuntimeError, subprocess.TimeoutExpired):
                pass
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # the group we started: soffice.bin under oosplash
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
        self.process = None
        if self._watchdog is not None:
            self._watchdog.kill()
            self._watchdog.wait(timeout=30)
            self._watchdog = None

    def __enter__(self) -> "LibreOffice":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- work ----------------------------------------------------------------------------------------------------
    def edit(self, path: Path, *ops: dict) -> list:
        """Open `path` hidden, apply `ops` in order, close it; one result per op (see the module docstring)."""
        return self._call({"open": str(Path(path).resolve()), "ops": list(ops)})["results"]

    def convert(self, path: Path, out: Path, filter: str) -> Path:
        """Save a copy of `path` as `out` with filter `filter` (PDF, WORD_2007, ODT, ...)."""
        self.edit(path, op.save(out, filter))
        return Path(out)

    def _call(self, request: dict, *, probe: bool = False, timeout: float = EDIT_TIMEOUT_S) -> dict:
        if self.process is None:
            raise RuntimeError("LibreOffice is not started")
        if not probe and self.process.poll() is not None:  # an earlier edit took soffice down: a fresh one
            self.process = None
            self.start()
        request = {**request, "port": self.port}
        proc = subprocess.run(
            [OS_PYTHON, str(UNO_SCRIPT)], input=json.dumps(request), capture_output=True, text=True, timeout=timeout,
            env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")},
        )  # fmt: skip
        if proc.returncode != 0:
            died = "" if probe or self.process.poll() is None else f" (soffice exited: {self._log_tail()})"
            raise RuntimeError(f"UNO script failed ({request.get('open')}){died}: {proc.stderr.strip()[-2000:]}")
        return json.loads(proc.stdout)

    def _log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-500:].strip() or "(no output)"
        except OSError:
            return "(no log)"
