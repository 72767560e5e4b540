/* store_settings: settings saved from the TUI's settings editor. */
#include "store_internal.h"

#include <stdlib.h>
#include <time.h>

int store_setting_get(store *s, const char *key, char **value)
{
	*value = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT value FROM settings WHERE key = ?1");
	if (!st || store_bind_text(s, st, 1, key) < 0)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*value = store_col_str(st, 0);
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail_db(s, "reading a setting");
}

int store_setting_set(store *s, const char *key, const char *value)
{
	sqlite3_stmt *st = store_stmt(s,
		"INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3) "
		"ON CONFLICT (key) DO UPDATE SET value = ?2, updated_at = ?3");
	if (!st || store_bind_text(s, st, 1, key) < 0 || store_bind_text(s, st, 2, value) < 0 ||
	    store_bind_int64(s, st, 3, (int64_t)time(NULL)) < 0)
		return -1;
	return store_exec_stmt(s, st, "saving a setting");
}

int store_setting_unset(store *s, const char *key)
{
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM settings WHERE key = ?1");
	if (!st || store_bind_text(s, st, 1, key) < 0)
		return -1;
	if (store_exec_stmt(s, st, "removing a setting") < 0)
		return -1;
	return sqlite3_changes(s->db) > 0 ? 1 : 0;
}

int store_settings_list(store *s, store_settings *out)
{
	out->v = NULL;
	out->n = 0;
	sqlite3_stmt *st =
		store_stmt(s, "SELECT key, value, updated_at FROM settings ORDER BY key");
	if (!st)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_setting *e = store_list_push((void **)&out->v, &out->n, sizeof(*e));
		e->key = store_col_str(st, 0);
		e->value = store_col_str(st, 1);
		e->updated_at = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_settings_free(out);
		return store_fail_db(s, "listing settings");
	}
	return 0;
}

void store_settings_free(store_settings *list)
{
	for (size_t i = 0; i < list->n; i++) {
		free(list->v[i].key);
		free(list->v[i].value);
	}
	free(list->v);
	list->v = NULL;
	list->n = 0;
}
