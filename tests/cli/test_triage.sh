#!/bin/sh
# mahoraga triage: the JSON contract of DESIGN.md section 5 from files, stdin and
# gh's JSON; mapping against a tree; whole decisions, routes and draft fixes.
. "$(dirname "$0")/lib.sh"

# triage --parse-only: the JSON contract of DESIGN.md section 5, from a file,
# from standard input and from gh's JSON, with and without a repository.
python_issue "$T/issue.md"
check "triage without a repository" 0 run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --db "$T/t.db" triage --format json "$T/issue.md"
python3 - "$T/out" <<'PY' && passes=$((passes + 1)) || { echo "FAIL: triage without repo"; fails=$((fails + 1)); }
import json, sys
d = json.load(open(sys.argv[1]))
assert d["route"] == "human" and d["assignee"] is None and d["confidence"] == 0, d
assert d["spell"]["id"] == "python-keyerror" and "KeyError" in d["explanation"]
assert set(d["timings_ms"]) == {"parse", "map", "signals", "expertise", "analysis", "assign", "total"}
PY
check "triage bad format" 2 run "$MAHORAGA" triage --parse-only --format xml "$T/issue.md"
check "triage unknown option" 2 run "$MAHORAGA" triage --parse-only --frob "$T/issue.md"
check "triage --format without value" 2 run "$MAHORAGA" triage --parse-only "$T/issue.md" --format
contains "needs a value" "$T/err" "--format needs a value"
check "triage --format=text" 0 run "$MAHORAGA" triage --parse-only --format=text "$T/issue.md"
contains "format= form" "$T/out" "language:    python"
check "triage missing file" 3 run "$MAHORAGA" triage --parse-only "$T/nope.md"
# text by default, as gh does; JSON when asked (scripts pass --format json)
check "triage text by default" 0 run "$MAHORAGA" triage --parse-only "$T/issue.md"
contains "triage text" "$T/out" "language:"
lacks "triage text is not json" "$T/out" '"language":'
check "triage json" 0 run "$MAHORAGA" triage --format json --parse-only "$T/issue.md"
cp "$T/out" "$T/file.json"
python3 - "$T/out" <<'PY' && passes=$((passes + 1)) || { echo "FAIL: triage json keys"; fails=$((fails + 1)); }
import json, sys
d = json.load(open(sys.argv[1]))
assert d["language"] == "python", d["language"]
assert d["error_type"] == "KeyError" and d["error_message"] == "'id'"
assert len(d["exceptions"]) == 1 and len(d["frames"]) == 2
f = d["frames"][1]
assert f == {"file": "/home/ci/work/importer/importer/load.py", "line": 40, "column": None,
             "function": "run", "repo_path": None, "in_app": True, "relevance": 1.0}, f
assert d["app_frame"]["function"] == "run"
assert "crash" in d["keywords"] and d["severity"] == "high", (d["keywords"], d["severity"])
assert len(d["fingerprint"]) == 16
PY
check "triage stdin" 0 sh -c "'$MAHORAGA' triage --format json --parse-only - <'$T/issue.md'"
cmp -s "$T/out" "$T/file.json" && passes=$((passes + 1)) || { echo "FAIL: stdin differs from file"; fails=$((fails + 1)); }
check "triage gh json" 0 sh -c "python3 -c 'import json,sys; print(json.dumps({\"title\": \"Import crashes\", \"body\": open(sys.argv[1]).read()}))' '$T/issue.md' | '$MAHORAGA' triage --format json --parse-only"
contains "gh json parsed" "$T/out" '"error_type": "KeyError"'
check "triage text" 0 run "$MAHORAGA" triage --parse-only --format text "$T/issue.md"
contains "text blame" "$T/out" "blame:       run at /home/ci/work/importer/importer/load.py:40"
printf 'The button is blue but should be green.\n' >"$T/prose.md"
check "triage prose" 0 run "$MAHORAGA" triage --format json --parse-only "$T/prose.md"
contains "prose is none" "$T/out" '"language": "none"'
contains "prose app frame null" "$T/out" '"app_frame": null'
# Escape sequences in the issue never reach the terminal.
printf 'Traceback (most recent call last):\n  File "/a/\033]0;owned\007b.py", line 1, in \033[2Jf\nValueError: x\033[31m\n' >"$T/esc.md"
check "triage escapes" 0 run "$MAHORAGA" triage --parse-only --format text "$T/esc.md"
if grep -q "$(printf '\033')" "$T/out"; then echo "FAIL: escape printed"; fails=$((fails + 1)); else passes=$((passes + 1)); fi
# Mapping against a repository's tree.
R="$T/repo"
mkdir -p "$R/importer" "$R/tests"
echo x >"$R/importer/load.py"; echo x >"$R/importer/cli.py"; echo x >"$R/tests/load.py"
(cd "$R" && git init -q . && git add -A && git -c user.name=t -c user.email=t@e commit -qm i) >/dev/null
check "triage repo" 0 run "$MAHORAGA" triage --format json --parse-only --repo "$R" "$T/issue.md"
contains "repo path" "$T/out" '"repo_path": "importer/load.py"'
check "triage missing file with repo" 3 run "$MAHORAGA" triage --parse-only --repo "$R" "$T/nope.md"
check "triage bad rev" 3 run "$MAHORAGA" triage --parse-only --repo "$R" --rev nope "$T/issue.md"
contains "bad rev message" "$T/err" "no revision 'nope'"
check "triage not a repo" 3 run "$MAHORAGA" triage --parse-only --repo "$T/home" "$T/issue.md"
check "triage rev without repo" 2 run "$MAHORAGA" triage --parse-only --rev HEAD "$T/issue.md"
head -c 17000000 /dev/zero | tr '\0' 'a' >"$T/huge.md"
check "triage huge input" 1 run "$MAHORAGA" triage --parse-only "$T/huge.md"
contains "huge message" "$T/err" "larger than 16 MiB"


