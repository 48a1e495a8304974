"""Sizes no real input reaches, checked before a file is read (docs/robustness.md, "Limits").

A press release is 2–20 kB of text (the sample: 4 kB, 21 segments); the institution's glossary is a few hundred
entries. Every limit here is far above that and above the largest inputs the tests and benchmarks use (a 10 MB
release, a 100,000-entry glossary), so that only a damaged, hostile or mistaken file meets one. What each limit
protects against is a small or odd file costing gigabytes or hanging: a sparse 12 GB file, `/dev/zero` behind a
symbolic link, a named pipe that never ends, a 1 GB `metadata.json`.

`read_bounded` opens without blocking (a FIFO does not hang the open), checks on the open file that it is a regular
file and not over the limit, and reads at most limit + 1 bytes, so a file that grows while it is read is caught too.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

__all__ = [
    "GLOSSARY_MAX_BYTES",
    "GLOSSARY_TERM_MAX_CHARS",
    "JSON_MAX_BYTES",
    "LimitExceeded",
    "METADATA_MAX_BYTES",
    "RELEASE_DOCX_MAX_BYTES",
    "RELEASE_TEXT_MAX_BYTES",
    "REVIEW_DOCX_MAX_BYTES",
    "check_file",
    "human_size",
    "read_bounded",
]

MiB = 1024 * 1024

RELEASE_TEXT_MAX_BYTES = 16 * MiB  # .txt/.md release: a long release is 20 kB; the 10 MB benchmark still runs
RELEASE_DOCX_MAX_BYTES = 256 * MiB  # .docx release: photos make the file large; only its XML parts are read
REVIEW_DOCX_MAX_BYTES = 256 * MiB  # a reviewed .docx: same
GLOSSARY_MAX_BYTES = 64 * MiB  # one glossary file: 100,000 entries are about 15 MB of YAML
# One English form or target of a glossary entry. The longest real names are under 150 characters (`Ministry of
# Health, Labour and Welfare`: 39; a long programme's name: ~120). The matcher's automaton is a trie as deep as its
# longest form, and pyahocorasick frees it recursively: a 1 MB form overflowed the C stack (SIGSEGV, exit 139).
GLOSSARY_TERM_MAX_CHARS = 500
JSON_MAX_BYTES = 256 * MiB  # a manifest or reviewed.json (a 10 MB release's manifest is about 40 MB)
METADATA_MAX_BYTES = 1 * MiB  # an Argos package's metadata.json: real ones are under 2 kB


class LimitExceeded(Exception):
    """A file that is not a regular file, cannot be read, or is over its limit: `str()` is the one-line reason
    (the path is not in it; the caller names the file and says what to do)."""


def human_size(size: int) -> str:
    if size >= 1024 * MiB:
        return f"{size / (1024 * MiB):.1f} GB"
    if size >= MiB:
        return f"{size / MiB:.0f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} kB"
    return f"{size} bytes"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device (such as /dev/zero)"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _check_stat(info: os.stat_result, limit: int, what: str) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise LimitExceeded(f"is {_kind(info.st_mode)}, not an ordinary file")
    if info.st_size > limit:
        raise LimitExceeded(
            f"is {human_size(info.st_size)}, over the {human_size(limit)} limit for {what} (no real one comes near it)"
        )


def check_file(path: Path, limit: int, what: str) -> int:
    """The size of `path` (symbolic links followed) if it is a regular file within `limit`; else LimitExceeded.
    Nothing is opened: a FIFO is not waited on."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise LimitExceeded(f"cannot be read ({exc.strerror or exc})") from exc
    _check_stat(info, limit, what)
    return info.st_size


def read_bounded(path: Path, limit: int, what: str) -> bytes:
    """The bytes of `path` if it is a regular file of at most `limit` bytes; LimitExceeded otherwise (never blocks
    on a FIFO, never reads more than limit + 1 bytes)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a FIFO or socket with no writer
            raise LimitExceeded("is a named pipe or socket, not an ordinary file") from exc
        raise LimitExceeded(f"cannot be read ({exc.strerror or exc})") from exc
    try:
        _check_stat(os.fstat(fd), limit, what)
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 16 * MiB))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise LimitExceeded(f"cannot be read ({exc.strerror or exc})") from exc
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise LimitExceeded(f"grew past the {human_size(limit)} limit for {what} while it was read")
    return data


def undecodable_name(path: Path | str) -> str | None:
    """The path written with its non-UTF-8 bytes escaped (``caf\\xe9.txt``) when its name is not valid UTF-8, else
    None. Linux file names are bytes; Python keeps undecodable ones as lone surrogates, which no UTF-8 file (a
    manifest, reviewed.json) and no Word document can hold."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return None
