"""Stage 3: cut a release into segments (the title, the dateline, sentences) with TEXT/VERBATIM spans.

Layout of a release:

* The first non-empty paragraph is the TITLE, one segment, when it looks like one: at most `TITLE_MAX_CHARS`
  characters, not ending in a period, not starting with a dateline. Otherwise every paragraph is body.
* The first body paragraph may start with a CJK dateline in brackets, glued to the first sentence, as press-wire
  releases do: `(中央社訊息服務20251127 16:22:39)Kaohsiung Medical University ...`. It becomes a segment of
  its own, kind DATELINE, one VERBATIM span (copied into every translation, never machine-translated). An English
  dateline (`KAOHSIUNG, Taiwan, March 12, 2026 —`, `TAIPEI (Nov. 5) —`: `datelines.py`) is a DATELINE segment too,
  with TEXT spans (translated).
* Every other paragraph is cut into sentences, kind SENTENCE.

Segment ids are `p{paragraph:02d}.s{sentence:02d}`, both 1-based, over non-empty paragraphs (the title is
p01.s01; with the sample, the dateline is p02.s01 and the first sentence p02.s02).

Exactness (tested with hypothesis): for every non-empty paragraph text `t` in `release.paragraphs_text`,
`Paragraph.text == t.lstrip()`, i.e. `"".join(s.source + s.trailing)` over its segments gives the paragraph
back from its first non-whitespace character on, trailing whitespace included; no character is lost,
duplicated or changed. Each `source` is non-empty and has no leading or trailing whitespace (`str.isspace`);
each `trailing` is whitespace only; a segment's spans tile its source exactly (no gaps, no overlaps).
Whitespace-only paragraphs get no Paragraph (ingest never produces them).

Sentence boundaries. pysbd (rule-based, English) proposes boundaries; each is then checked, and dropped unless
all of these hold (the bias is to under-split: a long segment is harmless, a wrong split is a bad translation):

* the text before it ends with sentence-final punctuation (. ! ? … and CJK 。！？), possibly followed by closing
  quotes or brackets;
* it is not inside a quotation: **policy: a quotation is never split**. `He emphasized, “One. Two.”` is one
  segment, lead-in included, so quote marks stay balanced for the model and for the reviewer (a segment that
  opens a quote the next one closes translates badly and is hard to review). The same holds for brackets:
  `(The event was online. It was fun.)` stays whole. Only matched pairs count: a stray quote mark protects
  nothing;
* the word before the period is not an abbreviation that is followed by a name or a number (Prof., Dr., Mr.,
  Aug., No., Fig., e.g., i.e., ... see `NO_BREAK_AFTER`);
* the next sentence does not start with a lower-case letter (`e.g. small`, `approx. three`);
* it is not inside a CJK span (the dateline's digits and time).

pysbd's own mistakes found while testing: it returns no sentences at all for text containing its internal
placeholder characters (∯ ȸ ♨ ☝ ...), and its `char_span` offsets are found by searching for the sentence text,
which can land on an earlier identical sentence. So its sentences are only used as hints: each is located in
the original text from the previous one on, and a sentence that cannot be found adds no boundary (the text is
never taken from pysbd). If pysbd raises, a simple regular expression proposes the boundaries instead. pysbd is
quadratic on one huge paragraph, so a paragraph longer than `PYSBD_CHUNK_CHARS` is given to it in pieces cut at
sentence ends the regular expression and the rules above agree on (10 MB in one paragraph: ~50 s, not days).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from functools import lru_cache

from pipeline.core.release import DATELINE, SENTENCE, TEXT, TITLE, VERBATIM, Mark, Paragraph, Release, Segment, Span
from pipeline.core.marks import laminar, trim_marks
from pipeline.source.datelines import english_dateline_end
from pipeline.source.detect import bracket_pairs, find_foreign_spans, mostly_cjk, span_language

TITLE_MAX_CHARS = 200

# Abbreviations after whose period a sentence practically never ends (titles before a name; e.g., i.e., vs.).
# Compared case-insensitively, without the final period. Not listed because they often end a sentence:
# Inc, Ltd, Co, Corp, etc, Jr, Sr, U.S, et al (pysbd decides those).
NO_BREAK_AFTER = frozenset(
    """
    mr mrs ms mx dr drs prof profs rev hon st mt ft gen col capt lt sgt cmdr adm gov sen rep pres supt assoc asst
    dept univ insp messrs mme mlle e.g i.e cf vs viz approx
    """.split()
)
# Abbreviations that are not a sentence end when a number follows: Aug. 23, No. 5, Fig. 3, pp. 12-14.
NO_BREAK_BEFORE_NUMBER = frozenset(
    """
    jan feb mar apr jun jul aug sep sept oct nov dec no nos vol vols fig figs eq eqs ch sec art pp p para ref refs
    ca
    """.split()
)

_FINAL = ".!?…。！？．｡"
_CLOSERS = "\"'”’»)]}）］」』】〕〉》"
_QUOTE_PAIRS = {"“": "”", "«": "»", "「": "」", "『": "』", "‹": "›"}
_ROUND_PAIRS = {"(": ")", "[": "]", "{": "}", "（": "）", "［": "］"}
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_FALLBACK_BOUNDARY = re.compile(r"[.!?…。！？][\"'”’)\]]*\s+(?=\S)")
_WORD_WINDOW = 64
_CAPTION_LABEL = re.compile(r"\s*(?:Figure|Fig\.|Table|Photo|Image|Picture|Chart|Exhibit)\s*\d+[a-z]?[.:]", re.IGNORECASE)
# pysbd's cost grows with the length of the text times the abbreviations in it (quadratic on one huge paragraph:
# 100 kB took 6 s, 300 kB 80 s). Longer paragraphs are handed to it in pieces of about this many characters, cut
# where the fallback pattern sees a sentence end that `_accept` accepts; every boundary is still checked against
# the whole paragraph (quotations, brackets, CJK spans). Ordinary paragraphs (< 2,000 characters) are one piece.
PYSBD_CHUNK_CHARS = 5_000


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=False)


def segment_release(release: Release) -> Release:
    """Fill `release.paragraphs` from `release.paragraphs_text` (replacing any) and return the release.

    A paragraph's inline formatting (`release.paragraph_marks`) is cut along its segments (`Segment.marks`).
    """
    kept = [k for k, t in enumerate(release.paragraphs_text) if t.strip()]
    texts = [release.paragraphs_text[k].lstrip() for k in kept]
    marks_of = release.paragraph_marks if len(release.paragraph_marks) == len(release.paragraphs_text) else None
    paragraphs: list[Paragraph] = []
    title = bool(texts) and looks_like_title(texts[0])
    for number, text in enumerate(texts, start=1):
        if number == 1 and title:
            source = text.rstrip()
            para = Paragraph(index=number, kind=TITLE)
            para.segments.append(_segment(number, 1, TITLE, source, text[len(source) :]))
            paragraphs.append(para)
            continue
        para = Paragraph(index=number, kind=SENTENCE)
        offset = 0
        if number == (2 if title else 1):
            end = dateline_end(text)
            if end:
                rest = text[end:]
                skip = len(rest) - len(rest.lstrip())
                source = text[:end]
                para.segments.append(
                    Segment(
                        id=segment_id(number, 1),
                        kind=DATELINE,
                        paragraph=number,
                        index=1,
                        source=source,
                        trailing=text[end : end + skip],
                        spans=[Span(0, len(source), VERBATIM, span_language(source))],
                    )
                )
                offset = end + skip
            elif english_dateline_end(text):  # "KAOHSIUNG, Taiwan, March 12, 2026 —": its own row, translated
                end = english_dateline_end(text)
                skip = len(text[end:]) - len(text[end:].lstrip())
                para.segments.append(_segment(number, 1, DATELINE, text[:end].rstrip(), text[len(text[:end].rstrip()) : end + skip]))
                offset = end + skip
        for start, stop in split_sentences(text[offset:]):
            piece_end = _next_start(text, offset + stop)
            source = text[offset + start : offset + stop]
            index = len(para.segments) + 1
            para.segments.append(_segment(number, index, SENTENCE, source, text[offset + stop : piece_end]))
        paragraphs.append(para)
    if marks_of is not None:
        for para, k in zip(paragraphs, kept):
            raw = release.paragraphs_text[k]
            _assign_marks(para, marks_of[k], len(raw) - len(raw.lstrip()))
    release.paragraphs = paragraphs
    return release


def _assign_marks(para: Paragraph, marks: list, shift: int) -> None:
    """Each segment gets the part of the paragraph's marks over its source (offsets made its own)."""
    if not marks:
        return
    position = 0
    for segment in para.segments:
        start, end = position, position + len(segment.source)
        clipped = [
            Mark(max(m.start - shift, start) - start, min(m.end - shift, end) - start, m.kind, m.href)
            for m in marks
            if m.start - shift < end and m.end - shift > start
        ]
        segment.marks = laminar(trim_marks(segment.source, clipped))
        position = end + len(segment.trailing)


