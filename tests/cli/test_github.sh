#!/bin/sh
# mahoraga poll against a fake GitHub on 127.0.0.1 (tests/cli/fake_github.py):
# a repository with a clone and no inbox is polled when a token is set; pages
# followed, pull requests left out, an idle poll a 304, an edit triaged again,
# the token never written anywhere.
. "$(dirname "$0")/lib.sh"

D="$T/loader"
draft_repo "$D" "$T/issue.md"

GH="$T/gh"
mkdir -p "$GH"
# issues.json: as the API returns them (the fields it reads, and some it does not)
issues() { # issues BODY43 UPDATED43
	python3 - "$GH/issues.json" "$T/issue.md" "$1" "$2" <<'PY'
import json, os, sys
out, trace, body43, upd43 = sys.argv[1], open(sys.argv[2]).read(), sys.argv[3], sys.argv[4]
def issue(n, title, body, state="open", updated="2026-11-20T09:00:00Z", pr=False):
    i = {"url": "https://api.github.com/repos/acme/loader/issues/%d" % n,
         "html_url": "https://github.com/acme/loader/issues/%d" % n, "id": 1000 + n, "number": n,
         "title": title, "user": {"login": "octocat", "id": 1, "type": "User"}, "labels": [],
         "state": state, "locked": False, "comments": 0, "created_at": "2026-11-19T09:00:00Z",
         "updated_at": updated, "closed_at": None, "author_association": "NONE", "body": body}
    if pr:
        i["pull_request"] = {"url": "https://api.github.com/repos/acme/loader/pulls/%d" % n}
    if n == 41 and os.environ.get("ASSIGNEE41"):
        i["assignee"] = {"login": os.environ["ASSIGNEE41"], "id": 2, "type": "User"}
        i["assignees"] = [i["assignee"]]
        i["updated_at"] = "2026-11-21T12:00:00Z"
    return i
json.dump([issue(41, "Loader fails on a missing key", trace),
           issue(42, "Old crash", trace, state="closed", updated="2026-11-19T10:00:00Z"),
           issue(43, "Feature: faster loads", body43, updated=upd43),
           issue(44, "Fix the loader", "This PR fixes it.", pr=True, updated="2026-11-20T10:00:00Z")],
          open(out, "w"), indent=2)
PY
}
issues "Could loading be faster?" "2026-11-20T09:30:00Z"
fake_github "$GH"
printf '[repo "acme/loader"]\n\tpath = %s\n' "$D" >"$T/config"
TOKEN=t0ken_FAKE_not_real
gpoll() { run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" MAHORAGA_GITHUB_API_URL="http://127.0.0.1:$PORT" "$@" \
	"$MAHORAGA" --config "$T/config" --db "$T/m.db" poll --once; }

# no token: the repository is a clone for expertise, GitHub is not asked
check "no token, no request" 0 gpoll
[ ! -s "$GH/requests" ] && passes=$((passes + 1)) || { echo "FAIL: asked GitHub without a token"; fails=$((fails + 1)); }

check "first poll" 0 gpoll GH_TOKEN=$TOKEN
contains "an issue triaged" "$T/out" "acme/loader#41 KeyError ->"
contains "the other open issue too" "$T/out" "acme/loader#43 no error -> human"
lacks "the pull request left out" "$T/out" "#44"
lacks "a closed issue not triaged" "$T/out" "#42 "
contains "the rate limit said" "$T/out" "acme/loader: GitHub: 2 requests, 4999 left"
equals "two pages followed" "$(grep -c 'issues?' "$GH/requests")" 2
equals "every request with the token" "$(grep -c 'auth=ok' "$GH/requests")" 2
equals "issues kept" "$(q "$T/m.db" 'select count(*) from issues')" 2
equals "decisions" "$(q "$T/m.db" 'select count(*) from decisions')" 2

# nothing changed: after one poll from the new "since" (which brings the last
# issue again, not triaged again), one request a poll, a 304
check "the poll after" 0 gpoll GH_TOKEN=$TOKEN
contains "nothing triaged again" "$T/out" "0 triaged"
: >"$GH/requests"
check "idle poll" 0 gpoll GH_TOKEN=$TOKEN
contains "nothing triaged" "$T/out" "0 triaged"
equals "one request" "$(wc -l <"$GH/requests" | tr -d ' ')" 1
grep -q "if-none-match=yes auth=ok -> 304" "$GH/requests" && passes=$((passes + 1)) || { echo "FAIL: not a 304:"; cat "$GH/requests"; fails=$((fails + 1)); }

