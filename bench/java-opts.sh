# Sourced by the bench scripts: the JVM options every benchmarked gateway process runs with (one core, as the
# harness pins it; the options bin/tracegate uses; a fixed heap). TRACEGATE_BENCH_JAVA_OPTS replaces them.
# shellcheck shell=bash
JAVA_OPTS=${TRACEGATE_BENCH_JAVA_OPTS:--XX:ActiveProcessorCount=1 -XX:+UseParallelGC -XX:MetaspaceSize=64m -XX:InlineSmallCode=500 -Xms512m -Xmx2g}
