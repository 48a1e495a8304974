"""`translate review import`: a reviewed document comes back; its pairs go to the memory and to publish.

For each document (docs/review.md):

1. Read it (`reader.read_review_document`): the target column with tracked changes accepted, comments, Notes.
2. Find its manifest (`--manifest`, else `<release>.manifest.json` next to the document, release = the
   document's core property `title`) and refuse (`ReviewError`, exit 6), naming the rows, a document
   * from another run: core property `identifier` (or, if a tool dropped it, the header's "Run:" line) differs
     from the manifest's `run_id`;
   * whose core property `language` disagrees with the table's target column header (繁體中文 for zh-TW, 日本語
     for ja: `writer.language_style(lang).column`);
   * with rows deleted, added, reordered, or whose ID or English cell was altered;
   * identical, byte for byte, to what the run wrote (nobody saved it: not reviewed), unless `accept_unedited`;
   * damaged or truncated (the reader's `ReviewError`).
   Nothing is imported from a refused document.
3. Per segment, the reviewed text: the target cell's paragraphs (and line breaks) joined as the language writes
   them — nothing between CJK text in zh/ja, a space otherwise (`typography.join_pieces`): a reviewer's Enter
   inside a cell never becomes a line break in the published text (the paragraphs are kept as read). Every
   character the reviewer typed is stored as typed: no Unicode normalisation (神 U+FA19 and 﨑 U+FA11 in a name
   stay), U+3000, no-break spaces and tabs kept; only ASCII spaces and line breaks at the ends of a piece go.
   Status: unchanged / edited / emptied, comparing copies with runs of ASCII spaces collapsed (`_same_text`), so a
   changed character, even one NFC would fold, is an edit.
4. Glossary: every APPROVED glossary term in the English (the glossary from `--glossary`, else the run's
   glossary file if it still exists, else the terms the manifest recorded) must keep its target form
   (`glossary.terms.contains_target`: width and spacing tolerant). If not: flag `glossary-changed` (the machine
   text had it, the reviewer changed it) or `glossary-missing` (neither had it); the pair goes to the memory as
   `needs-glossary-review`, never as approved, and publish refuses the segment.
5. Post-edit figures between the machine output (hypothesis) and the reviewed text (reference), with sacrebleu:
   chrF (character n-grams, order 6, β 2) and TER (case-sensitive). For zh and ja TER is computed on characters
   (every non-space character is a token; sacrebleu's own tokenizers split CJK poorly), for other languages on
   words. Per segment, and in total (corpus-level); emptied and verbatim segments are left out. Each pair is
   scored once and unchanged pairs not at all; segments over 100 tokens get TER without shifts (pipeline/review/scores.py).
6. Merge with the other documents of the same run and language already imported (`_merge`; docs/review.md,
   "Several documents"): per segment, an edit beats an unchanged row whatever the order; two documents that edited
   a segment to different texts refuse the later one (`ReviewError`) unless `override`; a document imported again
   under the same file name replaces its own earlier values (taking back an edit needs `override`); bytes already
   imported (same sha256, any name) change nothing.
7. Write, under the release's lock, in ONE SQLite transaction (pipeline/memory/reviews.py): the memory (nothing
   is added twice; only what the merged view uses) and the release's review record `<release>.reviewed.sqlite`
   next to the manifest (only if something changed); then its readable copy `<release>.reviewed.json`. Verbatim
   segments (copied, not translated) and emptied ones are not stored in the memory; nor are UNCHANGED segments
   of a DEMO-model run (their target is a copy of the English, not a translation a reviewer approved).

Comments anchored in a row, and lines a reviewer added to the Notes cell, are kept as the segment's reviewer
notes (reviewed.json and the memory's `comment`); comments outside the table are kept with the document, and so
is text typed outside the table (`outside_text`: every paragraph before or after the table that the run did not
write itself, `_generated_outside`), which the import also reports.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipeline.core.release import Flag, Segment, Span, TermUse, Translation, normalize
from pipeline.core.errors import ReviewError
from pipeline.review.approval import approval_of, read_mark
from pipeline.review.scores import METRIC_NOTE, post_edit_scores  # scored once per pair, cached (issue 14)
from pipeline.language.typography import join_pieces

__all__ = [
    "DocumentImport",
    "SegmentReview",
    "find_manifest",
    "import_review",
    "load_reviewed",
    "post_edit_scores",
    "reviewed_path",
    "reviewed_text",
    "unnamed_author",
]

REVIEWED_SCHEMA = 1
UNCHANGED, EDITED, EMPTIED = "unchanged", "edited", "emptied"


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
    flags: list[str] = field(default_factory=list)  # glossary-changed, glossary-missing, split-cell, tracked-changes
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
    marks: list[dict] | None = None  # inline formatting of `text` read from the target cell (review_marks.py)

    @property
    def qa_errors(self) -> list[dict[str, str]]:
        return [f for f in self.qa if f.get("severity") == "error"]

    @property
    def approved(self) -> bool:
        return (
            self.status != EMPTIED
            and self.approval is not None
            and not ({"glossary-changed", "glossary-missing"} & set(self.flags))
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

    @property
    def glossary_flagged(self) -> list[SegmentReview]:
        return [s for s in self.segments if {"glossary-changed", "glossary-missing"} & set(s.flags)]

    @property
    def unapproved(self) -> list[SegmentReview]:
        """Rows nobody approved (not edited, no OK mark, no --approve-all): drafts."""
        return [s for s in self.segments if s.approval is None and s.origin != "verbatim"]

    @property
    def qa_flagged(self) -> list[SegmentReview]:
        """Rows whose reviewed text has quality-check errors (not approved) or warnings."""
        return [s for s in self.segments if s.qa]

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": str(self.path),
            "lang": self.lang,
            "release": self.release,
            "run_id": self.run_id,
            "manifest": str(self.manifest),
            "reviewed": str(self.reviewed_file),
            "counts": {k: self.count(k) for k in (UNCHANGED, EDITED, EMPTIED)},
            "unapproved": [s.id for s in self.unapproved],
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


# --------------------------------------------------------------------------------------------- files


def _release_paths(manifest_path: Path, release: str | None):
    """The release's files (outputs.ReleasePaths, its lock among them) for the manifest at `manifest_path` whose
    `release` field is given (a manifest without one: its file name up to the first dot)."""
    from pipeline.files.release_folder import ReleasePaths

    manifest_path = Path(manifest_path)
    return ReleasePaths(manifest_path.parent, release or manifest_path.name.split(".")[0])


def reviewed_path(manifest: Path) -> Path:
    """`<release>.reviewed.json` next to `<release>.manifest.json` (named in one place: outputs.ReleasePaths)."""
    from pipeline.files.release_folder import ReleasePaths

    manifest = Path(manifest)
    name = manifest.name
    stem = name[: -len(".manifest.json")] if name.endswith(".manifest.json") else manifest.stem
    return ReleasePaths(manifest.parent, stem).reviewed


def _read_reviewed_file(path: Path) -> dict[str, Any]:
    """The release's review data: from its record `<release>.reviewed.sqlite`, the store of record, else from a
    reviewed.json written before the record existed (pipeline/memory/reviews.py)."""
    from pipeline.memory import reviews

    return reviews.load(path)


def load_reviewed(manifest_path: Path, manifest: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """lang → segment id → reviewed entry, for the manifest's run (empty if nothing was imported)."""
    data = _read_reviewed_file(reviewed_path(manifest_path))
    run = data["runs"].get(manifest.get("run_id"), {})
    return {lang: block.get("segments", {}) for lang, block in run.items() if isinstance(block, dict)}


