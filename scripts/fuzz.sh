#!/usr/bin/env bash
# Runs casebook's fuzz targets (fuzz/, cargo-fuzz on the nightly toolchain), one at a time,
# and prints a summary table at the end.
#
#   bash scripts/fuzz.sh                 # every target, 600 s each
#   bash scripts/fuzz.sh import_html 60  # one target, 60 s
#   bash scripts/fuzz.sh all 60          # every target, 60 s each
#
# The corpora start from the seeds and fixtures (fuzz/corpus/<target>/, not committed; the
# HTML target's from the HTML renditions of every text page and the HTML fixtures, with the
# dictionary fuzz/dicts/html.dict). A crash, timeout or out-of-memory input is saved in
# fuzz/artifacts/<target>/ and replayed with `cargo +nightly fuzz run <target> <file>`.
# One process per target, so a shared machine keeps its other cores. Inputs slower than 1 s
# count as failures (-timeout=1) and memory is capped at 512 MB (-rss_limit_mb=512).
# Each run's full output is kept in fuzz/logs/<target>.log, the table in
# fuzz/logs/summary-<target, or all>.txt. "slowest input" is the slowest input of the final corpus, replayed
# once each after the run (libFuzzer's own figure is in whole seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
# AddressSanitizer keeps up to 256 MB of freed memory by default, which the 512 MB limit
# then counts: a long run over a grown corpus stopped "out of memory" with no input at
# fault. A smaller quarantine keeps the limit about the inputs.
export ASAN_OPTIONS="${ASAN_OPTIONS:-quarantine_size_mb=64}"

all=(import_text import_html html_quick load_content render_decision links_finish search_files)
targets=("${all[@]}")
[ $# -ge 1 ] && [ "$1" != all ] && targets=("$1")
seconds=${2:-600}
triple=$(rustc -vV | sed -n 's/^host: //p')

command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
cargo +nightly --version >/dev/null 2>&1 || { echo "fuzz: needs the nightly toolchain (rustup toolchain install nightly)"; exit 1; }

# Copies files into a corpus, each named after its path so that names never collide.
add() {
  local dir=$1; shift
  for f; do cp "$f" "$dir/$(echo "$f" | tr / _)"; done
}

text_pages() {
  find tests/fixtures/seeds tests/fixtures/raw tests/fixtures/kinds -name '*.txt' | sort
}

seed() {
  local target=$1 dir=fuzz/corpus/$1
  mkdir -p "$dir"
  case $target in
    import_text) add "$dir" $(text_pages) ;;
    import_html | html_quick)
      add "$dir" tests/fixtures/html/*.html
      cargo build --quiet --example html_rendition
      for f in $(text_pages); do
        target/debug/examples/html_rendition "$f" >"$dir/$(echo "$f" | tr / _).html" 2>/dev/null \
          || rm -f "$dir/$(echo "$f" | tr / _).html"
      done ;;
    links_finish)
      # A built default site's pages, each behind the byte that picks its depth.
      local site
      site=$(mktemp -d)
      cargo run --quiet --release -- build --output "$site/public" >/dev/null
      for f in $(find "$site/public" -name '*.html' | sort); do
        { printf 'b'; cat "$f"; } >"$dir/$(echo "${f#"$site"/}" | tr / _)"
      done
      rm -rf "$site" ;;
    search_files)
      # A built default site's pair files.
      local site
      site=$(mktemp -d)
      cargo run --quiet --release -- build --output "$site/public" >/dev/null
      add "$dir" $(find "$site/public/search/index/pairs" -name '*.bin' | sort)
      rm -rf "$site" ;;
    *) add "$dir" $(find content/decisions tests/fixtures/sites tests/fixtures/invalid -name '*.md' | sort) ;;
  esac
}

# The slowest input of a corpus, in ms: each file run once by the fuzz binary.
slowest() {
  local bin=fuzz/target/$triple/release/$1
  find "fuzz/corpus/$1" -type f -print0 \
    | xargs -0 -n 200 "$bin" -rss_limit_mb=512 2>&1 \
    | sed -n 's/^Executed .* in \([0-9]*\) ms$/\1/p' | sort -n | tail -1 || true
}

final() { sed -n "s/^stat::$1: *//p" "$2" | tail -1; }

mkdir -p fuzz/logs
rows=()
for target in "${targets[@]}"; do
  seed "$target"
  dict=()
  [ -f "fuzz/dicts/${target#import_}.dict" ] && dict=(-dict="dicts/${target#import_}.dict")
  # Links are finished in HTML pages: the HTML target's markup words serve it too.
  [ "$target" = links_finish ] || [ "$target" = html_quick ] && dict=(-dict=dicts/html.dict)
  mkdir -p "fuzz/artifacts/$target"
  before=$(find "fuzz/artifacts/$target" -type f | wc -l)
  log=fuzz/logs/$target.log
  echo "fuzz: $target for ${seconds}s (log: $log)"
  start=$SECONDS
  status=0
  (cd fuzz && cargo +nightly fuzz run "$target" "corpus/$target" -- \
      -max_total_time="$seconds" -timeout=1 -rss_limit_mb=512 -print_final_stats=1 \
      ${dict[@]+"${dict[@]}"}) >"$log" 2>&1 || status=$?
  took=$((SECONDS - start))
  grep -E "^#[0-9]+.*(DONE|pulse)|^stat::|^Done |SUMMARY|ERROR|panicked|Test unit written" "$log" | tail -20 || true
  [ "$status" -ne 0 ] && echo "fuzz: $target stopped with status $status: see $log"
  found=$(( $(find "fuzz/artifacts/$target" -type f | wc -l) - before ))
  slow=$(slowest "$target")
  rows+=("$(printf '%-16s %7s %12s %7s %7s %9s %9s' "$target" "$took" \
    "$(final number_of_executed_units "$log")" "$(final average_exec_per_sec "$log")" \
    "$found" "${slow:-?} ms" "$(final peak_rss_mb "$log") MB")")
done

{
  printf '%-16s %7s %12s %7s %7s %9s %9s\n' target seconds executions exec/s crashes slowest "peak RSS"
  printf '%s\n' "${rows[@]}"
} | tee fuzz/logs/summary-${1:-all}.txt
