"""The language registry: one `Language` record per target language, one module per language.

    from pipeline.language import language_for, find_language, DEFAULT_TARGETS, ALL
    language_for("ko").docx_lang          # "ko-KR"; an unknown code raises UnknownLanguage naming the known ones
    find_language("zh-HK")                # the closest record (zh-TW: same primary subtag), or None

Adding a language is one module here that defines `LANGUAGE = Language(...)` (base.py lists the fields; ko.py is
a short example), plus the glossary's forms in that language. Modules are found by name, so nothing else changes.
This package imports nothing of the pipeline but `pipeline.core` (and itself).
"""

from __future__ import annotations

from pipeline.language.defaults import DEFAULT_TARGETS as DEFAULT_TARGETS  # re-exported: the name callers use

# The records and the look-ups live in registry.py, imported on first use: building the records' dataclasses
# costs ~5 ms, which `translate --help` (it needs only DEFAULT_TARGETS) does not pay.
_REGISTRY = {
    "ALL", "ArgosRoute", "EastAsianFonts", "Face", "Language", "UnknownLanguage", "closest_language", "find_language",
    "language_for", "languages_for_argos",
}


def __getattr__(name: str):
    if name in _REGISTRY:
        from pipeline.language import registry  # lazy: the records are built on first use, not at --help

        return getattr(registry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
