"""`publish --format html`: a clean, self-contained HTML fragment per language for the office's website.

`<release>.<lang>.html` holds one `<article lang="zh-Hant-TW">` (or "ja") with the published document's
structure: the title and headings (`h1`…`h6`), paragraphs, bulleted and numbered lists (`ul`/`ol`), tables,
figures (`figure` with the image and its caption as `figcaption`), text boxes (`aside`), and inside the text
`strong`, `em`, `u`, `sup`, `sub` and links (`a href`, the English URL). No style sheet, script or class beyond
`press-release` and the warning banners: the site's own style applies. Images are copied beside it, into
`<release>.<lang>.files/`, and referenced relatively.

What the fragment may hold is an allow-list (docs/robustness.md, "The web page"): the elements above and no other,
the attributes `lang`, `class`, `role`, `href`, `src`, `alt`, `width`, `height`; a link or image URL only when it
is http, https, mailto or relative (pipeline/core/web_safety.py: any other link is dropped, its text kept); an image
beside it only as a PNG, JPEG, GIF or WebP file whose bytes say so, named by that type, of bounded size, streamed
from the release (pipeline/publish/media.py); an image refused is named in a note publish prints. The text is the published document's, so it carries the
CJK typography publish applies (full-width punctuation, 「」 quotes, no spaces between CJK characters).

It is written from the published .docx in memory (for a .docx release, the source document translated in
place; otherwise the plain publication), walked with pipeline/docx/stories.py's paragraph reader made for the web
page: hidden text, text hidden on the web only (`w:webHidden`) and the images and text boxes anchored in either
are left out; comments are never on it (publish takes them out of the document). Headers and
footers are page furniture, not part of the web page. A Markdown release's page is built from its Markdown
structure instead (`markdown_html`: headings, paragraphs, lists, block quotes, figures with their caption, links,
emphasis).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from pipeline.core.release import Mark
from pipeline.core.web_safety import publishable_marks
from pipeline.docx.stories import MC, W, Stories, StoryReader, chars_to_lines, uniform_kinds
from pipeline.files.atomic import atomic_write_text
from pipeline.language import find_language
from pipeline.publish.formats.base import DOCUMENT, Publication, PublishFormat, PublishOptions, ReleaseFiles
from pipeline.publish.formats.markdown import IMAGE, copy_image, kept_markdown, markdown_blocks, markdown_source
from pipeline.publish.media import WebImages

__all__ = ["FORMAT", "html_lang", "markdown_html", "render_inline", "write_html"]

NAME = "html"

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_TAGS = {"b": "strong", "i": "em", "u": "u", "sup": "sup", "sub": "sub"}
_EMU_PER_PX = 9525


def html_lang(lang: str) -> str:
    """<article lang>: the language record's (zh-Hant-TW, ja, ko); a language without a record, its code."""
    language = find_language(lang)
    return language.html_lang if language else lang


