"""`translate publish`: the publishable documents of a release, from reviewed segments.

Per target language, next to the manifest:

* `<release>.<lang>.docx`: the title as a heading, the dateline, the paragraphs in their original order; no
  table. Text typeset for the language (`typography.typeset`: full-width punctuation, no spaces between CJK
  characters, 「」 quotes), runs with East Asian fonts (`rFonts/@w:eastAsia`) and `w:lang`; A4 portrait.
* `<release>.<lang>.bilingual.docx`: a two-column table, one row per published paragraph: English | target.

Where each segment's text comes from, in order:

1. the reviewed documents imported for this run (`<release>.reviewed.json`, written by `translate review import`;
   its `segments` per language are already merged over every document imported: an edit in any of them beats
   an unchanged row in another, docs/review.md): the reviewed text; an emptied cell leaves the sentence out; a pair flagged `glossary-changed` /
   `glossary-missing` needs glossary review and blocks publication;
2. the run's own translation when it came from the memory (origin "memory": a reviewer approved it) or was kept
   verbatim (the Chinese dateline: copied, nothing machine-translated);
3. an approved translation of the same source in the memory (`--memory`; reviewed in another release);
4. otherwise the segment is UNREVIEWED machine translation.

A row nobody approved (approval.py: not edited, no OK mark, no --approve-all) counts as not imported.

The gate (gate.py): every segment to publish, whatever its origin, is checked again against the current glossary
and the quality checks (pipeline/qa). A language with an error, or with unreviewed (or needs-glossary-review)
segments unless `allow_unreviewed`, is not written; the other languages are; then `ReviewError` (exit 6) names
each refused row, its problem and the next step. With `allow_unreviewed` then the documents say so in a red banner at the
top, the unreviewed sentences are highlighted, and the core properties carry it (content status "contains
unreviewed machine translation", keywords, comments). A demo-model run gets a banner too.
Every document is written to a temporary file and renamed (pipeline.files.atomic), under the release's lock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pipeline.core.errors import ReviewError
from pipeline.language.typography import is_cjk_char, is_cjk_lang, typeset

__all__ = [
    "PublishResult",
    "PublishedSegment",
    "UNREVIEWED_STATUS",
    "plan_language",
    "publish_release",
    "resolve_manifest",
]

REVIEWED, MEMORY, VERBATIM, EMPTIED = "reviewed", "memory", "verbatim", "emptied"
UNREVIEWED, NEEDS_GLOSSARY = "unreviewed", "needs-glossary-review"
BLOCKING = (UNREVIEWED, NEEDS_GLOSSARY)
UNREVIEWED_STATUS = "contains unreviewed machine translation"
CATEGORY, CATEGORY_BILINGUAL = "published", "published-bilingual"
LATIN_FONT = "Calibri"
LANG_TAGS = {"zh-TW": "zh-TW", "ja": "ja-JP", "zh-CN": "zh-CN", "zh": "zh-CN", "ko": "ko-KR"}


@dataclass
class PublishedSegment:
    id: str
    kind: str
    paragraph: int
    source: str
    trailing: str
    text: str  # before typesetting
    how: str  # reviewed, memory, verbatim, emptied, unreviewed, needs-glossary-review
    note: str = ""
    document: str = ""  # the review document the text was imported from (reviewed, needs-glossary-review)
    problems: list[str] = field(default_factory=list)  # the gate's errors (gate.py): they refuse the language
    warnings: list[str] = field(default_factory=list)  # the gate's warnings: shown, never refuse
    marks: list = field(default_factory=list)  # inline formatting of `text` (document.Mark)
    source_marks: list = field(default_factory=list)  # inline formatting of `source`


@dataclass
class PublishResult:
    release: str
    run_id: str
    manifest: Path
    documents: dict[str, tuple[Path, Path]] = field(default_factory=dict)  # lang → (document, bilingual)
    glossary: str = ""  # what the gate checked against (gate.current_glossary)
    segments: dict[str, list[PublishedSegment]] = field(default_factory=dict)
    unreviewed: dict[str, list[PublishedSegment]] = field(default_factory=dict)
    web: dict[str, Path] = field(default_factory=dict)  # lang → HTML fragment (publish --format html)
    markdown: dict[str, Path] = field(default_factory=dict)  # lang → published Markdown (a .md release)


# --------------------------------------------------------------------------------------------- planning


def resolve_manifest(target: Path) -> Path:
    """A release folder (holding one `<release>.manifest.json`) or the manifest itself."""
    target = Path(target)
    if target.is_dir():
        found = sorted(target.glob("*.manifest.json"))
        if len(found) != 1:
            raise ReviewError(
                f"{target}: expected one <release>.manifest.json in this folder, found {len(found)}; "
                "give the release's output folder or its manifest."
            )
        return found[0]
    return target


def plan_language(manifest: dict[str, Any], lang: str, reviewed: dict[str, dict], memory=None) -> list[PublishedSegment]:
    """Where each segment's published text comes from (see the module docstring)."""
    result = []
    for segment in manifest["segments"]:
        target = (segment.get("targets") or {}).get(lang) or {}
        entry = reviewed.get(segment["id"])
        common = dict(
            id=segment["id"],
            kind=segment.get("kind", "sentence"),
            paragraph=segment.get("paragraph", 0),
            source=segment["source"],
            trailing=segment.get("trailing", ""),
        )
        if (
            isinstance(entry, dict)
            and entry.get("source_hash") in (None, "", segment.get("hash"))
            and entry.get("approval", "legacy") is not None  # a row nobody approved is a draft: as if not imported
        ):
            document = str(entry.get("document") or "")
            if entry.get("status") == EMPTIED:
                result.append(PublishedSegment(**common, text="", how=EMPTIED, document=document))
            elif entry.get("approved", True):
                result.append(PublishedSegment(**common, text=entry.get("text", ""), how=REVIEWED, document=document))
            else:
                problems = [f"{f.get('code')}: {f.get('message')}" for f in entry.get("qa") or [] if f.get("severity") == "error"]
                note = "; ".join((entry.get("glossary") or []) + problems)
                result.append(
                    PublishedSegment(**common, text=entry.get("text", ""), how=NEEDS_GLOSSARY, note=note, document=document)
                )
            continue
        origin = target.get("origin")
        if origin in (MEMORY, VERBATIM):
            result.append(PublishedSegment(**common, text=target.get("text", ""), how=origin))
            continue
        remembered = memory.current(segment["source"], lang) if memory is not None else None
        if remembered is not None and remembered.approved:
            note = f"from memory, approved {remembered.date}"
            result.append(PublishedSegment(**common, text=remembered.target, how=MEMORY, note=note))
            continue
        result.append(PublishedSegment(**common, text=target.get("text", ""), how=UNREVIEWED))
    from pipeline.publish.marks import attach_marks

    attach_marks(manifest, lang, reviewed, result)
    return result


