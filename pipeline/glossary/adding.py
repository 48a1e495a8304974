"""`translate glossary add`: one entry into the right file of the glossary folder, checked before it is written.

Which file (docs/glossary.md, "Adding an entry"):

1. `--file FILE`: that YAML file of the glossary folder (created when it does not exist);
2. else the folder's YAML file that holds the most entries of the new entry's kind (a tie: the first by name);
3. else `proposed.yaml` in the folder (created when it does not exist).

A glossary that is a single file gets the entry in that file. CSV and TBX files are never written: they are the
spreadsheet's and the CAT tools' copies (`glossary import` brings them in).

Refused (GlossaryError, exit 2, one line naming the file; nothing written): a glossary that has a parse or schema
problem already, an id or an English form (name, variant, abbreviation) the glossary has, a language key that is no
language (`jp`), and anything `glossary check` would report on the new entry (conflicting or shared targets, a
missing required language, Simplified characters in a zh-TW form, …). The new file's text is read back with the
glossary's own reader before it replaces the file (pipeline/glossary/editing.py), atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.core.errors import GlossaryError
from pipeline.files.atomic import atomic_write_bytes
from pipeline.glossary.editing import read_yaml_text, verify_yaml_text, with_entry_added
from pipeline.glossary.formats import FORMATS, format_for
from pipeline.glossary.formats.base import Record, build_entry
from pipeline.glossary.formats.tbx_format import generated_id
from pipeline.glossary.formats.yaml_titles import read_titles
from pipeline.glossary.lint import lint
from pipeline.glossary.load import read_entries
from pipeline.glossary.match import fold, lower
from pipeline.glossary.model import Entry, Problem
from pipeline.glossary.people.names import lint_people

__all__ = ["Added", "add_entry", "choose_file"]

PROPOSED_FILE = "proposed.yaml"


@dataclass(frozen=True)
class Added:
    entry: Entry
    file: Path
    line: int  # where the entry starts in the file written
    why: str  # why that file ("--file", "the file holding the most institution entries", …)
    created: bool


def choose_file(glossary: Path, kind: str, entries: list[Entry], file: Path | None) -> tuple[Path, str]:
    """The file the new entry goes to, and why (the module docstring's rule)."""
    glossary = Path(glossary)
    if file is not None:
        path = glossary / file if glossary.is_dir() and file.parent == Path(".") else file
        folder = glossary if glossary.is_dir() else glossary.parent
        if path.resolve().parent != folder.resolve():
            raise GlossaryError(f"{file}: not a file of the glossary folder {folder}; give a file name in it (--file proposed.yaml)")
        if path.suffix.lower() not in (".yaml", ".yml"):
            raise GlossaryError(f"{path}: glossary add writes YAML files only; give a .yaml file (a spreadsheet comes in with `translate glossary import`)")
        return path, "--file"
    if not glossary.is_dir():
        return glossary, "the glossary's file"
    counts: dict[Path, int] = {}
    for entry in entries:
        if entry.kind == kind and entry.source is not None and format_for(entry.source).name == "yaml":
            counts[Path(entry.source)] = counts.get(Path(entry.source), 0) + 1
    if counts:
        best = max(sorted(counts, key=lambda p: p.name), key=lambda p: counts[p])  # max keeps the first of a tie
        return best, f"the file holding the most {kind} entries"
    return glossary / PROPOSED_FILE, f"no file holds {kind} entries"


def add_entry(glossary: Path, values: dict, *, file: Path | None, required: tuple[str, ...]) -> Added:
    """Add the entry `values` (the YAML mapping's fields) to the glossary folder or file `glossary`: refused or
    written whole (module docstring)."""
    existing, problems, files = read_entries(glossary, cache=False)
    fatal = [p for p in problems if p.fatal]
    if fatal:
        raise GlossaryError(f"{fatal[0]}; fix the glossary first (`translate glossary check`) — nothing was changed")
    target, why = choose_file(glossary, str(values.get("kind") or "term"), existing, file)
    ids = {e.id for e in existing}
    if values.get("id") in ids:
        other = next(e for e in existing if e.id == values["id"])
        raise GlossaryError(f"{_where(other)}: id {other.id!r} is already used (by {other.english!r}); give another "
                            "--id — nothing was changed")  # fmt: skip
    if not values.get("id"):
        values = {**values, "id": generated_id(str(values.get("english") or ""), ids)}
    found: list[Problem] = []
    entry = build_entry(Record(values, target, 0), found)
    if entry is None:
        raise GlossaryError(f"{target}: {found[0].message}" + _more(found) + " — nothing was changed")
    _refuse_known_forms(entry, existing)
    _refuse_check_problems(entry, existing, files, target, required)
    return _write(target, entry, [e.id for e in existing if _same(e.source, target)], why)


def _refuse_known_forms(entry: Entry, existing: list[Entry]) -> None:
    """An English form of the new entry that an entry of the glossary has already (as lint folds forms)."""
    known = {}
    for other in existing:
        for form, kind in other.forms():
            known.setdefault(lower(fold(form.strip())), (other, form, kind))
    for form, _ in entry.forms():
        hit = known.get(lower(fold(form.strip())))
        if hit is not None:
            other, theirs, kind = hit
            raise GlossaryError(
                f"{_where(other)}: {form!r} is already in the glossary (entry {other.id}, its {kind} {theirs!r}); "
                "change that entry instead — nothing was changed"
            )


def _refuse_check_problems(entry: Entry, existing: list[Entry], files: list[Path], target: Path, required) -> None:
    """What `glossary check` would report on the new entry, with the whole glossary around it (the pair problems of
    lint are reported on the later entry of a pair: the new one, which comes last)."""
    titles, _, _ = read_titles(files)
    everything = existing + [entry]
    problems = lint(everything, required) + lint_people(everything, titles, required)
    mine = [p for p in problems if p.entry == entry.id and p.severity != "warning"]
    if mine:
        first = mine[0]
        missing = [lang for lang in required if lang not in entry.targets]
        hint = "; give " + " ".join(f"--target {lang}=FORM" for lang in missing) if first.code == "missing-language" else ""
        raise GlossaryError(f"{target}: {first.code}: {first.message}{hint}{_more(mine)} — nothing was changed")


def _write(target: Path, entry: Entry, ids: list[str], why: str) -> Added:
    created = not target.exists()
    if created:
        raw, text, index = b"", FORMATS["yaml"].dumps([entry]).decode("utf-8"), 0
    else:
        raw, old = read_yaml_text(target)
        text, index = with_entry_added(target, old, entry)
    written = verify_yaml_text(target, text, ids[:index] + [entry.id] + ids[index:])
    if next(e for e in written if e.id == entry.id) != entry:
        raise GlossaryError(f"{target}: the entry would not read back as given; nothing was changed")
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    atomic_write_bytes(target, (bom + text).encode("utf-8"))
    line = next(e.line for e in written if e.id == entry.id)
    return Added(entry, target, line, why, created)


def _same(source: Path | None, target: Path) -> bool:
    return source is not None and Path(source).resolve() == target.resolve()


def _where(entry: Entry) -> str:
    file, line = entry.where("id")
    return f"{file}:{line}" if line else str(file)


def _more(problems: list[Problem]) -> str:
    return f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
