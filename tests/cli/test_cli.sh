#!/bin/sh
# The mahoraga binary as a user runs it: help, version, exit statuses, settings
# saved and shown, the database's place and permissions, secrets never printed.
set -u
MAHORAGA=${MAHORAGA:-./mahoraga}
T=$(mktemp -d "${TMPDIR:-/tmp}/mahoraga-cli-XXXXXX")
trap 'rm -rf "$T"' EXIT
fails=0 passes=0

check() { # check NAME EXPECTED_STATUS COMMAND... ; output in $T/out and $T/err
	name=$1 want=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		echo "FAIL: $name: exit $got, wanted $want"; sed 's/^/  | /' "$T/err"
		fails=$((fails + 1)); return 1
	fi
	passes=$((passes + 1))
}
contains() { # contains NAME FILE TEXT
	if grep -qF -- "$3" "$2"; then passes=$((passes + 1)); else
		echo "FAIL: $1: '$3' not in:"; sed 's/^/  | /' "$2"; fails=$((fails + 1)); fi
}
lacks() {
	if grep -qF -- "$3" "$2"; then echo "FAIL: $1: '$3' printed"; fails=$((fails + 1));
	else passes=$((passes + 1)); fi
}

# A clean environment: only what the test sets.
run() { env -i HOME="$T/home" PATH="$PATH" "$@"; }
mkdir -p "$T/home"

check "help" 0 run "$MAHORAGA" --help
contains "help lists config" "$T/out" "config"
check "version" 0 run "$MAHORAGA" --version
contains "version" "$T/out" "mahoraga "
check "no command" 2 run "$MAHORAGA"
check "unknown command" 2 run "$MAHORAGA" frobnicate
contains "unknown command message" "$T/err" "'frobnicate' is not a mahoraga command"
check "unknown option" 2 run "$MAHORAGA" --frob config list
check "--db without value" 2 run "$MAHORAGA" --db
check "config usage" 2 run "$MAHORAGA" config
check "config set usage" 2 run "$MAHORAGA" config set triage.draft_threshold

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

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
