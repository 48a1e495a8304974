"""`publish --format html`: a clean, self-contained HTML fragment per language for the office's website.

`<release>.<lang>.html` holds one `<article lang="zh-Hant-TW">` (or "ja") with the published document's
structure: the title and headings (`h1`…`h6`), paragraphs, bulleted and numbered lists (`ul`, and `ol` where the
document's numbering (numbering.xml, pipeline/docx/numbering.py) or the Markdown says the list is numbered, with
`start` where it does not begin at 1 and `type` for letters and Roman numerals), tables, figures (`figure` with the
image and its caption as `figcaption`), text boxes (`aside`), and inside the text `strong`, `em`, `u`, `sup`, `sub`,
links (`a href`, the English URL) and `mark` (text published unreviewed with `--allow-unreviewed`, highlighted in
the Word documents). Footnotes and endnotes are a numbered list at the end (`ol class="notes"`), each note
`li id="fnN"` with a link back to its reference `sup > a href="#fnN" id="fnrefN"`. A tab is an em space (a gap
the page shows: HTML would collapse a tab into one space). No style sheet, script or class beyond `press-release`,
`notes` and the warning banners: the site's own style applies. Images are copied beside it, into
`<release>.<lang>.files/`, and referenced relatively.

What the fragment may hold is an allow-list (docs/robustness.md, "The web page"): the elements above and no other,
the attributes `lang`, `class`, `role`, `href`, `src`, `alt`, `width`, `height`, and on lists and notes `start`,
`type`, `id`; a link or image URL only when it is http, https, mailto or relative (pipeline/core/web_safety.py: any
other link is dropped, its text kept); an image beside it only as a PNG, JPEG, GIF or WebP file whose bytes say so,
named by that type, of bounded size, streamed from the release (pipeline/publish/media.py); an image refused is
named in a note publish prints. The text is the published document's, so it carries the CJK typography publish
applies (full-width punctuation, 「」 quotes, no spaces between CJK characters).

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
from pipeline.core.marks import laminar
from pipeline.docx.numbering import ListLevel, Numbering
from pipeline.docx.stories import (
    MC, NOTE_REFERENCE, RT_ENDNOTES, RT_FOOTNOTES, W, Stories, StoryReader, chars_to_lines, notes_root, uniform_kinds,
)  # fmt: skip
from pipeline.files.atomic import atomic_write_text
from pipeline.language import find_language
from pipeline.publish.formats.base import DOCUMENT, IMAGES_SUFFIX, Publication, PublishFormat, PublishOptions, ReleaseFiles
from pipeline.publish.formats.markdown import IMAGE, copy_image, kept_markdown, markdown_blocks, markdown_source
from pipeline.publish.media import WebImages

__all__ = ["FORMAT", "html_lang", "markdown_html", "render_inline", "write_html"]

NAME = "html"
SUFFIX = ".html"

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_TAGS = {"b": "strong", "i": "em", "u": "u", "sup": "sup", "sub": "sub", "mark": "mark"}
_EMU_PER_PX = 9525
TAB = "\u2003"  # EM SPACE: a tab of the document, a gap the page shows (HTML collapses a tab into one space)
BACK = "\u21a9\ufe0e"  # ↩ as text, not as an emoji: the way back from a note to its reference
# <ol type>: the number formats an HTML list can show; any other ordered format (decimal, full-width digits,
# ideographs, ...) is written as a plain <ol>, numbered 1, 2, 3
_OL_TYPES = {"lowerLetter": "a", "upperLetter": "A", "lowerRoman": "i", "upperRoman": "I"}


def html_lang(lang: str) -> str:
    """<article lang>: the language record's (zh-Hant-TW, ja, ko); a language without a record, its code."""
    language = find_language(lang)
    return language.html_lang if language else lang


class _Notes:
    """The footnotes and endnotes of one page, numbered 1, 2, 3 in the order the page first refers to them; each
    reference links to its note (`#fnN`) and the note back to its first reference (`#fnrefN`)."""

    def __init__(self, document):
        self.elements: dict[str, tuple[object, object]] = {}  # "footnote:ID" → (the note's element, its part)
        for kind, reltype in (("footnote", RT_FOOTNOTES), ("endnote", RT_ENDNOTES)):
            part = next((rel.target_part for rel in document.part.rels.values()
                         if rel.reltype == reltype and not rel.is_external), None)
            root = notes_root(part) if part is not None else None
            for element in root.iterchildren(W + kind) if root is not None else ():
                if element.get(W + "type") in (None, "normal"):
                    self.elements[f"{kind}:{element.get(W + 'id')}"] = (element, part)
        self.numbers: dict[str, int] = {}  # note → its number on the page
        self.references: dict[str, int] = {}  # note → how many references to it so far

    def reference(self, key: str | None) -> str:
        """The superscript link of one reference to note `key` (nothing for a note the document does not hold)."""
        if key not in self.elements:
            return ""
        number = self.numbers.setdefault(key, len(self.numbers) + 1)
        seen = self.references[key] = self.references.get(key, 0) + 1
        anchor = f"fnref{number}" if seen == 1 else f"fnref{number}-{seen}"  # every id once on the page
        return f'<sup><a href="#fn{number}" id="{anchor}">{number}</a></sup>'


