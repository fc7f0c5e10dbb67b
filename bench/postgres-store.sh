#!/usr/bin/env bash
# Issue 21: spans/s through the batching writer alone into PostgreSQL (embedded binaries, loopback) beside SQLite,
# and what one sequence id from the database costs. Usage: bench/postgres-store.sh [SPANS]   (default 20000)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
mvn -B -q -o -Dstyle.color=never -DskipTests test-compile
CP=$(mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
java -cp "target/test-classes:target/classes:$CP" io.tracegate.bench.PostgresStoreBench "${1:-20000}" 2>/dev/null
