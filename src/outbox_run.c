/* Sending the outbox's due actions of one service (see outbox_run.h). */
#include "outbox_run.h"

#include <stdlib.h>

#include "log_line.h"

/* How long an action may stay "sending" before it counts as a dead worker's. */
#define ACTION_LEASE_SECONDS 300
/* Attempts before an action is given up. */
#define ACTION_ATTEMPTS 10

void outbox_run(store *db, const char *kind_prefix, const char *holder, const bool *stop, int64_t now, FILE *log,
		outbox_sender send, void *ctx)
{
	if (store_action_requeue_stale(db, now - ACTION_LEASE_SECONDS, now) < 0)
		log_line(log, "outbox: %s", store_error(db));
	store_action a;
	store_action_init(&a);
	while (!(stop && __atomic_load_n(stop, __ATOMIC_ACQUIRE)) && store_action_next_due(db, now, kind_prefix, &a) == 1) {
		if (store_action_begin(db, a.id, now, holder) < 0) {
			bool taken = store_errcode(db) == STORE_ESTATE; /* another worker took it first */
			if (!taken)
				log_line(log, "outbox: %s", store_error(db));
			store_action_free(&a);
			if (taken)
				continue;
			break;
		}
		a.attempts++; /* this one */
		char *result = NULL, *err = NULL;
		int64_t retry_at = 0;
		int rc = send(ctx, &a, &result, &err, &retry_at);
		int stored;
		if (rc == 0) {
			stored = store_action_done(db, a.id, result, now);
		} else {
			/* again later, a minute more each time (or when the service
			 * said); what cannot be done, or failed too often, for good */
			bool again = rc == -1 && a.attempts < ACTION_ATTEMPTS;
			stored = store_action_failed(db, a.id, err ? err : "?",
						     again ? (retry_at > now ? retry_at : now + 60L * a.attempts) : 0, now);
		}
		if (stored < 0)
			log_line(log, "outbox: %s", store_error(db));
		free(result);
		free(err);
		store_action_free(&a);
	}
}