# an edit on GitHub: triaged again
issues "Could loading be faster?

Traceback (most recent call last):
  File \"/srv/app/loader.py\", line 2, in load
KeyError: 'user_id'" "2026-11-21T08:00:00Z"
check "poll after an edit" 0 gpoll GH_TOKEN=$TOKEN
contains "the edited issue triaged again" "$T/out" "acme/loader#43 KeyError ->"
equals "one more decision" "$(q "$T/m.db" 'select count(*) from decisions')" 3

# a person assigns #41 on GitHub: recorded as their choice (the feed says
# reassigned, later decisions do not assign over it, the agreement counts it)
printf 'name,login,slack,active,emails\nBob Ray,bob,,yes,bob@example.com\n' | run "$MAHORAGA" --db "$T/m.db" users import - >/dev/null
ASSIGNEE41=bob issues "Could loading be faster?

Traceback (most recent call last):
  File \"/srv/app/loader.py\", line 2, in load
KeyError: 'user_id'" "2026-11-21T08:00:00Z"
check "a poll after an assignment on GitHub" 0 gpoll GH_TOKEN=$TOKEN
contains "recorded" "$T/out" "acme/loader#41: assigned on GitHub to bob@example.com: recorded as a person's choice"
equals "bob has #41 here" "$(q "$T/m.db" "select a.assignee_email from assignments a join issues i on i.id = a.issue_id where i.number = 41 and a.status = 'assigned'")" bob@example.com
check "the poll after" 0 gpoll GH_TOKEN=$TOKEN
equals "recorded once" "$(q "$T/m.db" "select count(*) from manual_actions where reason like 'assigned on GitHub%'")" 1
equals "as a reassignment done" "$(q "$T/m.db" "select kind || ' ' || state from manual_actions where reason like 'assigned on GitHub%'")" "reassign done"

# a token GitHub refuses: said, counted, the rest goes on
check "wrong token" 3 gpoll GH_TOKEN=wrong_token_x
contains "said" "$T/out" "acme/loader: GitHub answered 401 (the token is not accepted)"
check "info shows it on the repository" 0 run "$MAHORAGA" --config "$T/config" --db "$T/m.db" info
contains "on its row" "$T/out" "  acme/loader  $D  GITHUB: GitHub answered 401 (the token is not accepted)"
check "a good poll again" 0 gpoll GH_TOKEN=$TOKEN
equals "the error gone" "$(q "$T/m.db" 'select count(error) from github_polls')" 0

# the rate limit spent: said, and GitHub not asked again before its reset
touch "$GH/limit"
: >"$GH/requests"
check "the rate limit spent" 3 gpoll GH_TOKEN=$TOKEN
contains "said" "$T/out" "acme/loader: GitHub's rate limit: not asked again for"
check "the next poll waits" 0 gpoll GH_TOKEN=$TOKEN
contains "waiting, said" "$T/out" "acme/loader: waiting"
equals "one request in the two polls" "$(wc -l <"$GH/requests" | tr -d ' ')" 1
rm "$GH/limit"
# a secondary limit: Retry-After honoured
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('update github_polls set wait_until = 0'); c.commit()" "$T/m.db"
touch "$GH/secondary"
check "a secondary limit" 3 gpoll GH_TOKEN=$TOKEN
contains "its wait said" "$T/out" "not asked again for 120 s"
rm "$GH/secondary"
# one without Retry-After: a minute, then two, doubling while it goes on
touch "$GH/secondary_quiet"
for wait in 60 120 240; do
	python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('update github_polls set wait_until = 0'); c.commit()" "$T/m.db"
	check "a quiet secondary limit" 3 gpoll GH_TOKEN=$TOKEN
	contains "waited $wait s" "$T/out" "not asked again for $wait s"
done
rm "$GH/secondary_quiet"

