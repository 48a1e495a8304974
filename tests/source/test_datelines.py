"""English datelines (pipeline/source/datelines.py): recognised at the start of the first body paragraph, their own row."""

from __future__ import annotations

import pytest

from pipeline.source.datelines import english_dateline_end
from pipeline.core.release import DATELINE, Release, SENTENCE, TITLE
from pipeline.source.segment import segment_release


@pytest.mark.parametrize(
    "dateline",
    [
        "KAOHSIUNG, Taiwan, March 12, 2026 —",
        "TAIPEI (Nov. 5) —",
        "KUMAMOTO, Japan (March 12, 2026) --",
        "NEW TAIPEI CITY, Taiwan –",
        "TOKYO, Nov. 5 —",
        "KAOHSIUNG —",
    ],
)
def test_common_english_datelines(dateline):
    text = f"{dateline} Kaohsiung Medical University signed an agreement."
    assert english_dateline_end(text) == len(dateline)


@pytest.mark.parametrize(
    "text",
    [
        "Kaohsiung Medical University signed an agreement — a first.",
        "KMU — the university — signed.",  # two letters: an acronym, not a place
        "The WHO, Geneva, said — nothing.",
        "KAOHSIUNG, Taiwan, March 12, 2026 —",  # nothing after it
        "HIV-1 research continues.",
    ],
)
def test_not_datelines(text):
    assert english_dateline_end(text) == 0


def test_dateline_is_its_own_segment_and_not_a_title(tmp_path):
    release = Release(
        tmp_path / "r.txt",
        ["KMU Signs Agreement with Kumamoto University", "KAOHSIUNG, Taiwan, March 12, 2026 — KMU signed an agreement. It is new."],
    )
    segments = segment_release(release).segments
    assert [(s.kind, s.source) for s in segments] == [
        (TITLE, "KMU Signs Agreement with Kumamoto University"),
        (DATELINE, "KAOHSIUNG, Taiwan, March 12, 2026 —"),
        (SENTENCE, "KMU signed an agreement."),
        (SENTENCE, "It is new."),
    ]
    assert not segments[1].verbatim  # translated, unlike the Chinese news-wire dateline
    para = segment_release(release).paragraphs[1]
    assert para.text == release.paragraphs_text[1]


def test_first_paragraph_with_a_dateline_is_not_a_title(tmp_path):
    release = Release(tmp_path / "r.txt", ["TAIPEI (Nov. 5) — KMU signed", "More text."])
    segments = segment_release(release).segments
    assert segments[0].kind == DATELINE and segments[0].source == "TAIPEI (Nov. 5) —"
    assert segments[1].kind == SENTENCE and segments[1].source == "KMU signed"
