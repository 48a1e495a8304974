"""Simplified Chinese (mainland China). Not a default target; `translate run --to zh-CN` with an en→zh package."""

from __future__ import annotations

from pipeline.language.base import CJK_UNICODE_RANGES, ArgosRoute, EastAsianFonts, Face, Language
from pipeline.language.numerals import CHINESE_DIGITS, CHINESE_UNITS

GB2312, CSB_GB2312 = "86", "00040000"  # w:charset 134; OS/2 ulCodePageRange1 bit 18 (GB2312)

LANGUAGE = Language(
    code="zh-CN",
    english_name="Simplified Chinese",
    native_name="简体中文",
    argos=(ArgosRoute("zh", None, "Chinese"),),
    docx_lang="zh-CN",
    html_lang="zh-Hans-CN",
    detected_as="zh",
    script_words="Chinese (Han characters, no kana)",
    cjk_script=True,
    spaced=False,
    full_width_punctuation=True,
    list_comma="，",
    numeral_digits=CHINESE_DIGITS,
    numeral_units=CHINESE_UNITS,
    numeral_multipliers={"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "兆": 10**12},
    name_with_title="{name}{title}",
    name_with_institution="{institution}{name}{title}",
    fonts=EastAsianFonts(
        "zh-CN",
        "zh-CN",
        "Microsoft YaHei",
        (
            Face("Microsoft YaHei", "微软雅黑", GB2312, "swiss", "020B0503020204020204", ("80000287", "2ACF3C50", "00000016", "00000000"), CSB_GB2312),
            Face("PingFang SC", "苹方-简", GB2312, "swiss", "020B0400000000000000", CJK_UNICODE_RANGES, CSB_GB2312),
            Face("Noto Sans CJK SC", None, GB2312, "swiss", "020B0500000000000000", CJK_UNICODE_RANGES, CSB_GB2312),
        ),
    ),
    aliases=("zh-Hans", "zh-Hans-CN", "zh_CN"),
)  # fmt: skip
