/* The triage decision: the assignment rules (seed properties 9-13, the routing
 * table) on synthetic candidates, and the whole pipeline on a repository the test
 * builds, with a real database holding users, workloads and earlier assignees. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "assign.h"
#include "comment.h"
#include "engine_opts.h"
#include "history_store.h"
#include "testutil.h"
#include "triage.h"
#include "xalloc.h"

/* --- synthetic candidates --- */

static expertise_dev dev(const char *email, double score, int commits, size_t lines)
{
	expertise_dev d = { .email = email, .name = email, .score = score, .commits = commits,
			    .lines_owned = lines, .decayed = commits, .last_commit = 1000 };
	return d;
}

static expertise_file file_of(expertise_dev *devs, size_t n, size_t total)
{
	expertise_file f = { .path = "src/a.c", .found = true, .total_lines = total, .devs = devs, .ndevs = n,
			     .region_lines = 21, .recent_commits = 10 };
	return f;
}

static assign_input input(expertise_file *f, size_t n)
{
	assign_input in = { .files = f, .nfiles = n, .mapped = true, .draft_threshold = 85,
			    .assign_threshold = 60, .overload_limit = 5, .now = 2000, .decay_days = 90 };
	return in;
}

static void test_routing_table(void **state)
{
	(void)state;
	assert_string_equal(assign_route(100, 85, 60), "draft_fix");
	assert_string_equal(assign_route(86, 85, 60), "draft_fix");
	assert_string_equal(assign_route(85, 85, 60), "assign");
	assert_string_equal(assign_route(60, 85, 60), "assign");
	assert_string_equal(assign_route(59, 85, 60), "human");
	assert_string_equal(assign_route(0, 85, 60), "human");
	/* the thresholds are settings */
	assert_string_equal(assign_route(75, 70, 40), "draft_fix");
	assert_string_equal(assign_route(45, 70, 40), "assign");
}

static int workload_table(const char *email, void *arg)
{
	(void)arg;
	if (strcmp(email, "busy@x") == 0)
		return 7;
	if (strcmp(email, "light@x") == 0)
		return 1;
	return 3;
}

static void test_bounds_and_low_confidence(void **state)
{
	(void)state;
	/* property 9: always within 0..100, whatever the evidence */
	unsigned seed = 1;
	for (int round = 0; round < 2000; round++) {
		expertise_dev d[4];
		size_t n = 1 + (seed = seed * 1103515245u + 12345u) % 4;
		static const char *const emails[] = { "a@x", "b@x", "c@x", "d@x" };
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			d[i] = dev(emails[i], (double)(seed % 50000) / 10.0, (int)(seed % 40), seed % 500);
			d[i].owns_line = seed % 3 == 0;
		}
		expertise_file f = file_of(d, n, 500);
		assign_input in = input(&f, 1);
		in.mapped = round % 2;
		in.last_author = round % 3 ? "a@x" : NULL;
		assign_result r;
		assign_result_init(&r);
		assign_decide(&r, &in);
		assert_true(r.confidence >= 0 && r.confidence <= 100);
		/* property 10: below 60, human triage and nobody assigned */
		if (r.confidence < 60) {
			assert_string_equal(r.route, "human");
			assert_int_equal(r.assignee, -1);
		} else {
			assert_int_equal(r.assignee, 0);
		}
		assign_result_free(&r);
	}
}

static void test_strong_evidence_and_loops(void **state)
{
	(void)state;
	expertise_dev d[2] = { dev("owner@x", 180, 12, 95), dev("other@x", 8, 1, 5) };
	d[0].owns_line = true;
	d[0].decayed = 6;
	d[0].file_order = 1;
	d[0].recent = 9;
	d[0].region_owned = 20;
	d[1].file_order = 2;
	d[1].recent = 1;
	expertise_file f = file_of(d, 2, 100);
	assign_input in = input(&f, 1);
	in.last_author = "owner@x";
	const char *owners[] = { "owner@x" };
	in.owners = owners;
	in.nowners = 1;
	assign_result r;
	assign_result_init(&r);
	assign_decide(&r, &in);
	/* sole owner, recent, wrote the line, last author, code owner, far ahead:
	 * first, and as sure as this history gets */
	assert_string_equal(r.candidates[0].email, "owner@x");
	int strong = r.confidence;
	assert_true(r.candidates[0].chance > 3 * r.candidates[1].chance);
	assert_string_equal(r.route, assign_route(strong, 85, 60));
	/* the reasons name the evidence the model weighed, strongest first */
	char *why[4];
	size_t nwhy = assign_reasons(&r.candidates[0], NULL, 0, why, 4);
	assert_true(nwhy >= 2);
	bool named_last = false;
	for (size_t i = 0; i < nwhy; i++) {
		named_last |= strcmp(why[i], "changed the file last") == 0 ||
			      strcmp(why[i], "the latest to change the file") == 0;
		free(why[i]);
	}
	assert_true(named_last);
	assert_non_null(strstr(r.reasoning, "owner@x"));
	/* property 11: the one who had it is never chosen again */
	const char *prev[] = { "owner@x" };
	in.previous = prev;
	in.nprevious = 1;
	assign_decide(&r, &in);
	assert_string_equal(r.candidates[0].email, "other@x");
	assert_int_equal(r.ncandidates, 1);
	assert_int_equal(r.skipped_previous, 1);
	assert_true(r.confidence < strong); /* the runner-up owns 5%: less sure */
	/* without a mapped frame, history is a guess */
	in.previous = NULL;
	in.nprevious = 0;
	in.mapped = false;
	assign_decide(&r, &in);
	assert_true(r.confidence <= 30);
	assign_result_free(&r);
}

