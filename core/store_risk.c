/* store_risk: the bus factor's risky files, saved with the history index. */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

void store_risk_row_free(store_risk_row *row)
{
	free(row->repo);
	free(row->path);
	free(row->owner);
	free(row->partner);
	memset(row, 0, sizeof(*row));
}

void store_risk_free(store_risk *r)
{
	for (size_t i = 0; i < r->n; i++)
		store_risk_row_free(&r->v[i]);
	free(r->v);
	for (size_t i = 0; i < r->nrepos; i++)
		free(r->repos[i]);
	free(r->repos);
	free(r->risky);
	memset(r, 0, sizeof(*r));
}

int store_risk_key(store *s, int64_t repo_id, char **key)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT key FROM risk_meta WHERE repo_id = ?1");
	if (!st || store_bind_int64(s, st, 1, repo_id) < 0)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*key = store_col_str(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail_db(s, "reading the saved bus factor");
	return rc == SQLITE_ROW;
}

struct save_job {
	int64_t repo_id;
	const char *key;
	size_t truck_factor, risky;
	const store_risk *r;
};

static int save(store *s, void *arg)
{
	const struct save_job *j = arg;
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM risk_files WHERE repo_id = ?1");
	if (!st || store_bind_int64(s, st, 1, j->repo_id) < 0 ||
	    store_exec_stmt(s, st, "saving the bus factor") < 0)
		return -1;
	for (size_t i = 0; i < j->r->n; i++) {
		const store_risk_row *row = &j->r->v[i];
		st = store_stmt(s, "INSERT INTO risk_files (repo_id, rank, path, owner, partner, share, "
			       "critical) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
		if (!st || store_bind_int64(s, st, 1, j->repo_id) < 0 ||
		    store_bind_int64(s, st, 2, (int64_t)i) < 0 ||
		    store_bind_text(s, st, 3, row->path) < 0 ||
		    store_bind_text(s, st, 4, row->owner) < 0 ||
		    store_bind_text(s, st, 5, row->partner) < 0 ||
		    store_bind_double(s, st, 6, row->share) < 0 ||
		    store_bind_int64(s, st, 7, row->critical) < 0 ||
		    store_exec_stmt(s, st, "saving the bus factor") < 0)
			return -1;
	}
	st = store_stmt(s, "INSERT OR REPLACE INTO risk_meta (repo_id, key, truck_factor, computed_at, risky) "
		       "VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!st || store_bind_int64(s, st, 1, j->repo_id) < 0 || store_bind_text(s, st, 2, j->key) < 0 ||
	    store_bind_int64(s, st, 3, (int64_t)j->truck_factor) < 0 ||
	    store_bind_int64(s, st, 4, (int64_t)time(NULL)) < 0 ||
	    store_bind_int64(s, st, 5, (int64_t)j->risky) < 0)
		return -1;
	return store_exec_stmt(s, st, "saving the bus factor");
}

int store_risk_save(store *s, int64_t repo_id, const char *key, size_t truck_factor,
		    size_t risky, const store_risk *r)
{
	struct save_job j = { repo_id, key, truck_factor, risky, r };
	return store_transaction(s, save, &j);
}

int store_risk_load(store *s, store_risk *out)
{
	memset(out, 0, sizeof(*out));
	sqlite3_stmt *st = store_stmt(s,
		"SELECT r.slug, f.path, f.owner, f.partner, f.share, f.critical "
		"FROM risk_files f JOIN repos r ON r.id = f.repo_id ORDER BY r.slug, f.rank");
	if (!st)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_risk_row *row = store_list_push((void **)&out->v, &out->n, sizeof(*out->v));
		row->repo = store_col_str(st, 0);
		row->path = store_col_str(st, 1);
		row->owner = store_col_str(st, 2);
		row->partner = store_col_str(st, 3);
		row->share = sqlite3_column_double(st, 4);
		row->critical = sqlite3_column_int(st, 5) != 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_risk_free(out);
		return store_fail_db(s, "reading the saved bus factor");
	}
	/* how many were risky in all, per repository: the rows are the first ones */
	st = store_stmt(s, "SELECT r.slug, m.risky FROM risk_meta m JOIN repos r ON r.id = m.repo_id ORDER BY r.slug");
	if (!st) {
		store_risk_free(out);
		return -1;
	}
	size_t nr = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char **slot = store_list_push((void **)&out->repos, &nr, sizeof(*out->repos));
		*slot = store_col_str(st, 0);
		size_t *count = store_list_push((void **)&out->risky, &out->nrepos, sizeof(*out->risky));
		*count = (size_t)sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_risk_free(out);
		return store_fail_db(s, "reading the saved bus factor");
	}
	return 0;
}
