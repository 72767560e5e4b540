#!/bin/sh
# Replays the bug fixes of the repositories in tools/replay_repos.txt and writes
# each one's features (mahoraga calibrate --features) for tools/fit_rank.py.
#
#   tools/replay_all.sh CLONES OUT [MAHORAGA] [MAX]
#
# CLONES holds one clone per repository, named owner+name (cloned from GitHub
# and checked out at the listed commit when missing); OUT gets owner+name.jsonl
# and owner+name.json (the calibrate summary) per repository. The clones never
# belong in this repository.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
clones=$1
out=$2
bin=${3:-$here/../mahoraga}
max=${4:-400}
# PART=k/n replays every n-th repository from the k-th (0-based): n runs at once
part=${PART:-0/1}
k=${part%/*}
n=${part#*/}
mkdir -p "$clones" "$out"
i=0
grep -v '^#' "$here/replay_repos.txt" | while read -r repo commit lang role; do
	[ -n "$repo" ] || continue
	i=$((i + 1))
	[ $(((i - 1) % n)) -eq "$k" ] || continue
	dir="$clones/$(echo "$repo" | tr / +)"
	if [ ! -d "$dir" ]; then
		git clone -q "https://github.com/$repo" "$dir"
		git -C "$dir" checkout -q "$commit"
	fi
	name=$(basename "$dir")
	db=$(mktemp)
	if "$bin" --db "$db" calibrate --repo "$dir" --rev "$commit" --max "$max" --format json \
		--features "$out/$name.jsonl" >"$out/$name.json" 2>"$out/$name.err"; then
		echo "$name ($lang, $role): done"
	else
		echo "$name ($lang, $role): failed, see $out/$name.err" >&2
	fi
	rm -f "$db" "$db-wal" "$db-shm"
done
