"""`translate review import`: reviewed documents back into the memory and the release (docs/review.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from pipeline.cli.options import glossary_options, memory_options
from pipeline.cli.workspace import current_workspace, memory_in_use, say_used
from pipeline.core.errors import InputError, ReviewError


@click.group()
def review() -> None:
    """Bring review documents edited in Word back (tracked changes and comments welcome)."""


def memory_opener(memory_path: Path | None, disabled: bool, quiet: bool = False):
    """A function manifest path → writable MemoryStore (one per file, cached), or None when disabled."""
    if disabled:
        return None, {}
    opened: dict[Path, object] = {}

    def open_for(manifest_path: Path):
        from pipeline.files.manifest import read_manifest  # lazy: keeps --help's imports as they were
        from pipeline.memory import MemoryStore  # lazy: sqlite3, keeps --help's imports as they were

        workspace = current_workspace(read_manifest(manifest_path))  # the release's workspace, from any folder
        path, said = memory_in_use(memory_path, False, workspace, Path(manifest_path).resolve().parent.parent / "memory.sqlite")
        key = Path(path).resolve()
        if key not in opened:
            if not quiet:
                say_used(workspace, memory=said, models=False)
            opened[key] = MemoryStore(path)
        return opened[key]

    return open_for, opened


@review.command("import")
@click.argument("documents", nargs=-1, required=True, type=click.Path(path_type=Path))
@memory_options(
    "Translation memory to add the pairs to [default: $TRANSLATE_MEMORY, else the workspace's memory (the one the "
    "run's manifest records), else memory.sqlite in the run's output folder, e.g. output/memory.sqlite].",
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
    from pipeline.review.importing import import_review, render_copies  # lazy: python-docx, keeps --help fast
    from pipeline.review.importing.report import report_lines  # lazy: python-docx, keeps --help fast

    for document in documents:  # before importing any: a mistyped name is exit 3 (unreadable input), not a refusal
        if not document.exists() or document.is_dir():
            what = "a folder, not a file" if document.is_dir() else "no such file"
            raise InputError(f"{document}: {what}; nothing was imported")
    open_for, opened = memory_opener(memory_path, no_memory, quiet)
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
                for line in report_lines(result, quiet):
                    if line.colour:
                        click.secho(line.text, fg=line.colour)
                    else:
                        click.echo(line.text)
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
