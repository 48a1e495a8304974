"""Stage 2: is the release English, and which runs inside it are in another script?

* `detect_language` names the language of a whole text: a script count decides for CJK text (kana → Japanese,
  Hangul → Korean, Han only → Chinese), langdetect with a fixed seed (same answer on every run) for the rest.
* `find_foreign_spans` finds the runs of CJK script (Han, kana, Hangul, CJK punctuation, full-width forms) inside
  an English text; the segmenter turns them into VERBATIM spans, copied into the translations untouched.
* `require_english` is the gate the CLI calls: a release that is not English stops with exit code 3 unless the
  user says `--source-lang en`.

langdetect is imported inside the functions: loading its profiles takes about 0.3 s, which `--help` must not pay.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.core.errors import InputError, PipelineError
from pipeline.language.script import CJK_OTHER, HAN, HANGUL, KANA, is_cjk_char, script_of
from pipeline.source import detect_profiles

if TYPE_CHECKING:
    from pipeline.core.release import Release

SEED = 0  # langdetect is randomised; a fixed seed makes detection deterministic
KANA_SHARE_FOR_JA = 0.05  # share of kana (or Hangul) among CJK letters from which CJK text is Japanese (Korean)
CJK_LANGUAGES = ("zh", "ja", "ko")

LANGUAGE_NAMES = {
    "en": "English",
    "zh": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "pt": "Portuguese",
    "it": "Italian",
    "nl": "Dutch",
    "ru": "Russian",
    "vi": "Vietnamese",
    "th": "Thai",
    "id": "Indonesian",
    "und": "undetermined",
}

# --- scripts -------------------------------------------------------------------------------------------------

# The script table is the language registry's (pipeline/language/script.py): one definition of a CJK character.


def is_foreign(ch: str) -> bool:
    """A character of a CJK script or CJK punctuation/full-width form (U+3000 IDEOGRAPHIC SPACE included)."""
    return is_cjk_char(ch)


def script_counts(text: str) -> dict[str, int]:
    """How many characters of each CJK script, and how many other letters ("latin": any non-CJK letter)."""
    counts = {HAN: 0, KANA: 0, HANGUL: 0, CJK_OTHER: 0, "latin": 0}
    for ch in text:
        script = script_of(ch)
        if script is not None:
            counts[script] += 1
        elif ch.isalpha():
            counts["latin"] += 1
    return counts


def cjk_share(text: str) -> float:
    """Share of CJK letters (Han, kana, Hangul) among all letters; 0.0 when there are no letters."""
    c = script_counts(text)
    cjk = c[HAN] + c[KANA] + c[HANGUL]
    letters = cjk + c["latin"]
    return cjk / letters if letters else 0.0


def span_language(text: str) -> str:
    """"ja" if `text` has kana, else "ko" if it has Hangul, else "zh"."""
    c = script_counts(text)
    if c[KANA]:
        return "ja"
    if c[HANGUL]:
        return "ko"
    return "zh"


# --- language of a whole text --------------------------------------------------------------------------------

# langdetect's own loader (DetectorFactory.load_profile, called by init_factory on the first detect_langs) wraps
# each profile in a bare `except:` that turns a KeyboardInterrupt into LangDetectException, and init_factory sets
# its global factory before loading, so a Ctrl-C during the ~0.3 s load left a factory with a few languages that
# every later call used ("ro"/"fi" for English). So the profiles are loaded here instead, with langdetect's own
# pieces (LangProfile, DetectorFactory.add_profile) but outside any bare except: Ctrl-C and every other error
# propagate. The factory is published (here and as langdetect's global) only once it holds every profile file,
# so an interrupted or failed load leaves nothing behind and the next call loads all profiles again. This needs
# no signal handler (works in any thread, and for a KeyboardInterrupt from any source).
_FACTORY: Any = None  # langdetect DetectorFactory with every profile, once loaded
_FACTORY_LOCK = threading.Lock()


def _profile_files() -> list[Any]:
    from langdetect import detector_factory

    folder = Path(detector_factory.PROFILES_DIRECTORY)
    try:
        files = sorted(p for p in folder.iterdir() if not p.name.startswith(".") and p.is_file())
    except OSError as error:
        raise PipelineError(f"langdetect's language profiles cannot be read ({folder}): {error}") from error
    if len(files) < 2:
        raise PipelineError(
            f"langdetect's language profiles are missing ({folder} has {len(files)}); reinstall langdetect"
        )
    return files


def _load_factory() -> Any:
    """A DetectorFactory holding every profile in langdetect's profile folder, or an exception: never fewer.

    From the cache of the built table when there is a sound one (detect_profiles.py: ~20 ms instead of ~0.3 s, the
    same numbers); otherwise built from the profiles here, and the cache written for the next run."""
    from langdetect import DetectorFactory

    files = _profile_files()
    key = detect_profiles.profiles_key(files)
    cached = detect_profiles.load_cached(key, len(files))
    if cached is not None:
        factory = DetectorFactory()
        factory.langlist, factory.word_lang_prob_map = cached
        factory.set_seed(SEED)
        return factory
    factory = _build_factory(files)
    if detect_profiles.cache_dir() is not None:
        detect_profiles.store(key, detect_profiles.sparse_table(factory.langlist, factory.word_lang_prob_map))
    return factory


def _build_factory(files: list[Any]) -> Any:
    from langdetect import DetectorFactory
    from langdetect.utils.lang_profile import LangProfile

    factory = DetectorFactory()
    for index, path in enumerate(files):
        try:
            profile = LangProfile(**json.loads(path.read_text(encoding="utf-8")))
            factory.add_profile(profile, index, len(files))
        except Exception as error:  # not KeyboardInterrupt / SystemExit: those propagate as they are
            raise PipelineError(
                f"langdetect's language profile {path} cannot be loaded ({error}); reinstall langdetect"
            ) from error
    if len(factory.get_lang_list()) != len(files):  # cannot happen (add_profile raises), checked all the same
        raise PipelineError(
            f"langdetect loaded {len(factory.get_lang_list())} of {len(files)} language profiles; reinstall langdetect"
        )
    factory.set_seed(SEED)
    return factory


def _langdetect_factory() -> Any:
    """The complete profile set, loaded once per process (about 0.3 s to build, ~20 ms from the cache)."""
    global _FACTORY
    if _FACTORY is not None:
        return _FACTORY
    from langdetect import detector_factory

    with _FACTORY_LOCK:
        if _FACTORY is None:
            # A partial global left by langdetect's own init_factory (another caller interrupted) must not be used.
            detector_factory._factory = None
            factory = _load_factory()
            detector_factory._factory = factory  # plain langdetect.detect_langs callers get the full set too
            _FACTORY = factory
    return _FACTORY



def detect_language(text: str) -> tuple[str, float]:
    """The language of `text` and a confidence in [0, 1], e.g. ("en", 1.0). Deterministic.

    Decided in two steps, because langdetect is unreliable between Chinese, Japanese and Korean (its profiles
    share the Han characters: it calls plain Traditional Chinese "ko"):

    1. Scripts. When CJK letters (Han, kana, Hangul) are at least half of all letters, the script decides:
       kana at least 5 % of the CJK letters → "ja" (Japanese writes kana in every sentence, Chinese never);
       else Hangul at least 5 % → "ko"; else "zh". The confidence is the CJK share of the letters.
    2. Otherwise langdetect (fixed seed) over the whole text names the language among the non-CJK ones, and its
       probability is the confidence; "zh-tw"/"zh-cn" would be "zh". An English release with a Chinese dateline
       is "en": the dateline is a small share of the letters.

    No letters at all: ("und", 0.0).
    """
    counts = script_counts(text)
    cjk = counts[HAN] + counts[KANA] + counts[HANGUL]
    letters = cjk + counts["latin"]
    if not letters:
        return "und", 0.0
    if cjk * 2 >= letters:
        if counts[KANA] >= KANA_SHARE_FOR_JA * cjk:
            lang = "ja"
        elif counts[HANGUL] >= KANA_SHARE_FOR_JA * cjk:
            lang = "ko"
        else:
            lang = "zh"
        return lang, round(cjk / letters, 4)

    from langdetect.lang_detect_exception import ErrorCode, LangDetectException

    factory = _langdetect_factory()
    probs: dict[str, float] = {}
    for sample in (text, "".join(" " if is_foreign(ch) else ch for ch in text)):
        detector = factory.create()
        detector.append(sample)
        try:
            guesses = detector.get_probabilities()
        except LangDetectException as error:
            if error.code != ErrorCode.CantDetectError:  # "No features in text": try the next sample
                raise
            continue
        for g in guesses:
            code = "zh" if g.lang.startswith("zh") else g.lang
            if code not in CJK_LANGUAGES:  # step 1 said the text is mostly not CJK
                probs[code] = probs.get(code, 0.0) + g.prob
        if probs:
            break
    if not probs:
        return "und", 0.0
    lang = max(sorted(probs), key=lambda k: probs[k])  # sorted: ties broken by code, not by dict order
    return lang, round(min(probs[lang], 1.0), 4)


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def require_english(release: Release, override: str | None = None) -> Release:
    """Stop (InputError, exit code 3) unless the release is English; records the language on the release.

    `override` is the CLI's `--source-lang` value. "en" skips the check (the user knows better than the detector;
    a note records what the detector said). Any other value is refused: only English sources are supported.
    """
    if override is not None:
        code = override.strip().lower()
        if code != "en" and not code.startswith("en-") and not code.startswith("en_"):
            raise InputError(
                f"--source-lang {override}: only English releases can be translated; use --source-lang en "
                "to treat the release as English"
            )
        lang, conf = detect_language(release.text)
        if lang != "en":
            release.notes.append(
                f"The language check was overridden with --source-lang en "
                f"(the detector said {language_name(lang)}, {conf:.2f})."
            )
        release.language, release.language_confidence = "en", None
        return release

    lang, conf = detect_language(release.text)
    release.language, release.language_confidence = lang, conf
    if lang != "en":
        raise InputError(
            f"{release.path}: the release looks like {language_name(lang)} ({lang}, confidence {conf:.2f}), "
            "not English; only English releases can be translated. If it is English, run again with "
            "--source-lang en"
        )
    return release


# --- runs of another script inside English text --------------------------------------------------------------

_OPEN_TO_CLOSE = {
    "(": ")",
    "[": "]",
    "{": "}",
    "（": "）",
    "［": "］",
    "｛": "｝",
    "【": "】",
    "「": "」",
    "『": "』",
    "〔": "〕",
    "〈": "〉",
    "《": "》",
    "〖": "〗",
    "〘": "〙",
}
_CLOSE_TO_OPEN = {v: k for k, v in _OPEN_TO_CLOSE.items()}


def bracket_pairs(text: str, brackets: dict[str, str] = _OPEN_TO_CLOSE) -> list[tuple[int, int]]:
    """Matched bracket pairs as (open index, close index), innermost first among nested ones.

    A closer with no opener is ignored; openers left unclosed at the end are ignored; a closer matches the
    nearest open bracket of its own type (openers of other types in between are dropped as unclosed).
    """
    close_to_open = {v: k for k, v in brackets.items()}
    stack: list[tuple[str, int]] = []
    pairs: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        if ch in brackets:
            stack.append((ch, i))
        elif ch in close_to_open:
            opener = close_to_open[ch]
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == opener:
                    pairs.append((stack[k][1], i))
                    del stack[k:]
                    break
    return pairs


def _gap_joins(gap: str) -> bool:
    """Two CJK runs separated only by spaces, digits and time/date punctuation are one span (高雄 2025年)."""
    return all(ch.isspace() or ch.isdigit() or ch in ":./-·,，" for ch in gap)


def mostly_cjk(inside: str) -> bool:
    """More CJK characters (letters, punctuation, full-width forms) than other letters."""
    c = script_counts(inside)
    foreign = c[HAN] + c[KANA] + c[HANGUL] + c[CJK_OTHER]
    return foreign > c["latin"]


def _merge(text: str, spans: list[list[int]]) -> list[list[int]]:
    """Sort, then join overlapping spans and neighbours separated by a neutral gap."""
    spans = sorted(spans)
    merged = [list(spans[0])]
    for s, e in spans[1:]:
        last = merged[-1]
        if s <= last[1] or _gap_joins(text[last[1] : s]):
            last[1] = max(last[1], e)
        else:
            merged.append([s, e])
    return merged


def find_foreign_spans(text: str) -> list[tuple[int, int, str]]:
    """Runs of CJK script inside `text` as sorted, disjoint (start, end, lang) with lang "ja", "ko" or "zh".

    A run is a maximal stretch of CJK characters (Han, kana, Hangul, CJK punctuation, full-width forms); runs
    separated only by spaces, digits and date/time punctuation are joined; a run inside brackets whose contents
    are mostly CJK (more CJK characters than other letters) grows to include the brackets and everything
    between them: `(中央社訊息服務20251127 16:22:39)` is one span, digits and time included, and so is `(程文俊)`.
    English punctuation (“ ” ’ — –) is not foreign. Language: any kana → "ja", else any Hangul → "ko", else "zh".
    A span never starts or ends with whitespace.
    """
    spans: list[list[int]] = []
    i, n = 0, len(text)
    while i < n:
        if is_foreign(text[i]) and not text[i].isspace():
            j = i + 1
            while j < n and is_foreign(text[j]) and not text[j].isspace():
                j += 1
            spans.append([i, j])
            i = j
        else:
            i += 1
    if not spans:
        return []

    pairs = sorted(bracket_pairs(text), key=lambda p: (p[1] - p[0], p[0]))  # innermost (shortest) first
    while True:
        spans = _merge(text, spans)
        grew = False
        for span in spans:
            for o, c in pairs:
                if o < span[0] and span[1] <= c and mostly_cjk(text[o + 1 : c]):
                    span[0], span[1] = o, c + 1
                    grew = True
                    break
        if not grew:
            break
    return [(s, e, span_language(text[s:e])) for s, e in spans]
