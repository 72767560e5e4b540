#!/bin/sh
# Regenerate the README's screenshots: `mahoraga demo` at 120x40 (doc/demo.png)
# and a wall on the demo's database at 250x70 (doc/wall.png), inside tmux,
# captured with their colors (capture-pane -e) and rendered to PNG.
# Needs tmux, python3 with PIL and the DejaVu Sans Mono font:
#   apt-get install -y tmux python3-pil fonts-dejavu-core
# Run from the top of a built tree: sh doc/screenshots.sh [./mahoraga]
set -eu
MAHORAGA=${1:-./mahoraga}
case $MAHORAGA in /*) ;; *) MAHORAGA=$(pwd)/$MAHORAGA ;; esac
PY=/usr/bin/python3 # Debian's, which python3-pil installs into
T=$(mktemp -d "${TMPDIR:-/tmp}/mahoraga-shot-XXXXXX")
SOCK="$T/tmux.sock"
trap 'tmux -S "$SOCK" kill-server 2>/dev/null; rm -rf "$T"' EXIT
mkdir -p "$T/home"

# shoot NAME COLS ROWS WAIT_FOR COMMAND: run COMMAND in a COLS x ROWS terminal
# until WAIT_FOR is on the screen, then render it to doc/NAME.png
shoot() {
	tmux -S "$SOCK" -u new-session -d -s shot -x "$2" -y "$3" \
		"env -i HOME='$T/home' TMPDIR='$T' PATH='$PATH' TZ=UTC LANG=C.UTF-8 TERM=xterm-256color \
		 MAHORAGA_DATA_DIR='$(pwd)/data' $5"
	n=0
	until tmux -S "$SOCK" capture-pane -p -t shot | grep -qF "$4"; do
		n=$((n + 1)); [ $n -lt 300 ] || { echo "$1: '$4' did not come up" >&2; exit 1; }; sleep 0.1
	done
	sleep 1
	tmux -S "$SOCK" capture-pane -e -p -t shot >"$T/screen.ans"
	tmux -S "$SOCK" kill-server
	"$PY" "$(dirname "$0")/render_ansi.py" "$T/screen.ans" "doc/$1.png" "$2" "$3"
	echo "wrote doc/$1.png"
}

shoot demo 120 40 '#159' "'$MAHORAGA' demo"
# the wall on the demo's database (the demo leaves it behind, and says where)
db=$(ls -d "$T"/mahoraga-demo-*/mahoraga.db | head -1)
shoot wall 250 70 'mahoraga wall' "'$MAHORAGA' --db '$db' wall"
