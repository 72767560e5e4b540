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
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "inbox.h"
#include "manual.h"
#include "safe_out.h"
#include "testutil.h"
#include "link_header.h"
#include "worker.h"
#include "xalloc.h"

struct fx {
	char *dir, *inbox, *config, *db;
	char **env;
	struct app app;
	FILE *log;
};

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
	tu_sh(repo, "git init -q -b main . && git add -A && git -c user.name=Ann -c user.email=ann@x commit -qm a");
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

/* Append text to the fixture's config file. */
static void add_config(struct fx *f, const char *text)
{
	char *was = tu_read_file(f->config);
	char *now = xasprintf("%s%s", was, text);
	tu_write_file(f->config, now);
	free(now);
	free(was);
}

/* The store, and issue number of acme/shop loaded into *is (initialized here). */
static store *issue_of(struct fx *f, int number, store_issue *is)
{
	store *s = NULL;
	char *err = NULL;
	if (store_open(&s, f->db, &err) < 0)
		fail_msg("store_open: %s", err);
	int64_t repo;
	assert_int_equal(store_repo_ensure(s, "acme/shop", &repo), 0);
	store_issue_init(is);
	assert_int_equal(store_issue_get(s, repo, number, is), 1);
	return s;
}

static const char md[] =
	"Order total crashes\n\nSince today:\n\n```\nTraceback (most recent call last):\n"
	"  File \"/srv/shop/app/orders.py\", line 2, in total\nKeyError: 'sum'\n```\n";

/* The sanitizing output stream: escapes go, layout stays, and a character cut
 * between two writes arrives whole. */