def _paragraphs(segments: list[PublishedSegment]) -> list[tuple[str, list[PublishedSegment]]]:
    """(kind, segments) per published paragraph: the title, the dateline on its own, then body paragraphs."""
    result: list[tuple[str, list[PublishedSegment]]] = []
    current = None
    for segment in segments:
        if segment.kind == "dateline":
            result.append(("dateline", [segment]))
            current = None
            continue
        key = segment.paragraph
        if current != key or not result or result[-1][0] == "dateline":
            result.append(("title" if segment.kind == "title" else "body", []))
            current = key
        result[-1][1].append(segment)
    return [(kind, segs) for kind, segs in result if segs]


def _pieces(segments: list[PublishedSegment], lang: str) -> list[tuple[str, PublishedSegment]]:
    """The typeset text of each segment with the separator to the next one folded in."""
    pieces = [(typeset(s.text, lang), s) for s in segments if s.text.strip()]
    result = []
    for i, (text, segment) in enumerate(pieces):
        if i + 1 < len(pieces):
            following = pieces[i + 1][0]
            if not is_cjk_lang(lang):
                text += " "
            elif text and following and not (is_cjk_char(text[-1]) or is_cjk_char(following[0])):
                text += " "
        result.append((text, segment))
    return result


def _english(segments: list[PublishedSegment]) -> str:
    text = ""
    for i, segment in enumerate(segments):
        text += segment.source + (segment.trailing if i + 1 < len(segments) else "")
    return text.strip()


