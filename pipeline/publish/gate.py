"""The publish gate: every segment `translate publish` is about to publish is checked again, whatever its origin
(a reviewer's text, the memory, machine text with --allow-unreviewed), against the CURRENT glossary and the quality
checks (pipeline/qa); an error refuses its language (exit 6), naming each row, its problem and the next step.
A language whose rows are all clean is published even when another is refused (docs/review.md, "The gate").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.files.manifest import verbatim_spans
from pipeline.glossary import default_glossary_path, load_glossary
from pipeline.publish.plan import (
    BLOCKING,
    CHECK_ERROR,
    EMPTIED,
    MEMORY,
    NEEDS_GLOSSARY,
    REVIEWED,
    VERBATIM,
    PublishedSegment,
)
from pipeline.qa import check_segment, segment_terms
from pipeline.review.approval import STATUS_COLUMN

SHOWN_ROWS = 25


@dataclass
class Refusal:
    """One row that keeps its language from being published."""

    lang: str
    segment: str
    row: int  # the row in the review document (its header is row 1)
    how: str  # where the text came from (PublishedSegment.how)
    problems: list[str]  # "code: message" of each error; empty for a row that is only unreviewed
    document: str  # the review document to fix it in

    @property
    def unreviewed_only(self) -> bool:
        return not self.problems and self.how in BLOCKING


def current_glossary(manifest: dict[str, Any], glossary_path: Path | None, use_glossary: bool = True):
    """(glossary or None, what it is) the gate checks against: --glossary, else the run's glossary file if it still
    exists, else ./glossaries; None (the terms the run recorded are used) when there is none or --no-glossary."""
    if not use_glossary:
        return None, "no glossary (--no-glossary): the terms the run recorded"
    path = glossary_path
    if path is None:
        recorded = (manifest.get("glossary") or {}).get("path")
        if recorded and Path(recorded).exists():
            path = Path(recorded)
        else:
            path = default_glossary_path()
    if path is None:
        return None, "no glossary found: the terms the run recorded"
    glossary = load_glossary(Path(path))
    return glossary, f"{path} (hash {glossary.hash})"


def check_language(
    manifest: dict[str, Any], lang: str, planned: list[PublishedSegment], glossary, *, allow_unreviewed: bool
) -> list[Refusal]:
    """The rows of one language that refuse it; fills `planned[i].problems` (errors) and `.warnings`."""
    demo = bool(((manifest.get("models") or {}).get(lang) or {}).get("demo"))
    document = str(((manifest.get("documents") or {}).get(lang) or {}).get("path") or f"the {lang} review document")
    segments = {s["id"]: (index, s) for index, s in enumerate(manifest["segments"])}
    refusals: list[Refusal] = []
    for published in planned:
        index, segment = segments[published.id]
        row = index + 2
        if published.how in (EMPTIED, VERBATIM):
            continue
        terms = segment_terms(segment, lang, glossary)
        findings = check_segment(segment["source"], published.text, lang, terms, verbatim=verbatim_spans(segment), demo=demo)
        published.problems = [f"{f.code}: {f.message}" for f in findings if f.error]
        published.warnings = [f"{f.code}: {f.message}" for f in findings if not f.error]
        if published.how in (NEEDS_GLOSSARY, CHECK_ERROR) and not published.problems:
            published.how = REVIEWED  # approved by the reviewer, and the current glossary and checks agree now
        blocked = bool(published.problems) or (published.how in BLOCKING and not allow_unreviewed)
        if blocked:
            refusals.append(
                Refusal(lang, published.id, row, published.how, published.problems, published.document or document)
            )
    return refusals


def _advice(refusal: Refusal, memory_note: str) -> str:
    where = f"row {refusal.row} of {refusal.document}"
    if refusal.how in (REVIEWED, NEEDS_GLOSSARY, CHECK_ERROR):
        return f"fix it in {where} and import the document again"
    if refusal.how == MEMORY:
        if memory_note:  # an approved memory entry publish found (--memory): the review document shows machine text
            return f"the memory's translation ({memory_note}) fails: review {where} (edit it, or type OK) and import it"
        return f"the memory's translation, shown in {where}: fix it there and import the document"
    return f"the machine text fails: fix it in {where} and import the document"


def describe(refusals: list[Refusal], planned: dict[str, list], published: dict[str, Path], folder: Path) -> str:
    """The refusal message: one line saying what happened, then each row with its problem and next step.
    `published`: language → its publishable document, for the languages that were written."""
    langs = list(dict.fromkeys(r.lang for r in refusals))
    notes = {(lang, s.id): s.note for lang, segments in planned.items() for s in segments}
    head = f"Not published: {', '.join(langs)} of {folder} (nothing written for {'it' if len(langs) == 1 else 'them'})"
    if published:
        head += "; published: " + ", ".join(f"{lang} → {document.name}" for lang, document in published.items())
    lines = [head + "."]
    for lang in langs:
        mine = [r for r in refusals if r.lang == lang]
        failing = [r for r in mine if r.problems]
        for refusal in failing[:SHOWN_ROWS]:
            note = notes.get((lang, refusal.segment), "") if refusal.how == MEMORY else ""
            note = note if note.startswith("from memory") else ""
            lines.append(
                f"  {lang} row {refusal.row} ({refusal.segment}, {refusal.how}): {'; '.join(refusal.problems)} — "
                + _advice(refusal, note.removeprefix("from memory, "))
            )
        if len(failing) > SHOWN_ROWS:
            lines.append(f"  {lang}: … and {len(failing) - SHOWN_ROWS} more row(s) with errors")
        unreviewed = [r for r in mine if r.unreviewed_only]
        if unreviewed:
            document = unreviewed[0].document
            lines.append(
                f"  {lang}: {len(unreviewed)} unreviewed: {', '.join(r.segment for r in unreviewed)} — have them "
                f"reviewed: edit them or type OK in their {STATUS_COLUMN} column in {document}, import it again "
                "(translate review import); or pass --allow-unreviewed for a draft marked as unreviewed machine "
                "translation"
            )
    return "\n".join(lines)
