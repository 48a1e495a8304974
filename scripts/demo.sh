#!/usr/bin/env bash
# Set up, then translate the sample release. The repository becomes the demo's workspace (`translate init`:
# translate.toml naming ./glossaries, output/, memory.sqlite and models/), so that every `translate` command after
# the demo, from any folder here, finds the same glossary, memory and models without ARGOS_PACKAGES_DIR.
# Uses your installed Argos packages when they serve zh-TW and ja; otherwise builds a DEMO copy model (labelled
# "NOT a translation" in the console and the documents) in the workspace's models/ folder, never in Argos's own.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
serves_both() { "$@" | grep -q "serves zh-TW" && "$@" | grep -q "serves ja"; }
if [ ! -f translate.toml ]; then
  if serves_both .venv/bin/translate --no-workspace models list; then
    .venv/bin/translate init . --models ""   # your real models, where Argos keeps them
  else
    .venv/bin/translate init .
  fi
fi
if ! serves_both .venv/bin/translate models list; then
  .venv/bin/translate models build-demo
fi
.venv/bin/translate run samples/kmu-kumamoto-mou-2025.txt "$@"
echo "Open output/kmu-kumamoto-mou-2025/*.review.docx in Word or LibreOffice."
echo "Next: source .venv/bin/activate, then e.g. translate run RELEASE.docx from any folder of this repository."
