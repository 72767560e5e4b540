#!/bin/sh
# mahoraga demo without a terminal: built, triaged, summarized.
. "$(dirname "$0")/lib.sh"

# the demo without a terminal: built, triaged, summarized
mkdir -p "$T/demo-tmp"
check "demo" 0 run TMPDIR="$T/demo-tmp" MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" demo
contains "demo triaged" "$T/out" "demo/shop#102 TypeError -> assign dev@shop.example"
contains "demo duplicate" "$T/out" "demo/shop#105 KeyError -> human"
# Carla left: nobody active knows her file, so it goes to a human
contains "demo departed developer" "$T/out" "demo/shop#103 java.lang.NullPointerException -> human"
contains "demo says how to reopen it" "$T/out" "open it again:  mahoraga --config"
contains "demo says how to point a wall at it" "$T/out" "a wall on it:   mahoraga --db"
# the live calibration: what the demo's team did with the proposed assignees
DEMO_DB=$(ls -d "$T"/demo-tmp/mahoraga-demo-*/mahoraga.db | head -1)
check "info on the demo" 0 run "$MAHORAGA" --db "$DEMO_DB" info
contains "agreement from people's reactions" "$T/out" "agreement         kept 4 of 7 proposed assignees"
check "demo arguments" 2 run "$MAHORAGA" demo extra

finish
