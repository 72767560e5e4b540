/* Tests for core/config: precedence, origins, and every error message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "store.h"
#include "strbuf.h"
#include "testutil.h"
#include "xalloc.h"

struct fx {
	char *dir;
	char *file;
	char *clone;
	store *db;
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	f->dir = tu_mkdtemp();
	f->file = tu_path(f->dir, "config");
	f->clone = tu_path(f->dir, "clone");
	/* A real (empty) repository for [repo] path checks. */
	char *git = tu_path(f->clone, ".git");
	assert_int_equal(mkdir(f->clone, 0700), 0);
	assert_int_equal(mkdir(git, 0700), 0);
	const char *subdirs[] = { "objects", "refs", "refs/heads" };
	for (size_t i = 0; i < 3; i++) {
		char *d = tu_path(git, subdirs[i]);
		assert_int_equal(mkdir(d, 0700), 0);
		free(d);
	}
	char *head = tu_path(git, "HEAD");
	tu_write_file(head, "ref: refs/heads/main\n");
	free(head);
	free(git);
	char *dbpath = tu_path(f->dir, "m.db");
	char *err = NULL;
	assert_int_equal(store_open(&f->db, dbpath, &err), 0);
	free(dbpath);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->db);
	tu_rmtree(f->dir);
	free(f->dir);
	free(f->file);
	free(f->clone);
	free(f);
	return 0;
}

/* Load with the given file text (NULL: no file), env and flags; returns the error
 * text (NULL on success) and leaves the result in c. */
static char *load(struct fx *f, config *c, const char *text, char **env, const char **flags,
		  size_t n_flags)
{
	if (text)
		tu_write_file(f->file, text);
	config_sources src = {
		.file = text ? f->file : NULL,
		.db = f->db,
		.env = env,
		.flags = flags,
		.n_flags = n_flags,
	};
	char *err = NULL;
	config_init(c);
	int rc = config_load(c, &src, &err);
	if (rc == 0)
		assert_null(err);
	else
		assert_non_null(err);
	return err;
}

/* Load text as the config file and expect an error containing want. */
static void expect_file_error(struct fx *f, const char *text, const char *want)
{
	config c;
	char *err = load(f, &c, text, NULL, NULL, 0);
	if (!err)
		fail_msg("no error for:\n%s", text);
	if (!strstr(err, want))
		fail_msg("error\n  %s\ndoes not contain\n  %s", err, want);
	free(err);
	config_free(&c);
}

static void expect_clone_problem(struct fx *f, const char *text, const char *want)
{
	config c;
	char *err = load(f, &c, text, NULL, NULL, 0);
	if (err)
		fail_msg("an error for a missing clone:\n%s", err);
	if (!c.warnings || !strstr(c.warnings, want))
		fail_msg("warnings\n  %s\ndo not contain\n  %s", c.warnings ? c.warnings : "(none)", want);
	assert_int_equal(c.n_repos, 1);
	assert_non_null(c.repos[0].problem);
	config_free(&c);
}

static void test_defaults(void **state)
{
	struct fx *f = *state;
	config c;
	char *err = load(f, &c, NULL, NULL, NULL, 0);
	assert_null(err);
	assert_int_equal(config_int(&c, CFG_TRIAGE_DRAFT_THRESHOLD), 85);
	assert_int_equal(config_int(&c, CFG_TRIAGE_ASSIGN_THRESHOLD), 60);
	assert_true(config_bool(&c, CFG_TRIAGE_DRAFT_FIXES));
	assert_int_equal(config_duration(&c, CFG_TRIAGE_DUPLICATE_WINDOW), 600);
	assert_int_equal(config_int(&c, CFG_TRIAGE_OVERLOAD_LIMIT), 5);
	assert_int_equal(config_int(&c, CFG_TRIAGE_DECAY_DAYS), 90);
	assert_int_equal(config_duration(&c, CFG_WORKER_POLL_INTERVAL), 60);
	assert_string_equal(config_str(&c, CFG_GITHUB_API_URL), "https://api.github.com");
	assert_non_null(strstr(config_str(&c, CFG_EXPERTISE_BOTS), "dependabot"));
	assert_null(config_str(&c, CFG_GITHUB_TOKEN));
	assert_string_equal(config_display(&c, CFG_LLM_URL), "(unset)");
	for (int k = 0; k < CFG_N_KEYS; k++) {
		assert_int_equal(c.origin[k].source, CFG_SRC_DEFAULT);
		assert_int_equal(config_key_lookup(config_key_name(k)), k);
		assert_non_null(config_key_help(k));
	}
	assert_int_equal(c.n_repos, 0);
	config_free(&c);
}

