#!/usr/bin/env bash
# Installs what praktika needs to build, run and test on Debian 12; idempotent and quiet when all is there.
# Usage: scripts/deps.sh [--test]   (--test adds what the test suite needs: Redis, SMTP server, Chromium)
set -euo pipefail
cd "$(dirname "$0")/.."

build_packages=(
  cmake ninja-build ccache g++ pkg-config
  libboost1.81-all-dev nlohmann-json3-dev libsqlite3-dev libpq-dev libhiredis-dev libsodium-dev
  libcurl4-openssl-dev
  libavformat-dev libavcodec-dev libavutil-dev libzip-dev libpugixml-dev libpoppler-cpp-dev
  libstemmer-dev libhunspell-dev hunspell-ru libcairo2-dev libpango1.0-dev libqrencode-dev libxlsxwriter-dev fonts-dejavu-core fonts-liberation
  ffmpeg poppler-utils python3  # python3: the demo's seeder (scripts/demo/seed.py)
)
# LibreOffice converts a .doc to .docx for the format check and Word documents to PDF for the
# gallery's preview (and presentations for the flashmob); without it the server asks for .docx/PDF.
# About 350 MB installed, so only the tests take it; install it for a demo that should show previews.
test_packages=(
  libgtest-dev redis-server redis-tools python3-aiosmtpd chromium
  postgresql-15  # the store's tests again on PostgreSQL (scripts/test_postgresql.sh), and scripts/postgres.sh
  haproxy  # the cluster test and scripts/cluster.sh: three instances behind one load balancer
  libreoffice-writer-nogui libreoffice-impress-nogui
  clang libclang-rt-14-dev  # the libFuzzer harnesses (scripts/fuzz.sh), the thread-safety analysis
)

wanted=("${build_packages[@]}")
if [[ "${1:-}" == "--test" ]]; then wanted+=("${test_packages[@]}"); fi
command -v node >/dev/null 2>&1 || wanted+=(nodejs npm)

missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  sudo_cmd=""
  [[ $(id -u) -eq 0 ]] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

npm_dirs=(web)
if [[ "${1:-}" == "--test" ]]; then npm_dirs+=(tests/browser); fi
for dir in "${npm_dirs[@]}"; do
  if [[ ! -d $dir/node_modules ]] || [[ $dir/package-lock.json -nt $dir/node_modules/.package-lock.json ]]; then
    echo "deps: npm ci in $dir/"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
done
