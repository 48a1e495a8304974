"""`translate glossary check --against`: translations checked against the glossary, document by document.

A document is a run manifest (`<release>.manifest.json`), a review or reviewed .docx (read by
`pipeline.review.read.reader`, tracked changes accepted), or a published `<release>.<lang>.docx`. A release folder
(a manifest with the release's documents beside it, as `translate run` and `publish` leave it) stands for what is
PUBLISHED in it — `<release>.<lang>.docx` and `.bilingual.docx` of each language of the run — and an output folder
for every release folder under it: the review documents, the manifest's machine text and the hidden copy of the
English (`.sources/`) are not what goes out, and are not checked there (give them by name to check them). Any other
folder stands for the manifests and .docx files under it, hidden ones left out. Each translated segment is checked
by `pipeline.glossary.terms.check_against_segment` (term-missing, wrong-form, kana-in-zh, term-count).

A published document has no English, so its paragraphs are checked against the English of the run that made it —
the manifest next to it whose `run_id` is the document's identifier (or that run's manifest kept in `.runs/`).
Paragraphs are paired with the manifest's paragraphs (the title, the dateline alone, the body paragraphs) when
they are as many; a paragraph left out (every sentence of it emptied by the reviewer) makes them differ, and then
the whole text is checked against the whole English, which still finds a missing term.
"""

from __future__ import annotations

import glob
import json
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from pipeline.core.limits import JSON_MAX_BYTES, LimitExceeded, read_bounded
from pipeline.core.release import TEXT, VERBATIM, Segment, Span
from pipeline.docx.bounded import open_docx
from pipeline.docx.properties import core_properties
from pipeline.docx.stories import walk_document
from pipeline.files.manifest import verbatim_spans
from pipeline.glossary.glossary import Glossary
from pipeline.glossary.model import Problem
from pipeline.glossary.people.mentions import resolve_people
from pipeline.glossary.terms import check_against_segment, contains_target
from pipeline.review.read.reader import KIND_PUBLISHED, read_review_rows

__all__ = [
    "AgainstReport", "RecordedTerms", "against_files", "check_against", "published_documents", "published_segments",
    "release_folders",
]

# (segment id, English, verbatim spans in the English, language → translation)
DocumentSegment = tuple[str, str, list[tuple[int, int]], dict[str, str]]


@dataclass
class AgainstReport:
    """What `check_against` found, and over what."""

    problems: list[Problem] = field(default_factory=list)
    documents: int = 0  # documents read and checked
    releases: list[str] = field(default_factory=list)  # release folders whose published documents were checked
    unpublished: list[str] = field(default_factory=list)  # release folders given with nothing published yet
    release_of: dict[str, str] = field(default_factory=dict)  # a published document → its release folder's name

    def failing_releases(self, problems: list[Problem]) -> list[str]:
        """The release folders with an error (not a warning) in one of their published documents."""
        failing = {self.release_of.get(p.document or "") for p in problems if p.severity != "warning"}
        return [release for release in self.releases if release in failing]


def _hidden(path: Path, under: Path) -> bool:
    """A file in a hidden folder (`.sources/`, `.runs/`) or hidden itself, or an Excel lock file (`~$…`)."""
    return any(part.startswith((".", "~$")) for part in path.relative_to(under).parts)


def _run_manifests(folder: Path) -> list[Path]:
    """The manifests in `folder` that `translate run` left there: `<release>.manifest.json` with the release's
    review or published documents beside it (manifests alone, copied or exported, are not a release folder)."""
    found = []
    for manifest in sorted(folder.glob("*.manifest.json")):
        release = glob.escape(manifest.name.removesuffix(".manifest.json"))
        if manifest.is_file() and any(folder.glob(f"{release}.*.docx")):
            found.append(manifest)
    return found


def release_folders(path: Path) -> list[Path]:
    """The release folders a folder stands for: itself when it is one (`_run_manifests`), else every folder under
    it that is (an output folder); hidden folders (`.runs/`) are not release folders."""
    path = Path(path)
    if _run_manifests(path):
        return [path]
    found = {m.parent for m in path.rglob("*.manifest.json") if not _hidden(m, path)}
    return sorted(folder for folder in found if _run_manifests(folder))


