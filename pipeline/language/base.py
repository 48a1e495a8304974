"""What the pipeline knows about one target language: one `Language` record per language (one file each)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = ["CJK_UNICODE_RANGES", "ArgosRoute", "EastAsianFonts", "Face", "Language", "UnknownLanguage"]


class UnknownLanguage(ValueError):
    """A language code the registry has no record for."""


@dataclass(frozen=True)
class ArgosRoute:
    """One way to get the language out of Argos Translate: the package's target code, the script converter its
    output needs (`s2twp`: OpenCC, Simplified → Taiwan Traditional with Taiwan phrasing), and the package's name
    for that code (what `translate models build-demo` writes as `to_name`)."""

    code: str
    converter: str | None = None
    name: str = ""


# The Unicode-range bits (OS/2 ulUnicodeRange1-4) of a face that covers CJK, for a font-table entry that stands in
# for the real face on other systems (Noto CJK, PingFang, Hiragino): the same for every East Asian language
CJK_UNICODE_RANGES = ("A00002FF", "28CFFCFA", "00000016", "00000000")


@dataclass(frozen=True)
class Face:
    """One `w:font` entry of a .docx font table (pipeline/docx/fonts.py explains each field)."""

    name: str
    alt_name: str | None  # the localised name Word writes in w:altName
    charset: str  # w:charset: 88 Big5, 80 Shift-JIS, 81 Hangul, 86 GB2312
    family: str  # roman (serif), swiss (sans), modern
    panose: str
    usb: tuple[str, str, str, str]  # Unicode-range bits
    csb0: str  # code-page bits: the script the face is for


@dataclass(frozen=True)
class EastAsianFonts:
    lang: str  # the pipeline's language code
    tag: str  # w:lang/@w:eastAsia, w:themeFontLang/@w:eastAsia
    face: str  # rFonts/@w:eastAsia of every run and of the document defaults
    faces: tuple[Face, ...]  # font-table entries: `face` first, then its stand-ins on other systems


def _frozen(mapping: Mapping[str, int]) -> Mapping[str, int]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Language:
    """The facts of one target language. Everything that differs between target languages is a field here."""

    code: str  # the project's code (BCP 47): "zh-TW", "ja", "ko"
    english_name: str  # "Traditional Chinese"
    native_name: str  # "繁體中文": the review table's column header
    argos: tuple[ArgosRoute, ...]  # Argos packages that serve it, best first
    docx_lang: str  # w:lang (and w:eastAsia) in .docx: "zh-TW", "ja-JP", "ko-KR"
    html_lang: str  # <html lang>: "zh-Hant-TW", "ja", "ko"
    detected_as: str  # what source.detect.detect_language says for text in it: "zh", "ja", "ko"
    script_words: str  # the script in words, for messages: "Korean (Hangul)"
    cjk_script: bool  # written in CJK script (Han, kana, Hangul): glossary forms compared ignoring spaces
    spaced: bool  # words separated by spaces (Korean); False: pieces join with nothing between CJK (zh, ja)
    full_width_punctuation: bool  # ，。「」（） next to its text (zh, ja); False: Western punctuation (ko)
    list_comma: str = ","  # the enumeration comma typeset between CJK text: "，" (zh), "、" (ja)
    # Number words (QA reads `500萬`, `五百萬`, `500만` as 5,000,000): digits, units below 10,000, multipliers.
    numeral_digits: Mapping[str, int] = field(default_factory=dict)
    numeral_units: Mapping[str, int] = field(default_factory=dict)
    numeral_multipliers: Mapping[str, int] = field(default_factory=dict)
    # Its number words are everyday syllables too (ko: 하지만, 인천): read as a number only after a digit (500만)
    numerals_need_digit: bool = False
    # A person's name with a title (glossary/people/titles.py): 余明隆校長, 高醫の余明隆学長, 고려대 김민수 총장
    name_with_title: str = "{title} {name}"
    name_with_institution: str = "{title} {name} ({institution})"
    fonts: EastAsianFonts | None = None  # East Asian fonts of its .docx documents
    aliases: tuple[str, ...] = ()  # other spellings of the code (zh-Hant, zh_TW): read as this language

    def __post_init__(self) -> None:
        for name in ("numeral_digits", "numeral_units", "numeral_multipliers"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    @property
    def display_name(self) -> str:
        """"Traditional Chinese (繁體中文)": the language as a review document names it."""
        return f"{self.english_name} ({self.native_name})"

    @property
    def column_header(self) -> str:
        return self.native_name

    @property
    def argos_codes(self) -> tuple[str, ...]:
        return tuple(route.code for route in self.argos)

    @property
    def joiner(self) -> str:
        """What joins the translations of pieces of one sentence: a space, or nothing (unspaced CJK)."""
        return " " if self.spaced else ""

    @property
    def unit(self) -> str:
        """What a length in this language counts: "characters" (zh, ja) or "words"."""
        return "words" if self.spaced else "characters"
