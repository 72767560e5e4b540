/* store_calibration: a repository's own Platt mapping from its replays. */
#include "store_internal.h"

#include <string.h>
#include <time.h>

int store_calibration_save(store *s, int64_t repo_id, double a, double b, size_t fixes, double top1,
			   double ece)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO calibrations (repo_id, platt_a, platt_b, "
				      "fixes, top1, ece, computed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!st || store_bind_int64(s, st, 1, repo_id) < 0 || store_bind_double(s, st, 2, a) < 0 ||
	    store_bind_double(s, st, 3, b) < 0 || store_bind_int64(s, st, 4, (int64_t)fixes) < 0 ||
	    store_bind_double(s, st, 5, top1) < 0 || store_bind_double(s, st, 6, ece) < 0 ||
	    store_bind_int64(s, st, 7, (int64_t)time(NULL)) < 0)
		return -1;
	return store_exec_stmt(s, st, "saving the calibration");
}

int store_calibration_get(store *s, int64_t repo_id, store_calibration *out)
{
	memset(out, 0, sizeof(*out));
	sqlite3_stmt *st = store_stmt(s, "SELECT platt_a, platt_b, fixes, top1, ece, computed_at "
				      "FROM calibrations WHERE repo_id = ?1");
	if (!st || store_bind_int64(s, st, 1, repo_id) < 0)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->platt_a = sqlite3_column_double(st, 0);
		out->platt_b = sqlite3_column_double(st, 1);
		out->fixes = sqlite3_column_int64(st, 2);
		out->top1 = sqlite3_column_double(st, 3);
		out->ece = sqlite3_column_double(st, 4);
		out->computed_at = sqlite3_column_int64(st, 5);
		out->repo_id = repo_id;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail_db(s, "reading the calibration");
	return rc == SQLITE_ROW;
}

int store_calibration_list(store *s, char ***slugs, store_calibration **out, size_t *n)
{
	*slugs = NULL;
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT r.slug, c.repo_id, c.platt_a, c.platt_b, c.fixes, c.top1, "
				      "c.ece, c.computed_at FROM calibrations c JOIN repos r ON r.id = c.repo_id "
				      "ORDER BY r.slug");
	if (!st)
		return -1;
	int rc;
	size_t ns = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char **slot = store_list_push((void **)slugs, &ns, sizeof(**slugs));
		*slot = store_col_str(st, 0);
		store_calibration *c = store_list_push((void **)out, n, sizeof(**out));
		c->repo_id = sqlite3_column_int64(st, 1);
		c->platt_a = sqlite3_column_double(st, 2);
		c->platt_b = sqlite3_column_double(st, 3);
		c->fixes = sqlite3_column_int64(st, 4);
		c->top1 = sqlite3_column_double(st, 5);
		c->ece = sqlite3_column_double(st, 6);
		c->computed_at = sqlite3_column_int64(st, 7);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail_db(s, "listing the calibrations");
	return 0;
}
