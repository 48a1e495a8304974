"""Inline formatting as paired tags the model sees, and marks carried from one text to another.

A segment's marks (bold, italic, underline, sup/sub, hyperlinks: `document.Mark`) are written into the text the
model translates as numbered paired tags, `<b1>…</b1>`, `<a2>…</a2>` (kind letter, number in source order), the
way CAT tools and DeepL pass inline tags. `read_tags` finds them again in the output with a tolerant pattern
(spaces inside, full-width ＜＞ or 〈〉 brackets, a lost slash between two openings) and accepts them only when
every tag came back exactly once, in source order, paired and nested: anything else is a `TagProblem`, and the
translate stage recovers (attention alignment) or flags the row "formatting not transferred".

A mark that covers the whole segment (a link that is the whole bullet, a bold caption) is not sent as a tag: it
covers the whole translation.

`remap_marks` moves marks from a text to a changed version of it (typesetting, a reviewer's edit) through a
character alignment (difflib); `carry_marks` keeps only the marks whose text is still found.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from pipeline.core.release import Mark
from pipeline.core.marks import laminar, trim_marks

TAG_NAMES = {"b": "b", "i": "i", "u": "u", "sup": "s", "sub": "d", "a": "a"}
_KIND_OF = {v: k for k, v in TAG_NAMES.items()}
_TAG = re.compile(r"[<＜〈‹]\s*(?P<close>[/／]?)\s*(?P<name>[biusda])\s*(?P<n>[0-9０-９]{1,3})\s*[>＞〉›]", re.IGNORECASE)
SENTINEL_BASE = 0xF0000  # supplementary private use: never in a release, kept by every transformation here


@dataclass
class Tagged:
    text: str  # the model input, tags inserted
    marks: list[Mark]  # the marks sent as tags, in tag-number order (tag n is marks[n-1])
    whole: list[Mark] = field(default_factory=list)  # marks covering the whole source: applied to the whole output


@dataclass
class TagResult:
    text: str  # output with tags removed
    marks: list[Mark] = field(default_factory=list)  # offsets into `text`
    problems: list[str] = field(default_factory=list)


def split_whole(source: str, marks: list[Mark]) -> tuple[list[Mark], list[Mark]]:
    """(marks sent as tags, marks over the whole source)."""
    core = source.strip()
    lead = len(source) - len(source.lstrip())
    whole = [m for m in marks if m.start <= lead and m.end >= lead + len(core)]
    inner = [m for m in marks if m not in whole]
    return inner, whole


def tag_name(mark: Mark, number: int) -> str:
    return f"{TAG_NAMES[mark.kind]}{number}"


def insert_tags(text: str, positions: list[tuple[int, int]], marks: list[Mark]) -> str:
    """`text` with the tags of `marks` put at `positions` ((start, end) in `text` per mark, same order)."""
    events: list[tuple] = []
    for number, (mark, (start, end)) in enumerate(zip(marks, positions), start=1):
        name = tag_name(mark, number)
        # at one offset: closings before openings; the inner closing first (it opened last: later start, or the
        # same start and a higher number), the outer opening first (later end, or the same end, lower number)
        events.append((end, 0, -start, -number, f"</{name}>"))
        events.append((start, 1, -end, number, f"<{name}>"))
    events.sort(key=lambda e: e[:4])
    out, cursor = [], 0
    for pos, _, _, _, tag in events:
        out.append(text[cursor:pos])
        out.append(tag)
        cursor = pos
    out.append(text[cursor:])
    return "".join(out)


def _number(digits: str) -> int:
    return int(digits.translate(str.maketrans("０１２３４５６７８９", "0123456789")))


def read_tags(output: str, marks: list[Mark]) -> TagResult:
    """Take the tags out of `output`; marks placed where they were, or problems when they are not all intact."""
    found = list(_TAG.finditer(output))
    plain, cursor = [], 0
    events: list[tuple[bool, str, int, int]] = []  # (closing, name, number, offset in plain text)
    length = 0
    for match in found:
        piece = output[cursor : match.start()]
        plain.append(piece)
        length += len(piece)
        events.append((bool(match.group("close")), match.group("name").lower(), _number(match.group("n")), length))
        cursor = match.end()
    plain.append(output[cursor:])
    text = "".join(plain)
    if not marks:
        return TagResult(text, [], ["model invented tags"] if found else [])
    problems: list[str] = []
    opened: dict[int, int] = {}
    placed: dict[int, tuple[int, int]] = {}
    stack: list[int] = []
    order: list[int] = []
    for closing, name, number, at in events:
        if not 1 <= number <= len(marks) or TAG_NAMES[marks[number - 1].kind] != name:
            problems.append(f"unknown tag {name}{number}")
            continue
        if not closing:
            if number in opened or number in placed:
                problems.append(f"tag {name}{number} repeated")
                continue
            opened[number] = at
            stack.append(number)
            order.append(number)
        else:
            if number not in opened:
                problems.append(f"tag {name}{number} closed before it opened")
                continue
            if not stack or stack[-1] != number:
                problems.append(f"tag {name}{number} not nested")
            if number in stack:
                stack.remove(number)
            placed[number] = (opened.pop(number), at)
    for number in range(1, len(marks) + 1):
        name = tag_name(marks[number - 1], number)
        if number in opened:
            problems.append(f"tag {name} not closed")
        elif number not in placed and not any(name in p for p in problems):
            problems.append(f"tag {name} lost")
    if order != sorted(order) and not problems:
        problems.append("tags reordered")
    if problems:
        return TagResult(text, [], problems)
    result = []
    for number, (start, end) in sorted(placed.items()):
        mark = marks[number - 1]
        result.append(Mark(start, end, mark.kind, mark.href))
    return TagResult(text, _trim(text, result), [])


def strip_tags(output: str) -> str:
    return _TAG.sub("", output)


# --- what models make of the tags: residue the recovery takes out and qa/checks/markup.py refuses -----------------

_ANGLES = "<＜‹>＞›"  # a tag's own brackets and their look-alikes: any tag-like text in them is residue
_OPENINGS = "<＜‹〈《«[［【"
_CLOSINGS = ">＞›〉》»]］】"  # 〈〉《》«» and the square ones are also ordinary brackets: residue only with a tag's name
_OPEN, _CLOSE = re.escape(_OPENINGS), re.escape(_CLOSINGS)
_OWN_NAMES = {*TAG_NAMES, *TAG_NAMES.values()}
_NAME = r"[^\W\d_]"  # a letter of any script: models transliterate b1 into 作1, 訳1
_BOTH = re.compile(
    rf"[{_OPEN}]{{1,2}}(?P<inside>\s*(?P<slash>[/／]?)\s*(?P<name>{_NAME}{{0,4}})\s*\d{{1,3}}\s*)[{_CLOSE}]{{1,2}}"
)
_NO_CLOSING = re.compile(rf"[{_OPEN}](?P<slash>[/／]?)(?P<name>{_NAME}{{1,4}})\d{{1,3}}(?![\d{_CLOSE}])")
_NO_OPENING = re.compile(
    rf"(?:(?P<slash>[/／])\s*(?P<name>{_NAME}{{0,4}})|(?<![A-Za-z])(?P<latin>[A-Za-z]{{1,3}})|(?P<other>[^\W\d_A-Za-z]))"
    r"\d{1,3}[>＞›]"
)


def _residue_key(piece: str) -> str:
    return "".join(unicodedata.normalize("NFKC", piece).casefold().split())


def _tag_like(match: re.Match) -> bool:
    """Is this bracketed name-and-number a tag, not text? A slash, a name of the tags' own (b, a, sup…) or angle
    brackets around another name (`<作1>`, `‹訳1>`) say tag; a number alone needs the plain angle brackets (`<1>`,
    not `〈1〉` or `[1]`) with no space inside (`2 < 3 > 1` is arithmetic); another name in title brackets (〈表1〉,
    《三國志2》) is text, and so is a Latin name other than a tag's before a lost opening (`ZXQ1>`, `A4>`)."""
    piece = match.group(0)
    name = _residue_key(match.groupdict().get("name") or match.groupdict().get("latin") or "")
    if match.groupdict().get("slash") or name in _OWN_NAMES:
        return True
    if match.groupdict().get("latin"):
        return False
    angled = any(ch in _ANGLES for ch in piece)
    if not name and not match.groupdict().get("other"):
        return angled and not any(ch.isspace() for ch in piece) and piece[0] in "<＜‹" and piece[-1] in ">＞›"
    return angled


