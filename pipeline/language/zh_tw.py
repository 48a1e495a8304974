"""Traditional Chinese as written in Taiwan."""

from __future__ import annotations

from pipeline.language.base import CJK_UNICODE_RANGES, ArgosRoute, EastAsianFonts, Face, Language
from pipeline.language.numerals import CHINESE_DIGITS, CHINESE_UNITS

BIG5, CSB_BIG5 = "88", "00100000"  # w:charset 136; OS/2 ulCodePageRange1 bit 20 (Big5)

LANGUAGE = Language(
    code="zh-TW",
    english_name="Traditional Chinese",
    native_name="繁體中文",
    # An en→zt package writes Traditional Chinese; else an en→zh (Simplified) one plus OpenCC's s2twp.
    argos=(ArgosRoute("zt", None, "Chinese (traditional)"), ArgosRoute("zh", "s2twp", "Chinese")),
    docx_lang="zh-TW",
    html_lang="zh-Hant-TW",
    detected_as="zh",
    script_words="Chinese (Han characters, no kana)",
    cjk_script=True,
    spaced=False,
    full_width_punctuation=True,
    list_comma="，",
    numeral_digits=CHINESE_DIGITS,
    numeral_units=CHINESE_UNITS,
    numeral_multipliers={"萬": 10**4, "万": 10**4, "億": 10**8, "亿": 10**8, "兆": 10**12},
    name_with_title="{name}{title}",
    name_with_institution="{institution}{name}{title}",
    fonts=EastAsianFonts(
        "zh-TW",
        "zh-TW",
        "Microsoft JhengHei",
        (
            Face("Microsoft JhengHei", "微軟正黑體", BIG5, "swiss", "020B0604030504040204", ("000002A7", "28CF4400", "00000016", "00000000"), CSB_BIG5),
            Face("PMingLiU", "新細明體", BIG5, "roman", "02020500000000000000", CJK_UNICODE_RANGES, CSB_BIG5),
            Face("PingFang TC", "蘋方-繁", BIG5, "swiss", "020B0400000000000000", CJK_UNICODE_RANGES, CSB_BIG5),
            Face("Noto Sans CJK TC", None, BIG5, "swiss", "020B0500000000000000", CJK_UNICODE_RANGES, CSB_BIG5),
        ),
    ),
    aliases=("zh-Hant", "zh-Hant-TW", "zh_TW"),
)  # fmt: skip