static const char layered_file[] =
	"# team settings\n"
	"[triage]\n"
	"\tdraft-threshold = 80\n"
	"\tassign-threshold = 50\n"
	"\toverload-limit = 7\n"
	"\tdecay-days = 60\n"
	"[worker]\n"
	"\tpoll-interval = 2m\n";

static void test_precedence(void **state)
{
	struct fx *f = *state;
	/* database beats file; environment beats database; flag beats environment. */
	assert_int_equal(config_save(f->db, NULL, "triage.assign_threshold", "55", NULL), 0);
	assert_int_equal(config_save(f->db, NULL, "triage.overload-limit", "8", NULL), 0);
	assert_int_equal(config_save(f->db, NULL, "triage.decay_days", "45", NULL), 0);
	char *env[] = { "MAHORAGA_TRIAGE_OVERLOAD_LIMIT=9", "MAHORAGA_TRIAGE_DECAY_DAYS=30",
			"GH_TOKEN=ghp_secretvalue", "HOME=/nowhere", NULL };
	const char *flags[] = { "triage.decay-days=15" };
	config c;
	char *err = load(f, &c, layered_file, env, flags, 1);
	assert_null(err);

	assert_int_equal(config_int(&c, CFG_TRIAGE_DRAFT_THRESHOLD), 80);
	assert_int_equal(c.origin[CFG_TRIAGE_DRAFT_THRESHOLD].source, CFG_SRC_FILE);
	char *where = xasprintf("%s:3", f->file);
	assert_string_equal(c.origin[CFG_TRIAGE_DRAFT_THRESHOLD].where, where);
	free(where);

	assert_int_equal(config_int(&c, CFG_TRIAGE_ASSIGN_THRESHOLD), 55);
	assert_int_equal(c.origin[CFG_TRIAGE_ASSIGN_THRESHOLD].source, CFG_SRC_DB);
	assert_null(c.saved[CFG_TRIAGE_ASSIGN_THRESHOLD]);

	assert_int_equal(config_int(&c, CFG_TRIAGE_OVERLOAD_LIMIT), 9);
	assert_int_equal(c.origin[CFG_TRIAGE_OVERLOAD_LIMIT].source, CFG_SRC_ENV);
	assert_string_equal(c.origin[CFG_TRIAGE_OVERLOAD_LIMIT].where,
			    "environment MAHORAGA_TRIAGE_OVERLOAD_LIMIT");
	/* The settings editor can say that the environment hides the saved 8. */
	assert_string_equal(c.saved[CFG_TRIAGE_OVERLOAD_LIMIT], "8");

	assert_int_equal(config_int(&c, CFG_TRIAGE_DECAY_DAYS), 15);
	assert_int_equal(c.origin[CFG_TRIAGE_DECAY_DAYS].source, CFG_SRC_FLAG);
	assert_string_equal(c.saved[CFG_TRIAGE_DECAY_DAYS], "45");

	assert_int_equal(config_duration(&c, CFG_WORKER_POLL_INTERVAL), 120);
	assert_int_equal(c.origin[CFG_TRIAGE_DUPLICATE_WINDOW].source, CFG_SRC_DEFAULT);

	/* Secrets: from the environment, never shown. */
	assert_string_equal(config_str(&c, CFG_GITHUB_TOKEN), "ghp_secretvalue");
	assert_string_equal(config_display(&c, CFG_GITHUB_TOKEN), "(set, hidden)");
	assert_string_equal(c.origin[CFG_GITHUB_TOKEN].where, "environment GH_TOKEN");
	config_free(&c);
}

