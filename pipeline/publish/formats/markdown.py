"""Publish a Markdown release as Markdown (and as HTML) with its structure: `<release>.<lang>.md`.

`translate run` keeps a copy of the source (`.sources/<sha256>.md`) and the manifest's `layout` says which lines
each paragraph came from and its block marker (pipeline/source/markdown.py). The published Markdown is the source with
each paragraph's lines replaced by the marker (`## `, `- `, `1. `, `> `) and the published text, inline
formatting written back (`**strong**`, `*emphasis*`, `[text](URL)`; where CJK punctuation next to the
delimiters would stop CommonMark from seeing emphasis, `<strong>`/`<em>` is written instead); every other line
(images, rules, blank lines, code) stays. Local images are copied into `<release>.<lang>.files/` and their
references rewritten, so the published file can move with its folder. Links and images follow the web page's
rules (pipeline/core/web_safety.py): a link whose URL may not be published is left out (its text stays), an image
with such a URL is replaced by its description, a local image is copied only as a PNG, JPEG, GIF or WebP file of
bounded size, named by its type (pipeline/publish/media.py).

Its web page (`--format html`) is built from the same structure: html.py, `markdown_html`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.release import Mark
from pipeline.core.web_safety import publishable_marks, safe_url
from pipeline.files.atomic import atomic_write_text
from pipeline.publish.formats.base import IMAGES_SUFFIX, Publication, PublishFormat, PublishOptions, ReleaseFiles
from pipeline.publish.media import WebImages
from pipeline.publish.plan import PublishedLine
from pipeline.source.ingest import decode_text
from pipeline.source.markdown import UNSTRUCTURED

__all__ = ["FORMAT", "IMAGE", "MarkdownSource", "build_markdown", "copy_image", "kept_markdown", "markdown_blocks",
           "markdown_source", "missing_structure"]

NAME = "markdown"
SUFFIX = ".md"  # of the published file (SUFFIXES: of a Markdown release)
SUFFIXES = (".md", ".markdown")
IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_ESCAPE = re.compile(r"([\\`*_\[\]<>])")


def _punct(ch: str) -> bool:
    return bool(ch) and (unicodedata.category(ch).startswith("P") or unicodedata.category(ch).startswith("S"))


def _flanks(before: str, inner: str, after: str) -> bool:
    """Would CommonMark read `**inner**` between `before` and `after` as emphasis (left/right-flanking)?"""
    first, last = inner[:1], inner[-1:]
    if not first or first.isspace() or last.isspace():
        return False
    left = not _punct(first) or not before or before.isspace() or _punct(before)
    right = not _punct(last) or not after or after.isspace() or _punct(after)
    return left and right


def render_markdown(text: str, marks: list[Mark]) -> str:
    """`text` with `marks` as Markdown inline syntax (escaped); a link only with a URL that may be published."""
    marks = publishable_marks(marks)
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    ordered = sorted(marks, key=lambda m: (m.start, -m.end))
    out: list[str] = []
    stack: list[tuple[Mark, str]] = []
    for a, b in zip(cuts, cuts[1:]):
        while stack and stack[-1][0].end <= a:
            out.append(stack.pop()[1])
        for m in ordered:
            if m.start != a:
                continue
            if m.kind == "a":
                opening, closing = "[", f"]({_destination(m.href or '')})"
            elif m.kind in ("b", "i"):
                delimiter = "**" if m.kind == "b" else "*"
                if _flanks(text[m.start - 1 : m.start], text[m.start : m.end], text[m.end : m.end + 1]):
                    opening = closing = delimiter
                else:
                    tag = "strong" if m.kind == "b" else "em"
                    opening, closing = f"<{tag}>", f"</{tag}>"
            else:
                tag = {"u": "u", "sup": "sup", "sub": "sub"}.get(m.kind, "span")
                opening, closing = f"<{tag}>", f"</{tag}>"
            out.append(opening)
            stack.append((m, closing))
        out.append(_ESCAPE.sub(r"\\\1", text[a:b]))
    while stack:
        out.append(stack.pop()[1])
    return "".join(out)


def _destination(url: str) -> str:
    """`url` as a link destination CommonMark reads back as the same address: no space, control character or angle bracket
    (percent-encoded), parentheses and backslashes escaped, so no URL can end the link early or start another."""
    encoded = "".join(f"%{ord(ch):02X}" if ord(ch) <= 0x20 or ch in "<>\x7f" else ch for ch in url)
    return re.sub(r"([()\\])", r"\\\1", encoded)


def copy_image(src: str, source_dir: Path | None, web: WebImages) -> str | None:
    """An image reference of the release: a local image copied beside the published file (its new relative
    reference), a web or relative reference as it is, or None: a URL that may not be published, or an image
    refused (named in `web.notes`)."""
    url = safe_url(src)
    if url is None:
        web.notes.append(f"image {src!r} is left out: only http, https or relative image addresses are published")
        return None
    if source_dir is None or re.match(r"^[a-z][a-z0-9+.-]*:", url, re.IGNORECASE) or url.startswith("/"):
        return url
    image = (source_dir / url).resolve()
    try:
        image.relative_to(source_dir.resolve())
    except ValueError:
        return url  # outside the release's folder: not copied
    if not image.is_file():
        return url
    return web.from_file(image, url)


def markdown_blocks(layout: list[dict]) -> dict[int, tuple[int, int, str, str, int]]:
    """first line → (end line, prefix, kind, paragraph number)."""
    blocks = {}
    for entry in layout:
        first, end = entry.get("lines", [0, 0])
        blocks[first] = (end, entry.get("prefix", ""), entry.get("kind", "paragraph"), entry.get("paragraph"))
    return blocks


def build_markdown(source_text: str, layout: list[dict], published: dict, *, source_dir, web: WebImages) -> str:
    """The published Markdown (see the module docstring). `published`: paragraph number → (text, marks)."""

    def image(match: re.Match) -> str:
        src = copy_image(match.group(2), source_dir, web)
        return f"![{match.group(1)}]({_destination(src)})" if src is not None else _ESCAPE.sub(r"\\\1", match.group(1))

    lines = source_text.splitlines()
    blocks = markdown_blocks(layout)
    out: list[str] = []
    k = 0
    while k < len(lines):
        if k in blocks:
            end, prefix, kind, number = blocks[k]
            text, marks = published.get(number, ("", []))[:2]
            setext = kind == "heading" and "#" not in prefix
            if text:
                out.append(prefix + (text if kind == "code" else render_markdown(text, marks)))  # code: as it is
                if setext and end - 1 > k:
                    out.append(lines[end - 1])
            k = max(end, k + 1)
            continue
        out.append(IMAGE.sub(image, lines[k]))
        k += 1
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class MarkdownSource:
    """A Markdown release's kept source, as ingest read it, and what each of its paragraphs becomes."""

    text: str
    layout: list[dict]
    published: dict[int, PublishedLine]  # paragraph number → its published text and marks
    source_dir: Path | None  # where its local images are (the source's folder, when it is still there)
    files_dir: Path  # where they are copied: <release>.<lang>.files/


