#!/bin/sh
# Telling people on Slack (tests/cli/fake_slack.py on 127.0.0.1): the
# assignee mentioned with where, why, the confidence and the link; a bug left
# to people sent to the channel with its best candidates; a hostile title made
# harmless; each message once, even after a worker killed mid-send; a webhook
# too; Slack's 429 waited out; no secret written anywhere.
. "$(dirname "$0")/lib.sh"

loader_inbox
two_issues '<!channel> Loader fails <http://evil.example|click> & more' 'How do I load a file?'
SL="$T/slack"
mkdir -p "$SL"
fake_server slack "$SL"
printf 'name,login,slack,active,emails\nAna Lima,ana,U0ANA,yes,ana@example.com\n' | run "$MAHORAGA" --db "$T/m.db" users import - >/dev/null

BOT=xoxb-FAKE-token
spoll() { run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" MAHORAGA_SLACK_API_URL="http://127.0.0.1:$PORT/api" \
	MAHORAGA_SLACK_CHANNEL=C0ONCALL "$@" "$MAHORAGA" --config "$T/config" --db "$T/m.db" \
	-c triage.assign_threshold=40 poll --once; }
msg() { python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$SL/messages.json" "$1"; }

# edit N: issue 2 edited on GitHub (a new content: triaged again, told again)
edit() { python3 -c "
import json, sys
l = json.load(open(sys.argv[1]))
l[1]['body'] = 'The docs do not say. (edit %s)' % sys.argv[2]
json.dump(l, open(sys.argv[1], 'w'))" "$IN/issues.json" "$1"; }
sql() { python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()" "$T/m.db" "$1"; }

check "no Slack configured" 0 run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --config "$T/config" --db "$T/none.db" poll --once
[ ! -s "$SL/requests" ] && passes=$((passes + 1)) || { echo "FAIL: asked Slack unconfigured"; fails=$((fails + 1)); }

check "a poll with a bot token" 0 spoll SLACK_BOT_TOKEN=$BOT
contains "the assignee told" "$T/out" "acme/loader#1: told ana@example.com on Slack"
contains "the channel told" "$T/out" "acme/loader#2: told the channel on Slack"
equals "two messages" "$(msg "len(m)")" 2
ana=$(msg "[x['text'] for x in m if 'U0ANA' in x['text']][0]")
case "$ana" in *"<@U0ANA>, a bug for you"*) passes=$((passes + 1)) ;; *) echo "FAIL: no mention: $ana"; fails=$((fails + 1)) ;; esac
for want in '`app/loader.py:2` in `load`' '*Why you:*' '*Confidence:*' '<https://github.com/acme/loader/issues/1|acme/loader#1'; do
	case "$ana" in *"$want"*) passes=$((passes + 1)) ;; *) echo "FAIL: '$want' not in: $ana"; fails=$((fails + 1)) ;; esac
done
# the title arrives harmless: no channel ping, no forged link
case "$ana" in *'&lt;!channel&gt; Loader fails &lt;http://evil.example|click&gt; &amp; more'*) passes=$((passes + 1)) ;;
	*) echo "FAIL: the title not escaped: $ana"; fails=$((fails + 1)) ;; esac
case "$ana" in *'<!channel>'*|*'<http://evil'*) echo "FAIL: a ping or a forged link: $ana"; fails=$((fails + 1)) ;; *) passes=$((passes + 1)) ;; esac
human=$(msg "[x['text'] for x in m if 'Manual triage' in x['text']][0]")
case "$human" in *"Manual triage needed: <https://github.com/acme/loader/issues/2|acme/loader#2 How do I load a file?>"*) passes=$((passes + 1)) ;;
	*) echo "FAIL: the channel's message: $human"; fails=$((fails + 1)) ;; esac
equals "Block Kit with the text as fallback" "$(msg "all(len(x['blocks']) == 2 and x['blocks'][0]['type'] == 'section' for x in m)")" True
equals "marked with the outbox's key" "$(msg "all(x['metadata']['event_type'] == 'mahoraga_triage' for x in m)")" True

# once: the next poll tells nobody again
check "the poll after" 0 spoll SLACK_BOT_TOKEN=$BOT
equals "still two messages" "$(msg "len(m)")" 2
# a worker killed after Slack took the message, before the store's "done":
# the next one finds it in the channel and posts no second
python3 -c "import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1]); c.execute(\"update actions set state = 'sending', holder = NULL, updated_at = ? where kind = 'slack_message' and payload like '%ana%'\", (int(time.time()) - 1000,)); c.commit()" "$T/m.db"
check "the poll after a crash mid-send" 0 spoll SLACK_BOT_TOKEN=$BOT
contains "found in the channel" "$T/out" "acme/loader#1: the Slack message was posted before"
equals "never a second message" "$(msg "len(m)")" 2

# Slack's rate limit: the message waits for Retry-After, then goes
edit 1
touch "$SL/ratelimit"
check "a 429" 0 spoll SLACK_BOT_TOKEN=$BOT
contains "said" "$T/out" "acme/loader#2: Slack message not sent: Slack's rate limit"
equals "retried when Slack said" "$(q "$T/m.db" "select next_attempt_at - updated_at between 29 and 31 from actions where kind = 'slack_message' order by id desc limit 1")" 1
rm "$SL/ratelimit"
sql "update actions set next_attempt_at = 0 where state = 'pending'"
check "after the wait" 0 spoll SLACK_BOT_TOKEN=$BOT
equals "sent then" "$(msg "len(m)")" 3
# a token Slack refuses: failed for good, said, not retried
edit 2
check "a refused token" 0 spoll SLACK_BOT_TOKEN=xoxb-wrong
contains "said" "$T/out" "Slack answered 200: invalid_auth"
equals "failed for good" "$(q "$T/m.db" "select state from actions where kind = 'slack_message' order by id desc limit 1")" failed

# an incoming webhook instead of a bot
edit 3
HOOK="http://127.0.0.1:$PORT/services/T0/B0/hooksecretFAKE"
check "a webhook" 0 spoll SLACK_WEBHOOK_URL="$HOOK"
contains "told" "$T/out" "acme/loader#2: told the channel on Slack"
equals "by the webhook" "$(msg "m[-1]['via']")" webhook
# a webhook Slack no longer knows: said without its URL, failed for good
edit 4
check "a dead webhook" 0 spoll SLACK_WEBHOOK_URL="http://127.0.0.1:$PORT/services/T0/B0/gone"
contains "said" "$T/out" "Slack's webhook answered 404: no_service"

# no secret anywhere: output, database
for secret in "$BOT" hooksecretFAKE services/T0/B0/gone; do
	lacks "$secret not printed" "$T/out" "$secret"
	python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); sys.exit(any(sys.argv[2] in l for l in c.iterdump()))" "$T/m.db" "$secret" \
		&& passes=$((passes + 1)) || { echo "FAIL: $secret is in the database"; fails=$((fails + 1)); }
done
finish
