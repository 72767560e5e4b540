#!/bin/sh
# Regenerate the README's screenshot: `mahoraga demo` at 120x40 inside tmux,
# captured with its colors (capture-pane -e) and rendered to doc/demo.png.
# Needs tmux, python3 with PIL and the DejaVu Sans Mono font:
#   apt-get install -y tmux python3-pil fonts-dejavu-core
# Run from the top of a built tree: sh doc/screenshots.sh [./mahoraga]
set -eu
MAHORAGA=${1:-./mahoraga}
PY=/usr/bin/python3 # Debian's, which python3-pil installs into
T=$(mktemp -d "${TMPDIR:-/tmp}/mahoraga-shot-XXXXXX")
SOCK="$T/tmux.sock"
trap 'tmux -S "$SOCK" kill-server 2>/dev/null; rm -rf "$T"' EXIT
mkdir -p "$T/home"
tmux -S "$SOCK" -u new-session -d -s shot -x 120 -y 40 \
	"env -i HOME='$T/home' TMPDIR='$T' PATH='$PATH' TZ=UTC LANG=C.UTF-8 TERM=xterm-256color \
	 MAHORAGA_DATA_DIR='$(pwd)/data' '$MAHORAGA' demo"
n=0
until tmux -S "$SOCK" capture-pane -p -t shot | grep -q '#102'; do
	n=$((n + 1)); [ $n -lt 300 ] || { echo "the demo did not come up" >&2; exit 1; }; sleep 0.1
done
sleep 1
tmux -S "$SOCK" send-keys -t shot j
sleep 0.5
tmux -S "$SOCK" capture-pane -e -p -t shot >"$T/screen.ans"
"$PY" "$(dirname "$0")/render_ansi.py" "$T/screen.ans" doc/demo.png 120 40
echo "wrote doc/demo.png"
