"""`translate review import`: reviewed documents back into the memory and the release (docs/review.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from pipeline.cli.options import glossary_options, memory_options
from pipeline.language import find_language


@click.group()
def review() -> None:
    """Bring review documents edited in Word back (tracked changes and comments welcome)."""


def memory_opener(memory_path: Path | None, disabled: bool):
    """A function manifest path → writable MemoryStore (one per file, cached), or None when disabled."""
    if disabled:
        return None, {}
    opened: dict[Path, object] = {}

    def open_for(manifest_path: Path):
        from pipeline.memory import MemoryStore, default_memory_path

        path = memory_path or default_memory_path(Path(manifest_path).resolve().parent.parent)
        key = Path(path).resolve()
        if key not in opened:
            opened[key] = MemoryStore(path)
        return opened[key]

    return open_for, opened


@review.command("import")
@click.argument("documents", nargs=-1, required=True, type=click.Path(path_type=Path))
@memory_options(
    "Translation memory to add the pairs to [default: $TRANSLATE_MEMORY, else memory.sqlite in the run's "
    "output folder, e.g. output/memory.sqlite].",
    "Do not write to the memory (the release still records the review).",
)
@click.option(
    "--manifest",
    "manifest_path",
    type=click.Path(path_type=Path),
    help="The run's <release>.manifest.json (or its folder) [default: next to the document].",
)
@glossary_options(
    "Glossary whose approved terms the reviewed text must keep [default: the run's glossary].",
    "Check only the terms the run recorded in its manifest.",
)
@click.option(
    "--accept-unedited",
    is_flag=True,
    help="Import a document that is byte-identical to what the run wrote (its rows stay drafts unless --approve-all).",
)
@click.option(
    "--approve-all",
    is_flag=True,
    help="The reviewer approved the whole document: every row counts as approved as it stands, marked OK or not.",
)
@click.option(
    "--override",
    is_flag=True,
    help="Where another reviewed document of the same run and language edited a row to a different text, this "
    "document's text wins (the other is kept in reviewed.json); a document imported again under the same name may "
    "take back its own earlier edits.",
)
@click.option("--format", "fmt", type=click.Choice(["human", "json"]), default="human", show_default=True)
@click.option("--quiet", "-q", is_flag=True, help="Only the summary line per document.")
def import_(
    documents: tuple[Path, ...],
    memory_path: Path | None,
    no_memory: bool,
    manifest_path: Path | None,
    glossary_path: Path | None,
    no_glossary: bool,
    accept_unedited: bool,
    approve_all: bool,
    override: bool,
    fmt: str,
    quiet: bool,
) -> None:
    """Import reviewed DOCUMENTS (.review.docx edited in Word).

    Reads the target column with tracked changes accepted (as Word's "Accept All" would), keeps comments and
    Notes the reviewer typed, checks each row against the run's manifest (refusing a document from another run,
    or with rows or English cells altered: exit 6), reports unchanged / edited / emptied segments with chrF and
    TER, stores the approved pairs in the translation memory and records the review for `translate publish`.
    Importing the same document again changes nothing.

    A row is approved when the reviewer edited it or typed OK in its OK? column (or with --approve-all); the
    other rows are drafts: kept, never reused as approved, not published. The reviewer's text is checked (numbers,
    glossary terms, untranslated text, script, punctuation, brackets): a row with an error is kept as typed, not
    approved, and listed with its problem. The worklist the document opened with is printed per document.

    Several documents of the same run and language (copies sent to several reviewers) are merged per row: a row
    left unchanged in one never replaces another's edit; two different edits of the same row refuse the second
    document (exit 6) unless --override. A document imported again under the same name replaces its own rows.

    \b
    Examples:
      translate review import output/kmu-kumamoto-mou-2025/kmu-kumamoto-mou-2025.zh-TW.review.docx
      translate review import ~/Downloads/*.review.docx --manifest output/kmu-kumamoto-mou-2025/
    """
    from pipeline.core.errors import InputError, ReviewError
    from pipeline.review.importer import import_review, render_copies

    for document in documents:  # before importing any: a mistyped name is exit 3 (unreadable input), not a refusal
        if not document.exists() or document.is_dir():
            what = "a folder, not a file" if document.is_dir() else "no such file"
            raise InputError(f"{document}: {what}; nothing was imported")
    open_for, opened = memory_opener(memory_path, no_memory)
    results = []
    refused: list[tuple[Path, str]] = []
    try:
        for document in documents:
            try:
                result = import_review(
                    document,
                    manifest_path=manifest_path,
                    memory=open_for,
                    glossary_path=glossary_path,
                    use_glossary=not no_glossary,
                    accept_unedited=accept_unedited,
                    override=override,
                    approve_all=approve_all,
                    render_copy=False,  # once per release below, not after every document
                )
            except ReviewError as error:
                refused.append((document, error.format_message()))
                if fmt == "human":
                    click.secho(f"Error: {error.format_message()}", fg="red", err=True)
                continue
            results.append(result)
            if fmt == "human":
                _report(result, quiet)
    finally:
        for store in opened.values():
            store.close()
    render_copies(results)
    if fmt == "json":
        click.echo(
            json.dumps(
                {"imported": [r.to_dict() for r in results], "refused": [{"document": str(d), "error": e} for d, e in refused]},
                ensure_ascii=False,
                indent=2,
            )
        )
    if refused:
        sys.exit(ReviewError.exit_code)


def _approval_report(result) -> None:
    from pipeline.review.approval import APPROVE_ALL, EDITED, MARKED, STATUS_COLUMN

    if result.worklist:
        click.echo(f"  worklist (as the document opens): {result.worklist}")

    rows = [s for s in result.segments if s.origin != "verbatim"]
    by = {how: sum(1 for s in rows if s.approval == how) for how in (EDITED, MARKED, APPROVE_ALL)}
    parts = [f"{by[EDITED]} edited", f"{by[MARKED]} marked OK"] + ([f"{by[APPROVE_ALL]} by --approve-all"] if by[APPROVE_ALL] else [])
    click.echo(f"  approved: {', '.join(parts)}")
    drafts = result.unapproved
    if drafts:
        ids = ", ".join(s.id for s in drafts[:15]) + (" …" if len(drafts) > 15 else "")
        click.secho(
            f"  {len(drafts)} row(s) not approved (kept as drafts, not published): {ids} — type OK in their "
            f"{STATUS_COLUMN} column (or edit them) and import again, or import with --approve-all",
            fg="yellow",
        )
    unclear = [s for s in rows if "mark-not-understood" in s.flags]
    for segment in unclear:
        click.secho(f"  {segment.id}: {STATUS_COLUMN} holds “{segment.mark}”, not an approval mark (type OK)", fg="yellow")


def _report(result, quiet: bool) -> None:
    counts = ", ".join(f"{result.count(k)} {k}" for k in ("unchanged", "edited", "emptied"))
    click.echo(f"{result.path} → {result.lang}, run {result.run_id}: {len(result.segments)} segments: {counts}")
    if result.chrf is not None:
        language = find_language(result.lang)
        unit = language.unit if language is not None else "words"
        click.echo(f"  post-edit: chrF {result.chrf:.2f}, TER {result.ter:.2f} (TER on {unit}; machine vs reviewed)")
    if result.memory_path is not None:
        click.echo(
            f"  memory {result.memory_path}: {result.memory_new} new, {result.memory_updated} updated, "
            f"{result.memory_unchanged} already there"
        )
    else:
        click.echo("  memory: not written (--no-memory)")
    not_stored: dict[str, int] = {}
    for segment in result.segments:
        if segment.memory and segment.memory.startswith("not stored"):
            reason = segment.memory.split(": ", 1)[-1]
            not_stored[reason] = not_stored.get(reason, 0) + 1
    if not_stored:
        click.echo("  not stored: " + ", ".join(f"{n} {reason}" for reason, n in not_stored.items()))
    if result.already_imported_as:
        click.echo(f"  already imported as {result.already_imported_as} (the same bytes): nothing recorded again")
    if result.unnamed_author_rows:
        rows = result.unnamed_author_rows
        click.secho(
            f"  {len(rows)} row(s) ({', '.join(rows[:5])}{', …' if len(rows) > 5 else ''}) were changed with Track "
            "Changes by “Unknown Author”: the editor had no user name set (LibreOffice: Tools → Options → LibreOffice → "
            "User Data; Word: File → Options → General), so the reviewer is taken from the document's last-saved-by, "
            "if any",
            fg="yellow",
        )
    state = "updated" if result.reviewed_changed else "already up to date"
    record = result.reviewed_file.with_suffix(".sqlite")
    click.echo(f"  review recorded in {record} ({state}; readable copy {result.reviewed_file.name})")
    for item in result.outside_text:
        click.secho(f"  typed outside the table ({item['where']}), kept with the document: {item['text']}", fg="yellow")
    kept = [s for s in result.segments if s.used]
    if kept and quiet:
        click.echo(f"  {len(kept)} segment(s) keep another document's edit")
    flagged = result.glossary_flagged
    if flagged:
        click.secho(
            f"  {len(flagged)} segment(s) changed a glossary term: stored as needs-glossary-review, not approved",
            fg="yellow",
        )
    _approval_report(result)
    checked = result.qa_flagged
    if checked:
        errors = [s for s in checked if s.qa_errors]
        kinds: dict[str, int] = {}
        for segment in checked:
            for finding in segment.qa:
                kinds[finding["code"]] = kinds.get(finding["code"], 0) + 1
        click.secho(
            f"  checks: {len(errors)} row(s) with errors (not approved: fix them and import again), "
            f"{len(checked) - len(errors)} with warnings only — "
            + ", ".join(f"{n} {code}" for code, n in kinds.items()),
            fg="yellow",
        )
    if quiet:
        return
    for segment in result.segments:
        if segment.status == "unchanged" and not (
            segment.flags or segment.comments or segment.reviewer_notes or segment.used or segment.qa
        ):
            continue
        figures = ""
        if segment.chrf is not None:
            figures = f"  chrF {segment.chrf:6.2f}  TER {segment.ter:6.2f}"
        extra = []
        if segment.glossary:
            extra.append("glossary: " + "; ".join(segment.glossary))
        extra += [f"{f['severity']} [{f['code']}] {f['message']}" for f in segment.qa]
        extra += [f"comment {c}" for c in segment.comments]
        extra += [f"note {n}" for n in segment.reviewer_notes]
        if segment.used:
            extra.append(f"the release uses another document's text: {segment.used}")
        flags = f" [{', '.join(segment.flags)}]" if segment.flags else ""
        click.echo(f"  {segment.id:<10} {segment.status:<9}{figures}{flags}")
        for line in extra:
            click.echo(f"      {line}")
    for comment in result.document_comments:
        click.echo(f"  document comment {comment}")
