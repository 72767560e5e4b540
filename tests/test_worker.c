/* The worker: one cycle over a real repository and an inbox of both formats, an
 * edited issue re-triaged once, bad files skipped, and the thread: woken by a
 * command, re-triaging on request, and stopping with no thread left behind. */
#include <dirent.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"
#include "worker.h"
#include "xalloc.h"

struct fx {
	char *dir, *inbox, *config, *db;
	char **env;
	struct app app;
	FILE *log;
};

static void sh(const char *dir, const char *cmd)
{
	char *full = xasprintf("cd '%s' && (%s) >/dev/null 2>&1", dir, cmd);
	if (system(full) != 0)
		fail_msg("failed: %s", cmd);
	free(full);
}

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	f->dir = tu_mkdtemp();
	char *repo = tu_path(f->dir, "repo");
	char *mk = xasprintf("mkdir -p '%s/app' '%s/inbox'", repo, f->dir);
	if (system(mk) != 0)
		return -1;
	free(mk);
	char *src = tu_path(repo, "app/orders.py");
	tu_write_file(src, "def total(o):\n    return o[\"sum\"]\n");
	free(src);
	sh(repo, "git init -q -b main . && git add -A && git -c user.name=Ann -c user.email=ann@x commit -qm a");
	f->inbox = tu_path(f->dir, "inbox");
	f->config = tu_path(f->dir, "config");
	char *cfg = xasprintf("[repo \"acme/shop\"]\n\tpath = %s\n\tinbox = %s\n", repo, f->inbox);
	tu_write_file(f->config, cfg);
	free(cfg);
	free(repo);
	f->db = tu_path(f->dir, "m.db");
	const char *data = getenv("TEST_DATA_DIR");
	f->env = xcalloc(3, sizeof(*f->env));
	f->env[0] = xasprintf("MAHORAGA_DATA_DIR=%s", data ? data : "data");
	f->env[1] = xasprintf("HOME=%s", f->dir);
	f->app.config_path = f->config;
	f->app.db_path = f->db;
	f->app.env = f->env;
	char *logp = tu_path(f->dir, "log");
	f->log = fopen(logp, "w+");
	free(logp);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	fclose(f->log);
	tu_rmtree(f->dir);
	xfree_strings(f->env, 2);
	free(f->dir);
	free(f->inbox);
	free(f->config);
	free(f->db);
	free(f);
	return 0;
}

static void put(struct fx *f, const char *name, const char *text)
{
	char *p = tu_path(f->inbox, name);
	tu_write_file(p, text);
	free(p);
}

static const char md[] =
	"Order total crashes\n\nSince today:\n\n```\nTraceback (most recent call last):\n"
	"  File \"/srv/shop/app/orders.py\", line 2, in total\nKeyError: 'sum'\n```\n";

static void test_cycle(void **state)
{
	struct fx *f = *state;
	put(f, "12-total.md", md);
	put(f, "issues.json",
	    "[{\"number\": 31, \"title\": \"Totals wrong\", \"body\": \"TypeError: x\\n    at f (/a.js:1:2)\\n\","
	    "  \"author\": {\"login\": \"octocat\"}, \"createdAt\": \"2026-11-20T09:00:00Z\","
	    "  \"url\": \"https://github.com/acme/shop/issues/31\"}]");
	put(f, "notes.md", "no number in the name\n");
	put(f, "broken.json", "{\"number\": ");
	worker_report r;
	assert_int_equal(worker_cycle(&f->app, &r, f->log), EXIT_DONE);
	assert_int_equal(r.seen, 2);
	assert_int_equal(r.triaged, 2);
	assert_int_equal(r.bad_files, 2);
	assert_int_equal(r.failed, 0);
	/* recorded: the issue and its decision */
	store *s = NULL;
	char *err = NULL;
	assert_int_equal(store_open(&s, f->db, &err), 0);
	int64_t repo;
	assert_int_equal(store_repo_ensure(s, "acme/shop", &repo), 0);
	store_issue is;
	store_issue_init(&is);
	assert_int_equal(store_issue_get(s, repo, 12, &is), 1);
	assert_string_equal(is.title, "Order total crashes");
	store_decision d;
	store_decision_init(&d);
	assert_int_equal(store_decision_latest(s, is.id, &d), 1);
	assert_string_equal(d.error_type, "KeyError");
	assert_non_null(strstr(d.full_json, "\"app_frame\""));
	store_decision_free(&d);
	store_issue_free(&is);
	store_issue_init(&is);
	assert_int_equal(store_issue_get(s, repo, 31, &is), 1);
	assert_string_equal(is.author, "octocat");
	store_issue_free(&is);
	store_close(s);
	/* nothing new: nothing triaged; an edit: that issue once */
	assert_int_equal(worker_cycle(&f->app, &r, f->log), EXIT_DONE);
	assert_int_equal(r.triaged, 0);
	char *edited = xasprintf("%s\nIt also happens on refunds.\n", md);
	put(f, "12-total.md", edited);
	free(edited);
	assert_int_equal(worker_cycle(&f->app, &r, f->log), EXIT_DONE);
	assert_int_equal(r.triaged, 1);
	assert_int_equal(worker_cycle(&f->app, &r, f->log), EXIT_DONE);
	assert_int_equal(r.triaged, 0);
}

static int threads(void)
{
	DIR *d = opendir("/proc/self/task");
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

/* Wait for the worker's next wake-up; false after 60 s. */
static bool woken(worker *w)
{
	struct pollfd p = { .fd = worker_wake_fd(w), .events = POLLIN };
	if (poll(&p, 1, 60000) != 1)
		return false;
	char buf[16];
	while (read(p.fd, buf, sizeof(buf)) > 0)
		;
	return true;
}

static void test_thread(void **state)
{
	struct fx *f = *state;
	put(f, "12-total.md", md);
	int before = threads();
	worker *w = worker_start(&f->app, f->log);
	assert_non_null(w);
	assert_true(woken(w)); /* the first cycle runs at once */
	worker_status st;
	worker_get_status(w, &st);
	assert_true(st.cycles >= 1);
	assert_true(st.last_poll > 0);
	/* a new file and a "poll now": seen without waiting for the interval */
	put(f, "40-new.md", "A new report\n\nValueError: x\n");
	worker_poll_now(w);
	assert_true(woken(w));
	worker_get_status(w, &st);
	assert_int_equal(st.last.triaged, 1);
	/* a re-triage request */
	worker_retriage(w, "acme/shop", 40);
	assert_true(woken(w));
	worker_get_status(w, &st);
	assert_int_equal(st.last.triaged, 1);
	worker_stop(w);
	assert_int_equal(threads(), before); /* no thread left running */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_thread, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
