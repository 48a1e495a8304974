"""Progress for long translations: counted inside the one batched call, drawn only on a terminal."""

from __future__ import annotations

import importlib

from conftest import SAMPLE
from pipeline.engine.argos import load_engine
from pipeline.engine.base import DecodeOptions

cli_run = importlib.import_module("pipeline.cli.run")  # the package's `run` attribute is the click command

TEXTS = [f"Kumamoto University signed agreement number {n} with the hospital." for n in range(30)]


def test_engine_reports_progress_within_one_call_and_translates_the_same(installed):
    plain = load_engine("ja", DecodeOptions(max_batch_size=4))
    expected = plain.translate(TEXTS)
    counted = load_engine("ja", DecodeOptions(max_batch_size=4))
    seen: list[tuple[int, int]] = []
    counted.progress = lambda done, total: seen.append((done, total))
    assert counted.translate(TEXTS) == expected == TEXTS  # the identity model copies its input
    assert seen == [(n, 30) for n in range(1, 31)]


def test_run_draws_a_segment_bar_per_language_on_a_terminal(installed, sample_copy, tmp_path, cli, monkeypatch):
    monkeypatch.setattr(cli_run, "_stderr_is_terminal", lambda: True)
    result = cli("run", sample_copy, "--out", tmp_path / "out", "--no-glossary")
    assert result.exit_code == 0, result.output
    for lang in ("zh-TW", "ja"):
        assert f"{lang}: 100%" in result.output and "20/20" in result.output  # the dateline is kept verbatim
    quiet = cli("run", sample_copy, "--out", tmp_path / "out2", "--no-glossary", "--quiet")
    assert quiet.exit_code == 0 and "segment" not in quiet.output


def test_no_bar_when_stderr_is_not_a_terminal(installed, sample_copy, tmp_path, cli):
    result = cli("run", sample_copy, "--out", tmp_path / "out", "--no-glossary")
    assert result.exit_code == 0 and "20/20" not in result.output and SAMPLE.name in result.output