def segment_id(paragraph: int, sentence: int) -> str:
    return f"p{paragraph:02d}.s{sentence:02d}"


def _next_start(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _segment(paragraph: int, index: int, kind: str, source: str, trailing: str) -> Segment:
    return Segment(
        id=segment_id(paragraph, index),
        kind=kind,
        paragraph=paragraph,
        index=index,
        source=source,
        trailing=trailing,
        spans=make_spans(source),
    )


def make_spans(source: str) -> list[Span]:
    """TEXT and VERBATIM spans tiling `source`: the CJK runs of `find_foreign_spans`, and the text between."""
    spans: list[Span] = []
    pos = 0
    for start, end, lang in find_foreign_spans(source):
        if start > pos:
            spans.append(Span(pos, start, TEXT))
        spans.append(Span(start, end, VERBATIM, lang))
        pos = end
    if pos < len(source):
        spans.append(Span(pos, len(source), TEXT))
    return spans


def looks_like_title(text: str) -> bool:
    """Short, no final period, no leading dateline: "KMU Signs Collaboration Agreement with Kumamoto University"."""
    text = text.strip()
    return (
        bool(text)
        and len(text) <= TITLE_MAX_CHARS
        and text[-1] not in ".。．｡"
        and "\n" not in text
        and not dateline_end(text)
        and not english_dateline_end(text)
    )


def dateline_end(text: str) -> int:
    """End offset of a CJK dateline in brackets at the very start of `text`, or 0 when there is none."""
    if not text or text[0] not in "([（［【〔":
        return 0
    for o, c in bracket_pairs(text):
        if o == 0:
            inside = text[1:c]
            return c + 1 if inside.strip() and mostly_cjk(inside) else 0
    return 0


# --- sentences -----------------------------------------------------------------------------------------------


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentences of one paragraph as (start, end) offsets into `text`, whitespace excluded at both ends.

    `text[start:end]` of consecutive sentences are separated by whitespace only, the first starts at the first
    non-whitespace character and the last ends after the last one; whitespace-only text has no sentences.
    See the module docstring for the rules.
    """
    first = _next_start(text, 0)
    if first == len(text):
        return []
    boundaries = [b for b in _candidates(text) if first < b < len(text) and _accept(text, b)]
    inside = _inside_regions(_protected_regions(text))
    boundaries = sorted({b for b in boundaries if not inside(b)})
    sentences: list[tuple[int, int]] = []
    starts = [first, *boundaries]
    for k, start in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else len(text)
        end = stop
        while end > start and text[end - 1].isspace():
            end -= 1
        sentences.append((start, end))
    return sentences


def _inside_regions(regions: list[tuple[int, int]]):
    """A test `b -> bool`: is s < b <= e for some (s, e) in `regions`? (Merged and bisected: linear, not R×B.)"""
    merged: list[list[int]] = []
    for s, e in sorted(regions):
        if e <= s:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)  # (s, e] intervals: touching ones join
        else:
            merged.append([s, e])
    starts = [m[0] for m in merged]

    def inside(b: int) -> bool:
        k = bisect_left(starts, b) - 1  # last region with s < b
        return k >= 0 and b <= merged[k][1]

    return inside


def _chunks(text: str) -> list[int]:
    """Start offsets of the pieces a long paragraph is handed to pysbd in (see PYSBD_CHUNK_CHARS)."""
    starts = [0]
    if len(text) <= PYSBD_CHUNK_CHARS:
        return starts
    for match in _FALLBACK_BOUNDARY.finditer(text):
        b = match.end()
        if b - starts[-1] >= PYSBD_CHUNK_CHARS and _accept(text, b):
            starts.append(b)
    return starts


def _candidates(text: str) -> list[int]:
    """Start offsets of sentences proposed by pysbd (or, should it fail, by a regular expression)."""
    starts = _chunks(text)
    if len(starts) == 1:
        return _pysbd_candidates(text)
    found: list[int] = []
    for k, start in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else len(text)
        found.extend(start + b for b in _pysbd_candidates(text[start:stop]))
        if start:
            found.append(start)  # the cut itself: a sentence end the fallback pattern and `_accept` both saw
    return found


def _pysbd_candidates(text: str) -> list[int]:
    try:
        sentences = _segmenter().segment(text)
    except Exception:  # pysbd is a heuristic library: never let it stop a run
        return [m.end() for m in _FALLBACK_BOUNDARY.finditer(text)]
    found: list[int] = []
    cursor = 0
    for sentence in sentences:
        sentence = sentence.strip()
        if not sentence:
            continue
        at = text.find(sentence, cursor)
        if at < 0:
            continue  # pysbd changed the text: this sentence proposes nothing
        found.append(at)
        cursor = at + len(sentence)
    return found


def _accept(text: str, b: int) -> bool:
    """May a sentence start at `b`? (After sentence-final punctuation, not after Prof., not before "small".)"""
    if b <= 0 or b >= len(text) or text[b].isspace() or text[b].islower():
        return False
    # Walk back over whitespace, then closing quotes/brackets, by index: slicing `text[:b]` would copy the whole
    # paragraph for every candidate, quadratic on a huge one.
    before_end = b
    while before_end > 0 and text[before_end - 1].isspace():
        before_end -= 1
    core_end = before_end
    while core_end > 0 and text[core_end - 1] in _CLOSERS:
        core_end -= 1
    if core_end == 0 or text[core_end - 1] not in _FINAL:
        return False
    last = text[core_end - 1]
    if before_end == b and last not in "。！？｡":
        return False  # no space after an English full stop: "3.5", "U.S.A", "example.com"
    label = _CAPTION_LABEL.match(text, 0, core_end) if last in ".:" else None
    if label is not None and label.end() == core_end:
        return False  # "Figure 1. The signing ceremony": a caption's label is not a sentence
    if last == "." and core_end == before_end:
        # an abbreviation is short: looking at the last _WORD_WINDOW characters finds it (a longer "word" is none)
        word = _WORD_BEFORE.search(text, max(0, core_end - _WORD_WINDOW), core_end)
        if word:
            word_text = word.group(1).lower()
            if word_text in NO_BREAK_AFTER or (word_text in NO_BREAK_BEFORE_NUMBER and text[b].isdigit()):
                return False
    return True


def _protected_regions(text: str) -> list[tuple[int, int]]:
    """(open, close) of matched quotations and brackets, and CJK spans: no boundary inside them."""
    regions = bracket_pairs(text, _QUOTE_PAIRS) + bracket_pairs(text, _ROUND_PAIRS)
    straight = [i for i, ch in enumerate(text) if ch == '"']
    regions += [(straight[k], straight[k + 1]) for k in range(0, len(straight) - 1, 2)]
    regions += [(s, e - 1) for s, e, _ in find_foreign_spans(text)]
    return regions


# --- over-long sentences -------------------------------------------------------------------------------------

# Break opportunities after a sentence end (inside a quotation), best first: after a semicolon, after a dash,
# after a colon, after a comma, at a space.
_BREAK_LEVELS = (";；", "—–", ":：", ",，、", "")
_BREAK_MARKS = "".join(_BREAK_LEVELS)


def split_long_segment(text: str, max_chars: int) -> list[str]:
    """Cut `text` into pieces of at most `max_chars` characters whose concatenation is exactly `text`.

    For the engine, when a sentence is longer than the model accepts. Each cut is made after the best break
    available in the next `max_chars` characters: a sentence end (a long quotation holds several), else a
    semicolon, else a dash (`research—marking`), else a colon,
    else a comma, else a space; whitespace after the break stays with the piece before, so the next piece starts
    with a non-space character. A break leaving a piece shorter than a third of `max_chars` is only used when no
    better-placed one exists. Without any break (one enormous word) the cut is at `max_chars`, moved back so a
    combining mark stays with its letter. Text that fits is returned as it is, in a one-item list; "" gives [].
    """
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
    pieces: list[str] = []
    rest = text
    while len(rest) > max_chars:
        cut = _best_cut(rest, max_chars)
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        pieces.append(rest)
    return pieces


def _best_cut(text: str, max_chars: int) -> int:
    """Where to end the next piece: 1 <= cut <= max_chars < len(text)."""
    options: list[list[int]] = [[] for _ in range(len(_BREAK_LEVELS) + 1)]
    for k in range(1, max_chars + 1):
        if text[k].isspace() or (not text[k - 1].isspace() and text[k - 1] not in _BREAK_MARKS + _FINAL):
            continue
        if _accept(text, k):
            options[0].append(k)  # a sentence end, e.g. inside a long quotation
            continue
        j = k
        while j > 0 and text[j - 1].isspace():
            j -= 1
        if j == 0:
            continue
        mark = text[j - 1]
        for level, marks in enumerate(_BREAK_LEVELS, start=1):
            if (marks and mark in marks) or (not marks and j < k):
                options[level].append(k)
                break
    minimum = max(1, max_chars // 3)
    for level_options in options:
        good = [k for k in level_options if k >= minimum]
        if good:
            return good[-1]
    for level_options in options:
        if level_options:
            return level_options[-1]
    cut = max_chars
    while cut > 1 and (_is_mark(text[cut]) or text[cut] in "\u200d\ufe0f" or text[cut - 1] == "\u200d"):
        cut -= 1
    return cut


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")
