"""`import_review`: one reviewed document through the import's steps, in order (see the package docstring)."""

from __future__ import annotations

from pathlib import Path

from pipeline.review.importing.locate import locate, reviewed_path
from pipeline.review.importing.outside import typed_outside
from pipeline.review.importing.record import commit
from pipeline.review.importing.results import DocumentImport
from pipeline.review.importing.rows import load_run_glossary, review_rows
from pipeline.review.importing.validate import check_kind, validate
from pipeline.review.read.reader import read_review_document
from pipeline.review.write.worklist import from_manifest


def import_review(
    path: Path,
    *,
    manifest_path: Path | None = None,
    memory=None,
    glossary_path: Path | None = None,
    use_glossary: bool = True,
    accept_unedited: bool = False,
    override: bool = False,
    approve_all: bool = False,
    render_copy: bool = True,
) -> DocumentImport:
    """Import one reviewed document (see the package docstring).

    `memory`: a writable MemoryStore, a function manifest path → MemoryStore, or None (memory not written).
    `override`: where another document of the same run and language edited a segment to a different text, this
    document's text wins (else `ReviewError`); and a document re-imported under the same name may take back its
    own earlier edits.
    `approve_all`: every row is approved as it stands (the reviewer approved the whole document; approval.py);
    without it a row is approved by an edit or by an OK mark in its OK? cell, and the others are drafts.
    `render_copy=False`: reviewed.json (a copy of the record) is left for the caller to render once after
    importing several documents (`render_copies`).
    """
    path = Path(path)
    document = read_review_document(path)
    check_kind(path, document.meta)
    located = locate(path, document.meta, manifest_path)
    lang, sha256 = validate(path, document, located, accept_unedited=accept_unedited or approve_all)
    manifest = located.manifest

    if memory is not None and callable(memory) and not hasattr(memory, "add"):
        memory = memory(located.manifest_path)  # a function manifest → store: the default memory lives by the run's output
    glossary = load_run_glossary(glossary_path, manifest) if use_glossary else None
    demo = bool(((manifest.get("models") or {}).get(lang) or {}).get("demo"))
    rows = review_rows(document, manifest, lang, glossary=glossary, demo=demo, approve_all=approve_all)
    result = DocumentImport(
        path=path,
        lang=lang,
        release=manifest.get("release", ""),
        run_id=located.run_id,
        manifest=located.manifest_path,
        reviewed_file=reviewed_path(located.manifest_path),
        segments=rows.segments,
        chrf=rows.chrf,
        ter=rows.ter,
        demo=demo,
        document_comments=[f"{c.author}: {c.text}" if c.author else c.text for c in document.comments if c.text],
        unnamed_author_rows=rows.unnamed_author_rows,
    )
    result.worklist = from_manifest(manifest, lang).line()
    result.outside_text = typed_outside(document, manifest, located.manifest_path, lang)
    commit(result, sha256, manifest, memory, override=override, render_copy=render_copy)
    return result
