#!/usr/bin/env bash
# OTLP export on vs off, OpenAI pass-through lane, with the referee harness (../shared/bench, or $HARNESS):
# the same harness pass twice through tracegate (bench/mock-upstream.yaml; then the same config plus
# telemetry.otlp pointed at bench/otlp-sink.py on CPU 0, content off), then the exported/dropped counters.
# Usage: bench/otlp.sh   (DURATION, WARMUP, RATES, STREAM_RATE passed through to the harness)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HARNESS=${HARNESS:-$(cd "$ROOT/../shared/bench" 2>/dev/null && pwd || true)}
[ -x "$HARNESS/run-gateway.sh" ] || { echo "bench: referee harness not found (set HARNESS=.../shared/bench)" >&2; exit 2; }
OUT=${OUT:-$ROOT/target/bench/otlp-$(date +%Y%m%d-%H%M%S)}
SINK_PORT=${SINK_PORT:-14318}
mkdir -p "$OUT"
. "$ROOT/bench/java-opts.sh"
[ -f "$ROOT/target/tracegate.jar" ] || (cd "$ROOT" && mvn -B -q -DskipTests package)
"$HARNESS/build.sh" >/dev/null
JAR="$ROOT/target/tracegate.jar"
CONFIG_OFF="$ROOT/bench/mock-upstream.yaml"
CONFIG_ON="$OUT/mock-upstream-otlp.yaml"
{ cat "$CONFIG_OFF"; printf 'telemetry:\n  otlp:\n    endpoint: http://127.0.0.1:%s\n' "$SINK_PORT"; } > "$CONFIG_ON"

taskset -c 0 python3 "$ROOT/bench/otlp-sink.py" "$SINK_PORT" > "$OUT/sink.txt" 2>&1 &
SINK=$!
trap 'kill $SINK 2>/dev/null || true' EXIT

for mode in off on; do
  config=$CONFIG_OFF; [ $mode = on ] && config=$CONFIG_ON
  export TRACEGATE_BENCH_DB="$OUT/tracegate-$mode.db"
  OUT="$OUT/$mode" "$HARNESS/run-gateway.sh" --name "tracegate-otlp-$mode" --port 4000 --api openai --no-direct \
    --ready-path /health -- java $JAVA_OPTS -jar "$JAR" serve --config "$config" | tee "$OUT/$mode.txt"
  rm -f "$OUT/tracegate-$mode.db"*
done
grep -h "tracegate stopped" "$OUT"/on/*.log "$OUT"/on.txt 2>/dev/null | tail -1 || true
kill $SINK; wait $SINK 2>/dev/null || true
cat "$OUT/sink.txt"
