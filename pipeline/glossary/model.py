"""The glossary's data: one `Entry` per concept, a `Match` where an entry's English form occurs in a text, and
`Problem`s found while loading or checking. The bottom of the glossary package: it imports none of it but the
stdlib-only `invisible` (the loaded `Glossary`, with its matcher and titles table, is in `pipeline.glossary.glossary`).

Format-independent: the YAML, CSV and TBX readers in `pipeline.glossary.formats` all build these objects.
See docs/glossary.md for the meaning of every field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.glossary.invisible import visible
from pipeline.language import ALL as ALL_LANGUAGES
from pipeline.language import find_language

__all__ = [
    "CJK_LANGS",
    "DO_NOT_TRANSLATE",
    "FIELDS",
    "KINDS",
    "LANG_CODE",
    "STATUSES",
    "Entry",
    "Match",
    "Problem",
    "written_in_cjk_script",
    "join_with_abbreviation",
]

DO_NOT_TRANSLATE = "do-not-translate"
KINDS = ("institution", "person", "place", "programme", "term", DO_NOT_TRANSLATE)
STATUSES = ("approved", "proposed")
FIELDS = (
    "id",
    "english",
    "variants",
    "abbreviations",
    "kind",
    "status",
    "target_status",
    "targets",
    "note",
    "case_sensitive",
    "allow_traditional_in_ja",
    "person",
    "institution_type",
)
# BCP 47-ish codes as the project writes them: "ja", "zh-TW", "zh-CN", "zh-Hant", "pt-BR".
LANG_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?$")
CJK_LANGS = tuple(dict.fromkeys(lang.code.split("-", 1)[0] for lang in ALL_LANGUAGES if lang.cjk_script))


def written_in_cjk_script(lang: str) -> bool:
    """Written in CJK script (zh, ja, ko: the language registry's `cjk_script`)."""
    language = find_language(lang)
    return language is not None and language.cjk_script


def join_with_abbreviation(first: str, second: str, lang: str) -> str:
    """`first（second）` where the language writes full-width punctuation (zh, ja), else `first (second)` (ko too)."""
    language = find_language(lang)
    full_width = language is not None and language.full_width_punctuation
    return f"{first}（{second}）" if full_width else f"{first} ({second})"


@dataclass
class Entry:
    """One concept: its canonical English name, other English forms, and its target form per language.

    `abbreviations` maps each English abbreviation to its own targets per language; a language that is not
    given keeps the English abbreviation (`KMU` → zh-TW `高醫`, ja `KMU`). Equality ignores where the entry was
    read from, so entries read from YAML, CSV and TBX compare equal when they say the same thing.
    """

    id: str
    english: str
    targets: dict[str, str] = field(default_factory=dict)
    variants: list[str] = field(default_factory=list)
    abbreviations: dict[str, dict[str, str]] = field(default_factory=dict)
    kind: str = "term"
    status: str = "approved"
    note: str = ""
    case_sensitive: bool | None = None  # None: automatic (see `form_is_case_sensitive`)
    allow_traditional_in_ja: bool = False
    # Per-language status where it differs from `status`: {"ja": "approved"} on a proposed entry whose Japanese
    # form is already confirmed. Languages whose status equals `status` are not kept (see `status_for`).
    target_status: dict[str, str] = field(default_factory=dict)
    # kind: person - family name, its forms per language, titles at institutions (pipeline.glossary.people.names)
    person: dict = field(default_factory=dict)
    # kind: institution - "university", "hospital", ... (pipeline.glossary.people.titles); "" = guessed from the name
    institution_type: str = ""
    source: Path | None = field(default=None, compare=False, repr=False)
    line: int = field(default=0, compare=False, repr=False)
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)  # "targets.ja" → line

    @property
    def do_not_translate(self) -> bool:
        return self.kind == DO_NOT_TRANSLATE

    @property
    def approved(self) -> bool:
        return self.status == "approved"

    def status_for(self, lang: str) -> str:
        """The status of the entry's form in `lang` ("approved" | "proposed"): `target_status[lang]` if the glossary
        gives one, else the entry's `status`. It covers the full name's and the abbreviations' targets in `lang`."""
        return self.target_status.get(lang, self.status)

    def approved_for(self, lang: str) -> bool:
        return self.status_for(lang) == "approved"

    def target(self, lang: str, matched: str | None = None) -> str | None:
        """The target form of the full name in `lang`; None if the glossary has none.

        A do-not-translate entry keeps its English: `matched` (the text found) if given, else the canonical form.
        """
        if self.do_not_translate:
            return self.targets.get(lang) or matched or self.english
        return self.targets.get(lang)

    def abbreviation_target(self, abbreviation: str, lang: str) -> str | None:
        """The target of one of the entry's English abbreviations: its own target if given, else the abbreviation."""
        own = self.abbreviations.get(abbreviation)
        if own is None:
            return None
        return own.get(lang) or abbreviation

    def forms(self) -> list[tuple[str, str]]:
        """Every English form as (form, "name" | "variant" | "abbreviation"), canonical first."""
        result = [(self.english, "name")]
        result += [(v, "variant") for v in self.variants]
        result += [(a, "abbreviation") for a in self.abbreviations]
        return result

    def form_is_case_sensitive(self, form: str) -> bool:
        """Explicit `case_sensitive` wins; otherwise a form with an uppercase letter (a name, an acronym) must match
        exactly, and an all-lowercase form (a common term) matches in any case."""
        if self.case_sensitive is not None:
            return self.case_sensitive
        return any(ch.isupper() for ch in form)

    def languages(self) -> list[str]:
        return list(self.targets)

    def where(self, key: str | None = None) -> tuple[str | None, int]:
        """(file, line) of the entry, or of one of its fields ("english", "targets.ja", "variants[1]", ...)."""
        line = self.lines.get(key, self.line) if key else self.line
        return (str(self.source) if self.source is not None else None, line)


