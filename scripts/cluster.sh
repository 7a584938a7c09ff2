#!/usr/bin/env bash
# A cluster of praktika on this one machine, in one command: PostgreSQL (scripts/postgres.sh, an
# unprivileged cluster), Redis, three instances sharing one data directory, and HAProxy in front
# (deploy/haproxy/haproxy.cfg, as shipped but for its addresses), all on free loopback ports in a
# temporary directory. Prints the site's URL and an organiser's sign-in. For demos and the cluster
# test; a real deployment is deploy/README.md. Needs build/praktika (scripts/build.sh) and
# scripts/deps.sh --test's haproxy, postgresql-15 and redis-server.
#   scripts/cluster.sh [--instances N] [--binary PATH] [-- SERVE_FLAGS…]
#                                                        start (extra flags go to every instance:
#                                                        --clock, --clock-speed, --agenda…; --binary:
#                                                        another build's praktika, as the benchmark's)
#   scripts/cluster.sh --stop [DIR]                      stop the last one started (or DIR's)
#   scripts/cluster.sh haproxy-config LISTEN_PORT PORT…  the shipped HAProxy configuration for
#                                                        instances on these loopback ports
set -euo pipefail
cd "$(dirname "$0")/.."
current=${TMPDIR:-/tmp}/praktika-cluster.current

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

haproxy_config() {
  local listen=$1; shift
  # The shipped file with its addresses made loopback ones and its log on stderr.
  sed -e "s|^\(\s*bind\) :80\$|\1 127.0.0.1:$listen|" -e '/^\s*server app[0-9]/d' -e '/^\s*#/d' \
      -e 's|^\(\s*log\) /dev/log .*|\1 stderr format raw local0 warning|' deploy/haproxy/haproxy.cfg
  local i=1
  for port in "$@"; do
    echo "    server app$i 127.0.0.1:$port check"
    i=$((i + 1))
  done
}

stop_cluster() {
  local dir=$1
  [[ -d "$dir" ]] || { echo "cluster.sh: no cluster in $dir" >&2; return 1; }
  local pidfile
  for pidfile in "$dir"/haproxy.pid "$dir"/instance*.pid; do
    [[ -f "$pidfile" ]] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  for pidfile in "$dir"/instance*.pid; do
    [[ -f "$pidfile" ]] || continue
    local pid; pid=$(cat "$pidfile")
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  [[ -f "$dir/redis.port" ]] && redis-cli -p "$(cat "$dir/redis.port")" shutdown nosave >/dev/null 2>&1 || true
  scripts/postgres.sh stop "$dir/pg" || true
  rm -rf "$dir"
  [[ -f "$current" && "$(cat "$current")" == "$dir" ]] && rm -f "$current"
  return 0
}

case "${1:-}" in
  --stop)
    dir=${2:-$(cat "$current" 2>/dev/null || true)}
    [[ -n "$dir" ]] || { echo "cluster.sh: no cluster was started" >&2; exit 1; }
    stop_cluster "$dir"
    exit 0
    ;;
  haproxy-config)
    shift
    haproxy_config "$@"
    exit 0
    ;;
esac

instances=3
praktika=build/praktika
while [[ "${1:-}" == --instances || "${1:-}" == --binary ]]; do
  case $1 in
    --instances) instances=$2 ;;
    --binary) praktika=$2 ;;
  esac
  shift 2
done
[[ "${1:-}" == "--" ]] && shift
[[ -x $praktika ]] || { echo "cluster.sh: $praktika is missing (scripts/build.sh)" >&2; exit 1; }
command -v haproxy >/dev/null || { echo "cluster.sh: no haproxy (apt-get install haproxy)" >&2; exit 1; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/praktika-cluster.XXXXXX")
chmod 755 "$dir"
trap 'echo "cluster.sh: failed; logs in $dir" >&2; stop_cluster "$dir" >/dev/null 2>&1 || true' ERR

# PostgreSQL: one database, the schema applied once before the instances start.
pg_port=$(free_port)
server=$(scripts/postgres.sh start "$dir/pg" "$pg_port")
psql --quiet "$server/postgres" -c "CREATE DATABASE praktika" >/dev/null
store="$server/praktika"
"$praktika" admin migrate --store "$store" >/dev/null

redis_port=$(free_port)
echo "$redis_port" >"$dir/redis.port"
mkdir -p "$dir/redis"
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir/redis" \
  --daemonize yes --pidfile "$dir/redis/redis.pid" --logfile "$dir/redis/redis.log"
for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis="redis://127.0.0.1:$redis_port"

# An organiser to sign in with.
mkdir -p "$dir/data"
password=${PRAKTIKA_CLUSTER_PASSWORD:-cluster-demo-password}
echo "$password" | "$praktika" admin create-user --data "$dir/data" --store "$store" --email organiser@cluster.local \
  --role organiser --event irkutsk-2020 --name "Организатор Кластерный" >/dev/null

ports=()
for i in $(seq "$instances"); do
  port=$(free_port)
  ports+=("$port")
  "$praktika" serve --address 127.0.0.1 --port "$port" --data "$dir/data" --store "$store" --redis "$redis" \
    --trusted-proxy 127.0.0.1 --log-format logfmt "$@" >"$dir/instance$i.log" 2>&1 &
  echo $! >"$dir/instance$i.pid"
  echo "$port" >"$dir/instance$i.port"
done
for i in $(seq "$instances"); do
  for _ in $(seq 300); do
    grep -q "listening on" "$dir/instance$i.log" && break
    kill -0 "$(cat "$dir/instance$i.pid")" 2>/dev/null || { cat "$dir/instance$i.log" >&2; false; }
    sleep 0.1
  done
  grep -q "listening on" "$dir/instance$i.log" || { echo "cluster.sh: instance $i did not start" >&2; false; }
done

listen=$(free_port)
haproxy_config "$listen" "${ports[@]}" >"$dir/haproxy.cfg"
haproxy -q -f "$dir/haproxy.cfg" -D -p "$dir/haproxy.pid" 2>"$dir/haproxy.log"
# Up once HAProxy has found every instance healthy (its checks run every 2 s).
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$listen/api/health" >/dev/null 2>&1 && break
  sleep 0.1
done
echo "$listen" >"$dir/haproxy.port"
echo "$store" >"$dir/store.url"
echo "$redis" >"$dir/redis.url"
echo "$dir" >"$current"
trap - ERR
echo "http://127.0.0.1:$listen/"
echo "cluster.sh: $instances instances (ports ${ports[*]}), PostgreSQL $store, Redis $redis; files and logs in $dir" >&2
echo "cluster.sh: sign in as organiser@cluster.local / $password; stop with scripts/cluster.sh --stop" >&2
