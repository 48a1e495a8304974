"""`translate status`: where each release and language stands, read from what the pipeline already keeps, with
nothing written (docs/review.md, "Where a release stands").

Per release (its manifest) and language:

* its rows in the status vocabulary of `run`, `review import` and `publish` (pipeline/review/status.py): approved
  (and how), not approved (needs-glossary-review, check-error, draft), verbatim;
* the last import: which document, when (the review record `<release>.reviewed.sqlite`, pipeline/memory/reviews.py);
* publishable or not and why: the publish gate itself (plan.py `plan_language`, gate.py `check_language`, links.py
  `link_refusals`) against the same glossary `publish` would use, without `--allow-unreviewed`;
* the published files (`<release>.<lang>.docx`, `.bilingual.docx`, `.md`, `.html`) and whether each is current or
  stale, and why: a newer run, a newer import, the glossary changed since (and how), or the language would be
  refused now;
* the one next step.

`to_json` is the stable shape of `--format json` (`SCHEMA`, documented in docs/review.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pipeline.core.errors import InputError, PipelineError
from pipeline.docx.properties import core_properties
from pipeline.files.manifest import read_manifest
from pipeline.glossary.terms import contains_target
from pipeline.memory import reviews
from pipeline.publish.formats import PUBLISHED
from pipeline.publish.gate import GateGlossary, current_glossary, check_language
from pipeline.publish.links import link_refusals
from pipeline.publish.plan import EMPTIED, MEMORY, NEEDS_GLOSSARY, REVIEWED, VERBATIM, PublishedSegment, plan_language
from pipeline.publish.publisher import requested_languages, resolve_manifest
from pipeline.review.importing import load_reviewed, reviewed_path
from pipeline.review.status import (
    CHECK_ERROR,
    DRAFT,
    GLOSSARY_FLAGS,
    NEEDS_GLOSSARY_REVIEW,
    StatusCounts,
    count_rows,
    row_status,
)

__all__ = ["SCHEMA", "ReleaseStatus", "carried_old_forms", "release_manifests", "release_status", "render", "to_json"]

SCHEMA = 1

# The files `publish` writes per language (formats/): suffix → the format's name in the JSON.

# The next steps, most urgent first: a release's next step is its most urgent language's.
GIVE_GLOSSARY = "give the glossary: the one the run used is gone"
RUN_AGAIN = "run again: the glossary changed"
IMPORT = "import the reviewed documents"
FIX_ROWS = "fix the rows named and import again"
FINISH_REVIEW = "finish the review: approve the draft rows and import again"
PUBLISH = "publish"
PUBLISH_AGAIN = "publish again"
NOTHING = "nothing: published and current"
STEPS = (GIVE_GLOSSARY, RUN_AGAIN, IMPORT, FIX_ROWS, FINISH_REVIEW, PUBLISH_AGAIN, PUBLISH, NOTHING)

PROBLEMS_SHOWN = 5


@dataclass
class PublishedFile:
    path: Path
    format: str  # PUBLISHED's names
    stale: list[str] = field(default_factory=list)  # why it is not what publish would write now; empty: current

    @property
    def current(self) -> bool:
        return not self.stale


@dataclass(frozen=True)
class LastImport:
    document: str  # the file name of the latest reviewed document imported
    at: str  # when, ISO 8601 with its offset


@dataclass
class LanguageStatus:
    lang: str
    segments: int
    counts: StatusCounts
    review_document: str  # the path of the run's review document for this language
    last_import: LastImport | None
    publishable: bool
    why_not: list[str]  # each reason, rows named
    published: list[PublishedFile]
    next_step: str  # one of STEPS
    command: str  # the command that does it ("" for NOTHING)


@dataclass
class ReleaseStatus:
    release: str
    folder: Path
    manifest: Path
    run_id: str = ""
    generated_at: str = ""
    source: str = ""
    glossary: str = ""  # what the gate checks against, and what changed in it since the run (GateGlossary.describe)
    glossary_changed: bool = False
    languages: list[LanguageStatus] = field(default_factory=list)
    error: str = ""  # the release cannot be read (a damaged manifest or record): the one-line reason

    @property
    def next_step(self) -> str:
        if self.error:
            return self.error
        steps = [lang.next_step for lang in self.languages]
        return min(steps, key=STEPS.index) if steps else NOTHING


# --------------------------------------------------------------------------------------------- which releases


def release_manifests(targets: list[Path]) -> list[Path]:
    """The manifests of `targets`: a release folder (one `<release>.manifest.json`), a manifest, or an output
    folder (every release folder directly under it, sorted). A missing path, or one holding no release, is an
    `InputError` (exit 3) naming it."""
    found: list[Path] = []
    for target in targets:
        target = Path(target)
        if not target.exists():
            raise InputError(f"{target} does not exist: give a release's output folder (output/NAME) or an output folder.")
        if target.is_file():
            if not target.name.endswith(".manifest.json"):
                raise InputError(
                    f"{target} is not a release: give the release's output folder (output/NAME) or an output folder."
                )
            found.append(target)
            continue
        if list(target.glob("*.manifest.json")):
            found.append(resolve_manifest(target))
            continue
        inner = [m for d in sorted(p for p in target.iterdir() if p.is_dir()) for m in sorted(d.glob("*.manifest.json"))[:1]]
        if not inner:
            raise InputError(
                f"{target}: no release here (no <release>.manifest.json in it or in a folder under it); give a "
                "release's output folder or the output folder of `translate run`."
            )
        found.extend(inner)
    return list(dict.fromkeys(found))


# --------------------------------------------------------------------------------------------- one release


def release_status(manifest_path: Path, *, memory=None, glossary_path: Path | None = None, use_glossary: bool = True) -> ReleaseStatus:
    """Where one release stands; nothing written. `memory`: a store, or a function of the manifest's path opening
    one (or None), as `publish` takes it. A release that cannot be read is reported (`error`), never raised."""
    manifest_path = Path(manifest_path)
    status = ReleaseStatus(manifest_path.name.removesuffix(".manifest.json"), manifest_path.parent, manifest_path)
    try:
        manifest = read_manifest(manifest_path)
        status.release = manifest.get("release") or status.release
        status.run_id, status.generated_at = manifest["run_id"], str(manifest.get("generated_at", ""))
        status.source = str((manifest.get("source") or {}).get("path") or "")
        langs = requested_languages(manifest_path, manifest, None)
        reviewed = load_reviewed(manifest_path, manifest)
        imports = last_imports(manifest_path, manifest)
    except PipelineError as error:
        status.error = error.format_message()
        return status
    try:
        gate = current_glossary(manifest, glossary_path, use_glossary, manifest_path)
    except PipelineError as error:  # the glossary the run used is gone, or cannot be parsed
        status.glossary = error.format_message()
        status.languages = [
            _unchecked(manifest_path, manifest, lang, imports.get(lang), status.glossary) for lang in langs
        ]
        return status
    status.glossary, status.glossary_changed = gate.describe(langs), gate.changed
    if callable(memory) and not hasattr(memory, "current"):
        memory = memory(manifest_path)
    for lang in langs:
        planned = plan_language(manifest, lang, reviewed.get(lang, {}), memory)
        status.languages.append(language_status(manifest_path, manifest, lang, planned, gate, imports.get(lang)))
    return status


def last_imports(manifest_path: Path, manifest: dict[str, Any]) -> dict[str, LastImport]:
    """lang → the latest reviewed document imported for the manifest's run (the review record)."""
    data = reviews.load(reviewed_path(manifest_path))
    run = data.get("runs", {}).get(manifest.get("run_id"), {})
    result = {}
    for lang, block in run.items():
        if isinstance(block, dict) and block.get("document"):
            result[lang] = LastImport(str(block["document"]), str(block.get("imported_at") or ""))
    return result


