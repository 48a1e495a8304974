"""`translate publish`: publishable zh-TW / ja documents from reviewed segments (docs/review.md)."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.options import glossary_options, memory_options
from pipeline.cli.workspace import current_workspace, open_read_memory, say_used


@click.command()
@click.argument("release", type=click.Path(path_type=Path))
@click.option("--to", "targets", multiple=True, metavar="LANG", help="Target language (repeatable) [default: all of the run's].")
@click.option(
    "--allow-unreviewed",
    is_flag=True,
    help="Publish a draft with unreviewed segments, marked as unreviewed machine translation (banner, highlights, "
    "document properties).",
)
@glossary_options(
    "Glossary the gate checks every segment against [default: the glossary the run used, at the absolute path "
    "its manifest records, from whatever folder publish runs in].",
    "Check only the terms the run recorded in its manifest.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["docx", "html"]),
    default=("docx",),
    show_default=True,
    help="Also write html: a self-contained HTML fragment per language for the website (<release>.<lang>.html, "
    "images in <release>.<lang>.files/), alongside the .docx documents (repeatable).",
)
@memory_options(
    "Approved translations for segments not reviewed in this release [default: $TRANSLATE_MEMORY, else the "
    "workspace's memory, else memory.sqlite in the run's output folder, if it exists].",
    "Use only this release's reviewed documents.",
)
def publish(
    release: Path,
    targets: tuple[str, ...],
    allow_unreviewed: bool,
    glossary_path: Path | None,
    no_glossary: bool,
    formats: tuple[str, ...],
    memory_path: Path | None,
    no_memory: bool,
) -> None:
    """Write the publishable documents of RELEASE (its output folder, or its manifest).

    Per language: <release>.<lang>.docx (title, dateline, paragraphs; typeset: full-width punctuation, 「」
    quotes, no spaces between CJK characters) and <release>.<lang>.bilingual.docx (English / target, paragraph
    by paragraph). Text comes from the imported reviewed documents, from segments the run took from the
    translation memory, and from approved memory entries.

    The gate: every segment is checked again against the current glossary (the one the run used, as it is now;
    it says which, and what changed in it since the run) and the quality checks (numbers, untranslated text,
    script, punctuation, brackets). A language with an error, or with unreviewed segments
    (unless --allow-unreviewed), is refused (exit 6): each row is named with its problem and what to do; the
    other languages are still published. Earlier published files this publication does not replace (a refused
    language's, a web page not asked for again) are moved into <release>/.withdrawn/<time>/ and named.

    A reviewer's edit is typeset too unless the glossary's house style says `typography: keep` (then it is
    published as typed); `review import` lists what typesetting changes in it.

    \b
    Examples:
      translate publish output/kmu-kumamoto-mou-2025/
      translate publish output/kmu-kumamoto-mou-2025/kmu-kumamoto-mou-2025.manifest.json --to ja
      translate publish output/kmu-kumamoto-mou-2025/ --allow-unreviewed
      translate publish output/kmu-kumamoto-mou-2025/ --format html
    """
    # lazy: publishing loads python-docx and lxml; `translate publish --help` must not
    from pipeline.files.manifest import read_manifest, recorded_glossary_path  # lazy: with the publisher's modules
    from pipeline.publish.publisher import publish_release  # lazy: python-docx, lxml

    opened = []

    def open_memory(manifest_path: Path):
        manifest = read_manifest(manifest_path)
        workspace = current_workspace(manifest)  # the release's workspace, from any folder
        out_dir = Path(manifest_path).resolve().parent.parent
        store, said, _ = open_read_memory(memory_path, no_memory, workspace, out_dir)
        gate = glossary_path or recorded_glossary_path(manifest)
        say_used(workspace, glossary="none (--no-glossary)" if no_glossary else str(gate), memory=said, models=False)
        if store is not None:
            opened.append(store)
        return store

    try:
        result = publish_release(
            release,
            langs=list(targets) or None,
            allow_unreviewed=allow_unreviewed,
            memory=open_memory,
            glossary_path=glossary_path,
            use_glossary=not no_glossary,
            formats=tuple(dict.fromkeys(("docx", *formats))),
        )
    finally:
        for store in opened:
            store.close()
    for line in result.withheld:
        click.secho(line, fg="yellow", err=True)
    for withdrawal in result.withdrawn:
        click.secho(withdrawal.line(), fg="yellow", err=True)
    click.echo(result.glossary[:1].upper() + result.glossary[1:] + ".", err=True)
    for lang, written in result.paths.items():
        summary = published_counts(result.segments[lang]).line()
        click.echo(f"{lang}: {', '.join(str(path) for path in written.values())} — {summary}")
        for note in result.notes.get(lang, []):
            click.echo(f"  note: {note}")
        warned = [s for s in result.segments[lang] if s.warnings]
        for segment in warned[:10]:
            click.echo(f"  warning {segment.id}: {'; '.join(segment.warnings)}")
        if len(warned) > 10:
            click.echo(f"  … {len(warned) - 10} more row(s) with warnings")
        if lang in result.unreviewed:
            click.secho(
                f"  marked as containing unreviewed machine translation: {len(result.unreviewed[lang])} segment(s)",
                fg="yellow",
                err=True,
            )


def published_counts(segments: list):
    """A published language's rows in the vocabulary and order of `review import` (pipeline/review/status.py), so
    that both say "6 edited, 3 marked OK, 11 from memory" of the same rows. `segments`: publish/plan.py's
    PublishedSegment, after the gate."""
    from pipeline.publish.plan import EMPTIED, MEMORY, REVIEWED, VERBATIM  # lazy: python-docx, lxml
    from pipeline.review.status import count_rows, row_status  # lazy: with the plan

    rows = []
    for segment in segments:
        origin = {MEMORY: "memory", VERBATIM: "verbatim"}.get(segment.how, "machine")
        approval = (segment.approval or "edited") if segment.how in (REVIEWED, EMPTIED) else None
        status = row_status(
            origin=origin, approval=approval, emptied=segment.how == EMPTIED, glossary=False, errors=bool(segment.problems)
        )
        rows.append((segment.id, status))
    return count_rows(rows)
