/* The command center: the screen in this thread, the worker in another. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "paths.h"
#include "ui.h"
#include "worker.h"
#include "xalloc.h"

static void worker_status_line(worker *w, char *buf, size_t n)
{
	worker_status st;
	worker_get_status(w, &st);
	if (st.last_poll) {
		/* what went wrong is counted here; the lines are in mahoraga.log */
		char bad[48] = "", failed[48] = "";
		if (st.last.bad_files)
			snprintf(bad, sizeof(bad), ", %zu bad file%s", st.last.bad_files, st.last.bad_files == 1 ? "" : "s");
		if (st.last.failed)
			snprintf(failed, sizeof(failed), ", %zu failed (see the log)", st.last.failed);
		snprintf(buf, n, "%s, polled %lds ago, %zu triaged%s%s", st.state, (long)(time(NULL) - st.last_poll),
			 st.last.triaged, bad, failed);
	} else {
		snprintf(buf, n, "%s", st.state);
	}
}

struct ui_ctx {
	const struct app *app;
	store *db;
	worker *w;
};

static void status(void *arg, char *buf, size_t n)
{
	struct ui_ctx *c = arg;
	if (c->w)
		worker_status_line(c->w, buf, n);
	else
		snprintf(buf, n, "off (read-only)");
}

static void poll_now(void *arg)
{
	struct ui_ctx *c = arg;
	if (c->w)
		worker_poll_now(c->w);
}

static void apply(void *arg, int64_t manual_id)
{
	struct ui_ctx *c = arg;
	if (c->w)
		worker_apply(c->w, manual_id);
}

static int reload_config(void *arg, config *out)
{
	struct ui_ctx *c = arg;
	/* on the screen's thread while it draws: problems are not printed over it */
	return app_load_config_to(c->app, c->db, out, NULL) == EXIT_DONE ? 0 : -1;
}

int cmd_ui(const struct app *app, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	store *db = NULL;
	int rc = app_open_store(app, &db);
	if (rc != EXIT_DONE)
		return rc;
	config cfg;
	rc = app_load_config(app, db, &cfg);
	if (rc != EXIT_DONE) {
		store_close(db);
		return rc;
	}
	/* the worker writes its lines next to the database: the screen is ours */
	char *dbp = app->db_path ? xstrdup(app->db_path) : paths_db_file(app->env);
	char *logp = app_log_path(app);
	FILE *log = logp ? app_log_open(logp) : NULL;
	worker *w = app->readonly ? NULL : worker_start(app, log);
	struct ui_ctx ctx = { app, db, w };
	ui_hooks hooks = { .wake_fd = w ? worker_wake_fd(w) : -1, .status = status,
			   .poll_now = poll_now, .apply = apply, .reload_config = reload_config, .arg = &ctx };
	char *shipped = NULL, *spells = NULL;
	if (app_spell_dirs(app, &shipped, &spells) != EXIT_DONE)
		spells = NULL; /* said; proposals are accepted with `mahoraga spells accept` */
	ui_options opt = { .db_path = dbp, .no_color = app->no_color, .readonly = app->readonly,
			   .wall = app->wall, .spells_dir = spells };
	int ui = ui_run(db, &cfg, &hooks, &opt);
	free(shipped);
	free(spells);
	worker_stop(w);
	if (log)
		fclose(log);
	free(logp);
	free(dbp);
	config_free(&cfg);
	store_close(db);
	if (ui == -2) {
		const char *term = getenv("TERM");
		app_error("TERM=%s cannot show the command center (it cannot place the cursor): use a terminal "
			  "such as xterm-256color, or `mahoraga poll` and `mahoraga triage` without a screen",
			  term ? term : "(unset)");
		return EXIT_USAGE;
	}
	return ui < 0 ? -1 : EXIT_DONE;
}

int cmd_wall(const struct app *app, int argc, char **argv)
{
	static const char usage[] =
		"usage: mahoraga wall\n\n"
		"The command center for a wall screen: read-only, no worker (run `mahoraga poll`\n"
		"elsewhere), refreshing itself from the database every few seconds.\n";
	int rc0 = app_parse("wall", usage, argc, argv, NULL, NULL, 0, NULL);
	if (rc0 >= 0)
		return rc0;
	/* the wall only shows: the worker runs elsewhere (mahoraga poll) */
	struct app wall = *app;
	wall.readonly = 1;
	wall.wall = 1;
	int rc = cmd_ui(&wall, 0, NULL);
	if (rc < 0) {
		app_error("wall needs a terminal");
		return EXIT_USAGE;
	}
	return rc;
}
