"""Names in a release that the glossary does not cover, for the comms team to add (`translate glossary suggest`,
and the review document's header).

Reported, in order of first appearance, each once:

* capitalised multi-word names: `College of Medicine`, `Student Exchange Agreement`, `National Cerebral and
  Cardiovascular Center` (lowercase `of`, `and`, `for`, `on`, `the`, ... may join capitalised words);
* acronyms: a word of uppercase letters and digits with at least two uppercase letters (`HIV-1`, `NCKU`).

Not reported: anything inside a glossary match; single capitalised words (sentence starts, `Japan`); a title
(`President`, `Prof.`, `Dean`) or a common sentence-initial word (`The`, `After`) at the start of a name; the
multi-word names of a title-case headline (its acronyms still count).
"""

from __future__ import annotations

import re

from .model import Glossary

__all__ = ["find_uncovered_names"]

_TOKEN = re.compile(r"[^\W_][\w]*(?:[-‐‑–'’][^\W_][\w]*)*")
_ACRONYM = re.compile(r"^(?=(?:[^A-Z]*[A-Z]){2})[A-Z0-9]+(?:[-‐‑–][A-Z0-9]+)*$")
_ROMAN = {"II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII", "XIII", "XIV", "XV", "XX"}
CONNECTORS = {"of", "for", "on", "and", "the", "de", "du", "la", "van", "von", "der", "&"}
TITLES = {
    "President", "Vice", "Prof", "Professor", "Dr", "Dean", "Director", "Chairman", "Chairperson", "Chair",
    "Mr", "Mrs", "Ms", "Miss", "Superintendent", "Minister", "Mayor", "Secretary", "General", "Deputy",
    "Chief", "Executive", "Associate", "Assistant", "Honorary", "Emeritus", "Distinguished",
}  # fmt: skip
SENTENCE_WORDS = {
    "The", "A", "An", "This", "That", "These", "Those", "In", "On", "At", "After", "Before", "With", "By",
    "For", "From", "As", "Both", "Its", "Their", "Our", "His", "Her", "During", "Since", "When", "While",
    "Under", "Through", "And", "But", "Or", "Also", "Today", "Yesterday", "Meanwhile", "According", "Through",
    "To", "Of", "Over", "Following", "Among", "Between", "Each", "Every", "All", "Some", "Many", "More",
}  # fmt: skip
_SENTENCE_END = re.compile(r"[.!?:;][\"”’')\]]*\s+[\"“‘(]*$")


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


def _names_in_run(words: list[str], sentence_start: bool) -> list[list[str]]:
    """A run of capitalised words and connectors → the names in it (lists of words)."""
    while words and (
        words[0] in TITLES or (sentence_start and words[0] in SENTENCE_WORDS) or words[0] in CONNECTORS
    ):
        words = words[1:]
        sentence_start = False
    while words and words[-1] in CONNECTORS:
        words = words[:-1]
    # "Taiwan and Japan": `and` joins two names unless a name continues after it ("Cerebral and Cardiovascular
    # Center").
    parts: list[list[str]] = [[]]
    for i, word in enumerate(words):
        if word in TITLES and i + 1 < len(words) and words[i + 1] not in CONNECTORS:
            # "Kumamoto University President Prof. Hisao Ogawa": a title before a name ends the name before it.
            parts.append([])
            continue
        if word == "and":
            rest = words[i + 1 :]
            caps_after = 0
            for w in rest:
                if w in CONNECTORS:
                    break
                caps_after += 1
            if caps_after < 2:
                parts.append([])
                continue
        parts[-1].append(word)
    result = []
    for part in parts:
        while part and part[-1] in CONNECTORS:
            part = part[:-1]
        while part and part[0] in CONNECTORS:
            part = part[1:]
        if sum(1 for w in part if w not in CONNECTORS) >= 2:
            result.append(part)
    return result


def find_uncovered_names(text: str, glossary: Glossary | None) -> list[str]:
    """Capitalised multi-word names and acronyms in `text` that no glossary match covers; see the module doc."""
    masked = list(text)
    if glossary is not None:
        for match in glossary.find(text):
            masked[match.start : match.end] = "\x00" * (match.end - match.start)
    masked_text = "".join(masked)
    found: list[tuple[int, str]] = []
    offset = 0
    for paragraph in masked_text.split("\n"):
        tokens = list(_TOKEN.finditer(paragraph))
        headline = _looks_like_headline(paragraph, tokens)
        for token in tokens:
            word = _strip_possessive(token.group())[0]
            if _ACRONYM.match(word) and word not in _ROMAN:
                found.append((offset + token.start(), word))
        if not headline:
            for start, words in _runs(paragraph, tokens):
                for name in words:
                    found.append((offset + start, " ".join(name)))
        offset += len(paragraph) + 1
    seen = set()
    result = []
    for _, name in sorted(found, key=lambda pair: pair[0]):
        if name not in seen:
            seen.add(name)
            result.append(name)
    return result


def _runs(paragraph: str, tokens: list[re.Match]):
    """(start, names) for each run of capitalised words joined by single spaces and connectors."""
    run: list[str] = []
    run_start = 0
    sentence_start = True
    previous_end = 0
    ends_run = False
    for i, token in enumerate(tokens):
        gap = paragraph[previous_end : token.start()]
        word, possessive = _strip_possessive(token.group())
        joined = run and not ends_run and gap == " "
        if not joined:
            if run:
                yield run_start, _names_in_run(run, run_sentence_start)
            run = []
            sentence_start = i == 0 or bool(_SENTENCE_END.search(gap))
        if _is_cap(word) or (run and word in CONNECTORS):
            if not run:
                run_start = token.start()
                run_sentence_start = sentence_start
            run.append(word)
            ends_run = possessive and not token.group().endswith(("s'", "s’"))  # "Presidents’ Forum" goes on
        else:
            if run:
                yield run_start, _names_in_run(run, run_sentence_start)
            run = []
            ends_run = False
        previous_end = token.end()
    if run:
        yield run_start, _names_in_run(run, run_sentence_start)
