"""What a check receives and returns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pipeline.language import find_language

ERROR = "error"  # blocks publishing
WARNING = "warning"  # shown, never blocks


@dataclass(frozen=True)
class Finding:
    code: str  # "number-missing", "term-missing", "untranslated", ...
    severity: str  # ERROR | WARNING
    message: str

    @property
    def error(self) -> bool:
        return self.severity == ERROR

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "severity": self.severity, "message": self.message}


@dataclass(frozen=True)
class Term:
    """A glossary term found in the English and the form the translation must hold."""

    source: str  # the English as found
    target: str  # the glossary's form in the target language
    status: str = "approved"  # "approved" (missing: error) | "proposed" (missing: warning)
    entry_id: str = ""


# (English, target, language, terms) -> findings
Check = Callable[[str, str, str, Sequence[Term]], list[Finding]]


def cjk(lang: str) -> bool:
    """Written with full-width punctuation and no spaces between CJK characters (zh, ja; not ko): the language
    registry's `full_width_punctuation`."""
    language = find_language(lang)
    return language is not None and language.full_width_punctuation


def non_latin(lang: str) -> bool:
    """Written in a CJK script (zh, ja, ko): mostly Latin letters in it is English left untranslated."""
    language = find_language(lang)
    return language is not None and language.cjk_script


def chinese(lang: str) -> bool:
    language = find_language(lang)
    return language is not None and language.detected_as == "zh"


def japanese(lang: str) -> bool:
    language = find_language(lang)
    return language is not None and language.detected_as == "ja"


def clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