E="$T/exp"
expertise_repo "$E"
EDB="$T/exp.db"

# the whole decision against the expertise repository
printf 'Traceback (most recent call last):\n  File "/build/exp/src/db.c", line 2, in lookup\nKeyError: %s\n' "'k'" >"$T/exp-issue.md"
check "triage decision" 0 run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --db "$EDB" triage --format json --repo "$E" "$T/exp-issue.md"
python3 - "$T/out" <<'PY' && passes=$((passes + 1)) || { echo "FAIL: triage decision"; fails=$((fails + 1)); }
import json, sys
d = json.load(open(sys.argv[1]))
assert d["app_frame"]["repo_path"] == "src/db.c", d["app_frame"]
c = d["candidates"]
assert [x["email"] for x in c] == ["ana@example.com", "ben@example.com"], c
assert any(r.startswith("wrote line 2") or r.startswith("wrote the blamed line") for r in c[1]["reasons"]), c  # ben wrote the line, ana owns more
assert 0 <= d["confidence"] <= 100
assert (d["route"] == "human") == (d["assignee"] is None), d
# the route follows the thresholds (85 and 60, the defaults)
if d["confidence"] < 60:
    assert d["route"] == "human" and "Not sure enough" in d["reasoning"], d
else:
    assert d["route"] in ("assign", "draft_fix") and d["assignee"]["email"] == c[0]["email"], d
assert (d["route"] == "draft_fix") == (d["draft_fix"] is not None), d
assert all(c["email"] != "bot@renovateapp.com" for c in d["candidates"])
PY
check "triage as the comment it would post" 0 run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --db "$EDB" triage --format markdown --repo "$E" "$T/exp-issue.md"
contains "the comment's marker" "$T/out" "<!-- mahoraga:triage -->"
contains "the comment's blamed line" "$T/out" '| Blamed | `src/db.c:2` in `lookup` |'
check "no comment from --parse-only" 2 run "$MAHORAGA" triage --parse-only --format markdown "$T/exp-issue.md"
check "triage decision text" 0 run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --db "$EDB" triage --repo "$E" --format text "$T/exp-issue.md"
contains "decision text route" "$T/out" "route:"
check "triage decision as of a revision" 0 run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --db "$EDB" triage --format json --repo "$E" --rev HEAD~3 "$T/exp-issue.md"
contains "old revision has no src/db.c" "$T/out" '"route": "human"'

# a draft fix: above the (lowered) draft threshold, with a spell's recipe
D="$T/draft"
draft_repo "$D" "$T/draft-issue.md"
check "triage drafts a fix" 0 run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --db "$T/d.db" \
	-c triage.draft_threshold=20 -c triage.assign_threshold=10 triage --format json --repo "$D" "$T/draft-issue.md"
python3 - "$T/out" <<'PY' && passes=$((passes + 1)) || { echo "FAIL: draft decision"; fails=$((fails + 1)); }
import json, sys
d = json.load(open(sys.argv[1]))
assert d["route"] == "draft_fix", (d["route"], d.get("no_draft"))
f = d["draft_fix"]
assert f["branch"].startswith("mahoraga/draft-") and f["path"] == "app/loader.py"
assert f["title"].startswith("DRAFT - Review Required") and f["lines_changed"] < 20
assert '+    return d.get("user_id")' in f["diff"] and "+    # mahoraga draft" in f["diff"]
PY
b=$(cd "$D" && git branch --list 'mahoraga/*' | tr -d ' ')
[ -n "$b" ] && [ "$(cd "$D" && git status --porcelain)" = "" ] && [ "$(cd "$D" && git symbolic-ref --short HEAD)" = main ] \
	&& passes=$((passes + 1)) || { echo "FAIL: draft branch or working tree"; fails=$((fails + 1)); }
# with the draft branch checked out, triage still reads the default branch, and
# the tool's own commit is nobody's expertise
(cd "$D" && git checkout -q "$b")
check "triage with a draft checked out" 0 run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --db "$T/d2.db" \
	-c triage.draft_fixes=false triage --repo "$D" "$T/draft-issue.md"
lacks "the tool is never a candidate" "$T/out" "mahoraga@localhost"
(cd "$D" && git checkout -q main)
check "triage draft turned off" 0 run MAHORAGA_DATA_DIR="$TEST_DATA_DIR" "$MAHORAGA" --db "$T/d.db" \
	-c triage.draft_threshold=20 -c triage.assign_threshold=10 -c triage.draft_fixes=false triage --format json --repo "$D" "$T/draft-issue.md"
contains "no draft when off" "$T/out" '"no_draft": "drafting fixes is turned off'

finish
