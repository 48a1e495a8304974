#!/usr/bin/env bash
# Create .venv with the pipeline and its test tools. Idempotent; safe to rerun.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"
# argostranslate without its declared dependencies: we use only argostranslate.package (format, install location,
# index), which needs packaging and sentencepiece (in pyproject.toml); the rest (stanza -> torch, spaCy, minisbd,
# sacremoses: ~1.2 GB) serves argostranslate.translate, never imported here. Why and how to move the pin:
# requirements/argostranslate.txt and README.md, "Dependencies and why".
.venv/bin/python -m pip install --quiet --no-deps -r requirements/argostranslate.txt
# Byte-compile the package once. It is installed editable (imported from pipeline/), so Python would compile it
# on first use and keep the result in __pycache__ -- unless PYTHONDONTWRITEBYTECODE is set (CI machines, this
# project's build machines): then every `translate` compiled all of pipeline/ again, 0.1-0.2 s of each run.
.venv/bin/python -m compileall -q pipeline
echo "Ready: .venv/bin/translate --help"
