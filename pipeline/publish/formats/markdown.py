"""Publish a Markdown release as Markdown (and as HTML) with its structure: `<release>.<lang>.md`.

`translate run` keeps a copy of the source (`.sources/<sha256>.md`) and the manifest's `layout` says which lines
each paragraph came from and its block marker (markdown_source.py). The published Markdown is the source with
each paragraph's lines replaced by the marker (`## `, `- `, `1. `, `> `) and the published text, inline
formatting written back (`**strong**`, `*emphasis*`, `[text](URL)`; where CJK punctuation next to the
delimiters would stop CommonMark from seeing emphasis, `<strong>`/`<em>` is written instead); every other line
(images, rules, blank lines, code) stays. Local images are copied into `<release>.<lang>.files/` and their
references rewritten, so the published file can move with its folder.

`markdown_html` builds the web fragment of a Markdown release from the same structure (headings, paragraphs,
lists, block quotes, figures with their caption, links, emphasis).
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

from pipeline.core.release import Mark
from pipeline.publish.formats.html import html_lang, render_inline

__all__ = ["build_markdown", "markdown_html", "source_markdown"]

_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_ESCAPE = re.compile(r"([\\`*_\[\]<>])")


def source_markdown(folder: Path, manifest: dict) -> Path | None:
    from pipeline.files.release_folder import ReleasePaths

    source = manifest.get("source") or {}
    sha = source.get("sha256")
    suffix = Path(str(source.get("path", ""))).suffix.lower()
    if not sha or suffix not in (".md", ".markdown") or not manifest.get("layout"):
        return None
    path = ReleasePaths(folder, manifest.get("release", "")).source_copy(sha, suffix)
    return path if path.is_file() else None


def _punct(ch: str) -> bool:
    import unicodedata

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
    """`text` with `marks` as Markdown inline syntax (escaped)."""
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
                opening, closing = "[", f"]({m.href})"
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


def _copy_image(src: str, source_dir: Path | None, files_dir: Path) -> str:
    """A local image copied beside the published file; its new relative reference (or `src` unchanged)."""
    if source_dir is None or re.match(r"^[a-z][a-z0-9+.-]*:", src, re.IGNORECASE) or src.startswith("/"):
        return src
    image = (source_dir / src).resolve()
    try:
        image.relative_to(source_dir.resolve())
    except ValueError:
        return src  # outside the release's folder: not copied
    if not image.is_file():
        return src
    files_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(image, files_dir / image.name)
    return f"{files_dir.name}/{image.name}"


def _blocks(layout: list[dict]) -> dict[int, tuple[int, int, str, str, int]]:
    """first line → (end line, prefix, kind, paragraph number)."""
    blocks = {}
    for entry in layout:
        first, end = entry.get("lines", [0, 0])
        blocks[first] = (end, entry.get("prefix", ""), entry.get("kind", "paragraph"), entry.get("paragraph"))
    return blocks


def build_markdown(source_text: str, layout: list[dict], published: dict, *, source_dir, files_dir: Path) -> str:
    """The published Markdown (see the module docstring). `published`: paragraph number → (text, marks)."""
    lines = source_text.splitlines()
    blocks = _blocks(layout)
    out: list[str] = []
    k = 0
    while k < len(lines):
        if k in blocks:
            end, prefix, kind, number = blocks[k]
            text, marks = published.get(number, ("", []))[:2]
            setext = kind == "heading" and "#" not in prefix
            if text:
                out.append(prefix + render_markdown(text, marks))
                if setext and end - 1 > k:
                    out.append(lines[end - 1])
            k = max(end, k + 1)
            continue
        out.append(_IMAGE.sub(lambda m: f"![{m.group(1)}]({_copy_image(m.group(2), source_dir, files_dir)})", lines[k]))
        k += 1
    return "\n".join(out) + "\n"


def markdown_html(source_text: str, layout: list[dict], published: dict, lang: str, banners: list[str], *,
                  source_dir, files_dir: Path) -> str:
    """The web fragment of a Markdown release (writers/html.py's format)."""
    lines = source_text.splitlines()
    blocks = _blocks(layout)
    out = [f'<p class="translate-warning" role="alert"><strong>{html.escape(b)}</strong></p>' for b in banners]
    open_list = None
    image_line = None
    k = 0

    def close() -> None:
        nonlocal open_list
        if open_list:
            out.append(f"</{open_list}>")
            open_list = None

    while k < len(lines):
        if k in blocks:
            end, prefix, kind, number = blocks[k]
            text, marks = published.get(number, ("", []))[:2]
            start = k
            k = max(end, k + 1)
            if not text:
                continue
            inline = render_inline(text, marks)
            if kind == "item":
                tag = "ol" if re.search(r"\d[.)]", prefix) else "ul"
                if open_list != tag:
                    close()
                    out.append(f"<{tag}>")
                    open_list = tag
                out.append(f"<li>{inline}</li>")
                continue
            close()
            if kind == "heading":
                level = prefix.count("#") or (1 if end - 1 < len(lines) and lines[end - 1].strip().startswith("=") else 2)
                out.append(f"<h{level}>{inline}</h{level}>")
            elif ">" in prefix:
                out.append(f"<blockquote><p>{inline}</p></blockquote>")
            elif out and out[-1].endswith("</figure>") and "<figcaption>" not in out[-1] and image_line is not None \
                    and all(not ln.strip() for ln in lines[image_line + 1 : start]):
                # the paragraph right after an image (blank lines between) is its caption
                out[-1] = out[-1][: -len("</figure>")] + f"<figcaption>{inline}</figcaption></figure>"
            else:
                out.append(f"<p>{inline}</p>")
            continue
        for match in _IMAGE.finditer(lines[k]):
            close()
            src = _copy_image(match.group(2), source_dir, files_dir)
            out.append(
                f'<figure><img src="{html.escape(src, quote=True)}" alt="{html.escape(match.group(1), quote=True)}"></figure>'
            )
            image_line = k
        k += 1
    close()
    body = "\n".join(out)
    return f'<article class="press-release" lang="{html.escape(html_lang(lang), quote=True)}">\n{body}\n</article>\n'
