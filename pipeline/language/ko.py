"""Korean: Hangul, written with spaces between words and with Western punctuation."""

from __future__ import annotations

from pipeline.language.base import CJK_UNICODE_RANGES, ArgosRoute, EastAsianFonts, Face, Language

HANGUL_CHARSET, CSB_WANSUNG = "81", "00080000"  # w:charset 129; OS/2 ulCodePageRange1 bit 19 (Korean Wansung)

LANGUAGE = Language(
    code="ko",
    english_name="Korean",
    native_name="한국어",
    argos=(ArgosRoute("ko", None, "Korean"),),
    docx_lang="ko-KR",
    html_lang="ko",
    detected_as="ko",
    script_words="Korean (Hangul)",
    cjk_script=True,
    spaced=True,
    full_width_punctuation=False,
    # 500만 (5,000,000), 3억 (300,000,000), 2천만 (20,000,000). Only these: Hangul digits (일, 이, 삼) and 백/십
    # are everyday syllables (백신, vaccine), and a number read where there is none could hide a missing one.
    numeral_units={"천": 1000},
    numeral_multipliers={"만": 10**4, "억": 10**8, "조": 10**12},
    numerals_need_digit=True,
    name_with_title="{name} {title}",
    name_with_institution="{institution} {name} {title}",
    fonts=EastAsianFonts(
        "ko",
        "ko-KR",
        "Malgun Gothic",
        (
            Face("Malgun Gothic", "맑은 고딕", HANGUL_CHARSET, "swiss", "020B0503020000020004", ("9000002F", "29D77CFB", "00000012", "00000000"), CSB_WANSUNG),
            Face("Apple SD Gothic Neo", "애플 SD 산돌고딕 Neo", HANGUL_CHARSET, "swiss", "02000300000000000000", CJK_UNICODE_RANGES, CSB_WANSUNG),
            Face("Noto Sans CJK KR", None, HANGUL_CHARSET, "swiss", "020B0500000000000000", CJK_UNICODE_RANGES, CSB_WANSUNG),
        ),
    ),
    aliases=("ko-KR", "ko_KR"),
)  # fmt: skip
