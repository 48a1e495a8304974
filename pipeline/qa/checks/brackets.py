"""Unbalanced quotation marks and brackets: 「」『』（）()【】《》〈〉“”. Checked only where the English is balanced itself
(a quotation may span two sentences, and then neither segment is)."""

from __future__ import annotations

import re

from pipeline.qa.base import ERROR, Finding

PAIRS = {"「": "」", "『": "』", "（": "）", "(": ")", "【": "】", "《": "》", "〈": "〉", "“": "”", "〔": "〕"}
_CLOSERS = {close: open_ for open_, close in PAIRS.items()}
_MARKS = re.compile("[" + re.escape("".join(PAIRS) + "".join(_CLOSERS)) + "]")


def balanced(text: str) -> str | None:
    """None if every bracket and quotation mark in `text` closes in order, else what is wrong."""
    stack: list[str] = []
    for ch in _MARKS.findall(text):  # the marks only: most rows have none or two
        if ch in PAIRS:
            stack.append(ch)
        elif ch in _CLOSERS:
            if not stack or stack[-1] != _CLOSERS[ch]:
                return f"{ch} without its {_CLOSERS[ch]}"
            stack.pop()
    if stack:
        return f"{stack[-1]} not closed by {PAIRS[stack[-1]]}"
    if text.count('"') % 2:
        return 'an odd number of " marks'
    return None


def check(source: str, target: str, lang: str, terms) -> list[Finding]:
    if balanced(source) is not None:
        return []
    problem = balanced(target)
    if problem is None:
        return []
    return [Finding("unbalanced-brackets", ERROR, f"unbalanced quotation marks or brackets: {problem}")]
