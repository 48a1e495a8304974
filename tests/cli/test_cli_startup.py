"""`translate --help` must not pay for model libraries (the figure is in benchmarks/RESULTS.md; no timing here)."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ["torch", "spacy", "stanza", "argostranslate", "ctranslate2", "sentencepiece", "docx", "langdetect",
         "opencc", "pysbd", "yaml", "lxml", "sacrebleu", "rapidfuzz", "translate", "ahocorasick", "numpy"]


def test_help_imports_no_heavy_library():
    code = (
        "import sys, json\n"
        "from click.testing import CliRunner\n"
        "from pipeline.cli import main\n"
        "for args in ([], ['run'], ['models'], ['glossary'], ['review'], ['memory'], ['publish']):\n"
        "    CliRunner().invoke(main, args + ['--help'])\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == []


def test_help_shows_examples_and_exit_codes():
    out = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True, check=True).stdout
    assert "Examples:" in out and "translate run samples/kmu-kumamoto-mou-2025.txt" in out
    assert "3 bad" in out and "130 interrupted" in out
