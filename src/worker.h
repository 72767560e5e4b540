/* worker: the background thread that polls issue sources and triages (DESIGN.md 2).
 *
 * One cycle (src/cycle.c): reload the settings, then for every configured
 * repository read what is new or changed from its source (src/source.h: its
 * inbox of issue files, else GitHub), triage it with the real core, record the
 * issue, the decision and the assignment in the store, and send what the
 * outbox holds for GitHub (src/github_out.c). The thread (src/worker.c) runs a
 * cycle, wakes the UI through a self-pipe, and sleeps until the poll interval
 * passes, a command arrives (a mutex-guarded queue), or a file of an inbox is
 * added, edited or removed (looked at every second). */
#ifndef MAHORAGA_WORKER_H
#define MAHORAGA_WORKER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "app.h"
#include "github_auth.h"

typedef struct worker_report {
	size_t seen;        /* issues read from the sources */
	size_t triaged;     /* new or edited, decided this cycle */
	size_t bad_files;   /* files that did not parse (reported, skipped) */
	size_t failed;      /* issues or repositories that could not be triaged */
} worker_report;

/* One cycle in the calling thread, with its own database connection. Progress
 * and problems are written to log (one line each) when not NULL. Returns an
 * exit status: EXIT_DONE unless the store or the settings cannot be opened. */
int worker_cycle(const struct app *app, worker_report *rep, FILE *log);

/* Ingest GitHub webhook deliveries saved as files (core/webhook.h): each one
 * verified against github.webhook_secret, its issue triaged like an inbox
 * file (once per content), a closed issue's assignment ended. Returns an exit
 * status as worker_cycle; rep->seen counts the deliveries routed, rep->failed
 * the ones refused or failed (said in log). */
int worker_ingest_webhooks(const struct app *app, const char *const *files, size_t n, worker_report *rep,
			   FILE *log);

/* The same, stopping between two issues once *stop is true (read atomically;
 * NULL: never), so that a SIGTERM is obeyed within one issue's triage rather
 * than at the end of a cycle. What is left is triaged by the next cycle.
 * auth (NULL: the cycle's own) keeps GitHub's credentials between cycles: an
 * App's installation tokens are made once an hour, not once a cycle. */
int worker_cycle_until(const struct app *app, worker_report *rep, FILE *log, const bool *stop, github_auth *auth);

typedef struct worker worker;

/* Start the thread (its first cycle begins at once). NULL on failure (errno). */
worker *worker_start(const struct app *app, FILE *log);

/* Readable (one byte per finished cycle) for the UI's poll loop. */
int worker_wake_fd(const worker *w);

/* Commands, which never block on the worker's work: run a cycle now; apply a
 * manual action the screen recorded in the store (store_manual id). Actions are
 * applied before any cycle, and the UI is woken as soon as they are; a
 * re-triage runs a cycle at once. */
void worker_poll_now(worker *w);
void worker_apply(worker *w, int64_t manual_id);

/* What the status line shows. */
typedef struct worker_status {
	char state[32];     /* "starting", "polling", "applying", "idle", "stopped" */
	int64_t last_poll;  /* end of the last cycle, Unix seconds, 0 before */
	size_t cycles;
	worker_report last; /* the last cycle's counts */
} worker_status;
void worker_get_status(worker *w, worker_status *out);

/* Stop: finish the current issue, end the thread, free everything. */
void worker_stop(worker *w);

#endif
