#!/bin/sh
# mahoraga users import and export: CSV as a spreadsheet writes it, all rows or
# none.
. "$(dirname "$0")/lib.sh"

# users import and export: CSV as a spreadsheet writes it, all rows or none
us() { run "$MAHORAGA" --db "$T/users.db" users "$@"; }
printf 'name,login,slack,active,emails\r\n"Lee, Ann",annlee,U01ANN,yes,ann@shop.example;Ann@Home.example\r\nBob Ray,bray,,no,bob@shop.example\r\n' >"$T/users.csv"
check "users import" 0 us import "$T/users.csv"
contains "users import counts" "$T/out" "2 added, 0 updated"
check "users export" 0 us export "$T/users-out.csv"
contains "export quotes a comma" "$T/users-out.csv" '"Lee, Ann",annlee,U01ANN,yes,ann@shop.example;ann@home.example'
contains "export keeps inactive" "$T/users-out.csv" "Bob Ray,bray,,no,bob@shop.example"
check "users re-import of the export" 0 us import "$T/users-out.csv"
contains "round trip updates" "$T/out" "0 added, 2 updated"
check "users export to stdout" 0 us export
cmp -s "$T/out" "$T/users-out.csv" && passes=$((passes + 1)) || { echo "FAIL: export differs after round trip"; fails=$((fails + 1)); }
printf 'name,login,slack,active,emails\nCarla,carla,,yes,carla@shop.example\nDan,dan,,maybe,dan@shop.example\n' >"$T/bad-users.csv"
check "users import bad row" 1 us import "$T/bad-users.csv"
contains "bad row located" "$T/err" "bad-users.csv:3: active must be yes or no"
us export >"$T/after-bad.csv" 2>/dev/null
lacks "nothing saved from a bad file" "$T/after-bad.csv" "Carla"
printf 'name,login,slack,active,emails\n"unclosed,x,,yes,x@y.example\n' >"$T/bad-quote.csv"
check "users import unclosed quote" 1 us import "$T/bad-quote.csv"
contains "unclosed quote message" "$T/err" "never closed"
printf 'login,name\nx,y\n' >"$T/bad-header.csv"
check "users import bad header" 1 us import "$T/bad-header.csv"
contains "header message" "$T/err" "name,login,slack,active,emails"
printf 'name,login,slack,active,emails\nEve,eve,,yes,not-an-email\n' | us import - >"$T/out" 2>"$T/err"
[ $? -eq 1 ] && passes=$((passes + 1)) || { echo "FAIL: bad email accepted"; fails=$((fails + 1)); }
contains "bad email message" "$T/err" "'not-an-email' is not an email"
check "users import missing file" 3 us import "$T/nope.csv"
check "users usage" 2 us frob
# a spreadsheet's byte order mark is fine; one e-mail on two rows is refused,
# saying where; a file too large is refused whole, never cut
printf '\357\273\277name,login,slack,active,emails\r\nEve Bom,eve,,yes,eve@shop.example\r\n' >"$T/bom.csv"
check "users import after a BOM" 0 us import "$T/bom.csv"
contains "BOM import counts" "$T/out" "1 added"
printf 'name,login,slack,active,emails\nFay,fay,,yes,fay@shop.example\nFay Two,fay2,,yes,x@shop.example;FAY@shop.example\n' >"$T/dup.csv"
check "users import one e-mail twice" 1 us import "$T/dup.csv"
contains "duplicate located" "$T/err" "dup.csv:3: fay@shop.example is also on line 2"
# (what is in it does not matter: it is refused by its size before it is read as CSV)
dd if=/dev/zero of="$T/huge.csv" bs=1M count=65 2>/dev/null
check "users import of 65 MiB" 1 us import "$T/huge.csv"
contains "too large said" "$T/err" "more than 64 MiB"
rm -f "$T/huge.csv"
python3 -c "import sys
with open(sys.argv[1], 'w') as f:
    f.write('name,login,slack,active,emails\n')
    for i in range(5000): f.write('Person %d,,,yes,q%d@shop.example\n' % (i, i))" "$T/many.csv"
check "users import of 5,000 rows" 0 us import "$T/many.csv"
contains "all of them" "$T/out" "5000 added"

finish
