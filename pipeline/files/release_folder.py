"""Where a release's documents go, and the rules that keep a reviewer's work safe.

- A lock file per release folder (an flock on the open `.lock`, plus the holder's pid): two runs on the same
  release at once get a clear error.
- A review document whose bytes differ from what the last run wrote (hash in the manifest) has been
  edited by a reviewer: it is never overwritten without `--force`, and even then a backup is kept.
- Every hash this tool writes is also recorded in a small journal (`.written.json`) *before* the document is
  renamed into place. A run stopped between two documents (disk full, Ctrl-C, kill -9) leaves a new document next
  to the old manifest; the journal is how the next run knows that document is ours and not a reviewer's.
- A reviewer's document that `translate review import` has already taken in (its hash is in the release's review
  record `<release>.reviewed.sqlite`, pipeline/memory/reviews.py) is safe in the memory and in the record: a rerun
  replaces it without `--force`, still keeping a backup.
- Temporary files (`.*.tmp`) left by a run that was killed are removed by the next run, once it holds the lock.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.errors import OutputError
from pipeline.files.atomic import atomic_write_bytes, atomic_write_text, output_error
from pipeline.files.manifest import file_sha256


@dataclass(frozen=True)
class ReleasePaths:
    folder: Path
    name: str

    def review(self, lang: str) -> Path:
        return self.folder / f"{self.name}.{lang}.review.docx"

    @property
    def manifest(self) -> Path:
        return self.folder / f"{self.name}.manifest.json"

    @property
    def lock(self) -> Path:
        return self.folder / ".lock"

    @property
    def journal(self) -> Path:
        return self.folder / ".written.json"

    @property
    def reviewed(self) -> Path:
        return self.folder / f"{self.name}.reviewed.json"

    @property
    def earlier_runs(self) -> Path:
        return self.folder / ".runs"

    def source_copy(self, sha256: str, suffix: str) -> Path:
        """The copy of a run's source file (by content), on which publish writes the translation (.docx, .md)."""
        return self.folder / ".sources" / f"{sha256}{suffix.lower()}"

    def earlier_manifest(self, run_id: str) -> Path | None:
        """Where the manifest of an earlier run `run_id` is kept (None for an id that is no file name of ours)."""
        if not RUN_ID.fullmatch(run_id):
            return None
        return self.earlier_runs / f"{run_id}.json"  # not *.manifest.json: `glossary check --against` skips it


JOURNAL_KEEP = 20  # hashes remembered per document
RUN_ID = re.compile(r"[0-9a-f]{6,64}")


def keep_earlier_manifest(paths: ReleasePaths) -> None:
    """Copy the current manifest to `.runs/<run_id>.json` before a run replaces it.

    Review documents of that run stay importable: a language a `--to` rerun did not write, a reviewer's document
    that `--force` backed up. Best effort under the release lock: without it only that import is lost, never a
    document, so a failure here does not stop the run.
    """
    try:
        text = paths.manifest.read_text(encoding="utf-8")
        target = paths.earlier_manifest(str(json.loads(text).get("run_id")))
        if target is not None and not target.exists():
            target.parent.mkdir(exist_ok=True)
            atomic_write_text(target, text)
    except (OSError, ValueError, AttributeError):
        pass


def keep_source_copy(paths: ReleasePaths, source: Path, manifest: dict) -> Path | None:
    """Keep a copy of a .docx or .md release (by content hash) for `publish`, which writes each language on it.

    Only when the bytes still hash to what the manifest recorded (the file was not changed since it was read);
    publish falls back to a plain document without it, and says so.
    """
    sha = (manifest.get("source") or {}).get("sha256")
    suffix = Path(source).suffix.lower()
    if not sha or suffix not in (".docx", ".md", ".markdown"):
        return None
    target = paths.source_copy(sha, suffix)
    if target.is_file():
        return target
    try:
        data = Path(source).read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != sha:
        return None
    try:
        target.parent.mkdir(exist_ok=True)
        atomic_write_bytes(target, data)
    except OSError as exc:
        raise output_error(target, exc) from exc
    return target


