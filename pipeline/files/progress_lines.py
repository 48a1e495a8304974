"""Progress for logs: a plain line every few seconds while a long step runs, for stderr that is not a terminal.

On a terminal the CLI draws tqdm bars; in a log (CI, cron, `… 2> backfill.log`) a bar is noise and no bar is
silence, so an archive backfill could not be watched. `ProgressLines` is a `progress(done, total)` callback that
writes

    translate zh-TW: 1,200/10,000 segments (12%), 31 s

at most once per `interval` seconds (counted from the first call of a pass), and a closing "… done" line when the
pass took that long: a step that ends within the interval writes nothing, so short runs log what they logged
before. One callback serves several passes (each translate call, each document): `done` going back starts a new one.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

__all__ = ["INTERVAL_SECONDS", "ProgressLines"]

INTERVAL_SECONDS = 5.0


class ProgressLines:
    """`progress(done, total)` → a line on `stream` at most every `interval` seconds (see the module docstring)."""

    def __init__(
        self,
        what: str,
        unit: str,
        *,
        stream: TextIO | None = None,
        interval: float | None = None,  # None: INTERVAL_SECONDS
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.what, self.unit, self.clock = what, unit, clock
        self.interval = INTERVAL_SECONDS if interval is None else interval
        self.stream = stream
        self._started: float | None = None
        self._last = 0.0
        self._previous = 0
        self.lines = 0  # written in the current pass

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if self._started is None or done < self._previous:  # a new pass (the next call, release or document)
            self._started, self._last, self.lines = now, now, 0
        self._previous = done
        finished = done >= total
        if finished and not self.lines and now - self._started < self.interval:
            self._started = None  # a short pass: nothing to say
            return
        if not finished and now - self._last < self.interval:
            return
        self._last = now
        elapsed = now - (self._started if self._started is not None else now)
        percent = f" ({100 * done // total}%)" if total else ""
        state = ", done" if finished else ""
        stream = self.stream if self.stream is not None else sys.stderr
        print(f"{self.what}: {done:,}/{total:,} {self.unit}{percent}, {elapsed:.0f} s{state}", file=stream, flush=True)
        self.lines += 1
        if finished:
            self._started, self.lines = None, 0
