"""`translate glossary check` on glossary files and folders: every problem of what was named, found by the same
readers and checks as loading (`load.read_entries`, `formats.yaml_titles.read_titles`), the content check
(`lint.lint`) and the people check (`people.names.lint_people`). `glossary add` validates an entry with it too.

A file named alone is still part of its folder: the office keeps one glossary in several files (kmu.yaml beside
proposed.yaml), and a person in proposed.yaml says `of: kmu` for an institution kept in kmu.yaml, with the titles
table wherever the folder has it. So the references of a named file's person entries (`of:` ids, titles) are
resolved against every glossary file of its folder, as `translate run` resolves them when it loads the folder;
only the named file's own problems are reported (the other files are checked when the folder is).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.glossary.formats.yaml_titles import read_titles
from pipeline.glossary.lint import lint
from pipeline.glossary.load import duplicate_ids, glossary_files, read_entries
from pipeline.glossary.model import Entry, Problem
from pipeline.glossary.people.names import lint_people

__all__ = ["CheckResult", "check_glossary", "folder_context"]


@dataclass
class CheckResult:
    entries: list[Entry] = field(default_factory=list)  # the entries of the files named
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)  # the glossary files named (a folder: its files)
    context: list[Path] = field(default_factory=list)  # other files of a named file's folder, read for references

    @property
    def fatal(self) -> bool:
        return any(p.fatal for p in self.problems)


def check_glossary(targets: list[Path], required: tuple[str, ...]) -> CheckResult:
    """Every problem of the glossary files and folders `targets` (module docstring), not raised."""
    result = CheckResult()
    for path in targets:
        got, found, read = read_entries(path, cache=False)
        result.entries += got
        # duplicate ids inside one path were reported by read_entries; across paths below
        result.problems += found
        result.files += read
        if not read and not found:
            result.problems.append(
                Problem("usage", f"{path}: no glossary files (.yaml, .yml, .csv, .tbx) in it", file=str(path))
            )
    if len(targets) > 1:
        within = {(p.file, p.line) for p in result.problems if p.code == "schema"}
        result.problems += [p for p in duplicate_ids(result.entries) if (p.file, p.line) not in within]
    others: list[Entry] = []
    if any(e.kind == "person" for e in result.entries):
        others, result.context = folder_context(targets, result.files)
    own = _owned_by(result.files)
    titles, _, title_problems = read_titles(result.context + result.files)
    result.problems += [p for p in title_problems if own(p)]
    if not result.fatal:
        result.problems += lint(result.entries, required)
        result.problems += [p for p in lint_people(others + result.entries, titles, required) if own(p)]
    return result


def folder_context(targets: list[Path], named: list[Path]) -> tuple[list[Entry], list[Path]]:
    """The entries and files of the folders of the FILES in `targets` (a folder named is whole already), except
    the `named` files themselves; their problems are left to a check of the folder."""
    seen = {f.resolve() for f in named}
    files: list[Path] = []
    for target in targets:
        if Path(target).is_dir():
            continue
        for other in glossary_files(Path(target).resolve().parent):
            if other.resolve() not in seen:
                seen.add(other.resolve())
                files.append(other)
    entries: list[Entry] = []
    for other in files:
        got, _, _ = read_entries(other)
        entries += got
    return entries, files


def _owned_by(files: list[Path]):
    """Whether a problem is in one of `files` (or in none: a usage problem)."""
    mine = {str(f.resolve()) for f in files}

    def own(problem: Problem) -> bool:
        return problem.file is None or str(Path(problem.file).resolve()) in mine

    return own
