"""`translate glossary check --against`: translations checked against the glossary, document by document.

A document is a run manifest (`<release>.manifest.json`), a review or reviewed .docx (read by
`pipeline.review.read.reader`, tracked changes accepted), or a published `<release>.<lang>.docx`; a folder stands for
the manifests and .docx files under it. Each translated segment is checked by
`pipeline.glossary.terms.check_against_segment` (term-missing, wrong-form, kana-in-zh, term-count).

A published document has no English, so its paragraphs are checked against the English of the run that made it —
the manifest next to it whose `run_id` is the document's identifier (or that run's manifest kept in `.runs/`).
Paragraphs are paired with the manifest's paragraphs (the title, the dateline alone, the body paragraphs) when
they are as many; a paragraph left out (every sentence of it emptied by the reviewer) makes them differ, and then
the whole text is checked against the whole English, which still finds a missing term.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from pipeline.core.limits import JSON_MAX_BYTES, LimitExceeded, read_bounded
from pipeline.core.release import TEXT, VERBATIM, Segment, Span
from pipeline.docx.bounded import open_docx
from pipeline.docx.stories import walk_document
from pipeline.files.manifest import verbatim_spans
from pipeline.glossary.glossary import Glossary
from pipeline.glossary.model import Problem
from pipeline.glossary.people.mentions import resolve_people
from pipeline.glossary.terms import check_against_segment
from pipeline.review.read.reader import KIND_PUBLISHED, read_review_rows

__all__ = ["against_files", "check_against", "published_segments"]

# (segment id, English, verbatim spans in the English, language → translation)
DocumentSegment = tuple[str, str, list[tuple[int, int]], dict[str, str]]


def against_files(path: Path) -> list[Path]:
    """The documents a --against path stands for: the file, or the manifests and .docx files under a folder."""
    path = Path(path)
    if not path.is_dir():
        return [path]
    found = [
        p
        for p in sorted(path.rglob("*"))
        if p.is_file()
        and not p.name.startswith((".", "~$"))
        and (p.name.endswith(".manifest.json") or p.suffix.lower() == ".docx")
    ]
    return found


def _segments_from_manifest(path: Path) -> list[DocumentSegment]:
    try:
        data = json.loads(read_bounded(path, JSON_MAX_BYTES, "a manifest").decode("utf-8-sig"))
    except LimitExceeded as exc:
        raise ValueError(f"the file {exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not a manifest (invalid JSON: {exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        raise ValueError("not a manifest (no 'segments' list)")
    result = []
    for segment in data["segments"]:
        if not isinstance(segment, dict) or not isinstance(segment.get("source"), str):
            raise ValueError("not a manifest (a segment without 'source')")
        verbatim = verbatim_spans(segment)
        targets = {}
        for lang, target in (segment.get("targets") or {}).items():
            text = target.get("text") if isinstance(target, dict) else target
            if isinstance(text, str):
                targets[lang] = text
        result.append((str(segment.get("id", "?")), segment["source"], verbatim, targets))
    return result


def _segments_from_docx(path: Path) -> list[DocumentSegment]:
    meta, rows = read_review_rows(path)
    lang = meta.get("language")
    if not lang:
        raise ValueError("the document does not say its target language (File → Properties → Language)")
    if meta.get("kind") == KIND_PUBLISHED:
        return published_segments(path, meta, lang)
    return [(row.id, row.english, [], {lang: row.target}) for row in rows]


def check_against(glossary: Glossary, paths: list[Path]) -> tuple[list[Problem], int]:
    """(problems, number of documents checked). A document that cannot be read is a `parse` problem."""
    problems: list[Problem] = []
    checked = 0
    for given in paths:
        files = against_files(Path(given))
        if not files:
            problems.append(Problem("usage", f"{given}: no manifests or .docx files in this folder", document=str(given)))
        for path in files:
            document = str(path)
            if not path.exists():
                problems.append(Problem("usage", f"{path}: no such file", document=document))
                continue
            try:
                if path.suffix.lower() == ".docx":
                    segments = _segments_from_docx(path)
                elif path.suffix.lower() == ".json":
                    segments = _segments_from_manifest(path)
                else:
                    problems.append(
                        Problem("usage", f"{path}: give a <release>.manifest.json or a review .docx", document=document)
                    )
                    continue
            except (ValueError, OSError) as exc:
                problems.append(Problem("parse", f"{path}: {exc}", document=document))
                continue
            except Exception as exc:  # a damaged .docx: python-docx / zipfile / lxml errors
                problems.append(Problem("parse", f"{path}: cannot read ({type(exc).__name__}: {exc})", document=document))
                continue
            checked += 1
            people = _people(glossary, segments)  # "President Yu" must be 余校長 too (pipeline/glossary/people/mentions.py)
            for segment_id, source, verbatim, targets in segments:
                matches = [
                    m for m in glossary.find(source) if not any(m.start < e and s < m.end for s, e in verbatim)
                ]
                for lang, text in targets.items():
                    these = matches
                    if people is not None and people.mentions.get(segment_id):
                        these = [
                            m for m in people.find_in_segment(people.segments[segment_id], lang)
                            if not any(m.start < e and s < m.end for s, e in verbatim)
                        ]  # fmt: skip
                    problems += check_against_segment(document, segment_id, source, these, lang, text)
    return problems, checked


def _people(glossary: Glossary, segments):
    """The people mentions of a document's segments (in order), or None for a glossary without person entries."""
    if not any(e.kind == "person" for e in glossary.entries):
        return None
    built = []
    for k, (segment_id, source, verbatim, _) in enumerate(segments):
        spans = [Span(s, e, VERBATIM) for s, e in verbatim]
        if spans and not (len(spans) == 1 and spans[0].start == 0 and spans[0].end == len(source)):
            spans.append(Span(0, 0, TEXT))  # a partly verbatim segment is not a verbatim segment
        built.append(Segment(segment_id, "sentence", 0, k, source, spans=spans))
    people = resolve_people(SimpleNamespace(segments=built), glossary)
    people.segments = {s.id: s for s in built}
    return people


