#!/bin/sh
# The LLM analyzer against a fake OpenAI-compatible server
# (tests/cli/fake_llm.py): a valid answer is used and the decision says so;
# invalid JSON, a 20 MB body, a made-up file, an oversized diff, an unknown
# key, control characters, a timeout and 500s are refused, the rules answer
# and the decision says why; 500s open the breaker; a server without
# structured outputs is asked again in words; a proposed fix is drafted only
# when it applies; the key never leaves the request's header.
. "$(dirname "$0")/lib.sh"

D="$T/loader"
draft_repo "$D" "$T/issue.md"
printf 'TIMEOUT = 5\n' >"$D/app/config.py"
(cd "$D" && git add -A && git -c user.name=Ana -c user.email=ana@example.com commit -qm config) >/dev/null
L="$T/llm"
mkdir -p "$L" "$T/nospells/spells"
fake_server llm "$L"
KEY=sk-FAKE-llm-key

# triage [DATA_DIR]: the decision as JSON, with the model set up
triage() { run MAHORAGA_DATA_DIR="${1:-$TEST_DATA_DIR}" MAHORAGA_LLM_URL="http://127.0.0.1:$PORT/v1" \
	MAHORAGA_LLM_MODEL=fake-model MAHORAGA_LLM_API_KEY=$KEY "$MAHORAGA" --db "$T/m.db" -c llm.timeout=2s \
	-c triage.assign_threshold=30 -c triage.draft_threshold=40 triage --repo "$D" --format json "$T/issue.md"; }
field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$T/out" "$1"; }
answer() { printf '%s' "$1" >"$L/answer"; }
requests() { wc -l <"$L/requests.jsonl" | tr -d ' '; }
lastreq() { tail -n 1 "$L/requests.jsonl" | python3 -c "import json,sys; r=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }
refused() { # NAME WHY: the rules answered, and the decision says why
	equals "$1: the rules answered" "$(field "d['analyzer']['name']")" rules
	contains "$1: why" "$T/out" "$2"
}

GOOD='{"explanation": "load() reads the key user_id, which this record does not have.", "root_cause": "app/loader.py:2 indexes d[\"user_id\"] without checking it is there.", "affected_files": ["app/config.py"], "fix": null, "spell": null}'

answer "$GOOD"
check "a valid answer" 0 triage
equals "the model answered" "$(field "d['analyzer']['name']")" llm
equals "its explanation" "$(field "d['explanation']")" "load() reads the key user_id, which this record does not have."
equals "its files" "$(field "d['affected_files']")" "['app/config.py']"
equals "the spell kept" "$(field "d['spell']['id']")" python-keyerror
equals "structured outputs asked for" "$(lastreq "r['response_format']['json_schema']['strict']")" True
equals "the model named" "$(lastreq "r['model']")" fake-model
equals "the key as a bearer token" "$(lastreq "r['auth']")" True
prompt=$(lastreq "r['messages'][1]['content']")
for want in "Error: KeyError: 'user_id'" 'Blamed: app/loader.py:2' '>    2      return d["user_id"]' 'python-keyerror: '; do
	case "$prompt" in *"$want"*) passes=$((passes + 1)) ;; *) echo "FAIL: '$want' not in the prompt: $prompt"; fails=$((fails + 1)) ;; esac
done
lacks "the key not in the prompt" "$L/requests.jsonl" "$KEY"

answer 'Sure! Here is my analysis: {"explanation": "it broke"}'
check "invalid JSON" 0 triage
refused "invalid JSON" "the LLM: refused: the model's message is not one JSON object"
equals "the rules' words" "$(field "d['explanation'][:12]")" '`KeyError: '"'"

answer '{"explanation": "x", "root_cause": "y", "affected_files": ["app/made_up.py"], "fix": null, "spell": null}'
check "a made-up file" 0 triage
refused "a made-up file" "an affected file that is not in the repository: app/made_up.py"

answer '{"explanation": "x", "root_cause": "y", "affected_files": ["../../etc/passwd"], "fix": null, "spell": null}'
check "a path outside" 0 triage
refused "a path outside" "not in the repository: ../../etc/passwd"

