"""Person entries' parts: family and given name, the family name's form per language, titles at institutions.

In YAML (docs/glossary.md, "People and titles"):

    - id: ming-lung-yu
      english: Ming-Lung Yu
      kind: person
      targets: {zh-TW: 余明隆, ja: 余明隆}
      person:
        family: Yu                          # the English family name: the first or the last word of `english`
        family_targets: {zh-TW: 余, ja: 余}  # the family name as each language writes it alone
        titles:
          - {title: President, of: kmu}     # a title of the titles table, at a glossary institution (its id)

The name order of a language is read from the forms: a family form at the start of the full form is family-first
(余明隆, 小川久雄, 崔在源), at the end given-first (約翰·史密斯 / 史密斯). `given` is optional (derived from `english`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.glossary.model import LANG_CODE, Entry, Problem
from pipeline.glossary.people.titles import INSTITUTION_TYPES


# English personal names as written in releases: capitalised words, hyphenated given names (Ming-Lung), a
# possessive at the end of the last word. Shared by the mention resolver and `glossary suggest`.
NAME_TOKEN = re.compile(r"[A-Z][\w]*(?:[-‐‑–'’][A-Za-z][\w]*)*")
POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


def name_tokens(text: str, pos: int) -> list[re.Match]:
    """Capitalised words from `pos` on, separated by single spaces (`Chen-Hsiung Lin`, `Yu`), ending at a possessive;
    a middle initial with its period goes on to the family name (`John S. Smith`)."""
    tokens = []
    while True:
        m = NAME_TOKEN.match(text, pos)
        if m is None:
            break
        tokens.append(m)
        initial = len(tokens) > 1 and len(m.group()) == 1 and text.startswith(". ", m.end())
        if initial and NAME_TOKEN.match(text, m.end() + 2):
            pos = m.end() + 2
            continue
        if POSSESSIVE.search(m.group()) or not text.startswith(" ", m.end()):
            break
        pos = m.end() + 1
    return tokens

__all__ = ["PERSON_FIELDS", "Person", "build_person", "lint_people", "person_of"]

PERSON_FIELDS = ("family", "given", "family_targets", "titles")
_WORD = re.compile(r"[^\s,]+")


@dataclass
class PersonTitle:
    title: str  # the English title, as in the titles table ("President")
    of: str = ""  # a glossary entry id of an institution ("kmu"); "" when not given
    type: str = ""  # the institution type the title's forms are taken for, where it is not the institution's own
    # (the Dean of KMU's College of Medicine: of kmu, type medical-school)


@dataclass
class Person:
    """A person entry's parts, read from `Entry.person` (plain data, so it is cached and compared like the rest)."""

    entry: Entry
    family: str
    given: str
    family_targets: dict[str, str]
    titles: list[PersonTitle] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def english(self) -> str:
        return self.entry.english

    def full(self, lang: str) -> str | None:
        return self.entry.targets.get(lang)

    def family_form(self, lang: str) -> str | None:
        return self.family_targets.get(lang)

    def family_first(self, lang: str) -> bool:
        full, family = self.full(lang), self.family_form(lang)
        return bool(full and family and full.startswith(family))

    def title_named(self, english_title: str) -> PersonTitle | None:
        folded = english_title.rstrip(".").casefold()
        return next((t for t in self.titles if t.title.rstrip(".").casefold() == folded), None)


def family_of(english: str) -> str:
    """The family name of an English full name written given-first (the default): its last word."""
    words = _WORD.findall(english)
    return words[-1] if words else english


def person_of(entry: Entry) -> Person | None:
    """The parts of a person entry (kind: person); guessed from the English name where `person:` is not given
    (family = last word, no family forms). None for other kinds."""
    if entry.kind != "person":
        return None
    raw = entry.person or {}
    family = raw.get("family") or family_of(entry.english)
    given = raw.get("given") or _given(entry.english, family)
    titles = [PersonTitle(t.get("title", ""), t.get("of", "") or "", t.get("type", "") or "") for t in raw.get("titles") or []]
    return Person(entry, family, given, dict(raw.get("family_targets") or {}), titles)


def _given(english: str, family: str) -> str:
    if english.endswith(" " + family):
        return english[: -len(family) - 1].strip()
    if english.startswith(family + " "):
        return english[len(family) + 1 :].strip()
    return ""


