"""People named in full without a title: "Hiroshi Tanaka of Osaka University said …" (docs/glossary.md, "Later
mentions without a title"). The mention resolver (`mentions.py`) flags those the glossary lacks and remembers them
for their later bare surnames.

Two or three capitalised words (a middle initial besides: `John S. Smith`) are taken for a person's full name only
in one of these patterns:

* `Full Name of [the] Institution` — the institution a glossary institution or words holding a head noun
  (`Osaka University`, `the Stroke Center`);
* `Full Name, [a|an|the] … role …` — a title or role in lower case within four words (`, a professor at …`,
  `, director of …`, `, lead researcher …`);
* `said Full Name` and `Full Name said` (`says`, `noted`, `added`, `explained`, ...).

and only where every word can be a name's: not a head noun (University, Hospital, Center, Council, ...), a field
(Research, Science, Health, ...), a title, a sentence word, a month or day, an acronym, a glossary term, nor a word
the release writes in lower case (`Cancer Research said`, `Kaohsiung Medical University said`, `Chen Hospital
said` are no one). The words right before it must not be a title (`Dr. Min-Jun Kim of …` is a titled mention)
nor another capitalised word (`Osaka University Professor …`); a sentence opener or a day may stand before it
(`Then Hiroshi Tanaka said`). Before `said`, words right after `of`, `for`, `the`, `and` or `&` are the end of a
longer name (`Department of Oral and Maxillofacial Surgery said`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.glossary.people.names import NAME_TOKEN, POSSESSIVE, name_tokens
from pipeline.glossary.people.surnames import OPENERS
from pipeline.glossary.uncovered import CALENDAR, DOMAINS, HEADS, INSTITUTION_HEADS, SENTENCE_WORDS, TITLES, misspelt_title

__all__ = ["UntitledName", "find_untitled_people", "family_of_tokens"]

_SPEECH = r"(?:said|says|noted|notes|added|adds|explained|explains|stated|states|commented|remarked|emphasized|emphasised|stressed|pointed out)"
_SAID_AFTER = re.compile(rf" {_SPEECH}\b")
_SAID_BEFORE = re.compile(rf"\b{_SPEECH} $")
_OF = re.compile(r" of (?:the )?")
# "Department of Oral and Maxillofacial Surgery said": capitalised words after a connector end a longer name
_JOINED_BEFORE = re.compile(r"(?:\b(?:of|for|the|and)|&) $")
# Roles in lower case that make an appositive a person's, besides the titles (professor, director, dean, …)
_ROLES = (
    "researcher", "scientist", "physician", "doctor", "surgeon", "nurse", "engineer", "lecturer", "fellow",
    "student", "head", "chair", "founder", "spokesperson", "spokesman", "spokeswoman", "manager", "officer",
    "investigator", "author", "leader", "expert", "specialist", "member", "coordinator", "pharmacist", "chief",
)  # fmt: skip
_ROLE_WORDS = "|".join(sorted({t.lower() for t in TITLES} | set(_ROLES)))
_APPOSITIVE = re.compile(rf", (?:the |an? )?(?:[a-z][\w-]* ){{0,3}}(?:{_ROLE_WORDS})s?\b")
_NOT_NAME_WORDS = HEADS | INSTITUTION_HEADS | DOMAINS | TITLES | SENTENCE_WORDS | CALENDAR | OPENERS
_SKIPPED_BEFORE = SENTENCE_WORDS | OPENERS | CALENDAR


@dataclass
class UntitledName:
    start: int
    end: int  # before a possessive
    name: str
    family: str
    pattern: str  # "of", "appositive", "said": what made it a person


def find_untitled_people(text: str, covered: list[tuple[int, int]], title_ends: set[int],
                         lowercase: frozenset[str]) -> list[UntitledName]:  # fmt: skip
    """The full names of people named without a title in `text` (see the module doc), in order. `covered`: spans of
    glossary matches (a name overlapping one is no one's: the glossary has it); `title_ends`: where a title of the
    titles table ends in `text` (a name right after one is a titled mention); `lowercase`: the words the release
    writes in lower case."""
    found = []
    pos = 0
    while True:
        m = NAME_TOKEN.search(text, pos)
        if m is None:
            break
        tokens = name_tokens(text, m.start())
        pos = max(tokens[-1].end(), m.end())
        if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "-‐‑–'’.&"):
            continue
        while tokens and tokens[0].group() in _SKIPPED_BEFORE:
            tokens = tokens[1:]
        named = [t for t in tokens if not _initial(t.group())]
        if not 2 <= len(named) <= 3 or not all(_name_word(t.group(), lowercase) for t in named):
            continue
        start, end = tokens[0].start(), tokens[0].start() + len(POSSESSIVE.sub("", text[tokens[0].start() : tokens[-1].end()]))
        if any(s < end and start < e for s, e in covered) or _titled(text, start, title_ends):
            continue
        pattern = _pattern(text, start, end, tokens[-1].end(), covered)
        if pattern:
            words = [POSSESSIVE.sub("", t.group()) for t in tokens]
            found.append(UntitledName(start, end, text[start:end], family_of_tokens(words), pattern))
    return found


def family_of_tokens(words: list[str]) -> str:
    """The family name of a name the glossary lacks: the last word (`Hiroshi Tanaka`, `Min-Jun Kim`), or the first
    where a Korean name is written family-first with a lower-case hyphenated given name (`Kim Min-jun`)."""
    if len(words) == 2 and "-" not in words[0] and re.search(r"-[a-z]", words[1]):
        return words[0]
    return words[-1]


def _initial(word: str) -> bool:
    return len(word) == 1


def _name_word(word: str, lowercase: frozenset[str]) -> bool:
    plain = POSSESSIVE.sub("", word)
    return (
        plain[:1].isupper() and not plain.isupper() and plain.replace("-", "").isalpha()
        and plain not in _NOT_NAME_WORDS and plain.lower() not in lowercase and misspelt_title(plain) is None
    )  # fmt: skip


def _titled(text: str, start: int, title_ends: set[int]) -> bool:
    """A title right before the name: one of the titles table (`Dr. `, `Professor `) or of uncovered.TITLES."""
    if start - 1 in title_ends or start in title_ends:
        return True
    before = re.search(r"(\S+) $", text[:start])
    return before is not None and before.group(1).rstrip(".") in TITLES


def _pattern(text: str, start: int, end: int, token_end: int, covered: list[tuple[int, int]]) -> str:
    if token_end == end:  # no possessive: "Tanaka's team" is not "Tanaka of"
        of = _OF.match(text, end)
        if of is not None and _institution_at(text, of.end(), covered):
            return "of"
        if _APPOSITIVE.match(text, end):
            return "appositive"
    if _SAID_BEFORE.search(text[max(0, start - 30) : start]):
        return "said"
    if _SAID_AFTER.match(text, token_end) and not _JOINED_BEFORE.search(text[max(0, start - 40) : start]):
        return "said"
    return ""


def _institution_at(text: str, pos: int, covered: list[tuple[int, int]]) -> bool:
    """A glossary match, or capitalised words holding a head noun (`Osaka University`, `University of Tokyo`)."""
    if any(s == pos for s, _ in covered):
        return True
    tokens = name_tokens(text, pos)
    return any(POSSESSIVE.sub("", t.group()) in HEADS for t in tokens)
