"""Names in a release that the glossary does not cover, for the comms team to add (`translate glossary suggest`,
and the review document's header).

Reported, in order of first appearance, each once:

* capitalised multi-word names: `College of Medicine`, `Student Exchange Agreement`, `National Cerebral and
  Cardiovascular Center` (lowercase `of`, `and`, `for`, `on`, `the`, ... may join capitalised words; a word with
  a capital inside counts as capitalised: `Center for iPS Cell Research`; an initial joins: `John S. Smith`);
* acronyms: a word of uppercase letters and digits with at least two uppercase letters (`HIV-1`, `NCKU`).

Not reported: anything inside a glossary match; single capitalised words (sentence starts, `Japan`); a title
(`President`, `Prof.`, `Vice President`, `Secretary General`, or a title misspelt by at most two letters:
`Superindendant`) or a sentence's first word that is capitalised only because it comes first (`The`, `After`;
see name_layout.py for the evidence) at the start of a name; the multi-word names of a heading or title-case
headline (its acronyms still count); what name_layout.py says names nothing (embargo lines, datelines) or is a
label (link text without a head noun, `KMU International Affairs: https://…`); the capitals of a line in capitals.

A glossary name with more capitalised words around it is a longer name the glossary does not have:
`Kaohsiung Medical University Hospital` is reported although `Kaohsiung Medical University` is covered.

Where one run of capitalised words holds two names (docs/glossary.md, "Suggest: where one name ends"):

* a title splits it when a name follows (`Kumamoto University President Prof. Hisao Ogawa`); a modifier such as
  `General`, `Vice`, `Chief` is a title only next to a title (`Vice President`, `Director General`), so
  `Taipei Veterans General Hospital` stays whole;
* `and` (`_splits_at_and`): a name that is complete (a glossary name, a head noun such as University or City at
  its end, a lone acronym) ends at `and`; two sides that each hold a head noun are two names (`University of
  Tokyo and Keio University`, `Ministry of Education and National Science and Technology Council`); a side
  without a head noun that is only modifiers (`National Science`, `Science`) shares the head of the name after
  it (`National Science and Technology Council`, `National Cerebral and Cardiovascular Center`); one word after
  `and` joins a name with a connector (`Ministry of Health and Welfare`), as do more words without a head noun
  (`College of Engineering and Computer Science`); otherwise two names (`John Smith and Mary Jones`);
* `of` splits a person from an institution: `Chen of National Taiwan University` → `National Taiwan University`,
  `Lin of the College of Nursing` → `College of Nursing`, `Kenji Tanaka of Osaka University` (a glossary name)
  → `Kenji Tanaka` (but `University of Tokyo Hospital`, `College of Medicine` stay whole); and an institution of
  another: `Health Promotion Administration of the Ministry of Health and Welfare` (two or more words ending in
  a head noun, `of the`, a head noun).

Fragments seen on real releases and left out: an English dateline's place (`KAOHSIUNG, Taiwan, March 12, 2026 —`),
a currency prefix (`NT$`, `US$`), days and months (`… on Tuesday`; an abbreviated month before its period or a
number: `MOU on Aug. 5`), a title after `and` (`Lin and Prof. Lu`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from pipeline.glossary.glossary import Glossary
from pipeline.glossary.name_layout import NameLayout, looks_like_headline, text_layout
from pipeline.source.datelines import english_dateline_end

__all__ = ["find_uncovered_names", "misspelt_title"]

_TOKEN = re.compile(r"[^\W_][\w]*(?:[-‐‑–'’][^\W_][\w]*)*")
_ACRONYM = re.compile(r"^(?=(?:[^A-Z]*[A-Z]){2})[A-Z0-9]+(?:[-‐‑–][A-Z0-9]+)*$")
_ROMAN = {"II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII", "XIII", "XIV", "XV", "XX"}
_HYPHENATED_NAME = re.compile(r"^[A-Z][a-z]+-[A-Za-z][a-z]+$")  # Mei-Ling: a person's given name
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
# Fields and domains: one of them alone before `and` is a modifier sharing the next name's head ("Science and
# Technology Council"), where another single word is a name of its own ("Taiwan and Keio University").
DOMAINS = {
    "Science", "Sciences", "Technology", "Health", "Welfare", "Education", "Research", "Engineering", "Medicine",
    "Arts", "Culture", "Humanities", "Innovation", "Industry", "Economic", "Economics", "Social", "Labor", "Labour",
    "Environment", "Environmental", "Agriculture", "Sports", "Nursing", "Public", "Finance", "Trade",
    "Communications", "Transportation", "Energy", "Information", "Development", "Planning",
}  # fmt: skip
SENTENCE_WORDS = {
    "The", "A", "An", "This", "That", "These", "Those", "In", "On", "At", "After", "Before", "With", "By",
    "For", "From", "As", "Both", "Its", "Their", "Our", "His", "Her", "During", "Since", "When", "While",
    "Under", "Through", "And", "But", "Or", "Also", "Today", "Yesterday", "Meanwhile", "According", "Through",
    "To", "Of", "Over", "Following", "Among", "Between", "Each", "Every", "All", "Some", "Many", "More",
    "Then", "Now", "However", "Here", "There", "Together", "Later", "Next", "Finally", "Recently", "Currently",
    "Earlier", "Such", "Other", "Most", "Several", "Because", "Although", "Though", "If", "Once", "Until",
    "Without", "Within", "Across", "Furthermore", "Moreover", "Additionally", "Thus", "Therefore", "Instead",
    "Only", "Even", "Upon", "Despite", "Including", "Like", "Unlike", "Beyond", "Besides", "Whether", "Where",
}  # fmt: skip
# Days and months are not parts of names: "Chen on Tuesday". An abbreviated month is one only before its period
# or a day's number ("MOU on Aug. 5", "Nov 18"): "Jan de Vries", "Sun Yat-sen" are names.
CALENDAR = frozenset({
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October", "November", "December",
})  # fmt: skip
MONTH_ABBREVIATIONS = {"Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"}
_DATE_AFTER = re.compile(r"\.|\s+\d")
_SENTENCE_END = re.compile(r"[.!?:;][\"”’')\]]*\s+[\"“‘(]*$")
_LAST_WORD = re.compile(r"[^\W_]+(?=[^\w]*$)")
# A label right before a URL in plain text: "KMUH Stroke Services: https://…", "KMU News (www.kmu.edu.tw)".
_URL_AFTER = re.compile(r"\s*(?:[:(–—-]|\bat\b|\bon\b)?\s*[<(]?(?:https?://|www\.)", re.IGNORECASE)
_SHOUTING_MIN_WORDS = 3


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
        return not self.covered and (self.word in TITLES or misspelt_title(self.word) is not None)

    @property
    def connector(self) -> bool:
        return not self.covered and self.word in CONNECTORS

    @property
    def head(self) -> bool:
        """A glossary name, a head noun, or an acronym: what makes a part of a run a name by itself."""
        return self.covered or self.word in HEADS or bool(_ACRONYM.match(self.word))


@lru_cache(maxsize=4096)
def misspelt_title(word: str, titles: frozenset[str] = frozenset(CORE_TITLES)) -> str | None:
    """The title a capitalised word of 7 letters or more misspells by at most two letters (`Superindendant` →
    `Superintendent`, `Profesor` → `Professor`), or None. Same first letter; a plural (`Directors`) is no title."""
    if len(word) < 7 or not word[0].isupper() or not word[1:].islower() or word in titles or word in HEADS:
        return None
    for title in titles:
        if len(title) < 7 or title[0] != word[0] or abs(len(title) - len(word)) > 2 or word in (title + "s", title + "es"):
            continue
        if Levenshtein.distance(word, title, score_cutoff=2) <= 2:
            return title
    return None


def _is_cap(token: str) -> bool:
    return token[0].isupper() or any(ch.isupper() for ch in token[1:])  # iPS, mRNA: capitals inside


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
    if any(not w.covered and (w.word in CORE_TITLES or misspelt_title(w.word)) for w in words[i:j]):
        return j
    return i


def _upto_connector(words: list[_Word]) -> list[_Word]:
    result = []
    for w in words:
        if w.connector:
            break
        result.append(w)
    return result


def _and_parts(words: list[_Word]) -> list[list[_Word]]:
    """`words` cut at each `and`."""
    parts: list[list[_Word]] = [[]]
    for w in words:
        if w.connector and w.word == "and":
            parts.append([])
        else:
            parts[-1].append(w)
    return parts


def _has_head(part: list[_Word]) -> bool:
    return any(w.head for w in part if not w.connector)


def _modifiers(part: list[_Word]) -> bool:
    """`National Science`, `Science`: capitalised words without a head noun that can share the head of the name
    after `and`. Not a person's name (`Mei-Ling Chen`), not one ordinary word (`Taiwan`)."""
    if not part or _has_head(part) or any(w.connector or not w.cap or _HYPHENATED_NAME.match(w.word) for w in part):
        return False
    return len(part) >= 2 or part[0].word in DOMAINS


