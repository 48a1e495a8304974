"""Stage: people with titles, resolved across a release (docs/glossary.md, "Mentions of people").

Press releases name a person with a title once, then by title and surname: "KMU President Ming-Lung Yu … President
Yu noted". Each such mention is linked to a person of the glossary and rendered whole in the house style of each
target language (高醫余明隆校長 / KMUの余明隆学長, later 余校長 / 余学長), protected through the model like any
glossary term. Recognised, in each segment (verbatim spans excepted):

* `[Institution['s]] Title… Full-name` — `Kumamoto University President Prof. Hisao Ogawa` (a chain of titles:
  the first that is an office gives the form; courtesy titles such as Prof. only when there is no office);
* `Full-name, [the] Title of [the] Institution` — `Ming-Lung Yu, President of KMU`;
* `Title… Surname` — `President Yu`, `Prof. Ogawa`, `Mr. Lu`: linked to the person of that family name named
  earlier in the release, else to the glossary's; where two share the name, to the one with that title;
* `Title of [the] Institution` with no name — `served as President of the NCVC`: the title alone, in the form of
  that kind of institution (理事長), so that a model never writes 總統 for it.

Never silent: a titled reference that cannot be linked (a person not in the glossary, two people with the same
surname and title, no one of that name) is flagged on its row (`person-unresolved`) with what was found; the title
alone is still rendered from the titles table and the name is left to the model. Every linked reference gets a
`person` note saying whom it was linked to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.core.release import Flag, Release, Segment, Translation
from pipeline.glossary.model import Entry
from pipeline.glossary.people.names import POSSESSIVE, name_tokens, person_of
from pipeline.glossary.people.titles import institution_type_of

__all__ = ["Mention", "PeopleInRelease", "resolve_people"]

_INSTITUTION_GLUE = (" ", "’s ", "'s ")
_FLAG_LINKED = "person"
_FLAG_UNRESOLVED = "person-unresolved"


@dataclass
class _Known:
    """A person named in the release so far: from the glossary (`entry`) or not (an unglossed name)."""

    english: str
    family: str
    entry: object | None
    titles: set[str] = field(default_factory=set)  # title keys used with the person in this release
    offices: set[str] = field(default_factory=set)  # those of them that are offices (not Prof., Dr., Mr.)
    segment: str = ""  # where first named


@dataclass
class Mention:
    """A reference to a person (or a title alone) in a segment; duck-types `glossary.Match` for the translate stage.

    `target(lang)` is what the translation holds in place of `text`; None leaves the span to the model.
    """

    start: int
    end: int
    text: str
    title: object | None  # pipeline.glossary.people.titles.Title giving the form
    person: object | None = None  # pipeline.glossary.people.names.Person when linked
    institution: object | None = None  # glossary Match of the institution inside the span
    institution_type: str | None = None
    institution_name: str = ""  # English, for the note
    later: bool = False  # the person was named before in this release: the short form
    problem: str = ""  # why it could not be linked ("" when linked, or a title alone that names no one)
    style: object = None
    default_type: str = "university"

    @property
    def entry(self):
        """The person's glossary entry; for a title alone, an entry made of the title's forms for this mention's
        institution type (so that checks comparing forms across languages work on it as on any entry)."""
        if self.person is not None:
            return self.person.entry
        langs = {lang for forms in self.title.forms.values() for lang in forms}
        targets = {lang: form for lang in sorted(langs) if (form := self.title_form(lang))}
        return Entry(id=f"title:{self.title.english}", english=self.title.english, targets=targets)

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def linked(self) -> bool:
        return self.person is not None

    def status_for(self, lang: str) -> str:
        return self.person.entry.status_for(lang) if self.person is not None else "approved"

    def title_form(self, lang: str) -> str | None:
        if self.title is None:
            return None
        return self.title.form(lang, self.institution_type, self.default_type)

    def target(self, lang: str) -> str | None:
        title = self.title_form(lang)
        if self.person is None or (title is None and self.title is not None):
            return title  # no form of the title in `lang`: the mention is left to the glossary's own matches
        name = None
        if self.later and self.style.later_mentions == "family":
            name = self.person.family_form(lang)
        name = name or self.person.full(lang)
        if name is None:
            return None
        institution = self.institution.target(lang) if self.institution is not None else None
        return self.style.render(lang, name, title, institution)

    def note(self, lang: str) -> Flag | None:
        rendered = self.target(lang)
        if self.person is not None and rendered is None:
            return None  # nothing rendered in `lang` (no form): the glossary's own terms and Notes apply
        if self.person is not None:
            where = f", {self.title.english} of {self.institution_name}" if self.title and self.institution_name else ""
            return Flag(_FLAG_LINKED, f"“{self.text}” = {self.person.english} ({self.person.id}{where}) → {rendered}")
        if self.problem:
            title = f"title rendered {rendered}; " if rendered else ""
            return Flag(_FLAG_UNRESOLVED, f"{self.problem}; {title}the name is left to the model: check it")
        return None


class PeopleInRelease:
    """The mentions of each segment of a release, and a term finder for the translate stage that puts them in place
    of the glossary matches they cover."""

    def __init__(self, glossary, mentions: dict[str, list[Mention]]):
        self.glossary = glossary
        self.mentions = mentions
        self.path = getattr(glossary, "path", None)
        self.hash = getattr(glossary, "hash", None)

    # the TermFinder protocol (pipeline.translation.stage)
    def find(self, text: str) -> list:
        return self.glossary.find(text)

    def find_in_segment(self, segment: Segment, lang: str | None = None) -> list:
        """The glossary's matches in `segment`, with the mentions in place of those they cover. With `lang`, a
        mention the titles table has no form for in `lang` is left out (the glossary's own matches stay)."""
        mentions = self.mentions.get(segment.id, [])
        if lang is not None:
            mentions = [m for m in mentions if m.target(lang) is not None]
        matches = self.glossary.find(segment.source)
        if not mentions:
            return matches
        kept = [m for m in matches if not any(m.start < x.end and x.start < m.end for x in mentions)]
        return sorted(kept + list(mentions), key=lambda m: m.start)

    def flag(self, segments: list[Segment], translations: list[Translation], lang: str) -> None:
        """Notes for the reviewer: whom each reference was linked to, and the references that could not be."""
        for segment, translation in zip(segments, translations):
            for mention in self.mentions.get(segment.id, []):
                note = mention.note(lang)
                if note is not None and all(f.message != note.message for f in translation.flags):
                    translation.flags.append(note)


def resolve_people(release: Release, glossary) -> PeopleInRelease:
    """Find and link every titled mention of a person in `release` (segments in order)."""
    table = glossary.titles
    style = glossary.house_style
    people = [p for p in (person_of(e) for e in glossary.entries) if p is not None]
    by_family: dict[str, list] = {}
    for person in people:
        by_family.setdefault(person.family.casefold(), []).append(person)
    known: list[_Known] = []
    result: dict[str, list[Mention]] = {}
    offices = {form.rstrip(".").casefold() for t in table.titles if not t.courtesy for form in [t.english]}

    def remember(english: str, family: str, entry, title_key: str | None, segment_id: str) -> bool:
        """Add a person to those named in the release; whether they had been named before."""
        for k in known:
            if (entry is not None and k.entry is entry) or (entry is None and k.entry is None and k.english == english):
                _add_title(k, title_key, offices)
                return True
        known.append(_Known(english, family, entry, segment=segment_id))
        _add_title(known[-1], title_key, offices)
        return False

    for segment in release.segments:
        if segment.verbatim:
            continue
        text = segment.source
        verbatim = [(s.start, s.end) for s in segment.verbatim_spans()]
        matches = [m for m in glossary.find(text) if not any(m.start < e and s < m.end for s, e in verbatim)]
        persons = {m.start: m for m in matches if m.entry.kind == "person"}
        institutions = [m for m in matches if m.entry.kind not in ("person", "do-not-translate")]
        mentions: list[Mention] = []
        taken: list[tuple[int, int]] = []

        def free(start: int, end: int) -> bool:
            return not any(start < e and s < end for s, e in taken + verbatim)

        def institution_before(pos: int):
            for m in institutions:
                if text[m.end : pos] in _INSTITUTION_GLUE and m.end < pos:
                    return m
            return None

        def institution_after_of(pos: int):
            """A glossary institution right after ` of [the] ` at `pos`, not itself followed by a possessive."""
            m_of = re.compile(r" of (?:the )?").match(text, pos)
            if not m_of:
                return None
            for m in institutions:
                if m.start == m_of.end() and not text.startswith(("’s", "'s"), m.end):
                    return m
            return None

        def covered_by_match(pos: int) -> bool:
            return any(m.start <= pos < m.end for m in matches)

        # "Ming-Lung Yu, President of KMU": a full name followed by its title at an institution
        for start, match in sorted(persons.items()):
            if not free(match.start, match.end):
                continue
            person = person_of(match.entry)
            appositive = re.compile(r", (?:the |a )?").match(text, match.end)
            title = table.at(text, appositive.end()) if appositive else None
            inst = institution_after_of(title.end) if title is not None else None
            if title is not None and inst is not None and free(match.start, inst.end):
                office = title.title
                _, inst_type, inst_name = _institution(person, office, inst, None, glossary, institution_type_of)
                remember(person.english, person.family, person.entry, office.english.casefold(), segment.id)
                mentions.append(Mention(match.start, inst.end, text[match.start:inst.end], office, person, inst,
                                        inst_type, inst_name, style=style, default_type=style.default_institution))  # fmt: skip
                taken.append((match.start, inst.end))
        for first in table.finditer(text):
            if not free(first.start, first.end) or covered_by_match(first.start):
                continue
            chain = [first]
            pos = first.end
            while text.startswith(" ", pos):
                nxt = table.at(text, pos + 1)
                if nxt is None:
                    break
                chain.append(nxt)
                pos = nxt.end
            office = next((t.title for t in chain if not t.title.courtesy), chain[0].title)
            title_key = office.english.casefold()
            after = pos + 1 if text.startswith(" ", pos) else pos
            person_match = persons.get(after) if after > pos else None
            before = institution_before(first.start)
            if person_match is not None:
                person = person_of(person_match.entry)
                inst, inst_type, inst_name = _institution(person, office, before, institution_after_of(person_match.end),
                                                          glossary, institution_type_of)  # fmt: skip
                start = before.start if before is not None else first.start
                remember(person.english, person.family, person.entry, title_key, segment.id)
                # a full name written out is rendered in full (later=False)
                mentions.append(
                    Mention(start, person_match.end, text[start : person_match.end], office, person,
                            before, inst_type, inst_name, style=style, default_type=style.default_institution)
                )  # fmt: skip
                taken.append((start, person_match.end))
                continue
            tokens = name_tokens(text, after) if after > pos else []
            tokens = [t for t in tokens if free(t.start(), t.end()) and not covered_by_match(t.start())]
            if not tokens:
                inst = institution_after_of(pos)
                if inst is not None:  # "President of the NCVC": the title alone, in that institution's form
                    kind = institution_type_of(inst.entry)
                    mentions.append(Mention(first.start, pos, text[first.start:pos], office, None, None, kind,
                                            inst.entry.english, style=style, default_type=style.default_institution))  # fmt: skip
                    taken.append((first.start, pos))
                continue
            title_span = (before.start if before is not None else first.start, pos)
            before_type = institution_type_of(before.entry) if before is not None else None
            if len(tokens) >= 2:  # "Dean Chen-Hsiung Lin": a person the glossary does not have
                written = text[first.start : tokens[-1].end()]
                name = POSSESSIVE.sub("", text[tokens[0].start() : tokens[-1].end()])
                remember(name, POSSESSIVE.sub("", tokens[-1].group()), None, title_key, segment.id)
                problem = f"“{written}”: {name} is not in the glossary (add the person: translate glossary suggest --write)"
                mentions.append(Mention(first.start, pos, text[first.start:pos], office, None, None, before_type,
                                        problem=problem, style=style, default_type=style.default_institution))  # fmt: skip
                taken.append((first.start, pos))
                continue
            surname = POSSESSIVE.sub("", tokens[0].group())
            end = tokens[0].start() + len(surname)
            person, problem = _link_surname(surname, office, title_key, known, by_family, person_of)
            start = title_span[0] if person is not None else first.start
            if person is not None:
                inst, inst_type, inst_name = _institution(person, office, before, None, glossary, institution_type_of)
                later = remember(person.english, person.family, person.entry, title_key, segment.id)
                mentions.append(Mention(start, end, text[start:end], office, person, before, inst_type, inst_name,
                                        later=later, style=style, default_type=style.default_institution))  # fmt: skip
                taken.append((start, end))
            else:
                mention = Mention(first.start, pos, text[first.start:pos], office, None, None, before_type,
                                  problem=problem, style=style, default_type=style.default_institution)  # fmt: skip
                mention.problem = f"“{text[first.start:end]}”: {problem}"
                mentions.append(mention)
                taken.append((first.start, pos))

        for match in persons.values():  # names without a title: named in the release all the same
            person = person_of(match.entry)
            remember(person.english, person.family, person.entry, None, segment.id)
        if mentions:
            result[segment.id] = sorted(mentions, key=lambda m: m.start)
    return PeopleInRelease(glossary, result)


def _institution(person, office, in_text, after_of, glossary, institution_type_of):
    """(institution match in the span or None, institution type, institution's English name) for a person's title.

    The person's own title in the glossary decides (its `type`, else its institution's kind), unless the text names
    another institution next to the mention."""
    own = person.title_named(office.english) if person is not None else None
    named = in_text or after_of
    if named is not None and (own is None or own.of != named.entry.id):
        return in_text, institution_type_of(named.entry), named.entry.english
    if own is not None:
        entry = glossary.get(own.of) if own.of else None
        kind = own.type or (institution_type_of(entry) if entry is not None else None)
        name = entry.english if entry is not None else ""
        return in_text, kind, f"{name} ({own.type})" if name and own.type else name
    return in_text, None, ""


def _link_surname(surname: str, office, title_key: str | None, known: list[_Known], by_family: dict, person_of):
    """(the glossary person a "Title Surname" reference is to, or None; what was found when it is None).

    `office` is the reference's title (an office, or a courtesy title: Prof., Dr., Mr.). A person named in the
    release with other offices, or a glossary person whose titles are others, is not taken for a reference with
    an office they do not hold: "Vice President Yu" is not President Ming-Lung Yu."""
    folded = surname.casefold()
    named = [k for k in known if k.family.casefold() == folded]
    if named:
        if len(named) > 1:
            with_title = [k for k in named if title_key in k.titles]
            if len(with_title) == 1:
                named = with_title
        if len(named) > 1:
            names = ", ".join(k.english for k in named)
            return None, f"{len(named)} people named {surname} in this release ({names})"
        k = named[0]
        if k.entry is None:
            return None, f"{k.english} (named in {k.segment}) is not in the glossary"
        person = person_of(k.entry)
        held = k.offices | {t.title.casefold() for t in person.titles}
        if not office.courtesy and held and title_key not in held:
            return None, (f"{k.english} (named in {k.segment}) is {_offices(k.offices, person)}, not "
                          f"{office.english}: another {surname}?")  # fmt: skip
        return person, ""
    candidates = by_family.get(folded, [])
    if len(candidates) > 1:
        with_title = [p for p in candidates if p.title_named(title_key)]
        if len(with_title) == 1:
            return with_title[0], ""
        names = ", ".join(p.english for p in candidates)
        return None, f"{len(candidates)} people named {surname} in the glossary ({names}) and none named in the release"
    if candidates:
        person = candidates[0]
        if not office.courtesy and person.titles and person.title_named(title_key) is None:
            return None, (f"the glossary's {person.english} is {_offices(set(), person)}, not {office.english}: "
                          f"another {surname}?")  # fmt: skip
        return person, ""
    return None, f"no one named {surname} in this release or the glossary"


def _add_title(known: _Known, key: str | None, offices: set[str]) -> None:
    if key:
        known.titles.add(key)
        if key in offices:
            known.offices.add(key)


def _offices(named_with: set[str], person) -> str:
    titles = list(dict.fromkeys([t.title for t in person.titles] + sorted(t.title() for t in named_with)))
    return " / ".join(titles) if titles else "named without that title"
