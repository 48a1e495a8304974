"""Which characters belong in which written form: Simplified characters in a zh-TW target, old (Traditional)
forms in a Japanese target where Japanese writes its own (學 → 学, 醫 → 医, 國 → 国).

Both use OpenCC's character tables (imported when first needed):

* zh-TW: a character is Simplified-only when OpenCC's `s2t` changes it, OpenCC's `s2tw` (Taiwan standard forms)
  changes it too, and it is not itself one of the Traditional forms OpenCC lists for it. `s2t` alone maps some
  characters Taiwan writes every day to older variants (床 → 牀, 峰 → 峯, 群 → 羣, 秘 → 祕); `s2tw` keeps them. `ALSO_TRADITIONAL` holds the characters that `s2t` changes but that are
  correct Traditional characters too (台 beside 臺, 余 beside 餘, 里 beside 裏, 干 beside 乾/幹 ...): it is the
  set of keys of OpenCC's STCharacters table whose candidate list contains the key itself but not first
  (generated from OpenCC 1.1 data with `opencc_dict -i STCharacters.ocd2 -o st.txt -f ocd2 -t text`).
* ja: a character is an old form when OpenCC's `t2jp` (Kyūjitai → Shinjitai) changes it; it is a Chinese
  Simplified form when `s2t` changes it and `t2jp` does not bring the Traditional form back to it (门 → 門).
"""

from __future__ import annotations

from functools import lru_cache

from pipeline.glossary.char_tables import table

__all__ = ["ALSO_TRADITIONAL", "old_forms_in_ja", "simplified_in_ja", "simplified_in_zh_tw"]

ALSO_TRADITIONAL = frozenset(
    "熏淀郁适雇采里辟荐胜苹虫跖腊腌范蚝蝎蜡膻准几凶厂厘划占台叶吁吃后帘岩岳党夸咨咸尸唇干广征确种筑皂挂涂涌杠杰"
    "极游据斗愿朴柜万丑丰伙于云亘仆价余佣㐹"
)


@lru_cache(maxsize=None)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def _ideograph(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3134F
    )


def _compatibility(ch: str) -> bool:
    """A CJK compatibility ideograph (神 U+FA19, 﨑 U+FA11, U+F900–U+FAFF, U+2F800–U+2FA1F): a variant typed on
    purpose, usually in a person's or place's name. OpenCC maps it to its unified twin (神 → 神), which would call
    a name's spelling Simplified or old; none of the checks here judges it."""
    code = ord(ch)
    return 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F


@lru_cache(maxsize=None)
def _table(config: str) -> dict[str, str] | None:
    """OpenCC's answers for single ideographs, cached between runs (char_tables.py): no converter is built."""
    return table(config)


def load_tables(targets: set[str]) -> None:
    """Load the character tables the script checks of `targets` will use (zh-TW: s2t, s2tw; ja: s2t, t2jp), so a
    background thread can do it while the models load (pipeline/run/warmup.py); the checks then find them loaded."""
    if "zh-TW" in targets or "ja" in targets:
        _table("s2t")
    if "zh-TW" in targets:
        _table("s2tw")
    if "ja" in targets:
        _table("t2jp")


def _convert_char(config: str, ch: str) -> str:
    found = _table(config) if _ideograph(ch) else None
    if found is None:
        return _converter(config).convert(ch)
    return found.get(ch, ch)


@lru_cache(maxsize=65536)
def _s2t(ch: str) -> str:
    return _convert_char("s2t", ch)


@lru_cache(maxsize=65536)
def _s2tw(ch: str) -> str:
    return _convert_char("s2tw", ch)


@lru_cache(maxsize=65536)
def _t2jp(ch: str) -> str:
    return _convert_char("t2jp", ch)


def simplified_in_zh_tw(text: str) -> list[tuple[str, str]]:
    """(character, its Traditional form) for each Simplified-only character in `text`, in order, once each."""
    return [(ch, form) for ch in dict.fromkeys(text) if (form := _simplified_zh_tw(ch)) is not None]


def old_forms_in_ja(text: str) -> list[tuple[str, str]]:
    """(character, the form Japanese writes) for each old (Kyūjitai / Traditional) form in `text`."""
    return [(ch, form) for ch in dict.fromkeys(text) if (form := _old_form_ja(ch)) is not None]


def simplified_in_ja(text: str) -> list[tuple[str, str]]:
    """(character, the form Japanese writes) for each Chinese Simplified form in a Japanese `text` (门 → 門)."""
    return [(ch, form) for ch in dict.fromkeys(text) if (form := _simplified_ja(ch)) is not None]


# One verdict per character, cached: the QA of a review import asks about the same few thousand characters in
# every row (issue 14: three of these scans per row were a tenth of a 2,000-row import).


@lru_cache(maxsize=65536)
def _simplified_zh_tw(ch: str) -> str | None:
    if not _ideograph(ch) or ch in ALSO_TRADITIONAL or _compatibility(ch):
        return None
    taiwan = _s2tw(ch)
    return taiwan if taiwan != ch and _s2t(ch) != ch else None


@lru_cache(maxsize=65536)
def _old_form_ja(ch: str) -> str | None:
    if not _ideograph(ch) or _compatibility(ch):
        return None
    new = _t2jp(ch)
    return new if new != ch else None


@lru_cache(maxsize=65536)
def _simplified_ja(ch: str) -> str | None:
    if not _ideograph(ch) or ch in ALSO_TRADITIONAL or _compatibility(ch):
        return None
    traditional = _s2t(ch)
    if traditional == ch:
        return None
    japanese = _t2jp(traditional)
    return japanese if japanese != ch else None


def clear_caches() -> None:
    """Forget every cached answer (tests that switch the OpenCC tables on and off)."""
    for cached in (_table, _s2t, _s2tw, _t2jp, _simplified_zh_tw, _old_form_ja, _simplified_ja):
        cached.cache_clear()
