#!/usr/bin/env bash
# Slow-client attack on a gateway limited to 512 descriptors (ulimit -n 512), with /health probes meanwhile.
# usage: bench/slowloris.sh   (HEADER=2s BODY=4s IDLE=4s SLOW=1000 PARTIAL=1000 DURATION=30 FDS=512 REOPEN=1)
# REOPEN=0: one wave of connections; REOPEN=1: each connection the gateway closes is opened again at once.
# HEADER=1h BODY=1h IDLE=1h reproduces a gateway without client timeouts (connections held until the end).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/target/tracegate.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -o -DskipTests package)
dir="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
cat > "$dir/tracegate.yaml" <<YAML
server: { host: 127.0.0.1, port: 0, header_timeout: ${HEADER:-2s}, body_timeout: ${BODY:-4s}, idle_timeout: ${IDLE:-4s} }
store: { kind: memory }
models:
  - name: mock-model
    backends:
      - provider: mock
YAML
bash -c "ulimit -n ${FDS:-512}; exec java -jar '$jar' serve --config '$dir/tracegate.yaml'" > "$dir/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do grep -q "ready on" "$dir/serve.log" && break; sleep 0.1; done
port="$(sed -n 's/.*ready on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$dir/serve.log" | head -1)"
echo "gateway pid $pid on port $port, $(ls /proc/$pid/fd | wc -l) descriptors open at start, limit $(awk '/Max open files/ {print $4}' /proc/$pid/limits)," \
  "timeouts header ${HEADER:-2s} body ${BODY:-4s} idle ${IDLE:-4s}"
python3 "$root/bench/slowloris.py" 127.0.0.1 "$port" "${SLOW:-1000}" "${PARTIAL:-1000}" "${DURATION:-30}" "${REOPEN:-1}"
curl -s "http://127.0.0.1:$port/metrics" | grep '^tracegate_connections_closed_total' || true
echo "gateway log: $(grep -c 'Too many open files' "$dir/serve.log") 'Too many open files' lines"
