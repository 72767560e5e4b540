#!/bin/sh
# mahoraga spells: the shipped library, a user's own, and testing an issue
# against them.
. "$(dirname "$0")/lib.sh"

python_issue "$T/issue.md"

# spells: the shipped library, a user's own, and testing an issue against them.
SDB="$T/spells/m.db"
mkdir -p "$T/spells"
sp() { run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --db "$SDB" spells "$@"; }
check "spells list" 0 sp list
contains "spells list shows a shipped spell" "$T/out" "python-keyerror"
n=$(grep -c "shipped" "$T/out")
[ "$n" -ge 40 ] && passes=$((passes + 1)) || { echo "FAIL: only $n shipped spells"; fails=$((fails + 1)); }
check "spells list json" 0 sp list --format json
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d) >= 40 and all(x['source'] == 'shipped' for x in d)" "$T/out" \
	&& passes=$((passes + 1)) || { echo "FAIL: spells json"; fails=$((fails + 1)); }
check "spells show" 0 sp show go-nil-pointer
contains "spells show explanation" "$T/out" "Check the error before using the value"
check "spells show unknown" 1 sp show no-such-spell
check "spells usage" 2 sp
check "spells bad subcommand" 2 sp frob
check "spells test" 0 sp test "$T/issue.md"
contains "spells test match" "$T/out" "python-keyerror"
check "spells test json" 0 sp test --format json "$T/issue.md"
contains "spells test json match" "$T/out" '"id": "python-keyerror"'
cat >"$T/my.spell" <<'SPELL'
id: importer-rows
title: Importer got an empty file
languages: python
error: KeyError
frame: */importer/*
---
The import file had no rows; check the upload step.
SPELL
check "spells test with a candidate spell" 0 sp test --spell "$T/my.spell" "$T/issue.md"
contains "candidate ranks first" "$T/out" "importer-rows"
check "spells add" 0 sp add "$T/my.spell"
[ -f "$T/spells/spells/importer-rows.spell" ] && passes=$((passes + 1)) || { echo "FAIL: spell not saved next to the db"; fails=$((fails + 1)); }
check "spells list has the user spell" 0 sp list
contains "user spell listed" "$T/out" "importer-rows"
check "spells add twice" 1 sp add "$T/my.spell"
contains "add twice message" "$T/err" "--force replaces it"
check "spells add --force" 0 sp add --force "$T/my.spell"
printf 'id: Bad Id\ntitle: x\n---\ny\n' >"$T/bad.spell"
check "spells add invalid" 1 sp add "$T/bad.spell"
contains "invalid spell message" "$T/err" "bad.spell"
check "spells rm shipped" 1 sp rm python-keyerror
contains "rm shipped message" "$T/err" "cannot be removed"
check "spells rm" 0 sp rm importer-rows
[ ! -e "$T/spells/spells/importer-rows.spell" ] && passes=$((passes + 1)) || { echo "FAIL: spell not removed"; fails=$((fails + 1)); }
check "spells rm unknown" 1 sp rm importer-rows
# a broken user spell is reported, the rest still works
printf 'id: broken\n' >"$T/spells/spells/broken.spell"
check "spells list with a broken file" 0 sp list
contains "broken file reported" "$T/err" "broken.spell"

finish
