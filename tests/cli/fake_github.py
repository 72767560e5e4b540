#!/usr/bin/python3
"""A fake GitHub REST API on 127.0.0.1 for the tests: the issues endpoint as
GitHub documents it (ETag and If-None-Match, Link pagination, rate-limit
headers, pull requests among the issues, a bearer token required).

    fake_github.py DIR

DIR/issues.json holds the repository acme/loader's issues as the API returns
them (read again on every request, so a test edits it between polls); the
comments posted on them are kept in DIR/comments.json. The server writes its
port to DIR/port and one line per request to DIR/requests:
"<METHOD> <path> if-none-match=<yes|no> auth=<ok|missing|wrong> -> <status> at=<time>".
Two issues a page, whatever per_page asks, so that every poll follows Link.

A GitHub App (id 42, installation 7) signs its JWT with the key whose public
half is DIR/app.pub; its installation tokens are kept in state.json, and
DIR/revoke_next makes the next one refused (as an expired one is).

DIR/down makes every GET a 503 (Retry-After: 0, so that retries are quick),
DIR/malformed a cut JSON answer, DIR/huge an 11 MB one.

Writes are kept in DIR/state.json: assignees and labels of each issue, the
repository's labels. Who can be assigned is DIR/assignable (a login a line;
GitHub leaves others out of the answer, silently). A commit's "author" account
is found by its e-mail (read from the clone named in DIR/clone) in
DIR/accounts (lines "email login"); none, and "author" is null, as on GitHub.
"""
import base64
import hashlib
import http.server
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse

