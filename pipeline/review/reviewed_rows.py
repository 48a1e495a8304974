"""The rows reviewers approved in a release, read from its review record (`<release>.reviewed.sqlite`, the store of
record of what `translate review import` took in: pipeline/memory/reviews.py), with their English from the run's
manifest: what `translate glossary suggest --from-reviews` learns from (pipeline/glossary/learn.py).

Every run the record holds is read, the current run first; an earlier run's rows come with its kept manifest
(`.runs/<run_id>.json`), and only for English that a later run's reviewed rows of the language do not already hold
(a rerun's review replaces the earlier one). A row counts as the publish step counts it: imported for the run's
own English (same source hash), approved (edited, marked OK, or imported with `--approve-all`) and not emptied.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.files.manifest import read_manifest
from pipeline.files.release_folder import ReleasePaths
from pipeline.glossary.learn import ReviewedRow
from pipeline.memory import reviews
from pipeline.review.approval import counts_for
from pipeline.review.importing.locate import reviewed_path
from pipeline.review.importing.results import EDITED, EMPTIED

__all__ = ["reviewed_rows"]


def reviewed_rows(manifest_path: Path) -> list[ReviewedRow]:
    """The approved reviewed rows of the release whose current manifest is `manifest_path`, every language.
    A damaged manifest or record is a `ReviewError` naming it."""
    manifest_path = Path(manifest_path)
    manifest = read_manifest(manifest_path)
    release = str(manifest.get("release") or manifest_path.name.split(".")[0])
    runs = reviews.load(reviewed_path(manifest_path)).get("runs", {})
    current = manifest.get("run_id")
    order = sorted(runs, key=lambda run_id: run_id != current)  # the current run first, then the record's order
    rows: list[ReviewedRow] = []
    seen: set[tuple[str, str]] = set()  # (lang, English) already taken from a later run
    for run_id in order:
        run_manifest = manifest if run_id == current else _earlier(manifest_path, release, run_id)
        if run_manifest is None or not isinstance(runs[run_id], dict):
            continue
        taken: set[tuple[str, str]] = set()
        for lang, block in runs[run_id].items():
            segments = block.get("segments") if isinstance(block, dict) else None
            if isinstance(segments, dict):
                for row in _rows(release, lang, run_manifest, segments):
                    if (lang, row.english) not in seen:
                        rows.append(row)
                        taken.add((lang, row.english))
        seen |= taken
    return rows


def _earlier(manifest_path: Path, release: str, run_id: str) -> dict[str, Any] | None:
    kept = ReleasePaths(manifest_path.parent, release).earlier_manifest(run_id)
    return read_manifest(kept) if kept is not None and kept.is_file() else None


def _rows(release: str, lang: str, manifest: dict[str, Any], segments: dict[str, Any]):
    for segment in manifest.get("segments") or []:
        entry = segments.get(segment.get("id"))
        if not isinstance(entry, dict) or entry.get("status") == EMPTIED or not counts_for(entry, segment):
            continue  # emptied, reviewed for other English, or a draft nobody approved
        yield ReviewedRow(
            release=release,
            segment=str(segment["id"]),
            lang=lang,
            english=str(segment.get("source") or ""),
            text=str(entry.get("text") or ""),
            machine=str(entry.get("machine") or ""),
            edited=entry.get("status") == EDITED,
        )