def _splits_at_and(left: list[_Word], rest: list[_Word]) -> bool:
    """Whether `left and rest…` are two names rather than one (see the module doc)."""
    if not left or not rest:
        return True
    named_left = [w for w in left if not w.connector]
    if left[-1].covered or left[-1].word in HEADS or (len(named_left) == 1 and named_left[0].head):
        return True  # "Kaohsiung Medical University (KMU) and …", "Kaohsiung City and …", "WHO and …"
    left_has_connector = any(w.connector for w in left)
    parts = _and_parts(rest)
    right = _upto_connector(parts[0]) if parts[0] and not parts[0][0].connector else parts[0]
    if len(right) == 1 and not _has_head(right):
        return not left_has_connector  # "Taiwan and Japan" | "Ministry of Health and Welfare"
    for part in parts:  # the name on the right: its head may come after more modifiers joined by `and`
        if _has_head(part):
            # "University of Tokyo and Keio University" | "National Science and Technology Council"
            return _has_head(left) or not _modifiers(left)
        if not _modifiers(part):
            break
    return not left_has_connector  # "John Smith and Mary Jones" | "College of Engineering and Computer Science"


def _splits_at_of(left: list[_Word], right: list[_Word], the: bool = False) -> bool:
    """`Chen of National Taiwan University`, `Lin of the College of Nursing`, `Kenji Tanaka of Osaka University`
    (a glossary name): a person (no head noun before `of`) of an institution."""
    if not left:
        return False
    if left[-1].word in HEADS:
        # "Health Promotion Administration of the Ministry of Health and Welfare": an institution of another one;
        # "College of Medicine", "University of Tokyo", "Graduate Institute of Clinical Medicine" stay whole
        named = [w for w in left if not w.connector]
        return the and len(named) >= 2 and bool(right) and right[0].word in INSTITUTION_HEADS
    if right and right[0].covered and not _has_head(left):
        return True
    return (the and bool(right)) or (len(right) >= 2 and right[-1].word in INSTITUTION_HEADS)