/* Every feature the model weighs has words for the candidate's reasons (the
 * comparative features once had none and showed "?"). */
static void test_every_reason_has_words(void **state)
{
	(void)state;
	assign_candidate c;
	memset(&c, 0, sizeof(c));
	c.ev.file_order = 1;
	c.ev.repo_days = 3;
	c.ev.line_days = 5;
	rank_model m = rank_default;
	for (int i = 0; i < RANK_NFEATURES; i++) {
		c.x[i] = 1;
		m.w[i] = 1;
	}
	char *why[RANK_NFEATURES];
	size_t n = assign_reasons(&c, &m, 0, why, RANK_NFEATURES);
	assert_true(n >= RANK_NFEATURES - 3); /* the bias and newcomers are not reasons; commits said once */
	for (size_t i = 0; i < n; i++) {
		if (strcmp(why[i], "?") == 0)
			fail_msg("reason %zu has no words", i);
		free(why[i]);
	}
}

/* The comment a decision would be posted as: found again by its marker, the
 * assignee mentioned by login, and nothing from the issue able to mention,
 * render HTML or leave its code span. */
/* A draft pull request's title and body: one line, the issue named, and a
 * diff holding backticks cannot close its fence early. */
static void test_draft_pull_request_text(void **state)
{
	(void)state;
	json_t *d = json_pack("{s:s, s:s, s:{s:s, s:s}}", "explanation", "A key is missing <b>@here</b>", "reasoning",
			      "Ann wrote the line.", "draft_fix", "title", "Fix KeyError\nin load()", "diff",
			      "-    return d[\"k\"]\n+    return d.get(\"k\")  # ```` no\n");
	char *title = comment_draft_title(d);
	assert_string_equal(title, "DRAFT - Review Required: Fix KeyError in load()");
	char *body = comment_draft_body(d, 41);
	assert_non_null(strstr(body, "A fix for #41"));
	assert_non_null(strstr(body, "&lt;b>@\xe2\x80\x8bhere"));
	/* the longest run of backticks inside is four: the fence is five */
	assert_non_null(strstr(body, "\n`````diff\n"));
	assert_non_null(strstr(body, "\n`````\n"));
	free(title);
	free(body);
	json_decref(d);
}

