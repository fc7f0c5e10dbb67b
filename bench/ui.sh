#!/usr/bin/env bash
# Issue 24 point 4: how long the trace UI's Rollouts view takes to open on a 100,000-span SQLite store, in Debian's
# headless Chromium (apt-get install chromium chromium-driver). Generates the store in a temporary folder, starts a
# gateway on it and prints the open times (navigation start -> first page of rows rendered). ROLLOUTS=N changes the
# size (10 spans per rollout). Not part of `mvn verify`.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q test -Dtest=RolloutsOpenTimeBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Drollouts="${ROLLOUTS:-10000}" -DtrimStackTrace=false || status=$?
grep -h "generated\|GET /api/rollout-table\|open time" target/surefire-reports/io.tracegate.ui.RolloutsOpenTimeBench-output.txt
exit "${status:-0}"