CACHED_TEXT_CHARS = 2_000  # the longest text the glossary's caches keep (sentence-sized: a few MB at most)


@dataclass
class Match:
    """An occurrence of a glossary form in a text: `text == source[start:end]`.

    `form` says which form matched: "name" (canonical), "variant", "abbreviation", or - for a name directly
    followed by its abbreviation in parentheses, `Kaohsiung Medical University (KMU)` - "name+abbreviation"
    (or "abbreviation+name" for `EMI (English-Medium Instruction)`), one match covering both and the parentheses.
    Use `target(lang)` for the text to put in the translation.
    """

    start: int
    end: int
    text: str
    entry: Entry
    form: str = "name"
    parts: tuple[Match, ...] = ()  # the two matches a combined match was made of

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def status(self) -> str:
        """The entry-level status; use `status_for(lang)` for the status of this occurrence's form in a language."""
        return self.entry.status

    def status_for(self, lang: str) -> str:
        """The status ("approved" | "proposed") of what `target(lang)` gives, for the review document's Notes."""
        return self.entry.status_for(lang)

    def target(self, lang: str) -> str | None:
        """What the translation must contain for this occurrence, in `lang`; None if the glossary has no form."""
        if self.parts:
            first, second = (part.target(lang) for part in self.parts)
            if first is None or second is None:
                return None
            return join_with_abbreviation(first, second, lang)
        if self.form == "abbreviation":
            abbreviation = self._abbreviation()
            return self.entry.abbreviation_target(abbreviation, lang)
        # a name kept in English is kept without the invisible characters found inside it (a zero-width joiner)
        return self.entry.target(lang, visible(self.text))

    def _abbreviation(self) -> str:
        shown = visible(self.text)
        if shown in self.entry.abbreviations:
            return shown
        folded = shown.casefold()
        for abbreviation in self.entry.abbreviations:
            if visible(abbreviation).casefold() == folded:
                return abbreviation
        return shown


@dataclass
class Problem:
    """Something wrong in a glossary file or in a translated document.

    `code` names the class ("parse", "schema", "duplicate-form", "term-missing", ...); parse and schema problems
    make a glossary unusable (exit 2), warnings (`term-count`) never change the exit code, the others are
    violations (exit 1).
    """

    code: str
    message: str
    file: str | None = None
    line: int | None = None
    entry: str | None = None
    document: str | None = None
    segment: str | None = None
    lang: str | None = None
    term: str | None = None
    expected: str | None = None
    other: str | None = None  # the other entry of a duplicate-form / conflicting-targets / shared-target pair
    found: str | None = None  # what the translation holds instead (wrong-form, kana-in-zh, term-count)

    FATAL = ("parse", "schema", "usage")
    WARNINGS = ("term-count", "csv-formula")

    @property
    def fatal(self) -> bool:
        return self.code in self.FATAL

    @property
    def severity(self) -> str:
        """"warning" for the classes in `WARNINGS` (reported, exit code unchanged), else "error"."""
        return "warning" if self.code in self.WARNINGS else "error"

    def location(self) -> str:
        if self.file and self.line:
            return f"{self.file}:{self.line}"
        return self.file or self.document or ""

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message
