#!/usr/bin/env bash
# Dataset export benchmark: triplets/s to JSONL and Parquet, and peak heap, from generated SQLite stores of
# ROLLOUTS and ROLLOUTS/10 rollouts (kept in DIR and reused; --regenerate rebuilds them).
# Usage: bench/export.sh [rollouts] [turns] [dir] [--regenerate]
# Env: XMX (heap of the export JVMs, default 256m), CHILD_OPTS (extra options of the export JVMs).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec java -Xmx2g -Dbench.xmx="${XMX:-256m}" -Dbench.childOpts="${CHILD_OPTS:-}" \
  -cp "target/classes:target/test-classes:$(cat target/classpath.txt)" \
  io.tracegate.bench.ExportBench "$@"
