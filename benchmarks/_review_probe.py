"""Prepare a reviewed run folder of N synthetic segments for the import/publish benchmark.

    python benchmarks/_review_probe.py CODE_ROOT N OUT_DIR [EDIT_SHARE]

With CODE_ROOT's `pipeline` (this checkout, or an earlier commit unpacked by review_bench.py): the synthetic
release (both languages) written by `pipeline.run.write_release` (review documents + manifest), then EDIT_SHARE
(default 0.1) of the rows of each review document edited in the target cell (Track Changes off: the cell's text
replaced by a changed text, as tests/support/review_edits.replace_text does: a
character inserted near the start, two replaced in the middle). Prints the release folder.
"""

import re
import sys
from pathlib import Path

code_root, n, out = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
share = float(sys.argv[4]) if len(sys.argv) > 4 else 0.1
sys.path.insert(0, str(code_root))
sys.path.insert(1, str(Path(__file__).resolve().parent))

import docx  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402

from pipeline.run import StageTimes, write_release  # noqa: E402
from synthetic_release import synthetic_release  # noqa: E402

tr = synthetic_release(n, source=code_root / "samples" / "kmu-kumamoto-mou-2025.txt", glossary=code_root / "glossaries")
result = write_release(tr, out, False, StageTimes())
every = max(1, round(1 / share)) if share > 0 else 0
for lang, path in result.documents.items():
    doc = docx.Document(str(path))
    body_rows = doc.tables[0]._tbl.findall(qn("w:tr"))[1:]  # XML: python-docx's row.cells is O(table) a call
    for k, row_xml in enumerate(body_rows):
        if not every or k % every != every // 2:
            continue
        p = row_xml.findall(qn("w:tc"))[2].find(qn("w:p"))
        runs = p.findall(qn("w:r"))
        text = "".join(t.text or "" for r in runs for t in r.iter(qn("w:t")))
        # A typical post-edit: a character added near the start, two replaced in the middle, never inside a glossary
        # term's target (a damaged term sends the row to glossary review and publish would refuse it).
        translation = tr.translations[lang][k] if k < len(tr.translations[lang]) else None
        terms = [m.span() for t in (translation.terms if translation else []) if t.target
                 for m in re.finditer(re.escape(t.target), text)]  # fmt: skip

        def outside(at: int, width: int = 0) -> int:
            for start, end in sorted(terms):
                if start < at + width and at < end:
                    at = end
            return min(at, len(text))

        first = outside(2)
        middle = outside(max(first, len(text) // 2), 2)
        edited = text[:first] + "的" + text[first:middle] + "新規" + text[middle + 2 :]
        for r in runs[1:]:
            p.remove(r)
        first = runs[0]
        for t in first.findall(qn("w:t")):
            first.remove(t)
        t = first.makeelement(qn("w:t"), {})
        t.set(qn("xml:space"), "preserve")
        t.text = edited
        first.append(t)
    doc.save(str(path))
print(result.manifest.parent)
