"""What a check receives and returns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

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
    return lang.lower().split("-")[0] in ("zh", "ja")


def chinese(lang: str) -> bool:
    return lang.lower().split("-")[0] == "zh"


def japanese(lang: str) -> bool:
    return lang.lower().split("-")[0] == "ja"


def clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