def _tag_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for pattern in (_BOTH, _NO_CLOSING, _NO_OPENING):
        for match in pattern.finditer(text):
            start, end = match.span()
            if _tag_like(match) and not any(s < end and start < e for s, e in spans):
                spans.append((start, end))
    return sorted(spans)


def residue_spans(text: str, source: str = "") -> list[tuple[int, int]]:
    """Where `text` holds an inline tag as letters (`<b1>`, and what models make of one: `<作1>`, `‹訳1>`, `＜b1＞`,
    `< b 1 >`, `</a1`, `b1>`), leaving out as many of each as the English `source` holds itself."""
    allowed: dict[str, int] = {}
    for start, end in _tag_spans(source):
        key = _residue_key(source[start:end])
        allowed[key] = allowed.get(key, 0) + 1
    found = []
    for start, end in _tag_spans(text):
        key = _residue_key(text[start:end])
        if allowed.get(key, 0) > 0:
            allowed[key] -= 1
            continue
        found.append((start, end))
    return found


def strip_residue(text: str, source: str = "") -> str:
    """`text` without the tag residue `residue_spans` finds (one space kept where it stood between two)."""
    out, cursor = [], 0
    for start, end in residue_spans(text, source):
        before = text[cursor:start]
        if before.endswith(" ") and text[end : end + 1] in (" ", ""):
            before = before[:-1]
        out.append(before)
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def _trim(text: str, marks: list[Mark]) -> list[Mark]:
    return laminar(trim_marks(text, marks))


