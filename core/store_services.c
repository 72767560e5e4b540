/* Outside services as the workers last found them (see store.h). */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void store_service_init(store_service *sv, const char *name)
{
	memset(sv, 0, sizeof(*sv));
	sv->name = name ? xstrdup(name) : NULL;
	breaker_init(&sv->br);
	sv->rate_remaining = -1;
}

void store_service_free(store_service *sv)
{
	free(sv->name);
	free(sv->last_error);
	memset(sv, 0, sizeof(*sv));
}

#define SERVICE_COLS \
	"name, failures, open_until, probing, rate_remaining, rate_reset, last_error, error_at, updated_at, backoff, " \
	"down_since"

static void read_service(sqlite3_stmt *st, store_service *sv)
{
	/* the pace and the last write are this process's: kept as they are */
	free(sv->name);
	sv->name = store_col_str(st, 0);
	sv->br.failures = sqlite3_column_int(st, 1);
	sv->br.open_until = sqlite3_column_int64(st, 2);
	sv->br.probing = sqlite3_column_int(st, 3) != 0;
	sv->rate_remaining = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 : (long)sqlite3_column_int64(st, 4);
	sv->rate_reset = sqlite3_column_int64(st, 5);
	free(sv->last_error);
	sv->last_error = store_col_str(st, 6);
	sv->error_at = sqlite3_column_int64(st, 7);
	sv->updated_at = sqlite3_column_int64(st, 8);
	sv->backoff = sqlite3_column_int64(st, 9);
	sv->br.down_since = sqlite3_column_int64(st, 10);
}

int store_service_get(store *s, store_service *sv)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " SERVICE_COLS " FROM services WHERE name = ?1");
	if (!st || store_bind_text(s, st, 1, sv->name) < 0)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_service(st, sv);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail_db(s, "reading a service's state");
	return rc == SQLITE_ROW;
}

int store_service_put(store *s, const store_service *sv, int64_t now)
{
	/* an upsert, not a replace: told_down is store_service_tell_down's */
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO services (" SERVICE_COLS ") "
					 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
					 "ON CONFLICT (name) DO UPDATE SET failures = ?2, open_until = ?3, probing = ?4, "
					 "rate_remaining = ?5, rate_reset = ?6, last_error = ?7, error_at = ?8, "
					 "updated_at = ?9, backoff = ?10, down_since = ?11");
	if (!st || store_bind_text(s, st, 1, sv->name) < 0 || store_bind_int64(s, st, 2, sv->br.failures) < 0 ||
	    store_bind_int64(s, st, 3, sv->br.open_until) < 0 || store_bind_int64(s, st, 4, sv->br.probing) < 0)
		return -1;
	if ((sv->rate_remaining < 0 ? store_bind_text(s, st, 5, NULL) : store_bind_int64(s, st, 5, sv->rate_remaining)) < 0 ||
	    store_bind_int64(s, st, 6, sv->rate_reset) < 0 || store_bind_text(s, st, 7, sv->last_error) < 0 ||
	    store_bind_int64(s, st, 8, sv->error_at) < 0 || store_bind_int64(s, st, 9, now) < 0 ||
	    store_bind_int64(s, st, 10, sv->backoff) < 0 || store_bind_int64(s, st, 11, sv->br.down_since) < 0)
		return -1;
	return store_exec_stmt(s, st, "saving a service's state");
}

int store_service_tell_down(store *s, const char *name, int64_t down_since)
{
	/* one UPDATE: of two workers at the same outage one changes the row */
	sqlite3_stmt *st = store_stmt(s, "UPDATE services SET told_down = ?2 WHERE name = ?1 AND told_down != ?2");
	if (!st || store_bind_text(s, st, 1, name) < 0 || store_bind_int64(s, st, 2, down_since) < 0 ||
	    store_exec_stmt(s, st, "marking an outage told") < 0)
		return -1;
	return sqlite3_changes(s->db) == 1;
}

int store_service_untell_down(store *s, const char *name, int64_t down_since)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE services SET told_down = 0 WHERE name = ?1 AND told_down = ?2");
	if (!st || store_bind_text(s, st, 1, name) < 0 || store_bind_int64(s, st, 2, down_since) < 0)
		return -1;
	return store_exec_stmt(s, st, "unmarking an outage told");
}

int store_services_list(store *s, store_service **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	/* a service's actions are the kinds named after it: "slack_message" */
	sqlite3_stmt *st = store_stmt(s, "SELECT " SERVICE_COLS ", (SELECT count(*) FROM actions "
					 "WHERE state = 'pending' AND substr(kind, 1, length(name) + 1) = name || '_') "
					 "FROM services ORDER BY name");
	if (!st)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_service *sv = store_list_push((void **)out, n, sizeof(**out));
		store_service_init(sv, NULL);
		read_service(st, sv);
		sv->queued = sqlite3_column_int(st, 11);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_services_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_fail_db(s, "reading the services");
	}
	return 0;
}

void store_services_free(store_service *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_service_free(&v[i]);
	free(v);
}
