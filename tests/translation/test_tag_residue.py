"""Tags a model rewrote past reading (`<作1>`, `‹訳2>`, `＜b3＞`, lost halves) are taken out of the translation by
the translate stage, and the marks recovered on the cleaned text (pipeline/translation/marks.py, inline_tags.py)."""

from __future__ import annotations

import re

from pipeline.core.release import Mark, Segment
from pipeline.source.segment import make_spans
from pipeline.translation.inline_tags import residue_spans, strip_residue
from pipeline.translation.stage import translate_segments
from support.scripted_engines import PseudoAligningEngine, ScriptedEngine, pseudo_translate, rewrite_tags

SOURCE = "KMU signed an agreement with Kumamoto University in Japan and published it in The Lancet today."
LINK = "https://www.kumamoto-u.ac.jp/"
ANY_TAG_TEXT = re.compile(r"[<>＜＞‹›]|[作訳]\d|[biusda]\d")


def _marks() -> list[Mark]:
    def at(words: str, kind: str, href: str | None = None) -> Mark:
        start = SOURCE.index(words)
        return Mark(start, start + len(words), kind, href)

    return [at("KMU", "b"), at("Kumamoto University", "a", LINK), at("Japan", "u"), at("The Lancet", "i")]


def _segment() -> Segment:
    return Segment("p01.s01", "sentence", 1, 1, SOURCE, spans=make_spans(SOURCE), marks=_marks())


def _placed(translation) -> list[tuple[str, str, str | None]]:
    return [(m.kind, translation.text[m.start : m.end], m.href) for m in translation.marks]


def rewritten(text: str) -> str:
    return rewrite_tags(pseudo_translate(text))


def test_the_model_really_rewrote_every_tag_shape():
    engine = ScriptedEngine(rewritten)
    translate_segments([_segment()], "zh-TW", engine)
    [sent] = engine.calls[0]
    output = rewritten(sent)
    for shape in ("<作1>", "</作1>", "‹訳2>", "‹/訳2>", "＜u3＞", "＜/u3＞", "<i4"):
        assert shape in output
    assert "</i4>" not in output


def test_rewritten_tags_are_taken_out_and_the_marks_recovered_on_the_clean_text():
    engine = PseudoAligningEngine(rewritten)
    [translation] = translate_segments([_segment()], "zh-TW", engine)
    assert not ANY_TAG_TEXT.search(translation.text), translation.text
    assert translation.text.startswith("譯 譯") and translation.text.rstrip("。.").endswith("譯")
    kinds = [(kind, href) for kind, _, href in _placed(translation)]
    assert kinds == [("b", None), ("a", LINK), ("u", None), ("i", None)]
    assert all(text.strip("譯 ") == "" and text for _, text, _ in _placed(translation))  # on translated words
    assert [f.code for f in translation.flags] == ["formatting-recovered"]


def test_without_alignment_the_residue_still_goes_and_the_row_says_what_to_add_by_hand():
    engine = ScriptedEngine(rewritten)
    [translation] = translate_segments([_segment()], "ja", engine)
    assert not ANY_TAG_TEXT.search(translation.text), translation.text
    assert translation.marks == []
    [flag] = [f for f in translation.flags if f.code == "formatting-not-transferred"]
    assert f"link “Kumamoto University” → {LINK}" in flag.message


def test_intact_tags_beside_an_invented_one_keep_their_marks_and_lose_the_invention():
    engine = ScriptedEngine(lambda t: pseudo_translate(t) + "<作9>")
    [translation] = translate_segments([_segment()], "zh-TW", engine)
    assert "作9" not in translation.text and "<" not in translation.text
    assert [kind for kind, _, _ in _placed(translation)] == ["b", "a", "u", "i"]
    assert not [f for f in translation.flags if f.code.startswith("formatting")]


def test_only_tag_text_is_stripped_and_what_the_english_holds_stays():
    assert strip_residue("合 <作1>國言學</作1>.") == "合 國言學."
    assert strip_residue("a <b1> b") == "a b"
    assert strip_residue("《熊本日日新聞》〈表1〉 a < b, 2 < 3 > 1, [1]") == "《熊本日日新聞》〈表1〉 a < b, 2 < 3 > 1, [1]"
    assert residue_spans("<b1> 元素", "The <b1> element") == []
    assert strip_residue("<b1> 元素 <b1>", "The <b1> element") == "<b1> 元素"
