"""The loaded glossary: its entries, one matcher over all their English forms, and its titles table.

Above the data model (`model`), the matcher (`match`) and the titles table (`people.titles`); `load` builds it.
"""

from __future__ import annotations

import contextlib
import gc
from pathlib import Path

from pipeline.glossary.match import Matcher
from pipeline.glossary.model import CACHED_TEXT_CHARS, Entry, Match
from pipeline.glossary.people.titles import HouseStyle, TitleTable, default_table

__all__ = ["FIND_MEMO", "Glossary", "no_gc"]

FIND_MEMO = 4096  # texts whose matches a Glossary remembers


@contextlib.contextmanager
def no_gc():
    """Pause the cyclic garbage collector: building 100,000s of small objects (YAML nodes, entries) that are all
    kept otherwise triggers repeated full collections that cost more than the parsing itself."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Glossary:
    """Entries loaded from a file or folder, with one automaton over all their English forms.

    `hash` identifies the glossary's content (it goes into the manifest and the review documents);
    `find(text)` gives the matches in `text`, non-overlapping, sorted by start.
    """

    def __init__(
        self,
        path: Path,
        entries: list[Entry],
        hash: str,
        files: list[Path] | None = None,
        titles: TitleTable | None = None,
        house_style: HouseStyle | None = None,
    ):
        self.path = path
        self._titles = titles  # None: the shipped default table
        self._house_style = house_style
        self.entries = entries
        self.hash = hash
        self.files = files if files is not None else [path]
        self._matcher: Matcher | None = None
        self._found: dict[str, tuple[Match, ...]] = {}  # text → its matches (see find)
        self._by_id = {e.id: e for e in entries}

    def __repr__(self) -> str:
        return f"Glossary({str(self.path)!r}, {len(self.entries)} entries, hash={self.hash})"

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    @property
    def titles(self) -> TitleTable:
        """The titles table (`titles:` in a YAML file, else the shipped default): pipeline.glossary.people.titles."""
        if self._titles is None:
            self._titles = default_table()
        return self._titles

    @property
    def house_style(self) -> HouseStyle:
        if self._house_style is None:
            self._house_style = HouseStyle()
        return self._house_style

    def find(self, text: str) -> list[Match]:
        """The glossary forms in `text`, in order (a new list each call; the matches are shared: don't change
        them). Remembered for the last few thousand texts: an import asks for each English sentence once per
        language and again for its checks."""
        found = self._found.get(text)
        if found is None:
            if self._matcher is None:
                with no_gc():
                    self._matcher = Matcher(self.entries)
            found = tuple(self._matcher.find(text))
            if len(text) <= CACHED_TEXT_CHARS:
                if len(self._found) >= FIND_MEMO:
                    self._found.clear()
                self._found[text] = found
        return list(found)
