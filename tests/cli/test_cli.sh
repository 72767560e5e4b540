#!/bin/sh
# The mahoraga binary as a user runs it: help, version, exit statuses, settings
# saved and shown, the database's place and permissions, secrets never printed.
. "$(dirname "$0")/lib.sh"

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

# triage --parse-only: the JSON contract of DESIGN.md section 5, from a file,
# from standard input and from gh's JSON, with and without a repository.
cat >"$T/issue.md" <<'ISSUE'
The nightly import crashes since upgrading to 2.3:

```
Traceback (most recent call last):
  File "/home/ci/work/importer/importer/cli.py", line 12, in main
    run(args.path)
  File "/home/ci/work/importer/importer/load.py", line 40, in run
    return rows[0]["id"]
KeyError: 'id'
```
ISSUE
check "triage without a repository" 0 run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --db "$T/t.db" triage --format json "$T/issue.md"
python3 - "$T/out" <<'PY' && passes=$((passes + 1)) || { echo "FAIL: triage without repo"; fails=$((fails + 1)); }
import json, sys
d = json.load(open(sys.argv[1]))
assert d["route"] == "human" and d["assignee"] is None and d["confidence"] == 0, d
assert d["spell"]["id"] == "python-keyerror" and "KeyError" in d["explanation"]
assert set(d["timings_ms"]) == {"parse", "map", "signals", "expertise", "analysis", "assign", "total"}
PY
check "triage bad format" 2 run "$MAHORAGA" triage --parse-only --format xml "$T/issue.md"
check "triage unknown option" 2 run "$MAHORAGA" triage --parse-only --frob "$T/issue.md"
check "triage --format without value" 2 run "$MAHORAGA" triage --parse-only "$T/issue.md" --format
contains "needs a value" "$T/err" "--format needs a value"
check "triage --format=text" 0 run "$MAHORAGA" triage --parse-only --format=text "$T/issue.md"
contains "format= form" "$T/out" "language:    python"
check "triage missing file" 3 run "$MAHORAGA" triage --parse-only "$T/nope.md"
# text by default, as gh does; JSON when asked (scripts pass --format json)
check "triage text by default" 0 run "$MAHORAGA" triage --parse-only "$T/issue.md"
contains "triage text" "$T/out" "language:"
lacks "triage text is not json" "$T/out" '"language":'
check "triage json" 0 run "$MAHORAGA" triage --format json --parse-only "$T/issue.md"
cp "$T/out" "$T/file.json"
python3 - "$T/out" <<'PY' && passes=$((passes + 1)) || { echo "FAIL: triage json keys"; fails=$((fails + 1)); }
import json, sys
d = json.load(open(sys.argv[1]))
assert d["language"] == "python", d["language"]
assert d["error_type"] == "KeyError" and d["error_message"] == "'id'"
assert len(d["exceptions"]) == 1 and len(d["frames"]) == 2
f = d["frames"][1]
assert f == {"file": "/home/ci/work/importer/importer/load.py", "line": 40, "column": None,
             "function": "run", "repo_path": None, "in_app": True, "relevance": 1.0}, f
