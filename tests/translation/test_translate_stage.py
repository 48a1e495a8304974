"""The translate stage: placeholders verified, damage recovered, nothing silently missed, one call per batch."""

from __future__ import annotations

import re

import pytest

from pipeline.core.release import VERBATIM, Flag, Segment, Span, Translation
from pipeline.translation.protect import STYLES, Shield, protect, restore
from pipeline.translation.stage import translate_segments
from support import scripted_engines as e
from support.stage_fakes import SENTENCES, FakeGlossary, seg


def run(script, sentences=SENTENCES, lang="zh-TW"):
    engine = e.ScriptedEngine(script)
    segments = [seg(s, i + 1) for i, s in enumerate(sentences)]
    return engine, translate_segments(segments, lang, engine, FakeGlossary())


def test_copy_engine_puts_glossary_targets_in_place_with_one_call():
    engine, out = run(lambda s: s)
    assert [t.text for t in out] == [
        "熊本大學 President Prof. 小川久雄 signed the agreement.",
        "He visited 熊本大學 in 2017.",
        "No term here, just 6,000 beds.",
    ]
    assert len(engine.calls) == 1 and len(engine.calls[0]) == 3
    assert [t.entry_id for t in out[0].terms] == ["kumamoto-university", "hisao-ogawa"]
    assert out[0].terms[1].status == "proposed"
    assert all(not t.flags for t in out)


def test_model_never_sees_the_terms():
    engine, _ = run(lambda s: s)
    sent = " ".join(engine.calls[0])
    assert "Kumamoto" not in sent and "Ogawa" not in sent


@pytest.mark.parametrize("damage", [e.space_inside, e.square_brackets, e.fullwidth_digits, e.move_first_to_end])
def test_altered_placeholders_are_recognised(damage):
    engine, out = run(damage)
    assert "熊本大學" in out[0].text and "小川久雄" in out[0].text
    assert not re.search(r"[⟦⟧\[\]]", out[0].text)
    assert len(engine.calls) == 1


def test_lost_brackets_retry_with_the_latin_style_and_say_so():
    engine, out = run(e.drop_brackets)
    assert len(engine.calls) == 2  # the first batch, then one retry batch with only the failed segments
    assert len(engine.calls[1]) == 2
    assert out[0].text == "熊本大學 President Prof. 小川久雄 signed the agreement."
    assert any(f.code == "placeholder-retry" for f in out[0].flags)


def test_duplicated_placeholders_are_not_accepted():
    _, out = run(e.duplicate_brackets)
    assert out[1].text == "He visited 熊本大學 in 2017."
    assert out[1].text.count("熊本大學") == 1


def test_all_placeholders_lost_recovers_by_substitution_and_flags():
    engine, out = run(e.drop_everything)
    assert len(engine.calls) == 3
    # the last call translates the unprotected sentences and each term alone
    assert "Kumamoto University" in engine.calls[2]
    assert out[0].text == "熊本大學 President Prof. 小川久雄 signed the agreement."
    assert any(f.code == "glossary-recovered" for f in out[0].flags)


def test_unrecoverable_term_is_flagged_never_silent():
    def model(text):
        # drops placeholders, and renders the term differently in context than alone
        return e.drop_everything(text).replace("Kumamoto University President", "KU President")

    _, out = run(model)
    flags = {f.code: f.message for f in out[0].flags}
    assert "glossary-missing" in flags
    assert "Kumamoto University → expected 熊本大學" in flags["glossary-missing"]
    assert "熊本大學" not in out[0].text


def test_verbatim_segment_and_span_never_reach_the_model():
    engine = e.ScriptedEngine(lambda s: s.upper())
    dateline = "(中央社訊息服務20251127 16:22:39)"
    segments = [
        Segment("p02.s01", "dateline", 2, 1, dateline, "", [Span(0, len(dateline), VERBATIM, "zh")]),
        seg("Reporter Wen-Chun Cheng (程文俊) wrote it.", 2, verbatim=[(24, 29)]),
    ]
    out = translate_segments(segments, "ja", engine, None)
    assert out[0].text == dateline and out[0].origin == "verbatim"
    assert out[1].text == "REPORTER WEN-CHUN CHENG (程文俊) WROTE IT."
    assert "程文俊" not in " ".join(engine.calls[0])


