/* repo_history: what the commands that read git history share: the database, the
 * settings, the repository and its history index brought up to date. */
#ifndef MAHORAGA_REPO_HISTORY_H
#define MAHORAGA_REPO_HISTORY_H

#include <git2.h>
#include <stdbool.h>

#include "app.h"
#include "engine_opts.h"
#include "history.h"

struct repo_history {
	store *db;
	config cfg;
	bool have_cfg;
	git_repository *repo;
	int64_t repo_id;
	history h;
	engine_opts opts;       /* from the settings, inactive people by the users table */
};

/* Open everything for the repository at dir, index its history (with a
 * progress line on a terminal) and fill view as of rev (NULL: HEAD; a
 * revision outside HEAD's history gets an index of its own, not saved).
 * Prints errors; returns an exit status. On failure rh must still be closed
 * and view (zeroed by the caller) freed. */
int repo_history_open(const struct app *app, const char *dir, const char *rev, struct repo_history *rh,
		      history_view *view);
void repo_history_close(struct repo_history *rh);

/* Read rh's engine options from its settings (repo_history_open does). */
void repo_history_opts(struct repo_history *rh);

#endif
