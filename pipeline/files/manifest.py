"""The run manifest: `<out>/<release>/<release>.manifest.json`, next to the review documents.

It records what a run produced and from what (source file and its hash, glossary and its hash, models), and every
segment with its translations, so that a reviewed document can be checked against the run it claims to belong
to (`run_id`, document hashes) and its edits matched to segments by id.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.core.errors import ReviewError
from pipeline.core.limits import JSON_MAX_BYTES, LimitExceeded, read_bounded
from pipeline.core.release import Segment, TranslatedRelease, Translation
from pipeline.files.atomic import atomic_write_text

__all__ = [
    "SCHEMA_VERSION",
    "build_manifest",
    "file_sha256",
    "manifest_path",
    "read_manifest",
    "recorded_glossary_path",
    "segments_by_id",
    "write_manifest",
]

SCHEMA_VERSION = 1


def manifest_path(out: str | os.PathLike[str], release_name: str) -> Path:
    """Where a release's manifest lives: `<out>/<release>/<release>.manifest.json`."""
    return Path(out) / release_name / f"{release_name}.manifest.json"


def file_sha256(path: str | os.PathLike[str]) -> str:
    """Hex SHA-256 of a file's bytes (e.g. a written review document, for `build_manifest(documents=...)`)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _source_sha256(path: Path) -> str | None:
    try:
        return file_sha256(path) if path.is_file() else None
    except OSError:
        return None


def _target(translation: Translation) -> dict[str, Any]:
    return {
        "text": translation.text,
        "origin": translation.origin,
        "flags": [
            {"code": f.code, "message": f.message, **({"severity": f.severity} if f.severity else {})}
            for f in translation.flags
        ],
        "terms": [
            {
                "source": t.source,
                "target": t.target,
                "entry_id": t.entry_id,
                "status": t.status,
                "start": t.start,
                "end": t.end,
            }
            for t in translation.terms
        ],
        "suggestion": translation.suggestion,
        **({"marks": [m.to_json() for m in translation.marks]} if translation.marks else {}),
    }


def _segment(segment: Segment, targets: dict[str, Translation]) -> dict[str, Any]:
    return {
        "id": segment.id,
        "kind": segment.kind,
        "paragraph": segment.paragraph,
        "index": segment.index,
        "source": segment.source,
        "trailing": segment.trailing,
        "hash": segment.hash,
        "spans": [{"start": s.start, "end": s.end, "kind": s.kind, "lang": s.lang} for s in segment.spans],
        **({"marks": [m.to_json() for m in segment.marks]} if segment.marks else {}),
        "targets": {lang: _target(t) for lang, t in targets.items()},
    }


def build_manifest(
    tr: TranslatedRelease,
    *,
    run_id: str,
    generated_at: str,
    documents: dict[str, dict[str, str]],
    workspace: dict[str, Any] | None = None,
    memory: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The manifest of one run of one release.

    `documents`: target language → {"path": file name relative to the manifest's folder, "sha256": hex hash of
    the written .docx bytes} (see `file_sha256`). `workspace`: the workspace the run used (files/workspace.py
    `Workspace.record`: its folder, translate.toml and that file's hash), so that `review import` and `publish`
    given this release folder use the same one from any folder; `memory`: the memory the run read, {"path":
    absolute, "sha256": its hash then, None when it did not exist yet}.
    """
    release = tr.release
    by_lang = {lang: {t.segment_id: t for t in ts} for lang, ts in tr.translations.items()}
    segments = []
    for segment in release.segments:
        targets = {lang: ts[segment.id] for lang, ts in by_lang.items() if segment.id in ts}
        segments.append(_segment(segment, targets))
    return {
        "schema_version": SCHEMA_VERSION,
        "pipeline_version": __version__,
        "run_id": run_id,
        "generated_at": generated_at,
        "release": release.name,
        "source": {"path": str(release.path), "sha256": _source_sha256(Path(release.path))},
        "language": release.language,
        "language_confidence": release.language_confidence,
        "notes": list(release.notes),
        "glossary": {
            # absolute: publish and review import find the same glossary from whatever folder they run in
            "path": None if tr.glossary_path is None else os.path.abspath(tr.glossary_path),
            "hash": tr.glossary_hash,
            "uncovered_names": list(tr.uncovered_names),
            **({} if tr.glossary_path is not None else {"none": "translated with --no-glossary: no names checked"}),
        },
        **({"workspace": dict(workspace)} if workspace else {}),
        **({"memory": dict(memory)} if memory else {}),
        "languages": list(tr.translations),
        "models": {lang: asdict(model) for lang, model in tr.models.items()},
        "documents": {lang: dict(entry) for lang, entry in documents.items()},
        "segments": segments,
        **({"layout": _layout(release)} if release.origins else {}),
    }


