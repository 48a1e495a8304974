"""`translate memory`: the translation memory, and moving it to and from CAT tools (docs/review.md)."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.options import memory_option
from pipeline.cli.workspace import current_workspace, memory_in_use, say_used

MEMORY_HELP = "Translation memory file [default: $TRANSLATE_MEMORY, else the workspace's memory, else output/memory.sqlite]."


def _path(memory_path: Path | None) -> Path:
    workspace = current_workspace()
    path, said = memory_in_use(memory_path, False, workspace, Path("output") / "memory.sqlite")
    say_used(workspace, memory=said, models=False)
    return path


@click.group()
def memory() -> None:
    """The translation memory: reviewed pairs reused by `translate run`; TMX and XLIFF 2.0 exchange."""


@memory.command()
@click.option("--format", "fmt", type=click.Choice(["tmx", "xliff"]), required=True, help="TMX 1.4 or XLIFF 2.0.")
@click.option("-o", "--output", "output", type=click.Path(path_type=Path, dir_okay=False), required=True, help="File to write.")
@click.option("--lang", metavar="LANG", help="Only this target language (XLIFF holds one; required if the memory holds several).")
@click.option("--all", "all_entries", is_flag=True, help="Also earlier translations a later review replaced.")
@memory_option(MEMORY_HELP)
def export(fmt: str, output: Path, lang: str | None, all_entries: bool, memory_path: Path | None) -> None:
    """Write the memory as TMX or XLIFF 2.0 for a CAT tool.

    \b
    Examples:
      translate memory export --format tmx -o kmu.tmx
      translate memory export --format xliff --lang ja -o kmu-ja.xlf
    """
    from pipeline.memory import MemoryStore  # lazy: sqlite3; keeps --help fast
    from pipeline.memory.exchange import export_memory  # lazy: sqlite3, the TMX/XLIFF writers

    with MemoryStore(_path(memory_path), readonly=True) as store:
        count = export_memory(store, output, fmt, lang=lang, all_entries=all_entries)
    click.echo(f"{count} entr{'y' if count == 1 else 'ies'} → {output}")


@memory.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["tmx", "xliff"]), help="[default: from the file name: .tmx, .xlf/.xliff]")
@memory_option(MEMORY_HELP)
def import_files(files: tuple[Path, ...], fmt: str | None, memory_path: Path | None) -> None:
    """Add the approved pairs of TMX or XLIFF (2.0 or 1.2) FILES to the memory. Importing twice adds nothing.

    \b
    Examples:
      translate memory import from-trados.tmx
      translate memory import kmu-ja.xlf --memory output/memory.sqlite
    """
    from pipeline.memory import MemoryStore  # lazy: sqlite3; keeps --help fast
    from pipeline.memory.exchange import import_memory  # lazy: sqlite3, the TMX/XLIFF readers

    with MemoryStore(_path(memory_path)) as store:
        for file in files:
            result = import_memory(store, file, fmt)
            added = result.added
            click.echo(
                f"{file}: {result.read} pair(s) read: {added.new} new, {added.updated} updated, "
                f"{added.unchanged} already there" + (f"; {len(result.skipped)} skipped" if result.skipped else "")
            )
            for line in result.skipped[:10]:
                click.echo(f"  skipped {line}")
            for line in result.notes[:10]:
                click.echo(f"  note: {line}")
            if len(result.notes) > 10:
                click.echo(f"  … and {len(result.notes) - 10} more unit(s) with inline codes removed")


@memory.command()
@memory_option(MEMORY_HELP)
def stats(memory_path: Path | None) -> None:
    """Entries per language and status: the current translation of each sentence (the lines add up to the first
    number); earlier translations a later review replaced are counted apart."""
    from pipeline.memory import MemoryStore  # lazy: sqlite3; keeps --help fast

    path = _path(memory_path)
    with MemoryStore(path, readonly=True) as store:
        figures = store.stats()
        total = store.count()
    current = sum(n for by_status in figures.values() for n in by_status.values())
    # The per-language lines count each sentence's current translation; the memory also keeps the translations a
    # later review replaced (`memory export --all`): said apart, so that the lines add up to the first number.
    earlier = total - current
    click.echo(
        f"{path}: {current} entr{'y' if current == 1 else 'ies'} (the current translation of each sentence and language)"
        + (f"; also {earlier} earlier translation(s) a later review replaced, kept as history (memory export --all)" if earlier else "")
    )
    for lang, by_status in sorted(figures.items()):
        click.echo(f"  {lang}: " + ", ".join(f"{n} {status}" for status, n in sorted(by_status.items())))
