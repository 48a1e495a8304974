"""Language detection, foreign-script spans and the English gate."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.source.detect import (
    detect_language,
    find_foreign_spans,
    is_foreign,
    require_english,
    script_counts,
)
from pipeline.core.release import Release
from pipeline.core.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "kmu-kumamoto-mou-2025.txt"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")

ZH_TW = (
    "高雄醫學大學近年積極推動國際化，持續增加學生赴海外臨床選修及研究交流的機會。"
    "余明隆校長日前率團訪問日本熊本大學，與熊本大學小川久雄校長共同簽署學術合作備忘錄。"
)
JA = (
    "熊本大学と高雄医学大学は、学術交流協定を締結しました。"
    "両大学は今後、医学教育、臨床研修および研究の分野で協力を深めていきます。"
)
JA_KANJI_HEAVY = "熊本大学学長小川久雄教授と高雄医学大学学長余明隆が学術交流協定締結"
KO = "가오슝의과대학교와 구마모토대학교는 학술 교류 협정을 체결했다."
FR = "L’Université de Kumamoto et l’Université médicale de Kaohsiung ont signé un accord de coopération académique."
MIXED = "(中央社訊息服務20251127 16:22:39)Kaohsiung Medical University (KMU) has been actively expanding its " \
    "internationalization efforts in recent years, steadily increasing opportunities for students."


def _release(text: str, name: str = "release.txt") -> Release:
    return Release(path=Path(name), paragraphs_text=text.splitlines())


# --- detect_language ---------------------------------------------------------------------------------------


def test_sample_is_english():
    lang, conf = detect_language(SAMPLE_TEXT)
    assert lang == "en"
    assert conf > 0.9


def test_traditional_chinese():
    lang, conf = detect_language(ZH_TW)
    assert lang == "zh"
    assert conf > 0.9


def test_japanese_with_kana():
    assert detect_language(JA)[0] == "ja"


def test_kanji_heavy_japanese_is_still_japanese():
    # langdetect alone calls this "ko"/"zh"; the kana decide
    assert detect_language(JA_KANJI_HEAVY)[0] == "ja"


def test_korean():
    assert detect_language(KO)[0] == "ko"


def test_french_is_not_english():
    assert detect_language(FR)[0] == "fr"


def test_english_with_chinese_dateline_is_english():
    lang, conf = detect_language(MIXED)
    assert lang == "en"
    assert conf > 0.9


@pytest.mark.parametrize("text", ["", "   ", "2025-11-27 16:22:39", "!!! ???"])
def test_no_letters_is_undetermined(text):
    assert detect_language(text) == ("und", 0.0)


@pytest.mark.parametrize("text", [SAMPLE_TEXT, ZH_TW, JA, MIXED, FR, "Short text.", "KMU signs MOU"])
def test_deterministic(text):
    results = {detect_language(text) for _ in range(5)}
    assert len(results) == 1


def test_script_counts():
    c = script_counts("Abc 中文 かな 한 、")
    assert c == {"han": 2, "kana": 2, "hangul": 1, "cjk": 1, "latin": 3}


# --- find_foreign_spans ------------------------------------------------------------------------------------


def _spans(text):
    return [(text[s:e], lang) for s, e, lang in find_foreign_spans(text)]


def test_dateline_is_one_span_with_digits_and_brackets():
    text = SAMPLE_TEXT.splitlines()[1]
    assert _spans(text) == [("(中央社訊息服務20251127 16:22:39)", "zh")]
    assert find_foreign_spans(text)[0][:2] == (0, len("(中央社訊息服務20251127 16:22:39)"))


def test_bracketed_name():
    assert _spans("Professor Wen-Chun Cheng (程文俊) said.") == [("(程文俊)", "zh")]


def test_brackets_not_cjk_dominated_are_not_included():
    assert _spans("(Kaohsiung Medical University, 高醫) and (KMU, 高雄醫學大學)") == [
        ("高醫", "zh"),
        ("(KMU, 高雄醫學大學)", "zh"),
    ]


def test_english_punctuation_is_not_foreign():
    assert _spans("He emphasized, “Today’s agreement—a milestone – ‘yes’…” and 😀 ×") == []


def test_span_languages():
    assert _spans("in Tokyo (東京ひらがな) and Seoul 서울 and 台北") == [
        ("(東京ひらがな)", "ja"),
        ("서울", "ko"),
        ("台北", "zh"),
    ]


def test_runs_joined_across_digits_and_spaces():
    # digits before the first CJK character stay English text; digits between CJK runs join them
    assert _spans("On 2025年11月27日 at 高雄 2025 年") == [("年11月27日", "zh"), ("高雄 2025 年", "zh")]


def test_fullwidth_forms_and_ideographic_space():
    assert _spans("A　B （全形）") == [("（全形）", "zh")]


def test_whole_cjk_paragraph_is_one_span():
    assert _spans(ZH_TW) == [(ZH_TW, "zh")]


_ALPHABET = st.one_of(
    st.sampled_from(list("abc XYZ.,;:-()[]“”’\"'0123456789\t\u3000中文漢字かなカナ한글（）「」、。！😀é")),
    st.characters(codec="utf-8"),
)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=120))
def test_foreign_spans_properties(text):
    spans = find_foreign_spans(text)
    last_end = 0
    for start, end, lang in spans:
        assert last_end <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        assert lang in ("zh", "ja", "ko")
        assert any(is_foreign(ch) and not ch.isspace() for ch in text[start:end])
        last_end = end
    covered = set()
    for start, end, _ in spans:
        covered.update(range(start, end))
    for i, ch in enumerate(text):
        if is_foreign(ch) and not ch.isspace():
            assert i in covered, (text, i)
    assert spans == find_foreign_spans(text)


# --- require_english ---------------------------------------------------------------------------------------


def test_require_english_accepts_english():
    release = _release(SAMPLE_TEXT)
    assert require_english(release, None) is release
    assert release.language == "en"
    assert release.language_confidence > 0.9


@pytest.mark.parametrize("text,lang,name", [(ZH_TW, "zh", "Chinese"), (JA, "ja", "Japanese")])
def test_require_english_refuses_other_languages(text, lang, name):
    release = _release(text, "zhongwen.txt")
    with pytest.raises(InputError) as info:
        require_english(release, None)
    message = info.value.format_message()
    assert info.value.exit_code == 3
    assert "zhongwen.txt" in message
    assert name in message and f"({lang}," in message
    assert "--source-lang en" in message
    assert "\n" not in message
    assert release.language == lang


def test_override_en_skips_the_check_and_notes_it():
    release = _release(ZH_TW)
    require_english(release, "en")
    assert release.language == "en"
    assert any("--source-lang en" in note and "Chinese" in note for note in release.notes)


def test_override_en_on_english_adds_no_note():
    release = _release(SAMPLE_TEXT)
    require_english(release, "en")
    assert release.language == "en"
    assert release.notes == []


def test_override_other_language_is_refused():
    with pytest.raises(InputError) as info:
        require_english(_release(SAMPLE_TEXT), "zh")
    assert info.value.exit_code == 3
    assert "--source-lang en" in info.value.format_message()


def test_stage_modules_import_fast():
    """langdetect, pysbd and python-docx are loaded on use, not on import (the CLI's --help stays fast)."""
    code = (
        "import sys, pipeline.source.detect, pipeline.source.segment, pipeline.source.ingest; "
        "print(sorted(m for m in ('langdetect', 'pysbd', 'docx') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- Ctrl-C or a broken profile while langdetect loads its profiles ----------------------------------------
#
# langdetect's own loader has a bare `except:` that turned a Ctrl-C into LangDetectException, and left a factory
# with only the profiles loaded so far that every later call used (the sample came out "fi"/"ro", not English).


def _profile_count() -> int:
    from langdetect import detector_factory

    return sum(1 for p in Path(detector_factory.PROFILES_DIRECTORY).iterdir() if p.is_file() and p.name[0] != ".")


@pytest.fixture
def fresh_langdetect(monkeypatch):
    """No profiles loaded yet, in this module and in langdetect (as in a new process); restored afterwards."""
    import pipeline.source.detect
    from langdetect import detector_factory

    monkeypatch.setattr(pipeline.source.detect, "_FACTORY", None, raising=False)
    monkeypatch.setattr(detector_factory, "_factory", None)
    monkeypatch.setenv("TRANSLATE_CACHE_DIR", "")  # build from the profiles (the cache: test_detect_profiles.py)
    return detector_factory


def _fail_at_profile(monkeypatch, n: int, action) -> list[int]:
    """Loading the n-th profile (1-based) calls `action` (which raises) instead of adding the profile."""
    from langdetect import DetectorFactory

    original = DetectorFactory.add_profile
    calls: list[int] = []

    def add_profile(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == n:
            action()
        return original(self, *args, **kwargs)

    monkeypatch.setattr(DetectorFactory, "add_profile", add_profile)
    return calls


def _raise(error):
    def action():
        raise error

    return action


def _sigint():
    import signal

    signal.raise_signal(signal.SIGINT)  # the real Ctrl-C path: Python's default handler raises KeyboardInterrupt
    raise AssertionError("SIGINT did not interrupt")


def test_ctrl_c_while_loading_profiles_propagates_and_the_next_call_loads_all(fresh_langdetect):
    import signal

    # A job started in the background by a non-interactive shell (some CI runners) inherits SIGINT ignored, and
    # Python then leaves it ignored: give this test the handler an interactive `translate` has.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.MonkeyPatch.context() as mp:
            calls = _fail_at_profile(mp, 5, _sigint)
            with pytest.raises(KeyboardInterrupt):
                detect_language(SAMPLE_TEXT)
            assert len(calls) == 5
    finally:
        signal.signal(signal.SIGINT, previous)
    # nothing partial was kept, in this module or as langdetect's global
    assert fresh_langdetect._factory is None
    lang, conf = detect_language(SAMPLE_TEXT)
    assert lang == "en" and conf > 0.9
    assert len(fresh_langdetect._factory.get_lang_list()) == _profile_count()


@pytest.mark.parametrize("n", [1, 30])
def test_ctrl_c_while_loading_profiles_ends_the_cli_run_with_130(
    fresh_langdetect, installed, sample_copy, tmp_path, capsys, cli, n
):
    from pipeline.cli import entry

    out = tmp_path / "out"
    with pytest.MonkeyPatch.context() as mp:
        _fail_at_profile(mp, n, _raise(KeyboardInterrupt))
        mp.setattr(sys, "argv", ["translate", "run", str(sample_copy), "--out", str(out), "--no-glossary", "--quiet"])
        with pytest.raises(SystemExit) as done:
            entry()
    err = capsys.readouterr().err
    assert done.value.code == 130, err
    assert "Interrupted" in err and "Traceback" not in err and "not English" not in err
    assert not list(out.glob("*/*.docx"))
    # the next run detects with every profile
    result = cli("run", sample_copy, "--out", out, "--no-glossary", "--quiet")
    assert result.exit_code == 0, result.output
    assert len(fresh_langdetect._factory.get_lang_list()) == _profile_count()


def test_a_broken_profile_is_a_clear_error_not_detection_with_fewer_languages(fresh_langdetect):
    from pipeline.core.errors import PipelineError

    with pytest.MonkeyPatch.context() as mp:
        _fail_at_profile(mp, 5, _raise(ValueError("truncated profile")))
        with pytest.raises(PipelineError) as info:
            detect_language(SAMPLE_TEXT)
    message = info.value.format_message()
    assert "profile" in message and "truncated profile" in message and "reinstall langdetect" in message
    assert fresh_langdetect._factory is None
    assert detect_language(SAMPLE_TEXT)[0] == "en"


def test_a_partial_langdetect_factory_left_by_another_caller_is_not_used(fresh_langdetect):
    from langdetect import DetectorFactory
    from langdetect.utils.lang_profile import LangProfile

    partial = DetectorFactory()
    for index, code in enumerate(("fi", "ro")):
        path = Path(fresh_langdetect.PROFILES_DIRECTORY) / code
        partial.add_profile(LangProfile(**json.loads(path.read_text(encoding="utf-8"))), index, 2)
    fresh_langdetect._factory = partial
    lang, conf = detect_language(SAMPLE_TEXT)
    assert lang == "en" and conf > 0.9
    assert len(fresh_langdetect._factory.get_lang_list()) == _profile_count()
