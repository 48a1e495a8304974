"""The registry: every check, in the order its findings are shown. A new check is a new file listed here."""

from __future__ import annotations

from pipeline.qa.base import Check
from pipeline.qa.checks import brackets, empty, markup, numbers, punctuation, script, spaces, terms, untranslated, urls

REGISTRY: dict[str, Check] = {
    "empty": empty.check,
    "terms": terms.check,
    "numbers": numbers.check,
    "urls": urls.check,
    "markup": markup.check,
    "untranslated": untranslated.check,
    "script": script.check,
    "punctuation": punctuation.check,
    "brackets": brackets.check,
    "spaces": spaces.check,
}