DIR = sys.argv[1]
TOKEN = "t0ken_FAKE_not_real"
PER_PAGE = 2


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

    def answer(self, status, body=b"", headers=()):
        auth = self.headers.get("Authorization")
        ok = self.authorized()
        with open(os.path.join(DIR, "requests"), "a") as f:
            f.write("%s %s if-none-match=%s auth=%s -> %d at=%.3f\n" % (
                self.command, self.path, "yes" if self.headers.get("If-None-Match") else "no",
                "ok" if ok else "missing" if not auth else "wrong", status, time.time()))
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

    def authorized(self):
        """The test's token, or an installation token the fake App issued and
        did not revoke."""
        auth = self.headers.get("Authorization") or ""
        if auth == "Bearer " + TOKEN:
            return True
        tokens = self.state().get("tokens", {})
        return auth.startswith("Bearer ") and tokens.get(auth[7:]) == "valid"

    def app_jwt(self):
        """The claims of a JWT signed by the App's key (DIR/app.pub), or None."""
        auth = self.headers.get("Authorization") or ""
        parts = auth[7:].split(".") if auth.startswith("Bearer ") else []
        if len(parts) != 3:
            return None
        unb64 = lambda x: base64.urlsafe_b64decode(x + "=" * (-len(x) % 4))
        sig = os.path.join(DIR, "sig.%d" % os.getpid())
        with open(sig, "wb") as f:
            f.write(unb64(parts[2]))
        got = subprocess.run(["openssl", "dgst", "-sha256", "-verify", os.path.join(DIR, "app.pub"), "-signature", sig],
                             input=(parts[0] + "." + parts[1]).encode(), capture_output=True)
        os.unlink(sig)
        if got.returncode != 0:
            return None
        header, claims = json.loads(unb64(parts[0])), json.loads(unb64(parts[1]))
        now = time.time()
        if header != {"alg": "RS256", "typ": "JWT"} or not claims["iat"] <= now < claims["exp"] or claims["exp"] - claims["iat"] > 600:
            return None
        return claims

    def state(self):
        path = os.path.join(DIR, "state.json")
        st = json.load(open(path)) if os.path.exists(path) else {}
        for k in ("assignees", "labels", "tokens"):
            st.setdefault(k, {})
        st.setdefault("repo_labels", [])
        return st

    def save_state(self, st):
        with open(os.path.join(DIR, "state.json"), "w") as f:
            json.dump(st, f, indent=1)

    def lines(self, name):
        path = os.path.join(DIR, name)
        return open(path).read().split("\n") if os.path.exists(path) else []

    def issue_json(self, n, st):
        user = lambda login: {"login": login, "id": abs(hash(login)) % 100000, "type": "User"}
        assignees = [user(a) for a in st["assignees"].get(n, [])]
        return {"number": int(n), "html_url": "https://github.com/acme/loader/issues/%s" % n,
                "assignee": assignees[0] if assignees else None, "assignees": assignees,
                "labels": [{"name": l, "color": "ededed"} for l in st["labels"].get(n, [])]}

    def json_answer(self, status, obj):
        self.answer(status, json.dumps(obj).encode(), [("Content-Type", "application/json; charset=utf-8")])

    @serialized
    def do_DELETE(self):
        path = urllib.parse.urlsplit(self.path).path
        parts = path.split("/")
        if not self.authorized():
            return self.answer(401, b'{"message": "Bad credentials"}')
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
        if path.startswith("/repos/acme/loader/git/refs/heads/"):
            st = self.state()
            ref = "refs/heads/" + path[len("/repos/acme/loader/git/refs/heads/"):]
            if st.get("refs", {}).pop(ref, None) is None:
                return self.json_answer(422, {"message": "Reference does not exist"})
            self.save_state(st)
            return self.answer(204)
        # /repos/acme/loader/issues/{n}/assignees
        if len(parts) == 7 and parts[1:5] == ["repos", "acme", "loader", "issues"] and parts[6] == "assignees":
            st = self.state()
            st["assignees"][parts[5]] = [a for a in st["assignees"].get(parts[5], []) if a not in body["assignees"]]
            self.save_state(st)
            return self.json_answer(200, self.issue_json(parts[5], st))
        self.answer(404, b'{"message": "Not Found"}')

    @serialized
    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        parts = url.path.split("/")
        if url.path == "/app/installations/7/access_tokens":
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            claims = self.app_jwt()
            if not claims or claims["iss"] != "42":
                return self.json_answer(401, {"message": "A JSON web token could not be decoded"})
            st = self.state()
            token = "ghs_FAKEinstallation%d" % (len(st["tokens"]) + 1)
            # DIR/revoke_next: the token issued next is refused at once, as
            # an expired one is
            revoked = os.path.exists(os.path.join(DIR, "revoke_next"))
            if revoked:
                os.unlink(os.path.join(DIR, "revoke_next"))
            st["tokens"][token] = "revoked" if revoked else "valid"
            self.save_state(st)
            expires = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600))
            return self.json_answer(201, {"token": token, "expires_at": expires,
                                          "permissions": {"issues": "write"}, "repository_selection": "all"})
        if not self.authorized():
            return self.answer(401, b'{"message": "Bad credentials"}')
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        st = self.state()
        if url.path == "/graphql":  # the one mutation mahoraga asks
            m = body.get("query", "")
            if "markPullRequestReadyForReview" not in m:
                return self.json_answer(200, {"errors": [{"message": "this fake knows one mutation"}]})
            for pr in st.get("pulls", []):
                if pr["node_id"] == body.get("variables", {}).get("id"):
                    pr["draft"] = False
                    self.save_state(st)
                    return self.json_answer(200, {"data": {"markPullRequestReadyForReview": {"pullRequest": {"isDraft": False}}}})
            return self.json_answer(200, {"data": None, "errors": [{"type": "NOT_FOUND", "message": "Could not resolve to a node"}]})
        # the git data API, checked against the clone: a tree's base and a
        # commit's parents must be objects GitHub has (those of the clone)
        known = lambda sha: subprocess.run(["git", "-C", open(os.path.join(DIR, "clone")).read().strip(), "cat-file", "-e", sha],
                                           capture_output=True).returncode == 0 or sha in st.get("objects", {})
        new_sha = lambda kind, obj: hashlib.sha1((kind + json.dumps(obj, sort_keys=True) + str(len(st.get("objects", {})))).encode()).hexdigest()
        if url.path == "/repos/acme/loader/git/blobs":
            content = base64.b64decode(body["content"]) if body.get("encoding") == "base64" else body["content"].encode()
            sha = hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()
            st.setdefault("objects", {})[sha] = {"type": "blob", "content": content.decode("utf-8", "replace")}
            self.save_state(st)
            return self.json_answer(201, {"sha": sha, "url": "https://api.github.com/repos/acme/loader/git/blobs/" + sha})
        if url.path == "/repos/acme/loader/git/trees":
            if not known(body.get("base_tree", "")) or not all(known(e["sha"]) for e in body["tree"]):
                return self.json_answer(422, {"message": "Invalid tree info"})
            sha = new_sha("tree", body)
            st.setdefault("objects", {})[sha] = {"type": "tree", "base_tree": body["base_tree"], "tree": body["tree"]}
            self.save_state(st)
            return self.json_answer(201, {"sha": sha, "tree": body["tree"]})
        if url.path == "/repos/acme/loader/git/commits":
            if not known(body["tree"]) or not all(known(p) for p in body["parents"]):
                return self.json_answer(422, {"message": "Parent SHA does not exist or is not a commit object"})
            sha = new_sha("commit", body)
            st.setdefault("objects", {})[sha] = {"type": "commit", "tree": body["tree"], "parents": body["parents"],
                                                 "message": body["message"]}
            self.save_state(st)
            return self.json_answer(201, {"sha": sha, "message": body["message"]})
        if url.path == "/repos/acme/loader/git/refs":
            refs = st.setdefault("refs", {})
            if body["ref"] in refs:
                return self.json_answer(422, {"message": "Reference already exists"})
            refs[body["ref"]] = body["sha"]
            self.save_state(st)
            return self.json_answer(201, {"ref": body["ref"], "object": {"sha": body["sha"], "type": "commit"}})
        if url.path == "/repos/acme/loader/pulls":
            pulls = st.setdefault("pulls", [])
            if "refs/heads/" + body["head"] not in st.get("refs", {}):
                return self.json_answer(422, {"message": "Validation Failed", "errors": [{"field": "head", "code": "invalid"}]})
            if any(pr["head"]["ref"] == body["head"] for pr in pulls):
                return self.json_answer(422, {"message": "Validation Failed", "errors": [
                    {"resource": "PullRequest", "code": "custom", "message": "A pull request already exists for acme:%s." % body["head"]}]})
            n = 100 + len(pulls)
            pr = {"number": n, "node_id": "PR_kwFAKE%d" % n, "html_url": "https://github.com/acme/loader/pull/%d" % n, "state": "open",
                  "title": body["title"], "body": body["body"], "draft": body.get("draft", False),
                  "head": {"ref": body["head"], "sha": st["refs"]["refs/heads/" + body["head"]]}, "base": {"ref": body["base"]}}
            pulls.append(pr)
            self.save_state(st)
            return self.json_answer(201, pr)
        # /repos/acme/loader/labels: 422 when it exists
        if parts[1:] == ["repos", "acme", "loader", "labels"]:
            if body["name"] in st["repo_labels"]:
                return self.json_answer(422, {"message": "Validation Failed", "errors": [
                    {"resource": "Label", "code": "already_exists", "field": "name"}]})
            st["repo_labels"].append(body["name"])
            self.save_state(st)
            return self.json_answer(201, {"id": len(st["repo_labels"]), "name": body["name"],
                                          "color": body.get("color", "ededed"), "default": False})
        if len(parts) == 7 and parts[1:5] == ["repos", "acme", "loader", "issues"] and parts[6] == "labels":
            missing = [l for l in body["labels"] if l not in st["repo_labels"]]
            if missing:  # this fake wants them created first, to check that they are
                return self.json_answer(422, {"message": "Validation Failed: label %s does not exist" % missing[0]})
            have = st["labels"].setdefault(parts[5], [])
            have.extend(l for l in body["labels"] if l not in have)
            self.save_state(st)
            return self.json_answer(200, [{"name": l, "color": "ededed"} for l in have])
        if len(parts) == 7 and parts[1:5] == ["repos", "acme", "loader", "issues"] and parts[6] == "assignees":
            have = st["assignees"].setdefault(parts[5], [])
            ok = self.lines("assignable")
            have.extend(a for a in body["assignees"] if a in ok and a not in have)
            self.save_state(st)
            return self.json_answer(201, self.issue_json(parts[5], st))
        # /repos/acme/loader/issues/{n}/comments
        if len(parts) != 7 or parts[1:5] != ["repos", "acme", "loader", "issues"] or parts[6] != "comments":
            return self.answer(404, b'{"message": "Not Found"}')
        c = self.comments()
        new = {"id": 9000 + sum(len(v) for v in c.values()) + 1, "body": body["body"]}
        c.setdefault(parts[5], []).append(new)
        self.save_comments(c)
        self.answer(201, json.dumps(self.comment_json(parts[5], new)).encode(), [("Content-Type", "application/json")])

    @serialized
    def do_PATCH(self):
        url = urllib.parse.urlsplit(self.path)
        parts = url.path.split("/")
        if not self.authorized():
            return self.answer(401, b'{"message": "Bad credentials"}')
        # /repos/acme/loader/issues/comments/{id}
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        if len(parts) == 6 and parts[1:5] == ["repos", "acme", "loader", "pulls"]:
            st = self.state()
            for pr in st.get("pulls", []):
                if str(pr["number"]) == parts[5]:
                    pr["state"] = body.get("state", pr["state"])
                    self.save_state(st)
                    return self.json_answer(200, pr)
            return self.answer(404, b'{"message": "Not Found"}')
        if url.path.startswith("/repos/acme/loader/git/refs/heads/"):
            st = self.state()
            ref = "refs/heads/" + url.path[len("/repos/acme/loader/git/refs/heads/"):]
            if ref not in st.get("refs", {}):
                return self.json_answer(422, {"message": "Reference does not exist"})
            st["refs"][ref] = body["sha"]
            self.save_state(st)
            return self.json_answer(200, {"ref": ref, "object": {"sha": body["sha"], "type": "commit"}})
        c = self.comments()
        for n, lst in c.items():
            for com in lst:
                if len(parts) == 7 and str(com["id"]) == parts[6]:
                    com["body"] = body["body"]
                    self.save_comments(c)
                    return self.answer(200, json.dumps(self.comment_json(n, com)).encode(),
                                       [("Content-Type", "application/json")])
        self.answer(404, b'{"message": "Not Found"}')

    @serialized
    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(url.query)
        if url.path == "/repos/acme/loader" and self.authorized():
            return self.json_answer(200, {"id": 1296269, "full_name": "acme/loader", "default_branch": "main"})
        if url.path == "/repos/acme/loader/pulls" and self.authorized():
            head = q.get("head", [""])[0]
            want = q.get("state", ["open"])[0]
            pulls = [pr for pr in self.state().get("pulls", []) if "acme:" + pr["head"]["ref"] == head
                     and want in ("all", pr["state"])]
            return self.json_answer(200, pulls)
        if url.path == "/repos/acme/loader/installation":  # the App's, by its JWT
            claims = self.app_jwt()
            if not claims or claims["iss"] != "42":
                return self.json_answer(401, {"message": "A JSON web token could not be decoded"})
            return self.json_answer(200, {"id": 7, "account": {"login": "acme"}, "app_id": 42})
        if not self.authorized():
            return self.answer(401, b'{"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}')
        if os.path.exists(os.path.join(DIR, "limit")):
            return self.answer(403, b'{"message": "API rate limit exceeded"}',
                               [("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", str(int(time.time()) + 3600))])
        if os.path.exists(os.path.join(DIR, "down")):  # an outage, as a load balancer says it
            return self.answer(503, b'{"message": "Service Unavailable"}', [("Retry-After", "0")])
        if os.path.exists(os.path.join(DIR, "malformed")):
            return self.answer(200, b'[{"number": 41, "title": "cut', [("Content-Type", "application/json")])
        if os.path.exists(os.path.join(DIR, "huge")):  # 11 MB of issues
            big = b'[' + b','.join([b'{"number": 1, "title": "' + b'x' * 1000 + b'"}'] * 11000) + b']'
            return self.answer(200, big, [("Content-Type", "application/json")])
        if os.path.exists(os.path.join(DIR, "secondary_quiet")):  # no Retry-After: the client backs off
            return self.answer(403, b'{"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}')
        if os.path.exists(os.path.join(DIR, "secondary")):
            return self.answer(403, b'{"message": "You have exceeded a secondary rate limit."}', [("Retry-After", "120")])
        parts = url.path.split("/")
        if len(parts) == 6 and parts[1:5] == ["repos", "acme", "loader", "commits"]:
            clone = open(os.path.join(DIR, "clone")).read().strip() if os.path.exists(os.path.join(DIR, "clone")) else ""
            got = subprocess.run(["git", "-C", clone, "show", "-s", "--format=%an%n%ae%n%aI", parts[5]],
                                 capture_output=True, text=True) if clone else None
            if not got or got.returncode != 0:
                return self.json_answer(422, {"message": "No commit found for SHA: %s" % parts[5]})
            name, email, date = got.stdout.split("\n")[:3]
            login = dict(l.split(" ", 1)[::1] for l in self.lines("accounts") if " " in l).get(email)
            return self.json_answer(200, {"sha": parts[5], "commit": {"author": {"name": name, "email": email, "date": date},
                                          "message": "..."},
                                          "author": {"login": login, "id": 77, "type": "User"} if login else None})
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
