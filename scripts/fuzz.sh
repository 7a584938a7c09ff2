#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz with clang in build-fuzz/ (only the pure modules they
# link, instrumented with ASan+UBSan) and runs each for a bounded time, two at a time, starting from
# its seed corpus tests/fuzz/corpus/<target>/. Exits non-zero when any target crashes, leaks, hangs or
# trips a sanitizer; the input that did it is kept as build-fuzz/fuzz/crashes/<target>-*.
# Usage: scripts/fuzz.sh [seconds per target (default 25)] [target ...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-25}
shift || true
export CCACHE_BASEDIR="$PWD"

if [[ ! -f build-fuzz/build.ninja ]]; then
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPRAKTIKA_FUZZ=ON >/dev/null
fi
cmake --build build-fuzz -j "$(nproc)" --target fuzzers

targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(agenda_fuzz docx_fuzz slides_fuzz media_fuzz ws_request_fuzz tus_headers_fuzz http_body_fuzz)
fi
out=build-fuzz/fuzz
mkdir -p "$out/crashes" "$out/logs"
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

run_one() {
  local target=$1 work="$out/work/$1"
  mkdir -p "$work"
  # The first folder receives what the run finds; the seeds stay as they are in the repository.
  "$out/$target" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=1048576 \
    -print_final_stats=1 -artifact_prefix="$out/crashes/$target-" "$work" "tests/fuzz/corpus/$target" \
    >"$out/logs/$target.log" 2>&1
}

status=0
summary="$out/summary.tsv"
printf 'target\tseconds\truns\tcorpus\tresult\n' >"$summary"
pids=()
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  pair=("${targets[@]:i:2}")
  pids=()
  for t in "${pair[@]}"; do run_one "$t" & pids+=($!); done
  for j in "${!pair[@]}"; do
    t=${pair[$j]}
    if wait "${pids[$j]}"; then result=ok; else result=FAILED; status=1; fi
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/logs/$t.log" | grep -o '[0-9]*$' || echo 0)
    corpus=$(find "$out/work/$t" -type f | wc -l)
    printf '%s\t%s\t%s\t%s\t%s\n' "$t" "$seconds" "$runs" "$corpus" "$result" >>"$summary"
    echo "fuzz: $t: $result, $runs runs in ${seconds}s"
    if [[ $result != ok ]]; then tail -n 60 "$out/logs/$t.log"; fi
  done
done
exit $status
