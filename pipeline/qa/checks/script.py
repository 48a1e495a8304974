"""Wrong script: Simplified characters in a zh-TW translation, Japanese kana in a Chinese one, Chinese Simplified
forms in a Japanese one (errors), and old (Traditional) forms where Japanese writes its own (warning: a personal
name may keep them). Uses the glossary check's tables (pipeline/glossary/scripts.py); characters that the English
or a glossary form holds are not reported."""

from __future__ import annotations

from pipeline.glossary.scripts import old_forms_in_ja, simplified_in_ja, simplified_in_zh_tw
from pipeline.glossary.terms import kana_runs
from pipeline.qa.base import ERROR, WARNING, Finding, chinese, japanese


def check(source: str, target: str, lang: str, terms) -> list[Finding]:
    allowed = set(source) | {ch for t in terms for ch in t.target}
    findings: list[Finding] = []

    def report(code: str, severity: str, what: str, pairs: list[tuple[str, str]], label: str) -> None:
        pairs = [(a, b) for a, b in pairs if a not in allowed]
        if pairs:
            chars = ", ".join(f"{a} ({label}: {b})" for a, b in pairs)
            findings.append(Finding(code, severity, f"{what}: {chars}"))

    if chinese(lang):
        if lang in ("zh-TW", "zh-HK", "zh-MO") or "Hant" in lang:
            report("simplified-in-zh-TW", ERROR, "Simplified characters in a Traditional Chinese translation",
                   simplified_in_zh_tw(target), "Traditional")  # fmt: skip
        runs = [run for run in kana_runs(target) if run not in source]
        if runs:
            findings.append(Finding("kana-in-zh", ERROR, "Japanese kana in a Chinese translation: " + ", ".join(runs)))
    elif japanese(lang):
        report("simplified-in-ja", ERROR, "Chinese Simplified characters in a Japanese translation",
               simplified_in_ja(target), "Japanese")  # fmt: skip
        report("traditional-in-ja", WARNING, "old (Traditional) forms where Japanese writes its own",
               old_forms_in_ja(target), "Japanese")  # fmt: skip
    return findings
