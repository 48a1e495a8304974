"""Several documents of the same run and language (copies sent to several reviewers) merged per segment
(docs/review.md, "Several documents"): an edit beats an unchanged row whatever the order; two documents that
edited a segment to different texts refuse the later one (`ReviewError`) unless `override`; a document imported
again under the same file name replaces its own earlier values (taking back an edit needs `override`)."""

from __future__ import annotations

from typing import Any

from pipeline.core.errors import ReviewError
from pipeline.memory.store import now_iso
from pipeline.review.difference import quote_pair
from pipeline.review.importing.results import (
    EMPTIED,
    UNCHANGED,
    DocumentImport,
    SegmentReview,
)
from pipeline.review.importing.text import clip

ROWS_SHOWN = 12  # a refusal lists this many rows, then how many more


def segment_record(s: SegmentReview) -> dict[str, Any]:
    """A row as the review record keeps it (one document's entry for one segment)."""
    return {
        "source_hash": s.source_hash,
        "origin": s.origin,
        "machine": s.machine,
        "text": s.text,
        "status": s.status,
        "approved": s.approved,
        "flags": s.flags,
        "glossary": s.glossary,
        "comments": s.comments,
        "reviewer_notes": s.reviewer_notes,
        "reviewers": s.reviewers,
        "paragraphs": s.paragraphs,
        "chrf": s.chrf,
        "ter": s.ter,
        "memory": s.memory,
        "qa": s.qa,
        "approval": s.approval,
        "mark": s.mark,
        **({"marks": s.marks} if s.marks is not None else {}),
        **({"hidden_text": s.hidden_text} if s.hidden_text else {}),  # typed hidden in the target cell: kept, unpublished
    }


def documents_of(block: Any) -> dict[str, dict[str, Any]]:
    """The per-document records of a run+language block (a block written before documents were merged holds one
    document: its fields at the top level)."""
    if not isinstance(block, dict):
        return {}
    documents = block.get("documents")
    if isinstance(documents, dict):
        return {name: record for name, record in documents.items() if isinstance(record, dict)}
    if isinstance(block.get("segments"), dict) and block.get("document"):
        return {
            block["document"]: {
                "sha256": block.get("sha256"),
                "imported_at": block.get("imported_at"),
                "order": 1,
                "chrf": block.get("chrf"),
                "ter": block.get("ter"),
                "document_comments": block.get("document_comments") or [],
                "outside_text": block.get("outside_text") or [],
                "overrides": {},
                "segments": block["segments"],
            }
        }
    return {}


def edit_key(entry: dict[str, Any]) -> tuple[str, str]:
    return (entry.get("status", UNCHANGED), entry.get("text", ""))


def is_edit(entry: dict[str, Any] | None) -> bool:
    return isinstance(entry, dict) and entry.get("status", UNCHANGED) != UNCHANGED


