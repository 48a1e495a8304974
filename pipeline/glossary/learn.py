"""Glossary entries learned from what reviewers wrote (`translate glossary suggest --from-reviews`).

A pure function of the reviewed rows (English and the reviewer's text, per release, row and language) and the
glossary: no files. Two kinds of proposal, each with its evidence (releases, rows, how many rows agree):

* **new**: a name the glossary lacks (`find_uncovered_names` on the English rows) and the form reviewers wrote
  for it: `Osaka University` zh-TW `大阪大學`, because the rows whose English holds the name share it and the rows
  without the name lack it;
* **change**: a glossary name whose form reviewers keep replacing: in rows where the machine text carried the
  glossary's form and the reviewer's text does not, the same other form stands instead.

How the form is found among the rows holding the name (one language at a time):

1. the glossary's own forms in those rows (of the other names their English holds) are taken out, and the text
   is cut into runs of CJK letters (Han, kana, Hangul): punctuation, Latin and digits are no part of a form;
2. a candidate is a piece of a run, 2 to `MAX_FORM` characters, that neither starts nor ends with a particle of
   the language (`與`, `的`, hiragana in ja, `의`, `와` … in ko: `EDGE_CHARACTERS`), held by at least
   `threshold(n)` of the n rows: all of them, or a clear majority (at least 2/3, never fewer than 2);
3. a candidate that any row WITHOUT the name holds is not the name's form (`大學`, `簽署` are everyone's);
4. an occurrence counts only where the piece meets a word boundary on one side at least (the run's end, or a
   particle next to it), and the piece must meet one on its left in one row and on its right in one row: `東北大`,
   common to `東北大學` and `東北大学`, never ends at a boundary, so it is no form;
5. of what is left, the candidates no longer one says the same of (held by exactly the same rows) are the forms;
   exactly one form must remain. Two (`大阪大學` in two rows and `大阪大学` in the third leave `大阪大` and
   `大阪大學`; or the name and a phrase the same rows share) mean the reviewers disagree, or the rows cannot tell
   the name from its context: nothing is proposed, and the forms are reported as undecided.

Never from one row alone: a name in fewer than 2 reviewed rows of a language proposes nothing in it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pipeline.glossary.glossary import Glossary
from pipeline.glossary.model import Entry
from pipeline.glossary.uncovered import find_uncovered_names
from pipeline.language.script import HAN, HANGUL, KANA, char_class

__all__ = ["EDGE_CHARACTERS", "MAX_FORM", "Learned", "Proposal", "ReviewedRow", "Undecided", "learn", "threshold"]

MAX_FORM = 24  # characters: longer than any institution's name in the office's glossary
MIN_ROWS = 2
_RUN = re.compile(char_class(HAN, KANA, HANGUL)[:-1] + "々〆]+")
# Particles and function words that begin or end no name (by the language's primary subtag).
EDGE_CHARACTERS = {
    "zh": set("的與与和及或在於于為为是將将並并也都對对向從从到把被之而跟同由"),
    "ja": {chr(cp) for cp in range(0x3041, 0x309F)},  # hiragana: の は が を に で と も へ や …
    "ko": set("은는을를의에와과도로"),
}


@dataclass(frozen=True)
class ReviewedRow:
    """One row of an imported review: the English and what the reviewer's document holds, in one language."""

    release: str
    segment: str
    lang: str
    english: str
    text: str  # the reviewed text
    machine: str = ""  # the run's translation the reviewer started from
    edited: bool = False  # the reviewer changed the text (else approved it as it was)


@dataclass
class Proposal:
    kind: str  # "new": a name the glossary lacks; "change": another form for a glossary name
    english: str
    lang: str
    form: str
    agree: int  # rows holding the form
    rows: int  # rows weighed: holding the name (new), or where reviewers replaced the glossary's form (change)
    evidence: list[tuple[str, str]] = field(default_factory=list)  # (release, segment) of the rows holding the form
    entry: str = ""  # change: the glossary entry's id
    replaces: str = ""  # change: the glossary's form that reviewers replaced
    kept: int = 0  # change: rows where reviewers kept the glossary's form

    @property
    def releases(self) -> list[str]:
        return list(dict.fromkeys(release for release, _ in self.evidence))

    def describe(self) -> str:
        rows = ", ".join(f"{release} {segment}" for release, segment in self.evidence)
        if self.kind == "change":
            return (
                f"{self.english} ({self.entry}) {self.lang}: {self.replaces} → {self.form}: reviewers wrote it in "
                f"{self.agree} of the {self.rows} rows where they replaced the glossary's form ({rows}); "
                f"{self.kept} row{'s' if self.kept != 1 else ''} kept it"
            )
        return f"{self.english} {self.lang}={self.form}: in {self.agree} of {self.rows} reviewed rows ({rows})"

    def to_dict(self) -> dict:
        item = {
            "kind": self.kind,
            "english": self.english,
            "lang": self.lang,
            "form": self.form,
            "agree": self.agree,
            "rows": self.rows,
            "releases": self.releases,
            "evidence": [{"release": release, "segment": segment} for release, segment in self.evidence],
        }
        if self.kind == "change":
            item.update(entry=self.entry, replaces=self.replaces, kept=self.kept)
        return item


