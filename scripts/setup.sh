#!/usr/bin/env bash
# Prepares a fresh machine: pnpm (pinned) when missing, Debian's Go and golang.org/x/mod for the
# interoperability test against Go's sumdb/note when missing, Debian's chromium for the browser tests
# when missing, then the workspace from the lockfile
# (better-sqlite3 compiles from source here: about 80 s).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v pnpm >/dev/null 2>&1; then
  npm install -g pnpm@10.34.8
fi

if ! command -v go >/dev/null 2>&1 || [ ! -d /usr/share/gocode/src/golang.org/x/mod ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends golang-go golang-golang-x-mod-dev
fi

# Debian's Chromium for the browser tests (test/browser: the offline verifier page and the reports),
# driven by playwright-core; they fail, never skip, without it.
if [ ! -x /usr/bin/chromium ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y chromium
fi

# Debian's sqlite3 shell for the hostile-file tests: they play the holder of a ledger file who edits
# its schema in place (PRAGMA writable_schema), which better-sqlite3's defensive connections refuse.
if ! command -v sqlite3 >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends sqlite3
fi

pnpm install --frozen-lockfile