static void test_gh_token_order_and_env_names(void **state)
{
	struct fx *f = *state;
	char *env[] = { "GITHUB_TOKEN=second", "GH_TOKEN=first", "SLACK_BOT_TOKEN=xoxb-1",
			"MAHORAGA_LLM_URL=http://127.0.0.1:11434/v1/", "MAHORAGA_CONFIG=/x",
			"MAHORAGA_DB=/y", NULL };
	config c;
	char *err = load(f, &c, NULL, env, NULL, 0);
	assert_null(err);
	assert_string_equal(config_str(&c, CFG_GITHUB_TOKEN), "first");
	assert_string_equal(config_str(&c, CFG_SLACK_TOKEN), "xoxb-1");
	assert_string_equal(config_str(&c, CFG_LLM_URL), "http://127.0.0.1:11434/v1");
	config_free(&c);
}

static void test_values_are_canonical(void **state)
{
	struct fx *f = *state;
	config c;
	char *err = load(f, &c,
			 "[triage]\n"
			 "  duplicate-window = 5400\n"
			 "  draft-fixes = off\n"
			 "[expertise]\n"
			 "  bots = \" [bot] , ci-robot,,  \"\n"
			 "[github]\n"
			 "  api-url = https://ghe.example.com/api/v3/\n",
			 NULL, NULL, 0);
	assert_null(err);
	assert_string_equal(config_str(&c, CFG_TRIAGE_DUPLICATE_WINDOW), "1h30m");
	assert_int_equal(config_duration(&c, CFG_TRIAGE_DUPLICATE_WINDOW), 5400);
	assert_false(config_bool(&c, CFG_TRIAGE_DRAFT_FIXES));
	assert_string_equal(config_str(&c, CFG_EXPERTISE_BOTS), "[bot],ci-robot");
	assert_string_equal(config_str(&c, CFG_GITHUB_API_URL), "https://ghe.example.com/api/v3");
	config_free(&c);

	/* A key with no "=" is true, as in git. */
	err = load(f, &c, "[triage]\n\tdraft-fixes\n", NULL, NULL, 0);
	assert_null(err);
	assert_true(config_bool(&c, CFG_TRIAGE_DRAFT_FIXES));
	config_free(&c);

	char *canon = NULL;
	assert_int_equal(config_check_saved("triage.duplicate-window", "1d2h", &canon, NULL), 0);
	assert_string_equal(canon, "1d2h");
	free(canon);
	assert_int_equal(config_check_saved("worker.poll_interval", "120", &canon, NULL), 0);
	assert_string_equal(canon, "2m");
	free(canon);
}

