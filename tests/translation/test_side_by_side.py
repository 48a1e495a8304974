"""Languages side by side (pipeline/translation/side_by_side.py): each language's batched model call in a thread of
its own, and exactly the documents, manifests and model calls of the one-language-after-the-other path."""

from __future__ import annotations

import json
import re
import threading
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest

import pipeline.run
from pipeline.run import run_releases
from pipeline.translation.engine.argos import ArgosEngine
from pipeline.translation.side_by_side import Plan, plan, translate_each
from support import scripted_engines as e
from support.paths import GLOSSARY, SAMPLE
from support.stage_fakes import FakeGlossary

NOTICES = {
    "notice-a": "Kumamoto University signed the agreement. The delegation met on 12 May.",
    "notice-b": "Hisao Ogawa visited Kumamoto University in 2017. No term here, just 6,000 beds.",
    "notice-c": "Kumamoto University and KMU will exchange students. The programme starts in 2026.",
}


def _releases(folder: Path, names=tuple(NOTICES)) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        path = folder / f"{name}.txt"
        path.write_text(NOTICES[name] + "\n", encoding="utf-8")
        paths.append(path)
    return paths


# --- the plan ----------------------------------------------------------------------------------------------------


def test_the_cores_are_shared_out_among_the_languages():
    assert plan(2, cores=2) == Plan(2, 1)
    assert plan(2, cores=16) == Plan(2, 8)
    assert plan(3, cores=2) == Plan(2, 1)  # never more threads than cores: two languages at a time
    assert plan(3, cores=4) == Plan(3, 1)
    assert plan(2, threads=4, cores=2) == Plan(2, 2)  # --threads is the budget
    assert plan(2, cores=2).side_by_side


def test_one_after_the_other_on_one_core_with_threads_1_one_language_or_on_request():
    assert plan(2, cores=1) == Plan(1, 1)
    assert plan(2, threads=1, cores=8) == Plan(1, 1)
    assert plan(1, cores=8) == Plan(1, 8)
    assert plan(2, in_turn=True, cores=8) == Plan(1, 8)
    assert not plan(2, in_turn=True, cores=8).side_by_side


# --- scripted engines: the same calls, the same translations, at the same time -----------------------------------


class Concurrent(e.ScriptedEngine):
    """Notes the thread of each call; its first call waits (up to 10 s) until every engine of `meeting` is in its
    first call too, so a run whose calls were not side by side fails here, not by a timing."""

    def __init__(self, script, meeting: threading.Barrier | None, **kwargs):
        super().__init__(script, **kwargs)
        self.meeting = meeting
        self.threads: list[str] = []

    def translate(self, texts):
        self.threads.append(threading.current_thread().name)
        if self.meeting is not None and len(self.threads) == 1:
            self.meeting.wait(timeout=10)
        return super().translate(texts)


def _scripted(side_by_side: bool):
    meeting = threading.Barrier(2) if side_by_side else None
    return {
        "zh-TW": Concurrent(e.drop_brackets, meeting),  # retried with the other placeholder style
        "ja": Concurrent(e.mangle_everything, meeting, to_code="ja", lang="ja"),  # retried, then recovered
    }


def _translate(paths, engines, out: Path, at_once: int):
    done = []
    run_releases(paths, engines, out, glossary=FakeGlossary(), on_release=done.append, languages_at_once=at_once)
    return [
        {lang: [(t.segment_id, t.text, t.origin, [(f.code, f.message) for f in t.flags]) for t in ts]
         for lang, ts in result.translated.translations.items()}
        for result in done
    ]  # fmt: skip


@pytest.mark.parametrize("names", [("notice-b",), tuple(NOTICES)], ids=["one release", "three releases"])
def test_side_by_side_makes_the_same_calls_and_translations_with_retries_and_recovery(tmp_path, names):
    paths = _releases(tmp_path / "releases", names)
    in_turn, side = _scripted(False), _scripted(True)
    expected = _translate(paths, in_turn, tmp_path / "in-turn", 1)
    assert _translate(paths, side, tmp_path / "side", 2) == expected
    for lang in ("zh-TW", "ja"):
        assert side[lang].calls == in_turn[lang].calls  # the same texts, in the same calls, in the same order
        assert set(in_turn[lang].threads) == {"MainThread"}
        assert side[lang].threads[0] != "MainThread"  # the batched call in a thread of its own
        assert set(side[lang].threads[1:]) <= {"MainThread"}  # retries and recovery: in order, per language
    flags = {code for result in expected for rows in result.values() for *_, found in rows for code, _ in found}
    assert {"placeholder-retry", "glossary-recovered"} <= flags or {"placeholder-retry", "glossary-missing"} <= flags
    assert len(in_turn["ja"].calls) > len(names) + 1  # more calls than the first ones: the retries happened


