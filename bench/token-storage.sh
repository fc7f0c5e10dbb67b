#!/usr/bin/env bash
# Token-id storage benchmark: a 50-turn rollout written through SqliteSpanStore.
# Usage: bench/token-storage.sh [turns] [new ids per turn] [response ids per turn] [output dir]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec java -cp "target/classes:target/test-classes:$(cat target/classpath.txt)" \
  io.tracegate.bench.TokenStorageBench "$@"
