#!/usr/bin/env python3
"""A minimal OTLP/HTTP sink for bench/otlp.sh: answers every POST /v1/traces with an empty success
(ExportTraceServiceResponse has no required fields: an empty protobuf body is a valid one) and counts
requests and bytes. Usage: otlp-sink.py PORT  (prints the totals on SIGTERM)."""
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

requests = 0
received = 0


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        global requests, received
        n = int(self.headers.get("content-length", "0"))
        self.rfile.read(n)
        requests += 1
        received += n
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def stop(*_):
    print(f"otlp sink: {requests} export requests, {received} bytes", flush=True)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
