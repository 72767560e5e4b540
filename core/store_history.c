/* store_history: the history index and the blame cache, saved per repository. */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history.h"
#include "history_pack.h"
#include "strbuf.h"
#include "xalloc.h"

static int bind_blob(store *s, sqlite3_stmt *st, int idx, const void *p, int n)
{
	return sqlite3_bind_blob(st, idx, p, n, SQLITE_TRANSIENT) == SQLITE_OK
		? 0 : store_fail_db(s, "binding a value");
}

/* The index is one packed byte string per repository (core/history_pack):
 * reading it is one copy, where rows cost most of a warm command. */
int store_history_save(store *s, int64_t repo_id, const history *h)
{
	strbuf packed = STRBUF_INIT;
	history_pack(h, &packed);
	sqlite3_stmt *st = store_stmt(s,
		"INSERT OR REPLACE INTO history_index (repo_id, tip, commits, updated_at, data) "
		"VALUES (?1, ?2, ?3, ?4, ?5)");
	int rc = !st || store_bind_int64(s, st, 1, repo_id) < 0 ||
		bind_blob(s, st, 2, h->tip.id, GIT_OID_RAWSZ) < 0 ||
		store_bind_int64(s, st, 3, (int64_t)h->ncommits) < 0 ||
		store_bind_int64(s, st, 4, (int64_t)time(NULL)) < 0 ||
		sqlite3_bind_blob64(st, 5, packed.buf, packed.len, SQLITE_TRANSIENT) != SQLITE_OK ||
		store_exec_stmt(s, st, "saving the history index") < 0 ? -1 : 0;
	strbuf_release(&packed);
	return rc;
}

int store_history_load(store *s, int64_t repo_id, history *h)
{
	/* one statement reads one row: a concurrent save is seen whole or not at all */
	sqlite3_stmt *st = store_stmt(s, "SELECT data FROM history_index WHERE repo_id = ?1");
	if (!st || store_bind_int64(s, st, 1, repo_id) < 0)
		return -1;
	int rc = sqlite3_step(st);
	int found = 0;
	if (rc == SQLITE_ROW)
		/* a damaged saved index is rebuilt, never trusted */
		found = history_unpack(h, sqlite3_column_blob(st, 0),
				       (size_t)sqlite3_column_bytes(st, 0)) == 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail_db(s, "reading the history index");
	return found;
}

int store_blame_get(store *s, int64_t repo_id, const unsigned char oid[20], const char *path,
		    char **owners)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT owners FROM blame_cache WHERE repo_id = ?1 AND blob = ?2 "
				      "AND path = ?3");
	if (!st || store_bind_int64(s, st, 1, repo_id) < 0 || bind_blob(s, st, 2, oid, 20) < 0 ||
	    store_bind_text(s, st, 3, path) < 0)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*owners = store_col_str(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail_db(s, "reading the blame cache");
	return rc == SQLITE_ROW;
}

int store_blame_put(store *s, int64_t repo_id, const unsigned char oid[20], const char *path,
		    const char *owners)
{
	sqlite3_stmt *st = store_stmt(s,
		"INSERT OR REPLACE INTO blame_cache (repo_id, blob, path, owners) VALUES (?1, ?2, ?3, ?4)");
	if (!st || store_bind_int64(s, st, 1, repo_id) < 0 || bind_blob(s, st, 2, oid, 20) < 0 ||
	    store_bind_text(s, st, 3, path) < 0 || store_bind_text(s, st, 4, owners) < 0)
		return -1;
	return store_exec_stmt(s, st, "caching a blame");
}

int store_trace_map_get(store *s, int64_t repo_id, const unsigned char tree[20], void **data,
			size_t *len)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT data FROM trace_maps WHERE repo_id = ?1 AND tree = ?2");
	if (!st || store_bind_int64(s, st, 1, repo_id) < 0 || bind_blob(s, st, 2, tree, 20) < 0)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*len = (size_t)sqlite3_column_bytes(st, 0);
		*data = xmalloc(*len ? *len : 1);
		if (*len)
			memcpy(*data, sqlite3_column_blob(st, 0), *len);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail_db(s, "reading the saved trace map");
	return rc == SQLITE_ROW;
}

int store_trace_map_put(store *s, int64_t repo_id, const unsigned char tree[20], const void *data,
			size_t len)
{
	sqlite3_stmt *st = store_stmt(s,
		"INSERT OR REPLACE INTO trace_maps (repo_id, tree, data) VALUES (?1, ?2, ?3)");
	if (!st || store_bind_int64(s, st, 1, repo_id) < 0 || bind_blob(s, st, 2, tree, 20) < 0)
		return -1;
	if (sqlite3_bind_blob64(st, 3, data, len, SQLITE_TRANSIENT) != SQLITE_OK)
		return store_fail_db(s, "binding a value");
	return store_exec_stmt(s, st, "saving the trace map");
}
