"""The url check (pipeline/qa/checks/urls.py): a web or e-mail address of the English must reach the translation
letter for letter; run by the one QA at run, import and publish."""

from __future__ import annotations

from pipeline.qa import ERROR, check_segment

SOURCE = "Details are at https://www.kmu.edu.tw/news/2025 and from oia@kmu.edu.tw."


def _codes(target: str, lang: str = "zh-TW") -> set[tuple[str, str]]:
    return {(f.code, f.severity) for f in check_segment(SOURCE, target, lang, [])}


def test_kept_addresses_pass_with_the_sentence_punctuation_around_them():
    assert ("url-missing", ERROR) not in _codes("詳情請見 https://www.kmu.edu.tw/news/2025，或洽 oia@kmu.edu.tw。")
    assert ("url-missing", ERROR) not in _codes("詳細は https://www.kmu.edu.tw/news/2025 、oia@kmu.edu.tw まで。", "ja")


def test_a_full_width_copy_is_still_the_address():
    assert ("url-missing", ERROR) not in _codes("詳情請見ｈｔｔｐｓ：／／ｗｗｗ．ｋｍｕ．ｅｄｕ．ｔｗ／ｎｅｗｓ／２０２５，或洽 oia@kmu.edu.tw。")


def test_a_changed_or_dropped_address_is_an_error_naming_it():
    findings = check_segment(SOURCE, "詳情請見 https://www.kmu.edu.tw/news/２０２6，或洽 oia @ kmu.edu.tw。", "zh-TW", [])
    [url] = [f for f in findings if f.code == "url-missing"]
    assert url.severity == ERROR
    assert "https://www.kmu.edu.tw/news/2025" in url.message and "oia@kmu.edu.tw" in url.message
    assert ("url-missing", ERROR) in _codes("詳情請見本校網站。")


def test_no_address_in_the_english_no_finding():
    assert not [f for f in check_segment("The fund is large.", "基金很大。", "zh-TW", []) if f.code == "url-missing"]
