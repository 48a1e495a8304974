"""Glossary terms: every term found in the English must appear in its glossary form (width- and space-tolerant,
like `translate glossary check --against`). An approved term missing is an error, a proposed one a warning."""

from __future__ import annotations

from pipeline.glossary.terms import contains_target
from pipeline.qa.base import ERROR, WARNING, Finding


def check(source: str, target: str, lang: str, terms) -> list[Finding]:
    if not target.strip():
        return []  # the empty check says it
    findings: list[Finding] = []
    seen: set[str] = set()
    for term in terms:
        if term.target in seen or contains_target(target, term.target, lang):
            continue
        seen.add(term.target)
        if term.status == "approved":
            findings.append(Finding("term-missing", ERROR, f"{term.source} must be rendered {term.target}"))
        else:
            findings.append(
                Finding("proposed-term-missing", WARNING, f"{term.source}: the glossary proposes {term.target} (not approved)")
            )
    return findings
