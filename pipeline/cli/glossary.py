"""`translate glossary ...`: check the glossary (the CI check), check translations against it, convert it to and
from CSV/TBX, and list names it does not cover. Format and rules: docs/glossary.md.

Exit codes of `check`: 0 clean, 1 violations, 2 usage or parse error; warnings (`term-count`) are reported and
never change the exit code.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline.cli.glossary_edit import add
from pipeline.cli.workspace import current_workspace, say_deferred, say_used
from pipeline.core.errors import GlossaryError
from pipeline.language import DEFAULT_TARGETS

__all__ = ["glossary"]

FORMAT_CHOICES = ("human", "json", "github")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
def glossary() -> None:
    """Check, convert and extend the institutional-name glossary (the workspace's, else ./glossaries)."""


glossary.add_command(add)  # `glossary add` lives in pipeline/cli/glossary_edit.py


def _default_paths(against: tuple[Path, ...] = ()) -> list[Path]:
    """The workspace's glossary (said in one line): the current folder's, else that of the first release checked
    `against` (as its manifest records it); else ./glossaries."""
    from pipeline.glossary import default_glossary_path  # lazy: PyYAML; keeps --help fast

    workspace = current_workspace()
    for manifest in () if workspace is not None else _manifests(against):
        workspace = current_workspace(manifest)
        if workspace is not None:
            break
    if workspace is not None:
        say_used(workspace, glossary=str(workspace.glossary), models=False)
        return [workspace.glossary]
    path = default_glossary_path()
    if path is None:
        raise click.UsageError("no ./glossaries folder here: give the glossary files or folders to check")
    say_used(None, glossary=str(path), models=False)
    return [path]


def _manifests(against: tuple[Path, ...]):
    """The run manifests of the releases `--against` names (a manifest, a release folder, an output folder), lazily;
    those that cannot be read are passed over (the check itself reports them)."""
    import json

    for target in against:
        found = [target] if target.is_file() else sorted(target.glob("*.manifest.json")) + sorted(target.glob("*/*.manifest.json"))
        for path in found:
            if path.name.endswith(".manifest.json"):
                try:
                    manifest = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue
                if isinstance(manifest, dict):
                    yield manifest


def _display(path: str | None) -> str | None:
    """A path as the user (and GitHub) wants it: relative to the current folder when inside it."""
    if path is None:
        return None
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _github_escape(value: str, *, property: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def _report(problems, fmt: str, summary: str) -> None:
    if fmt == "json":
        import json

        items = []
        for p in problems:
            item = p.to_dict()
            for key in ("file", "document"):
                if key in item:
                    item[key] = _display(item[key])
            item["severity"] = p.severity
            items.append(item)
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    for p in problems:
        file = _display(p.file or p.document)
        if fmt == "github":
            props = []
            if file:
                props.append(f"file={_github_escape(file, property=True)}")
            if p.line:
                props.append(f"line={p.line}")
            props.append(f"title={_github_escape('glossary ' + p.code, property=True)}")
            click.echo(f"::{p.severity} {','.join(props)}::{_github_escape(p.message)}")
        else:
            where = f"{file}:{p.line}" if file and p.line else (file or "")
            message = p.message
            if where and message.startswith(f"{p.file or p.document}: "):
                message = message[len(f"{p.file or p.document}: ") :]
            code = f"warning: {p.code}" if p.severity == "warning" else p.code
            click.echo(f"{where}: {code}: {message}" if where else f"{code}: {message}")
    if fmt == "human":
        click.echo(summary, err=True)


@glossary.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--against",
    "against",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A release folder (its published <release>.<lang>.docx and .bilingual.docx), an output folder (every "
    "release folder under it), or a file: a run manifest (<release>.manifest.json), a review or published .docx; "
    "repeatable. Every glossary term in the English must have its target in the translation.",
)
@click.option(
    "--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="human", show_default=True,
    help="human: file:line: code: message; json: a list of objects; github: workflow annotations.",
)  # fmt: skip
@click.option(
    "--require-langs",
    show_default=f"the workspace's languages, else {','.join(DEFAULT_TARGETS)}",
    help="Languages every entry (except do-not-translate ones) must have, comma-separated.",
)
def check(paths: tuple[Path, ...], against: tuple[Path, ...], fmt: str, require_langs: str | None) -> None:
    """Validate glossary files (default: the workspace's glossary, else ./glossaries) and, with --against,
    translations.

    \b
    Exit codes: 0 clean, 1 violations, 2 usage or parse error (warnings such
    as term-count are reported but do not change it).
    Examples:
      translate glossary check
      translate glossary check --format github
      translate glossary check --against output/kmu-kumamoto-mou-2025/
      translate glossary check --against output/
    """
    # lazy: the glossary readers (PyYAML, lxml) and the document readers; keeps --help fast
    from pipeline.glossary.checking import check_glossary  # lazy: PyYAML
    from pipeline.glossary.glossary import Glossary  # lazy: PyYAML
    from pipeline.glossary.load import glossary_hash  # lazy: PyYAML

    targets = list(paths) or _default_paths(against)
    if require_langs is None:
        workspace = current_workspace()
        require_langs = ",".join(workspace.languages if workspace else DEFAULT_TARGETS)
    required = tuple(lang.strip() for lang in require_langs.split(",") if lang.strip())
    # a file named alone has its people's `of:` ids and titles resolved against its folder (glossary/checking.py)
    result = check_glossary(targets, required)
    entries, problems, files = result.entries, result.problems, result.files
    documents, releases = 0, ""
    if not any(p.fatal for p in problems):
        if against:
            from pipeline.publish.against import check_against  # lazy: the document readers, for --against only

            hash = glossary_hash(files) if files else ""
            report = check_against(Glossary(targets[0], entries, hash, files), list(against))
            problems += report.problems
            documents = report.documents
            releases = _releases_line(report, problems)
    warnings = [p for p in problems if p.severity == "warning"]
    errors = [p for p in problems if p.severity != "warning"]
    exit_code = 2 if any(p.fatal for p in problems) else 1 if errors else 0
    checked = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'} in {len(files)} file{'s' if len(files) != 1 else ''}"
    if result.context:
        count = len(result.context)
        checked += f"; people's ids resolved against {count} other file{'s' if count != 1 else ''} of its folder"
    if against:
        checked += f", {documents} document{'s' if documents != 1 else ''}{releases}"
    summary = f"{len(errors)} problem{'s' if len(errors) != 1 else ''} ({checked})" if errors else f"OK: {checked}"
    if warnings:
        summary += f"; {len(warnings)} warning{'s' if len(warnings) != 1 else ''} (exit code unchanged)"
    _report(problems, fmt, summary)
    if exit_code != 2:  # the check ran (clean or with violations): say what it used, as a finished command does
        say_deferred()
    sys.exit(exit_code)


def _releases_line(report, problems) -> str:
    """The release folders --against checked (their published documents), those with problems, and those with
    nothing published yet, for the summary; empty when no release folder was given."""
    if not report.releases and not report.unpublished:
        return ""
    count = len(report.releases)
    line = f" published in {count} release{'s' if count != 1 else ''}"
    line += f" ({', '.join(report.releases)})" if report.releases else ""
    failing = report.failing_releases(problems)
    if failing:
        line += f"; problems in {', '.join(failing)}"
    if report.unpublished:
        line += f"; not published yet: {', '.join(report.unpublished)}"
    return line


@glossary.command(name="export")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(("csv", "tbx", "yaml")), required=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="The file to write (- : standard output).")
def export_(paths: tuple[Path, ...], fmt: str, output: Path) -> None:
    """Write the glossary (default ./glossaries) as CSV (for Excel) or TBX (for other translation tools).

    \b
    Examples:
      translate glossary export --format csv -o glossary.csv
      translate glossary export --format tbx -o - | less
    """
    entries = _load_all(paths)
    if str(output) == "-":  # as tools do: `-` is standard output, not a file named "-"
        from pipeline.glossary.formats import FORMATS  # lazy: PyYAML; keeps --help fast

        sys.stdout.flush()
        sys.stdout.buffer.write(FORMATS[fmt].dumps(entries))
        sys.stdout.buffer.flush()
        click.echo(f"Wrote {len(entries)} entries to standard output", err=True)
        return
    _write(entries, fmt, output)
    click.echo(f"Wrote {len(entries)} entries to {output}", err=True)


@glossary.command(name="import")
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="The YAML file to write.")
@click.option(
    "--delete-missing", is_flag=True,
    help="The spreadsheet is the whole truth: entries of OUTPUT whose rows were deleted from it are removed (listed; "
    "the file before is kept as a backup).",
)  # fmt: skip
def import_(file: Path, output: Path, delete_missing: bool) -> None:
    """Convert a CSV or TBX glossary (e.g. edited in Excel) into the project's YAML format.

    Into an existing YAML file, the entries are merged: changed values are updated in place, new entries added at
    the end, comments and formatting kept, and the file before is kept as FILE.backup-<time>. Entries of the file
    that the spreadsheet no longer has are kept, unless --delete-missing.
    """
    from pipeline.glossary.formats import format_for  # lazy: PyYAML; keeps --help fast

    if format_for(output) is None:
        raise click.UsageError(f"{output}: give the output a .yaml, .csv or .tbx name")
    entries = _load_all((file,))
    if output.exists() and format_for(output).name == "yaml":
        # Into the office's own file: comments, order and formatting kept, a backup made (pipeline/glossary/editing.py)
        from pipeline.glossary.editing import merge_into_yaml  # lazy: PyYAML; keeps --help fast

        elsewhere = _ids_in_other_files(output, file)  # an export of the whole folder, imported into one of its files
        skipped = [e for e in entries if e.id in elsewhere]
        report = merge_into_yaml(output, [e for e in entries if e.id not in elsewhere], delete_missing=delete_missing)
        backup = f"; the file before is {report.backup}" if report.backup else "; nothing to change"
        other = f"; {len(skipped)} left to the other files of {output.parent} that hold them" if skipped else ""
        click.echo(f"{output}: {report.summary()}{other}{backup}; check it with `translate glossary check {output}`", err=True)
        for entry_id in report.removed:
            click.echo(f"  removed {entry_id} ({report.removed_english[entry_id]!r}): its row is not in {file}", err=True)
        if report.kept:
            count = len(report.kept)
            click.echo(f"{count} entr{'y' if count == 1 else 'ies'} absent from {file} kept ({', '.join(report.kept)}); "
                       "--delete-missing removes them", err=True)  # fmt: skip
        return
    _write(entries, format_for(output).name, output)
    click.echo(f"Wrote {len(entries)} entries to {output}; check it with `translate glossary check {output}`", err=True)


