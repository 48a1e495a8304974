"""Loading a glossary file or folder into a `Glossary`."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import fields
from pathlib import Path

from pipeline import __version__
from pipeline.core.errors import GlossaryError
from pipeline.core.limits import GLOSSARY_MAX_BYTES, LimitExceeded, read_bounded
from pipeline.glossary.formats import format_for
from pipeline.glossary.formats.base import one_line
from pipeline.glossary.formats.yaml_titles import read_titles
from pipeline.glossary.glossary import Glossary, no_gc
from pipeline.glossary.model import Entry, Problem

__all__ = ["DEFAULT_FOLDER", "default_glossary_path", "glossary_files", "load_glossary", "read_entries"]

DEFAULT_FOLDER = "glossaries"


def default_glossary_path() -> Path | None:
    """`./glossaries` (relative to the current directory) if it exists, else None."""
    path = Path(DEFAULT_FOLDER)
    return path if path.exists() else None


def glossary_files(path: Path) -> list[Path]:
    """The glossary files a path stands for: the file itself, or the *.yaml/*.yml/*.csv/*.tbx files directly in a
    folder (not in its subfolders), sorted by name. Hidden files and Excel's `~$` lock files are skipped."""
    path = Path(path)
    if path.is_dir():
        return sorted(
            p
            for p in path.iterdir()
            if p.is_file() and not p.name.startswith((".", "~$")) and format_for(p) is not None
        )
    return [path]


def glossary_hash(files: list[Path], datas: list[bytes] | None = None) -> str:
    """sha256 (first 16 hex digits) of a single file's bytes; for several files, of their names and hashes."""
    if datas is None:
        datas = [f.read_bytes() for f in files]
    if len(files) == 1:
        return hashlib.sha256(datas[0]).hexdigest()[:16]
    digest = hashlib.sha256()
    for f, data in sorted(zip(files, datas), key=lambda pair: pair[0].name):
        digest.update(f.name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()[:16]


EMPTY_MESSAGE = (
    "the glossary has no entries (an empty glossary is almost certainly the wrong file); "
    "add entries (docs/glossary.md) or give the right file"
)


def read_entries(path: Path, *, cache: bool = True) -> tuple[list[Entry], list[Problem], list[Path]]:
    """Every entry of a file or folder, every parse/schema problem (not raised), and the files read.

    `cache=False` always parses (the check does: it must see the file as it is, whatever the cache holds)."""
    path = Path(path)
    if not path.exists():
        return [], [Problem("usage", f"{path}: no such file or folder", file=str(path))], []
    files = glossary_files(path)
    entries: list[Entry] = []
    problems: list[Problem] = []
    for f in files:
        fmt = format_for(f)
        if fmt is None:
            problems.append(
                Problem("usage", f"{f}: not a glossary file (use .yaml, .yml, .csv or .tbx)", file=str(f))
            )
            continue
        try:
            data = read_bounded(f, GLOSSARY_MAX_BYTES, "a glossary file")
            use_cache = cache and len(data) >= CACHE_MIN_BYTES
            got = _cache_get(data, fmt.name, f) if use_cache else None
            found: list[Problem] = []
            if got is None:
                got, found = fmt.read(f)
                if use_cache and not found:
                    _cache_put(data, fmt.name, got)
        except OSError as exc:
            problems.append(Problem("parse", f"cannot read: {exc.strerror or exc}", file=str(f), line=1))
            continue
        except LimitExceeded as exc:
            problems.append(Problem("parse", f"the file {exc}; give the glossary file itself", file=str(f), line=1))
            continue
        if not got and not found:
            # An empty file, only comments, `entries: []`, a CSV header alone, a TBX without terms: a glossary with no
            # entries is almost certainly the wrong file, and a run with it would check no name at all.
            found = [Problem("schema", EMPTY_MESSAGE, file=str(f), line=1)]
        entries += got
        problems += found
    problems += duplicate_ids(entries)
    return entries, problems, files


# ----------------------------------------------------------------------------------------------- cache
# Parsing YAML is the slow part of loading a large glossary (libyaml still builds a Python object per node).
# A glossary file that parsed without problems is kept, as JSON, in a cache keyed by the sha256 of its bytes:
# the next run with the same file skips the parser. Any change to the file changes the key. Set
# TRANSLATE_CACHE_DIR to move the cache, or to an empty string to switch it off.

CACHE_VERSION = 2  # 2: forms over GLOSSARY_TERM_MAX_CHARS refused (a file cached before must be checked again)
CACHE_MIN_BYTES = 256 * 1024  # small files parse in milliseconds: no cache


def cache_dir() -> Path | None:
    configured = os.environ.get("TRANSLATE_CACHE_DIR")
    if configured is not None:
        return Path(configured) / "glossary" if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "translate" / "glossary"


def _cache_file(data: bytes, fmt: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha256(data).hexdigest()
    return folder / f"{digest}.{fmt}.v{CACHE_VERSION}-{__version__}.json"


_ENTRY_FIELDS = [f.name for f in fields(Entry) if f.name != "source"]


def _cache_get(data: bytes, fmt: str, source: Path) -> list[Entry] | None:
    path = _cache_file(data, fmt)
    if path is None:
        return None
    try:
        stored = json.loads(path.read_bytes())
        if stored.get("fields") != _ENTRY_FIELDS:
            return None
        return [Entry(**values, source=source) for values in stored["entries"]]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _cache_put(data: bytes, fmt: str, entries: list[Entry]) -> None:
    path = _cache_file(data, fmt)
    if path is None:
        return
    payload = {
        "fields": _ENTRY_FIELDS,
        "entries": [{name: getattr(e, name) for name in _ENTRY_FIELDS} for e in entries],
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written is no cache; loading still works


def duplicate_ids(entries: list[Entry]) -> list[Problem]:
    seen: dict[str, Entry] = {}
    problems = []
    for e in entries:
        first = seen.setdefault(e.id, e)
        if first is not e:
            file, line = first.where("id")
            problems.append(
                Problem(
                    "schema",
                    f"id {e.id!r} is used twice (first at {file}:{line})",
                    file=str(e.source),
                    line=e.lines.get("id", e.line),
                    entry=e.id,
                )
            )
    return problems


def load_glossary(path: Path) -> Glossary:
    """Load a glossary file or a folder of them; `GlossaryError("file:line: message")` if it cannot be used."""
    path = Path(path)
    with no_gc():
        entries, problems, files = read_entries(path)
    fatal = [p for p in problems if p.fatal]
    if fatal:
        more = f" (and {len(fatal) - 1} more problem{'s' if len(fatal) > 2 else ''}; run `translate glossary check`)"
        raise GlossaryError(one_line(f"{fatal[0]}{more if len(fatal) > 1 else ''}"))
    if not files:
        # a folder without a single glossary file: as unusable as an empty file
        raise GlossaryError(
            f"{path}: no glossary files (.yaml, .yml, .csv, .tbx) in this folder; give the right folder or file "
            "(`translate run` also takes --no-glossary)"
        )
    titles, house_style, title_problems = read_titles(files)
    if title_problems:
        raise GlossaryError(f"{title_problems[0]} (run `translate glossary check`)")
    return Glossary(path, entries, glossary_hash(files), files, titles, house_style)
