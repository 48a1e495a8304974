"""Typography of published Chinese (Taiwan) and Japanese text.

`typeset(text, lang)` applies, for zh-* and ja (other languages: whitespace tidied only):

0. what a reviewer typed deliberately is never changed: no Unicode normalisation (compatibility ideographs used
   in names, 神 U+FA19, 﨑 U+FA11 as in 山﨑, stay: NFC would turn them into 神 and 崎), and the ideographic
   space U+3000 (山﨑　太郎), the no-break space U+00A0 and the tab are kept where they are; the spacing rules
   below remove or collapse ASCII spaces (U+0020) only, and line breaks become spaces;
1. full-width Latin letters and digits (Ａ, ０) become half-width (Taiwan and Japanese house styles write
   2017, not ２０１７);
2. quotation marks: “…” → 「…」, ‘…’ and straight '…' → 『…』 inside 「…」 (and 「…」 when not nested and
   holding CJK text); straight "…" holding CJK text → 「…」; an apostrophe (’ or ' between Latin letters:
   Japan’s, Japan's; a ' after a letter or digit never opens a quotation) stays;
3. half-width punctuation next to CJK text becomes full-width: `,` → `，` (zh) or `、` (ja), `.` → `。`,
   `:` `;` `!` `?` → `：` `；` `！` `？`, `(…)` → `（…）`, `...` → `……`. "Next to CJK" means: the nearest
   non-space character before it (for `,:;!?` also after it) is CJK or full-width punctuation; a `.` also at the
   end of a text that holds CJK, after a letter (`…HBV.` → `…HBV。`); never between digits (`1,000`, `16:22`,
   `3.5`); a pair of parentheses when the text inside or the character before `(` is CJK;
4. no spaces between CJK characters, and none around full-width punctuation (it carries its own spacing);
   spaces between CJK and Latin text are left as the reviewer typed them;
5. runs of ASCII spaces collapsed, ASCII spaces at the ends trimmed.

`typeset` is idempotent: typesetting typeset text changes nothing (tested with hypothesis).
`typeset_changes(text, lang)` says what `typeset` changes in a text, as "before → after" pieces: what `review
import` shows of a reviewer's text (the house style's `typography: apply`; with `keep` a reviewer's text is
published as typed, pipeline/publish/plan.py).
`join_pieces` joins segments (or the paragraphs of a split cell) the way the language writes them: nothing
between CJK text, one space between Latin words.
"""

from __future__ import annotations

import difflib
import re

from pipeline.language import find_language
from pipeline.language.script import char_class, is_cjk_char

__all__ = ["is_cjk_char", "typeset_as_cjk", "join_pieces", "typeset", "typeset_changes"]

FULL_WIDTH_PUNCTUATION = "，、。：；！？（）「」『』《》〈〉【】〔〕…—～·・"
_SPACE = " \t\u3000\u00a0"
_OPENING = "「『（《〈【〔"
_CLOSING = "」』）》〉】〕"


def typeset_as_cjk(lang: str) -> bool:
    """Whether `lang` is typeset by CJK rules (full-width punctuation, no spaces between CJK): zh, ja; not ko."""
    language = find_language(lang)
    return language is not None and language.full_width_punctuation


