"""The publish gate: every segment `translate publish` is about to publish is checked again, whatever its origin
(a reviewer's text, the memory, machine text with --allow-unreviewed), against the CURRENT glossary and the quality
checks (pipeline/qa); an error refuses its language (exit 6), naming each row, its problem and the next step.
A language whose rows are all clean is published even when another is refused (docs/review.md, "The gate").
The glossary is --glossary, else the one the run used at the absolute path its manifest records — the same from any
folder — and every message names it, with what changed in it since the run (`GateGlossary`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.core.errors import ReviewError
from pipeline.files.manifest import recorded_glossary_path, verbatim_spans
from pipeline.glossary import Glossary, load_glossary
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
from pipeline.qa import check_segment, segment_terms, terms_from_manifest
from pipeline.review.approval import STATUS_COLUMN

SHOWN_ROWS = 25
SHOWN_CHANGES = 10


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


@dataclass(frozen=True)
class TermChange:
    """A term of the release whose glossary form differs from the one the run put in (manifest `terms`)."""

    english: str
    lang: str
    before: str | None  # None: the run's glossary had no form for it
    after: str

    def __str__(self) -> str:
        before = self.before if self.before is not None else "(not in the run's glossary)"
        return f"{self.english}, {self.lang}: {before} → {self.after}"


@dataclass
class GateGlossary:
    """The glossary the gate checks against, and what changed in it since the run."""

    glossary: Glossary | None  # None: the terms the run recorded are checked
    what: str  # "the glossary /office/glossaries (hash 1a2b…)", or which recorded terms
    run_hash: str | None = None  # the hash of the glossary the run used, which the reviewers approved against
    changes: list[TermChange] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.glossary is not None and bool(self.run_hash) and self.glossary.hash != self.run_hash

    def describe(self, langs: list[str] | None = None, *, advice: bool = False) -> str:
        """One line: the glossary checked against and, when it is not the run's, what changed (for `langs`)."""
        if not self.changed:
            return f"checked against {self.what}"
        line = f"checked against {self.what}, which changed since the run (hash {self.run_hash})"
        changes = [c for c in self.changes if langs is None or c.lang in langs]
        if changes:
            line += ": " + "; ".join(map(str, changes[:SHOWN_CHANGES]))
            if len(changes) > SHOWN_CHANGES:
                line += f"; … and {len(changes) - SHOWN_CHANGES} more"
            if advice:
                line += "; run `translate run` again to get the machine's version with the new form beside the reviewer's"
        return line


def current_glossary(
    manifest: dict[str, Any], glossary_path: Path | None, use_glossary: bool = True, manifest_path: Path | None = None
) -> GateGlossary:
    """The glossary the gate checks against: --glossary, else the one the run used (the absolute path the manifest
    records, whatever folder publish runs in); the terms the run recorded with --no-glossary or for a run made
    without a glossary. A recorded glossary that no longer exists refuses the release (ReviewError), never a silent
    fallback to the terms recorded at run time."""
    if not use_glossary:
        return GateGlossary(None, "no glossary (--no-glossary): the terms the run recorded")
    run_hash = (manifest.get("glossary") or {}).get("hash")
    path = glossary_path
    if path is None:
        path = recorded_glossary_path(manifest)
        if path is None:
            return GateGlossary(
                None, "no glossary (the run was made without one): the terms it recorded; --glossary PATH checks the names"
            )
        if not path.exists():
            raise ReviewError(_missing_glossary(path, manifest_path))
    glossary = load_glossary(Path(path))
    gate = GateGlossary(glossary, f"the glossary {os.path.abspath(path)} (hash {glossary.hash})", run_hash)
    if gate.changed:
        gate.changes = term_changes(manifest, glossary)
    return gate


def _missing_glossary(recorded: Path, manifest_path: Path | None) -> str:
    where = f" (recorded in {manifest_path})" if manifest_path is not None else ""
    if recorded.is_absolute():
        what = f"the glossary the run used, {recorded}{where}, no longer exists"
    else:  # a manifest written before paths were recorded absolute: relative to the folder the run was made in
        what = (
            f"the glossary the run used, {recorded}{where}, is not in {Path.cwd()} (an older run recorded it relative "
            "to the folder it was made in: publish from that folder)"
        )
    return (
        f"Not published: {what}; give the glossary to check against with --glossary PATH, or --no-glossary to check "
        "only the terms the run recorded."
    )


def term_changes(manifest: dict[str, Any], glossary: Glossary) -> list[TermChange]:
    """Each term of the release (once per entry and language) whose form in `glossary` the run did not put in.
    A recorded rendering that holds the form (余明隆校長 for 余明隆, a person in the house style) is no change."""
    changes: dict[tuple[str, str], TermChange] = {}
    for segment in manifest["segments"]:
        for lang, target in (segment.get("targets") or {}).items():
            if not isinstance(target, dict):
                continue
            recorded = terms_from_manifest(target)
            for term in segment_terms(segment, lang, glossary):
                key = (term.entry_id or term.source, lang)
                before = [r.target for r in recorded if term.entry_id and r.entry_id == term.entry_id]
                before = before or [r.target for r in recorded if r.source == term.source]
                if key in changes or any(term.target in form for form in before):
                    continue
                changes[key] = TermChange(term.source, lang, before[0] if before else None, term.target)
    return list(changes.values())


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


def describe(
    refusals: list[Refusal],
    planned: dict[str, list],
    published: dict[str, Path],
    folder: Path,
    glossary: GateGlossary | None = None,
) -> str:
    """The refusal message: one line saying what happened, the glossary checked against (and what changed in it
    since the run), then each row with its problem and next step.
    `published`: language → its publishable document, for the languages that were written."""
    langs = list(dict.fromkeys(r.lang for r in refusals))
    notes = {(lang, s.id): s.note for lang, segments in planned.items() for s in segments}
    head = f"Not published: {', '.join(langs)} of {folder} (nothing written for {'it' if len(langs) == 1 else 'them'})"
    if published:
        head += "; published: " + ", ".join(f"{lang} → {document.name}" for lang, document in published.items())
    lines = [head + "."]
    if glossary is not None:
        lines.append("  " + glossary.describe(langs, advice=True))
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
