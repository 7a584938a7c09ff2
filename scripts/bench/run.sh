#!/usr/bin/env bash
# The benchmark suite: praktika against its peers, on this machine, in one run. Installs what it
# needs (nginx, nchan, the npm peers), builds praktika and praktika_load in Release, runs every
# scenario against every server with the server pinned to core 0 and the load to core 1, several
# rounds alternating the servers' order, and writes each figure's median and spread (min–max over
# the rounds) to docs/performance.md.
#
# Usage: scripts/bench/run.sh [--quick] [--rounds N] [--out FILE] [--keep]
#         [--only fanout,latency,churn,connections,http,upload,cluster,viewers,reconnect,busy]
#   --rounds  rounds of every scenario (default 5; 2 with --quick): a figure is the median, its
#             spread the rounds' min–max, and a ratio whose two spreads overlap is "within spread".
#   --quick   shorter steps: the figures are indicative only.
#   --keep    keep the work folder (logs, raw JSON per run) and print where it is.
# Environment: BENCH_BUILD (build folder, default build-bench), BENCH_SKIP_INSTALL=1, BENCH_NO_BUILD=1
# (use the binaries already in BENCH_BUILD); BENCH_CLUSTER_SUBSCRIBERS, BENCH_VIEWERS, BENCH_STORM_CLIENTS,
# BENCH_FAN_SUBSCRIBERS (fan-out, latency, churn, busy), BENCH_CONNECTIONS (connections) (a scenario's size
# instead of the default below); BENCH_BUSY_PEER (the peer of the busy scenario, default bun).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
export CCACHE_BASEDIR="$root"

quick=0
rounds=""
all_scenarios="fanout,latency,churn,connections,http,upload,cluster,viewers,reconnect,busy"
only=$all_scenarios
out=docs/performance.md
keep=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --quick) quick=1 ;;
    --rounds) rounds=$2; shift ;;
    --only) only=$2; shift ;;
    --out) out=$2; shift ;;
    --keep) keep=1 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[[ -z $rounds ]] && rounds=$(( quick ? 2 : 5 ))
wants() { [[ ",$only," == *",$1,"* ]]; }

log() { echo "bench: $*" >&2; }
trap 'log "failed at line $LINENO: $BASH_COMMAND"' ERR

