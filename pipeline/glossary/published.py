"""`glossary check --against` a published document (`translate publish`'s `<release>.<lang>.docx`): it has no
English, so its paragraphs are checked against the English of the run that made it — the manifest next to it whose
`run_id` is the document's identifier (or that run's manifest kept in `.runs/`).

Paragraphs are paired with the manifest's paragraphs (the title, the dateline alone, the body paragraphs) when
they are as many; a paragraph left out (every sentence of it emptied by the reviewer) makes them differ, and then
the whole text is checked against the whole English, which still finds a missing term.
"""

from __future__ import annotations

import json
from pathlib import Path

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


def published_segments(path: Path, meta: dict, lang: str) -> list[tuple[str, str, list[tuple[int, int]], dict[str, str]]]:
    manifest = _manifest_for(Path(path), meta.get("identifier"))
    from pipeline.docx.stories import walk_document

    # every story (a .docx release is published on its own document: tables, text boxes, headers, footers)
    from pipeline.docx.package import open_docx  # bounded, images never unpacked (the reader has checked the same file)

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
