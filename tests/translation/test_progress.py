"""Progress for long translations: counted inside the one batched call, drawn only on a terminal."""

from __future__ import annotations

import importlib

from support.paths import SAMPLE
from pipeline.translation.engine.argos import load_engine
from pipeline.translation.engine.base import DecodeOptions

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


def test_no_bar_when_stderr_is_not_a_terminal(installed, sample_copy, tmp_path, cli, monkeypatch):
    result = cli("run", sample_copy, "--out", tmp_path / "out", "--no-glossary")  # CliRunner's stderr: no terminal
    assert result.exit_code == 0 and "20/20" not in result.output and SAMPLE.name in result.output
    assert "%" not in result.output and "\r" not in result.output
    # The same run on a terminal draws the bar: what is missing above is the bar, not the progress.
    monkeypatch.setattr(cli_run, "_stderr_is_terminal", lambda: True)
    drawn = cli("run", sample_copy, "--out", tmp_path / "out2", "--no-glossary")
    assert drawn.exit_code == 0 and "zh-TW: 100%" in drawn.output and "20/20" in drawn.output


# ---------------------------------------------------------------------------------------------- lines in logs


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_lines_every_interval_and_a_closing_line(capsys):
    import io

    from pipeline.files.progress_lines import ProgressLines

    clock, out = FakeClock(), io.StringIO()
    lines = ProgressLines("write big.ja.review.docx", "rows", stream=out, interval=5, clock=clock)
    for done in range(1, 10_001):
        clock.now += 0.003  # 30 s for the whole document
        lines(done, 10_000)
    written = out.getvalue().splitlines()
    assert 5 <= len(written) <= 7  # one every 5 s, and the closing line
    assert written[0].startswith("write big.ja.review.docx: 1,6") and written[0].endswith("rows (16%), 5 s")
    assert written[-1] == "write big.ja.review.docx: 10,000/10,000 rows (100%), 30 s, done"

    # A pass that ends within the interval writes nothing; the same callback serves the next pass afresh.
    out.truncate(0), out.seek(0)
    for done in range(1, 101):
        clock.now += 0.01
        lines(done, 100)
    assert out.getvalue() == ""
    for done in range(1, 3):
        clock.now += 6
        lines(done, 2)
    assert out.getvalue().splitlines() == ["write big.ja.review.docx: 2/2 rows (100%), 6 s, done"]  # 1/2 came at 0 s


def test_run_logs_progress_lines_when_stderr_is_not_a_terminal(installed, sample_copy, tmp_path, cli, monkeypatch):
    import pipeline.files.progress_lines

    monkeypatch.setattr(pipeline.files.progress_lines, "INTERVAL_SECONDS", 0.0)  # every step is "a few seconds"
    result = cli("run", sample_copy, "--out", tmp_path / "out", "--no-glossary")
    assert result.exit_code == 0, result.output
    name = sample_copy.stem
    for lang in ("zh-TW", "ja"):
        assert f"translate {lang}: 20/20 segments (100%)" in result.output
        assert f"write {name}.{lang}.review.docx: 21/21 rows (100%)" in result.output
    assert "\r" not in result.output  # lines, not a redrawn bar
    quiet = cli("run", sample_copy, "--out", tmp_path / "out2", "--no-glossary", "--quiet")
    assert quiet.exit_code == 0 and "rows" not in quiet.output
