"""Which script a character belongs to: the one definition of "a CJK character" for the whole pipeline.

CJK here means the East Asian scripts and their punctuation: Han, kana, bopomofo, **Hangul**, CJK symbols and
punctuation, full-width forms. Whether a language *writes* its words without spaces is a fact of the language
(`Language.spaced`), not of its characters: Korean is CJK script written with spaces between words.
"""

from __future__ import annotations

import re

__all__ = ["CJK_OTHER", "HAN", "HANGUL", "KANA", "RANGES", "char_class", "is_cjk_char", "script_of"]

HAN, KANA, HANGUL, CJK_OTHER = "han", "kana", "hangul", "cjk"

RANGES: list[tuple[int, int, str]] = sorted(
    [
        (0x1100, 0x11FF, HANGUL),  # Hangul Jamo
        (0x2E80, 0x2FDF, HAN),  # CJK radicals, Kangxi radicals
        (0x2FF0, 0x2FFF, CJK_OTHER),  # ideographic description characters
        (0x3000, 0x303F, CJK_OTHER),  # CJK symbols and punctuation (、。「」〔〕…)
        (0x3040, 0x309F, KANA),  # Hiragana
        (0x30A0, 0x30FF, KANA),  # Katakana (・ U+30FB is special-cased below)
        (0x3100, 0x312F, CJK_OTHER),  # Bopomofo
        (0x3130, 0x318F, HANGUL),  # Hangul compatibility Jamo
        (0x3190, 0x31BF, CJK_OTHER),  # Kanbun, Bopomofo extended
        (0x31C0, 0x31EF, HAN),  # CJK strokes
        (0x31F0, 0x31FF, KANA),  # Katakana phonetic extensions
        (0x3200, 0x33FF, CJK_OTHER),  # enclosed CJK letters, CJK compatibility
        (0x3400, 0x4DBF, HAN),  # CJK extension A
        (0x4E00, 0x9FFF, HAN),  # CJK unified ideographs
        (0xA960, 0xA97F, HANGUL),  # Hangul Jamo extended-A
        (0xAC00, 0xD7FF, HANGUL),  # Hangul syllables, Jamo extended-B
        (0xF900, 0xFAFF, HAN),  # CJK compatibility ideographs
        (0xFE10, 0xFE1F, CJK_OTHER),  # vertical forms
        (0xFE30, 0xFE4F, CJK_OTHER),  # CJK compatibility forms
        (0xFF00, 0xFF60, CJK_OTHER),  # full-width ASCII forms (（），：！…)
        (0xFF61, 0xFF65, CJK_OTHER),  # half-width CJK punctuation
        (0xFF66, 0xFF9F, KANA),  # half-width Katakana
        (0xFFA0, 0xFFDC, HANGUL),  # half-width Hangul
        (0xFFE0, 0xFFEF, CJK_OTHER),  # full-width symbols (￥ ￡ …)
        (0x1B000, 0x1B16F, KANA),  # kana supplement / extended
        (0x20000, 0x3FFFF, HAN),  # CJK extensions B and later, compatibility supplement
    ]
)


def script_of(ch: str) -> str | None:
    """HAN, KANA, HANGUL or CJK_OTHER for a CJK character; None for anything else (Latin, digits, emoji, “ ” —)."""
    cp = ord(ch)
    if cp < 0x1100:
        return None
    if cp == 0x30FB:  # KATAKANA MIDDLE DOT: used in Chinese text too, so it says nothing about Japanese
        return CJK_OTHER
    for lo, hi, script in RANGES:
        if cp < lo:
            return None
        if cp <= hi:
            return script
    return None


def char_class(*scripts: str) -> str:
    """A regular-expression character class (`[...]`) of the characters of `scripts` (every CJK one if none)."""
    wanted = set(scripts) or {HAN, KANA, HANGUL, CJK_OTHER}
    return "[" + "".join(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi, s in RANGES if s in wanted) + "]"


def is_cjk_char(ch: str) -> bool:
    """Han, kana, bopomofo, Hangul, or CJK/full-width punctuation (U+3000 IDEOGRAPHIC SPACE included)."""
    return script_of(ch) is not None
