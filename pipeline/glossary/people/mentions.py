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
from pipeline.glossary.people.surnames import find_bare_surnames, lowercase_words
from pipeline.glossary.people.titles import COLLEGE, institution_type_of
from pipeline.glossary.people.untitled import family_of_tokens, find_untitled_people

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
    end: int = 0  # where the first mention ends in that segment: a later mention starts after it


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
    unit: object | None = None  # the college/school entry the title is at: its name goes before the title (護理學院院長)
    style: object = None
    default_type: str = "university"

    @property
    def entry(self):
        """The person's glossary entry; for a title alone, an entry made of the title's forms for this mention's
        institution type (so that checks comparing forms across languages work on it as on any entry)."""
        if self.person is not None:
            return self.person.entry
        if self.title is None:  # a later mention of a person not in the glossary: nothing to render
            return Entry(id=f"person:{self.text}", english=self.text)
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
        if self.unit is not None:
            composed = self.title.form_in_unit(lang, self.unit.targets.get(lang))
            if composed is not None:
                return composed
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
    resolver = _Resolver(glossary, lowercase_words(s.source for s in release.segments))
    result: dict[str, list[Mention]] = {}
    for segment in release.segments:
        if segment.verbatim:
            continue
        mentions = resolver.segment_mentions(segment)
        if mentions:
            result[segment.id] = sorted(mentions, key=lambda m: m.start)
    return PeopleInRelease(glossary, result)


class _Segment:
    """One segment's text, its glossary matches and the spans its mentions have taken so far."""

    def __init__(self, segment: Segment, glossary):
        self.id = segment.id
        self.text = text = segment.source
        self.verbatim = [(s.start, s.end) for s in segment.verbatim_spans()]
        self.matches = [m for m in glossary.find(text) if not any(m.start < e and s < m.end for s, e in self.verbatim)]
        self.persons = {m.start: m for m in self.matches if m.entry.kind == "person"}
        self.institutions = [m for m in self.matches if m.entry.kind not in ("person", "do-not-translate")]
        self.mentions: list[Mention] = []
        self.taken: list[tuple[int, int]] = []

    def add(self, mention: Mention, span: tuple[int, int]) -> None:
        self.mentions.append(mention)
        self.taken.append(span)

    def free(self, start: int, end: int) -> bool:
        return not any(start < e and s < end for s, e in self.taken + self.verbatim)

    def institution_before(self, pos: int):
        for m in self.institutions:
            if self.text[m.end : pos] in _INSTITUTION_GLUE and m.end < pos:
                return m
        return None

    def institution_after_of(self, pos: int):
        """A glossary institution right after ` of [the] ` at `pos`, not itself followed by a possessive."""
        m_of = re.compile(r" of (?:the )?").match(self.text, pos)
        if not m_of:
            return None
        for m in self.institutions:
            if m.start == m_of.end() and not self.text.startswith(("’s", "'s"), m.end):
                return m
        return None

    def covered_by_match(self, pos: int) -> bool:
        return any(m.start <= pos < m.end for m in self.matches)


@dataclass
class _TitleChain:
    """`Kumamoto University President Prof.`: one or more titles in a row, and the institution right before them."""

    first: object  # the first title's match in the text
    end: int  # where the last title ends
    office: object  # the Title giving the form: the first office, else the first (courtesy) title
    before: object | None  # a glossary institution right before the first title
    unit: object | None = None  # `Dean of the College of Nursing`: the college (its match) the titles are at

    @property
    def key(self) -> str:
        return self.office.english.casefold()

    @property
    def start(self) -> int:
        return self.before.start if self.before is not None else self.first.start


