#!/bin/sh
# Installs the npm dependencies (which bring Node 24 and Deno) when they are missing or stale.
# Runs under any Node that npm itself runs on, before the project's own Node exists.
set -e
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/node ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "pullstorm: installing npm dependencies (brings Node 24 and Deno)" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