def _earlier_run_manifest(path: Path, meta: dict, manifest_path: Path, manifest: dict, doc_run: str) -> dict:
    """The manifest of the earlier run that wrote `path`, kept by `translate run` in `.runs/`; else refuse."""
    from pipeline.files.manifest import read_manifest
    from pipeline.files.release_folder import ReleasePaths

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


# --------------------------------------------------------------------------------------------- text


def reviewed_text(paragraphs: list[str], lang: str) -> str:
    """A target cell's paragraphs (and line breaks) as one segment text (see the module docstring)."""
    pieces = [piece for paragraph in paragraphs for piece in re.split(r"[\r\n\v\f\u2028\u2029]+", paragraph)]
    return join_pieces(pieces, lang)


def _same_text(a: str, b: str) -> bool:
    """Equal for the review's status: only runs of ASCII spaces are folded (never NFC: 神 U+FA19 ≠ 神 U+795E)."""
    return re.sub(" +", " ", a).strip(" ") == re.sub(" +", " ", b).strip(" ")


def _written(text: str) -> str:
    """The target text as the writer put it in the cell (control characters removed), not normalised."""
    from pipeline.review.write.writer import clean_text

    return clean_text(text)[0]


UNNAMED_AUTHORS = {"", "unknown author"}  # LibreOffice's name for changes made with no user name set


