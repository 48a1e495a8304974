"""The translation memory: one SQLite file (stdlib `sqlite3`), default `output/memory.sqlite`.

Schema (`PRAGMA user_version` = 2; a version-1 file is upgraded in place, in one transaction, on its first
write-open: version 2 only widens the `status` values), one table `units`, one row per distinct reviewed translation:

    source_hash   pipeline.core.release.content_hash(source): sha256 of the NORMALIZED English (NFC, whitespace
                  collapsed, trimmed), first 16 hex digits; the key of exact matches
    source        the normalized English;  source_lang "en"
    lang          target language code ("zh-TW", "ja")
    target        the reviewed translation
    status        "approved" (a reviewer edited the row or marked it approved, and it passed the checks)
                  | "needs-glossary-review" (a reviewer changed an approved glossary term: kept, never reused as
                  is, shown to the next reviewer as a suggestion)
                  | "needs-review" (a reviewer's text with quality-check errors, pipeline/qa: kept, never reused)
                  | "draft" (a row nobody approved: the run's text as it was; never reused, never shown as a
                  suggestion, and never stored over, nor made current over, any other status: human text wins)
    document, release, run_id, segment_id     where it came from (review document file name, ...)
    reviewer, comment                         tracked-change / comment authors; comments and Notes the reviewer typed
    origin        "review" (translate review import), "tmx", "xliff" (translate memory import)
    approved_at   ISO 8601 time of the import that approved it
    seq           increasing number: the row with the highest seq for (source_hash, lang) is the CURRENT one

UNIQUE (source_hash, lang, target): importing the same reviewed text again adds nothing. A different text for
the same source adds a row that becomes current; older rows stay (nothing a reviewer typed is lost) and are
exported only with `--all`.

Writes are transactions (`BEGIN IMMEDIATE` … `COMMIT`, rollback journal, `synchronous=FULL`): a crash or Ctrl-C
leaves the previous state. A memory locked by another process is waited for `timeout` seconds (default 5), then
`OutputError`. A damaged file is an `OutputError` naming it; it is never deleted or rewritten.

Matching (the `MemoryLookup` protocol of pipeline.translation.stage):

* `lookup`: the current row for the segment's normalized source hash, if it is approved → the translation,
  origin "memory", flag `memory` "from memory, approved <date>". The model does not see that segment.
* `suggest` (segments that go to the model): the current row of an exact source that needs glossary review, or the
  most similar approved source by `rapidfuzz.fuzz.ratio` (normalized Indel similarity, 0–100, on the normalized
  English) ≥ FUZZY_THRESHOLD = 85 → shown in Notes ("TM suggestion", flag `tm-suggestion`), never put in the
  target column. 85 keeps a sentence with one name or number changed and drops sentences that merely share a
  long phrase (those score ~60–75 on press-release sentences). The note shows the score floored to a whole
  percent (99.7 → "99%"): "100%" only ever means an identical source.
"""

from __future__ import annotations

import math
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from pipeline.core.release import Flag, Segment, Translation, content_hash, normalize
from pipeline.core.errors import InputError, OutputError

APPROVED = "approved"
NEEDS_GLOSSARY_REVIEW = "needs-glossary-review"
NEEDS_REVIEW = "needs-review"
DRAFT = "draft"
STATUSES = (APPROVED, NEEDS_GLOSSARY_REVIEW, NEEDS_REVIEW, DRAFT)
FUZZY_THRESHOLD = 85.0
ENV_VAR = "TRANSLATE_MEMORY"
SCHEMA_VERSION = 2
DEFAULT_TIMEOUT = 5.0
FILE_NAME = "memory.sqlite"

_SCHEMA = """
CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    source_hash TEXT NOT NULL,
    source_lang TEXT NOT NULL DEFAULT 'en',
    source      TEXT NOT NULL,
    lang        TEXT NOT NULL,
    target      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('approved', 'needs-glossary-review', 'needs-review', 'draft')),
    document    TEXT,
    release     TEXT,
    run_id      TEXT,
    segment_id  TEXT,
    reviewer    TEXT,
    comment     TEXT,
    origin      TEXT NOT NULL DEFAULT 'review',
    approved_at TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    UNIQUE (source_hash, lang, target)
);
CREATE INDEX units_current ON units (lang, source_hash, seq);
"""
_COLUMNS = (
    "id", "source_hash", "source_lang", "source", "lang", "target", "status", "document", "release", "run_id",
    "segment_id", "reviewer", "comment", "origin", "approved_at", "seq",
)  # fmt: skip