def published_documents(folder: Path) -> list[Path]:
    """What `translate publish` wrote in a release folder: `<release>.<lang>.docx` and `<release>.<lang>.bilingual.docx`
    of each language of the run. Never the review documents, the manifest's machine text or the hidden copy of the
    English (`.sources/`): those are not what is published."""
    documents = []
    for manifest in _run_manifests(folder):
        release = manifest.name.removesuffix(".manifest.json")
        try:
            data = json.loads(read_bounded(manifest, JSON_MAX_BYTES, "a manifest").decode("utf-8-sig"))
        except (LimitExceeded, OSError, UnicodeDecodeError, json.JSONDecodeError):
            data = {}
        langs = data.get("languages") if isinstance(data, dict) else None
        if not isinstance(langs, list) or not langs:  # the languages the run had, else any published one
            langs = sorted({p.name[len(release) + 1 : -len(".docx")] for p in folder.glob(f"{glob.escape(release)}.*.docx")})
        for lang in langs:
            for kind in ("docx", "bilingual.docx"):
                path = folder / f"{release}.{lang}.{kind}"
                if isinstance(lang, str) and "." not in lang and path.is_file():
                    documents.append(path)
    return documents


def against_files(path: Path, report: AgainstReport | None = None) -> list[Path]:
    """The documents a --against path stands for: a file itself; a release folder (or an output folder: every
    release folder under it) its published documents; any other folder the manifests and .docx files under it,
    hidden ones left out. The release folders are added to `report`."""
    path = Path(path)
    if not path.is_dir():
        return [path]
    folders = release_folders(path)
    if folders:
        found = []
        for folder in folders:
            documents = published_documents(folder)
            name = _display_release(folder, path)
            if report is not None:
                (report.releases if documents else report.unpublished).append(name)
                report.release_of.update({str(document): name for document in documents})
            found += documents
        return found
    return [
        p
        for p in sorted(path.rglob("*"))
        if p.is_file()
        and not _hidden(p, path)
        and (p.name.endswith(".manifest.json") or p.suffix.lower() == ".docx")
    ]


def _display_release(folder: Path, given: Path) -> str:
    """A release folder as the summary names it: its path from the folder given (`mou`), or its own name."""
    relative = folder.relative_to(given).as_posix()
    return folder.name if relative == "." else relative


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


def check_against(glossary: Glossary, paths: list[Path]) -> AgainstReport:
    """Every document the paths stand for (`against_files`) checked against `glossary`. A document that cannot be
    read is a `parse` problem; a folder with nothing to check a `usage` problem."""
    report = AgainstReport()
    for given in paths:
        files = against_files(Path(given), report)
        if not files:
            report.problems.append(_nothing_in(Path(given), report))
        for path in files:
            report.problems += _check_document(glossary, path, report)
    return report


def _nothing_in(given: Path, report: AgainstReport) -> Problem:
    if given.is_dir() and release_folders(given):
        message = (
            f"{given}: nothing published in it yet (no <release>.<lang>.docx beside a manifest): run `translate "
            "publish` first, or give a manifest to check the run's machine text"
        )
    else:
        message = f"{given}: no manifests or .docx files in this folder"
    return Problem("usage", message, document=str(given))


def _check_document(glossary: Glossary, path: Path, report: AgainstReport) -> list[Problem]:
    document = str(path)
    if not path.exists():
        return [Problem("usage", f"{path}: no such file", document=document)]
    try:
        if path.suffix.lower() == ".docx":
            segments = _segments_from_docx(path)
        elif path.suffix.lower() == ".json":
            segments = _segments_from_manifest(path)
        else:
            return [Problem("usage", f"{path}: give a <release>.manifest.json or a review .docx", document=document)]
    except (ValueError, OSError) as exc:
        return [Problem("parse", f"{path}: {exc}", document=document)]
    except Exception as exc:  # a damaged .docx: python-docx / zipfile / lxml errors
        return [Problem("parse", f"{path}: cannot read ({type(exc).__name__}: {exc})", document=document)]
    report.documents += 1
    problems: list[Problem] = []
    people = _people(glossary, segments)  # "President Yu" must be 余校長 too (pipeline/glossary/people/mentions.py)
    recorded: RecordedTerms | None = None
    for segment_id, source, verbatim, targets in segments:
        matches = [m for m in glossary.find(source) if not any(m.start < e and s < m.end for s, e in verbatim)]
        for lang, text in targets.items():
            these = matches
            if people is not None and people.mentions.get(segment_id):
                these = [
                    m for m in people.find_in_segment(people.segments[segment_id], lang)
                    if not any(m.start < e and s < m.end for s, e in verbatim)
                ]  # fmt: skip
            found = check_against_segment(document, segment_id, source, these, lang, text)
            if any(p.code == "term-missing" for p in found):
                recorded = recorded or RecordedTerms.of(path)
                recorded.name_old_forms(found, text)
            problems += found
    return problems


