#!/usr/bin/env bash
# Look at the web output of `translate publish --format html` in a real browser: a PNG screenshot per fragment,
# taken by headless Chromium (the fragment wrapped in a minimal page; its images load from beside it).
#
#   bash scripts/render_web.sh HTML... [--out DIR] [--width N]
#
# Writes DIR/<name>.png (DIR defaults to ./render). Needs `chromium` (Debian package chromium; fonts-noto-cjk for
# Chinese and Japanese). Chromium runs with a throw-away profile and no network, sync or updates.
set -euo pipefail

out="render"
width=900
pages=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --width) width="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) pages+=("$1"); shift ;;
  esac
done
if [ ${#pages[@]} -eq 0 ]; then
  echo "usage: bash scripts/render_web.sh HTML... [--out DIR] [--width N]" >&2
  exit 2
fi
if ! command -v chromium >/dev/null 2>&1; then
  echo "chromium not found: install the Debian package chromium (and fonts-noto-cjk)" >&2
  exit 3
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
for fragment in "${pages[@]}"; do
  if [ ! -f "$fragment" ]; then
    echo "$fragment: no such file" >&2
    exit 3
  fi
  dir="$(cd "$(dirname "$fragment")" && pwd)"
  name="$(basename "${fragment%.html}")"
  page="$dir/.$name.page.html"
  lang="$(grep -o 'lang="[^"]*"' "$fragment" | head -1 | cut -d'"' -f2)"
  { printf '<!doctype html><html lang="%s"><head><meta charset="utf-8"><title>%s</title></head><body>' "$lang" "$name"
    cat "$fragment"; printf '</body></html>\n'; } > "$page"
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir="$profile" --window-size="$width,1400" \
    --screenshot="$out/$name.png" "file://$page" >/dev/null 2>&1 || true
  rm -f "$page"
  if [ ! -s "$out/$name.png" ]; then
    echo "$fragment: Chromium did not produce a screenshot" >&2
    exit 1
  fi
  echo "$out/$name.png"
done
