#!/usr/bin/env bash
# Builds the server (build/praktika and the tests) and the web front end (web/dist).
# Usage: scripts/build.sh [target ...]   (no target: everything, tests included)
set -euo pipefail
cd "$(dirname "$0")/.."
# Paths relative to the checkout in ccache's keys: another clone (CI's) reuses this one's objects.
export CCACHE_BASEDIR="$PWD"
# -g puts the working directory into ccache's key unless told otherwise; without this a clone in
# another directory (CI's, a worktree) misses every object.
export CCACHE_NOHASHDIR=1

if [[ ! -f build/build.ninja ]]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="${PRAKTIKA_BUILD_TYPE:-RelWithDebInfo}" >/dev/null
fi
jobs=$(nproc)
targets=()
for target in "$@"; do targets+=(--target "$target"); done
cmake --build build -j "$jobs" "${targets[@]}"

# The front end is rebuilt when any of its sources is newer than the last build.
if [[ ! -f web/dist/index.html ]] || [[ -n $(find web/src web/index.html web/package.json web/vite.config.ts web/precompress.mjs \
      -newer web/dist/index.html -print -quit) ]]; then
  echo "build: web front end"
  (cd web && npm run --silent build >/dev/null)
fi
