#!/usr/bin/env python3
"""A local webhook receiver for bench/events.sh: answers every POST with 204 at once and counts
deliveries by event type, with the first and last arrival times; GET /count returns the counts
as JSON, POST /reset empties them. It checks nothing (the tests verify signatures); it only
measures what arrives.

    python3 bench/events/receiver.py PORT
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
state = {"by_type": {}, "first": None, "last": None, "ids": set()}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b""):
        self.send_response(status)
        self.send_header("content-length", str(len(body)))
        if body:
            self.send_header("content-type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        if self.path == "/reset":
            with lock:
                state.update(by_type={}, first=None, last=None, ids=set())
            return self.reply(204)
        now = time.time()
        kind = json.loads(body).get("type", "?")
        with lock:
            state["by_type"][kind] = state["by_type"].get(kind, 0) + 1
            state["ids"].add(self.headers.get("webhook-id"))
            state["first"] = state["first"] or now
            state["last"] = now
        self.reply(204)

    def do_GET(self):
        with lock:
            out = {k: state[k] for k in ("by_type", "first", "last")}
            out["distinct_ids"] = len(state["ids"])
        self.reply(200, json.dumps(out).encode())


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