def whole_marks(text: str, marks: list[Mark]) -> list[Mark]:
    """`marks` (covering a whole source) placed over the whole of `text`."""
    core = text.strip()
    if not core:
        return []
    lead = len(text) - len(text.lstrip())
    return [Mark(lead, lead + len(core), m.kind, m.href) for m in marks]


# --- moving marks between versions of a text -------------------------------------------------------------------


def offset_map(old: str, new: str) -> list[int]:
    """For every offset 0..len(old) of `old`, the corresponding offset in `new` (character alignment)."""
    mapping = [0] * (len(old) + 1)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for k in range(i1, i2 + 1):
            if tag == "equal":
                mapping[k] = j1 + (k - i1)
            elif k == i1:
                mapping[k] = j1
            elif k == i2:
                mapping[k] = j2
            else:  # inside a changed stretch: proportional
                mapping[k] = j1 + round((k - i1) * (j2 - j1) / max(1, i2 - i1))
    mapping[len(old)] = len(new)
    return mapping


def remap_marks(old: str, new: str, marks: list[Mark]) -> list[Mark]:
    """Marks of `old` placed in `new`, a lightly changed version of it (typesetting)."""
    if not marks:
        return []
    if old == new:
        return list(marks)
    mapping = offset_map(old, new)
    return _trim(new, [Mark(mapping[m.start], mapping[m.end], m.kind, m.href) for m in marks])


def carry_marks(old: str, marks: list[Mark], new: str) -> tuple[list[Mark], list[Mark]]:
    """Marks of `old` moved into `new` (a reviewer's edit of it): (kept, lost).

    A mark is kept where its text is found in `new` exactly once, or the edit left its span untouched.
    """
    if old == new:
        return list(marks), []
    kept, lost = [], []
    mapping = offset_map(old, new)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    equal = [(i1, i2) for tag, i1, i2, _, _ in matcher.get_opcodes() if tag == "equal"]
    for m in marks:
        piece = old[m.start : m.end]
        if any(i1 <= m.start and m.end <= i2 for i1, i2 in equal):
            kept.append(Mark(mapping[m.start], mapping[m.end], m.kind, m.href))
        elif piece and new.count(piece) == 1:
            at = new.index(piece)
            kept.append(Mark(at, at + len(piece), m.kind, m.href))
        else:
            lost.append(m)
    return _trim(new, kept), lost


def describe_marks(text: str, marks: list[Mark]) -> str:
    """The English spans of `marks`, for a reviewer: bold “KMU”, link “Kumamoto University” → https://..."""
    names = {"b": "bold", "i": "italic", "u": "underline", "sup": "superscript", "sub": "subscript", "a": "link"}
    parts = []
    for m in marks:
        part = f"{names.get(m.kind, m.kind)} “{text[m.start:m.end]}”"
        if m.href:
            part += f" → {m.href}"
        parts.append(part)
    return "; ".join(parts)


# --- the translate stage's side --------------------------------------------------------------------------------


