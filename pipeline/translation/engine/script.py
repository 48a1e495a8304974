"""Script conversion after decoding: an en→zh (Simplified) model plus OpenCC gives zh-TW.

OpenCC's `s2twp` converts characters *and* Taiwan phrasing (软件→軟體, 信息→資訊), which a character
table alone would miss; it is the well-kept standard for this job.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=None)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def convert(text: str, config: str = "s2twp") -> str:
    return _converter(config).convert(text)
