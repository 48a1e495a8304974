"""The quality checks (pipeline/qa): each check catches what it is for and leaves correct zh-TW / ja alone."""

from __future__ import annotations

import pytest

from pipeline.qa import ERROR, WARNING, Term, check_segment
from pipeline.qa.checks import REGISTRY

KMU = Term("Kaohsiung Medical University", "高雄醫學大學")
KMU_JA = Term("Kaohsiung Medical University", "高雄医学大学")


def codes(source, target, lang="zh-TW", terms=(), **kw):
    return {(f.code, f.severity) for f in check_segment(source, target, lang, list(terms), **kw)}


def test_every_check_is_one_file_in_the_registry():
    import importlib

    for name, check in REGISTRY.items():
        module = importlib.import_module(check.__module__)
        assert module.__file__.endswith(f"{name}.py") and module.__doc__


@pytest.mark.parametrize(
    "source, target, lang",
    [
        ("The fund is 5 million yen.", "該基金為500萬日圓。", "zh-TW"),
        ("The fund is 5 million yen.", "基金は500万円です。", "ja"),
        ("The fund is 5 million yen.", "基金は五百万円です。", "ja"),
        ("A 1,000-yen ticket.", "千円のチケット。", "ja"),
        ("A 1,000-yen ticket.", "1,000日圓的門票。", "zh-TW"),
        ("It was founded in 2017.", "成立於2017年。", "zh-TW"),
        ("It was founded in 2017.", "２０１７年に設立された。", "ja"),
        ("It was founded in 2017.", "二〇一七年に設立された。", "ja"),
        ("About 2,300 students.", "約2300名學生。", "zh-TW"),
        ("About 2,300 students.", "約2,300名學生。", "zh-TW"),
        ("A budget of 1.2 billion.", "預算為12億。", "zh-TW"),
        ("The 1st meeting on Nov. 28, 2025.", "2025年11月28日的第一次會議。", "zh-TW"),
    ],
)
def test_correct_cjk_number_forms_are_not_flagged(source, target, lang):
    assert "number-missing" not in {code for code, _ in codes(source, target, lang)}


@pytest.mark.parametrize(
    "source, target",
    [("The university has 214 partners.", "本校有241個合作夥伴。"), ("It has 32 courses.", "共有23門課程。"),
     ("The fund is 5 million yen.", "該基金為50萬日圓。")],
)  # fmt: skip
def test_a_wrong_number_is_an_error(source, target):
    assert ("number-missing", ERROR) in codes(source, target)


def test_numbers_inside_glossary_terms_are_left_to_the_term_check():
    term = Term("COVID-19", "新冠肺炎")
    assert codes("COVID-19 research.", "新冠肺炎研究。", terms=[term]) == set()


def test_glossary_terms_approved_error_proposed_warning():
    proposed = Term("Office of Global Affairs", "國際事務處", status="proposed")
    found = codes("Kaohsiung Medical University and the Office of Global Affairs.", "高醫與國際處。", terms=[KMU, proposed])
    assert ("term-missing", ERROR) in found and ("proposed-term-missing", WARNING) in found
    assert codes("Kaohsiung Medical University.", "高雄醫學大學。", terms=[KMU]) == set()
    # width- and space-tolerant, like glossary check --against
    assert codes("Kaohsiung Medical University.", "高雄 醫學大學。", terms=[KMU]) == {("spaces", WARNING)}


def test_untranslated_english_and_mostly_latin():
    assert ("untranslated", ERROR) in codes("The ceremony was held today.", "The ceremony was held today.")
    assert ("untranslated", ERROR) in codes("The ceremony was held today.", "The ceremony was held 今天。")
    # glossary forms kept in English (do-not-translate) and addresses are not "untranslated"
    mou = Term("MOU", "MOU")
    assert codes("They signed an MOU.", "雙方簽署MOU。", terms=[mou]) == set()
    assert codes("See https://www.kmu.edu.tw/news/english/page.", "請見 https://www.kmu.edu.tw/news/english/page。") == set()