# --------------------------------------------------------------------------------------------- Word


def set_run_fonts(rpr, east_asia: str | None, lang_tag: str) -> None:
    from docx.oxml.ns import qn

    from pipeline.docx.ooxml import RPR_ORDER, child, set_fonts, set_lang

    fonts = child(rpr, "w:rFonts", RPR_ORDER)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    set_fonts(rpr, latin=LATIN_FONT, east_asia=east_asia, hint_east_asia=True)
    set_lang(rpr, val=lang_tag, east_asia=lang_tag if east_asia else None)


def _run(paragraph, text: str, east_asia: str | None, lang_tag: str, *, bold=None, size=None, color=None, highlight=None):
    from pipeline.review.write.writer import clean_text

    run = paragraph.add_run(clean_text(text)[0])
    _format_run(run, (east_asia, lang_tag, bold, size, color, highlight))
    return run


def _format_run(run, look: tuple) -> None:
    """`look`: (east_asia, lang_tag, bold, size, color, highlight), as `_run` takes them."""
    east_asia, lang_tag, bold, size, color, highlight = look
    set_run_fonts(run._r.get_or_add_rPr(), east_asia, lang_tag)
    if bold is not None:
        run.font.bold = bold
    if size is not None:
        run.font.size = size
    if color is not None:
        run.font.color.rgb = color
    if highlight is not None:
        run.font.highlight_color = highlight


def _new_document(lang: str):
    from docx import Document
    from docx.shared import Mm, Pt

    from pipeline.docx.fonts import apply_east_asian_fonts
    from pipeline.review.write.writer import language_style

    east_asia = language_style(lang).east_asia_font
    tag = LANG_TAGS.get(lang, lang)
    doc = Document()
    apply_east_asian_fonts(doc, lang)  # defaults, theme language, font table (same as the review document)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin = section.bottom_margin = Mm(25)
    for name in ("Normal", "Heading 1", "Title"):
        try:
            style = doc.styles[name]
        except KeyError:
            continue
        set_run_fonts(style.element.get_or_add_rPr(), east_asia, tag)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(8)
    normal.paragraph_format.line_spacing = 1.4
    return doc, east_asia, tag


def _banners(doc, lines: list[str], east_asia, tag) -> None:
    from docx.shared import Pt, RGBColor

    for line in lines:
        p = doc.add_paragraph()
        _run(p, line, east_asia, "en-US", bold=True, size=Pt(13), color=RGBColor(0xC0, 0x00, 0x00))


def _core(doc, manifest: dict, lang: str, title: str, category: str, banners: list[str], unreviewed: bool) -> None:
    from pipeline.review.write.writer import clean_text  # a release name that is not valid UTF-8 holds lone surrogates XML cannot hold

    props = doc.core_properties
    props.title = clean_text(title)[0][:255]
    props.language = lang
    props.identifier = manifest.get("run_id", "")
    props.category = category
    props.subject = clean_text(f"{manifest.get('release', '')} → {lang}")[0][:255]
    props.content_status = UNREVIEWED_STATUS if unreviewed else "reviewed"
    props.keywords = f"{category}; {lang}; run {manifest.get('run_id', '')}" + ("; unreviewed" if unreviewed else "")
    props.comments = " ".join(banners)[:255]
    props.author = props.last_modified_by = "translation pipeline"
    props.revision = 1
    now = datetime.now(timezone.utc)
    props.created = props.modified = now


