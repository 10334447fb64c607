#!/usr/bin/env bash
# Runs casebook's fuzz targets (fuzz/, cargo-fuzz on the nightly toolchain), one at a time.
#
#   bash scripts/fuzz.sh                 # every target, 600 s each
#   bash scripts/fuzz.sh import_text 60  # one target, 60 s
#
# The corpora start from the seeds and fixtures (fuzz/corpus/<target>/, not committed); a
# crash is saved in fuzz/artifacts/<target>/ and replayed with
# `cargo +nightly fuzz run <target> <file>`. One job and one worker, so a shared machine
# keeps its other cores. Every run's last lines (executions, peak memory) are printed;
# inputs slower than 1 s count as failures (-timeout=1), and memory is capped at 512 MB.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(import_text load_content render_decision)
[ $# -ge 1 ] && targets=("$1")
seconds=${2:-600}

command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
cargo +nightly --version >/dev/null 2>&1 || { echo "fuzz: needs the nightly toolchain (rustup toolchain install nightly)"; exit 1; }

seed() {
  local target=$1 dir=fuzz/corpus/$1
  mkdir -p "$dir"
  case $target in
    import_text) cp tests/fixtures/seeds/*.txt tests/fixtures/raw/*.txt "$dir"/ ;;
    *) find content/decisions tests/fixtures/sites tests/fixtures/invalid -name '*.md' \
         -exec sh -c 'for f; do cp "$f" "$0/$(echo "$f" | tr / _)"; done' "$dir" {} + ;;
  esac
}

for target in "${targets[@]}"; do
  seed "$target"
  echo "fuzz: $target for ${seconds}s"
  (cd fuzz && cargo +nightly fuzz run "$target" "corpus/$target" -- \
      -max_total_time="$seconds" -jobs=1 -workers=1 -timeout=1 -rss_limit_mb=512 \
      -print_final_stats=1) 2>&1 | tee "fuzz/$target.log" | grep -E "^#[0-9]+.*(DONE|pulse)|stat::|SUMMARY|ERROR|Slowest|slowest" || true
done