static void test_repos(void **state)
{
	struct fx *f = *state;
	char *text = xasprintf("[repo \"Acme/Widgets\"]\n"
			       "\tpath = %s\n"
			       "\tinbox = %s/inbox\n"
			       "[repo \"acme/gadgets\"]\n"
			       "\tpath = %s\n",
			       f->clone, f->dir, f->clone);
	config c;
	char *err = load(f, &c, text, NULL, NULL, 0);
	assert_null(err);
	assert_int_equal(c.n_repos, 2);
	assert_string_equal(c.repos[0].slug, "Acme/Widgets");
	assert_string_equal(c.repos[0].path, f->clone);
	assert_non_null(strstr(c.repos[0].inbox, "/inbox"));
	char *where = xasprintf("%s:2", f->file);
	assert_string_equal(c.repos[0].path_origin.where, where);
	free(where);
	assert_null(c.repos[1].inbox);
	config_free(&c);

	/* A flag can point a repository elsewhere for one run. */
	char *flag = xasprintf("repo.acme/gadgets.path=%s", f->dir);
	const char *flags[] = { flag };
	/* one that is not a clone is that repository's problem: said as a
	 * warning, the settings load and the other repositories work */
	err = load(f, &c, text, NULL, flags, 1);
	assert_null(err);
	assert_null(c.repos[0].problem);
	assert_non_null(c.repos[1].problem);
	assert_non_null(strstr(c.repos[1].problem, "is not a git repository"));
	assert_non_null(c.warnings);
	assert_non_null(strstr(c.warnings, "-c repo.acme/gadgets.path"));
	assert_non_null(strstr(c.warnings, "skipped until it is there"));
	config_free(&c);
	free(flag);
	free(text);
}

static void test_file_errors(void **state)
{
	struct fx *f = *state;
	char *w = xasprintf("%s:3: triage.draft_threshold: 140 is out of range (0-100)", f->file);
	expect_file_error(f, "[triage]\n\tassign-threshold = 10\n\tdraft-threshold = 140\n", w);
	free(w);
	w = xasprintf("%s:2: triage.overload_limit: 'five' is not a whole number", f->file);
	expect_file_error(f, "[triage]\n\toverload-limit = five\n", w);
	free(w);
	w = xasprintf("%s:2: triage.draft_treshold: unknown key (did you mean", f->file);
	expect_file_error(f, "[triage]\n\tdraft-treshold = 80\n", w);
	free(w);
	expect_file_error(f, "[triage]\n\tdraft-treshold = 80\n", "triage.draft_threshold?)");
	w = xasprintf("%s:2: frobnicate.level: unknown key\n", f->file);
	expect_file_error(f, "[frobnicate]\n\tlevel = 3\n[triage]\n\tdecay-days = 0\n", w);
	free(w);
	expect_file_error(f, "[triage]\n\tdecay-days = 0\n",
			  "triage.decay_days: 0 is out of range (1-3650)");
	expect_file_error(f, "[triage]\n\tdraft-fixes = maybe\n",
			  "triage.draft_fixes: 'maybe' is not a boolean");
	expect_file_error(f, "[triage]\n\tduplicate-window = 10 minutes\n",
			  "'10 minutes' is not a duration");
	expect_file_error(f, "[worker]\n\tpoll-interval = 1s\n",
			  "worker.poll_interval: 1s is out of range (5s-1d)");
	expect_file_error(f, "[github]\n\tapi-url = ftp://example.com\n",
			  "github.api_url: 'ftp://example.com' is not an http:// or https:// URL");
	expect_file_error(f, "[llm]\n\tmodel = \"\"\n", "llm.model: needs a value");
	w = xasprintf("%s:4: api_url: git-config keys cannot contain '_': write api-url", f->file);
	expect_file_error(f, "# comment\n[github]\n\n\tapi_url = https://x.example\n", w);
	free(w);
	/* libgit2's own syntax error keeps its line number. */
	w = xasprintf("%s:3", f->file);
	expect_file_error(f, "[triage]\n\tdraft-threshold = 80\n\t!bad\n", w);
	free(w);
	expect_file_error(f, "[triage\n", "failed to parse config file");
	expect_file_error(f, "[slack]\n\ttoken = xoxb-123\n",
			  "slack.token: a secret is read from the environment only: set "
			  "SLACK_BOT_TOKEN");
	expect_file_error(f, "[github]\n\ttoken = ghp_x\n", "set GH_TOKEN or GITHUB_TOKEN");
	/* a clone that is not there: a warning naming it, never an error */
	expect_clone_problem(f, "[repo \"acme/widgets\"]\n\tpath = /no/such/clone\n",
			     "repo.acme/widgets.path: /no/such/clone: No such file or directory");
	w = xasprintf("[repo \"acme/widgets\"]\n\tpath = %s\n", f->file);
	expect_clone_problem(f, w, "is not a directory");
	free(w);
	w = xasprintf("[repo \"acme/widgets\"]\n\tpath = %s\n", f->dir);
	expect_clone_problem(f, w, "is not a git repository");
	free(w);
	expect_file_error(f, "[repo \"acme/widgets\"]\n\tpath =\n", "needs the path of a local clone");
	w = xasprintf("[repo \"widgets\"]\n\tpath = %s\n", f->clone);
	expect_file_error(f, w, "'widgets' is not owner/name");
	free(w);
	w = xasprintf("[repo \"acme/widgets\"]\n\tpath = %s\n\tbranch = main\n", f->clone);
	expect_file_error(f, w, "repo.acme/widgets.branch: unknown key");
	free(w);
	expect_file_error(f, "[repo \"acme/widgets\"]\n\tinbox = /tmp/inbox\n",
			  "repo \"acme/widgets\" has an inbox but no path");
	w = xasprintf("%s:2: triage.assign_threshold = 90 (%s:2), triage.draft_threshold = 85 "
		      "(default)", f->file, f->file);
	expect_file_error(f, "[triage]\n\tassign-threshold = 90\n", "must not be above");
	expect_file_error(f, "[triage]\n\tassign-threshold = 90\n", w + strlen(f->file) + 4);
	free(w);
}

