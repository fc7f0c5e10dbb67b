#!/usr/bin/env bash
# CPU time the gateway spends per request, by thread group (event loop, span writer, JIT compilers, GC, ...),
# after a warm-up, with the same pinning and config as bench/run.sh (gateway on CPU 1; load and mock
# upstream on CPU 0).
#
# What it is for: where a request's CPU goes (run.sh says how fast, this says which thread pays), and what
# the gateway costs at a given load (RATE). The figures are CPU time each thread was given
# (/proc/<pid>/task/<tid>/schedstat, ns); time stolen by the hypervisor is not charged to a thread, but a
# host that runs the vCPU slower is: on this shared VM the total moved between 65 and 103 us per request
# from one run to the next of the same code, so compare runs made back to back, not across hours.
# Saturated, 1e6 / total equals the measured req/s: the core is fully used.
#
# Usage: bench/cpu-cost.sh [openai|anthropic]
#   env: WARM=40 (s of saturating load before measuring; the JIT keeps compiling for ~60 s)
#        DURATION=15 (s measured)  RATE= (empty: saturate with wrk; a number: open loop at that rate)
#        JVM options from bench/java-opts.sh, HARNESS, OUT
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HARNESS=${HARNESS:-$(cd "$ROOT/../shared/bench" 2>/dev/null && pwd || true)}
[ -x "$HARNESS/build.sh" ] || { echo "cpu-cost: referee harness not found (set HARNESS=.../shared/bench)" >&2; exit 2; }
API=${1:-openai}
case "$API" in
  openai) LUA=chat.lua BODY=bodies/chat.json EP=/v1/chat/completions
    HDRS=(-H 'Authorization: Bearer sk-bench-dummy') ;;
  anthropic) LUA=messages.lua BODY=bodies/messages.json EP=/v1/messages
    HDRS=(-H 'x-api-key: sk-ant-bench-dummy' -H 'anthropic-version: 2023-06-01') ;;
  *) echo "cpu-cost: api must be openai or anthropic" >&2; exit 2 ;;
esac
WORK=${BENCH_WORK:-/tmp/tracegate-bench}
OUT=${OUT:-$ROOT/target/bench/cpu-$API-$(date +%Y%m%d-%H%M%S)}
WARM=${WARM:-40}
DURATION=${DURATION:-15}
RATE=${RATE:-}
. "$ROOT/bench/java-opts.sh"
MOCK_PORT=${MOCK_PORT:-18081}
mkdir -p "$OUT"

(cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests package)
"$HARNESS/build.sh" >/dev/null
export TRACEGATE_BENCH_DB="$OUT/tracegate.db"
MOCK_PORT=$MOCK_PORT taskset -c 0 "$WORK/build/mockllm" > "$OUT/mock.log" 2>&1 &
MOCK=$!
# shellcheck disable=SC2086
MOCK_BASE_URL="http://127.0.0.1:$MOCK_PORT" taskset -c 1 java $JAVA_OPTS -jar "$ROOT/target/tracegate.jar" serve \
  --config "$ROOT/bench/mock-upstream.yaml" > "$OUT/gateway.log" 2>&1 &
GW=$!
trap 'kill $MOCK $GW 2>/dev/null || true; rm -f "$TRACEGATE_BENCH_DB" "$TRACEGATE_BENCH_DB-wal" "$TRACEGATE_BENCH_DB-shm"' EXIT
for _ in $(seq 1 150); do curl -s -o /dev/null http://127.0.0.1:4000/health && break; sleep 0.2; done

URL="http://127.0.0.1:4000$EP"
wrk_run() {  # wrk_run SECONDS -> number of requests completed
  (cd "$HARNESS" && BENCH_DIR=. BODY_FILE="$HARNESS/$BODY" taskset -c 0 wrk -t1 -c32 -d"$1"s -s "wrk/$LUA" "$URL") \
    | awk '/ requests in / { print $1 }'
}
# CPU ns per thread group: thread names without their trailing number ("C2 CompilerThread0" -> "C2 CompilerThread")
cpu_by_group() {
  for t in /proc/"$GW"/task/*; do
    printf '%s\t%s\n' "$(cat "$t/comm" 2>/dev/null)" "$(cut -d' ' -f1 "$t/schedstat" 2>/dev/null)"
  done | awk -F'\t' '$2 != "" { g = $1; sub(/[#-]?[0-9]+$/, "", g); s[g] += $2 } END { for (k in s) print k "\t" s[k] }' | sort
}

echo "warm-up: ${WARM}s at saturation, $(( $(wrk_run "$WARM") / WARM )) req/s" | tee "$OUT/summary.md"
sleep 2  # let the writer drain what the warm-up queued
cpu_by_group > "$OUT/cpu-before.tsv"
if [ -z "$RATE" ]; then
  N=$(wrk_run "$DURATION")
  MODE="saturated (wrk -c32), $(( N / DURATION )) req/s"
else
  taskset -c 0 "$WORK/build/lprobe" -u "$URL" -b "$HARNESS/$BODY" "${HDRS[@]}" \
    -r "$RATE" -d "$DURATION" -w 0 -c 64 -T 10 -l cpu -j "$OUT/probe.json" > "$OUT/probe.log" 2>&1
  N=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['ok'])" "$OUT/probe.json")
  MODE="open loop at $RATE req/s"
fi
sleep 1  # spans of the last requests written
cpu_by_group > "$OUT/cpu-after.tsv"
{
  echo "measured: ${DURATION}s, $MODE, $N requests, $API lane"
  echo "| thread group | us per request |"
  echo "|---|---:|"
  join -t $'\t' "$OUT/cpu-before.tsv" "$OUT/cpu-after.tsv" | awk -F'\t' -v n="$N" -v rate="$RATE" '
    { d = ($3 - $2) / 1000 / n; if (d >= 0.05) printf "| %s | %.1f |\n", $1, d; tot += ($3 - $2) / 1000 / n }
    END { printf "| **total** | **%.1f** |\n", tot; 
      if (rate == "") printf "one core at this cost: %.0f req/s\n", 1e6 / tot
      else printf "core busy at %d req/s: %.0f%%\n", rate, tot * rate / 1e4 }'
} | tee -a "$OUT/summary.md"
kill -TERM "$GW"; wait "$GW" 2>/dev/null || true
grep -o 'requests answered [0-9]*.*' "$OUT/gateway.log" | tail -1 | tee -a "$OUT/summary.md"
