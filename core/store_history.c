/* store_history: the history index and the blame cache, saved per repository. */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history.h"
#include "xalloc.h"

static int bind_blob(store *s, sqlite3_stmt *st, int idx, const void *p, int n)
{
	return sqlite3_bind_blob(st, idx, p, n, SQLITE_TRANSIENT) == SQLITE_OK
		? 0 : store_fail_db(s, "binding a value");
}

static const char *const clear_sql[] = {
	"DELETE FROM history_commits WHERE repo_id = ?1",
	"DELETE FROM history_mainline WHERE repo_id = ?1",
	"DELETE FROM history_authors WHERE repo_id = ?1",
	"DELETE FROM history_paths WHERE repo_id = ?1",
	"DELETE FROM history_touches WHERE repo_id = ?1",
	"DELETE FROM history_meta WHERE repo_id = ?1",
};

struct save_job {
	int64_t repo_id;
	const history *h;
};

static int save(store *s, void *arg)
{
	const struct save_job *j = arg;
	const history *h = j->h;
	for (size_t i = 0; i < sizeof(clear_sql) / sizeof(*clear_sql); i++) {
		sqlite3_stmt *st = store_stmt(s, clear_sql[i]);
		if (!st || store_bind_int64(s, st, 1, j->repo_id) < 0 ||
		    store_exec_stmt(s, st, "clearing the history index") < 0)
			return -1;
	}
	sqlite3_stmt *st = store_stmt(s,
		"INSERT INTO history_commits (repo_id, idx, oid, time, author_time, author, mp, "
		"merge) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	for (size_t i = 0; i < h->ncommits; i++) {
		const history_commit *c = &h->commits[i];
		if (!st || store_bind_int64(s, st, 1, j->repo_id) < 0 ||
		    store_bind_int64(s, st, 2, (int64_t)i) < 0 ||
		    bind_blob(s, st, 3, c->oid.id, GIT_OID_RAWSZ) < 0 ||
		    store_bind_int64(s, st, 4, c->time) < 0 ||
		    store_bind_int64(s, st, 5, c->author_time) < 0 ||
		    store_bind_int64(s, st, 6, c->author) < 0 ||
		    store_bind_int64(s, st, 7, c->mp) < 0 ||
		    store_bind_int64(s, st, 8, c->merge) < 0 ||
		    store_exec_stmt(s, st, "saving the history index") < 0)
			return -1;
	}
	st = store_stmt(s, "INSERT INTO history_mainline (repo_id, pos, commit_idx) VALUES (?1, ?2, ?3)");
	for (size_t i = 0; i < h->nmainline; i++)
		if (!st || store_bind_int64(s, st, 1, j->repo_id) < 0 ||
		    store_bind_int64(s, st, 2, (int64_t)i) < 0 ||
		    store_bind_int64(s, st, 3, h->mainline[i]) < 0 ||
		    store_exec_stmt(s, st, "saving the history index") < 0)
			return -1;
	st = store_stmt(s, "INSERT INTO history_authors (repo_id, idx, email, name) VALUES (?1, ?2, ?3, ?4)");
	for (size_t i = 0; i < h->nauthors; i++)
		if (!st || store_bind_int64(s, st, 1, j->repo_id) < 0 ||
		    store_bind_int64(s, st, 2, (int64_t)i) < 0 ||
		    store_bind_text(s, st, 3, h->authors[i].email) < 0 ||
		    store_bind_text(s, st, 4, h->authors[i].name) < 0 ||
		    store_exec_stmt(s, st, "saving the history index") < 0)
			return -1;
	st = store_stmt(s, "INSERT INTO history_paths (repo_id, idx, path) VALUES (?1, ?2, ?3)");
	for (size_t i = 0; i < h->npaths; i++)
		if (!st || store_bind_int64(s, st, 1, j->repo_id) < 0 ||
		    store_bind_int64(s, st, 2, (int64_t)i) < 0 ||
		    store_bind_text(s, st, 3, h->paths[i]) < 0 ||
		    store_exec_stmt(s, st, "saving the history index") < 0)
			return -1;
	st = store_stmt(s,
		"INSERT INTO history_touches (repo_id, idx, file, commit_idx, path, blob, kind) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	for (size_t i = 0; i < h->ntouches; i++) {
		const history_touch *t = &h->touches[i];
		char kind[2] = { t->kind, '\0' };
		if (!st || store_bind_int64(s, st, 1, j->repo_id) < 0 ||
		    store_bind_int64(s, st, 2, (int64_t)i) < 0 ||
		    store_bind_int64(s, st, 3, t->file) < 0 ||
		    store_bind_int64(s, st, 4, t->commit) < 0 ||
		    store_bind_int64(s, st, 5, t->path) < 0 ||
		    bind_blob(s, st, 6, t->blob.id, GIT_OID_RAWSZ) < 0 ||
		    store_bind_text(s, st, 7, kind) < 0 ||
		    store_exec_stmt(s, st, "saving the history index") < 0)
			return -1;
	}
	st = store_stmt(s, "INSERT INTO history_meta (repo_id, tip, commits, updated_at) VALUES (?1, ?2, ?3, ?4)");
	if (!st || store_bind_int64(s, st, 1, j->repo_id) < 0 ||
	    bind_blob(s, st, 2, h->tip.id, GIT_OID_RAWSZ) < 0 ||
	    store_bind_int64(s, st, 3, (int64_t)h->ncommits) < 0 ||
	    store_bind_int64(s, st, 4, (int64_t)time(NULL)) < 0 ||
	    store_exec_stmt(s, st, "saving the history index") < 0)
		return -1;
	return 0;
}

