"""The institutional-name glossary: load it, find its terms in English text, check it (docs/glossary.md).

    glossary = load_glossary(default_glossary_path() or Path("glossaries"))
    for match in glossary.find(segment.source):        # non-overlapping, sorted by start, longest first
        match.start, match.end, match.text, match.entry.id, match.entry.status
        match.target("zh-TW")                           # what the translation must contain for this occurrence

Use `Match.target(lang)` rather than `match.entry.target(lang)`: for an abbreviation (`KMU` → zh-TW `高醫`) and for
a name followed by its abbreviation (`Kaohsiung Medical University (KMU)` → `高雄醫學大學（高醫）`) they differ.
"""

from __future__ import annotations

from pipeline.glossary.load import default_glossary_path, load_glossary, read_entries
from pipeline.glossary.glossary import Glossary
from pipeline.glossary.model import DO_NOT_TRANSLATE, KINDS, STATUSES, Entry, Match, Problem
from pipeline.glossary.uncovered import find_uncovered_names

__all__ = [
    "DO_NOT_TRANSLATE",
    "KINDS",
    "STATUSES",
    "Entry",
    "Glossary",
    "Match",
    "Problem",
    "default_glossary_path",
    "find_uncovered_names",
    "load_glossary",
    "read_entries",
]
