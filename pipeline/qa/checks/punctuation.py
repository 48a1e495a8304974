"""Repeated or mixed punctuation (`，，`, `。.`, `,,`), and a half-width comma between CJK characters (publish
makes it full-width, but in a reviewer's text it is usually a slip)."""

from __future__ import annotations

import re

from pipeline.language.script import HAN, KANA, char_class
from pipeline.qa.base import ERROR, WARNING, Finding, cjk

_MARKS = "，、。：；,;:！？!?．.｡､"
# Two marks in a row; "..." / "……" / "!!"-free: an ellipsis is three dots or two ……, and `?!` is allowed.
_PAIR = re.compile(f"[{re.escape(_MARKS)}]{{2,}}")
_ELLIPSIS = re.compile(r"\.{3,}|…+|。{3,}")
_LETTER = char_class(HAN, KANA)
_HALF_COMMA = re.compile(rf"(?<={_LETTER}),(?={_LETTER})")


def check(source: str, target: str, lang: str, terms) -> list[Finding]:
    findings: list[Finding] = []
    text = _ELLIPSIS.sub(" ", target)
    runs = [m.group() for m in _PAIR.finditer(text) if m.group() not in ("?!", "！？", "?！", "！?", "!?", "？！")]
    if runs:
        shown = " ".join(dict.fromkeys(runs))
        findings.append(Finding("punctuation-repeated", ERROR, f"repeated or mixed punctuation: {shown}"))
    if cjk(lang) and _HALF_COMMA.search(target):
        findings.append(Finding("half-width-comma", WARNING, "half-width comma , between CJK characters (use ，or 、)"))
    return findings
