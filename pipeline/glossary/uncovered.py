"""Names in a release that the glossary does not cover, for the comms team to add (`translate glossary suggest`,
and the review document's header).

Reported, in order of first appearance, each once:

* capitalised multi-word names: `College of Medicine`, `Student Exchange Agreement`, `National Cerebral and
  Cardiovascular Center` (lowercase `of`, `and`, `for`, `on`, `the`, ... may join capitalised words);
* acronyms: a word of uppercase letters and digits with at least two uppercase letters (`HIV-1`, `NCKU`).

Not reported: anything inside a glossary match; single capitalised words (sentence starts, `Japan`); a title
(`President`, `Prof.`, `Vice President`, `Secretary General`) or a common sentence-initial word (`The`, `After`)
at the start of a name; the multi-word names of a title-case headline (its acronyms still count).

A glossary name with more capitalised words around it is a longer name the glossary does not have:
`Kaohsiung Medical University Hospital` is reported although `Kaohsiung Medical University` is covered.

Where one run of capitalised words holds two names (docs/glossary.md, "Other commands"):

* a title splits it when a name follows (`Kumamoto University President Prof. Hisao Ogawa`); a modifier such as
  `General`, `Vice`, `Chief` is a title only next to a title (`Vice President`, `Director General`), so
  `Taipei Veterans General Hospital` stays whole;
* `and` splits `Taiwan and Japan`, `WHO and Academia Sinica` (an acronym before it), `Kaohsiung City and Kumamoto
  City` (a head noun such as City, University before it), `John Smith and Mary Jones`, and `University of Tokyo and
  Keio University`; it joins `Ministry of Health and Welfare` and `National Cerebral and Cardiovascular Center`;
* `of` splits a person from an institution: `Chen of National Taiwan University` → `National Taiwan University`,
  `Lin of the College of Nursing` → `College of Nursing` (but `University of Tokyo Hospital`, `College of
  Medicine` stay whole).

Fragments seen on real releases and left out: an English dateline's place (`KAOHSIUNG, Taiwan, March 12, 2026 —`),
a currency prefix (`NT$`, `US$`), days and months (`… on Tuesday`), a title after `and` (`Lin and Prof. Lu`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.source.datelines import english_dateline_end
from pipeline.glossary.glossary import Glossary

__all__ = ["find_uncovered_names"]

_TOKEN = re.compile(r"[^\W_][\w]*(?:[-‐‑–'’][^\W_][\w]*)*")
_ACRONYM = re.compile(r"^(?=(?:[^A-Z]*[A-Z]){2})[A-Z0-9]+(?:[-‐‑–][A-Z0-9]+)*$")
_ROMAN = {"II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII", "XIII", "XIV", "XV", "XX"}
CONNECTORS = {"of", "for", "on", "and", "the", "de", "du", "la", "van", "von", "der", "&"}
# Titles of persons; a modifier is a title only beside one ("Vice President", "Secretary General").
CORE_TITLES = {
    "President", "Prof", "Professor", "Dr", "Dean", "Director", "Chairman", "Chairperson", "Chair", "Mr", "Mrs",
    "Ms", "Miss", "Superintendent", "Minister", "Mayor", "Secretary", "Officer", "Ambassador", "Chancellor",
    "Provost", "Rector", "Governor", "Premier", "Commissioner",
}  # fmt: skip
TITLE_MODIFIERS = {
    "Vice", "General", "Deputy", "Chief", "Executive", "Associate", "Assistant", "Honorary", "Emeritus",
    "Distinguished",
}  # fmt: skip
TITLES = CORE_TITLES | TITLE_MODIFIERS
# The last word of an institution's or place's name: `and` after one starts another name.
HEADS = {
    "University", "Hospital", "Center", "Centre", "Institute", "College", "School", "Academy", "Foundation",
    "Association", "Society", "Council", "Ministry", "Department", "Office", "Bureau", "Agency", "Administration",
    "Commission", "Committee", "Organization", "Organisation", "Laboratory", "Museum", "Library", "Company",
    "Corporation", "Group", "Bank", "Fund", "Forum", "City", "County", "Prefecture", "Province", "Clinic",
    "Faculty", "Division", "Program", "Programme", "Agreement", "Network", "Consortium", "Federation", "Yuan",
    "Alliance", "Union", "Authority", "Board", "Trust", "Inc", "Ltd", "Corp", "Initiative", "Project",
}  # fmt: skip
# The last word of an institution's name: `Chen of National Taiwan University` is a person of an institution.
INSTITUTION_HEADS = {
    "University", "Hospital", "Center", "Centre", "Institute", "College", "School", "Academy", "Foundation",
    "Ministry", "Agency", "Association", "Society", "Council", "Laboratory", "Museum", "Company", "Corporation",
    "Bank", "Clinic",
}  # fmt: skip
SENTENCE_WORDS = {
    "The", "A", "An", "This", "That", "These", "Those", "In", "On", "At", "After", "Before", "With", "By",
    "For", "From", "As", "Both", "Its", "Their", "Our", "His", "Her", "During", "Since", "When", "While",
    "Under", "Through", "And", "But", "Or", "Also", "Today", "Yesterday", "Meanwhile", "According", "Through",
    "To", "Of", "Over", "Following", "Among", "Between", "Each", "Every", "All", "Some", "Many", "More",
}  # fmt: skip
# Days and months are not parts of names: "Chen on Tuesday", "Seoul National University in March".
CALENDAR = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October", "November", "December",
}  # fmt: skip
_SENTENCE_END = re.compile(r"[.!?:;][\"”’')\]]*\s+[\"“‘(]*$")
_LAST_WORD = re.compile(r"[^\W_]+(?=[^\w]*$)")


@dataclass
class _Word:
    """A word of a paragraph, or a whole glossary match standing as one word (`covered`)."""

    word: str  # possessive stripped; for a glossary match the last word of its text ("University")
    start: int
    end: int  # without the possessive
    token_end: int  # with it
    possessive: bool
    cap: bool
    covered: bool = False

    @property
    def title(self) -> bool:
        return not self.covered and self.word in TITLES

    @property
    def connector(self) -> bool:
        return not self.covered and self.word in CONNECTORS


def _is_cap(token: str) -> bool:
    return token[0].isupper()


def _looks_like_headline(paragraph: str, tokens: list[re.Match]) -> bool:
    words = [t.group() for t in tokens if len(t.group()) > 3 and t.group()[0].isalpha()]
    if len(tokens) > 25 or not words or paragraph.rstrip().endswith((".", "!", "?", "。")):
        return False
    return sum(_is_cap(w) for w in words) >= 0.7 * len(words)


def _strip_possessive(token: str) -> tuple[str, bool]:
    for tail in ("'s", "’s", "'", "’"):
        if token.endswith(tail) and len(token) > len(tail):
            return token[: -len(tail)], True
    return token, False


def _title_end(words: list[_Word], i: int) -> int:
    """The end of the title phrase starting at `words[i]` (`Vice President`, `Prof`, `Director General`), or `i`
    if none starts there: a run of title words holding at least one that is a title by itself."""
    j = i
    while j < len(words) and words[j].title:
        j += 1
    if any(not w.covered and w.word in CORE_TITLES for w in words[i:j]):
        return j
    return i


def _upto_connector(words: list[_Word]) -> list[_Word]:
    result = []
    for w in words:
        if w.connector:
            break
        result.append(w)
    return result


def _splits_at_and(left: list[_Word], right: list[_Word]) -> bool:
    """Whether `left and right` are two names rather than one (see the module doc)."""
    if not left or not right:
        return True
    left_has_connector = any(w.connector for w in left)
    if left[-1].word in HEADS:
        return True  # "Kaohsiung City and Kumamoto City"
    if len(right) < 2:
        return not left_has_connector  # "Taiwan and Japan" | "Ministry of Health and Welfare"
    if len(left) == 1 and _ACRONYM.match(left[0].word) and not left[0].covered:
        return True  # "WHO and Academia Sinica"
    if right[-1].word in HEADS:
        return left_has_connector  # "University of Tokyo and Keio University" | "... Cerebral and Cardiovascular Center"
    return not left_has_connector  # "John Smith and Mary Jones" | "College of Engineering and Computer Science"


def _splits_at_of(left: list[_Word], right: list[_Word], the: bool = False) -> bool:
    """`Chen of National Taiwan University`, `Lin of the College of Nursing`: a person (no head noun before `of`) of
    an institution."""
    if not left or left[-1].word in HEADS:
        return False
    return (the and bool(right)) or (len(right) >= 2 and right[-1].word in INSTITUTION_HEADS)


def _names_in_run(words: list[_Word], sentence_start: bool) -> list[list[_Word]]:
    """A run of capitalised words and connectors → the names in it (lists of words)."""
    while words:
        end = _title_end(words, 0)
        if end > 0:
            words = words[end:]
        elif (sentence_start and not words[0].covered and words[0].word in SENTENCE_WORDS) or words[0].connector:
            words = words[1:]
        else:
            break
        sentence_start = False
    while words and words[-1].connector:
        words = words[:-1]
    parts: list[list[_Word]] = [[]]
    i = 0
    while i < len(words):
        word = words[i]
        if i > 0 and not words[i - 1].connector:
            end = _title_end(words, i)
            if end > i and (end == len(words) or not words[end].connector):
                # "Kumamoto University President Prof. Hisao Ogawa": a title before a name (or ending the run) ends
                # the name before it; "Vice President for Academic Affairs", "Office of the President" stay whole.
                parts.append([])
                i = end
                continue
        if word.connector and word.word in ("and", "of"):
            rest = words[i + 1 :]
            the = bool(rest) and rest[0].word == "the"
            right = _upto_connector(rest[1:] if the and word.word == "of" else rest)
            if word.word == "and":
                # "Chen-Hsiung Lin and Prof. Mei-Hua Lu": a title after `and` starts another name
                split = _title_end(rest, 0) > 0 or _splits_at_and(parts[-1], right)
            else:
                split = _splits_at_of(parts[-1], right, the)
            if split:
                parts.append([])
                i += 1
                continue
        parts[-1].append(word)
        i += 1
    result = []
    for part in parts:
        while part and (part[0].connector or _title_end(part, 0) > 0):
            part = part[max(1, _title_end(part, 0)) :]  # "... and the Director General Bo Wu"
        while part and part[-1].connector:
            part = part[:-1]
        named = [w for w in part if not w.connector]
        if len(named) >= 2 and not all(w.covered for w in named):
            result.append(part)
    return result


def find_uncovered_names(text: str, glossary: Glossary | None) -> list[str]:
    """Capitalised multi-word names and acronyms in `text` that no glossary match covers; see the module doc."""
    matches = glossary.find(text) if glossary is not None else []
    masked = list(text)
    for match in matches:
        masked[match.start : match.end] = "\x00" * (match.end - match.start)
    masked_text = "".join(masked)
    found: list[tuple[int, str]] = []
    offset = 0
    m = 0
    for paragraph in masked_text.split("\n"):
        end_of_paragraph = offset + len(paragraph)
        dateline = english_dateline_end(paragraph)  # "KAOHSIUNG, Taiwan, March 12, 2026 —" names nothing
        if dateline:
            paragraph = "\x00" * dateline + paragraph[dateline:]
        tokens = list(_TOKEN.finditer(paragraph))
        headline = _looks_like_headline(paragraph, tokens)
        words: list[_Word] = []
        for token in tokens:
            word, possessive = _strip_possessive(token.group())
            currency = paragraph.startswith("$", token.end())  # NT$, US$, HK$
            if _ACRONYM.match(word) and word not in _ROMAN and not currency:
                found.append((offset + token.start(), word))
            start = offset + token.start()
            cap = _is_cap(word) and word not in CALENDAR
            words.append(_Word(word, start, start + len(word), offset + token.end(), possessive, cap))
        while m < len(matches) and matches[m].start < end_of_paragraph:
            match = matches[m]
            m += 1
            last = _LAST_WORD.search(match.text)
            words.append(
                _Word(last.group() if last else match.text, match.start, match.end, match.end, False,
                      match.text[:1].isupper(), covered=True)
            )  # fmt: skip
        if not headline:
            words.sort(key=lambda w: w.start)
            for start, names in _runs(text, words, offset):
                for name in names:
                    found.append((name[0].start, text[name[0].start : name[-1].end]))
        offset = end_of_paragraph + 1
    seen = set()
    result = []
    for _, name in sorted(found, key=lambda pair: pair[0]):
        if name not in seen:
            seen.add(name)
            result.append(name)
    return result


def _runs(text: str, words: list[_Word], paragraph_start: int):
    """(start, names) for each run of capitalised words joined by single spaces and connectors."""
    run: list[_Word] = []
    sentence_start = True
    run_sentence_start = True
    previous_end = paragraph_start
    ends_run = False
    for i, word in enumerate(words):
        gap = text[previous_end : word.start]
        # "Presidents’ Forum": a plural possessive's apostrophe is outside the word; the name goes on after it
        plural_possessive = gap in ("’ ", "' ") and bool(run) and run[-1].word.endswith("s")
        joined = run and not ends_run and (gap == " " or plural_possessive)
        if not joined:
            if run:
                yield run[0].start, _names_in_run(run, run_sentence_start)
            run = []
            sentence_start = i == 0 or bool(_SENTENCE_END.search(gap))
        if word.cap or (run and word.connector):
            if not run:
                run_sentence_start = sentence_start
            run.append(word)
            # "Presidents’ Forum" goes on after a plural possessive
            ends_run = word.possessive and not text[word.start : word.token_end].endswith(("s'", "s’"))
        else:
            if run:
                yield run[0].start, _names_in_run(run, run_sentence_start)
            run = []
            ends_run = False
        previous_end = word.token_end
    if run:
        yield run[0].start, _names_in_run(run, run_sentence_start)