assert d["app_frame"]["function"] == "run"
assert "crash" in d["keywords"] and d["severity"] == "high", (d["keywords"], d["severity"])
assert len(d["fingerprint"]) == 16
PY
check "triage stdin" 0 sh -c "'$MAHORAGA' triage --format json --parse-only - <'$T/issue.md'"
cmp -s "$T/out" "$T/file.json" && passes=$((passes + 1)) || { echo "FAIL: stdin differs from file"; fails=$((fails + 1)); }
check "triage gh json" 0 sh -c "python3 -c 'import json,sys; print(json.dumps({\"title\": \"Import crashes\", \"body\": open(sys.argv[1]).read()}))' '$T/issue.md' | '$MAHORAGA' triage --format json --parse-only"
contains "gh json parsed" "$T/out" '"error_type": "KeyError"'
check "triage text" 0 run "$MAHORAGA" triage --parse-only --format text "$T/issue.md"
contains "text blame" "$T/out" "blame:       run at /home/ci/work/importer/importer/load.py:40"
printf 'The button is blue but should be green.\n' >"$T/prose.md"
check "triage prose" 0 run "$MAHORAGA" triage --format json --parse-only "$T/prose.md"
contains "prose is none" "$T/out" '"language": "none"'
contains "prose app frame null" "$T/out" '"app_frame": null'
# Escape sequences in the issue never reach the terminal.
printf 'Traceback (most recent call last):\n  File "/a/\033]0;owned\007b.py", line 1, in \033[2Jf\nValueError: x\033[31m\n' >"$T/esc.md"
check "triage escapes" 0 run "$MAHORAGA" triage --parse-only --format text "$T/esc.md"
if grep -q "$(printf '\033')" "$T/out"; then echo "FAIL: escape printed"; fails=$((fails + 1)); else passes=$((passes + 1)); fi
# Mapping against a repository's tree.
R="$T/repo"
mkdir -p "$R/importer" "$R/tests"
echo x >"$R/importer/load.py"; echo x >"$R/importer/cli.py"; echo x >"$R/tests/load.py"
(cd "$R" && git init -q . && git add -A && git -c user.name=t -c user.email=t@e commit -qm i) >/dev/null
check "triage repo" 0 run "$MAHORAGA" triage --format json --parse-only --repo "$R" "$T/issue.md"
contains "repo path" "$T/out" '"repo_path": "importer/load.py"'
check "triage missing file with repo" 3 run "$MAHORAGA" triage --parse-only --repo "$R" "$T/nope.md"
check "triage bad rev" 3 run "$MAHORAGA" triage --parse-only --repo "$R" --rev nope "$T/issue.md"
contains "bad rev message" "$T/err" "no revision 'nope'"
check "triage not a repo" 3 run "$MAHORAGA" triage --parse-only --repo "$T/home" "$T/issue.md"
check "triage rev without repo" 2 run "$MAHORAGA" triage --parse-only --rev HEAD "$T/issue.md"
head -c 17000000 /dev/zero | tr '\0' 'a' >"$T/huge.md"
check "triage huge input" 1 run "$MAHORAGA" triage --parse-only "$T/huge.md"
contains "huge message" "$T/err" "larger than 16 MiB"

# expertise and busfactor on a repository with two authors, a rename and a bot.
E="$T/exp"
mkdir -p "$E/src"
ci() { # ci NAME EMAIL DATE MESSAGE
	(cd "$E" && git add -A && GIT_AUTHOR_NAME="$1" GIT_AUTHOR_EMAIL="$2" GIT_AUTHOR_DATE="$3" \
		GIT_COMMITTER_NAME="$1" GIT_COMMITTER_EMAIL="$2" GIT_COMMITTER_DATE="$3" \
		git commit -q -m "$4") >/dev/null
}
(cd "$E" && git init -q -b main .)
printf 'a\nb\nc\nd\n' >"$E/src/store.c"; ci Ana ana@example.com 2024-01-01T00:00:00Z start
printf 'a\nB\nc\nd\n' >"$E/src/store.c"; ci Ben ben@example.com 2024-05-01T00:00:00Z edit
(cd "$E" && git mv src/store.c src/db.c); ci Ana ana@example.com 2024-06-01T00:00:00Z rename
printf 'a\nB\nc\nD\n' >"$E/src/db.c"; ci 'renovate[bot]' bot@renovateapp.com 2024-07-01T00:00:00Z bump
EDB="$T/exp.db"
check "expertise" 0 run "$MAHORAGA" --db "$EDB" expertise --format json --repo "$E" src/db.c
python3 - "$T/out" <<'PY' && passes=$((passes + 1)) || { echo "FAIL: expertise json"; fails=$((fails + 1)); }
import json, sys
d = json.load(open(sys.argv[1]))
f = d["files"][0]
assert f["path"] == "src/db.c" and f["total_lines"] == 4, f
devs = {x["email"]: x for x in f["developers"]}
assert set(devs) == {"ana@example.com", "ben@example.com"}, devs
assert devs["ana@example.com"]["commits"] == 2 and devs["ana@example.com"]["lines_owned"] == 2
assert devs["ben@example.com"]["commits"] == 1 and devs["ben@example.com"]["lines_owned"] == 1
assert devs["ana@example.com"]["first_commit"] == "2024-01-01T00:00:00Z"
assert f["developers"][0]["email"] == "ana@example.com"
assert f["excluded"] == 1 and f["no_active_contributor"] is False
assert len(d["rev"]) == 40
PY
[ -s "$T/err" ] && { echo "FAIL: progress printed to a pipe"; fails=$((fails + 1)); } || passes=$((passes + 1))
check "expertise text" 0 run "$MAHORAGA" --db "$EDB" expertise --repo "$E" --format text --line 2 src/db.c
contains "expertise text line" "$T/out" "ben@example.com"
contains "expertise text wrote the line" "$T/out" "wrote the line"
check "expertise as of a revision" 0 run "$MAHORAGA" --db "$EDB" expertise --format json --repo "$E" --rev HEAD~2 src/store.c
contains "old path at old rev" "$T/out" '"found": true'
check "expertise missing file" 1 run "$MAHORAGA" --db "$EDB" expertise --repo "$E" src/nope.c
contains "missing file message" "$T/err" "not in the repository"
check "expertise not a repo" 3 run "$MAHORAGA" --db "$EDB" expertise --repo "$T/home" src/db.c
check "expertise bad rev" 3 run "$MAHORAGA" --db "$EDB" expertise --repo "$E" --rev nope src/db.c
check "expertise usage" 2 run "$MAHORAGA" --db "$EDB" expertise --repo "$E"
check "expertise bots from the environment" 0 run MAHORAGA_EXPERTISE_BOTS='[bot],ana@' "$MAHORAGA" --db "$EDB" expertise --repo "$E" src/db.c
lacks "bots setting applies" "$T/out" "ana@example.com"
check "busfactor" 0 run "$MAHORAGA" --db "$EDB" busfactor --format json --repo "$E"
python3 - "$T/out" <<'PY' && passes=$((passes + 1)) || { echo "FAIL: busfactor json"; fails=$((fails + 1)); }
import json, sys
d = json.load(open(sys.argv[1]))
assert d["truck_factor"] == 1 and d["files"] == 1, d
assert d["developers"][0]["email"] == "ana@example.com"
assert d["developers"][0]["ownership_pct"] == 100.0
r = d["risk_files"][0]
assert r["path"] == "src/db.c" and r["authors"] == ["ana@example.com"]
assert r["suggested_partners"] == ["ben@example.com"], r
PY
check "busfactor text" 0 run "$MAHORAGA" --db "$EDB" busfactor --repo "$E" --format text
contains "busfactor text" "$T/out" "truck factor: 1"
check "busfactor usage" 2 run "$MAHORAGA" --db "$EDB" busfactor

