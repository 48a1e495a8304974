"""Issue 13, item 3: faults that gave tracebacks now give one line, the right exit code and nothing half-written."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from support.paths import SAMPLE
from pipeline.translation.engine.argos import ArgosEngine
from pipeline.translation.engine.base import DecodeOptions
from pipeline.core.errors import ModelError


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")} if folder.exists() else set()


# --- file names ---------------------------------------------------------------------------------------------------


def test_a_release_whose_name_is_not_utf8_is_refused_before_anything_is_written(installed, tmp_path, cli):
    folder = tmp_path / "releases"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9 release.txt")  # Latin-1 bytes in a Linux file name: a lone surrogate in Python
    try:
        (folder / name).write_bytes(SAMPLE.read_bytes())
    except (UnicodeEncodeError, OSError):
        pytest.skip("this file system refuses non-UTF-8 names")
    out = tmp_path / "out"
    result = cli("run", folder, "--out", out, "--quiet")
    assert result.exit_code == 3, result.output
    assert "caf\\xe9 release.txt" in result.output and "not valid UTF-8" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()


def test_manifest_with_an_undecodable_name_is_written_and_reads_back_the_same(tmp_path):
    from pipeline.files.manifest import write_manifest

    name = os.fsdecode(b"out-\xff")
    path = tmp_path / "x.manifest.json"
    write_manifest(path, {"release": name, "text": "高雄醫學大學"})
    assert json.loads(path.read_text(encoding="utf-8")) == {"release": name, "text": "高雄醫學大學"}
    write_manifest(path, {"release": "plain", "text": "高雄醫學大學"})
    assert "高雄醫學大學" in path.read_text(encoding="utf-8")  # readable UTF-8 whenever it can be


def test_an_output_folder_whose_name_is_not_utf8_is_refused_before_translating(installed, sample_copy, tmp_path, cli):
    out = tmp_path / os.fsdecode(b"out-\xff")
    result = cli("run", sample_copy, "--out", out, "--quiet")
    assert result.exit_code == 5 and "not valid UTF-8" in result.output, result.output
    assert not out.exists()


def test_a_release_name_too_long_for_the_file_system_is_refused_before_translating(installed, tmp_path, cli, monkeypatch):
    import pipeline.translation.stage as stage

    release = tmp_path / ("a" * 240 + ".txt")
    release.write_bytes(SAMPLE.read_bytes())
    translated = []
    real = stage.translate_segments
    monkeypatch.setattr(stage, "translate_segments", lambda *a, **k: translated.append(1) or real(*a, **k))
    import pipeline.run as run_module

    monkeypatch.setattr(run_module, "translate_segments", stage.translate_segments)
    out = tmp_path / "out"
    result = cli("run", release, "--out", out, "--quiet")
    assert result.exit_code == 5, result.output
    assert "file name is too long" in result.output and "Rename the release" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not translated  # found before the model ran, not after
    assert not out.exists()


def test_an_unwritable_out_is_found_before_translating(installed, sample_copy, tmp_path, cli, monkeypatch):
    import pipeline.files.preflight as preflight
    import pipeline.run as run_module

    translated = []
    real = run_module.translate_segments
    monkeypatch.setattr(run_module, "translate_segments", lambda *a, **k: translated.append(1) or real(*a, **k))
    real_open = os.open

    def read_only(path, flags, mode=0o777, *args, **kwargs):
        if ".translate-probe-" in os.fspath(path):
            raise OSError(errno.EROFS, "Read-only file system", os.fspath(path))
        return real_open(path, flags, mode, *args, **kwargs)

    monkeypatch.setattr(preflight.os, "open", read_only)
    out = tmp_path / "out"
    result = cli("run", sample_copy, "--out", out, "--quiet")
    assert result.exit_code == 5, result.output
    assert f"Cannot write in {tmp_path}" in result.output and "Read-only file system" in result.output
    assert not translated and not out.exists()
    assert _files(tmp_path) == _files(tmp_path)  # no probe left behind
    assert not list(tmp_path.glob(".translate-probe-*"))


# --- the lock on a full disk ------------------------------------------------------------------------------------


def test_disk_full_while_writing_the_lock_leaves_no_lock(installed, sample_copy, tmp_path, cli, monkeypatch):
    import pipeline.files.release_folder as outputs

    real = outputs._lock_content

    def full():
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outputs, "_lock_content", full)
    out = tmp_path / "out"
    result = cli("run", sample_copy, "--out", out, "--quiet")
    assert result.exit_code == 5 and "disk is full" in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not list(out.rglob(".lock")) and not list(out.rglob("*.docx"))
    monkeypatch.setattr(outputs, "_lock_content", real)
    assert cli("run", sample_copy, "--out", out, "--quiet").exit_code == 0  # and the next run works


# --- a model that raises ----------------------------------------------------------------------------------------


class _Pieces:
    def encode(self, texts, out_type=str):
        return [["▁" + t] for t in texts]

    def decode_pieces(self, pieces):
        return " ".join("w" for _ in pieces)


def _engine(translator, limit: int = 8) -> ArgosEngine:
    from pipeline.core.release import ModelInfo

    engine = ArgosEngine.__new__(ArgosEngine)
    engine.options = DecodeOptions(max_decoding_length=limit)
    engine.info = ModelInfo(lang="ja", package="translate-en_ja-learned", version="1", from_code="en", to_code="ja")
    engine._translator, engine._sp, engine._target_prefix, engine._converter = translator, _Pieces(), None, None
    return engine


class _LearnedPositions:
    """A model with 10 learned positions: CTranslate2 raises when asked to decode further."""

    def __init__(self, needs: dict[str, int], positions: int = 10):
        self.needs, self.positions = needs, positions

    def translate_batch(self, batch, max_decoding_length, **kwargs):
        if max_decoding_length > self.positions:
            raise RuntimeError(f"position {self.positions} is out of range for the position encoding table")
        return [SimpleNamespace(hypotheses=[["▁w"] * min(max_decoding_length, self.needs[s[0]])]) for s in batch]


def test_a_model_that_raises_is_a_model_error_not_a_traceback():
    class Broken:
        def translate_batch(self, batch, **kwargs):
            raise RuntimeError("CUDA out of memory\nwhile decoding")

    with pytest.raises(ModelError, match=r"ja: the model of package translate-en_ja-learned failed while translating "
                                         r"\(RuntimeError: CUDA out of memory while decoding\)"):
        _engine(Broken()).translate(["Hello."])


def test_the_longer_retry_beyond_a_models_positions_keeps_and_flags_the_output():
    engine = _engine(_LearnedPositions({"▁long": 40, "▁short": 3}), limit=8)
    assert engine.translate(["long", "short"]) == [" ".join(["w"] * 8), "w w w"]
    assert engine.cut_off == {"long"} and "out of range" in engine.cut_off_reason


def test_a_cut_off_output_is_flagged_in_the_notes():
    from support.scripted_engines import ScriptedEngine

    from pipeline.core.release import Segment
    from pipeline.translation.stage import translate_segments

    class CutEngine(ScriptedEngine):
        def translate(self, texts):
            self.cut_off = {t for t in texts if t.startswith("Long")}
            self.cut_off_reason = "RuntimeError: out of positions"
            return super().translate(texts)

    segments = [Segment("s1", "sentence", 1, 1, "Long sentence here."), Segment("s2", "sentence", 1, 2, "Short.")]
    translations = translate_segments(segments, "ja", CutEngine(to_code="ja", lang="ja"))
    flags = {t.segment_id: [f.code for f in t.flags] for t in translations}
    assert flags["s1"].count("cut-off") == 1 and "cut-off" not in flags["s2"]


def test_a_run_whose_model_raises_exits_4_with_one_line(installed, sample_copy, tmp_path, cli, monkeypatch):
    import pipeline.translation.engine.argos as argos

    def boom(self, batch, max_decoding_length):
        raise RuntimeError("position 512 is out of range")

    monkeypatch.setattr(argos.ArgosEngine, "_decode", boom)
    monkeypatch.setattr("pipeline.translation.engine.verify._already_verified", lambda folder: True)
    out = tmp_path / "out"
    result = cli("run", sample_copy, "--out", out, "--quiet")
    assert result.exit_code == 4, result.output
    assert "failed while translating (RuntimeError: position 512 is out of range)" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not list(out.rglob("*.docx")) and not list(out.rglob("*.json"))
