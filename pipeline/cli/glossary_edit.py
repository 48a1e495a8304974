"""`translate glossary add`: one entry into the right file of the glossary folder (pipeline/glossary/adding.py),
registered on the `glossary` group by pipeline/cli/glossary.py. Only click at import (`translate --help`)."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.workspace import current_workspace, say_used

__all__ = ["add"]


def _targets(pairs: tuple[str, ...]) -> dict[str, str]:
    targets: dict[str, str] = {}
    for pair in pairs:
        lang, sep, form = pair.partition("=")
        if not sep or not lang.strip() or not form.strip():
            raise click.UsageError(f"--target {pair!r}: give LANG=FORM, e.g. --target ja=大阪大学")
        if lang.strip() in targets:
            raise click.UsageError(f"--target {lang.strip()} given twice: an entry has one form per language")
        targets[lang.strip()] = form.strip()
    return targets


@click.command(name="add")
@click.argument("english")
@click.option("--kind", required=True, help="institution, person, place, programme, term or do-not-translate.")
@click.option("--target", "targets", multiple=True, metavar="LANG=FORM", help="A form per language; repeatable.")
@click.option(
    "--status", type=click.Choice(("proposed", "approved")), default="proposed", show_default=True,
    help="proposed: the review document asks the reviewer to confirm it.",
)  # fmt: skip
@click.option("--variant", "variants", multiple=True, help="Another English spelling of the name; repeatable.")
@click.option("--abbreviation", "abbreviations", multiple=True, help="An English abbreviation (kept in English); repeatable.")
@click.option("--note", help="Free text for the office.")
@click.option("--id", "entry_id", help="The entry's id [default: from the English name: osaka-university].")
@click.option(
    "--file", "file", type=click.Path(path_type=Path, dir_okay=False),
    help="The YAML file of the glossary folder to add it to [default: the file holding the most entries of this "
    "kind, else proposed.yaml].",
)  # fmt: skip
@click.option(
    "--glossary", "glossary_path", type=click.Path(path_type=Path),
    help="The glossary folder (or file) [default: the workspace's glossary, else ./glossaries].",
)  # fmt: skip
def add(
    english: str, kind: str, targets: tuple[str, ...], status: str, variants: tuple[str, ...],
    abbreviations: tuple[str, ...], note: str | None, entry_id: str | None, file: Path | None,
    glossary_path: Path | None,
) -> None:  # fmt: skip
    """Add an entry to the glossary, its file's comments, order and formatting kept.

    The entry is checked as `translate glossary check` checks the glossary (an id or English form it already has,
    a language that is no language, a conflicting or shared target, a required language missing) and written only
    if clean; exit 2 and one line naming the file otherwise.

    \b
    Examples:
      translate glossary add "Osaka University" --kind institution --target zh-TW=大阪大學 --target ja=大阪大学
      translate glossary add "NCVC" --kind do-not-translate --status approved
      translate glossary add "Hisao Ogawa" --kind person --target zh-TW=小川久雄 --target ja=小川久雄 --file people.yaml
    """
    from pipeline.glossary.adding import add_entry  # lazy: PyYAML, ruamel.yaml; keeps --help fast
    from pipeline.glossary.load import default_glossary_path  # lazy: PyYAML
    from pipeline.language import DEFAULT_TARGETS  # lazy: the language registry

    workspace = current_workspace()
    glossary = glossary_path or (workspace.glossary if workspace is not None else default_glossary_path())
    if glossary is None:
        raise click.UsageError("no ./glossaries folder here: give --glossary PATH (or run it in a workspace)")
    if glossary_path is None:
        say_used(workspace, glossary=str(glossary), models=False)
    values: dict = {"english": english, "kind": kind, "status": status}
    for key, value in (("variants", list(variants)), ("abbreviations", list(abbreviations)),
                       ("targets", _targets(targets)), ("note", note), ("id", entry_id)):  # fmt: skip
        if value:
            values[key] = value
    required = tuple(workspace.languages) if workspace is not None else tuple(DEFAULT_TARGETS)
    added = add_entry(Path(glossary), values, file=file, required=required)
    entry = added.entry
    forms = ", ".join(f"{lang} {form}" for lang, form in entry.targets.items()) or "kept in English"
    how = "created" if added.created else added.why
    click.echo(f"Added {entry.id} to {added.file}:{added.line} ({how}): {entry.english!r}, {entry.kind}, {entry.status}; {forms}")
