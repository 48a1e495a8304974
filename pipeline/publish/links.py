"""Links are never lost in publishing.

A segment whose English holds a hyperlink its published text does not carry refuses its language in the publish
gate (`link_refusals`, exit 6, the row, URL and English words named); and every URL of the English must then be
in each built document (`check_links`), or nothing is written. Where a published segment's marks come from:
plan.py. A link whose URL may not be published (`javascript:`…, pipeline/core/web_safety.py) is not asked for: it
was flagged `link-unsafe` on its row at run time, and every output leaves it out, its text kept. URLs are compared
as the outputs write them (`safe_url`).
"""

from __future__ import annotations

from pathlib import Path

from pipeline.core.errors import ReviewError
from pipeline.core.web_safety import safe_url
from pipeline.docx.links import hyperlink_urls
from pipeline.publish.gate import Refusal
from pipeline.publish.plan import PublishedSegment, marks_from_json

__all__ = ["check_links", "link_refusals", "source_links"]


def source_links(manifest: dict) -> list[tuple[str, str, str]]:
    """(url, segment id, linked English text) of every hyperlink of the English that may be published, in order
    (the URL as the outputs write it)."""
    found = []
    for segment in manifest.get("segments", []):
        for mark in marks_from_json(segment.get("marks")):
            url = safe_url(mark.href) if mark.kind == "a" else None
            if url:
                found.append((url, segment.get("id", ""), segment.get("source", "")[mark.start : mark.end]))
    return found


def link_refusals(manifest: dict, lang: str, planned: list[PublishedSegment]) -> list[Refusal]:
    """The publish gate's link check, per row: a segment whose English holds a hyperlink that its published text
    does not carry (same URL) refuses its language, naming the URL and the English words."""
    document = str(((manifest.get("documents") or {}).get(lang) or {}).get("path") or f"the {lang} review document")
    rows = {s.get("id"): k + 2 for k, s in enumerate(manifest.get("segments", []))}
    refusals = []
    for ps in planned:
        wanted = [(safe_url(m.href), ps.source[m.start : m.end]) for m in ps.source_marks if m.kind == "a"]
        wanted = [(url, words) for url, words in wanted if url]
        have = {safe_url(m.href) for m in ps.marks if m.kind == "a"}
        lost = [f"link-lost: {url} (on “{words}”) is not in the translation; select the translated words and add "
                "the link (Insert → Link)" for url, words in wanted if url not in have]
        if lost:
            ps.problems = list(getattr(ps, "problems", []) or []) + lost
            refusals.append(Refusal(lang, ps.id, rows.get(ps.id, 0), ps.how, lost, getattr(ps, "document", "") or document))
    return refusals


def check_links(manifest_path: Path, manifest: dict, documents: dict) -> None:
    """Refuse (ReviewError, exit 6) when a published document (language → python-docx Document) lacks a
    hyperlink URL of the English."""
    links = source_links(manifest)
    if not links:
        return
    problems = []
    for lang, document in documents.items():
        present = {safe_url(url) for url in hyperlink_urls(document)}
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
