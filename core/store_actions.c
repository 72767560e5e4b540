/* store_actions: the outbox of actions towards GitHub and Slack, as a state machine
 * recorded before and after every attempt. */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

void store_action_init(store_action *a)
{
	memset(a, 0, sizeof(*a));
}

void store_action_free(store_action *a)
{
	free(a->kind);
	free(a->dedup_key);
	free(a->payload);
	free(a->state);
	free(a->result);
	free(a->last_error);
	store_action_init(a);
}

#define ACTION_COLS                                                                         \
	"id, issue_id, kind, dedup_key, payload, state, result, last_error, attempts, "     \
	"next_attempt_at, created_at, updated_at"

static int read_action(store *s, sqlite3_stmt *st, store_action *a)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? 0 : store_fail_db(s, "reading an action");
	}
	store_action_free(a);
	a->id = sqlite3_column_int64(st, 0);
	a->issue_id = sqlite3_column_int64(st, 1);
	a->kind = store_col_str(st, 2);
	a->dedup_key = store_col_str(st, 3);
	a->payload = store_col_str(st, 4);
	a->state = store_col_str(st, 5);
	a->result = store_col_str(st, 6);
	a->last_error = store_col_str(st, 7);
	a->attempts = sqlite3_column_int(st, 8);
	a->next_attempt_at = sqlite3_column_int64(st, 9);
	a->created_at = sqlite3_column_int64(st, 10);
	a->updated_at = sqlite3_column_int64(st, 11);
	sqlite3_reset(st);
	return 1;
}

int store_action_get(store *s, int64_t id, store_action *out)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " ACTION_COLS " FROM actions WHERE id = ?1");
	if (!st || store_bind_int64(s, st, 1, id) < 0)
		return -1;
	return read_action(s, st, out);
}

struct enqueue_args {
	store_action *a;
	int created;
};

static int enqueue_txn(store *s, void *arg)
{
	struct enqueue_args *e = arg;
	store_action *a = e->a;
	sqlite3_stmt *st = store_stmt(s, "SELECT " ACTION_COLS " FROM actions WHERE dedup_key = ?1");
	if (!st || store_bind_text(s, st, 1, a->dedup_key) < 0)
		return -1;
	int found = read_action(s, st, a);
	if (found != 0)
		return found < 0 ? -1 : 0;

	st = store_stmt(s, "INSERT INTO actions (issue_id, kind, dedup_key, payload, state, "
			   "attempts, next_attempt_at, created_at, updated_at) VALUES "
			   "(?1, ?2, ?3, ?4, 'pending', 0, ?5, ?5, ?5)");
	if (!st)
		return -1;
	if ((a->issue_id ? store_bind_int64(s, st, 1, a->issue_id)
			 : store_bind_text(s, st, 1, NULL)) < 0)
		return -1;
	if (store_bind_text(s, st, 2, a->kind) < 0 || store_bind_text(s, st, 3, a->dedup_key) < 0 ||
	    store_bind_text(s, st, 4, a->payload ? a->payload : "{}") < 0 ||
	    store_bind_int64(s, st, 5, a->created_at) < 0 ||
	    store_exec_stmt(s, st, "enqueueing an action") < 0)
		return -1;
	int64_t id = sqlite3_last_insert_rowid(s->db);
	if (store_action_get(s, id, a) != 1)
		return -1;
	e->created = 1;
	return 0;
}

int store_action_enqueue(store *s, store_action *a)
{
	if (!a->kind || !a->dedup_key)
		return store_fail(s, STORE_EDB, "an action needs a kind and a dedup key");
	if (!a->created_at)
		a->created_at = (int64_t)time(NULL);
	struct enqueue_args e = { a, 0 };
	if (store_transaction(s, enqueue_txn, &e) < 0)
		return -1;
	return e.created;
}

int store_action_next_due(store *s, int64_t now, const char *kind_prefix, store_action *out)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " ACTION_COLS " FROM actions WHERE state = "
					 "'pending' AND next_attempt_at <= ?1 "
					 "AND (?2 IS NULL OR substr(kind, 1, length(?2)) = ?2) "
					 "ORDER BY next_attempt_at, id LIMIT 1");
	if (!st || store_bind_int64(s, st, 1, now) < 0 || store_bind_text(s, st, 2, kind_prefix) < 0)
		return -1;
	return read_action(s, st, out);
}