def unnamed_author(author: str) -> bool:
    """A tracked change's author that names nobody (the editor had no user name set)."""
    return author.strip().lower() in UNNAMED_AUTHORS


def _cleaned(text: str) -> str:
    from pipeline.review.write.writer import clean_text

    return normalize(clean_text(text)[0])


def _clip(text: str, width: int = 60) -> str:
    text = text.replace("\n", "⏎")
    return text if len(text) <= width else text[: width - 1] + "…"


# --------------------------------------------------------------------------------------------- checks


def _refuse(path: Path, problems: list[str], manifest: Path, column: str) -> ReviewError:
    shown = problems[:12]
    more = f"\n  … and {len(problems) - 12} more" if len(problems) > 12 else ""
    return ReviewError(
        f"Refused {path}: it does not match the run in {manifest} ({len(problems)} problem"
        f"{'s' if len(problems) != 1 else ''}); nothing was imported.\n  "
        + "\n  ".join(shown)
        + more
        + f"\n  The reviewer may edit the {column} column (and Notes) only; ask for the document again, or send "
        "the current review document."
    )


def _check_rows(path: Path, rows: list, segments: list[dict], manifest_path: Path, column: str) -> None:
    problems: list[str] = []
    expected = [s["id"] for s in segments]
    got = [r.id for r in rows]
    if got != expected:
        known = set(expected)
        present = set(got)
        missing = [i for i in expected if i not in present]
        if missing:
            problems.append(f"rows missing (deleted?): {', '.join(missing)}")
        for row in rows:
            if row.id not in known:
                what = "empty" if not row.id else repr(row.id)
                problems.append(f"row {row.row}: ID {what} is not a segment of this run (ID cell altered, or a row added)")
        seen: set[str] = set()
        for row in rows:
            if row.id in known and row.id in seen:
                problems.append(f"row {row.row}: ID {row.id} appears twice (row copied?)")
            seen.add(row.id)
        if not problems:
            order = [i for i in got if i in known]
            first = next(k for k, (a, b) in enumerate(zip(order, expected)) if a != b)
            problems.append(
                f"rows reordered (sorted?): row {first + 2} holds {order[first]}, where {expected[first]} belongs"
            )
    by_id = {s["id"]: s for s in segments}
    for row in rows:
        segment = by_id.get(row.id)
        if segment is None:
            continue
        if normalize(row.english) != _cleaned(segment["source"]):
            from pipeline.review.difference import show_difference

            problems.append(
                f"row {row.row} ({row.id}): English cell altered: "
                + show_difference(normalize(row.english), _cleaned(segment["source"]))
            )
    if problems:
        raise _refuse(path, problems, manifest_path, column)


def _check_language_column(path: Path, lang: str, columns: list[str], languages: list[str]) -> None:
    """The language property (File → Properties) must agree with the table's target column header (繁體中文, 日本語):
    a property set wrongly would file the reviewer's text under another language."""
    from pipeline.review.write.writer import language_style

    expected = language_style(lang).column
    label = normalize(columns[2]) if len(columns) > 2 else ""
    if label == normalize(expected):
        return
    others = [code for code in languages if code != lang and normalize(language_style(code).column) == label]
    heading = f"“{label}”" if label else "nothing"
    said = f" ({', '.join(others)})" if others else ""
    raise ReviewError(
        f"Refused {path}: its language property (File → Properties) says {lang}, but its table's target column is "
        f"headed {heading}{said}, where a {lang} review document's says “{expected}”; nothing was imported. Import the "
        f"{lang} review document, or correct the document's language property to the column's language."
    )


def _contains(text: str, expected: str, lang: str) -> bool:
    try:
        from pipeline.glossary.terms import contains_target
    except ImportError:  # pragma: no cover - the glossary package is optional in a partial checkout
        return normalize(expected) in normalize(text)
    return contains_target(text, expected, lang)


