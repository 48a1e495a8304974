"""A 100,000-entry termbase: loads, matches and passes the check (timings live in benchmarks/, not here)."""

from __future__ import annotations

from click.testing import CliRunner

from pipeline.cli.glossary import glossary as glossary_group
from pipeline.glossary import load_glossary

N = 100_000


def write_termbase(path):
    # Written as text: generating it through the YAML emitter would take longer than the test itself.
    lines = []
    for i in range(N):
        lines += [
            f"- id: inst-{i}",
            f"  english: Institute {i} of Marine Studies",
            "  kind: institution",
            "  status: approved",
            "  targets:",
            f"    zh-TW: 海洋研究所{i}號",
            f"    ja: 海洋研究所{i}番",
        ]
    path.write_text("entries:\n" + "\n".join("  " + line for line in lines) + "\n", encoding="utf-8")


def test_hundred_thousand_entries_load_match_and_check(tmp_path, monkeypatch):
    monkeypatch.setenv("TRANSLATE_CACHE_DIR", "")
    termbase = tmp_path / "big.yaml"
    write_termbase(termbase)
    glossary = load_glossary(termbase)
    assert len(glossary.entries) == N
    text = "Institute 99999 of Marine Studies and Institute 5 of Marine Studies met Institute 50000 of Marine Studies."
    found = glossary.find(text)
    assert [m.entry.id for m in found] == ["inst-99999", "inst-5", "inst-50000"]
    assert found[0].target("ja") == "海洋研究所99999番"
    result = CliRunner().invoke(glossary_group, ["check", str(termbase)])
    assert result.exit_code == 0, result.output[-500:]
