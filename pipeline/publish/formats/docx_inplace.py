"""Publish a .docx release on the source document itself: every translated paragraph where its English was.

`translate run` keeps a copy of the source .docx (`.sources/<sha256>.docx` in the release folder) and records
in the manifest's `layout` where each paragraph of the release sits (story, paragraph in reading order, line;
pipeline/docx/stories.py). Publish opens that copy, walks it the same way, checks that each recorded paragraph still
holds the English the segments came from, and replaces the text of each paragraph with its published segments:
styles, numbering and list bullets, section and page setup, headers and footers, images (their runs are kept in
the paragraph), tables, text boxes, bookmarks, footnote references all stay as they are. Paragraphs that were
not read (page-number and date fields) are untouched.

Hidden text (runs that `walk_document` read past, pipeline/docx/hidden.py) is not translated: its runs stay where
they are, each made hidden by its own run properties (`w:vanish`), so the published document hides them whatever
its styles say; so do images and text boxes anchored in hidden text (their text boxes are not read). Text hidden
on the web only (`w:webHidden`) is printed: it is translated, and a paragraph whose text is all hidden on the web
stays so (its translation's runs say `w:webHidden`); one that is only partly so is shown on the web page whole
(the translation cannot tell the part apart; with `--format html`, publish's notes say so). The source's comments
(their parts, relationships and anchors, pipeline/docx/comments.py) are taken out: never published. Tracked deletions (`w:del`, `w:moveFrom`) are never published: they are removed from every story,
as accepting them in Word does (a table row deleted with tracking too), whether or not their paragraph was
translated.

New runs take the run properties of the paragraph's first text run (font size, colour), without the formatting
that was inline (bold, italic, ... come back from the translation's marks, as runs) and with the East Asian font
and language of the target; a hyperlink mark becomes a `w:hyperlink` to the same URL (the document's Hyperlink
character style when it has one). Complex fields whose result was read (a caption's SEQ number) become text.

The copy is opened from its XML parts only (pipeline/docx/bounded.py) and saved with its images streamed from it
(pipeline/publish/media.py): an image is never held in memory, whatever its size. Every hyperlink left in the
document whose URL may not be published (a header's, a field's, a drawing's: pipeline/core/web_safety.py) is
taken out, its text kept.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from docx.oxml import OxmlElement
from lxml import etree

from pipeline.core.errors import ReviewError
from pipeline.core.release import normalize
from pipeline.core.web_safety import safe_url
from pipeline.docx.bounded import DocxRefused, open_docx
from pipeline.docx.comments import remove_comments
from pipeline.docx.fonts import apply_east_asian_fonts
from pipeline.docx.links import drop_unsafe_links
from pipeline.docx.ooxml import RPR_ORDER, child
from pipeline.docx.stories import DRAWINGS, MC, W, WebText, WordParagraph, is_deleted_row, walk_document
from pipeline.language.typography import typeset
from pipeline.publish.formats.base import DOCUMENT, Publication, PublishFormat, PublishOptions, ReleaseFiles
from pipeline.publish.media import save_with_media
from pipeline.publish.plan import EMPTY_LINE, LanguagePlan
from pipeline.publish.word import (
    DOCUMENT_CATEGORY,
    docx_lang_tag,
    east_asian_fonts_of,
    apply_kinds,
    make_run,
    marked_runs,
    set_core_properties,
    style_ids,
)
from pipeline.review.write.writer import language_style

SUFFIX = ".docx"

__all__ = ["FORMAT", "build_inplace"]

_KEEP_RUN_CHILDREN = DRAWINGS | {
    W + "footnoteReference", W + "endnoteReference", W + "commentReference", W + "annotationRef",
    W + "footnoteRef", W + "endnoteRef", W + "separator", W + "continuationSeparator", MC + "AlternateContent",
    W + "ptab", W + "lastRenderedPageBreak",
}  # fmt: skip
_TEXT_CONTAINERS = {W + "hyperlink", W + "fldSimple", W + "smartTag", W + "ins", W + "del", W + "moveTo",
                    W + "moveFrom", W + "customXml", W + "sdt", W + "proofErr", W + "dir", W + "bdo"}
_INLINE_KINDS = ("b", "bCs", "i", "iCs", "u", "vertAlign")


def build_inplace(source: Path, plan: LanguagePlan, notes: list[str] | None = None):
    """The published document of `plan.lang`, written on a copy of the source .docx (see the module docstring).
    `notes`: where to say which paragraphs' text hidden on the web only could not be kept off the web page."""
    manifest, lang = plan.manifest, plan.lang
    east_asia, lang_tag = language_style(lang).east_asia_font, docx_lang_tag(lang)
    try:
        document = open_docx(source)  # the XML parts only: images stay in `source` (save_with_media)
    except DocxRefused as exc:
        raise ReviewError(f"{source}: the kept copy of the source document {exc}; run the translation again.") from exc
    # The document becomes a `lang` document: its defaults, theme language and font table say so (fonts.py), so
    # text an editor types into it later, and text in styles without a run font, get the language's glyph forms.
    apply_east_asian_fonts(document, east_asian_fonts_of(lang))
    remove_comments(document)  # the office's own talk, never published (pipeline/docx/comments.py)
    stories = walk_document(document)
    _keep_hidden(stories.hidden_runs)
    paragraphs = plan.paragraphs()
    english = {paragraph.number: paragraph.english() for paragraph in paragraphs}
    published = {paragraph.number: paragraph.line() for paragraph in paragraphs}
    lines_of: dict[int, dict[int, int]] = {}
    for entry in manifest.get("layout") or []:
        index, line, number = entry.get("index"), entry.get("line"), entry.get("paragraph")
        try:
            paragraph = stories.paragraphs[index]
            found = paragraph.lines[line].text
        except (IndexError, TypeError):
            found = None
        if found is None or normalize(found) != normalize(english.get(number, "")):
            raise ReviewError(
                f"{source}: the kept copy of the source document does not match run {manifest.get('run_id')} "
                f"(paragraph {number}); run the translation again."
            )
        lines_of.setdefault(index, {})[line] = number
    styles = style_ids(document)
    changed_boxes = []
    for index, lines in lines_of.items():
        paragraph = stories.paragraphs[index]
        content = [published.get(lines[k], EMPTY_LINE) for k in sorted(lines)]
        _rewrite(paragraph, content, stories.format_styles, styles, east_asia, lang_tag)
        if notes is not None and paragraph.web_text.hidden and paragraph.web_text.shown:
            notes.append(f"paragraph {lines[min(lines)]}: part of its text is hidden on the web only (w:webHidden), "
                         "which its translation cannot tell apart: the web page shows the whole paragraph")
        box = next((a for a in paragraph.element.iterancestors(W + "txbxContent")), None)
        if box is not None:
            changed_boxes.append(box)
    _sync_fallbacks(changed_boxes)
    _remove_tracked_deletions(document, stories)
    _write_back_parsed_parts(stories)
    drop_unsafe_links(document, lambda url: safe_url(url) is not None)
    banners = plan.banners()
    if banners:
        _banners(document, banners, east_asia)
    titles = (typeset(s.text, lang) for s in plan.segments if s.kind == "title" and s.text)
    title = next(titles, manifest.get("release", ""))
    set_core_properties(document, plan, title, DOCUMENT_CATEGORY)
    return document


