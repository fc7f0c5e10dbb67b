#!/usr/bin/env bash
# JMH micro-benchmarks of the hot-path pieces (src/test/java/io/tracegate/bench/jmh).
# Usage: bench/jmh.sh [regex] [extra JMH args...]
#   bench/jmh.sh                          # every benchmark, short defaults
#   bench/jmh.sh SseTap                   # benchmarks whose name matches the regex
#   bench/jmh.sh Routing -prof gc         # plus allocation per op (gc.alloc.rate.norm, B/op)
#   bench/jmh.sh . -i 10 -r 2s            # options given here replace the defaults
#   bench/jmh.sh -l                       # list benchmarks (any first argument starting with '-' is a JMH option)
# Defaults suit this 2-core machine: 1 fork, 3 x 1 s warm-up, 5 x 1 s measurement, 1 thread.
# JMH_SKIP_BUILD=1 reuses target/test-classes and target/classpath.txt from an earlier run.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${JMH_SKIP_BUILD:-}" != 1 ]]; then
  mvn -q -B -DskipTests test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/classpath.txt
fi
regex='io\.tracegate\.bench\.jmh\..*'
if [[ $# -gt 0 && "$1" != -* ]]; then
  regex="io\.tracegate\.bench\.jmh\..*($1).*"
  shift
fi
# JMH refuses an option given twice: add each default only when the caller did not give it.
defaults=()
for pair in "-f 1" "-wi 3" "-i 5" "-w 1s" "-r 1s" "-t 1"; do
  opt=${pair%% *}
  given=0
  for a in "$@"; do [[ "$a" == "$opt" ]] && given=1; done
  [[ $given == 1 ]] || defaults+=("$opt" "${pair#* }")
done
exec java -cp "target/test-classes:target/classes:$(cat target/classpath.txt)" \
  org.openjdk.jmh.Main "$regex" "${defaults[@]}" "$@"
