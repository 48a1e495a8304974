"""Markup left in the translation as letters (`markup-residue`, an error): an inline formatting tag (`<b1>`, and what
models make of one: `<作1>…</作1>`, `‹訳1>`, `＜b1＞`, `< b 1 >`, a lost half `</a1`) or a glossary placeholder
(`⟦1⟧`, `ZXQ1`, and their mutations `⟦ 1`, `ｚｘｑ１`, `1⟧`) would be published as text. Ordinary brackets are text:
book titles 《熊本日日新聞》, 〈…〉 around words (〈表1〉 too), `[1]`, `a < b`, `2 < 3 > 1`. Whatever the English holds
itself (a source that quotes `<b1>`) is allowed as often as it holds it."""

from __future__ import annotations

import re
import unicodedata

from pipeline.qa.base import ERROR, Finding, clip
from pipeline.translation.inline_tags import SENTINEL_BASE, residue_spans

# protect.STYLES, loosened the ways models change them: another white bracket, spaces, full-width letters and digits,
# one bracket lost, the number lost (⟦⟧ never stand in a release). `[1]` and 【1】 (brackets the tolerant pattern
# also reads) are ordinary text.
_PLACEHOLDER = re.compile(
    r"[⟦〚]\s*\d{1,3}\s*[⟧〛\]］]?|[\[［⟦〚]?\s*\d{1,3}\s*[⟧〛]|[⟦⟧]"
    r"|[ZzＺｚ]\s*[XxＸｘ]\s*[QqＱｑ]\s*\d{0,3}"
    + f"|[{chr(SENTINEL_BASE)}-\U000ffffd]"  # the stage's own mark sentinels (inline_tags.through), never text
)


def _key(piece: str) -> str:
    return "".join(unicodedata.normalize("NFKC", piece).casefold().split())


def _placeholder_spans(text: str, source: str) -> list[tuple[int, int]]:
    allowed: dict[str, int] = {}
    for match in _PLACEHOLDER.finditer(source):
        allowed[_key(match.group(0))] = allowed.get(_key(match.group(0)), 0) + 1
    found = []
    for match in _PLACEHOLDER.finditer(text):
        key = _key(match.group(0))
        if allowed.get(key, 0) > 0:
            allowed[key] -= 1
        else:
            found.append(match.span())
    return found


def residue(source: str, target: str) -> list[str]:
    """The pieces of `target` that are markup, not text, in order."""
    spans = residue_spans(target, source) + _placeholder_spans(target, source)
    return [target[start:end] for start, end in sorted(spans)]


def check(source: str, target: str, lang: str, terms) -> list[Finding]:
    pieces = residue(source, target)
    if not pieces:
        return []
    shown = ", ".join(
        f"“{clip(piece, 20)}”" if piece.isprintable() else f"U+{ord(piece):04X}" for piece in dict.fromkeys(pieces)
    )
    return [
        Finding(
            "markup-residue",
            ERROR,
            f"formatting tag or placeholder text in the translation: {shown}; delete it (the formatting is applied "
            "to the words, not written as text)",
        )
    ]