class _Builder:
    def __init__(self, document, web: WebImages, package: Path | None, banners: list[str]):
        self.document = document
        # hidden text and text hidden on the web left out; note references and highlights shown
        self.reader = StoryReader(document, Stories(), web=True, note_references=True, highlights=True)
        self.web = web
        self.package = package  # the .docx the document was opened from (its images are read there), or None
        self.banners = set(banners)
        self.style_names = _style_names(document)
        self.numbering = Numbering(document)
        self.notes = _Notes(document)
        self.counted: dict[tuple[str, int], int] = {}  # (list, level) → its last number (shared when nested)
        self.out: list[str] = []
        self.open_list: tuple | None = None  # (tag, which list and level) of the list being written
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
            self.out.append(f"</{self.open_list[0]}>")
            self.open_list = None

    def paragraph(self, p, part) -> None:
        style = self.style_names.get(_pstyle(p), "")
        inline = self.inline(p, part)
        images = self.figures(p, part)
        boxes = [b for b in p.iter(W + "txbxContent")
                 if not any(a.tag == MC + "Fallback" for a in b.iterancestors()) and self.reader.shows(b, p)]
        kind = _kind(style, p)
        level = self.numbering.level(p) if kind in ("ul", "ol", "p") else None
        if level is not None:
            kind = "p" if level.number_format == "none" else "ol" if level.ordered else "ul"
        number = self.count(level) if kind == "ol" and level is not None else None
        if kind in ("ul", "ol") and inline:
            self.list_item(kind, level, number, inline)
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
            inner = self._inner()
            inner.block(box, part)
            inner.close_list()
            if inner.out:
                self.out.append("<aside>" + "".join(inner.out) + "</aside>")

    def count(self, level: ListLevel) -> int:
        """The number Word shows on this item of `level`'s list: one more than the list's last at that level, its
        start the first time, or its w:num's start override the first time that w:num is met; an item of a higher
        level starts the lower levels again."""
        key = (level.list_key, level.level)
        for other in [k for k in self.counted if k[0] == level.list_key and k[1] > level.level]:
            del self.counted[other]
        restart = (f"restart:{level.num_id}", level.level)
        if level.restart is not None and restart not in self.counted:
            self.counted[restart] = level.restart
            number = level.restart
        else:
            number = self.counted[key] + 1 if key in self.counted else level.start
        self.counted[key] = number
        return number

    def list_item(self, kind: str, level: ListLevel | None, number: int | None, inline: str) -> None:
        """`<li>` in the open list, or in a new one when the list or level changes (`start` where the numbers of
        an ordered one do not begin at 1: a list that starts at 5, or goes on after a paragraph between)."""
        which = (kind, level.list_key, level.level) if level is not None else (kind,)
        if self.open_list is None or self.open_list[1] != which:
            self.close_list()
            attributes = ""
            if number is not None and number != 1:
                attributes += f' start="{max(number, 0)}"'
            if kind == "ol" and level is not None and level.number_format in _OL_TYPES:
                attributes += f' type="{_OL_TYPES[level.number_format]}"'
            self.out.append(f"<{kind}{attributes}>")
            self.open_list = (kind, which)
        self.out.append(f"<li>{inline}</li>")
        self.last_figure = False

    def _heading(self, kind: str) -> str:
        if kind == "h0":
            return "h1"
        return f"h{min(int(kind[1:]), 6)}"  # Heading 2 is h2 under a Title (h1) as without one

    def table(self, tbl, part) -> None:
        rows = []
        for tr in tbl.iterchildren(W + "tr"):
            cells = []
            for tc in tr.iterchildren(W + "tc"):
                inner = self._inner()
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
        rendered = [render_inline(line.text, line.marks, note=self.notes.reference) for line in lines if line.text]
        text = "<br>".join(rendered)
        if text and "b" in uniform and not _kind(self.style_names.get(_pstyle(p), ""), p).startswith("h"):
            text = f"<strong>{text}</strong>"
        if text and "i" in uniform:
            text = f"<em>{text}</em>"
        if text and "mark" in uniform:
            text = f"<mark>{text}</mark>"
        return text

    def notes_list(self) -> list[str]:
        """The notes the page refers to, in their numbers' order, each with its way back (empty: none)."""
        items = []
        done = 0
        while done < len(self.notes.numbers):  # a note may refer to another: numbered as it is met
            key = list(self.notes.numbers)[done]
            number = self.notes.numbers[key]
            done += 1
            element, part = self.notes.elements[key]
            inner = self._inner()
            inner.block(element, part)
            inner.close_list()
            back = f'<a href="#fnref{number}">{BACK}</a>'
            body = "".join(inner.out)
            if body.endswith("</p>"):
                body = body[: -len("</p>")] + f" {back}</p>"
            else:
                body += f"<p>{back}</p>"
            items.append(f'<li id="fn{number}">{body}</li>')
        return ['<ol class="notes">', *items, "</ol>"] if items else []

    def _inner(self) -> _Builder:
        """A builder for a story inside this one (a cell, a text box, a note): the same page, its own output."""
        inner = _Builder.__new__(_Builder)
        inner.__dict__.update(self.__dict__)
        inner.out, inner.open_list, inner.last_figure = [], None, False
        return inner

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


