"""Bare surnames in a segment: "Tanaka said …" after "Osaka University Professor Hiroshi Tanaka" (docs/glossary.md,
"Later mentions without a title"). The mention resolver (`mentions.py`) decides whom each one is.

A capitalised word is taken for a later mention of a person named earlier when all of these hold:

* it is written exactly as the family name (case-sensitive; `Tanaka's` counts, `tanaka` does not);
* it stands alone: no capitalised word is joined to it before or after (`Chen Hospital`, `Science Park`,
  `Mei-Ling Chen`, `Tanaka Lab`), nor a hyphen (`Chen-led`, `Ming-Lung`); a sentence opener or a day before it
  (`Then Tanaka said`, `On Monday Kim noted`) does not join;
* it is not a month or a day (`May`, `June`);
* at the start of a sentence, a family name that is also an everyday English word is taken for the word when the
  release writes that word in lower case elsewhere (`Young researchers …` where the release says "young").

The caller leaves out hits inside glossary terms (an institution named after a person, `Chen Hospital` in the
glossary), verbatim spans and other mentions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.glossary.uncovered import CALENDAR

__all__ = ["OPENERS", "find_bare_surnames", "lowercase_words"]

_JOINERS = "‐‑–'’-"
_SENTENCE_END = ".!?"
_BOUNDARY_PUNCT = ",;:!?)]\"”’—–"
# Capitalised words that do not belong to a name before them: they start a sentence or a clause.
OPENERS = frozenset({
    "The", "Then", "But", "And", "Or", "So", "Yet", "When", "While", "As", "Also", "After", "Before", "Both",
    "Meanwhile", "Later", "Here", "There", "Now", "Today", "Yesterday", "Finally", "However", "In", "At", "On",
    "For", "With", "According", "If", "Since", "Because", "Although", "Where", "Thus", "Moreover", "Next",
    "Earlier", "Afterwards", "Together", "Similarly", "Furthermore",
})  # fmt: skip
_LOWER_WORD = re.compile(r"\b[a-z]+\b")
_PREVIOUS = re.compile(r"(\S+) $")


def lowercase_words(texts: Iterable[str]) -> frozenset[str]:
    """The words a release writes in lower case (for the everyday-word rule)."""
    return frozenset(w for text in texts for w in _LOWER_WORD.findall(text))


def find_bare_surnames(text: str, families: Iterable[str], lowercase: frozenset[str]) -> list[tuple[int, int, str]]:
    """(start, end, family name) of each standalone family name in `text`; `end` is before a possessive."""
    names = sorted({f for f in families if f and f not in CALENDAR}, key=len, reverse=True)
    if not names:
        return []
    pattern = re.compile(rf"(?<![\w{_JOINERS}])(?:{'|'.join(map(re.escape, names))})(?![\w‐‑–-])")
    hits = []
    for m in pattern.finditer(text):
        start, end, family = m.start(), m.end(), m.group()
        possessive = re.match(r"['’]s?(?!\w)", text[end:])
        if possessive is None and text.startswith(("'", "’"), end):
            continue  # an apostrophe inside a word (O'Brien is not O)
        if possessive is None and re.match(r" [A-Z]", text[end:]):
            continue  # `Chen Hospital`, `Tanaka Lab`: part of a longer name
        joined, sentence_start = _before(text, start)
        if joined:
            continue
        if sentence_start and family.lower() in lowercase:
            continue
        hits.append((start, end, family))
    return hits


def _before(text: str, start: int) -> tuple[bool, bool]:
    """(a capitalised word of a name is right before `start`, `start` begins a sentence)."""
    head = text[:start]
    stripped = head.rstrip(" \"“‘(")
    if not stripped:
        return False, True
    previous = _PREVIOUS.search(head)
    if previous is None:
        return False, stripped[-1] in _SENTENCE_END
    word = previous.group(1)
    if word[-1] in _SENTENCE_END:
        return False, True
    if word[-1] in _BOUNDARY_PUNCT or not word[0].isupper():
        return False, False
    if word in OPENERS or word in CALENDAR:
        return False, head[: previous.start()].rstrip() == "" or head[: previous.start()].rstrip()[-1:] in _SENTENCE_END
    return True, False
