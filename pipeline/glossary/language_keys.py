"""Whether a glossary's language key (`targets: {ja: …}`, a CSV column, a title's forms) names a language.

A key the language registry knows (pipeline/language/: its codes, aliases and regional variants such as zh-HK) is
one; so is a key whose primary subtag is an ISO 639 language the pipeline has no record for (`fr`, `pt-BR`: the
office may keep forms it does not translate into yet; translate-toolkit's language table says which). Anything else is a typo that would otherwise be read as a
language of its own and show up only as "has no target for ja": `jp` (Japan's country code), `kr`, `cn`, `tw`.
The message names the key and, where one is close (the registry's closest_language), the code meant:
"`jp` is not a language: did you mean `ja`?".
"""

from __future__ import annotations

import locale
from functools import lru_cache

from pipeline.glossary.model import LANG_CODE
from pipeline.language import ALL as ALL_LANGUAGES
from pipeline.language import closest_language, find_language

__all__ = ["language_key_problem", "suggested_language"]


@lru_cache(maxsize=1)
def _iso_languages() -> frozenset[str]:
    """The language codes of translate-toolkit's language table (ISO 639, a dependency: the CAT formats); where it
    is missing, the C library's locale aliases: the languages a glossary may hold forms in without a record in the
    registry."""
    try:
        from translate.lang.data import languages  # lazy: only for a key the registry does not know (rare)
    except ImportError:
        codes = {alias for alias in locale.locale_alias if 2 <= len(alias) <= 3 and alias.isalpha()}
    else:
        codes = {code.split("_", 1)[0].lower() for code in languages}
    # Country codes that are no language of their own but read as one: the typos this module exists for.
    return frozenset(codes - {"jp", "kr", "cn", "tw", "cz"})


def suggested_language(key: str) -> str | None:
    """The registry's code closest to `key` (`jp` → ja, `kr` → ko, `cn` → zh-CN), or None when nothing is close."""
    language = closest_language(key)
    return language.code if language is not None else None


def language_key_problem(key: object) -> str | None:
    """None when `key` names a language (module docstring); else the one-line message saying so, with the code
    meant where one is close."""
    if isinstance(key, str) and LANG_CODE.match(key):
        if find_language(key) is not None or key.split("-", 1)[0] in _iso_languages():
            return None
        meant = suggested_language(key)
        known = ", ".join(_codes())
        hint = f"did you mean `{meant}`?" if meant else f"use a language code like {known} or an ISO 639 code such as fr"
        return f"`{key}` is not a language: {hint}"
    meant = suggested_language(key) if isinstance(key, str) else None
    hint = f": did you mean `{meant}`?" if meant else ""
    return f"{key!r} is not a language code like {', '.join(_codes())}{hint}"


def _codes() -> list[str]:
    return [language.code for language in ALL_LANGUAGES]
