"""`translate publish`: the publishable documents of a release, from reviewed segments.

Per target language, next to the manifest, one file per format of the registry (formats/__init__.py) that applies:
`<release>.<lang>.docx` (the publishable document: a Word release's source translated in place, otherwise a plain
document typeset for the language), `<release>.<lang>.bilingual.docx` (English | target, paragraph by paragraph),
`<release>.<lang>.md` for a Markdown release, `<release>.<lang>.html` with `--format html`. A Markdown release whose
structure the run could not read (or whose kept source is gone) gets no .md (`PublishResult.withheld` says why) and
no web page: `--format html` is refused before anything is written (formats/markdown.py, `missing_structure`).

What each segment publishes, and the paragraphs every format writes: plan.py.

The gate (gate.py, links.py): every segment to publish, whatever its origin, is checked again against the current
glossary and the quality checks (pipeline/qa), and must keep the hyperlinks of its English. A language with an
error, or with unreviewed (or needs-glossary-review) segments unless `allow_unreviewed`, is not written; the other
languages are; then `ReviewError` (exit 6) names each refused row, its problem and the next step. With
`allow_unreviewed` the documents say so in a red banner at the top, the unreviewed sentences are highlighted, and
the core properties carry it (content status "contains unreviewed machine translation", keywords, comments). A
demo-model run gets a banner too. Every file is written to a temporary file and renamed (pipeline.files.atomic),
under the release's lock, after every document of every language was built and its links checked. All the files of
one `publish` are one unit (`atomic.one_unit`): every temporary file is complete before any is renamed, so a full
disk, Ctrl-C or SIGTERM while writing leaves every earlier publication as it was (never ja.docx new and ja.html
old), and the renames themselves are not interrupted.

Withdrawing (withdraw.py): the earlier published files of a language the gate refuses now, and of a format a
language is published without now (a web page of an earlier `--format html`, a draft's), are moved aside into
`<release folder>/.withdrawn/<UTC time>/` in the same unit, and said one line per language
(`PublishResult.withdrawn`; in the refusal message too): no file is left looking current that this publication
would not write, and none is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.core.errors import InputError, ReviewError
from pipeline.files.atomic import one_unit
from pipeline.files.manifest import read_manifest
from pipeline.files.release_folder import ReleasePaths, release_lock
from pipeline.memory.reviews import render_json
from pipeline.publish.formats import REGISTRY
from pipeline.publish.formats.base import DOCUMENT, Publication, PublishOptions, ReleaseFiles
from pipeline.publish.formats.markdown import missing_structure
from pipeline.publish.gate import Refusal, check_language, current_glossary, describe
from pipeline.publish.links import check_links, link_refusals
from pipeline.publish.plan import BLOCKING, LanguagePlan, PublishedSegment, plan_language
from pipeline.publish.withdraw import Withdrawal, withdraw_stale
from pipeline.review.importing import load_reviewed, reviewed_path

__all__ = ["PublishResult", "publish_release", "resolve_manifest"]


@dataclass
class PublishResult:
    release: str
    run_id: str
    manifest: Path
    glossary: str = ""  # what the gate checked against, and what changed in it since the run (GateGlossary.describe)
    segments: dict[str, list[PublishedSegment]] = field(default_factory=dict)
    unreviewed: dict[str, list[PublishedSegment]] = field(default_factory=dict)
    # lang → format name → the file it wrote, in the registry's order (formats.DOCUMENT first)
    paths: dict[str, dict[str, Path]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)  # lang → what a format left out (formats/base.py)
    withheld: list[str] = field(default_factory=list)  # outputs not written, and why (said by the command)
    withdrawn: list[Withdrawal] = field(default_factory=list)  # earlier published files moved aside (withdraw.py)


def resolve_manifest(target: Path) -> Path:
    """A release folder (holding one `<release>.manifest.json`) or the manifest itself. A path that does not exist,
    or a file that is not a manifest (a .docx, the release itself), is bad input (exit 3) saying what to give."""
    target = Path(target)
    if not target.exists():
        raise InputError(f"{target} does not exist; give the release's output folder (output/NAME)")
    if not target.is_dir() and not target.name.endswith(".manifest.json"):
        raise InputError(
            f"{target} is not a release's output folder; give the release's output folder (output/NAME), "
            "the one `translate run` wrote its review documents and manifest into"
        )
    if target.is_dir():
        found = sorted(target.glob("*.manifest.json"))
        if len(found) != 1:
            raise ReviewError(
                f"{target}: expected one <release>.manifest.json in this folder, found {len(found)}; "
                "give the release's output folder or its manifest."
            )
        return found[0]
    return target


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

    The gate (gate.py) checks every segment against the current glossary (`glossary_path`, else the glossary the
    run used, at the absolute path its manifest records) and the quality checks; the languages it refuses are not written, the others are, and
    then `ReviewError` names the refused rows. `memory`: a store, or a function of the manifest's path opening one."""
    manifest_path = resolve_manifest(target)
    manifest = read_manifest(manifest_path)
    langs = requested_languages(manifest_path, manifest, langs)
    if callable(memory) and not hasattr(memory, "current"):
        memory = memory(manifest_path)
    reviewed = load_reviewed(manifest_path, manifest)
    result = PublishResult(manifest.get("release", ""), manifest["run_id"], manifest_path)
    gate_glossary = current_glossary(manifest, glossary_path, use_glossary, manifest_path)
    result.glossary = gate_glossary.describe(langs)
    refusals: list[Refusal] = []
    keep_typed = gate_glossary.glossary is not None and gate_glossary.glossary.house_style.typography == "keep"
    for lang in langs:
        planned = plan_language(manifest, lang, reviewed.get(lang, {}), memory, keep_typed=keep_typed)
        result.segments[lang] = planned
        refusals += check_language(manifest, lang, planned, gate_glossary.glossary, allow_unreviewed=allow_unreviewed)
        refusals += link_refusals(manifest, lang, planned)
        blocking = [s for s in planned if s.how in BLOCKING]
        if blocking:
            result.unreviewed[lang] = blocking
    refused = {r.lang for r in refusals}
    release = ReleaseFiles.of(manifest_path, manifest)
    unstructured = missing_structure(release)
    if unstructured and "html" in formats:
        raise InputError(
            f"{manifest_path}: no web page can be made of this Markdown release: {unstructured}. Nothing was "
            "written; publish without --format html for its .docx documents"
        )
    if unstructured:
        result.withheld.append(f"no .md published: {unstructured}")
    plans = [LanguagePlan(manifest, lang, result.segments[lang]) for lang in langs if lang not in refused]
    with release_lock(ReleasePaths(release.folder, release.name)):
        render_json(reviewed_path(manifest_path))  # its copy, if a crash or a full disk left it behind the record
        with one_unit("publication"):  # the new files and the withdrawn ones: all or nothing
            result.paths = write_formats(release, PublishOptions(formats), plans, result.notes)
            result.withdrawn = withdraw_stale(release, langs, result.paths, refused, "html" in formats)
    if refusals:
        documents = {lang: paths[DOCUMENT] for lang, paths in result.paths.items()}
        message = describe(refusals, result.segments, documents, release.folder, gate_glossary)
        raise ReviewError("\n".join([message, *(f"  {w.line()}" for w in result.withdrawn)]))
    return result