# ------------------------------------------------------------------------------------- published documents
BANNERS = ("CONTAINS UNREVIEWED", "DEMO MODEL")


def _manifest_for(path: Path, run_id: str | None) -> dict:
    folder = path.parent
    candidates = sorted(folder.glob("*.manifest.json")) + sorted((folder / ".runs").glob("*.json"))
    for candidate in candidates:
        try:
            data = json.loads(candidate.read_bytes().decode("utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
        if isinstance(data, dict) and isinstance(data.get("segments"), list) and (not run_id or data.get("run_id") == run_id):
            return data
    raise ValueError(
        f"a published document with no English: no manifest of its run ({run_id or 'unknown'}) next to it, to check "
        "it against; keep it in its release folder, or check the .bilingual.docx"
    )


def _groups(segments: list[dict]) -> list[list[dict]]:
    groups: list[list[dict]] = []
    for segment in segments:
        if segment.get("kind") == "dateline" or not groups or groups[-1][0].get("kind") == "dateline":
            groups.append([segment])
        elif groups[-1][0].get("paragraph") == segment.get("paragraph"):
            groups[-1].append(segment)
        else:
            groups.append([segment])
    return groups


def _english(group: list[dict]) -> tuple[str, list[tuple[int, int]]]:
    """The paragraph's English (sentences joined as in the release) and its verbatim spans, shifted."""
    text, spans = "", []
    for i, segment in enumerate(group):
        for span in segment.get("spans") or []:
            if isinstance(span, dict) and span.get("kind") == "verbatim":
                spans.append((len(text) + span.get("start", 0), len(text) + span.get("end", 0)))
        text += segment["source"] + (segment.get("trailing", "") if i + 1 < len(group) else "")
    return text, spans


def published_segments(path: Path, meta: dict, lang: str) -> list[DocumentSegment]:
    """The paragraphs of a published document paired with the English of the run that made it (module docstring).

    Every story counts (a .docx release is published on its own document: tables, text boxes, headers, footers);
    the package is opened bounded, images never unpacked (the reader has checked the same file)."""
    manifest = _manifest_for(Path(path), meta.get("identifier"))
    stories = walk_document(open_docx(path))
    paragraphs = [line.text for p in stories.paragraphs if p.readable for line in p.lines if line.text.strip()]
    paragraphs = [p for p in paragraphs if not p.startswith(BANNERS)]
    groups = _groups(manifest["segments"])
    if len(groups) == len(paragraphs):
        result = []
        for number, (group, text) in enumerate(zip(groups, paragraphs), 1):
            english, spans = _english(group)
            result.append((f"paragraph {number}", english, spans, {lang: text}))
        return result
    english = [_english(group) for group in groups]
    whole, spans, offset = "", [], 0
    for text, own in english:
        spans += [(start + offset, end + offset) for start, end in own]
        whole += text + "\n"
        offset = len(whole)
    return [("the whole document", whole, spans, {lang: "\n".join(paragraphs)})]
