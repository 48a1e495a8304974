"""Publish a .docx release on the source document itself: every translated paragraph where its English was.

`translate run` keeps a copy of the source .docx (`.sources/<sha256>.docx` in the release folder) and records
in the manifest's `layout` where each paragraph of the release sits (story, paragraph in reading order, line;
docx_stories.py). Publish opens that copy, walks it the same way, checks that each recorded paragraph still
holds the English the segments came from, and replaces the text of each paragraph with its published segments:
styles, numbering and list bullets, section and page setup, headers and footers, images (their runs are kept in
the paragraph), tables, text boxes, bookmarks, footnote references all stay as they are. Paragraphs that were
not read (page-number and date fields) are untouched.

New runs take the run properties of the paragraph's first text run (font size, colour), without the formatting
that was inline (bold, italic, ... come back from the translation's marks, as runs) and with the East Asian font
and language of the target; a hyperlink mark becomes a `w:hyperlink` to the same URL (the document's Hyperlink
character style when it has one). Complex fields whose result was read (a caption's SEQ number) become text.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from pipeline.docx.stories import DRAWINGS, MC, RT_HYPERLINK, W, WordParagraph, walk_document
from pipeline.core.release import Mark, normalize
from pipeline.core.errors import ReviewError
from pipeline.translation.inline_tags import remap_marks, through
from pipeline.language.typography import is_cjk_char, is_cjk_lang, typeset

__all__ = ["build_inplace", "source_copy"]

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_KEEP_RUN_CHILDREN = DRAWINGS | {
    W + "footnoteReference", W + "endnoteReference", W + "commentReference", W + "annotationRef",
    W + "footnoteRef", W + "endnoteRef", W + "separator", W + "continuationSeparator", MC + "AlternateContent",
    W + "ptab", W + "lastRenderedPageBreak",
}  # fmt: skip
_TEXT_CONTAINERS = {W + "hyperlink", W + "fldSimple", W + "smartTag", W + "ins", W + "del", W + "moveTo",
                    W + "moveFrom", W + "customXml", W + "sdt", W + "proofErr", W + "dir", W + "bdo"}
_INLINE_KINDS = ("b", "bCs", "i", "iCs", "u", "vertAlign")


def source_copy(folder: Path, manifest: dict) -> Path | None:
    """The kept copy of the run's .docx source, when the run kept one and recorded its layout."""
    from pipeline.files.release_folder import ReleasePaths

    source = manifest.get("source") or {}
    sha = source.get("sha256")
    if not sha or not manifest.get("layout") or Path(str(source.get("path", ""))).suffix.lower() != ".docx":
        return None
    path = ReleasePaths(folder, manifest.get("release", "")).source_copy(sha, ".docx")
    return path if path.is_file() else None


def paragraph_texts(segments) -> dict[int, list]:
    by_number: dict[int, list] = {}
    for segment in segments:
        by_number.setdefault(segment.paragraph, []).append(segment)
    return by_number


def published_line(group: list, lang: str) -> tuple[str, list[Mark], list[tuple[int, int]]]:
    """One paragraph of the release: typeset text of its segments, their marks, and the spans to highlight."""
    text = ""
    marks: list[Mark] = []
    highlights: list[tuple[int, int]] = []
    pieces = []
    for segment in group:
        if not segment.text.strip():
            continue
        typeset_text, typeset_marks = through(lambda t: typeset(t, lang), segment.text, list(segment.marks))
        pieces.append((typeset_text, typeset_marks, segment))
    for k, (piece, piece_marks, segment) in enumerate(pieces):
        if text:
            if not is_cjk_lang(lang) or not (is_cjk_char(text[-1]) or is_cjk_char(piece[0])):
                text += " "
        start = len(text)
        text += piece
        marks.extend(Mark(m.start + start, m.end + start, m.kind, m.href) for m in piece_marks)
        if segment.how in ("unreviewed", "needs-glossary-review"):
            highlights.append((start, len(text)))
    return text, marks, highlights


def build_inplace(source: Path, manifest: dict, lang: str, segments, *, banners: list[str], east_asia, lang_tag):
    """The published document of `lang`, written on a copy of the source .docx (see the module docstring)."""
    import docx

    from pipeline.docx.fonts import apply_east_asian_fonts

    document = docx.Document(str(source))
    # The document becomes a `lang` document: its defaults, theme language and font table say so (fonts.py), so
    # text an editor types into it later, and text in styles without a run font, get the language's glyph forms.
    apply_east_asian_fonts(document, lang)
    stories = walk_document(document)
    english = {n: "".join(s.source + s.trailing for s in group).strip() for n, group in paragraph_texts(segments).items()}
    published = {n: published_line(group, lang) for n, group in paragraph_texts(segments).items()}
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
    styles = _style_ids(document)
    changed_boxes = []
    for index, lines in lines_of.items():
        paragraph = stories.paragraphs[index]
        content = [published.get(lines[k], ("", [], [])) for k in sorted(lines)]
        _rewrite(paragraph, content, stories.format_styles, styles, east_asia, lang_tag)
        box = next((a for a in paragraph.element.iterancestors(W + "txbxContent")), None)
        if box is not None:
            changed_boxes.append(box)
    _sync_fallbacks(changed_boxes)
    _write_back_parsed_parts(stories)
    if banners:
        _banners(document, banners, east_asia)
    return document


