/* Tests for core/store: round trips through close and reopen (seed properties 30 and
 * 31), migrations, version refusal, concurrency and file permissions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "manual.h"
#include "store.h"
#include "testutil.h"
#include "xalloc.h"

struct fx {
	char *dir;
	char *db;
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	f->dir = tu_mkdtemp();
	f->db = tu_path(f->dir, "mahoraga.db");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	tu_rmtree(f->dir);
	free(f->dir);
	free(f->db);
	free(f);
	return 0;
}

static store *open_ok(const char *path)
{
	store *s = NULL;
	char *err = NULL;
	int rc = store_open(&s, path, &err);
	if (rc != 0)
		fail_msg("store_open: %s", err);
	assert_non_null(s);
	assert_null(err);
	return s;
}

static store *reopen(store *s, const char *path)
{
	store_close(s);
	return open_ok(path);
}

static void test_new_database_is_private_and_current(void **state)
{
	struct fx *f = *state;
	mode_t old = umask(022);
	store *s = open_ok(f->db);
	umask(old);
	assert_int_equal(store_version(s), STORE_SCHEMA_VERSION);

	/* Write something so that the WAL file exists too. */
	assert_int_equal(store_setting_set(s, "triage.draft_threshold", "90"), 0);
	struct stat st;
	assert_int_equal(stat(f->db, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	char *wal = xasprintf("%s-wal", f->db);
	assert_int_equal(stat(wal, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	free(wal);
	store_close(s);

	/* WAL is a property of the file: a plain connection sees it. */
	sqlite3 *db;
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0), "wal");
	sqlite3_finalize(q);
	sqlite3_close(db);
}

/* Connections in one process (the screen's, the worker's, a cycle's brief
 * one): opening one must not drop the locks the others hold, or another
 * process takes the database for unused and deletes the WAL under them (seen
 * as "disk I/O error" in the command center). Another process checks. */
static void test_second_connection_keeps_locks(void **state)
{
	struct fx *f = *state;
	store *ui = open_ok(f->db);
	assert_int_equal(store_setting_set(ui, "triage.decay_days", "30"), 0);
	char *v = NULL;
	assert_int_equal(store_setting_get(ui, "triage.decay_days", &v), 1);
	free(v);
	store *worker = open_ok(f->db);
	assert_int_equal(store_setting_get(worker, "triage.decay_days", &v), 1);
	free(v);
	store_close(open_ok(f->db)); /* a third, briefly: the cycle's own */
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* SQLite's shared lock is a read lock on its shared byte range
		 * (PENDING_BYTE + 2, 510 bytes): another process must see it held */
		int fd = open(f->db, O_RDWR);
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0x40000002, .l_len = 510 };
		int held = fd >= 0 && fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
		_exit(held ? 0 : 1);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	store_close(worker);
	assert_int_equal(store_setting_set(ui, "triage.decay_days", "31"), 0);
	assert_int_equal(store_setting_get(ui, "triage.decay_days", &v), 1);
	assert_string_equal(v, "31");
	free(v);
	store_close(ui);
}

static void test_settings_round_trip(void **state)
{
	struct fx *f = *state;
	store *s = open_ok(f->db);
	assert_int_equal(store_setting_set(s, "triage.draft_threshold", "90"), 0);
	assert_int_equal(store_setting_set(s, "worker.poll_interval", "30s"), 0);
	assert_int_equal(store_setting_set(s, "triage.draft_threshold", "88"), 0);
	s = reopen(s, f->db);

	char *v = NULL;
	assert_int_equal(store_setting_get(s, "triage.draft_threshold", &v), 1);
	assert_string_equal(v, "88");
	free(v);
	assert_int_equal(store_setting_get(s, "no.such", &v), 0);
	assert_null(v);

	store_settings list;
	assert_int_equal(store_settings_list(s, &list), 0);
	assert_int_equal(list.n, 2);
	assert_string_equal(list.v[0].key, "triage.draft_threshold");
	assert_string_equal(list.v[1].key, "worker.poll_interval");
	assert_string_equal(list.v[1].value, "30s");
	assert_true(list.v[1].updated_at > 0);
	store_settings_free(&list);

	assert_int_equal(store_setting_unset(s, "worker.poll_interval"), 1);
	assert_int_equal(store_setting_unset(s, "worker.poll_interval"), 0);
	s = reopen(s, f->db);
	assert_int_equal(store_setting_get(s, "worker.poll_interval", &v), 0);
	store_close(s);
}

