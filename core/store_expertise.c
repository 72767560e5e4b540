/* store_expertise: the expertise cache, keyed by repository, revision and path. */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

void store_expertise_free(store_expertise *e)
{
	free(e->rev);
	free(e->path);
	free(e->email);
	free(e->name);
	memset(e, 0, sizeof(*e));
}

int store_expertise_put(store *s, const store_expertise *e)
{
	sqlite3_stmt *st = store_stmt(s,
		"INSERT OR REPLACE INTO expertise_cache (repo_id, rev, path, email, name, score, "
		"decayed, commits, lines_owned, first_commit, last_commit, calculated_at) VALUES "
		"(?1, ?2, ?3, lower(?4), ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
	if (!st || store_bind_int64(s, st, 1, e->repo_id) < 0 ||
	    store_bind_text(s, st, 2, e->rev) < 0 || store_bind_text(s, st, 3, e->path) < 0 ||
	    store_bind_text(s, st, 4, e->email) < 0 || store_bind_text(s, st, 5, e->name) < 0 ||
	    store_bind_double(s, st, 6, e->score) < 0 ||
	    store_bind_double(s, st, 7, e->decayed) < 0 ||
	    store_bind_int64(s, st, 8, e->commits) < 0 ||
	    store_bind_int64(s, st, 9, e->lines_owned) < 0 ||
	    store_bind_int64(s, st, 10, e->first_commit) < 0 ||
	    store_bind_int64(s, st, 11, e->last_commit) < 0 ||
	    store_bind_int64(s, st, 12, e->calculated_at ? e->calculated_at : (int64_t)time(NULL)) < 0)
		return -1;
	return store_exec_stmt(s, st, "caching expertise");
}

/* The rows of st (the columns of expertise_cache in order) into out. */
static int read_rows(store *s, sqlite3_stmt *st, store_expertise_list *out)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_expertise *e = store_list_push((void **)&out->v, &out->n, sizeof(*e));
		e->repo_id = sqlite3_column_int64(st, 0);
		e->rev = store_col_str(st, 1);
		e->path = store_col_str(st, 2);
		e->email = store_col_str(st, 3);
		e->name = store_col_str(st, 4);
		e->score = sqlite3_column_double(st, 5);
		e->decayed = sqlite3_column_double(st, 6);
		e->commits = sqlite3_column_int(st, 7);
		e->lines_owned = sqlite3_column_int(st, 8);
		e->first_commit = sqlite3_column_int64(st, 9);
		e->last_commit = sqlite3_column_int64(st, 10);
		e->calculated_at = sqlite3_column_int64(st, 11);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_expertise_list_free(out);
		return store_fail_db(s, "reading the expertise cache");
	}
	return 0;
}

int store_expertise_get(store *s, int64_t repo_id, const char *rev, const char *path,
			store_expertise_list *out)
{
	out->v = NULL;
	out->n = 0;
	sqlite3_stmt *st = store_stmt(s,
		"SELECT repo_id, rev, path, email, name, score, decayed, commits, lines_owned, "
		"first_commit, last_commit, calculated_at FROM expertise_cache WHERE repo_id = ?1 "
		"AND rev = ?2 AND path = ?3 ORDER BY score DESC, email");
	if (!st || store_bind_int64(s, st, 1, repo_id) < 0 || store_bind_text(s, st, 2, rev) < 0 ||
	    store_bind_text(s, st, 3, path) < 0)
		return -1;
	return read_rows(s, st, out);
}

/* the knowers of the risky files share the cache's table under this rev */
#define KNOWERS_REV "bus factor"

struct knowers_job {
	int64_t repo_id;
	const store_expertise_list *all;
};

static int save_knowers(store *s, void *arg)
{
	const struct knowers_job *j = arg;
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM expertise_cache WHERE repo_id = ?1 AND rev = ?2");
	if (!st || store_bind_int64(s, st, 1, j->repo_id) < 0 || store_bind_text(s, st, 2, KNOWERS_REV) < 0 ||
	    store_exec_stmt(s, st, "saving who knows the risky files") < 0)
		return -1;
	for (size_t i = 0; i < j->all->n; i++) {
		store_expertise e = j->all->v[i];
		e.repo_id = j->repo_id;
		e.rev = (char *)KNOWERS_REV;
		if (store_expertise_put(s, &e) < 0)
			return -1;
	}
	return 0;
}

int store_risk_knowers_save(store *s, int64_t repo_id, const store_expertise_list *all)
{
	struct knowers_job j = { repo_id, all };
	return store_transaction(s, save_knowers, &j);
}

int store_risk_knowers(store *s, const char *slug, const char *path, store_expertise_list *out)
{
	out->v = NULL;
	out->n = 0;
	sqlite3_stmt *st = store_stmt(s,
		"SELECT e.repo_id, e.rev, e.path, e.email, e.name, e.score, e.decayed, e.commits, "
		"e.lines_owned, e.first_commit, e.last_commit, e.calculated_at FROM expertise_cache e "
		"JOIN repos r ON r.id = e.repo_id WHERE r.slug = ?1 AND e.rev = ?2 AND e.path = ?3 "
		"ORDER BY e.score DESC, e.email");
	if (!st || store_bind_text(s, st, 1, slug) < 0 || store_bind_text(s, st, 2, KNOWERS_REV) < 0 ||
	    store_bind_text(s, st, 3, path) < 0)
		return -1;
	return read_rows(s, st, out);
}

void store_expertise_list_free(store_expertise_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		store_expertise_free(&list->v[i]);
	free(list->v);
	list->v = NULL;
	list->n = 0;
}
