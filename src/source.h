/* source: where a repository's issues come from, one interface for the
 * cycle (src/cycle.c).
 *
 * Two sources: a repository's inbox of local issue files (source_inbox, when
 * its [repo] names an inbox: it works offline) and GitHub's issues API
 * (source_github, for a clone with no inbox, when credentials are there). A
 * source reads what is new or changed; the cycle triages it, and when every
 * issue read was triaged the source keeps where it stands, so that a failed
 * issue is read again next time. */
#ifndef MAHORAGA_SOURCE_H
#define MAHORAGA_SOURCE_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "github_auth.h"
#include "inbox.h"
#include "store.h"
#include "worker.h"

/* What a source may use of the cycle reading it. */
struct source_ctx {
	store *db;
	const config *cfg;
	github_auth *auth;       /* GitHub's credentials */
	store_service *github;   /* GitHub's breaker, rate limit, last error */
	FILE *log;               /* what happens, a line each (may be NULL) */
	worker_report *rep;      /* counts: seen, bad files, failed */
};

typedef struct issue_source {
	const char *name;        /* "inbox", "github" */
	bool on_github;          /* its issues are GitHub's: decisions are said there */
	/* r's new and changed issues into l (said and counted in x->rep).
	 * Returns 1 with issues (perhaps none), 0 with nothing to triage this
	 * cycle (nothing new, no credentials, a limit to wait for), -1 failed
	 * (said, counted). *pos: where it stands, for keep (or NULL). */
	int (*read)(const struct source_ctx *x, const config_repo *r, inbox_list *l, void **pos);
	/* Every issue read was triaged: the next read starts after pos (NULL:
	 * the source keeps nothing). */
	void (*keep)(const struct source_ctx *x, const config_repo *r, void *pos);
	void (*pos_free)(void *pos);
} issue_source;

extern const issue_source source_inbox;
extern const issue_source source_github;

#endif
