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

finish