static void test_comment(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *dbp = tu_path(dir, "m.db");
	store *db = NULL;
	char *err = NULL;
	assert_int_equal(store_open(&db, dbp, &err), 0);
	store_user u;
	store_user_init(&u);
	u.display_name = xstrdup("Ann Lee");
	u.login = xstrdup("annlee");
	u.active = 1;
	store_user_add_email(&u, "ann@shop.example");
	assert_int_equal(store_user_save(db, &u), 0);
	store_user_free(&u);
	json_error_t je;
	json_t *d = json_loads(
		"{\"route\": \"assign\", \"confidence\": 82, \"language\": \"python\","
		" \"error_type\": \"KeyError\", \"error_message\": \"'@octocat <img src=x onerror=alert(1)> ` **x**'\","
		" \"assignee\": {\"email\": \"ann@shop.example\", \"name\": \"Ann Lee\"},"
		" \"reasoning\": \"Ann Lee <ann@shop.example>, 82% likely to be the one who fixes it.\","
		" \"app_frame\": {\"repo_path\": \"shop/rates.py\", \"line\": 5, \"function\": \"price`_of\"},"
		" \"severity\": \"high\", \"explanation\": \"One.\\n\\nTwo @team.\","
		" \"candidates\": [{\"email\": \"ann@shop.example\", \"name\": \"Ann Lee\", \"chance\": 0.82,"
		" \"reasons\": [\"wrote the | line\"]}, {\"email\": \"bob@shop.example\", \"name\": \"@bob\","
		" \"chance\": 0.1, \"reasons\": []}],"
		" \"duplicate_of\": {\"number\": 12, \"assignee\": \"ann@shop.example\"},"
		" \"draft_fix\": {\"branch\": \"mahoraga/draft-12\"}}", 0, &je);
	assert_non_null(d);
	char *md = comment_markdown(d, db);
	assert_memory_equal(md, COMMENT_MARKER "\n", strlen(COMMENT_MARKER) + 1);
	assert_non_null(strstr(md, "assign to @annlee (confidence 82%)"));
	/* one mention, the assignee's: every other '@' is followed by a zero-width space */
	for (const char *at = strchr(md, '@'); at; at = strchr(at + 1, '@'))
		if (strncmp(at, "@annlee", 7) != 0 && strncmp(at + 1, "\xe2\x80\x8b", 3) != 0)
			fail_msg("a mention left at: %.30s", at);
	assert_null(strstr(md, "<img"));
	assert_null(strstr(md, "<ann@"));
	/* the error in one code span: its backtick cannot close it */
	assert_non_null(strstr(md, "| Error | `KeyError: '@\xe2\x80\x8boctocat &lt;img src=x onerror=alert(1)> ' **x**'` (python) |"));
	assert_non_null(strstr(md, "`shop/rates.py:5` in `price'_of`"));
	assert_non_null(strstr(md, "wrote the \\| line"));
	assert_non_null(strstr(md, "Duplicate of #12"));
	assert_non_null(strstr(md, "One.\n\nTwo"));
	assert_non_null(strstr(md, "`mahoraga/draft-12`"));
	free(md);
	/* to a human: nobody mentioned */
	json_object_set_new(d, "route", json_string("human"));
	json_object_set_new(d, "assignee", json_null());
	md = comment_markdown(d, NULL);
	assert_non_null(strstr(md, "needs a person to triage it (confidence 82%)"));
	assert_null(strstr(md, "@annlee"));
	free(md);
	json_decref(d);
	store_close(db);
	tu_rmtree(dir);
	free(dir);
	free(dbp);
}

static void test_workload_tie_break(void **state)
{
	(void)state;
	/* property 12: near-equal candidates: the lighter workload wins */
	expertise_dev d[3] = { dev("busy@x", 100, 5, 38), dev("light@x", 100, 5, 40), dev("third@x", 50, 2, 22) };
	/* the two wrote the code around the blamed line, busy a little ahead;
	 * the third did not */
	d[0].region_owned = d[1].region_owned = 10;
	expertise_file f = file_of(d, 3, 100);
	assign_input in = input(&f, 1);
	in.workload = workload_table;
	assign_result r;
	assign_result_init(&r);
	assign_decide(&r, &in);
	assert_string_equal(r.candidates[0].email, "light@x");
	assert_non_null(strstr(r.reasoning, "lighter workload"));
	/* the overload flag (property 25's data) */
	for (size_t i = 0; i < r.ncandidates; i++)
		assert_int_equal(r.candidates[i].overloaded, strcmp(r.candidates[i].email, "busy@x") == 0);
	/* a clear lead is not overturned by workload */
	d[0].owns_line = true;
	d[0].file_order = 1;
	d[0].recent = 5;
	in.last_author = "busy@x";
	assign_decide(&r, &in);
	assert_string_equal(r.candidates[0].email, "busy@x");
	assert_non_null(strstr(r.reasoning, "over the limit"));
	assign_result_free(&r);
	/* nobody at all */
	expertise_file empty = file_of(NULL, 0, 10);
	in = input(&empty, 1);
	assign_decide(&r, &in);
	assert_int_equal(r.confidence, 0);
	assert_string_equal(r.route, "human");
	assert_int_equal(r.assignee, -1);
	assign_result_free(&r);
}

/* --- the pipeline on a real repository and database --- */

