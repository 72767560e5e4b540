/* A proposed spell accepted or rejected (see proposal.h). */
#include "proposal.h"

#include <stdlib.h>
#include <string.h>

#include "spells.h"
#include "xalloc.h"

int proposal_keep(store *db, int64_t issue_id, const char *text, int64_t now)
{
	spell sp;
	spell_init(&sp);
	char *err = NULL;
	int rc = spell_parse(&sp, text, strlen(text), "proposal", &err) == 0
			 ? store_proposal_add(db, issue_id, sp.id, text, now)
			 : 0; /* the analyzer checked it: nothing to keep */
	free(err);
	spell_free(&sp);
	return rc;
}

/* The proposal, pending; -1 with *err otherwise. */
static int pending(store *db, int64_t id, store_proposal *p, char **err)
{
	int got = store_proposal_get(db, id, p);
	if (got < 0)
		*err = xstrdup(store_error(db));
	else if (got == 0)
		*err = xasprintf("no spell proposal %lld", (long long)id);
	else if (strcmp(p->state, "pending") != 0)
		*err = xasprintf("spell proposal %lld was %s already", (long long)id, p->state);
	return got == 1 && strcmp(p->state, "pending") == 0 ? 0 : -1;
}

int proposal_accept(store *db, int64_t id, const char *dir, int64_t now, char **path, char **err)
{
	*path = NULL;
	store_proposal p;
	memset(&p, 0, sizeof(p));
	int rc = pending(db, id, &p, err);
	/* taken first, so that of two people accepting at once one writes */
	if (rc == 0 && store_proposal_decide(db, id, "pending", "accepted", now) < 0) {
		*err = xstrdup(store_error(db));
		rc = -1;
	}
	if (rc == 0 && spell_install(dir, p.text, strlen(p.text), path, err) < 0) {
		if (store_proposal_decide(db, id, "accepted", "pending", now) < 0) {
			char *more = xasprintf("%s (and it could not be left pending: %s)", *err, store_error(db));
			free(*err);
			*err = more;
		}
		rc = -1;
	}
	store_proposal_free(&p);
	return rc;
}

int proposal_reject(store *db, int64_t id, int64_t now, char **err)
{
	store_proposal p;
	memset(&p, 0, sizeof(p));
	int rc = pending(db, id, &p, err);
	if (rc == 0 && store_proposal_decide(db, id, "pending", "rejected", now) < 0) {
		*err = xstrdup(store_error(db));
		rc = -1;
	}
	store_proposal_free(&p);
	return rc;
}
