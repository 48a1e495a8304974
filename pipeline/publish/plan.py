"""What `translate publish` publishes for one language: each segment's text and inline formatting, and the one
paragraph view every format writes from.

Where each segment's text comes from, in order:

1. the reviewed documents imported for this run (`<release>.reviewed.json`, written by `translate review import`;
   its `segments` per language are already merged over every document imported: an edit in any of them beats
   an unchanged row in another, docs/review.md): the reviewed text; an emptied cell leaves the sentence out; a pair
   flagged `glossary-changed` / `glossary-missing` needs glossary review and blocks publication;
2. the run's own translation when it came from the memory (origin "memory": a reviewer approved it) or was kept
   verbatim (the Chinese dateline: copied, nothing machine-translated);
3. an approved translation of the same source in the memory (`--memory`; reviewed in another release);
4. otherwise the segment is UNREVIEWED machine translation.

A row nobody approved (approval.py: not edited, no OK mark, no --approve-all) counts as not imported.

Where a published segment's marks (inline formatting) come from, in order:

1. the reviewed document (import read the target cell's formatting: `marks` in the reviewed.json entry);
2. the run's translation (`targets.<lang>.marks`), when the published text is that translation, or carried
   over to a reviewer's edit of it where the marked words are still found (`inline_tags.carry_marks`);
3. marks covering a whole English segment (a link that is the whole bullet) cover the whole published text;
4. a verbatim segment (copied) keeps the source's marks.

The paragraphs (`LanguagePlan.paragraphs`): the source's paragraphs in order, each with its segments, their
typeset text (`typography.typeset`) and the separator between them (a space, except between CJK characters). A
reviewer's edit is typeset too, unless the house style says `typography: keep` (`plan_language(keep_typed=True)`):
then it is published exactly as typed (`PublishedSegment.as_typed`); machine, memory and verbatim text and rows
approved unchanged are typeset either way. With `apply` (the default), `review import` showed what changes.
A format that follows the source's layout (in place, Markdown) writes them by paragraph number; one that lays the
release out anew (the plain document, the bilingual table) reads `reading_paragraphs`: the dateline on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from pipeline.core.release import Mark
from pipeline.language.typography import is_cjk_char, typeset_as_cjk, typeset
from pipeline.review.approval import counts_for
from pipeline.review.importing.results import EDITED
from pipeline.review.status import CHECK_ERROR, NEEDS_GLOSSARY_REVIEW
from pipeline.translation.inline_tags import carry_marks, split_whole, through, whole_marks

__all__ = [
    "BLOCKING",
    "LanguagePlan",
    "Piece",
    "PublishedLine",
    "PublishedParagraph",
    "PublishedSegment",
    "marks_from_json",
    "plan_language",
]

REVIEWED, MEMORY, VERBATIM, EMPTIED = "reviewed", "memory", "verbatim", "emptied"
UNREVIEWED, NEEDS_GLOSSARY = "unreviewed", NEEDS_GLOSSARY_REVIEW
BLOCKING = (UNREVIEWED, NEEDS_GLOSSARY, CHECK_ERROR)


@dataclass
class PublishedSegment:
    id: str
    kind: str
    paragraph: int
    source: str
    trailing: str
    text: str  # before typesetting
    how: str  # reviewed, memory, verbatim, emptied, unreviewed, needs-glossary-review, check-error
    note: str = ""
    document: str = ""  # the path of the review document imported for this row, where it is fixed
    approval: str = ""  # how a reviewed row was approved (review/approval.py: edited, marked, approve-all)
    problems: list[str] = field(default_factory=list)  # the gate's errors (gate.py): they refuse the language
    warnings: list[str] = field(default_factory=list)  # the gate's warnings: shown, never refuse
    marks: list[Mark] = field(default_factory=list)  # inline formatting of `text`
    source_marks: list[Mark] = field(default_factory=list)  # inline formatting of `source`
    as_typed: bool = False  # a reviewer's edit published exactly as typed (house style `typography: keep`)


# --------------------------------------------------------------------------------------------- text and marks


def plan_language(
    manifest: dict[str, Any], lang: str, reviewed: dict[str, dict], memory=None, *, keep_typed: bool = False
) -> list[PublishedSegment]:
    """Where each segment's published text comes from (see the module docstring). `keep_typed`: a reviewer's edit
    is published as typed, not typeset (the house style's `typography: keep`)."""
    result = []
    for segment in manifest["segments"]:
        target = (segment.get("targets") or {}).get(lang) or {}
        entry = reviewed.get(segment["id"])
        imported = isinstance(entry, dict)
        common = dict(
            id=segment["id"],
            kind=segment.get("kind", "sentence"),
            paragraph=segment.get("paragraph", 0),
            source=segment["source"],
            trailing=segment.get("trailing", ""),
            # the copy that was imported, by the path given to `review import` (where the reviewer fixes the row)
            document=str(entry.get("document_path") or entry.get("document") or "") if imported else "",
        )
        if imported and counts_for(entry, segment):  # a row nobody approved is a draft: as if not imported
            if entry.get("status") == EMPTIED:
                result.append(PublishedSegment(**common, text="", how=EMPTIED, approval=entry.get("approval") or ""))
            elif entry.get("approved", True):
                approval = entry.get("approval") or ""
                typed = keep_typed and entry.get("status") == EDITED
                result.append(
                    PublishedSegment(**common, text=entry.get("text", ""), how=REVIEWED, approval=approval, as_typed=typed)
                )
            else:
                problems = [f"{f.get('code')}: {f.get('message')}" for f in entry.get("qa") or [] if f.get("severity") == "error"]
                note = "; ".join((entry.get("glossary") or []) + problems)
                how = NEEDS_GLOSSARY if entry.get("glossary") else CHECK_ERROR  # a number error is no glossary matter
                result.append(PublishedSegment(**common, text=entry.get("text", ""), how=how, note=note))
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
    attach_marks(manifest, lang, reviewed, result)
    return result


def marks_from_json(data) -> list[Mark]:
    """The marks of a manifest or reviewed.json entry; an unreadable one is left out."""
    result = []
    for item in data or []:
        try:
            result.append(Mark.from_json(item))
        except (KeyError, TypeError, ValueError):
            continue
    return result


def attach_marks(manifest: dict, lang: str, reviewed: dict, published: list[PublishedSegment]) -> None:
    """Fill `marks` and `source_marks` of each PublishedSegment (see the module docstring)."""
    by_id = {s.get("id"): s for s in manifest.get("segments", [])}
    for ps in published:
        segment = by_id.get(ps.id) or {}
        source_marks = marks_from_json(segment.get("marks"))
        ps.source_marks = source_marks
        if not ps.text or not source_marks:
            continue
        target = (segment.get("targets") or {}).get(lang) or {}
        entry = reviewed.get(ps.id) if isinstance(reviewed, dict) else None
        if ps.how == VERBATIM:
            ps.marks = list(source_marks)
            continue
        if isinstance(entry, dict) and isinstance(entry.get("marks"), list) and ps.how == REVIEWED:
            ps.marks = marks_from_json(entry["marks"])
            continue
        machine_text = target.get("text", "")
        machine_marks = marks_from_json(target.get("marks"))
        if machine_marks:
            ps.marks, _ = carry_marks(machine_text, machine_marks, ps.text)
        if not ps.marks:
            _, whole = split_whole(ps.source, source_marks)
            ps.marks = whole_marks(ps.text, whole)


# --------------------------------------------------------------------------------------------- paragraphs


@dataclass(frozen=True)
class Piece:
    """One published segment of a paragraph, typeset."""

    segment: PublishedSegment
    text: str  # the typeset published text
    marks: list[Mark]  # the inline formatting of `text`
    separator: str  # what goes between it and the next piece of the paragraph: "" or " "

    @property
    def blocking(self) -> bool:
        return self.segment.how in BLOCKING


class PublishedLine(NamedTuple):
    """A paragraph as one line of text: its pieces with their separators, their marks, the spans to highlight."""

    text: str
    marks: list[Mark]
    highlights: list[tuple[int, int]]


EMPTY_LINE = PublishedLine("", [], [])


@dataclass
class PublishedParagraph:
    kind: str  # "title", "dateline" or "body"
    number: int  # the paragraph of the source (Segment.paragraph)
    segments: list[PublishedSegment]
    lang: str

    def pieces(self) -> list[Piece]:
        """The segments with published text, typeset, each with the separator to the next one."""
        typeset_pieces = []
        for segment in self.segments:
            if segment.as_typed and segment.text.strip():
                typeset_pieces.append((segment, segment.text, list(segment.marks)))
            elif segment.text.strip():
                text, marks = through(lambda t: typeset(t, self.lang), segment.text, list(segment.marks))
                typeset_pieces.append((segment, text, marks))
        result = []
        for k, (segment, text, marks) in enumerate(typeset_pieces):
            separator = ""
            if k + 1 < len(typeset_pieces):
                following = typeset_pieces[k + 1][1]
                if not typeset_as_cjk(self.lang):
                    separator = " "
                elif text and following and not (is_cjk_char(text[-1]) or is_cjk_char(following[0])):
                    separator = " "
            result.append(Piece(segment, text, marks, separator))
        return result

    def line(self) -> PublishedLine:
        text = ""
        marks: list[Mark] = []
        highlights: list[tuple[int, int]] = []
        for piece in self.pieces():
            start = len(text)
            text += piece.text
            marks.extend(Mark(m.start + start, m.end + start, m.kind, m.href) for m in piece.marks)
            if piece.blocking:
                highlights.append((start, len(text)))
            text += piece.separator
        return PublishedLine(text, marks, highlights)

    def english(self) -> str:
        """The English of the paragraph, as the source had it."""
        return "".join(s.source + s.trailing for s in self.segments).strip()

    def reading_parts(self) -> list[PublishedParagraph]:
        """The paragraph for a layout made anew: a dateline apart from the sentences around it."""
        parts: list[PublishedParagraph] = []
        current: list[PublishedSegment] = []
        for segment in self.segments:
            if segment.kind == "dateline":
                parts += [self._part(current)] if current else []
                parts.append(PublishedParagraph("dateline", self.number, [segment], self.lang))
                current = []
            else:
                current.append(segment)
        return parts + ([self._part(current)] if current else [])

    def _part(self, segments: list[PublishedSegment]) -> PublishedParagraph:
        kind = "title" if segments[0].kind == "title" else "body"
        return PublishedParagraph(kind, self.number, segments, self.lang)


@dataclass
class LanguagePlan:
    """The published segments of one language, and the views the formats write from."""

    manifest: dict[str, Any]
    lang: str
    segments: list[PublishedSegment]

    @property
    def blocking(self) -> list[PublishedSegment]:
        """Unreviewed (or needs-glossary-review) segments: published only as a draft, highlighted."""
        return [s for s in self.segments if s.how in BLOCKING]

    def banners(self) -> list[str]:
        """The warning lines at the top of every published document of this language."""
        lines = []
        unreviewed = self.blocking
        if unreviewed:
            ids = ", ".join(s.id for s in unreviewed[:20]) + (" …" if len(unreviewed) > 20 else "")
            lines.append(
                f"CONTAINS UNREVIEWED MACHINE TRANSLATION — NOT FOR PUBLICATION: {len(unreviewed)} segment(s) not "
                f"reviewed (highlighted): {ids}"
            )
        if ((self.manifest.get("models") or {}).get(self.lang) or {}).get("demo"):
            lines.append("DEMO MODEL — machine text in this document is a copy of the English, NOT a translation.")
        return lines

    def paragraphs(self) -> list[PublishedParagraph]:
        """The source's paragraphs in order, each with its segments."""
        by_number: dict[int, list[PublishedSegment]] = {}
        for segment in self.segments:
            by_number.setdefault(segment.paragraph, []).append(segment)
        result = []
        for number, segments in by_number.items():
            kinds = {s.kind for s in segments}
            kind = "title" if segments[0].kind == "title" else "dateline" if kinds == {"dateline"} else "body"
            result.append(PublishedParagraph(kind, number, segments, self.lang))
        return result

    def lines(self) -> dict[int, PublishedLine]:
        """Paragraph number → the paragraph as one line: what a format following the source's layout writes."""
        return {paragraph.number: paragraph.line() for paragraph in self.paragraphs()}

    def reading_paragraphs(self) -> list[PublishedParagraph]:
        """The paragraphs of a layout made anew: the title, the dateline on its own, then body paragraphs."""
        return [part for paragraph in self.paragraphs() for part in paragraph.reading_parts()]

    def reading_title(self) -> str:
        """The typeset title of a layout made anew (the release's name when it has none)."""
        title = self.manifest.get("release", "")
        for paragraph in self.reading_paragraphs():
            pieces = paragraph.pieces() if paragraph.kind == "title" else []
            if pieces:
                title = "".join(piece.text + piece.separator for piece in pieces)
        return title