def build_person(raw: Any, bad) -> dict:
    """Check the `person:` mapping of an entry (schema problems through `bad(key, message)`); its plain data."""
    if raw is None or raw == {}:
        return {}
    if not isinstance(raw, dict):
        bad("person", "'person' must be a mapping (family:, family_targets:, titles:)")
        return {}
    result: dict = {}
    for key, value in raw.items():
        where = f"person.{key}"
        if key not in PERSON_FIELDS:
            bad(where, f"unknown person field {key!r} (fields: {', '.join(PERSON_FIELDS)})")
        elif key in ("family", "given"):
            if not isinstance(value, str) or not value.strip():
                bad(where, f"person {key} must be non-empty text")
            else:
                result[key] = value
        elif key == "family_targets":
            if not isinstance(value, dict):
                bad(where, "'family_targets' must be a mapping language → family name form")
                continue
            forms = {}
            for lang, form in value.items():
                if not isinstance(lang, str) or not LANG_CODE.match(lang):
                    bad(f"{where}.{lang}", f"{lang!r} is not a language code like zh-TW, ja or zh-CN")
                elif not isinstance(form, str) or not form.strip():
                    bad(f"{where}.{lang}", f"family name form for {lang} must be non-empty text")
                else:
                    forms[lang] = form
            result[key] = forms
        elif key == "titles":
            if isinstance(value, (str, dict)):
                value = [value]
            if not isinstance(value, list):
                bad(where, "'titles' must be a list of {title: President, of: kmu}")
                continue
            titles = []
            for i, item in enumerate(value):
                if isinstance(item, str):
                    item = {"title": item}
                if not isinstance(item, dict) or not isinstance(item.get("title"), str) or not item["title"].strip():
                    bad(f"{where}[{i}]", "a person's title must be {title: President, of: <institution id>}")
                    continue
                extra = set(item) - {"title", "of", "type"}
                if extra:
                    bad(f"{where}[{i}]", f"unknown field(s) {', '.join(sorted(map(str, extra)))} in a person's title (title, of, type)")
                    continue
                kind = item.get("type") or ""
                if kind:
                    if kind not in INSTITUTION_TYPES:
                        bad(f"{where}[{i}].type", f"institution type {kind!r} is not one of: {', '.join(INSTITUTION_TYPES)}")
                        continue
                of = item.get("of") or ""
                if not isinstance(of, str):
                    bad(f"{where}[{i}].of", "'of' must be the id of an institution entry")
                    continue
                titles.append({"title": item["title"], **({"of": of} if of else {}), **({"type": kind} if kind else {})})
            result[key] = titles
    return result


def lint_people(entries: list[Entry], titles, required_langs: tuple[str, ...]) -> list[Problem]:
    """Problems of person entries and of the titles table (`glossary check`):

    person-family        the English family name is not the first or last word of the English name
    person-family-form   a family form that is neither the start nor the end of the full form (余 vs 于明隆)
    person-title         a person's title that is not in the titles table, or `of:` naming no institution entry
    person-field         `person:` on an entry that is not kind: person
    title-missing-language  a title form without a required language (zh-TW, ja)
    """
    by_id = {e.id: e for e in entries}
    problems: list[Problem] = []

    def problem(code: str, message: str, entry: Entry, key: str | None) -> None:
        file, line = entry.where(key)
        problems.append(Problem(code, message, file=file, line=line, entry=entry.id))

    for entry in entries:
        if entry.person and entry.kind != "person":
            problem("person-field", f"entry {entry.id} has 'person:' but kind {entry.kind!r} (use kind: person)", entry, "person")
            continue
        if entry.kind != "person" or not entry.person:
            continue
        person = person_of(entry)
        words = _WORD.findall(entry.english)
        if "family" in entry.person and person.family not in (words[:1] + words[-1:]):
            problem(
                "person-family",
                f"person {entry.id}: family name {person.family!r} is neither the first nor the last word of "
                f"{entry.english!r}",
                entry,
                "person.family",
            )
        for lang, family in person.family_targets.items():
            full = entry.targets.get(lang)
            key = f"person.family_targets.{lang}"
            if full is None:
                problem("person-family-form", f"person {entry.id}: a {lang} family form {family!r} but no {lang} target", entry, key)
            elif not (full.startswith(family) or full.endswith(family)) or full == family:
                problem(
                    "person-family-form",
                    f"person {entry.id}: {lang} family form {family!r} is neither the start nor the end of the full "
                    f"form {full!r}",
                    entry,
                    key,
                )
        for i, title in enumerate(person.titles):
            key = f"person.titles[{i}]"
            if titles.get(title.title) is None:
                problem("person-title", f"person {entry.id}: title {title.title!r} is not in the titles table", entry, key)
            if title.of and (title.of not in by_id or by_id[title.of].kind in ("person", "do-not-translate")):
                problem(
                    "person-title",
                    f"person {entry.id}: 'of: {title.of}' is not the id of an institution entry in the glossary",
                    entry,
                    key,
                )
    for title in titles.titles:
        for kind, forms in title.forms.items():
            missing = [lang for lang in required_langs if lang not in forms]
            if missing:
                problems.append(
                    Problem(
                        "title-missing-language",
                        f"title {title.english!r} ({kind}) has no form for {', '.join(missing)}",
                        file=title.source,
                        line=title.lines.get(f"forms.{kind}", title.line) or None,
                    )
                )
        if not title.forms:
            problems.append(
                Problem("title-missing-language", f"title {title.english!r} has no forms", file=title.source, line=title.line or None)
            )
    return problems
