"""Finding glossary forms in English text: one Aho-Corasick automaton over every form of every entry.

Rules (docs/glossary.md, "Matching"):

* longest match first: `Kumamoto University` wins over `Kumamoto`; matches never overlap;
* word boundaries: no match starts or ends inside a word (`KMU` is found in `KMU’s` and `(KMU)`, not in
  `KMUs`); a possessive `’s` or `'s` stays outside the match;
* case: per entry (`case_sensitive`), automatically exact for forms with an uppercase letter;
* typography does not matter: curly and straight apostrophes and quotes, the dashes (‐ ‑ – — −) and the hyphen,
  and the kinds of space (no-break, thin, line break) match each other;
* a name followed by its own abbreviation in parentheses, `Kaohsiung Medical University (KMU)`, is one match
  ("name+abbreviation") whose target is `高雄醫學大學（高醫）`; likewise `EMI (English-Medium Instruction)`;
* invisible format characters (zero-width joiner and space, word joiner, soft hyphen, ...: `invisible.py`) do not
  count: the text is matched without them and a match covers those inside it;
* a form that would match ordinary words (`unmatchable`: fewer than 2 letters or digits, or a common word such as
  `the` or `of` that is not an acronym written exactly) is never matched; `glossary check` reports it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.glossary.invisible import visible, visible_copy
from pipeline.glossary.model import Entry, Match

__all__ = ["COMMON_WORDS", "MIN_FORM_CHARACTERS", "Matcher", "fold", "lower", "unmatchable"]

_FOLD = {}
for _ch in "\u2018\u2019\u201a\u201b\u2032\u02bc\uff07":
    _FOLD[ord(_ch)] = "'"
for _ch in "\u201c\u201d\u201e\u201f\u2033\uff02":
    _FOLD[ord(_ch)] = '"'
for _ch in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d":
    _FOLD[ord(_ch)] = "-"
for _ch in "\t\n\r\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f":
    _FOLD[ord(_ch)] = " "
_FOLD_TABLE = str.maketrans(_FOLD)


_ASCII_SPACES = ("\t", "\n", "\r")


def fold(text: str) -> str:
    """Typographic variants to one form, character for character (offsets stay valid)."""
    if text.isascii():
        return text.translate(_FOLD_TABLE) if any(ch in text for ch in _ASCII_SPACES) else text
    return text.translate(_FOLD_TABLE)


@lru_cache(maxsize=4096)
def _lower1(ch: str) -> str:
    low = ch.lower()
    return low if len(low) == 1 else ch


def lower(text: str) -> str:
    """Lowercase, character for character (offsets stay valid, unlike `str.lower` for 'İ')."""
    if text.isascii():
        return text.lower()
    return "".join(map(_lower1, text))


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


# Letters or digits an English form needs (`_TWO_ALNUM` looks for them): `a`, `I`, `&` would replace ordinary words.
MIN_FORM_CHARACTERS = 2
# Function words: as a glossary form each would replace the word in every sentence that has it. An acronym written
# in capitals and matched exactly (`IT`, `OR`, `US`) is not one of them.
COMMON_WORDS = frozenset(
    "a an the and or nor but if of in on at to for by from with as into onto than then so is are was were be been "
    "it its this that these those he she we they you his her our their not no yes all any some".split()
)

_LONGEST_COMMON_WORD = max(map(len, COMMON_WORDS))
_TWO_ALNUM = re.compile(r"[^\W_].*?[^\W_]", re.DOTALL)  # two letters or digits (\w without the underscore)


def unmatchable(form: str, case_sensitive: bool) -> tuple[str, str] | None:
    """(`glossary check` code, why) when the English form `form` is never matched because it would replace
    ordinary words; None when it is matched. `case_sensitive`: whether the form matches only exactly as written
    (`Entry.form_is_case_sensitive`)."""
    shown = visible(fold(form)).strip()
    if _TWO_ALNUM.search(shown) is None:
        return "short-form", f"has fewer than {MIN_FORM_CHARACTERS} letters or digits"
    if len(shown) > _LONGEST_COMMON_WORD:
        return None
    acronym = case_sensitive and len(shown) > 1 and shown.isupper()
    if lower(shown) in COMMON_WORDS and not acronym:
        return "common-word", "is a common English word"
    return None


_RANK = {"name": 0, "variant": 1, "abbreviation": 2}
_OPEN = re.compile(r"\s*[(（]\s*$")
_CLOSE = re.compile(r"\s*[)）]")


class Matcher:
    def __init__(self, entries: list[Entry]):
        import ahocorasick

        self.entries = entries
        keys: dict[str, list[tuple]] = {}
        for index, entry in enumerate(entries):
            for form, form_kind in entry.forms():
                folded = visible(fold(form))
                sensitive = entry.form_is_case_sensitive(form)
                if not folded.strip() or unmatchable(form, sensitive) is not None:
                    continue
                checks_start = _is_word(folded[0])
                checks_end = _is_word(folded[-1])
                keys.setdefault(lower(folded), []).append(
                    (folded, index, form_kind, sensitive, checks_start, checks_end)
                )
        self._automaton = automaton = ahocorasick.Automaton()
        for key, payload in keys.items():
            # One text, several entries: a name or variant wins over an abbreviation (a do-not-translate entry
            # `MAFLD` over the abbreviation `MAFLD` of the proposed full-name entry), then file order.
            payload.sort(key=lambda item: _RANK[item[2]])
            automaton.add_word(key, (len(key), tuple(payload)))
        if keys:
            automaton.make_automaton()
        self._empty = not keys

    def find(self, text: str) -> list[Match]:
        if self._empty or not text:
            return []
        shown, offsets = visible_copy(text)
        found = self._find_visible(shown)
        if offsets is not None:
            # back to `text`: a match spans from its first to its last visible character, with the invisible ones
            # between them
            found = [
                Match(offsets[m.start], offsets[m.end - 1] + 1, text[offsets[m.start] : offsets[m.end - 1] + 1],
                      m.entry, m.form)
                for m in found
            ]  # fmt: skip
        return _join_abbreviations(found, text)

    def _find_visible(self, text: str) -> list[Match]:
        """The matches in `text` (no format characters in it), before abbreviations are joined."""
        folded = fold(text)
        low = lower(folded)
        n = len(text)
        candidates = []
        for end_index, (length, payload) in self._automaton.iter(low):
            start, end = end_index - length + 1, end_index + 1
            for order, (form, index, form_kind, sensitive, checks_start, checks_end) in enumerate(payload):
                if checks_start and start > 0 and _is_word(folded[start - 1]):
                    continue
                if checks_end and end < n and _is_word(folded[end]):
                    continue
                if sensitive and folded[start:end] != form:
                    continue
                rank = _RANK[form_kind]
                candidates.append((-(end - start), start, rank, index, order, end, form_kind))
                break  # first fitting form of this key wins (file order)
        if not candidates:
            return []
        candidates.sort()
        taken = bytearray(n)
        chosen = []
        for negative_length, start, _rank, index, _order, end, form_kind in candidates:
            if taken.find(1, start, end) != -1:
                continue
            taken[start:end] = b"\x01" * (end - start)
            chosen.append(Match(start, end, text[start:end], self.entries[index], form_kind))
        chosen.sort(key=lambda m: m.start)
        return chosen


def _as_abbreviation(match: Match, entry: Entry) -> Match | None:
    """`match` as an abbreviation of `entry`: itself if it is one, a new match if its text is one of `entry`'s
    abbreviations though another entry won it (the do-not-translate `MAFLD` beside `... disease (MAFLD)`)."""
    if match.entry is entry:
        return match if match.form == "abbreviation" else None
    text = visible(fold(match.text))
    for abbreviation in entry.abbreviations:
        folded = visible(fold(abbreviation))
        same = text == folded if entry.form_is_case_sensitive(abbreviation) else lower(text) == lower(folded)
        if same:
            return Match(match.start, match.end, match.text, entry, "abbreviation")
    return None


def _join_abbreviations(matches: list[Match], text: str) -> list[Match]:
    """`Name (ABBR)` and `ABBR (Name)` of the same entry become one match covering the parentheses. The
    abbreviation counts as the entry's even where a do-not-translate entry of the same text won it alone."""
    result: list[Match] = []
    i = 0
    while i < len(matches):
        first = matches[i]
        if i + 1 < len(matches) and _OPEN.match(text, first.end, matches[i + 1].start):
            second = matches[i + 1]
            parts = None
            if first.form != "abbreviation":
                abbreviation = _as_abbreviation(second, first.entry)
                if abbreviation is not None:
                    parts, form = (first, abbreviation), "name+abbreviation"
            if parts is None and second.form != "abbreviation":
                abbreviation = _as_abbreviation(first, second.entry)
                if abbreviation is not None:
                    parts, form = (abbreviation, second), "abbreviation+name"
            close = _CLOSE.match(text, second.end) if parts is not None else None
            if close:
                end = close.end()
                result.append(Match(first.start, end, text[first.start : end], parts[0].entry, form, parts))
                i += 2
                continue
        result.append(first)
        i += 1
    return result
