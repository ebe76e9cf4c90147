#!/usr/bin/env bash
# Installs secretlint and redact-pii from npm into bench/dlp-npm (local, not global) and runs them on the DLP corpus.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/bench"
command -v node >/dev/null || { echo "dlp-compare: node and npm are needed (apt-get install nodejs npm)" >&2; exit 2; }
[ -d dlp-npm/node_modules/@secretlint/core ] && [ -d dlp-npm/node_modules/redact-pii ] \
  || (cd dlp-npm && npm install --no-audit --no-fund --silent >&2)
node dlp-compare.mjs "$ROOT/bench/dlp-corpus/corpus.jsonl"
