"""One `translate run`: every stage, in order, for each release; models loaded once for all releases."""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from pipeline.core.errors import InputError
from pipeline.core.release import TranslatedRelease
from pipeline.files.atomic import atomic_output
from pipeline.files.manifest import build_manifest, write_manifest
from pipeline.files.preflight import check_output_paths
from pipeline.files.release_folder import (
    ReleasePaths,
    file_sha256,
    guard_reviewer_edits,
    keep_earlier_manifest,
    keep_source_copy,
    record_written,
    release_lock,
)
from pipeline.memory import reviews
from pipeline.glossary import find_uncovered_names
from pipeline.glossary.name_layout import release_layout
from pipeline.glossary.people.mentions import resolve_people
from pipeline.qa import run_checks
from pipeline.source.detect import require_english
from pipeline.source.ingest import read_release
from pipeline.source.segment import segment_release
from pipeline.translation.batching import batched
from pipeline.translation.engine.base import Engine
from pipeline.translation.stage import MemoryLookup, TermFinder, translate_segments

RELEASE_SUFFIXES = (".txt", ".md", ".docx")


@dataclass
class StageTimes:
    """Seconds spent per stage over a run: printed by `--timings` and by the benchmark."""

    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, stage: str, started: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - started

    def in_order(self) -> list[tuple[str, float]]:
        """The stages in the order a release goes through them (a merged model call is timed before the glossary
        stage of the releases it serves, but "translate" is still printed after it)."""
        return sorted(self.seconds.items(), key=lambda item: STAGES.index(item[0]) if item[0] in STAGES else len(STAGES))


STAGES = ("ingest", "detect", "segment", "glossary", "translate", "checks", "write")


@dataclass
class ReleaseResult:
    translated: TranslatedRelease
    documents: dict[str, Path]
    manifest: Path
    backups: list[Path]


def prepare_release(path: Path, source_lang: str | None, times: StageTimes):
    """ingest → detect → segment"""
    started = time.perf_counter()
    release = read_release(path)
    times.add("ingest", started)
    started = time.perf_counter()
    require_english(release, source_lang)
    times.add("detect", started)
    started = time.perf_counter()
    release = segment_release(release)
    times.add("segment", started)
    return release


def translate_release(
    release,
    engines: dict[str, Engine],
    glossary: TermFinder | None,
    memory: MemoryLookup | None,
    times: StageTimes,
) -> TranslatedRelease:
    uncovered: list[str] = []
    if glossary is not None:
        started = time.perf_counter()
        uncovered = find_uncovered_names(release.text, glossary, release_layout(release))  # headings, links: not names
        times.add("glossary", started)
    people = release_people(release, glossary, times)
    translations = {}
    for lang, engine in engines.items():
        started = time.perf_counter()
        translations[lang] = translate_segments(release.segments, lang, engine, people or glossary, memory)
        if people is not None:
            people.flag(release.segments, translations[lang], lang)
        times.add("translate", started)
        started = time.perf_counter()
        run_checks(release.segments, translations[lang], demo=engine.info.demo)
        times.add("checks", started)
    return TranslatedRelease(
        release=release,
        translations=translations,
        models={lang: engine.info for lang, engine in engines.items()},
        glossary_path=getattr(glossary, "path", None),
        glossary_hash=getattr(glossary, "hash", None),
        uncovered_names=uncovered,
    )


def release_people(release, glossary: TermFinder | None, times: StageTimes):
    """The release's people ("President Yu" → the glossary's person, per segment), or None without a glossary of
    people."""
    if glossary is None or not hasattr(glossary, "titles"):
        return None
    started = time.perf_counter()
    people = resolve_people(release, glossary)
    times.add("glossary", started)
    return people


# Given a review document's path, the progress(rows done, rows) callback for writing it (or None).
WriteProgress = Callable[[Path], Callable[[int, int], None] | None]


