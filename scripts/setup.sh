#!/usr/bin/env bash
# Create .venv with the pipeline and its test tools. Idempotent; safe to rerun.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
# argostranslate depends on stanza, which depends on torch. Installing the CPU build of torch first keeps
# pip from fetching a multi-GB CUDA build (the pipeline never imports torch: see README, "Dependencies").
if ! .venv/bin/python -c "import torch" 2>/dev/null; then
  .venv/bin/python -m pip install --quiet "torch==2.13.0"
fi
.venv/bin/python -m pip install --quiet -e ".[test]"
echo "Ready: .venv/bin/translate --help"
