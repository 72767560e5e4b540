/* store_reports: what each report looked like, for grouping duplicates. */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

void store_report_init(store_report *r)
{
	memset(r, 0, sizeof(*r));
}

void store_report_free(store_report *r)
{
	free(r->fingerprint);
	free(r->content_hash);
	free(r->signature);
	free(r->relation);
	store_report_init(r);
}

int store_report_save(store *s, const store_report *r)
{
	sqlite3_stmt *st = store_stmt(s,
		"INSERT OR REPLACE INTO reports (issue_id, repo_id, reported_at, fingerprint, "
		"content_hash, signature, relation, duplicate_of, similarity) VALUES "
		"(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
	if (!st || store_bind_int64(s, st, 1, r->issue_id) < 0 ||
	    store_bind_int64(s, st, 2, r->repo_id) < 0 ||
	    store_bind_int64(s, st, 3, r->reported_at) < 0 ||
	    store_bind_text(s, st, 4, r->fingerprint) < 0 ||
	    store_bind_text(s, st, 5, r->content_hash ? r->content_hash : "") < 0 ||
	    store_bind_text(s, st, 6, r->signature) < 0 ||
	    store_bind_text(s, st, 7, r->relation ? r->relation : "new") < 0 ||
	    (r->duplicate_of ? store_bind_int64(s, st, 8, r->duplicate_of)
			     : store_bind_text(s, st, 8, NULL)) < 0 ||
	    store_bind_double(s, st, 9, r->similarity) < 0)
		return -1;
	return store_exec_stmt(s, st, "saving a report");
}

#define REPORT_COLUMNS \
	"issue_id, repo_id, reported_at, fingerprint, content_hash, signature, relation, " \
	"duplicate_of, similarity"

static void read_row(sqlite3_stmt *st, store_report *r)
{
	r->issue_id = sqlite3_column_int64(st, 0);
	r->repo_id = sqlite3_column_int64(st, 1);
	r->reported_at = sqlite3_column_int64(st, 2);
	r->fingerprint = store_col_str(st, 3);
	r->content_hash = store_col_str(st, 4);
	r->signature = store_col_str(st, 5);
	r->relation = store_col_str(st, 6);
	r->duplicate_of = sqlite3_column_int64(st, 7);
	r->similarity = sqlite3_column_double(st, 8);
}

int store_report_get(store *s, int64_t issue_id, store_report *out)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " REPORT_COLUMNS " FROM reports WHERE issue_id = ?1");
	if (!st || store_bind_int64(s, st, 1, issue_id) < 0)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_row(st, out);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail_db(s, "reading a report");
	return rc == SQLITE_ROW;
}

int store_reports_candidates(store *s, int64_t repo_id, int64_t issue_id,
			     const char *fingerprint, const char *content_hash, int64_t since,
			     size_t limit, store_reports *out)
{
	out->v = NULL;
	out->n = 0;
	sqlite3_stmt *st = store_stmt(s,
		"SELECT " REPORT_COLUMNS " FROM reports WHERE repo_id = ?1 AND issue_id != ?2 "
		"AND (fingerprint = ?3 OR content_hash = ?4 OR reported_at >= ?5) "
		"ORDER BY reported_at, issue_id LIMIT ?6");
	if (!st || store_bind_int64(s, st, 1, repo_id) < 0 ||
	    store_bind_int64(s, st, 2, issue_id) < 0 || store_bind_text(s, st, 3, fingerprint) < 0 ||
	    store_bind_text(s, st, 4, content_hash) < 0 || store_bind_int64(s, st, 5, since) < 0 ||
	    store_bind_int64(s, st, 6, (int64_t)limit) < 0)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		read_row(st, store_list_push((void **)&out->v, &out->n, sizeof(*out->v)));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_reports_free(out);
		return store_fail_db(s, "reading reports");
	}
	return 0;
}

void store_reports_free(store_reports *list)
{
	for (size_t i = 0; i < list->n; i++)
		store_report_free(&list->v[i]);
	free(list->v);
	list->v = NULL;
	list->n = 0;
}
