#!/usr/bin/env bash
# Builds casebook with profile-guided optimisation (PGO), as the release workflow does for
# the binaries it publishes: an instrumented build runs a training workload (a generated
# corpus imported as text and as the website's HTML, built and checked, and this
# repository's default site built), then the release build is optimised with the profile
# it recorded. The binary builds the same sites byte for byte, in less time
# (docs/benchmarks.md).
#
#   bash scripts/pgo.sh                  # -> target/pgo/release/casebook
#   bash scripts/pgo.sh --target TRIPLE  # -> target/pgo/TRIPLE/release/casebook
#
# The training runs what it builds, so TRIPLE must be one this machine runs. It needs
# llvm-profdata of the compiler's LLVM version: rustup's llvm-tools component (tried first,
# added when missing), or the distribution's llvm-NN package (installed with apt-get where
# that is possible). Work happens under target/ (pgo-generate, pgo-train, pgo).
set -euo pipefail
cd "$(dirname "$0")/.."

target=""
if [ "${1:-}" = "--target" ]; then
  target="${2:?--target needs a target triple}"
fi
target_flag=""
target_part=""
if [ -n "$target" ]; then
  target_flag="--target=$target"
  target_part="$target/"
fi

# An absolute path as the compiler reads it (a Windows path under Git Bash).
native_path() {
  (cd "$1" && { pwd -W 2>/dev/null || pwd; })
}

llvm_major=$(rustc -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')

# llvm-profdata of the compiler's LLVM version, or nothing.
find_profdata() {
  local sysroot host p
  sysroot=$(rustc --print sysroot | tr '\\' /)
  host=$(rustc -vV | sed -n 's/^host: //p')
  for p in "$sysroot/lib/rustlib/$host/bin/llvm-profdata" "$sysroot/lib/rustlib/$host/bin/llvm-profdata.exe"; do
    if [ -x "$p" ]; then
      echo "$p"
      return 0
    fi
  done
  for p in "llvm-profdata-$llvm_major" "/usr/lib/llvm-$llvm_major/bin/llvm-profdata" llvm-profdata; do
    if command -v "$p" >/dev/null 2>&1 && "$p" --version 2>/dev/null | grep -q "LLVM version $llvm_major\."; then
      command -v "$p"
      return 0
    fi
  done
  return 1
}

profdata=$(find_profdata || true)
if [ -z "$profdata" ] && command -v rustup >/dev/null 2>&1; then
  rustup component add llvm-tools >/dev/null 2>&1 || true
  profdata=$(find_profdata || true)
fi
if [ -z "$profdata" ] && command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "llvm-$llvm_major" >/dev/null 2>&1 || true
  profdata=$(find_profdata || true)
fi
if [ -z "$profdata" ]; then
  echo "pgo: no llvm-profdata for LLVM $llvm_major (the compiler's): add rustup's llvm-tools component or install llvm-$llvm_major" >&2
  exit 1
fi
echo "pgo: llvm-profdata: $profdata"

train=target/pgo-train
rm -rf "$train"
mkdir -p "$train/profiles"
profiles=$(native_path "$train/profiles")

echo "pgo: the corpus generator, not instrumented (target/pgo-tools)"
# Built on its own: an example brings in the dev-dependencies, whose features would make
# some crates differ from the binary's and their profile not match.
CARGO_TARGET_DIR=target/pgo-tools CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
  cargo build --release --locked --quiet --example corpus $target_flag
exe=""
case "$(rustc -vV | sed -n 's/^host: //p')" in *windows*) exe=".exe" ;; esac
corpus="target/pgo-tools/${target_part}release/examples/corpus$exe"

echo "pgo: instrumented build (target/pgo-generate)"
RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-generate=$profiles" CARGO_TARGET_DIR=target/pgo-generate \
  cargo build --release --locked --quiet --bin casebook $target_flag
cb="target/pgo-generate/${target_part}release/casebook$exe"

echo "pgo: training (its output in $train/training.log)"
log="$train/training.log"
# Runs a training step, its output to the log; a failed step stops the script.
run() {
  if ! "$@" >>"$log" 2>&1; then
    echo "pgo: a training step failed: $*" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
}
run "$corpus" 2000 "$train/text"
run "$corpus" --html 1000 "$train/html"
run "$cb" init "$train/site"
run "$cb" --root "$train/site" import "$train/text"
run "$cb" --root "$train/site" build
run "$cb" --root "$train/site" check
run "$cb" --root "$train/site" import "$train/text"
run "$cb" init "$train/site-html"
run "$cb" --root "$train/site-html" import "$train/html"
run "$cb" --root . build --output "$train/default-site"

"$profdata" merge -o "$train/merged.profdata" "$train"/profiles/*.profraw
# Cargo does not look into the profile: named by its checksum, a new profile is a new flag,
# and everything is built again with it.
sum=$(cksum <"$train/merged.profdata" | cut -d ' ' -f 1)
mv "$train/merged.profdata" "$train/casebook-$sum.profdata"
merged=$(native_path "$train")/casebook-$sum.profdata

echo "pgo: optimised build (target/pgo)"
RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-use=$merged -Cllvm-args=-pgo-warn-missing-function=false" \
  CARGO_TARGET_DIR=target/pgo cargo build --release --locked --quiet --bin casebook $target_flag
echo "pgo: built target/pgo/${target_part}release/casebook$exe"