def markdown_source(publication: Publication, source: Path) -> MarkdownSource:
    """`source`: the kept copy of the release's Markdown (`kept_markdown`)."""
    original = Path(str((publication.manifest.get("source") or {}).get("path", "")))
    return MarkdownSource(
        decode_text(source, source.read_bytes(), []),  # as ingest read it (a legacy encoding too)
        publication.manifest.get("layout") or [],
        publication.plan.lines(),
        original.parent if original.parent.is_dir() else None,
        publication.release.output(publication.lang, IMAGES_SUFFIX),
    )


def kept_markdown(release: ReleaseFiles) -> Path | None:
    """The kept copy of a Markdown release's source (None for another release)."""
    return release.kept(*SUFFIXES)


def missing_structure(release: ReleaseFiles) -> str | None:
    """Why a Markdown release cannot be published with its structure (None: it can, or it is no Markdown release).

    Its .md and its web page are built from the run's layout and its copy of the source; without them they would
    be flat text without the links, lists, images and emphasis of the release, so they are refused, never
    written so or left out without a word (the publisher says so)."""
    if release.source_suffix not in SUFFIXES or release.kept_source is not None:
        return None
    if not release.manifest.get("layout"):
        said = [n for n in release.manifest.get("notes") or [] if str(n).startswith(UNSTRUCTURED)]
        return str(said[0]).split(". Its text")[0] if said else \
            "the run recorded no Markdown structure for it (run `translate run` on the release again)"
    return "the run's copy of its source (.sources/ in the release folder) is missing: run `translate run` again"


def applies(release: ReleaseFiles, options: PublishOptions) -> bool:
    return kept_markdown(release) is not None


def write(publication: Publication) -> Path:
    """The published Markdown, the banners as a block quote at its top."""
    kept = kept_markdown(publication.release)
    assert kept is not None  # applies() said so
    source = markdown_source(publication, kept)
    path = publication.release.output(publication.lang, SUFFIX)
    warning = "".join(f"> **{line}**\n>\n" for line in publication.plan.banners())
    web = WebImages(source.files_dir)
    published_md = build_markdown(source.text, source.layout, source.published, source_dir=source.source_dir,
                                  web=web)
    publication.notes.extend(note for note in web.notes if note not in publication.notes)
    atomic_write_text(path, (warning.rstrip(">\n") + "\n\n" if warning else "") + published_md)
    return path


FORMAT = PublishFormat(NAME, SUFFIX, applies, write)
