#!/usr/bin/env bash
# bench/run.sh — revarch's benchmark suite; writes bench/RESULTS.md.
#
#   bench/run.sh              # the full run (about 10 minutes on 2 cores)
#   QUICK=1 bench/run.sh      # S and M only, fewer runs: a smoke test of the script
#   OUT=/tmp/R.md bench/run.sh  # write somewhere else than bench/RESULTS.md
#
# What it does, in order:
#  1. installs Graphviz (dot), hyperfine, GNU time and Node.js from Debian's packages if
#     missing, and elkjs (ELK layered) from the npm registry into bench/.elk (gitignored);
#  2. builds revarch (release) and the benchmark table (bench/table.rs);
#  3. generates the synthetic models with `revarch gen` (S 30, M 300, L 3,000, XL 30,000
#     systems, and a doubling series for the growth curve), seed 1;
#  4. times whole processes with hyperfine (median of 5): check on L and XL, report on the
#     reference model, M and L (and on XL, median of 3, with its largest page and total
#     size), check on the doubling series; peak memory with GNU time;
#  5. runs `cargo bench --bench table` for the stage table (S, M, L), the layout
#     comparison with `dot -Tsvg` (reference model, 50, 200, 1,000 systems, S, M, L) and the
#     legibility table (every drawing of the reference model, the examples, S and M, by
#     revarch, dot and ELK, measured by revarch::render::quality at 1920×1080);
#  6. bench/results.py turns all of it into RESULTS.md, each figure next to its target.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${OUT:-$ROOT/bench/RESULTS.md}
QUICK=${QUICK:-0}
start=$(date +%s)

say() { printf '\n== %s (%ds)\n' "$*" "$(($(date +%s) - start))" >&2; }

# -------------------------------------------------------------- 1. tools
need=()
command -v dot >/dev/null 2>&1 || need+=(graphviz)
command -v hyperfine >/dev/null 2>&1 || need+=(hyperfine)
[ -x /usr/bin/time ] || need+=(time)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
    say "installing ${need[*]}"
    SUDO=
    [ "$(id -u)" = 0 ] || SUDO=sudo
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 ||
        { $SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq "${need[@]}" >/dev/null; }
fi

ELK_VERSION=0.12.1
if [ ! -f bench/.elk/node_modules/elkjs/lib/elk.bundled.js ] ||
    ! grep -q "\"version\": \"$ELK_VERSION\"" bench/.elk/node_modules/elkjs/package.json; then
    say "installing elkjs $ELK_VERSION into bench/.elk"
    mkdir -p bench/.elk
    npm install --prefix bench/.elk --no-audit --no-fund --silent "elkjs@$ELK_VERSION" >&2
fi

# -------------------------------------------------------------- 2. build
say "building (release)"
cargo build --release --quiet
cargo bench --bench table --no-run --quiet 2>/dev/null || cargo bench --bench table --no-run
BIN=$ROOT/target/release/revarch

WORK=$(mktemp -d "${TMPDIR:-/tmp}/revarch-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# -------------------------------------------------------------- 3. models
if [ "$QUICK" = 1 ]; then
    RUNS=3
    SCALES="S:30 M:300"
    GROWTH="150 300 600"
    TABLE_SCALES=S,M
    LAYOUT_SCALES=models,S,50,200,M
else
    RUNS=5
    SCALES="S:30 M:300 L:3000 XL:30000"
    GROWTH="1500 3000 6000 12000 24000"
    TABLE_SCALES=S,M,L
    LAYOUT_SCALES=models,S,50,200,M,1000,L
fi
say "generating models"
for s in $SCALES; do
    "$BIN" gen --systems "${s#*:}" --seed 1 --out "$WORK/${s%%:*}" --force >&2
done
for n in $GROWTH; do
    "$BIN" gen --systems "$n" --seed 1 --out "$WORK/g$n" --force >/dev/null
done

# -------------------------------------------------------------- 4. whole processes
# Each command: hyperfine (median of $RUNS, one warm-up; check exits 1 when it finds
# problems, hence -i) and one run under GNU time for the peak resident memory.
: >"$WORK/commands.tsv"
measure() { # name, command...
    local name=$1
    shift
    hyperfine -N -i --warmup 1 --runs "$RUNS" --export-json "$WORK/hf-$name.json" \
        --command-name "$name" -- "$*" >/dev/null 2>&1 ||
        hyperfine -i --warmup 1 --runs "$RUNS" --export-json "$WORK/hf-$name.json" \
            --command-name "$name" -- "$*" >/dev/null
    /usr/bin/time -f "%M" -o "$WORK/mem-$name" "$@" >/dev/null 2>&1 || true
    printf '%s\t%s\n' "$name" "$*" >>"$WORK/commands.tsv"
    printf '  %-22s %s s\n' "$name" "$(python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["results"][0]["median"],3))' "$WORK/hf-$name.json")" >&2
}
pages() { # folder → "largest-bytes largest-name total-bytes files"
    find "$1" -maxdepth 1 -type f -name '*.html' -printf '%s %f\n' |
        sort -k1,1nr -k2 | awk '{ t += $1; n += 1; if (NR == 1) { b = $1; f = $2 } } END { print b, f, t, n }'
}
say "whole processes (hyperfine, median of $RUNS)"
for s in $SCALES; do
    name=${s%%:*}
    measure "check-$name" "$BIN" check "$WORK/$name"
done
measure report-ref "$BIN" report models --out "$WORK/out-ref"
for s in $SCALES; do
    name=${s%%:*}
    [ "$name" = XL ] && continue
    measure "report-$name" "$BIN" report "$WORK/$name" --out "$WORK/out-$name"
done
# the report at XL: fewer runs (each takes half a minute), and the size of what it
# wrote (largest page, total) for the page-budget targets
if [[ " $SCALES " == *" XL:"* ]]; then
    RUNS=3 measure report-XL "$BIN" report "$WORK/XL" --out "$WORK/out-XL"
    pages "$WORK/out-XL" >"$WORK/pages-report-XL"
fi
for n in $GROWTH; do
    measure "growth-$n" "$BIN" check "$WORK/g$n"
done

# -------------------------------------------------------------- 5. stages and layout
say "stage table, layout vs dot, legibility (cargo bench --bench table)"
cargo bench --quiet --bench table -- --scales "$TABLE_SCALES" --layout-scales "$LAYOUT_SCALES" \
    --legibility models,examples,S,M --runs "$RUNS" --dot-timeout 60 --json "$WORK/table.json" \
    >"$WORK/table.md"

# -------------------------------------------------------------- 6. RESULTS.md
say "writing $OUT"
python3 bench/results.py "$WORK" "$(($(date +%s) - start))" "$QUICK" >"$WORK/RESULTS.md"
mv "$WORK/RESULTS.md" "$OUT"
say "done"
