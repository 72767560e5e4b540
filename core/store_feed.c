/* store_feed: the triage feed and the team's load, for the command center. */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

int store_feed_list(store *s, size_t limit, store_feed *out)
{
	out->v = NULL;
	out->n = 0;
	sqlite3_stmt *st = store_stmt(s,
		"SELECT i.id, r.slug, i.number, i.title, d.route, "
		"(SELECT assignee_email FROM assignments WHERE issue_id = i.id AND status = 'assigned' "
		"ORDER BY id DESC LIMIT 1), d.confidence, "
		"d.created_at, (SELECT '#' || oi.number FROM reports rp JOIN issues oi ON "
		"oi.id = rp.duplicate_of WHERE rp.issue_id = i.id AND rp.relation != 'new'), "
		"(SELECT kind FROM manual_actions WHERE issue_id = i.id AND state = 'done' "
		"ORDER BY id DESC LIMIT 1), i.url, "
		"(SELECT rp.duplicate_of FROM reports rp WHERE rp.issue_id = i.id "
		"AND rp.relation IN ('consolidated', 'duplicate')) "
		"FROM decisions d JOIN issues i ON i.id = d.issue_id JOIN repos r ON r.id = i.repo_id "
		"WHERE d.id = (SELECT max(id) FROM decisions WHERE issue_id = i.id) "
		"ORDER BY d.created_at DESC, d.id DESC LIMIT ?1");
	if (!st || store_bind_int64(s, st, 1, (int64_t)limit) < 0)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_feed_item *it = store_list_push((void **)&out->v, &out->n, sizeof(*out->v));
		it->issue_id = sqlite3_column_int64(st, 0);
		it->repo = store_col_str(st, 1);
		it->number = sqlite3_column_int(st, 2);
		it->title = store_col_str(st, 3);
		it->route = store_col_str(st, 4);
		it->assignee = store_col_str(st, 5);
		it->confidence = sqlite3_column_double(st, 6);
		it->decided_at = sqlite3_column_int64(st, 7);
		it->duplicate_of = store_col_str(st, 8);
		it->manual = store_col_str(st, 9);
		it->url = store_col_str(st, 10);
		it->folds_into = sqlite3_column_int64(st, 11);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_feed_free(out);
		return store_fail_db(s, "reading the feed");
	}
	return 0;
}

void store_feed_free(store_feed *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].repo);
		free(f->v[i].title);
		free(f->v[i].route);
		free(f->v[i].assignee);
		free(f->v[i].duplicate_of);
		free(f->v[i].manual);
		free(f->v[i].url);
	}
	free(f->v);
	f->v = NULL;
	f->n = 0;
}

int store_load_list(store *s, store_load *out)
{
	out->v = NULL;
	out->n = 0;
	sqlite3_stmt *st = store_stmt(s,
		"SELECT assignee_email, count(*) FROM assignments WHERE status = 'assigned' "
		"GROUP BY assignee_email ORDER BY count(*) DESC, assignee_email");
	if (!st)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_load_item *it = store_list_push((void **)&out->v, &out->n, sizeof(*out->v));
		it->email = store_col_str(st, 0);
		it->open = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_load_free(out);
		return store_fail_db(s, "reading the load");
	}
	return 0;
}

void store_load_free(store_load *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].email);
		free(l->v[i].name);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
