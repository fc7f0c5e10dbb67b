#!/usr/bin/env bash
# Issue 21: spans/s through the batching writer alone into PostgreSQL (embedded binaries, loopback) beside SQLite,
# what one sequence id from the database costs, and gateway max req/s with each store.
# Usage: bench/postgres-store.sh [SPANS] [SECONDS]   (defaults 20000 and 10; needs wrk)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
mvn -B -q -o -Dstyle.color=never -DskipTests test-compile
CP=$(mvn -B -q -o -Dstyle.color=never dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout \
  | sed "s/\x1b\[[0-9;]*m//g")
java -cp "target/test-classes:target/classes:$CP" io.tracegate.bench.PostgresStoreBench "${1:-20000}" 2>/dev/null
# gateway max req/s (built-in mock backend, wrk -t1 -c32), SQLite then PostgreSQL
java -cp "target/test-classes:target/classes:$CP" io.tracegate.bench.StoreGatewayBench "${2:-10}" 2>/dev/null
