/* store_manual: manual triage actions and the worker's heartbeat (see store.h). */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xalloc.h"

void store_manual_init(store_manual *m)
{
	memset(m, 0, sizeof(*m));
}

void store_manual_free(store_manual *m)
{
	free(m->kind);
	free(m->assignee_email);
	free(m->reason);
	free(m->state);
	free(m->result);
	store_manual_init(m);
}

void store_manuals_free(store_manuals *list)
{
	for (size_t i = 0; i < list->n; i++)
		store_manual_free(&list->v[i]);
	free(list->v);
	list->v = NULL;
	list->n = 0;
}

int store_manual_add(store *s, store_manual *m)
{
	if (!m->created_at)
		m->created_at = (int64_t)time(NULL);
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO manual_actions (issue_id, kind, assignee_email, "
					 "reason, created_at) VALUES (?1, ?2, lower(?3), ?4, ?5)");
	if (!st || store_bind_int64(s, st, 1, m->issue_id) < 0 || store_bind_text(s, st, 2, m->kind) < 0 ||
	    store_bind_text(s, st, 3, m->assignee_email) < 0 || store_bind_text(s, st, 4, m->reason) < 0 ||
	    store_bind_int64(s, st, 5, m->created_at) < 0 ||
	    store_exec_stmt(s, st, "recording a manual action") < 0)
		return -1;
	m->id = sqlite3_last_insert_rowid(s->db);
	free(m->state);
	m->state = xstrdup("pending");
	return 0;
}

#define MANUAL_COLS "id, issue_id, kind, assignee_email, reason, state, result, created_at, done_at"

static void read_manual(sqlite3_stmt *st, store_manual *m)
{
	m->id = sqlite3_column_int64(st, 0);
	m->issue_id = sqlite3_column_int64(st, 1);
	m->kind = store_col_str(st, 2);
	m->assignee_email = store_col_str(st, 3);
	m->reason = store_col_str(st, 4);
	m->state = store_col_str(st, 5);
	m->result = store_col_str(st, 6);
	m->created_at = sqlite3_column_int64(st, 7);
	m->done_at = sqlite3_column_int64(st, 8);
}

static int read_list(store *s, sqlite3_stmt *st, store_manuals *out)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		read_manual(st, store_list_push((void **)&out->v, &out->n, sizeof(*out->v)));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_manuals_free(out);
		return store_fail_db(s, "reading manual actions");
	}
	return 0;
}

int store_manual_get(store *s, int64_t id, store_manual *out)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " MANUAL_COLS " FROM manual_actions WHERE id = ?1");
	if (!st || store_bind_int64(s, st, 1, id) < 0)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		store_manual_free(out);
		read_manual(st, out);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : store_fail_db(s, "reading a manual action");
}

int store_manual_pending(store *s, store_manuals *out)
{
	out->v = NULL;
	out->n = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT " MANUAL_COLS " FROM manual_actions "
					 "WHERE state = 'pending' ORDER BY id");
	return st ? read_list(s, st, out) : -1;
}

int store_manual_list(store *s, int64_t issue_id, store_manuals *out)
{
	out->v = NULL;
	out->n = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT " MANUAL_COLS " FROM manual_actions "
					 "WHERE issue_id = ?1 ORDER BY id");
	if (!st || store_bind_int64(s, st, 1, issue_id) < 0)
		return -1;
	return read_list(s, st, out);
}

int store_manual_finish(store *s, int64_t id, int ok, const char *result)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE manual_actions SET state = ?2, result = ?3, done_at = ?4 "
					 "WHERE id = ?1 AND state = 'pending'");
	if (!st || store_bind_int64(s, st, 1, id) < 0 || store_bind_text(s, st, 2, ok ? "done" : "failed") < 0 ||
	    store_bind_text(s, st, 3, result) < 0 || store_bind_int64(s, st, 4, (int64_t)time(NULL)) < 0 ||
	    store_exec_stmt(s, st, "finishing a manual action") < 0)
		return -1;
	return sqlite3_changes(s->db) > 0 ? 1 : 0;
}

int store_cycle_record(store *s, int64_t finished_at, size_t seen, size_t triaged, size_t bad_files,
		       size_t failed)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO worker_cycles (finished_at, seen, triaged, "
					 "bad_files, failed) VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!st || store_bind_int64(s, st, 1, finished_at) < 0 || store_bind_int64(s, st, 2, (int64_t)seen) < 0 ||
	    store_bind_int64(s, st, 3, (int64_t)triaged) < 0 ||
	    store_bind_int64(s, st, 4, (int64_t)bad_files) < 0 ||
	    store_bind_int64(s, st, 5, (int64_t)failed) < 0 || store_exec_stmt(s, st, "recording a cycle") < 0)
		return -1;
	/* a heartbeat, not a log: the last hundred are plenty */
	st = store_stmt(s, "DELETE FROM worker_cycles WHERE id <= (SELECT max(id) - 100 FROM worker_cycles)");
	return st ? store_exec_stmt(s, st, "trimming cycles") : -1;
}

int store_cycle_last(store *s, int64_t *finished_at)
{
	*finished_at = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(max(finished_at), 0) FROM worker_cycles");
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*finished_at = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : store_fail_db(s, "reading the last cycle");
}

int store_agreement(store *s, int kept[11], int of[11])
{
	for (int b = 0; b < 11; b++)
		kept[b] = of[b] = 0;
	/* each issue's first reaction, against the decision in force when it came */
	sqlite3_stmt *st = store_stmt(s,
		"SELECT d.confidence, m.kind FROM manual_actions m "
		"JOIN decisions d ON d.id = (SELECT id FROM decisions WHERE issue_id = m.issue_id "
		"  AND created_at <= m.created_at ORDER BY created_at DESC, id DESC LIMIT 1) "
		"WHERE m.state = 'done' AND m.kind IN ('accept', 'reassign', 'human') "
		"AND m.id = (SELECT MIN(id) FROM manual_actions WHERE issue_id = m.issue_id AND state = 'done' "
		"  AND kind IN ('accept', 'reassign', 'human')) "
		"AND d.assignee_email IS NOT NULL");
	if (!st)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		double c = sqlite3_column_double(st, 0);
		int b = c >= 100 ? 10 : c <= 0 ? 0 : (int)(c / 10);
		of[b]++;
		kept[b] += strcmp((const char *)sqlite3_column_text(st, 1), "accept") == 0;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail_db(s, "reading people's reactions");
}