# the whole decision against the expertise repository
printf 'Traceback (most recent call last):\n  File "/build/exp/src/db.c", line 2, in lookup\nKeyError: %s\n' "'k'" >"$T/exp-issue.md"
check "triage decision" 0 run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --db "$EDB" triage --format json --repo "$E" "$T/exp-issue.md"
python3 - "$T/out" <<'PY' && passes=$((passes + 1)) || { echo "FAIL: triage decision"; fails=$((fails + 1)); }
import json, sys
d = json.load(open(sys.argv[1]))
assert d["app_frame"]["repo_path"] == "src/db.c", d["app_frame"]
c = d["candidates"]
assert [x["email"] for x in c] == ["ana@example.com", "ben@example.com"], c
assert any(r.startswith("wrote line 2") or r.startswith("wrote the blamed line") for r in c[1]["reasons"]), c  # ben wrote the line, ana owns more
assert 0 <= d["confidence"] <= 100
assert (d["route"] == "human") == (d["assignee"] is None), d
# the route follows the thresholds (85 and 60, the defaults)
if d["confidence"] < 60:
    assert d["route"] == "human" and "Not sure enough" in d["reasoning"], d
else:
    assert d["route"] in ("assign", "draft_fix") and d["assignee"]["email"] == c[0]["email"], d
assert (d["route"] == "draft_fix") == (d["draft_fix"] is not None), d
assert all(c["email"] != "bot@renovateapp.com" for c in d["candidates"])
PY
check "triage decision text" 0 run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --db "$EDB" triage --repo "$E" --format text "$T/exp-issue.md"
contains "decision text route" "$T/out" "route:"
check "triage decision as of a revision" 0 run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --db "$EDB" triage --format json --repo "$E" --rev HEAD~3 "$T/exp-issue.md"
contains "old revision has no src/db.c" "$T/out" '"route": "human"'