def test_punctuation_repeated_mixed_and_half_width_comma():
    assert ("punctuation-repeated", ERROR) in codes("They met.", "雙方會面，，並簽約。")
    assert ("punctuation-repeated", ERROR) in codes("They met.", "雙方會面。.")
    assert ("punctuation-repeated", ERROR) in codes("They met.", "両者は会った、、")
    assert ("half-width-comma", WARNING) in codes("They met, and signed.", "雙方會面,並簽約。")
    assert codes("Wait...", "等等……") == set() and codes("Really?!", "真的？！") == set()


def test_brackets_and_quotes_balanced_unless_the_english_is_not():
    assert ("unbalanced-brackets", ERROR) in codes('He said "we agree".', "他說「我們同意。")
    assert ("unbalanced-brackets", ERROR) in codes("The (new) MOU.", "新的（合作備忘錄。")
    assert ("unbalanced-brackets", ERROR) in codes("The MOU.", "『合作』」備忘錄。")
    assert codes('"We agree,', "「我們同意，") == set()  # the quotation goes on in the next sentence


def test_spaces_are_warnings():
    assert codes("They met.", " 雙方會面。") == {("spaces", WARNING)}
    assert codes("They met today.", "They  met today in 高雄。", "en") == {("spaces", WARNING)}


def test_wrong_script():
    assert ("simplified-in-zh-TW", ERROR) in codes("Medical University.", "医学大学。")
    assert ("kana-in-zh", ERROR) in codes("Harvard University.", "ハーバード大學。")
    assert ("simplified-in-ja", ERROR) in codes("The gate.", "大学の门。", "ja")
    assert ("traditional-in-ja", WARNING) in codes("Medical University.", "醫学大学。", "ja")
    assert codes("Medical University.", "醫學大學。") == set() and codes("Taiwan.", "台灣。") == set()
    # a glossary form may keep an old form (a person's name)
    assert codes("Dr. Huang.", "黃醫師。", "ja", terms=[Term("Dr. Huang", "黃醫師")]) == set()


def test_empty_target_and_verbatim_text():
    assert codes("They met.", "  ") == {("empty", ERROR)}
    # a Chinese quotation kept verbatim is judged by no check (its characters, its numbers)
    source = "The motto 醫学 2024 was read."
    spans = [(source.index("醫"), source.index("2024") + 4)]
    assert codes(source, "標語「醫学 2024」被朗讀。", verbatim=spans) == set()


def test_characters_taiwan_writes_are_not_simplified():
    """OpenCC's s2t turns 床 into 牀 and 峰 into 峯; Taiwan writes 床 and 峰 (s2tw keeps them)."""
    assert codes("Clinical research summit.", "臨床研究峰會與秘書群組。") == set()
    assert ("simplified-in-zh-TW", ERROR) in codes("Clinical research.", "临床研究。")


@pytest.mark.parametrize("lang, broken", [("zh-TW", "高\t醫"), ("ja", "高雄\t医学大学"), ("zh-TW", "K\tMU")])
def test_a_tab_inside_a_term_fails_the_term_check(lang, broken):
    """A tab is published as typed (typography rule 0), so a term split by one is broken like any other break; a
    space the typesetting removes between CJK characters, and a tab beside the term, are not."""
    from pipeline.glossary.terms import contains_target

    term = Term("KMU", broken.replace("\t", ""))
    sentence = f"本校{broken}與熊本大學簽約。"
    assert not contains_target(sentence, term.target, lang)
    assert ("term-missing", ERROR) in codes("KMU signed.", sentence, lang, [term])
    for fine in (broken.replace("\t", " "), broken.replace("\t", "") + "\t"):
        assert ("term-missing", ERROR) not in codes("KMU signed.", f"本校{fine}與熊本大學簽約。", lang, [term])
