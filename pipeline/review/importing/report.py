"""What `translate review import` says about each imported document (human format; `--format json` prints
`DocumentImport.to_dict`): the summary line, post-edit figures, the memory and the record, the worklist the
document opened with, approvals and drafts, text typed outside the table, and the rows worth a look."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.language import find_language
from pipeline.review.approval import STATUS_COLUMN
from pipeline.review.importing.results import UNCHANGED, DocumentImport, SegmentReview
from pipeline.review.write.worklist import after_import

WARNING = "yellow"
IDS_SHOWN = 15  # rows listed by id, then "…"
UNNAMED_SHOWN = 5


@dataclass(frozen=True)
class Line:
    text: str
    colour: str | None = None  # a click colour: the line is a warning


def report_lines(result: DocumentImport, quiet: bool) -> list[Line]:
    """Every line of the report on `result`; `quiet`: the rows themselves are left out."""
    lines = summary_lines(result)
    lines += [Line(f"  typed outside the table ({item['where']}), kept with the document: {item['text']}", WARNING)
              for item in result.outside_text]  # fmt: skip
    kept = [s for s in result.segments if s.used]
    if kept and quiet:
        lines.append(Line(f"  {len(kept)} segment(s) keep another document's edit"))
    lines += approval_lines(result) + check_lines(result) + typography_lines(result)
    if quiet:
        return lines
    for segment in result.segments:
        lines += segment_lines(segment)
    lines += [Line(f"  document comment {comment}") for comment in result.document_comments]
    return lines


def summary_lines(result: DocumentImport) -> list[Line]:
    """Counts, post-edit figures, what the memory and the record got."""
    counts = ", ".join(f"{result.count(k)} {k}" for k in ("unchanged", "edited", "emptied"))
    lines = [Line(f"{result.path} → {result.lang}, run {result.run_id}: {len(result.segments)} segments: {counts}")]
    if result.chrf is not None:
        language = find_language(result.lang)
        unit = language.unit if language is not None else "words"
        lines.append(Line(f"  post-edit: chrF {result.chrf:.2f}, TER {result.ter:.2f} (TER on {unit}; machine vs reviewed)"))
    if result.memory_path is not None:
        lines.append(Line(
            f"  memory {result.memory_path}: {result.memory_new} new, {result.memory_updated} updated, "
            f"{result.memory_unchanged} already there"
        ))  # fmt: skip
    else:
        lines.append(Line("  memory: not written (--no-memory)"))
    not_stored: dict[str, int] = {}
    for segment in result.segments:
        if segment.memory and segment.memory.startswith("not stored"):
            reason = segment.memory.split(": ", 1)[-1]
            not_stored[reason] = not_stored.get(reason, 0) + 1
    if not_stored:
        lines.append(Line("  not stored: " + ", ".join(f"{n} {reason}" for reason, n in not_stored.items())))
    if result.already_imported_as:
        lines.append(Line(f"  already imported as {result.already_imported_as} (the same bytes): nothing recorded again"))
    if result.unnamed_author_rows:
        rows = result.unnamed_author_rows
        lines.append(Line(
            f"  {len(rows)} row(s) ({', '.join(rows[:UNNAMED_SHOWN])}{', …' if len(rows) > UNNAMED_SHOWN else ''}) were "
            "changed with Track Changes by “Unknown Author”: the editor had no user name set (LibreOffice: Tools → "
            "Options → LibreOffice → User Data; Word: File → Options → General), so the reviewer is taken from the "
            "document's last-saved-by, if any",
            WARNING,
        ))  # fmt: skip
    state = "updated" if result.reviewed_changed else "already up to date"
    record = result.reviewed_file.with_suffix(".sqlite")
    lines.append(Line(f"  review recorded in {record} ({state}; readable copy {result.reviewed_file.name})"))
    return lines


def approval_lines(result: DocumentImport) -> list[Line]:
    """The worklist as the document opened, the rows by status (pipeline/review/status.py: the words and numbers
    run and publish use too), what to do about the rows not approved, marks not understood, formatting lost."""
    lines = [Line(f"  worklist (as the document opens): {result.worklist}")] if result.worklist else []
    counts = result.status_counts()
    lines.append(Line(f"  rows: {counts.line()}"))
    lines.append(Line(f"  worklist now: {after_import(result.attention()).line()}"))
    lines += [Line(f"  {advice}", WARNING) for advice in counts.advice_lines()]
    for segment in [s for s in result.segments if "mark-not-understood" in s.flags]:
        lines.append(Line(f"  {segment.id}: {STATUS_COLUMN} holds “{segment.mark}”, not an approval mark (type OK)", WARNING))
    lost = [s for s in result.segments if s.formatting_lost]
    if lost:
        lines.append(Line(
            f"  {len(lost)} row(s) lost formatting of the machine translation ({', '.join(s.id for s in lost[:IDS_SHOWN])}"
            f"{' …' if len(lost) > IDS_SHOWN else ''}): put it back in Word if it belongs (a lost link refuses publish)",
            WARNING,
        ))  # fmt: skip
    for segment in [s for s in result.segments if "mark-hidden" in s.flags]:
        lines.append(Line(f"  {segment.id}: {STATUS_COLUMN} holds “{segment.hidden_mark}” as hidden text, not an approval "
                          "mark (unhide it in Word, or type OK)", WARNING))
    for segment in [s for s in result.segments if "hidden-text" in s.flags]:
        lines.append(Line(f"  {segment.id}: the target cell holds hidden text (“{segment.hidden_text}”): not read as "
                          "the translation, never published; the row stays a draft until it is unhidden or deleted in "
                          "Word and the document imported again", WARNING))
    return lines


def typography_lines(result: DocumentImport) -> list[Line]:
    """What publish will change in the reviewers' text (the house style's `typography: apply`), row by row."""
    changed = [s for s in result.segments if s.typeset]
    if not changed:
        return []
    lines = [Line(
        f"  typography: publish will typeset the reviewer's text of {len(changed)} row(s) (house style "
        "`typography: apply`, the default; `typography: keep` under house_style: in the glossary publishes it as typed):",
        WARNING,
    )]  # fmt: skip
    lines += [Line(f"    row {s.row}: {'; '.join(s.typeset)}") for s in changed[:IDS_SHOWN]]
    if len(changed) > IDS_SHOWN:
        lines.append(Line(f"    … {len(changed) - IDS_SHOWN} more row(s)"))
    return lines


def check_lines(result: DocumentImport) -> list[Line]:
    """The quality checks' findings on the reviewed texts, counted by kind (the rows are counted by status above)."""
    by_severity: dict[str, dict[str, int]] = {"error": {}, "warning": {}}
    for segment in result.segments:
        for finding in segment.qa:
            kinds = by_severity.setdefault(finding.get("severity", "warning"), {})
            kinds[finding["code"]] = kinds.get(finding["code"], 0) + 1
    parts = [f"{severity}s: " + ", ".join(f"{n} {code}" for code, n in kinds.items()) for severity, kinds in by_severity.items() if kinds]
    return [Line("  check findings on the reviewed text — " + "; ".join(parts), WARNING)] if parts else []


def segment_lines(segment: SegmentReview) -> list[Line]:
    """A row worth a look (not unchanged, or flagged, commented, noted, decided elsewhere, checked): its status,
    figures and flags, then one line per remark."""
    if segment.status == UNCHANGED and not (
        segment.flags or segment.comments or segment.reviewer_notes or segment.used or segment.qa
    ):
        return []
    figures = ""
    if segment.chrf is not None:
        figures = f"  chrF {segment.chrf:6.2f}  TER {segment.ter:6.2f}"
    extra = []
    if segment.glossary:
        extra.append("glossary: " + "; ".join(segment.glossary))
    extra += [f"{f['severity']} [{f['code']}] {f['message']}" for f in segment.qa]
    extra += [f"warning [formatting-lost] {lost} is not in the reviewed text" for lost in segment.formatting_lost]
    extra += [f"comment {c}" for c in segment.comments]
    extra += [f"note {n}" for n in segment.reviewer_notes]
    if segment.used:
        extra.append(f"the release uses another document's text: {segment.used}")
    flags = f" [{', '.join(segment.flags)}]" if segment.flags else ""
    return [Line(f"  {segment.id:<10} {segment.status:<9}{figures}{flags}")] + [Line(f"      {line}") for line in extra]
