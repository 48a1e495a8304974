"""Spaces: double spaces, a leading or trailing space, and (zh/ja) a space between two CJK characters. Warnings:
the review import and publish tidy spaces, but they often show a slip (a word deleted, a paste)."""

from __future__ import annotations

import re

from pipeline.language.script import char_class
from pipeline.qa.base import WARNING, Finding, cjk

_CJK = char_class()
_BETWEEN_CJK = re.compile(rf"(?<={_CJK})[ \u3000]+(?={_CJK})")


def check(source: str, target: str, lang: str, terms) -> list[Finding]:
    if not target.strip():
        return []
    what = []
    if re.search(r"[ \u3000]{2,}", target.strip()):
        what.append("a double space")
    if target != target.strip():
        what.append("a leading or trailing space")
    if cjk(lang) and _BETWEEN_CJK.search(target):
        what.append("a space between CJK characters")
    if not what:
        return []
    return [Finding("spaces", WARNING, " and ".join(what))]
