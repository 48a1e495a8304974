"""The refusals (`ReviewError`, exit 6): nothing is imported from a document that

* is a published document, not a review document;
* names a language (core property `language`) the run did not translate to, or whose property disagrees with the
  table's target column header (繁體中文 for zh-TW, 日本語 for ja: `writer.language_style(lang).column`);
* is identical, byte for byte, to what the run wrote (nobody saved it: not reviewed), unless accepted as it is;
* has rows deleted, added, reordered, or an ID or English cell altered.

A document from another run, or with no run at all, is refused where it is located (locate.py); a damaged or
truncated one by the reader.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.core.errors import ReviewError
from pipeline.core.release import normalize
from pipeline.files.manifest import file_sha256
from pipeline.review.difference import show_difference
from pipeline.review.importing.locate import Located
from pipeline.review.importing.text import as_compared
from pipeline.review.read.reader import KIND_REVIEW
from pipeline.review.write.writer import language_style

ROWS_SHOWN = 12  # a refusal lists this many problems, then how many more


def check_kind(path: Path, meta: dict) -> None:
    if meta["kind"] != KIND_REVIEW:
        raise ReviewError(f"Refused {path}: a published document, not a review document.")


def validate(path: Path, document, located: Located, *, accept_unedited: bool) -> tuple[str, str]:
    """(the document's language, its sha256), once every check passed; else refuse."""
    manifest, run_id = located.manifest, located.run_id
    meta = document.meta
    lang = meta.get("language")
    languages = manifest.get("languages") or sorted({k for s in manifest["segments"] for k in (s.get("targets") or {})})
    if not lang or lang not in languages:
        raise ReviewError(
            f"Refused {path}: its language ({lang or 'none'}, File → Properties) is not one of run {run_id}'s "
            f"({', '.join(languages)})."
        )
    written = ((manifest.get("documents") or {}).get(lang) or {}).get("sha256")
    sha256 = file_sha256(path)
    if written and written == sha256 and not accept_unedited:
        raise ReviewError(
            f"Refused {path}: it is exactly the document run {run_id} wrote (nobody saved it, so it was not "
            "reviewed). If the reviewer approved it as it is, pass --approve-all."
        )
    check_language_column(path, lang, meta.get("columns") or [], languages)
    check_rows(path, document.rows, manifest["segments"], located.manifest_path, language_style(lang).column)
    return lang, sha256


def refusal(path: Path, problems: list[str], manifest: Path, column: str) -> ReviewError:
    shown = problems[:ROWS_SHOWN]
    more = f"\n  … and {len(problems) - ROWS_SHOWN} more" if len(problems) > ROWS_SHOWN else ""
    return ReviewError(
        f"Refused {path}: it does not match the run in {manifest} ({len(problems)} problem"
        f"{'s' if len(problems) != 1 else ''}); nothing was imported.\n  "
        + "\n  ".join(shown)
        + more
        + f"\n  The reviewer may edit the {column} column (and Notes) only; ask for the document again, or send "
        "the current review document."
    )


def row_order_problems(rows: list, expected: list[str]) -> list[str]:
    """Rows missing, added, copied or reordered, compared with the segment ids the run wrote, in order."""
    got = [r.id for r in rows]
    if got == expected:
        return []
    problems: list[str] = []
    known = set(expected)
    present = set(got)
    missing = [i for i in expected if i not in present]
    if missing:
        problems.append(f"rows missing (deleted?): {', '.join(missing)}")
    for row in rows:
        if row.id not in known:
            what = "empty" if not row.id else repr(row.id)
            problems.append(f"row {row.row}: ID {what} is not a segment of this run (ID cell altered, or a row added)")
    seen: set[str] = set()
    for row in rows:
        if row.id in known and row.id in seen:
            problems.append(f"row {row.row}: ID {row.id} appears twice (row copied?)")
        seen.add(row.id)
    if not problems:
        order = [i for i in got if i in known]
        first = next(k for k, (a, b) in enumerate(zip(order, expected)) if a != b)
        problems.append(f"rows reordered (sorted?): row {first + 2} holds {order[first]}, where {expected[first]} belongs")
    return problems


def check_rows(path: Path, rows: list, segments: list[dict], manifest_path: Path, column: str) -> None:
    problems = row_order_problems(rows, [s["id"] for s in segments])
    by_id = {s["id"]: s for s in segments}
    for row in rows:
        segment = by_id.get(row.id)
        if segment is None:
            continue
        if normalize(row.english) != as_compared(segment["source"]):
            problems.append(
                f"row {row.row} ({row.id}): English cell altered: "
                + show_difference(normalize(row.english), as_compared(segment["source"]))
            )
    if problems:
        raise refusal(path, problems, manifest_path, column)


def check_language_column(path: Path, lang: str, columns: list[str], languages: list[str]) -> None:
    """The language property (File → Properties) must agree with the table's target column header (繁體中文, 日本語):
    a property set wrongly would file the reviewer's text under another language."""
    expected = language_style(lang).column
    label = normalize(columns[2]) if len(columns) > 2 else ""
    if label == normalize(expected):
        return
    others = [code for code in languages if code != lang and normalize(language_style(code).column) == label]
    heading = f"“{label}”" if label else "nothing"
    said = f" ({', '.join(others)})" if others else ""
    raise ReviewError(
        f"Refused {path}: its language property (File → Properties) says {lang}, but its table's target column is "
        f"headed {heading}{said}, where a {lang} review document's says “{expected}”; nothing was imported. Import the "
        f"{lang} review document, or correct the document's language property to the column's language."
    )
