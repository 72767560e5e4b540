/* store_issues: repositories, their issues, and the triage decisions about them. */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int store_repo_ensure(store *s, const char *slug, int64_t *id)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO repos (slug, created_at) VALUES (?1, ?2) "
					 "ON CONFLICT (slug) DO NOTHING");
	if (!st || store_bind_text(s, st, 1, slug) < 0 ||
	    store_bind_int64(s, st, 2, (int64_t)time(NULL)) < 0 ||
	    store_exec_stmt(s, st, "saving a repository") < 0)
		return -1;
	st = store_stmt(s, "SELECT id FROM repos WHERE slug = ?1");
	if (!st || store_bind_text(s, st, 1, slug) < 0)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		store_fail_db(s, "reading a repository");
		sqlite3_reset(st);
		return -1;
	}
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int store_repo_slug(store *s, int64_t id, char **slug)
{
	*slug = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT slug FROM repos WHERE id = ?1");
	if (!st || store_bind_int64(s, st, 1, id) < 0)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*slug = store_col_str(st, 0);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : store_fail_db(s, "reading a repository");
}

void store_issue_init(store_issue *i)
{
	memset(i, 0, sizeof(*i));
}

void store_issue_free(store_issue *i)
{
	free(i->title);
	free(i->body);
	free(i->state);
	free(i->url);
	free(i->author);
	free(i->etag);
	store_issue_init(i);
}

int store_issue_save(store *s, store_issue *i)
{
	int64_t now = (int64_t)time(NULL);
	if (!i->created_at)
		i->created_at = now;
	if (!i->updated_at)
		i->updated_at = i->created_at;
	sqlite3_stmt *st = store_stmt(s,
		"INSERT INTO issues (repo_id, number, title, body, state, url, author, etag, "
		"created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
		"ON CONFLICT (repo_id, number) DO UPDATE SET title = ?3, body = ?4, state = ?5, "
		"url = ?6, author = ?7, etag = ?8, updated_at = ?10 RETURNING id");
	if (!st || store_bind_int64(s, st, 1, i->repo_id) < 0 ||
	    store_bind_int64(s, st, 2, i->number) < 0 ||
	    store_bind_text(s, st, 3, i->title ? i->title : "") < 0 ||
	    store_bind_text(s, st, 4, i->body ? i->body : "") < 0 ||
	    store_bind_text(s, st, 5, i->state ? i->state : "open") < 0 ||
	    store_bind_text(s, st, 6, i->url) < 0 || store_bind_text(s, st, 7, i->author) < 0 ||
	    store_bind_text(s, st, 8, i->etag) < 0 ||
	    store_bind_int64(s, st, 9, i->created_at) < 0 ||
	    store_bind_int64(s, st, 10, i->updated_at) < 0)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		store_fail_db(s, "saving an issue");
		sqlite3_reset(st);
		return -1;
	}
	i->id = sqlite3_column_int64(st, 0);
	/* Step to the end so the statement's write is complete before reset. */
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail_db(s, "saving an issue");
}

static int read_issue(store *s, sqlite3_stmt *st, store_issue *out)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? 0 : store_fail_db(s, "reading an issue");
	}
	store_issue_free(out);
	out->id = sqlite3_column_int64(st, 0);
	out->repo_id = sqlite3_column_int64(st, 1);
	out->number = sqlite3_column_int(st, 2);
	out->title = store_col_str(st, 3);
	out->body = store_col_str(st, 4);
	out->state = store_col_str(st, 5);
	out->url = store_col_str(st, 6);
	out->author = store_col_str(st, 7);
	out->etag = store_col_str(st, 8);
	out->created_at = sqlite3_column_int64(st, 9);
	out->updated_at = sqlite3_column_int64(st, 10);
	sqlite3_reset(st);
	return 1;
}

int store_issue_get(store *s, int64_t repo_id, int number, store_issue *out)
{
	sqlite3_stmt *st = store_stmt(s,
		"SELECT id, repo_id, number, title, body, state, url, author, etag, created_at, "
		"updated_at FROM issues WHERE repo_id = ?1 AND number = ?2");
	if (!st || store_bind_int64(s, st, 1, repo_id) < 0 ||
	    store_bind_int64(s, st, 2, number) < 0)
		return -1;
	return read_issue(s, st, out);
}

