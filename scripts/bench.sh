#!/usr/bin/env bash
# The whole benchmark in one command: generates corpora of 1,000, 10,000 and 100,000
# decisions, imports and builds each (seconds, pages per second, peak memory, output size),
# then measures the serve rebuild latency at 10,000 decisions (save -> new page served).
# Sizes can be changed: CASEBOOK_BENCH_SIZES=1000,10000 bash scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CASEBOOK_BENCH_SIZES="${CASEBOOK_BENCH_SIZES:-1000,10000,100000}"
echo "== build: ${CASEBOOK_BENCH_SIZES} decisions"
cargo bench --bench build
echo "== serve: rebuild latency at 10,000 decisions"
cargo run --release --example serve_latency -- --decisions 10000 --edits 40 --builder real
