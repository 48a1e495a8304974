"""Where a release can name something the glossary lacks, for `glossary suggest` (uncovered.py, people/suggest.py).

Most of what suggest used to list wrongly was a name-shaped string in a place that holds no names. The source
model already knows those places; a plain text gets the same from its lines:

* **release information** (`pipeline.source.release_lines`: `EMBARGOED UNTIL 10:00 TAIPEI TIME, DECEMBER 3`,
  `FOR IMMEDIATE RELEASE`, `###`) names nothing: no name, no acronym, no person is read from it;
* **datelines** (the segmenter's DATELINE segments: `(中央社訊息服務20251127 16:22:39)`, `KAOHSIUNG, Taiwan,
  March 12, 2026 —`) name nothing either;
* **headings** name no multi-word name and no person (their acronyms still count): the title (the segmenter's
  TITLE paragraph), a Markdown heading, and a heading-like line of any release (at most 8 words and 60
  characters, without a comma, colon or semicolon inside and without sentence punctuation at its end: `About
  KMU`, `Current Situation`, `Background`). The names of a heading come again in the text under it;
* **list items** (a Markdown list item; a line starting with a bullet or a number: `• Gets CT imaging`, `- Detects
  MAFLD`, `1. Visited …`): the item's first word is capitalised because it comes first, and is part of a name
  only where the release gives evidence that it is a name's word (see `NameLayout.name_word`);
* **link text** (a Markdown or Word hyperlink's text: `[KMU International Affairs](https://…)`) is a label, not a
  name, unless it holds an institution's head noun (`[Office of Global Engagement](…)`, uncovered.HEADS).

Evidence that a capitalised word is a name's word rather than a sentence's first word: the release capitalises
it in the middle of a sentence somewhere (`Kaohsiung`), or it is a hyphenated given name (`Mei-Ling`). Evidence
that it is an ordinary word: the release writes it in lowercase somewhere (`visited`). Headings and title-case
lines give no evidence (every word of them is capitalised).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.core.release import DATELINE, TITLE, Release
from pipeline.source.release_lines import is_release_information
from pipeline.source.segment import segment_release

__all__ = ["NameLayout", "looks_like_headline", "release_layout", "text_layout"]

_WORDS = re.compile(r"[^\W\d_][\w]*(?:[-‐‑–'’][^\W_][\w]*)*")
_BULLET = re.compile(r"\s*(?:[•◦▪▫‣⁃●○■□➢➤►–—*+-]|\(?(?:\d{1,3}|[a-z])[.)])\s+")
_HEADING_MAX_WORDS = 8
_HEADING_MAX_CHARS = 60
_HYPHENATED_NAME = re.compile(r"^[A-Z][a-z]+-[A-Za-z][a-z]+$")  # Mei-Ling, Jae-won
# What may stand right before a word in the middle of a sentence (after spaces): a letter or digit, a comma, a
# closing bracket or quote. After anything else (start of line, . ! ? : ; an opening quote, a dash, a bullet) a
# capital says nothing.
_MID_SENTENCE_BEFORE = set(",)]’'”")


@dataclass
class NameLayout:
    """What suggest needs to know about a text (`text.split("\\n")` are its paragraphs), from its structure."""

    headings: set[int] = field(default_factory=set)  # paragraph numbers (0-based): no multi-word names, no people
    items: set[int] = field(default_factory=set)  # list items: their first word is positional
    quiet: set[int] = field(default_factory=set)  # release information: nothing at all
    skipped: list[tuple[int, int]] = field(default_factory=list)  # text offsets naming nothing (datelines)
    links: list[tuple[int, int]] = field(default_factory=list)  # text offsets of link text
    capitalised: set[str] = field(default_factory=set)  # words the release capitalises mid-sentence
    lowercase: set[str] = field(default_factory=set)  # words the release writes in lowercase

    def name_word(self, word: str) -> bool:
        """Is there evidence that a capitalised `word` at the start of a sentence or item is a name's word?"""
        return word in self.capitalised or _HYPHENATED_NAME.match(word) is not None

    def ordinary_word(self, word: str) -> bool:
        """Is there evidence that `word` is an ordinary word, capitalised only where a sentence starts?"""
        return word.lower() in self.lowercase and not self.name_word(word)

    def in_link(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.links)


