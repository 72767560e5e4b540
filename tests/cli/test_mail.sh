#!/bin/sh
# Slack down: its messages are not lost. The outbox tries Slack again; once
# Slack has failed for slack.fallback_after, each message goes by e-mail
# (tests/cli/fake_smtp.py on 127.0.0.1) to the assignee's address for
# notifications or to the on-call address, and the administrators are told
# once per outage. A title cannot add a mail header; the SMTP password and
# the bot token are written nowhere.
. "$(dirname "$0")/lib.sh"

loader_inbox
two_issues "$(printf 'Loader fails\r\nBcc: evil@example.com')" 'How do I load a file? été'
SL="$T/slack"
MX="$T/smtp"
mkdir -p "$SL" "$MX"
fake_server slack "$SL"
SPORT=$PORT
fake_server smtp "$MX"
MPORT=$PORT
printf 'name,login,slack,active,emails,mail\nAna Lima,ana,U0ANA,yes,ana@example.com,ana.pager@example.com\n' |
	run "$MAHORAGA" --db "$T/m.db" users import - >/dev/null
equals "the address for notifications kept" "$(q "$T/m.db" "select notify_email from users")" ana.pager@example.com

BOT=xoxb-FAKE-token
PASS=smtp-FAKE-secret
mpoll() { run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" MAHORAGA_SLACK_API_URL="http://127.0.0.1:$SPORT/api" \
	MAHORAGA_SLACK_CHANNEL=C0ONCALL SLACK_BOT_TOKEN=$BOT MAHORAGA_MAIL_PASSWORD=$PASS "$@" "$MAHORAGA" \
	--config "$T/config" --db "$T/m.db" -c triage.assign_threshold=40 -c slack.fallback_after=2s \
	-c mail.smtp_url="smtp://127.0.0.1:$MPORT" -c mail.user=mahoraga -c mail.from=mahoraga@example.com \
	-c mail.to=oncall@example.com -c mail.admin=admin@example.com poll --once; }
mails() { python3 -c "
import json, os, sys
p = os.path.join(sys.argv[1], 'mails.json')
m = json.load(open(p)) if os.path.exists(p) else []
print(eval(sys.argv[2]))" "$MX" "$1"; }
sql() { python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()" "$T/m.db" "$1"; }
due() { sql "update actions set next_attempt_at = 0 where state = 'pending'"; }
edit() { python3 -c "
import json, sys
l = json.load(open(sys.argv[1]))
l[1]['body'] = 'The docs do not say. (edit %s)' % sys.argv[2]
json.dump(l, open(sys.argv[1], 'w'))" "$IN/issues.json" "$1"; }

# Slack down: tried, failed, kept; too soon for e-mail
touch "$SL/down"
check "a poll with Slack down" 0 mpoll
contains "said" "$T/out" "Slack message not sent"
equals "both messages wait" "$(q "$T/m.db" "select count(*) from actions where kind = 'slack_message' and state = 'pending'")" 2
equals "no e-mail yet" "$(mails "len(m)")" 0
equals "the outage's start kept" "$(q "$T/m.db" "select down_since > 0 from services where name = 'slack'")" 1

# past slack.fallback_after: by e-mail, and the administrators told once
sleep 3
due
check "a poll past the fallback delay" 0 mpoll
contains "the assignee by e-mail" "$T/out" "acme/loader#1: Slack is down: told ana.pager@example.com by e-mail"
contains "the channel by e-mail" "$T/out" "acme/loader#2: Slack is down: told oncall@example.com by e-mail"
contains "the admin told" "$T/out" "told admin@example.com that Slack is down"
equals "three e-mails" "$(mails "len(m)")" 3
equals "to whom" "$(mails "sorted(x['to'][0] for x in m)")" "['admin@example.com', 'ana.pager@example.com', 'oncall@example.com']"
equals "sent" "$(q "$T/m.db" "select count(*) from actions where kind = 'slack_message' and state = 'done' and result like 'mailed to %'")" 2
ana=$(mails "[x['data'] for x in m if 'ana.pager' in x['to'][0]][0]")
for want in 'Ana, a bug for you: acme/loader#1 Loader fails' 'https://github.com/acme/loader/issues/1' \
	'Where: `app/loader.py:2` in `load`' 'Why you: ' 'Confidence: ' 'From: mahoraga <mahoraga@example.com>' \
	'Content-Type: text/plain; charset=utf-8'; do
	case "$ana" in *"$want"*) passes=$((passes + 1)) ;; *) echo "FAIL: '$want' not in: $ana"; fails=$((fails + 1)) ;; esac
done
# the title's line break did not make a header
equals "no header from a title" "$(mails "sum(1 for x in m for l in x['data'].split(chr(10)) if l.lower().startswith('bcc:'))")" 0
equals "a subject of its own" "$(mails "sum(1 for x in m for l in x['data'].split(chr(10)) if l.startswith('Subject:'))")" 3
# a subject that is not ASCII is encoded, and reads back whole
equals "an encoded subject" "$(mails "[__import__('email').message_from_string(x['data'])['Subject'] for x in m if 'oncall' in x['to'][0]][0]" |
	python3 -c "import sys, email.header; print(str(email.header.make_header(email.header.decode_header(sys.stdin.read().strip()))))")" \
	"Manual triage needed: acme/loader#2 How do I load a file? été"