int store_history_save(store *s, int64_t repo_id, const history *h)
{
	struct save_job j = { repo_id, h };
	return store_transaction(s, save, &j);
}

static void col_oid(sqlite3_stmt *st, int col, git_oid *out)
{
	memset(out, 0, sizeof(*out));
	if (sqlite3_column_bytes(st, col) == GIT_OID_RAWSZ)
		memcpy(out->id, sqlite3_column_blob(st, col), GIT_OID_RAWSZ);
}

/* Runs sql (bound to repo_id) and calls row for each result. */
static int each_row(store *s, const char *sql, int64_t repo_id,
		    void (*row)(sqlite3_stmt *st, history *h), history *h)
{
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st || store_bind_int64(s, st, 1, repo_id) < 0)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		row(st, h);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail_db(s, "reading the history index");
}

static void commit_row(sqlite3_stmt *st, history *h)
{
	history_commit *c = history_push((void **)&h->commits, &h->ncommits, &h->commits_alloc, sizeof(*c));
	col_oid(st, 0, &c->oid);
	c->time = sqlite3_column_int64(st, 1);
	c->author_time = sqlite3_column_int64(st, 2);
	c->author = (uint32_t)sqlite3_column_int64(st, 3);
	c->mp = (uint32_t)sqlite3_column_int64(st, 4);
	c->merge = sqlite3_column_int(st, 5) != 0;
}

static void mainline_row(sqlite3_stmt *st, history *h)
{
	uint32_t *m = history_push((void **)&h->mainline, &h->nmainline, &h->mainline_alloc, sizeof(*m));
	*m = (uint32_t)sqlite3_column_int64(st, 0);
}

static void author_row(sqlite3_stmt *st, history *h)
{
	history_author *a = history_push((void **)&h->authors, &h->nauthors, &h->authors_alloc, sizeof(*a));
	a->email = store_col_str(st, 0);
	a->name = store_col_str(st, 1);
}

static void path_row(sqlite3_stmt *st, history *h)
{
	char **p = history_push((void **)&h->paths, &h->npaths, &h->paths_alloc, sizeof(*p));
	*p = store_col_str(st, 0);
}

static void touch_row(sqlite3_stmt *st, history *h)
{
	history_touch *t = history_push((void **)&h->touches, &h->ntouches, &h->touches_alloc, sizeof(*t));
	t->file = (uint32_t)sqlite3_column_int64(st, 0);
	t->commit = (uint32_t)sqlite3_column_int64(st, 1);
	t->path = (uint32_t)sqlite3_column_int64(st, 2);
	col_oid(st, 3, &t->blob);
	const unsigned char *k = sqlite3_column_text(st, 4);
	t->kind = k ? (char)k[0] : HIST_MODIFY;
}

