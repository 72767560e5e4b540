#!/bin/sh
# mahoraga poll --once: the worker's cycle over an inbox, headless.
. "$(dirname "$0")/lib.sh"

D="$T/draft"
draft_repo "$D" "$T/draft-issue.md"

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

# one repository's clone missing (a disk not mounted): said, skipped, and the
# other repositories are triaged; info and the check name it
mkdir -p "$T/inbox2"
cp "$IN/7-keyerror.md" "$T/inbox2/3-keyerror.md"
printf '[repo "acme/gone"]\n\tpath = %s/not-cloned-yet\n\tinbox = %s\n[repo "acme/loader"]\n\tpath = %s\n\tinbox = %s\n' \
	"$T" "$IN" "$D" "$T/inbox2" >"$T/gone.config"
check "poll with a missing clone" 3 run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --config "$T/gone.config" --db "$T/gone.db" poll --once
contains "the missing clone is said" "$T/out" "acme/gone: $T/not-cloned-yet: No such file or directory: skipped"
contains "the other repository is triaged" "$T/out" "acme/loader#3 KeyError ->"
contains "a warning, not an error" "$T/err" "warning: $T/gone.config:2: repo.acme/gone.path"
check "info with a missing clone" 0 run "$MAHORAGA" --config "$T/gone.config" --db "$T/gone.db" info
contains "info names the problem" "$T/out" "PROBLEM: $T/not-cloned-yet: No such file or directory"
check "config check reports it" 1 run "$MAHORAGA" --config "$T/gone.config" --db "$T/gone.db" config check
check "a missing clone is not saved" 1 run "$MAHORAGA" --db "$T/gone.db" config set repo.acme/new.path "$T/nowhere"

# Two workers on one database (the command center's and a `poll` elsewhere) and
# a worker killed at any moment: the demo's 59 reports, its repository.
mkdir -p "$T/demo-tmp"
run TMPDIR="$T/demo-tmp" MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" demo >/dev/null 2>&1
DEMO=$(ls -d "$T"/demo-tmp/mahoraga-demo-* | head -1)
printf '[repo "demo/shop"]\n\tpath = %s\n\tinbox = %s\n' "$DEMO/shop" "$DEMO/inbox" >"$T/two.config"
n_reports=$(ls "$DEMO/inbox" | wc -l)
q() { python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute(sys.argv[2]).fetchone()[0])" "$@"; }
poll2() { run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --config "$T/two.config" --db "$1" poll --once; }
# two at the same moment: each report triaged once, nobody's issue taken away
poll2 "$T/two.db" >"$T/two-a.out" 2>&1 &
a=$!
poll2 "$T/two.db" >"$T/two-b.out" 2>&1 &
b=$!
wait $a; ra=$?
wait $b; rb=$?
equals "two workers both finish" "$ra $rb" "0 0"
equals "two workers: one decision per report" "$(q "$T/two.db" 'select count(*) from decisions')" "$n_reports"
equals "two workers: no issue per report twice" "$(q "$T/two.db" 'select count(*) from (select issue_id from decisions group by issue_id having count(*) > 1)')" 0
equals "two workers: no assignment taken away" "$(q "$T/two.db" "select count(*) from assignments where status = 'reassigned'")" 0
# killed (SIGKILL) at 20 moments spread over a whole cycle (timed first), each
# on a fresh database, then run to the end: every report has exactly one
# decision, none lost to the kill, none doubled
python3 - "$MAHORAGA" "$T" "$TEST_DATA_DIR" "$n_reports" <<'PY' && passes=$((passes + 1)) || fails=$((fails + 1))
import os, sqlite3, subprocess, sys, time
mahoraga, t, data, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
env = {"HOME": t + "/home", "PATH": os.environ["PATH"], "MAHORAGA_DATA_DIR": data}
def poll(db):
    return subprocess.Popen([mahoraga, "--config", t + "/two.config", "--db", db, "poll", "--once"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
start = time.monotonic()
poll(t + "/timing.db").wait()
whole = time.monotonic() - start
bad = []
for k in range(1, 21):
    db = "%s/kill%d.db" % (t, k)
    p = poll(db)
    time.sleep(whole * k / 21)
    p.kill()
    p.wait()
    if poll(db).wait() != 0:
        bad.append("kill %d: the run after it failed" % k)
        continue
    c = sqlite3.connect(db)
    issues = c.execute("select count(*) from issues").fetchone()[0]
    decided = c.execute("select count(distinct issue_id) from decisions").fetchone()[0]
    decisions = c.execute("select count(*) from decisions").fetchone()[0]
    if not (issues == decided == decisions == n):
        bad.append("kill %d at %.0f%% of a cycle: %d issues, %d decided, %d decisions, %d reports"
                   % (k, 100 * k / 21, issues, decided, decisions, n))
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY

finish
