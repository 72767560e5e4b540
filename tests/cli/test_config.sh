#!/bin/sh
# mahoraga config: settings saved and shown with where they come from, the
# database's place and permissions, secrets never printed, bad files and databases.
. "$(dirname "$0")/lib.sh"

# Defaults, and the database created 0600 under XDG_DATA_HOME.
check "list defaults" 0 run XDG_DATA_HOME="$T/data" "$MAHORAGA" config list
contains "default threshold" "$T/out" "triage.draft_threshold"
mode=$(stat -c %a "$T/data/mahoraga/mahoraga.db")
[ "$mode" = 600 ] && passes=$((passes + 1)) || { echo "FAIL: db mode $mode"; fails=$((fails + 1)); }
dmode=$(stat -c %a "$T/data/mahoraga")
[ "$dmode" = 700 ] && passes=$((passes + 1)) || { echo "FAIL: dir mode $dmode"; fails=$((fails + 1)); }

# Saving a setting, as the TUI's editor does, and where it shows it came from.
DB="$T/m.db"
check "set" 0 run "$MAHORAGA" --db "$DB" config set triage.draft-threshold 90
check "get" 0 run "$MAHORAGA" --db "$DB" config get triage.draft_threshold
contains "get value" "$T/out" "90"
check "env overrides saved" 0 run MAHORAGA_TRIAGE_DRAFT_THRESHOLD=70 "$MAHORAGA" --db "$DB" config list
contains "overridden" "$T/out" "overrides saved value 90"
check "json" 0 run "$MAHORAGA" --db "$DB" -c triage.decay-days=30 config list --format json
python3 - "$T/out" <<'PY' && passes=$((passes + 1)) || { echo "FAIL: json shape"; fails=$((fails + 1)); }
import json, sys
d = json.load(open(sys.argv[1]))
s = {e["key"]: e for e in d["settings"]}
assert s["triage.draft_threshold"]["value"] == "90", s["triage.draft_threshold"]
assert s["triage.draft_threshold"]["origin"]["source"] == "database"
assert s["triage.decay_days"]["origin"] == {"source": "flag", "where": "-c triage.decay-days"}
assert s["triage.overload_limit"]["origin"]["source"] == "default"
PY
check "bad saved value" 1 run "$MAHORAGA" --db "$DB" config set triage.draft_threshold 140
contains "bad value message" "$T/err" "triage.draft_threshold: 140 is out of range (0-100)"
# fine alone, inconsistent with the rest: refused, and every command still works
check "inconsistent set refused" 1 run "$MAHORAGA" --db "$DB" config set triage.assign_threshold 95
contains "inconsistent named" "$T/err" "not saved: triage.assign_threshold must not be above triage.draft_threshold"
check "still loads" 0 run "$MAHORAGA" --db "$DB" config list
# a bad value already saved (by hand, or an older mahoraga): said, left out, nothing stops
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"insert or replace into settings values('triage.decay_days', '-4', 0)\"); c.commit()" "$DB"
check "bad saved value does not stop a command" 0 run "$MAHORAGA" --db "$DB" config get triage.decay_days
contains "the next source holds" "$T/out" "90"
contains "the bad value is named" "$T/err" "warning: database: triage.decay_days: -4 is out of range"
check "config check reports it" 1 run "$MAHORAGA" --db "$DB" config check
contains "check names it" "$T/err" "triage.decay_days: -4"
check "unset the bad value" 0 run "$MAHORAGA" --db "$DB" config unset triage.decay_days
check "unset" 0 run "$MAHORAGA" --db "$DB" config unset triage.draft_threshold
check "unset again" 1 run "$MAHORAGA" --db "$DB" config unset triage.draft_threshold
check "get unset secret" 1 run "$MAHORAGA" --db "$DB" config get github.token

# Secrets: shown only as set; never accepted on the command line.
check "token hidden" 0 run GH_TOKEN=ghp_topsecret123 "$MAHORAGA" --db "$DB" config list
lacks "token not printed" "$T/out" "ghp_topsecret123"
contains "token set" "$T/out" "(set, hidden)"
check "token as flag" 1 run "$MAHORAGA" --db "$DB" -c github.token=ghp_x config list
check "token saved" 1 run "$MAHORAGA" --db "$DB" config set github.token ghp_x

# A bad config file names file, line and key; check says ok for a good one.
cat >"$T/config" <<'CFG'
[triage]
	overload-limit = 3
	decay-days = forever
CFG
check "bad file" 1 run "$MAHORAGA" --db "$DB" --config "$T/config" config check
contains "file:line:key" "$T/err" "$T/config:3: triage.decay_days: 'forever' is not a whole number"
printf '[triage]\n\toverload-limit = 3\n' >"$T/config"
check "good file" 0 run "$MAHORAGA" --db "$DB" --config "$T/config" config check
contains "check ok" "$T/out" "settings ok"
check "missing --config" 1 run "$MAHORAGA" --db "$DB" --config "$T/nope" config check
# The default file is found through XDG_CONFIG_HOME.
mkdir -p "$T/xdg/mahoraga" && cp "$T/config" "$T/xdg/mahoraga/config"
check "xdg config" 0 run XDG_CONFIG_HOME="$T/xdg" "$MAHORAGA" --db "$DB" config get triage.overload_limit
contains "xdg value" "$T/out" "3"

# Bad databases: a clear message and status 3, the file untouched.
echo "not a database at all, just some text that is long enough to be read" >"$T/text.db"
cp "$T/text.db" "$T/text.orig"
check "not a database" 3 run "$MAHORAGA" --db "$T/text.db" config list
contains "not a database message" "$T/err" "is not a mahoraga database"
cmp -s "$T/text.db" "$T/text.orig" && passes=$((passes + 1)) || { echo "FAIL: file changed"; fails=$((fails + 1)); }
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA user_version=999'); c.commit()" "$T/new.db"
check "newer database" 3 run "$MAHORAGA" --db "$T/new.db" config list
contains "newer message" "$T/err" "upgrade mahoraga"

finish
