"""Where two texts first differ, shown with a few words either side: what a refusal quotes.

A Find & Replace across the English column changes one word in many long rows; quoting both texts cut at 60
characters showed identical quotes. `show_difference` quotes the first differing place instead:

    …predecessor institutions «trained» Kitasato Shibasaburō… — the run has …institutions «educated» Kitasato…

The context is up to `words` whitespace-separated words either side; text with no spaces there (Chinese, Japanese)
gets up to `chars` characters instead. The differing part is shown between « and », and «» marks where text was
added or removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Difference", "first_difference", "quote_pair", "show_difference"]


@dataclass(frozen=True)
class Difference:
    start: int  # index of the first differing character (same in both texts)
    got: str  # the differing part of the first text
    expected: str  # the differing part of the second text
    before: str  # context before (shared)
    after_got: str  # context after, in each text
    after_expected: str


def _tail(text: str, words: int, chars: int) -> str:
    tokens = re.split(r"(\s+)", text)
    if len(text) > chars and len(tokens) < 3:  # no spaces near the end (CJK): characters
        return text[-chars:]
    kept = "".join(tokens[-(2 * words) :])
    return (kept if len(kept) <= 6 * chars else kept[-6 * chars :]).lstrip()


def _head(text: str, words: int, chars: int) -> str:
    tokens = re.split(r"(\s+)", text)
    if len(text) > chars and len(tokens) < 3:
        return text[:chars]
    kept = "".join(tokens[: 2 * words])
    return (kept if len(kept) <= 6 * chars else kept[: 6 * chars]).rstrip()


def first_difference(got: str, expected: str, *, words: int = 3, chars: int = 10) -> Difference | None:
    """The first place `got` and `expected` differ (None when equal)."""
    if got == expected:
        return None
    start = 0
    limit = min(len(got), len(expected))
    while start < limit and got[start] == expected[start]:
        start += 1
    end = 0  # common suffix, not overlapping the common prefix
    while end < limit - start and got[len(got) - 1 - end] == expected[len(expected) - 1 - end]:
        end += 1
    # Widen to whole words where the texts have spaces, so "traind" vs "trained" reads as words.
    while start > 0 and _wordish(got[start - 1]) and _wordish(got[start] if start < len(got) else expected[start]):
        start -= 1
    while end > 0 and _wordish(got[len(got) - end]) and _wordish(got[len(got) - end - 1]) and end - 1 >= 0:
        end -= 1
    got_part, expected_part = got[start : len(got) - end], expected[start : len(expected) - end]
    return Difference(
        start=start,
        got=got_part,
        expected=expected_part,
        before=_tail(got[:start], words, chars),
        after_got=_head(got[len(got) - end :] if end else "", words, chars),
        after_expected=_head(expected[len(expected) - end :] if end else "", words, chars),
    )


def _wordish(ch: str) -> bool:
    return ch.isalnum() and ord(ch) < 0x2E80  # Latin-script letters and digits; CJK characters are words alone


def _quote(before: str, part: str, after: str, full: str, start: int) -> str:
    lead = "…" if start - len(before) > 0 else ""
    trail = "…" if not full.endswith(after) or (start + len(part) + len(after)) < len(full) else ""
    return f"“{lead}{before}«{part}»{after}{trail}”".replace("\n", "⏎")


def quote_pair(got: str, expected: str, *, words: int = 3, chars: int = 10) -> tuple[str, str]:
    """Both texts quoted at their first differing place: (“…context «got» context…”, “…«expected»…”)."""
    diff = first_difference(got, expected, words=words, chars=chars)
    if diff is None:
        return "(identical)", "(identical)"
    return (
        _quote(diff.before, diff.got, diff.after_got, got, diff.start),
        _quote(diff.before, diff.expected, diff.after_expected, expected, diff.start),
    )


def show_difference(got: str, expected: str, *, words: int = 3, chars: int = 10) -> str:
    """“…context «got» context…”, the run has “…context «expected» context…” (or “(identical)”)."""
    shown_got, shown_expected = quote_pair(got, expected, words=words, chars=chars)
    if shown_got == "(identical)":
        return shown_got
    return f"{shown_got}, the run has {shown_expected}"
