"""Quality checks of a translation, one registry applied at three points (docs/review.md, "Checks and the gate"):

* `translate run`: the machine output (and text taken from the memory), as flags in the review document's Notes;
* `translate review import`: what the reviewer typed, per row and in the summary;
* `translate publish`: every segment about to be published, against the CURRENT glossary (the gate).

Each check is a function of (English segment, target text, language, glossary terms) → findings, in its own file
under `pipeline/qa/checks/` (kind per folder, variant per file); `checks/__init__.py` lists them. A finding's
severity is "error" (blocks publishing) or "warning" (shown to the reviewer).
"""

from __future__ import annotations

from pipeline.qa.base import ERROR, WARNING, Finding, Term
from pipeline.qa.run import (
    check_segment,
    check_translation,
    prepared_source,
    run_checks,
    segment_terms,
    terms_from_glossary,
    terms_from_manifest,
)

__all__ = [
    "ERROR",
    "WARNING",
    "Finding",
    "Term",
    "check_segment",
    "check_translation",
    "prepared_source",
    "run_checks",
    "segment_terms",
    "terms_from_glossary",
    "terms_from_manifest",
]
