"""Write one review document of N synthetic segments; print JSON: seconds to write, peak RSS, bytes written.

    python benchmarks/_write_probe.py CODE_ROOT N LANG OUT.docx [publish]

CODE_ROOT is the tree whose `pipeline` package is imported (this checkout, or an earlier commit unpacked by
bench.py for the "before" figures). Run as a fresh process per figure so that peak RSS is this write's own.
With `publish`, the published pair (`build_publication` + `build_bilingual`) is written instead, all segments
counted as reviewed.
"""

import json
import resource
import sys
import time
from pathlib import Path

code_root, n, lang, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
mode = sys.argv[5] if len(sys.argv) > 5 else "review"
sys.path.insert(0, code_root)
sys.path.insert(1, str(Path(__file__).resolve().parent))

from synthetic_release import synthetic_release  # noqa: E402

root = Path(code_root)
tr = synthetic_release(n, langs=(lang,), source=root / "samples" / "kmu-kumamoto-mou-2025.txt", glossary=root / "glossaries")
import docx  # noqa: E402,F401  (imported before the clock starts, as in a run that has written before)

if mode == "publish":
    from pipeline.publish.formats.bilingual import build_bilingual  # noqa: E402
    from pipeline.publish.formats.docx_plain import build_publication  # noqa: E402
    from pipeline.publish.plan import PublishedSegment  # noqa: E402
else:
    from pipeline.review.write.writer import write_review_docx  # noqa: E402

rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
started, cpu_started = time.perf_counter(), time.process_time()
if mode == "publish":
    segments = [
        PublishedSegment(s.id, s.kind, s.paragraph, s.source, s.trailing, t.text, "reviewed")
        for s, t in zip(tr.release.segments, tr.translations[lang])
    ]
    manifest = {"release": tr.release.name, "run_id": "bench", "models": {}}
    build_publication(manifest, lang, segments).save(str(out))
    build_bilingual(manifest, lang, segments).save(str(out.with_suffix(".bilingual.docx")))
else:
    write_review_docx(tr, lang, out, generated_at="2026-11-29T12:00:00+00:00", source_label="bench", run_id="bench")
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
print(json.dumps({
    "segments": n,
    "seconds": seconds,
    "per_segment_ms": 1000 * seconds / n,
    "cpu_seconds": cpu,
    "cpu_per_segment_ms": 1000 * cpu / n,
    "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "rss_before_write_mib": rss_before,
    "bytes": out.stat().st_size,
}))
