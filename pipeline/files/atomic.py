"""Write output files so that a reader never sees half a file.

Everything is first written to a hidden temporary file in the destination's folder, flushed to disk, and then
renamed over the destination with `os.replace` (atomic on POSIX and on Windows for the same volume). If anything
goes wrong before the rename, including Ctrl-C, the temporary file is removed and the previous destination file,
if any, is left exactly as it was.

Operating-system failures (no permission, disk full, read-only file system, the file open in Word on Windows)
become `OutputError` with a one-line message that names the path and says what to do: the destination, never the
hidden temporary file (also when a writer writes into another writer's temporary file).

`one_unit()` makes several files one unit (a language's published documents): inside it every `atomic_output`
stays in its temporary file; when the block ends without error they are all renamed into place together, with
Ctrl-C and SIGTERM held off for those few renames, and on any error, Ctrl-C or SIGTERM before then all are removed
and every destination is left as it was. `move_aside()` inside it moves an existing file (or folder) away as part of
the same unit: before the renames, only when the whole block succeeded (publish withdrawing an earlier publication
that the current one does not replace).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import signal
import threading
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

from pipeline.core.errors import OutputError

__all__ = ["atomic_output", "atomic_write_bytes", "atomic_write_text", "move_aside", "one_unit", "output_error"]

# temporary file → the file it becomes: a failure is reported on the destination, not on a hidden `.*.tmp`
_DESTINATIONS: dict[Path, Path] = {}
# inside `one_unit()`: the (temporary, destination) pairs waiting to be renamed together
_UNIT: ContextVar[list[tuple[Path, Path]] | None] = ContextVar("atomic_unit", default=None)
# inside `one_unit()`: the (existing path, where it goes) pairs to move aside before those renames
_MOVES: ContextVar[list[tuple[Path, Path]] | None] = ContextVar("atomic_moves", default=None)


def output_error(path: Path, exc: OSError) -> OutputError:
    """A one-line, actionable `OutputError` for an OS failure while writing `path`."""
    code = exc.errno
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM):
        what = (
            "permission denied. If the file is open (in Word, for example), close it; otherwise choose an output "
            "folder you can write to"
        )
    elif code == errno.ENOSPC or code == getattr(errno, "EDQUOT", None):
        what = "the disk is full (or over quota). Free some space and run again"
    elif code == errno.EROFS:
        what = "the file system is read-only. Choose another output folder"
    elif isinstance(exc, IsADirectoryError) or code == errno.EISDIR:
        what = "a folder with that name is in the way. Remove or rename it, or choose another output folder"
    elif isinstance(exc, NotADirectoryError) or code == errno.ENOTDIR:
        what = "part of the path is a file, not a folder. Choose another output folder"
    elif code == errno.ENAMETOOLONG:
        what = "the file name is too long. Choose a shorter output folder or release name"
    else:
        reason = (exc.strerror or str(exc) or type(exc).__name__).rstrip(".")
        what = f"{reason}. Check the output folder and run again"
    return OutputError(f"Cannot write {path}: {what}.")


def _create_temp(folder: Path, name: str) -> Path:
    # O_EXCL: never reuse or clobber an existing file; mode 0o666 lets the umask decide, as for a normal file.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = folder / f".{name}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(tmp, flags, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return tmp
    raise FileExistsError(errno.EEXIST, "could not create a temporary file", str(folder))


def _fsync_file(path: Path) -> None:
    with open(path, "r+b") as f:
        os.fsync(f.fileno())


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable (POSIX). Best effort: not all platforms or file systems allow it."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to `path`; on success it replaces `path`, on any exception it is removed.

    The temporary file already exists (empty) when yielded; write it however you like (open it, or hand the path
    to a library's `save`). The destination's folder is created if missing.

    >>> with atomic_output(out) as tmp:      # doctest: +SKIP
    ...     document.save(tmp)
    """
    dest = Path(path)
    folder = dest.parent
    shown = _destination(dest)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = _create_temp(folder, dest.name)
    except OSError as exc:
        raise output_error(shown, exc) from exc

    unit = _UNIT.get() if dest not in _DESTINATIONS else None  # a write into a temporary file is renamed at once
    _DESTINATIONS[tmp] = shown
    try:
        yield tmp
        _fsync_file(tmp)
        if unit is not None:
            unit.append((tmp, dest))  # renamed, or removed, when the unit ends
            return
        os.replace(tmp, dest)
    except OSError as exc:
        _remove_quietly(tmp)
        raise output_error(shown, exc) from exc
    except BaseException:
        _remove_quietly(tmp)
        raise
    finally:
        _DESTINATIONS.pop(tmp, None)
    _fsync_dir(folder)