def _banner_lines(manifest: dict, lang: str, unreviewed: list[PublishedSegment]) -> list[str]:
    lines = []
    if unreviewed:
        ids = ", ".join(s.id for s in unreviewed[:20]) + (" …" if len(unreviewed) > 20 else "")
        lines.append(
            f"CONTAINS UNREVIEWED MACHINE TRANSLATION — NOT FOR PUBLICATION: {len(unreviewed)} segment(s) not "
            f"reviewed (highlighted): {ids}"
        )
    if ((manifest.get("models") or {}).get(lang) or {}).get("demo"):
        lines.append("DEMO MODEL — machine text in this document is a copy of the English, NOT a translation.")
    return lines


def build_publication(manifest: dict, lang: str, segments: list[PublishedSegment]):
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
    from docx.shared import Pt, RGBColor

    unreviewed = [s for s in segments if s.how in BLOCKING]
    doc, east_asia, tag = _new_document(lang)
    banners = _banner_lines(manifest, lang, unreviewed)
    _banners(doc, banners, east_asia, tag)
    title_text = manifest.get("release", "")
    for kind, group in _paragraphs(segments):
        pieces = _pieces(group, lang)
        if not pieces:
            continue
        if kind == "title":
            p = doc.add_paragraph(style="Heading 1")
            title_text = "".join(text for text, _ in pieces)
        else:
            p = doc.add_paragraph()
            if kind == "dateline":
                p.paragraph_format.space_after = Pt(4)
            elif is_cjk_lang(lang):
                p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        for text, segment in pieces:
            if segment.marks and kind != "dateline":
                from pipeline.publish.formats.docx_inplace import add_marked_runs

                separator = text[len(typeset(segment.text, lang)) :]
                add_marked_runs(p, segment, lang, separator, east_asia, tag, highlight=segment.how in BLOCKING)
                continue
            _run(
                p,
                text,
                east_asia,
                tag,
                size=Pt(9.5) if kind == "dateline" else None,
                color=RGBColor(0x59, 0x59, 0x59) if kind == "dateline" else None,
                highlight=WD_COLOR_INDEX.YELLOW if segment.how in BLOCKING else None,
            )
    _core(doc, manifest, lang, title_text, CATEGORY, banners, bool(unreviewed))
    return doc


def build_bilingual(manifest: dict, lang: str, segments: list[PublishedSegment]):
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import Mm, Pt

    from pipeline.docx.ooxml import cell_shading, row_flags
    from pipeline.docx.table_xml import RunLooks, cell_element, docx_text, paragraph_element, row_element
    from pipeline.review.write.writer import HEADER_FILL, clean_text, language_style

    unreviewed = [s for s in segments if s.how in BLOCKING]
    doc, east_asia, tag = _new_document(lang)
    doc.styles["Normal"].paragraph_format.space_after = Pt(2)
    doc.styles["Normal"].font.size = Pt(10)
    banners = _banner_lines(manifest, lang, unreviewed)
    _banners(doc, banners, east_asia, tag)
    heading = doc.add_paragraph(style="Heading 1")
    _run(heading, f"{manifest.get('release', '')} — English / {language_style(lang).column}", east_asia, "en-US")
    table = doc.add_table(rows=1, cols=2)
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    widths = (Mm(80), Mm(80))
    header = table.rows[0]
    row_flags(header, header=True)
    for cell, label, width in zip(header.cells, ("English", language_style(lang).column), widths):
        cell.width = width
        cell_shading(cell, HEADER_FILL)
        _run(cell.paragraphs[0], label, east_asia, "en-US", bold=True)
    title_text = manifest.get("release", "")
    # Body rows as XML (table_xml: python-docx's add_row()/row.cells walk the whole table on every call).
    looks = RunLooks(_format_run, docx_text)
    twips = [str(width.twips) for width in widths]
    tbl = table._tbl
    for kind, group in _paragraphs(segments):
        pieces = _pieces(group, lang)
        english = looks.run(clean_text(_english(group))[0], (east_asia, "en-US", kind == "title", None, None, None))
        if kind == "title":
            title_text = "".join(text for text, _ in pieces) or title_text
        target = [
            looks.run(clean_text(text)[0], (east_asia, tag, kind == "title" or None, None, None,
                                            WD_COLOR_INDEX.YELLOW if segment.how in BLOCKING else None))
            for text, segment in pieces
        ] or [looks.run("", (east_asia, tag, None, None, None, None))]  # fmt: skip
        cells = [paragraph_element([english]), paragraph_element(target)]
        tbl.append(row_element((cell_element(w, [p]) for w, p in zip(twips, cells)), cant_split=False))
    _core(doc, manifest, lang, title_text, CATEGORY_BILINGUAL, banners, bool(unreviewed))
    return doc