@dataclass
class Undecided:
    """A name seen in enough reviewed rows for which no single form reached agreement."""

    english: str
    lang: str
    rows: int
    forms: dict[str, int]  # each competing form → rows holding it (empty: no form common to enough rows)
    entry: str = ""  # a glossary name whose form reviewers replaced

    def describe(self) -> str:
        forms = ", ".join(f"{form} in {count}" for form, count in self.forms.items()) or "no form common to enough rows"
        return f"{self.english} {self.lang}: {self.rows} rows, reviewers disagree ({forms})"

    def to_dict(self) -> dict:
        return {"english": self.english, "lang": self.lang, "rows": self.rows, "forms": self.forms,
                **({"entry": self.entry} if self.entry else {})}  # fmt: skip


@dataclass
class Learned:
    proposals: list[Proposal] = field(default_factory=list)
    undecided: list[Undecided] = field(default_factory=list)


def threshold(rows: int) -> int:
    """How many of `rows` rows must hold a form: all, or a clear majority (2/3), never fewer than 2."""
    return max(MIN_ROWS, math.ceil(2 * rows / 3))


def learn(rows: Iterable[ReviewedRow], glossary: Glossary | None) -> Learned:
    """What reviewers' texts propose for the glossary (see the module doc), in order of first appearance."""
    rows = list(rows)
    learned = Learned()
    by_lang: dict[str, list[ReviewedRow]] = {}
    for row in rows:
        by_lang.setdefault(row.lang, []).append(row)
    english = dict.fromkeys(row.english for row in rows)
    names = list(dict.fromkeys(name for text in english for name in find_uncovered_names(text, glossary)))
    for lang, lang_rows in by_lang.items():
        matches = [glossary.find(row.english) if glossary is not None else [] for row in lang_rows]
        masked = [_mask(row.text, [m.entry for m in found], lang) for row, found in zip(lang_rows, matches)]
        everything = "\n".join(row.text for row in lang_rows)
        for name in names:
            holds = _name_pattern(name)
            with_name = [i for i, row in enumerate(lang_rows) if holds.search(row.english)]
            if len(with_name) < MIN_ROWS:
                continue
            elsewhere = _held_elsewhere(everything, [lang_rows[i].text for i in with_name])
            _decide(learned, "new", name, lang, [lang_rows[i] for i in with_name], [masked[i] for i in with_name], elsewhere)
        _changes(learned, lang, lang_rows, matches, everything)
    return learned


def _held_elsewhere(everything: str, texts: list[str]):
    """Whether a piece is in a row of `everything` (the language's rows joined by line breaks) that is not one of
    `texts`: it occurs there more often than in `texts` (a piece of CJK letters never spans two rows)."""
    own = "\n".join(texts)
    return lambda piece: everything.count(piece) > own.count(piece)


def _changes(learned: Learned, lang: str, rows: list[ReviewedRow], matches: list[list], everything: str) -> None:
    """Glossary forms that reviewers replaced in at least 2 rows by the same other form."""
    replaced: dict[tuple[str, str], list[int]] = {}
    kept: dict[tuple[str, str], int] = {}
    entries: dict[str, Entry] = {}
    for i, (row, found) in enumerate(zip(rows, matches)):
        # "Kaohsiung Medical University (KMU)": the name and the abbreviation are weighed each on its own
        for part in (part for match in found for part in match.parts or (match,)):
            form = part.target(lang)
            if not form or part.entry.do_not_translate:
                continue
            key = (part.entry.id, form)
            entries[part.entry.id] = part.entry
            if form in row.text:
                kept[key] = kept.get(key, 0) + 1
            elif row.edited and form in row.machine and i not in replaced.get(key, []):
                replaced.setdefault(key, []).append(i)
    for (entry_id, form), indexes in replaced.items():
        if len(indexes) < MIN_ROWS:
            continue
        entry = entries[entry_id]
        others = [[m.entry for m in matches[i] if m.entry.id != entry_id] for i in indexes]
        # its own other forms only where they stand alone: `高醫` in `（高醫）`, not in a new form `高醫大學`
        own = _forms_of([entry], lang) - {form}
        masked = [_mask(_mask(rows[i].text, other, lang), [], lang, own) for i, other in zip(indexes, others)]
        with_entry = [row.text for row, found in zip(rows, matches) if any(m.entry.id == entry_id for m in found)]
        _decide(
            learned, "change", entry.english, lang, [rows[i] for i in indexes], masked,
            _held_elsewhere(everything, with_entry),
            entry=entry_id, replaces=form, kept=kept.get((entry_id, form), 0),
        )  # fmt: skip