def _quality(segment: dict, lang: str, text: str, terms, demo: bool) -> list[dict[str, str]]:
    """The quality checks (pipeline/qa) on a reviewed text, given the segment's terms (`qa.segment_terms`);
    approved glossary terms are the glossary flags' job."""
    from pipeline.files.manifest import verbatim_spans
    from pipeline.qa import check_segment

    findings = check_segment(segment["source"], text, lang, terms, verbatim=verbatim_spans(segment), demo=demo)
    return [f.to_dict() for f in findings if f.code != "term-missing"]


def _generated_notes(segment: dict, lang: str) -> set[str]:
    """The Notes lines the writer put in this row (so that lines a reviewer added can be told apart)."""
    from pipeline.review.write.writer import CONTROL_NOTE, clean_text, segment_notes

    target = (segment.get("targets") or {}).get(lang)
    seg = Segment(
        id=segment["id"],
        kind=segment.get("kind", "sentence"),
        paragraph=segment.get("paragraph", 0),
        index=segment.get("index", 0),
        source=segment["source"],
        trailing=segment.get("trailing", ""),
        spans=[Span(s.get("start", 0), s.get("end", 0), s.get("kind", "text"), s.get("lang")) for s in segment.get("spans") or []],
    )
    translation = None
    if isinstance(target, dict):
        translation = Translation(
            seg.id,
            lang,
            target.get("text", ""),
            target.get("origin", "machine"),
            flags=[Flag(f.get("code", ""), f.get("message", "")) for f in target.get("flags") or []],
            terms=[
                TermUse(t.get("source", ""), t.get("target", ""), t.get("entry_id", ""), t.get("status", "approved"))
                for t in target.get("terms") or []
            ],
            suggestion=target.get("suggestion"),
        )
    try:
        lines = segment_notes(seg, translation)
    except Exception:  # the writer's notes changed shape: every line then counts as the reviewer's
        lines = []
    return {normalize(clean_text(line)[0]) for line in [*lines, CONTROL_NOTE]}


# --------------------------------------------------------------------------------------------- outside the table


def _line_key(text: str) -> str:
    return normalize(_cleaned(text))


def _generated_outside(manifest: dict[str, Any], manifest_path: Path, lang: str) -> set[str]:
    """The paragraphs outside the table that the run itself wrote in the `lang` review document (the header block),
    so that what a reviewer typed there can be told apart and kept.

    The header is rebuilt by the writer from what the manifest recorded (so it follows the writer), with the
    run's own document (when its bytes are still those the manifest recorded) and the demo banner as well.
    """
    from pipeline.review.read.reader import outside_paragraphs
    from pipeline.review.write.writer import DEMO_WARNING

    from pipeline.review.write.worklist import from_manifest

    lines = {_line_key(DEMO_WARNING), _line_key("Worklist: " + from_manifest(manifest, lang).line())}
    try:
        doc = _rebuilt_header(manifest, lang)
        lines |= {_line_key(text) for _, text in outside_paragraphs(doc.element.body)}
    except Exception:  # the writer or the manifest changed shape: rely on the original document below
        pass
    written = ((manifest.get("documents") or {}).get(lang) or {})
    original = Path(manifest_path).parent / str(written.get("path") or "")
    try:
        from pipeline.files.manifest import file_sha256

        if written.get("path") and original.is_file() and file_sha256(original) == written.get("sha256"):
            from pipeline.review.read.reader import read_review_document

            lines |= {_line_key(text) for _, text in read_review_document(original).outside}
    except (OSError, ReviewError):
        pass
    return lines


def _rebuilt_header(manifest: dict[str, Any], lang: str):
    """The `lang` review document the run would write for no segments, from the manifest's records."""
    from dataclasses import fields

    from pipeline.core.release import ModelInfo, Release, TranslatedRelease
    from pipeline.review.write.writer import build_review_document

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


# --------------------------------------------------------------------------------------------- import


