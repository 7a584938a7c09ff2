#!/usr/bin/env bash
# An unprivileged PostgreSQL cluster in a directory of its own, listening on loopback only: for the
# test command and for demos, never for a real deployment (fsync is off: its data need not survive
# a power cut, and tests run far faster).
#   scripts/postgres.sh start DIR PORT   initdb in DIR/data if needed, start; prints postgresql://praktika@127.0.0.1:PORT
#   scripts/postgres.sh stop DIR         stop it (fast: connections are cut)
# initdb refuses to run as root: as root, DIR is given to the `postgres` user and the server runs as it.
set -euo pipefail
command=${1:?start or stop}
dir=${2:?directory}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x "$bin/initdb" ]] || { echo "postgres.sh: no PostgreSQL server (apt-get install postgresql-15)" >&2; exit 1; }
as_owner=()
if [[ $(id -u) -eq 0 ]]; then as_owner=(runuser -u postgres --); fi

case "$command" in
  start)
    port=${3:?port}
    mkdir -p "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres "$dir"
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
      "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U praktika --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 -o \
      "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql://praktika@127.0.0.1:$port"
    ;;
  stop)
    [[ -f "$dir/data/postmaster.pid" ]] && "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  *) echo "usage: scripts/postgres.sh start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