contains "logged in" "$MX/commands" "AUTH"

# the same outage: the admin is not told again
edit 1
check "a poll in the same outage" 0 mpoll
equals "one more e-mail only" "$(mails "len(m)")" 4
equals "the admin told once" "$(mails "sum(1 for x in m if x['to'][0] == 'admin@example.com')")" 1

# Slack back: Slack again, the outage over
rm "$SL/down"
sql "update services set open_until = 1 where name = 'slack'" # its breaker's cooldown over
edit 2
check "Slack back" 0 mpoll
contains "told on Slack" "$T/out" "acme/loader#2: told the channel on Slack"
equals "the outage over" "$(q "$T/m.db" "select down_since from services where name = 'slack'")" 0
# a new outage is told again
touch "$SL/down"
edit 3
check "down again" 0 mpoll
sleep 3
due
check "a poll in the new outage" 0 mpoll
equals "the admin told of the new outage" "$(mails "sum(1 for x in m if x['to'][0] == 'admin@example.com')")" 2

# e-mail down too: the message waits, nothing is lost
touch "$MX/down"
edit 4
check "both down" 0 mpoll
sleep 3
due
check "both down, past the delay" 0 mpoll
contains "said" "$T/out" "Slack is down and the e-mail to oncall@example.com failed"
equals "still waiting" "$(q "$T/m.db" "select state from actions where kind = 'slack_message' order by id desc limit 1")" pending
rm "$MX/down"
due
sql "update services set open_until = 1" # the breakers' cooldown over
check "e-mail back" 0 mpoll
equals "sent then" "$(q "$T/m.db" "select state from actions where kind = 'slack_message' order by id desc limit 1")" done

# no secret anywhere: output, database, the settings shown
run MAHORAGA_MAIL_PASSWORD=$PASS "$MAHORAGA" --config "$T/config" --db "$T/m.db" config list >"$T/cfg.out" 2>&1
cat "$T/cfg.out" >>"$T/out"
for secret in "$PASS" "$BOT"; do
	lacks "$secret not printed" "$T/out" "$secret"
	python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); sys.exit(any(sys.argv[2] in l for l in c.iterdump()))" "$T/m.db" "$secret" \
		&& passes=$((passes + 1)) || { echo "FAIL: $secret is in the database"; fails=$((fails + 1)); }
done
# the LLM down is told too, once per outage, like any service
L="$T/llm"
mkdir -p "$L"
fake_server llm "$L"
echo 500 >"$L/mode"
lpoll() { run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" MAHORAGA_LLM_URL="http://127.0.0.1:$PORT/v1" MAHORAGA_LLM_MODEL=m \
	"$MAHORAGA" --config "$T/config" --db "$T/l.db" -c slack.fallback_after=0s \
	-c mail.smtp_url="smtp://127.0.0.1:$MPORT" -c mail.from=mahoraga@example.com -c mail.admin=admin@example.com "$@" poll --once; }
before=$(mails "sum(1 for x in m if x['to'][0] == 'admin@example.com')")
check "a poll with the LLM down" 0 lpoll
contains "the admin told" "$T/out" "told admin@example.com that the LLM is down"
equals "by one e-mail" "$(mails "sum(1 for x in m if x['to'][0] == 'admin@example.com')")" $((before + 1))
equals "that says so" "$(mails "any(l.startswith('The LLM has not answered mahoraga since') for l in [x['data'] for x in m if x['to'][0] == 'admin@example.com'][-1].split(chr(10)))")" True
python3 -c "
import json, sys
l = json.load(open(sys.argv[1]))
l[0]['body'] += ' (seen again)'
json.dump(l, open(sys.argv[1], 'w'))" "$IN/issues.json"
check "the same outage" 0 lpoll
equals "not told twice" "$(mails "sum(1 for x in m if x['to'][0] == 'admin@example.com')")" $((before + 1))

# bad settings are refused with a clear word
check "not an SMTP URL" 1 run "$MAHORAGA" --config "$T/config" --db "$T/m.db" -c mail.smtp_url=http://x config list
contains "said" "$T/err" "is not an smtp:// or smtps:// URL"
check "not an address" 1 run "$MAHORAGA" --config "$T/config" --db "$T/m.db" -c "mail.to=a@b>Bcc:c" config list
contains "said" "$T/err" "is not an e-mail address"
finish
