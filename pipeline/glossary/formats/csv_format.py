"""CSV for the comms staff who edit in Excel: UTF-8 with a byte-order mark (so Excel shows the Chinese and
Japanese correctly), one row per concept, a header row naming the columns (docs/glossary.md, "CSV"):

    id, english, variants, abbreviations, kind, status, case_sensitive, allow_traditional_in_ja, note,
    <lang>... (one column per target language: zh-TW, ja, zh-CN, ...),
    <lang> abbreviations... (one per language: lines "KMU=高醫")
    <lang> status... (one per language: approved / proposed where that language differs from `status`, else empty)

A cell that holds several values (variants, abbreviations) has one per line (Alt+Enter in Excel).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pipeline.glossary.language_keys import language_key_problem
from pipeline.glossary.model import LANG_CODE, Entry, Problem
from pipeline.glossary.formats import spreadsheet_cells
from pipeline.glossary.formats.base import CONTROL_CHARACTERS, GlossaryFormat, Record, build_entry, control_character_message, one_line
from pipeline.language import ALL as ALL_LANGUAGES
from pipeline.language import DEFAULT_TARGETS

__all__ = ["CsvFormat", "BASE_COLUMNS"]

BASE_COLUMNS = (
    "id",
    "english",
    "variants",
    "abbreviations",
    "kind",
    "status",
    "case_sensitive",
    "allow_traditional_in_ja",
    "note",
)
# Only written when an entry uses them (docs/glossary.md, "People and titles"); `titles` has one line per title,
# "President|kmu" or "Dean|kmu|medical-school" (title | institution id | institution type).
PEOPLE_COLUMNS = ("institution_type", "family", "given", "titles")
FAMILY_SUFFIX = " family"
ABBREVIATIONS_SUFFIX = " abbreviations"
STATUS_SUFFIX = " status"
PREFERRED_ORDER = tuple(lang.code for lang in ALL_LANGUAGES)  # the default targets first (pipeline/language/)


def _lines(cell: str) -> list[str]:
    return [part for part in cell.replace("\r\n", "\n").split("\n") if part != ""]


def _languages(entries: list[Entry]) -> list[str]:
    seen = {lang for e in entries for lang in e.targets}
    seen |= {lang for e in entries for own in e.abbreviations.values() for lang in own}
    first = [lang for lang in PREFERRED_ORDER if lang in seen or lang in DEFAULT_TARGETS]
    return first + sorted(seen - set(first))


def _cell(column: str, cell: str, file: str, line: int, problems: list[Problem]) -> str:
    """The cell's text with a formula-guarding `'` taken off; a warning for a formula-like cell without one."""
    text, risky = spreadsheet_cells.unescape(cell)
    if risky:
        problems.append(
            Problem(
                "csv-formula",
                f"column {column!r} starts with {spreadsheet_cells.shown(text[0])} ({text[:30]!r}): Excel and "
                "LibreOffice may run it as a formula (CSV injection). Kept as text as written; check it is meant. "
                "`glossary export --format csv` writes such cells with a leading ' so that spreadsheets show text",
                file=file,
                line=line,
            )
        )
    return text


def _decoded_text(data: bytes, file: str) -> str | Problem:
    """The file's text, or the problem that stops it being read at all (not UTF-8, a control character)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return Problem("parse", "not UTF-8 text; in Excel save as 'CSV UTF-8 (Comma delimited)'", file=file, line=line)
    bad = CONTROL_CHARACTERS.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        return Problem("parse", control_character_message(bad.group()), file=file, line=line)
    return text


def _header_columns(header: list[str], file: str, problems: list[Problem]) -> dict[str, int]:
    """Column name → index; a problem for a repeated or unknown column and for a missing id or english."""
    columns = {}
    for i, name in enumerate(header):
        key = name.strip()
        if key in columns:
            problems.append(Problem("schema", f"column {key!r} appears twice", file=file, line=1))
        columns[key] = i
        is_lang = LANG_CODE.match(key) or any(
            key.endswith(suffix) and LANG_CODE.match(key[: -len(suffix)])
            for suffix in (ABBREVIATIONS_SUFFIX, STATUS_SUFFIX, FAMILY_SUFFIX)
        )
        language = _column_language(key) if is_lang and key not in BASE_COLUMNS else None
        if language is not None and language_key_problem(language) is not None:
            # said once, on the header, rather than on every row; the column is not read
            problems.append(Problem("schema", f"column {name!r}: {language_key_problem(language)}", file=file, line=1))
            del columns[key]
        elif key not in BASE_COLUMNS and key not in PEOPLE_COLUMNS and not is_lang:
            problems.append(
                Problem(
                    "schema",
                    f"unknown column {name!r} (columns: {', '.join(BASE_COLUMNS)}, then one per language "
                    "like zh-TW, '<language> abbreviations' and '<language> status')",
                    file=file,
                    line=1,
                )
            )
    for required in ("id", "english"):
        if required not in columns:
            problems.append(Problem("schema", f"no {required!r} column in the header row", file=file, line=1))
    return columns


def _column_language(column: str) -> str:
    """The language a language column is for: `ja`, `ja abbreviations`, `ja status`, `ja family` → ja."""
    for suffix in (ABBREVIATIONS_SUFFIX, STATUS_SUFFIX, FAMILY_SUFFIX):
        if column.endswith(suffix):
            return column[: -len(suffix)]
    return column


def _row_values(cells: dict[str, str], file: str, line: int, problems: list[Problem]) -> dict:
    """One row's cells as the values of a Record (the YAML mapping's shape)."""
    values: dict = {}
    targets: dict[str, str] = {}
    abbreviations: dict[str, dict[str, str]] = {}
    for name, cell in cells.items():
        if cell == "":
            continue
        if name in ("variants", "abbreviations"):
            items = _lines(cell)
            if name == "variants":
                values["variants"] = items
            else:
                for item in items:
                    abbreviations.setdefault(item, {})
        elif name.endswith(ABBREVIATIONS_SUFFIX):
            continue  # after the abbreviations column, below
        elif name in PEOPLE_COLUMNS or (name.endswith(FAMILY_SUFFIX) and LANG_CODE.match(name[: -len(FAMILY_SUFFIX)])):
            _person_cell(values, name, cell)
        elif name.endswith(STATUS_SUFFIX) and name not in BASE_COLUMNS:
            values.setdefault("target_status", {})[name[: -len(STATUS_SUFFIX)]] = cell.strip()
        elif name in BASE_COLUMNS:
            values[name] = cell
        else:
            targets[name] = cell
    _abbreviation_targets(cells, abbreviations, values.get("id"), file, line, problems)
    if targets:
        values["targets"] = targets
    if abbreviations:
        values["abbreviations"] = abbreviations
    return values


def _abbreviation_targets(
    cells: dict[str, str],
    abbreviations: dict[str, dict[str, str]],
    entry: str | None,
    file: str,
    line: int,
    problems: list[Problem],
) -> None:
    """Fill `abbreviations` (from the 'abbreviations' column) with the '<language> abbreviations' cells' forms."""
    for name, cell in cells.items():
        if not name.endswith(ABBREVIATIONS_SUFFIX) or cell == "":
            continue
        lang = name[: -len(ABBREVIATIONS_SUFFIX)]
        for item in _lines(cell):
            abbr, sep, form = item.partition("=")
            if not sep or abbr not in abbreviations:
                problems.append(
                    Problem(
                        "schema",
                        f"column {name!r}: {item!r} must be ABBREVIATION=target, with the abbreviation "
                        "listed in the 'abbreviations' column",
                        file=file,
                        line=line,
                        entry=entry,
                    )
                )
                continue
            abbreviations[abbr][lang] = form


class CsvFormat(GlossaryFormat):
    name = "csv"
    suffixes = (".csv",)

    def read(self, path: Path) -> tuple[list[Entry], list[Problem]]:
        file = str(path)
        text = _decoded_text(path.read_bytes(), file)
        if isinstance(text, Problem):
            return [], [text]
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        problems: list[Problem] = []
        try:
            header = next(reader, None)
        except csv.Error as exc:
            return [], [Problem("parse", one_line(f"CSV error: {exc}"), file=file, line=reader.line_num or 1)]
        if header is None:
            return [], []
        columns = _header_columns(header, file, problems)
        if any(p.fatal for p in problems):
            return [], problems

        entries = []
        previous_end = reader.line_num
        while True:
            start = previous_end + 1
            try:
                row = next(reader, None)
            except csv.Error as exc:
                problems.append(Problem("parse", one_line(f"CSV error: {exc}"), file=file, line=start))
                break
            previous_end = reader.line_num
            if row is None:
                break
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                problems.append(
                    Problem("schema", f"row has {len(row)} cells but the header has {len(header)}", file=file, line=start)
                )
                continue
            cells = {name: (row[i] if i < len(row) else "") for name, i in columns.items()}
            cells = {name: _cell(name, cell, file, start, problems) for name, cell in cells.items()}
            entry = build_entry(Record(_row_values(cells, file, start, problems), path, start), problems)
            if entry is not None:
                entries.append(entry)
        return entries, problems

    def dumps(self, entries: list[Entry]) -> bytes:
        langs = _languages(entries)
        header = list(BASE_COLUMNS) + langs + [lang + ABBREVIATIONS_SUFFIX for lang in langs]
        header += [lang + STATUS_SUFFIX for lang in langs]
        people = any(e.person or e.institution_type for e in entries)
        if people:
            header += list(PEOPLE_COLUMNS) + [lang + FAMILY_SUFFIX for lang in langs]
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        for e in entries:
            row = [
                e.id,
                e.english,
                "\n".join(e.variants),
                "\n".join(e.abbreviations),
                e.kind,
                e.status,
                "" if e.case_sensitive is None else ("yes" if e.case_sensitive else "no"),
                "yes" if e.allow_traditional_in_ja else "",
                e.note,
            ]
            row += [e.targets.get(lang, "") for lang in langs]
            row += [
                "\n".join(f"{abbr}={own[lang]}" for abbr, own in e.abbreviations.items() if lang in own)
                for lang in langs
            ]
            row += [e.target_status.get(lang, "") for lang in langs]
            if people:
                person = e.person or {}
                titles = [
                    "|".join([t["title"], t.get("of", "")] + ([t["type"]] if t.get("type") else [])).rstrip("|")
                    for t in person.get("titles", [])
                ]
                row += [e.institution_type, person.get("family", ""), person.get("given", ""), "\n".join(titles)]
                row += [person.get("family_targets", {}).get(lang, "") for lang in langs]
            writer.writerow([spreadsheet_cells.escape(cell) for cell in row])  # no formula runs in Excel
        return out.getvalue().encode("utf-8-sig")


def _person_cell(values: dict, name: str, cell: str) -> None:
    """One of the people columns into the record's `institution_type` / `person` values."""
    if name == "institution_type":
        values["institution_type"] = cell.strip()
        return
    person = values.setdefault("person", {})
    if name in ("family", "given"):
        person[name] = cell
    elif name == "titles":
        titles = []
        for line in _lines(cell):
            title, _, rest = line.partition("|")
            of, _, kind = rest.partition("|")
            item = {"title": title.strip()}
            if of.strip():
                item["of"] = of.strip()
            if kind.strip():
                item["type"] = kind.strip()
            titles.append(item)
        person["titles"] = titles
    else:
        person.setdefault("family_targets", {})[name[: -len(FAMILY_SUFFIX)]] = cell
