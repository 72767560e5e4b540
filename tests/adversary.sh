#!/bin/sh
# The adversary: a repository whose authors' names and e-mails carry ESC, an
# OSC 52 clipboard write, CSI (7-bit and the C1 byte U+009B), and bidi
# overrides, an inbox and a users file carrying the same, and every subcommand
# run on them in text, JSON and CSV, the log and the screen. Nothing that came
# from outside may reach any of them raw.
set -u
MAHORAGA=${MAHORAGA:-./mahoraga}
T=$(mktemp -d "${TMPDIR:-/tmp}/mahoraga-adversary-XXXXXX")
SOCK="$T/tmux.sock"
trap 'tmux -S "$SOCK" kill-server 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
fails=0 passes=0
run() { env -i HOME="$T/home" PATH="$PATH" TZ=UTC LANG=C.UTF-8 MAHORAGA_DATA_DIR="${TEST_DATA_DIR:-data}" "$@"; }

# hostile: printf escapes for ESC, OSC 52 ... BEL, CSI, U+009B, U+202E, U+2066
ESC=$(printf '\033')
EVIL_NAME=$(printf 'Mallory\033]52;c;cm0gLXJmIH4K\007 \033[2J\302\23331m\342\200\256gnp.exe\342\201\246')
EVIL_MAIL=$(printf 'm\033]52;c;ZWNobyBwd25lZA==\007\342\200\256@x.org')

R="$T/repo"; IN="$T/inbox"; mkdir -p "$R/app" "$IN" "$T/home"
printf 'def load(d):\n    return d["user_id"]\n' >"$R/app/loader.py"
(cd "$R" && git init -q -b main . && git add -A &&
	git -c user.name="$EVIL_NAME" -c user.email="$EVIL_MAIL" commit -qm "init" &&
	printf 'def save(d):\n    return d["id"]\n' >>app/loader.py && git add -A &&
	git -c user.name="$EVIL_NAME" -c user.email="$EVIL_MAIL" commit -qm "save") >/dev/null
printf '%s title\n\nTraceback (most recent call last):\n  File "/srv/app/loader.py", line 2, in load\nKeyError: %s\n' \
	"$EVIL_NAME" "'$EVIL_NAME'" >"$IN/7-loader.md"
printf '[repo "acme/loader"]\n\tpath = %s\n\tinbox = %s\n' "$R" "$IN" >"$T/config"
printf 'name,login,slack,active,emails\n"%s",mal,U0MAL,yes,ana@example.com\n' "$EVIL_NAME" >"$T/users.csv"
cp "$IN/7-loader.md" "$T/issue.md"

# no output may carry ESC, C1 controls (UTF-8 C2 80-9F) or bidi controls
clean() { # clean NAME FILE
	if LC_ALL=C grep -qP '\x1b|\xc2[\x80-\x9f]|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$2"; then
		echo "FAIL: $1 let hostile bytes through:"; od -c "$2" | grep -n -m3 '033\|302 2\|342 200 256' | sed 's/^/  | /'
		fails=$((fails + 1))
	else
		passes=$((passes + 1))
	fi
}
DB="$T/m.db"
M() { run "$MAHORAGA" --config "$T/config" --db "$DB" "$@"; }
M users import "$T/users.csv" >"$T/o" 2>&1; clean "users import" "$T/o"
M users export >"$T/o" 2>&1; clean "users export (CSV)" "$T/o"
M users export "$T/export.csv" >"$T/o" 2>&1; clean "users export to a file" "$T/export.csv"
M poll --once >"$T/o" 2>&1; clean "poll --once" "$T/o"
for fmt in text json; do
	M expertise --repo "$R" --format "$fmt" app/loader.py >"$T/o" 2>&1; clean "expertise $fmt" "$T/o"
	M busfactor --repo "$R" --format "$fmt" >"$T/o" 2>&1; clean "busfactor $fmt" "$T/o"
	M triage --repo "$R" --format "$fmt" "$T/issue.md" >"$T/o" 2>&1; clean "triage $fmt" "$T/o"
	M triage --parse-only --format "$fmt" "$T/issue.md" >"$T/o" 2>&1; clean "triage --parse-only $fmt" "$T/o"
done
M config list >"$T/o" 2>&1; clean "config list" "$T/o"
M info >"$T/o" 2>&1; clean "info" "$T/o"
M expertise --repo "$R" "app/$EVIL_NAME.py" >"$T/o" 2>&1; clean "an error naming a hostile path" "$T/o"
# the worker's log, written by the command center's worker
if command -v tmux >/dev/null 2>&1; then
	rm -f "$DB" "$T/mahoraga.log"; DB="$T/screen.db"
	tmux -S "$SOCK" new-session -d -s ui -x 120 -y 40 \
		"env -i HOME='$T/home' PATH='$PATH' TZ=UTC LANG=C.UTF-8 TERM=xterm-256color MAHORAGA_DATA_DIR='${TEST_DATA_DIR:-data}' '$MAHORAGA' --config '$T/config' --db '$DB' 2>>'$T/stderr'"
	# every byte the program sends to the terminal; ncurses' own escape
	# sequences are expected there, the hostile ones are not
	tmux -S "$SOCK" pipe-pane -o -t ui "cat >>'$T/tty'"
	n=0; while [ $n -lt 150 ] && ! grep -q "loader" "$T/mahoraga.log" 2>/dev/null; do sleep 0.1; n=$((n + 1)); done
	# the feed, then the issue view with the hostile title and body
	n=0; while [ $n -lt 50 ] && ! tmux -S "$SOCK" capture-pane -p -t ui | grep -q "#7"; do sleep 0.1; n=$((n + 1)); done
	tmux -S "$SOCK" send-keys -t ui Tab Enter; sleep 0.3
	tmux -S "$SOCK" send-keys -t ui q; sleep 0.2
	clean "mahoraga.log" "$T/mahoraga.log"
	if LC_ALL=C grep -qP '\x1b\]52|\xc2[\x80-\x9f]|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$T/tty"; then
		echo "FAIL: the screen let hostile bytes through"; fails=$((fails + 1))
	else
		passes=$((passes + 1))
	fi
	[ -s "$T/tty" ] && passes=$((passes + 1)) || { echo "FAIL: nothing captured from the screen"; fails=$((fails + 1)); }
fi
: "$ESC"
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
