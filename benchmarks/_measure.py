"""Run a command; write its wall time and its own peak RSS as JSON to the file named by argv[1].

Used by bench.py instead of measuring from the benchmark process itself: on Linux a child's ru_maxrss
includes the memory of the process it was forked from (kept across exec), so a child of the benchmark,
which holds two models, would report at least the benchmark's size. This launcher is a bare interpreter
(~10 MiB), so the figure it reports is the command's own.
"""

import json
import resource
import subprocess
import sys
import time

report, cmd = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
code = subprocess.call(cmd)
wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
peak_kib = usage.ru_maxrss
with open(report, "w") as out:
    json.dump({"wall": wall, "peak_rss_mib": peak_kib / 1024, "rc": code, "cpu": usage.ru_utime + usage.ru_stime}, out)
