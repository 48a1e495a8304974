"""Paired inline tags: written, read back tolerantly, refused when broken; marks carried through text changes."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.core.marks import laminar, trim_marks
from pipeline.core.release import Mark
from pipeline.translation.inline_tags import carry_marks, insert_tags, read_tags, through
from pipeline.language.typography import typeset

TEXT = "KMU signed with Kumamoto University today."
LINK = Mark(16, 35, "a", "https://www.kumamoto-u.ac.jp/")
BOLD = Mark(0, 3, "b")


def placed(text, marks):
    return [(m.kind, text[m.start : m.end]) for m in marks]


def test_tags_are_numbered_in_source_order_and_nested():
    marks = [BOLD, LINK, Mark(16, 24, "i")]
    tagged = insert_tags(TEXT, [(m.start, m.end) for m in marks], marks)
    assert tagged == "<b1>KMU</b1> signed with <a2><i3>Kumamoto</i3> University</a2> today."
    result = read_tags(tagged, marks)
    assert not result.problems and result.text == TEXT
    assert placed(result.text, result.marks) == [("b", "KMU"), ("a", "Kumamoto University"), ("i", "Kumamoto")]


def test_tags_a_model_altered_are_still_read():
    output = "＜b1＞高醫＜/b1＞與〈 a2 〉熊本大學〈 /a2 〉簽約。"
    result = read_tags(output, [BOLD, LINK])
    assert not result.problems
    assert placed(result.text, result.marks) == [("b", "高醫"), ("a", "熊本大學")]


def test_lost_repeated_unclosed_or_reordered_tags_are_problems():
    marks = [BOLD, LINK]
    assert "tag a2 lost" in read_tags("<b1>高醫</b1>與熊本大學簽約。", marks).problems
    assert read_tags("<b1>高醫</b1><b1>x</b1><a2>熊本</a2>", marks).problems
    assert "tag b1 not closed" in read_tags("<b1>高醫<a2>熊本</a2>", marks).problems
    assert read_tags("<a2>熊本</a2>與<b1>高醫</b1>", marks).problems == ["tags reordered"]
    assert read_tags("<b1>高醫<a2>熊本</b1></a2>", marks).problems  # crossing


@st.composite
def marked_texts(draw):
    text = draw(st.text(alphabet=st.sampled_from(list("ab 熊本。,")), min_size=1, max_size=30))
    marks = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        marks.append(Mark(start, end, draw(st.sampled_from(["b", "i", "a"])), "https://x.example/"))
    return text, laminar(trim_marks(text, marks))


B = "https://x.example/"


@given(marked_texts())
# a split of crossing marks can leave a piece starting with a space; trimmed, it equals another mark: one mark
@example(("aaaa a", [Mark(0, 4, "b", B), Mark(1, 4, "b", B), Mark(4, 6, "b", B), Mark(5, 6, "b", B)]))
def test_tags_round_trip(case):
    text, marks = case
    tagged = insert_tags(text, [(m.start, m.end) for m in marks], marks)
    result = read_tags(tagged, marks)
    assert result.problems == [] and result.text == text
    assert sorted(placed(text, result.marks)) == sorted(placed(text, laminar(trim_marks(text, marks))))


def test_marks_follow_typesetting_and_a_reviewers_edit():
    text = "他說 “KMU” 與 熊本大學 簽約."
    marks = [Mark(text.index("KMU"), text.index("KMU") + 3, "b"), Mark(text.index("熊本"), text.index("熊本") + 4, "a", "u")]
    typeset_text, moved = through(lambda t: typeset(t, "zh-TW"), text, marks)
    assert typeset_text == typeset(text, "zh-TW")
    assert placed(typeset_text, moved) == [("b", "KMU"), ("a", "熊本大學")]
    kept, lost = carry_marks("高醫與熊本大學簽約。", [Mark(3, 7, "a", "u")], "高雄醫學大學今天與熊本大學簽署協議。")
    assert placed("高雄醫學大學今天與熊本大學簽署協議。", kept) == [("a", "熊本大學")] and not lost
