#!/bin/sh
# mahoraga poll --once: the worker's cycle over an inbox, headless.
. "$(dirname "$0")/lib.sh"

D="$T/draft"
draft_repo "$D" "$T/draft-issue.md"

# poll --once: the worker's cycle over an inbox, headless
IN="$T/inbox"
mkdir -p "$IN"
cp "$T/draft-issue.md" "$IN/7-keyerror.md"
sed -i '1i Loader fails on a missing key' "$IN/7-keyerror.md"
printf 'garbage\n' >"$IN/readme.md"
printf '[repo "acme/loader"]\n\tpath = %s\n\tinbox = %s\n' "$D" "$IN" >"$T/poll.config"
check "poll once" 0 run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --config "$T/poll.config" --db "$T/poll.db" poll --once
contains "poll triaged" "$T/out" "acme/loader#7 KeyError ->"
contains "poll skipped a bad file" "$T/out" "skipped"
contains "poll summary" "$T/out" "1 issues read, 1 triaged, 1 files skipped, 0 failed"
check "poll once again" 0 run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --config "$T/poll.config" --db "$T/poll.db" poll --once
contains "poll nothing new" "$T/out" "1 issues read, 0 triaged"
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); n=c.execute('select count(*) from decisions').fetchone()[0]; assert n == 1, n" "$T/poll.db" \
	&& passes=$((passes + 1)) || { echo "FAIL: decisions recorded"; fails=$((fails + 1)); }
check "poll usage" 2 run "$MAHORAGA" --db "$T/poll.db" poll --frob

# gh's JSON with the state (gh issue list --state all --json ...,state): an
# issue closed since its triage ends its assignment, and is not triaged again
mkdir -p "$T/inbox3"
gh_json() { # gh_json STATE: issue 31 as gh prints it
	python3 -c "import json,sys; print(json.dumps([{'number': 31, 'title': 'Loader fails', 'state': sys.argv[1],
	  'body': open(sys.argv[2]).read(), 'author': {'login': 'octocat'}, 'createdAt': '2026-11-20T09:00:00Z',
	  'url': 'https://github.com/acme/loader/issues/31'}]))" "$1" "$T/draft-issue.md" >"$T/inbox3/issues.json"
}
printf '[repo "acme/loader"]\n\tpath = %s\n\tinbox = %s\n' "$D" "$T/inbox3" >"$T/state.config"
gh_json OPEN
check "an open issue from gh's JSON" 0 run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --config "$T/state.config" --db "$T/state.db" -c triage.assign_threshold=10 poll --once
equals "it is assigned" "$(q "$T/state.db" "select count(*) from assignments where status = 'assigned'")" 1
gh_json CLOSED
check "the same issue closed" 0 run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --config "$T/state.config" --db "$T/state.db" -c triage.assign_threshold=10 poll --once
contains "said" "$T/out" "acme/loader#31 closed: its assignment is done"
equals "its assignment is done" "$(q "$T/state.db" "select status from assignments")" completed
equals "not triaged again" "$(q "$T/state.db" 'select count(*) from decisions')" 1

# GitHub webhook deliveries saved as files: verified, triaged once, closed
# issues' assignments ended
WH="$T/webhooks"
mkdir -p "$WH"
python3 - "$WH" <<'PY'
import hmac, hashlib, json, sys
out = sys.argv[1]
def delivery(name, action, number, title, body, secret=b"whsec_s3cr3t_x", event="issues", repo="acme/loader"):
    payload = json.dumps({"action": action,
        "issue": {"url": "https://api.github.com/repos/%s/issues/%d" % (repo, number),
                  "html_url": "https://github.com/%s/issues/%d" % (repo, number), "number": number,
                  "title": title, "user": {"login": "octocat", "id": 1}, "state": "open",
                  "created_at": "2026-11-20T09:00:00Z", "body": body},
        "repository": {"full_name": repo}, "sender": {"login": "octocat"}}, indent=2)
    sig = hmac.new(secret, payload.encode(), hashlib.sha256).hexdigest()
    with open("%s/%s" % (out, name), "w", newline="") as f:
        f.write("Request URL: https://example.com/hook\r\nRequest method: POST\r\n"
                "X-GitHub-Delivery: %s\r\nX-GitHub-Event: %s\r\nX-Hub-Signature-256: sha256=%s\r\n\r\n%s"
                % (name, event, sig, payload))
trace = "Traceback (most recent call last):\n  File \"/srv/app/loader.py\", line 2, in load\nKeyError: 'user_id'\n"
delivery("opened", "opened", 21, "Loader crashes on a missing user_id", trace)
delivery("forged", "opened", 22, "Forged", trace, secret=b"not the secret")
delivery("closed", "closed", 21, "Loader crashes on a missing user_id", trace)
delivery("other-repo", "opened", 5, "Elsewhere", trace, repo="someone/else")
PY
printf '[repo "acme/loader"]\n\tpath = %s\n' "$D" >"$T/wh.config"
wh() { run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" MAHORAGA_GITHUB_WEBHOOK_SECRET=whsec_s3cr3t_x "$MAHORAGA" --config "$T/wh.config" --db "$T/wh.db" poll --webhook-file "$@"; }
check "a webhook delivery ingested" 0 wh "$WH/opened"
contains "its issue triaged" "$T/out" "acme/loader#21 KeyError ->"
equals "one decision" "$(q "$T/wh.db" 'select count(*) from decisions')" 1
check "the same delivery again" 0 wh "$WH/opened"
contains "said to be read before" "$T/out" "delivery opened was read before"
equals "not triaged twice" "$(q "$T/wh.db" 'select count(*) from decisions')" 1
check "a forged delivery" 1 wh "$WH/forged"
contains "refused" "$T/out" "X-Hub-Signature-256 does not match the body under the webhook's secret: refused"
equals "nothing of it kept" "$(q "$T/wh.db" 'select count(*) from issues where number = 22')" 0
check "an issue of a repository not configured" 0 wh "$WH/other-repo"
contains "not configured, said" "$T/out" "someone/else is not a configured repository"
check "without the secret" 1 run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --config "$T/wh.config" --db "$T/wh.db" poll --webhook-file "$WH/opened"
contains "says which variable" "$T/out" "set MAHORAGA_GITHUB_WEBHOOK_SECRET"
# the secret never reaches the output or the database
lacks "the secret is not printed" "$T/out" "whsec_s3cr3t_x"
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); sys.exit(any('whsec_s3cr3t_x' in l for l in c.iterdump()))" "$T/wh.db" \
	&& passes=$((passes + 1)) || { echo "FAIL: the webhook secret is in the database"; fails=$((fails + 1)); }
