"""Work a `translate run` will certainly need, started in a background thread while the models load.

Loading the two CTranslate2 models takes most of a one-release run's fixed cost (0.5-0.8 s) and happens in C++,
which releases the GIL; the Python-side one-time work -- the review writer's imports (python-docx, lxml), OpenCC's
character tables for the script checks -- can run meanwhile on the other core. (langdetect's table is not warmed
here: from its cache it takes ~20 ms, and loading it stays in the main thread, where Ctrl-C lands: detect.py.)

Nothing here changes what the run does or reports: each step is the same call the run makes later (which then
finds the work done), every step is idempotent and guarded by the same locks, and an error here is dropped -- the
run's own call meets it again and reports it as always (one line, its exit code). Ctrl-C goes to the main thread;
this thread is a daemon, so it never holds the process open.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable


def _steps(targets: Iterable[str]):
    targets = set(targets)

    def writer_imports() -> None:
        from pipeline.review.write import writer  # noqa: F401  # the point of this step: import python-docx, lxml

    def script_tables() -> None:
        from pipeline.glossary import scripts  # in the thread: OpenCC's tables are what this step loads

        scripts.load_tables(targets)

    return [writer_imports, script_tables]


def start(targets: Iterable[str]) -> threading.Thread:
    """Start the warm-up for a run into `targets`; the thread ends by itself (joining it is optional)."""
    steps = _steps(targets)

    def work() -> None:
        for step in steps:
            try:
                step()
            except Exception:  # the run's own call meets it again and reports it properly
                pass

    thread = threading.Thread(target=work, name="translate-warm-up", daemon=True)
    thread.start()
    return thread