/* A login: the users table's, a learnt one, a no-reply address's; and back. */
static void test_logins(void **state)
{
	struct fx *f = *state;
	store *s = open_ok(f->db);
	store_user u;
	store_user_init(&u);
	u.display_name = xstrdup("Ada Lovelace");
	u.login = xstrdup("ada");
	store_user_add_email(&u, "ada@example.com");
	assert_int_equal(store_user_save(s, &u), 0);
	store_user_free(&u);
	static const struct {
		const char *email, *login;
	} cases[] = {
		{ "ADA@example.com", "ada" },
		{ "583231+octocat@users.noreply.github.com", "octocat" },
		{ "octo-cat@Users.NoReply.GitHub.com", "octo-cat" },
		{ "x+octocat@users.noreply.github.com", NULL },    /* the id is digits */
		{ "+octocat@users.noreply.github.com", NULL },
		{ "-octocat@users.noreply.github.com", NULL },     /* no leading hyphen */
		{ "octo--cat@users.noreply.github.com", NULL },    /* nor a double one */
		{ "octocat@noreply.github.com", NULL },
		{ "bob@example.com", NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *login = NULL;
		assert_int_equal(store_login_of(s, cases[i].email, &login), cases[i].login != NULL);
		if (cases[i].login)
			assert_string_equal(login, cases[i].login);
		else
			assert_null(login);
		free(login);
	}
	/* learnt from GitHub: none known is kept as well (not asked again) */
	char *login = NULL, *email = NULL;
	int64_t when = 0;
	assert_int_equal(store_login_learnt(s, "bob@example.com", &login, &when), 0);
	assert_int_equal(store_login_learn(s, "Bob@example.com", "bob-gh", 100), 0);
	assert_int_equal(store_login_learn(s, "eve@example.com", NULL, 200), 0);
	assert_int_equal(store_login_of(s, "bob@example.com", &login), 1);
	assert_string_equal(login, "bob-gh");
	free(login);
	assert_int_equal(store_login_learnt(s, "eve@example.com", &login, &when), 1);
	assert_null(login);
	assert_int_equal(when, 200);
	assert_int_equal(store_login_of(s, "eve@example.com", &login), 0);
	assert_int_equal(store_email_of_login(s, "ADA", &email), 1);
	assert_string_equal(email, "ada@example.com");
	free(email);
	assert_int_equal(store_email_of_login(s, "bob-gh", &email), 1);
	assert_string_equal(email, "bob@example.com");
	free(email);
	assert_int_equal(store_email_of_login(s, "nobody", &email), 0);
	store_close(s);
}

static void test_users_round_trip(void **state)
{
	struct fx *f = *state;
	store *s = open_ok(f->db);
	store_user u;
	store_user_init(&u);
	u.display_name = xstrdup("Ada Lovelace");
	u.login = xstrdup("ada");
	u.slack_id = xstrdup("U024BE7LH");
	store_user_add_email(&u, "Ada@Example.COM");
	store_user_add_email(&u, "ada@users.noreply.github.com");
	store_user_add_email(&u, "ada@example.com"); /* same after lower-casing */
	assert_int_equal(u.n_emails, 2);
	assert_int_equal(store_user_save(s, &u), 0);
	assert_true(u.id > 0);
	int64_t id = u.id;

	store_user inactive;
	store_user_init(&inactive);
	inactive.display_name = xstrdup("Bob Left");
	inactive.active = 0;
	store_user_add_email(&inactive, "bob@example.com");
	assert_int_equal(store_user_save(s, &inactive), 0);
	s = reopen(s, f->db);

	store_user got;
	store_user_init(&got);
	assert_int_equal(store_user_by_email(s, "ADA@example.com", &got), 1);
	assert_int_equal(got.id, id);
	assert_string_equal(got.display_name, "Ada Lovelace");
	assert_string_equal(got.login, "ada");
	assert_string_equal(got.slack_id, "U024BE7LH");
	assert_int_equal(got.active, 1);
	assert_int_equal(got.created_at, u.created_at);
	assert_int_equal(got.n_emails, 2);
	assert_string_equal(got.emails[0], "ada@example.com");
	assert_string_equal(got.emails[1], "ada@users.noreply.github.com");

	/* Update: change fields and the email list. */
	free(got.slack_id);
	got.slack_id = NULL;
	store_user_add_email(&got, "ada@work.example");
	assert_int_equal(store_user_save(s, &got), 0);
	s = reopen(s, f->db);
	store_user again;
	store_user_init(&again);
	assert_int_equal(store_user_get(s, id, &again), 1);
	assert_null(again.slack_id);
	assert_int_equal(again.n_emails, 3);
	store_user_free(&again);

	store_users all;
	assert_int_equal(store_users_list(s, &all), 0);
	assert_int_equal(all.n, 2);
	assert_string_equal(all.v[0].display_name, "Ada Lovelace");
	assert_string_equal(all.v[1].display_name, "Bob Left");
	assert_int_equal(all.v[1].active, 0);
	assert_int_equal(all.v[1].n_emails, 1);
	store_users_free(&all);

	/* An email that belongs to someone else is refused and nothing changes. */
	store_user thief;
	store_user_init(&thief);
	thief.display_name = xstrdup("Mallory");
	store_user_add_email(&thief, "bob@example.com");
	assert_int_equal(store_user_save(s, &thief), -1);
	assert_int_equal(store_errcode(s), STORE_ECONFLICT);
	assert_non_null(strstr(store_error(s), "bob@example.com"));
	assert_int_equal(thief.id, 0);
	assert_int_equal(store_users_list(s, &all), 0);
	assert_int_equal(all.n, 2);
	store_users_free(&all);

	/* So is a GitHub login that is taken. */
	store_user_free(&thief);
	thief.display_name = xstrdup("Mallory");
	thief.login = xstrdup("ada");
	assert_int_equal(store_user_save(s, &thief), -1);
	assert_int_equal(store_errcode(s), STORE_ECONFLICT);
	assert_non_null(strstr(store_error(s), "login"));

	assert_int_equal(store_user_by_email(s, "nobody@example.com", &got), 0);
	store_user_free(&thief);
	store_user_free(&got);
	store_user_free(&u);
	store_user_free(&inactive);
	store_close(s);
}

static bool is_worker_b(const char *holder, void *arg)
{
	(void)arg;
	return strcmp(holder, "worker-b") == 0;
}

static int done_h1(store *s, void *arg)
{
	return store_issue_done(s, *(int64_t *)arg, "h1");
}

static int64_t make_issue(store *s, int number)
{
	int64_t repo;
	assert_int_equal(store_repo_ensure(s, "acme/widgets", &repo), 0);
	store_issue i;
	store_issue_init(&i);
	i.repo_id = repo;
	i.number = number;
	i.title = xasprintf("KeyError in load() #%d", number);
	i.body = xstrdup("Traceback (most recent call last):\n  File \"app/load.py\", line 12, "
			 "in load\n    return d['user_id']\nKeyError: 'user_id'\n");
	i.url = xasprintf("https://github.com/acme/widgets/issues/%d", number);
	i.author = xstrdup("octocat");
	i.etag = xstrdup("W/\"a1b2c3\"");
	i.created_at = 1700000000;
	i.updated_at = 1700000500;
	assert_int_equal(store_issue_save(s, &i), 0);
	int64_t id = i.id;
	store_issue_free(&i);
	return id;
}

static void test_issues_round_trip(void **state)
{
	struct fx *f = *state;
	store *s = open_ok(f->db);
	int64_t repo, repo2;
	assert_int_equal(store_repo_ensure(s, "acme/widgets", &repo), 0);
	assert_int_equal(store_repo_ensure(s, "acme/widgets", &repo2), 0);
	assert_int_equal(repo, repo2);
	int64_t id = make_issue(s, 42);
	s = reopen(s, f->db);

	store_issue got;
	store_issue_init(&got);
	assert_int_equal(store_issue_get(s, repo, 42, &got), 1);
	assert_int_equal(got.id, id);
	assert_int_equal(got.number, 42);
	assert_string_equal(got.title, "KeyError in load() #42");
	assert_non_null(strstr(got.body, "KeyError: 'user_id'"));
	assert_string_equal(got.state, "open");
	assert_string_equal(got.url, "https://github.com/acme/widgets/issues/42");
	assert_string_equal(got.author, "octocat");
	assert_string_equal(got.etag, "W/\"a1b2c3\"");
	assert_int_equal(got.created_at, 1700000000);
	assert_int_equal(got.updated_at, 1700000500);

	/* Saving again by (repo, number) updates the same row. */
	free(got.state);
	got.state = xstrdup("closed");
	got.id = 0;
	got.updated_at = 1700009999;
	assert_int_equal(store_issue_save(s, &got), 0);
	assert_int_equal(got.id, id);
	s = reopen(s, f->db);
	assert_int_equal(store_issue_get(s, repo, 42, &got), 1);
	assert_string_equal(got.state, "closed");
	assert_int_equal(got.updated_at, 1700009999);
	assert_int_equal(got.created_at, 1700000000);
	assert_int_equal(store_issue_get(s, repo, 43, &got), 0);

	/* A state that is not open/closed is refused by the schema. */
	free(got.state);
	got.state = xstrdup("wontfix");
	assert_int_equal(store_issue_save(s, &got), -1);
	store_issue_free(&got);
	store_close(s);
}

static void test_decisions_round_trip(void **state)
{
	struct fx *f = *state;
	store *s = open_ok(f->db);
	int64_t issue = make_issue(s, 7);
	store_decision d;
	store_decision_init(&d);
	d.issue_id = issue;
	d.created_at = 1700001000;
	d.language = xstrdup("python");
	d.error_type = xstrdup("KeyError");
	d.error_message = xstrdup("'user_id'");
	d.stack_trace = xstrdup("File \"app/load.py\", line 12, in load");
	d.fingerprint = xstrdup("9f2c0e");
	d.affected_files = xstrdup("[\"app/load.py\",\"app/api.py\"]");
	d.root_cause = xstrdup("load() assumes the key is present");
	d.explanation = xstrdup("The dictionary had no key 'user_id'.");
	d.reasoning = xstrdup("ada owns 34 of 40 lines of app/load.py and wrote line 12.");
	d.confidence = 87.5;
	d.route = xstrdup("draft_fix");
	d.assignee_email = xstrdup("ada@example.com");
	d.draft_branch = xstrdup("mahoraga/draft-7");
	d.draft_url = NULL;
	d.draft_diff = xstrdup("--- a/app/load.py\n+++ b/app/load.py\n");
	d.processing_ms = 412;
	d.timings = xstrdup("{\"parse\":3,\"expertise\":120}");
	d.full_json = xstrdup("{\"route\":\"draft_fix\"}");
	assert_int_equal(store_decision_record(s, &d), 0);
	assert_true(d.id > 0);

	store_decision later;
	store_decision_init(&later);
	later.issue_id = issue;
	later.reasoning = xstrdup("retriaged");
	later.confidence = 40;
	later.route = xstrdup("human");
	assert_int_equal(store_decision_record(s, &later), 0);
	s = reopen(s, f->db);

	store_decision got;
	store_decision_init(&got);
	assert_int_equal(store_decision_get(s, d.id, &got), 1);
	assert_int_equal(got.issue_id, issue);
	assert_int_equal(got.created_at, 1700001000);
	assert_string_equal(got.language, "python");
	assert_string_equal(got.error_type, "KeyError");
	assert_string_equal(got.error_message, "'user_id'");
	assert_string_equal(got.stack_trace, d.stack_trace);
	assert_string_equal(got.fingerprint, "9f2c0e");
	assert_string_equal(got.affected_files, d.affected_files);
	assert_string_equal(got.root_cause, d.root_cause);
	assert_string_equal(got.explanation, d.explanation);
	assert_string_equal(got.reasoning, d.reasoning);
	assert_true(got.confidence == 87.5);
	assert_string_equal(got.route, "draft_fix");
	assert_string_equal(got.assignee_email, "ada@example.com");
	assert_string_equal(got.draft_branch, "mahoraga/draft-7");
	assert_null(got.draft_url);
	assert_string_equal(got.draft_diff, d.draft_diff);
	assert_int_equal(got.processing_ms, 412);
	assert_string_equal(got.timings, d.timings);
	assert_string_equal(got.full_json, d.full_json);

	assert_int_equal(store_decision_latest(s, issue, &got), 1);
	assert_int_equal(got.id, later.id);
	assert_string_equal(got.route, "human");

	/* The schema refuses a route or confidence outside the contract. */
	free(later.route);
	later.route = xstrdup("maybe");
	assert_int_equal(store_decision_record(s, &later), -1);
	free(later.route);
	later.route = xstrdup("assign");
	later.confidence = 140;
	assert_int_equal(store_decision_record(s, &later), -1);
	/* Foreign keys are enforced: no decision about an issue that does not exist. */
	later.confidence = 70;
	later.issue_id = 424242;
	assert_int_equal(store_decision_record(s, &later), -1);
	assert_non_null(strstr(store_error(s), "FOREIGN KEY"));

	store_decision_free(&got);
	store_decision_free(&d);
	store_decision_free(&later);
	store_close(s);
}

static void assign(store *s, int64_t issue, const char *email, int expect)
{
	store_assignment a;
	store_assignment_init(&a);
	a.issue_id = issue;
	a.assignee_email = xstrdup(email);
	a.confidence = 72;
	a.reasoning = xasprintf("%s owns the blamed line", email);
	assert_int_equal(store_assign(s, &a), expect);
	store_assignment_free(&a);
}

static void test_assignments_history_and_loops(void **state)
{
	struct fx *f = *state;
	store *s = open_ok(f->db);
	int64_t issue = make_issue(s, 1);
	int64_t other = make_issue(s, 2);
	assign(s, issue, "ada@example.com", 0);
	assign(s, other, "Ada@Example.com", 0);
	int load = -1;
	assert_int_equal(store_workload(s, "ada@example.com", &load), 0);
	assert_int_equal(load, 2);

	assign(s, issue, "bob@example.com", 0);
	s = reopen(s, f->db);

	/* Property 11: never the same person twice for one issue. */
	assign(s, issue, "ADA@example.com", -1);
	assert_int_equal(store_errcode(s), STORE_ELOOP);
	assert_int_equal(store_was_assigned(s, issue, "ada@example.com"), 1);
	assert_int_equal(store_was_assigned(s, issue, "carol@example.com"), 0);

	store_assignments h;
	assert_int_equal(store_assignment_history(s, issue, &h), 0);
	assert_int_equal(h.n, 2);
	assert_string_equal(h.v[0].assignee_email, "ada@example.com");
	assert_string_equal(h.v[0].status, "reassigned");
	assert_string_equal(h.v[1].assignee_email, "bob@example.com");
	assert_string_equal(h.v[1].status, "assigned");
	assert_string_equal(h.v[1].reasoning, "bob@example.com owns the blamed line");
	assert_true(h.v[1].confidence == 72);
	assert_int_equal(h.v[1].decision_id, 0);

	/* whoever has it now keeps it: a decision naming them again (an edit, or
	 * another worker's decision) changes nothing */
	store_assignment again;
	store_assignment_init(&again);
	again.issue_id = issue;
	again.assignee_email = xstrdup("Bob@example.com");
	assert_int_equal(store_assign(s, &again), 0);
	assert_true(again.id == h.v[1].id);
	store_assignment_free(&again);
	store_assignments_free(&h);
	assert_int_equal(store_assignment_history(s, issue, &h), 0);
	assert_int_equal(h.n, 2);
	store_assignments_free(&h);

	assert_int_equal(store_workload(s, "ada@example.com", &load), 0);
	assert_int_equal(load, 1);
	assert_int_equal(store_assignment_complete(s, issue), 1);
	assert_int_equal(store_assignment_complete(s, issue), 0);
	assert_int_equal(store_workload(s, "bob@example.com", &load), 0);
	assert_int_equal(load, 0);
	store_close(s);
}

/* Two workers on one database: a claim keeps the second off an issue the first
 * is triaging, a finished triage (its etag set with the decision) off it for
 * good, and a dead worker's claim expires. */
static void test_issue_claims(void **state)
{
	struct fx *f = *state;
	store *s = open_ok(f->db);
	int64_t issue = make_issue(s, 5);
	int64_t repo;
	assert_int_equal(store_repo_ensure(s, "acme/widgets", &repo), 0);
	assert_int_equal(store_issue_claim(s, repo, 5, "h1", "worker-a", 300), 1);
	assert_int_equal(store_issue_claim(s, repo, 5, "h1", "worker-b", 300), 0);
	assert_int_equal(store_issue_claim(s, repo, 5, "h1", "worker-a", 300), 1); /* its own, again */
	/* given up: free for anyone */
	assert_int_equal(store_issue_unclaim(s, repo, 5, "worker-a"), 0);
	assert_int_equal(store_issue_claim(s, repo, 5, "h1", "worker-b", 300), 1);
	/* done at h1: nobody triages h1 again, an edit (h2) is new work */
	assert_int_equal(store_transaction(s, done_h1, &issue), 0);
	assert_int_equal(store_issue_claim(s, repo, 5, "h1", "worker-a", 300), 0);
	assert_int_equal(store_issue_claim(s, repo, 5, "h2", "worker-a", 300), 1);
	/* worker-a dies holding it: its claim expires */
	assert_int_equal(store_issue_claim(s, repo, 5, "h2", "worker-b", 300), 0);
	assert_int_equal(store_issue_claim(s, repo, 5, "h2", "worker-a", -1), 1);
	assert_int_equal(store_issue_claim(s, repo, 5, "h2", "worker-b", 300), 1);
	/* worker-b is known dead (its process is gone): its claims are reaped at
	 * once, others' stay */
	make_issue(s, 6);
	assert_int_equal(store_issue_claim(s, repo, 6, "h1", "worker-c", 300), 1);
	assert_int_equal(store_issue_claims_reap(s, is_worker_b, NULL), 0);
	assert_int_equal(store_issue_claim(s, repo, 5, "h2", "worker-a", 300), 1);
	assert_int_equal(store_issue_claim(s, repo, 6, "h1", "worker-a", 300), 0);
	/* a webhook delivery is new once */
	assert_int_equal(store_delivery_first(s, "72d3162e-cc78-11e3-81ab-4c9367dc0958", "issues"), 1);
	assert_int_equal(store_delivery_first(s, "72d3162e-cc78-11e3-81ab-4c9367dc0958", "issues"), 0);
	assert_int_equal(store_delivery_first(s, "another", "issues"), 1);
	store_close(s);
}

static void decide(store *s, int64_t issue, double confidence, const char *assignee)
{
	store_decision d;
	store_decision_init(&d);
	d.issue_id = issue;
	d.route = xstrdup(assignee ? "assign" : "human");
	d.confidence = confidence;
	d.assignee_email = assignee ? xstrdup(assignee) : NULL;
	d.created_at = 1000;
	assert_int_equal(store_decision_record(s, &d), 0);
	store_decision_free(&d);
}

static void react(store *s, int64_t issue, const char *kind, bool done)
{
	store_manual m;
	store_manual_init(&m);
	m.issue_id = issue;
	m.kind = xstrdup(kind);
	m.assignee_email = strcmp(kind, "reassign") == 0 ? xstrdup("bob@example.com") : NULL;
	assert_int_equal(store_manual_add(s, &m), 0);
	if (done)
		assert_int_equal(store_manual_finish(s, m.id, 1, "done"), 1);
	store_manual_free(&m);
}

/* The live calibration: per confidence band, how many proposed assignees
 * people kept (their first reaction to the issue counts). */
static void test_agreement(void **state)
{
	struct fx *f = *state;
	store *s = open_ok(f->db);
	int64_t a = make_issue(s, 1), b = make_issue(s, 2), c = make_issue(s, 3), e = make_issue(s, 4);
	decide(s, a, 72, "ann@example.com");
	react(s, a, "accept", true);
	react(s, a, "reassign", true); /* later: the first reaction counts */
	decide(s, b, 65, "ann@example.com");
	react(s, b, "reassign", true);
	decide(s, c, 20, NULL); /* nobody proposed: nothing to keep */
	react(s, c, "reassign", true);
	decide(s, e, 95, "ann@example.com");
	react(s, e, "human", false); /* not applied yet */
	int kept[11], of[11];
	assert_int_equal(store_agreement(s, kept, of), 0);
	assert_int_equal(of[7], 1);
	assert_int_equal(kept[7], 1);
	assert_int_equal(of[6], 1);
	assert_int_equal(kept[6], 0);
	assert_int_equal(of[2] + of[9], 0);
	char *text = manual_agreement(s);
	assert_string_equal(text, "kept 1 of 2 proposed assignees: 70-79 1 of 1, 60-69 0 of 1");
	free(text);
	store_close(s);
}

static void test_expertise_round_trip(void **state)
{
	struct fx *f = *state;
	store *s = open_ok(f->db);
	int64_t repo;
	assert_int_equal(store_repo_ensure(s, "acme/widgets", &repo), 0);
	const char *rev = "3f786850e387550fdab836ed7e6dc881de23001b";
	store_expertise e = { 0 };
	e.repo_id = repo;
	e.rev = xstrdup(rev);
	e.path = xstrdup("core/store.c");
	e.email = xstrdup("ada@example.com");
	e.name = xstrdup("Ada Lovelace");
	e.score = 87.25;
	e.decayed = 2.5;
	e.commits = 9;
	e.lines_owned = 34;
	e.first_commit = 1600000000;
	e.last_commit = 1690000000;
	e.calculated_at = 1700000000;
	assert_int_equal(store_expertise_put(s, &e), 0);
	free(e.email);
	free(e.name);
	e.email = xstrdup("bob@example.com");
	e.name = xstrdup("Bob");
	e.score = 12;
	assert_int_equal(store_expertise_put(s, &e), 0);
	s = reopen(s, f->db);

	store_expertise_list l;
	assert_int_equal(store_expertise_get(s, repo, rev, "core/store.c", &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].email, "ada@example.com");
	assert_string_equal(l.v[0].name, "Ada Lovelace");
	assert_true(l.v[0].score == 87.25);
	assert_true(l.v[0].decayed == 2.5);
	assert_int_equal(l.v[0].commits, 9);
	assert_int_equal(l.v[0].lines_owned, 34);
	assert_int_equal(l.v[0].first_commit, 1600000000);
	assert_int_equal(l.v[0].last_commit, 1690000000);
	assert_int_equal(l.v[0].calculated_at, 1700000000);
	assert_string_equal(l.v[1].email, "bob@example.com");
	store_expertise_list_free(&l);
	assert_int_equal(store_expertise_get(s, repo, "other", "core/store.c", &l), 0);
	assert_int_equal(l.n, 0);
	store_expertise_list_free(&l);
	store_expertise_free(&e);
	store_close(s);
}

static void test_actions_state_machine(void **state)
{
	struct fx *f = *state;
	store *s = open_ok(f->db);
	int64_t issue = make_issue(s, 9);
	store_action a;
	store_action_init(&a);
	a.issue_id = issue;
	a.kind = xstrdup("github_comment");
	a.dedup_key = xstrdup("comment:acme/widgets#9:decision:1");
	a.payload = xstrdup("{\"body\":\"Assigned to @ada\"}");
	a.created_at = 1000;
	assert_int_equal(store_action_enqueue(s, &a), 1);
	assert_string_equal(a.state, "pending");
	int64_t id = a.id;

	/* The same action enqueued again (say, after a crash) is the stored one. */
	store_action dup;
	store_action_init(&dup);
	dup.kind = xstrdup("github_comment");
	dup.dedup_key = xstrdup("comment:acme/widgets#9:decision:1");
	dup.payload = xstrdup("{\"body\":\"different\"}");
	assert_int_equal(store_action_enqueue(s, &dup), 0);
	assert_int_equal(dup.id, id);
	assert_string_equal(dup.payload, "{\"body\":\"Assigned to @ada\"}");
	s = reopen(s, f->db);

	store_action got;
	store_action_init(&got);
	assert_int_equal(store_action_next_due(s, 999, NULL, &got), 0);
	assert_int_equal(store_action_next_due(s, 1000, NULL, &got), 1);
	assert_int_equal(got.id, id);
	assert_int_equal(store_action_begin(s, id, 1001, NULL), 0);
	/* Two workers cannot both start it. */
	assert_int_equal(store_action_begin(s, id, 1001, NULL), -1);
	assert_int_equal(store_errcode(s), STORE_ESTATE);
	assert_int_equal(store_action_next_due(s, 5000, NULL, &got), 0);

	/* Fails, to be retried at 1060. */
	assert_int_equal(store_action_failed(s, id, "HTTP 502 Bad Gateway", 1060, 1002), 0);
	s = reopen(s, f->db);
	assert_int_equal(store_action_get(s, id, &got), 1);
	assert_string_equal(got.state, "pending");
	assert_string_equal(got.last_error, "HTTP 502 Bad Gateway");
	assert_int_equal(got.attempts, 1);
	assert_int_equal(got.next_attempt_at, 1060);
	assert_int_equal(store_action_next_due(s, 1059, NULL, &got), 0);
	assert_int_equal(store_action_next_due(s, 1060, NULL, &got), 1);

	assert_int_equal(store_action_begin(s, id, 1061, NULL), 0);
	s = reopen(s, f->db);
	/* A crash here leaves it "sending", not due: the caller reconciles. */
	assert_int_equal(store_action_get(s, id, &got), 1);
	assert_string_equal(got.state, "sending");
	assert_int_equal(store_action_next_due(s, 9999, NULL, &got), 0);
	assert_int_equal(store_action_done(s, id, "https://github.com/acme/widgets/issues/9#"
						 "issuecomment-1", 1062), 0);
	assert_int_equal(store_action_done(s, id, "again", 1063), -1);
	s = reopen(s, f->db);
	assert_int_equal(store_action_get(s, id, &got), 1);
	assert_string_equal(got.state, "done");
	assert_string_equal(got.kind, "github_comment");
	assert_int_equal(got.issue_id, issue);
	assert_int_equal(got.attempts, 2);
	assert_int_equal(got.created_at, 1000);
	assert_int_equal(got.updated_at, 1062);
	assert_non_null(strstr(got.result, "issuecomment-1"));

	/* A failure with no retry time is final. */
	store_action slack;
	store_action_init(&slack);
	slack.kind = xstrdup("slack_message");
	slack.dedup_key = xstrdup("slack:decision:1");
	slack.created_at = 2000;
	assert_int_equal(store_action_enqueue(s, &slack), 1);
	assert_int_equal(slack.issue_id, 0);
	assert_int_equal(store_action_begin(s, slack.id, 2001, NULL), 0);
	assert_int_equal(store_action_failed(s, slack.id, "channel_not_found", 0, 2002), 0);
	assert_int_equal(store_action_get(s, slack.id, &got), 1);
	assert_string_equal(got.state, "failed");
	assert_int_equal(store_action_next_due(s, 99999, NULL, &got), 0);

	store_action_free(&slack);
	store_action_free(&got);
	store_action_free(&dup);
	store_action_free(&a);
	store_close(s);
}

/* Data that version v's schema can hold, written through the store's interface. */
static void write_for_version(store *s, const char *path, int v)
{
	if (v >= 1) {
		assert_int_equal(store_setting_set(s, "triage.overload_limit", "7"), 0);
		if (v >= 20) {
			store_user u;
			store_user_init(&u);
			u.display_name = xstrdup("Grace Hopper");
			store_user_add_email(&u, "grace@example.com");
			assert_int_equal(store_user_save(s, &u), 0);
			store_user_free(&u);
		} else {
			/* today's interface writes columns an older schema lacks:
			 * the person as that version's code wrote them */
			sqlite3 *db;
			assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
			sqlite3_busy_timeout(db, 5000);
			assert_int_equal(sqlite3_exec(db, "INSERT INTO users (login, slack_id, display_name, active, created_at) "
							  "VALUES (NULL, NULL, 'Grace Hopper', 1, 1700000000);"
							  "INSERT INTO user_emails (email, user_id) VALUES ('grace@example.com', "
							  "last_insert_rowid());", NULL, NULL, NULL), SQLITE_OK);
			sqlite3_close(db);
		}
		make_issue(s, 100);
	}
	if (v >= 2)
		assign(s, 1, "grace@example.com", 0);
	if (v >= 4) {
		store_report r;
		store_report_init(&r);
		r.issue_id = 1;
		r.repo_id = 1;
		r.reported_at = 1700000000;
		r.fingerprint = xstrdup("0123456789abcdef");
		r.content_hash = xstrdup("fedcba9876543210");
		r.relation = xstrdup("new");
		assert_int_equal(store_report_save(s, &r), 0);
		store_report_free(&r);
	}
}

static void test_migrations_from_every_version(void **state)
{
	struct fx *f = *state;
	for (int v = 0; v <= STORE_SCHEMA_VERSION; v++) {
		char *path = xasprintf("%s/v%d.db", f->dir, v);
		if (v > 0) {
			store *old = NULL;
			char *err = NULL;
			assert_int_equal(store_open_version(&old, path, v, &err), 0);
			assert_int_equal(store_version(old), v);
			write_for_version(old, path, v);
			store_close(old);
		}
		store *s = open_ok(path);
		assert_int_equal(store_version(s), STORE_SCHEMA_VERSION);
		/* What the old version held is still there. */
		if (v >= 1) {
			char *val = NULL;
			assert_int_equal(store_setting_get(s, "triage.overload_limit", &val), 1);
			assert_string_equal(val, "7");
			free(val);
			store_user u;
			store_user_init(&u);
			assert_int_equal(store_user_by_email(s, "grace@example.com", &u), 1);
			store_user_free(&u);
		}
		store_report rep;
		store_report_init(&rep);
		assert_int_equal(store_report_get(s, 1, &rep), v >= 4 ? 1 : 0);
		store_report_free(&rep);
		int load = -1;
		assert_int_equal(store_workload(s, "grace@example.com", &load), 0);
		assert_int_equal(load, v >= 2 ? 1 : 0);
		/* And every table of the current version works. */
		write_for_version(s, path, v >= 1 ? 0 : 1);
		store_action a;
		store_action_init(&a);
		a.kind = xstrdup("slack_message");
		a.dedup_key = xasprintf("after-migration-%d", v);
		assert_int_equal(store_action_enqueue(s, &a), 1);
		store_action_free(&a);
		store_close(s);
		free(path);
	}
	store *s = NULL;
	char *err = NULL;
	assert_int_equal(store_open_version(&s, f->db, STORE_SCHEMA_VERSION + 1, &err), -1);
	assert_non_null(err);
	free(err);
}

static void test_newer_database_refused(void **state)
{
	struct fx *f = *state;
	store *s = open_ok(f->db);
	store_close(s);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	char sql[64];
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", STORE_SCHEMA_VERSION + 1);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	char *err = NULL;
	assert_int_equal(store_open(&s, f->db, &err), -1);
	assert_null(s);
	assert_non_null(err);
	assert_non_null(strstr(err, "newer") ? strstr(err, "newer") : strstr(err, "upgrade"));
	assert_non_null(strstr(err, f->db));
	free(err);
}

static void test_not_a_database(void **state)
{
	struct fx *f = *state;
	tu_write_file(f->db, "this is a text file, not SQLite, and it is long enough to have a "
			     "header page that SQLite would read and reject as not a database.\n");
	store *s = NULL;
	char *err = NULL;
	assert_int_equal(store_open(&s, f->db, &err), -1);
	assert_non_null(strstr(err, "not a mahoraga database"));
	free(err);

	char *dir = tu_path(f->dir, "adir");
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(store_open(&s, dir, &err), -1);
	assert_non_null(err);
	free(err);
	char *missing = tu_path(f->dir, "no/such/dir/x.db");
	assert_int_equal(store_open(&s, missing, &err), -1);
	assert_non_null(strstr(err, "cannot open database"));
	free(err);
	free(missing);
	free(dir);
}

/* A good database in a directory that cannot be written: said so, never
 * called "not a mahoraga database" (a user might delete it). As root, the
 * check runs as nobody, whom permissions bind. */
static void test_read_only_directory(void **state)
{
	struct fx *f = *state;
	char *dir = tu_path(f->dir, "ro");
	assert_int_equal(mkdir(dir, 0755), 0);
	char *db = tu_path(dir, "m.db");
	store *s = NULL;
	char *err = NULL;
	assert_int_equal(store_open(&s, db, &err), 0);
	store_close(s);
	if (geteuid() == 0) {
		assert_int_equal(chmod(f->dir, 0755), 0);
		assert_int_equal(chown(dir, 65534, 65534), 0);
		assert_int_equal(chown(db, 65534, 65534), 0);
	}
	assert_int_equal(chmod(dir, 0555), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(3);
		store *c = NULL;
		char *e = NULL;
		if (store_open(&c, db, &e) == 0)
			_exit(4);
		_exit(strstr(e, "is not writable") && !strstr(e, "not a mahoraga database") ? 0 : 5);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(chmod(dir, 0755), 0);
	free(db);
	free(dir);
}

struct thread_arg {
	const char *path;
	int failures;
	char first_error[256];
	int rows;
};

#define WRITES 400

static void *writer(void *p)
{
	struct thread_arg *t = p;
	store *s = NULL;
	char *err = NULL;
	if (store_open(&s, t->path, &err) < 0) {
		snprintf(t->first_error, sizeof(t->first_error), "%s", err);
		free(err);
		t->failures++;
		return NULL;
	}
	for (int i = 0; i < WRITES; i++) {
		char key[32], val[32];
		snprintf(key, sizeof(key), "k%04d", i);
		snprintf(val, sizeof(val), "v%d", i);
		if (store_setting_set(s, key, val) < 0) {
			if (!t->failures)
				snprintf(t->first_error, sizeof(t->first_error), "%s",
					 store_error(s));
			t->failures++;
		}
	}
	store_close(s);
	return NULL;
}

static void *reader(void *p)
{
	struct thread_arg *t = p;
	store *s = NULL;
	char *err = NULL;
	if (store_open(&s, t->path, &err) < 0) {
		snprintf(t->first_error, sizeof(t->first_error), "%s", err);
		free(err);
		t->failures++;
		return NULL;
	}
	int last = 0;
	while (last < WRITES) {
		store_settings l;
		if (store_settings_list(s, &l) < 0) {
			if (!t->failures)
				snprintf(t->first_error, sizeof(t->first_error), "%s",
					 store_error(s));
			t->failures++;
			if (t->failures > 50)
				break;
			continue;
		}
		/* Readers see whole commits only, in order. */
		if ((int)l.n < last)
			t->failures++;
		last = (int)l.n;
		t->rows = last;
		store_settings_free(&l);
	}
	store_close(s);
	return NULL;
}

static void test_concurrent_writers_and_reader(void **state)
{
	struct fx *f = *state;
	/* No database yet: all three connections create and migrate it at once. */
	struct thread_arg w1 = { .path = f->db }, w2 = { .path = f->db }, r = { .path = f->db };
	pthread_t tw1, tw2, tr;
	assert_int_equal(pthread_create(&tw1, NULL, writer, &w1), 0);
	assert_int_equal(pthread_create(&tw2, NULL, writer, &w2), 0);
	assert_int_equal(pthread_create(&tr, NULL, reader, &r), 0);
	pthread_join(tw1, NULL);
	pthread_join(tw2, NULL);
	pthread_join(tr, NULL);
	if (w1.failures || w2.failures || r.failures)
		fail_msg("writer1 %d (%s), writer2 %d (%s), reader %d (%s)", w1.failures,
			 w1.first_error, w2.failures, w2.first_error, r.failures, r.first_error);
	assert_int_equal(r.rows, WRITES);
}

static int set_then_fail(store *s, void *arg)
{
	assert_int_equal(store_setting_set(s, "a", "1"), 0);
	return arg ? -1 : 0;
}

static int nested(store *s, void *arg)
{
	assert_int_equal(store_setting_set(s, "b", "2"), 0);
	/* An inner failure rolls back the whole outer transaction. */
	return store_transaction(s, set_then_fail, arg);
}

static void test_transactions(void **state)
{
	struct fx *f = *state;
	store *s = open_ok(f->db);
	char *v = NULL;
	assert_int_equal(store_transaction(s, set_then_fail, (void *)1), -1);
	assert_int_equal(store_setting_get(s, "a", &v), 0);
	assert_int_equal(store_transaction(s, nested, (void *)1), -1);
	assert_int_equal(store_setting_get(s, "a", &v), 0);
	assert_int_equal(store_setting_get(s, "b", &v), 0);
	assert_int_equal(store_transaction(s, nested, NULL), 0);
	s = reopen(s, f->db);
	assert_int_equal(store_setting_get(s, "a", &v), 1);
	free(v);
	assert_int_equal(store_setting_get(s, "b", &v), 1);
	free(v);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_database_is_private_and_current, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_second_connection_keeps_locks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_users_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_issues_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decisions_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_assignments_history_and_loops, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_expertise_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_issue_claims, setup, teardown),
		cmocka_unit_test_setup_teardown(test_agreement, setup, teardown),
		cmocka_unit_test_setup_teardown(test_actions_state_machine, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrations_from_every_version, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_newer_database_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_database, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_only_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_writers_and_reader, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_logins, setup, teardown),
	};
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
