#!/bin/sh
# The command center driven through tmux: the real binary in a sealed environment
# (fixed TERM and size, TZ=UTC, a temporary HOME), keys sent with send-keys, the
# screen read with capture-pane.
set -u
command -v tmux >/dev/null 2>&1 || { echo "tmux is not installed: skipped"; exit 77; }
MAHORAGA=${MAHORAGA:-./mahoraga}
T=$(mktemp -d "${TMPDIR:-/tmp}/mahoraga-tui-XXXXXX")
SOCK="$T/tmux.sock"
trap 'tmux -S "$SOCK" kill-server 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
fails=0 passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $1"; fails=$((fails + 1)); tmux -S "$SOCK" capture-pane -p -t ui 2>/dev/null | sed 's/^/  | /'; }
screen() { tmux -S "$SOCK" capture-pane -p -t ui; }
# wait_for TEXT [SECONDS]: until the screen shows TEXT
wait_for() {
	n=0
	while [ "$n" -lt "${2:-15}0" ]; do
		screen 2>/dev/null | grep -qF -- "$1" && return 0
		sleep 0.1; n=$((n + 1))
	done
	return 1
}
expect() { if wait_for "$2"; then ok; else bad "$1: '$2' not on the screen"; fi; }
# gone NAME TEXT: until the screen no longer shows TEXT
gone() {
	n=0
	while screen 2>/dev/null | grep -qF -- "$2"; do
		n=$((n + 1)); [ $n -lt 150 ] || { bad "$1: '$2' still on the screen"; return; }; sleep 0.1
	done
	ok
}

