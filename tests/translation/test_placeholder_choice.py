"""Placeholder form per model: the one its tokenizer carries, at the lowest token cost (pipeline/translation/placeholders.py)."""

from __future__ import annotations

import re

import pytest

from support import scripted_engines as e
from pipeline.translation.placeholders import form_costs, styles_for, usable
from pipeline.translation.protect import STYLES, Shield
from pipeline.translation.stage import translate_segments
from support.stage_fakes import SENTENCES, FakeGlossary, seg


class PricedEngine(e.ScriptedEngine):
    """A copy engine whose 'tokenizer' charges `bracket` pieces per ⟦n⟧ and `latin` per ZXQn; `lossy` forms do not
    decode back (an unknown character without byte fallback)."""

    def __init__(self, bracket: int, latin: int, lossy: tuple[str, ...] = ()):
        super().__init__()
        self.bracket, self.latin, self.lossy = bracket, latin, lossy

    def count_tokens(self, text: str) -> int:
        n_bracket = len(re.findall(r"⟦\d+⟧", text))
        n_latin = len(re.findall(r"ZXQ\d+", text))
        words = len(re.sub(r"⟦\d+⟧|ZXQ\d+", " ", text).split())
        return words + n_bracket * self.bracket + n_latin * self.latin

    def tokenizes_losslessly(self, text: str) -> bool:
        return not any(mark in text for mark in self.lossy)


def names(engine) -> list[str]:
    return [s.name for s in styles_for(engine)]


def test_cheaper_form_first():
    assert names(PricedEngine(bracket=8, latin=3)) == ["latin", "brackets"]
    assert names(PricedEngine(bracket=2, latin=5)) == ["brackets", "latin"]


def test_a_tie_keeps_the_default_order():
    assert names(PricedEngine(bracket=3, latin=3)) == [s.name for s in STYLES]
    assert names(e.ScriptedEngine()) == [s.name for s in STYLES]  # whitespace 'tokens': every form costs 1


def test_a_form_the_tokenizer_cannot_carry_goes_last_however_cheap():
    engine = PricedEngine(bracket=1, latin=6, lossy=("⟦",))
    assert names(engine) == ["latin", "brackets"]
    assert [c.survives for c in form_costs(engine)] == [False, True]


def test_costs_are_over_plain_words():
    costs = {c.style.name: c.pieces for c in form_costs(PricedEngine(bracket=8, latin=3))}
    assert costs == {"brackets": 3 * 8 - 3, "latin": 3 * 3 - 3}


def test_the_stage_sends_the_cheaper_form_and_restores_the_same_text():
    cheap_latin = PricedEngine(bracket=8, latin=3)
    cheap_brackets = PricedEngine(bracket=2, latin=8)
    segments = [seg(s, n) for n, s in enumerate(SENTENCES, 1)]
    out_latin = translate_segments(segments, "zh-TW", cheap_latin, FakeGlossary())
    out_brackets = translate_segments(segments, "zh-TW", cheap_brackets, FakeGlossary())
    assert "ZXQ1" in cheap_latin.calls[0][0] and "⟦" not in "".join(cheap_latin.calls[0])
    assert "⟦1⟧" in cheap_brackets.calls[0][0]
    assert len(cheap_latin.calls) == len(cheap_brackets.calls) == 1
    assert [t.text for t in out_latin] == [t.text for t in out_brackets]
    assert out_latin[0].text == "熊本大學 President Prof. 小川久雄 signed the agreement."


def test_latin_is_not_used_where_a_source_digit_would_run_into_it():
    source = "Kumamoto University2025 report"
    shields = [Shield(0, 19, "熊本大學", "term")]
    latin = next(s for s in STYLES if s.name == "latin")
    brackets = next(s for s in STYLES if s.name == "brackets")
    assert not usable(source, shields, latin)
    assert usable(source, shields, brackets)
    engine = PricedEngine(bracket=8, latin=3)
    out = translate_segments([seg(source)], "zh-TW", engine, FakeGlossary())
    assert out[0].text == "熊本大學2025 report"
    assert len(engine.calls) == 1 and "⟦1⟧" in engine.calls[0][0]  # no wasted latin attempt


def test_a_failing_cheap_form_still_falls_back_to_the_other():
    engine = PricedEngine(bracket=8, latin=3)
    engine.script = lambda s: re.sub(r"ZXQ\d+", "", s)  # the model drops the latin placeholders
    out = translate_segments([seg(SENTENCES[1])], "zh-TW", engine, FakeGlossary())
    assert out[0].text == "He visited 熊本大學 in 2017."
    assert "ZXQ1" in engine.calls[0][0] and "⟦1⟧" in engine.calls[1][0]
    assert any(f.code == "placeholder-retry" for f in out[0].flags)


@pytest.mark.parametrize("to_code", ["ja"])
def test_real_sentencepiece_counts_decide(installed, to_code):
    """The identity package's SentencePiece model (byte fallback, no ⟦⟧ pieces) makes ⟦n⟧ dearer than ZXQn."""
    from pipeline.translation.engine.argos import load_engine
    from pipeline.translation.engine.base import DecodeOptions

    engine = load_engine("ja", DecodeOptions(threads=1, beam_size=1))
    costs = {c.style.name: c for c in form_costs(engine)}
    assert costs["brackets"].survives and costs["latin"].survives
    assert costs["brackets"].pieces > costs["latin"].pieces
    assert names(engine) == ["latin", "brackets"]
    assert engine.tokenizes_losslessly("⟦1⟧ and ZXQ12")