big=$(python3 -c "
import json
diff = '--- a/app/loader.py\n+++ b/app/loader.py\n@@ -1,2 +1,26 @@\n def load(d):\n-    return d[\"user_id\"]\n' + ''.join('+    x%d = %d\n' % (i, i) for i in range(24)) + '+    return d.get(\"user_id\")\n'
print(json.dumps({'explanation': 'x', 'root_cause': 'y', 'affected_files': [], 'fix': {'path': 'app/loader.py', 'title': 'guard', 'diff': diff}, 'spell': None}))")
answer "$big"
check "an oversized diff" 0 triage
refused "an oversized diff" "the fix changes 26 lines; drafts stay under 20"

answer '{"explanation": "x", "root_cause": "y", "affected_files": [], "fix": null, "spell": null, "shell": "rm -rf /"}'
check "an unknown key" 0 triage
refused "an unknown key" 'an unknown key \"shell\"'

answer '{"explanation": "red \u001b[31malert", "root_cause": "y", "affected_files": [], "fix": null, "spell": null}'
check "control characters" 0 triage
refused "control characters" '\"explanation\" holds control characters'

answer "$GOOD"
echo cut >"$L/mode"
check "an answer cut short" 0 triage
refused "an answer cut short" "the answer was cut short (length)"

echo huge >"$L/mode"
check "a 20 MB body" 0 triage
refused "a 20 MB body" "larger than 10 MiB"

echo slow >"$L/mode"
check "a timeout" 0 triage
refused "a timeout" "Timeout was reached"

# 500s: each one a failure; at the fifth the breaker opens and the model is
# left alone: no request at all
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('delete from services'); c.commit()" "$T/m.db"
echo 500 >"$L/mode"
for i in 1 2 3 4 5; do
	check "a 500 ($i)" 0 triage
done
refused "a 500" "the LLM answered 500"
before=$(requests)
check "the breaker open" 0 triage
refused "the breaker open" "The LLM is left alone for"
equals "no request while open" "$(requests)" "$before"
equals "the breaker saved" "$(q "$T/m.db" "select open_until > 0 from services where name = 'llm'")" 1
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('delete from services'); c.commit()" "$T/m.db"

# a server without structured outputs: asked again with the shape in words
echo no_schema >"$L/mode"
before=$(requests)
check "no structured outputs" 0 triage
equals "answered then" "$(field "d['analyzer']['name']")" llm
equals "asked twice" "$(requests)" $((before + 2))
equals "the second without response_format" "$(lastreq "'response_format' in r")" False
contains "the shape in words" "$L/requests.jsonl" 'Answer with one JSON object and nothing else'
rm "$L/mode"

# no spell matches (an empty library): the model's fix is drafted when it
# applies cleanly at the blamed revision, dropped when it does not
fix() { python3 -c "
import json, sys
diff = '--- a/app/loader.py\n+++ b/app/loader.py\n@@ -1,2 +1,3 @@\n def load(d):\n-    return d[\"%s\"]\n+    # the record may lack the key: None, as callers expect\n+    return d.get(\"user_id\")\n' % sys.argv[1]
print(json.dumps({'explanation': 'load() reads a key the record lacks.', 'root_cause': 'y', 'affected_files': [],
                  'fix': {'path': 'app/loader.py', 'title': 'Read user_id with get', 'diff': diff}, 'spell': None}))" "$1"; }
answer "$(fix user_id)"
check "a fix that applies" 0 triage "$T/nospells"
equals "drafted" "$(field "d['route']")" draft_fix
equals "on its branch" "$(field "d['draft_fix']['branch']")" mahoraga/draft-$(field "d['fingerprint']")
contains "the model's change" "$T/out" 'return d.get(\"user_id\")'
equals "the draft's commit says whose" "$(git -C "$D" log -1 --format=%B "$(field "d['draft_fix']['branch']")" | grep -c 'a fix proposed by the LLM')" 1
answer "$(fix user_name)"
check "a fix that does not apply" 0 triage "$T/nospells"
equals "not drafted" "$(field "d['route']")" assign
contains "why" "$T/out" "the LLM's fix was dropped: app/loader.py:2: the diff does not apply cleanly at the blamed revision"

# a proposed spell: kept for a person only when it parses as theirs would
spell='id: python-missing-user-id\ntitle: A record without user_id\nlanguages: python\nerror: KeyError\nmessage: re:user_id\n---\nThe record was saved before user_id existed.\n'
answer "$(python3 -c "import json,sys; print(json.dumps({'explanation': 'x', 'root_cause': 'y', 'affected_files': [], 'fix': None, 'spell': sys.argv[1].replace(chr(92) + 'n', chr(10))}))" "$spell")"
check "a proposed spell" 0 triage "$T/nospells"
equals "proposed" "$(field "d['proposed_spell'].splitlines()[0]")" "id: python-missing-user-id"
answer '{"explanation": "x", "root_cause": "y", "affected_files": [], "fix": null, "spell": "id: bad\ntitle: t\nerror: E\nmessage: re:(a*)*\\1\n---\nx\n"}'
check "an unsafe spell" 0 triage "$T/nospells"
refused "an unsafe spell" "the LLM: refused: the proposed spell: message regex: a repeated group with a repetition inside"

# the worker asks the model too, and keeps its proposed spell for a person
IN="$T/inbox"
mkdir -p "$IN"
cp "$T/issue.md" "$IN/1-loader.md"
printf '[repo "acme/loader"]\n\tpath = %s\n\tinbox = %s\n' "$D" "$IN" >"$T/config"
answer "$(python3 -c "import json,sys; print(json.dumps({'explanation': 'load() reads user_id, which old records lack.', 'root_cause': 'y', 'affected_files': [], 'fix': None, 'spell': sys.argv[1].replace(chr(92) + 'n', chr(10))}))" "$spell")"
mm() { run MAHORAGA_DATA_DIR="$T/nospells" MAHORAGA_LLM_URL="http://127.0.0.1:$PORT/v1" MAHORAGA_LLM_MODEL=fake-model \
	MAHORAGA_LLM_API_KEY=$KEY "$MAHORAGA" --config "$T/config" --db "$T/w.db" "$@"; }
check "a poll with the model" 0 mm poll --once
equals "the decision says the model answered" "$(q "$T/w.db" "select json_extract(full_json, '$.analyzer.name') from decisions")" llm
equals "its words kept" "$(q "$T/w.db" "select explanation from decisions")" "load() reads user_id, which old records lack."
check "proposals listed" 0 mm spells proposals
contains "the proposal" "$T/out" "#1 python-missing-user-id (pending)"
check "not used before it is accepted" 0 mm spells test "$T/issue.md"
lacks "no match yet" "$T/out" "python-missing-user-id"
check "accepted" 0 mm spells accept 1
contains "where it went" "$T/out" "accepted: $T/spells/python-missing-user-id.spell"
check "then it matches" 0 mm spells test "$T/issue.md"
contains "matching" "$T/out" "python-missing-user-id"
check "accepted twice" 1 mm spells accept 1
contains "said" "$T/err" "spell proposal 1 was accepted already"
check "no such proposal" 1 mm spells reject 9
contains "said" "$T/err" "no spell proposal 9"
check "not a number" 2 mm spells accept one
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"insert into spell_proposals (spell_id, text, created_at) values ('x-y', 'id: x-y', 1)\"); c.commit()" "$T/w.db"
check "rejected" 0 mm spells reject 2
equals "kept as rejected" "$(q "$T/w.db" "select state from spell_proposals where id = 2")" rejected
check "as JSON" 0 mm spells proposals --format json
equals "both listed" "$(python3 -c "import json,sys; print([p['state'] for p in json.load(open(sys.argv[1]))])" "$T/out")" "['rejected', 'accepted']"

check "info says how it is set up" 0 mm info
contains "the model" "$T/out" "LLM               fake-model at http://127.0.0.1:$PORT/v1"
contains "the key hidden" "$T/out" "llm.api_key       (set, hidden) from environment MAHORAGA_LLM_API_KEY"
lacks "never shown" "$T/out" "$KEY"

# the key: in no output, no database row, no request body
lacks "the key not printed" "$T/out" "$KEY"
lacks "nor said" "$T/err" "$KEY"
lacks "nor sent in a body" "$L/requests.jsonl" "$KEY"
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); sys.exit(any(sys.argv[2] in l for l in c.iterdump()))" "$T/m.db" "$KEY" \
	&& passes=$((passes + 1)) || { echo "FAIL: the key is in the database"; fails=$((fails + 1)); }
finish
