"""Per row, the reviewer's text against the machine's: status, approval, flags, notes, reviewers, glossary, quality
checks, post-edit scores, and what the memory is to store.

* Text and status: text.py (`reviewed_text`, `same_text`).
* Glossary: every APPROVED glossary term in the English (the glossary from `--glossary`, else the run's glossary
  file if it still exists, else the terms the manifest recorded) must keep its target form
  (`glossary.terms.contains_target`: width and spacing tolerant). If not: flag `glossary-changed` (the machine
  text had it, the reviewer changed it) or `glossary-missing` (neither had it); the pair goes to the memory as
  `needs-glossary-review`, never as approved, and publish refuses the segment.
* Post-edit figures between the machine output (hypothesis) and the reviewed text (reference), with sacrebleu:
  chrF and TER (pipeline/review/scores.py), per segment and in total; emptied and verbatim segments are left out.
* Approval: approval.py (an edit, an OK mark, or `--approve-all`).
* Comments anchored in a row, and lines a reviewer added to the Notes cell, are the segment's reviewer notes.
* Typography: with the house style's `typography: apply` (the default; `house_style:` in the glossary), what
  publish's typesetting (pipeline/language/typography.py) will change in a reviewer's edit, per row "before →
  after" (`SegmentReview.typeset`, shown by the report); with `keep` nothing changes: publish keeps it as typed.
* The memory: verbatim segments (copied, not translated) and emptied ones are not stored; nor are UNCHANGED
  segments of a DEMO-model run (their target is a copy of the English, not a translation a reviewer approved).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.core.release import Flag, Mark, Segment, Span, TermUse, Translation, normalize
from pipeline.files.manifest import verbatim_spans
from pipeline.glossary import load_glossary
from pipeline.glossary.people.titles import HouseStyle
from pipeline.glossary.terms import contains_target
from pipeline.language.typography import typeset_changes
from pipeline.memory import APPROVED, DRAFT, NEEDS_GLOSSARY_REVIEW, NEEDS_REVIEW
from pipeline.qa import check_segment, segment_terms
from pipeline.review.approval import approval_of, read_mark
from pipeline.review.importing.results import EDITED, EMPTIED, UNCHANGED, SegmentReview
from pipeline.review.importing.text import (
    as_compared,
    as_written,
    clip,
    reviewed_text,
    same_text,
    unnamed_author,
)
from pipeline.review.scores import (
    post_edit_scores,  # scored once per pair, cached (issue 14)
)
from pipeline.review.write.writer import (
    CONTROL_NOTE,
    PIPELINE_AUTHOR,
    clean_text,
    segment_notes,
)
from pipeline.translation.inline_tags import remap_marks


FORMATTING_LOST = "formatting-lost"
LOSABLE = {"b": "bold", "i": "italic", "a": "link"}  # the formatting a lost copy of is reported


@dataclass
class RowsReviewed:
    segments: list[SegmentReview]
    unnamed_author_rows: list[str]  # rows changed with Track Changes by "Unknown Author"
    chrf: float | None  # corpus-level, over the scored rows
    ter: float | None


def load_run_glossary(glossary_path: Path | None, manifest: dict[str, Any]):
    """The glossary named, else the run's glossary file if it still exists, else None (the manifest's terms)."""
    path = glossary_path
    if path is None:
        recorded = (manifest.get("glossary") or {}).get("path")
        if recorded and Path(recorded).exists():
            path = Path(recorded)
    return None if path is None else load_glossary(Path(path))


def review_rows(document, manifest: dict[str, Any], lang: str, *, glossary, demo: bool, approve_all: bool) -> RowsReviewed:
    """Every row of `document` against its segment of `manifest` (rows and segments checked to match, in order)."""
    last_author = (document.meta.get("last_modified_by") or "").strip()
    if last_author == PIPELINE_AUTHOR:
        last_author = ""
    reviews: list[SegmentReview] = []
    unnamed_rows: list[str] = []
    style = glossary.house_style if glossary is not None else HouseStyle()
    for row, segment in zip(document.rows, manifest["segments"]):
        review = review_row(row, segment, lang, approve_all=approve_all, last_author=last_author)
        if any(unnamed_author(a) for a in row.authors):
            unnamed_rows.append(review.id)
        if review.status != EMPTIED and review.origin != "verbatim":
            check_terms(review, segment, lang, glossary, demo)
        if review.status == EDITED and review.origin != "verbatim" and style.typography == "apply":
            review.typeset = typeset_changes(review.text, lang)  # published typeset: said, never silently
        reviews.append(review)
    total_chrf, total_ter = score(reviews, lang)
    for review in reviews:
        review.memory = memory_status(review, demo)
    return RowsReviewed(reviews, unnamed_rows, total_chrf, total_ter)


def review_row(row, segment: dict, lang: str, *, approve_all: bool, last_author: str) -> SegmentReview:
    """One row read back: its text and status against what the run wrote, approval, flags, notes, reviewers."""
    target = (segment.get("targets") or {}).get(lang) or {}
    origin = target.get("origin", "machine")
    text = reviewed_text(row.target_paragraphs or [row.target], lang)
    written = reviewed_text([as_written(target.get("text", ""))], lang)
    if same_text(text, written):
        status = UNCHANGED
    else:
        status = EMPTIED if not text.strip() else EDITED
    review = SegmentReview(
        id=segment["id"],
        row=row.row,
        source=segment["source"],
        source_hash=segment.get("hash") or "",
        origin=origin,
        machine=as_compared(target.get("text", "")),
        text=text,
        status=status,
    )
    review.marks = review_marks(row, segment, target, text)
    if status != EMPTIED and origin != "verbatim":
        review.formatting_lost = lost_formatting(target, review.marks)
        if review.formatting_lost:
            review.flags.append(FORMATTING_LOST)
    if len([p for p in row.target_paragraphs if p.strip()]) > 1 or re.search(r"[\r\n]", row.target.strip()):
        review.flags.append("split-cell")
        review.paragraphs = list(row.target_paragraphs)
    if row.tracked:
        review.flags.append("tracked-changes")
    review.approval = approval_of(status, row.mark, approve_all) if origin != "verbatim" else None
    review.mark = row.mark
    if row.mark and not read_mark(row.mark)[0]:
        review.flags.append("mark-not-understood")
    if row.hidden_mark:  # a hidden "OK" is not a mark (review/read/reader.py)
        review.flags.append("mark-hidden")
        review.hidden_mark = row.hidden_mark
    if row.hidden_target:  # never published; the row waits until the reviewer decides
        review.flags.append("hidden-text")
        review.hidden_text = row.hidden_target
        review.approval = None
    review.comments = [f"{c.author}: {c.text}" if c.author else c.text for c in row.comments if c.text]
    lines = [line for line in row.notes.split("\n") if line.strip()]
    generated = generated_notes(segment, lang) if lines else set()  # rebuilt only where there is a line to tell
    review.reviewer_notes = [typed for typed in (reviewer_part(line, generated) for line in lines) if typed]
    reviewers = [a for a in row.authors if not unnamed_author(a)] + [c.author for c in row.comments if c.author]
    if not reviewers and status != UNCHANGED and last_author:
        reviewers.append(last_author)
    review.reviewers = list(dict.fromkeys(reviewers))
    return review


def check_terms(review: SegmentReview, segment: dict, lang: str, glossary, demo: bool) -> None:
    """The glossary flags and the quality checks of a reviewed text (not emptied, not verbatim)."""
    terms = segment_terms(segment, lang, glossary)
    for term in terms:
        if term.status != "approved" or contains_target(review.text, term.target, lang):
            continue
        code = "glossary-changed" if contains_target(review.machine, term.target, lang) else "glossary-missing"
        if code not in review.flags:
            review.flags.append(code)
        review.glossary.append(f"{term.source} → {term.target} not in the reviewed text")
    review.qa = quality(segment, lang, review.text, terms, demo)


def score(reviews: list[SegmentReview], lang: str) -> tuple[float | None, float | None]:
    """chrF and TER per scored row (set on it) and in total; emptied and verbatim rows are left out."""
    scored = [r for r in reviews if r.status != EMPTIED and r.origin != "verbatim"]
    per, total_chrf, total_ter = post_edit_scores([(r.machine, r.text) for r in scored], lang)
    for review, (chrf, ter) in zip(scored, per):
        review.chrf, review.ter = chrf, ter
    return total_chrf, total_ter


def memory_status(review: SegmentReview, demo: bool) -> str:
    """The status the memory stores the pair under, or why it is not stored ("not stored: ...")."""
    if review.origin == "verbatim":
        return "not stored: kept verbatim"
    if review.status == EMPTIED:
        return "not stored: emptied"
    if demo and review.status == UNCHANGED:
        return "not stored: unchanged demo-model output"
    if review.approved:
        return APPROVED
    if review.approval is None:
        return DRAFT
    return NEEDS_GLOSSARY_REVIEW if review.glossary else NEEDS_REVIEW


def review_marks(row, segment: dict, target: dict, text: str) -> list[dict] | None:
    """The target cell's inline formatting placed in the reviewed text; None when neither the English nor the
    cell has any (documents of runs before formatting was carried)."""
    if row.target_marks is None:
        return None
    raw, marks = row.target_marks
    if not marks and not segment.get("marks") and not target.get("marks"):
        return None
    return [m.to_json() for m in remap_marks(raw, text, marks)]


def lost_formatting(target: dict, marks: list[dict] | None) -> list[str]:
    """The machine text's bold, italic and links (each link by its URL) that the reviewed cell no longer has
    anywhere, each once with the machine's words under it: a reviewer who retyped a bold lead-in as plain text or
    lost a link. Compared per kind, not per place: an edit may move formatting. A warning at import (a lost link of
    the English is refused again at publish)."""
    if marks is None:  # a document of a run before formatting was carried: nothing to compare
        return []
    machine_text = target.get("text", "")
    kept = {(m.get("kind"), m.get("href") if m.get("kind") == "a" else None) for m in marks}
    lost: dict[tuple, str] = {}
    for item in target.get("marks") or []:
        try:
            mark = Mark.from_json(item)
        except (KeyError, TypeError, ValueError):
            continue
        key = (mark.kind, mark.href if mark.kind == "a" else None)
        if mark.kind not in LOSABLE or key in kept or key in lost:
            continue
        what = LOSABLE[mark.kind] + (f" {mark.href}" if mark.kind == "a" else "")
        lost[key] = f"{what} (on “{clip(machine_text[mark.start : mark.end], 40)}”)"
    return list(lost.values())


def quality(segment: dict, lang: str, text: str, terms, demo: bool) -> list[dict[str, str]]:
    """The quality checks (pipeline/qa) on a reviewed text, given the segment's terms (`qa.segment_terms`);
    approved glossary terms are the glossary flags' job."""
    findings = check_segment(segment["source"], text, lang, terms, verbatim=verbatim_spans(segment), demo=demo)
    return [f.to_dict() for f in findings if f.code != "term-missing"]


def reviewer_part(line: str, generated: set[str]) -> str:
    """What the reviewer typed on a Notes line, as typed: "" for a line the run wrote; the rest of a line that
    begins (or ends) with one of the run's notes, typed at its end without pressing Enter (it would otherwise read
    as the reviewer's line, the machine's note glued to it); else the whole line."""
    compared = normalize(line)
    if compared in generated:
        return ""
    for note in sorted((g for g in generated if g and g in compared), key=len, reverse=True):
        for cut in range(len(line) + 1):
            if compared.startswith(note) and normalize(line[:cut]) == note:
                return line[cut:].strip()
            if compared.endswith(note) and normalize(line[cut:]) == note:
                return line[:cut].strip()
    return line.strip()


def generated_notes(segment: dict, lang: str) -> set[str]:
    """The Notes lines the writer put in this row (so that lines a reviewer added can be told apart)."""
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