static void test_safe_out(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *path = tu_path(dir, "out.txt");
	FILE *under = fopen(path, "w");
	assert_non_null(under);
	FILE *f = safe_out_open(under);
	assert_non_null(f);
	fputs("name,mail\r\n\tMallory\033]52;c;cm0K\007 \xe2\x80\xaeok\n", f);
	fputs("caf\xc3", f); /* the first byte of an é, flushed alone */
	fflush(f);
	fputs("\xa9 cr\xc3\xa8me \xf0\x9f\x8e", f);
	fflush(f);
	fputs("\x89!\n", f);
	assert_int_equal(fclose(f), 0);
	char *got = tu_read_file(path);
	assert_string_equal(got, "name,mail\r\n\tMallory ok\ncaf\xc3\xa9 cr\xc3\xa8me \xf0\x9f\x8e\x89!\n");
	free(got);
	/* a write that fails is an error of the stream */
	under = fopen("/dev/full", "w");
	assert_non_null(under);
	f = safe_out_open(under);
	fputs("lost\n", f);
	assert_int_not_equal(fflush(f), 0);
	assert_int_not_equal(fclose(f), 0);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

/* The inbox reads its own regular files only: a link out of it (to a file
 * only root may read) and a FIFO that would block are bad files, not issues. */
static void test_inbox_reads_only_its_files(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *in = tu_path(dir, "inbox"), *secret = tu_path(dir, "secret.txt");
	assert_int_equal(mkdir(in, 0700), 0);
	tu_write_file(secret, "root:$6$hash:19000:0:99999:7:::\n");
	char *link = xasprintf("%s/7-crash.md", in), *fifo = xasprintf("%s/8-hang.md", in);
	char *good = xasprintf("%s/9-ok.md", in);
	assert_int_equal(symlink(secret, link), 0);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	tu_write_file(good, "Crash on save\n\nTraceback (most recent call last):\n");
	inbox_list l;
	inbox_list_init(&l);
	char *err = NULL;
	assert_int_equal(inbox_scan(in, &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].number, 9);
	assert_int_equal(l.nerrors, 2);
	bool said_link = false;
	for (size_t i = 0; i < l.nerrors; i++)
		said_link |= strstr(l.errors[i], "7-crash.md: a symbolic link") != NULL;
	assert_true(said_link);
	for (size_t i = 0; i < l.n; i++)
		assert_null(strstr(l.v[i].body, "root:"));
	inbox_list_free(&l);
	free(link);
	free(fifo);
	free(good);
	free(in);
	free(secret);
	tu_rmtree(dir);
	free(dir);
}

/* Two files with one issue number (or two objects of a JSON array) would take
 * turns being the issue every cycle: the first stays, the others are bad files. */
static void test_inbox_repeated_numbers(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *a = tu_path(dir, "5-first.md"), *b = tu_path(dir, "5-second.md"), *j = tu_path(dir, "all.json");
	tu_write_file(a, "Crash in the loader\n\nfirst body\n");
	tu_write_file(b, "Another title\n\nsecond body\n");
	tu_write_file(j, "[{\"number\": 6, \"title\": \"Six\", \"body\": \"one\"},"
			 " {\"number\": 6, \"title\": \"Six again\", \"body\": \"two\"},"
			 " {\"number\": 7, \"title\": \"Seven\", \"body\": \"x\"}]");
	for (int round = 0; round < 2; round++) { /* the same every time */
		inbox_list l;
		inbox_list_init(&l);
		char *err = NULL;
		assert_int_equal(inbox_scan(dir, &l, &err), 0);
		assert_int_equal(l.n, 3);
		assert_int_equal(l.nerrors, 2);
		for (size_t i = 0; i < l.n; i++) {
			if (l.v[i].number == 5)
				assert_string_equal(l.v[i].title, "Crash in the loader");
			if (l.v[i].number == 6)
				assert_string_equal(l.v[i].title, "Six");
		}
		bool said = false;
		for (size_t i = 0; i < l.nerrors; i++)
			said |= strstr(l.errors[i], "5-second.md: issue #5 is also in") != NULL;
		assert_true(said);
		inbox_list_free(&l);
	}
	free(a);
	free(b);
	free(j);
	tu_rmtree(dir);
	free(dir);
}

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
	store_issue is;
	store *s = issue_of(f, 12, &is);
	int64_t repo = is.repo_id;
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
	/* the bus factor saved with the index, and who knows its risky file, for
	 * the screen's drill-down */
	store_expertise_list k;
	assert_int_equal(store_risk_knowers(s, "acme/shop", "app/orders.py", &k), 0);
	assert_int_equal(k.n, 1);
	assert_string_equal(k.v[0].email, "ann@x");
	assert_int_equal(k.v[0].commits, 1);
	assert_int_equal(k.v[0].lines_owned, 2);
	store_expertise_list_free(&k);
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

/* A stop asked for (SIGTERM to `poll`, the command center quitting) is obeyed
 * before the next issue, not at the end of the cycle; what is left waits, and
 * the next cycle triages it. */
static void test_stop_between_issues(void **state)
{
	struct fx *f = *state;
	put(f, "12-total.md", md);
	put(f, "13-total.md", md);
	worker_report r;
	bool stop = true;
	assert_int_equal(worker_cycle_until(&f->app, &r, f->log, &stop, NULL), EXIT_DONE);
	assert_int_equal(r.triaged, 0);
	stop = false;
	assert_int_equal(worker_cycle_until(&f->app, &r, f->log, &stop, NULL), EXIT_DONE);
	assert_int_equal(r.triaged, 2);
}

/* GitHub's Link header: the next page, wherever it stands among the others. */
static void test_link_header(void **state)
{
	(void)state;
	char *next = link_next("<https://api.github.com/repositories/1300192/issues?page=2>; rel=\"next\", "
				      "<https://api.github.com/repositories/1300192/issues?page=515>; rel=\"last\"");
	assert_string_equal(next, "https://api.github.com/repositories/1300192/issues?page=2");
	free(next);
	next = link_next("<https://api.github.com/x?page=1>; rel=\"prev\", <https://api.github.com/x?page=3>; "
				"rel=\"next\", <https://api.github.com/x?page=1>; rel=\"first\"");
	assert_string_equal(next, "https://api.github.com/x?page=3");
	free(next);
	assert_null(link_next("<https://api.github.com/x?page=1>; rel=\"prev\""));
	assert_null(link_next(NULL));
	assert_null(link_next("<unterminated; rel=\"next\""));
}

static int open_count(store *s, const char *email);

/* A second report of the bug someone already has: linked to the first, not
 * assigned again, and nobody's load grows. */
static void test_duplicate_of_assigned(void **state)
{
	struct fx *f = *state;
	/* sure enough to assign whatever the model: the point is the link */
	add_config(f, "[triage]\n\tassign-threshold = 1\n\tdraft-fixes = false\n");
	put(f, "12-total.md", md);
	worker_report r;
	assert_int_equal(worker_cycle(&f->app, &r, f->log), EXIT_DONE);
	store_issue is;
	store *s = issue_of(f, 12, &is);
	assert_int_equal(open_count(s, "ann@x"), 1);
	store_issue_free(&is);
	store_close(s);
	put(f, "13-again.md", "Checkout broken too\n\n```\nTraceback (most recent call last):\n"
			      "  File \"/srv/shop/app/orders.py\", line 2, in total\nKeyError: 'sum'\n```\n");
	assert_int_equal(worker_cycle(&f->app, &r, f->log), EXIT_DONE);
	assert_int_equal(r.triaged, 1);
	s = issue_of(f, 13, &is);
	store_decision d;
	store_decision_init(&d);
	assert_int_equal(store_decision_latest(s, is.id, &d), 1);
	assert_string_equal(d.route, "human");
	assert_null(d.assignee_email);
	assert_non_null(strstr(d.reasoning, "Duplicate of #12, with ann@x"));
	assert_non_null(strstr(d.full_json, "\"duplicate_of\""));
	assert_int_equal(open_count(s, "ann@x"), 1);
	store_assignment a;
	store_assignment_init(&a);
	assert_int_equal(store_assignment_open(s, is.id, &a), 0);
	store_assignment_free(&a);
	store_decision_free(&d);
	store_issue_free(&is);
	store_close(s);
	/* the log says what happened */
	fflush(f->log);
	rewind(f->log);
	char *log = tu_read_stream(f->log);
	assert_non_null(strstr(log, "acme/shop#13 KeyError -> human"));
	assert_non_null(strstr(log, "duplicate of #12 with ann@x"));
	free(log);
}

/* Record a manual action and apply it as the worker does; the action's result. */
static store_manual act(store *s, const config *cfg, int64_t issue, const char *kind, const char *who,
			const char *reason)
{
	store_manual m;
	store_manual_init(&m);
	m.issue_id = issue;
	m.kind = xstrdup(kind);
	m.assignee_email = who ? xstrdup(who) : NULL;
	m.reason = reason ? xstrdup(reason) : NULL;
	assert_int_equal(store_manual_add(s, &m), 0);
	bool retriage = false;
	assert_true(manual_apply(s, cfg, m.id, &retriage) >= 0);
	assert_int_equal(store_manual_get(s, m.id, &m), 1);
	return m;
}

static int open_count(store *s, const char *email)
{
	int n = -1;
	assert_int_equal(store_workload(s, email, &n), 0);
	return n;
}

/* Manual triage against a real repository and database: reassign (and the load
 * moves), a person's choice surviving an edit's re-triage, human triage,
 * refusals recorded as failed, a draft approved and rejected (its branch
 * deleted in the clone), and actions left pending by a crash applied by the
 * next cycle. */
static void test_manual(void **state)
{
	struct fx *f = *state;
	/* the manual actions on their own: the worker drafts nothing itself */
	add_config(f, "[triage]\n\tdraft-fixes = false\n");
	put(f, "12-total.md", md);
	worker_report r;
	assert_int_equal(worker_cycle(&f->app, &r, f->log), EXIT_DONE);
	assert_int_equal(r.triaged, 1);
	store_issue is;
	store *s = issue_of(f, 12, &is);
	config cfg;
	assert_int_equal(app_load_config(&f->app, s, &cfg), EXIT_DONE);

	/* reassign with a reason: the assignment and the load change together */
	store_manual m = act(s, &cfg, is.id, "reassign", "Bob@X", "Bob rewrote totals last week");
	assert_string_equal(m.state, "done");
	assert_string_equal(m.result, "#12 reassigned to bob@x");
	store_manual_free(&m);
	assert_int_equal(open_count(s, "bob@x"), 1);
	store_assignment a;
	store_assignment_init(&a);
	assert_int_equal(store_assignment_open(s, is.id, &a), 1);
	assert_string_equal(a.assignee_email, "bob@x");
	assert_string_equal(a.note, "Bob rewrote totals last week");
	assert_int_equal(a.decision_id, 0);
	store_assignment_free(&a);
	/* to the same person again: refused, recorded as failed */
	m = act(s, &cfg, is.id, "reassign", "bob@x", NULL);
	assert_string_equal(m.state, "failed");
	assert_string_equal(m.result, "bob@x already has #12");
	store_manual_free(&m);

	/* the reporter edits the issue: re-triaged, but the person's choice holds */
	assert_int_equal(manual_holds(s, is.id), 1);
	char *edited = xasprintf("%s\nAlso on refunds.\n", md);
	put(f, "12-total.md", edited);
	free(edited);
	assert_int_equal(worker_cycle(&f->app, &r, f->log), EXIT_DONE);
	assert_int_equal(r.triaged, 1);
	assert_int_equal(open_count(s, "bob@x"), 1);

	/* the feed shows who has it now and what a person did */
	store_feed feed;
	assert_int_equal(store_feed_list(s, 10, &feed), 0);
	assert_int_equal(feed.n, 1);
	assert_string_equal(feed.v[0].assignee, "bob@x");
	assert_string_equal(feed.v[0].manual, "reassign");
	store_feed_free(&feed);

	/* human triage: nobody has it */
	m = act(s, &cfg, is.id, "human", NULL, NULL);
	assert_string_equal(m.state, "done");
	assert_string_equal(m.result, "#12 sent to human triage, taken from bob@x");
	store_manual_free(&m);
	assert_int_equal(open_count(s, "bob@x"), 0);
	assert_int_equal(store_feed_list(s, 10, &feed), 0);
	assert_null(feed.v[0].assignee);
	store_feed_free(&feed);

	/* no draft: approving and rejecting are refused with a reason */
	m = act(s, &cfg, is.id, "approve_draft", NULL, NULL);
	assert_string_equal(m.state, "failed");
	assert_string_equal(m.result, "#12 has no draft fix");
	store_manual_free(&m);

	/* a draft on a branch: approve it, then reject it (the branch goes) */
	char *repo_dir = tu_path(f->dir, "repo");
	tu_sh(repo_dir, "git branch mahoraga/draft-12");
	store_decision d;
	store_decision_init(&d);
	assert_int_equal(store_decision_latest(s, is.id, &d), 1);
	d.id = 0;
	free(d.draft_branch);
	d.draft_branch = xstrdup("mahoraga/draft-12");
	assert_int_equal(store_decision_record(s, &d), 0);
	store_decision_free(&d);
	m = act(s, &cfg, is.id, "approve_draft", NULL, NULL);
	assert_string_equal(m.state, "done");
	assert_string_equal(m.result, "draft of #12 approved: mahoraga/draft-12 is ready for review");
	store_manual_free(&m);
	m = act(s, &cfg, is.id, "reject_draft", NULL, "wrong fix");
	assert_string_equal(m.state, "done");
	assert_string_equal(m.result, "draft of #12 rejected: branch mahoraga/draft-12 deleted");
	store_manual_free(&m);
	char *check = xasprintf("cd '%s' && ! git rev-parse -q --verify refs/heads/mahoraga/draft-12 >/dev/null", repo_dir);
	assert_int_equal(system(check), 0);
	free(check);
	free(repo_dir);

	/* a re-triage lifts the hold; left pending (a crash), the next cycle applies it */
	store_manual p;
	store_manual_init(&p);
	p.issue_id = is.id;
	p.kind = xstrdup("retriage");
	assert_int_equal(store_manual_add(s, &p), 0);
	assert_int_equal(worker_cycle(&f->app, &r, f->log), EXIT_DONE);
	assert_int_equal(r.triaged, 1);
	assert_int_equal(store_manual_get(s, p.id, &p), 1);
	assert_string_equal(p.state, "done");
	store_manual_free(&p);
	assert_int_equal(manual_holds(s, is.id), 0);
	int64_t beat = 0;
	assert_int_equal(store_cycle_last(s, &beat), 0);
	assert_true(beat > 0);

	store_manuals all;
	assert_int_equal(store_manual_list(s, is.id, &all), 0);
	assert_int_equal(all.n, 7);
	store_manuals_free(&all);
	store_issue_free(&is);
	config_free(&cfg);
	store_close(s);
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

/* Wait until the worker has finished one more cycle than before. */
static void next_cycle(worker *w, worker_status *st, size_t before)
{
	for (int i = 0; i < 10 && st->cycles == before; i++) {
		assert_true(woken(w));
		worker_get_status(w, st);
	}
	assert_int_equal(st->cycles, before + 1);
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
	/* a file dropped into the inbox is noticed without being asked */
	size_t seen_cycles = st.cycles;
	put(f, "41-dropped.md", "Dropped in\n\nValueError: y\n");
	next_cycle(w, &st, seen_cycles);
	assert_int_equal(st.last.triaged, 1);
	/* a re-triage asked for in the store and handed over: applied, the screen
	 * woken, then a cycle triages the issue again */
	size_t cycles = st.cycles;
	store_issue is;
	store *s = issue_of(f, 40, &is);
	store_manual m;
	store_manual_init(&m);
	m.issue_id = is.id;
	m.kind = xstrdup("retriage");
	assert_int_equal(store_manual_add(s, &m), 0);
	worker_apply(w, m.id);
	next_cycle(w, &st, cycles);
	assert_int_equal(st.last.triaged, 1);
	assert_int_equal(store_manual_get(s, m.id, &m), 1);
	assert_string_equal(m.state, "done");
	store_manual_free(&m);
	store_issue_free(&is);
	store_close(s);
	worker_stop(w);
	assert_int_equal(threads(), before); /* no thread left running */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_safe_out),
		cmocka_unit_test(test_link_header),
		cmocka_unit_test(test_inbox_reads_only_its_files),
		cmocka_unit_test(test_inbox_repeated_numbers),
		cmocka_unit_test_setup_teardown(test_cycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_between_issues, setup, teardown),
		cmocka_unit_test_setup_teardown(test_manual, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_of_assigned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_thread, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