# --- one paragraph ---------------------------------------------------------------------------------------------


def _rewrite(paragraph: WordParagraph, content, format_styles: set[str], styles: set[str], east_asia, lang_tag) -> None:
    p = paragraph.element
    hidden = set(paragraph.hidden)
    base = _base_properties(p, paragraph.uniform, format_styles, hidden)
    _web_look(base, paragraph.web_text)
    position = _remove_text(p, hidden)
    new: list[Any] = []
    for k, (text, marks, highlights) in enumerate(content):
        if k and new:
            new.append(_break_run(base))
        new.extend(marked_runs(paragraph.part, text, marks, highlights, base, styles, east_asia, lang_tag))
    for offset, element in enumerate(new):
        p.insert(position + offset, element)


def _base_properties(p, uniform: set[str], format_styles: set[str], hidden: set):
    first = next((r for r in _own_runs(p) if r.find(W + "t") is not None and r not in hidden), None)
    rpr = copy.deepcopy(first.find(W + "rPr")) if first is not None and first.find(W + "rPr") is not None else None
    if rpr is None:
        rpr = OxmlElement("w:rPr")
    for name in _INLINE_KINDS + ("highlight",):
        for el in rpr.findall(W + name):
            rpr.remove(el)
    style = rpr.find(W + "rStyle")
    if style is not None and (style.get(W + "val") in format_styles or style.get(W + "val") == "Hyperlink"):
        rpr.remove(style)
    for el in rpr.findall(W + "rPrChange") + rpr.findall(W + "specVanish"):
        rpr.remove(el)
    apply_kinds(rpr, uniform)
    return rpr