# --- what it needs ---------------------------------------------------------------------------
peers=scripts/bench/peers
if [[ ${BENCH_SKIP_INSTALL:-0} != 1 ]]; then
  missing=()
  for p in nginx libnginx-mod-nchan redis-server haproxy ffmpeg; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
  fi
  if [[ ! -d $peers/node_modules/ws || ! -d $peers/node_modules/bun || ! -d $peers/node_modules/@tus/file-store ]]; then
    log "installing the npm peers (ws, bun, @tus/server, @tus/file-store)"
    (cd "$peers" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
fi
bun=$peers/node_modules/.bin/bun
if ! "$bun" --version >/dev/null 2>&1; then
  # npm may not have run bun's postinstall, which puts the platform binary in place.
  bun=$(ls "$peers"/node_modules/@oven/bun-linux-x64*/bin/bun 2>/dev/null | head -1)
fi
# nginx's Debian package starts a server of its own where there is an init system; ours use
# their own configuration and ports and never touch it.

build=${BENCH_BUILD:-build-bench}
if [[ ${BENCH_NO_BUILD:-0} != 1 ]]; then
  if [[ ! -f $build/build.ninja ]]; then
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  fi
  log "building praktika, praktika_load and praktika_floor (Release) in $build"
  ninja -C "$build" praktika praktika_load praktika_floor >/dev/null
fi
[[ $build == /* ]] || build=$root/$build
praktika=$build/praktika
load=$build/praktika_load
floor=$build/praktika_floor

# --- the run's folder and its files -----------------------------------------------------------
work=$(mktemp -d /tmp/praktika-bench.XXXXXX)
chmod 755 "$work"  # nginx's worker runs as nobody and reads the web root from here
results=$work/results
mkdir -p "$results"
server_pid=""
redis_port=""
cleanup() {
  stop_server
  declare -F stop_neighbour >/dev/null && stop_neighbour
  [[ -f $work/praktika-cluster.current ]] && stop_cluster
  [[ -n $redis_port ]] && redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  if ((keep)); then log "work folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# The gallery: the built front end plus two "photos" of 10 KB and 100 KB, served by praktika and
# nginx from the same folder.
mkdir -p "$work/web"
cp -r web/dist/. "$work/web/"
head -c 10240 /dev/urandom >"$work/web/gallery-10k.jpg"
head -c 102400 /dev/urandom >"$work/web/gallery-100k.jpg"

port=19180
load_cpu=1
server_cpu=0

wait_port() {  # port [pid that must stay alive meanwhile]
  for _ in $(seq 1 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    [[ -n ${2:-} ]] && ! kill -0 "$2" 2>/dev/null && return 1
    sleep 0.05
  done
  log "nothing listens on port $1"
  return 1
}

# Each start_* sets server_pid (the process whose CPU and memory are measured) and stop_pid
# (the one to stop). A fresh server per run: no run inherits another's memory or caches.
stop_pid=""
stop_server() {
  if [[ -n $stop_pid ]]; then
    kill "$stop_pid" 2>/dev/null || true
    # ${stop_grace:-5} s for a clean stop, then SIGKILL.
    for _ in $(seq 1 $((${stop_grace:-5} * 20))); do kill -0 "$stop_pid" 2>/dev/null || break; sleep 0.05; done
    kill -9 "$stop_pid" 2>/dev/null || true
    wait "$stop_pid" 2>/dev/null || true
  fi
  stop_pid=""
  server_pid=""
}

praktika_has_bench=""
start_praktika() {  # extra serve flags follow; $praktika_data: a data folder to reuse (a restart)
  local data=${praktika_data:-}
  [[ -n $data ]] || data=$(mktemp -d "$work/data.XXXX")
  taskset -c $server_cpu "$praktika" serve --port $port --data "$data" --agenda agenda/irkutsk-2020.json \
    --web "$work/web" --threads 1 --connections-per-address 0 "$@" >>"$work/praktika.log" 2>&1 &
  stop_pid=$!
  server_pid=$stop_pid
  wait_port $port $stop_pid
}

start_node_ws() {  # [STATE_FILE]: what a subscribe is answered with
  taskset -c $server_cpu node "$peers/ws-server.mjs" $port "$@" >>"$work/node-ws.log" 2>&1 &
  stop_pid=$!
  server_pid=$stop_pid
  wait_port $port
}

# The kernel's floor (bench/floor.cpp): for an upgrade accept, 101, one reply frame, nothing else;
# for the latency scenario one write() per subscriber per event.
start_floor() {  # [STATE_FILE]
  taskset -c $server_cpu "$floor" $port "$@" >>"$work/floor.log" 2>&1 &
  stop_pid=$!
  server_pid=$stop_pid
  wait_port $port $stop_pid
}

start_bun() {  # [STATE_FILE]
  taskset -c $server_cpu "$bun" "$peers/bun-server.js" $port "$@" >>"$work/bun.log" 2>&1 &
  stop_pid=$!
  server_pid=$stop_pid
  wait_port $port
}

start_nginx() {  # template
  local prefix
  prefix=$(mktemp -d "$work/nginx.XXXX")
  sed -e "s|@PREFIX@|$prefix|g" -e "s|@PORT@|$port|g" -e "s|@ROOT@|$work/web|g" "$peers/$1" >"$prefix/nginx.conf"
  taskset -c $server_cpu nginx -p "$prefix" -c "$prefix/nginx.conf" >>"$work/nginx.log" 2>&1 &
  stop_pid=$!
  wait_port $port
  server_pid=$(pgrep -P "$stop_pid" | head -1)
}

start_tus() {
  local dir
  dir=$(mktemp -d "$work/tus.XXXX")
  taskset -c $server_cpu node "$peers/tus-server.mjs" $port "$dir" >>"$work/tus.log" 2>&1 &
  stop_pid=$!
  server_pid=$stop_pid
  wait_port $port
}

start_redis() {
  redis_port=19179
  taskset -c $server_cpu redis-server --port $redis_port --save '' --appendonly no --daemonize yes \
    --logfile "$work/redis.log" >/dev/null
  wait_port $redis_port
}

# Runs the load client pinned to its core; its JSON goes to results/<scenario>/<server>.<round>.json.
run_load() {  # scenario server round args...
  local scenario=$1 server=$2 round=$3
  shift 3
  mkdir -p "$results/$scenario"
  local file="$results/$scenario/$server.$round.json"
  if ! taskset -c $load_cpu "$load" "$@" --server-pid "$server_pid" >"$file" 2>>"$work/load.log"; then
    echo '{"error":"praktika_load failed: see the load log"}' >"$file"
  fi
  log "  $scenario/$server round $round: $(head -c 300 "$file")"
}

order() {  # round servers...: the servers in order on odd rounds, reversed on even ones
  local round=$1
  shift
  if ((round % 2)); then echo "$@"; else echo "$@" | tr ' ' '\n' | tac | tr '\n' ' '; fi
}

# Whether this praktika has the benchmark publishing path (`serve --bench`).
probe_bench_flag() {
  if start_praktika --bench; then praktika_has_bench=1; else praktika_has_bench=0; fi
  stop_server
  log "praktika --bench (publishing path for fan-out): $([[ $praktika_has_bench == 1 ]] && echo yes || echo 'not yet')"
}

# What every server answers a subscribe in the connections scenario with: the event's timeline as
# praktika's own reply carries it ({"timeline": …}), so each server writes the same state bytes.
topic_state="$work/topic-state.json"
save_topic_state() {
  start_praktika
  {
    printf '{"timeline":'
    curl -fsS "http://127.0.0.1:$port/api/events/irkutsk-2020/timeline"
    printf '}'
  } >"$topic_state"
  stop_server
}

# A cluster by scripts/cluster.sh (PostgreSQL, Redis, instances, HAProxy) inside the work folder.
cluster_port=""
cluster_first=""
start_cluster() {  # instances
  TMPDIR=$work scripts/cluster.sh --instances "$1" --binary "$praktika" -- --bench >/dev/null 2>>"$work/cluster.log"
  local dir
  dir=$(cat "$work/praktika-cluster.current")
  cluster_port=$(cat "$dir/haproxy.port")
  cluster_first=$(cat "$dir/instance1.port")
  server_pid=$(cat "$dir"/instance*.pid "$dir/haproxy.pid" "$dir/redis/redis.pid" | paste -sd,)
}
stop_cluster() {
  TMPDIR=$work scripts/cluster.sh --stop >/dev/null 2>>"$work/cluster.log" || true
  server_pid=""
}

# Viewers: a flashmob item converted by praktika's own job (a real ladder, made by ffmpeg), its
# segments fetched back to back by keep-alive viewers with the author's cookie, from praktika and
# from nginx (deploy/nginx/flashmob.conf: the files straight from praktika's data folder, access
# asked of praktika by auth_request). praktika keeps running under nginx: it answers those asks.
view_scenario() {  # round
  local round=$1 data item_json cookie paths nginx_port=$((port + 1)) prefix pk_pid
  data=$(mktemp -d "$work/viewers.XXXX")
  praktika_data=$data start_praktika --clock 2020-06-20T10:00:00+08:00
  pk_pid=$server_pid
  item_json=$work/viewers-item.$round.json
  if ! /usr/bin/python3 scripts/bench/hls_item.py --port $port --work "$work" >"$item_json" 2>>"$work/load.log"; then
    log "  viewers: no HLS item: $(tail -3 "$work/load.log")"
    mkdir -p "$results/viewers"
    echo '{"error":"hls_item.py failed: see the load log"}' >"$results/viewers/praktika.$round.json"
    stop_server
    return 0
  fi
  cookie=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["cookie"])' "$item_json")
  paths=$work/viewers-paths.txt
  python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["segments"]))' "$item_json" >"$paths"
  mkdir -p "$results/viewers-item"
  cp "$item_json" "$results/viewers-item/praktika.$round.json"
  for s in $(order "$round" praktika nginx); do
    if [[ $s == praktika ]]; then
      server_pid=$pk_pid
      run_load viewers praktika "$round" http --url "http://127.0.0.1:$port/" --paths-file "$paths" \
        --header "Cookie: $cookie" --connections "$viewers" --duration $view_seconds
    else
      prefix=$(mktemp -d "$work/nginx.XXXX")
      sed -e "s|@PREFIX@|$prefix|g" -e "s|@PORT@|$nginx_port|g" -e "s|@PRAKTIKA@|$port|g" -e "s|@DATA@|$data|g" -e "s|@USER@|$(id -un)|g" \
        -e "s|@FLASHMOB@|$root/deploy/nginx/flashmob.conf|g" \
        "$peers/nginx-flashmob.conf.in" >"$prefix/nginx.conf"
      taskset -c $server_cpu nginx -p "$prefix" -c "$prefix/nginx.conf" >>"$work/nginx.log" 2>&1 &
      local nginx_master=$!
      wait_port $nginx_port $nginx_master
      server_pid="$(pgrep -P "$nginx_master" | paste -sd,),$pk_pid"
      run_load viewers nginx "$round" http --url "http://127.0.0.1:$nginx_port/" --paths-file "$paths" \
        --header "Cookie: $cookie" --connections "$viewers" --duration $view_seconds
      kill "$nginx_master" 2>/dev/null || true
      wait "$nginx_master" 2>/dev/null || true
    fi
  done
  server_pid=$pk_pid
  stop_server
}

# Reconnect storm: clients subscribed, the server stopped and started again (same data), every
# client back as the front end comes back (ws.ts's backoff, in praktika_load ws-reconnect).
# praktika's clients resume from the last number they saw (its reply carries what they missed);
# the peers have no resume, so they answer every subscription with the state, as in the
# connections scenario (nchan: the state posted again as soon as the restarted server listens).
storm() {  # server round
  local s=$1 round=$2 args ready=$work/storm.ready data="" probe
  case $s in
    praktika|praktika-held)
      args="--url ws://127.0.0.1:$port/ws --protocol praktika-url --topic timeline:irkutsk-2020"
      data=$(mktemp -d "$work/data.XXXX") ;;
    bun) args="--url ws://127.0.0.1:$port/ws --topic bench:reconnect" ;;
    nchan) args="--url ws://127.0.0.1:$port/sub-state/bench_reconnect --protocol raw-state" ;;
  esac
  storm_start() {
    case $s in
      praktika) praktika_data=$data start_praktika ;;
      bun) start_bun "$topic_state" ;;
      nchan)
        start_ws_server nchan
        curl -fsS -o /dev/null --data-binary "@$topic_state" "http://127.0.0.1:$port/state/bench_reconnect" ;;
    esac
  }
  if [[ $s == praktika-held ]]; then start_held_praktika "$data"; else storm_start; fi
  rm -f "$ready" "$work/storm.restarted"
  mkdir -p "$results/reconnect"
  # shellcheck disable=SC2086
  taskset -c $load_cpu "$load" ws-reconnect $args --connections "$storm_n" --ready-file "$ready" --restarted-file "$work/storm.restarted" \
    --deadline-seconds 120 >"$results/reconnect/$s.$round.json" 2>>"$work/load.log" &
  probe=$!
  while [[ ! -f $ready ]] && kill -0 "$probe" 2>/dev/null; do sleep 0.1; done
  sleep 1
  if [[ $s == praktika-held ]]; then
    restart_held_praktika
  else
    # The stop as a service manager gives it (30 s), not the 5 s between scenarios: praktika closes
    # each connection with a close frame, and a SIGKILL would measure another restart.
    stop_grace=30 stop_server
    storm_start
  fi
  touch "$work/storm.restarted"
  wait "$probe" || echo '{"error":"praktika_load failed: see the load log"}' >"$results/reconnect/$s.$round.json"
  log "  reconnect/$s round $round: $(head -c 300 "$results/reconnect/$s.$round.json")"
  stop_server
  # A holder cut off by SIGKILL would leave its child serving the port.
  if [[ $s == praktika-held ]]; then kill -9 "$(cat "$work/held.pid")" 2>/dev/null || true; fi
}

# praktika under a holder of its port, as systemd holds a .socket unit's (hold_port.py): a restart
# refuses nothing, the clients wait in the socket's queue. "Listening" is the new process's line.
listening_lines() { grep -c "praktika: listening on" "$work/praktika.log" || true; }
wait_listening_lines() {  # count: until the log has more "listening" lines than that
  for _ in $(seq 1 400); do (( $(listening_lines) > $1 )) && return 0; sleep 0.025; done
  log "praktika under hold_port.py did not listen"
  return 1
}
start_held_praktika() {  # data folder
  local before
  before=$(listening_lines)
  python3 scripts/bench/hold_port.py $port "$work/held.pid" -- taskset -c $server_cpu "$praktika" serve --port $port \
    --data "$1" --agenda agenda/irkutsk-2020.json --web "$work/web" --threads 1 --connections-per-address 0 \
    >>"$work/praktika.log" 2>&1 &
  stop_pid=$!
  wait_listening_lines "$before"
  server_pid=$(cat "$work/held.pid")
}
restart_held_praktika() {
  local before old
  before=$(listening_lines)
  old=$(cat "$work/held.pid")
  kill "$old" 2>/dev/null || true
  wait_listening_lines "$before"
  server_pid=$(cat "$work/held.pid")
}

# The busy neighbour: the fan-out and the latency of praktika and of the best peer, each once quiet
# and once while ffmpeg transcodes on the server's own core (libx264 of a generated 720p test
# clip, looped, as praktika's flashmob job converts a late item on 7 July: at the niceness praktika
# gives its converters, convert::kConverterNice).
neighbour_pid=""
start_neighbour() {
  if [[ ! -f $work/neighbour.mp4 ]]; then
    taskset -c $load_cpu ffmpeg -nostdin -loglevel error -f lavfi -i testsrc2=size=1280x720:rate=30 -t 4 \
      -c:v libx264 -preset ultrafast "$work/neighbour.mp4"
  fi
  local converter_nice
  converter_nice=$(sed -n 's/.*kConverterNice = \([0-9]*\);.*/\1/p' server/convert/child_process.h)
  taskset -c $server_cpu nice -n "${converter_nice:?kConverterNice not found}" \
    ffmpeg -nostdin -loglevel error -stream_loop -1 -i "$work/neighbour.mp4" \
    -c:v libx264 -preset veryfast -f null - >>"$work/ffmpeg.log" 2>&1 &
  neighbour_pid=$!
  sleep 1  # the encoder's start-up, so the load meets it at full work
}
stop_neighbour() {
  [[ -n $neighbour_pid ]] || return 0
  kill "$neighbour_pid" 2>/dev/null || true
  wait "$neighbour_pid" 2>/dev/null || true
  neighbour_pid=""
}

busy_scenario() {  # round
  local round=$1 s condition
  for s in $(order "$round" praktika "$busy_peer"); do
    for condition in $(order "$round" quiet busy); do
      start_ws_server "$s"
      [[ $condition == busy ]] && start_neighbour
      # shellcheck disable=SC2046
      run_load busy-fanout "$s-$condition" "$round" ws-fanout $(ws_args "$s" busyfan) --connections $fan_subs \
        --rate-start 1 --rate-factor $fan_factor --step-seconds $fan_step --max-steps 30 --p99-limit-ms 100 \
        --sustain-limit-ms 1000
      stop_server
      start_ws_server "$s"
      # shellcheck disable=SC2046
      run_load busy-latency "$s-$condition" "$round" ws-fanout $(ws_args "$s" busylat) --connections $fan_subs \
        --rate-start 10 --max-steps 1 --step-seconds $lat_seconds --p99-limit-ms 50
      stop_server
      stop_neighbour
    done
  done
}

# --- scenarios --------------------------------------------------------------------------------
if ((quick)); then
  fan_step=2; fan_factor=1.6; lat_seconds=5; http_seconds=3; upload_mb=300
  view_seconds=10
else
  fan_step=4; fan_factor=1.3; lat_seconds=20; http_seconds=10; upload_mb=1000
  view_seconds=60
fi
fan_subs=${BENCH_FAN_SUBSCRIBERS:-10000}
conn_n=${BENCH_CONNECTIONS:-15000}
busy_peer=${BENCH_BUSY_PEER:-bun}
cluster_subs=${BENCH_CLUSTER_SUBSCRIBERS:-15000}
viewers=${BENCH_VIEWERS:-1000}
storm_n=${BENCH_STORM_CLIENTS:-15000}
# HAProxy holds two descriptors per subscriber and cannot raise its limit past the hard one.
fd_limit=$(ulimit -Hn)
if [[ $fd_limit != unlimited ]] && ((cluster_subs * 2 + 1000 > fd_limit)); then
  cluster_subs=$(( (fd_limit - 1000) / 2 / 1000 * 1000 ))
  log "cluster: $cluster_subs subscribers, not 15000: the open-file limit is $fd_limit (HAProxy needs two a subscriber)"
fi

ws_args() {  # server topic-suffix → the URL, protocol and topic flags for that server
  case $1 in
    nchan | floor)
      echo "--url ws://127.0.0.1:$port/sub/bench_$2 --publish-url ws://127.0.0.1:$port/pub/bench_$2" \
        "--protocol raw --topic bench:$2" ;;
    *) echo "--url ws://127.0.0.1:$port/ws --protocol praktika --topic bench:$2" ;;
  esac
}

