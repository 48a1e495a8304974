"""Explicit approval of review rows (docs/review.md, "Approving rows").

The review table's last column, headed `OK?`, is the row's status: the reviewer types a mark there (OK, ✓, x, …)
to approve a row as it is. A plain typed mark, because Word and LibreOffice both edit it the same way, with or
without Track Changes (a drop-down content control is shown by LibreOffice, but not reliably kept on save).

A row is approved when
* the reviewer edited (or emptied) its target text: the edit is the approval ("edited");
* its status cell holds an approval mark ("marked");
* the whole document was approved at import with `--approve-all` ("approve-all").
Anything else is a draft: stored as such in the memory, never reused as approved, never over a reviewer's text.
"""

from __future__ import annotations

import unicodedata

STATUS_COLUMN = "OK?"
EDITED, MARKED, APPROVE_ALL = "edited", "marked", "approve-all"

# Compared after NFKC and casefold; what reviewers type for "yes, fine" in English, Chinese and Japanese.
APPROVE_MARKS = frozenset(
    {"ok", "okay", "✓", "✔", "☑", "✅", "y", "yes", "x", "approved", "approve", "done", "○", "◯", "〇", "◎",
     "済", "済み", "承認", "確認", "確認済", "可", "好", "核准", "通過", "同意", "對", "是"}
)  # fmt: skip


def read_mark(text: str) -> tuple[bool, str]:
    """(approved, the mark as typed, trimmed). A mark that is not an approval mark does not approve."""
    typed = " ".join(text.split())
    folded = unicodedata.normalize("NFKC", typed).casefold().strip(" .!。！")
    return folded in APPROVE_MARKS, typed


def approval_of(status: str, mark: str, approve_all: bool) -> str | None:
    """How a row was approved (EDITED, MARKED, APPROVE_ALL), or None: not approved."""
    if status != "unchanged":
        return EDITED
    if read_mark(mark)[0]:
        return MARKED
    if approve_all:
        return APPROVE_ALL
    return None


def counts_for(entry: dict, segment: dict) -> bool:
    """Whether an imported row (an entry of the review record) counts for `segment` of a run's manifest: imported
    for that segment's English (the same source hash; a record from before hashes has none) and approved (a row
    nobody approved is a draft: as if not imported; a record from before approval has no `approval` key)."""
    return entry.get("source_hash") in (None, "", segment.get("hash")) and entry.get("approval", "legacy") is not None