# --- one paragraph ---------------------------------------------------------------------------------------------


def _rewrite(paragraph: WordParagraph, content, format_styles: set[str], styles: set[str], east_asia, lang_tag) -> None:
    p = paragraph.element
    base = _base_properties(p, paragraph.uniform, format_styles)
    position = _remove_text(p)
    new: list[Any] = []
    for k, (text, marks, highlights) in enumerate(content):
        if k and new:
            new.append(_break_run(base))
        new.extend(_runs(paragraph.part, text, marks, highlights, base, styles, east_asia, lang_tag))
    for offset, element in enumerate(new):
        p.insert(position + offset, element)


def _base_properties(p, uniform: set[str], format_styles: set[str]):
    from docx.oxml import OxmlElement

    first = next((r for r in _own_runs(p) if r.find(W + "t") is not None), None)
    rpr = copy.deepcopy(first.find(W + "rPr")) if first is not None and first.find(W + "rPr") is not None else None
    if rpr is None:
        rpr = OxmlElement("w:rPr")
    for name in _INLINE_KINDS + ("highlight",):
        for el in rpr.findall(W + name):
            rpr.remove(el)
    style = rpr.find(W + "rStyle")
    if style is not None and (style.get(W + "val") in format_styles or style.get(W + "val") == "Hyperlink"):
        rpr.remove(style)
    for el in rpr.findall(W + "rPrChange"):
        rpr.remove(el)
    _apply_kinds(rpr, uniform)
    return rpr


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
    return any(child.tag in _KEEP_RUN_CHILDREN for child in r)


def _strip_to_kept(r) -> None:
    for child in list(r):
        if child.tag not in _KEEP_RUN_CHILDREN and child.tag != W + "rPr":
            r.remove(child)


def _remove_text(p) -> int:
    """Remove the text-bearing content of `p`, keeping (in place, same elements) runs holding an image, a text
    box or a note reference, and bookmarks; returns where the new runs go: where the first text was."""
    position = None
    for child in list(p):
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag == W + "r":
            textual = _has_text(child, p)
            if _keeps(child):
                _strip_to_kept(child)
                if textual and position is None:
                    position = p.index(child) + 1
            else:
                if position is None and textual:
                    position = p.index(child)
                p.remove(child)
        elif tag in _TEXT_CONTAINERS:
            at = p.index(child)
            deleted = tag in (W + "del", W + "moveFrom")
            keep = [] if deleted else [r for r in child.iter(W + "r") if _keeps(r) and not _in_del(r, child)]
            if position is None and _has_text(child, p) and not deleted:
                position = at
            p.remove(child)
            for k, r in enumerate(keep):
                _strip_to_kept(r)
                p.insert(at + k, r)
            if position == at and keep:
                position = at + len(keep)
    if position is None:
        position = len(p)
    return position


def _in_del(r, container) -> bool:
    for ancestor in r.iterancestors():
        if ancestor is container:
            return False
        if ancestor.tag in (W + "del", W + "moveFrom"):
            return True
    return False


def _apply_kinds(rpr, kinds) -> None:
    from docx.oxml import OxmlElement

    from pipeline.docx.ooxml import RPR_ORDER, child

    for kind in kinds:
        if kind in ("b", "i"):
            child(rpr, f"w:{kind}", RPR_ORDER)
            child(rpr, f"w:{kind}Cs", RPR_ORDER)
        elif kind == "u":
            child(rpr, "w:u", RPR_ORDER).set(W + "val", "single")
        elif kind in ("sup", "sub"):
            child(rpr, "w:vertAlign", RPR_ORDER).set(W + "val", "superscript" if kind == "sup" else "subscript")
    del OxmlElement


def set_run_fonts(rpr, east_asia, lang_tag) -> None:
    from pipeline.publish.publisher import set_run_fonts as publish_fonts

    publish_fonts(rpr, east_asia, lang_tag)


def _make_run(text: str, base, kinds, east_asia, lang_tag, *, highlight: bool, style: str | None):
    from docx.oxml import OxmlElement

    from pipeline.docx.ooxml import RPR_ORDER, child

    r = OxmlElement("w:r")
    rpr = copy.deepcopy(base)
    if style:
        child(rpr, "w:rStyle", RPR_ORDER).set(W + "val", style)
    _apply_kinds(rpr, kinds)
    set_run_fonts(rpr, east_asia, lang_tag)
    if highlight:
        child(rpr, "w:highlight", RPR_ORDER).set(W + "val", "yellow")
    r.append(rpr)
    for k, piece in enumerate(text.split("\t")):
        if k:
            r.append(OxmlElement("w:tab"))
        if piece:
            t = OxmlElement("w:t")
            t.text = piece
            t.set(XML_SPACE, "preserve")
            r.append(t)
    return r