def _ids_in_other_files(output: Path, source: Path) -> set[str]:
    """Entry ids of the other glossary files in `output`'s folder (not `source`, the file being imported), less those
    `output` holds itself (updated there)."""
    from pipeline.glossary.load import glossary_files, read_entries  # lazy: PyYAML; keeps --help fast

    ids: set[str] = set()
    for other in glossary_files(output.parent):
        if other.resolve() not in (output.resolve(), source.resolve()):
            got, _, _ = read_entries(other)
            ids |= {e.id for e in got}
    own, _, _ = read_entries(output)
    return ids - {e.id for e in own}


def _load_all(paths) -> list:
    from pipeline.glossary.load import read_entries  # lazy: PyYAML; keeps --help fast

    entries = []
    for path in paths or _default_paths():
        got, problems, _ = read_entries(path)
        fatal = [p for p in problems if p.fatal]
        if fatal:
            raise GlossaryError(str(fatal[0]) + (f" (and {len(fatal) - 1} more)" if len(fatal) > 1 else ""))
        for warning in (p for p in problems if p.severity == "warning"):
            click.secho(f"Warning: {warning}", fg="yellow", err=True)  # e.g. a formula-like CSV cell
        entries += got
    return entries


def _write(entries, fmt: str, output: Path) -> None:
    from pipeline.files.atomic import atomic_write_bytes  # lazy: ~6 ms (secrets, hashlib); keeps --help fast
    from pipeline.glossary.formats import FORMATS  # lazy: PyYAML

    atomic_write_bytes(output, FORMATS[fmt].dumps(entries))