static void test_every_problem_is_reported(void **state)
{
	struct fx *f = *state;
	config c;
	char *err = load(f, &c,
			 "[triage]\n"
			 "\tdraft-threshold = 140\n"
			 "\toverload-limit = -1\n"
			 "[triage]\n"
			 "\tdraft-threshold = 101\n",
			 NULL, NULL, 0);
	assert_non_null(err);
	/* The same key twice: each occurrence named at its own line. */
	char *l2 = xasprintf("%s:2:", f->file), *l3 = xasprintf("%s:3:", f->file),
	     *l5 = xasprintf("%s:5:", f->file);
	assert_non_null(strstr(err, l2));
	assert_non_null(strstr(err, l3));
	assert_non_null(strstr(err, l5));
	free(l2);
	free(l3);
	free(l5);
	free(err);
	config_free(&c);
}

static void test_continuation_lines_keep_numbers(void **state)
{
	struct fx *f = *state;
	config c;
	char *err = load(f, &c,
			 "[llm]\n"
			 "\tmodel = a-very-\\\n"
			 "long-model ; comment\n"
			 "[triage] decay-days = 9999\n",
			 NULL, NULL, 0);
	assert_non_null(err);
	char *want = xasprintf("%s:4: triage.decay_days", f->file);
	assert_non_null(strstr(err, want));
	free(want);
	free(err);
	config_free(&c);
}

/* One key written 10,000 times (a generated or hostile file): the last wins,
 * named by its own line, in time linear in the file (it took 12 s and 738 MB). */
static void test_repeated_key(void **state)
{
	struct fx *f = *state;
	strbuf text = STRBUF_INIT;
	strbuf_addstr(&text, "[triage]\n");
	for (int i = 0; i < 10000; i++)
		strbuf_addf(&text, "\tdraft-threshold = %d\n", 60 + i % 30);
	config c;
	char *err = load(f, &c, text.buf, NULL, NULL, 0);
	assert_null(err);
	assert_int_equal(config_int(&c, CFG_TRIAGE_DRAFT_THRESHOLD), 60 + 9999 % 30);
	char *where = xasprintf("%s:10001", f->file);
	assert_string_equal(c.origin[CFG_TRIAGE_DRAFT_THRESHOLD].where, where);
	free(where);
	config_free(&c);
	strbuf_release(&text);
}

