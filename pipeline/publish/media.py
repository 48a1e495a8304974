"""The images a publication carries, streamed and bounded: never read whole, never trusted by their name.

A .docx release's images stay in the kept copy of its source (`.sources/<sha256>.docx`). The published document is
built from the copy's XML parts only (pipeline/docx/bounded.py: images are never unpacked into memory), and
`save_with_media` writes it with each image streamed from the source package in 1 MB pieces, whatever its size.

The web page's images (`<release>.<lang>.files/`) are copied by `WebImages`: only a raster image whose first bytes
say PNG, JPEG, GIF or WebP (pipeline/core/web_safety.py), of at most `IMAGE_MAX_BYTES` (its declared size is
checked before anything is read, and the copy stops at the limit), named by its stem (letters, digits, `-`, `_`)
and the suffix of its detected type, never the suffix it had: a part named `page.html` never becomes a page on the
site. Names are given in the order images are met (a second `photo` of another file is `photo-2`), so the .md and
the web page, written from the same source, name each image alike. Every image refused is named in a note
(`WebImages.notes`) that publish prints.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import BinaryIO

from pipeline.core.limits import LimitExceeded, check_file, human_size
from pipeline.core.web_safety import IMAGE_MAX_BYTES, IMAGE_TYPES, SNIFF_BYTES, image_type
from pipeline.files.atomic import atomic_output

__all__ = ["CHUNK", "WebImages", "save_with_media"]

CHUNK = 1024 * 1024
_XML_SUFFIXES = (".xml", ".rels")
_KINDS = ", ".join(t.name for t in IMAGE_TYPES[:-1]) + " or " + IMAGE_TYPES[-1].name


class _TooLarge(Exception):
    pass


def save_with_media(document, source: Path, target: Path) -> Path:
    """Save `document` (opened from `source`'s XML parts only) to `target` atomically, every other part of the
    package streamed from `source`."""
    skeleton = io.BytesIO()
    document.save(skeleton)
    skeleton.seek(0)
    with atomic_output(target) as temporary, zipfile.ZipFile(skeleton) as saved, zipfile.ZipFile(source) as original:
        present = {info.filename: info for info in original.infolist()}
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as out:
            for info in saved.infolist():
                kept = present.get(info.filename)
                if kept is not None and not info.filename.lower().endswith(_XML_SUFFIXES):
                    fresh = zipfile.ZipInfo(info.filename, info.date_time)
                    fresh.compress_type = zipfile.ZIP_DEFLATED
                    with original.open(kept) as reading, out.open(fresh, "w", force_zip64=kept.file_size > 2**31) as writing:
                        while chunk := reading.read(CHUNK):
                            writing.write(chunk)
                else:
                    out.writestr(info, saved.read(info))
    return target


class WebImages:
    """Copies images into `folder` (the web page's `<release>.<lang>.files/`); see the module docstring."""

    def __init__(self, folder: Path, *, limit: int = IMAGE_MAX_BYTES):
        self.folder = Path(folder)
        self.limit = limit
        self.notes: list[str] = []
        self._done: dict[str, str | None] = {}  # what was asked → the file name (None: refused)
        self._names: set[str] = set()

    def url(self, name: str) -> str:
        return f"{self.folder.name}/{name}"

    def from_package(self, package: Path | None, part_name: str, blob: bytes | None = None) -> str | None:
        """An image part of a Word document (`/word/media/image1.png`), streamed from the package at `package`
        (or, without one, from `blob`): its URL relative to the page, or None (refused, with a note)."""
        key = f"{package}:{part_name}"
        if key in self._done:
            return self._done[key]
        entry = part_name.lstrip("/")
        name = None
        if package is not None:
            try:
                with zipfile.ZipFile(package) as zipped:
                    info = zipped.getinfo(entry)
                    if self._fits(entry, info.file_size):
                        with zipped.open(info) as stream:
                            name = self._copy(entry, stream)
            except (KeyError, OSError, zipfile.BadZipFile, RuntimeError, EOFError) as exc:
                self.notes.append(f"image {entry} was not copied beside the web page: it cannot be read ({exc})")
        elif blob is not None and self._fits(entry, len(blob)):
            name = self._copy(entry, io.BytesIO(blob))
        self._done[key] = name
        return self.url(name) if name else None

    def from_file(self, path: Path, shown: str) -> str | None:
        """A local image file (a Markdown release's): its URL relative to the page, or None (refused, a note)."""
        key = str(path)
        if key not in self._done:
            name = None
            try:
                size = check_file(path, self.limit, "an image on the web page")
                with open(path, "rb") as stream:
                    name = self._copy(shown, stream) if self._fits(shown, size) else None
            except LimitExceeded as exc:
                self.notes.append(f"image {shown} was not copied beside the web page: it {exc}")
            except OSError as exc:
                self.notes.append(f"image {shown} was not copied beside the web page: it cannot be read ({exc})")
            self._done[key] = name
        name = self._done[key]
        return self.url(name) if name else None

    def _fits(self, shown: str, size: int) -> bool:
        if size <= self.limit:
            return True
        self.notes.append(f"image {shown} was not copied beside the web page: it is {human_size(size)}, over the "
                          f"{human_size(self.limit)} limit for an image on the web page")
        return False

    def _copy(self, shown: str, stream: BinaryIO) -> str | None:
        head = stream.read(SNIFF_BYTES)
        kind = image_type(head)
        if kind is None:
            svg = " (SVG can carry script; save it as PNG)" if shown.lower().endswith((".svg", ".svgz")) else ""
            self.notes.append(f"image {shown} was not copied beside the web page: it is not a {_KINDS} image{svg}")
            return None
        name = self._name(shown, kind.suffix)
        written = len(head)
        try:
            # atomic_output: inside a publication (atomic.one_unit) the image is renamed with the page, not before it
            with atomic_output(self.folder / name) as temporary, open(temporary, "wb") as out:
                out.write(head)
                while chunk := stream.read(CHUNK):
                    written += len(chunk)
                    if written > self.limit:
                        raise _TooLarge
                    out.write(chunk)
        except _TooLarge:
            self.notes.append(f"image {shown} was not copied beside the web page: it is over the "
                              f"{human_size(self.limit)} limit for an image on the web page")
            return None
        self._names.add(name)
        return name

    def _name(self, shown: str, suffix: str) -> str:
        stem = re.sub(r"[^\w-]+", "-", Path(shown).stem, flags=re.UNICODE).strip("-.") or "image"
        name, number = f"{stem}{suffix}", 1
        while name in self._names:
            number += 1
            name = f"{stem}-{number}{suffix}"
        return name