def write_release(
    translated: TranslatedRelease,
    out_dir: Path,
    force: bool,
    times: StageTimes,
    write_progress: WriteProgress | None = None,
    used: dict | None = None,
) -> ReleaseResult:
    """Review documents and manifest, each written to a temporary file and renamed: never half-written.
    `used`: the workspace and memory the run used, for the manifest (files/manifest.py `build_manifest`)."""
    started = time.perf_counter()
    release = translated.release
    paths = ReleasePaths(out_dir / release.name, release.name)
    langs = list(translated.translations)
    run_id = uuid.uuid4().hex[:12]
    generated_at = datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")
    with release_lock(paths):
        backups = guard_reviewer_edits(paths, langs, force, reviews.imported_hashes)
        documents: dict[str, Path] = {}
        recorded = {}
        # Every document is complete (in its temporary file) before any is renamed into place: a failure while
        # writing one (disk full, Ctrl-C) leaves all the previous documents as they were.
        # lazy: python-docx and lxml are imported by the warm-up thread while the models load (run/warmup.py)
        from pipeline.review.write.writer import write_review_docx

        with contextlib.ExitStack() as renames:
            for lang in langs:
                target = paths.review(lang)
                temporary = renames.enter_context(atomic_output(target))
                write_review_docx(
                    translated, lang, temporary, generated_at=generated_at, source_label=str(release.path), run_id=run_id,
                    progress=write_progress(target) if write_progress else None,
                )  # fmt: skip
                recorded[lang] = {"path": target.name, "sha256": file_sha256(temporary)}
                record_written(paths, target.name, recorded[lang]["sha256"])  # before the rename: see pipeline/files/release_folder.py
                documents[lang] = target
        manifest = build_manifest(translated, run_id=run_id, generated_at=generated_at, documents=recorded, **(used or {}))
        keep_source_copy(paths, release.path, manifest)
        keep_earlier_manifest(paths)
        write_manifest(paths.manifest, manifest)
    times.add("write", started)
    return ReleaseResult(translated, documents, paths.manifest, backups)


def collect_releases(inputs: list[Path]) -> list[Path]:
    """Files as given; folders expanded to the releases they hold (sorted, not recursive)."""
    releases: list[Path] = []
    for item in inputs:
        if item.is_dir():
            found = sorted(p for p in item.iterdir() if p.is_file() and p.suffix.lower() in RELEASE_SUFFIXES)
            if not found:
                raise InputError(f"{item}: no .txt, .md or .docx release in this folder")
            releases.extend(found)
        else:
            releases.append(item)
    unique: dict[Path, Path] = {}
    for release in releases:
        unique.setdefault(_identity(release), release)  # a file given twice (or by two paths) is translated once
    releases = list(unique.values())
    by_name: dict[str, list[Path]] = {}
    for release in releases:
        by_name.setdefault(release.stem.casefold(), []).append(release)  # casefold: macOS and Windows folders
    clashes = [group for group in by_name.values() if len(group) > 1]
    if clashes:
        first = clashes[0]
        raise InputError(
            f"{first[0]} and {first[1]} would write the same output folder ({first[0].stem}/): rename one, or "
            "translate them in separate runs with different --out folders"
            + (f" ({len(clashes) - 1} more name clash(es))" if len(clashes) > 1 else "")
        )
    return releases


def _identity(path: Path):
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def run_releases(
    paths: list[Path],
    engines: dict[str, Engine],
    out_dir: Path,
    *,
    glossary: TermFinder | None = None,
    memory: MemoryLookup | None = None,
    source_lang: str | None = None,
    force: bool = False,
    on_release: Callable[[ReleaseResult], None] | None = None,
    times: StageTimes | None = None,
    write_progress: WriteProgress | None = None,
    recorded: dict | None = None,
    on_refused: Callable[[Path, InputError], None] | None = None,
    languages_at_once: int = 1,
) -> list[ReleaseResult]:
    """Every release is read and checked before anything is written. A release that cannot be used (unreadable,
    not English: `InputError`) stops the run cleanly before anything is written, unless `on_refused` is given: then
    it is passed there (path, error), left out, and the others go on (a folder run, README "Exit codes").
    `languages_at_once` > 1: the languages' batched model calls side by side (translation/side_by_side.py); the
    documents written are the same."""
    times = times or StageTimes()
    prepared = []
    for path in paths:
        try:
            prepared.append(prepare_release(path, source_lang, times))
        except InputError as refusal:
            if on_refused is None:
                raise
            on_refused(path, refusal)
    if not prepared:
        return []
    check_output_paths(out_dir, [release.name for release in prepared], list(engines))  # before any model runs
    results = []

    def record_release(release, recorders: dict[str, Engine]) -> None:
        # Only what decides the model calls (the checks and the people's notes come after them); timings dropped.
        people = release_people(release, glossary, StageTimes())
        for lang, recorder in recorders.items():
            translate_segments(release.segments, lang, recorder, people or glossary, memory)

    # several releases: the first model call of a chunk's releases merged (issue 14); languages side by side:
    # those calls made for every language at once (issue 23)
    for release, chunk_engines in batched(prepared, engines, record_release, times, languages_at_once):
        translated = translate_release(release, chunk_engines, glossary, memory, times)
        result = write_release(translated, out_dir, force, times, write_progress, recorded)
        results.append(result)
        if on_release:
            on_release(result)
    return results
