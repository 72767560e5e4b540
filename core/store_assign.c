/* store_assign: who has which issue, with the history of every change. */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xalloc.h"

void store_assignment_init(store_assignment *a)
{
	memset(a, 0, sizeof(*a));
}

void store_assignment_free(store_assignment *a)
{
	free(a->assignee_email);
	free(a->reasoning);
	free(a->status);
	free(a->note);
	store_assignment_init(a);
}

int store_was_assigned(store *s, int64_t issue_id, const char *email)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM assignments WHERE issue_id = ?1 "
					 "AND assignee_email = lower(?2) LIMIT 1");
	if (!st || store_bind_int64(s, st, 1, issue_id) < 0 || store_bind_text(s, st, 2, email) < 0)
		return -1;
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : store_fail_db(s, "reading assignments");
}

static int assign_txn(store *s, void *arg)
{
	store_assignment *a = arg;
	/* Checked inside the write lock so that two workers cannot both pass it.
	 * Whoever has the issue now keeps it: a decision that names them again
	 * (an edit triaged again, another worker's decision) is no reassignment */
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM assignments WHERE issue_id = ?1 AND status = 'assigned' "
					 "AND assignee_email = lower(?2)");
	if (!st || store_bind_int64(s, st, 1, a->issue_id) < 0 || store_bind_text(s, st, 2, a->assignee_email) < 0)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		a->id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return store_fail_db(s, "reading assignments");
	int had = a->by_hand ? 0 : store_was_assigned(s, a->issue_id, a->assignee_email);
	if (had < 0)
		return -1;
	if (had)
		return store_fail(s, STORE_ELOOP, "%s already had this issue: not assigning it again",
				  a->assignee_email);

	int64_t now = (int64_t)time(NULL);
	st = store_stmt(s, "UPDATE assignments SET status = 'reassigned', "
					 "updated_at = ?2 WHERE issue_id = ?1 AND status = 'assigned'");
	if (!st || store_bind_int64(s, st, 1, a->issue_id) < 0 ||
	    store_bind_int64(s, st, 2, now) < 0 ||
	    store_exec_stmt(s, st, "closing the previous assignment") < 0)
		return -1;

	if (!a->created_at)
		a->created_at = now;
	a->updated_at = a->created_at;
	st = store_stmt(s, "INSERT INTO assignments (issue_id, decision_id, assignee_email, "
			   "confidence, reasoning, status, note, created_at, updated_at) VALUES "
			   "(?1, ?2, lower(?3), ?4, ?5, 'assigned', ?6, ?7, ?7)");
	if (!st || store_bind_int64(s, st, 1, a->issue_id) < 0)
		return -1;
	if ((a->decision_id ? store_bind_int64(s, st, 2, a->decision_id)
			    : store_bind_text(s, st, 2, NULL)) < 0)
		return -1;
	if (store_bind_text(s, st, 3, a->assignee_email) < 0 ||
	    store_bind_double(s, st, 4, a->confidence) < 0 ||
	    store_bind_text(s, st, 5, a->reasoning ? a->reasoning : "") < 0 ||
	    store_bind_text(s, st, 6, a->note) < 0 || store_bind_int64(s, st, 7, a->created_at) < 0)
		return -1;
	if (store_exec_stmt(s, st, "recording an assignment") < 0)
		return -1;
	a->id = sqlite3_last_insert_rowid(s->db);
	free(a->status);
	a->status = xstrdup("assigned");
	return 0;
}

int store_assign(store *s, store_assignment *a)
{
	if (!a->assignee_email || !*a->assignee_email)
		return store_fail(s, STORE_EDB, "an assignment needs an assignee");
	return store_transaction(s, assign_txn, a);
}

int store_assignment_complete(store *s, int64_t issue_id)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE assignments SET status = 'completed', "
					 "updated_at = ?2 WHERE issue_id = ?1 AND status = 'assigned'");
	if (!st || store_bind_int64(s, st, 1, issue_id) < 0 ||
	    store_bind_int64(s, st, 2, (int64_t)time(NULL)) < 0 ||
	    store_exec_stmt(s, st, "completing an assignment") < 0)
		return -1;
	return sqlite3_changes(s->db) > 0 ? 1 : 0;
}

int store_unassign(store *s, int64_t issue_id, const char *note)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE assignments SET status = 'reassigned', "
					 "note = coalesce(?3, note), updated_at = ?2 "
					 "WHERE issue_id = ?1 AND status = 'assigned'");
	if (!st || store_bind_int64(s, st, 1, issue_id) < 0 ||
	    store_bind_int64(s, st, 2, (int64_t)time(NULL)) < 0 || store_bind_text(s, st, 3, note) < 0 ||
	    store_exec_stmt(s, st, "closing an assignment") < 0)
		return -1;
	return sqlite3_changes(s->db) > 0 ? 1 : 0;
}

int store_assignment_open(store *s, int64_t issue_id, store_assignment *out)
{
	store_assignments all;
	if (store_assignment_history(s, issue_id, &all) < 0)
		return -1;
	int found = 0;
	for (size_t i = all.n; i-- > 0;)
		if (strcmp(all.v[i].status, "assigned") == 0) {
			store_assignment_free(out);
			*out = all.v[i];
			store_assignment_init(&all.v[i]);
			found = 1;
			break;
		}
	store_assignments_free(&all);
	return found;
}

int store_assignment_history(store *s, int64_t issue_id, store_assignments *out)
{
	out->v = NULL;
	out->n = 0;
	sqlite3_stmt *st = store_stmt(s,
		"SELECT id, issue_id, decision_id, assignee_email, confidence, reasoning, status, "
		"note, created_at, updated_at FROM assignments WHERE issue_id = ?1 ORDER BY id");
	if (!st || store_bind_int64(s, st, 1, issue_id) < 0)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_assignment *a = store_list_push((void **)&out->v, &out->n, sizeof(*a));
		a->id = sqlite3_column_int64(st, 0);
		a->issue_id = sqlite3_column_int64(st, 1);
		a->decision_id = sqlite3_column_int64(st, 2);
		a->assignee_email = store_col_str(st, 3);
		a->confidence = sqlite3_column_double(st, 4);
		a->reasoning = store_col_str(st, 5);
		a->status = store_col_str(st, 6);
		a->note = store_col_str(st, 7);
		a->created_at = sqlite3_column_int64(st, 8);
		a->updated_at = sqlite3_column_int64(st, 9);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_assignments_free(out);
		return store_fail_db(s, "reading assignment history");
	}
	return 0;
}

void store_assignments_free(store_assignments *list)
{
	for (size_t i = 0; i < list->n; i++)
		store_assignment_free(&list->v[i]);
	free(list->v);
	list->v = NULL;
	list->n = 0;
}

int store_workload(store *s, const char *email, int *count)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM assignments "
					 "WHERE assignee_email = lower(?1) AND status = 'assigned'");
	if (!st || store_bind_text(s, st, 1, email) < 0)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		store_fail_db(s, "counting a workload");
		sqlite3_reset(st);
		return -1;
	}
	*count = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return 0;
}