# a draft fix: above the (lowered) draft threshold, with a spell's recipe
D="$T/draft"
mkdir -p "$D/app"
printf 'def load(d):\n    return d["user_id"]\n' >"$D/app/loader.py"
(cd "$D" && git init -q -b main . && git add -A && git -c user.name=Ana -c user.email=ana@example.com commit -qm init) >/dev/null
printf 'Traceback (most recent call last):\n  File "/srv/app/loader.py", line 2, in load\nKeyError: %s\n' "'user_id'" >"$T/draft-issue.md"
check "triage drafts a fix" 0 run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --db "$T/d.db" \
	-c triage.draft_threshold=20 -c triage.assign_threshold=10 triage --format json --repo "$D" "$T/draft-issue.md"
python3 - "$T/out" <<'PY' && passes=$((passes + 1)) || { echo "FAIL: draft decision"; fails=$((fails + 1)); }
import json, sys
d = json.load(open(sys.argv[1]))
assert d["route"] == "draft_fix", (d["route"], d.get("no_draft"))
f = d["draft_fix"]
assert f["branch"].startswith("mahoraga/draft-") and f["path"] == "app/loader.py"
assert f["title"].startswith("DRAFT - Review Required") and f["lines_changed"] < 20
assert '+    return d.get("user_id")' in f["diff"] and "+    # mahoraga draft" in f["diff"]
PY
b=$(cd "$D" && git branch --list 'mahoraga/*' | tr -d ' ')
[ -n "$b" ] && [ "$(cd "$D" && git status --porcelain)" = "" ] && [ "$(cd "$D" && git symbolic-ref --short HEAD)" = main ] \
	&& passes=$((passes + 1)) || { echo "FAIL: draft branch or working tree"; fails=$((fails + 1)); }
# with the draft branch checked out, triage still reads the default branch, and
# the tool's own commit is nobody's expertise
(cd "$D" && git checkout -q "$b")
check "triage with a draft checked out" 0 run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --db "$T/d2.db" \
	-c triage.draft_fixes=false triage --repo "$D" "$T/draft-issue.md"
lacks "the tool is never a candidate" "$T/out" "mahoraga@localhost"
(cd "$D" && git checkout -q main)
check "triage draft turned off" 0 run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --db "$T/d.db" \
	-c triage.draft_threshold=20 -c triage.assign_threshold=10 -c triage.draft_fixes=false triage --format json --repo "$D" "$T/draft-issue.md"
contains "no draft when off" "$T/out" '"no_draft": "drafting fixes is turned off'

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

# the demo without a terminal: built, triaged, summarized
mkdir -p "$T/demo-tmp"
check "demo" 0 run TMPDIR="$T/demo-tmp" MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" demo
contains "demo triaged" "$T/out" "demo/shop#102 TypeError -> assign dev@shop.example"
contains "demo duplicate" "$T/out" "demo/shop#105 KeyError -> human"
# Carla left: nobody active knows her file, so it goes to a human
contains "demo departed developer" "$T/out" "demo/shop#103 java.lang.NullPointerException -> human"
contains "demo says how to reopen it" "$T/out" "open it again:  mahoraga --config"
contains "demo says how to point a wall at it" "$T/out" "a wall on it:   mahoraga --db"
check "demo arguments" 2 run "$MAHORAGA" demo extra
# every command answers --help with its usage and exit 0, and every one parses
# its options the same way: an unknown one, or one without its value, is exit 2
# with the usage; --opt=value is --opt value
for c in demo wall info poll triage expertise busfactor calibrate; do
	check "$c --help" 0 run "$MAHORAGA" "$c" --help
	contains "$c usage" "$T/out" "usage: mahoraga $c"
	check "$c unknown option" 2 run "$MAHORAGA" --db "$T/parse.db" "$c" --frobnicate
	contains "$c names the option" "$T/err" "$c: unknown option '--frobnicate'"
	contains "$c usage on stderr" "$T/err" "usage: mahoraga $c"
done
for c in triage expertise busfactor calibrate; do
	check "$c --format without value" 2 run "$MAHORAGA" --db "$T/parse.db" "$c" --format
	contains "$c says what is missing" "$T/err" "$c: --format needs a value"
done
check "spells unknown option" 2 run "$MAHORAGA" --db "$T/parse.db" spells list --frobnicate
check "demo takes no arguments" 2 run "$MAHORAGA" demo now
contains "demo says so" "$T/err" "demo takes no arguments ('now')"
check "--format=json as --format json" 0 run "$MAHORAGA" triage --parse-only --format=json "$T/issue.md"
python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$T/out" && passes=$((passes + 1)) || { echo "FAIL: --format=json not JSON"; fails=$((fails + 1)); }

