/* Load, update and save the history index (history_store.h). */
#include "history_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expertise.h"
#include "xalloc.h"

int history_store_open(history *h, store *s, int64_t repo_id, git_repository *repo,
		       void (*progress)(size_t walked, void *arg), void *arg, char **err)
{
	if (store_history_load(s, repo_id, h) < 0) {
		*err = xasprintf("reading the history index: %s", store_error(s));
		return -1;
	}
	if (history_update(h, repo, NULL, progress, arg, err) < 0)
		return -1;
	if (h->walked && store_history_save(s, repo_id, h) < 0) {
		*err = xasprintf("saving the history index: %s", store_error(s));
		return -1;
	}
	return 0;
}

static uint64_t fnv(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	h ^= 0xff; /* a separator, so that "ab" + "c" differs from "a" + "bc" */
	return h * 0x100000001b3ULL;
}

/* What the saved rows depend on: the tip, the options, and who is inactive. */
static char *risk_key(const history *h, const busfactor_opts *o)
{
	uint64_t k = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < o->nbots; i++)
		k = fnv(k, o->bots[i]);
	k = fnv(k, "|");
	for (size_t i = 0; i < o->ncritical; i++)
		k = fnv(k, o->critical[i]);
	k = fnv(k, "|");
	for (size_t i = 0; o->user_state && i < h->nauthors; i++) {
		int st = o->user_state(h->authors[i].email, o->arg);
		if (st != USER_UNLISTED) {
			k = fnv(k, st == USER_ACTIVE ? "+" : "-");
			k = fnv(k, h->authors[i].email);
		}
	}
	char span[32];
	snprintf(span, sizeof(span), "|%lld", (long long)o->inactive_after);
	k = fnv(k, span);
	char tip[GIT_OID_HEXSZ + 1];
	git_oid_tostr(tip, sizeof(tip), &h->tip);
	return xasprintf("%s:%016llx", tip, (unsigned long long)k);
}

int history_store_risk(store *s, int64_t repo_id, const history *h, const busfactor_opts *o,
		       char **err)
{
	if (!h->ncommits)
		return 0;
	char *key = risk_key(h, o), *saved = NULL;
	int found = store_risk_key(s, repo_id, &saved);
	int rc = 0;
	if (found < 0) {
		*err = xasprintf("reading the saved bus factor: %s", store_error(s));
		rc = -1;
	} else if (!found || strcmp(saved, key) != 0) {
		history_view v;
		if (history_view_at(&v, h, NULL, NULL, err) < 0) {
			free(key);
			free(saved);
			return -1;
		}
		busfactor b;
		busfactor_init(&b);
		busfactor_compute(&b, &v, o);
		store_risk r = { 0 };
		size_t n = b.nrisky < HISTORY_STORE_RISK_MAX ? b.nrisky : HISTORY_STORE_RISK_MAX;
		r.v = xcalloc(n ? n : 1, sizeof(*r.v));
		for (size_t k = 0; k < n; k++) {
			const busfactor_file *f = &b.files[b.risky[k]];
			store_risk_row *row = &r.v[r.n++];
			row->path = (char *)f->path;
			row->owner = f->nauthors ? h->authors[f->authors[0]].email : NULL;
			row->partner = f->npartners ? h->authors[f->partners[0]].email : NULL;
			row->share = f->owner_share;
			row->critical = f->critical;
		}
		if (store_risk_save(s, repo_id, key, b.truck_factor, b.nrisky, &r) < 0) {
			*err = xasprintf("saving the bus factor: %s", store_error(s));
			rc = -1;
		} else {
			rc = 1;
		}
		free(r.v); /* the strings are the index's */
		busfactor_free(&b);
		history_view_free(&v);
	}
	free(key);
	free(saved);
	return rc;
}