def test_a_model_error_in_one_language_is_raised_in_the_calling_thread():
    class Failing(e.ScriptedEngine):
        def translate(self, texts):
            raise RuntimeError(f"{self.info.lang} broke")

    engines = {"zh-TW": e.ScriptedEngine(), "ja": Failing(to_code="ja", lang="ja")}
    with pytest.raises(RuntimeError, match="ja broke"):
        translate_each(engines, {"zh-TW": ["One."], "ja": ["One."]}, 2)
    assert engines["zh-TW"].calls == [["One."]]  # the other language's call ran to its end
    assert translate_each(engines, {"zh-TW": ["Two."], "ja": []}, 2) == {"zh-TW": ["Two."]}  # no texts: not called


# --- real models through the CLI: byte for byte the same documents and manifests --------------------------------

RUN_ID = "0123456789ab"
WHEN = datetime(2025, 11, 28, 9, 30, tzinfo=timezone.utc)


class _FixedClock(datetime):
    @classmethod
    def now(cls, tz=None):
        return WHEN if tz is None else WHEN.astimezone(tz)


def _outputs(out: Path) -> dict[str, bytes]:
    """Every file a run wrote, as bytes; the output folder's own path (the manifest names the memory file it would
    use there) as OUT."""
    return {
        str(path.relative_to(out)): path.read_bytes().replace(str(out).encode(), b"OUT")
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def fixed_run_identity(monkeypatch):
    """The run id and the clock fixed (the run's, and the one a .docx's zip entries are dated by), so that two
    runs' files can be compared byte for byte."""
    monkeypatch.setattr(pipeline.run.uuid, "uuid4", lambda: type("U", (), {"hex": RUN_ID * 3})())
    monkeypatch.setattr(pipeline.run, "datetime", _FixedClock)
    monkeypatch.setattr(zipfile, "time", SimpleNamespace(time=WHEN.timestamp, localtime=time.localtime))


@pytest.fixture
def misbehaving_models(monkeypatch):
    """The identity models, but zh-TW loses its first placeholder style (retried with the other) and ja every
    placeholder (retried, then recovered unprotected); every call's thread noted."""
    threads: dict[str, list[str]] = {}
    real = ArgosEngine.translate

    def translate(self, texts):
        threads.setdefault(self.info.lang, []).append(threading.current_thread().name)
        script = _drop_latin if self.info.lang == "zh-TW" else e.drop_everything
        return [script(text) for text in real(self, texts)]

    monkeypatch.setattr(ArgosEngine, "translate", translate)
    return threads


def _drop_latin(text: str) -> str:
    return re.sub(r"ZXQ\d+", "", text)


@pytest.mark.parametrize("many", [False, True], ids=["one release", "four releases"])
def test_side_by_side_writes_exactly_what_one_language_at_a_time_writes(
    installed, cli, tmp_path, fixed_run_identity, misbehaving_models, many
):
    source = tmp_path / "releases"
    _releases(source, tuple(NOTICES) if many else ())
    (source / SAMPLE.name).write_bytes(SAMPLE.read_bytes())
    runs = {}
    for name, extra in (("in-turn", ["--one-language-at-a-time"]), ("side", ["--threads", "2"])):
        misbehaving_models.clear()
        result = cli("run", source, "--out", tmp_path / name, "--glossary", GLOSSARY, "-q", *extra)
        assert result.exit_code == 0, result.output
        runs[name] = (_outputs(tmp_path / name), {lang: list(t) for lang, t in misbehaving_models.items()})
    (in_turn, in_turn_threads), (side, side_threads) = runs["in-turn"], runs["side"]
    assert side == in_turn
    assert len([k for k in side if k.endswith(".docx")]) == (8 if many else 2)
    rows = [code for key, data in side.items() if key.endswith(".manifest.json") for code in _flag_codes(data)]
    assert "placeholder-retry" in rows and ("glossary-recovered" in rows or "glossary-missing" in rows)
    for lang in ("zh-TW", "ja"):
        assert set(in_turn_threads[lang]) == {"MainThread"}
        # the first call of each language (after the check at load) in a thread of its own; retries in order
        assert any(name != "MainThread" for name in side_threads[lang])
        assert len(side_threads[lang]) == len(in_turn_threads[lang])
    assert len(in_turn_threads["zh-TW"]) >= 2 and len(in_turn_threads["ja"]) >= 3  # first calls, retries, recovery


def _flag_codes(manifest: bytes) -> list[str]:
    return re.findall(r'"code": "([a-z-]+)"', json.dumps(json.loads(manifest)))