def protected_positions(source: str, protected, marks: list[Mark]) -> list[tuple[int, int]]:
    """Where each mark's start and end fall in the protected text (placeholders in place of glossary terms).

    A mark boundary inside a protected piece moves to the edge of its placeholder (a link on part of a name
    covers the whole name).
    """
    shields = protected.shields
    style = protected.style

    def position(x: int, side: str) -> int:
        delta = 0
        for number, shield in enumerate(shields, start=1):
            placeholder = len(style.render(number))
            if x <= shield.start:
                break
            if x >= shield.end:
                delta += placeholder - (shield.end - shield.start)
                continue
            # strictly inside the shield
            return shield.start + delta + (0 if side == "start" else placeholder)
        return x + delta

    return [(position(m.start, "start"), position(m.end, "end")) for m in marks]


def marks_from_alignment(pairs, positions: list[tuple[int, int]], marks: list[Mark], target: str) -> list[Mark] | None:
    """Marks placed in `target` over the target tokens aligned with each mark's source span; None when a mark
    has no aligned token."""
    placed = []
    for mark, (start, end) in zip(marks, positions):
        spans = [(ts, te) for ts, te, ss, se in pairs if ss < end and se > start and te > ts]
        if not spans:
            return None
        placed.append(Mark(min(s for s, _ in spans), max(e for _, e in spans), mark.kind, mark.href))
    result = _trim(target, placed)
    return result if len({(m.kind, m.href) for m in result}) >= len({(m.kind, m.href) for m in marks}) else None


def _sentinel(k: int) -> str:
    return chr(SENTINEL_BASE + k)


def through(transform, text: str, marks: list[Mark]) -> tuple[str, list[Mark]]:
    """`transform(text)` and the marks carried through it (placeholder restore, typesetting).

    Each mark boundary is a private-use sentinel character in a second transformed copy; where that copy, its
    sentinels removed, equals the plain result and every sentinel survived in order, the sentinels give the
    places exactly. Otherwise (a sentinel changed the transformation: spacing around it) the marks are moved by
    character alignment (`remap_marks`).
    """
    plain = transform(text)
    if not marks or plain is None:
        return plain, []
    cuts = sorted({m.start for m in marks} | {m.end for m in marks})
    pieces, cursor = [], 0
    for k, cut in enumerate(cuts):
        pieces.append(text[cursor:cut])
        pieces.append(_sentinel(k))
        cursor = cut
    pieces.append(text[cursor:])
    marked = transform("".join(pieces))
    if marked is not None:
        where: dict[int, int] = {}
        out = []
        for ch in marked:
            k = ord(ch) - SENTINEL_BASE
            if 0 <= k < len(cuts):
                if k in where:
                    break
                where[k] = len(out)
            else:
                out.append(ch)
        positions = [where.get(k) for k in range(len(cuts))]
        if "".join(out) == plain and None not in positions and positions == sorted(positions):
            at = dict(zip(cuts, positions))
            return plain, _trim(plain, [Mark(at[m.start], at[m.end], m.kind, m.href) for m in marks])
    return plain, remap_marks(text, plain, marks)


def remap_anchored(old: str, new: str, anchors: list[tuple[int, int, str]], marks: list[Mark]) -> list[Mark] | None:
    """Marks of `old` placed in `new`, where each anchor (start, end, replacement) of `old` became `replacement`
    in `new`, in order (placeholders restored to glossary targets); the text between anchors is aligned by
    characters. None when an anchor's replacement is not found in order."""
    if not marks:
        return []
    mapping = [0] * (len(old) + 1)
    cursor_old = cursor_new = 0
    for start, end, replacement in sorted(anchors):
        at = new.find(replacement, cursor_new)
        if at < 0 or start < cursor_old:
            return None
        local = offset_map(old[cursor_old:start], new[cursor_new:at])
        for k, v in enumerate(local):
            mapping[cursor_old + k] = cursor_new + v
        for k in range(start + 1, end):
            mapping[k] = at
        mapping[end] = at + len(replacement)
        cursor_old, cursor_new = end, at + len(replacement)
    local = offset_map(old[cursor_old:], new[cursor_new:])
    for k, v in enumerate(local):
        mapping[cursor_old + k] = cursor_new + v
    return _trim(new, [Mark(mapping[m.start], mapping[m.end], m.kind, m.href) for m in marks])
