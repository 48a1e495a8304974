"""People with titles that a release names and the glossary lacks, and proposed glossary entries for what
`glossary suggest` finds (`--write FILE`).

    Dean Chen-Hsiung Lin of the College of Nursing     → Chen-Hsiung Lin: Dean, College of Nursing
    Seoul National University President Jae-won Choi   → Jae-won Choi: President, Seoul National University
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from pipeline.glossary.formats.tbx_format import generated_id
from pipeline.glossary.model import DO_NOT_TRANSLATE, Entry
from pipeline.core.release import Release
from pipeline.glossary.name_layout import NameLayout, release_layout, text_layout
from pipeline.glossary.people.names import POSSESSIVE, name_tokens, person_of
from pipeline.glossary.people.titles import TitleUse, default_table
from pipeline.glossary.people.untitled import find_untitled_people
from pipeline.glossary.uncovered import (
    CALENDAR,
    HEADS,
    INSTITUTION_HEADS,
    SENTENCE_WORDS,
    TITLE_MODIFIERS,
    TITLES,
    find_uncovered_names,
    misspelt_title,
)

__all__ = ["ProposedPerson", "find_people", "proposed_entries", "suggest_release"]

_WORD = r"[A-Z][\w’'-]*"
_INSTITUTION = rf"({_WORD}(?:(?: |’s |'s )(?:(?:of|for|the) )*{_WORD})*)"
# "of [the] College of Nursing", "of KMU’s College of Medicine"
_AFTER_OF = re.compile(rf" of (?:the )?{_INSTITUTION}")
# ", director of the Stroke Center": a title in lowercase, in apposition after the name
_APPOSITIVE = re.compile(rf",\s+(?:the\s+|an?\s+)?((?:[a-z]+\s+){{1,3}}?)of\s+(?:the\s+)?{_INSTITUTION}")
# "Seoul National University President", "KMU’s President"
_BEFORE = re.compile(rf"({_WORD}(?: (?:(?:of|for|the) )*{_WORD})*)(?:’s|'s)? $")
# What may stand between an institution and the title after it: "Osaka University Executive Vice President",
# "Kaohsiung Medical University (KMU) Professor", "KMU’s President".
_BEFORE_TITLE = re.compile(rf"(?:\s*\([A-Z][A-Za-z0-9-]*\))?(?:['’]s)?\s+(?:(?:{'|'.join(sorted(TITLE_MODIFIERS))})\s+)*$")
_MISSPELT = re.compile(r"\b[A-Z][a-z]{6,}\b")


@dataclass
class ProposedTitle:
    title: str
    institution: str = ""  # English, as written
    of: str = ""  # the institution's glossary id, when it has one


@dataclass
class ProposedPerson:
    name: str
    family: str
    titles: list[ProposedTitle] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "family": self.family,
            "titles": [{k: v for k, v in t.__dict__.items() if v} for t in self.titles],
        }

    def describe(self) -> str:
        parts = [f"{t.title}, {t.institution}" if t.institution else t.title for t in self.titles]
        return f"{self.name} — {'; '.join(parts)}" if parts else self.name

    def add(self, title: ProposedTitle) -> None:
        """Add a title found for this person, unless it says nothing new ("Dean Lin" after "Dean Chen-Hsiung Lin of
        the College of Nursing"); an institution fills in the same title found without one."""
        same = [t for t in self.titles if t.title == title.title]
        if any(t.institution == title.institution for t in same) or (same and not title.institution):
            return
        bare = next((t for t in same if not t.institution), None)
        if bare is not None:
            bare.institution, bare.of = title.institution, title.of
        else:
            self.titles.append(title)


@dataclass
class _Found:
    """What one title use in the text says: the title, the name after it, the institution next to them."""

    use: TitleUse
    name: str
    single: bool  # one word only ("Professor Tanaka"): a later mention, or a person known by one name
    title: ProposedTitle


def suggest_release(release: Release, glossary) -> tuple[list[str], list[ProposedPerson]]:
    """What `glossary suggest` lists for a release read by ingest: the names the glossary lacks (people left out:
    they are listed as people) and the people named with a title, both read where the release's structure says
    names can be (name_layout.release_layout)."""
    layout = release_layout(release)
    text = release.text
    people = find_people(text, glossary, layout)
    person_names = {p.name for p in people}
    return [n for n in find_uncovered_names(text, glossary, layout) if n not in person_names], people


def find_people(text: str, glossary, layout: NameLayout | None = None) -> list[ProposedPerson]:
    """People named with a title (`Dean Chen-Hsiung Lin`), or in full in a clear person pattern without one
    (`Hiroshi Tanaka of Osaka University said`), who are not in the glossary, in order, once each, with
    every title and institution found for them. A title with one word after it (`Professor Tanaka`) adds to the
    person of that family or given name found with a full name; else it proposes that one name, unless a glossary
    person has it or the release writes it in lowercase. `layout` (name_layout.py): no people from headings,
    release information or datelines."""
    layout = layout if layout is not None else text_layout(text)
    table = default_table() if glossary is None else glossary.titles
    matches = [] if glossary is None else glossary.find(text)
    found = _title_names(text, table, matches, layout)
    people: dict[str, ProposedPerson] = {}
    for item in found:
        if not item.single:
            person = people.setdefault(item.name, ProposedPerson(item.name, POSSESSIVE.sub("", item.name.split()[-1])))
            person.add(item.title)
    known = _glossary_names(glossary)
    for item in found:
        if not item.single:
            continue
        same = [p for p in people.values() if item.name == p.family or item.name in p.name.split()[:-1]]
        if same:
            same[0].add(item.title)
        elif item.name not in known and _plausible_name(item.name, layout):
            people.setdefault(item.name, ProposedPerson(item.name, item.name)).add(item.title)
    for found in _untitled(text, table, matches, layout):
        if found.name not in people and not any(found.name in p.name for p in people.values()):
            people[found.name] = ProposedPerson(found.name, found.family)
    return list(people.values())


def _untitled(text: str, table, matches, layout: NameLayout):
    """People named in full without a title (`Hiroshi Tanaka of Osaka University said`: people/untitled.py, the
    detector the mention resolver flags them with), outside headings, release information and datelines."""
    lines = [i for i, ch in enumerate(text) if ch == "\n"]
    covered = [(m.start, m.end) for m in matches]
    title_ends = {use.end for use in table.finditer(text)}
    for found in find_untitled_people(text, covered, title_ends, frozenset(layout.lowercase)):
        line = bisect_right(lines, found.start)
        if line not in layout.headings and line not in layout.quiet and not any(s <= found.start < e for s, e in layout.skipped):
            yield found


def _title_names(text: str, table, matches, layout: NameLayout) -> list[_Found]:
    covered = [(m.start, m.end) for m in matches]
    lines = [i for i, ch in enumerate(text) if ch == "\n"]
    found = []
    for use in _title_uses(text, table):
        line = bisect_right(lines, use.start)
        if (any(s <= use.start < e for s, e in covered) or line in layout.headings or line in layout.quiet
                or any(s <= use.start < e for s, e in layout.skipped)):  # fmt: skip
            continue
        pos = use.end
        while text.startswith(" ", pos) and table.at(text, pos + 1) is not None:
            pos = table.at(text, pos + 1).end
        if not text.startswith(" ", pos):
            continue
        tokens = name_tokens(text, pos + 1)
        if not tokens or any(s <= t.start() < e for t in tokens for s, e in covered):
            continue
        if tokens[-1].group().rstrip("’'s") in HEADS:
            continue  # "President Hospital Board": not a name
        name = POSSESSIVE.sub("", text[tokens[0].start() : tokens[-1].end()])
        title, institution = _title_at(text, use, tokens[-1].end(), table, matches)
        found.append(_Found(use, name, len(tokens) == 1, ProposedTitle(title, *institution)))
    return found


def _title_uses(text: str, table):
    """The titles of the table in `text`, and capitalised words that misspell one of its one-word titles by at most
    two letters (`Superindendant`), in order."""
    uses = list(table.finditer(text))
    forms = frozenset(f for t in table.titles for f in t.english_forms() if f.isalpha() and len(f) >= 7)
    for m in _MISSPELT.finditer(text):
        meant = misspelt_title(m.group(), forms)
        if meant is not None and not any(u.start <= m.start() < u.end for u in uses):
            uses.append(TitleUse(table.get(meant), m.start(), m.end(), m.group()))
    return sorted(uses, key=lambda u: u.start)


def _title_at(text: str, use: TitleUse, name_end: int, table, matches) -> tuple[str, tuple[str, str]]:
    """The title (the office in apposition, `, director of the Stroke Center`, where the title before the name is
    a courtesy one such as Dr.) and (institution as written, glossary id)."""
    appositive = _APPOSITIVE.match(text, name_end)
    if appositive is not None:
        office = next((table.get(w) for w in appositive.group(1).split() if table.get(w) is not None), None)
        if office is not None and not office.courtesy:
            return office.english, _institution_written(appositive.group(2), matches, text, appositive.start(2))
    return use.title.english, _institution(text, use.start, name_end, matches)


def _institution(text: str, title_start: int, name_end: int, matches) -> tuple[str, str]:
    """(institution as written, its glossary id or "") named next to a titled person: `of [the] X` after the
    name, else X right before the title (`Osaka University Executive Vice President`, `Kaohsiung Medical
    University (KMU) Professor`)."""
    after = _AFTER_OF.match(text, name_end)
    if after:
        named = _name_at(text, after.start(1))  # the name finder's end: "Department of Oral and Maxillofacial Surgery"
        written = _institution_written(named or after.group(1), matches, text, after.start(1))
        if written[0]:
            return written
    window_start = max(0, title_start - 160)
    between = _BEFORE_TITLE.search(text, window_start, title_start)
    if between is None:
        return "", ""
    before_end = between.start()
    before = _BEFORE.search(text[window_start:before_end] + " ")
    if before:
        words = before.group(1).split()
        while words and words[0] in SENTENCE_WORDS:
            words = words[1:]  # "Meanwhile Seoul National University President …"
        if words:
            start = window_start + before.start(1) + before.group(1).index(words[0])
            return _institution_written(" ".join(words), matches, text, start)
    return "", ""


def _name_at(text: str, start: int) -> str:
    """The multi-word name that starts at `start`, as the name finder (uncovered.py) delimits it, or ""."""
    sentence = text[start : start + 200].split("\n", 1)[0]
    names = [n for n in find_uncovered_names(sentence, None, NameLayout()) if " " in n and sentence.startswith(n)]
    return max(names, key=len, default="")


def _institution_written(written: str, matches, text: str, start: int) -> tuple[str, str]:
    """(written, id) for an institution as written at `start`: the id of the glossary name it is, or that starts
    it with a possessive or a unit's head noun (`KMU’s College of Medicine`, `KMU College of Medicine` → kmu);
    ("", "") where it names no institution."""
    written = written.rstrip(".,;")
    for m in matches:
        if m.start != start or m.entry.kind in ("person", DO_NOT_TRANSLATE):
            continue
        rest = written[m.end - start :]
        if rest in ("", "’s", "'s") or rest.startswith(("’s ", "'s ")) or rest.split(" ", 2)[1:2] in _UNIT_HEADS:
            return written, m.entry.id
    if _is_institution(written):
        return written, ""
    return "", ""


def _is_institution(name: str) -> bool:
    """A name holding a head noun (University, College, Hospital, Ministry, ...) names an institution."""
    return any(re.sub(r"[’']s$", "", word) in INSTITUTION_HEADS | HEADS - _PLACE_HEADS for word in name.split())


_PLACE_HEADS = {"City", "County", "Prefecture", "Province"}
# A unit of the institution named before it: the Dean of "KMU College of Medicine" is a dean of KMU. (A hospital
# is an institution of its own: "Osaka University Hospital" keeps no `of: osaka-university`.)
_UNIT_HEADS = [[w] for w in ("College", "School", "Faculty", "Department", "Graduate", "Division", "Office")]


def _glossary_names(glossary) -> set[str]:
    """Every word of the glossary's people's names: "President Yu" is the glossary's Ming-Lung Yu."""
    if glossary is None:
        return set()
    names = set()
    for entry in glossary.entries:
        person = person_of(entry)
        if person is not None:
            names.add(person.family)
            names.update(entry.english.replace("-", " ").split())
            names.update(entry.english.split())
    return names


def _plausible_name(word: str, layout: NameLayout) -> bool:
    """One word after a title that may be a person's name: not a head noun, a title, a month, a sentence word,
    an acronym, nor a word the release writes in lowercase."""
    plain = POSSESSIVE.sub("", word)
    return not (
        plain in HEADS or plain in TITLES or plain in CALENDAR or plain in SENTENCE_WORDS or plain.isupper()
        or plain.lower() in layout.lowercase
    )  # fmt: skip


def proposed_entries(people: list[ProposedPerson], names: list[str], source: str, existing_ids: set[str]) -> list[Entry]:
    """Proposed glossary entries (status proposed, no targets: the office fills them in) for the people and names
    `glossary suggest` found in `source`."""
    used = set(existing_ids)
    entries = []
    person_names = {p.name for p in people}
    for person in people:
        titles = [{"title": t.title, **({"of": t.of} if t.of else {})} for t in person.titles]
        where = "; ".join(f"{t.title} of {t.institution}" if t.institution else t.title for t in person.titles)
        entries.append(
            Entry(
                id=generated_id(person.name, used),
                english=person.name,
                kind="person",
                status="proposed",
                person={"family": person.family, **({"titles": titles} if titles else {})},
                note=f"Proposed by glossary suggest from {source} ({where}): fill in targets and family_targets "
                "(zh-TW, ja); check which word is the family name.",
            )
        )
        used.add(entries[-1].id)
    for name in names:
        if name in person_names:
            continue
        last = name.split()[-1]
        kind = "place" if last in _PLACE_HEADS else "institution" if _is_institution(name) else "term"
        entries.append(
            Entry(
                id=generated_id(name, used),
                english=name,
                kind=kind,
                status="proposed",
                note=f"Proposed by glossary suggest from {source}: fill in targets (zh-TW, ja) and check the kind.",
            )
        )
        used.add(entries[-1].id)
    return entries
