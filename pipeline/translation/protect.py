"""Keep the model's hands off glossary terms and foreign-language spans.

Each protected piece of a source sentence is replaced by a numbered placeholder before translation and
put back (as its glossary target, or verbatim) after decoding. Real models are not copy machines: they may
add spaces inside a placeholder, swap its brackets, turn its digits full-width, move it, drop it or repeat
it. `restore` therefore finds placeholders with a tolerant pattern and accepts the output only when every
placeholder is present exactly once; the translate stage retries or recovers otherwise.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from pipeline.language.script import is_cjk_char


@dataclass(frozen=True)
class PlaceholderStyle:
    name: str
    template: str  # "{n}" is the placeholder number
    tolerant: re.Pattern  # group "n" holds the number, in whatever digits the model wrote

    def render(self, number: int) -> str:
        return self.template.format(n=number)


_DIGITS = r"[0-9\uff10-\uff19]{1,3}"

# Tried in order: a bracketed number first (short, survives most SentencePiece vocabularies through byte
# fallback), then a Latin pseudo-word for models that mangle unusual brackets.
STYLES: tuple[PlaceholderStyle, ...] = (
    PlaceholderStyle(
        "brackets",
        "⟦{n}⟧",
        re.compile(r"[⟦〚【\[［]\s*[⟦\[［]?\s*(?P<n>" + _DIGITS + r")\s*[⟧〛】\]］]?\s*[⟧〛】\]］]"),
    ),
    PlaceholderStyle("latin", "ZXQ{n}", re.compile(r"[Zz]\s*[Xx]\s*[Qq]\s*(?P<n>" + _DIGITS + r")")),
)


@dataclass
class Shield:
    """One protected piece of the source: where it is, and what goes in its place after translation."""

    start: int
    end: int
    replacement: str
    kind: str  # "term" | "verbatim"
    label: str = ""  # the entry id or language, for messages


@dataclass
class Protected:
    text: str
    shields: list[Shield]
    style: PlaceholderStyle


@dataclass
class Restored:
    text: str | None  # None when the output could not be verified
    problems: list[str] = field(default_factory=list)
    altered: int = 0  # placeholders found only through the tolerant pattern


def placeholder_number(digits: str) -> int:
    return int("".join(str(unicodedata.digit(ch)) for ch in digits))


def style_fits(source: str, style: PlaceholderStyle) -> bool:
    """A style cannot be used when the source already contains something that looks like its placeholders."""
    return style.tolerant.search(source) is None


def protect(source: str, shields: list[Shield], style: PlaceholderStyle) -> Protected:
    parts, cursor = [], 0
    ordered = sorted(shields, key=lambda s: s.start)
    for number, shield in enumerate(ordered, start=1):
        parts.append(source[cursor : shield.start])
        parts.append(style.render(number))
        cursor = shield.end
    parts.append(source[cursor:])
    return Protected("".join(parts), ordered, style)


def _is_cjk(ch: str) -> bool:
    return ch != "" and is_cjk_char(ch)


def restore(output: str, protected: Protected, *, cjk_target: bool) -> Restored:
    if not protected.shields:
        return Restored(output)
    found = list(protected.style.tolerant.finditer(output))
    counts: dict[int, int] = {}
    for match in found:
        counts[placeholder_number(match.group("n"))] = counts.get(placeholder_number(match.group("n")), 0) + 1
    problems = []
    for number, shield in enumerate(protected.shields, start=1):
        seen = counts.pop(number, 0)
        if seen != 1:
            what = "lost" if seen == 0 else f"repeated {seen}×"
            problems.append(f"{shield.kind} “{shield.replacement}” {what}")
    if counts:
        problems.append("model invented placeholder(s) " + ", ".join(str(n) for n in sorted(counts)))
    if problems:
        return Restored(None, problems)

    altered = 0
    parts, cursor = [], 0
    for match in found:
        number = placeholder_number(match.group("n"))
        shield = protected.shields[number - 1]
        start, end = match.span()
        exact = protected.style.render(number)
        at = match.group(0).find(exact)
        if at >= 0:
            # The tolerant pattern also takes brackets next to an intact placeholder: "[⟦1⟧]" for a term written
            # in square brackets in the source. Only the placeholder itself is replaced; the brackets stay.
            start, end = start + at, start + at + len(exact)
        else:
            altered += 1
        before = output[cursor:start]
        if cjk_target and before.endswith(" ") and _is_cjk(before.rstrip()[-1:]) and _is_cjk(shield.replacement[:1]):
            before = before.rstrip(" ")
        parts.append(before)
        parts.append(shield.replacement)
        cursor = end
        after = output[cursor:]
        if cjk_target and after.startswith(" ") and _is_cjk(after.lstrip()[:1]) and _is_cjk(shield.replacement[-1:]):
            cursor += len(after) - len(after.lstrip(" "))
    parts.append(output[cursor:])
    return Restored("".join(parts), [], altered)
