"""Segmentation: the sample's exact segments, the hard sentence cases, and exactness on arbitrary text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core.release import DATELINE, SENTENCE, TEXT, TITLE, VERBATIM, Release
from pipeline.source.ingest import read_release
from pipeline.source.segment import looks_like_title, segment_release, split_long_segment, split_sentences

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "kmu-kumamoto-mou-2025.txt"
DATELINE_TEXT = "(中央社訊息服務20251127 16:22:39)"

SAMPLE_IDS = [
    ("p01.s01", TITLE),
    ("p02.s01", DATELINE),
    ("p02.s02", SENTENCE),
    ("p02.s03", SENTENCE),
    ("p02.s04", SENTENCE),
    ("p03.s01", SENTENCE),
    ("p03.s02", SENTENCE),
    ("p03.s03", SENTENCE),
    ("p03.s04", SENTENCE),
    ("p04.s01", SENTENCE),
    ("p04.s02", SENTENCE),
    ("p04.s03", SENTENCE),
    ("p05.s01", SENTENCE),
    ("p05.s02", SENTENCE),
    ("p05.s03", SENTENCE),
    ("p06.s01", SENTENCE),
    ("p06.s02", SENTENCE),
    ("p06.s03", SENTENCE),
    ("p06.s04", SENTENCE),
    ("p07.s01", SENTENCE),
    ("p08.s01", SENTENCE),
]


@pytest.fixture(scope="module")
def sample() -> Release:
    return segment_release(read_release(SAMPLE))


def _sources(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def _release(*paragraphs: str) -> Release:
    return segment_release(Release(path=Path("r.txt"), paragraphs_text=list(paragraphs)))


def _one(sample: Release, start: str):
    found = [s for s in sample.segments if s.source.startswith(start)]
    assert len(found) == 1, start
    return found[0]


# --- the sample --------------------------------------------------------------------------------------------


def test_sample_ids_and_kinds(sample):
    assert len(sample.segments) == 21
    assert [(s.id, s.kind) for s in sample.segments] == SAMPLE_IDS
    assert [p.kind for p in sample.paragraphs] == [TITLE] + [SENTENCE] * 7
    for paragraph in sample.paragraphs:
        for k, segment in enumerate(paragraph.segments, start=1):
            assert (segment.paragraph, segment.index) == (paragraph.index, k)


def test_sample_rejoins_exactly(sample):
    assert [p.text for p in sample.paragraphs] == sample.paragraphs_text
    assert "\n".join(p.text for p in sample.paragraphs) == sample.text


def test_sample_title(sample):
    title = sample.segments[0]
    assert title.source == "KMU Signs Collaboration Agreement with Kumamoto University, Japan"
    assert title.trailing == ""
    assert [(s.start, s.end, s.kind) for s in title.spans] == [(0, len(title.source), TEXT)]


def test_sample_dateline(sample):
    dateline = sample.segments[1]
    assert dateline.kind == DATELINE
    assert dateline.source == DATELINE_TEXT
    assert dateline.trailing == ""  # glued to the first sentence
    assert dateline.verbatim
    assert [(s.start, s.end, s.kind, s.lang) for s in dateline.spans] == [(0, len(DATELINE_TEXT), VERBATIM, "zh")]
    first = sample.segments[2]
    assert first.source.startswith("Kaohsiung Medical University (KMU) has been actively expanding")
    assert first.source.endswith("research exchanges.")
    assert not first.verbatim and first.verbatim_spans() == []


def test_sample_prof_is_not_a_sentence_end(sample):
    segment = _one(sample, "KMU President Ming-Lung Yu")
    assert "Prof. Hisao Ogawa jointly signed" in segment.source
    assert segment.source.endswith("Memorandum of Understanding on Academic Collaboration.")


def test_sample_em_dash_clause_stays(sample):
    segment = _one(sample, "The deans of both universities")
    assert "research—marking a significant milestone in Taiwan–Japan medical collaboration." in segment.source


def test_sample_quotation_is_one_segment(sample):
    segment = _one(sample, "He emphasized, “Today’s agreement")
    assert "talent cultivation. By working together" in segment.source
    assert segment.source.endswith("well-being of both our societies.”")
    assert segment.source.count("“") == segment.source.count("”") == 1
    assert segment.trailing == ""


def test_sample_numbers_and_acronyms(sample):
    segment = _one(sample, "One of its predecessor institutions")
    assert segment.source.endswith("he is also featured on Japan’s 1,000-yen banknote.")
    assert _one(sample, "President Hisao Ogawa previously").source.endswith(
        "(NCVC), demonstrating Kumamoto University’s leadership in advanced clinical and translational research."
    )
    assert _one(sample, "Kumamoto University has a long").source == (
        "Kumamoto University has a long and distinguished history."
    )


def test_sample_ids_are_unique_and_well_formed(sample):
    ids = [s.id for s in sample.segments]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"p\d{2}\.s\d{2}", i) for i in ids)


def test_segmenting_twice_gives_the_same_result(sample):
    again = segment_release(read_release(SAMPLE))
    assert [(s.id, s.source, s.trailing) for s in again.segments] == [
        (s.id, s.source, s.trailing) for s in sample.segments
    ]


# --- hard sentence cases -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "President Prof. Hisao Ogawa signed. Dr. Lin and Mr. Chen came.",
            ["President Prof. Hisao Ogawa signed.", "Dr. Lin and Mr. Chen came."],
        ),
        ("It opened on Aug. 23, 2025, in Kaohsiung. Classes start soon.",
         ["It opened on Aug. 23, 2025, in Kaohsiung.", "Classes start soon."]),
        ("Mrs. Wang and Ms. Lee met Assoc. Prof. Chen. They talked.",
         ["Mrs. Wang and Ms. Lee met Assoc. Prof. Chen.", "They talked."]),
        ("He studied in the U.S. for years. Then he returned.",
         ["He studied in the U.S. for years.", "Then he returned."]),
        ("He joined the U.S. Army. It was fine.", ["He joined the U.S. Army.", "It was fine."]),
        ("The 1,000-yen note shows him. The hospital has 6,000 beds. Growth was 3.5 percent.",
         ["The 1,000-yen note shows him.", "The hospital has 6,000 beds.", "Growth was 3.5 percent."]),
        ("Fields, e.g. virology, grew. Others, i.e. the rest, did not.",
         ["Fields, e.g. virology, grew.", "Others, i.e. the rest, did not."]),
        ("Some fields (e.g. Virology) grew. Taiwan vs. Japan was close.",
         ["Some fields (e.g. Virology) grew.", "Taiwan vs. Japan was close."]),
        ("See Fig. 3 and No. 5 for details. They are clear.", ["See Fig. 3 and No. 5 for details.", "They are clear."]),
        ("It was held in Aug. The next one is in Oct. 2026.", ["It was held in Aug.", "The next one is in Oct. 2026."]),
        ("The National Cerebral and Cardiovascular Center (NCVC). The next one.",
         ["The National Cerebral and Cardiovascular Center (NCVC).", "The next one."]),
        ("He said, “One. Two.” Then he left.", ["He said, “One. Two.”", "Then he left."]),
        ('He said, "One. Two! Three?" Then he left.', ['He said, "One. Two! Three?"', "Then he left."]),
        ("“We are proud,” said Yu. “This is new. It matters.”",
         ["“We are proud,” said Yu.", "“This is new. It matters.”"]),
        ("“One. Two.” said he. Done.", ["“One. Two.” said he.", "Done."]),
        ("(The event was online. It was fun.) Next one.", ["(The event was online. It was fun.)", "Next one."]),
        ("What? Yes! Maybe.", ["What?", "Yes!", "Maybe."]),
        ("Same. Same. Same.", ["Same.", "Same.", "Same."]),
        ("Version 2.0 ships.Next line has no space.", ["Version 2.0 ships.Next line has no space."]),
        ("It grew approx. three times. Good.", ["It grew approx. three times.", "Good."]),
        ("Prof. Cheng (程文俊) spoke. He left.", ["Prof. Cheng (程文俊) spoke.", "He left."]),
        ("Text with pysbd placeholders ∯ ȸ ♨ ☝ here. Second sentence.",
         ["Text with pysbd placeholders ∯ ȸ ♨ ☝ here.", "Second sentence."]),
        ("A stray “quote opens. It never closes. Fine.", ["A stray “quote opens.", "It never closes.", "Fine."]),
    ],
)
def test_sentences(text, expected):
    assert _sources(text) == expected


def test_sentences_keep_odd_whitespace():
    text = "  First one.\u00a0 Second\tone.\u3000Third one. \n"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second\tone.", "Third one."]
    assert spans[0][0] == 2


def test_whitespace_only_has_no_sentences():
    assert split_sentences(" \t\u3000") == []
    assert split_sentences("") == []


# --- title and dateline ------------------------------------------------------------------------------------


def test_no_title_when_first_paragraph_is_a_sentence():
    release = _release("This release has no title. It starts right away.", "Second paragraph.")
    assert [p.kind for p in release.paragraphs] == [SENTENCE, SENTENCE]
    assert [s.id for s in release.segments] == ["p01.s01", "p01.s02", "p02.s01"]


def test_title_rules():
    assert looks_like_title("KMU Signs Collaboration Agreement with Kumamoto University, Japan")
    assert looks_like_title("Is This a Title?")
    assert not looks_like_title("A sentence ends with a period.")
    assert not looks_like_title("Long " * 60)
    assert not looks_like_title(DATELINE_TEXT)
    assert not looks_like_title("   ")


def test_dateline_on_its_own_line_and_with_a_space():
    release = _release("Title", DATELINE_TEXT, "First sentence. Second.")
    assert [(s.id, s.kind) for s in release.segments] == [
        ("p01.s01", TITLE), ("p02.s01", DATELINE), ("p03.s01", SENTENCE), ("p03.s02", SENTENCE)
    ]
    release = _release(DATELINE_TEXT + "  First sentence.")
    assert [(s.id, s.kind, s.source, s.trailing) for s in release.segments] == [
        ("p01.s01", DATELINE, DATELINE_TEXT, "  "),
        ("p01.s02", SENTENCE, "First sentence.", ""),
    ]


def test_dateline_only_in_first_body_paragraph():
    release = _release("Title", "First paragraph.", DATELINE_TEXT + "Later paragraph.")
    assert [s.kind for s in release.segments] == [TITLE, SENTENCE, SENTENCE]
    later = release.segments[2]
    assert later.source == DATELINE_TEXT + "Later paragraph."
    assert [(s.kind, s.lang) for s in later.spans] == [(VERBATIM, "zh"), (TEXT, None)]


def test_fullwidth_bracket_dateline():
    release = _release("Title", "（中央社訊息服務20251127 16:22:39）KMU signed.")
    assert [(s.kind, s.source) for s in release.segments[1:]] == [
        (DATELINE, "（中央社訊息服務20251127 16:22:39）"), (SENTENCE, "KMU signed.")
    ]


def test_english_bracket_is_not_a_dateline():
    release = _release("Title", "(Kaohsiung, Taiwan) KMU signed.")
    assert [s.kind for s in release.segments] == [TITLE, SENTENCE]


def test_verbatim_spans_inside_a_sentence():
    release = _release("Prof. Cheng (程文俊) met 小川久雄 and 김민수 in 熊本のまち.")
    segment = release.segments[0]
    pieces = [(segment.source[s.start : s.end], s.kind, s.lang) for s in segment.spans]
    assert pieces == [
        ("Prof. Cheng ", TEXT, None),
        ("(程文俊)", VERBATIM, "zh"),
        (" met ", TEXT, None),
        ("小川久雄", VERBATIM, "zh"),
        (" and ", TEXT, None),
        ("김민수", VERBATIM, "ko"),
        (" in ", TEXT, None),
        ("熊本のまち", VERBATIM, "ja"),
        (".", TEXT, None),
    ]
    assert not segment.verbatim


def test_leading_whitespace_and_empty_paragraphs():
    release = _release("   ", "  Title here ", "\tBody one.  Body two. \u3000")
    assert [p.index for p in release.paragraphs] == [1, 2]
    assert [p.text for p in release.paragraphs] == ["Title here ", "Body one.  Body two. \u3000"]
    assert [(s.source, s.trailing) for s in release.segments] == [
        ("Title here", " "), ("Body one.", "  "), ("Body two.", " \u3000")
    ]


# --- exactness on arbitrary text ---------------------------------------------------------------------------

_TOKENS = st.sampled_from(
    [
        "Prof.", "Dr.", "Mr.", "U.S.", "Aug.", "23,", "e.g.", "i.e.", "3.5", "1,000-yen", "(NCVC)", "KMU",
        "said,", "research—marking", "“", "”", "‘", "’", '"', "'", "(", ")", "[", "]", ".", "!", "?", "…", ";",
        "He", "the", "Sentence.", "end.", "Next", "中央社", "(中央社訊息服務20251127 16:22:39)", "（全形）", "。",
        "熊本のまち", "김민수", "😀", "👩‍🔬", "e\u0301", " ", "  ", "\t", "\u00a0", "\u3000", "\n", "\u2028",
        "∯", "ȸ", "♨", "☝",
    ]
)
_TOKEN_TEXT = st.lists(_TOKENS, max_size=40).map(" ".join)
_ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=80)
_PARAGRAPH = st.one_of(_TOKEN_TEXT, _ANY_TEXT, st.lists(_TOKENS, max_size=30).map("".join))


def _check_release(texts: list[str], release: Release) -> None:
    kept = [t for t in texts if t.strip()]
    assert [p.text for p in release.paragraphs] == [t.lstrip() for t in kept]
    assert [p.index for p in release.paragraphs] == list(range(1, len(kept) + 1))
    ids = [s.id for s in release.segments]
    assert len(set(ids)) == len(ids)
    for paragraph in release.paragraphs:
        assert paragraph.segments
        for k, segment in enumerate(paragraph.segments, start=1):
            assert segment.id == f"p{paragraph.index:02d}.s{k:02d}"
            assert segment.source and segment.source == segment.source.strip()
            assert segment.trailing.strip() == ""
            assert segment.kind in (TITLE, DATELINE, SENTENCE)
            pos = 0
            for span in segment.spans:
                assert span.start == pos < span.end
                assert span.kind in (TEXT, VERBATIM)
                assert (span.lang is not None) == (span.kind == VERBATIM)
                pos = span.end
            assert pos == len(segment.source)
            if segment.kind == DATELINE:
                assert segment.verbatim and len(segment.spans) == 1


@settings(max_examples=200, deadline=None)
@given(st.lists(_PARAGRAPH, max_size=5))
def test_exact_rejoin_property(texts):
    _check_release(texts, _release(*texts))


@settings(max_examples=200, deadline=None)
@given(_PARAGRAPH)
def test_split_sentences_property(text):
    spans = split_sentences(text)
    if not text.strip():
        assert spans == []
        return
    assert spans[0][0] == len(text) - len(text.lstrip())
    assert text[spans[-1][1] :].strip() == ""
    for (s1, e1), (s2, _) in zip(spans, spans[1:]):
        assert s1 < e1 <= s2
        assert text[e1:s2].strip() == ""  # only whitespace between sentences
    for s, e in spans:
        assert s < e and text[s:e] == text[s:e].strip()


# --- over-long sentences -----------------------------------------------------------------------------------


def test_split_long_prefers_semicolon_then_dash_then_comma():
    text = "Alpha beta gamma; delta epsilon, zeta eta theta iota kappa"
    assert split_long_segment(text, 30) == ["Alpha beta gamma; ", "delta epsilon, ", "zeta eta theta iota kappa"]
    text = "clinical training, and research—marking a significant milestone"
    assert split_long_segment(text, 40) == ["clinical training, and research—", "marking a significant milestone"]
    text = "one two three, four five six seven"
    assert split_long_segment(text, 20) == ["one two three, ", "four five six seven"]


def test_split_long_prefers_sentence_ends_inside_a_quotation():
    text = "He said, “We sign today. By working together, we grow; we learn.”"
    assert split_long_segment(text, 40) == ["He said, “We sign today. ", "By working together, we grow; we learn.”"]


def test_split_long_avoids_tiny_pieces():
    text = "A; " + "word " * 20
    pieces = split_long_segment(text, 50)
    assert len(pieces[0]) >= 50 // 3
    assert "".join(pieces) == text


def test_split_long_without_breaks_cuts_hard():
    assert split_long_segment("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]
    text = "e\u0301" * 10
    pieces = split_long_segment(text, 5)
    assert "".join(pieces) == text
    assert all(not p[0] == "\u0301" for p in pieces)


def test_split_long_edges():
    assert split_long_segment("", 10) == []
    assert split_long_segment("short", 10) == ["short"]
    assert split_long_segment("exactly10!", 10) == ["exactly10!"]
    with pytest.raises(ValueError):
        split_long_segment("text", 0)


@settings(max_examples=200, deadline=None)
@given(_PARAGRAPH, st.integers(min_value=1, max_value=60))
def test_split_long_property(text, max_chars):
    pieces = split_long_segment(text, max_chars)
    assert "".join(pieces) == text
    assert all(0 < len(p) <= max_chars for p in pieces)
    if len(text) <= max_chars:
        assert pieces == ([text] if text else [])
