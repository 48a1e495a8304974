"""Japanese."""

from __future__ import annotations

from pipeline.language.base import CJK_UNICODE_RANGES, ArgosRoute, EastAsianFonts, Face, Language
from pipeline.language.numerals import CHINESE_DIGITS, CHINESE_UNITS

SHIFT_JIS, CSB_JIS = "80", "00020000"  # w:charset 128; OS/2 ulCodePageRange1 bit 17 (JIS)

LANGUAGE = Language(
    code="ja",
    english_name="Japanese",
    native_name="日本語",
    argos=(ArgosRoute("ja", None, "Japanese"),),
    docx_lang="ja-JP",
    html_lang="ja",
    detected_as="ja",
    script_words="Japanese (kana)",
    cjk_script=True,
    spaced=False,
    full_width_punctuation=True,
    list_comma="、",
    numeral_digits=CHINESE_DIGITS,
    numeral_units=CHINESE_UNITS,
    numeral_multipliers={"万": 10**4, "萬": 10**4, "億": 10**8, "兆": 10**12},
    name_with_title="{name}{title}",
    name_with_institution="{institution}の{name}{title}",
    fonts=EastAsianFonts(
        "ja",
        "ja-JP",
        "Yu Mincho",
        (
            Face("Yu Mincho", "游明朝", SHIFT_JIS, "roman", "02020400000000000000", ("800002E7", "2AC7FCFF", "00000012", "00000000"), CSB_JIS),
            Face("Hiragino Mincho ProN", "ヒラギノ明朝 ProN", SHIFT_JIS, "roman", "02020300000000000000", CJK_UNICODE_RANGES, CSB_JIS),
            Face("Noto Serif CJK JP", None, SHIFT_JIS, "roman", "02020400000000000000", CJK_UNICODE_RANGES, CSB_JIS),
            Face("Noto Sans CJK JP", None, SHIFT_JIS, "swiss", "020B0500000000000000", CJK_UNICODE_RANGES, CSB_JIS),
        ),
    ),
    aliases=("ja-JP", "ja_JP"),
)  # fmt: skip