def _decide(
    learned: Learned, kind: str, english: str, lang: str, rows: list[ReviewedRow], texts: list[str],
    elsewhere: Callable[[str], bool], **change,
) -> None:  # fmt: skip
    forms = _agreed(texts, elsewhere, lang)
    if len(forms) == 1:
        form, holders = next(iter(forms.items()))
        evidence = [(rows[i].release, rows[i].segment) for i in sorted(holders)]
        learned.proposals.append(Proposal(kind, english, lang, form, len(holders), len(rows), evidence, **change))
    elif forms or kind == "change":  # a new name kept in English (an acronym) has no form: plain suggest lists it
        counts = {form: len(holders) for form, holders in sorted(forms.items(), key=lambda item: -len(item[1]))}
        learned.undecided.append(Undecided(english, lang, len(rows), counts, change.get("entry", "")))


def agreed_forms(texts: list[str], without: list[str], lang: str) -> dict[str, set[int]]:
    """The forms (module doc, steps 1-5) held by at least `threshold(len(texts))` of `texts` and by none of
    `without`: form → the indexes of the texts holding it. One form is agreement; none or several is not."""
    others = "\n".join(without)
    return _agreed(texts, lambda piece: piece in others, lang)


def _agreed(texts: list[str], elsewhere: Callable[[str], bool], lang: str) -> dict[str, set[int]]:
    need = threshold(len(texts))
    edges = EDGE_CHARACTERS.get(lang.split("-")[0].lower(), set())
    holders: dict[str, set[int]] = {}
    bounded: dict[str, list[bool]] = {}  # form → [a held occurrence ends there on the left, … on the right]
    for index, text in enumerate(texts):
        for piece, (left, right) in _pieces(text, edges).items():
            holders.setdefault(piece, set()).add(index)
            seen = bounded.setdefault(piece, [False, False])
            seen[0], seen[1] = seen[0] or left, seen[1] or right
    candidates = {
        piece: held
        for piece, held in holders.items()
        if len(held) >= need and all(bounded[piece]) and not elsewhere(piece)
    }
    return {
        piece: held
        for piece, held in candidates.items()
        if not any(piece != longer and piece in longer and candidates[longer] == held for longer in candidates)
    }


def _pieces(text: str, edges: set[str]) -> dict[str, tuple[bool, bool]]:
    """Every piece of `text`'s CJK runs that may be a name's form (2 to MAX_FORM characters, no particle at
    either end, a word boundary on at least one side: the run's end or a particle), with whether one of its
    occurrences has the boundary on the left and on the right. `大阪大` in `大阪大學` has neither: it is held only
    as part of a longer word."""
    found: dict[str, tuple[bool, bool]] = {}
    for run in _RUN.findall(text):
        for start in range(len(run) - 1):
            if run[start] in edges:
                continue
            left = start == 0 or run[start - 1] in edges
            for end in range(start + 2, min(len(run), start + MAX_FORM) + 1):
                right = end == len(run) or run[end] in edges
                if run[end - 1] in edges or not (left or right):
                    continue
                before = found.get(run[start:end], (False, False))
                found[run[start:end]] = (before[0] or left, before[1] or right)
    return found


def _forms_of(entries: list[Entry], lang: str) -> set[str]:
    """The target forms in `lang` (names and abbreviations) of `entries`."""
    forms = set()
    for entry in entries:
        forms.add(entry.target(lang) or "")
        forms.update(targets.get(lang) or "" for targets in entry.abbreviations.values())
    return {form for form in forms if form}


def _mask(text: str, entries: list[Entry], lang: str, alone: set[str] = frozenset()) -> str:
    """`text` without the target forms of `entries`, the glossary names its English holds (they are those names'
    forms, not the one sought), and without the forms in `alone` where they are a whole CJK run."""
    for form in sorted(_forms_of(entries, lang), key=len, reverse=True):
        text = text.replace(form, "\n")
    if alone:
        text = _RUN.sub(lambda run: "\n" if run.group() in alone else run.group(), text)
    return text


def _name_pattern(name: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