static void test_pipeline(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_sh(dir, "git init -q -b main . && mkdir -p app && printf 'a\\nb\\nc\\nd\\n' > app/orders.py && "
		"printf '* @carol\\n' > CODEOWNERS && git add -A && "
		"GIT_AUTHOR_DATE=2026-01-01T00:00:00Z GIT_COMMITTER_DATE=2026-01-01T00:00:00Z "
		"git -c user.name=Ann -c user.email=ann@x commit -qm a && "
		"printf 'a\\nB\\nC\\nd\\n' > app/orders.py && "
		"GIT_AUTHOR_DATE=2026-02-01T00:00:00Z GIT_COMMITTER_DATE=2026-02-01T00:00:00Z "
		"git -c user.name=Bob -c user.email=bob@x commit -qam b && "
		"printf 'a\\nB\\nC\\nD\\n' > app/orders.py && "
		"GIT_AUTHOR_DATE=2026-03-01T00:00:00Z GIT_COMMITTER_DATE=2026-03-01T00:00:00Z "
		"git -c user.name=Carol -c user.email=carol@x commit -qam c");
	git_libgit2_init();
	git_repository *repo;
	assert_int_equal(git_repository_open(&repo, dir), 0);
	char *dbp = tu_path(dir, "m.db");
	store *db = NULL;
	char *err = NULL;
	assert_int_equal(store_open(&db, dbp, &err), 0);
	int64_t repo_id;
	assert_int_equal(store_repo_ensure(db, "acme/shop", &repo_id), 0);
	/* carol's GitHub login maps CODEOWNERS to her email */
	store_user u;
	store_user_init(&u);
	u.login = xstrdup("carol");
	u.display_name = xstrdup("Carol");
	u.active = 1;
	store_user_add_email(&u, "carol@x");
	assert_int_equal(store_user_save(db, &u), 0);
	store_user_free(&u);
	history h;
	history_init(&h);
	assert_int_equal(history_store_open(&h, db, repo_id, repo, NULL, NULL, &err), 0);
	history_view v;
	assert_int_equal(history_view_at(&v, &h, repo, NULL, &err), 0);
	trace_map *map = trace_map_load(dir, NULL, &err);
	codeowners co;
	codeowners_init(&co);
	assert_int_equal(codeowners_load(&co, repo, NULL), 1);
	triage_env env = {
		.repo = repo, .h = &h, .view = &v, .map = map, .owners = &co, .db = db,
		.repo_id = repo_id,
		.expertise = { .decay_days = 90, .line_weight = 100, .line_bonus = 10,
			       .user_state = engine_opts_user_state, .arg = db },
		.draft_threshold = 85, .assign_threshold = 60, .overload_limit = 5,
	};
	const char *body = "Traceback (most recent call last):\n"
			   "  File \"/srv/shop/app/orders.py\", line 2, in total\n"
			   "TypeError: unsupported operand type(s) for +: 'NoneType' and 'int'\n";
	triage_decision d;
	triage_decision_init(&d);
	assert_int_equal(triage_run(&d, &env, "Total fails", body, strlen(body), &err), 0);
	assert_string_equal(d.files[0].path, "app/orders.py");
	assert_int_equal(d.assign.ncandidates, 3);
	/* carol changed the file last (and CODEOWNERS names her); bob owns 2 of 4
	 * lines and wrote line 2 */
	assert_string_equal(d.assign.candidates[0].email, "carol@x");
	assert_string_equal(d.assign.candidates[1].email, "bob@x");
	assert_true(d.assign.candidates[1].owns_line);
	const assign_candidate *carol = NULL;
	for (size_t i = 0; i < d.assign.ncandidates; i++)
		if (strcmp(d.assign.candidates[i].email, "carol@x") == 0)
			carol = &d.assign.candidates[i];
	assert_non_null(carol);
	assert_true(carol->codeowner);
	assert_true(carol->last_author);
	assert_true(d.ms.total >= d.ms.expertise);
	json_t *j = triage_json(&d);
	assert_non_null(json_object_get(j, "candidates"));
	assert_non_null(json_object_get(j, "timings_ms"));
	json_decref(j);
	/* property 13: bob marked inactive never appears; property 11: earlier
	 * assignees never again */
	store_user b;
	store_user_init(&b);
	b.display_name = xstrdup("Bob");
	b.active = 0;
	store_user_add_email(&b, "bob@x");
	assert_int_equal(store_user_save(db, &b), 0);
	store_user_free(&b);
	store_issue is;
	store_issue_init(&is);
	is.repo_id = repo_id;
	is.number = 7;
	is.title = xstrdup("Total fails");
	is.body = xstrdup(body);
	assert_int_equal(store_issue_save(db, &is), 0);
	store_assignment as;
	store_assignment_init(&as);
	as.issue_id = is.id;
	as.assignee_email = xstrdup("carol@x");
	as.reasoning = xstrdup("earlier");
	assert_int_equal(store_assign(db, &as), 0);
	store_assignment_free(&as);
	/* carol had it and lost it: an earlier assignee (whoever has it now is a
	 * candidate like anyone, see test_worker) */
	store_assignment_init(&as);
	as.issue_id = is.id;
	as.assignee_email = xstrdup("dave@x");
	as.reasoning = xstrdup("by hand");
	as.by_hand = 1;
	assert_int_equal(store_assign(db, &as), 0);
	store_assignment_free(&as);
	env.issue_id = is.id;
	env.reported_at = 1000;
	env.duplicate_window = 600;
	assert_int_equal(triage_run(&d, &env, "Total fails", body, strlen(body), &err), 0);
	assert_int_equal(d.assign.ncandidates, 1);
	assert_string_equal(d.assign.candidates[0].email, "ann@x");
	assert_int_equal(d.assign.skipped_previous, 1);
	assert_true(d.checked_duplicates);
	assert_int_equal(d.duplicate.kind, DEDUP_NEW);
	/* the same report again two minutes later, as issue 8: consolidated */
	store_issue again;
	store_issue_init(&again);
	again.repo_id = repo_id;
	again.number = 8;
	again.title = xstrdup("Total fails");
	again.body = xstrdup(body);
	assert_int_equal(store_issue_save(db, &again), 0);
	env.issue_id = again.id;
	env.reported_at = 1120;
	assert_int_equal(triage_run(&d, &env, "Total fails", body, strlen(body), &err), 0);
	assert_int_equal(d.duplicate.kind, DEDUP_CONSOLIDATE);
	assert_int_equal(d.duplicate.of, is.id);
	store_issue_free(&again);
	store_issue_free(&is);
	triage_decision_free(&d);
	codeowners_free(&co);
	trace_map_free(map);
	history_view_free(&v);
	history_free(&h);
	store_close(db);
	git_repository_free(repo);
	git_libgit2_shutdown();
	tu_rmtree(dir);
	free(dbp);
	free(dir);
}

