#!/usr/bin/env python3
"""Stand-in for a webhook consumer and for Slack, on 127.0.0.1, for the staging recipe.

POST /webhook  checks the Standard Webhooks signature (HMAC-SHA256 over "id.timestamp.body",
               key = base64 after "whsec_", timestamp within 5 minutes), saves the raw body as
               OUT/webhooks/NNNN-<type>.json and answers 204; a bad signature is logged in
               OUT/rejected.jsonl and answered 401 (the agent then pauses the destination, and
               run-staging.sh fails).
POST /slack    saves the body as OUT/slack/NNNN.json and answers "ok", as Slack does.

It binds port 0 and writes the port it got to OUT/receiver.port once it listens, so two runs
never race for a port. Standard library only.

  receiver.py --out DIR --secret-file FILE
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY = 1 << 20          # the agent's events are far below this (Standard Webhooks: 20 KB)
TOLERANCE_SECONDS = 300     # what the spec recommends against replays


def signature_valid(key: bytes, msg_id: str, timestamp: str, body: bytes, header: str) -> bool:
    signed = msg_id.encode() + b"." + timestamp.encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    # several signatures (a key rotation) are separated by spaces; one match is enough
    return any(part.startswith("v1,") and hmac.compare_digest(part[3:], expected) for part in header.split())


class Store:
    """Numbers the saved payloads in arrival order; the numbering is shared by both endpoints."""

    def __init__(self, out: str):
        self.out = out
        self.lock = threading.Lock()
        self.count = 0
        os.makedirs(os.path.join(out, "webhooks"), exist_ok=True)
        os.makedirs(os.path.join(out, "slack"), exist_ok=True)

    def save(self, kind: str, suffix: str, body: bytes) -> str:
        with self.lock:
            self.count += 1
            name = os.path.join(self.out, kind, "%04d%s.json" % (self.count, suffix))
        tmp = name + ".part"
        with open(tmp, "wb") as f:
            f.write(body)
        os.rename(tmp, name)  # readers never see a half-written file
        return name

    def reject(self, record: dict) -> None:
        with self.lock, open(os.path.join(self.out, "rejected.jsonl"), "a") as f:
            f.write(json.dumps(record) + "\n")


def handler(store: Store, key: bytes):
    class Handler(BaseHTTPRequestHandler):
        server_version = "bouncewatch-staging-receiver"

        def log_message(self, fmt, *args):  # quiet: the report shows what arrived
            pass

        def answer(self, status: int, text: str = "") -> None:
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self.answer(413, "too large")
                return
            body = self.rfile.read(length)
            path = self.path.split("?", 1)[0]
            if path == "/webhook":
                self.webhook(body)
            elif path == "/slack":
                store.save("slack", "", body)
                self.answer(200, "ok")
            else:
                self.answer(404, "no such endpoint")

        def webhook(self, body: bytes) -> None:
            msg_id = self.headers.get("webhook-id", "")
            ts = self.headers.get("webhook-timestamp", "")
            sig = self.headers.get("webhook-signature", "")
            problem = None
            if not (msg_id and ts and sig):
                problem = "missing webhook-id, webhook-timestamp or webhook-signature"
            elif not ts.isdigit() or abs(time.time() - int(ts)) > TOLERANCE_SECONDS:
                problem = "timestamp %r is more than %d s away from now" % (ts, TOLERANCE_SECONDS)
            elif not signature_valid(key, msg_id, ts, body, sig):
                problem = "no v1 signature matches the secret"
            if problem:
                store.reject({"id": msg_id, "timestamp": ts, "problem": problem,
                              "body": body[:2000].decode("utf-8", "replace")})
                self.answer(401, problem)
                return
            try:
                event_type = json.loads(body).get("type", "unknown")
            except ValueError:
                event_type = "unparsable"
            safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in str(event_type))[:40]
            store.save("webhooks", "-" + safe, body)
            self.answer(204)

    return Handler


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="directory for the payloads and receiver.port")
    parser.add_argument("--secret-file", required=True, help="file holding the whsec_... secret")
    args = parser.parse_args()
    with open(args.secret_file) as f:
        secret = f.read().strip()
    if not secret.startswith("whsec_"):
        print("receiver.py: the secret must start with whsec_", file=sys.stderr)
        return 2
    key = base64.b64decode(secret[len("whsec_"):])
    store = Store(args.out)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(store, key))
    port_file = os.path.join(args.out, "receiver.port")
    with open(port_file + ".part", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(port_file + ".part", port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
