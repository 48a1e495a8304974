"""Numbers: every number of the English must be in the translation, read the way the target languages write them.

The English side: `2,300`, `3.5`, `2017`, and a number with a scale word (`5 million`, `1.2 billion`,
`3 thousand`) as its value. Numbers inside glossary terms are left to the term check.

The target side, after NFKC (full-width digits ２０１７ are digits): Arabic numbers with or without thousands
separators (`2,300` and `2300`), and numbers written with CJK numerals and multipliers: `500萬` / `500万` (5
million), `1億2000萬`, `五百萬`, `千円` (1,000), `二〇二五年` (2025), `第一` (1), Korean `500만` (5 million), `3억`
(300 million), `2천만` (20 million); the number words are the language registry's (pipeline/language/), the
union over all languages (a zh text never holds 만). A correct translation that writes
a number its own way is therefore not flagged, and a wrong digit (`241` for `214`) is.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from pipeline.language import ALL as ALL_LANGUAGES
from pipeline.qa.base import ERROR, Finding

_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_ENGLISH = re.compile(
    rf"(?<![\w.])({_ARABIC})(?:\s*-?\s*(thousand|million|billion|trillion)\b)?", re.IGNORECASE
)
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}

_DIGITS = {word: value for lang in ALL_LANGUAGES for word, value in lang.numeral_digits.items()}
_SMALL = {word: value for lang in ALL_LANGUAGES for word, value in lang.numeral_units.items()}
_LARGE = {word: value for lang in ALL_LANGUAGES for word, value in lang.numeral_multipliers.items()}
# Words of a language whose number words are also everyday syllables: a number only right after a digit
_NEED_DIGIT = {
    word
    for lang in ALL_LANGUAGES
    if lang.numerals_need_digit
    for word in (*lang.numeral_units, *lang.numeral_multipliers)
}
_TOKEN = re.compile(rf"({_ARABIC})|([{''.join(_DIGITS)}{''.join(_SMALL)}{''.join(_LARGE)}])")


def english_numbers(text: str) -> list[Decimal]:
    values = []
    for match in _ENGLISH.finditer(text):
        value = _decimal(match.group(1))
        if value is None:
            continue
        if match.group(2):
            value *= _SCALES[match.group(2).lower()]
        values.append(value.normalize())
    return values


def target_numbers(text: str) -> set[Decimal]:
    """Every number `text` writes, in any of the forms above (each run of numerals read as one value; an Arabic
    number is also read alone, so that `5百萬` counts both as 5,000,000 and as 5)."""
    folded = unicodedata.normalize("NFKC", text)
    values: set[Decimal] = set()
    run: list[tuple[str, str]] = []
    end = -1
    for match in _TOKEN.finditer(folded):
        if match.start() != end and run:
            values |= _read_run(run)
            # Korean writes a space after a multiplier (1억 2천만): the run goes on, and what it read so far
            # (1억) stays a value too.
            if folded[end : match.start()] != " " or run[-1][1] not in _LARGE:
                run = []
        if not run and match.group(2) in _NEED_DIGIT:
            continue  # 하지만, 인천: a syllable, not a number (500만 starts with its digits)
        run.append((match.group(1) or "", match.group(2) or ""))
        end = match.end()
    if run:
        values |= _read_run(run)
    return {v.normalize() for v in values}


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _read_run(run: list[tuple[str, str]]) -> set[Decimal]:
    values = {v for arabic, _ in run if arabic and (v := _decimal(arabic)) is not None}
    total = section = Decimal(0)
    current: Decimal | None = None
    previous_digit = False
    for arabic, numeral in run:
        if arabic:
            current = _decimal(arabic)
            previous_digit = False
            if current is None:
                return values
        elif numeral in _DIGITS:
            digit = Decimal(_DIGITS[numeral])
            current = current * 10 + digit if previous_digit and current is not None else digit  # 二〇二五
            previous_digit = True
        elif numeral in _SMALL:
            section += (current if current is not None else 1) * _SMALL[numeral]
            current, previous_digit = None, False
        else:
            total += (section + (current or 0) or 1) * _LARGE[numeral]
            section, current, previous_digit = Decimal(0), None, False
    values.add(total + section + (current or 0))
    return values


def check(source: str, target: str, lang: str, terms) -> list[Finding]:
    if not target.strip():
        return []
    english = source
    for term in sorted(terms, key=lambda t: -len(t.source)):
        if term.source:
            english = english.replace(term.source, " ")
    wanted = english_numbers(english)
    if not wanted:
        return []
    present = target_numbers(target)
    missing = [v for v in wanted if v not in present]
    if not missing:
        return []
    shown = ", ".join(dict.fromkeys(f"{v:,f}" for v in missing))
    return [Finding("number-missing", ERROR, f"number(s) of the English not in the translation: {shown}")]
