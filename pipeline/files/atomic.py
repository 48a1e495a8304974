"""Write output files so that a reader never sees half a file.

Everything is first written to a hidden temporary file in the destination's folder, flushed to disk, and then
renamed over the destination with `os.replace` (atomic on POSIX and on Windows for the same volume). If anything
goes wrong before the rename, including Ctrl-C, the temporary file is removed and the previous destination file,
if any, is left exactly as it was.

Operating-system failures (no permission, disk full, read-only file system, the file open in Word on Windows)
become `OutputError` with a one-line message that names the path and says what to do.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from pipeline.core.errors import OutputError

__all__ = ["atomic_output", "atomic_write_bytes", "atomic_write_text", "output_error"]


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
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = _create_temp(folder, dest.name)
    except OSError as exc:
        raise output_error(dest, exc) from exc

    try:
        yield tmp
        _fsync_file(tmp)
        os.replace(tmp, dest)
    except OSError as exc:
        _remove_quietly(tmp)
        raise output_error(dest, exc) from exc
    except BaseException:
        _remove_quietly(tmp)
        raise
    _fsync_dir(folder)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write `data` to `path` atomically (see `atomic_output`)."""
    with atomic_output(path) as tmp, open(tmp, "wb") as f:
        f.write(data)


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Write `text` to `path` atomically, exactly as given: no newline translation on any platform."""
    atomic_write_bytes(path, text.encode(encoding))
