#!/usr/bin/env bash
# The unit and integration tests that open a store (ctest label `store`), run again against
# PostgreSQL: a cluster of its own in a temporary directory (scripts/postgres.sh), one migrated
# template database, and PRAKTIKA_TEST_STORE naming it, so that every store a test opens (Db::open
# in unit tests through tests/support/test_store.h, the binary's --store in integration tests) is
# a fresh database copied from the template and dropped after. Tests of what only SQLite has
# (its file, WAL, backups of it) skip themselves with the reason. Without sanitizers, two at a time.
# Usage: scripts/test_postgresql.sh [ctest options…]   (after scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pg_dir=$(mktemp -d)
stop() {
  scripts/postgres.sh stop "$pg_dir" || true
  rm -rf "$pg_dir"
}
trap stop EXIT
server=$(scripts/postgres.sh start "$pg_dir" "$port")
psql --quiet "$server/postgres" -c "CREATE DATABASE praktika_template" >/dev/null
build/praktika admin migrate --store "$server/praktika_template" >/dev/null
export PRAKTIKA_TEST_STORE="$server/praktika_template"
# Tests that still fail on PostgreSQL, each with the reason: left out by name, so the rest gates
# the stage and nothing passes silently. The list may only shrink.
known_failures=(
)
exclude=()
if ((${#known_failures[@]})); then
  names=$(printf '%s|' "${known_failures[@]}" | sed 's/[.]/\\./g; s/|$//')
  exclude=(-E "^($names)\$")
  echo "postgresql: left out, failing on PostgreSQL: ${known_failures[*]}"
fi

# ctest keeps one list of failed tests per build folder: the SQLite pass's is set aside and put
# back, this pass's kept beside it for the test command's summary.
failed_log=build/Testing/Temporary/LastTestsFailed.log
[[ -f $failed_log ]] && mv "$failed_log" "$failed_log.sqlite"
started=$SECONDS
status=0
ctest --test-dir build -L store --output-on-failure -j 2 --timeout 300 "${exclude[@]}" "$@" || status=$?
echo "postgresql: the store's tests took $((SECONDS - started)) s"
rm -f build/Testing/Temporary/LastTestsFailed-postgresql.log
[[ -f $failed_log ]] && mv "$failed_log" build/Testing/Temporary/LastTestsFailed-postgresql.log
[[ -f $failed_log.sqlite ]] && mv "$failed_log.sqlite" "$failed_log"
exit $status