def _leading(words: list[_Word], start: str | None, layout: NameLayout) -> list[_Word]:
    """The run without what stands before its name: titles, connectors, a word capitalised for its place."""
    while words:
        end = _title_end(words, 0)
        first = words[0]
        if end > 0:
            words = words[end:]
        elif first.connector or (start is not None and not first.covered and _positional(first.word, start, layout)):
            words = words[1:]
        else:
            break
        start = None
    return words


def _positional(word: str, start: str, layout: NameLayout) -> bool:
    """Is the first word of a sentence (`start` "sentence") or a list item ("item") capitalised only for where it
    stands? (name_layout.py: evidence from the rest of the release.)"""
    if word in SENTENCE_WORDS:
        return True
    if _ACRONYM.match(word):
        return False
    if start == "item":
        return not layout.name_word(word)  # "Detects MAFLD", "Visited Kaohsiung Municipal Siaogang Hospital"
    return layout.ordinary_word(word)


def _names_in_run(words: list[_Word], start: str | None, layout: NameLayout) -> list[list[_Word]]:
    """A run of capitalised words and connectors → the names in it (lists of words)."""
    words = _leading(words, start, layout)
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
            if word.word == "and":
                # "Chen-Hsiung Lin and Prof. Mei-Hua Lu": a title after `and` starts another name
                split = _title_end(rest, 0) > 0 or _splits_at_and(parts[-1], rest)
            else:
                split = _splits_at_of(parts[-1], _upto_connector(rest[1:] if the else rest), the)
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


def _shouting(paragraph: str) -> bool:
    """A line in capitals (`EMBARGOED UNTIL 10:00 TAIPEI TIME`): its capitals are typography, not acronyms."""
    words = [t for t in _TOKEN.findall(paragraph) if sum(ch.isalpha() for ch in t) >= 2]
    return len(words) >= _SHOUTING_MIN_WORDS and sum(t.isupper() for t in words) >= 0.8 * len(words)


def _masked(text: str, matches, layout: NameLayout) -> str:
    masked = list(text)
    for match in matches:
        masked[match.start : match.end] = "\x00" * (match.end - match.start)
    for start, end in layout.skipped:
        masked[start:end] = "\x00" * (end - start)
    return "".join(masked)


def _a_label(text: str, name: list[_Word], layout: NameLayout) -> bool:
    """Link text, or a label before a URL, without a head noun: `KMU International Affairs`."""
    start, end = name[0].start, name[-1].end
    if any(w.word in HEADS for w in name if not w.covered):
        return False
    return layout.in_link(start, end) or _URL_AFTER.match(text, end) is not None