# A repository, an inbox with reports, and the decisions already in the store.
R="$T/repo"; IN="$T/inbox"; mkdir -p "$R/app" "$IN" "$T/home"
printf 'def load(d):\n    return d["user_id"]\n' >"$R/app/loader.py"
(cd "$R" && git init -q -b main . && git add -A && git -c user.name=Ana -c user.email=ana@example.com commit -qm init) >/dev/null
printf 'Loader fails on a missing key\n\nTraceback (most recent call last):\n  File "/srv/app/loader.py", line 2, in load\nKeyError: %s\n' "'user_id'" >"$IN/7-loader.md"
printf '\033]0;pwned\007\033[31mEvil\033[0m title with escapes\n\nValueError: x\n' >"$IN/8-evil.md"
printf '[repo "acme/loader"]\n\tpath = %s\n\tinbox = %s\n' "$R" "$IN" >"$T/config"
run() { env -i HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" XDG_DATA_HOME="$T/home/.local/share" PATH="$PATH" TZ=UTC TERM=xterm-256color MAHORAGA_DATA_DIR="${TEST_DATA_DIR:-data}" "$@"; }
run "$MAHORAGA" --config "$T/config" --db "$T/m.db" poll --once >/dev/null || bad "poll before the screen"
printf 'name,login,slack,active,emails\nAna Lima,ana,U0ANA,yes,ana@example.com\nBob Ray,bob,,yes,bob@example.com\n' >"$T/users.csv"
run "$MAHORAGA" --config "$T/config" --db "$T/m.db" users import "$T/users.csv" >/dev/null || bad "users import"
sql() { python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print('|'.join(str(v) for r in c.execute(sys.argv[2]) for v in r))" "$T/m.db" "$1"; }

stop_server() { # and wait until it is gone: a new session must not reach a dying server
	tmux -S "$SOCK" kill-server 2>/dev/null
	n=0; while [ -S "$SOCK" ] && tmux -S "$SOCK" has-session 2>/dev/null && [ $n -lt 50 ]; do
		sleep 0.1; n=$((n + 1)); done
	sleep 0.3
}
start() { # start WIDTH HEIGHT [OPTIONS...]
	w=$1 h=$2; shift 2
	stop_server
	tmux -S "$SOCK" new-session -d -s ui -x "$w" -y "$h" \
		"env -i HOME='$T/home' XDG_CONFIG_HOME='$T/home/.config' XDG_DATA_HOME='$T/home/.local/share' PATH='$PATH' TZ=UTC TERM=xterm-256color MAHORAGA_DATA_DIR='${TEST_DATA_DIR:-data}' $* '$MAHORAGA' --config '$T/config' --db '$T/m.db' 2>>'$T/stderr'"
}
keys() { tmux -S "$SOCK" send-keys -t ui "$@"; }
# resize W H: here a second resize sent right after another sometimes never
# reached the program's terminal (tmux said 100x20, the program still had
# 160x30); each one gets time, as a person dragging a window would
resize() { tmux -S "$SOCK" resize-window -t ui -x "$1" -y "$2"; sleep 0.5; }
# quit: q, then wait for the program to end by itself (so that the sanitizers'
# exit reports are written before the server goes)
quit() {
	keys q
	n=0; while tmux -S "$SOCK" has-session -t ui 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
}

start 80 24
for pane in "Team load" "Triage feed" "Bus-factor risk" "Settings" "People"; do expect "80x24 pane" "$pane"; done
expect "feed item" "#7"
expect "status line" "worker:"
# at 80 columns the database's long path is what gets cut, never the key hint
expect "key hint bar at 80 columns" "? help  q quit"
# the load pane names people from the users table, and shows the whole team:
# Bob has nothing open yet
expect "load by name" "Ana Lima"
expect "team member with nothing open" "Bob Ray"
# untrusted text: the title is shown without its escape sequences
expect "escaped title" "#8"
resize 160 30
expect "escaped title drawn clean" "Evil title with escapes"
if screen | grep -q "pwned\|\[31m"; then bad "escape sequence drawn"; else ok; fi
resize 100 20
keys '?'
expect "help" "Keys. j/k scroll, any other key closes"
expect "help from the action table" "zoom the pane"
keys j j j j j j
expect "help lists manual triage" "reassign: pick someone, give a reason"
# taller than the terminal: the last keys come into view by scrolling
if screen | grep -qF "yes (any other key: no)"; then bad "help fits without scrolling: the check says nothing"; else ok; fi
keys j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j
expect "help scrolls to its last line" "yes (any other key: no)"
keys '?'
resize 160 30
keys z
gone "zoom hides the other panes" "Team load"
expect "zoom keeps the pane" "Triage feed"
keys z
expect "unzoom" "Team load"
# accepting an issue nobody was proposed for is refused at once (#8 has no
# trace, so no candidate), and nothing is recorded
keys Enter
expect "issue view of #8" "Evil title with escapes"
keys a
expect "accept refused" "nobody was proposed for #8"
[ "$(sql "select count(*) from manual_actions")" = 0 ] && ok || bad "a refused accept was recorded"
keys q
# the issue view: Enter on the feed (the second item, #7, has a trace), q back
keys j Enter
expect "issue view" "Reasoning"
expect "issue view title" "#7 Loader fails on a missing key"
expect "issue view frames" "Frames (* the one to blame)"
# G goes to the end of the view, g back to the top (the help lists both)
keys G
expect "issue view ends with the comment it would post" "Reassigning corrects it."
gone "G scrolled the header away" "Reasoning"
keys / m a h o r a g a : t r i a g e Enter
expect "the comment starts with its marker" "<!-- mahoraga:triage -->"
keys / S o u r c e Space Enter
expect "issue view source from the clone" "2 >     return d[\"user_id\"]"
keys g
expect "g back to the top" "Reasoning"
# manual triage: reassign #7 from the issue view, with a reason, and see the
# load bar and the store change
keys R
expect "reassign menu" "Reassign #7 to:"
expect "candidates first" "candidate"
keys j Enter
expect "reason asked" "Why reassign #7 to bob@example.com?"
keys Enter
expect "reason required, in place" "a reason is needed"
keys B o b Space o w n s Space i t Enter
expect "recorded and applied" "reassigned done: #7 reassigned to bob@example.com"
[ "$(sql "select assignee_email, note from assignments where status = 'assigned'")" = "bob@example.com|Bob owns it" ] && ok || bad "assignment not in the store"
[ "$(sql "select kind, state from manual_actions")" = "reassign|done" ] && ok || bad "manual action not recorded"
# the header says who has it now, not what the triage proposed
keys g
expect "header after the reassignment" "assigned to bob@example.com by hand"
keys q
expect "back from the issue view" "Team load"
expect "load bar for the new assignee" "bob@example.com"
expect "feed shows the reassignment" "reassigned"
# a destructive action asks first; n does nothing
keys H
expect "human triage asks" "Send #7 to human triage"
keys n
expect "declined" "nothing done"
[ "$(sql "select count(*) from manual_actions")" = 1 ] && ok || bad "declined action recorded"
# the issue URL to the clipboard (tmux takes OSC 52 with set-clipboard on)
tmux -S "$SOCK" set -g set-clipboard on
keys y
expect "copy URL" "copied https://github.com/acme/loader/issues/7"
n=0; until tmux -S "$SOCK" show-buffer 2>/dev/null | grep -qF "https://github.com/acme/loader/issues/7" || [ $n -ge 30 ]; do sleep 0.1; n=$((n + 1)); done
[ $n -lt 30 ] && ok || bad "URL not on the clipboard"
# the filter: as you type, inverted with !, dropped with Esc
keys / m i s s i n g
expect "filter" "Triage feed (1 of 2, /missing)"
keys Enter
if screen | grep -qF "#8"; then bad "filtered row still shown"; else ok; fi
keys / ! m i s s i n g Enter
expect "inverted filter" "Triage feed (1 of 2, /!missing)"
# a second / starts a new filter instead of typing onto the old one
keys / m i s s i n g Enter
expect "new filter, not appended" "Triage feed (1 of 2, /missing)"
# only what the rows show is matched: the repository's name is not on them
keys / a c m e Enter
expect "hidden text does not match" "Triage feed (0 of 2, /acme)"
keys / Escape
expect "filter dropped" "Triage feed (2)"
# resize at any time
keys g j
resize 120 40
for pane in "Team load" "Triage feed" "Bus-factor risk" "Settings" "People"; do expect "120x40 pane" "$pane"; done
resize 250 70
for pane in "Team load" "Triage feed" "Bus-factor risk" "Settings" "People"; do expect "250x70 pane" "$pane"; done
# the selection survived both resizes: Enter opens the same issue
keys Enter
expect "selection kept across resizes" "#7 Loader fails on a missing key"
keys q
# a new report dropped into the inbox appears while the screen is open
printf 'Another crash\n\nTraceback (most recent call last):\n  File "/srv/app/loader.py", line 2, in load\nKeyError: %s\n' "'x'" >"$IN/9-another.md"
expect "new inbox file in the feed, unasked, folded into #7" "(+1) Loader fails on a missing key"
expect "feed counts what is folded" "1 folded"
keys f
expect "unfolded: the repeat as a row" "#9"
expect "the repeat says what it repeats" "dup of #7"
# its columns stay where the other rows have them: the confidence column of
# #9 starts where #8's does
c9=$(screen | grep -F "#9 " | head -1 | grep -bo " human \| assign \| reassigned " | head -1 | cut -d: -f1)
c8=$(screen | grep -F "#8 " | head -1 | grep -bo " human \| assign \| reassigned " | head -1 | cut -d: -f1)
[ -n "$c9" ] && [ "$c9" = "$c8" ] && ok || bad "unfolded repeat's columns shifted (#9 at $c9, #8 at $c8)"
keys f
# a file that does not parse: skipped, and counted on the status line
printf '{"number": ' >"$IN/broken.json"
expect "bad inbox file counted" "1 bad file"
expect "bus-factor pane: share, owner by name" "100% Ana Lima"
expect "panes say how fresh" "s ago"
# the settings editor: a bad value refused in place, a good one saved
keys Tab Tab
keys j j j j j j j j Enter
expect "editor opens" "triage.draft_threshold = 85_"
keys BSpace BSpace x y z Enter
expect "bad value refused in place" "'xyz' is not a whole number"
expect "the line stays open with the value" "triage.draft_threshold = xyz_"
if screen | grep -q "saved triage"; then bad "bad value saved"; else ok; fi
keys BSpace BSpace BSpace 9 0 Enter
expect "good value saved" "saved triage.draft_threshold"
# a repository added from the settings pane: a bad clone refused in place
keys N
expect "new repository prompt" "new repository (owner/name /path/to/clone):"
keys "acme/api $T/nowhere" Enter
expect "bad clone refused" "No such file or directory"
keys C-u "acme/api $R" Enter
expect "repository saved" "saved repo.acme/api.path"
keys / r e p o . a c m e / a p i Enter
expect "repository row" "repo.acme/api.path"
keys / Escape
# the users table in the people pane: searchable, edited as one CSV row
keys Tab
expect "people pane focused" "People"
keys / B o b Enter
expect "person found" "People (1 of"
expect "person row" "Bob Ray"
keys Enter
expect "person editor" "person (name,login,slack,active,emails,mail): Bob Ray,bob,,yes,bob@example.com,_"
keys C-u "Bob Ray,bob,,maybe,bob@example.com" Enter
expect "bad person refused in place" "active must be yes or no"
keys C-u "Bob Ray,bob,U0BOB,no,bob@example.com" Enter
expect "person saved" "saved Bob Ray"
expect "inactive shown" "(inactive) @bob slack:U0BOB bob@example.com"
quit
v=$(run "$MAHORAGA" --config "$T/config" --db "$T/m.db" config get triage.draft_threshold)
[ "$v" = 90 ] && ok || bad "threshold not persisted (got '$v')"
if tmux -S "$SOCK" has-session -t ui 2>/dev/null; then bad "q did not quit"; else ok; fi

# a spell a model proposed: accepted in the spells pane, then it matches
run "$MAHORAGA" --config "$T/config" --db "$T/m.db" spells test "$IN/7-loader.md" >"$T/before.txt" 2>&1
if grep -q "python-record-without-user-id" "$T/before.txt"; then bad "a proposal matched before it was accepted"; else ok; fi
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"insert into spell_proposals (spell_id, text, created_at) values ('python-record-without-user-id', 'id: python-record-without-user-id\\ntitle: A record saved before user_id existed\\nlanguages: python\\nerror: KeyError\\nmessage: re:user_id\\n---\\nOld records have no user_id: read it with get.\\n', 1)\"); c.commit()" "$T/m.db"
start 100 30
expect "the proposal listed" "python-record-without-user-id"
keys Tab Tab Tab Tab
keys Enter
expect "asked what to do" "Spell python-record-without-user-id, proposed by the LLM:"
keys Enter
expect "accepted" "accepted into $T/spells/python-record-without-user-id.spell"
gone "no longer waiting" "KeyError           A record saved"
quit
[ "$(sql "select state from spell_proposals")" = accepted ] && ok || bad "the proposal not marked accepted"
run "$MAHORAGA" --config "$T/config" --db "$T/m.db" spells test "$IN/7-loader.md" >"$T/after.txt" 2>&1
grep -q "python-record-without-user-id" "$T/after.txt" && ok || { bad "the accepted spell does not match"; cat "$T/after.txt"; }

# wide characters: CJK and emoji measured with wcwidth, the frame stays straight
printf '注文の合計が壊れる 🔥 when paying by card\n\nValueError: 合計\n' >"$IN/11-wide.md"
run "$MAHORAGA" --config "$T/config" --db "$T/m.db" poll --once >/dev/null
stop_server
tmux -S "$SOCK" -u new-session -d -s ui -x 100 -y 30 \
	"env -i HOME='$T/home' XDG_CONFIG_HOME='$T/home/.config' XDG_DATA_HOME='$T/home/.local/share' PATH='$PATH' TZ=UTC LANG=C.UTF-8 TERM=xterm-256color '$MAHORAGA' --readonly --config '$T/config' --db '$T/m.db' 2>>'$T/stderr'"
expect "wide title drawn" "注文の合計が壊れる 🔥 when"
screen | python3 -c '
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in s)
rows = [l.rstrip("\n") for l in sys.stdin if "注文" in l]
sys.exit(0 if rows and all(width(r) == 100 and r.endswith(("x", "│")) for r in rows) else 1)
' && ok || bad "a wide title broke the frame"
quit

# NO_COLOR and read-only; the saved threshold is there after a restart
start 100 30 NO_COLOR=1
expect "NO_COLOR screen" "Triage feed"
keys Tab Tab / d r a f t _ t Enter
expect "threshold after restart" "triage.draft_threshold    90"
quit
stop_server
tmux -S "$SOCK" new-session -d -s ui -x 100 -y 30 \
	"env -i HOME='$T/home' XDG_CONFIG_HOME='$T/home/.config' XDG_DATA_HOME='$T/home/.local/share' PATH='$PATH' TERM=xterm-256color '$MAHORAGA' --readonly --config '$T/config' --db '$T/m.db' 2>>'$T/stderr'"
expect "read-only shown" "READ-ONLY"
expect "fresh while the worker is recent" "s ago"
quit
# the worker's last cycle an hour ago: the feed and the load say STALE
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('update worker_cycles set finished_at = finished_at - 3600'); c.commit()" "$T/m.db"
tmux -S "$SOCK" new-session -d -s ui -x 100 -y 30 \
	"env -i HOME='$T/home' XDG_CONFIG_HOME='$T/home/.config' XDG_DATA_HOME='$T/home/.local/share' PATH='$PATH' TERM=xterm-256color '$MAHORAGA' --readonly --config '$T/config' --db '$T/m.db' 2>>'$T/stderr'"
expect "stale worker shown" "STALE 6" # 60m ago, or a minute more on a slow run
expect "no UTF-8 in the locale: wide title as ? marks" "????????? ? when paying"
keys r
expect "read-only refuses" "read-only: nothing can be changed"
quit

# wall mode: read-only, quiet, refreshing itself when the store changes behind it
stop_server
tmux -S "$SOCK" new-session -d -s ui -x 250 -y 70 \
	"env -i HOME='$T/home' XDG_CONFIG_HOME='$T/home/.config' XDG_DATA_HOME='$T/home/.local/share' PATH='$PATH' TERM=xterm-256color '$MAHORAGA' --config '$T/config' --db '$T/m.db' wall 2>>'$T/stderr'"
# the status line says what the panes say: the worker has been silent for an hour
expect "wall status agrees with STALE panes" "mahoraga wall | STALE: the worker's last cycle was 60m ago"
printf 'Wall report\n\nValueError: y\n' >"$IN/10-wall.md"
run "$MAHORAGA" --config "$T/config" --db "$T/m.db" poll --once >/dev/null
expect "wall refreshed by itself" "#10" 
expect "wall fresh again" "mahoraga wall | worker's last cycle"
quit
# a wall needs only the database: the risk pane shows what the worker saved
stop_server
mkdir -p "$T/home2"
# a copy of the database without the repositories saved from the screen
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); b=sqlite3.connect(sys.argv[2]); c.backup(b); b.execute(\"delete from settings where key like 'repo.%'\"); b.commit()" "$T/m.db" "$T/wall.db"
tmux -S "$SOCK" new-session -d -s ui -x 160 -y 40 \
	"env -i HOME='$T/home2' PATH='$PATH' TERM=xterm-256color '$MAHORAGA' --db '$T/wall.db' wall 2>>'$T/stderr'"
expect "wall with the database only" "mahoraga wall |"
expect "its risk pane" "app/loader.py"
quit

# the mouse (xterm's SGR reports, as a terminal sends them): a click selects the
# pane and the row under it, the wheel moves the selection
start 100 30
expect "screen for the mouse" "Bob Ray"
y=$(screen | grep -n "Bob Ray" | head -1 | cut -d: -f1)
x=$(screen | grep "Bob Ray" | head -1 | awk '{ print index($0, "Bob Ray") }')
keys -l "$(printf '\033[<0;%d;%dM\033[<0;%d;%dm' "$x" "$y" "$x" "$y")"
keys Enter
expect "a click on a person, then Enter: their issues" "/Bob Ray"
keys / Escape
gone "the filter dropped" "/Bob Ray"
# the wheel over the feed: focus and one row down, as j would
fy=$(screen | grep -n "Triage feed" | head -1 | cut -d: -f1)
second=$(screen | grep -o "[x│]#[0-9]*" | sed -n 2p | sed "s/^.#/#/")
[ -n "$second" ] && ok || bad "no second row in the feed"
keys -l "$(printf '\033[<65;60;%dM' $((fy + 3)))"
keys Enter
n=0; until screen | head -1 | grep -q "^ *$second "; do
	n=$((n + 1)); [ $n -lt 50 ] || break; sleep 0.1; done
screen | head -1 | grep -q "^ *$second " && ok || bad "the wheel did not move the feed's selection to $second: $(screen | head -1)"
quit

# issue numbers as OSC 8 hyperlinks (tmux 3.3 drops them, so a pty of our own
# reads what the program writes)
python3 - "$MAHORAGA" "$T" <<'PY' && ok || bad "no OSC 8 link over #7"
import fcntl, os, pty, select, struct, sys, termios, time
mahoraga, t = sys.argv[1], sys.argv[2]
pid, fd = pty.fork()
if pid == 0:
    os.execve(mahoraga, [mahoraga, "--readonly", "--config", t + "/config", "--db", t + "/m.db"],
              {"HOME": t + "/home", "PATH": os.environ["PATH"], "TERM": "xterm-256color"})
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
out, end = b"", time.time() + 10
want = b"\x1b]8;;https://github.com/acme/loader/issues/7\x1b\\#7\x1b]8;;\x1b\\"
while time.time() < end and want not in out:
    if select.select([fd], [], [], 0.2)[0]:
        try:
            out += os.read(fd, 65536)
        except OSError:
            break
os.write(fd, b"q")
time.sleep(0.5)
os.kill(pid, 9)
os.waitpid(pid, 0)
sys.exit(0 if want in out else 1)
PY

# e: the blamed file at its line in $EDITOR, from the clone; o: the issue in
# $BROWSER where there is a display, and only there
printf '#!/bin/sh\necho "$@" >"%s/editor.args"\n' "$T" >"$T/editor"
printf '#!/bin/sh\necho "$@" >"%s/browser.args"\n' "$T" >"$T/browser"
chmod +x "$T/editor" "$T/browser"
start 100 30 EDITOR="'$T/editor -f'" BROWSER="'$T/browser'" DISPLAY=:0
expect "screen for e and o" "Triage feed"
keys / L o a d e r Enter
expect "the loader issue" "Loader fails on a missing key"
keys e
n=0; while [ ! -s "$T/editor.args" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
[ "$(cat "$T/editor.args" 2>/dev/null)" = "-f +2 $R/app/loader.py" ] && ok || bad "e ran: '$(cat "$T/editor.args" 2>/dev/null)'"
expect "the screen is back after the editor" "edited $R/app/loader.py:2"
keys o
n=0; while [ ! -s "$T/browser.args" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
grep -q "issues/7" "$T/browser.args" 2>/dev/null && ok || bad "o opened: '$(cat "$T/browser.args" 2>/dev/null)'"
quit
start 100 30 BROWSER="'$T/browser'"
keys / L o a d e r Enter
keys o
expect "o without a display says what works instead" "no display here: y copies the URL"
quit

# the worker's log names people and quotes issues: private, like the database
if [ "$(stat -c %a "$T/mahoraga.log" 2>/dev/null)" = 600 ]; then ok; else bad "mahoraga.log is $(stat -c %a "$T/mahoraga.log" 2>&1), not 600"; fi

# the demo: a generated repository and reports, triaged, in the command center
stop_server
tmux -S "$SOCK" new-session -d -s ui -x 120 -y 40 \
	"env -i HOME='$T/home' XDG_CONFIG_HOME='$T/home/.config' XDG_DATA_HOME='$T/home/.local/share' TMPDIR='$T' PATH='$PATH' TERM=xterm-256color MAHORAGA_DATA_DIR='${TEST_DATA_DIR:-data}' '$MAHORAGA' demo 2>>'$T/stderr'"
expect "demo feed" "#159"
expect "demo assigns" "assign"
expect "the week's accepted decisions" "accepted"
expect "demo load bar, by name" "Dev Patel"
quit

# every line of the help fits 80 columns (N's was cut)
start 80 24
expect "80x24 again" "Team load"
keys '?'
keys j j j j j j j j j j j j j j j j j j j j
expect "help's N line whole at 80 columns" "Enter on its inbox row sets one"
keys '?'
# so small that the columns cannot all fit: the feed keeps its titles
resize 40 10
expect "40x10 feed shows titles" "Evil title"
quit

# a terminal that cannot place the cursor: a message and exit 2, not a blank screen
stop_server
tmux -S "$SOCK" new-session -d -s ui -x 80 -y 24 \
	"env -i HOME='$T/home' PATH='$PATH' TERM=dumb '$MAHORAGA' --config '$T/config' --db '$T/m.db' --readonly 2>'$T/dumb.err'; echo \"exit \$?\" >'$T/dumb.rc'; sleep 5"
n=0; while [ ! -s "$T/dumb.rc" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
grep -qF "TERM=dumb cannot show the command center" "$T/dumb.err" 2>/dev/null && ok || bad "TERM=dumb: no message ($(cat "$T/dumb.err" 2>/dev/null))"
grep -qF "exit 2" "$T/dumb.rc" 2>/dev/null && ok || bad "TERM=dumb: $(cat "$T/dumb.rc" 2>/dev/null), wanted exit 2"
stop_server

# nothing the sanitizers (or anything else) said on stderr in any session
if [ -s "$T/stderr" ]; then echo "FAIL: the program wrote to stderr:"; sed 's/^/  | /' "$T/stderr" | head -40
	fails=$((fails + 1)); else ok; fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