int store_issue_by_id(store *s, int64_t id, store_issue *out)
{
	sqlite3_stmt *st = store_stmt(s,
		"SELECT id, repo_id, number, title, body, state, url, author, etag, created_at, "
		"updated_at FROM issues WHERE id = ?1");
	if (!st || store_bind_int64(s, st, 1, id) < 0)
		return -1;
	return read_issue(s, st, out);
}

void store_decision_init(store_decision *d)
{
	memset(d, 0, sizeof(*d));
}

void store_decision_free(store_decision *d)
{
	char **strs[] = { &d->language, &d->error_type, &d->error_message, &d->stack_trace,
			  &d->fingerprint, &d->affected_files, &d->root_cause, &d->explanation,
			  &d->reasoning, &d->route, &d->assignee_email, &d->draft_branch,
			  &d->draft_url, &d->draft_diff, &d->timings, &d->full_json };
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		free(*strs[i]);
	store_decision_init(d);
}

int store_decision_record(store *s, store_decision *d)
{
	if (!d->created_at)
		d->created_at = (int64_t)time(NULL);
	sqlite3_stmt *st = store_stmt(s,
		"INSERT INTO decisions (issue_id, created_at, language, error_type, "
		"error_message, stack_trace, fingerprint, affected_files, root_cause, "
		"explanation, reasoning, confidence, route, assignee_email, draft_branch, "
		"draft_url, draft_diff, processing_ms, timings, full_json) VALUES (?1, ?2, ?3, "
		"?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)");
	if (!st || store_bind_int64(s, st, 1, d->issue_id) < 0 ||
	    store_bind_int64(s, st, 2, d->created_at) < 0 ||
	    store_bind_text(s, st, 3, d->language) < 0 ||
	    store_bind_text(s, st, 4, d->error_type) < 0 ||
	    store_bind_text(s, st, 5, d->error_message) < 0 ||
	    store_bind_text(s, st, 6, d->stack_trace) < 0 ||
	    store_bind_text(s, st, 7, d->fingerprint) < 0 ||
	    store_bind_text(s, st, 8, d->affected_files) < 0 ||
	    store_bind_text(s, st, 9, d->root_cause) < 0 ||
	    store_bind_text(s, st, 10, d->explanation) < 0 ||
	    store_bind_text(s, st, 11, d->reasoning ? d->reasoning : "") < 0 ||
	    store_bind_double(s, st, 12, d->confidence) < 0 ||
	    store_bind_text(s, st, 13, d->route) < 0 ||
	    store_bind_text(s, st, 14, d->assignee_email) < 0 ||
	    store_bind_text(s, st, 15, d->draft_branch) < 0 ||
	    store_bind_text(s, st, 16, d->draft_url) < 0 ||
	    store_bind_text(s, st, 17, d->draft_diff) < 0 ||
	    store_bind_int64(s, st, 18, d->processing_ms) < 0 ||
	    store_bind_text(s, st, 19, d->timings) < 0 ||
	    store_bind_text(s, st, 20, d->full_json) < 0)
		return -1;
	if (store_exec_stmt(s, st, "recording a decision") < 0)
		return -1;
	d->id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

#define DECISION_COLS                                                                       \
	"id, issue_id, created_at, language, error_type, error_message, stack_trace, "      \
	"fingerprint, affected_files, root_cause, explanation, reasoning, confidence, "     \
	"route, assignee_email, draft_branch, draft_url, draft_diff, processing_ms, "       \
	"timings, full_json"

static int read_decision(store *s, sqlite3_stmt *st, store_decision *d)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? 0 : store_fail_db(s, "reading a decision");
	}
	store_decision_free(d);
	d->id = sqlite3_column_int64(st, 0);
	d->issue_id = sqlite3_column_int64(st, 1);
	d->created_at = sqlite3_column_int64(st, 2);
	d->language = store_col_str(st, 3);
	d->error_type = store_col_str(st, 4);
	d->error_message = store_col_str(st, 5);
	d->stack_trace = store_col_str(st, 6);
	d->fingerprint = store_col_str(st, 7);
	d->affected_files = store_col_str(st, 8);
	d->root_cause = store_col_str(st, 9);
	d->explanation = store_col_str(st, 10);
	d->reasoning = store_col_str(st, 11);
	d->confidence = sqlite3_column_double(st, 12);
	d->route = store_col_str(st, 13);
	d->assignee_email = store_col_str(st, 14);
	d->draft_branch = store_col_str(st, 15);
	d->draft_url = store_col_str(st, 16);
	d->draft_diff = store_col_str(st, 17);
	d->processing_ms = sqlite3_column_int64(st, 18);
	d->timings = store_col_str(st, 19);
	d->full_json = store_col_str(st, 20);
	sqlite3_reset(st);
	return 1;
}

