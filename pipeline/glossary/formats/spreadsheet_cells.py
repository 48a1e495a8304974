"""CSV formula injection (OWASP "CSV Injection"): a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return is run as a formula by Excel and LibreOffice when the CSV is opened (`=HYPERLINK(...)`, `=cmd|...`).

Writing: such a cell is prefixed with `'`, which spreadsheets take as "this cell is text" and do not show. A cell
that already starts with `'` followed by one of those characters or by another `'` gets one more `'`, so that
reading can always take exactly one back: `unescape(escape(text)) == text` for every text (a glossary term that
really starts with `-`, like the suffix "-san", survives the round trip). A cell starting with `'` followed by
anything else (`'s-Hertogenbosch`) is written and read as it is.

Reading: a leading `'` before one of those characters is removed (it is the escape, ours or a spreadsheet
user's); a cell that starts with one of them without the `'` is kept as written and reported as a warning.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def needs_escape(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) or (text.startswith(ESCAPE) and text[1:].startswith(FORMULA_STARTS + (ESCAPE,)))


def escape(text: str) -> str:
    """The cell as written to a CSV file: never read as a formula."""
    return ESCAPE + text if needs_escape(text) else text


def unescape(cell: str) -> tuple[str, bool]:
    """(the text a CSV cell stands for, whether it starts like a formula with no escape)."""
    if cell.startswith(ESCAPE) and cell[1:].startswith(FORMULA_STARTS + (ESCAPE,)):
        return cell[1:], False
    return cell, cell.startswith(FORMULA_STARTS)


def shown(char: str) -> str:
    return {"\t": "a tab", "\r": "a carriage return"}.get(char, f"'{char}'")
