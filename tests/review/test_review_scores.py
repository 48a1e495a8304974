"""Post-edit scores (pipeline/review/scores.py): sacrebleu's figures, each pair scored once, unchanged pairs not
scored, TER's cost bounded on long segments (issue 14)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sacrebleu.metrics import CHRF, TER

from pipeline.review import scores
from pipeline.review.scores import TER_SHIFT_LIMIT, post_edit_scores, score_pairs, ter_tokens

from support.review_runs import copy_run, review_zh


def sacrebleu_reference(pairs, lang):
    """The importer's scoring before issue 14, on sacrebleu's public API: every pair scored twice."""
    chrf, ter = CHRF(), TER(case_sensitive=True)
    per = [
        (
            round(chrf.sentence_score(m, [r]).score, 2),
            round(ter.sentence_score(ter_tokens(m, lang), [ter_tokens(r, lang)]).score, 2),
        )
        for m, r in pairs
    ]
    total_chrf = round(chrf.corpus_score([m for m, _ in pairs], [[r for _, r in pairs]]).score, 2)
    total_ter = round(
        ter.corpus_score([ter_tokens(m, lang) for m, _ in pairs], [[ter_tokens(r, lang) for _, r in pairs]]).score, 2
    )
    return per, total_chrf, total_ter


_CJK = st.text(alphabet="高雄醫學大學與熊本大學和簽署合作協議。、 「」KMU12", max_size=30)
_WORDS = st.lists(st.sampled_from(["the", "cat", "sat", "on", "mat", "KMU", "signed", ".", ",", "  "]), max_size=12).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_figures_are_sacrebleus_own(data):
    lang = data.draw(st.sampled_from(["zh-TW", "ja", "ko", "fr"]))
    text = _CJK if lang in ("zh-TW", "ja") else _WORDS
    pairs = data.draw(st.lists(st.tuples(text, text), min_size=1, max_size=6))
    same = data.draw(st.lists(text, max_size=3))
    pairs += [(t, t) for t in same]  # unchanged pairs, not scored
    scores._pair.cache_clear()
    assert post_edit_scores(pairs, lang) == sacrebleu_reference(pairs, lang)


def test_unchanged_pairs_are_not_scored_and_each_pair_is_scored_once(monkeypatch):
    calls = {"ter": 0, "chrf": 0}
    real_ter, real_chrf = TER.sentence_score, CHRF._extract_corpus_statistics

    def ter_score(self, *a, **k):
        calls["ter"] += 1
        return real_ter(self, *a, **k)

    def chrf_stats(self, *a, **k):
        calls["chrf"] += 1
        return real_chrf(self, *a, **k)

    monkeypatch.setattr(TER, "sentence_score", ter_score)
    monkeypatch.setattr(TER, "corpus_score", lambda *a, **k: pytest.fail("corpus TER scores every pair again"))
    monkeypatch.setattr(CHRF, "_extract_corpus_statistics", chrf_stats)
    scores._pair.cache_clear()
    machine = [f"高雄醫學大學第{n}句與熊本大學簽署協議。" for n in range(100)]
    reviewed = [m.replace("與", "和") if n % 10 == 0 else m for n, m in enumerate(machine)]
    first = score_pairs(list(zip(machine, reviewed)), "zh-TW")
    assert calls == {"ter": 10, "chrf": 10}  # the 10 edited pairs, once each
    assert [p.ter for p in first.pairs if p.ter_edits == 0] == [0.0] * 90
    assert {p.chrf for n, p in enumerate(first.pairs) if n % 10} == {100.0}
    again = score_pairs(list(zip(machine, reviewed)), "zh-TW")  # the import's second look (merged totals)
    assert calls == {"ter": 10, "chrf": 10} and again == first
    assert first.ter == round(100 * 10 / sum(len(ter_tokens(r, "zh-TW").split()) for r in reviewed), 2)


def test_long_segments_get_ter_without_shifts(monkeypatch):
    scores._pair.cache_clear()
    head = "".join(chr(0x4E00 + (n * 7) % 500) for n in range(90))
    moved = "熊本大學與高雄醫學大學簽署合作協議"  # 17 characters moved from the end to the front
    machine, reviewed = head + moved, moved + head
    assert len(machine) > TER_SHIFT_LIMIT
    monkeypatch.setattr(TER, "sentence_score", lambda *a, **k: pytest.fail("no shift search past the limit"))
    result = score_pairs([(machine, reviewed), ("熊本大學", "熊本大學")], "zh-TW")
    long = result.pairs[0]
    assert not long.shifts and result.ter_without_shifts == 1
    assert long.ter_edits == 2 * len(moved)  # the moved phrase: deleted there, inserted here
    assert long.ter == round(100 * 2 * len(moved) / len(reviewed), 2)
    assert result.ter == round(100 * 2 * len(moved) / (len(reviewed) + 4), 2)
    monkeypatch.undo()
    short = score_pairs([(moved + "。", "。" + moved)], "zh-TW").pairs[0]
    assert short.shifts and short.ter_edits == 1  # within the limit: TER with shifts, a move is one edit
    assert "without shifts" in scores.METRIC_NOTE and str(TER_SHIFT_LIMIT) in scores.METRIC_NOTE


def test_import_scores_each_edited_pair_once(translated, tmp_path, monkeypatch, cli):  # noqa: F811
    run = copy_run(translated, tmp_path)
    edited = tmp_path / "edited.zh-TW.review.docx"
    expected = review_zh(run, edited)
    calls = []
    real = TER.sentence_score
    monkeypatch.setattr(TER, "sentence_score", lambda self, h, r: calls.append(h) or real(self, h, r))
    monkeypatch.setattr(TER, "corpus_score", lambda *a, **k: pytest.fail("corpus TER scores every pair again"))
    from rapidfuzz.distance import Levenshtein

    real_distance = Levenshtein.distance
    monkeypatch.setattr(Levenshtein, "distance", lambda a, b: calls.append(a) or real_distance(a, b))
    scores._pair.cache_clear()
    result = cli("review", "import", edited, "--manifest", run.manifest_path, "--quiet")
    assert result.exit_code == 0, result.output
    changed = [sid for sid, text in expected.items() if text and text != run.machine(sid)]
    # import + the merged totals of reviewed.json: one TER run (with shifts or, past the limit, without) per edit
    assert changed and len(calls) == len(changed)