class _Resolver:
    """What linking the people of one release keeps from segment to segment: who has been named, with which titles."""

    def __init__(self, glossary, lowercase: frozenset[str] = frozenset()):
        self.glossary = glossary
        self.lowercase = lowercase  # the words the release writes in lower case (surnames.py)
        self.table = glossary.titles
        self.style = glossary.house_style
        people = [p for p in (person_of(e) for e in glossary.entries) if p is not None]
        self.by_family: dict[str, list] = {}
        for person in people:
            self.by_family.setdefault(person.family.casefold(), []).append(person)
        self.known: list[_Known] = []
        self.offices = {form.rstrip(".").casefold() for t in self.table.titles if not t.courtesy for form in [t.english]}

    def remember(self, english: str, family: str, entry, title_key: str | None, segment_id: str, end: int) -> bool:
        """Add a person to those named in the release (their first mention ending at `end` in `segment_id`);
        whether they had been named before."""
        for k in self.known:
            if (entry is not None and k.entry is entry) or (entry is None and k.entry is None and k.english == english):
                _add_title(k, title_key, self.offices)
                return True
        self.known.append(_Known(english, family, entry, segment=segment_id, end=end))
        _add_title(self.known[-1], title_key, self.offices)
        return False

    def mention(self, *args, **kwargs) -> Mention:
        return Mention(*args, style=self.style, default_type=self.style.default_institution, **kwargs)

    def segment_mentions(self, segment: Segment) -> list[Mention]:
        scan = _Segment(segment, self.glossary)
        self._name_then_title(scan)
        self._untitled(scan)
        for first in self.table.finditer(scan.text):
            if not scan.free(first.start, first.end) or scan.covered_by_match(first.start):
                continue
            self._title_then_name(scan, self._chain(scan, first))
        for match in scan.persons.values():  # names without a title: named in the release all the same
            person = person_of(match.entry)
            self.remember(person.english, person.family, person.entry, None, scan.id, match.end)
        self._later_mentions(scan)
        return scan.mentions

    def _name_then_title(self, scan: _Segment) -> None:
        """"Ming-Lung Yu, President of KMU": a full name followed by its title at an institution."""
        text = scan.text
        for start, match in sorted(scan.persons.items()):
            if not scan.free(match.start, match.end):
                continue
            person = person_of(match.entry)
            appositive = re.compile(r", (?:the |a )?").match(text, match.end)
            title = self.table.at(text, appositive.end()) if appositive else None
            inst = scan.institution_after_of(title.end) if title is not None else None
            if title is not None and inst is not None and scan.free(match.start, inst.end):
                office = title.title
                where = _institution(person, office, inst, None, self.glossary)
                self.remember(person.english, person.family, person.entry, office.english.casefold(), scan.id, inst.end)
                scan.add(self.mention(match.start, inst.end, text[match.start:inst.end], office, person, where.shown,
                                      where.kind, where.name, unit=where.unit), (match.start, inst.end))  # fmt: skip

    def _untitled(self, scan: _Segment) -> None:
        """"Hiroshi Tanaka of Osaka University said …": a person the glossary lacks, named in full without a title
        (the patterns of untitled.py), flagged like a titled one and remembered for their later mentions."""
        covered = [(m.start, m.end) for m in scan.matches]
        title_ends = {use.end for use in self.table.finditer(scan.text)}
        for found in find_untitled_people(scan.text, covered, title_ends, self.lowercase):
            if not scan.free(found.start, found.end):
                continue
            if self.remember(found.name, found.family, None, None, scan.id, found.end):
                continue  # named before: a later mention (_later_mentions)
            problem = f"“{found.name}”: {found.name} is not in the glossary (add the person: translate glossary suggest --write)"
            scan.add(self.mention(found.start, found.end, found.name, None, problem=problem), (found.start, found.end))

    def _chain(self, scan: _Segment, first) -> _TitleChain:
        chain = [first]
        pos = first.end
        while scan.text.startswith(" ", pos):
            nxt = self.table.at(scan.text, pos + 1)
            if nxt is None:
                break
            chain.append(nxt)
            pos = nxt.end
        office = next((t.title for t in chain if not t.title.courtesy), chain[0].title)
        unit = scan.institution_after_of(pos)
        if unit is not None and institution_type_of(unit.entry) == COLLEGE:
            return _TitleChain(first, unit.end, office, scan.institution_before(first.start), unit)
        return _TitleChain(first, pos, office, scan.institution_before(first.start))

    def _title_then_name(self, scan: _Segment, chain: _TitleChain) -> None:
        """What follows a chain of titles: a glossary person's full name, another full name, a surname, or no name."""
        text, first, pos = scan.text, chain.first, chain.end
        after = pos + 1 if text.startswith(" ", pos) else pos
        person_match = scan.persons.get(after) if after > pos else None
        if person_match is not None:
            person = person_of(person_match.entry)
            where = _institution(person, chain.office, chain.before, scan.institution_after_of(person_match.end),
                                 self.glossary, chain.unit)  # fmt: skip
            self.remember(person.english, person.family, person.entry, chain.key, scan.id, person_match.end)
            # a full name written out is rendered in full (later=False)
            scan.add(
                self.mention(chain.start, person_match.end, text[chain.start : person_match.end], chain.office, person,
                             where.shown, where.kind, where.name, unit=where.unit),
                (chain.start, person_match.end),
            )  # fmt: skip
            return
        tokens = name_tokens(text, after) if after > pos else []
        tokens = [t for t in tokens if scan.free(t.start(), t.end()) and not scan.covered_by_match(t.start())]
        if not tokens:
            inst = chain.unit or scan.institution_after_of(pos)
            if inst is chain.unit and inst is not None:  # "Dean of the College of Nursing": 護理學院院長 / 看護学部長
                scan.add(self.mention(first.start, pos, text[first.start:pos], chain.office, None, None, COLLEGE,
                                      inst.entry.english, unit=inst.entry), (first.start, pos))  # fmt: skip
            elif inst is not None:  # "President of the NCVC": the title alone, in that institution's form
                kind = institution_type_of(inst.entry)
                scan.add(self.mention(first.start, pos, text[first.start:pos], chain.office, None, None, kind,
                                      inst.entry.english), (first.start, pos))  # fmt: skip
            return
        if len(tokens) >= 2:
            self._unknown_full_name(scan, chain, tokens)
        else:
            self._surname(scan, chain, tokens[0])

    def _unknown_full_name(self, scan: _Segment, chain: _TitleChain, tokens: list) -> None:
        """"Dean Chen-Hsiung Lin": a person the glossary does not have."""
        text, first, pos = scan.text, chain.first, chain.end
        before_type = institution_type_of(chain.before.entry) if chain.before is not None else None
        written = text[first.start : tokens[-1].end()]
        name = POSSESSIVE.sub("", text[tokens[0].start() : tokens[-1].end()])
        self.remember(name, _family_of_tokens(tokens), None, chain.key, scan.id, tokens[-1].end())
        problem = f"“{written}”: {name} is not in the glossary (add the person: translate glossary suggest --write)"
        unit = chain.unit.entry if chain.unit is not None else None
        scan.add(self.mention(first.start, pos, text[first.start:pos], chain.office, None, None, before_type,
                              problem=problem, unit=unit), (first.start, tokens[-1].end()))  # fmt: skip

    def _surname(self, scan: _Segment, chain: _TitleChain, token) -> None:
        """"President Yu": linked to the person of that family name named earlier, else to the glossary's."""
        text, first, pos, office = scan.text, chain.first, chain.end, chain.office
        surname = POSSESSIVE.sub("", token.group())
        end = token.start() + len(surname)
        person, problem = _link_surname(surname, office, chain.key, self.known, self.by_family, person_of)
        if person is not None:
            start = chain.start
            later = self.remember(person.english, person.family, person.entry, chain.key, scan.id, end)
            # "Dean Chen" after "Mei-Ling Chen, Dean of the College of Nursing": 陳院長, not 陳護理學院院長
            where = _institution(person, office, chain.before, None, self.glossary, chain.unit, own_unit=not later)
            scan.add(self.mention(start, end, text[start:end], office, person, where.shown, where.kind, where.name,
                                  later=later, unit=where.unit), (start, end))  # fmt: skip
        else:
            before_type = institution_type_of(chain.before.entry) if chain.before is not None else None
            unit = chain.unit.entry if chain.unit is not None else None
            mention = self.mention(first.start, pos, text[first.start:pos], office, None, None, before_type,
                                   problem=problem, unit=unit)  # fmt: skip
            mention.problem = f"“{text[first.start:end]}”: {problem}"
            scan.add(mention, (first.start, end))  # the surname is this mention's: not a bare surname too

    def _later_mentions(self, scan: _Segment) -> None:
        """Later mentions with no title (docs/glossary.md, "Later mentions without a title"): an unglossed person's
        full name written again, or anyone's bare surname (`Tanaka said`, rules in surnames.py). A glossary
        person's is rendered like "Title Surname" (余 / 余明隆 by `later_mentions`); anyone else's is flagged on
        its row, naming the full name found earlier."""
        text = scan.text
        for k in self.known:
            if k.entry is not None:
                continue
            for m in re.finditer(rf"(?<![\w‐‑–-]){re.escape(k.english)}(?![\w‐‑–-])", text):
                if _earlier(k, scan.id, m.start()) and scan.free(m.start(), m.end()) and not scan.covered_by_match(m.start()):
                    problem = f"“{m.group()}”: {_unglossed(k)}"
                    scan.add(self.mention(m.start(), m.end(), m.group(), None, problem=problem), m.span())
        for start, end, family in find_bare_surnames(text, {k.family for k in self.known}, self.lowercase):
            if not scan.free(start, end) or scan.covered_by_match(start):
                continue
            named = [k for k in self.known if k.family == family and _earlier(k, scan.id, start)]
            if not named:
                continue
            if len(named) == 1 and named[0].entry is not None:
                person = person_of(named[0].entry)
                scan.add(self.mention(start, end, family, None, person, later=True), (start, end))
                continue
            if len(named) == 1:
                problem = f"“{family}”: {_unglossed(named[0])}"
            else:
                names = ", ".join(k.english for k in named)
                problem = f"“{family}”: {len(named)} people named {family} in this release ({names}): which one?"
            scan.add(self.mention(start, end, family, None, problem=problem), (start, end))


