/* Queueing what the worker will do on GitHub (see outbox.h). */
#include "outbox.h"

#include <stdlib.h>

#include "xalloc.h"

/* One action with payload (which it takes), unless key was queued before. */
static int enqueue(store *db, int64_t issue_id, const char *kind, const char *key, json_t *payload)
{
	store_action a;
	store_action_init(&a);
	a.issue_id = issue_id;
	a.kind = xstrdup(kind);
	a.dedup_key = xasprintf("%s:%lld:%s", kind, (long long)issue_id, key);
	a.payload = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(payload);
	int rc = store_action_enqueue(db, &a) < 0 ? -1 : 0;
	store_action_free(&a);
	return rc;
}

int outbox_comment(store *db, int64_t issue_id, const char *repo, int number, const char *key)
{
	return enqueue(db, issue_id, OUTBOX_COMMENT, key, json_pack("{s:s, s:i}", "repo", repo, "number", number));
}

int outbox_assign(store *db, int64_t issue_id, const char *repo, int number, const char *email,
		  const char *previous, const char *key)
{
	if (!email && !previous)
		return 0;
	return enqueue(db, issue_id, OUTBOX_ASSIGN, key,
		       json_pack("{s:s, s:i, s:s?, s:s?}", "repo", repo, "number", number, "email", email, "previous",
				 previous));
}

int outbox_labels(store *db, int64_t issue_id, const char *repo, int number, const json_t *labels,
		  const char *key)
{
	if (json_array_size(labels) == 0)
		return 0;
	return enqueue(db, issue_id, OUTBOX_LABELS, key,
		       json_pack("{s:s, s:i, s:O}", "repo", repo, "number", number, "labels", labels));
}

int outbox_draft(store *db, int64_t issue_id, const char *repo, int number, const char *branch, const char *key)
{
	return enqueue(db, issue_id, OUTBOX_DRAFT, key,
		       json_pack("{s:s, s:i, s:s}", "repo", repo, "number", number, "branch", branch));
}

int outbox_draft_verdict(store *db, int64_t issue_id, const char *repo, int number, const char *branch,
			 bool approved, const char *key)
{
	return enqueue(db, issue_id, approved ? OUTBOX_DRAFT_READY : OUTBOX_DRAFT_CLOSE, key,
		       json_pack("{s:s, s:i, s:s}", "repo", repo, "number", number, "branch", branch));
}

int outbox_slack(store *db, int64_t issue_id, const char *email, const char *key)
{
	return enqueue(db, issue_id, OUTBOX_SLACK, key, json_pack("{s:s?}", "email", email));
}

int outbox_is_github(store *db, int64_t issue_id)
{
	int n;
	if (store_action_count(db, issue_id, OUTBOX_COMMENT, &n) < 0)
		return -1;
	return n > 0;
}
