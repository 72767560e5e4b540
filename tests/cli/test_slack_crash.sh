#!/bin/sh
# Crash safety on Slack: a worker telling people on the fake Slack (bot
# token) is killed with SIGKILL at 16 points of its cycles, then run to the
# end; then two workers at once on one database, killed now and then.
# Afterwards each decision's message went to each recipient exactly once: a
# worker killed between Slack's "ok" and the store's "done" finds its message
# in the channel by the outbox's key instead of posting it again.
. "$(dirname "$0")/lib.sh"

loader_inbox
python3 -c "
import json, sys
trace = open(sys.argv[1]).read()
json.dump([{'number': n, 'title': 'Loader fails on host %d' % n, 'state': 'OPEN', 'author': {'login': 'octocat'},
            'body': ('Seen on host %d after the deploy.' % n) + chr(10) * 2 + (trace if n % 2 else 'It just hangs.'),
            'createdAt': '2026-11-%02dT09:00:00Z' % n, 'url': 'https://github.com/acme/loader/issues/%d' % n}
           for n in range(1, 9)], open(sys.argv[2], 'w'))" "$T/issue.md" "$IN/issues.json"
SL="$T/slack"
mkdir -p "$SL"
fake_server slack "$SL"
for db in one two; do
	printf 'name,login,slack,active,emails\nAna Lima,ana,U0ANA,yes,ana@example.com\n' |
		run "$MAHORAGA" --db "$T/$db.db" users import - >/dev/null
done

# spoll DB: one cycle telling people on Slack (a second between messages:
# most of a cycle is spent with a message "sending")
spoll() { run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" MAHORAGA_SLACK_API_URL="http://127.0.0.1:$PORT/api" \
	MAHORAGA_SLACK_CHANNEL=C0ONCALL SLACK_BOT_TOKEN=xoxb-FAKE-token "$MAHORAGA" --config "$T/config" \
	--db "$1" -c triage.assign_threshold=40 poll --once; }
kill_at() { kill_after spoll "$1" "$2"; }
drain() {
	i=0
	while [ $i -lt 8 ]; do
		# an action a dead worker left "sending" is taken back by the next
		spoll "$1" >"$T/out" 2>&1
		cat "$T/out" >>"$T/drained"
		left=$(q "$1" "select count(*) from actions where state in ('pending', 'sending')")
		[ "$left" = 0 ] && return 0
		i=$((i + 1))
	done
	echo "FAIL: the outbox of $1 never emptied ($left left)"; cat "$T/out"; fails=$((fails + 1))
}
# verify DB NAME: as many messages as the outbox's (decision, recipient)
# rows, each key once, every row done
verify() {
	want=$(q "$1" "select count(*) from actions where kind = 'slack_message'")
	[ "$want" -ge 8 ] && passes=$((passes + 1)) || { echo "FAIL: $2: only $want messages queued"; fails=$((fails + 1)); }
	equals "$2: all sent" "$(q "$1" "select count(*) from actions where kind = 'slack_message' and state = 'done'")" "$want"
	equals "$2: one message each" "$(python3 -c "
import json, sys
m = json.load(open(sys.argv[1]))
keys = [x['metadata']['event_payload']['key'] for x in m]
print(len(keys), len(set(keys)))" "$SL/messages.json")" "$want $want"
}

mid=0
k=0
for at in 0.4 1.2 2.1 0.7 1.6 2.6 0.3 1.9 1.0 2.3 0.6 1.4 2.9 0.9 1.7 3.2; do
	kill_at "$T/one.db" $at
	s=$(q "$T/one.db" "select count(*) from actions where state = 'sending'" 2>/dev/null || echo 0)
	[ "${s:-0}" -gt 0 ] && mid=$((mid + 1))
	k=$((k + 1))
done
echo "$mid of $k kills left a message mid-send"
[ $mid -gt 0 ] && passes=$((passes + 1)) || { echo "FAIL: no kill fell between a send and its record"; fails=$((fails + 1)); }
drain "$T/one.db"
verify "$T/one.db" "one worker"
found=$(grep -c "was posted before" "$T/drained" || true)
echo "messages a killed worker had posted, found in the channel instead of posted again: $found"

# two workers at once on another database (a channel of their own)
rm -f "$SL/messages.json"
two_workers spoll "$T/two.db" 0.5 1.6 1.0 2.2 0.7 1.3 1.9 0.4
drain "$T/two.db"
verify "$T/two.db" "two workers"
finish