@dataclass
class _Where:
    """Where a mention's title is held: the institution to render with the name, its kind, its English name for the
    note, and the college/school whose name goes before the title."""

    shown: object | None  # the institution match in the span (rendered by the house style), or None
    kind: str | None
    name: str
    unit: object | None = None  # a college entry


def _is_college(match) -> bool:
    return match is not None and institution_type_of(match.entry) == COLLEGE


def _institution(person, office, in_text, after_of, glossary, unit_in_text=None, own_unit: bool = True) -> _Where:
    """Where a person's title is held (docs/glossary.md, "Colleges and schools").

    The institution named next to the mention decides, unless it is another one than the person's own title in the
    glossary (its `type`, else its institution's kind). A college named in the text (`College of Nursing Dean …`,
    `Dean of the College of Nursing …`) goes into the title; a person whose glossary title is at a college keeps it
    when the text names no institution or only a university (`KMU Dean Mei-Ling Chen`), unless `own_unit` is False
    (a later "Dean Chen": 陳院長)."""
    if _is_college(in_text):
        unit_in_text, in_text = unit_in_text or in_text, None
    if _is_college(after_of):
        unit_in_text, after_of = unit_in_text or after_of, None
    if unit_in_text is not None:
        return _Where(in_text, COLLEGE, unit_in_text.entry.english, unit_in_text.entry)
    own = person.title_named(office.english) if person is not None else None
    entry = glossary.get(own.of) if own is not None and own.of else None
    college = entry if own_unit and entry is not None and institution_type_of(entry) == COLLEGE else None
    named = in_text or after_of
    if named is not None and (own is None or own.of != named.entry.id):
        if college is not None and institution_type_of(named.entry) == "university":
            return _Where(in_text, COLLEGE, college.english, college)
        return _Where(in_text, institution_type_of(named.entry), named.entry.english)
    if own is not None:
        kind = own.type or (institution_type_of(entry) if entry is not None else None)
        name = entry.english if entry is not None else ""
        return _Where(in_text, kind, f"{name} ({own.type})" if name and own.type else name, college)
    return _Where(in_text, None, "")


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
            return None, _unglossed(k)
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


def _earlier(known: _Known, segment_id: str, start: int) -> bool:
    """Whether a mention at `start` of `segment_id` comes after the person's first mention (segments in order)."""
    return known.segment != segment_id or start >= known.end


def _unglossed(known: _Known) -> str:
    return (f"a later mention of {known.english} (row {known.segment}), who is not in the glossary (add the person: "
            "translate glossary suggest --write)")  # fmt: skip


def _family_of_tokens(tokens: list) -> str:
    return family_of_tokens([POSSESSIVE.sub("", t.group()) for t in tokens])