def _web_look(rpr, web_text: WebText) -> None:
    """Text hidden on the web only (`w:webHidden`) stays so when it is the whole paragraph; a paragraph with text
    shown on the web page is shown there whole, whatever the run it takes its look from or its styles say."""
    for el in rpr.findall(W + "webHidden"):
        rpr.remove(el)
    if web_text.hidden:
        web_hidden = child(rpr, "w:webHidden", RPR_ORDER)
        if web_text.shown:
            web_hidden.set(W + "val", "0")


def _own_runs(p):
    """The runs of paragraph `p` (inside hyperlinks, insertions...), not those of a text box anchored in it."""
    for r in p.iter(W + "r"):
        if not _in_box(r, p):
            yield r


def _in_box(el, p) -> bool:
    for ancestor in el.iterancestors():
        if ancestor is p:
            return False
        if ancestor.tag == W + "txbxContent":
            return True
    return False


_TEXTUAL = {W + "t", W + "tab", W + "br", W + "cr", W + "sym", W + "noBreakHyphen", W + "instrText", W + "fldChar",
            W + "delText", W + "softHyphen"}


def _has_text(el, p) -> bool:
    return any(x.tag in _TEXTUAL and not _in_box(x, p) for x in el.iter())


def _keeps(r) -> bool:
    return any(element.tag in _KEEP_RUN_CHILDREN for element in r)


def _strip_to_kept(r) -> None:
    for element in list(r):
        if element.tag not in _KEEP_RUN_CHILDREN and element.tag != W + "rPr":
            r.remove(element)


def _remove_text(p, hidden: set) -> int:
    """Remove the text-bearing content of `p`, keeping (in place, same elements) runs holding an image, a text
    box or a note reference, runs of hidden text (`hidden`, whole), and bookmarks; returns where the new runs go:
    where the first visible text was."""
    position = None
    for element in list(p):
        tag = element.tag
        if not isinstance(tag, str) or element in hidden:
            continue
        if tag == W + "r":
            textual = _has_text(element, p)
            if _keeps(element):
                _strip_to_kept(element)
                if textual and position is None:
                    position = p.index(element) + 1
            else:
                if position is None and textual:
                    position = p.index(element)
                p.remove(element)
        elif tag in _TEXT_CONTAINERS:
            at = p.index(element)
            deleted = tag in (W + "del", W + "moveFrom")
            keep = [] if deleted else [r for r in element.iter(W + "r")
                                       if (_keeps(r) or (r in hidden and not _in_box(r, p))) and not _in_del(r, element)]
            if position is None and not deleted and _has_visible_text(element, p, hidden):
                position = at
            p.remove(element)
            for k, r in enumerate(keep):
                if r not in hidden:
                    _strip_to_kept(r)
                p.insert(at + k, r)
            if position == at and keep:
                position = at + len(keep)
    if position is None:
        position = len(p)
    return position


def _has_visible_text(element, p, hidden: set) -> bool:
    return any(x.tag in _TEXTUAL and not _in_box(x, p) and not any(a in hidden for a in x.iterancestors(W + "r"))
               for x in element.iter())


