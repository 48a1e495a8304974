"""Engines of a run loaded side by side (pipeline/engine/loading.py): same engines, same first error."""

from __future__ import annotations

import threading

import pytest

from pipeline.engine import argos
from pipeline.engine.base import DecodeOptions
from pipeline.engine.loading import load_engines
from pipeline.errors import ModelError


def test_loads_every_target_in_order(installed):
    engines = load_engines(("zh-TW", "ja"), DecodeOptions(threads=1, beam_size=1))
    assert list(engines) == ["zh-TW", "ja"]
    assert engines["ja"].translate(["Kumamoto University"]) == ["Kumamoto University"]  # identity model
    assert engines["zh-TW"].info.to_code == "zt"


def test_loads_run_in_separate_threads(installed, monkeypatch):
    seen = []
    original = argos.load_engine

    def recording(lang, options, *args, **kwargs):
        seen.append(threading.current_thread().name)
        return original(lang, options, *args, **kwargs)

    monkeypatch.setattr(argos, "load_engine", recording)
    load_engines(("zh-TW", "ja"), DecodeOptions(threads=1))
    assert len(seen) == 2 and all(name.startswith("load-model") for name in seen)


def test_first_error_in_target_order_after_every_load_finished(argos_dir, monkeypatch):
    finished = []
    original = argos.load_engine

    def failing(lang, options, *args, **kwargs):
        try:
            raise ModelError(f"no model for {lang}")
        finally:
            finished.append(lang)

    monkeypatch.setattr(argos, "load_engine", failing)
    with pytest.raises(ModelError, match="no model for ja"):
        load_engines(("ja", "zh-TW"), DecodeOptions())
    assert sorted(finished) == ["ja", "zh-TW"]
    monkeypatch.setattr(argos, "load_engine", original)
    with pytest.raises(ModelError, match="ko"):
        load_engines(("ko",), DecodeOptions())