def _load_glossary(glossary_path: Path | None, manifest: dict[str, Any]):
    path = glossary_path
    if path is None:
        recorded = (manifest.get("glossary") or {}).get("path")
        if recorded and Path(recorded).exists():
            path = Path(recorded)
    if path is None:
        return None
    try:
        from pipeline.glossary import load_glossary
    except ImportError:  # pragma: no cover
        return None
    return load_glossary(Path(path))


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
    """Import one reviewed document (see the module docstring).

    `memory`: a writable MemoryStore, a function manifest path → MemoryStore, or None (memory not written).
    `override`: where another document of the same run and language edited a segment to a different text, this
    document's text wins (else `ReviewError`); and a document re-imported under the same name may take back its
    own earlier edits.
    `approve_all`: every row is approved as it stands (the reviewer approved the whole document; approval.py);
    without it a row is approved by an edit or by an OK mark in its OK? cell, and the others are drafts.
    `render_copy=False`: reviewed.json (a copy of the record) is left for the caller to render once after
    importing several documents (`render_copies`).
    """
    from pipeline.files.manifest import file_sha256, read_manifest
    from pipeline.files.release_folder import release_lock
    from pipeline.qa import segment_terms
    from pipeline.review.read.reader import KIND_REVIEW, read_review_document
    from pipeline.review.write.writer import language_style

    path = Path(path)
    document = read_review_document(path)
    meta = document.meta
    if meta["kind"] != KIND_REVIEW:
        raise ReviewError(f"Refused {path}: a published document, not a review document.")
    manifest_path = find_manifest(path, meta, manifest_path)
    manifest = read_manifest(manifest_path)
    run_id = manifest["run_id"]
    doc_run = meta.get("identifier") or meta.get("run")
    if not doc_run:
        raise ReviewError(
            f"Refused {path}: it does not say which run wrote it (no identifier in File → Properties, no 'Run:' line); "
            "it is not a review document of this pipeline, or its header was deleted."
        )
    if doc_run != run_id:
        manifest = _earlier_run_manifest(path, meta, manifest_path, manifest, doc_run)
        run_id = doc_run
    lang = meta.get("language")
    languages = manifest.get("languages") or sorted({k for s in manifest["segments"] for k in (s.get("targets") or {})})
    if not lang or lang not in languages:
        raise ReviewError(
            f"Refused {path}: its language ({lang or 'none'}, File → Properties) is not one of run {run_id}'s "
            f"({', '.join(languages)})."
        )
    written = ((manifest.get("documents") or {}).get(lang) or {}).get("sha256")
    sha256 = file_sha256(path)
    if written and written == sha256 and not (accept_unedited or approve_all):
        raise ReviewError(
            f"Refused {path}: it is exactly the document run {run_id} wrote (nobody saved it, so it was not "
            "reviewed). If the reviewer approved it as it is, pass --approve-all."
        )
    segments = manifest["segments"]
    column = language_style(lang).column
    _check_language_column(path, lang, meta.get("columns") or [], languages)
    _check_rows(path, document.rows, segments, manifest_path, column)

    if memory is not None and callable(memory) and not hasattr(memory, "add"):
        memory = memory(manifest_path)  # a function manifest → store: the default memory lives by the run's output
    glossary = _load_glossary(glossary_path, manifest) if use_glossary else None
    demo = bool(((manifest.get("models") or {}).get(lang) or {}).get("demo"))
    last_author = (meta.get("last_modified_by") or "").strip()
    if last_author == "translation pipeline":
        last_author = ""
    reviews: list[SegmentReview] = []
    unnamed_rows: list[str] = []
    for row, segment in zip(document.rows, segments):
        target = (segment.get("targets") or {}).get(lang) or {}
        machine = _cleaned(target.get("text", ""))
        origin = target.get("origin", "machine")
        text = reviewed_text(row.target_paragraphs or [row.target], lang)
        written = reviewed_text([_written(target.get("text", ""))], lang)
        if _same_text(text, written):
            status = UNCHANGED
        else:
            status = EMPTIED if not text.strip() else EDITED
        review = SegmentReview(
            id=segment["id"],
            row=row.row,
            source=segment["source"],
            source_hash=segment.get("hash") or "",
            origin=origin,
            machine=machine,
            text=text,
            status=status,
        )
        review.marks = _review_marks(row, segment, target, text)
        if len([p for p in row.target_paragraphs if p.strip()]) > 1 or re.search(r"[\r\n]", row.target.strip()):
            review.flags.append("split-cell")
            review.paragraphs = list(row.target_paragraphs)
        if row.tracked:
            review.flags.append("tracked-changes")
        review.approval = approval_of(status, row.mark, approve_all) if origin != "verbatim" else None
        review.mark = row.mark
        if row.mark and not read_mark(row.mark)[0]:
            review.flags.append("mark-not-understood")
        review.comments = [f"{c.author}: {c.text}" if c.author else c.text for c in row.comments if c.text]
        lines = [line for line in row.notes.split("\n") if line.strip()]
        generated = _generated_notes(segment, lang) if lines else set()  # rebuilt only where there is a line to tell
        review.reviewer_notes = [line.strip() for line in lines if normalize(line) not in generated]
        if any(unnamed_author(a) for a in row.authors):
            unnamed_rows.append(review.id)
        reviewers = [a for a in row.authors if not unnamed_author(a)] + [c.author for c in row.comments if c.author]
        if not reviewers and status != UNCHANGED and last_author:
            reviewers.append(last_author)
        review.reviewers = list(dict.fromkeys(reviewers))
        if status != EMPTIED and origin != "verbatim":
            terms = segment_terms(segment, lang, glossary)
            for term in terms:
                if term.status != "approved" or _contains(text, term.target, lang):
                    continue
                code = "glossary-changed" if _contains(machine, term.target, lang) else "glossary-missing"
                if code not in review.flags:
                    review.flags.append(code)
                review.glossary.append(f"{term.source} → {term.target} not in the reviewed text")
            review.qa = _quality(segment, lang, text, terms, demo)
        reviews.append(review)

    scored = [r for r in reviews if r.status != EMPTIED and r.origin != "verbatim"]
    per, total_chrf, total_ter = post_edit_scores([(r.machine, r.text) for r in scored], lang)
    for review, (chrf, ter) in zip(scored, per):
        review.chrf, review.ter = chrf, ter

    from pipeline.memory import APPROVED, DRAFT, NEEDS_GLOSSARY_REVIEW, NEEDS_REVIEW

    for review in reviews:
        if review.origin == "verbatim":
            review.memory = "not stored: kept verbatim"
        elif review.status == EMPTIED:
            review.memory = "not stored: emptied"
        elif demo and review.status == UNCHANGED:
            review.memory = "not stored: unchanged demo-model output"
        elif review.approved:
            review.memory = APPROVED
        elif review.approval is None:
            review.memory = DRAFT
        else:
            review.memory = NEEDS_GLOSSARY_REVIEW if review.glossary else NEEDS_REVIEW

    result = DocumentImport(
        path=path,
        lang=lang,
        release=manifest.get("release", ""),
        run_id=run_id,
        manifest=manifest_path,
        reviewed_file=reviewed_path(manifest_path),
        segments=reviews,
        chrf=total_chrf,
        ter=total_ter,
        demo=demo,
        document_comments=[f"{c.author}: {c.text}" if c.author else c.text for c in document.comments if c.text],
        unnamed_author_rows=unnamed_rows,
    )
    from pipeline.review.write.worklist import from_manifest

    result.worklist = from_manifest(manifest, lang).line()
    if document.outside:
        generated = _generated_outside(manifest, manifest_path, lang)
        result.outside_text = [
            {"where": where, "text": text} for where, text in document.outside if _line_key(text) not in generated
        ]
    with release_lock(_release_paths(manifest_path, manifest.get("release"))):
        # Read, merge and check under the lock: another import of this release waits for this one.
        plan = _plan(result, sha256, manifest, override)
        from pipeline.memory import reviews

        # The memory and the release's review record in ONE transaction: never one without the other.
        added = reviews.commit(result.reviewed_file, plan.data, memory, plan.entries, render=render_copy)
        if added is not None:
            result.memory_new, result.memory_updated, result.memory_unchanged = added.new, added.updated, added.unchanged
            result.memory_path = memory.path
        result.reviewed_changed = plan.data is not None
    return result


