"""English press-release datelines at the start of the first body paragraph.

    KAOHSIUNG, Taiwan, March 12, 2026 — Kaohsiung Medical University ...
    TAIPEI (Nov. 5) — ...
    KUMAMOTO, Japan (March 12, 2026) -- ...
    TOKYO, Nov. 5 – ...

A dateline is a place in capitals (one or more words: `NEW TAIPEI CITY`), optionally followed by `, Region`
words, and a date (after a comma or in parentheses), then a dash (—, –, -- or a spaced hyphen). Its end is where
the release's own first sentence starts. The Chinese news-wire dateline in brackets is `segment.dateline_end`.
"""

from __future__ import annotations

import re

__all__ = ["english_dateline_end"]

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?|\d{4}-\d{2}-\d{2}|\d{1,2}\s+" + _MONTH + r"(?:\s+\d{4})?"
_PLACE = r"[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+)*"  # KAOHSIUNG, NEW TAIPEI CITY, ST. LOUIS
_REGION = r"(?:,\s+[A-Z][A-Za-z.'’-]*(?:\s+[A-Z][A-Za-z.'’-]*)*)"  # ", Taiwan", ", Japan"
_DASH = r"(?:—|–|--|\s-)"
_DATELINE = re.compile(
    rf"(?P<place>{_PLACE})(?P<more>(?:{_REGION}){{0,2}}"
    rf"(?:,\s+(?:{_DATE})|\s*\(\s*(?:{_DATE})\s*\))?)"
    rf"\s*{_DASH}"
)


def english_dateline_end(text: str) -> int:
    """End offset (after the dash) of an English dateline at the very start of `text`, or 0 when there is none.

    The place must be in capitals (5 letters at least when neither a region nor a date follows it: `KMU —` is an
    acronym), and the dateline must be followed by more text."""
    m = _DATELINE.match(text)
    if m is None:
        return 0
    letters = sum(ch.isalpha() for ch in m.group("place"))
    # a place alone before the dash needs 5 letters (TOKYO —, not an acronym: KMU —); with a region or date, 3
    if letters < (3 if m.group("more") else 5) or not text[m.end() :].strip():
        return 0
    return m.end()