def _layout(release) -> list[dict[str, Any]]:
    """Where each paragraph (by number, as in segment ids) sits in the source document, for publish."""
    kept = [k for k, t in enumerate(release.paragraphs_text) if t.strip()]
    if len(release.origins) != len(release.paragraphs_text):
        return []
    return [{"paragraph": number, **release.origins[k]} for number, k in enumerate(kept, start=1)]


def write_manifest(path: str | os.PathLike[str], manifest: dict[str, Any]) -> None:
    """Write `manifest` as UTF-8 JSON, atomically.

    A file name that is not valid UTF-8 (Linux names are bytes; Python keeps the bad ones as lone surrogates) cannot
    be written as UTF-8 text: then every non-ASCII character is written as a JSON escape (`\\udce9`), which `json`
    reads back as the same string, so the name still opens the same file."""
    text = json.dumps(manifest, ensure_ascii=False, indent=2)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(manifest, ensure_ascii=True, indent=2)
    atomic_write_text(path, text + "\n")


def read_manifest(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a manifest written by `write_manifest`; `ReviewError` with a one-line message if it cannot be used."""
    path = Path(path)
    rerun = "run the translation again to rebuild the output folder"
    try:
        raw = read_bounded(path, JSON_MAX_BYTES, "a manifest")
    except LimitExceeded as exc:
        if not path.exists():
            raise ReviewError(f"Manifest {path} not found: pass the output folder of the run, or {rerun}.") from None
        raise ReviewError(f"Manifest {path} {exc}; {rerun}.") from None
    except FileNotFoundError:
        raise ReviewError(f"Manifest {path} not found: pass the output folder of the run, or {rerun}.") from None
    except OSError as exc:
        raise ReviewError(f"Cannot read manifest {path}: {exc.strerror or exc}. Check the file's permissions.") from exc
    try:
        manifest = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ReviewError(f"Manifest {path} is damaged (not UTF-8 text); {rerun}.") from None
    except json.JSONDecodeError as exc:
        raise ReviewError(
            f"Manifest {path} is damaged (invalid JSON at line {exc.lineno}, column {exc.colno}); {rerun}."
        ) from None
    if not isinstance(manifest, dict):
        raise ReviewError(f"Manifest {path} is damaged (not a JSON object); {rerun}.")
    version = manifest.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ReviewError(
            f"Manifest {path} has schema version {version!r}; this pipeline reads version {SCHEMA_VERSION}: "
            f"use the pipeline version that wrote it, or {rerun}."
        )
    missing = [key for key in ("run_id", "release", "segments") if key not in manifest]
    if missing or not isinstance(manifest["segments"], list):
        what = f"missing {', '.join(missing)}" if missing else "'segments' is not a list"
        raise ReviewError(f"Manifest {path} is damaged ({what}); {rerun}.")
    return manifest


def recorded_glossary_path(manifest: dict[str, Any]) -> Path | None:
    """The glossary the run used, as the manifest records it; None for a run without one (--no-glossary).

    Manifests record it as an absolute path. One written before that (a path as given on the command line, e.g.
    `glossaries`) is taken as before, relative to the current folder: where the run was made, that is the same
    glossary."""
    recorded = (manifest.get("glossary") or {}).get("path")
    if not isinstance(recorded, str) or not recorded:
        return None
    return Path(recorded)


def verbatim_spans(segment: dict[str, Any]) -> list[tuple[int, int]]:
    """(start, end) of a manifest segment's spans kept verbatim (another language); spans that are not objects
    (a hand-edited manifest) are passed over."""
    spans = segment.get("spans") or []
    return [(s.get("start", 0), s.get("end", 0)) for s in spans if isinstance(s, dict) and s.get("kind") == "verbatim"]


def segments_by_id(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The manifest's segments keyed by segment id, in document order."""
    result: dict[str, dict[str, Any]] = {}
    for segment in manifest.get("segments", []):
        if not isinstance(segment, dict) or "id" not in segment:
            raise ReviewError("Manifest is damaged (a segment without an id); run the translation again.")
        if segment["id"] in result:
            raise ReviewError(
                f"Manifest is damaged (segment id {segment['id']} appears twice); run the translation again."
            )
        result[segment["id"]] = segment
    return result
