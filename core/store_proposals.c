/* Spells a language model proposed (see store.h). */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void store_proposal_free(store_proposal *p)
{
	free(p->spell_id);
	free(p->text);
	free(p->state);
	memset(p, 0, sizeof(*p));
}

void store_proposals_free(store_proposals *l)
{
	for (size_t i = 0; i < l->n; i++)
		store_proposal_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int store_proposal_add(store *s, int64_t issue_id, const char *spell_id, const char *text, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT OR IGNORE INTO spell_proposals (spell_id, text, issue_id, created_at) "
					 "VALUES (?1, ?2, ?3, ?4)");
	if (!st || store_bind_text(s, st, 1, spell_id) < 0 || store_bind_text(s, st, 2, text) < 0 ||
	    (issue_id ? store_bind_int64(s, st, 3, issue_id) : store_bind_text(s, st, 3, NULL)) < 0 ||
	    store_bind_int64(s, st, 4, now) < 0 || store_exec_stmt(s, st, "keeping a spell proposal") < 0)
		return -1;
	return sqlite3_changes(s->db) == 1;
}

#define PROPOSAL_COLS "id, spell_id, text, issue_id, state, created_at, decided_at"

static void read_proposal(sqlite3_stmt *st, store_proposal *p)
{
	p->id = sqlite3_column_int64(st, 0);
	p->spell_id = store_col_str(st, 1);
	p->text = store_col_str(st, 2);
	p->issue_id = sqlite3_column_int64(st, 3);
	p->state = store_col_str(st, 4);
	p->created_at = sqlite3_column_int64(st, 5);
	p->decided_at = sqlite3_column_int64(st, 6);
}

int store_proposals_list(store *s, const char *state, store_proposals *out)
{
	store_proposals_free(out);
	sqlite3_stmt *st = store_stmt(s, "SELECT " PROPOSAL_COLS " FROM spell_proposals "
					 "WHERE ?1 IS NULL OR state = ?1 ORDER BY id DESC");
	if (!st || store_bind_text(s, st, 1, state) < 0)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_proposal *p = store_list_push((void **)&out->v, &out->n, sizeof(*out->v));
		memset(p, 0, sizeof(*p));
		read_proposal(st, p);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_proposals_free(out);
		return store_fail_db(s, "reading spell proposals");
	}
	return 0;
}

int store_proposal_get(store *s, int64_t id, store_proposal *out)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " PROPOSAL_COLS " FROM spell_proposals WHERE id = ?1");
	if (!st || store_bind_int64(s, st, 1, id) < 0)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_proposal(st, out);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail_db(s, "reading a spell proposal");
	return rc == SQLITE_ROW;
}

int store_proposal_decide(store *s, int64_t id, const char *from, const char *to, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE spell_proposals SET state = ?3, decided_at = ?4 "
					 "WHERE id = ?1 AND state = ?2");
	if (!st || store_bind_int64(s, st, 1, id) < 0 || store_bind_text(s, st, 2, from) < 0 ||
	    store_bind_text(s, st, 3, to) < 0 || store_bind_int64(s, st, 4, now) < 0 ||
	    store_exec_stmt(s, st, "deciding a spell proposal") < 0)
		return -1;
	if (sqlite3_changes(s->db) == 0)
		return store_fail(s, STORE_ESTATE, "spell proposal %lld is not %s", (long long)id, from);
	return 0;
}
