"""Post-edit figures of a review import: chrF and TER between the machine text and the reviewed text (sacrebleu).

What is computed (unchanged from before issue 14; see pipeline/review/importing/rows.py): chrF (character
n-grams, order 6, β 2) and TER (case-sensitive) per (machine, reviewed) pair, and in total over the pairs
(corpus level: chrF from the summed n-gram statistics, TER as total edits ÷ total reference length). For zh and
ja TER is computed on characters (every non-space character a token), for other languages on words.

How it is kept cheap (issue 14: a 2,000-row import spent ~1 minute, 95 % of it in TER):

* Each pair is scored ONCE: its statistics give both its own figures and its share of the totals (sacrebleu's
  `corpus_score` would score every pair again), and they are cached, so the import and the merged totals of
  reviewed.json (which score the same pairs again) reuse them.
* An UNCHANGED pair (machine text == reviewed text) is not scored at all: its figures are known exactly: TER 0
  edits over its token count, chrF statistics where every n-gram matches (chrF 100; 0 for a text without any
  non-space character, as sacrebleu says).
* TER's shift search grows steeply with the length of a segment (sacrebleu, measured: ~5 ms for a 100-character
  edit without moved phrases, but 0.5 s at 100 characters and 9 s at 200 when a phrase moved). Pairs with more
  than `TER_SHIFT_LIMIT` tokens on either side are scored WITHOUT shifts: the Levenshtein distance over the same
  tokens (rapidfuzz) ÷ reference length, in time linear in the product of the lengths. A moved phrase then counts
  as its deletion plus its insertion, so the figure is typically higher than TER with shifts would be. Such pairs
  are counted in `PostEditScores.ter_without_shifts` and named by `METRIC_NOTE`.

The figures are sacrebleu's own, to the last digit, for every pair within the limit (tested against
`sentence_score`/`corpus_score`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pipeline.language.typography import typeset_as_cjk

__all__ = ["METRIC_NOTE", "TER_SHIFT_LIMIT", "PairScore", "PostEditScores", "post_edit_scores", "score_pairs", "ter_tokens"]

TER_SHIFT_LIMIT = 100  # tokens (characters for zh/ja, words otherwise) on either side; longer: TER without shifts
METRIC_NOTE = (
    "chrF (sacrebleu, char order 6, beta 2); TER (sacrebleu, case-sensitive) on characters for zh/ja, on words "
    f"otherwise; segments over {TER_SHIFT_LIMIT} tokens: TER without shifts (edit distance / reference length)"
)


@dataclass(frozen=True)
class PairScore:
    chrf: float  # sentence chrF, rounded to 2 places
    ter: float  # sentence TER, rounded to 2 places
    chrf_stats: tuple[int, ...]  # sacrebleu's [hyp, ref, match] counts per n-gram order, flattened
    ter_edits: float
    ter_ref_length: float
    shifts: bool  # False: over TER_SHIFT_LIMIT, TER without shifts


@dataclass(frozen=True)
class PostEditScores:
    pairs: list[PairScore]
    chrf: float | None  # corpus level, rounded; None without pairs
    ter: float | None
    ter_without_shifts: int  # pairs over TER_SHIFT_LIMIT


def ter_tokens(text: str, lang: str) -> str:
    """The text TER is computed on: for zh/ja every non-space character a token, else the text (words)."""
    if typeset_as_cjk(lang):
        return " ".join(ch for ch in text if not ch.isspace())
    return text


@lru_cache(maxsize=1)
def _metrics():
    from sacrebleu.metrics import CHRF, TER  # lazy: sacrebleu, keeps --help fast

    chrf, ter = CHRF(), TER(case_sensitive=True)
    assert chrf.word_order == 0 and not chrf.whitespace and not chrf.lowercase  # what _identical_chrf_stats assumes
    return chrf, ter


def _ter_score(edits: float, ref_length: float) -> float:
    """sacrebleu's TER from (edits, reference length): its rules for empty references included."""
    if ref_length > 0:
        return 100 * edits / ref_length
    return 100.0 if edits > 0 else 0.0


def _identical_chrf_stats(text: str, order: int) -> list[int]:
    length = len("".join(text.split()))  # chrF ignores whitespace
    stats: list[int] = []
    for n in range(1, order + 1):
        count = max(0, length - n + 1)
        stats += [count, count, count]
    return stats


@lru_cache(maxsize=65536)
def _pair(machine: str, reviewed: str, lang: str) -> PairScore:
    chrf, ter = _metrics()
    hyp_tokens = ter_tokens(machine, lang).split()
    ref_tokens = ter_tokens(reviewed, lang).split()
    if machine == reviewed:
        chrf_stats = _identical_chrf_stats(reviewed, chrf.char_order)
        edits, ref_length, shifts = 0.0, float(len(ref_tokens)), True
    else:
        chrf_stats = chrf._extract_corpus_statistics([machine], [[reviewed]])[0]
        shifts = max(len(hyp_tokens), len(ref_tokens)) <= TER_SHIFT_LIMIT
        if shifts:
            score = ter.sentence_score(" ".join(hyp_tokens), [" ".join(ref_tokens)])
            edits, ref_length = float(score.num_edits), float(score.ref_length)
        else:
            from rapidfuzz.distance import Levenshtein  # lazy: rapidfuzz, loaded only for long segments

            edits, ref_length = float(Levenshtein.distance(hyp_tokens, ref_tokens)), float(len(ref_tokens))
    return PairScore(
        chrf=round(chrf._compute_f_score(chrf_stats), 2),
        ter=round(_ter_score(edits, ref_length), 2),
        chrf_stats=tuple(chrf_stats),
        ter_edits=edits,
        ter_ref_length=ref_length,
        shifts=shifts,
    )


def score_pairs(pairs: list[tuple[str, str]], lang: str) -> PostEditScores:
    """Figures for (machine, reviewed) pairs: each pair's, and the totals (see the module docstring)."""
    if not pairs:
        return PostEditScores([], None, None, 0)
    chrf, _ = _metrics()
    scored = [_pair(machine, reviewed, lang) for machine, reviewed in pairs]
    summed = [sum(column) for column in zip(*(p.chrf_stats for p in scored))]
    total_chrf = round(chrf._compute_f_score(summed), 2)
    total_ter = round(_ter_score(sum(p.ter_edits for p in scored), sum(p.ter_ref_length for p in scored)), 2)
    return PostEditScores(scored, total_chrf, total_ter, sum(1 for p in scored if not p.shifts))


def post_edit_scores(pairs: list[tuple[str, str]], lang: str) -> tuple[list[tuple[float, float]], float | None, float | None]:
    """(per-pair (chrF, TER), total chrF, total TER) for (machine, reviewed) pairs (the importer's interface)."""
    result = score_pairs(pairs, lang)
    return [(p.chrf, p.ter) for p in result.pairs], result.chrf, result.ter
