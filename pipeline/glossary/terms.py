"""Whether a translation holds the glossary's forms: the comparison that ignores width, typography and (for
Chinese, Japanese and Korean) spaces (`contains_target`), the forms an entry must not take in a language
(`wrong_forms`), Japanese kana in Chinese (`kana_runs`), and the checks of one translated segment against the
glossary matches in its English (`check_against_segment`, for `translate glossary check --against`):

    term-missing          a glossary term in the English whose target is not in the translation
    wrong-form            a matched entry's form for another language in the translation (熊本大学 in zh-TW)
    kana-in-zh            Japanese kana in a Chinese translation (ハーバード大學)
    term-count            (warning) the English names an entry more often than the translation holds its target

Used by the run's QA (`pipeline.qa.checks.terms`, `.script`), the translation stage, the review import and
`pipeline.publish.against` (which reads the documents).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pipeline.glossary.match import fold
from pipeline.glossary.model import CACHED_TEXT_CHARS, Entry, Problem, written_in_cjk_script

__all__ = ["check_against_segment", "contains_target", "is_chinese_lang", "kana_runs", "own_forms", "wrong_forms"]


def _comparable(text: str, lang: str) -> str:
    # The QA of an import compares each row's text with each of its terms: remembered, for sentence-sized texts.
    return _comparable_cached(text, lang) if len(text) <= CACHED_TEXT_CHARS else _comparable_of(text, lang)


@lru_cache(maxsize=8192)
def _comparable_cached(text: str, lang: str) -> str:
    return _comparable_of(text, lang)


def _comparable_of(text: str, lang: str) -> str:
    # A tab is published as typed (language/typography.py, rule 0), so a term with one inside ("K\tMU") is broken,
    # unlike one with a space the typesetting removes: tabs are kept apart from the spaces that are folded away.
    pieces = [fold(unicodedata.normalize("NFKC", piece)) for piece in text.split("\t")]
    if written_in_cjk_script(lang):
        return "\t".join(re.sub(r"\s+", "", piece) for piece in pieces)
    return "\t".join(re.sub(r"\s+", " ", piece) for piece in pieces)


def contains_target(translation: str, expected: str, lang: str) -> bool:
    """Whether `translation` holds `expected`, ignoring width (（ vs (), typography and, for CJK, spaces; a tab is
    never ignored (a term split by one, "K\tMU", is not there)."""
    return _comparable(expected, lang) in _comparable(translation, lang)


# Hiragana, katakana (with the iteration marks and the small katakana of U+31F0-31FF) and half-width katakana.
# The prolonged-sound mark ー / ｰ alone is not counted (Chinese text uses a dash-like ー now and then); the middle
# dot ・ is not kana at all (Chinese writes foreign names with it).
_KANA = re.compile(r"[\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9d]+")
_PROLONGED = "\u30fc\uff70"


def kana_runs(text: str) -> list[str]:
    """The runs of Japanese kana in `text`, in order, once each; a run of only the prolonged-sound mark is not one."""
    runs: list[str] = []
    for m in _KANA.finditer(text):
        run = m.group()
        if run.strip(_PROLONGED) and run not in runs:
            runs.append(run)
    return runs


def is_chinese_lang(lang: str) -> bool:
    return lang.split("-", 1)[0] == "zh"


def own_forms(entry: Entry, lang: str) -> list[str]:
    """Every form the entry may take in `lang`: the full name's target and each abbreviation's."""
    forms = []
    if entry.target(lang) is not None:
        forms.append(entry.target(lang))
    forms += [entry.abbreviation_target(a, lang) for a in entry.abbreviations]
    return [f for f in forms if f]


def wrong_forms(entry: Entry, lang: str, expected: str | None = None) -> list[tuple[str, str]]:
    """(language, form) for each of the entry's forms for OTHER languages (full names and abbreviation targets)
    that is not one of `lang`'s forms nor contained in one: in a `lang` translation, such a form is a wrong form
    (熊本大学, the ja form, in a zh-TW text). Languages in file order, each form once."""
    mine = [_comparable(f, lang) for f in own_forms(entry, lang)]
    if expected:
        mine.append(_comparable(expected, lang))
    result: list[tuple[str, str]] = []
    seen: set[str] = set()
    candidates = [(other, form) for other, form in entry.targets.items()]
    candidates += [(other, form) for own in entry.abbreviations.values() for other, form in own.items()]
    for other, form in candidates:
        if other == lang:
            continue
        key = _comparable(form, lang)
        if not key or key in seen or any(key in m for m in mine):
            continue
        seen.add(key)
        result.append((other, form))
    return result


def check_against_segment(
    document: str, segment_id: str, source: str, matches: list, lang: str, text: str
) -> list[Problem]:
    """The --against checks of one translated segment: `matches` are the glossary matches in its English.

    * term-missing (error): a match's target is not in the translation;
    * wrong-form (error): a matched entry's form for another language is in it (熊本大学 in zh-TW), outside the
      places where the expected targets are;
    * kana-in-zh (error): Japanese kana in a Chinese translation (ハーバード大學), unless the English has them too;
    * term-count (warning): the English names an entry N times, the translation holds its target fewer times
      (but at least once: none at all is term-missing). A warning, since a translator may write a pronoun.
    """
    problems: list[Problem] = []
    comparable = _comparable(text, lang)
    wanted: dict[str, list] = {}  # comparable expected target -> the matches that want it

    def term_problem(code: str, message: str, match, expected: str, **extra) -> Problem:
        return Problem(
            code,
            f"segment {segment_id} ({lang}): {message}",
            document=document,
            segment=segment_id,
            lang=lang,
            term=match.text,
            expected=expected,
            entry=match.entry.id,
            **extra,
        )

    for match in matches:
        expected = match.target(lang)
        if expected is None:
            continue
        key = _comparable(expected, lang)
        wanted.setdefault(key, []).append((match, expected))
        if key in comparable:
            continue
        problems.append(term_problem("term-missing", f"{match.text!r} must be rendered {expected!r}", match, expected))
    for key, uses in wanted.items():
        have = comparable.count(key)
        if 0 < have < len(uses):
            match, expected = uses[0]
            message = (
                f"the English names {match.entry.english!r} {len(uses)} times, the translation has {expected!r} "
                f"{have} time{'s' if have != 1 else ''} (fine if a pronoun stands for it)"
            )
            problems.append(term_problem("term-count", message, match, expected, found=str(have)))
    # Wrong forms are looked for outside the expected targets, so that one entry's correct form that happens to
    # contain another's foreign form is not reported.
    masked = comparable
    for key in sorted(wanted, key=len, reverse=True):
        if key:
            masked = masked.replace(key, "\x00")
    reported: set[tuple[str, str]] = set()
    for key, uses in wanted.items():
        for match, expected in uses:
            for other, form in wrong_forms(match.entry, lang, expected):
                if (match.entry.id, form) in reported or _comparable(form, lang) not in masked:
                    continue
                reported.add((match.entry.id, form))
                message = f"{match.text!r} is written {form!r}, the {other} form; the {lang} form is {expected!r}"
                problems.append(term_problem("wrong-form", message, match, expected, found=form))
    if is_chinese_lang(lang):
        runs = [run for run in kana_runs(text) if run not in source]
        if runs:
            problems.append(
                Problem(
                    "kana-in-zh",
                    f"segment {segment_id} ({lang}): Japanese kana in a Chinese translation: "
                    + ", ".join(repr(r) for r in runs),
                    document=document,
                    segment=segment_id,
                    lang=lang,
                    found=", ".join(runs),
                )
            )
    return problems