def _process_start(pid: int) -> str | None:
    """The kernel's start time of `pid` (Linux), so a lock is not honoured for a recycled process id."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[-1].split()[19]  # field 22, counted after the command name


def _holder_alive(lock_text: str) -> int | None:
    """The pid of the run holding the lock, or None when that run is gone (killed, machine restarted)."""
    fields = lock_text.split()
    try:
        pid = int(fields[0])
    except (ValueError, IndexError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    recorded = next((f.split("=", 1)[1] for f in fields if f.startswith("start=")), None)
    if recorded is not None and _process_start(pid) not in (None, recorded):
        return None  # the pid now belongs to another process
    return pid


@contextmanager
def release_lock(paths: ReleasePaths):
    """Hold the release folder's `.lock` for a run or an import (see `_take_lock` for how it is taken)."""
    try:
        paths.folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{paths.folder}: cannot create the output folder ({exc.strerror}); choose another with --out") from exc
    handle = _take_lock(paths)
    try:
        _remove_stale_temporaries(paths.folder)
        yield
    finally:
        # Unlinked while we still hold the flock: a run waiting on this inode sees it is gone and opens a new one.
        paths.lock.unlink(missing_ok=True)
        handle.close()


def _lock_content() -> str:
    start = _process_start(os.getpid())
    return f"{os.getpid()} {time.strftime('%Y-%m-%dT%H:%M:%S')}" + (f" start={start}" if start else "") + "\n"


def _take_lock(paths: ReleasePaths):
    """Open `.lock`, hold an exclusive `flock` on it for as long as the run lasts, and write our pid into it.

    The flock, not the file's existence, is what excludes: the kernel drops it when its process dies (kill -9
    included), so a dead run's lock is simply taken, and a live holder's lock can never be mistaken for a stale
    one while it is still writing its pid (an empty lock with a live flock is refused). The pid is still written
    and honoured for a holder that keeps no flock (an older version of this tool, a lock on a file system without
    flock): a live pid with its recorded start time refuses the run; a dead or recycled one is taken over.
    """
    for _ in range(20):
        try:
            # Unbuffered: our pid goes straight to the file, so a full disk fails that one write, and closing the
            # handle never writes (and fails) again. A buffered handle kept the bytes and its close() raised a
            # second "No space left on device" over the one-line message (issue 22).
            handle = open(paths.lock, "a+b", buffering=0)
        except OSError as exc:
            raise _lock_error(paths, exc) from exc
        try:
            if not _flock(handle):
                holder = _holder_alive(_read_lock(handle))
                who = f"pid {holder}" if holder is not None else "starting"
                raise OutputError(
                    f"{paths.folder}: another `translate` run ({who}) is writing this release; wait for it to finish"
                )
            if not _same_file(handle, paths.lock):
                handle.close()  # its holder removed it just before we locked it: open the new one
                continue
            holder = _holder_alive(_read_lock(handle))
            if holder is not None:
                raise OutputError(
                    f"{paths.folder}: another `translate` run (pid {holder}) is writing this release; wait for it to finish"
                )
            try:
                handle.seek(0)
                handle.truncate()
                content = _lock_content().encode("utf-8")
                if handle.write(content) != len(content):
                    raise OSError(errno.ENOSPC, "No space left on device")  # a short write: the disk filled up
            except OSError as exc:
                paths.lock.unlink(missing_ok=True)  # never leave an empty or half-written lock behind
                raise _lock_error(paths, exc) from exc
            return handle
        except BaseException:
            _close_quietly(handle)
            raise
    raise OutputError(f"{paths.folder}: another `translate` run keeps taking this release's lock; try again")


def _close_quietly(handle) -> None:
    """Close a lock we give up on; an error closing it must not replace the one that made us give up."""
    try:
        handle.close()
    except OSError:
        pass


def _lock_error(paths: ReleasePaths, exc: OSError) -> OutputError:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", None)):
        return OutputError(f"{paths.lock}: cannot create the lock, the disk is full (or over quota); free some space and run again")
    return OutputError(f"{paths.folder}: not writable ({exc.strerror}); fix its permissions or use --out")


