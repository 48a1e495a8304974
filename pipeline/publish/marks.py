"""Inline formatting of published segments, and the publish gate's link check.

Where a published segment's marks come from, in order:

1. the reviewed document (import read the target cell's formatting: `marks` in the reviewed.json entry);
2. the run's translation (`targets.<lang>.marks`), when the published text is that translation, or carried
   over to a reviewer's edit of it where the marked words are still found (`inline_tags.carry_marks`);
3. marks covering a whole English segment (a link that is the whole bullet) cover the whole published text;
4. a verbatim segment (copied) keeps the source's marks.

Links are never lost: a segment whose English holds a hyperlink its published text does not carry refuses its
language in the publish gate (`link_refusals`, exit 6, the row, URL and English words named); and every URL of
the English must then be in each built document (`check_links`), or nothing is written.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.core.release import Mark
from pipeline.core.errors import ReviewError
from pipeline.translation.inline_tags import carry_marks, split_whole, whole_marks


def _marks(data) -> list[Mark]:
    result = []
    for item in data or []:
        try:
            result.append(Mark.from_json(item))
        except (KeyError, TypeError, ValueError):
            continue
    return result


def attach_marks(manifest: dict, lang: str, reviewed: dict, published: list) -> None:
    """Fill `marks` and `source_marks` of each PublishedSegment (see the module docstring)."""
    by_id = {s.get("id"): s for s in manifest.get("segments", [])}
    for ps in published:
        segment = by_id.get(ps.id) or {}
        source_marks = _marks(segment.get("marks"))
        ps.source_marks = source_marks
        if not ps.text or not source_marks:
            continue
        target = (segment.get("targets") or {}).get(lang) or {}
        entry = reviewed.get(ps.id) if isinstance(reviewed, dict) else None
        if ps.how == "verbatim":
            ps.marks = list(source_marks)
            continue
        if isinstance(entry, dict) and isinstance(entry.get("marks"), list) and ps.how == "reviewed":
            ps.marks = _marks(entry["marks"])
            continue
        machine_text = target.get("text", "")
        machine_marks = _marks(target.get("marks"))
        if machine_marks:
            ps.marks, _ = carry_marks(machine_text, machine_marks, ps.text)
        if not ps.marks:
            _, whole = split_whole(ps.source, source_marks)
            ps.marks = whole_marks(ps.text, whole)


def source_links(manifest: dict) -> list[tuple[str, str, str]]:
    """(url, segment id, linked English text) of every hyperlink of the English, in order."""
    found = []
    for segment in manifest.get("segments", []):
        for mark in _marks(segment.get("marks")):
            if mark.kind == "a" and mark.href:
                found.append((mark.href, segment.get("id", ""), segment.get("source", "")[mark.start : mark.end]))
    return found


def link_refusals(manifest: dict, lang: str, planned: list) -> list:
    """The publish gate's link check, per row: a segment whose English holds a hyperlink that its published text
    does not carry (same URL) refuses its language, naming the URL and the English words."""
    from pipeline.publish.gate import Refusal

    document = str(((manifest.get("documents") or {}).get(lang) or {}).get("path") or f"the {lang} review document")
    rows = {s.get("id"): k + 2 for k, s in enumerate(manifest.get("segments", []))}
    refusals = []
    for ps in planned:
        wanted = [(m.href, ps.source[m.start : m.end]) for m in ps.source_marks if m.kind == "a" and m.href]
        have = {m.href for m in ps.marks if m.kind == "a"}
        lost = [f"link-lost: {url} (on “{words}”) is not in the translation; select the translated words and add "
                "the link (Insert → Link)" for url, words in wanted if url not in have]
        if lost:
            ps.problems = list(getattr(ps, "problems", []) or []) + lost
            refusals.append(Refusal(lang, ps.id, rows.get(ps.id, 0), ps.how, lost, getattr(ps, "document", "") or document))
    return refusals


def check_links(manifest_path: Path, manifest: dict, documents: dict) -> None:
    """Refuse (ReviewError, exit 6) when a published document lacks a hyperlink URL of the English."""
    from pipeline.publish.formats.docx_inplace import document_links

    links = source_links(manifest)
    if not links:
        return
    problems = []
    for lang, document in documents.items():
        present = document_links(document)
        for url, segment_id, text in links:
            if url not in present:
                problems.append(f"{lang}: {url} (segment {segment_id}, “{text}”)")
    if problems:
        shown = "; ".join(dict.fromkeys(problems))
        raise ReviewError(
            f"Not published: {manifest_path.parent} would lose hyperlink(s) of the English; nothing was written. "
            f"Missing: {shown}. In the review document, select the translated words and add the link "
            "(Insert → Link), then import it again."
        )