def _break_run(base):
    from docx.oxml import OxmlElement

    r = OxmlElement("w:r")
    r.append(copy.deepcopy(base))
    r.append(OxmlElement("w:br"))
    return r


def _runs(part, text: str, marks: list[Mark], highlights, base, styles: set[str], east_asia, lang_tag) -> list:
    """Runs for `text` with `marks`; consecutive pieces under one link go into one w:hyperlink."""
    from docx.oxml import OxmlElement

    from pipeline.review.write.writer import clean_text

    cleaned = clean_text(text)[0]
    if len(cleaned) != len(text):
        marks, highlights = remap_marks(text, cleaned, marks), [(0, len(cleaned))] if highlights else []
    text = cleaned
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks),
                   *(h for span in highlights for h in span)})
    out: list = []
    link_el, link_href = None, None
    for a, b in zip(cuts, cuts[1:]):
        if a >= b:
            continue
        active = [m for m in marks if m.start <= a and b <= m.end]
        href = next((m.href for m in active if m.kind == "a" and m.href), None)
        kinds = {m.kind for m in active if m.kind != "a"}
        highlight = any(s <= a and b <= e for s, e in highlights)
        run = _make_run(text[a:b], base, kinds, east_asia, lang_tag, highlight=highlight,
                        style="Hyperlink" if href and "Hyperlink" in styles else None)
        if href and "Hyperlink" not in styles:
            from pipeline.docx.ooxml import RPR_ORDER, child

            rpr = run.find(W + "rPr")
            child(rpr, "w:color", RPR_ORDER).set(W + "val", "0563C1")
            child(rpr, "w:u", RPR_ORDER).set(W + "val", "single")
        if href:
            if link_el is None or link_href != href:
                link_el = OxmlElement("w:hyperlink")
                link_el.set("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
                            part.relate_to(href, RT_HYPERLINK, is_external=True))
                link_el.set(W + "history", "1")
                link_href = href
                out.append(link_el)
            link_el.append(run)
        else:
            link_el, link_href = None, None
            out.append(run)
    return out


def _write_back_parsed_parts(stories) -> None:
    """Parts python-docx keeps as bytes (footnotes, endnotes) were parsed by docx_stories.notes_root: their
    rewritten XML goes back into the part, or the save would write the English again."""
    from lxml import etree

    for part in {id(p.part): p.part for p in stories.paragraphs}.values():
        root = getattr(part, "_pipeline_root", None)
        if root is not None and getattr(part, "element", None) is None:
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _style_ids(document) -> set[str]:
    try:
        return {s.get(W + "styleId") for s in document.styles.element.iterchildren(W + "style")}
    except Exception:
        return set()


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
    from docx.oxml import OxmlElement

    body = document.element.body
    for k, line in enumerate(lines):
        p = OxmlElement("w:p")
        rpr = OxmlElement("w:rPr")
        _apply_kinds(rpr, {"b"})
        from pipeline.docx.ooxml import RPR_ORDER, child

        child(rpr, "w:color", RPR_ORDER).set(W + "val", "C00000")
        r = _make_run(line, rpr, set(), east_asia, "en-US", highlight=False, style=None)
        p.append(r)
        body.insert(k, p)


def document_links(document) -> set[str]:
    """Every external hyperlink URL in a document: body, headers, footers, notes (relationships that are used)."""
    found: set[str] = set()
    parts = {id(document.part): document.part}
    for rel in document.part.rels.values():
        if not rel.is_external and hasattr(rel.target_part, "rels"):
            parts[id(rel.target_part)] = rel.target_part
    for part in parts.values():
        element = getattr(part, "element", None)
        if element is None:
            from pipeline.docx.stories import notes_root

            element = notes_root(part)
        if element is None:
            continue
        used = {h.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id") for h in element.iter(W + "hyperlink")}
        for rid in used:
            rel = part.rels.get(rid) if rid else None
            if rel is not None and rel.is_external:
                found.add(rel.target_ref)
        for instr in element.iter(W + "instrText"):
            words = (instr.text or "").split()
            if words[:1] == ["HYPERLINK"] and len(words) > 1:
                found.add(words[1].strip('"'))
    return found



def add_marked_runs(paragraph, segment, lang: str, separator: str, east_asia, lang_tag, *, highlight: bool, base=None) -> None:
    """A segment with inline formatting appended to a python-docx paragraph of the plain publication (a .txt or
    .md release): its typeset text as runs, links as w:hyperlink, then `separator`."""
    from docx.oxml import OxmlElement

    text, marks = through(lambda t: typeset(t, lang), segment.text, list(segment.marks))
    text += separator
    rpr = copy.deepcopy(base) if base is not None else OxmlElement("w:rPr")
    styles = _style_ids(paragraph.part.document) if hasattr(paragraph.part, "document") else set()
    spans = [(0, len(text))] if highlight else []
    for element in _runs(paragraph.part, text, marks, spans, rpr, styles, east_asia, lang_tag):
        paragraph._p.append(element)
