"""What an import found and did: one `SegmentReview` per row and one `DocumentImport` per document, filled by
each step (locate, validate, rows, outside, merge, record) and read by the report (`to_dict`: `--format json`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipeline.review.scores import METRIC_NOTE
from pipeline.review.status import DRAFT, ERROR, RowStatus, StatusCounts, count_rows, row_status

UNCHANGED, EDITED, EMPTIED = "unchanged", "edited", "emptied"
GLOSSARY_FLAGS = frozenset({"glossary-changed", "glossary-missing"})


@dataclass
class SegmentReview:
    id: str
    row: int
    source: str
    source_hash: str
    origin: str  # the run's origin: machine, memory, verbatim
    machine: str
    text: str  # the reviewed text
    status: str  # unchanged, edited, emptied
    # glossary-changed, glossary-missing, split-cell, tracked-changes, formatting-lost, mark-not-understood,
    # mark-hidden, hidden-text
    flags: list[str] = field(default_factory=list)
    glossary: list[str] = field(default_factory=list)  # what the glossary flags are about
    comments: list[str] = field(default_factory=list)  # "Author: text"
    reviewer_notes: list[str] = field(default_factory=list)  # lines the reviewer added to the Notes cell
    reviewers: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)  # the target cell as read, when it had several
    chrf: float | None = None
    ter: float | None = None
    memory: str | None = None  # status stored in the memory, or why not stored ("not stored: ...")
    used: str | None = None  # when the release uses another document's edit of this segment: whose, and why
    qa: list[dict[str, str]] = field(default_factory=list)  # quality-check findings on the reviewed text (pipeline/qa)
    approval: str | None = None  # how the reviewer approved the row (approval.py: edited, marked, approve-all), or None
    mark: str = ""  # what the row's OK? cell holds, as typed
    marks: list[dict] | None = None  # inline formatting of `text` read from the target cell (review/marks.py)
    hidden_text: str = ""  # text formatted as hidden in the target cell: not read, not published (flag hidden-text)
    hidden_mark: str = ""  # text formatted as hidden in the OK? cell: not an approval (flag mark-hidden)
    formatting_lost: list[str] = field(default_factory=list)  # the machine text's bold, italic, links not in the cell
    # what publish will change in the reviewer's text, "before → after" (house style `typography: apply`; rows.py)
    typeset: list[str] = field(default_factory=list)

    @property
    def qa_errors(self) -> list[dict[str, str]]:
        return [f for f in self.qa if f.get("severity") == "error"]

    @property
    def row_status(self) -> RowStatus:
        """Where the row stands in the one vocabulary of pipeline/review/status.py."""
        return row_status(
            origin=self.origin,
            approval=self.approval,
            emptied=self.status == EMPTIED,
            glossary=bool(GLOSSARY_FLAGS & set(self.flags)),
            errors=bool(self.qa_errors),
        )

    @property
    def approved(self) -> bool:
        return (
            self.status != EMPTIED
            and self.approval is not None
            and not (GLOSSARY_FLAGS & set(self.flags))
            and not self.qa_errors
        )


@dataclass
class DocumentImport:
    path: Path
    lang: str
    release: str
    run_id: str
    manifest: Path
    reviewed_file: Path
    segments: list[SegmentReview]
    chrf: float | None
    ter: float | None
    demo: bool
    document_comments: list[str] = field(default_factory=list)
    outside_text: list[dict[str, str]] = field(default_factory=list)  # {"where", "text"}: typed outside the table
    already_imported_as: str | None = None  # these exact bytes were imported before, under this file name
    unnamed_author_rows: list[str] = field(default_factory=list)  # tracked changes by "Unknown Author" (no user name)
    memory_new: int = 0
    memory_updated: int = 0
    memory_unchanged: int = 0
    memory_path: Path | None = None
    reviewed_changed: bool = False
    worklist: str = ""  # the document's worklist line (worklist.py), as the run wrote it

    def count(self, status: str) -> int:
        return sum(1 for s in self.segments if s.status == status)

    def status_counts(self) -> StatusCounts:
        """The rows by status (pipeline/review/status.py): what run, import and publish count alike."""
        return count_rows((s.id, s.row_status) for s in self.segments)

    def attention(self) -> list[tuple[str, list[str]]]:
        """(id, what still needs the reviewer) per row: its error kind or draft (status.py), formatting lost."""
        rows = []
        for segment in self.segments:
            status = segment.row_status
            kinds = [status.detail] if status.status == ERROR else [DRAFT] if status.status == DRAFT else []
            if segment.formatting_lost:
                kinds.append("formatting-lost")
            rows.append((segment.id, kinds))
        return rows

    def to_dict(self) -> dict[str, Any]:
        counts = self.status_counts()
        return {
            "document": str(self.path),
            "lang": self.lang,
            "release": self.release,
            "run_id": self.run_id,
            "manifest": str(self.manifest),
            "reviewed": str(self.reviewed_file),
            "counts": {k: self.count(k) for k in (UNCHANGED, EDITED, EMPTIED)},
            "unapproved": counts.not_approved,  # error rows and drafts (status.py)
            "status": {"approved": counts.approved, "errors": counts.errors, "drafts": counts.drafts, "verbatim": counts.verbatim},
            "chrf": self.chrf,
            "ter": self.ter,
            "metrics": METRIC_NOTE,
            "memory": None
            if self.memory_path is None
            else {
                "path": str(self.memory_path),
                "new": self.memory_new,
                "updated": self.memory_updated,
                "unchanged": self.memory_unchanged,
            },
            "reviewed_changed": self.reviewed_changed,
            "already_imported_as": self.already_imported_as,
            "unnamed_author_rows": self.unnamed_author_rows,
            "document_comments": self.document_comments,
            "outside_text": self.outside_text,
            "segments": [asdict(s) for s in self.segments],
        }
