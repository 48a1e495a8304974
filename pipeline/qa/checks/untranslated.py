"""Untranslated text: a translation that is the English itself, or, for a language in CJK script (zh, ja, ko), mostly Latin letters once glossary
forms (do-not-translate names such as `MOU`), web and e-mail addresses are left out."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pipeline.qa.base import ERROR, Finding, non_latin

_ADDRESS = re.compile(r"\S+@\S+|https?://\S+|www\.\S+", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
MIN_WORDS = 4  # fewer Latin words than this (a name, an acronym) never count as untranslated


@lru_cache(maxsize=4096)  # the English and the glossary forms come back for every language and every import
def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def check(source: str, target: str, lang: str, terms) -> list[Finding]:
    if not target.strip():
        return []
    if _WORD.search(source) and _folded(source) == _folded(target):
        return [Finding("untranslated", ERROR, "the translation is the English text")]
    if not non_latin(lang):
        return []
    rest = unicodedata.normalize("NFKC", target)
    for form in sorted({t.target for t in terms} | {t.source for t in terms}, key=len, reverse=True):
        if form:
            rest = rest.replace(_nfkc(form), " ")
    if "@" in rest or "//" in rest or "www." in rest.lower():  # the pattern is slow to find nothing
        rest = _ADDRESS.sub(" ", rest)
    words = _WORD.findall(rest)
    if len(words) < MIN_WORDS:
        return []
    latin = sum(len(w) for w in words)
    other = sum(map(str.isalpha, rest)) - len(_ASCII_LETTER.findall(rest))  # letters of other scripts
    if latin > other:
        sample = " ".join(words[:6]) + (" …" if len(words) > 6 else "")
        return [Finding("untranslated", ERROR, f"mostly English left in the translation: {sample}")]
    return []
