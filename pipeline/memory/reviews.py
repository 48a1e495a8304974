"""The review record of a release: `<release>.reviewed.sqlite`, the ONE store of record of what `translate review
import` took in (docs/review.md, "Where the review is kept").

It holds exactly what `<release>.reviewed.json` used to be the record of: per run id and language, the merged
segments `publish` uses and every imported document with its hash (the rerun guard, pipeline/files/release_folder.py). It is
written in the SAME SQLite transaction as the translation memory: the memory connection ATTACHes the record and
commits both together (rollback journals and a super-journal: SQLite's atomic commit across files), so a kill -9,
a power cut or a full disk leaves both as they were or both changed — never the memory with 5 edits and the
record with 3. With `--no-memory` the record is committed alone.

`<release>.reviewed.json` is DERIVED: a readable copy rendered from the record after an import command (and by the next
import or publish when a crash or a full disk left it behind). Nothing reads it for a decision while the record
exists. A release folder from before the record (reviewed.json only) is read from its reviewed.json, and the next
import writes the record from it; likewise, a record moved away is rebuilt from reviewed.json.

Schema (`PRAGMA user_version` = 1):

    record (id = 1, release, generation)      generation: +1 per commit that changed a block
    blocks (run_id, lang, block)              block: the JSON of one run+language block (review/importing/record.py `plan_record`)
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.core.errors import OutputError, ReviewError
from pipeline.core.limits import JSON_MAX_BYTES, LimitExceeded, read_bounded
from pipeline.files.atomic import atomic_write_text
from pipeline.files.json_text import readable
from pipeline.memory.store import rollback_quietly, sqlite_failure

RECORD_SCHEMA = 1
REVIEWED_SCHEMA = 1  # the JSON shape (review/importing/record.py), unchanged
TIMEOUT = 5.0

_TABLES = (
    "CREATE TABLE IF NOT EXISTS {s}.record (id INTEGER PRIMARY KEY CHECK (id = 1), release TEXT, generation INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {s}.blocks (run_id TEXT NOT NULL, lang TEXT NOT NULL, block TEXT NOT NULL, "
    "PRIMARY KEY (run_id, lang))",
)


def record_path(reviewed_json: Path) -> Path:
    """`<release>.reviewed.sqlite` beside `<release>.reviewed.json`."""
    return Path(reviewed_json).with_suffix(".sqlite")


def empty() -> dict[str, Any]:
    return {"schema_version": REVIEWED_SCHEMA, "runs": {}}


# --------------------------------------------------------------------------------------------- reading


def load(reviewed_json: Path) -> dict[str, Any]:
    """The review data of a release (the shape of reviewed.json): from the record, else from a reviewed.json
    written before the record existed, else empty. A damaged record or file is a `ReviewError` naming it."""
    path = record_path(reviewed_json)
    if path.is_file():
        data = _load_record(path)
        if data is not None:
            return data
    elif path.exists():
        raise ReviewError(_not_a_file(path))
    return _load_json(Path(reviewed_json))


def _not_a_file(path: Path) -> str:
    return (
        f"{path} (the record of the reviews imported for this release) is a folder, not the record file; move it "
        f"away and run the command again (the next import rebuilds the record from {path.with_suffix('.json').name})."
    )


def _load_record(path: Path) -> dict[str, Any] | None:
    """None for a record without tables (its first commit never completed: SQLite rolled it back)."""
    try:
        # Not read-only: a hot journal left by a killed import must be rolled back before reading.
        conn = sqlite3.connect(str(path), timeout=TIMEOUT, isolation_level=None)
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
                return None
            row = conn.execute("SELECT release FROM record WHERE id = 1").fetchone()
            blocks = conn.execute("SELECT run_id, lang, block FROM blocks ORDER BY rowid").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise ReviewError(
            f"{path} (the record of the reviews imported for this release) cannot be read ({exc}); it was left as it "
            f"is. If it is damaged, move it away: the next import rebuilds it from {path.with_suffix('.json').name}."
        ) from None
    data = empty()
    if row is not None and row[0] is not None:
        data["release"] = row[0]
    for run_id, lang, block in blocks:
        try:
            data["runs"].setdefault(run_id, {})[lang] = json.loads(block)
        except ValueError:
            raise ReviewError(f"{path}: the review of run {run_id} ({lang}) is damaged; it was left as it is.") from None
    return data


def _load_json(path: Path) -> dict[str, Any]:
    if not path.exists():
        return empty()
    try:
        raw = read_bounded(path, JSON_MAX_BYTES, "a reviewed.json")
    except LimitExceeded as exc:
        raise ReviewError(
            f"{path} {exc}; it was left as it is. Move it away and import the reviewed documents again."
        ) from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReviewError(
            f"{path} is damaged ({type(exc).__name__}: {exc}); it was left as it is. Move it away and import the "
            "reviewed documents again."
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("runs"), dict):
        raise ReviewError(f"{path} is not a reviewed-segments file of this pipeline; it was left as it is.")
    if data.get("schema_version") != REVIEWED_SCHEMA:
        raise ReviewError(f"{path} has schema version {data.get('schema_version')!r}; this pipeline reads {REVIEWED_SCHEMA}.")
    data.pop("record", None)
    return data


def imported_hashes(reviewed_json: Path) -> set[str]:
    """Hashes of every review document imported for this release. Damaged or foreign: nothing (the documents then
    count as not imported, never the reverse)."""
    try:
        runs = load(reviewed_json).get("runs", {})
        blocks = [block for run in runs.values() if isinstance(run, dict) for block in run.values()]
        blocks = [block for block in blocks if isinstance(block, dict)]
        # Each language block: the latest document's hash, and every merged document's (review/importing/merge.py).
        records = blocks + [doc for block in blocks for doc in (block.get("documents") or {}).values() if isinstance(doc, dict)]
        return {record["sha256"] for record in records if isinstance(record.get("sha256"), str)}
    except (ReviewError, AttributeError):
        return set()


# --------------------------------------------------------------------------------------------- writing


def writer(data: dict[str, Any], schema: str = "review") -> Callable[[sqlite3.Connection], None]:
    """A function that writes `data` into the record ATTACHed as `schema`, inside the caller's transaction: the
    blocks that differ from what the record holds (all of them the first time, a reviewed.json taken over
    included)."""

    def write(conn: sqlite3.Connection) -> None:
        for statement in _TABLES:
            conn.execute(statement.format(s=schema))
        if conn.execute(f"PRAGMA {schema}.user_version").fetchone()[0] != RECORD_SCHEMA:
            conn.execute(f"PRAGMA {schema}.user_version = {RECORD_SCHEMA}")
        stored = {(r, lang): block for r, lang, block in conn.execute(f"SELECT run_id, lang, block FROM {schema}.blocks")}
        changed = False
        for run_id, run in data.get("runs", {}).items():
            for lang, block in run.items():
                text = json.dumps(block, ensure_ascii=False, sort_keys=False)
                if stored.get((run_id, lang)) == text:
                    continue
                conn.execute(
                    f"INSERT INTO {schema}.blocks (run_id, lang, block) VALUES (?, ?, ?) "
                    "ON CONFLICT (run_id, lang) DO UPDATE SET block = excluded.block",  # keeps its rowid: order
                    (run_id, lang, text),
                )
                changed = True
        row = conn.execute(f"SELECT generation FROM {schema}.record WHERE id = 1").fetchone()
        if row is None:
            conn.execute(f"INSERT INTO {schema}.record (id, release, generation) VALUES (1, ?, 1)", (data.get("release"),))
        elif changed:
            conn.execute(f"UPDATE {schema}.record SET generation = generation + 1, release = ? WHERE id = 1", (data.get("release"),))

    return write


def commit(
    reviewed_json: Path, data: dict[str, Any] | None, memory=None, entries: list | None = None, *, render: bool = True
):
    """Add `entries` to `memory` (a MemoryStore, or None) and write `data` (None: unchanged) to the release's
    record, in ONE transaction; then render reviewed.json from the record (`render=False`: the caller renders it
    once after several commits, `render_json`). Returns the memory's AddResult (None without a memory)."""
    path = record_path(reviewed_json)
    if path.exists() and not path.is_file():
        raise OutputError(_not_a_file(path))  # else SQLite's "unable to open" would be reported as the memory's
    added = None
    if memory is not None:
        added = memory.add(entries or [], record=(path, writer(data)) if data is not None else None)
    elif data is not None:
        _commit_alone(path, writer(data, "main"))
    if render:
        render_json(reviewed_json)
    return added