static void test_environment_errors(void **state)
{
	struct fx *f = *state;
	char *env[] = { "MAHORAGA_TRIAGE_DRAFT_THRESHOLD=high", "MAHORAGA_TRIAGE_DRAFTTHRESHOLD=1",
			"SLACK_WEBHOOK_URL=not-a-url-with-secret", NULL };
	config c;
	char *err = load(f, &c, NULL, env, NULL, 0);
	assert_non_null(err);
	assert_non_null(strstr(err, "environment MAHORAGA_TRIAGE_DRAFT_THRESHOLD: "
				    "triage.draft_threshold: 'high' is not a whole number"));
	assert_non_null(strstr(err, "environment MAHORAGA_TRIAGE_DRAFTTHRESHOLD: unknown setting "
				    "variable"));
	/* A secret's bad value is reported without repeating it. */
	assert_non_null(strstr(err, "environment SLACK_WEBHOOK_URL: slack.webhook_url: invalid "
				    "value"));
	assert_null(strstr(err, "not-a-url-with-secret"));
	free(err);
	config_free(&c);
}

static void test_flag_errors(void **state)
{
	struct fx *f = *state;
	const char *flags[] = { "triage.draft_threshold", "github.token=ghp_x",
				"slack.webhook_url=https://hooks.slack.com/services/T/B/x",
				"triage.overload_limit=0" };
	config c;
	char *err = load(f, &c, NULL, NULL, flags, 4);
	assert_non_null(err);
	assert_non_null(strstr(err, "-c triage.draft_threshold: expected key=value"));
	assert_non_null(strstr(err, "-c github.token: github.token: a secret is read from the "
				    "environment only"));
	assert_non_null(strstr(err, "-c slack.webhook_url: slack.webhook_url: a secret is never "
				    "saved in the database or given as a flag"));
	assert_non_null(strstr(err, "-c triage.overload_limit: triage.overload_limit: 0 is out of "
				    "range (1-1000)"));
	free(err);
	config_free(&c);
}