# a cut JSON answer and an 11 MB one: said, nothing lost, nothing half-read
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('update github_polls set wait_until = 0'); c.commit()" "$T/m.db"
before=$(q "$T/m.db" 'select count(*) from decisions')
touch "$GH/malformed"
check "a cut answer" 3 gpoll GH_TOKEN=$TOKEN
contains "said" "$T/out" "GitHub's answer is not a list of issues"
rm "$GH/malformed"; touch "$GH/huge"
check "an 11 MB answer" 3 gpoll GH_TOKEN=$TOKEN
contains "refused whole" "$T/out" "the answer is larger than 10 MiB: refused"
rm "$GH/huge"
equals "no decision lost or made" "$(q "$T/m.db" 'select count(*) from decisions')" "$before"
# an outage: each failed attempt counts, the breaker opens after five and
# GitHub is left alone; a minute later one probe, and it closes on an answer
touch "$GH/down"
check "GitHub down" 3 gpoll GH_TOKEN=$TOKEN
equals "retried, four attempts" "$(grep -c ' -> 503' "$GH/requests")" 4
check "GitHub still down" 3 gpoll GH_TOKEN=$TOKEN
equals "the breaker open" "$(q "$T/m.db" "select open_until > strftime('%s','now') from services where name = 'github'")" 1
equals "the last error kept" "$(q "$T/m.db" "select last_error from services where name = 'github'")" "GET /repos/acme/loader/issues?state=all&sort=updated&direction=asc&per_page=100&since=2026-11-21T12:00:00Z: answered 503"
: >"$GH/requests"
check "while it is open" 3 gpoll GH_TOKEN=$TOKEN
contains "said" "$T/out" "GitHub is left alone for"
equals "not asked" "$(wc -l <"$GH/requests" | tr -d ' ')" 0
rm "$GH/down"
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"update services set open_until = strftime('%s','now') - 1\"); c.commit()" "$T/m.db"
check "a minute later: the probe" 0 gpoll GH_TOKEN=$TOKEN
equals "one request" "$(wc -l <"$GH/requests" | tr -d ' ')" 1
equals "closed again" "$(q "$T/m.db" "select failures || ' ' || open_until from services where name = 'github'")" "0 0"

# ten issues: five pages of two, every one followed
python3 -c "
import json, sys
json.dump([{'number': n, 'title': 'Question %d' % n, 'body': 'How do I load a file?', 'state': 'open',
            'user': {'login': 'octocat'}, 'html_url': 'https://github.com/acme/loader/issues/%d' % n,
            'created_at': '2026-11-19T09:00:00Z', 'updated_at': '2026-11-20T09:%02d:00Z' % n} for n in range(101, 111)],
          open(sys.argv[1], 'w'))" "$GH/issues.json"
: >"$GH/requests"
run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" MAHORAGA_GITHUB_API_URL="http://127.0.0.1:$PORT" GH_TOKEN=$TOKEN \
	"$MAHORAGA" --config "$T/config" --db "$T/pages.db" poll --once >"$T/out" 2>&1
equals "five pages followed" "$(grep -c '^GET /repos/acme/loader/issues?' "$GH/requests")" 5
equals "ten issues read" "$(q "$T/pages.db" 'select count(*) from issues')" 10

# writing on (github.write): each decision said once, as one comment per issue
# found again by its marker, edited when the decision changes, never posted twice
rm -f "$GH/comments.json"
: >"$GH/requests"
# (a one-commit history is not sure enough to assign at the default 60)
wpoll() { run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" MAHORAGA_GITHUB_API_URL="http://127.0.0.1:$PORT" GH_TOKEN=$TOKEN \
	MAHORAGA_GITHUB_WRITE=true MAHORAGA_TRIAGE_ASSIGN_THRESHOLD=40 MAHORAGA_TRIAGE_DRAFT_THRESHOLD=40 "$MAHORAGA" --config "$T/config" --db "$T/w.db" poll --once; }
