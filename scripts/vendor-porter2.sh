#!/usr/bin/env bash
# Vendors the `porter2` npm package (Snowball's English stemmer, MIT licence) into the
# default theme as themes/default/static/porter2.js, wrapped for a plain <script> tag:
# it defines `window.casebookPorter2(word)`. Run it to update the package; the build
# itself needs no npm. tests/search_stemmer.rs checks its stems equal the Rust side's.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-1.1.0}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "porter2@$version" >/dev/null && tar xzf porter2-*.tgz)
out=themes/default/static/porter2.js
{
  echo "/* porter2 $version (npm package \`porter2\`): Snowball's English (Porter2) stemmer."
  echo "   Vendored by scripts/vendor-porter2.sh; do not edit. Its licence:"
  echo
  sed 's/^/   /' "$work/package/LICENSE"
  echo "*/"
  echo "(function () {"
  echo "  var exports = {};"
  cat "$work/package/dist/index.js"
  echo "  window.casebookPorter2 = exports.stem;"
  echo "})();"
} > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out"
