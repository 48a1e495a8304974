"""Which release and run a reviewed document belongs to: its manifest (`--manifest`, else
`<release>.manifest.json` next to the document, release = the document's core property `title`), the run that
wrote it (core property `identifier`, or, if a tool dropped it, the header's "Run:" line; an earlier run's
manifest is kept by `translate run` in `.runs/`), and the release's review record next to the manifest."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.core.errors import ReviewError
from pipeline.files.manifest import read_manifest
from pipeline.files.release_folder import ReleasePaths
from pipeline.memory import reviews


@dataclass
class Located:
    """The manifest of the run that wrote a document (an earlier run's, kept, when the document is older)."""

    manifest_path: Path  # the manifest named or found (the release's current one)
    manifest: dict[str, Any]  # the manifest of the document's own run
    run_id: str


def release_paths(manifest_path: Path, release: str | None) -> ReleasePaths:
    """The release's files (its lock among them) for the manifest at `manifest_path` whose `release` field is
    given (a manifest without one: its file name up to the first dot)."""
    manifest_path = Path(manifest_path)
    return ReleasePaths(manifest_path.parent, release or manifest_path.name.split(".")[0])


def reviewed_path(manifest: Path) -> Path:
    """`<release>.reviewed.json` next to `<release>.manifest.json` (named in one place: ReleasePaths)."""
    manifest = Path(manifest)
    name = manifest.name
    stem = name[: -len(".manifest.json")] if name.endswith(".manifest.json") else manifest.stem
    return ReleasePaths(manifest.parent, stem).reviewed


def read_reviewed_file(path: Path) -> dict[str, Any]:
    """The release's review data: from its record `<release>.reviewed.sqlite`, the store of record, else from a
    reviewed.json written before the record existed (pipeline/memory/reviews.py)."""
    return reviews.load(path)


def load_reviewed(manifest_path: Path, manifest: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """lang → segment id → reviewed entry, for the manifest's run (empty if nothing was imported)."""
    data = read_reviewed_file(reviewed_path(manifest_path))
    run = data["runs"].get(manifest.get("run_id"), {})
    return {lang: block.get("segments", {}) for lang, block in run.items() if isinstance(block, dict)}


def find_manifest(docx: Path, meta: dict, given: Path | None) -> Path:
    if given is not None:
        given = Path(given)
        if given.is_dir():
            found = sorted(given.glob("*.manifest.json"))
            if len(found) != 1:
                raise ReviewError(f"{given}: expected one <release>.manifest.json in this folder, found {len(found)}.")
            return found[0]
        return given
    folder = Path(docx).parent
    title = meta.get("title")
    if title:
        candidate = folder / f"{title}.manifest.json"
        if candidate.exists():
            return candidate
    found = sorted(folder.glob("*.manifest.json"))
    if len(found) == 1:
        return found[0]
    expected = f"{title}.manifest.json" if title else "<release>.manifest.json"
    raise ReviewError(
        f"{docx}: no {expected} next to it; pass the run's manifest with --manifest "
        "(it is in the release's output folder)."
    )


def earlier_run_manifest(path: Path, meta: dict, manifest_path: Path, manifest: dict, doc_run: str) -> dict:
    """The manifest of the earlier run that wrote `path`, kept by `translate run` in `.runs/`; else refuse."""
    release = manifest.get("release") or ""
    title = meta.get("title")
    if title and release and title != release:
        raise ReviewError(
            f"Refused {path}: it is a review document of release {title}, and {manifest_path} is release {release}. "
            f"Import it with {title}'s manifest (--manifest {title}.manifest.json in its output folder)."
        )
    kept = ReleasePaths(manifest_path.parent, release).earlier_manifest(doc_run)
    if kept is None or not kept.is_file():
        raise ReviewError(
            f"Refused {path}: it comes from another run ({doc_run}); {manifest_path} is run {manifest['run_id']} and "
            "that run's manifest is not kept here. Import it with that run's manifest (--manifest), or send the "
            "reviewer the current document."
        )
    return read_manifest(kept)


def locate(path: Path, meta: dict, given: Path | None) -> Located:
    """The manifest and run of the review document at `path` (whose core properties are `meta`); refuse a
    document that does not say which run wrote it, or whose run's manifest is not kept."""
    manifest_path = find_manifest(path, meta, given)
    manifest = read_manifest(manifest_path)
    run_id = manifest["run_id"]
    doc_run = meta.get("identifier") or meta.get("run")
    if not doc_run:
        raise ReviewError(
            f"Refused {path}: it does not say which run wrote it (no identifier in File → Properties, no 'Run:' line); "
            "it is not a review document of this pipeline, or its header was deleted."
        )
    if doc_run != run_id:
        manifest = earlier_run_manifest(path, meta, manifest_path, manifest, doc_run)
        run_id = doc_run
    return Located(manifest_path, manifest, run_id)
