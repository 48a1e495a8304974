"""`translate status`: where each release and language stands (docs/review.md, "Where a release stands")."""

from __future__ import annotations

import json
from pathlib import Path

import click

from pipeline.cli.options import glossary_options, memory_options
from pipeline.cli.workspace import current_workspace, open_read_memory, say_used


@click.command()
@click.argument("targets", nargs=-1, type=click.Path(path_type=Path), metavar="[RELEASE_OR_OUTPUT_FOLDER]...")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["human", "json"]),
    default="human",
    show_default=True,
    help="json: one document for scripts (its shape: docs/review.md).",
)
@glossary_options(
    "Glossary to check against [default: the glossary each run used, as publish checks].",
    "Check only the terms each run recorded.",
)
@memory_options(
    "Approved translations publish would use [default: $TRANSLATE_MEMORY, else memory.sqlite in the run's output "
    "folder, if it exists].",
    "Only the releases' own reviewed documents.",
)
def status(
    targets: tuple[Path, ...],
    output_format: str,
    glossary_path: Path | None,
    no_glossary: bool,
    memory_path: Path | None,
    no_memory: bool,
) -> None:
    """Where each release stands, per language: segments approved and not, the last import, whether it can be
    published and why not, its published files (current or stale, and why) and the next step. Writes nothing.

    RELEASE_OR_OUTPUT_FOLDER: a release's output folder, its manifest, or an output folder (every release in it)
    [default: the workspace's output folder, else ./output].

    \b
    Examples:
      translate status
      translate status output/kmu-kumamoto-mou-2025
      translate status output/ --format json
    """
    from pipeline.memory import open_run_memory  # lazy: sqlite3
    from pipeline.publish.status import release_manifests, release_status, render, to_json  # lazy: the gate's modules

    workspace = current_workspace()  # inside a workspace: its output folder and its memory
    manifests = release_manifests(list(targets) or [workspace.output if workspace is not None else Path("output")])
    opened = []

    def open_memory(manifest_path: Path):
        if workspace is not None:
            store, _, _ = open_read_memory(memory_path, no_memory, workspace, Path(manifest_path).resolve().parent.parent)
        else:
            store = open_run_memory(memory_path, Path(manifest_path).resolve().parent.parent, disabled=no_memory)
        if store is not None:
            opened.append(store)
        return store

    try:
        statuses = [
            release_status(m, memory=open_memory, glossary_path=glossary_path, use_glossary=not no_glossary)
            for m in manifests
        ]
    finally:
        for store in opened:
            store.close()
    say_used(
        workspace, models=False,
        glossary="none (--no-glossary)" if no_glossary else str(glossary_path or "each release's recorded glossary"),
        memory=str(memory_path) if memory_path else "none (--no-memory)" if no_memory else
        str(workspace.memory) if workspace is not None else "each output folder's memory.sqlite",
    )  # fmt: skip
    if output_format == "json":
        click.echo(json.dumps(to_json(statuses), ensure_ascii=False, indent=2))
    else:
        click.echo(render(statuses))