def test_source_that_looks_like_a_placeholder_uses_another_style():
    engine, out = run(lambda s: s, ["See [1] at Kumamoto University."])
    assert out[0].text == "See [1] at 熊本大學."
    assert "ZXQ1" in engine.calls[0][0]


def test_cjk_spaces_around_restored_terms_are_removed_only_between_cjk():
    protected = protect("at Kumamoto University.", [Shield(3, 23, "熊本大學", "term")], STYLES[0])
    assert restore("在 ⟦1⟧ 簽署", protected, cjk_target=True).text == "在熊本大學簽署"
    assert restore("at ⟦1⟧ now", protected, cjk_target=True).text == "at 熊本大學 now"


def test_long_sentence_is_split_not_truncated():
    class Short(e.ScriptedEngine):
        def max_input_tokens(self):
            return 12

    engine = Short(lambda s: s)
    long = ", ".join(f"clause number {i} of Kumamoto University" for i in range(10)) + "."
    out = translate_segments([seg(long)], "en-x", engine, FakeGlossary())
    assert len(engine.calls) == 1 and len(engine.calls[0]) > 1
    assert max(len(t.split()) for t in engine.calls[0]) <= 12
    assert out[0].text.replace("熊本大學", "Kumamoto University").replace(" ", "") == long.replace(" ", "")


def test_repeated_texts_are_decoded_once():
    engine, out = run(lambda s: s, ["Same sentence.", "Same sentence.", "Other."])
    assert engine.calls == [["Same sentence.", "Other."]]
    assert [t.text for t in out] == ["Same sentence.", "Same sentence.", "Other."]


class FakeMemory:
    """Approved translations by source text (pipeline.memory.MemoryStore's lookup contract)."""

    def __init__(self, approved: dict[str, str]):
        self.approved = approved

    def lookup(self, segment, lang):
        text = self.approved.get(segment.source)
        if text is None:
            return None
        return Translation(segment.id, lang, text, origin="memory", flags=[Flag("memory", "from memory, approved 2025-11-01")])


def test_memory_translation_that_keeps_the_glossary_form_is_reused():
    engine = e.ScriptedEngine(lambda s: s)
    memory = FakeMemory({SENTENCES[1]: "他在2017年訪問了熊本大學。"})
    out = translate_segments([seg(s, i + 1) for i, s in enumerate(SENTENCES)], "zh-TW", engine, FakeGlossary(), memory)
    assert out[1].origin == "memory" and out[1].text == "他在2017年訪問了熊本大學。"
    assert len(engine.calls[0]) == 2  # the remembered sentence never reached the model


def test_memory_translation_the_glossary_no_longer_agrees_with_is_kept_with_the_term_flagged():
    """Approved before the glossary said 熊本大學 (here it holds 熊本大学): the reviewer's text stays in the target
    column (human work is never demoted), flagged as an error naming the term; the machine translation with the
    current glossary is offered in Notes."""
    engine = e.ScriptedEngine(lambda s: s)
    memory = FakeMemory({SENTENCES[1]: "他在2017年訪問了熊本大学。"})
    out = translate_segments([seg(s, i + 1) for i, s in enumerate(SENTENCES)], "zh-TW", engine, FakeGlossary(), memory)
    assert out[1].origin == "memory" and out[1].text == "他在2017年訪問了熊本大学。"
    [flag] = [f for f in out[1].flags if f.code == "memory-outdated"]
    assert "Kumamoto University → 熊本大學" in flag.message and "approved 2025-11-01" in flag.message
    assert flag.severity == "error"
    [offered] = [f for f in out[1].flags if f.code == "machine-version"]
    assert offered.message.endswith("He visited 熊本大學 in 2017.")