def find_uncovered_names(text: str, glossary: Glossary | None, layout: NameLayout | None = None) -> list[str]:
    """Capitalised multi-word names and acronyms in `text` that no glossary match covers; see the module doc.

    `layout`: what the release's structure says about `text` (name_layout.release_layout); by default what its
    lines say (name_layout.text_layout)."""
    layout = layout if layout is not None else text_layout(text)
    matches = glossary.find(text) if glossary is not None else []
    masked_text = _masked(text, matches, layout)
    found: list[tuple[int, str]] = []
    offset = 0
    m = 0
    for number, paragraph in enumerate(masked_text.split("\n")):
        end_of_paragraph = offset + len(paragraph)
        dateline = english_dateline_end(paragraph)  # "KAOHSIUNG, Taiwan, March 12, 2026 —" names nothing
        if dateline:
            paragraph = "\x00" * dateline + paragraph[dateline:]
        quiet = number in layout.quiet or _shouting(paragraph)
        tokens = [] if quiet else list(_TOKEN.finditer(paragraph))
        headline = number in layout.headings or (number not in layout.items and looks_like_headline(paragraph))
        words: list[_Word] = []
        for token in tokens:
            word, possessive = _strip_possessive(token.group())
            currency = paragraph.startswith("$", token.end())  # NT$, US$, HK$
            if _ACRONYM.match(word) and word not in _ROMAN and not currency:
                found.append((offset + token.start(), word))
            start = offset + token.start()
            date = word in MONTH_ABBREVIATIONS and _DATE_AFTER.match(paragraph, token.end()) is not None
            cap = _is_cap(word) and word not in CALENDAR and not date
            words.append(_Word(word, start, start + len(word), offset + token.end(), possessive, cap))
        while m < len(matches) and matches[m].start < end_of_paragraph:
            match = matches[m]
            m += 1
            last = _LAST_WORD.search(match.text)
            if not quiet:
                words.append(
                    _Word(last.group() if last else match.text, match.start, match.end, match.end, False,
                          match.text[:1].isupper(), covered=True)
                )  # fmt: skip
        if not headline:
            words.sort(key=lambda w: w.start)
            item = number in layout.items
            for name in _runs(text, words, offset, item, layout):
                if not _a_label(text, name, layout):
                    found.append((name[0].start, text[name[0].start : name[-1].end]))
        offset = end_of_paragraph + 1
    seen = set()
    result = []
    for _, name in sorted(found, key=lambda pair: pair[0]):
        if name not in seen:
            seen.add(name)
            result.append(name)
    return result


def _joins(text: str, run: list[_Word], gap: str, word: _Word) -> bool:
    """Does `word` go on the run after `gap`? A single space; a plural possessive's apostrophe ("Presidents’
    Forum"); the period of an initial ("John S. Smith")."""
    if gap == " ":
        return True
    if gap in ("’ ", "' "):
        return run[-1].word.endswith("s")
    initial = len(run) >= 2 and len(run[-1].word) == 1 and run[-1].word.isupper() and run[-2].cap
    return gap == ". " and initial and word.cap and word.word not in SENTENCE_WORDS


def _runs(text: str, words: list[_Word], paragraph_start: int, item: bool, layout: NameLayout):
    """The names of each run of capitalised words joined by single spaces and connectors, in order."""
    run: list[_Word] = []
    sentence_start = True
    run_start: str | None = "item" if item else "sentence"
    start_kind: str | None = run_start
    previous_end = paragraph_start
    ends_run = False
    for i, word in enumerate(words):
        gap = text[previous_end : word.start]
        joined = bool(run) and not ends_run and _joins(text, run, gap, word)
        if not joined:
            if run:
                yield from _names_in_run(run, run_start, layout)
            run = []
            sentence_start = i == 0 or bool(_SENTENCE_END.search(gap))
            start_kind = ("item" if item and i == 0 else "sentence") if sentence_start else None
        if word.cap or (run and word.connector):
            if not run:
                run_start = start_kind
            run.append(word)
            # "Presidents’ Forum" goes on after a plural possessive
            ends_run = word.possessive and not text[word.start : word.token_end].endswith(("s'", "s’"))
        else:
            if run:
                yield from _names_in_run(run, run_start, layout)
            run = []
            ends_run = False
            start_kind = None
        previous_end = word.token_end
    if run:
        yield from _names_in_run(run, run_start, layout)