def render_copies(results: list[DocumentImport]) -> None:
    """Render each release's reviewed.json once from its record, under the release's lock, after imports made
    with `render_copy=False` (a 2,000-row release's copy is 4 MB: rendering it after every document of a command
    was a tenth of the import)."""
    from pipeline.memory.reviews import render_json
    from pipeline.files.release_folder import release_lock

    done: set[Path] = set()
    for result in results:
        if result.reviewed_file in done:
            continue
        done.add(result.reviewed_file)
        with release_lock(_release_paths(result.manifest, result.release)):
            render_json(result.reviewed_file)


# --------------------------------------------------------------------------------------------- merging documents


@dataclass
class _Plan:
    entries: list  # NewEntry, for the memory
    data: dict[str, Any] | None  # reviewed.json to write, or None when nothing changed


def _review_marks(row, segment: dict, target: dict, text: str) -> list[dict] | None:
    """The target cell's inline formatting placed in the reviewed text; None when neither the English nor the
    cell has any (documents of runs before formatting was carried)."""
    from pipeline.translation.inline_tags import remap_marks

    if row.target_marks is None:
        return None
    raw, marks = row.target_marks
    if not marks and not segment.get("marks") and not target.get("marks"):
        return None
    return [m.to_json() for m in remap_marks(raw, text, marks)]


