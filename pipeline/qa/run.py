"""Running the registry on one segment, and the terms it is given at each of the three points."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pipeline.core.release import Flag, Segment, Translation
from pipeline.files.manifest import verbatim_spans
from pipeline.qa.base import Finding, Term
from pipeline.qa.checks import REGISTRY

DEMO_SKIPS = ("untranslated",)
PLACEHOLDER = "〓"  # stands for text kept verbatim (another language), which no check judges


def prepared_source(source: str, verbatim: Iterable[tuple[int, int]] = ()) -> str:
    """The English with spans kept verbatim (another language, copied as is) blanked out."""
    text = source
    for start, end in sorted(verbatim, reverse=True):
        text = text[:start] + " " + text[end:]
    return text


def check_segment(
    source: str,
    target: str,
    lang: str,
    terms: Sequence[Term],
    *,
    verbatim: Iterable[tuple[int, int]] = (),
    demo: bool = False,
) -> list[Finding]:
    """Every finding of the registry's checks for one segment's translation.

    `verbatim`: (start, end) offsets into `source` of text kept in another language; it is left out of the English
    and, where the translation holds it as is, out of the translation too.
    `demo`: the run's model is the DEMO copy model (its output is the English by design, and every document of
    the run says so in red): the untranslated check would only repeat that, so it is not run.
    """
    spans = list(verbatim)
    kept = sorted({source[s:e] for s, e in spans if source[s:e].strip()}, key=len, reverse=True)
    english = prepared_source(source, spans)
    text = target
    for piece in kept:
        text = text.replace(piece, PLACEHOLDER)
    names = [name for name in REGISTRY if not (demo and name in DEMO_SKIPS)]
    findings: list[Finding] = []
    for name in names:
        findings += REGISTRY[name](english, text, lang, terms)
    return findings


def _term(use: Any) -> Term:
    if isinstance(use, dict):
        return Term(use.get("source", ""), use.get("target", ""), use.get("status", "approved"), use.get("entry_id", ""))
    return Term(use.source, use.target, getattr(use, "status", "approved"), getattr(use, "entry_id", ""))


def terms_from_manifest(target: dict[str, Any]) -> list[Term]:
    """The terms a run recorded for one segment and language (manifest `targets.<lang>.terms`)."""
    return [_term(t) for t in target.get("terms") or [] if isinstance(t, dict) and t.get("target")]


def terms_from_glossary(glossary, source: str, lang: str, verbatim: Iterable[tuple[int, int]] = ()) -> list[Term]:
    """The terms the (current) glossary finds in `source` outside the verbatim spans, with their `lang` form."""
    spans = list(verbatim)
    terms = []
    for match in glossary.find(source):
        if any(match.start < end and start < match.end for start, end in spans):
            continue
        target = match.target(lang)
        if target is not None:
            terms.append(Term(match.text, target, match.status_for(lang), match.entry.id))
    return terms


def segment_terms(segment: dict[str, Any], lang: str, glossary) -> list[Term]:
    """The terms a manifest segment's `lang` text must hold (`review import`, the publish gate): the current
    glossary's, found outside the verbatim spans; without a glossary, those the run recorded."""
    if glossary is not None:
        return terms_from_glossary(glossary, segment["source"], lang, verbatim_spans(segment))
    return terms_from_manifest((segment.get("targets") or {}).get(lang) or {})


def check_translation(segment: Segment, translation: Translation, *, demo: bool = False) -> list[Finding]:
    """The findings for a translation the run produced (machine or memory text); none for a verbatim copy."""
    if translation.origin == "verbatim":
        return []
    spans = [(s.start, s.end) for s in segment.verbatim_spans()]
    terms = [_term(t) for t in translation.terms]
    return check_segment(
        segment.source, translation.text, translation.lang, terms, verbatim=spans, demo=demo and translation.origin == "machine"
    )


# Flags the translate stage already raised that say what a finding would say again.
_SAID_BY = {"term-missing": ("glossary-missing", "memory-outdated"), "empty": ()}


def run_checks(segments: list[Segment], translations: list[Translation], *, demo: bool = False) -> None:
    """`translate run`: add each finding to its translation's flags (Notes of the review document, manifest)."""
    for segment, translation in zip(segments, translations):
        have = {flag.code for flag in translation.flags}
        for finding in check_translation(segment, translation, demo=demo):
            if have & set(_SAID_BY.get(finding.code, ())):
                continue
            message = finding.message
            if finding.code == "empty":
                message = "the model returned nothing for this segment" if translation.origin == "machine" else message
            translation.flags.append(Flag(finding.code, message, finding.severity))