def language_status(
    manifest_path: Path,
    manifest: dict[str, Any],
    lang: str,
    planned: list[PublishedSegment],
    gate: GateGlossary,
    last: LastImport | None,
) -> LanguageStatus:
    """One language: the gate run as `publish` runs it (without --allow-unreviewed), nothing written."""
    refusals = check_language(manifest, lang, planned, gate.glossary, allow_unreviewed=False)
    refusals += link_refusals(manifest, lang, planned)
    counts = counts_of(planned)
    changes = [c for c in gate.changes if c.lang == lang] if gate.changed else []
    why_not = why_not_publishable(counts, planned) if refusals else []
    published = published_files(manifest_path, manifest, lang, last, changes, why_not, carried_old_forms(planned, changes))
    glossary_rows = bool(counts.errors.get(NEEDS_GLOSSARY_REVIEW)) or any(
        _glossary_problem(p) for s in planned for p in s.problems
    )
    if refusals and changes and glossary_rows:
        step = RUN_AGAIN
    elif refusals and last is None:
        step = IMPORT
    elif refusals and counts.errors:
        step = FIX_ROWS
    elif refusals:
        step = FINISH_REVIEW
    elif not published:
        step = PUBLISH
    elif any(f.stale for f in published):
        step = PUBLISH_AGAIN
    else:
        step = NOTHING
    document = _review_document(manifest_path, manifest, lang)
    return LanguageStatus(
        lang, len(planned), counts, document, last, not refusals, why_not, published, step,
        _command(step, manifest_path, manifest, document),
    )  # fmt: skip