class _Builder:
    def __init__(self, document, web: WebImages, package: Path | None, banners: list[str]):
        self.document = document
        self.reader = StoryReader(document, Stories(), web=True)  # hidden text, and text hidden on the web, left out
        self.web = web
        self.package = package  # the .docx the document was opened from (its images are read there), or None
        self.banners = set(banners)
        self.style_names = _style_names(document)
        self.out: list[str] = []
        self.open_list: str | None = None
        self.last_figure = False

    # --- blocks ----------------------------------------------------------------------------------------------

    def block(self, element, part) -> None:
        for child in element.iterchildren():
            if child.tag == W + "p":
                self.paragraph(child, part)
            elif child.tag == W + "tbl":
                self.close_list()
                self.table(child, part)
            elif child.tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "moveTo"):
                self.block(child, part)

    def close_list(self) -> None:
        if self.open_list:
            self.out.append(f"</{self.open_list}>")
            self.open_list = None

    def paragraph(self, p, part) -> None:
        style = self.style_names.get(_pstyle(p), "")
        inline = self.inline(p, part)
        images = self.figures(p, part)
        boxes = [b for b in p.iter(W + "txbxContent")
                 if not any(a.tag == MC + "Fallback" for a in b.iterancestors()) and self.reader.shows(b, p)]
        kind = _kind(style, p)
        if kind in ("ul", "ol") and inline:
            if self.open_list != kind:
                self.close_list()
                self.out.append(f"<{kind}>")
                self.open_list = kind
            self.out.append(f"<li>{inline}</li>")
            self.last_figure = False
        else:
            self.close_list()
            if images:
                for image in images:
                    self.out.append(f"<figure>{image}</figure>")
                self.last_figure = True
            if inline:
                text = re.sub(r"<[^>]+>", "", inline)
                if text in self.banners:
                    self.out.append(f'<p class="translate-warning" role="alert"><strong>{html.escape(text)}</strong></p>')
                elif kind == "caption" and self.last_figure and self.out and self.out[-1].endswith("</figure>"):
                    self.out[-1] = self.out[-1][: -len("</figure>")] + f"<figcaption>{inline}</figcaption></figure>"
                elif kind.startswith("h"):
                    self.out.append(f"<{self._heading(kind)}>{inline}</{self._heading(kind)}>")
                else:
                    self.out.append(f"<p>{inline}</p>")
                self.last_figure = False
        for box in boxes:
            inner = _Builder.__new__(_Builder)
            inner.__dict__.update(self.__dict__)
            inner.out, inner.open_list, inner.last_figure = [], None, False
            inner.block(box, part)
            inner.close_list()
            if inner.out:
                self.out.append("<aside>" + "".join(inner.out) + "</aside>")

    def _heading(self, kind: str) -> str:
        if kind == "h0":
            return "h1"
        return f"h{min(int(kind[1:]), 6)}"  # Heading 2 is h2 under a Title (h1) as without one

    def table(self, tbl, part) -> None:
        rows = []
        for tr in tbl.iterchildren(W + "tr"):
            cells = []
            for tc in tr.iterchildren(W + "tc"):
                inner = _Builder.__new__(_Builder)
                inner.__dict__.update(self.__dict__)
                inner.out, inner.open_list, inner.last_figure = [], None, False
                inner.block(tc, part)
                inner.close_list()
                cells.append("<td>" + "".join(inner.out) + "</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        self.out.append("<table><tbody>" + "".join(rows) + "</tbody></table>")

    # --- inside a paragraph ---------------------------------------------------------------------------------

    def inline(self, p, part) -> str:
        chars, readable = self.reader._read(p, part)
        if not readable:
            chars = [(ch, f) for ch, f in chars]
        lines = chars_to_lines(chars)
        uniform = {kind for kind, _ in uniform_kinds(chars)}
        rendered = [render_inline(line.text, line.marks) for line in lines if line.text]
        text = "<br>".join(rendered)
        if text and "b" in uniform and not _kind(self.style_names.get(_pstyle(p), ""), p).startswith("h"):
            text = f"<strong>{text}</strong>"
        if text and "i" in uniform:
            text = f"<em>{text}</em>"
        return text

    def figures(self, p, part) -> list[str]:
        found = []
        for drawing in p.iter(W + "drawing"):
            if any(a.tag == MC + "Fallback" for a in drawing.iterancestors()) or not self.reader.shows(drawing, p):
                continue  # the legacy copy; an image anchored in hidden text, or hidden on the web
            blip = next(drawing.iter(A + "blip"), None)
            if blip is None:
                continue
            rid = blip.get(R + "embed")
            image = part.related_parts.get(rid) if rid else None
            if image is None:
                continue
            url = self.web.from_package(self.package, str(image.partname), None if self.package else image.blob)
            if url is None:
                continue  # refused (not a raster image, too large): named in the web images' notes
            doc_pr = next(drawing.iter(WP + "docPr"), None)
            alt = (doc_pr.get("descr") or doc_pr.get("title") or "") if doc_pr is not None else ""
            extent = next(drawing.iter(WP + "extent"), None)
            size = ""
            if extent is not None:
                try:
                    width = round(int(extent.get("cx")) / _EMU_PER_PX)
                    height = round(int(extent.get("cy")) / _EMU_PER_PX)
                    size = f' width="{width}" height="{height}"'
                except (TypeError, ValueError):
                    size = ""
            src = html.escape(url, quote=True)
            found.append(f'<img src="{src}" alt="{html.escape(alt, quote=True)}"{size}>')
        return found


def render_inline(text: str, marks: list[Mark]) -> str:
    """`text` as HTML with `marks` (laminar) as nested elements; everything escaped; a link only with a URL that
    may be published (its text kept otherwise)."""
    marks = publishable_marks(marks)
    if not marks:
        return html.escape(text, quote=False)
    ordered = sorted(marks, key=lambda m: (m.start, -m.end))
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out: list[str] = []
    stack: list[Mark] = []
    for a, b in zip(cuts, cuts[1:]):
        while stack and stack[-1].end <= a:
            out.append(_close(stack.pop()))
        for m in ordered:
            if m.start == a:
                out.append(_open(m))
                stack.append(m)
        out.append(html.escape(text[a:b], quote=False))
    while stack:
        out.append(_close(stack.pop()))
    return "".join(out)


def _open(mark: Mark) -> str:
    if mark.kind == "a":
        return f'<a href="{html.escape(mark.href or "", quote=True)}">'
    return f"<{_TAGS.get(mark.kind, 'span')}>"


def _close(mark: Mark) -> str:
    return "</a>" if mark.kind == "a" else f"</{_TAGS.get(mark.kind, 'span')}>"


def _pstyle(p) -> str | None:
    ppr = p.find(W + "pPr")
    style = ppr.find(W + "pStyle") if ppr is not None else None
    return style.get(W + "val") if style is not None else None


def _style_names(document) -> dict[str | None, str]:
    names: dict[str | None, str] = {}
    try:
        for style in document.styles.element.iterchildren(W + "style"):
            name = style.find(W + "name")
            names[style.get(W + "styleId")] = name.get(W + "val") if name is not None else ""
    except Exception:
        pass
    return names


def _kind(style: str, p) -> str:
    """h0 (Title), h1..h6 (Heading n), ul/ol (lists), caption, or p."""
    lowered = style.lower()
    if lowered == "title":
        return "h0"
    heading = re.fullmatch(r"heading (\d)", lowered)
    if heading:
        return f"h{heading.group(1)}"
    if lowered == "caption":
        return "caption"
    ppr = p.find(W + "pPr")
    numbered = ppr is not None and ppr.find(W + "numPr") is not None
    if lowered.startswith("list number"):
        return "ol"
    if lowered.startswith("list bullet") or numbered or lowered == "list paragraph":
        return "ul"
    return "p"


def write_html(document, path: Path, lang: str, banners: list[str], *, package: Path | None = None,
               notes: list[str] | None = None) -> Path:
    """Write the HTML fragment of a published document (and its images beside it); returns the path. `package`:
    the .docx the document was opened from, where its images are streamed from; what was refused goes to `notes`."""
    path = Path(path)
    web = WebImages(path.parent / f"{path.stem}.files")
    builder = _Builder(document, web, package, banners)
    builder.block(document.element.body, document.part)
    builder.close_list()
    body = "\n".join(builder.out)
    fragment = f'<article class="press-release" lang="{html.escape(html_lang(lang), quote=True)}">\n{body}\n</article>\n'
    atomic_write_text(path, fragment)
    if notes is not None:
        notes.extend(web.notes)
    return path


def markdown_html(source_text: str, layout: list[dict], published: dict, lang: str, banners: list[str], *,
                  source_dir, web: WebImages) -> str:
    """The web fragment of a Markdown release (the format of `write_html`). `published`: paragraph number →
    (text, marks). Its images are copied by `web`; one refused or with a URL that may not be published is left
    out (named in `web.notes`)."""
    lines = source_text.splitlines()
    blocks = markdown_blocks(layout)
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
        for match in IMAGE.finditer(lines[k]):
            src = copy_image(match.group(2), source_dir, web)
            if src is None:
                continue
            close()
            out.append(
                f'<figure><img src="{html.escape(src, quote=True)}" alt="{html.escape(match.group(1), quote=True)}"></figure>'
            )
            image_line = k
        k += 1
    close()
    body = "\n".join(out)
    return f'<article class="press-release" lang="{html.escape(html_lang(lang), quote=True)}">\n{body}\n</article>\n'


def applies(release: ReleaseFiles, options: PublishOptions) -> bool:
    return options.asked(NAME)


def write(publication: Publication) -> Path:
    path = publication.release.output(publication.lang, ".html")
    banners = publication.plan.banners()
    kept = kept_markdown(publication.release)
    if kept is None:
        return write_html(publication.built[DOCUMENT], path, publication.lang, banners,
                          package=publication.release.kept(".docx"), notes=publication.notes)
    source = markdown_source(publication, kept)
    web = WebImages(source.files_dir)
    page = markdown_html(source.text, source.layout, source.published, publication.lang, banners,
                         source_dir=source.source_dir, web=web)
    atomic_write_text(path, page)
    publication.notes.extend(note for note in web.notes if note not in publication.notes)
    return path


FORMAT = PublishFormat(NAME, applies, write)
