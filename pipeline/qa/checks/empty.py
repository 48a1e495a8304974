"""An empty target for an English segment that has text."""

from __future__ import annotations

from pipeline.qa.base import ERROR, Finding


def check(source: str, target: str, lang: str, terms) -> list[Finding]:
    if source.strip() and not target.strip():
        return [Finding("empty", ERROR, "the translation is empty")]
    return []
