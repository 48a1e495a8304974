"""Files derived from installed libraries' data (langdetect's table, OpenCC's character tables), kept between runs.

Rules every such cache follows, so a cache can only ever save time, never change an answer:

* its file name carries a key computed from everything it was derived from (the source files' names, sizes and
  modification times, the format version), so a changed library or data file means a different file;
* it is written to a temporary file in the same folder and renamed into place: a reader sees a whole file or none;
* it is read whole and checked (a CRC-32 of the payload, then the caller's own checks); anything wrong and the
  caller rebuilds from the library as if there were no cache (and writes a fresh one);
* a cache that cannot be written (read-only home, full disk) is simply absent.

Location: $TRANSLATE_CACHE_DIR/<kind>, else $XDG_CACHE_HOME/translate/<kind> (~/.cache/translate/<kind>);
TRANSLATE_CACHE_DIR set to an empty string switches every cache off. Deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from pathlib import Path


def cache_dir(kind: str) -> Path | None:
    configured = os.environ.get("TRANSLATE_CACHE_DIR")
    if configured is not None:
        return Path(configured) / kind if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "translate" / kind


def files_key(label: str, files: list[Path]) -> str:
    """A key for data derived from `files`: their names, sizes and modification times, and `label` (the format)."""
    digest = hashlib.sha256(f"{label}\n".encode())
    for path in files:
        info = path.stat()
        digest.update(f"{path.name}:{info.st_size}:{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:32]


def read(kind: str, name: str) -> bytes | None:
    """The payload of cache file `name`, or None when there is none or its CRC does not match."""
    folder = cache_dir(kind)
    if folder is None:
        return None
    try:
        blob = (folder / name).read_bytes()
    except OSError:
        return None
    if len(blob) < 4 or zlib.crc32(blob[4:]) != int.from_bytes(blob[:4], "little"):
        return None
    return blob[4:]


def write(kind: str, name: str, payload: bytes) -> None:
    """Store `payload` as cache file `name` (temporary file, then rename); silently nothing if it cannot be."""
    folder = cache_dir(kind)
    if folder is None:
        return
    path = folder / name
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(zlib.crc32(payload).to_bytes(4, "little") + payload)
        os.replace(tmp, path)
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass
