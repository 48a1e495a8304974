"""What an import writes, under the release's lock, in ONE SQLite transaction (pipeline/memory/reviews.py): the
memory (nothing is added twice; only what the merged view uses) and the release's review record
`<release>.reviewed.sqlite` next to the manifest (only if something changed); then its readable copy
`<release>.reviewed.json`. Bytes already imported (same sha256, any name) change nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.files.release_folder import release_lock
from pipeline.memory import NewEntry, reviews
from pipeline.memory.store import STATUSES, now_iso
from pipeline.review.importing.locate import read_reviewed_file, release_paths
from pipeline.review.importing.merge import (
    add_document,
    documents_of,
    edit_key,
    in_order,
    is_edit,
    merge,
    segment_record,
)
from pipeline.review.importing.results import EMPTIED, DocumentImport
from pipeline.review.scores import METRIC_NOTE, post_edit_scores


@dataclass
class Plan:
    entries: list[NewEntry]  # for the memory
    data: dict[str, Any] | None  # reviewed.json to write, or None when nothing changed


def commit(result: DocumentImport, sha256: str, manifest: dict[str, Any], memory, *, override: bool, render_copy: bool) -> None:
    """Merge `result` into the release's record and write the record and the memory, under the release's lock."""
    with release_lock(release_paths(result.manifest, manifest.get("release"))):
        # Read, merge and check under the lock: another import of this release waits for this one.
        plan = plan_record(result, sha256, manifest, override)
        # The memory and the release's review record in ONE transaction: never one without the other.
        added = reviews.commit(result.reviewed_file, plan.data, memory, plan.entries, render=render_copy)
        if added is not None:
            result.memory_new, result.memory_updated, result.memory_unchanged = added.new, added.updated, added.unchanged
            result.memory_path = memory.path
        result.reviewed_changed = plan.data is not None


def render_copies(results: list[DocumentImport]) -> None:
    """Render each release's reviewed.json once from its record, under the release's lock, after imports made
    with `render_copy=False` (a 2,000-row release's copy is 4 MB: rendering it after every document of a command
    was a tenth of the import)."""
    done: set[Path] = set()
    for result in results:
        if result.reviewed_file in done:
            continue
        done.add(result.reviewed_file)
        with release_lock(release_paths(result.manifest, result.release)):
            reviews.render_json(result.reviewed_file)


def plan_record(result: DocumentImport, sha256: str, manifest: dict[str, Any], override: bool) -> Plan:
    """Merge this document into the run+language's record; refuse it (`ReviewError`) where it would silently
    replace another document's edit or one of its own earlier edits; the memory entries to add."""
    data = read_reviewed_file(result.reviewed_file)
    data.setdefault("release", result.release)
    run = data["runs"].setdefault(result.run_id, {})
    documents = documents_of(run.get(result.lang))
    before = merge(documents) if documents else {}

    same = next((other for other, record in documents.items() if record.get("sha256") == sha256), None)
    if same is not None:
        # These exact bytes were imported already (under this name or another): nothing to record again.
        result.already_imported_as = same
        own = same
        changed_ids: set[str] = set()
        merged = before
    else:
        own = result.path.name
        documents = add_document(result, sha256, documents, override)
        merged = merge(documents)
        changed_ids = {sid for sid, entry in merged.items() if before.get(sid) != entry}

    note_decided_elsewhere(result, merged, own)
    entries = memory_entries(result, manifest, merged, own, changed_ids)
    if same is not None:
        return Plan(entries, None)
    run[result.lang] = language_block(result, sha256, documents, merged)
    return Plan(entries, data)


def note_decided_elsewhere(result: DocumentImport, merged: dict[str, dict[str, Any]], own: str) -> None:
    """What the report says about segments whose text another document's edit decides."""
    by_id = {s.id: s for s in result.segments}
    for sid, entry in merged.items():
        review = by_id.get(sid)
        mine = segment_record(review) if review is not None else None
        if mine is None or entry.get("document") == own or not is_edit(entry) or edit_key(entry) == edit_key(mine):
            continue
        other = entry["document"]
        review.used = f"{other}'s edit " + ("is used (it was imported with --override)" if is_edit(mine) else "is kept")
        if review.memory in STATUSES:
            review.memory = f"not stored: {other}'s edit is used"


def memory_entries(
    result: DocumentImport, manifest: dict[str, Any], merged: dict[str, dict[str, Any]], own: str, changed_ids: set[str]
) -> list[NewEntry]:
    """What the release now uses: this document's segments where it decides, and any segment whose merged entry
    changed (an override, or a document taking back its own edit)."""
    entries = []
    sources = {s["id"]: s["source"] for s in manifest["segments"]}
    for sid, entry in merged.items():
        if sid not in sources or not (entry.get("document") == own or sid in changed_ids):
            continue
        if entry.get("memory") not in STATUSES:
            continue
        entries.append(
            NewEntry(
                source=sources[sid],
                lang=result.lang,
                target=entry.get("text", ""),
                status=entry["memory"],
                document=entry.get("document"),
                release=manifest.get("release"),
                run_id=result.run_id,
                segment_id=sid,
                reviewer=", ".join(entry.get("reviewers") or []) or None,
                comment="\n".join((entry.get("comments") or []) + (entry.get("reviewer_notes") or [])) or None,
            )
        )
    return entries


def language_block(
    result: DocumentImport, sha256: str, documents: dict[str, dict[str, Any]], merged: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """The run+language block of the record: every document's record, the merged view and its totals."""
    scored = [e for e in merged.values() if e.get("status") != EMPTIED and e.get("origin") != "verbatim"]
    _, total_chrf, total_ter = post_edit_scores([(e.get("machine", ""), e.get("text", "")) for e in scored], result.lang)
    ordered = in_order(documents)
    return {
        "imported_at": now_iso(),
        "document": result.path.name,  # the latest document imported (its hash: release_folder.py `imported_hashes`)
        "sha256": sha256,
        "chrf": total_chrf,
        "ter": total_ter,
        "metrics": METRIC_NOTE,
        "demo": result.demo,
        "document_comments": list(dict.fromkeys(c for _, r in ordered for c in r.get("document_comments") or [])),
        "outside_text": [dict(item, document=n) for n, r in ordered for item in r.get("outside_text") or []],
        "documents": dict(ordered),
        "segments": merged,
    }