@glossary.command()
@click.argument("releases", nargs=-1, type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--glossary", "glossary_path", type=click.Path(path_type=Path),
    help="Default: the workspace's glossary, else ./glossaries.",
)  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(("human", "json")), default="human", show_default=True)
@click.option(
    "--write", "write", type=click.Path(path_type=Path, dir_okay=False),
    help="Also write what was found as proposed entries (no targets yet: the office fills them in) to this YAML "
    "file; an existing file gets the new ones added, its comments kept and a backup made.",
)  # fmt: skip
@click.option(
    "--from-reviews", "from_reviews", is_flag=False, flag_value="", default=None, metavar="[OUTPUT_FOLDER]",
    help="Instead of releases: learn from the reviewed rows of every release under OUTPUT_FOLDER (default: the "
    "workspace's output folder, else ./output): names the glossary lacks in the form reviewers wrote, and glossary "
    "forms reviewers keep replacing, with their evidence; --write writes them with their targets.",
)  # fmt: skip
def suggest(
    releases: tuple[Path, ...], glossary_path: Path | None, fmt: str, write: Path | None, from_reviews: str | None
) -> None:
    """List names in releases that the glossary does not cover (capitalised multi-word names, acronyms) and the
    people named with a title (with their titles and institutions).

    \b
    Examples:
      translate glossary suggest release.docx
      translate glossary suggest release.docx --write glossaries/proposed.yaml
      translate glossary suggest --from-reviews output/ --write proposed.yaml
    """
    from pipeline.glossary import default_glossary_path, load_glossary  # lazy: PyYAML
    from pipeline.glossary.people.suggest import suggest_release  # lazy: PyYAML
    from pipeline.source.ingest import read_release  # lazy: the release readers; keeps --help fast

    if write is not None and write.suffix.lower() not in (".yaml", ".yml"):
        raise click.UsageError(f"{write}: --write takes a .yaml file")
    path = glossary_path or (_default_paths()[0] if current_workspace() else default_glossary_path())
    loaded = load_glossary(path) if path is not None else None
    if from_reviews is not None:
        _from_reviews(from_reviews, releases, loaded, fmt, write)
        return
    if not releases:
        raise click.UsageError("give the releases to read, or --from-reviews [OUTPUT_FOLDER]")
    result = {}
    for release in releases:
        result[str(release)] = suggest_release(read_release(release), loaded)  # its structure says where names are
    if fmt == "json":
        import json

        payload = {r: {"names": names, "people": [p.to_dict() for p in people]} for r, (names, people) in result.items()}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for release, (names, people) in result.items():
            click.echo(f"{release}: {len(names)} name{'s' if len(names) != 1 else ''} not in the glossary")
            for name in names:
                click.echo(f"  {name}")
            if people:
                click.echo(f"{release}: {len(people)} {'person' if len(people) == 1 else 'people'} not in the glossary")
                for person in people:
                    click.echo(f"  {person.describe()}")
    if write is not None:
        _write_proposed(write, result, loaded)


