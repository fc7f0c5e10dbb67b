#!/usr/bin/env bash
# How long the span writer holds up an event loop sharing its core: a stand-in event loop ticking at RATE,
# a real BatchingSpanWriter + SQLite store, all pinned to one CPU (see WriterInterferenceBench).
# Usage: bench/writer-interference.sh [rate/s] [seconds] [work us per tick]
# With perf installed (and allowed), PERF=1 also counts the writer's stretches on the CPU longer than 1 / 2 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CPU=${CPU:-1}
PIN=(); command -v taskset >/dev/null && PIN=(taskset -c "$CPU")
OUT=$(mktemp -d)
if [[ "${PERF:-0}" == 1 ]]; then
  secs=${2:-30}
  (sleep $((secs / 3 + 2)); perf sched record -C "$CPU" -o "$OUT/sched.data" -- sleep $((secs / 2)) >/dev/null 2>&1) &
fi
"${PIN[@]}" java -XX:ActiveProcessorCount=1 -XX:+UseParallelGC -Xms512m -Xmx2g \
  -cp "target/classes:target/test-classes:$(cat target/classpath.txt)" \
  io.tracegate.bench.WriterInterferenceBench "${1:-1000}" "${2:-30}" "${3:-50}" "$OUT/spans.db"
wait
if [[ -f "$OUT/sched.data" ]]; then
  perf sched timehist -i "$OUT/sched.data" 2>/dev/null | awk 'NR > 3 && $3 ~ /tracegate-span/ {
      n++; if ($NF > 1) a++; if ($NF > 2) b++ } END {
      printf "writer on the CPU (perf sched): %d stretches, %d longer than 1 ms, %d longer than 2 ms\n", n, a, b }'
fi
rm -rf "$OUT"