# ------------------------------------------------------------------------------------- a term that changed
@dataclass
class RecordedTerms:
    """The glossary forms the run put in, per segment (the manifest's `terms`): where a term's form changed since,
    the form a document still carries is the old one, and the segments that carry it are its rows."""

    by_segment: dict[str, dict[str, list[tuple[str, str]]]] = field(default_factory=dict)  # id → lang → (entry, form)
    paragraphs: list[list[str]] = field(default_factory=list)  # the segment ids of "paragraph N" (published docs)

    @classmethod
    def of(cls, path: Path) -> RecordedTerms:
        """The terms recorded by the run of a manifest, or of the run that made a review or published .docx (the
        manifest beside it); none when it cannot be found."""
        try:
            if path.suffix.lower() == ".json":
                manifest = json.loads(read_bounded(path, JSON_MAX_BYTES, "a manifest").decode("utf-8-sig"))
            else:
                manifest = _manifest_for(path, core_properties(path).get("identifier"))
        except (ValueError, OSError, LimitExceeded, UnicodeDecodeError):
            return cls()
        terms = cls()
        segments = [s for s in manifest.get("segments") or [] if isinstance(s, dict)]
        for segment in segments:
            for lang, target in (segment.get("targets") or {}).items():
                if isinstance(target, dict):
                    terms.by_segment.setdefault(str(segment.get("id")), {})[lang] = [
                        (str(t.get("entry_id") or ""), str(t.get("target") or ""))
                        for t in target.get("terms") or [] if isinstance(t, dict)
                    ]  # fmt: skip
        if all("source" in s for s in segments):
            terms.paragraphs = [[str(s.get("id")) for s in group] for group in _groups(segments)]
        return terms

    def rows(self, segment: str) -> list[str]:
        """The run's segments a document's segment stands for: itself, a published document's "paragraph N", a
        bilingual document's paragraph row (p03 → p03.s01, p03.s02), or every segment for "the whole document"."""
        if segment in self.by_segment:
            return [segment]
        if segment.startswith("paragraph ") and segment[len("paragraph ") :].isdigit():
            number = int(segment[len("paragraph ") :])
            return self.paragraphs[number - 1] if 0 < number <= len(self.paragraphs) else []
        inside = [row for row in self.by_segment if row.startswith(f"{segment}.")]
        return inside or (list(self.by_segment) if segment == "the whole document" else [])

    def name_old_forms(self, problems: list[Problem], text: str) -> None:
        """Each term-missing problem whose translation still holds the form the run put in (the glossary's form
        then): that old form named (`found`), with the rows that carry it."""
        for problem in problems:
            if problem.code != "term-missing" or not problem.lang or not problem.entry:
                continue
            carried: dict[str, list[str]] = {}
            for row in self.rows(problem.segment or ""):
                for entry, form in self.by_segment[row].get(problem.lang, []):
                    if entry == problem.entry and form and form != problem.expected and contains_target(text, form, problem.lang):
                        carried.setdefault(form, []).append(row)
            if not carried:
                continue
            old, rows = next(iter(carried.items()))
            problem.found = old
            where = f" (row{'s' if len(rows) > 1 else ''} {', '.join(dict.fromkeys(rows))})" if rows != [problem.segment] else ""
            problem.message += f"; it still has the old form {old!r}{where}: the glossary's form changed since the run"


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
