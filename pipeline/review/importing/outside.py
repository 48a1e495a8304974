"""Text typed outside the table: every paragraph before or after the review table that the run did not write
itself is kept with the document (reviewed.json's `outside_text`) and reported by the import."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

from pipeline.core.errors import ReviewError
from pipeline.core.release import ModelInfo, Release, TranslatedRelease
from pipeline.files.manifest import file_sha256
from pipeline.review.importing.text import line_key
from pipeline.review.read.reader import outside_paragraphs, read_review_document
from pipeline.review.write.worklist import from_manifest
from pipeline.review.write.writer import DEMO_WARNING, build_review_document


def typed_outside(document, manifest: dict[str, Any], manifest_path: Path, lang: str) -> list[dict[str, str]]:
    """{"where", "text"} of each paragraph outside the table of `document` (as read) that the run did not write."""
    if not document.outside:
        return []
    generated = generated_outside(manifest, manifest_path, lang)
    return [{"where": where, "text": text} for where, text in document.outside if line_key(text) not in generated]


def generated_outside(manifest: dict[str, Any], manifest_path: Path, lang: str) -> set[str]:
    """The paragraphs outside the table that the run itself wrote in the `lang` review document (the header block),
    so that what a reviewer typed there can be told apart and kept.

    The header is rebuilt by the writer from what the manifest recorded (so it follows the writer), with the
    run's own document (when its bytes are still those the manifest recorded) and the demo banner as well.
    """
    lines = {line_key(DEMO_WARNING), line_key("Worklist: " + from_manifest(manifest, lang).line())}
    try:
        doc = rebuilt_header(manifest, lang)
        lines |= {line_key(text) for _, text in outside_paragraphs(doc.element.body)}
    except Exception:  # the writer or the manifest changed shape: rely on the original document below
        pass
    written = (manifest.get("documents") or {}).get(lang) or {}
    original = Path(manifest_path).parent / str(written.get("path") or "")
    try:
        if written.get("path") and original.is_file() and file_sha256(original) == written.get("sha256"):
            lines |= {line_key(text) for _, text in read_review_document(original).outside}
    except (OSError, ReviewError):
        pass
    return lines


def rebuilt_header(manifest: dict[str, Any], lang: str):
    """The `lang` review document the run would write for no segments, from the manifest's records."""
    source = (manifest.get("source") or {}).get("path") or manifest.get("release") or "release"
    release = Release(path=Path(source), paragraphs_text=[], notes=list(manifest.get("notes") or []))
    known = {f.name for f in fields(ModelInfo)}
    models = {
        code: ModelInfo(**{k: v for k, v in model.items() if k in known})
        for code, model in (manifest.get("models") or {}).items()
        if isinstance(model, dict)
    }
    glossary = manifest.get("glossary") or {}
    translated = TranslatedRelease(
        release,
        {lang: []},
        models,
        glossary_path=Path(glossary["path"]) if glossary.get("path") else None,
        glossary_hash=glossary.get("hash"),
        uncovered_names=list(glossary.get("uncovered_names") or []),
    )
    return build_review_document(
        translated, lang, generated_at=manifest.get("generated_at", ""), source_label=str(source), run_id=manifest["run_id"]
    )
