#!/usr/bin/env bash
# Installs what the tests need, and only what is missing: Debian's chromium for the browser
# tests, wamerican's word list for the stemmer test, poppler-utils for the print test, Node.js
# and npm where there are none, and the browser tests' npm packages (axe-core, playwright-core).
# The build itself needs none of these. Used by README's set-up and by `.ci/run`.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
[ -f /usr/share/dict/words ] || need_apt+=(wamerican)
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
# A machine that has Node.js from elsewhere keeps it: Debian's npm would conflict with it.
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ ! -d tests/browser-tools/node_modules/axe-core ] || [ ! -d tests/browser-tools/node_modules/playwright-core ]; then
  echo "setup: installing the browser tests' npm packages (axe-core, playwright-core)"
  npm ci --prefix tests/browser-tools --no-audit --no-fund --silent
fi