def _segment_record(s: SegmentReview) -> dict[str, Any]:
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
    }


def _documents(block: Any) -> dict[str, dict[str, Any]]:
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


def _edit_key(entry: dict[str, Any]) -> tuple[str, str]:
    return (entry.get("status", UNCHANGED), entry.get("text", ""))


def _is_edit(entry: dict[str, Any] | None) -> bool:
    return isinstance(entry, dict) and entry.get("status", UNCHANGED) != UNCHANGED


def _merge(documents: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Segment id → the entry the release uses, merged over the documents (docs/review.md, "Several documents"):

    * a segment edited (or emptied) in one or more documents takes the edit: a document that left it unchanged
      never overrides another's edit;
    * edits that disagree: the document whose --override for that segment was given last wins (an override stands
      while that document keeps the text, even when it is imported again for other rows), else the first
      imported; the others are listed under `other_edits`;
    * a segment no document edited: the latest document's entry;
    * comments and reviewer notes of every document are kept together.
    """
    ordered = sorted(documents.items(), key=lambda item: (item[1].get("order", 0), item[0]))
    ids: list[str] = []
    for _, record in ordered:
        ids += [sid for sid in record.get("segments", {}) if sid not in ids]
    merged: dict[str, dict[str, Any]] = {}
    for sid in ids:
        entries = [(name, record, record["segments"][sid]) for name, record in ordered if sid in record.get("segments", {})]
        edits = [item for item in entries if _is_edit(item[2])]
        if edits:
            if len({_edit_key(entry) for _, _, entry in edits}) == 1:
                winner = edits[-1]
            else:
                chosen = []
                for item in edits:
                    given = (item[1].get("overrides") or {}).get(sid)
                    if isinstance(given, dict) and _edit_key(given) == _edit_key(item[2]):
                        chosen.append((given.get("at", 0), item))
                winner = max(chosen, key=lambda pair: pair[0])[1] if chosen else edits[0]
        else:
            # No edit: the latest document that approved the row (an OK mark) wins over one that left it a draft.
            approved = [item for item in entries if item[2].get("approval", "legacy") is not None]
            winner = approved[-1] if approved else entries[-1]
        name, _, entry = winner
        result = dict(entry)
        result["document"] = name
        result["comments"] = list(dict.fromkeys(c for _, _, e in entries for c in e.get("comments") or []))
        result["reviewer_notes"] = list(dict.fromkeys(n for _, _, e in entries for n in e.get("reviewer_notes") or []))
        others = [
            {"document": other, "text": e.get("text", ""), "status": e.get("status")}
            for other, _, e in edits
            if other != name and _edit_key(e) != _edit_key(entry)
        ]
        if others:
            result["other_edits"] = others
        merged[sid] = result
    return merged


def _shown(entry: dict[str, Any]) -> str:
    return "(emptied)" if entry.get("status") == EMPTIED else f"“{_clip(entry.get('text', ''))}”"


def _shown_pair(mine: dict[str, Any], theirs: dict[str, Any]) -> tuple[str, str]:
    """Two edits of one row, quoted at their first differing place (a few words either side), not cut at 60."""
    if EMPTIED in (mine.get("status"), theirs.get("status")):
        return _shown(mine), _shown(theirs)
    from pipeline.review.difference import quote_pair

    return quote_pair(mine.get("text", ""), theirs.get("text", ""))


def _plan(result: DocumentImport, sha256: str, manifest: dict[str, Any], override: bool) -> _Plan:
    """Merge this document into the run+language's record; refuse it (`ReviewError`) where it would silently
    replace another document's edit or one of its own earlier edits; the memory entries to add."""
    from pipeline.memory import NewEntry
    from pipeline.memory.store import STATUSES, now_iso

    data = _read_reviewed_file(result.reviewed_file)
    data.setdefault("release", result.release)
    run = data["runs"].setdefault(result.run_id, {})
    block = run.get(result.lang)
    documents = _documents(block)
    before = _merge(documents) if documents else {}
    name = result.path.name
    by_id = {s.id: s for s in result.segments}

    same = next((other for other, record in documents.items() if record.get("sha256") == sha256), None)
    if same is not None:
        # These exact bytes were imported already (under this name or another): nothing to record again.
        result.already_imported_as = same
        own = same
        changed_ids: set[str] = set()
        merged = before
    else:
        own = name
        earlier = documents.get(name)
        disagreements: list[tuple[str, str]] = []  # (other document, the row's line)
        undone: list[str] = []
        overrides: dict[str, dict[str, Any]] = {}
        order = max([r.get("order", 0) for r in documents.values()] + [0]) + 1
        for review in result.segments:
            mine = _segment_record(review)
            kept = (earlier or {}).get("segments", {}).get(review.id) if earlier else None
            if _is_edit(mine):
                if kept is not None and _edit_key(kept) == _edit_key(mine):
                    old = (earlier.get("overrides") or {}).get(review.id)
                    if isinstance(old, dict) and _edit_key(old) == _edit_key(mine):
                        overrides[review.id] = old  # an override given earlier stands (from then) while the text does
                    continue  # the same edit as this document's last import: any disagreement was settled then
                for other, record in documents.items():
                    theirs = record.get("segments", {}).get(review.id)
                    if other != name and _is_edit(theirs) and _edit_key(theirs) != _edit_key(mine):
                        disagreements.append((
                            other,
                            f"row {review.row} ({review.id}): {_shown_pair(mine, theirs)[0]} here, "
                            f"{_shown_pair(mine, theirs)[1]} in {other} "
                            f"(imported {str(record.get('imported_at') or '')[:16].replace('T', ' ')})",
                        ))
                        overrides[review.id] = {"status": mine["status"], "text": mine["text"], "at": order}
            elif _is_edit(kept):
                undone.append(f"row {review.row} ({review.id}): {_shown(kept)} before, the machine text now")
        if (disagreements or undone) and not override:
            raise _refuse_merge(result, name, disagreements, undone)
        record = {
            "sha256": sha256,
            "imported_at": now_iso(),
            "order": order,
            "chrf": result.chrf,
            "ter": result.ter,
            "document_comments": result.document_comments,
            "outside_text": result.outside_text,
            "overrides": overrides,
            "segments": {s.id: _segment_record(s) for s in result.segments},
        }
        documents = {other: r for other, r in documents.items() if other != name}
        documents[name] = record
        merged = _merge(documents)
        changed_ids = {sid for sid, entry in merged.items() if before.get(sid) != entry}

    # What the report says about segments whose text another document's edit decides.
    for sid, entry in merged.items():
        review = by_id.get(sid)
        mine = _segment_record(review) if review is not None else None
        if mine is None or entry.get("document") == own or not _is_edit(entry) or _edit_key(entry) == _edit_key(mine):
            continue
        other = entry["document"]
        review.used = f"{other}'s edit " + ("is used (it was imported with --override)" if _is_edit(mine) else "is kept")
        if review.memory in STATUSES:
            review.memory = f"not stored: {other}'s edit is used"

    # The memory gets what the release now uses: this document's segments where it decides, and any segment whose
    # merged entry changed (an override, or a document taking back its own edit).
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
    if same is not None:
        return _Plan(entries, None)

    scored = [e for e in merged.values() if e.get("status") != EMPTIED and e.get("origin") != "verbatim"]
    _, total_chrf, total_ter = post_edit_scores([(e.get("machine", ""), e.get("text", "")) for e in scored], result.lang)
    ordered = sorted(documents.items(), key=lambda item: (item[1].get("order", 0), item[0]))
    new_block = {
        "imported_at": now_iso(),
        "document": name,  # the latest document imported (its hash: pipeline/files/release_folder.py `imported_hashes`)
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
    run[result.lang] = new_block
    return _Plan(entries, data)


def _refuse_merge(result: DocumentImport, name: str, disagreements: list[tuple[str, str]], undone: list[str]) -> ReviewError:
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
    lines += [f"  {line}" for line in rows[:12]]
    if len(rows) > 12:
        lines.append(f"  … and {len(rows) - 12} more")
    return ReviewError("\n".join(lines))
