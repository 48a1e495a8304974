"""Number words the Chinese-script languages share (zh, ja): 〇-九 and 十, 百, 千. Multipliers (萬/万, 億) differ."""

from __future__ import annotations

CHINESE_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                  "八": 8, "九": 9}  # fmt: skip
CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