def default_memory_path(out_dir: str | os.PathLike[str] | None = None) -> Path:
    """$TRANSLATE_MEMORY if set, else `<out_dir>/memory.sqlite` (`output/memory.sqlite` by default)."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env)
    return Path(out_dir if out_dir is not None else "output") / FILE_NAME


def shown_percent(score: float) -> int:
    """A similarity score as the whole percent shown to a reviewer: floored, so that only an exact match reads 100%."""
    return min(int(math.floor(score)), 100)


def now_iso() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True)
class NewEntry:
    """A reviewed translation to add."""

    source: str
    lang: str
    target: str
    status: str = APPROVED
    document: str | None = None
    release: str | None = None
    run_id: str | None = None
    segment_id: str | None = None
    reviewer: str | None = None
    comment: str | None = None
    origin: str = "review"
    approved_at: str | None = None  # default: now
    source_lang: str = "en"


@dataclass(frozen=True)
class MemoryEntry:
    id: int
    source_hash: str
    source_lang: str
    source: str
    lang: str
    target: str
    status: str
    document: str | None
    release: str | None
    run_id: str | None
    segment_id: str | None
    reviewer: str | None
    comment: str | None
    origin: str
    approved_at: str
    seq: int

    @property
    def approved(self) -> bool:
        return self.status == APPROVED

    @property
    def date(self) -> str:
        return self.approved_at[:10]


@dataclass
class AddResult:
    new: int = 0  # rows added
    updated: int = 0  # existing rows whose status or comment changed, or that became current again
    unchanged: int = 0  # already there, as they are
    new_entries: list[NewEntry] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.new + self.updated


class MemoryStore:
    """A translation memory file. Use as a context manager or call `close()`."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        readonly: bool = False,
        timeout: float = DEFAULT_TIMEOUT,
        fuzzy_threshold: float = FUZZY_THRESHOLD,
    ):
        self.path = Path(path)
        self.readonly = readonly
        self.timeout = timeout
        self.fuzzy_threshold = fuzzy_threshold
        self._choices: dict[str, tuple[list[str], list[MemoryEntry]]] = {}
        self._conn = self._connect()

    # ----------------------------------------------------------------------------------------- connection

    @contextmanager
    def _guard(self, also: Path | None = None) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise sqlite_failure(exc, self.path, timeout=self.timeout, also=also) from None

    def _connect(self) -> sqlite3.Connection:
        if self.readonly:
            if not self.path.is_file():
                raise InputError(f"No translation memory at {self.path}.")
            target, uri = self.path.resolve().as_uri() + "?mode=ro", True
        else:
            if self.path.is_dir():
                raise OutputError(f"Translation memory {self.path} is a folder; give a file name (memory.sqlite).")
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise OutputError(f"Cannot create the folder of translation memory {self.path}: {exc.strerror}.") from None
            target, uri = str(self.path), False
        with self._guard():
            try:
                return self._open(target, uri)
            except sqlite3.OperationalError as exc:
                if not (self.readonly and _interrupted_write(exc, self.path)):
                    raise
            self._roll_back_interrupted_write()
            return self._open(target, uri)

    def _open(self, target: str, uri: bool) -> sqlite3.Connection:
        conn = sqlite3.connect(target, uri=uri, timeout=self.timeout, isolation_level=None)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            if not self.readonly:
                conn.execute("PRAGMA synchronous = FULL")
            self._check_schema(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _roll_back_interrupted_write(self) -> None:
        """A write killed mid-transaction (kill -9, a crash) left a hot journal, which a read-only connection
        cannot roll back ("attempt to write a readonly database"): a read-write connection's first read rolls it
        back (SQLite's own recovery; the memory is then as it was before that write), and reading goes on."""
        journal = self.path.with_name(self.path.name + "-journal")
        try:
            conn = sqlite3.connect(self.path.resolve().as_uri() + "?mode=rw", uri=True, timeout=self.timeout, isolation_level=None)
            try:
                conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise OutputError(
                f"Translation memory {self.path} was left mid-write by a command that was stopped, and its journal "
                f"{journal.name} cannot be rolled back here ({exc}): make {self.path.parent} and the file writable "
                f"and run the command again (SQLite rolls the write back on opening); never delete {journal.name}."
            ) from None

    def _check_schema(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION or (version == 1 and self.readonly):
            return  # version 1 reads as it is: it holds only statuses version 2 knows
        if version == 1:
            self._upgrade_from_1(conn)
            return
        if version > SCHEMA_VERSION:
            raise OutputError(
                f"Translation memory {self.path} has schema version {version}; this pipeline reads version "
                f"{SCHEMA_VERSION}. Use the pipeline version that wrote it."
            )
        tables = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        if tables:
            raise OutputError(
                f"{self.path} is an SQLite file but not a translation memory of this pipeline; it was left as it "
                "is. Choose another file with --memory."
            )
        if self.readonly:
            return  # an empty file: nothing remembered
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            rollback_quietly(conn)
            raise

    def _upgrade_from_1(self, conn: sqlite3.Connection) -> None:
        """Version 1 → 2: the same rows in a table whose CHECK admits the new statuses (SQLite cannot alter a CHECK)."""
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("ALTER TABLE units RENAME TO units_v1")
            conn.execute("DROP INDEX IF EXISTS units_current")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            columns = ", ".join(_COLUMNS)
            conn.execute(f"INSERT INTO units ({columns}) SELECT {columns} FROM units_v1")
            conn.execute("DROP TABLE units_v1")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            rollback_quietly(conn)
            raise

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _empty(self) -> bool:
        with self._guard():
            return self._conn.execute("PRAGMA user_version").fetchone()[0] == 0

    # ----------------------------------------------------------------------------------------- reading

    def _rows(self, sql: str, params: tuple = ()) -> list[MemoryEntry]:
        if self._empty():
            return []
        with self._guard():
            return [MemoryEntry(*row) for row in self._conn.execute(sql, params).fetchall()]

    def current(self, source: str, lang: str) -> MemoryEntry | None:
        """The current entry for this (normalized) English source in `lang`, approved or not."""
        rows = self._rows(
            f"SELECT {', '.join(_COLUMNS)} FROM units WHERE lang = ? AND source_hash = ? ORDER BY seq DESC LIMIT 1",
            (lang, content_hash(source)),
        )
        return rows[0] if rows else None

    def entries(self, lang: str | None = None, *, current_only: bool = True) -> list[MemoryEntry]:
        """Entries in insertion order; only the current one per (source, lang) unless `current_only=False`."""
        where, params = ("WHERE lang = ?", (lang,)) if lang else ("", ())
        if current_only:
            where = (where + " AND" if where else "WHERE") + (
                " seq IN (SELECT MAX(seq) FROM units GROUP BY source_hash, lang)"
            )
        return self._rows(f"SELECT {', '.join(_COLUMNS)} FROM units {where} ORDER BY seq", params)

    def languages(self) -> list[str]:
        if self._empty():
            return []
        with self._guard():
            return [row[0] for row in self._conn.execute("SELECT DISTINCT lang FROM units ORDER BY lang")]

    def count(self) -> int:
        if self._empty():
            return 0
        with self._guard():
            return self._conn.execute("SELECT COUNT(*) FROM units").fetchone()[0]

    def stats(self) -> dict[str, dict[str, int]]:
        """lang → {status → number of current entries}."""
        result: dict[str, dict[str, int]] = {}
        for entry in self.entries():
            by_status = result.setdefault(entry.lang, {})
            by_status[entry.status] = by_status.get(entry.status, 0) + 1
        return result

    # ----------------------------------------------------------------------------------------- MemoryLookup

    def lookup(self, segment: Segment, lang: str) -> Translation | None:
        """An approved translation of exactly this (normalized) source, as a Translation of origin "memory"."""
        entry = self.current(segment.source, lang)
        if entry is None or not entry.approved:
            return None
        message = f"from memory, approved {entry.date}"
        if entry.reviewer:
            message += f" by {entry.reviewer}"
        if entry.document:
            message += f" ({entry.document})"
        return Translation(segment.id, lang, entry.target, origin="memory", flags=[Flag("memory", message)])

    def _candidates(self, lang: str) -> tuple[list[str], list[MemoryEntry]]:
        if lang not in self._choices:
            approved = [e for e in self.entries(lang) if e.approved]
            self._choices[lang] = ([e.source for e in approved], approved)
        return self._choices[lang]

    def best_match(self, source: str, lang: str) -> tuple[MemoryEntry, float] | None:
        """The approved entry most similar to `source` (rapidfuzz ratio ≥ threshold), exact source excluded."""
        from rapidfuzz import fuzz, process

        sources, approved = self._candidates(lang)
        if not sources:
            return None
        query = normalize(source)
        wanted = content_hash(source)
        best = None
        for _, score, index in process.extract(
            query, sources, scorer=fuzz.ratio, score_cutoff=self.fuzzy_threshold, limit=3
        ):
            if approved[index].source_hash != wanted and (best is None or score > best[1]):
                best = (approved[index], score)
        return best

    def suggest(self, segment: Segment, lang: str) -> Translation | None:
        """A translation to show the reviewer (never to put in the target column), or None."""
        entry = self.current(segment.source, lang)
        if entry is not None and entry.status in (NEEDS_GLOSSARY_REVIEW, NEEDS_REVIEW):
            why = "changed a glossary term" if entry.status == NEEDS_GLOSSARY_REVIEW else "failed the quality checks"
            return Translation(
                segment.id,
                lang,
                entry.target,
                origin="memory",
                flags=[
                    Flag(
                        "tm-suggestion",
                        f"memory holds a reviewer's translation of this sentence ({entry.date}) that {why}; "
                        f"it is marked {entry.status} and was not reused",
                    )
                ],
            )
        match = self.best_match(segment.source, lang)
        if match is None:
            return None
        entry, score = match
        quoted = entry.source if len(entry.source) <= 80 else entry.source[:79] + "…"
        return Translation(
            segment.id,
            lang,
            entry.target,
            origin="memory",
            flags=[Flag("tm-suggestion", f"close match ({shown_percent(score)}%) in memory, approved {entry.date}: “{quoted}”")],
        )

    # ----------------------------------------------------------------------------------------- writing

    def add(
        self,
        entries: Iterable[NewEntry],
        *,
        record: tuple[Path, Callable[[sqlite3.Connection], None]] | None = None,
    ) -> AddResult:
        """Add reviewed translations in ONE transaction (all or nothing). Idempotent: see the module docstring.

        `record` = (path, write): another SQLite file (a release's review record, memory/reviews.py) ATTACHed as
        `review` and written by `write(connection)` inside the same transaction. SQLite commits both files
        atomically (rollback journals plus a super-journal), so a crash, kill -9 or full disk leaves both as they
        were or both changed."""
        if self.readonly:
            raise OutputError(f"Translation memory {self.path} was opened read-only.")
        result = AddResult()
        entries = list(entries)
        stamp = now_iso()
        with self._guard(record[0] if record else None), self._attached(record[0] if record else None):
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                seq = self._conn.execute("SELECT COALESCE(MAX(seq), 0) FROM units").fetchone()[0]
                for entry in entries:
                    seq = self._add_one(entry, seq, stamp, result)
                if record:
                    record[1](self._conn)
                self._conn.execute("COMMIT")
            except BaseException:
                rollback_quietly(self._conn)
                raise
        self._choices.clear()
        return result

    @contextmanager
    def _attached(self, path: Path | None) -> Iterator[None]:
        if path is None:
            yield
            return
        self._conn.execute("ATTACH DATABASE ? AS review", (str(path),))
        try:
            yield
        finally:
            try:
                self._conn.execute("DETACH DATABASE review")
            except sqlite3.Error:
                pass

    def _add_one(self, entry: NewEntry, seq: int, stamp: str, result: AddResult) -> int:
        if entry.status not in STATUSES:
            raise ValueError(f"unknown memory status {entry.status!r}")
        source = normalize(entry.source)
        key = (content_hash(source), entry.lang)
        if not source or not entry.target.strip():
            raise ValueError("a memory entry needs a source and a target")
        if entry.status == DRAFT and self._conn.execute(
            "SELECT 1 FROM units WHERE source_hash = ? AND lang = ? AND status != ? LIMIT 1", (*key, DRAFT)
        ).fetchone():
            result.unchanged += 1  # a reviewer's text (approved or not) is never replaced by an unapproved row
            return seq
        row = self._conn.execute(
            "SELECT id, status, comment, seq FROM units WHERE source_hash = ? AND lang = ? AND target = ?",
            (*key, entry.target),
        ).fetchone()
        if row is None:
            seq += 1
            self._conn.execute(
                "INSERT INTO units (source_hash, source_lang, source, lang, target, status, document, release, run_id, "
                "segment_id, reviewer, comment, origin, approved_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    key[0], entry.source_lang, source, entry.lang, entry.target, entry.status, entry.document,
                    entry.release, entry.run_id, entry.segment_id, entry.reviewer, entry.comment or None,
                    entry.origin, entry.approved_at or stamp, seq,
                ),
            )  # fmt: skip
            result.new += 1
            result.new_entries.append(entry)
            return seq
        row_id, status, comment, row_seq = row
        current_seq = self._conn.execute(
            "SELECT MAX(seq) FROM units WHERE source_hash = ? AND lang = ?", key
        ).fetchone()[0]
        changes = {}
        if status != entry.status:
            changes["status"] = entry.status
        if entry.comment and entry.comment != comment:
            changes["comment"] = entry.comment
        if row_seq != current_seq:  # an earlier text chosen again: it becomes current
            seq += 1
            changes["seq"] = seq
        if not changes:
            result.unchanged += 1
            return seq
        changes["approved_at"] = entry.approved_at or stamp
        if entry.document:
            changes["document"] = entry.document
        assignments = ", ".join(f"{name} = ?" for name in changes)
        self._conn.execute(f"UPDATE units SET {assignments} WHERE id = ?", (*changes.values(), row_id))
        result.updated += 1
        return seq


def rollback_quietly(conn: sqlite3.Connection) -> None:
    """Roll back what is still open. After "database or disk is full" SQLite has already rolled back: a second
    ROLLBACK would replace the real error with "cannot rollback - no transaction is active"."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def _interrupted_write(exc: sqlite3.OperationalError, path: Path) -> bool:
    """A read-only open that failed on a hot journal (a write killed mid-transaction), not on a read-only file."""
    name = getattr(exc, "sqlite_errorname", None)  # Python 3.11+
    if name is not None:
        return name == "SQLITE_READONLY_ROLLBACK"
    journal = path.with_name(path.name + "-journal")
    return "readonly" in str(exc) and journal.is_file() and journal.stat().st_size > 0


def sqlite_failure(
    exc: sqlite3.Error, path: Path, kind: str = "translation memory", timeout: float = DEFAULT_TIMEOUT, also: Path | None = None
) -> OutputError:
    """One line for an SQLite failure on the `kind` at `path` (`also`: a file written in the same transaction)."""
    message = str(exc)
    name = getattr(exc, "sqlite_errorname", "") or ""
    what = f"{kind} {path}"
    subject = what[0].upper() + what[1:]
    if name == "SQLITE_FULL" or "disk is full" in message:
        where = what + (f" and {also}" if also else "")
        return OutputError(
            f"Cannot write {where}: the disk is full (or over quota). Free some space and run again; nothing was "
            "changed."
        )
    if not isinstance(exc, sqlite3.OperationalError) or name in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
        # "file is not a database", "database disk image is malformed"
        return OutputError(
            f"{subject} is damaged ({exc}); it was left as it is. Restore it from a backup, or move it away to "
            f"start a new {kind.split()[-1]}."
        )
    if "locked" in message or "busy" in message:
        return OutputError(
            f"{subject} is locked by another process (an import or export still running?); waited {timeout:g} s. "
            "Try again when it has finished."
        )
    if "readonly" in message or "read-only" in message:
        return OutputError(f"{subject} is read-only: {message}.")
    if "unable to open" in message:
        return OutputError(f"Cannot open {what}: {message}.")
    if "no such table" in message or "no such column" in message:
        return OutputError(
            f"{path} is not a {kind} of this pipeline ({message}); it was left as it is. Choose another file with "
            "--memory."
        )
    return OutputError(f"{subject}: {message}.")


def open_run_memory(
    path: str | os.PathLike[str] | None, out_dir: str | os.PathLike[str] | None, *, disabled: bool = False
) -> MemoryStore | None:
    """The memory a `translate run` or `translate publish` reads (read-only), or None.

    An explicit `path` must exist (`InputError` otherwise); $TRANSLATE_MEMORY or `<out_dir>/memory.sqlite` is used
    when it exists.
    """
    if disabled:
        return None
    if path is not None:
        return MemoryStore(path, readonly=True)
    default = default_memory_path(out_dir)
    return MemoryStore(default, readonly=True) if default.is_file() else None