def render_inline(text: str, marks: list[Mark], *, note=None) -> str:
    """`text` as HTML with `marks` (laminar) as nested elements; everything escaped; a link only with a URL that
    may be published (its text kept otherwise); a tab as an em space. A "note" mark (a note reference,
    pipeline/docx/stories.py) is written as `note(its href)` says, in place of its character."""
    marks = publishable_marks(marks)
    if not marks:
        return _text(text)
    ordered = sorted(marks, key=lambda m: (m.start, -m.end))
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out: list[str] = []
    stack: list[Mark] = []
    for a, b in zip(cuts, cuts[1:]):
        while stack and stack[-1].end <= a:
            out.append(_close(stack.pop()))
        for m in ordered:
            if m.start == a:
                out.append(_open(m, note))
                stack.append(m)
        if not any(m.kind == "note" for m in stack):
            out.append(_text(text[a:b]))
    while stack:
        out.append(_close(stack.pop()))
    return "".join(out)


def _text(text: str) -> str:
    return html.escape(text.replace("\t", TAB).replace(NOTE_REFERENCE, ""), quote=False)


def _open(mark: Mark, note) -> str:
    if mark.kind == "a":
        return f'<a href="{html.escape(mark.href or "", quote=True)}">'
    if mark.kind == "note":
        return note(mark.href) if note is not None else ""
    return f"<{_TAGS.get(mark.kind, 'span')}>"


def _close(mark: Mark) -> str:
    if mark.kind == "note":
        return ""
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
    web = WebImages(path.with_suffix(IMAGES_SUFFIX))
    builder = _Builder(document, web, package, banners)
    builder.block(document.element.body, document.part)
    builder.close_list()
    body = "\n".join(builder.out + builder.notes_list())
    fragment = f'<article class="press-release" lang="{html.escape(html_lang(lang), quote=True)}">\n{body}\n</article>\n'
    atomic_write_text(path, fragment)
    if notes is not None:
        notes.extend(web.notes)
    return path


def markdown_html(source_text: str, layout: list[dict], published: dict, lang: str, banners: list[str], *,
                  source_dir, web: WebImages) -> str:
    """The web fragment of a Markdown release (the format of `write_html`). `published`: paragraph number →
    (text, marks[, spans to mark as unreviewed]), a plan.PublishedLine. Its images are copied by `web`; one refused
    or with a URL that may not be published is left out (named in `web.notes`)."""
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
            entry = published.get(number) or ("", [])
            text, marks = entry[:2]
            highlights = entry[2] if len(entry) > 2 else []
            start = k
            k = max(end, k + 1)
            # an ordered item's number is its text in the release ("3. Third step"): the <ol> numbers it here
            ordinal = _ORDINAL.match(lines[start][len(prefix):]) if kind == "item" and start < len(lines) else None
            if ordinal:
                text, marks, highlights = _without_number(text, marks, highlights)
            if not text:
                continue
            # unreviewed text (publish --allow-unreviewed) is marked as the Word documents highlight it
            inline = render_inline(text, laminar([*marks, *(Mark(s, e, "mark") for s, e in highlights)]))
            if kind == "item":
                tag = "ol" if ordinal else "ul"
                if open_list != tag:
                    close()
                    first = int(ordinal.group(1)) if ordinal else 1
                    out.append(f'<ol start="{first}">' if tag == "ol" and first != 1 else f"<{tag}>")
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


_ORDINAL = re.compile(r"[ \t]*(\d{1,9})[.)]")
_PUBLISHED_NUMBER = re.compile(r"\s*\d{1,9}\s*[.)．）]\s*")  # typesetting may make the stop full-width


def _without_number(text: str, marks: list[Mark], highlights: list) -> tuple[str, list[Mark], list]:
    """An ordered item's published text without the number it starts with (kept when a translation moved it)."""
    found = _PUBLISHED_NUMBER.match(text)
    if not found or found.end() == len(text):
        return text, marks, highlights
    cut = found.end()
    moved = [Mark(max(m.start - cut, 0), m.end - cut, m.kind, m.href) for m in marks if m.end > cut]
    return text[cut:], moved, [(max(a - cut, 0), b - cut) for a, b in highlights if b > cut]


def applies(release: ReleaseFiles, options: PublishOptions) -> bool:
    return options.asked(NAME)


def write(publication: Publication) -> Path:
    path = publication.release.output(publication.lang, SUFFIX)
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


FORMAT = PublishFormat(NAME, SUFFIX, applies, write)
