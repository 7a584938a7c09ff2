#!/usr/bin/env bash
# Server CPU time per WebSocket delivery of two praktika binaries, measured alternately at the
# same fixed event rate (below saturation) to the same number of subscribers. CPU time per
# delivery (from /proc, as praktika_load reports it) is far less disturbed by other work on a
# shared machine than throughput or latency are, so this is the before/after comparison of a
# change where the machine is not quiet. (callgrind would count instructions exactly, but
# valgrind 3.19 stops at an RDTSCP in libhwy's initialiser, which praktika loads via its media
# libraries; the VM exposes no hardware counters to `perf stat`.)
# Usage: scripts/bench/ab_fanout.sh BEFORE_BINARY AFTER_BINARY LOAD_BINARY [SUBSCRIBERS] [RATE] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
before=$1 after=$2 load=$3 subs=${4:-10000} rate=${5:-3} rounds=${6:-2}
port=19281
work=$(mktemp -d /tmp/praktika-ab.XXXXXX)
trap 'rm -rf "$work"' EXIT
for round in $(seq 1 "$rounds"); do
  for which in before after; do
    binary=$before
    [[ $which == after ]] && binary=$after
    taskset -c 0 "$binary" serve --port $port --data "$work/data.$which.$round" --agenda agenda/irkutsk-2020.json \
      --web "$work" --threads 1 --bench >"$work/server.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 200); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.05; done
    taskset -c 1 "$load" ws-fanout --url ws://127.0.0.1:$port/ws --protocol praktika --topic bench:ab \
      --connections "$subs" --rate-start "$rate" --max-steps 1 --step-seconds 10 --p99-limit-ms 1000000 \
      --server-pid $pid >"$work/out.json" 2>>"$work/load.log" || true
    kill $pid; wait $pid || true
    python3 - "$which" "$round" "$work/out.json" <<'PY'
import json, sys
which, round_, path = sys.argv[1:]
s = json.load(open(path))["steps"][0]
per_cpu = s.get("deliveries_per_cpu_second") or 0
print(json.dumps({"binary": which, "round": int(round_), "deliveries": s.get("deliveries"),
                  "deliveries_per_cpu_second": per_cpu,
                  "cpu_us_per_delivery": round(1e6 / per_cpu, 2) if per_cpu else None,
                  "server_cpu_percent": s.get("server_cpu_percent"),
                  "last_subscriber_p99_ms": (s.get("last_subscriber_latency") or {}).get("p99_us", 0) / 1000}))
PY
  done
done
