#!/bin/sh
# make bench: one poll cycle over 20 repositories polled on GitHub (the fake
# server of the tests, on 127.0.0.1), with 1,000 new issues and then with no
# change: requests, what the idle cycle costs in rate limit, time per issue,
# against curl(1) asking the same 20 URLs in the same run.
set -eu
MAHORAGA=${MAHORAGA:-./mahoraga}
srcdir=${srcdir:-.}
T=$(mktemp -d "${TMPDIR:-/tmp}/mahoraga-bench-gh-XXXXXX")
trap 'kill $server 2>/dev/null; rm -rf "$T"' EXIT
mkdir -p "$T/gh" "$T/clone/app"
printf 'def load(d):\n    return d["user_id"]\n' >"$T/clone/app/loader.py"
(cd "$T/clone" && git init -q -b main . && git add -A && git -c user.name=Ana -c user.email=ana@example.com commit -qm init)
python3 - "$T/gh/issues.json" <<'PY'
import json, sys
issues = [{"number": n, "title": "Loader fails %d" % n, "state": "open", "user": {"login": "octocat"},
           "html_url": "https://github.com/acme/x/issues/%d" % n, "created_at": "2026-11-20T09:00:00Z",
           "updated_at": "2026-11-20T%02d:%02d:00Z" % (n // 60 % 24, n % 60),
           "body": "Traceback (most recent call last):\n  File \"/srv/app/loader.py\", line 2, in load\nKeyError: 'k%d'\n" % n}
          for n in range(1, 51)]
json.dump(issues, open(sys.argv[1], "w"))
PY
python3 "$srcdir/tests/cli/fake_github.py" "$T/gh" &
server=$!
n=0; while [ ! -s "$T/gh/port" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
PORT=$(cat "$T/gh/port")
: >"$T/config"
for r in $(seq 1 20); do printf '[repo "acme/r%02d"]\n\tpath = %s\n' "$r" "$T/clone" >>"$T/config"; done
poll() { env MAHORAGA_GITHUB_API_URL="http://127.0.0.1:$PORT" GH_TOKEN=t0ken_FAKE_not_real HOME="$T" \
	MAHORAGA_DATA_DIR="$srcdir/data" "$MAHORAGA" --config "$T/config" --db "$T/m.db" poll --once >"$T/out" 2>&1 || true; }
ms() { python3 -c "import time; print(time.monotonic())"; }
echo "bench_github: 20 repositories on a fake GitHub (127.0.0.1), 50 issues each"
t0=$(ms); poll; t1=$(ms)
reqs=$(wc -l <"$T/gh/requests" | tr -d ' ')
triaged=$(sed -n 's/.* \([0-9]*\) triaged.*/\1/p' "$T/out")
python3 -c "import sys; t=float(sys.argv[2])-float(sys.argv[1]); n=int(sys.argv[4]); print('  first cycle: %s requests, %d issues triaged, %.2f s (%.1f ms an issue)' % (sys.argv[3], n, t, 1000*t/max(n,1)))" "$t0" "$t1" "$reqs" "${triaged:-0}"
poll   # the first poll from the new "since": the last issue of each again
: >"$T/gh/requests"
t0=$(ms); poll; t1=$(ms)
reqs=$(wc -l <"$T/gh/requests" | tr -d ' ')
n304=$(grep -c -- '-> 304' "$T/gh/requests" || true)
urls=$(sed -n 's/^GET \([^ ]*\) .*/\1/p' "$T/gh/requests")
t2=$(ms)
for u in $urls; do curl -s -o /dev/null -H "Authorization: Bearer t0ken_FAKE_not_real" "http://127.0.0.1:$PORT$u"; done
t3=$(ms)
python3 -c "import sys; a=float(sys.argv[2])-float(sys.argv[1]); b=float(sys.argv[4])-float(sys.argv[3]); print('  idle cycle: %s requests, %s of them 304 (no rate limit spent), %.0f ms; curl(1) asking the same URLs: %.0f ms (ratio %.2f)' % (sys.argv[5], sys.argv[6], 1000*a, 1000*b, a/b if b else 0))" "$t0" "$t1" "$t2" "$t3" "$reqs" "$n304"
