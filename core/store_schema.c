/* store_schema: the numbered migrations. Never edit a migration that has shipped:
 * add a new one at the end and raise STORE_SCHEMA_VERSION. */
#include "store_internal.h"

const char *const store_migrations[STORE_SCHEMA_VERSION] = {
	/* 1: people, settings, repositories and issues. */
	"CREATE TABLE users ("
	"  id INTEGER PRIMARY KEY,"
	"  login TEXT UNIQUE,"
	"  slack_id TEXT UNIQUE,"
	"  display_name TEXT NOT NULL,"
	"  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
	"  created_at INTEGER NOT NULL"
	");"
	"CREATE TABLE user_emails ("
	"  email TEXT PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE"
	");"
	"CREATE INDEX user_emails_user ON user_emails(user_id);"
	"CREATE TABLE settings ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL,"
	"  updated_at INTEGER NOT NULL"
	");"
	"CREATE TABLE repos ("
	"  id INTEGER PRIMARY KEY,"
	"  slug TEXT UNIQUE NOT NULL,"
	"  created_at INTEGER NOT NULL"
	");"
	"CREATE TABLE issues ("
	"  id INTEGER PRIMARY KEY,"
	"  repo_id INTEGER NOT NULL REFERENCES repos(id),"
	"  number INTEGER NOT NULL,"
	"  title TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),"
	"  url TEXT,"
	"  author TEXT,"
	"  etag TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  UNIQUE (repo_id, number)"
	");",

	/* 2: the triage record: decisions, assignments with history, expertise cache. */
	"CREATE TABLE decisions ("
	"  id INTEGER PRIMARY KEY,"
	"  issue_id INTEGER NOT NULL REFERENCES issues(id),"
	"  created_at INTEGER NOT NULL,"
	"  language TEXT,"
	"  error_type TEXT,"
	"  error_message TEXT,"
	"  stack_trace TEXT,"
	"  fingerprint TEXT,"
	"  affected_files TEXT,"
	"  root_cause TEXT,"
	"  explanation TEXT,"
	"  reasoning TEXT NOT NULL,"
	"  confidence REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 100),"
	"  route TEXT NOT NULL CHECK (route IN ('draft_fix', 'assign', 'human')),"
	"  assignee_email TEXT,"
	"  draft_branch TEXT,"
	"  draft_url TEXT,"
	"  draft_diff TEXT,"
	"  processing_ms INTEGER,"
	"  timings TEXT,"
	"  full_json TEXT"
	");"
	"CREATE INDEX decisions_issue ON decisions(issue_id, id);"
	"CREATE INDEX decisions_fingerprint ON decisions(fingerprint, created_at);"
	"CREATE TABLE assignments ("
	"  id INTEGER PRIMARY KEY,"
	"  issue_id INTEGER NOT NULL REFERENCES issues(id),"
	"  decision_id INTEGER REFERENCES decisions(id),"
	"  assignee_email TEXT NOT NULL,"
	"  confidence REAL NOT NULL,"
	"  reasoning TEXT NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'assigned'"
	"    CHECK (status IN ('assigned', 'completed', 'reassigned')),"
	"  note TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL"
	");"
	"CREATE INDEX assignments_issue ON assignments(issue_id, id);"
	"CREATE INDEX assignments_open ON assignments(assignee_email, status);"
	"CREATE TABLE expertise_cache ("
	"  repo_id INTEGER NOT NULL REFERENCES repos(id),"
	"  rev TEXT NOT NULL,"
	"  path TEXT NOT NULL,"
	"  email TEXT NOT NULL,"
	"  name TEXT,"
	"  score REAL NOT NULL,"
	"  decayed REAL NOT NULL,"
	"  commits INTEGER NOT NULL,"
	"  lines_owned INTEGER NOT NULL,"
	"  first_commit INTEGER,"
	"  last_commit INTEGER,"
	"  calculated_at INTEGER NOT NULL,"
	"  PRIMARY KEY (repo_id, rev, path, email)"
	");",

	/* 3: the outbox of actions towards GitHub and Slack. */
	"CREATE TABLE actions ("
	"  id INTEGER PRIMARY KEY,"
	"  issue_id INTEGER REFERENCES issues(id),"
	"  kind TEXT NOT NULL,"
	"  dedup_key TEXT UNIQUE NOT NULL,"
	"  payload TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK (state IN ('pending', 'sending', 'done', 'failed')),"
	"  result TEXT,"
	"  last_error TEXT,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL"
	");"
	"CREATE INDEX actions_due ON actions(state, next_attempt_at);",

	/* 4: duplicate grouping: what each report looked like and what it joined. */
	"CREATE TABLE reports ("
	"  issue_id INTEGER PRIMARY KEY REFERENCES issues(id),"
	"  repo_id INTEGER NOT NULL REFERENCES repos(id),"
	"  reported_at INTEGER NOT NULL,"
	"  fingerprint TEXT,"
	"  content_hash TEXT NOT NULL,"
	"  signature TEXT,"
	"  relation TEXT NOT NULL DEFAULT 'new'"
	"    CHECK (relation IN ('new', 'consolidated', 'duplicate', 'similar')),"
	"  duplicate_of INTEGER REFERENCES issues(id),"
	"  similarity REAL"
	");"
	"CREATE INDEX reports_fingerprint ON reports(repo_id, fingerprint);"
	"CREATE INDEX reports_content ON reports(repo_id, content_hash);"
	"CREATE INDEX reports_time ON reports(repo_id, reported_at);",

	/* 5: the history index (core/history) and the blame cache (core/blame). */
	"CREATE TABLE history_meta ("
	"  repo_id INTEGER PRIMARY KEY REFERENCES repos(id),"
	"  tip BLOB NOT NULL,"
	"  commits INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL"
	");"
	"CREATE TABLE history_commits ("
	"  repo_id INTEGER NOT NULL, idx INTEGER NOT NULL, oid BLOB NOT NULL,"
	"  time INTEGER NOT NULL, author_time INTEGER NOT NULL, author INTEGER NOT NULL,"
	"  mp INTEGER NOT NULL, merge INTEGER NOT NULL, PRIMARY KEY (repo_id, idx)"
	") WITHOUT ROWID;"
	"CREATE TABLE history_mainline ("
	"  repo_id INTEGER NOT NULL, pos INTEGER NOT NULL, commit_idx INTEGER NOT NULL,"
	"  PRIMARY KEY (repo_id, pos)"
	") WITHOUT ROWID;"
	"CREATE TABLE history_authors ("
	"  repo_id INTEGER NOT NULL, idx INTEGER NOT NULL, email TEXT NOT NULL, name TEXT NOT NULL,"
	"  PRIMARY KEY (repo_id, idx)"
	") WITHOUT ROWID;"
	"CREATE TABLE history_paths ("
	"  repo_id INTEGER NOT NULL, idx INTEGER NOT NULL, path TEXT NOT NULL,"
	"  PRIMARY KEY (repo_id, idx)"
	") WITHOUT ROWID;"
	"CREATE TABLE history_touches ("
	"  repo_id INTEGER NOT NULL, idx INTEGER NOT NULL, file INTEGER NOT NULL,"
	"  commit_idx INTEGER NOT NULL, path INTEGER NOT NULL, blob BLOB NOT NULL,"
	"  kind TEXT NOT NULL, PRIMARY KEY (repo_id, idx)"
	") WITHOUT ROWID;"
	"CREATE TABLE blame_cache ("
	"  repo_id INTEGER NOT NULL, blob BLOB NOT NULL, owners TEXT NOT NULL,"
	"  PRIMARY KEY (repo_id, blob)"
	") WITHOUT ROWID;",
	/* 6: what people decided in the command center, and the worker's heartbeat. */
	"CREATE TABLE manual_actions ("
	"  id INTEGER PRIMARY KEY,"
	"  issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL CHECK (kind IN ('accept', 'reassign', 'human', 'approve_draft',"
	"    'reject_draft', 'retriage')),"
	"  assignee_email TEXT,"
	"  reason TEXT,"
	"  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),"
	"  result TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  done_at INTEGER"
	");"
	"CREATE INDEX manual_actions_issue ON manual_actions(issue_id, id);"
	"CREATE INDEX manual_actions_pending ON manual_actions(state) WHERE state = 'pending';"
	"CREATE TABLE worker_cycles ("
	"  id INTEGER PRIMARY KEY,"
	"  finished_at INTEGER NOT NULL,"
	"  seen INTEGER NOT NULL, triaged INTEGER NOT NULL,"
	"  bad_files INTEGER NOT NULL, failed INTEGER NOT NULL"
	");",
	/* 7: blame now follows each line through the commit's parents as git does;
	 * what the old replay cached disagrees with git across merges. The saved
	 * indexes lack the histories that copies inherit: they are built again. */
	"DELETE FROM blame_cache;"
	"DELETE FROM history_touches; DELETE FROM history_paths; DELETE FROM history_authors;"
	"DELETE FROM history_mainline; DELETE FROM history_commits; DELETE FROM history_meta;",
	/* 8: the index is one packed byte string per repository (core/history_pack):
	 * loading 82k commits row by row took 60 ms of a 100 ms warm command. The
	 * bus factor is saved with it: computing it on every repaint kept the
	 * command center blank for seconds. */
	"DROP TABLE history_touches; DROP TABLE history_paths; DROP TABLE history_authors;"
	"DROP TABLE history_mainline; DROP TABLE history_commits; DROP TABLE history_meta;"
	"CREATE TABLE history_index ("
	"  repo_id INTEGER PRIMARY KEY REFERENCES repos(id),"
	"  tip BLOB NOT NULL,"
	"  commits INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  data BLOB NOT NULL"
	");"
	/* the bus factor's risky files, saved with the index by whoever updates it
	 * (the command center only reads them); key says for which tip and settings */
	"CREATE TABLE risk_meta ("
	"  repo_id INTEGER PRIMARY KEY REFERENCES repos(id),"
	"  key TEXT NOT NULL,"
	"  truck_factor INTEGER NOT NULL,"
	"  computed_at INTEGER NOT NULL"
	");"
	"CREATE TABLE risk_files ("
	"  repo_id INTEGER NOT NULL REFERENCES repos(id), rank INTEGER NOT NULL,"
	"  path TEXT NOT NULL, owner TEXT, partner TEXT, share REAL NOT NULL,"
	"  critical INTEGER NOT NULL, PRIMARY KEY (repo_id, rank)"
	") WITHOUT ROWID;"
	/* the paths of the tree last mapped, packed (core/trace_map): reading a
	 * large tree cost more than the rest of a warm triage */
	/* a blame depends on the file's history, not only on its content: files
	 * with the same text (two footers) got each other's cached blame */
	"DROP TABLE blame_cache;"
	"CREATE TABLE blame_cache ("
	"  repo_id INTEGER NOT NULL, blob BLOB NOT NULL, path TEXT NOT NULL, owners TEXT NOT NULL,"
	"  PRIMARY KEY (repo_id, blob, path)"
	") WITHOUT ROWID;"
	"CREATE TABLE trace_maps ("
	"  repo_id INTEGER PRIMARY KEY REFERENCES repos(id),"
	"  tree BLOB NOT NULL,"
	"  data BLOB NOT NULL"
	");",
	/* 9: a repository's own calibration from `mahoraga calibrate --save`: the
	 * Platt mapping of its replays, which triage there uses instead of the one
	 * fitted on public repositories */
	"CREATE TABLE calibrations ("
	"  repo_id INTEGER PRIMARY KEY REFERENCES repos(id),"
	"  platt_a REAL NOT NULL, platt_b REAL NOT NULL,"
	"  fixes INTEGER NOT NULL, top1 REAL NOT NULL, ece REAL NOT NULL,"
	"  computed_at INTEGER NOT NULL"
	");",
	/* 10: how many files were risky, beside the rows saved (at most 200): the
	 * command center said nothing when it showed only the first 200 */
	"ALTER TABLE risk_meta ADD COLUMN risky INTEGER NOT NULL DEFAULT 0;",
	/* 11: which worker is triaging which issue, so that two on one database
	 * (the command center's and a `poll` elsewhere) never triage it twice */
	"CREATE TABLE issue_claims ("
	"  repo_id INTEGER NOT NULL REFERENCES repos(id),"
	"  number INTEGER NOT NULL,"
	"  etag TEXT,"
	"  holder TEXT NOT NULL,"
	"  expires_at INTEGER NOT NULL,"
	"  PRIMARY KEY (repo_id, number)"
	");",
	/* 12: GitHub webhook deliveries already ingested, by X-GitHub-Delivery */
	"CREATE TABLE webhook_deliveries ("
	"  id TEXT PRIMARY KEY,"
	"  event TEXT,"
	"  received_at INTEGER NOT NULL"
	");",
	/* 13: where polling a repository's issues on GitHub stands: the ETag of the
	 * last first page (an idle poll is a 304) and the latest update seen */
	"CREATE TABLE github_polls ("
	"  repo_id INTEGER PRIMARY KEY REFERENCES repos(id),"
	"  etag TEXT,"
	"  since TEXT,"
	"  wait_until INTEGER NOT NULL DEFAULT 0"
	");",
	/* 14: GitHub logins learnt for git e-mails from the API (a commit of
	 * theirs, as GitHub reports its author): a cache, not team membership,
	 * which is the users table's; login NULL when GitHub knew none */
	"CREATE TABLE github_logins ("
	"  email TEXT PRIMARY KEY,"
	"  login TEXT,"
	"  checked_at INTEGER NOT NULL"
	");",
	/* 15: each outside service as the workers last found it: its breaker,
	 * its rate limit, its last error (what the status line shows) */
	"CREATE TABLE services ("
	"  name TEXT PRIMARY KEY,"
	"  failures INTEGER NOT NULL DEFAULT 0,"
	"  open_until INTEGER NOT NULL DEFAULT 0,"
	"  probing INTEGER NOT NULL DEFAULT 0,"
	"  rate_remaining INTEGER,"
	"  rate_reset INTEGER,"
	"  last_error TEXT,"
	"  error_at INTEGER,"
	"  updated_at INTEGER NOT NULL"
	");",
	/* 16: who is sending an action (a worker, as issue claims name it), so
	 * that a dead one's are taken back at once, not after the lease */
	"ALTER TABLE actions ADD COLUMN holder TEXT;",
	/* 17: why the last poll of a repository on GitHub failed (no access, no
	 * such repository...), for its row on screen; NULL once one succeeds */
	"ALTER TABLE github_polls ADD COLUMN error TEXT;",
	/* 18: how long a secondary limit was last waited out (it doubles) */
	"ALTER TABLE services ADD COLUMN backoff INTEGER NOT NULL DEFAULT 0;",
	/* 19: when a service's outage began (0: it answers), and the outage
	 * whose start the administrators were told of (once per outage) */
	"ALTER TABLE services ADD COLUMN down_since INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE services ADD COLUMN told_down INTEGER NOT NULL DEFAULT 0;",
	/* 20: where a person wants notifications by e-mail (NULL: their first
	 * git e-mail that is not GitHub's noreply) */
	"ALTER TABLE users ADD COLUMN notify_email TEXT;",
	/* 21: spells a language model proposed (no spell matched an error), kept
	 * for a person to accept into their spells or reject; never used before */
	"CREATE TABLE spell_proposals ("
	"  id INTEGER PRIMARY KEY,"
	"  spell_id TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  issue_id INTEGER REFERENCES issues(id) ON DELETE SET NULL,"
	"  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'rejected')),"
	"  created_at INTEGER NOT NULL,"
	"  decided_at INTEGER,"
	"  UNIQUE (spell_id, text)"
	");",
};
