#!/bin/sh
# How often mahoraga's per-author numbers equal git's on a real repository:
# lines owned per (file, author) against `git blame -w -M`, and commits per
# (file, author) against `git log --follow --no-merges`, over N text files
# spread evenly through `git ls-files` (default 200).
#
#   tests/bench/blame_agreement.sh /path/to/clone [N]
#
# Prints one line per measure and, with VERBOSE=1, every pair that differs.
# BLAME_OPTS (default "-w -M") changes the options git blame is run with.
set -eu
repo=$1
n=${2:-200}
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${MAHORAGA:-$top/mahoraga}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$repo"
# text files only (git's numstat shows "-" for binaries)
git -c core.quotepath=off diff --numstat 4b825dc642cb6eb9a060e54bf8d69288fbee4904 HEAD |
	awk -F'\t' '$1 != "-" && $1 > 0 && $3 !~ /[ "\\]/ { print $3 }' > "$work/all"
total=$(wc -l < "$work/all")
awk -v n="$n" -v t="$total" 'BEGIN { step = t / n; if (step < 1) step = 1 } { if (NR > next_pick) { print; got++; next_pick += step } if (got >= n) exit }' next_pick=0 "$work/all" > "$work/files"
start=$(date +%s)
# ours: every author counted (no bot filter, nobody has left), one run for all files
if ! tr '\n' '\0' < "$work/files" | xargs -0 "$bin" --db "$work/m.db" -c expertise.bots= -c expertise.inactive_after=0 \
	expertise --repo "$repo" --format json > "$work/ours.json"; then
	# some file is not in the index (one that only ever came through a merge):
	# ask per file; those files count as ours saying nothing
	echo '{"files": [' > "$work/ours.json"
	sep=
	while IFS= read -r f; do
		if "$bin" --db "$work/m.db" -c expertise.bots= -c expertise.inactive_after=0 expertise --repo "$repo" \
			--format json "$f" > "$work/one.json" 2>/dev/null; then
			printf '%s' "$sep" >> "$work/ours.json"
			python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["files"][0]))' \
				"$work/one.json" >> "$work/ours.json"
			sep=,
		else
			echo "not in mahoraga's index: $f" >&2
		fi
	done < "$work/files"
	echo ']}' >> "$work/ours.json"
fi
ours_s=$(( $(date +%s) - start ))
start=$(date +%s)
while IFS= read -r f; do
	git blame ${BLAME_OPTS:--w -M} --line-porcelain -- "$f" | sed -n 's/^author-mail <\(.*\)>$/\1/p' |
		tr 'A-Z' 'a-z' | sort | uniq -c | sed 's/^ *\([0-9]*\) \(.*\)$/\1\t\2/' |
		awk -F'\t' -v f="$f" '{ print "L\t" f "\t" $2 "\t" $1 }'
	git log --follow --no-merges --format='%aE' -- "$f" | tr 'A-Z' 'a-z' | sort | uniq -c |
		sed 's/^ *\([0-9]*\) \(.*\)$/\1\t\2/' |
		awk -F'\t' -v f="$f" '{ print "C\t" f "\t" $2 "\t" $1 }'
done < "$work/files" > "$work/git.tsv"
git_s=$(( $(date +%s) - start ))
python3 - "$work/ours.json" "$work/git.tsv" "$(wc -l < "$work/files")" "${VERBOSE:-0}" <<'PY'
import json, sys
ours = json.load(open(sys.argv[1]))
git = {"L": {}, "C": {}}
for line in open(sys.argv[2], encoding="utf-8", errors="replace"):
    k, f, a, c = line.rstrip("\n").split("\t")
    git[k][(f, a)] = int(c)
mine = {"L": {}, "C": {}}
for f in ours["files"]:
    for d in f.get("developers", []):
        if d["lines_owned"]:
            mine["L"][(f["path"], d["email"])] = d["lines_owned"]
        if d["commits"]:
            mine["C"][(f["path"], d["email"])] = d["commits"]
names = {"L": "lines owned vs git blame " + (__import__("os").environ.get("BLAME_OPTS") or "-w -M"), "C": "commits vs git log --follow --no-merges"}
for k in ("L", "C"):
    pairs = set(git[k]) | set(mine[k])
    same = sum(1 for p in pairs if git[k].get(p, 0) == mine[k].get(p, 0))
    print("%s: %d of %d (file, author) pairs equal (%.1f%%) over %s files" %
          (names[k], same, len(pairs), 100.0 * same / max(1, len(pairs)), sys.argv[3]))
    if sys.argv[4] == "1":
        for p in sorted(pairs):
            if git[k].get(p, 0) != mine[k].get(p, 0):
                print("  %s %s %s: ours %d, git %d" % (k, p[0], p[1], mine[k].get(p, 0), git[k].get(p, 0)))
PY
echo "time: mahoraga ${ours_s} s (index build, blame, counts), git ${git_s} s (blame + log --follow per file)"