def _flock(handle) -> bool:
    """An exclusive, non-blocking flock on the open lock file; False when another open file holds it."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock; the pid in the file is the only guard
        return True
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return False
        return True  # a file system without flock (some network mounts): the pid in the file still guards
    return True


def _same_file(handle, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(handle.fileno()), os.stat(path))
    except OSError:
        return False


LOCK_READ_MAX = 4096  # a pid, a time and a start time: a `.lock` longer than this is not ours


def _read_lock(handle) -> str:
    try:
        handle.seek(0)
        return handle.read(LOCK_READ_MAX).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _remove_stale_temporaries(folder: Path) -> None:
    """Temporary files of a killed run (the lock is ours, so no live run is writing them)."""
    for leftover in folder.glob(".*.tmp"):
        try:
            leftover.unlink()
        except OSError:
            pass


def _read_journal(paths: ReleasePaths) -> dict[str, list[str]]:
    try:
        data = json.loads(paths.journal.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: [h for h in v if isinstance(h, str)] for k, v in data.items() if isinstance(v, list)}


def record_written(paths: ReleasePaths, name: str, sha256: str) -> None:
    """Remember that this tool wrote document `name` with hash `sha256`; call it before renaming it into place."""
    journal = _read_journal(paths)
    journal[name] = ([h for h in journal.get(name, []) if h != sha256] + [sha256])[-JOURNAL_KEEP:]
    atomic_write_text(paths.journal, json.dumps(journal, indent=1, sort_keys=True) + "\n")


def known_hashes(paths: ReleasePaths) -> dict[str, set[str]]:
    """File name → every hash of it this tool wrote: the manifest's, and the journal's."""
    known: dict[str, set[str]] = {name: set(hashes) for name, hashes in _read_journal(paths).items()}
    for name, sha in written_hashes(paths).items():
        known.setdefault(name, set()).add(sha)
    return known


def written_hashes(paths: ReleasePaths) -> dict[str, str]:
    """File name → sha256 of each document as the last run wrote it (from its manifest)."""
    try:
        manifest = json.loads(paths.manifest.read_text(encoding="utf-8"))
        return {doc["path"]: doc["sha256"] for doc in manifest.get("documents", {}).values()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def guard_reviewer_edits(
    paths: ReleasePaths, langs: list[str], force: bool, imported_hashes: Callable[[Path], set[str]]
) -> list[Path]:
    """Refuse (or, with force, back up) review documents a reviewer has changed since they were written.

    A document already imported (exactly these bytes) needs no `force`: it is backed up and replaced.
    `imported_hashes(paths.reviewed)` gives the hashes of the review documents `translate review import` took in
    (the review record, pipeline/memory/reviews.py): passed in by the caller, since the memory is a stage above
    this folder's rules. By bytes, not name: a reviewer may have imported the file from another folder.
    Returns the backups made.
    """
    known = known_hashes(paths)
    edited: dict[Path, str] = {}
    for lang in langs:
        doc = paths.review(lang)
        sha = file_sha256(doc) if doc.exists() else None
        if sha is not None and sha not in known.get(doc.name, set()):
            edited[doc] = sha
    imported = imported_hashes(paths.reviewed) if edited else set()
    not_imported = [doc for doc, sha in edited.items() if sha not in imported]
    if not_imported and not force:
        names = ", ".join(d.name for d in not_imported)
        raise OutputError(
            f"{names} in {paths.folder} was edited since it was generated; import it with "
            f"`translate review import` or rerun with --force (a backup is kept)"
        )
    backups = []
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for doc in edited:
        backup = doc.with_name(f"{doc.stem}.backup-{stamp}{doc.suffix}")
        number = 1
        while backup.exists():  # two forced runs in the same second: never overwrite a backup
            number += 1
            backup = doc.with_name(f"{doc.stem}.backup-{stamp}-{number}{doc.suffix}")
        try:
            shutil.copy2(doc, backup)
        except OSError as exc:
            code = "disk full" if exc.errno == errno.ENOSPC else exc.strerror
            raise OutputError(f"{doc}: cannot back it up ({code}); nothing was overwritten") from exc
        backups.append(backup)
    return backups
