/* Opening a repository and its history index for a command (repo_history.h). */
#include "repo_history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history_store.h"
#include "xalloc.h"

/* The view as of rev; a revision outside HEAD's history gets an index of its
 * own (not saved). */
static int open_view(struct repo_history *rh, const char *rev, history_view *v)
{
	char *err = NULL;
	if (history_view_at(v, &rh->h, rh->repo, rev, &err) == 0)
		return EXIT_DONE;
	if (rev) {
		/* not in HEAD's history: index that revision on its own */
		free(err);
		err = NULL;
		history_free(&rh->h);
		history_init(&rh->h);
		if (history_update(&rh->h, rh->repo, rev, NULL, NULL, &err) == 0 &&
		    history_view_at(v, &rh->h, rh->repo, rev, &err) == 0)
			return EXIT_DONE;
	}
	app_error("%s", err);
	free(err);
	return EXIT_IO;
}

int repo_history_open(const struct app *app, const char *dir, const char *rev, struct repo_history *rh,
		      history_view *view)
{
	memset(rh, 0, sizeof(*rh));
	history_init(&rh->h);
	int rc = app_open_store(app, &rh->db);
	if (rc != EXIT_DONE)
		return rc;
	rc = app_load_config(app, rh->db, &rh->cfg);
	rh->have_cfg = true;
	if (rc != EXIT_DONE)
		return rc;
	repo_history_opts(rh);
	rc = app_open_repo(rh->db, dir, &rh->repo, &rh->repo_id);
	if (rc != EXIT_DONE)
		return rc;
	struct app_progress prog;
	app_progress_start(&prog, "indexing history");
	char *err = NULL;
	int hr = history_store_open(&rh->h, rh->db, rh->repo_id, rh->repo, app_progress_commits, &prog, &err);
	app_progress_done(&prog);
	if (hr < 0) {
		app_error("%s: %s", dir, err);
		free(err);
		return EXIT_IO;
	}
	return open_view(rh, rev, view);
}

void repo_history_opts(struct repo_history *rh)
{
	engine_opts_free(&rh->opts);
	engine_opts_init(&rh->opts, &rh->cfg, engine_opts_user_state, rh->db);
}

void repo_history_close(struct repo_history *rh)
{
	engine_opts_free(&rh->opts);
	history_free(&rh->h);
	if (rh->repo) {
		git_repository_free(rh->repo);
		git_libgit2_shutdown();
	}
	if (rh->have_cfg)
		config_free(&rh->cfg);
	store_close(rh->db);
	memset(rh, 0, sizeof(*rh));
}
