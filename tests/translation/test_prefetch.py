"""Many releases: one merged first call per language for a chunk of releases (pipeline/translation/batching.py), same results."""

from __future__ import annotations

import re

from support import scripted_engines as e
from pipeline.translation import batching as prefetch
from pathlib import Path

from pipeline.core.release import SENTENCE, Paragraph, Release
from pipeline.run import StageTimes, translate_release
from support.stage_fakes import FakeGlossary, seg

NOTICES = [
    ["Kumamoto University signed the agreement.", "The delegation met on 12 May."],
    ["Hisao Ogawa visited Kumamoto University in 2017.", "No term here, just 6,000 beds."],
    ["Kumamoto University and KMU will exchange students.", "The programme starts in 2026."],
]


def releases():
    out = []
    for k, sentences in enumerate(NOTICES):
        segments = [seg(s, n) for n, s in enumerate(sentences, 1)]
        out.append(Release(Path(f"notice-{k}.txt"), [" ".join(sentences)], "en", 1.0, [Paragraph(1, SENTENCE, segments)]))
    return out


def run_all(engines, batched: bool):
    glossary = FakeGlossary()
    results = []
    def record(release, recorders):
        translate_release(release, recorders, glossary, None, StageTimes())

    items = (prefetch.batched(releases(), engines, record, StageTimes()) if batched
             else ((r, engines) for r in releases()))
    for release, chunk_engines in items:
        translated = translate_release(release, chunk_engines, glossary, None, StageTimes())
        results.append({lang: [(t.segment_id, t.text, [f.code for f in t.flags]) for t in ts]
                        for lang, ts in translated.translations.items()})
    return results


def test_one_merged_call_per_language_and_the_same_translations():
    plain = {"zh-TW": e.ScriptedEngine(), "ja": e.ScriptedEngine(to_code="ja", lang="ja")}
    merged = {"zh-TW": e.ScriptedEngine(), "ja": e.ScriptedEngine(to_code="ja", lang="ja")}
    assert run_all(merged, batched=True) == run_all(plain, batched=False)
    assert [len(c) for c in merged["zh-TW"].calls] == [6] and [len(c) for c in merged["ja"].calls] == [6]
    assert len(plain["zh-TW"].calls) == 3
    assert sorted(t for c in merged["zh-TW"].calls for t in c) == sorted(t for c in plain["zh-TW"].calls for t in c)


def test_retries_after_the_merged_call_go_to_the_real_engine():
    def drop_brackets(text):
        return re.sub(r"⟦\d+⟧", "", text)

    plain = {"zh-TW": e.ScriptedEngine(drop_brackets)}
    merged = {"zh-TW": e.ScriptedEngine(drop_brackets)}
    got = run_all(merged, batched=True)
    assert got == run_all(plain, batched=False)
    assert any("placeholder-retry" in flags for r in got for _, _, flags in r["zh-TW"])
    assert len(merged["zh-TW"].calls[0]) == 6 and len(merged["zh-TW"].calls) > 1  # the retries, per release


def test_one_release_is_not_chunked_and_chunks_are_bounded(monkeypatch):
    engines = {"zh-TW": e.ScriptedEngine()}
    [(release, used)] = list(prefetch.batched(releases()[:1], engines, lambda r, recorders: translate_release(r, recorders, None, None, StageTimes()), StageTimes()))
    assert used is engines and engines["zh-TW"].calls == []
    monkeypatch.setattr(prefetch, "CHUNK_SEGMENTS", 4)  # two releases of 2 segments per chunk
    assert [len(c) for c in prefetch._chunks(releases())] == [2, 1]
    run_all(engines, batched=True)
    assert [len(c) for c in engines["zh-TW"].calls] == [4, 2]  # the chunk of two merged; the lone release alone


def test_the_answering_engine_is_the_real_engine_for_everything_else():
    class Aligning(e.ScriptedEngine):
        extra = "real"

        def align(self, sources, targets):
            return [[(0, 1, 0, 1)] for _ in sources]

    real = Aligning()
    proxy = prefetch.Prefetched(real, {"a": "A"})
    assert proxy.align(["x"], ["y"]) == [[(0, 1, 0, 1)]]
    assert proxy.extra == "real" and proxy.info is real.info
    assert proxy.translate(["a", "b", "a"]) == ["A", "b", "A"] and real.calls == [["b"]]