posts() { grep -c "^POST /repos/acme/loader/issues/$1/comments" "$GH/requests"; }
comments() { python3 -c "import json,sys; c=json.load(open(sys.argv[1])); print(len(c.get(sys.argv[2], [])))" "$GH/comments.json" "$1"; }
# Ana's account: GitHub knows it by her commit's e-mail (no users table here);
# #43 without a trace again, so that #41 is no duplicate of it
issues "Could loading be faster?" "2026-11-20T09:30:00Z"
echo "$D" >"$GH/clone"
printf 'ana@example.com ana-gh\n' >"$GH/accounts"
printf 'ana-gh\nbob\n' >"$GH/assignable"
check "a poll with writing on" 0 wpoll
contains "a comment posted" "$T/out" "acme/loader#41: comment posted"
contains "the assignee set" "$T/out" "acme/loader#41: assigned to @ana-gh"
gstate() { python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$GH/state.json" "$1"; }
equals "ana-gh assigned on GitHub" "$(gstate "s['assignees']['41']")" "['ana-gh']"
equals "her login learnt from her commit" "$(q "$T/w.db" "select email || ' ' || login from github_logins")" "ana@example.com ana-gh"
equals "one commit asked for" "$(grep -c '^GET /repos/acme/loader/commits/' "$GH/requests")" 1
python3 -c "import json,sys; c=json.load(open(sys.argv[1])); sys.exit('@ana-gh' not in c['41'][0]['body'])" "$GH/comments.json" \
	&& passes=$((passes + 1)) || { echo "FAIL: the comment does not name @ana-gh"; fails=$((fails + 1)); }
contains "labelled" "$T/out" "acme/loader#41: labelled bug"
equals "its labels on GitHub" "$(gstate "'bug' in s['labels']['41'] and 'lang:python' in s['labels']['41']")" True
equals "labels created once" "$(gstate "len(s['repo_labels']) == len(set(s['repo_labels']))")" True
equals "#43 (no error: human) not assigned" "$(gstate "s['assignees'].get('43')")" None
# writes paced: a second at least between two (github.write_pace), reads not
equals "writes a second apart" "$(python3 -c "
import re, sys
t = [float(m.group(2)) for m in (re.match(r'(POST|PATCH|DELETE) .* at=([0-9.]+)', l) for l in open(sys.argv[1])) if m]
# (measured where they arrive, so one late arrival may shorten one gap: the
# span of all of them is what pacing guarantees)
print(len(t) > 5 and t[-1] - t[0] >= len(t) - 1.5)" "$GH/requests")" True
# the drafted fix as a draft pull request, through the git data API
contains "a draft pull request" "$T/out" "acme/loader#41: draft pull request https://github.com/acme/loader/pull/100"
equals "one, a draft" "$(gstate "[(p['draft'], p['base']['ref']) for p in s['pulls']]")" "[(True, 'main')]"
equals "its title" "$(gstate "s['pulls'][0]['title'].startswith('DRAFT - Review Required: ')")" True
equals "its body says what to review" "$(gstate "'#41' in s['pulls'][0]['body'] and '\`\`\`diff' in s['pulls'][0]['body']")" True
branch=$(q "$T/w.db" "select draft_branch from decisions d join issues i on i.id = d.issue_id where i.number = 41 order by d.id desc limit 1")
equals "the branch on GitHub is the draft's" "$(gstate "list(s['refs'])")" "['refs/heads/$branch']"
equals "the changed file's content, as the clone's draft has it" "$(gstate "[o['content'] for o in s['objects'].values() if o['type'] == 'blob'][0]")" "$(git -C "$D" show "$branch:app/loader.py")"
# a worker killed after the pull request but before the store's "done":
# the next one finds it, and opens no second
python3 -c "import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1]); c.execute(\"update actions set state = 'sending', updated_at = ? where kind = 'github_draft'\", (int(time.time()) - 1000,)); c.commit()" "$T/w.db"
check "the poll after a crash mid-draft" 0 wpoll
contains "found again" "$T/out" "acme/loader#41: draft pull request https://github.com/acme/loader/pull/100 (opened before)"
equals "still one pull request" "$(gstate "len(s['pulls'])")" 1
# a person approves the draft: its pull request marked ready for review
python3 -c "import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1]); c.execute(\"insert into manual_actions (issue_id, kind, created_at) select id, 'approve_draft', ? from issues where number = 41\", (int(time.time()),)); c.commit()" "$T/w.db"
check "a draft approved, writing on" 0 wpoll
contains "said on GitHub" "$T/out" "acme/loader#41: draft pull request #100 marked ready for review"
equals "no longer a draft there" "$(gstate "s['pulls'][0]['draft']")" False
equals "through GraphQL" "$(grep -c '^POST /graphql' "$GH/requests")" 1
# a person rejects the draft in the command center: its pull request closed
# and its branch deleted on GitHub too
python3 -c "import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1]); c.execute(\"insert into manual_actions (issue_id, kind, reason, created_at) select id, 'reject_draft', 'wrong fix', ? from issues where number = 41\", (int(time.time()),)); c.commit()" "$T/w.db"
check "a draft rejected, writing on" 0 wpoll
contains "said on GitHub" "$T/out" "acme/loader#41: draft pull request #100 closed, branch $branch deleted on GitHub"
equals "closed there" "$(gstate "s['pulls'][0]['state']")" closed
equals "no branch left there" "$(gstate "list(s['refs'])")" "[]"
# a person reassigns #41 in the command center: said on GitHub too, the one
# mahoraga had set taken off, and no commit asked for again (Bob is known)
printf 'name,login,slack,active,emails\nBob Ray,bob,,yes,bob@example.com\n' | run "$MAHORAGA" --db "$T/w.db" users import - >/dev/null
python3 -c "import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1]); c.execute(\"insert into manual_actions (issue_id, kind, assignee_email, reason, created_at) select id, 'reassign', 'bob@example.com', 'knows the loader', ? from issues where number = 41\", (int(time.time()),)); c.commit()" "$T/w.db"
check "a reassignment by hand, writing on" 0 wpoll
contains "said on GitHub" "$T/out" "acme/loader#41: assigned to @bob, @ana-gh unassigned"
equals "bob alone has #41 on GitHub" "$(gstate "s['assignees']['41']")" "['bob']"
equals "still one commit asked for" "$(grep -c '^GET /repos/acme/loader/commits/' "$GH/requests")" 1
# someone GitHub will not assign: said once, failed for good, not retried
python3 -c "import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1]); c.execute(\"insert into users (login, display_name, active, created_at) values ('carol', 'Carol', 1, 0)\"); c.execute(\"insert into user_emails (user_id, email) select id, 'carol@example.com' from users where login = 'carol'\"); c.execute(\"insert into manual_actions (issue_id, kind, assignee_email, reason, created_at) select id, 'reassign', 'carol@example.com', NULL, ? from issues where number = 41\", (int(time.time()),)); c.commit()" "$T/w.db"
check "an assignee GitHub refuses" 0 wpoll
contains "said" "$T/out" "GitHub did not assign @carol"
equals "failed for good" "$(q "$T/w.db" "select state from actions where kind = 'github_assign' order by id desc limit 1")" failed
equals "one comment on #41" "$(comments 41)" 1
equals "one comment on #43" "$(comments 43)" 1
python3 -c "import json,sys; c=json.load(open(sys.argv[1])); sys.exit(not c['41'][0]['body'].startswith('<!-- mahoraga:triage -->'))" "$GH/comments.json" \
	&& passes=$((passes + 1)) || { echo "FAIL: the comment does not start with its marker"; fails=$((fails + 1)); }
# the issue edited on GitHub: triaged again, its comment edited
issues "Faster loads, please.

Traceback (most recent call last):
  File \"/srv/app/loader.py\", line 2, in load
KeyError: 'user_id'" "2026-11-22T08:00:00Z"
check "a poll after an edit, writing on" 0 wpoll
contains "the comment edited" "$T/out" "acme/loader#43: comment edited"
equals "still one comment on #43" "$(comments 43)" 1
equals "posted once" "$(posts 43)" 1
# a worker killed between posting and the store's "done": the next one finds
# the comment by its marker and edits it instead of posting a second
python3 -c "import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1]); c.execute(\"update actions set state = 'sending', updated_at = ? where id = (select max(a.id) from actions a join issues i on i.id = a.issue_id where i.number = 41 and a.kind = 'github_comment')\", (int(time.time()) - 1000,)); c.commit()" "$T/w.db"
check "the poll after a crash mid-send" 0 wpoll
contains "the comment found again and edited" "$T/out" "acme/loader#41: comment edited"
equals "never a second comment on #41" "$(comments 41)" 1
equals "#41 posted once in all" "$(posts 41)" 1
# writing off (the default): nothing posted, whatever happens
: >"$GH/requests"
issues "Faster loads, please, now." "2026-11-23T08:00:00Z"
check "writing off" 0 gpoll GH_TOKEN=$TOKEN
equals "no comment request" "$(grep -c "comments" "$GH/requests")" 0

# gh logged in, no token in the environment: `gh auth token` gives it
mkdir -p "$T/bin"
printf '#!/bin/sh\n[ "$1 $2" = "auth token" ] && echo %s\n' "$TOKEN" >"$T/bin/gh"
chmod +x "$T/bin/gh"
: >"$GH/requests"
check "a poll with gh's token" 0 gpoll PATH="$T/bin:$PATH"
equals "asked with it" "$(grep -c 'auth=ok' "$GH/requests")" "$(wc -l <"$GH/requests" | tr -d ' ')"
lacks "gh's token not printed" "$T/out" "$TOKEN"
check "info names gh" 0 run PATH="$T/bin:$PATH" "$MAHORAGA" --config "$T/config" --db "$T/m.db" info
contains "said" "$T/out" "GitHub            authenticated by gh auth token"

# a GitHub App instead: a JWT signed with its key, exchanged for an
# installation token; a refused (expired) one made again, once
openssl genrsa -out "$T/app.pem" 2048 2>/dev/null
openssl rsa -in "$T/app.pem" -pubout -out "$GH/app.pub" 2>/dev/null
apoll() { run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" MAHORAGA_GITHUB_API_URL="http://127.0.0.1:$PORT" MAHORAGA_GITHUB_APP_ID=42 \
	MAHORAGA_GITHUB_APP_KEY_FILE="$T/app.pem" "$@" "$MAHORAGA" --config "$T/config" --db "$T/a.db" poll --once; }
: >"$GH/requests"
check "a poll as the App" 0 apoll
equals "its installation found with the JWT" "$(grep -c '^GET /repos/acme/loader/installation .* -> 200' "$GH/requests")" 1
equals "one installation token" "$(grep -c '^POST /app/installations/7/access_tokens .* -> 201' "$GH/requests")" 1
equals "the issues asked with it" "$(grep -c 'issues?.*auth=ok -> 200' "$GH/requests")" 2
contains "triaged" "$T/out" "acme/loader#41 KeyError ->"
touch "$GH/revoke_next"
: >"$GH/requests"
check "an expired installation token" 0 apoll
equals "refused once" "$(grep -c ' -> 401' "$GH/requests")" 1
equals "made again" "$(grep -c '^POST /app/installations/7/access_tokens' "$GH/requests")" 2
equals "then answered" "$(grep -c 'issues?.*auth=ok -> 200' "$GH/requests")" 1
check "info names the App" 0 run MAHORAGA_GITHUB_APP_ID=42 MAHORAGA_GITHUB_APP_KEY_FILE="$T/app.pem" "$MAHORAGA" --config "$T/config" --db "$T/a.db" info
contains "said" "$T/out" "GitHub            authenticated by the GitHub App 42 (key $T/app.pem)"
# a key GitHub does not know: said, nothing triaged with it
openssl genrsa -out "$T/other.pem" 2048 2>/dev/null
check "a key of another App" 3 apoll MAHORAGA_GITHUB_APP_KEY_FILE="$T/other.pem"
contains "said" "$T/out" "GET /repos/acme/loader/installation: GitHub answered 401 (the App's id or key is not accepted)"
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); sys.exit(any('ghs_FAKE' in l for l in c.iterdump()))" "$T/a.db" \
	&& passes=$((passes + 1)) || { echo "FAIL: an installation token is in the database"; fails=$((fails + 1)); }
lacks "no installation token printed" "$T/out" "ghs_FAKE"

# the token never written: not in the output, the log, the database
lacks "token not printed" "$T/out" "$TOKEN"
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); sys.exit(any(sys.argv[2] in l for l in c.iterdump()))" "$T/m.db" "$TOKEN" \
	&& passes=$((passes + 1)) || { echo "FAIL: the token is in the database"; fails=$((fails + 1)); }

finish
