#!/bin/sh
# Crash safety on GitHub: a worker writing to the fake GitHub (github.write)
# is killed with SIGKILL at 20 points of its cycles, then run to the end;
# then the same with two workers at once on one database. Afterwards every
# issue has a decision and exactly one triage comment, posted once (a worker
# killed between the post and the store's "done" edits it instead).
. "$(dirname "$0")/lib.sh"

D="$T/loader"
draft_repo "$D" "$T/issue.md"
GH="$T/gh"
mkdir -p "$GH"
echo "$D" >"$GH/clone"
python3 - "$GH/issues.json" "$T/issue.md" <<'PY'
import json, sys
trace = open(sys.argv[2]).read()
json.dump([{"url": "https://api.github.com/repos/acme/loader/issues/%d" % n,
            "html_url": "https://github.com/acme/loader/issues/%d" % n, "id": 2000 + n, "number": n,
            "title": "Loader fails on host %d" % n, "user": {"login": "octocat", "id": 1, "type": "User"},
            "labels": [], "state": "open", "comments": 0, "created_at": "2026-11-%02dT09:00:00Z" % n,
            "updated_at": "2026-11-%02dT09:00:00Z" % n, "author_association": "NONE",
            "body": "Seen on host %d after the deploy.\n\n%s" % (n, trace)} for n in range(1, 7)],
          open(sys.argv[1], "w"), indent=1)
PY
fake_github "$GH"
printf '[repo "acme/loader"]\n\tpath = %s\n' "$D" >"$T/config"

# wpoll DB: one cycle, writing (a second between writes: most of a cycle is
# spent with an action "sending")
wpoll() { run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" MAHORAGA_GITHUB_API_URL="http://127.0.0.1:$PORT" \
	GH_TOKEN=t0ken_FAKE_not_real MAHORAGA_GITHUB_WRITE=true "$MAHORAGA" --config "$T/config" --db "$1" poll --once; }
kill_at() { kill_after wpoll "$1" "$2"; }
# drain DB: cycles until one fails nothing and the outbox is empty
drain() {
	i=0
	while [ $i -lt 8 ]; do
		wpoll "$1" >"$T/out" 2>&1
		left=$(q "$1" "select count(*) from actions where state in ('pending', 'sending')")
		[ "$left" = 0 ] && grep -q ' 0 failed' "$T/out" && return 0
		i=$((i + 1))
	done
	echo "FAIL: the outbox of $1 never emptied ($left left)"; cat "$T/out"; fails=$((fails + 1))
}
# verify DB NAME: each of the six issues decided, commented once, posted once
verify() {
	equals "$2: every issue decided" "$(q "$1" 'select count(distinct issue_id) from decisions')" 6
	equals "$2: one comment on each issue" "$(python3 -c "
import json, sys
c = json.load(open(sys.argv[1]))
print(sorted(len(c.get(str(n), [])) for n in range(1, 7)))" "$GH/comments.json")" "[1, 1, 1, 1, 1, 1]"
	equals "$2: each posted once" "$(grep '^POST /repos/acme/loader/issues/[0-9]*/comments' "$GH/requests" | cut -d' ' -f2 | sort | uniq -d | wc -l | tr -d ' ')" 0
	equals "$2: every comment marked" "$(python3 -c "
import json, sys
c = json.load(open(sys.argv[1]))
print(all(x['body'].startswith('<!-- mahoraga:triage -->') for v in c.values() for x in v))" "$GH/comments.json")" True
}

# one worker, killed 20 times at points spread over its cycles
mid=0
k=0
for at in 0.3 1.1 0.6 1.9 0.2 1.4 2.3 0.8 1.6 0.4 2.0 1.2 0.7 2.6 0.5 1.8 0.9 2.2 1.3 3.0; do
	kill_at "$T/one.db" $at
	s=$(q "$T/one.db" "select count(*) from actions where state = 'sending'" 2>/dev/null || echo 0)
	[ "${s:-0}" -gt 0 ] && mid=$((mid + 1))
	k=$((k + 1))
done
echo "$mid of $k kills left an action mid-send"
[ $mid -gt 0 ] && passes=$((passes + 1)) || { echo "FAIL: no kill fell between a send and its record"; fails=$((fails + 1)); }
drain "$T/one.db"
verify "$T/one.db" "one worker"

# two workers at once on one database, both killed now and then
rm -f "$GH/comments.json"
: >"$GH/requests"
two_workers wpoll "$T/two.db" 0.4 1.5 0.9 2.1 0.6 1.2 1.8 0.3 2.4 1.0
drain "$T/two.db"
verify "$T/two.db" "two workers"
equals "two workers: one decision per issue" "$(q "$T/two.db" 'select count(*) from decisions')" 6

finish