def _unchecked(manifest_path: Path, manifest: dict, lang: str, last: LastImport | None, why: str) -> LanguageStatus:
    """A language the gate cannot check (its glossary is gone): counted as the run and the record say."""
    planned = plan_language(manifest, lang, load_reviewed(manifest_path, manifest).get(lang, {}), None)
    document = _review_document(manifest_path, manifest, lang)
    published = published_files(manifest_path, manifest, lang, last, [], [why])
    return LanguageStatus(
        lang, len(planned), counts_of(planned), document, last, False, [why], published, GIVE_GLOSSARY,
        f"translate publish {manifest_path.parent} --glossary PATH",
    )  # fmt: skip


def counts_of(planned: list[PublishedSegment]) -> StatusCounts:
    """The rows in the vocabulary and order of `review import` and `publish` (review/status.py), after the gate:
    a row with an error is needs-glossary-review when a glossary term is its problem, else check-error."""
    rows = []
    for segment in planned:
        origin = {MEMORY: "memory", VERBATIM: "verbatim"}.get(segment.how, "machine")
        approval = (segment.approval or "edited") if segment.how in (REVIEWED, EMPTIED) else None
        glossary = segment.how == NEEDS_GLOSSARY or any(_glossary_problem(p) for p in segment.problems)
        status = row_status(
            origin=origin,
            approval=approval,
            emptied=segment.how == EMPTIED,
            glossary=glossary,
            errors=bool(segment.problems),
        )
        rows.append((segment.id, status))
    return count_rows(rows)


def _glossary_problem(problem: str) -> bool:
    return problem.split(":", 1)[0].strip() in GLOSSARY_FLAGS


def why_not_publishable(counts: StatusCounts, planned: list[PublishedSegment]) -> list[str]:
    """What keeps the language from being published: each kind of row with what to do (the words of `review
    import`), then the first problems as the gate names them."""
    lines = counts.advice_lines()
    failing = [s for s in planned if s.problems]
    lines += [f"{s.id}: {'; '.join(s.problems)}" for s in failing[:PROBLEMS_SHOWN]]
    if len(failing) > PROBLEMS_SHOWN:
        lines.append(f"… and {len(failing) - PROBLEMS_SHOWN} more row(s) with errors")
    return lines


def published_files(
    manifest_path: Path,
    manifest: dict[str, Any],
    lang: str,
    last: LastImport | None,
    changes: list,
    refused: list[str],
    old_forms: list[str] | None = None,
) -> list[PublishedFile]:
    """The language's published files, each with why it is stale (empty: current). `old_forms`: the glossary terms
    that changed since the run whose old form the published rows still carry (`carried_old_forms`): stale whatever
    the files' times say (a checkout sets them all alike)."""
    name = manifest.get("release") or manifest_path.name.removesuffix(".manifest.json")
    glossary_changed_at = _glossary_mtime(manifest) if changes else None
    imported_at = _timestamp(last.at) if last is not None else None
    files = []
    for suffix, kind in PUBLISHED.items():
        path = manifest_path.parent / f"{name}.{lang}{suffix}"
        if not path.is_file():
            continue
        written = path.stat().st_mtime
        stale = []
        run = core_properties(path).get("identifier") if suffix.endswith(".docx") else None
        if run and run != manifest.get("run_id"):
            stale.append(f"made from run {run}, not the current run {manifest.get('run_id')}")
        elif not run and written < manifest_path.stat().st_mtime:
            stale.append(f"older than the current run {manifest.get('run_id')}")
        if imported_at is not None and imported_at > written:
            stale.append(f"a newer import: {last.document} at {last.at}")
        if glossary_changed_at is not None and glossary_changed_at > written:
            stale.append("the glossary changed since: " + "; ".join(map(str, changes)))
        stale += old_forms or []
        if refused:
            stale.append("the language would not be published now")
        files.append(PublishedFile(path, kind, stale))
    return files


def carried_old_forms(planned: list[PublishedSegment], changes: list) -> list[str]:
    """Per glossary term changed since the run (gate.TermChange), the rows whose published text still has the old
    form and not the new one: "glossary term Kumamoto University changed (熊本大学 → 国立大学法人熊本大学): row p01.s01
    (ja) still has 熊本大学". The published text of a row is what publish writes from the review record."""
    reasons = []
    for change in changes:
        if not change.before:
            continue
        rows = [
            s.id for s in planned
            if contains_target(s.text, change.before, change.lang) and not contains_target(s.text, change.after, change.lang)
        ]  # fmt: skip
        if rows:
            many = len(rows) > 1
            reasons.append(
                f"glossary term {change.english} changed ({change.before} → {change.after}): row{'s' if many else ''} "
                f"{', '.join(rows)} ({change.lang}) still {'have' if many else 'has'} {change.before}"
            )
    return reasons


