# What the command-line test scripts share: a scratch folder, a clean
# environment, and checks that count passes and failures. Source it, then
# end with `finish`.
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
equals() { # equals NAME GOT WANTED
	if [ "$2" = "$3" ]; then passes=$((passes + 1)); else
		echo "FAIL: $1: got '$2', wanted '$3'"; fails=$((fails + 1)); fi
}

# q DB SQL: the first value of the first row of a query on a database
q() { python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute(sys.argv[2]).fetchone()[0])" "$@"; }

# A clean environment: only what the test sets.
run() { env -i HOME="$T/home" PATH="$PATH" "$@"; }
mkdir -p "$T/home"

# commit AUTHOR DATE MESSAGE: commit everything as AUTHOR (name; email name@x)
commit() {
	git add -A && GIT_AUTHOR_DATE="$2T12:00:00Z" GIT_COMMITTER_DATE="$2T12:00:00Z" \
		git -c user.name="$1" -c user.email="$1@x" commit -qm "$3"
}

# The fixtures more than one script uses.

# python_issue FILE: a report with a Python traceback, as people paste them
python_issue() {
	cat >"$1" <<'ISSUE'
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
}

# expertise_repo DIR: two authors, a rename and a bot on src/db.c
expertise_repo() {
	_e=$1
	mkdir -p "$_e/src"
	(cd "$_e" && git init -q -b main .)
	_ci() { # NAME EMAIL DATE MESSAGE
		(cd "$_e" && git add -A && GIT_AUTHOR_NAME="$1" GIT_AUTHOR_EMAIL="$2" GIT_AUTHOR_DATE="$3" \
			GIT_COMMITTER_NAME="$1" GIT_COMMITTER_EMAIL="$2" GIT_COMMITTER_DATE="$3" \
			git commit -q -m "$4") >/dev/null
	}
	printf 'a\nb\nc\nd\n' >"$_e/src/store.c"; _ci Ana ana@example.com 2024-01-01T00:00:00Z start
	printf 'a\nB\nc\nd\n' >"$_e/src/store.c"; _ci Ben ben@example.com 2024-05-01T00:00:00Z edit
	(cd "$_e" && git mv src/store.c src/db.c); _ci Ana ana@example.com 2024-06-01T00:00:00Z rename
	printf 'a\nB\nc\nD\n' >"$_e/src/db.c"; _ci 'renovate[bot]' bot@renovateapp.com 2024-07-01T00:00:00Z bump
}

# draft_repo DIR ISSUE: one commit of app/loader.py by Ana, and a KeyError
# report against its line 2 in ISSUE
draft_repo() {
	mkdir -p "$1/app"
	printf 'def load(d):\n    return d["user_id"]\n' >"$1/app/loader.py"
	(cd "$1" && git init -q -b main . && git add -A && git -c user.name=Ana -c user.email=ana@example.com commit -qm init) >/dev/null
	printf 'Traceback (most recent call last):\n  File "/srv/app/loader.py", line 2, in load\nKeyError: %s\n' "'user_id'" >"$2"
}

# loader_inbox: the loader repository in $D (its trace in $T/issue.md), an
# empty inbox folder $IN, and $T/config naming both as acme/loader.
loader_inbox() {
	D="$T/loader"
	IN="$T/inbox"
	draft_repo "$D" "$T/issue.md"
	mkdir -p "$IN"
	printf '[repo "acme/loader"]\n\tpath = %s\n\tinbox = %s\n' "$D" "$IN" >"$T/config"
}

# two_issues TITLE1 TITLE2: $IN/issues.json as gh lists issues: #1 reports the
# trace of $T/issue.md, #2 is a question without one.
two_issues() {
	python3 -c "
import json, sys
trace = open(sys.argv[1]).read()
issue = lambda n, title, body: {'number': n, 'title': title, 'state': 'OPEN', 'body': body, 'author': {'login': 'octocat'},
                                'createdAt': '2026-11-20T09:00:00Z', 'url': 'https://github.com/acme/loader/issues/%d' % n}
json.dump([issue(1, sys.argv[3], trace), issue(2, sys.argv[4], 'The docs do not say.')], open(sys.argv[2], 'w'))" \
		"$T/issue.md" "$IN/issues.json" "$1" "$2"
}

# fake_github DIR: the fake GitHub (fake_github.py) on 127.0.0.1 serving DIR,
# stopped with the test; sets PORT. fake_server NAME DIR: the same for
# fake_NAME.py.
fake_github() { fake_server github "$1"; }
fake_server() {
	python3 "$(dirname "$0")/fake_$1.py" "$2" &
	_servers="${_servers:-} $!"
	shift
	trap 'kill $_servers 2>/dev/null; rm -rf "$T"' EXIT
	_n=0; while [ ! -s "$1/port" ] && [ $_n -lt 100 ]; do sleep 0.1; _n=$((_n + 1)); done
	PORT=$(cat "$1/port")
}

# kill_after POLL DB SECONDS: start `POLL DB` (a function running one worker
# cycle), SIGKILL it after SECONDS (the crash tests)
kill_after() {
	"$1" "$2" >/dev/null 2>&1 &
	_pid=$!
	sleep "$3"
	kill -9 $_pid 2>/dev/null
	wait $_pid 2>/dev/null
}

# two_workers CMD DB AT...: two "CMD DB" at once, killed in pairs after AT
# seconds and after a shorter while, once per AT; then two at once that run to
# the end.
two_workers() {
	_cmd=$1 _db=$2
	shift 2
	for _at in "$@"; do
		kill_after "$_cmd" "$_db" "$_at" &
		_other=$!
		kill_after "$_cmd" "$_db" 0.$(( (${_at%.*} + 3) % 10 ))5
		wait $_other
	done
	"$_cmd" "$_db" >/dev/null 2>&1 &
	_other=$!
	"$_cmd" "$_db" >/dev/null 2>&1
	wait $_other
}

finish() {
	echo "$passes passed, $fails failed"
	[ "$fails" -eq 0 ]
}
