#!/usr/bin/python3
"""A fake GitHub REST API on 127.0.0.1 for the tests: the issues endpoint as
GitHub documents it (ETag and If-None-Match, Link pagination, rate-limit
headers, pull requests among the issues, a bearer token required).

    fake_github.py DIR

DIR/issues.json holds the repository acme/loader's issues as the API returns
them (read again on every request, so a test edits it between polls); the
comments posted on them are kept in DIR/comments.json. The server writes its
port to DIR/port and one line per request to DIR/requests:
"<METHOD> <path> if-none-match=<yes|no> auth=<ok|missing|wrong> -> <status>".
Two issues a page, whatever per_page asks, so that every poll follows Link.
"""
import hashlib
import http.server
import json
import os
import sys
import time
import urllib.parse

DIR = sys.argv[1]
TOKEN = "t0ken_FAKE_not_real"
PER_PAGE = 2


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body=b"", headers=()):
        auth = self.headers.get("Authorization")
        with open(os.path.join(DIR, "requests"), "a") as f:
            f.write("%s %s if-none-match=%s auth=%s -> %d\n" % (
                self.command, self.path, "yes" if self.headers.get("If-None-Match") else "no",
                "ok" if auth == "Bearer " + TOKEN else "missing" if not auth else "wrong", status))
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        given = [k for k, _ in headers]
        self.send_header("X-RateLimit-Limit", "5000")
        if "X-RateLimit-Remaining" not in given:
            self.send_header("X-RateLimit-Remaining", "4999")
        if "X-RateLimit-Reset" not in given:
            self.send_header("X-RateLimit-Reset", "1890000000")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def comments(self):
        path = os.path.join(DIR, "comments.json")
        return json.load(open(path)) if os.path.exists(path) else {}

    def save_comments(self, c):
        with open(os.path.join(DIR, "comments.json"), "w") as f:
            json.dump(c, f, indent=1)

    def comment_json(self, n, c):
        return {"id": c["id"], "html_url": "https://github.com/acme/loader/issues/%s#issuecomment-%d" % (n, c["id"]),
                "user": {"login": "mahoraga-bot"}, "body": c["body"], "created_at": "2026-11-21T00:00:00Z"}

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        parts = url.path.split("/")
        if self.headers.get("Authorization") != "Bearer " + TOKEN:
            return self.answer(401, b'{"message": "Bad credentials"}')
        # /repos/acme/loader/issues/{n}/comments
        if len(parts) != 7 or parts[1:5] != ["repos", "acme", "loader", "issues"] or parts[6] != "comments":
            return self.answer(404, b'{"message": "Not Found"}')
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        c = self.comments()
        new = {"id": 9000 + sum(len(v) for v in c.values()) + 1, "body": body["body"]}
        c.setdefault(parts[5], []).append(new)
        self.save_comments(c)
        self.answer(201, json.dumps(self.comment_json(parts[5], new)).encode(), [("Content-Type", "application/json")])

    def do_PATCH(self):
        url = urllib.parse.urlsplit(self.path)
        parts = url.path.split("/")
        if self.headers.get("Authorization") != "Bearer " + TOKEN:
            return self.answer(401, b'{"message": "Bad credentials"}')
        # /repos/acme/loader/issues/comments/{id}
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        c = self.comments()
        for n, lst in c.items():
            for com in lst:
                if len(parts) == 7 and str(com["id"]) == parts[6]:
                    com["body"] = body["body"]
                    self.save_comments(c)
                    return self.answer(200, json.dumps(self.comment_json(n, com)).encode(),
                                       [("Content-Type", "application/json")])
        self.answer(404, b'{"message": "Not Found"}')

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(url.query)
        if self.headers.get("Authorization") != "Bearer " + TOKEN:
            return self.answer(401, b'{"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}')
        if os.path.exists(os.path.join(DIR, "limit")):
            return self.answer(403, b'{"message": "API rate limit exceeded"}',
                               [("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", str(int(time.time()) + 3600))])
        if os.path.exists(os.path.join(DIR, "secondary")):
            return self.answer(403, b'{"message": "You have exceeded a secondary rate limit."}', [("Retry-After", "120")])
        parts = url.path.split("/")
        if len(parts) == 7 and parts[1:5] == ["repos", "acme", "loader", "issues"] and parts[6] == "comments":
            lst = [self.comment_json(parts[5], c) for c in self.comments().get(parts[5], [])]
            return self.answer(200, json.dumps(lst).encode(), [("Content-Type", "application/json")])
        # every repository of the owner "acme" has the same issues (a bench
        # polls twenty of them)
        if len(parts) != 5 or parts[1:3] != ["repos", "acme"] or parts[4] != "issues":
            return self.answer(404, b'{"message": "Not Found"}')
        with open(os.path.join(DIR, "issues.json"), "rb") as f:
            raw = f.read()
        issues = json.loads(raw)
        since = q.get("since", [None])[0]
        if since:
            issues = [i for i in issues if i["updated_at"] >= since]
        issues.sort(key=lambda i: i["updated_at"])
        page = int(q.get("page", ["1"])[0])
        base = dict((k, v) for k, v in q.items() if k != "page")
        etag = 'W/"%s"' % hashlib.sha1(raw + json.dumps(base, sort_keys=True).encode() + str(page).encode()).hexdigest()
        if self.headers.get("If-None-Match") == etag:
            return self.answer(304, headers=[("ETag", etag)])
        chunk = issues[(page - 1) * PER_PAGE:page * PER_PAGE]
        headers = [("Content-Type", "application/json; charset=utf-8"), ("ETag", etag)]
        if page * PER_PAGE < len(issues):
            nxt = dict(base, page=[str(page + 1)])
            link = "http://127.0.0.1:%d%s?%s" % (self.server.server_port, url.path, urllib.parse.urlencode(nxt, doseq=True))
            headers.append(("Link", '<%s>; rel="next", <%s>; rel="last"' % (link, link)))
        self.answer(200, json.dumps(chunk).encode(), headers)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(os.path.join(DIR, "port.tmp"), "w") as f:
    f.write(str(server.server_port))
os.rename(os.path.join(DIR, "port.tmp"), os.path.join(DIR, "port"))
server.serve_forever()
