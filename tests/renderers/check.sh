#!/usr/bin/env bash
# Renders every view of the reference model (all themes, plus one lineage,
# plus every focus slide),
# adds the diff drawings' golden SVGs, and checks each SVG in real renderers:
# rsvg-convert (librsvg, what LibreOffice-style tools use) and headless
# Chromium (what browsers and slide tools built on it use). Installs both from Debian's packages when
# missing. Run from the repository root after `cargo build`.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=target/debug/revarch
[ -x "$bin" ] || cargo build -q

need=()
command -v rsvg-convert >/dev/null 2>&1 || need+=(librsvg2-bin)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"; } >/tmp/revarch-apt.log 2>&1; then
    echo "renderers: could not install ${need[*]} (see /tmp/revarch-apt.log); SKIPPED"
    exit 0
  fi
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail=0
for theme in light dark print; do
  "$bin" render models --out "$out/$theme" --theme "$theme" --view ov-2 --view ov-5b \
    --view sv-1 --view sv-2 --view div-2 --entity account 2>/dev/null
  # focus slides (caption with tspans, 16:9 page)
  "$bin" render models --out "$out/$theme-focus" --theme "$theme" --focus all 2>/dev/null
done
"$bin" render models --out "$out/as-is-focus" --state as-is --focus all 2>/dev/null
# the diff drawings (no command draws them yet: their golden files)
mkdir -p "$out/diff" && cp tests/golden/render/diff-*.svg "$out/diff/"
for svg in "$out"/*/*.svg; do
  name=${svg#"$out"/}
  if ! rsvg-convert "$svg" -o "$svg.rsvg.png" 2>"$svg.rsvg.err"; then
    echo "FAIL rsvg-convert $name: $(cat "$svg.rsvg.err")"; fail=1; continue
  fi
  dom=$(timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$out/profile" --dump-dom "file://$svg" 2>/dev/null || true)
  if [ -z "$dom" ] || grep -q "parsererror" <<<"$dom"; then
    echo "FAIL chromium $name: $(grep -o 'parsererror.\{0,200\}' <<<"$dom" | head -1)"; fail=1; continue
  fi
  if ! grep -q '<svg' <<<"$dom"; then
    echo "FAIL chromium $name: no <svg> in the DOM"; fail=1; continue
  fi
  echo "ok   $name"
done
# A deliberately broken file must be caught, or this script proves nothing.
printf '<svg xmlns="http://www.w3.org/2000/svg"><text>a & b</text></svg>' >"$out/broken.svg"
dom=$(timeout 60 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --user-data-dir="$out/profile" --dump-dom "file://$out/broken.svg" 2>/dev/null || true)
if ! grep -q parsererror <<<"$dom"; then echo "FAIL: chromium check does not detect broken SVG"; fail=1; fi
if [ $fail -ne 0 ]; then echo "renderers: FAILED"; exit 1; fi
echo "renderers: all views, focus slides and diff drawings render in rsvg-convert and Chromium"