def looks_like_headline(paragraph: str) -> bool:
    """A title-case line (`KMU Signs Collaboration Agreement with Kumamoto University`): most words of more than
    three letters capitalised, at most 25 words, no final sentence punctuation."""
    tokens = _WORDS.findall(paragraph)
    words = [t for t in tokens if len(t) > 3]
    if len(tokens) > 25 or not words or paragraph.rstrip().endswith((".", "!", "?", "。")):
        return False
    return sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _heading_like(line: str) -> bool:
    stripped = line.strip()
    words = stripped.split()
    return (
        0 < len(words) <= _HEADING_MAX_WORDS
        and len(stripped) <= _HEADING_MAX_CHARS
        and not re.search(r"[,;:]\s", stripped)
        and stripped[-1] not in ".!?。,;:"
        and any(ch.isalpha() for ch in stripped)
    )


def text_layout(text: str) -> NameLayout:
    """The layout of a plain text, from its lines alone (release information, heading-like lines, bullets)."""
    layout = NameLayout()
    for number, line in enumerate(text.split("\n")):
        if is_release_information(line):
            layout.quiet.add(number)
        elif _BULLET.match(line):
            layout.items.add(number)
        elif _heading_like(line) or looks_like_headline(line):
            layout.headings.add(number)
    _collect_evidence(text, layout)
    return layout


def release_layout(release: Release) -> NameLayout:
    """The layout of a release's text (`release.text`): the plain text's, with what the source model marks
    (the segmenter's title and datelines, a Markdown file's headings and list items, hyperlinks' text)."""
    if not release.paragraphs:
        segment_release(release)
    layout = NameLayout()
    text = release.text
    starts = _paragraph_starts(release.paragraphs_text)
    kept = [k for k, t in enumerate(release.paragraphs_text) if t.strip()]
    plain = text_layout(text)
    layout.quiet, layout.items = set(plain.quiet), set(plain.items)
    layout.headings = set(plain.headings)
    aligned = len(release.origins) == len(release.paragraphs_text)
    for k, origin in enumerate(release.origins if aligned else []):
        kind = origin.get("kind") if isinstance(origin, dict) else None
        if kind == "heading":
            layout.headings.add(k)
        elif kind == "item":
            layout.items.add(k)
            layout.headings.discard(k)  # a short item is an item, not a heading
    for para, k in zip(release.paragraphs, kept):
        raw = release.paragraphs_text[k]
        position = starts[k] + len(raw) - len(raw.lstrip())
        for segment in para.segments:
            if segment.kind == TITLE:
                layout.headings.add(k)
            elif segment.kind == DATELINE:
                layout.skipped.append((position, position + len(segment.source)))
            position += len(segment.source) + len(segment.trailing)
    marks_aligned = len(release.paragraph_marks) == len(release.paragraphs_text)
    for k, marks in enumerate(release.paragraph_marks if marks_aligned else []):
        layout.links += [(starts[k] + m.start, starts[k] + m.end) for m in marks if m.kind == "a"]
    _collect_evidence(text, layout)
    return layout


def _paragraph_starts(paragraphs: list[str]) -> list[int]:
    starts, position = [], 0
    for paragraph in paragraphs:
        starts.append(position)
        position += len(paragraph) + 1
    return starts


def _collect_evidence(text: str, layout: NameLayout) -> None:
    """Fill `capitalised` and `lowercase` from the paragraphs that are sentences (not headings, title-case lines,
    release information)."""
    for number, line in enumerate(text.split("\n")):
        if number in layout.headings or number in layout.quiet or (number not in layout.items and looks_like_headline(line)):
            continue
        for m in _WORDS.finditer(line):
            word = m.group()
            if word.islower():
                layout.lowercase.add(word)
            elif word[0].isupper() and _mid_sentence(line, m.start()):
                layout.capitalised.add(re.sub(r"['’]s?$", "", word))


def _mid_sentence(line: str, start: int) -> bool:
    j = start
    while j > 0 and line[j - 1] == " ":
        j -= 1
    if j == start or j == 0:
        return False
    before = line[j - 1]
    return before.isalnum() or before in _MID_SENTENCE_BEFORE
