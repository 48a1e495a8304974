"""Property-based tests (hypothesis) for the invariants the robustness table relies on.

Already elsewhere, not repeated here:
* segmentation loses, duplicates and changes no character: tests/source/test_segment.py::test_exact_rejoin_property,
  ::test_split_sentences_property, ::test_split_long_property;
* the review writer round-trips any segment text (CJK, emoji, control characters stripped with a note):
  tests/review/test_review_writer.py::test_round_trip_arbitrary_text;
* a .txt release round-trips through ingest: tests/source/test_ingest.py::test_txt_round_trip.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from pipeline.source import segment
from pipeline.translation.protect import STYLES, Shield, protect, restore, style_fits

SETTINGS = settings(max_examples=150, deadline=None)

# Text with the characters that make placeholders hard: brackets of every kind the tolerant pattern knows,
# digits (ASCII and full-width), Z/X/Q, spaces, CJK, emoji; plus anything at all.
_TRICKY = st.sampled_from(list("[]［］【】〚〛⟦⟧()0123456789０１２ZXQzxq  \t熊本大學😀。、") + ["ZX", "⟦⟦", "⟧⟧"])
_TEXT = st.one_of(st.text(max_size=60), st.lists(st.one_of(_TRICKY, st.text(max_size=3)), max_size=30).map("".join))


@st.composite
def _protected_case(draw):
    source = draw(_TEXT)
    points = sorted(draw(st.lists(st.integers(0, len(source)), max_size=10)))
    shields = []
    for start, end in zip(points[::2], points[1::2]):
        if start < end:
            replacement = draw(st.one_of(st.text(max_size=12), _TEXT))
            shields.append(Shield(start, end, replacement, draw(st.sampled_from(["term", "verbatim"]))))
    style = draw(st.sampled_from(STYLES))
    return source, shields, style


def _expected(source: str, shields: list[Shield]) -> str:
    out, cursor = [], 0
    for shield in sorted(shields, key=lambda s: s.start):
        out += [source[cursor : shield.start], shield.replacement]
        cursor = shield.end
    return "".join(out) + source[cursor:]


_DIGIT = re.compile(r"[0-9\uff10-\uff19]")


def _latin_ambiguous(source: str, shields: list[Shield], style) -> bool:
    """`ZXQ1` followed by a source digit reads as another number: detected, not round-tripped (see below)."""
    return style.name == "latin" and any(s.end < len(source) and _DIGIT.match(source[s.end]) for s in shields)


@SETTINGS
@given(_protected_case())
@example(("Visit [KMU] and 【KMU】 today", [Shield(7, 10, "高醫", "term"), Shield(17, 20, "高醫", "term")], STYLES[0]))
@example(("⟦KMU⟧]", [Shield(1, 4, "x", "term")], STYLES[0]))
def test_protect_restore_round_trips_any_text_with_any_shields(case):
    """With a model that copies its input, restore(protect(source)) is the source with the replacements in place."""
    source, shields, style = case
    assume(style_fits(source, style))
    assume(not _latin_ambiguous(source, shields, style))
    protected = protect(source, shields, style)
    restored = restore(protected.text, protected, cjk_target=False)
    assert restored.problems == []
    assert restored.text == _expected(source, shields)
    assert restored.altered == 0


@SETTINGS
@given(_protected_case())
def test_protect_restore_for_cjk_targets(case):
    """For a CJK target only spaces between CJK text and a CJK replacement may go; nothing else changes."""
    source, shields, style = case
    assume(style_fits(source, style))
    assume(not _latin_ambiguous(source, shields, style))
    protected = protect(source, shields, style)
    restored = restore(protected.text, protected, cjk_target=True)
    assert restored.problems == []
    expected = _expected(source, shields)
    assert restored.text.replace(" ", "") == expected.replace(" ", "")
    if not any(" " in source[max(0, s.start - 1) : s.start] + source[s.end : s.end + 1] for s in shields):
        assert restored.text == expected


@SETTINGS
@given(_protected_case(), st.sampled_from("0123456789０５"))
def test_ambiguous_latin_placeholder_is_detected_never_silently_wrong(case, digit):
    """`ZXQ1` + a source digit `5` reads as `ZXQ15`: restore refuses (the translate stage retries or recovers)."""
    source, shields, _ = case
    style = next(s for s in STYLES if s.name == "latin")
    assume(shields)
    last = max(shields, key=lambda s: s.start)
    source = source[: last.end] + digit + source[last.end :]
    assume(style_fits(source, style))
    protected = protect(source, shields, style)
    restored = restore(protected.text, protected, cjk_target=False)
    assert restored.text is None or restored.text == _expected(source, shields)


# --- segmentation of long paragraphs (pysbd in pieces) --------------------------------------------------------

_WORDS = st.sampled_from(
    ["Prof.", "Dr.", "U.S.", "Aug.", "23,", "e.g.", "said,", "“", "”", "(", ")", ".", "!", "?", "He", "the",
     "Sentence.", "end.", "Next", "中央社", "。", "熊本のまち", "😀", " ", "\t", "\u3000", "\n", "∯"]
)


@SETTINGS
@given(st.lists(_WORDS, min_size=1, max_size=120).map(" ".join), st.integers(5, 80))
def test_chunked_sentence_detection_loses_nothing(text, chunk):
    """With a tiny PYSBD_CHUNK_CHARS every paragraph goes to pysbd in pieces: sentences still tile the text."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(segment, "PYSBD_CHUNK_CHARS", chunk)
        spans = segment.split_sentences(text)
    if not text.strip():
        assert spans == []
        return
    assert spans[0][0] == len(text) - len(text.lstrip())
    assert text[spans[-1][1] :].strip() == ""
    for (s1, e1), (s2, _) in zip(spans, spans[1:]):
        assert s1 < e1 <= s2 and text[e1:s2].strip() == ""
    for s, e in spans:
        assert text[s:e] == text[s:e].strip() != ""


# --- over-long sentences: split for the model, joined back ----------------------------------------------------


@SETTINGS
@given(st.lists(st.one_of(_WORDS, st.text(min_size=1, max_size=12)), max_size=80).map(" ".join), st.integers(3, 15),
       st.sampled_from(["de", "ja"]))
@example("“ “ 0000000000 Dr.", 3, "de")  # a hard cut before a space: the space starts the next piece (CI, stop 7)
def test_split_for_the_model_and_joined_back_loses_no_word(text, limit, to_code):
    """A copy engine that accepts `limit` words: every piece fits, and the joined output has every character."""
    from support.scripted_engines import ScriptedEngine

    from pipeline.translation.stage import translate_texts

    class Limited(ScriptedEngine):
        def max_input_tokens(self):
            return limit

    engine = Limited(to_code=to_code, lang=to_code)
    assume(text.strip())
    [output] = translate_texts(engine, [text])
    for piece in (p for call in engine.calls for p in call):
        assert engine.count_tokens(piece) <= limit or len(piece.split()) == 1
    assert "".join(output.split()) == "".join(text.split())  # no character lost, duplicated or moved
    if to_code == "de":
        assert output.split() == text.split()  # and no two words glued together