def _halfwidth_alnum(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
            out.append(chr(code - 0xFEE0))
        else:
            out.append(ch)
    return "".join(out)


def _has_cjk(text: str) -> bool:
    return any(is_cjk_char(ch) for ch in text)


def _is_latin_letter(ch: str | None) -> bool:
    return ch is not None and ch.isalpha() and not is_cjk_char(ch)


def _is_word_char(ch: str | None) -> bool:
    return ch is not None and (ch.isdigit() or _is_latin_letter(ch))


def _opens_straight(chars: list[str], i: int) -> bool:
    """A straight ' at `i` can open a quotation: not after a letter or digit (Japan's), and before text."""
    before = chars[i - 1] if i > 0 else None
    after = chars[i + 1] if i + 1 < len(chars) else None
    return not _is_word_char(before) and after is not None and after not in _SPACE and after != "'"


def _quotes(text: str) -> str:
    # Straight double quotes around CJK text.
    text = re.sub(r'"([^"\n]*)"', lambda m: f"「{m.group(1)}」" if _has_cjk(m.group(1)) else m.group(0), text)
    text = text.replace("“", "「").replace("”", "」")
    # Single curly quotes: pair ‘ with the next ’ that is not an apostrophe (between Latin letters).
    chars = list(text)
    depth = 0
    i = 0
    while i < len(chars):
        ch = chars[i]
        if ch == "「":
            depth += 1
        elif ch == "」":
            depth = max(0, depth - 1)
        elif ch == "‘" or (ch == "'" and _opens_straight(chars, i)):
            closing = "’" if ch == "‘" else "'"
            close = None
            for j in range(i + 1, len(chars)):
                if chars[j] == closing:
                    before = chars[j - 1] if j > 0 else None
                    after = chars[j + 1] if j + 1 < len(chars) else None
                    if _is_latin_letter(before) and _is_latin_letter(after):
                        continue  # an apostrophe inside the quotation
                    if closing == "'" and (before is None or before in _SPACE or _is_word_char(after)):
                        continue  # a straight quote closes after text, and not inside a word
                    close = j
                    break
                if chars[j] in "‘「」" or (closing == "'" and chars[j] == "'"):
                    break
            if close is not None:
                inner = "".join(chars[i + 1 : close])
                if depth > 0:
                    chars[i], chars[close] = "『", "』"
                elif _has_cjk(inner):
                    chars[i], chars[close] = "「", "」"
                i = close
        i += 1
    return "".join(chars)


def _neighbours(chars: list[str], i: int) -> tuple[str | None, str | None]:
    before = after = None
    j = i - 1
    while j >= 0 and chars[j] in _SPACE:
        j -= 1
    if j >= 0:
        before = chars[j]
    k = i + 1
    while k < len(chars) and chars[k] in _SPACE:
        k += 1
    if k < len(chars):
        after = chars[k]
    return before, after


def _punctuation(text: str, lang: str) -> str:
    language = find_language(lang)
    comma = language.list_comma if language is not None else "，"
    text = re.sub(r"\.{3}|…", lambda m: "……" if m.group(0) == "..." else m.group(0), text)
    chars = list(text)
    cjk_text = _has_cjk(text)
    # Parentheses, as pairs.
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for i, ch in enumerate(chars):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            pairs.append((stack.pop(), i))
    for start, end in pairs:
        before, _ = _neighbours(chars, start)
        inner = "".join(chars[start + 1 : end])
        if _has_cjk(inner) or (before is not None and is_cjk_char(before)):
            chars[start], chars[end] = "（", "）"
    for i, ch in enumerate(chars):
        if ch not in ",.:;!?":
            continue
        before, after = _neighbours(chars, i)
        prev_char = chars[i - 1] if i > 0 else None
        next_char = chars[i + 1] if i + 1 < len(chars) else None
        if prev_char is not None and next_char is not None and prev_char.isdigit() and next_char.isdigit():
            continue  # 1,000  16:22  3.5
        cjk_before = before is not None and is_cjk_char(before)
        cjk_after = after is not None and is_cjk_char(after)
        if ch == ".":
            if chars[i - 1 : i] == ["."] or chars[i + 1 : i + 2] == ["."]:
                continue  # an ellipsis not next to CJK
            at_end = after is None
            if cjk_before or (at_end and cjk_text and _is_latin_letter(before)):
                chars[i] = "。"
        elif cjk_before or cjk_after:
            chars[i] = {",": comma, ":": "：", ";": "；", "!": "！", "?": "？"}[ch]
    return "".join(chars)


_FW = re.escape(FULL_WIDTH_PUNCTUATION)
_SPACES = "[ ]+"  # only ASCII spaces are tidied: U+3000, U+00A0 and tabs are the reviewer's (rule 0)
_CJK_CLASS = char_class()
_BETWEEN_CJK = re.compile(f"(?<={_CJK_CLASS}){_SPACES}(?={_CJK_CLASS})")
_BEFORE_FW = re.compile(f"{_SPACES}(?=[{_FW}])")
_AFTER_FW = re.compile(f"(?<=[{_FW}]){_SPACES}")
_RUNS = re.compile(_SPACES)


def _spaces(text: str) -> str:
    text = _BETWEEN_CJK.sub("", text)
    text = _BEFORE_FW.sub("", text)
    text = _AFTER_FW.sub("", text)
    return _RUNS.sub(" ", text).strip(" ")


def typeset(text: str, lang: str) -> str:
    """`text` with the publication typography of `lang` (see the module docstring)."""
    if not typeset_as_cjk(lang):
        return re.sub(r"[ \r\n]+", " ", text).strip(" ")
    text = _halfwidth_alnum(re.sub(r"[\r\n]+", " ", text))
    for _ in range(8):  # a conversion can put CJK next to more punctuation (`::“` → `：：「`): until stable
        done = _spaces(_punctuation(_quotes(text), lang))
        if done == text:
            break
        text = done
    return text


_MERGE_GAP = 3  # changes this close together are shown as one piece: “任期” → 「任期」, not “ → 「 and ” → 」


def typeset_changes(text: str, lang: str) -> list[str]:
    """What `typeset(text, lang)` changes, each piece "before → after" in reading order (none: it changes
    nothing). A piece that only removes or adds spaces is shown with the characters around it (`本 大 → 本大`)."""
    after = typeset(text, lang)
    if after == text:
        return []
    groups: list[list[int]] = []  # [i1, i2, j1, j2] of each shown piece
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, text, after, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if groups and i1 - groups[-1][1] <= _MERGE_GAP:
            groups[-1][1], groups[-1][3] = i2, j2
        else:
            groups.append([i1, i2, j1, j2])
    pieces = []
    for i1, i2, j1, j2 in groups:
        before, now = text[i1:i2], after[j1:j2]
        # a side that is empty or begins (ends) with a space would not show what changed: add the neighbour
        if i1 > 0 and j1 > 0 and not (before[:1].strip() and now[:1].strip()):
            i1, j1 = i1 - 1, j1 - 1
        if i2 < len(text) and j2 < len(after) and not (before[-1:].strip() and now[-1:].strip()):
            i2, j2 = i2 + 1, j2 + 1
        pieces.append(f"{text[i1:i2]} → {after[j1:j2]}")
    return list(dict.fromkeys(pieces))


def join_pieces(pieces: list[str], lang: str) -> str:
    """Pieces of one paragraph joined: nothing between CJK text (zh, ja), else one space. Only ASCII spaces and
    line breaks at a piece's ends are dropped (an indenting U+3000 or a no-break space is the reviewer's)."""
    pieces = [p.strip(" \r\n") for p in pieces if p and p.strip(" \r\n")]
    language = find_language(lang)
    if language is None or language.spaced:
        return " ".join(pieces)
    out = ""
    for piece in pieces:
        if out and not (is_cjk_char(out[-1]) or is_cjk_char(piece[0])):
            out += " "
        out += piece
    return out
