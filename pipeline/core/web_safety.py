"""What may go on the office's website: the URLs and image files a publication may carry (an allow-list).

A link's or an image's URL is read the way a browser reads it (the WHATWG URL standard): C0 control characters
and spaces at either end are ignored, tabs and line breaks anywhere are removed, and the scheme is the letters
before the first `:` in any case. So ` JaVaScRiPt:`, `java<TAB>script:` and `javascript:` are the same URL to a
browser, and the same here. A URL is allowed when, so read, its scheme is http, https or mailto, or it has no
scheme (a relative or fragment reference: `news.html`, `#contact`, `//www.example.org/`). Anything else
(`javascript:`, `data:`, `vbscript:`, `file:`, an unknown scheme, a control character left inside) is not.
Entity and percent tricks need no rule of their own: the check is on the URL as the output will say it (an `&`
is escaped in HTML, so `&#106;avascript:` stays those characters; `%6A` before a `:` is no scheme at all).

An image copied beside the web page is a raster image whose bytes say what it is (PNG, JPEG, GIF, WebP, by their
first bytes), named by that type, never by the name it had, and at most `IMAGE_MAX_BYTES`. SVG is refused: it can
carry script and run it on the site's own origin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.core.release import Mark

__all__ = [
    "ALLOWED_SCHEMES",
    "IMAGE_MAX_BYTES",
    "IMAGE_TYPES",
    "ImageType",
    "image_type",
    "publishable_marks",
    "unsafe_links",
    "safe_url",
    "url_scheme",
]

MiB = 1024 * 1024
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
# A press photo is 0.2–10 MB; the web page's copy of one larger than this is refused (named in a note).
IMAGE_MAX_BYTES = 32 * MiB
SNIFF_BYTES = 16  # enough for every signature below

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_EDGES = "".join(chr(c) for c in range(0x21))  # C0 controls and space
_INSIDE = re.compile(r"[\t\n\r]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class ImageType:
    name: str  # "PNG"
    suffix: str  # ".png": the copied file's extension
    media_type: str  # "image/png"


IMAGE_TYPES = (
    ImageType("PNG", ".png", "image/png"),
    ImageType("JPEG", ".jpg", "image/jpeg"),
    ImageType("GIF", ".gif", "image/gif"),
    ImageType("WebP", ".webp", "image/webp"),
)
_BY_NAME = {t.name: t for t in IMAGE_TYPES}


def _browser_form(url: str) -> str:
    return _INSIDE.sub("", url.strip(_EDGES))


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see in `url` (lower case), or None for a relative or fragment reference."""
    match = _SCHEME.match(_browser_form(url))
    return match.group(1).lower() if match else None


def safe_url(url: str | None) -> str | None:
    """`url` as a browser reads it when it may be published (http, https, mailto, or relative/fragment), else
    None. The returned form is the one to write: what was checked is what the output says."""
    if not url:
        return None
    cleaned = _browser_form(url)
    if not cleaned or _CONTROL.search(cleaned):
        return None
    match = _SCHEME.match(cleaned)
    if match is None:
        return cleaned
    return cleaned if match.group(1).lower() in ALLOWED_SCHEMES else None


def image_type(head: bytes) -> ImageType | None:
    """The raster type the first bytes of a file declare (PNG, JPEG, GIF, WebP), or None (SVG, HTML, anything)."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _BY_NAME["PNG"]
    if head.startswith(b"\xff\xd8\xff"):
        return _BY_NAME["JPEG"]
    if head.startswith((b"GIF87a", b"GIF89a")):
        return _BY_NAME["GIF"]
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _BY_NAME["WebP"]
    return None


def publishable_marks(marks: list[Mark]) -> list[Mark]:
    """`marks` with each link's URL in the form to write, and the links whose URL may not be published dropped
    (their text stays, with its other formatting)."""
    kept = []
    for mark in marks:
        if mark.kind == "a":
            url = safe_url(mark.href)
            if url is None:
                continue
            if url != mark.href:
                mark = replace(mark, href=url)
        kept.append(mark)
    return kept


def unsafe_links(marks: list[Mark]) -> list[Mark]:
    """The link marks whose URL may not be published."""
    return [m for m in marks if m.kind == "a" and m.href and safe_url(m.href) is None]
