"""The titles table and the house style for people with titles (docs/glossary.md, "People and titles").

A title's target form depends on the kind of institution it belongs to: a university's President is 校長 / 学長,
a country's is 總統 / 大統領, a hospital's Superintendent is 院長 / 病院長, a medical school's Dean 院長 / 医学部長.
The table lives in a glossary YAML file under the top-level key `titles:`; the way a person and a title are put
together in each language (余明隆校長, later 余校長) under `house_style:`. Neither is required: a glossary without
them gets `DEFAULT_TITLES` and `HouseStyle()`, the table shipped for a Taiwanese medical university's releases.
The sections are read by `pipeline.glossary.formats.yaml_titles`.

    titles:
      - english: President
        variants: [Pres.]
        forms:                                   # institution type → language → form
          university: {zh-TW: 校長, ja: 学長}      # the first listed is used when the type is unknown
          country: {zh-TW: 總統, ja: 大統領}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.language import ALL as ALL_LANGUAGES

__all__ = [
    "COLLEGE",
    "DEFAULT_TITLES",
    "INSTITUTION_TYPES",
    "HouseStyle",
    "TYPOGRAPHY",
    "Title",
    "TitleTable",
    "TitleUse",
    "default_table",
    "institution_type_of",
]

# What publish does to a reviewer's text (HouseStyle.typography): typeset it (said at import), or keep it as typed.
TYPOGRAPHY = ("apply", "keep")

# A college, school or faculty of a university (`institution_type: college`, never guessed from a name): a title's
# `college` form is written after the college's own name (護理學院 + 院長, 看護学部 + 長: docs/glossary.md,
# "Colleges and schools").
COLLEGE = "college"
# The kinds of institution a title's forms are given for. "default" is allowed as a key too.
INSTITUTION_TYPES = (
    "university",
    "medical-school",
    COLLEGE,
    "hospital",
    "institute",
    "company",
    "government",
    "city",
    "country",
    "other",
)

# The last head noun of an institution's English name says its type when the entry does not
# (`institution_type:`). The last one counts: `Kaohsiung Medical University Hospital` is a hospital.
_TYPE_WORDS = (
    (re.compile(r"\b(?:College|School|Faculty) of Medicine\b|\bMedical School\b|\bSchool of Medicine\b"), "medical-school"),
    (re.compile(r"\bUniversity\b|\bUniversities\b"), "university"),
    (re.compile(r"\bHospital\b|\bClinic\b|\bMedical Cent(?:er|re)\b"), "hospital"),
    (re.compile(r"\bCent(?:er|re)\b|\bInstitute\b|\bLaborator(?:y|ies)\b|\bAcademy\b|\bFoundation\b"), "institute"),
    (re.compile(r"\bMinistry\b|\bAdministration\b|\bAgency\b|\bBureau\b|\bYuan\b|\bGovernment\b|\bCabinet\b"), "government"),
    (re.compile(r"\bCity\b|\bCounty\b|\bPrefecture\b|\bMunicipality\b"), "city"),
    (re.compile(r"\bCompany\b|\bCorporation\b|\bInc\b|\bLtd\b|\bCo\.|\bCorp\b"), "company"),
)
_COUNTRIES = {
    "Taiwan", "Japan", "Korea", "South Korea", "Republic of Korea", "Republic of China", "Singapore", "United States",
    "USA", "U.S.", "China", "Thailand", "Vietnam", "Philippines", "Malaysia", "Indonesia", "India", "Germany",
    "France", "United Kingdom", "UK", "Australia", "Canada",
}  # fmt: skip


def institution_type_of(entry) -> str | None:
    """The institution type of a glossary entry: its `institution_type:`, else guessed from its English name's
    last head noun (University, Hospital, College of Medicine, Center, Ministry, City, ...); None if unknown."""
    explicit = getattr(entry, "institution_type", "") or ""
    if explicit:
        return explicit
    name = entry.english
    if name in _COUNTRIES:
        return "country"
    best: tuple[int, str] | None = None
    for pattern, kind in _TYPE_WORDS:
        for m in pattern.finditer(name):
            if best is None or m.end() > best[0]:
                best = (m.end(), kind)
    return best[1] if best else None


@dataclass
class Title:
    """One title: English forms and target forms per institution type (the first type is the fallback)."""

    english: str
    variants: list[str] = field(default_factory=list)
    forms: dict[str, dict[str, str]] = field(default_factory=dict)  # type → lang → form
    courtesy: bool = False  # Mr., Ms., Dr., Prof.: said before a name, never an office at an institution
    source: str | None = None
    line: int = 0
    lines: dict[str, int] = field(default_factory=dict)

    def english_forms(self) -> list[str]:
        return [self.english, *self.variants]

    def form(self, lang: str, institution_type: str | None, default_type: str = "university") -> str | None:
        """The target form for an institution type; the house style's default type, then the first listed. A
        `college` form is never one of them: it is only written after a college's name (`form_in_unit`), so a
        title at a college whose name is not given ("Dean Chen" later) takes the form of the default type."""
        for kind in (institution_type, default_type, "default"):
            if kind and kind != COLLEGE and kind in self.forms and lang in self.forms[kind]:
                return self.forms[kind][lang]
        for kind, forms in self.forms.items():
            if kind != COLLEGE and lang in forms:
                return forms[lang]
        return None

    def form_in_unit(self, lang: str, unit: str | None) -> str | None:
        """The title at a college whose `lang` name is `unit`: the name, then the title's `college` form
        (護理學院院長, 看護学部長); None where either is missing."""
        role = self.forms.get(COLLEGE, {}).get(lang)
        return unit + role if unit and role else None


@dataclass
class TitleUse:
    """A title found in a text: which title, where, the text as written."""

    title: Title
    start: int
    end: int
    text: str


class TitleTable:
    """All titles; `at(text, pos)` finds the (longest) title starting exactly at `pos`."""

    def __init__(self, titles: list[Title]):
        self.titles = titles
        self._by_form: dict[str, Title] = {}
        written: dict[str, str] = {}
        for title in titles:
            for form in title.english_forms():
                self._by_form.setdefault(_key(form), title)
                written.setdefault(form.strip().rstrip("."), form)
        forms = sorted(written, key=len, reverse=True)
        # "Prof." with its period; a form is a whole word (or words): no letter right after it.
        self._pattern = (
            re.compile("|".join(_form_pattern(f) for f in forms)) if forms else None
        )

    def __len__(self) -> int:
        return len(self.titles)

    def get(self, english: str) -> Title | None:
        return self._by_form.get(_key(english))

    def at(self, text: str, pos: int) -> TitleUse | None:
        if self._pattern is None:
            return None
        m = self._pattern.match(text, pos)
        if m is None:
            return None
        return TitleUse(self._by_form[_key(m.group())], m.start(), m.end(), m.group())

    def finditer(self, text: str):
        if self._pattern is None:
            return
        for m in self._pattern.finditer(text):
            if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "-"):
                continue
            yield TitleUse(self._by_form[_key(m.group())], m.start(), m.end(), m.group())


def _key(form: str) -> str:
    return re.sub(r"\s+", " ", form.strip().rstrip(".")).casefold()


def _form_pattern(form: str) -> str:
    body = re.escape(form.rstrip(".")).replace(r"\ ", r"\s+")
    # "Prof" and "Prof." both; a capital first letter as written, the rest exact (titles are capitalised in text).
    return body + r"\.?(?![\w-])"


@dataclass
class HouseStyle:
    """How a person's name and title are put together per language (configurable under `house_style:`).

    `patterns[lang]` has "name" (余明隆校長: `{name}{title}`) and "with_institution" (高醫余明隆校長); a later
    "Title Surname" mention uses the same patterns with the family form as `{name}` (余校長), or the full name
    when `later_mentions` is "full". `default_institution` is the type whose title forms are used when a
    mention's institution is unknown (a Taiwanese medical university's releases: "university").

    `typography` is what publish does to text a reviewer typed (pipeline/language/typography.py): "apply" (the
    default) typesets it like machine text, and `review import` shows per row what will change (before → after);
    "keep" publishes it exactly as typed. Machine text is typeset either way.
    """

    default_institution: str = "university"
    later_mentions: str = "family"  # "family" | "full"
    typography: str = "apply"  # TYPOGRAPHY: "apply" | "keep"
    patterns: dict[str, dict[str, str]] = field(default_factory=dict)
    source: str | None = None
    line: int = 0

    # By primary subtag, from the language registry (zh: 余明隆校長, ja: 高醫の余明隆学長, ko: 김민수 총장);
    # "": a language without a record.
    DEFAULTS = {
        **{
            lang.code.split("-", 1)[0]: {"name": lang.name_with_title, "with_institution": lang.name_with_institution}
            for lang in reversed(ALL_LANGUAGES)
        },
        "": {"name": "{title} {name}", "with_institution": "{title} {name} ({institution})"},
    }

    def pattern(self, lang: str, kind: str) -> str:
        own = self.patterns.get(lang, {})
        if kind in own:
            return own[kind]
        base = self.DEFAULTS.get(lang.split("-", 1)[0], self.DEFAULTS[""])
        return base[kind]

    def render(self, lang: str, name: str, title: str | None, institution: str | None = None) -> str:
        """`name` with `title` (and `institution`) in the house style of `lang`; the name alone without a title."""
        if not title:
            return name
        kind = "with_institution" if institution else "name"
        return self.pattern(lang, kind).format(name=name, title=title, institution=institution or "")


# ------------------------------------------------------------------------------------------------ defaults
# Shipped for a Taiwanese medical university's releases: university, hospital and government titles.
_U = "university"
DEFAULT_TITLES: list[tuple[str, list[str], dict[str, dict[str, str]], bool]] = [
    ("President", ["Pres."], {
        _U: {"zh-TW": "校長", "ja": "学長"},
        "medical-school": {"zh-TW": "院長", "ja": "学部長"},
        "hospital": {"zh-TW": "院長", "ja": "病院長"},
        "institute": {"zh-TW": "理事長", "ja": "理事長"},
        "company": {"zh-TW": "總裁", "ja": "社長"},
        "country": {"zh-TW": "總統", "ja": "大統領"},
    }, False),
    ("Vice President", [], {
        _U: {"zh-TW": "副校長", "ja": "副学長"},
        "hospital": {"zh-TW": "副院長", "ja": "副病院長"},
        "institute": {"zh-TW": "副理事長", "ja": "副理事長"},
        "company": {"zh-TW": "副總裁", "ja": "副社長"},
        "country": {"zh-TW": "副總統", "ja": "副大統領"},
    }, False),
    ("Dean", [], {
        _U: {"zh-TW": "院長", "ja": "学部長"},
        "medical-school": {"zh-TW": "院長", "ja": "医学部長"},
        COLLEGE: {"zh-TW": "院長", "ja": "長"},  # after the college's name: 護理學院院長, 看護学部長
    }, False),
    ("Associate Dean", [], {
        _U: {"zh-TW": "副院長", "ja": "副学部長"},
        "medical-school": {"zh-TW": "副院長", "ja": "副医学部長"},
        COLLEGE: {"zh-TW": "副院長", "ja": "副学部長"},  # 護理學院副院長, 看護学部副学部長
    }, False),
    ("Superintendent", [], {"hospital": {"zh-TW": "院長", "ja": "病院長"}}, False),
    ("Deputy Superintendent", ["Vice Superintendent"], {"hospital": {"zh-TW": "副院長", "ja": "副病院長"}}, False),
    ("Director", [], {
        _U: {"zh-TW": "主任", "ja": "部長"},
        "hospital": {"zh-TW": "主任", "ja": "部長"},
        "institute": {"zh-TW": "主任", "ja": "センター長"},
        "government": {"zh-TW": "署長", "ja": "局長"},
    }, False),
    ("Director General", [], {"government": {"zh-TW": "署長", "ja": "局長"}}, False),
    ("Chair", ["Chairperson", "Chairman", "Chairwoman"], {
        _U: {"zh-TW": "主任", "ja": "学科長"},
        "company": {"zh-TW": "董事長", "ja": "会長"},
        "other": {"zh-TW": "主席", "ja": "委員長"},
    }, False),
    ("CEO", ["Chief Executive Officer"], {"company": {"zh-TW": "執行長", "ja": "最高経営責任者"}}, False),
    ("Mayor", [], {"city": {"zh-TW": "市長", "ja": "市長"}}, False),
    ("Minister", [], {"government": {"zh-TW": "部長", "ja": "大臣"}}, False),
    ("Provost", [], {_U: {"zh-TW": "教務長", "ja": "副学長"}}, False),
    ("Deputy Minister", ["Vice Minister"], {"government": {"zh-TW": "次長", "ja": "副大臣"}}, False),
    ("Secretary General", [], {
        _U: {"zh-TW": "主任秘書", "ja": "事務局長"},
        "other": {"zh-TW": "秘書長", "ja": "事務総長"},
    }, False),
    ("Chair Professor", [], {_U: {"zh-TW": "講座教授", "ja": "特任教授"}}, True),
    ("Distinguished Professor", [], {_U: {"zh-TW": "特聘教授", "ja": "特別教授"}}, True),
    ("Professor Emeritus", ["Emeritus Professor"], {_U: {"zh-TW": "名譽教授", "ja": "名誉教授"}}, True),
    ("Professor", ["Prof."], {_U: {"zh-TW": "教授", "ja": "教授"}}, True),
    ("Associate Professor", ["Assoc. Prof."], {_U: {"zh-TW": "副教授", "ja": "准教授"}}, True),
    ("Assistant Professor", ["Asst. Prof."], {_U: {"zh-TW": "助理教授", "ja": "助教"}}, True),
    ("Dr.", ["Doctor"], {"other": {"zh-TW": "博士", "ja": "博士"}}, True),
    ("Mr.", [], {"other": {"zh-TW": "先生", "ja": "氏"}}, True),
    ("Ms.", ["Mrs.", "Miss"], {"other": {"zh-TW": "女士", "ja": "氏"}}, True),
]  # fmt: skip


def default_table() -> TitleTable:
    return TitleTable(
        [Title(english, list(variants), {k: dict(v) for k, v in forms.items()}, courtesy)
         for english, variants, forms, courtesy in DEFAULT_TITLES]
    )  # fmt: skip
