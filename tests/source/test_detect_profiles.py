"""The cache of langdetect's built table (pipeline/source/detect_profiles.py): same numbers, same answers, never half-used."""

from __future__ import annotations

import pytest

import pipeline.source.detect as detect
from pipeline.source import detect_profiles

TEXTS = [
    (detect.Path(__file__).resolve().parents[2] / "samples" / "kmu-kumamoto-mou-2025.txt").read_text(encoding="utf-8"),
    "Ceci est un communiqué de presse de l'université sur un accord avec la ville.",
    "Dies ist eine Pressemitteilung der Universität über ein Abkommen mit der Stadt.",
    "Este es un comunicado de prensa de la universidad sobre un acuerdo con la ciudad.",
    "Ito ay isang pahayag mula sa unibersidad tungkol sa kasunduan sa lungsod.",
    "Dit is een persbericht van de universiteit over een overeenkomst met de stad.",
    "Это пресс-релиз университета о соглашении с городом.",
    "Đây là thông cáo báo chí của trường đại học về thỏa thuận với thành phố.",
]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TRANSLATE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(detect, "_FACTORY", None)
    from langdetect import detector_factory

    monkeypatch.setattr(detector_factory, "_factory", None)
    return tmp_path / "cache" / "langdetect"


def _built():
    return detect._build_factory(detect._profile_files())


def _cached_files(folder):
    return sorted(p for p in folder.glob("profiles-*.bin"))


def test_cached_table_has_every_row_exactly_as_langdetect_builds_it(cache):
    built = _built()
    first = detect._load_factory()  # no cache yet: built, and the cache written
    assert isinstance(first.word_lang_prob_map, dict) and len(_cached_files(cache)) == 1
    cached = detect._load_factory()
    assert isinstance(cached.word_lang_prob_map, detect_profiles.ProbabilityTable)
    assert cached.langlist == built.langlist and cached.seed == built.seed == detect.SEED
    table, expected = cached.word_lang_prob_map, built.word_lang_prob_map
    assert len(table) == len(expected) and set(table) == set(expected)
    assert all(table[word] == row for word, row in expected.items())  # float64 for float64, bit for bit
    assert "" not in table and "zz-not-an-ngram" not in table and 7 not in table
    with pytest.raises(KeyError):
        table["zz-not-an-ngram"]


def test_detection_from_the_cache_gives_the_same_answers(cache, monkeypatch):
    monkeypatch.setenv("TRANSLATE_CACHE_DIR", "")
    fresh = [detect.detect_language(text) for text in TEXTS]
    monkeypatch.setattr(detect, "_FACTORY", None)
    monkeypatch.setenv("TRANSLATE_CACHE_DIR", str(cache.parent))
    detect._load_factory()  # writes the cache
    monkeypatch.setattr(detect, "_FACTORY", None)
    assert [detect.detect_language(text) for text in TEXTS] == fresh
    assert isinstance(detect._FACTORY.word_lang_prob_map, detect_profiles.ProbabilityTable)
    assert fresh[0] == ("en", 1.0) and fresh[1][0] == "fr" and fresh[4][0] == "tl"


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_a_damaged_cache_is_ignored_and_rebuilt(cache, damage):
    detect._load_factory()
    [path] = _cached_files(cache)
    blob = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(blob[: len(blob) // 2])
    elif damage == "flip":
        path.write_bytes(blob[:1000] + bytes([blob[1000] ^ 0x40]) + blob[1001:])
    elif damage == "garbage":
        path.write_bytes(b"\x00\x01not a cache at all")
    else:
        path.write_bytes(b"")
    factory = detect._load_factory()
    assert isinstance(factory.word_lang_prob_map, dict)  # built afresh, not the damaged table
    assert path.read_bytes() == blob  # and the cache written again, whole
    assert isinstance(detect._load_factory().word_lang_prob_map, detect_profiles.ProbabilityTable)


def test_a_cache_with_inconsistent_parts_is_not_used(cache):
    factory = detect._load_factory()
    data = detect_profiles.sparse_table(factory.langlist, factory.word_lang_prob_map)
    block, (words, offsets, columns, values) = next(iter(data["blocks"].items()))
    data["blocks"][block] = (words, offsets, columns, values[:-8])  # one value short
    key = detect_profiles.profiles_key(detect._profile_files())
    detect_profiles.store(key, data)
    assert detect_profiles.load_cached(key, len(factory.langlist)) is None
    data = detect_profiles.sparse_table(factory.langlist, factory.word_lang_prob_map)
    detect_profiles.store(key, data)
    assert detect_profiles.load_cached(key, len(factory.langlist)) is not None
    data["languages"] = data["languages"][:-1]
    detect_profiles.store(key, data)
    assert detect_profiles.load_cached(key, len(factory.langlist)) is None


def test_changed_profiles_change_the_key(tmp_path):
    files = detect._profile_files()
    copies = []
    for path in files[:3]:
        copy = tmp_path / path.name
        copy.write_bytes(path.read_bytes())
        copies.append(copy)
    before = detect_profiles.profiles_key(copies)
    copies[1].write_bytes(copies[1].read_bytes() + b" ")
    assert detect_profiles.profiles_key(copies) != before
    assert detect_profiles.profiles_key(copies[:2]) != detect_profiles.profiles_key(copies)


def test_cache_can_be_switched_off_and_an_unwritable_cache_is_no_error(tmp_path, monkeypatch):
    monkeypatch.setattr(detect, "_FACTORY", None)
    monkeypatch.setenv("TRANSLATE_CACHE_DIR", "")
    assert detect_profiles.cache_dir() is None
    assert isinstance(detect._load_factory().word_lang_prob_map, dict)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TRANSLATE_CACHE_DIR", str(blocker))
    assert detect.detect_language(TEXTS[0])[0] == "en"
    assert isinstance(detect._load_factory().word_lang_prob_map, dict)
    assert not list(tmp_path.glob(".*.tmp")) and blocker.read_text() == "not a folder"
