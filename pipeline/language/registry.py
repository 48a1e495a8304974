"""The records of the language registry, found by module name in pipeline/language/ (see the package's docstring)."""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from pathlib import Path

from pipeline.language.base import (
    ArgosRoute,
    EastAsianFonts,
    Face,
    Language,
    UnknownLanguage,
)
from pipeline.language.defaults import DEFAULT_TARGETS

__all__ = [
    "ALL",
    "ArgosRoute",
    "EastAsianFonts",
    "Face",
    "Language",
    "UnknownLanguage",
    "find_language",
    "language_for",
    "languages_for_argos",
]


_NOT_LANGUAGES = {"base", "defaults", "registry", "script", "numerals", "typography"}


def _discover() -> tuple[Language, ...]:
    found = []
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name in _NOT_LANGUAGES or module.name.startswith("_"):
            continue
        language = getattr(importlib.import_module(f"pipeline.language.{module.name}"), "LANGUAGE", None)
        if isinstance(language, Language):
            found.append(language)
    rank = {code: k for k, code in enumerate(DEFAULT_TARGETS)}
    return tuple(sorted(found, key=lambda lang: (rank.get(lang.code, len(rank)), lang.code)))


ALL: tuple[Language, ...] = _discover()  # the default targets first, in their order, then the rest by code

_BY_CODE: dict[str, Language] = {}
for _language in ALL:
    for _spelling in (_language.code, *_language.aliases):
        _BY_CODE.setdefault(_spelling.replace("_", "-").lower(), _language)


def find_language(code: str) -> Language | None:
    """The record for `code` (any case, `_` or `-`, an alias such as zh-Hant), else the first record with the same
    primary subtag (zh-HK → zh-TW: the same script family), else None (a language without a record: fr)."""
    key = code.replace("_", "-").lower()
    if key in _BY_CODE:
        return _BY_CODE[key]
    primary = key.split("-", 1)[0]
    return next((lang for lang in ALL if lang.code.lower().split("-", 1)[0] == primary), None)


def closest_language(code: str) -> Language | None:
    """The record one of whose spellings (code or alias) is `code` or closest to it: a typo such as `jp` → ja,
    `kr` → ko, `cn` → zh-CN; None when nothing is close."""
    key = code.replace("_", "-").lower()
    if key in _BY_CODE:
        return _BY_CODE[key]
    close = difflib.get_close_matches(key, list(_BY_CODE), n=1, cutoff=0.5)
    return _BY_CODE[close[0]] if close else None


def language_for(code: str) -> Language:
    """The record for `code` exactly (or one of its aliases); UnknownLanguage for anything else."""
    language = _BY_CODE.get(code.replace("_", "-").lower())
    if language is None:
        known = ", ".join(lang.code for lang in ALL)
        raise UnknownLanguage(f"no language record for {code!r} (known: {known}); add one in pipeline/language/")
    return language


def languages_for_argos(code: str) -> tuple[Language, ...]:
    """The languages an Argos package with target code `code` serves (zh: zh-CN, and zh-TW through OpenCC)."""
    return tuple(lang for lang in ALL if code in lang.argos_codes)


assert all(code in _BY_CODE for code in map(str.lower, DEFAULT_TARGETS)), "a default target without a record"
