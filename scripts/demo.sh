#!/usr/bin/env bash
# Set up, then translate the sample release. Uses real Argos packages when installed; otherwise builds
# a DEMO copy model (labelled "NOT a translation" in the console and the documents) in .demo-packages/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if ! .venv/bin/translate models list | grep -q "serves zh-TW" || ! .venv/bin/translate models list | grep -q "serves ja"; then
  export ARGOS_PACKAGES_DIR="$PWD/.demo-packages"
  if ! .venv/bin/translate models list | grep -q "serves ja"; then
    .venv/bin/translate models build-demo
  fi
fi
.venv/bin/translate run samples/kmu-kumamoto-mou-2025.txt --out output "$@"
echo "Open output/kmu-kumamoto-mou-2025/*.review.docx in Word or LibreOffice."