/* One issue cannot hold up the rest: past the budget, triage reads the blamed
 * file and no more, and says so. */
static void test_budget(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_sh(dir, "git init -q -b main . && mkdir -p app && printf 'a\\nb\\n' > app/orders.py && "
		"printf 'c\\nd\\n' > app/cart.py && git add -A && "
		"git -c user.name=Ann -c user.email=ann@x commit -qm a");
	git_libgit2_init();
	git_repository *repo;
	assert_int_equal(git_repository_open(&repo, dir), 0);
	history h;
	history_init(&h);
	char *err = NULL;
	assert_int_equal(history_update(&h, repo, NULL, NULL, NULL, &err), 0);
	history_view v;
	assert_int_equal(history_view_at(&v, &h, repo, NULL, &err), 0);
	trace_map *map = trace_map_load(dir, NULL, &err);
	const char *body = "Traceback (most recent call last):\n"
			   "  File \"/srv/shop/app/cart.py\", line 1, in add\n"
			   "  File \"/srv/shop/app/orders.py\", line 2, in total\n"
			   "TypeError: unsupported operand\n";
	for (int tight = 0; tight < 2; tight++) {
		triage_env env = {
			.repo = repo, .h = &h, .view = &v, .map = map,
			.expertise = { .decay_days = 90, .line_weight = 100, .line_bonus = 10 },
			.draft_threshold = 85, .assign_threshold = 60, .overload_limit = 5,
			.budget_ms = tight ? 1e-9 : 0,
		};
		triage_decision d;
		triage_decision_init(&d);
		assert_int_equal(triage_run(&d, &env, "Total fails", body, strlen(body), &err), 0);
		assert_int_equal(d.nfiles, tight ? 1 : 2);
		assert_int_equal(d.cut_short, tight);
		assert_string_equal(d.files[0].path, "app/orders.py");
		json_t *j = triage_json(&d);
		assert_int_equal(json_is_true(json_object_get(j, "cut_short")), tight);
		json_decref(j);
		triage_decision_free(&d);
	}
	trace_map_free(map);
	history_view_free(&v);
	history_free(&h);
	git_repository_free(repo);
	git_libgit2_shutdown();
	tu_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routing_table),
		cmocka_unit_test(test_bounds_and_low_confidence),
		cmocka_unit_test(test_strong_evidence_and_loops),
		cmocka_unit_test(test_workload_tie_break),
		cmocka_unit_test(test_every_reason_has_words),
		cmocka_unit_test(test_comment),
		cmocka_unit_test(test_draft_pull_request_text),
		cmocka_unit_test(test_pipeline),
		cmocka_unit_test(test_budget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
