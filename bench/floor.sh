#!/usr/bin/env bash
# The floor under tracegate's figures, measured by the referee harness exactly like tracegate (run.sh):
#   pipe    a bare Vert.x 5 pipe (no parsing, no recording): issue 5's "bare Vert.x 5 pipe" row;
#   record  the same pipe plus one SQLite row per request (id, times, status, request and answer bytes; a
#           primary key, 16 KiB pages, WAL, one writer thread, one transaction per batch of up to 512):
#           the least any gateway that records every request in SQLite can do.
# Both are io.tracegate.bench.PipeFloor (test classes), OpenAI lane only, same pinning and JVM options as
# run.sh. After the record run it prints answered vs rows, like run.sh's span check.
# Usage: bench/floor.sh [record|pipe ...]   (default: record pipe; harness env such as DURATION passes through)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HARNESS=${HARNESS:-$(cd "$ROOT/../shared/bench" 2>/dev/null && pwd || true)}
[ -x "$HARNESS/run-gateway.sh" ] || { echo "floor: referee harness not found (set HARNESS=.../shared/bench)" >&2; exit 2; }
OUT=${OUT:-$ROOT/target/bench/floor-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
. "$ROOT/bench/java-opts.sh"
MODES=("$@")
[ ${#MODES[@]} -gt 0 ] || MODES=(record pipe)

(cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/classpath.txt)
CP="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$ROOT/target/classpath.txt")"
DB="$OUT/floor.db"
for mode in "${MODES[@]}"; do
  case "$mode" in record|pipe) ;; *) echo "floor: mode must be record or pipe" >&2; exit 2 ;; esac
  echo "## floor-$mode" | tee -a "$OUT/summary.md"
  # shellcheck disable=SC2086
  OUT="$OUT/$mode" "$HARNESS/run-gateway.sh" --name "floor-$mode" --port 4000 --api openai --ready-path /health -- \
    java $JAVA_OPTS -cp "$CP" io.tracegate.bench.PipeFloor "$mode" 4000 "$DB" | tee -a "$OUT/summary.md"
  grep -h 'answered' "$OUT/$mode/floor-$mode.log" | tee -a "$OUT/summary.md" || true
  rm -f "$DB" "$DB-wal" "$DB-shm"
done
echo "summary: $OUT/summary.md"