def _commit_alone(path: Path, write: Callable[[sqlite3.Connection], None]) -> None:
    conn = None
    try:
        conn = sqlite3.connect(str(path), timeout=TIMEOUT, isolation_level=None)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("BEGIN IMMEDIATE")
        try:
            write(conn)
            conn.execute("COMMIT")
        except BaseException:
            rollback_quietly(conn)
            raise
    except sqlite3.Error as exc:
        raise sqlite_failure(exc, path, "review record") from None
    finally:
        if conn is not None:
            conn.close()


def render_json(reviewed_json: Path) -> bool:
    """Write reviewed.json from the record when it differs (after an import; after a crash or a full disk left it
    behind). True when it was written. Call it under the release's lock."""
    path = record_path(reviewed_json)
    if not path.is_file():
        return False
    data = _load_record(path)
    if data is None:
        return False
    data["record"] = f"{path.name} is the record; this file is a copy rendered from it"
    text = readable(data) + "\n"
    reviewed_json = Path(reviewed_json)
    try:
        if reviewed_json.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    try:
        atomic_write_text(reviewed_json, text)
    except OutputError as exc:
        raise OutputError(
            f"{exc.format_message().rstrip('.')} (the review itself is safe in {path.name}; the next import or "
            "publish writes this copy)."
        ) from None
    return True
