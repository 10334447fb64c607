#!/usr/bin/env bash
# The whole benchmark in one command, on the real-sized corpus, ending in one table:
# - build of 10,000, 50,000 and 100,000 decisions (the build bench: median of runs, steps
#   from CASEBOOK_TIMINGS, peak memory);
# - import of the largest size into a fresh site, then re-import of 10,000 unchanged pages,
#   and import of the same 10,000 pages as the website's HTML;
# - `casebook check` on each of those sites, right after its build (check's steps too);
# - `serve` at 10,000 decisions: first page served, text edit and council move latency
#   (40 text edits, 10 council moves), resident memory.
# Each row gives wall-clock seconds, CPU seconds (user+sys) and peak memory (GNU time).
# Sizes can be changed: CASEBOOK_BENCH_SIZES=1000,10000 bash scripts/bench.sh
# CASEBOOK_BENCH_PGO=1 measures the profile-guided build (scripts/pgo.sh), as the release
# workflow publishes it, for build, check and import (serve's figures come from an example
# program, which is not profile-guided).
# Scratch space: CASEBOOK_BENCH_DIR (default /dev/shm/casebook-bench-build when it exists).
set -euo pipefail
cd "$(dirname "$0")/.."
export CASEBOOK_BENCH_SIZES="${CASEBOOK_BENCH_SIZES:-10000,50000,100000}"
export CASEBOOK_BENCH_RUNS="${CASEBOOK_BENCH_RUNS:-1}"
if [ -z "${CASEBOOK_BENCH_DIR:-}" ]; then
  if [ -d /dev/shm ]; then CASEBOOK_BENCH_DIR=/dev/shm/casebook-bench-build; else CASEBOOK_BENCH_DIR="${TMPDIR:-/tmp}/casebook-bench-build"; fi
fi
export CASEBOOK_BENCH_DIR
scratch="$CASEBOOK_BENCH_DIR"
mkdir -p "$scratch"
table="$scratch/table.md"
: >"$table"

cargo build --release --quiet --bin casebook --example corpus --example serve_latency
bin=target/release/casebook
if [ "${CASEBOOK_BENCH_PGO:-}" = 1 ]; then
  bash scripts/pgo.sh
  bin=target/pgo/release/casebook
  export CASEBOOK_BENCH_BIN="$PWD/$bin"
fi
echo "== measuring $bin"

# measure LABEL CMD...: runs CMD under GNU time, adds a row, keeps its stderr in $scratch/last.err
measure() {
  local label="$1"
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$scratch/time" "$@" >"$scratch/last.out" 2>"$scratch/last.err"
  read -r wall user sys kib <"$scratch/time"
  local steps
  steps=$(sed -n 's/^timing: \([a-z ]*\) \([0-9.]*\) s$/\1 \2 s/p' "$scratch/last.err" | paste -sd ',' - | sed 's/,/, /g')
  printf '| %s | %s s | %.2f s | %d MiB | %s |\n' "$label" "$wall" "$(awk "BEGIN{print $user + $sys}")" "$((kib / 1024))" "${steps:--}" >>"$table"
}

echo "== build: ${CASEBOOK_BENCH_SIZES} decisions (sites kept under $scratch)"
cargo bench --bench build
largest=0
for n in ${CASEBOOK_BENCH_SIZES//,/ }; do
  site="$scratch/$n"
  rm -rf "$site/public"
  CASEBOOK_TIMINGS=1 measure "build $n" "$bin" --root "$site" build
  rm -rf "$site/public"
  CASEBOOK_TIMINGS=1 measure "check $n" "$bin" --root "$site" check
  [ "$n" -gt "$largest" ] && largest=$n
done

echo "== import and re-import"
raw="$scratch/raw"
fresh="$scratch/import"
for n in $largest 10000; do
  rm -rf "$raw" "$fresh"
  target/release/examples/corpus "$n" "$raw" >/dev/null
  "$bin" init "$fresh" >/dev/null
  measure "import $n" "$bin" --root "$fresh" import "$raw"
  if [ "$n" = 10000 ]; then
    measure "re-import 10000 unchanged" "$bin" --root "$fresh" import "$raw"
    echo "== import of the same 10000 as the website's HTML"
    rm -rf "$raw" "$fresh"
    target/release/examples/corpus --html "$n" "$raw" >/dev/null
    "$bin" init "$fresh" >/dev/null
    measure "import html 10000" "$bin" --root "$fresh" import "$raw"
  fi
done
rm -rf "$raw" "$fresh"

echo "== serve at 10,000 decisions"
measure "serve 10000 (40 edits, 10 moves)" target/release/examples/serve_latency --decisions 10000 --edits 40 --moves 10 --builder real
serve_out=$(cat "$scratch/last.out")

echo
echo "load: $(uptime)"
echo "| run | wall | cpu (user+sys) | peak memory | steps |"
echo "| --- | --- | --- | --- | --- |"
cat "$table"
echo
echo "$serve_out"
