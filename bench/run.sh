#!/usr/bin/env bash
# The whole comparison, direct vs tracegate, with the referee harness (../shared/bench, or $HARNESS):
#   1. the harness's standard suite (OpenAI pass-through lane and Anthropic translation lane): max req/s,
#      open-loop p50/p99 at RATES, streaming throughput and first-SSE-event latency;
#   2. Claude Code-sized requests (the ~86 KB fixture body) at 200 req/s, direct and through tracegate;
#   3. the span-count check after each run: spans in the store == requests the gateway answered.
# Gateway pinned to one core (CPU 1), load generator and mock upstream on the other (CPU 0).
# Usage: bench/run.sh            (DURATION, WARMUP, RATES, STREAM_RATE passed through to the harness;
#                                KEEP_DB=1 keeps the span stores, ~1 GB, after the span check)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HARNESS=${HARNESS:-$(cd "$ROOT/../shared/bench" 2>/dev/null && pwd || true)}
[ -x "$HARNESS/run-gateway.sh" ] || { echo "bench: referee harness not found (set HARNESS=.../shared/bench)" >&2; exit 2; }
WORK=${BENCH_WORK:-/tmp/tracegate-bench}
OUT=${OUT:-$ROOT/target/bench/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
. "$ROOT/bench/java-opts.sh"

(cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests package)
"$HARNESS/build.sh" >/dev/null

export TRACEGATE_BENCH_DB="$OUT/tracegate.db"
JAR="$ROOT/target/tracegate.jar"
CONFIG="$ROOT/bench/mock-upstream.yaml"

count_spans() {  # count_spans DB_FILE -> number of spans stored
  TRACEGATE_BENCH_DB="$1" java -jar "$JAR" spans --config "$CONFIG" --count
}

check_spans() {  # check_spans LOG DB
  local answered persisted stored
  answered=$(grep -o 'requests answered [0-9]*' "$1" | tail -1 | awk '{print $3}')
  persisted=$(grep -o 'persisted [0-9]*' "$1" | tail -1 | awk '{print $2}')
  stored=$(count_spans "$2")
  echo "span check: requests answered ${answered:-?}, spans persisted ${persisted:-?}, spans in the store $stored" \
    | tee -a "$OUT/summary.md"
  [ "${answered:-x}" = "$stored" ] || echo "span check: MISMATCH" | tee -a "$OUT/summary.md"
  local bytes
  bytes=$(( $(stat -c %s "$2") + $( (stat -c %s "$2-wal" 2>/dev/null) || echo 0) ))
  [ "${stored:-0}" -gt 0 ] 2>/dev/null && echo "store size: $bytes bytes, $((bytes / stored)) per span" \
    | tee -a "$OUT/summary.md"
  # A suite run stores several hundred MB of spans: a few runs fill a disk (and the next run's spans then
  # fail with SQLITE_FULL). Counted, so removed unless KEEP_DB=1.
  [ "${KEEP_DB:-0}" = 1 ] || rm -f "$2" "$2-wal" "$2-shm"
}

# CPU time the hypervisor gives to other guests (vmstat "st") is reported with the figures: on a shared
# VM it moves latency percentiles more than anything the gateway does.
if command -v vmstat >/dev/null; then
  vmstat -n 5 720 > "$OUT/vmstat.txt" &  # ends by itself after an hour at most
  VMSTAT=$!
fi
steal_summary() {
  [ -f "$OUT/vmstat.txt" ] || return 0
  awk 'NR > 2 { n++; s += $17; if ($17 > m) m = $17 } END { if (n) printf "CPU steal (vmstat, 5 s samples): mean %.1f%%, max %d%%\n", s / n, m }' \
    "$OUT/vmstat.txt" | tee -a "$OUT/summary.md"
}

echo "## 1. referee suite" | tee "$OUT/summary.md"
OUT="$OUT/suite" "$HARNESS/run-gateway.sh" --name tracegate --port 4000 --api openai --api anthropic \
  --ready-path /health -- java $JAVA_OPTS -jar "$JAR" serve --config "$CONFIG" | tee "$OUT/suite.txt"
check_spans "$OUT/suite/tracegate.log" "$TRACEGATE_BENCH_DB"

echo "## 2. Claude Code-sized requests (86 KB) at 200 req/s" | tee -a "$OUT/summary.md"
export TRACEGATE_BENCH_DB="$OUT/tracegate-cc.db"
python3 - "$ROOT/src/test/resources/fixtures/claude-code-messages-request.json" "$OUT/cc-body.json" <<'PY'
import json, sys
body = json.load(open(sys.argv[1]))["body"]
body["stream"] = False
json.dump(body, open(sys.argv[2], "w"))
PY
MOCK_PORT=${MOCK_PORT:-18081}
taskset -c 0 "$WORK/build/mockllm" > "$OUT/cc-mock.log" 2>&1 &
MOCK=$!
MOCK_BASE_URL="http://127.0.0.1:$MOCK_PORT" taskset -c 1 java $JAVA_OPTS -jar "$JAR" serve --config "$CONFIG" \
  > "$OUT/cc-gateway.log" 2>&1 &
GW=$!
trap 'kill $MOCK $GW 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null http://127.0.0.1:4000/health && break; sleep 0.2; done
probe() {  # probe LABEL URL
  taskset -c 0 "$WORK/build/lprobe" -u "$2" -b "$OUT/cc-body.json" -H 'content-type: application/json' \
    -H 'anthropic-version: 2023-06-01' -H 'x-api-key: bench' -r 200 -d "${DURATION:-15}" -w 5 -c 64 -T 10 \
    -l "$1" -j "$OUT/cc-$1.json" 2>&1 | tee "$OUT/cc-$1.log" | grep -E 'completed_2xx|latency\(' || true
}
probe direct "http://127.0.0.1:$MOCK_PORT/v1/messages"
# First right after start (a JIT-cold JVM: 5 s warm-up inside the probe), then again after CC_WARMUP more
# seconds of the same load, which is where a long-running gateway spends its life.
probe tracegate-cold "http://127.0.0.1:4000/v1/messages?beta=true"
DURATION=${CC_WARMUP:-45} probe warmup "http://127.0.0.1:4000/v1/messages?beta=true" > /dev/null
probe tracegate "http://127.0.0.1:4000/v1/messages?beta=true"
kill -TERM $GW; wait $GW 2>/dev/null || true
kill $MOCK 2>/dev/null || true
python3 - "$OUT/cc-direct.json" "$OUT/cc-tracegate-cold.json" "$OUT/cc-tracegate.json" <<'PY' | tee -a "$OUT/summary.md"
import json, sys
d, c, t = (json.load(open(p)) for p in sys.argv[1:4])
def p(x, k):
    lat = x.get("latency_ms") or x.get("latency") or {}
    return lat.get(k)
print("| target | p50 ms | p99 ms |\n|---|---:|---:|")
for name, x in (("direct", d), ("tracegate, first 15 s after start", c), ("tracegate, after 45 s more", t)):
    print(f"| {name} | {p(x,'p50')} | {p(x,'p99')} |")
try:
    print(f"added p50: {p(t,'p50') - p(d,'p50'):.3f} ms")
except TypeError:
    print("added p50: see the json files (unexpected lprobe output shape)")
PY
check_spans "$OUT/cc-gateway.log" "$TRACEGATE_BENCH_DB"
[ -n "${VMSTAT:-}" ] && kill "$VMSTAT" 2>/dev/null
steal_summary
echo "results: $OUT"