# --------------------------------------------------------------------------------------------- command


def publish_release(
    target: Path,
    *,
    langs: list[str] | None = None,
    allow_unreviewed: bool = False,
    memory=None,
    glossary_path: Path | None = None,
    use_glossary: bool = True,
    formats: tuple[str, ...] = ("docx",),
) -> PublishResult:
    """Write the publishable documents of a release folder or manifest (see the module docstring).

    The gate (gate.py) checks every segment against the current glossary (`glossary_path`, else the run's glossary
    file, else ./glossaries) and the quality checks; the languages it refuses are not written, the others are, and
    then `ReviewError` names the refused rows."""
    from pipeline.publish.gate import check_language, current_glossary, describe
    from pipeline.publish.marks import link_refusals
    from pipeline.files.atomic import atomic_output
    from pipeline.files.manifest import read_manifest
    from pipeline.files.release_folder import ReleasePaths, release_lock
    from pipeline.review.importing import load_reviewed, reviewed_path

    manifest_path = resolve_manifest(target)
    manifest = read_manifest(manifest_path)
    available = manifest.get("languages") or sorted({k for s in manifest["segments"] for k in (s.get("targets") or {})})
    langs = list(dict.fromkeys(langs or available))
    missing = [lang for lang in langs if lang not in available]
    if missing:
        raise ReviewError(
            f"{manifest_path}: run {manifest['run_id']} has no {', '.join(missing)} translation "
            f"(it has {', '.join(available)})."
        )
    if callable(memory) and not hasattr(memory, "current"):
        memory = memory(manifest_path)
    reviewed = load_reviewed(manifest_path, manifest)
    result = PublishResult(manifest.get("release", ""), manifest["run_id"], manifest_path)
    glossary, result.glossary = current_glossary(manifest, glossary_path, use_glossary)
    refusals = []
    for lang in langs:
        planned = plan_language(manifest, lang, reviewed.get(lang, {}), memory)
        result.segments[lang] = planned
        refusals += check_language(manifest, lang, planned, glossary, allow_unreviewed=allow_unreviewed)
        refusals += link_refusals(manifest, lang, planned)
        blocking = [s for s in planned if s.how in BLOCKING]
        if blocking:
            result.unreviewed[lang] = blocking
    refused = {r.lang for r in refusals}
    folder = manifest_path.parent
    name = manifest.get("release") or manifest_path.name.split(".")[0]
    from pipeline.publish.marks import check_links
    from pipeline.publish.formats.docx_inplace import source_copy

    from pipeline.publish.formats.markdown import source_markdown

    source = source_copy(folder, manifest)
    markdown = source_markdown(folder, manifest)
    with release_lock(ReleasePaths(folder, name)):
        from pipeline.memory.reviews import render_json

        render_json(reviewed_path(manifest_path))  # its copy, if a crash or a full disk left it behind the record
        built = {}
        for lang in [lang for lang in langs if lang not in refused]:
            if source is not None:
                document_build = _inplace_builder(source)
            else:
                document_build = build_publication
            built[lang] = [document_build(manifest, lang, result.segments[lang]), build_bilingual(manifest, lang, result.segments[lang])]
        check_links(manifest_path, manifest, {lang: docs[0] for lang, docs in built.items()})  # before anything is written
        for lang in built:
            document = folder / f"{name}.{lang}.docx"
            bilingual = folder / f"{name}.{lang}.bilingual.docx"
            for path, doc in zip((document, bilingual), built[lang]):
                with atomic_output(path) as temporary:
                    doc.save(str(temporary))
            result.documents[lang] = (document, bilingual)
            if markdown is not None:
                result.markdown[lang] = _write_markdown(markdown, folder, name, manifest, lang, result, formats)
            elif "html" in formats:
                from pipeline.publish.formats.html import write_html

                unreviewed = [s for s in result.segments[lang] if s.how in BLOCKING]
                result.web[lang] = write_html(
                    built[lang][0], folder / f"{name}.{lang}.html", lang, _banner_lines(manifest, lang, unreviewed)
                )
    if refusals:
        raise ReviewError(describe(refusals, result.segments, result.documents, folder))
    return result


