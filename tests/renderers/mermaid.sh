#!/usr/bin/env bash
# Checks revarch's Mermaid output with the real Mermaid parser, versions 10
# and 11 (GitHub renders ```mermaid blocks with one of them): every view of
# the reference model (`render --format mermaid`) and the Mermaid goldens
# (diff drawings, hostile names). Installs node/npm from Debian's packages
# and mermaid + jsdom from the npm registry into a temporary folder; skips
# (exit 0) when they cannot be installed. Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=target/debug/revarch
[ -x "$bin" ] || cargo build -q

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "installing nodejs npm"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; } >/tmp/revarch-apt-node.log 2>&1; then
    echo "mermaid: could not install node (see /tmp/revarch-apt-node.log); SKIPPED"
    exit 0
  fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" render models --out "$work/views" --format mermaid --view ov-2 --view ov-5b \
  --view sv-1 --view sv-2 --view div-2 --entity account 2>/dev/null
files=("$work"/views/*.mmd "$PWD"/tests/golden/render/*.mmd)

fail=0
for version in 10 11; do
  dir="$work/mermaid-$version"
  mkdir -p "$dir"
  if ! (cd "$dir" && npm init -y >/dev/null 2>&1 &&
        npm install --no-audit --no-fund --loglevel=error "mermaid@$version" jsdom >npm.log 2>&1); then
    echo "mermaid $version: could not install from npm (see output below); SKIPPED"
    tail -5 "$dir/npm.log" || true
    continue
  fi
  cp tests/renderers/mermaid_check.mjs "$dir/"
  echo "== mermaid $(node -p "require('$dir/node_modules/mermaid/package.json').version")"
  (cd "$dir" && node mermaid_check.mjs "${files[@]}") || fail=1
done
if [ $fail -ne 0 ]; then echo "mermaid: FAILED"; exit 1; fi
echo "mermaid: every file parses as written"
