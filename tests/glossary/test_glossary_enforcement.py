"""The real glossary on the real sample through engines that damage placeholders: never a silent miss."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from support import scripted_engines as e
from support.paths import GLOSSARY, SAMPLE
from pipeline.glossary import load_glossary
from pipeline.source.ingest import read_release
from pipeline.source.segment import segment_release
from pipeline.translation.stage import translate_segments


@pytest.fixture(scope="module")
def segments():
    return segment_release(read_release(SAMPLE)).segments


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(GLOSSARY)


def chaos(seed: int):
    """Each call damages placeholders differently: drop, repeat, alter, move, keep, at random."""
    rng = random.Random(seed)
    damages = [e.space_inside, e.square_brackets, e.fullwidth_digits, e.move_first_to_end, e.drop_brackets,
               e.duplicate_brackets, e.drop_everything, e.mangle_everything, lambda s: s]
    return lambda text: rng.choice(damages)(text)


ENGINES = {
    "copy": lambda s: s,
    "space_inside": e.space_inside,
    "drop_brackets": e.drop_brackets,
    "duplicate": e.duplicate_brackets,
    "drop_everything": e.drop_everything,
    "mangle_everything": e.mangle_everything,
    **{f"chaos-{seed}": chaos(seed) for seed in range(5)},
}


@pytest.mark.parametrize("lang", ["zh-TW", "ja"])
@pytest.mark.parametrize("name", list(ENGINES))
def test_every_term_is_rendered_or_flagged(segments, glossary, lang, name):
    engine = e.ScriptedEngine(ENGINES[name], lang=lang, to_code="zt" if lang == "zh-TW" else "ja")
    translations = translate_segments(segments, lang, engine, glossary)
    assert len(engine.calls) <= 3  # first batch, placeholder retry, unprotected recovery: never per sentence
    silent = []
    for segment, translation in zip(segments, translations):
        flagged = {f.code for f in translation.flags}
        if "glossary-missing" not in flagged:
            silent += [(segment.id, target) for target in _short_targets(translation)]
        assert "⟦" not in translation.text and "ZXQ" not in translation.text
    assert not silent


def _short_targets(translation) -> list[str]:
    """Targets occurring fewer times (longest first, no overlaps) than their terms occur in the source."""
    targets = sorted({t.target for t in translation.terms}, key=len, reverse=True)
    if not targets:
        return []
    found = Counter(re.findall("|".join(map(re.escape, targets)), translation.text))
    needed = Counter(t.target for t in translation.terms)
    return [target for target, n in needed.items() if found[target] < n]


def _segments_of(tmp_path, text: str):
    path = tmp_path / "release.txt"
    path.write_text(text, encoding="utf-8")
    return segment_release(read_release(path)).segments


def _unprotected(render: dict[str, str]):
    """An engine that loses every placeholder and renders names its own way (`render`, applied in order)."""

    def script(text: str) -> str:
        text = e.drop_everything(text)
        for english, rendered in render.items():
            text = text.replace(english, rendered)
        return text

    return script


def test_recovery_never_substitutes_inside_another_term(tmp_path, glossary):
    """Kumamoto City rendered 熊本: swapping it must not turn 熊本大学 into 熊本市大学."""
    [segment] = _segments_of(tmp_path, "Kumamoto University is in Kumamoto City.\n")
    engine = e.ScriptedEngine(_unprotected({"Kumamoto University": "熊本大学", "Kumamoto City": "熊本"}), lang="ja", to_code="ja")
    [translation] = translate_segments([segment], "ja", engine, glossary)
    assert translation.text == "熊本大学 is in 熊本市."
    assert {f.code for f in translation.flags} >= {"glossary-recovered"}


def test_recovery_counts_every_occurrence(tmp_path, glossary):
    """Two mentions, the model renders the second one its own way (熊大): flagged, never reported as recovered."""
    [segment] = _segments_of(tmp_path, "Kumamoto University thanked the president of Kumamoto University.\n")

    def script(text: str) -> str:
        text = e.drop_everything(text)
        if text == "Kumamoto University":
            return "熊本大学"
        return text.replace("Kumamoto University", "熊本大学", 1).replace("Kumamoto University", "熊大")

    [translation] = translate_segments([segment], "ja", e.ScriptedEngine(script, lang="ja", to_code="ja"), glossary)
    [missing] = [f for f in translation.flags if f.code == "glossary-missing"]
    assert "Kumamoto University → expected 熊本大学" in missing.message
    assert "glossary-recovered" not in {f.code for f in translation.flags}


def test_recovery_replaces_a_rendering_only_as_often_as_the_term_occurs(tmp_path, glossary):
    """The model renders Kumamoto City as 熊本 and also writes 熊本 on its own: one swap, and only where due."""
    [segment] = _segments_of(tmp_path, "Kumamoto City welcomed them.\n")

    def script(text: str) -> str:
        text = e.drop_everything(text)
        return "熊本" if text == "Kumamoto City" else "熊本 " + text.replace("Kumamoto City", "熊本")

    [translation] = translate_segments([segment], "ja", e.ScriptedEngine(script, lang="ja", to_code="ja"), glossary)
    assert translation.text == "熊本市 熊本 welcomed them."


def test_mangling_model_is_flagged_with_the_expected_form(segments, glossary):
    engine = e.ScriptedEngine(e.mangle_everything, lang="ja", to_code="ja")
    translations = translate_segments(segments, "ja", engine, glossary)
    title = translations[0]
    assert "熊本大学校" not in title.text or any(f.code == "glossary-missing" for f in title.flags)
    assert any(f.code in {"glossary-recovered", "glossary-missing"} for t in translations for f in t.flags)


def test_copy_engine_renders_every_term_exactly_once_per_occurrence(segments, glossary):
    engine = e.ScriptedEngine(lambda s: s, lang="zh-TW")
    translations = translate_segments(segments, "zh-TW", engine, glossary)
    for translation in translations:
        assert not [f for f in translation.flags if f.code != "verbatim"]
        for term in translation.terms:
            assert translation.text.count(term.target) >= 1
    assert len(engine.calls) == 1


@pytest.mark.parametrize("lang, status", [("zh-TW", "proposed"), ("ja", "approved")])
def test_term_status_is_the_status_of_the_form_in_that_language(tmp_path, glossary, lang, status):
    """The retrovirus centre: its ja name is official, its zh-TW name proposed (the Notes say "confirm" in zh-TW only)."""
    [segment] = _segments_of(tmp_path, "She leads the Joint Research Center for Human Retrovirus Infection.\n")
    engine = e.ScriptedEngine(lambda s: s, lang=lang, to_code="zt" if lang == "zh-TW" else "ja")
    [translation] = translate_segments([segment], lang, engine, glossary)
    [term] = translation.terms
    assert term.entry_id == "kumamoto-jrchri" and term.status == status