def _destination(path: Path) -> Path:
    """The file a temporary file of ours becomes (the path itself for any other file)."""
    while path in _DESTINATIONS:
        path = _DESTINATIONS[path]
    return path


@contextlib.contextmanager
def one_unit(what: str = "output") -> Iterator[None]:
    """Every `atomic_output` inside the block is renamed into place only when the whole block succeeded, all
    together; an error (a full disk), Ctrl-C or SIGTERM inside the block removes them all and changes nothing.
    Every `move_aside` inside it is done then too, just before the renames (and not at all on an error).

    Ctrl-C and SIGTERM are held off while the moves and renames run (they take effect just after), so a stopped
    command never leaves one file of the unit new and another old. A rename that fails (rare: the temporary files
    are already complete in the destination's folder) says which files were replaced and which were not.
    """
    if _UNIT.get() is not None:
        yield  # already inside a unit: part of it
        return
    pending: list[tuple[Path, Path]] = []
    moves: list[tuple[Path, Path]] = []
    token = _UNIT.set(pending)
    moves_token = _MOVES.set(moves)
    try:
        yield
        _UNIT.reset(token)
        _MOVES.reset(moves_token)
        token = moves_token = None
        with _signals_held():
            _move_all(moves, what)
            _rename_all(pending, what, [f"{source.name} was moved aside" for source, _ in moves])
    finally:
        if token is not None:
            _UNIT.reset(token)
        if moves_token is not None:
            _MOVES.reset(moves_token)
        for tmp, _ in pending:
            _remove_quietly(tmp)  # those of a failed unit; a renamed one is no longer there
    for folder in dict.fromkeys([dest.parent for _, dest in pending] + [p.parent for move in moves for p in move]):
        _fsync_dir(folder)


def move_aside(path: Path, target: Path) -> None:
    """Move the existing file or folder `path` to `target` (its folder created): inside `one_unit()` when the unit
    succeeds, before its renames; else at once. Never over an existing `target`."""
    moves = _MOVES.get()
    if moves is not None:
        moves.append((Path(path), Path(target)))
        return
    _move_all([(Path(path), Path(target))], "move")


def _move_all(moves: list[tuple[Path, Path]], what: str) -> None:
    for number, (source, target) in enumerate(moves):
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                raise FileExistsError(errno.EEXIST, "already exists", str(target))
            os.rename(source, target)
        except OSError as exc:
            error = output_error(target, exc)
            done = [s.name for s, _ in moves[:number]]
            if not done:
                raise error from exc
            left = ", ".join(s.name for s, _ in moves[number:])
            raise OutputError(
                f"{error.format_message().rstrip('.')}. The {what} is incomplete: {', '.join(done)} "
                f"{'was' if len(done) == 1 else 'were'} moved aside, {left} not, and nothing was replaced; run the "
                "command again."
            ) from exc


def _rename_all(pending: list[tuple[Path, Path]], what: str, moved: list[str] | None = None) -> None:
    """`moved`: what the unit already moved aside, said too when a rename fails."""
    for number, (tmp, dest) in enumerate(pending):
        try:
            os.replace(tmp, dest)
        except OSError as exc:
            error = output_error(dest, exc)
            done = [d.name for _, d in pending[:number]]
            if not done and not moved:
                raise error from exc
            said = list(moved or [])
            if done:
                said.append(f"{', '.join(done)} {'was' if len(done) == 1 else 'were'} replaced")
            left = ", ".join(d.name for _, d in pending[number:])
            raise OutputError(
                f"{error.format_message().rstrip('.')}. The {what} is incomplete: {', '.join(said)}, {left} not; "
                "run the command again."
            ) from exc


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM that arrive during the block are handled (by the handlers they had) at its end.

    The handlers are swapped, not the signal mask: a process-directed signal goes to any thread that does not
    block it (CTranslate2's, a warm-up thread), and Python runs its handler in the main thread all the same.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set, and only run, in the main thread
        return
    arrived: list[tuple[int, object]] = []
    previous = {}
    for number in (signal.SIGINT, signal.SIGTERM):
        try:
            previous[number] = signal.signal(number, lambda signum, frame: arrived.append((signum, frame)))
        except (ValueError, OSError):
            pass
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for signum, frame in arrived[:1]:
            handler = previous.get(signum)
            if callable(handler):
                handler(signum, frame)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(signum)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write `data` to `path` atomically (see `atomic_output`)."""
    with atomic_output(path) as tmp, open(tmp, "wb") as f:
        f.write(data)


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Write `text` to `path` atomically, exactly as given: no newline translation on any platform."""
    atomic_write_bytes(path, text.encode(encoding))
