"""Output paths checked before translating: a run must not spend minutes on the model and then fail to save.

Before, a release name too long for the file system (`OSError: [Errno 36] File name too long`) and an unwritable
`--out` were found only when the first document was saved, after the whole translation. Now, once the releases are
read and before any model runs:

* every file name the run and a later `review import`/`publish` will write (the review documents, the manifest,
  reviewed.json, the published documents, each also as its hidden temporary `.NAME.xxxxxxxx.tmp`) must fit the file
  system's name limit (`NAME_MAX`, in bytes), and the longest path its `PATH_MAX`;
* the output folder's name must be valid UTF-8 (it is written into the manifest);
* the nearest existing folder of each release's output folder must be a folder that we can write in: a hidden
  probe file is created there and removed at once (a read-only file system or missing permission shows up here
  exactly as it would later). Nothing else is created: the output folders are made when documents are written.

Every problem is an `OutputError` (exit 5) naming the path and what to do.
"""

from __future__ import annotations

import errno
import os
import secrets
from pathlib import Path

from pipeline.files.atomic import output_error
from pipeline.core.errors import OutputError
from pipeline.core.limits import undecodable_name

__all__ = ["check_output_paths", "output_names"]

_TEMPORARY = ".{}.00000000.tmp"  # atomic.py's temporary name for a file: "." + name + "." + 8 hex digits + ".tmp"


def output_names(name: str, langs: list[str]) -> list[str]:
    """The file names written for release `name` in its folder, by `run`, `review import` and `publish`."""
    names = [f"{name}.manifest.json", f"{name}.reviewed.json"]
    for lang in langs:
        names += [f"{name}.{lang}.review.docx", f"{name}.{lang}.docx", f"{name}.{lang}.bilingual.docx"]
    return names + [_TEMPORARY.format(n) for n in names]


def _limit(folder: Path, which: str, default: int) -> int:
    try:
        return os.pathconf(folder, which)
    except (OSError, ValueError, AttributeError):
        return default


def _existing_ancestor(path: Path) -> Path:
    path = path.absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _probe(folder: Path) -> None:
    """Create and remove a hidden file in `folder`; OutputError if that is impossible."""
    if not folder.is_dir():
        raise OutputError(
            f"{folder}: cannot create the output folder under it (Not a directory: it is a file); choose another with --out"
        )
    probe = folder / f".translate-probe-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise output_error(probe.parent, exc) from exc
        raise OutputError(
            f"Cannot write in {folder} ({exc.strerror or exc}); choose an output folder you can write to with --out"
        ) from exc
    os.close(fd)
    probe.unlink(missing_ok=True)


def check_output_paths(out_dir: Path, release_names: list[str], langs: list[str]) -> None:
    """OutputError unless every output of these releases can be written under `out_dir` (see the module doc)."""
    shown = undecodable_name(out_dir)
    if shown is not None:
        raise OutputError(f"{shown}: the output folder's name is not valid UTF-8 text; choose another with --out")
    probed: set[Path] = set()
    for name in release_names:
        folder = Path(out_dir) / name
        existing = _existing_ancestor(folder)
        name_max = _limit(existing, "PC_NAME_MAX", 255)
        path_max = _limit(existing, "PC_PATH_MAX", 4096)
        for file_name in [name, *output_names(name, langs)]:
            if len(os.fsencode(file_name)) > name_max:
                raise OutputError(
                    f"Cannot write {folder / file_name}: the file name is too long ({len(os.fsencode(file_name))} "
                    f"bytes; this file system allows {name_max}). Rename the release to a shorter name and run again."
                )
        longest = max((folder / n for n in output_names(name, langs)), key=lambda p: len(os.fsencode(str(p.absolute()))))
        if len(os.fsencode(str(longest.absolute()))) >= path_max:
            raise OutputError(
                f"Cannot write {longest}: the path is too long for this file system ({path_max} bytes); "
                "choose a shorter --out folder or rename the release."
            )
        if existing not in probed:
            _probe(existing)
            probed.add(existing)