check "a closed issue" 0 wh "$WH/closed"
equals "its assignment is done" "$(q "$T/wh.db" "select count(*) from assignments where status = 'assigned'")" 0
check "webhook files without the flag" 2 run "$MAHORAGA" --db "$T/wh.db" poll "$WH/opened"
check "the flag without files" 2 run "$MAHORAGA" --db "$T/wh.db" poll --webhook-file

# one repository's clone missing (a disk not mounted): said, skipped, and the
# other repositories are triaged; info and the check name it
mkdir -p "$T/inbox2"
cp "$IN/7-keyerror.md" "$T/inbox2/3-keyerror.md"
printf '[repo "acme/gone"]\n\tpath = %s/not-cloned-yet\n\tinbox = %s\n[repo "acme/loader"]\n\tpath = %s\n\tinbox = %s\n' \
	"$T" "$IN" "$D" "$T/inbox2" >"$T/gone.config"
check "poll with a missing clone" 3 run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --config "$T/gone.config" --db "$T/gone.db" poll --once
contains "the missing clone is said" "$T/out" "acme/gone: $T/not-cloned-yet: No such file or directory: skipped"
contains "the other repository is triaged" "$T/out" "acme/loader#3 KeyError ->"
contains "a warning, not an error" "$T/err" "warning: $T/gone.config:2: repo.acme/gone.path"
check "info with a missing clone" 0 run "$MAHORAGA" --config "$T/gone.config" --db "$T/gone.db" info
contains "info names the problem" "$T/out" "PROBLEM: $T/not-cloned-yet: No such file or directory"
check "config check reports it" 1 run "$MAHORAGA" --config "$T/gone.config" --db "$T/gone.db" config check
check "a missing clone is not saved" 1 run "$MAHORAGA" --db "$T/gone.db" config set repo.acme/new.path "$T/nowhere"

# Two workers on one database (the command center's and a `poll` elsewhere) and
# a worker killed at any moment: the demo's 59 reports, its repository.
mkdir -p "$T/demo-tmp"
run TMPDIR="$T/demo-tmp" MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" demo >/dev/null 2>&1
DEMO=$(ls -d "$T"/demo-tmp/mahoraga-demo-* | head -1)
printf '[repo "demo/shop"]\n\tpath = %s\n\tinbox = %s\n' "$DEMO/shop" "$DEMO/inbox" >"$T/two.config"
n_reports=$(ls "$DEMO/inbox" | wc -l)
poll2() { run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --config "$T/two.config" --db "$1" poll --once; }
# two at the same moment: each report triaged once, nobody's issue taken away
poll2 "$T/two.db" >"$T/two-a.out" 2>&1 &
a=$!
poll2 "$T/two.db" >"$T/two-b.out" 2>&1 &
b=$!
wait $a; ra=$?
wait $b; rb=$?
equals "two workers both finish" "$ra $rb" "0 0"
equals "two workers: one decision per report" "$(q "$T/two.db" 'select count(*) from decisions')" "$n_reports"
equals "two workers: no issue per report twice" "$(q "$T/two.db" 'select count(*) from (select issue_id from decisions group by issue_id having count(*) > 1)')" 0
equals "two workers: no assignment taken away" "$(q "$T/two.db" "select count(*) from assignments where status = 'reassigned'")" 0
# killed (SIGKILL) at 20 moments spread over a whole cycle (timed first), each
# on a fresh database, then run to the end: every report has exactly one
# decision, none lost to the kill, none doubled
python3 - "$MAHORAGA" "$T" "$TEST_DATA_DIR" "$n_reports" <<'PY' && passes=$((passes + 1)) || fails=$((fails + 1))
import os, sqlite3, subprocess, sys, time
mahoraga, t, data, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
env = {"HOME": t + "/home", "PATH": os.environ["PATH"], "MAHORAGA_DATA_DIR": data}
def poll(db):
    return subprocess.Popen([mahoraga, "--config", t + "/two.config", "--db", db, "poll", "--once"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
start = time.monotonic()
poll(t + "/timing.db").wait()
whole = time.monotonic() - start
bad = []
for k in range(1, 21):
    db = "%s/kill%d.db" % (t, k)
    p = poll(db)
    time.sleep(whole * k / 21)
    p.kill()
    p.wait()
    if poll(db).wait() != 0:
        bad.append("kill %d: the run after it failed" % k)
        continue
    c = sqlite3.connect(db)
    issues = c.execute("select count(*) from issues").fetchone()[0]
    decided = c.execute("select count(distinct issue_id) from decisions").fetchone()[0]
    decisions = c.execute("select count(*) from decisions").fetchone()[0]
    if not (issues == decided == decisions == n):
        bad.append("kill %d at %.0f%% of a cycle: %d issues, %d decided, %d decisions, %d reports"
                   % (k, 100 * k / 21, issues, decided, decisions, n))
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY

finish