int store_decision_get(store *s, int64_t id, store_decision *out)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " DECISION_COLS " FROM decisions WHERE id = ?1");
	if (!st || store_bind_int64(s, st, 1, id) < 0)
		return -1;
	return read_decision(s, st, out);
}

int store_decision_latest(store *s, int64_t issue_id, store_decision *out)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " DECISION_COLS " FROM decisions "
					 "WHERE issue_id = ?1 ORDER BY id DESC LIMIT 1");
	if (!st || store_bind_int64(s, st, 1, issue_id) < 0)
		return -1;
	return read_decision(s, st, out);
}

struct claim_job {
	int64_t repo_id;
	int number;
	const char *etag, *holder;
	int lease_s;
	int claimed;
};

static int claim_txn(store *s, void *arg)
{
	struct claim_job *j = arg;
	int64_t now = (int64_t)time(NULL);
	j->claimed = 0;
	/* already triaged at this content */
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM issues WHERE repo_id = ?1 AND number = ?2 AND etag = ?3");
	if (!st || store_bind_int64(s, st, 1, j->repo_id) < 0 || store_bind_int64(s, st, 2, j->number) < 0 ||
	    store_bind_text(s, st, 3, j->etag) < 0)
		return -1;
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return store_fail_db(s, "reading an issue");
	/* someone else's claim that still holds */
	st = store_stmt(s, "SELECT 1 FROM issue_claims WHERE repo_id = ?1 AND number = ?2 AND holder <> ?3 "
			   "AND expires_at > ?4");
	if (!st || store_bind_int64(s, st, 1, j->repo_id) < 0 || store_bind_int64(s, st, 2, j->number) < 0 ||
	    store_bind_text(s, st, 3, j->holder) < 0 || store_bind_int64(s, st, 4, now) < 0)
		return -1;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return store_fail_db(s, "reading the claims");
	st = store_stmt(s, "INSERT OR REPLACE INTO issue_claims (repo_id, number, etag, holder, expires_at) "
			   "VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!st || store_bind_int64(s, st, 1, j->repo_id) < 0 || store_bind_int64(s, st, 2, j->number) < 0 ||
	    store_bind_text(s, st, 3, j->etag) < 0 || store_bind_text(s, st, 4, j->holder) < 0 ||
	    store_bind_int64(s, st, 5, now + j->lease_s) < 0 || store_exec_stmt(s, st, "claiming an issue") < 0)
		return -1;
	j->claimed = 1;
	return 0;
}

int store_issue_claim(store *s, int64_t repo_id, int number, const char *etag, const char *holder,
		      int lease_s)
{
	struct claim_job j = { repo_id, number, etag, holder, lease_s, 0 };
	if (store_transaction(s, claim_txn, &j) < 0)
		return -1;
	return j.claimed;
}

int store_issue_unclaim(store *s, int64_t repo_id, int number, const char *holder)
{
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM issue_claims WHERE repo_id = ?1 AND number = ?2 AND holder = ?3");
	if (!st || store_bind_int64(s, st, 1, repo_id) < 0 || store_bind_int64(s, st, 2, number) < 0 ||
	    store_bind_text(s, st, 3, holder) < 0)
		return -1;
	return store_exec_stmt(s, st, "giving up a claim");
}

int store_issue_done(store *s, int64_t issue_id, const char *etag)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE issues SET etag = ?2 WHERE id = ?1");
	if (!st || store_bind_int64(s, st, 1, issue_id) < 0 || store_bind_text(s, st, 2, etag) < 0 ||
	    store_exec_stmt(s, st, "marking an issue triaged") < 0)
		return -1;
	st = store_stmt(s, "DELETE FROM issue_claims WHERE (repo_id, number) = "
			   "(SELECT repo_id, number FROM issues WHERE id = ?1)");
	if (!st || store_bind_int64(s, st, 1, issue_id) < 0)
		return -1;
	return store_exec_stmt(s, st, "dropping a claim");
}

struct reap_job {
	const char *select, *release; /* the holders; what frees one holder's rows */
	bool (*dead)(const char *holder, void *arg);
	void *arg;
};