def _keep_hidden(runs) -> None:
    """Each run of hidden text is made hidden by its own properties (`<w:vanish/>`), whatever its styles say."""
    for r in runs:
        rpr = r.find(W + "rPr")
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            r.insert(0, rpr)
        child(rpr, "w:vanish", RPR_ORDER).attrib.pop(W + "val", None)  # w:val="0" (shown) read as hidden by a style


_DELETED = (W + "del", W + "moveFrom")
_MOVE_RANGES = tuple(W + tag for tag in ("moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd"))


def _remove_tracked_deletions(document, stories) -> None:
    """Tracked deletions and moves away are not published: removed from every story read (body, notes, headers,
    footers), as Word's "Accept All Changes" does; `w:delText` outside them too; a table row deleted with tracking
    (`w:trPr/w:del`) with its cells. The mark that a paragraph mark was deleted (`w:pPr/w:rPr/w:del`) holds no
    text and stays."""
    roots = {id(document.element): document.element}
    for paragraph in stories.paragraphs:
        root = paragraph.element.getroottree().getroot()
        roots.setdefault(id(root), root)
    for root in roots.values():
        doomed = [el for el in root.iter(*_DELETED, *_MOVE_RANGES, W + "delText", W + "delInstrText")
                  if el.getparent() is not None and el.getparent().tag not in (W + "rPr", W + "trPr")]
        doomed += [tr for tr in root.iter(W + "tr") if is_deleted_row(tr)]
        for el in doomed:
            parent = el.getparent()
            if parent is not None:  # inside an element removed before it: gone already
                parent.remove(el)


def _in_del(r, container) -> bool:
    for ancestor in r.iterancestors():
        if ancestor is container:
            return False
        if ancestor.tag in (W + "del", W + "moveFrom"):
            return True
    return False


def _break_run(base):
    r = OxmlElement("w:r")
    r.append(copy.deepcopy(base))
    r.append(OxmlElement("w:br"))
    return r


def _write_back_parsed_parts(stories) -> None:
    """Parts python-docx keeps as bytes (footnotes, endnotes) were parsed by pipeline.docx.stories.notes_root: their
    rewritten XML goes back into the part, or the save would write the English again."""
    for part in {id(p.part): p.part for p in stories.paragraphs}.values():
        root = getattr(part, "_pipeline_root", None)
        if root is not None and getattr(part, "element", None) is None:
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _sync_fallbacks(boxes) -> None:
    """A text box's legacy VML copy (mc:Fallback) gets the translated paragraphs of its modern copy."""
    for box in {id(b): b for b in boxes}.values():
        alternate = next((a for a in box.iterancestors(MC + "AlternateContent")), None)
        if alternate is None:
            continue
        fallback = alternate.find(MC + "Fallback")
        if fallback is None:
            continue
        for old in list(fallback.iter(W + "txbxContent")):
            parent = old.getparent()
            parent.replace(old, copy.deepcopy(box))


def _banners(document, lines: list[str], east_asia) -> None:
    body = document.element.body
    for k, line in enumerate(lines):
        p = OxmlElement("w:p")
        rpr = OxmlElement("w:rPr")
        apply_kinds(rpr, {"b"})
        child(rpr, "w:color", RPR_ORDER).set(W + "val", "C00000")
        r = make_run(line, rpr, set(), east_asia, "en-US", highlight=False, style=None)
        p.append(r)
        body.insert(k, p)


def applies(release: ReleaseFiles, options: PublishOptions) -> bool:
    return release.kept(".docx") is not None


def build(publication: Publication):
    web_page = publication.options.asked("html")
    return build_inplace(publication.release.kept(".docx"), publication.plan, publication.notes if web_page else None)


def write(publication: Publication) -> Path:
    source = publication.release.kept(".docx")
    assert source is not None  # applies() said so
    return save_with_media(publication.built[DOCUMENT], source, publication.release.output(publication.lang, SUFFIX))


FORMAT = PublishFormat(DOCUMENT, SUFFIX, applies, write, build)
