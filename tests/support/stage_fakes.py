"""Stand-ins for the translate stage's inputs: a two-term glossary found by plain search, and segments built from
plain sentences (with verbatim spans where asked)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.core.release import SENTENCE, TEXT, VERBATIM, Segment, Span


@dataclass
class FakeEntry:
    id: str
    targets: dict
    status: str = "approved"

    def target(self, lang):
        return self.targets.get(lang)


@dataclass
class FakeMatch:
    start: int
    end: int
    text: str
    entry: FakeEntry

    def target(self, lang):
        return self.entry.target(lang)

    def status_for(self, lang):
        return self.entry.status


class FakeGlossary:
    """Two terms, found by plain search: the stage's contract, not the real matcher (tested elsewhere)."""

    entries = {
        "Kumamoto University": FakeEntry("kumamoto-university", {"zh-TW": "熊本大學", "ja": "熊本大学"}),
        "Hisao Ogawa": FakeEntry("hisao-ogawa", {"zh-TW": "小川久雄", "ja": "小川久雄"}, "proposed"),
    }

    def find(self, text):
        found = []
        for term, entry in self.entries.items():
            for m in re.finditer(re.escape(term), text):
                found.append(FakeMatch(m.start(), m.end(), term, entry))
        return sorted(found, key=lambda m: m.start)


def seg(source: str, n: int = 1, verbatim: list[tuple[int, int]] = ()) -> Segment:
    spans, cursor = [], 0
    for start, end in verbatim:
        if start > cursor:
            spans.append(Span(cursor, start, TEXT))
        spans.append(Span(start, end, VERBATIM, "zh"))
        cursor = end
    if cursor < len(source):
        spans.append(Span(cursor, len(source), TEXT))
    return Segment(f"p01.s{n:02d}", SENTENCE, 1, n, source, " ", spans)


SENTENCES = [
    "Kumamoto University President Prof. Hisao Ogawa signed the agreement.",
    "He visited Kumamoto University in 2017.",
    "No term here, just 6,000 beds.",
]
