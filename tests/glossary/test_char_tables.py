"""OpenCC's single-ideograph answers from the cache (pipeline/glossary/char_tables.py): the same as OpenCC's own."""

from __future__ import annotations

import opencc
import pytest

from pipeline.glossary import char_tables, scripts


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TRANSLATE_CACHE_DIR", str(tmp_path / "cache"))
    scripts.clear_caches()
    yield tmp_path / "cache" / "opencc"
    scripts.clear_caches()


@pytest.mark.parametrize("config", ["s2t", "s2tw", "t2jp"])
def test_table_agrees_with_opencc_for_every_ideograph(cache, config):
    converter = opencc.OpenCC(config)
    table = char_tables.table(config)
    assert table, "OpenCC changes some ideographs"
    mismatches = [ch for ch in char_tables._ideographs() if converter.convert(ch) != table.get(ch, ch)]
    assert mismatches == []
    assert char_tables.table(config) == table  # from the cache now


def test_cached_tables_build_no_converter(cache, monkeypatch):
    char_tables.table("s2t")
    char_tables.table("s2tw")
    char_tables.table("t2jp")

    def refuse(*args, **kwargs):
        raise AssertionError("an OpenCC converter was built")

    monkeypatch.setattr(opencc, "OpenCC", refuse)
    scripts._converter.cache_clear()
    scripts.clear_caches()
    try:
        assert scripts.simplified_in_zh_tw("国立熊本大学与台湾") == [("国", "國"), ("学", "學"), ("与", "與"), ("湾", "灣")]
        assert scripts.old_forms_in_ja("國立大學") == [("國", "国"), ("學", "学")]
        assert scripts.simplified_in_ja("门") == [("门", "門")]
    finally:
        scripts._converter.cache_clear()


def test_answers_are_the_same_without_the_cache(cache, monkeypatch):
    text = "高雄醫學大學與熊本大学签订学术交流协定，台灣、臺灣、乾杯、干杯、門、门、國"
    cached = (scripts.simplified_in_zh_tw(text), scripts.old_forms_in_ja(text), scripts.simplified_in_ja(text))
    monkeypatch.setenv("TRANSLATE_CACHE_DIR", "")  # caches off: no table, OpenCC is asked directly
    scripts.clear_caches()
    assert scripts._table("s2t") is None
    assert (scripts.simplified_in_zh_tw(text), scripts.old_forms_in_ja(text), scripts.simplified_in_ja(text)) == cached


@pytest.mark.parametrize("damage", [b"", b"\x00\x00\x00\x00{}", None])
def test_a_damaged_cache_is_rebuilt(cache, damage):
    good = char_tables.table("s2t")
    [path] = cache.glob("s2t-*.json")
    blob = path.read_bytes()
    path.write_bytes(blob[:-40] if damage is None else damage)
    assert char_tables.table("s2t") == good
    assert path.read_bytes() == blob