static void test_saving_settings(void **state)
{
	struct fx *f = *state;
	char *err = NULL;
	assert_int_equal(config_save(f->db, NULL, "triage.draft_threshold", "140", &err), -1);
	assert_string_equal(err, "database: triage.draft_threshold: 140 is out of range (0-100)");
	free(err);
	assert_int_equal(config_save(f->db, NULL, "slack.token", "xoxb", &err), -1);
	assert_non_null(strstr(err, "environment only"));
	free(err);
	assert_int_equal(config_save(f->db, NULL, "slack.webhook_url", "https://hooks.slack.com/x",
				     &err), -1);
	assert_non_null(strstr(err, "never saved in the database"));
	free(err);
	assert_int_equal(config_save(f->db, NULL, "triage.nope", "1", &err), -1);
	assert_non_null(strstr(err, "unknown key"));
	free(err);
	store_settings saved;
	assert_int_equal(store_settings_list(f->db, &saved), 0);
	assert_int_equal(saved.n, 0);
	store_settings_free(&saved);

	/* Saved, normalized, and applied at the next load (seed property 34: no restart
	 * is needed, the worker reloads every cycle). */
	assert_int_equal(config_save(f->db, NULL, "worker.poll-interval", "300", &err), 0);
	char *v = NULL;
	assert_int_equal(store_setting_get(f->db, "worker.poll_interval", &v), 1);
	assert_string_equal(v, "5m");
	free(v);
	config c;
	assert_null(load(f, &c, NULL, NULL, NULL, 0));
	assert_int_equal(config_duration(&c, CFG_WORKER_POLL_INTERVAL), 300);
	assert_int_equal(c.origin[CFG_WORKER_POLL_INTERVAL].source, CFG_SRC_DB);
	config_free(&c);

	/* A value in the database that fails validation (written by hand) is named
	 * and left out: the next source for the key holds, nothing stops. */
	assert_int_equal(store_setting_set(f->db, "triage.decay_days", "-4"), 0);
	assert_null(load(f, &c, NULL, NULL, NULL, 0));
	assert_int_equal(config_int(&c, CFG_TRIAGE_DECAY_DAYS), 90);
	assert_string_equal(c.warnings, "database: triage.decay_days: -4 is out of range (1-3650): the saved "
					"value is ignored, the one below it is used");
	config_free(&c);
	/* saved values that contradict each other (two processes saving at once,
	 * or by hand): both left out, the next sources hold */
	assert_int_equal(store_setting_set(f->db, "triage.assign_threshold", "95"), 0);
	assert_null(load(f, &c, NULL, NULL, NULL, 0));
	assert_int_equal(config_int(&c, CFG_TRIAGE_ASSIGN_THRESHOLD), 60);
	assert_non_null(strstr(c.warnings, "assign_threshold must not be above"));
	config_free(&c);
	assert_int_equal(store_setting_unset(f->db, "triage.assign_threshold"), 1);
	/* A value fine on its own that contradicts another is not saved: it would
	 * stop every command sharing the database. */
	assert_int_equal(store_setting_unset(f->db, "triage.decay_days"), 1);
	assert_null(load(f, &c, NULL, NULL, NULL, 0));
	assert_int_equal(config_save(f->db, &c, "triage.assign_threshold", "95", &err), -1);
	assert_non_null(strstr(err, "not saved: triage.assign_threshold must not be above triage.draft_threshold"));
	free(err);
	assert_int_equal(store_setting_get(f->db, "triage.assign_threshold", &v), 0);
	assert_int_equal(config_save(f->db, &c, "triage.draft_threshold", "96", &err), 0);
	config_free(&c);
	assert_null(load(f, &c, NULL, NULL, NULL, 0));
	assert_int_equal(config_save(f->db, &c, "triage.assign_threshold", "95", &err), 0);
	config_free(&c);
	assert_int_equal(store_setting_unset(f->db, "triage.assign_threshold"), 1);
	assert_int_equal(store_setting_unset(f->db, "triage.draft_threshold"), 1);
	/* config check reports the combination too when another value is bad */
	err = load(f, &c, "[triage]\n\tdraft-threshold = 50\n\tassign-threshold = 70\n\tdecay-days = x\n",
		   NULL, NULL, 0);
	assert_non_null(strstr(err, "decay_days: 'x' is not a whole number"));
	assert_non_null(strstr(err, "assign_threshold must not be above"));
	free(err);
	config_free(&c);
	/* Keys this binary does not know (a newer one saved them) are left alone. */
	assert_int_equal(store_setting_set(f->db, "future.knob", "1"), 0);
	assert_null(load(f, &c, NULL, NULL, NULL, 0));
	config_free(&c);
}

static void test_required_file(void **state)
{
	struct fx *f = *state;
	config c;
	config_init(&c);
	char *missing = tu_path(f->dir, "nope");
	config_sources src = { .file = missing, .file_required = 1 };
	char *err = NULL;
	assert_int_equal(config_load(&c, &src, &err), -1);
	assert_non_null(strstr(err, "No such file or directory"));
	assert_non_null(strstr(err, missing));
	free(err);
	config_free(&c);

	/* The default file may be missing: defaults apply. */
	config_init(&c);
	src.file_required = 0;
	assert_int_equal(config_load(&c, &src, &err), 0);
	assert_null(c.file);
	config_free(&c);

	config_init(&c);
	src.file = f->dir;
	assert_int_equal(config_load(&c, &src, &err), -1);
	assert_non_null(strstr(err, "not a regular file"));
	free(err);
	config_free(&c);
	free(missing);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_precedence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gh_token_order_and_env_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_values_are_canonical, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repos, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_problem_is_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_continuation_lines_keep_numbers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_repeated_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_environment_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flag_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_saving_settings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_required_file, setup, teardown),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
