#!/bin/sh
# mahoraga expertise and busfactor on a repository with two authors, a rename
# and a bot.
. "$(dirname "$0")/lib.sh"

# expertise and busfactor on a repository with two authors, a rename and a bot.
E="$T/exp"
expertise_repo "$E"
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

finish
