#!/usr/bin/env bash
# Memory soak: the OpenAI pass-through lane at a fixed rate (default 2,000 req/s) for DURATION seconds
# (default 600), SQLite persistence on, gateway pinned to CPU 1 and load + mock upstream on CPU 0, exactly
# like bench/run.sh. Once a minute the script forces a full GC (jcmd GC.run) and reads the heap that GC left
# in use from the GC log (every generation's "after" size, in KiB), so a leak shows as growth between
# minute 1 and the end, not as GC timing or as what was allocated between two jcmd calls.
# Prints the per-minute table, the change from minute 1 to the end, the probe's latency summary and the
# span check (requests answered == spans in the store). Latency excludes the first 30 s (cold JIT).
# Usage: bench/soak.sh            (env: DURATION=600 RATE=2000 JVM options from bench/java-opts.sh, HARNESS, OUT)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HARNESS=${HARNESS:-$(cd "$ROOT/../shared/bench" 2>/dev/null && pwd || true)}
[ -x "$HARNESS/build.sh" ] || { echo "soak: referee harness not found (set HARNESS=.../shared/bench)" >&2; exit 2; }
command -v jcmd >/dev/null || { echo "soak: jcmd (JDK) is required" >&2; exit 2; }
WORK=${BENCH_WORK:-/tmp/tracegate-bench}
OUT=${OUT:-$ROOT/target/bench/soak-$(date +%Y%m%d-%H%M%S)}
DURATION=${DURATION:-600}
RATE=${RATE:-2000}
. "$ROOT/bench/java-opts.sh"
MOCK_PORT=${MOCK_PORT:-18081}
mkdir -p "$OUT"

(cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests package)
"$HARNESS/build.sh" >/dev/null
JAR="$ROOT/target/tracegate.jar"
CONFIG="$ROOT/bench/mock-upstream.yaml"
export TRACEGATE_BENCH_DB="$OUT/tracegate.db"

MOCK_PORT=$MOCK_PORT taskset -c 0 "$WORK/build/mockllm" > "$OUT/mock.log" 2>&1 &
MOCK=$!
# shellcheck disable=SC2086
MOCK_BASE_URL="http://127.0.0.1:$MOCK_PORT" taskset -c 1 java $JAVA_OPTS -Xlog:gc,gc+heap:file="$OUT/gc.log" \
  -jar "$JAR" serve --config "$CONFIG" > "$OUT/gateway.log" 2>&1 &
GW=$!
trap 'kill $MOCK $GW 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do curl -s -o /dev/null http://127.0.0.1:4000/health && break; sleep 0.2; done

heap_after_full_gc() {  # KiB of heap the forced full GC left in use (young + old generation "after" sizes)
  jcmd "$GW" GC.run > /dev/null
  sleep 1
  local id
  id=$(grep 'Pause Full' "$OUT/gc.log" | tail -1 | grep -o 'GC([0-9]*)')
  grep -F "$id " "$OUT/gc.log" | grep -v Metaspace \
    | sed -nE 's/^.*GC\([0-9]+\) [A-Za-z]+: [0-9]+K(\([0-9]+K\))?->([0-9]+)K.*$/\2/p' | awk '{ s += $1 } END { print s }'
}

taskset -c 0 "$WORK/build/lprobe" -u "http://127.0.0.1:4000/v1/chat/completions" -b "$HARNESS/bodies/chat.json" \
  -H 'content-type: application/json' -H 'Authorization: Bearer sk-bench-dummy' -r "$RATE" -d "$DURATION" -w 30 \
  -c 64 -T 10 -l soak -j "$OUT/probe.json" > "$OUT/probe.log" 2>&1 &
PROBE=$!
command -v vmstat >/dev/null && { vmstat -n 10 $(( DURATION / 10 + 6 )) > "$OUT/vmstat.txt" & }
echo "| minute | heap in use after a full GC (KiB) |" | tee "$OUT/summary.md"
echo "|---:|---:|" | tee -a "$OUT/summary.md"
minutes=$(( DURATION / 60 ))
first=""
last=""
for m in $(seq 1 "$minutes"); do
  sleep 60
  kill -0 "$PROBE" 2>/dev/null || break
  last=$(heap_after_full_gc)
  [ -n "$first" ] || first=$last
  echo "| $m | $last |" | tee -a "$OUT/summary.md"
done
wait $PROBE || true
grep -E 'completed_2xx|latency\(' "$OUT/probe.log" | tee -a "$OUT/summary.md"
awk -v a="$first" -v b="$last" 'BEGIN { if (a > 0) printf "heap after full GC: minute 1 %d KiB, end %d KiB, change %+.1f%%\n", a, b, (b - a) * 100 / a }' \
  | tee -a "$OUT/summary.md"

[ -f "$OUT/vmstat.txt" ] && awk 'NR > 2 { n++; s += $17; if ($17 > m) m = $17 } END { if (n) printf "CPU steal (vmstat, 10 s samples): mean %.1f%%, max %d%%\n", s / n, m }' \
  "$OUT/vmstat.txt" | tee -a "$OUT/summary.md"
kill -TERM $GW; wait $GW 2>/dev/null || true
kill $MOCK 2>/dev/null || true
answered=$(grep -o 'requests answered [0-9]*' "$OUT/gateway.log" | tail -1 | awk '{print $3}')
stored=$(java -jar "$JAR" spans --config "$CONFIG" --count)
echo "span check: requests answered ${answered:-?}, spans in the store $stored" | tee -a "$OUT/summary.md"
[ "${KEEP_DB:-0}" = 1 ] || rm -f "$TRACEGATE_BENCH_DB" "$TRACEGATE_BENCH_DB-wal" "$TRACEGATE_BENCH_DB-shm"  # ~1 GB a minute
[ "${answered:-x}" = "$stored" ] || { echo "span check: MISMATCH" | tee -a "$OUT/summary.md"; exit 1; }
echo "results in $OUT"