/* True if every index in h points inside h: the rows of one save, whole. */
static bool consistent(const history *h)
{
	for (size_t i = 0; i < h->ncommits; i++)
		if (h->commits[i].author >= h->nauthors)
			return false;
	for (size_t i = 0; i < h->nmainline; i++)
		if (h->mainline[i] >= h->ncommits)
			return false;
	for (size_t i = 0; i < h->nauthors; i++)
		if (!h->authors[i].email || !h->authors[i].name)
			return false;
	for (size_t i = 0; i < h->npaths; i++)
		if (!h->paths[i])
			return false;
	/* a file id is never above the number of touches (each file has one) */
	for (size_t i = 0; i < h->ntouches; i++)
		if (h->touches[i].commit >= h->ncommits || h->touches[i].path >= h->npaths ||
		    h->touches[i].file >= h->ntouches)
			return false;
	return true;
}

struct load_job {
	int64_t repo_id;
	history *h;
	int found;
};

/* Inside one transaction, so that a save by another process is seen whole or
 * not at all. */
static int load(store *s, void *arg)
{
	struct load_job *j = arg;
	int64_t repo_id = j->repo_id;
	history *h = j->h;
	sqlite3_stmt *st = store_stmt(s, "SELECT tip FROM history_meta WHERE repo_id = ?1");
	if (!st || store_bind_int64(s, st, 1, repo_id) < 0)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		col_oid(st, 0, &h->tip);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return store_fail_db(s, "reading the history index");
	if (each_row(s, "SELECT oid, time, author_time, author, mp, merge FROM history_commits "
		     "WHERE repo_id = ?1 ORDER BY idx", repo_id, commit_row, h) < 0 ||
	    each_row(s, "SELECT commit_idx FROM history_mainline WHERE repo_id = ?1 ORDER BY pos",
		     repo_id, mainline_row, h) < 0 ||
	    each_row(s, "SELECT email, name FROM history_authors WHERE repo_id = ?1 ORDER BY idx",
		     repo_id, author_row, h) < 0 ||
	    each_row(s, "SELECT path FROM history_paths WHERE repo_id = ?1 ORDER BY idx",
		     repo_id, path_row, h) < 0 ||
	    each_row(s, "SELECT file, commit_idx, path, blob, kind FROM history_touches "
		     "WHERE repo_id = ?1 ORDER BY idx", repo_id, touch_row, h) < 0)
		return -1;
	j->found = 1;
	return 0;
}

int store_history_load(store *s, int64_t repo_id, history *h)
{
	struct load_job j = { repo_id, h, 0 };
	if (store_transaction(s, load, &j) < 0)
		return -1;
	if (!j.found)
		return 0;
	if (!consistent(h)) {
		/* a damaged saved index is rebuilt, never trusted */
		history_free(h);
		history_init(h);
		return 0;
	}
	history_finish_load(h);
	return 1;
}

int store_blame_get(store *s, int64_t repo_id, const unsigned char oid[20], char **owners)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT owners FROM blame_cache WHERE repo_id = ?1 AND blob = ?2");
	if (!st || store_bind_int64(s, st, 1, repo_id) < 0 || bind_blob(s, st, 2, oid, 20) < 0)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*owners = store_col_str(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail_db(s, "reading the blame cache");
	return rc == SQLITE_ROW;
}

int store_blame_put(store *s, int64_t repo_id, const unsigned char oid[20], const char *owners)
{
	sqlite3_stmt *st = store_stmt(s,
		"INSERT OR REPLACE INTO blame_cache (repo_id, blob, owners) VALUES (?1, ?2, ?3)");
	if (!st || store_bind_int64(s, st, 1, repo_id) < 0 || bind_blob(s, st, 2, oid, 20) < 0 ||
	    store_bind_text(s, st, 3, owners) < 0)
		return -1;
	return store_exec_stmt(s, st, "caching a blame");
}
