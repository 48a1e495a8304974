"""Checks after translation: things a model gets wrong that a reviewer must see (flags in Notes)."""

from __future__ import annotations

import re
import unicodedata

from .document import Flag, Segment, Translation

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _numbers(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKC", text)  # full-width digits count as digits
    return [m.group(0).replace(",", "").rstrip(".") for m in _NUMBER.finditer(folded)]


def check_numbers(segment: Segment, translation: Translation) -> list[Flag]:
    """Every number in the English (1,000-yen, 2017, 70 courses) must appear in the translation."""
    if translation.origin == "verbatim":
        return []
    verbatim = "".join(segment.source[s.start : s.end] for s in segment.verbatim_spans())
    expected = _numbers(segment.source)
    for number in _numbers(verbatim):
        expected.remove(number)
    present = _numbers(translation.text)
    missing = [n for n in expected if n not in present]
    if not missing:
        return []
    return [Flag("number-missing", "Number(s) not found in translation: " + ", ".join(missing))]


def check_not_empty(segment: Segment, translation: Translation) -> list[Flag]:
    if segment.source.strip() and not translation.text.strip():
        return [Flag("empty", "The model returned nothing for this segment")]
    return []


CHECKS = (check_not_empty, check_numbers)


def run_checks(segments: list[Segment], translations: list[Translation]) -> None:
    for segment, translation in zip(segments, translations):
        for check in CHECKS:
            translation.flags.extend(check(segment, translation))