static int reap_txn(store *s, void *arg)
{
	const struct reap_job *j = arg;
	char **holders = NULL;
	size_t n = 0;
	sqlite3_stmt *st = store_stmt(s, j->select);
	if (!st)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char **slot = store_list_push((void **)&holders, &n, sizeof(*holders));
		*slot = store_col_str(st, 0);
	}
	sqlite3_reset(st);
	int out = rc == SQLITE_DONE ? 0 : store_fail_db(s, "reading the holders");
	for (size_t i = 0; i < n; i++) {
		if (out == 0 && holders[i] && j->dead(holders[i], j->arg)) {
			st = store_stmt(s, j->release);
			if (!st || store_bind_text(s, st, 1, holders[i]) < 0 ||
			    store_exec_stmt(s, st, "freeing a dead worker's rows") < 0)
				out = -1;
		}
		free(holders[i]);
	}
	free(holders);
	return out;
}

int store_reap_holders(store *s, const char *select, const char *release,
		       bool (*dead)(const char *holder, void *arg), void *arg)
{
	struct reap_job j = { select, release, dead, arg };
	return store_transaction(s, reap_txn, &j);
}

int store_issue_claims_reap(store *s, bool (*dead)(const char *holder, void *arg), void *arg)
{
	return store_reap_holders(s, "SELECT DISTINCT holder FROM issue_claims",
				  "DELETE FROM issue_claims WHERE holder = ?1", dead, arg);
}

int store_delivery_first(store *s, const char *id, const char *event)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT OR IGNORE INTO webhook_deliveries (id, event, received_at) "
					 "VALUES (?1, ?2, ?3)");
	if (!st || store_bind_text(s, st, 1, id) < 0 || store_bind_text(s, st, 2, event) < 0 ||
	    store_bind_int64(s, st, 3, (int64_t)time(NULL)) < 0 ||
	    store_exec_stmt(s, st, "remembering a webhook delivery") < 0)
		return -1;
	return sqlite3_changes(s->db) > 0;
}

int store_github_poll_get(store *s, int64_t repo_id, char **etag, char **since, int64_t *wait_until)
{
	*etag = *since = NULL;
	*wait_until = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT etag, since, wait_until FROM github_polls WHERE repo_id = ?1");
	if (!st || store_bind_int64(s, st, 1, repo_id) < 0)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*etag = store_col_str(st, 0);
		*since = store_col_str(st, 1);
		*wait_until = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail_db(s, "reading where polling GitHub stands");
}

int store_github_poll_set(store *s, int64_t repo_id, const char *etag, const char *since)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO github_polls (repo_id, etag, since) VALUES (?1, ?2, ?3) "
					 "ON CONFLICT (repo_id) DO UPDATE SET etag = ?2, since = ?3");
	if (!st || store_bind_int64(s, st, 1, repo_id) < 0 || store_bind_text(s, st, 2, etag) < 0 ||
	    store_bind_text(s, st, 3, since) < 0)
		return -1;
	return store_exec_stmt(s, st, "saving where polling GitHub stands");
}

int store_github_poll_wait(store *s, int64_t repo_id, int64_t until)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO github_polls (repo_id, wait_until) VALUES (?1, ?2) "
					 "ON CONFLICT (repo_id) DO UPDATE SET wait_until = ?2");
	if (!st || store_bind_int64(s, st, 1, repo_id) < 0 || store_bind_int64(s, st, 2, until) < 0)
		return -1;
	return store_exec_stmt(s, st, "saving when to ask GitHub again");
}

int store_github_poll_error(store *s, int64_t repo_id, const char *error)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO github_polls (repo_id, error) VALUES (?1, ?2) "
					 "ON CONFLICT (repo_id) DO UPDATE SET error = ?2");
	if (!st || store_bind_int64(s, st, 1, repo_id) < 0 || store_bind_text(s, st, 2, error) < 0)
		return -1;
	return store_exec_stmt(s, st, "keeping why a poll failed");
}

int store_github_poll_error_of(store *s, const char *slug, char **error)
{
	*error = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT p.error FROM github_polls p JOIN repos r ON r.id = p.repo_id "
					 "WHERE r.slug = ?1 AND p.error IS NOT NULL");
	if (!st || store_bind_text(s, st, 1, slug) < 0)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*error = store_col_str(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail_db(s, "reading why a poll failed");
	return rc == SQLITE_ROW;
}
