"""Format characters (Unicode category Cf): invisible in every editor, yet inside a word they split it for a matcher.

A release pasted from a web page or a PDF brings them along: a zero-width joiner in `Kao\u200dhsiung`, a zero-width
space or a word joiner (U+2060) in `Kuma\u200bmoto`, a soft hyphen, a byte-order mark, bidirectional marks. The glossary
is matched on a copy of the English without them (`visible_copy`), and each match is mapped back to the original
offsets, so the protected name covers them too: they disappear with it, and the row says so (the translation stage's
`invisible-characters` flag, which names them with `describe`).

The set is computed from `unicodedata` (the Unicode version of this Python), once, when first needed.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache

__all__ = ["describe", "format_characters_in", "visible", "visible_copy"]

# Every Cf character so far is in the first two planes or the tags plane (14); scanning only these takes ~15 ms.
_PLANES = ((0, 0x20000), (0xE0000, min(0xF0000, sys.maxunicode + 1)))


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    chars = [chr(c) for low, high in _PLANES for c in range(low, high) if unicodedata.category(chr(c)) == "Cf"]
    return re.compile("[" + "".join(map(re.escape, chars)) + "]")


def format_characters_in(text: str) -> list[str]:
    """The format characters of `text`, each once, in order of appearance."""
    if text.isascii():
        return []
    return list(dict.fromkeys(_pattern().findall(text)))


def visible(text: str) -> str:
    """`text` without its format characters."""
    if text.isascii():
        return text
    return _pattern().sub("", text)


def visible_copy(text: str) -> tuple[str, list[int] | None]:
    """`text` without its format characters, and for each character of that copy its offset in `text` (plus
    `len(text)` at the end); None instead of the offsets when nothing was removed (the copy is `text`)."""
    if text.isascii() or _pattern().search(text) is None:
        return text, None
    pattern = _pattern()
    offsets = [i for i, ch in enumerate(text) if not pattern.match(ch)]
    offsets.append(len(text))
    return "".join(text[i] for i in offsets[:-1]), offsets


def describe(char: str) -> str:
    """`U+200D ZERO WIDTH JOINER`."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'FORMAT CHARACTER')}"