def _glossary_mtime(manifest: dict[str, Any]) -> float | None:
    """When the glossary the run used last changed (its newest file, or its folder for a file removed)."""
    recorded = (manifest.get("glossary") or {}).get("path")
    if not recorded:
        return None
    root = Path(recorded)
    try:
        paths = [root, *root.rglob("*")] if root.is_dir() else [root]
        return max(p.stat().st_mtime for p in paths)
    except (OSError, ValueError):
        return None


def _timestamp(iso: str) -> float | None:
    try:
        return datetime.fromisoformat(iso).timestamp()
    except ValueError:
        return None


def _review_document(manifest_path: Path, manifest: dict[str, Any], lang: str) -> str:
    name = ((manifest.get("documents") or {}).get(lang) or {}).get("path")
    return str(manifest_path.parent / name) if name else ""


def _command(step: str, manifest_path: Path, manifest: dict[str, Any], document: str) -> str:
    folder = manifest_path.parent
    if step == RUN_AGAIN:
        source = str((manifest.get("source") or {}).get("path") or "RELEASE")
        return f"translate run {source} --out {folder.parent}"
    if step in (IMPORT, FIX_ROWS, FINISH_REVIEW):
        return f"translate review import {document or 'REVIEWED.docx'}"
    if step in (PUBLISH, PUBLISH_AGAIN):
        return f"translate publish {folder}"
    return ""


# --------------------------------------------------------------------------------------------- output


def render(statuses: list[ReleaseStatus]) -> str:
    """The human report: per release a head line, the glossary, then per language its rows, last import,
    publishable or not (why), published files (current or stale, why) and the next step."""
    lines = []
    for status in statuses:
        lines.append(f"{status.release} ({status.folder})" + (f": run {status.run_id}, {status.generated_at}" if status.run_id else ""))
        if status.error:
            lines += [f"  cannot be read: {status.error}", ""]
            continue
        lines.append(f"  glossary: {status.glossary}")
        for lang in status.languages:
            lines.append(f"  {lang.lang}: {lang.segments} segments: {lang.counts.line()}")
            last = f"{lang.last_import.document} at {lang.last_import.at}" if lang.last_import else "none"
            lines.append(f"    last import: {last}")
            lines.append("    publishable: " + ("yes" if lang.publishable else "no"))
            lines += [f"      {why}" for why in lang.why_not]
            for published in lang.published:
                state = "current" if published.current else "stale: " + "; ".join(published.stale)
                lines.append(f"    published: {published.path.name} ({state})")
            if not lang.published:
                lines.append("    published: nothing yet")
            lines.append(f"    next: {lang.next_step}" + (f" — {lang.command}" if lang.command else ""))
        lines += [f"  next: {status.next_step}", ""]
    return "\n".join(lines).rstrip("\n")


def to_json(statuses: list[ReleaseStatus]) -> dict[str, Any]:
    """The `--format json` document (docs/review.md documents every key; new keys may be added, none renamed)."""
    return {"schema": SCHEMA, "releases": [_release_json(status) for status in statuses]}


def _release_json(status: ReleaseStatus) -> dict[str, Any]:
    return {
        "release": status.release,
        "folder": str(status.folder),
        "manifest": str(status.manifest),
        "run_id": status.run_id,
        "generated_at": status.generated_at,
        "source": status.source,
        "error": status.error or None,
        "glossary": {"checked_against": status.glossary, "changed_since_run": status.glossary_changed},
        "next_step": status.next_step,
        "languages": [_language_json(lang) for lang in status.languages],
    }


def _language_json(lang: LanguageStatus) -> dict[str, Any]:
    counts = lang.counts
    return {
        "lang": lang.lang,
        "segments": lang.segments,
        "approved": {"count": counts.approved_count, "how": {how: ids for how, ids in counts.approved.items()}},
        "not_approved": {
            "count": len(counts.not_approved),
            NEEDS_GLOSSARY_REVIEW: counts.errors.get(NEEDS_GLOSSARY_REVIEW, []),
            CHECK_ERROR: counts.errors.get(CHECK_ERROR, []),
            DRAFT: counts.drafts,
        },
        "verbatim": counts.verbatim,
        "summary": counts.line(),
        "review_document": lang.review_document,
        "last_import": None if lang.last_import is None else {"document": lang.last_import.document, "at": lang.last_import.at},
        "publishable": lang.publishable,
        "why_not": lang.why_not,
        "published": [
            {"path": str(f.path), "format": f.format, "current": f.current, "stale": f.stale} for f in lang.published
        ],
        "next_step": lang.next_step,
        "command": lang.command,
    }

