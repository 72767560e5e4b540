#!/bin/sh
# mahoraga info: where things are; secrets by source only; repositories saved in
# the database.
. "$(dirname "$0")/lib.sh"

E="$T/exp"
expertise_repo "$E"

# info: where things are; secrets by source only
check "info" 0 run GH_TOKEN=ghp_infoSECRET123 "$MAHORAGA" --db "$T/info/m.db" info
contains "info database" "$T/out" "$T/info/m.db"
contains "info log" "$T/out" "$T/info/mahoraga.log"
contains "info token source" "$T/out" "(set, hidden) from environment GH_TOKEN"
lacks "info never prints the token" "$T/out" "ghp_infoSECRET123"
contains "info unset secret" "$T/out" "slack.token       (unset)"
contains "no agreement before anyone reacts" "$T/out" "agreement         nobody has accepted or changed a proposed assignee yet"
check "info names the webhook secret's source" 0 run MAHORAGA_GITHUB_WEBHOOK_SECRET=whsec_SECRET "$MAHORAGA" --db "$T/info/m.db" info
contains "webhook secret source" "$T/out" "github.webhook_secret (set, hidden) from environment MAHORAGA_GITHUB_WEBHOOK_SECRET"
lacks "never the secret itself" "$T/out" "whsec_SECRET"
check "info arguments" 2 run "$MAHORAGA" info extra
# a repository saved in the database (as the command center's N does) is configured
mkdir -p "$T/info2"
check "repo saved" 0 run "$MAHORAGA" --db "$T/info2/m.db" config set repo.acme/web.path "$E"
check "info with saved repo" 0 run "$MAHORAGA" --db "$T/info2/m.db" info
contains "info counts it" "$T/out" "repositories      1 configured"
contains "info names it" "$T/out" "acme/web  $E"

finish