start_ws_server() {
  case $1 in
    praktika) start_praktika --bench ;;
    node-ws) start_node_ws ;;
    bun) start_bun ;;
    nchan) start_nginx nginx-nchan.conf.in ;;
    floor) start_floor ;;
  esac
}

fanout_servers="praktika node-ws bun nchan"
wants fanout || wants latency || wants churn || wants busy && probe_bench_flag
ws_fanout_servers() {
  local s
  for s in $fanout_servers; do
    [[ $s == praktika && $praktika_has_bench != 1 ]] && continue
    echo -n "$s "
  done
}

for round in $(seq 1 "$rounds"); do
  log "round $round of $rounds"
  if wants fanout; then
    for s in $(order "$round" $(ws_fanout_servers)); do
      start_ws_server "$s"
      # shellcheck disable=SC2046
      run_load fanout "$s" "$round" ws-fanout $(ws_args "$s" fanout) --connections $fan_subs \
        --rate-start 1 --rate-factor $fan_factor --step-seconds $fan_step --max-steps 30 --p99-limit-ms 100 \
        --sustain-limit-ms 1000
      stop_server
    done
  fi
  if wants latency; then
    for s in $(order "$round" $(ws_fanout_servers) floor); do
      start_ws_server "$s"
      # shellcheck disable=SC2046
      run_load latency "$s" "$round" ws-fanout $(ws_args "$s" latency) --connections $fan_subs \
        --rate-start 10 --max-steps 1 --step-seconds $lat_seconds --p99-limit-ms 50
      stop_server
    done
  fi
  if wants churn && [[ $praktika_has_bench == 1 ]]; then
    [[ -z $redis_port ]] && start_redis
    # 10 events/s, as the latency scenario: below saturation, so the figure is churn's cost, not a
    # backlog's, and a step gives 200 events, so its p99 is not the largest of a few dozen.
    for variant in $(order "$round" quiet churn); do
      redis-cli -p "$redis_port" flushall >/dev/null
      start_praktika --bench --redis "redis://127.0.0.1:$redis_port"
      churn=0
      [[ $variant == churn ]] && churn=100
      # shellcheck disable=SC2046
      run_load churn "praktika-$variant" "$round" ws-fanout $(ws_args praktika churn) --connections $fan_subs \
        --rate-start 10 --max-steps 1 --step-seconds $lat_seconds --p99-limit-ms 1000000 --churn $churn --settle-ms 2000
      stop_server
    done
  fi
  if wants connections; then
    [[ -s $topic_state ]] || save_topic_state
    for s in $(order "$round" praktika node-ws bun nchan nchan-bare floor); do
      case $s in
        praktika)
          start_praktika
          args="--url ws://127.0.0.1:$port/ws --protocol praktika-url --topic timeline:irkutsk-2020" ;;
        nchan-bare)  # nothing after the 101: the comparison of the runs before every server sent the state
          start_ws_server nchan
          args="--url ws://127.0.0.1:$port/sub/bench_connect --protocol raw" ;;
        nchan)
          start_ws_server nchan
          curl -fsS -o /dev/null --data-binary "@$topic_state" "http://127.0.0.1:$port/state/bench_connect"
          args="--url ws://127.0.0.1:$port/sub-state/bench_connect --protocol raw-state" ;;
        floor) start_floor "$topic_state"; args="--url ws://127.0.0.1:$port/ws --topic bench:connect" ;;
        node-ws) start_node_ws "$topic_state"; args="--url ws://127.0.0.1:$port/ws --topic bench:connect" ;;
        bun) start_bun "$topic_state"; args="--url ws://127.0.0.1:$port/ws --topic bench:connect" ;;
      esac
      # Let the server finish starting (JIT, allocator) before its memory is the baseline.
      sleep 1
      # shellcheck disable=SC2086
      run_load connections "$s" "$round" ws-connect $args --connections $conn_n --concurrency 200 --settle-ms 3000
      stop_server
    done
  fi
  if wants http; then
    for s in $(order "$round" praktika nginx); do
      if [[ $s == praktika ]]; then
        start_praktika
        json_path=/api/events/irkutsk-2020
        curl -fsS "http://127.0.0.1:$port$json_path" >"$work/web/practice.json"
      else
        start_nginx nginx-static.conf.in
        json_path=/practice.json
      fi
      for what in json:$json_path 10k:/gallery-10k.jpg 100k:/gallery-100k.jpg; do
        run_load "http-${what%%:*}" "$s" "$round" http --url "http://127.0.0.1:$port${what#*:}" \
          --connections 100 --duration $http_seconds
      done
      stop_server
    done
  fi
  if wants cluster; then
    # One topic, subscribers through HAProxy (round robin over the instances), events published on
    # instance 1 through its fan-out (numbered in Redis, sent to every instance); one instance and
    # three, each a fresh cluster. CPU is the whole cluster's: instances, HAProxy and Redis.
    for n in $(order "$round" 1 3); do
      start_cluster "$n"
      run_load cluster "praktika-x$n" "$round" ws-fanout --url "ws://127.0.0.1:$cluster_port/ws" \
        --publish-url "ws://127.0.0.1:$cluster_first/ws" --publish-fanout 1 --protocol praktika --topic bench:cluster \
        --connections "$cluster_subs" --rate-start 1 --rate-factor $fan_factor --step-seconds $fan_step --max-steps 30 \
        --p99-limit-ms 100 --sustain-limit-ms 1000 --settle-ms 2000
      stop_cluster
    done
  fi
  if wants viewers; then
    view_scenario "$round"
  fi
  if wants busy && [[ $praktika_has_bench == 1 ]]; then
    busy_scenario "$round"
  fi
  if wants reconnect; then
    [[ -s $topic_state ]] || save_topic_state
    for s in $(order "$round" praktika praktika-held bun nchan); do
      storm "$s" "$round"
    done
  fi
  if wants upload; then
    # The file, then the disk's own speed in this run (written and flushed, as an upload's end is).
    [[ -f $work/upload.mp4 ]] || /usr/bin/python3 scripts/bench/upload.py --make "$work/upload.mp4" --mb "$upload_mb"
    mkdir -p "$results/upload" "$results/upload-ws"
    # Every measurement starts with no dirty pages: @tus/server answers before its writes reach the
    # disk, and the writeback of its 1000 MB would otherwise land on whatever is measured next.
    sync
    dd if=/dev/zero of="$work/dd.bin" bs=1M count=$upload_mb conv=fdatasync 2>&1 |
      sed -n 's/.* s, \([0-9.]*\) \([MG]B\)\/s$/\1 \2/p' |
      awk '{v=$1; if ($2=="GB") v*=1000; printf "{\"mb_per_s\": %s}\n", v}' >"$results/upload/disk.$round.json"
    rm -f "$work/dd.bin"
    log "  upload/disk round $round: $(cat "$results/upload/disk.$round.json")"
    for s in $(order "$round" praktika tus); do
      sync
      if [[ $s == praktika ]]; then
        # Inside the intake stage (the flashmob purpose is accepted then), with the bench topics
        # for the WebSocket probe below.
        start_praktika --bench --clock 2020-06-10T12:00:00+08:00
        # WebSocket p99 idle, then while the upload runs: 1000 subscribers, 10 events/s.
        # shellcheck disable=SC2046
        run_load upload-ws praktika-idle "$round" ws-fanout $(ws_args praktika upload) --connections 1000 \
          --rate-start 10 --max-steps 1 --step-seconds 5 --p99-limit-ms 1000000
        taskset -c $load_cpu "$load" ws-fanout $(ws_args praktika upload) --connections 1000 --rate-start 10 \
          --max-steps 1 --step-seconds $((upload_mb / 100 + 3)) --p99-limit-ms 1000000 --server-pid "$server_pid" \
          >"$results/upload-ws/praktika-upload.$round.json" 2>>"$work/load.log" &
        probe=$!
        sleep 2
      else
        start_tus
        probe=""
      fi
      file="$results/upload/$s.$round.json"
      taskset -c $load_cpu /usr/bin/python3 scripts/bench/upload.py --server "$s" --port $port \
        --file "$work/upload.mp4" --server-pid "$server_pid" >"$file" 2>>"$work/load.log" ||
        echo '{"error":"upload.py failed: see the load log"}' >"$file"
      log "  upload/$s round $round: $(head -c 300 "$file")"
      [[ -n $probe ]] && { wait "$probe" || true; log "  upload-ws/praktika-upload round $round: $(head -c 200 "$results/upload-ws/praktika-upload.$round.json")"; }
      stop_server
    done
  fi
done

# --- the report -------------------------------------------------------------------------------
machine_cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
versions="praktika $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo '+changes'); \
node $(node --version); ws $(node -p "require('./$peers/node_modules/ws/package.json').version"); \
bun $("$bun" --version); $(nginx -v 2>&1 | sed 's|nginx version: ||'); \
nchan $(dpkg-query -W -f='${Version}' libnginx-mod-nchan); redis $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/')"
command=scripts/bench/run.sh
((quick)) && command+=" --quick"
[[ $only != "$all_scenarios" ]] && command+=" --only $only"
/usr/bin/python3 scripts/bench/report.py --results "$results" --out "$out" --rounds "$rounds" --quick "$quick" \
  --machine "$machine_cpu, $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r)" \
  --versions "$versions" --command "$command" --praktika-bench "${praktika_has_bench:-?}" --upload-mb "$upload_mb" \
  --only "$only" --busy-peer "$busy_peer"
log "wrote $out"
