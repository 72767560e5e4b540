#!/usr/bin/python3
"""A fake Slack on 127.0.0.1 for the tests: an incoming webhook and the two
Web API methods mahoraga uses, answering as Slack documents them.

    fake_slack.py DIR

POST /services/T0/B0/<secret>: an incoming webhook: "ok", or a 4xx whose body
is the error's one word. POST /api/chat.postMessage (bearer xoxb-FAKE-token,
channel C0ONCALL): {"ok": true, "ts", "channel"} or {"ok": false, "error"}.
GET /api/conversations.history: the channel's messages, their metadata with
include_all_metadata. Every message is kept in DIR/messages.json; each request
is a line of DIR/requests ("<METHOD> <path-without-query> -> <status>").
DIR/down: every request a 500. DIR/ratelimit: a 429 with Retry-After: 30.
"""
import http.server
import json
import os
import sys
import threading
import time
import urllib.parse

DIR = sys.argv[1]
TOKEN = "xoxb-FAKE-token"
WEBHOOK = "/services/T0/B0/hooksecretFAKE"


# One request at a time changes the state files: the workers under test send
# requests at once, and a read of a file half written lost a request in CI.
LOCK = threading.Lock()


def serialized(method):
    def run(self):
        with LOCK:
            return method(self)
    return run


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, ctype="application/json; charset=utf-8", headers=()):
        with open(os.path.join(DIR, "requests"), "a") as f:
            f.write("%s %s -> %d\n" % (self.command, urllib.parse.urlsplit(self.path).path, status))
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def messages(self):
        path = os.path.join(DIR, "messages.json")
        return json.load(open(path)) if os.path.exists(path) else []

    def keep(self, msg):
        m = self.messages()
        msg["ts"] = "%d.%06d" % (time.time(), len(m) + 1)
        m.append(msg)
        with open(os.path.join(DIR, "messages.json"), "w") as f:
            json.dump(m, f, indent=1)
        return msg["ts"]

    def trouble(self):
        if os.path.exists(os.path.join(DIR, "down")):
            self.answer(500, "internal_error", "text/plain")
            return True
        if os.path.exists(os.path.join(DIR, "ratelimit")):
            self.answer(429, {"ok": False, "error": "ratelimited"}, headers=[("Retry-After", "30")])
            return True
        return False

    @serialized
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        path = urllib.parse.urlsplit(self.path).path
        if self.trouble():
            return
        try:
            msg = json.loads(body)
        except ValueError:
            return self.answer(400, "invalid_payload", "text/plain")
        if path == WEBHOOK:
            if not msg.get("text") and not msg.get("blocks"):
                return self.answer(400, "no_text", "text/plain")
            self.keep(dict(msg, via="webhook"))
            return self.answer(200, "ok", "text/html")
        if path.startswith("/services/"):
            return self.answer(404, "no_service", "text/plain")
        if path == "/api/chat.postMessage":
            if self.headers.get("Authorization") != "Bearer " + TOKEN:
                return self.answer(200, {"ok": False, "error": "invalid_auth"})
            if msg.get("channel") != "C0ONCALL":
                return self.answer(200, {"ok": False, "error": "channel_not_found"})
            ts = self.keep(dict(msg, via="bot"))
            return self.answer(200, {"ok": True, "channel": "C0ONCALL", "ts": ts,
                                     "message": {"text": msg.get("text"), "ts": ts}})
        self.answer(404, {"ok": False, "error": "unknown_method"})

    @serialized
    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(url.query)
        if self.trouble():
            return
        if url.path != "/api/conversations.history":
            return self.answer(404, {"ok": False, "error": "unknown_method"})
        if self.headers.get("Authorization") != "Bearer " + TOKEN:
            return self.answer(200, {"ok": False, "error": "invalid_auth"})
        if q.get("channel", [""])[0] != "C0ONCALL":
            return self.answer(200, {"ok": False, "error": "channel_not_found"})
        oldest = float(q.get("oldest", ["0"])[0])
        meta = q.get("include_all_metadata", ["false"])[0] == "true"
        out = []
        for m in reversed(self.messages()):
            if m.get("via") != "bot" or float(m["ts"]) < oldest:
                continue
            x = {"type": "message", "ts": m["ts"], "text": m.get("text", "")}
            if meta and m.get("metadata"):
                x["metadata"] = m["metadata"]
            out.append(x)
        self.answer(200, {"ok": True, "messages": out, "has_more": False})


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(os.path.join(DIR, "port.tmp"), "w") as f:
    f.write(str(server.server_port))
os.rename(os.path.join(DIR, "port.tmp"), os.path.join(DIR, "port"))
server.serve_forever()