def _write_markdown(source: Path, folder: Path, name: str, manifest: dict, lang: str, result, formats) -> Path:
    """A Markdown release published as Markdown with its structure (writers/markdown.py), and its web page."""
    from pipeline.files.atomic import atomic_write_text
    from pipeline.publish.formats.markdown import build_markdown, markdown_html
    from pipeline.publish.formats.docx_inplace import paragraph_texts, published_line

    from pipeline.source.ingest import decode_text

    text = decode_text(source, source.read_bytes(), [])  # as ingest read it (a legacy encoding too)
    published = {n: published_line(group, lang)[:2] for n, group in paragraph_texts(result.segments[lang]).items()}
    original = Path(str((manifest.get("source") or {}).get("path", "")))
    source_dir = original.parent if original.parent.is_dir() else None
    files_dir = folder / f"{name}.{lang}.files"
    layout = manifest.get("layout") or []
    path = folder / f"{name}.{lang}.md"
    unreviewed = [s for s in result.segments[lang] if s.how in BLOCKING]
    banners = _banner_lines(manifest, lang, unreviewed)
    warning = "".join(f"> **{line}**\n>\n" for line in banners)
    published_md = build_markdown(text, layout, published, source_dir=source_dir, files_dir=files_dir)
    atomic_write_text(path, (warning.rstrip(">\n") + "\n\n" if warning else "") + published_md)
    if "html" in formats:
        web = folder / f"{name}.{lang}.html"
        atomic_write_text(web, markdown_html(text, layout, published, lang, banners, source_dir=source_dir, files_dir=files_dir))
        result.web[lang] = web
    return path


def _inplace_builder(source: Path):
    """build_publication's counterpart for a .docx release: the translation written on the source document."""

    def build(manifest: dict, lang: str, segments: list[PublishedSegment]):
        from pipeline.publish.formats.docx_inplace import build_inplace
        from pipeline.review.write.writer import language_style

        unreviewed = [s for s in segments if s.how in BLOCKING]
        banners = _banner_lines(manifest, lang, unreviewed)
        east_asia = language_style(lang).east_asia_font
        doc = build_inplace(
            source, manifest, lang, segments, banners=banners, east_asia=east_asia, lang_tag=LANG_TAGS.get(lang, lang)
        )
        title = next((typeset(s.text, lang) for s in segments if s.kind == "title" and s.text), manifest.get("release", ""))
        _core(doc, manifest, lang, title, CATEGORY, banners, bool(unreviewed))
        return doc

    return build


def published_text(path: Path) -> list[str]:
    """The paragraphs of a published document (banner lines included), for tests and checks."""
    import docx

    return [p.text for p in docx.Document(str(path)).paragraphs]


__all__ += ["published_text"]
