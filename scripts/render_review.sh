#!/usr/bin/env bash
# Render Word documents the way a reviewer would see them, without Word: PDF (LibreOffice headless) and one PNG
# per page (poppler's pdftoppm). For a human look at review, published and bilingual documents.
#
#   bash scripts/render_review.sh DOCX... [--out DIR] [--dpi N]
#
# Writes DIR/<name>.pdf and DIR/<name>-<page>.png (DIR defaults to ./render next to nothing else: ./render).
# Needs `soffice` (Debian: libreoffice-writer-nogui; fonts-noto-cjk for Chinese and Japanese) and `pdftoppm`
# (poppler-utils). LibreOffice runs with a throw-away profile, so it neither disturbs nor waits for an open
# LibreOffice.
set -euo pipefail

out="render"
dpi=80
docs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --dpi) dpi="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) docs+=("$1"); shift ;;
  esac
done
if [ ${#docs[@]} -eq 0 ]; then
  echo "usage: bash scripts/render_review.sh DOCX... [--out DIR] [--dpi N]" >&2
  exit 2
fi
for tool in soffice pdftoppm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$tool not found: install libreoffice-writer-nogui, fonts-noto-cjk and poppler-utils" >&2
    exit 3
  fi
done
mkdir -p "$out"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
for doc in "${docs[@]}"; do
  if [ ! -f "$doc" ]; then
    echo "$doc: no such file" >&2
    exit 3
  fi
  name="$(basename "${doc%.*}")"
  soffice -env:UserInstallation="file://$profile" --headless --convert-to pdf --outdir "$out" "$doc" >/dev/null 2>&1
  if [ ! -s "$out/$name.pdf" ]; then
    echo "$doc: LibreOffice did not produce a PDF" >&2
    exit 1
  fi
  rm -f "$out/$name"-*.png
  pdftoppm -png -r "$dpi" "$out/$name.pdf" "$out/$name"
  pages=$(ls "$out/$name"-*.png | wc -l)
  echo "$doc → $out/$name.pdf, $pages page(s): $out/$name-*.png"
done
