"""People with titles that a release names and the glossary lacks, and proposed glossary entries for what
`glossary suggest` finds (`--write FILE`).

    Dean Chen-Hsiung Lin of the College of Nursing     → Chen-Hsiung Lin: Dean, College of Nursing
    Seoul National University President Jae-won Choi   → Jae-won Choi: President, Seoul National University
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.glossary.formats.tbx_format import generated_id
from pipeline.glossary.model import Entry
from pipeline.glossary.people.names import POSSESSIVE, name_tokens
from pipeline.glossary.people.titles import default_table
from pipeline.glossary.uncovered import HEADS, INSTITUTION_HEADS

__all__ = ["ProposedPerson", "find_people", "proposed_entries"]

_WORD = r"[A-Z][\w’'-]*"
# "of [the] College of Nursing", "of KMU’s College of Medicine"
_AFTER_OF = re.compile(rf" of (?:the )?({_WORD}(?:(?: |’s |'s )(?:(?:of|for|the) )*{_WORD})*)")
# "Seoul National University President", "KMU’s President"
_BEFORE = re.compile(rf"({_WORD}(?: (?:(?:of|for|the) )*{_WORD})*)(?:’s|'s)? $")


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


def find_people(text: str, glossary) -> list[ProposedPerson]:
    """People named with a title (`Dean Chen-Hsiung Lin`) who are not in the glossary, in order, once each, with
    every title and institution found for them."""
    if glossary is None:
        table, matches = default_table(), []
    else:
        table, matches = glossary.titles, glossary.find(text)
    covered = [(m.start, m.end) for m in matches]
    people: dict[str, ProposedPerson] = {}
    for use in table.finditer(text):
        if any(s <= use.start < e for s, e in covered):
            continue
        pos = use.end
        while text.startswith(" ", pos) and table.at(text, pos + 1) is not None:
            pos = table.at(text, pos + 1).end
        if not text.startswith(" ", pos):
            continue
        tokens = name_tokens(text, pos + 1)
        if len(tokens) < 2 or any(s <= t.start() < e for t in tokens for s, e in covered):
            continue
        if tokens[-1].group().rstrip("’'s") in HEADS:
            continue  # "President Hospital Board": not a name
        name = POSSESSIVE.sub("", text[tokens[0].start() : tokens[-1].end()])
        institution = _institution(text, use.start, tokens[-1].end(), glossary)
        person = people.setdefault(name, ProposedPerson(name, POSSESSIVE.sub("", tokens[-1].group())))
        title = ProposedTitle(use.title.english, *institution)
        if all(t.title != title.title or t.institution != title.institution for t in person.titles):
            person.titles.append(title)
    return list(people.values())


def _institution(text: str, title_start: int, name_end: int, glossary) -> tuple[str, str]:
    """(institution as written, its glossary id or "") named next to a titled person."""
    candidates = []
    after = _AFTER_OF.match(text, name_end)
    if after:
        candidates.append(after.group(1))
    before = _BEFORE.search(text[max(0, title_start - 120) : title_start])
    if before:
        candidates.append(before.group(1))
    for written in candidates:
        written = written.rstrip(".,;")
        entry = _glossary_institution(written, glossary)
        if entry is not None:
            return written, entry.id
        if _is_institution(written):
            return written, ""
    return "", ""


def _is_institution(name: str) -> bool:
    """A name holding a head noun (University, College, Hospital, Ministry, ...) names an institution."""
    return any(re.sub(r"[’']s$", "", word) in INSTITUTION_HEADS | HEADS - _PLACE_HEADS for word in name.split())


_PLACE_HEADS = {"City", "County", "Prefecture", "Province"}


def _glossary_institution(written: str, glossary):
    if glossary is None:
        return None
    for m in glossary.find(written):
        if m.start == 0 and m.end >= len(re.sub(r"[’']s$", "", written)) and m.entry.kind != "person":
            return m.entry
    return None


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
