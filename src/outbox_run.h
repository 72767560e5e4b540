/* outbox_run: sending the outbox's due actions of one service, each once.
 *
 * Actions left "sending" past their lease are taken back first (a worker
 * killed mid-send on another machine; on this one the cycle reaps them at
 * once). Each due action whose kind begins with the service's prefix is
 * taken (pending -> sending, under this worker's name: another worker that
 * took it first is left to it), handed to the service's sender, and marked
 * done, or failed to be tried again later (a minute more each time, or when
 * the service said), or failed for good after 10 attempts. */
#ifndef MAHORAGA_OUTBOX_RUN_H
#define MAHORAGA_OUTBOX_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "store.h"

/* Send one action (it is "sending"; a->attempts counts this one). Returns 0
 * (*result, to free: what the service now holds, e.g. a URL), -1 to try
 * again (*err; *retry_at when the service said when, else left 0), or -2 for
 * good (*err). The sender says what happened on the log itself. */
typedef int (*outbox_sender)(void *ctx, const store_action *a, char **result, char **err, int64_t *retry_at);

/* Run the due actions of kind_prefix at now until stop (may be NULL). */
void outbox_run(store *db, const char *kind_prefix, const char *holder, const bool *stop, int64_t now, FILE *log,
		outbox_sender send, void *ctx);

#endif
