"""`translate review import`: a reviewed document comes back; its pairs go to the memory and to publish.

For each document (docs/review.md), in order (command.py `import_review`):

1. Read it (`reader.read_review_document`): the target column with tracked changes accepted, comments, Notes.
2. locate.py: find its manifest (`--manifest`, else `<release>.manifest.json` next to the document, release = the
   document's core property `title`) and the run that wrote it (core property `identifier`, or, if a tool
   dropped it, the header's "Run:" line); a document of an earlier run is imported with that run's kept manifest.
3. validate.py: refuse (`ReviewError`, exit 6), naming the rows, a document from another run, in a language the
   run did not write or whose property disagrees with its target column header, with rows deleted, added,
   reordered, or whose ID or English cell was altered, identical byte for byte to what the run wrote (unless
   `accept_unedited`), or damaged (the reader's `ReviewError`). Nothing is imported from a refused document.
4. rows.py: per segment, the reviewed text (text.py: every character as typed, no Unicode normalisation) against
   the machine text: unchanged / edited / emptied, approval (approval.py), glossary flags (`glossary-changed`,
   `glossary-missing`: never approved), quality checks (pipeline/qa), chrF and TER (pipeline/review/scores.py),
   the reviewer's comments and Notes lines, and what the memory is to store.
5. outside.py: text typed outside the table (every paragraph before or after the table that the run did not
   write itself) is kept with the document and reported.
6. merge.py: merged with the other documents of the same run and language already imported (docs/review.md,
   "Several documents"); disagreeing edits refuse the later document unless `override`.
7. record.py: under the release's lock, in ONE SQLite transaction (pipeline/memory/reviews.py), the memory and the
   release's review record `<release>.reviewed.sqlite`; then its readable copy `<release>.reviewed.json`.

report.py says what the command prints per document; results.py holds what each step found.
"""

from __future__ import annotations

from pipeline.review.importing.command import import_review
from pipeline.review.importing.locate import find_manifest, load_reviewed, reviewed_path
from pipeline.review.importing.record import render_copies
from pipeline.review.importing.results import DocumentImport, SegmentReview
from pipeline.review.importing.text import reviewed_text, unnamed_author

__all__ = [
    "DocumentImport",
    "SegmentReview",
    "find_manifest",
    "import_review",
    "load_reviewed",
    "render_copies",
    "reviewed_path",
    "reviewed_text",
    "unnamed_author",
]