def _from_reviews(folder: str, releases: tuple[Path, ...], loaded, fmt: str, write: Path | None) -> None:
    from pipeline.cli.glossary_learn import suggest_from_reviews  # lazy: the review record's readers

    if releases:
        raise click.UsageError("--from-reviews reads an output folder: give it instead of releases")
    workspace = current_workspace()
    default = workspace.output if workspace is not None else Path("output")
    suggest_from_reviews(Path(folder) if folder else default, loaded, fmt, write)


def _write_proposed(write: Path, result: dict, loaded) -> None:
    from pipeline.cli.glossary_learn import write_proposed_entries  # lazy: PyYAML; keeps --help fast
    from pipeline.glossary.people.suggest import proposed_entries  # lazy: PyYAML; keeps --help fast

    existing = {e.id for e in loaded.entries} if loaded is not None else set()
    entries = []
    seen: set[str] = set()
    for release, (names, people) in result.items():
        found = proposed_entries(people, names, Path(release).name, existing | {e.id for e in entries})
        entries += [e for e in found if e.english not in seen]
        seen |= {e.english for e in found}
    write_proposed_entries(
        write, entries, added_hint="fill in their targets",
        wrote_hint=f": fill in their targets (zh-TW, ja), then `translate glossary check {write}`",
    )  # fmt: skip