# spells: the shipped library, a user's own, and testing an issue against them.
SDB="$T/spells/m.db"
mkdir -p "$T/spells"
sp() { run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --db "$SDB" spells "$@"; }
check "spells list" 0 sp list
contains "spells list shows a shipped spell" "$T/out" "python-keyerror"
n=$(grep -c "shipped" "$T/out")
[ "$n" -ge 40 ] && passes=$((passes + 1)) || { echo "FAIL: only $n shipped spells"; fails=$((fails + 1)); }
check "spells list json" 0 sp list --format json
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d) >= 40 and all(x['source'] == 'shipped' for x in d)" "$T/out" \
	&& passes=$((passes + 1)) || { echo "FAIL: spells json"; fails=$((fails + 1)); }
check "spells show" 0 sp show go-nil-pointer
contains "spells show explanation" "$T/out" "Check the error before using the value"
check "spells show unknown" 1 sp show no-such-spell
check "spells usage" 2 sp
check "spells bad subcommand" 2 sp frob
check "spells test" 0 sp test "$T/issue.md"
contains "spells test match" "$T/out" "python-keyerror"
check "spells test json" 0 sp test --format json "$T/issue.md"
contains "spells test json match" "$T/out" '"id": "python-keyerror"'
cat >"$T/my.spell" <<'SPELL'
id: importer-rows
title: Importer got an empty file
languages: python
error: KeyError
frame: */importer/*
---
The import file had no rows; check the upload step.
SPELL
check "spells test with a candidate spell" 0 sp test --spell "$T/my.spell" "$T/issue.md"
contains "candidate ranks first" "$T/out" "importer-rows"
check "spells add" 0 sp add "$T/my.spell"
[ -f "$T/spells/spells/importer-rows.spell" ] && passes=$((passes + 1)) || { echo "FAIL: spell not saved next to the db"; fails=$((fails + 1)); }
check "spells list has the user spell" 0 sp list
contains "user spell listed" "$T/out" "importer-rows"
check "spells add twice" 1 sp add "$T/my.spell"
contains "add twice message" "$T/err" "--force replaces it"
check "spells add --force" 0 sp add --force "$T/my.spell"
printf 'id: Bad Id\ntitle: x\n---\ny\n' >"$T/bad.spell"
check "spells add invalid" 1 sp add "$T/bad.spell"
contains "invalid spell message" "$T/err" "bad.spell"
check "spells rm shipped" 1 sp rm python-keyerror
contains "rm shipped message" "$T/err" "cannot be removed"
check "spells rm" 0 sp rm importer-rows
[ ! -e "$T/spells/spells/importer-rows.spell" ] && passes=$((passes + 1)) || { echo "FAIL: spell not removed"; fails=$((fails + 1)); }
check "spells rm unknown" 1 sp rm importer-rows
# a broken user spell is reported, the rest still works
printf 'id: broken\n' >"$T/spells/spells/broken.spell"
check "spells list with a broken file" 0 sp list
contains "broken file reported" "$T/err" "broken.spell"

# users import and export: CSV as a spreadsheet writes it, all rows or none
us() { run "$MAHORAGA" --db "$T/users.db" users "$@"; }
printf 'name,login,slack,active,emails\r\n"Lee, Ann",annlee,U01ANN,yes,ann@shop.example;Ann@Home.example\r\nBob Ray,bray,,no,bob@shop.example\r\n' >"$T/users.csv"
check "users import" 0 us import "$T/users.csv"
contains "users import counts" "$T/out" "2 added, 0 updated"
check "users export" 0 us export "$T/users-out.csv"
contains "export quotes a comma" "$T/users-out.csv" '"Lee, Ann",annlee,U01ANN,yes,ann@shop.example;ann@home.example'
contains "export keeps inactive" "$T/users-out.csv" "Bob Ray,bray,,no,bob@shop.example"
check "users re-import of the export" 0 us import "$T/users-out.csv"
contains "round trip updates" "$T/out" "0 added, 2 updated"
check "users export to stdout" 0 us export
cmp -s "$T/out" "$T/users-out.csv" && passes=$((passes + 1)) || { echo "FAIL: export differs after round trip"; fails=$((fails + 1)); }
printf 'name,login,slack,active,emails\nCarla,carla,,yes,carla@shop.example\nDan,dan,,maybe,dan@shop.example\n' >"$T/bad-users.csv"
check "users import bad row" 1 us import "$T/bad-users.csv"
contains "bad row located" "$T/err" "bad-users.csv:3: active must be yes or no"
us export >"$T/after-bad.csv" 2>/dev/null
lacks "nothing saved from a bad file" "$T/after-bad.csv" "Carla"
printf 'name,login,slack,active,emails\n"unclosed,x,,yes,x@y.example\n' >"$T/bad-quote.csv"
check "users import unclosed quote" 1 us import "$T/bad-quote.csv"
contains "unclosed quote message" "$T/err" "never closed"
printf 'login,name\nx,y\n' >"$T/bad-header.csv"
check "users import bad header" 1 us import "$T/bad-header.csv"
contains "header message" "$T/err" "name,login,slack,active,emails"
printf 'name,login,slack,active,emails\nEve,eve,,yes,not-an-email\n' | us import - >"$T/out" 2>"$T/err"
[ $? -eq 1 ] && passes=$((passes + 1)) || { echo "FAIL: bad email accepted"; fails=$((fails + 1)); }
contains "bad email message" "$T/err" "'not-an-email' is not an email"
check "users import missing file" 3 us import "$T/nope.csv"
check "users usage" 2 us frob
# a spreadsheet's byte order mark is fine; one e-mail on two rows is refused,
# saying where; a file too large is refused whole, never cut
printf '\357\273\277name,login,slack,active,emails\r\nEve Bom,eve,,yes,eve@shop.example\r\n' >"$T/bom.csv"
check "users import after a BOM" 0 us import "$T/bom.csv"
contains "BOM import counts" "$T/out" "1 added"
printf 'name,login,slack,active,emails\nFay,fay,,yes,fay@shop.example\nFay Two,fay2,,yes,x@shop.example;FAY@shop.example\n' >"$T/dup.csv"
check "users import one e-mail twice" 1 us import "$T/dup.csv"
contains "duplicate located" "$T/err" "dup.csv:3: fay@shop.example is also on line 2"
# (what is in it does not matter: it is refused by its size before it is read as CSV)
dd if=/dev/zero of="$T/huge.csv" bs=1M count=65 2>/dev/null
check "users import of 65 MiB" 1 us import "$T/huge.csv"
contains "too large said" "$T/err" "more than 64 MiB"
rm -f "$T/huge.csv"
python3 -c "import sys
with open(sys.argv[1], 'w') as f:
    f.write('name,login,slack,active,emails\n')
    for i in range(5000): f.write('Person %d,,,yes,q%d@shop.example\n' % (i, i))" "$T/many.csv"
check "users import of 5,000 rows" 0 us import "$T/many.csv"
contains "all of them" "$T/out" "5000 added"

# info: where things are; secrets by source only
check "info" 0 run GH_TOKEN=ghp_infoSECRET123 "$MAHORAGA" --db "$T/info/m.db" info
contains "info database" "$T/out" "$T/info/m.db"
contains "info log" "$T/out" "$T/info/mahoraga.log"
contains "info token source" "$T/out" "(set, hidden) from environment GH_TOKEN"
lacks "info never prints the token" "$T/out" "ghp_infoSECRET123"
contains "info unset secret" "$T/out" "slack.token       (unset)"
check "info arguments" 2 run "$MAHORAGA" info extra
# a repository saved in the database (as the command center's N does) is configured
mkdir -p "$T/info2"
check "repo saved" 0 run "$MAHORAGA" --db "$T/info2/m.db" config set repo.acme/web.path "$E"
check "info with saved repo" 0 run "$MAHORAGA" --db "$T/info2/m.db" info
contains "info counts it" "$T/out" "repositories      1 configured"
contains "info names it" "$T/out" "acme/web  $E"

# output that cannot be written is an error, not a silent 0 (a backup to a full disk)
for cmd in "--version" "config list" "users export"; do
	# shellcheck disable=SC2086
	run "$MAHORAGA" --db "$T/full.db" $cmd >/dev/full 2>"$T/err"
	got=$?
	if [ "$got" -eq 3 ] && grep -q "writing the output" "$T/err"; then passes=$((passes + 1)); else
		echo "FAIL: $cmd to /dev/full: exit $got"; sed 's/^/  | /' "$T/err"; fails=$((fails + 1)); fi
done

finish