/* Move action id from state `from` to `to`; fails with STORE_ESTATE if it was not
 * in `from`, so that two workers never both send it. */
static int transition(store *s, int64_t id, const char *from, const char *to,
		      const char *result, const char *error, int64_t next_at, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s,
		"UPDATE actions SET state = ?3, result = coalesce(?4, result), "
		"last_error = coalesce(?5, last_error), next_attempt_at = coalesce(?6, "
		"next_attempt_at), attempts = attempts + (?3 = 'sending'), updated_at = ?7 "
		"WHERE id = ?1 AND state = ?2");
	if (!st || store_bind_int64(s, st, 1, id) < 0 || store_bind_text(s, st, 2, from) < 0 ||
	    store_bind_text(s, st, 3, to) < 0 || store_bind_text(s, st, 4, result) < 0 ||
	    store_bind_text(s, st, 5, error) < 0)
		return -1;
	if ((next_at ? store_bind_int64(s, st, 6, next_at) : store_bind_text(s, st, 6, NULL)) < 0 ||
	    store_bind_int64(s, st, 7, now) < 0)
		return -1;
	if (store_exec_stmt(s, st, "updating an action") < 0)
		return -1;
	if (sqlite3_changes(s->db) == 0)
		return store_fail(s, STORE_ESTATE, "action %lld is not %s", (long long)id, from);
	return 0;
}

int store_action_begin(store *s, int64_t id, int64_t now, const char *holder)
{
	if (transition(s, id, "pending", "sending", NULL, NULL, 0, now) < 0)
		return -1;
	sqlite3_stmt *st = store_stmt(s, "UPDATE actions SET holder = ?2 WHERE id = ?1");
	if (!st || store_bind_int64(s, st, 1, id) < 0 || store_bind_text(s, st, 2, holder) < 0)
		return -1;
	return store_exec_stmt(s, st, "naming an action's sender");
}

int store_action_reap(store *s, bool (*dead)(const char *holder, void *arg), void *arg)
{
	return store_reap_holders(s, "SELECT DISTINCT holder FROM actions WHERE state = 'sending'",
				  "UPDATE actions SET state = 'pending', holder = NULL "
				  "WHERE state = 'sending' AND holder = ?1",
				  dead, arg);
}

int store_action_done(store *s, int64_t id, const char *result, int64_t now)
{
	return transition(s, id, "sending", "done", result ? result : "", NULL, 0, now);
}

int store_action_failed(store *s, int64_t id, const char *error, int64_t retry_at, int64_t now)
{
	return transition(s, id, "sending", retry_at ? "pending" : "failed", NULL,
			  error ? error : "unknown error", retry_at, now);
}

int store_action_requeue_stale(store *s, int64_t before, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE actions SET state = 'pending', next_attempt_at = ?2, updated_at = ?2 "
					 "WHERE state = 'sending' AND updated_at < ?1");
	if (!st || store_bind_int64(s, st, 1, before) < 0 || store_bind_int64(s, st, 2, now) < 0 ||
	    store_exec_stmt(s, st, "taking back actions a worker left") < 0)
		return -1;
	return sqlite3_changes(s->db);
}

int store_action_count(store *s, int64_t issue_id, const char *kind, int *count)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM actions WHERE issue_id = ?1 AND kind = ?2");
	if (!st || store_bind_int64(s, st, 1, issue_id) < 0 || store_bind_text(s, st, 2, kind) < 0)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		store_fail_db(s, "counting an issue's actions");
		sqlite3_reset(st);
		return -1;
	}
	*count = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return 0;
}

int store_action_last_result(store *s, int64_t issue_id, const char *kind, char **result)
{
	*result = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT result FROM actions WHERE issue_id = ?1 AND kind = ?2 "
					 "AND state = 'done' ORDER BY id DESC LIMIT 1");
	if (!st || store_bind_int64(s, st, 1, issue_id) < 0 || store_bind_text(s, st, 2, kind) < 0)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*result = store_col_str(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail_db(s, "reading an action's result");
	return rc == SQLITE_ROW;
}