def in_order(documents: dict[str, dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """The documents in the order they were first imported."""
    return sorted(documents.items(), key=lambda item: (item[1].get("order", 0), item[0]))


def merge(documents: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Segment id → the entry the release uses, merged over the documents (docs/review.md, "Several documents"):

    * a segment edited (or emptied) in one or more documents takes the edit: a document that left it unchanged
      never overrides another's edit;
    * edits that disagree: the document whose --override for that segment was given last wins (an override stands
      while that document keeps the text, even when it is imported again for other rows), else the first
      imported; the others are listed under `other_edits`;
    * a segment no document edited: the latest document's entry;
    * comments and reviewer notes of every document are kept together.
    """
    ordered = in_order(documents)
    ids: list[str] = []
    for _, record in ordered:
        ids += [sid for sid in record.get("segments", {}) if sid not in ids]
    merged: dict[str, dict[str, Any]] = {}
    for sid in ids:
        entries = [(name, record, record["segments"][sid]) for name, record in ordered if sid in record.get("segments", {})]
        edits = [item for item in entries if is_edit(item[2])]
        name, record, entry = _winner(sid, entries, edits)
        result = dict(entry)
        result["document"] = name
        if record.get("path"):  # where that copy was imported from: refusals name it there
            result["document_path"] = record["path"]
        result["comments"] = list(dict.fromkeys(c for _, _, e in entries for c in e.get("comments") or []))
        result["reviewer_notes"] = list(dict.fromkeys(n for _, _, e in entries for n in e.get("reviewer_notes") or []))
        others = [
            {"document": other, "text": e.get("text", ""), "status": e.get("status")}
            for other, _, e in edits
            if other != name and edit_key(e) != edit_key(entry)
        ]
        if others:
            result["other_edits"] = others
        merged[sid] = result
    return merged


def _winner(sid: str, entries: list[tuple], edits: list[tuple]) -> tuple:
    """The (document, record, entry) whose entry the release uses for segment `sid` (see `merge`)."""
    if edits:
        if len({edit_key(entry) for _, _, entry in edits}) == 1:
            return edits[-1]
        chosen = []
        for item in edits:
            given = (item[1].get("overrides") or {}).get(sid)
            if isinstance(given, dict) and edit_key(given) == edit_key(item[2]):
                chosen.append((given.get("at", 0), item))
        return max(chosen, key=lambda pair: pair[0])[1] if chosen else edits[0]
    # No edit: the latest document that approved the row (an OK mark) wins over one that left it a draft.
    approved = [item for item in entries if item[2].get("approval", "legacy") is not None]
    return approved[-1] if approved else entries[-1]


def shown(entry: dict[str, Any]) -> str:
    return "(emptied)" if entry.get("status") == EMPTIED else f"“{clip(entry.get('text', ''))}”"


def shown_pair(mine: dict[str, Any], theirs: dict[str, Any]) -> tuple[str, str]:
    """Two edits of one row, quoted at their first differing place (a few words either side), not cut at 60."""
    if EMPTIED in (mine.get("status"), theirs.get("status")):
        return shown(mine), shown(theirs)
    return quote_pair(mine.get("text", ""), theirs.get("text", ""))


def add_document(
    result: DocumentImport, sha256: str, documents: dict[str, dict[str, Any]], override: bool
) -> dict[str, dict[str, Any]]:
    """The documents with this one's record in place of any earlier import under its name; refuse it
    (`ReviewError`) where it would silently replace another document's edit or one of its own earlier edits."""
    name = result.path.name
    earlier = documents.get(name)
    disagreements: list[tuple[str, str]] = []  # (other document, the row's line)
    undone: list[str] = []
    overrides: dict[str, dict[str, Any]] = {}
    order = max([r.get("order", 0) for r in documents.values()] + [0]) + 1
    for review in result.segments:
        mine = segment_record(review)
        kept = (earlier or {}).get("segments", {}).get(review.id) if earlier else None
        if is_edit(mine):
            if kept is not None and edit_key(kept) == edit_key(mine):
                old = (earlier.get("overrides") or {}).get(review.id)
                if isinstance(old, dict) and edit_key(old) == edit_key(mine):
                    overrides[review.id] = old  # an override given earlier stands (from then) while the text does
                continue  # the same edit as this document's last import: any disagreement was settled then
            for other, record in documents.items():
                theirs = record.get("segments", {}).get(review.id)
                if other != name and is_edit(theirs) and edit_key(theirs) != edit_key(mine):
                    disagreements.append((other, _disagreement(review, mine, theirs, other, record)))
                    overrides[review.id] = {"status": mine["status"], "text": mine["text"], "at": order}
        elif is_edit(kept):
            undone.append(f"row {review.row} ({review.id}): {shown(kept)} before, the machine text now")
    if (disagreements or undone) and not override:
        raise refuse_merge(result, name, disagreements, undone)
    record = {
        "sha256": sha256,
        "path": str(result.path.resolve()),  # the copy imported, by its path: what publish's refusals name
        "imported_at": now_iso(),
        "order": order,
        "chrf": result.chrf,
        "ter": result.ter,
        "document_comments": result.document_comments,
        "outside_text": result.outside_text,
        "overrides": overrides,
        "segments": {s.id: segment_record(s) for s in result.segments},
    }
    documents = {other: r for other, r in documents.items() if other != name}
    documents[name] = record
    return documents


def _disagreement(review: SegmentReview, mine: dict, theirs: dict, other: str, record: dict) -> str:
    return (
        f"row {review.row} ({review.id}): {shown_pair(mine, theirs)[0]} here, "
        f"{shown_pair(mine, theirs)[1]} in {other} "
        f"(imported {str(record.get('imported_at') or '')[:16].replace('T', ' ')})"
    )


def refuse_merge(result: DocumentImport, name: str, disagreements: list[tuple[str, str]], undone: list[str]) -> ReviewError:
    """One line that says what happened and what to do, then the rows."""
    problems: list[str] = []
    actions: list[str] = []
    if disagreements:
        others = ", ".join(dict.fromkeys(other for other, _ in disagreements))
        problems.append(f"{len(disagreements)} row(s) were edited differently in {others}")
        actions.append(
            "agree on one text and import the corrected document, or import this one again with --override to make "
            f"its text win (the other text stays in {result.reviewed_file.name})"
        )
    if undone:
        problems.append(
            f"{len(undone)} row(s) the earlier import of a document named {name} had edited are back to the machine "
            "text here"
        )
        actions.append(
            "if this is another reviewer's copy, rename it (e.g. add the reviewer's name) and import it again; if the "
            "reviewer undid those edits, import it with --override"
        )
    lines = [
        f"Refused {result.path} ({result.lang}, run {result.run_id}): {'; '.join(problems)}; nothing was imported — "
        + "; ".join(actions)
        + "."
    ]
    rows = [line for _, line in disagreements] + undone
    lines += [f"  {line}" for line in rows[:ROWS_SHOWN]]
    if len(rows) > ROWS_SHOWN:
        lines.append(f"  … and {len(rows) - ROWS_SHOWN} more")
    return ReviewError("\n".join(lines))