def requested_languages(manifest_path: Path, manifest: dict[str, Any], langs: list[str] | None) -> list[str]:
    """The languages to publish: those asked for (each once), else all of the run's; one the run lacks refuses."""
    available = manifest.get("languages") or sorted({k for s in manifest["segments"] for k in (s.get("targets") or {})})
    langs = list(dict.fromkeys(langs or available))
    missing = [lang for lang in langs if lang not in available]
    if missing:
        raise ReviewError(
            f"{manifest_path}: run {manifest['run_id']} has no {', '.join(missing)} translation "
            f"(it has {', '.join(available)})."
        )
    return langs


def write_formats(
    release: ReleaseFiles, options: PublishOptions, plans: list[LanguagePlan], notes: dict[str, list[str]] | None = None
) -> dict[str, dict[str, Path]]:
    """Every format of the registry that applies, for each language: all built in memory and their links checked,
    then written. Returns lang → format name → path; what the formats left out goes to `notes` (lang → lines).
    The caller holds the release's lock."""
    formats = [f for f in REGISTRY if f.applies(release, options)]
    if len({f.name for f in formats}) != len(formats):
        raise RuntimeError(f"two publish formats with one name apply: {[f.name for f in formats]}")
    publications = {plan.lang: Publication(plan, release, options) for plan in plans}
    for publication in publications.values():
        for publish_format in formats:
            if publish_format.build is not None:
                publication.built[publish_format.name] = publish_format.build(publication)
    documents = {lang: publication.built[DOCUMENT] for lang, publication in publications.items()}
    check_links(release.manifest_path, release.manifest, documents)  # before anything is written
    with one_unit("publication"):
        written = {lang: {f.name: f.write(publication) for f in formats} for lang, publication in publications.items()}
    if notes is not None:
        notes.update({lang: p.notes for lang, p in publications.items() if p.notes})
    return written
