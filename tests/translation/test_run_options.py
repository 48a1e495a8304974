"""`translate run`'s model options: --draft (beam 1), --threads shared out among the languages side by side,
--one-language-at-a-time (pipeline/cli/run.py, pipeline/translation/side_by_side.py)."""

from __future__ import annotations

import pytest

from pipeline.translation.engine import argos

from support.paths import GLOSSARY


@pytest.fixture
def loaded(monkeypatch):
    """The DecodeOptions each model of a run is loaded with, by language."""
    seen = {}
    real = argos.load_engine

    def load_engine(lang, options, *args, **kwargs):
        seen[lang] = options
        return real(lang, options, *args, **kwargs)

    monkeypatch.setattr(argos, "load_engine", load_engine)
    return seen


def _run(cli, sample_copy, tmp_path, *options):
    return cli("run", sample_copy, "--out", tmp_path / "out", "--glossary", GLOSSARY, "-q", *options)


def test_draft_decodes_with_beam_1(installed, cli, sample_copy, tmp_path, loaded):
    assert _run(cli, sample_copy, tmp_path, "--draft").exit_code == 0
    assert {lang: o.beam_size for lang, o in loaded.items()} == {"zh-TW": 1, "ja": 1}
    assert (tmp_path / "out" / sample_copy.stem / f"{sample_copy.stem}.ja.review.docx").is_file()


def test_draft_with_another_beam_size_is_a_usage_error(installed, cli, sample_copy, tmp_path, loaded):
    result = _run(cli, sample_copy, tmp_path, "--draft", "--beam-size", "4")
    assert result.exit_code == 2 and "--draft" in result.output and "--beam-size 4" in result.output
    assert not loaded and not (tmp_path / "out").exists()
    assert _run(cli, sample_copy, tmp_path, "--draft", "--beam-size", "1").exit_code == 0


def test_the_threads_are_shared_out_side_by_side_and_kept_whole_in_turn(installed, cli, sample_copy, tmp_path, loaded):
    assert _run(cli, sample_copy, tmp_path, "--threads", "2").exit_code == 0
    side = {lang: (o.threads, o.batch_type, o.max_batch_size) for lang, o in loaded.items()}
    assert side == {"zh-TW": (1, "tokens", 32 * 64 // 2), "ja": (1, "tokens", 32 * 64 // 2)}
    loaded.clear()
    assert _run(cli, sample_copy, tmp_path, "--threads", "2", "--one-language-at-a-time", "--force").exit_code == 0
    assert {lang: (o.threads, o.batch_type, o.max_batch_size) for lang, o in loaded.items()} == {
        "zh-TW": (2, "examples", 32), "ja": (2, "examples", 32)
    }
    loaded.clear()
    assert _run(cli, sample_copy, tmp_path, "--threads", "1", "--batch-size", "8", "--force").exit_code == 0
    assert {o.threads for o in loaded.values()} == {1} and {o.max_batch_size for o in loaded.values()} == {8}
