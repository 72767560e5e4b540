/* Replays and the ranking: which commits read as bug fixes, the reports written
 * for them (each parsed back by the real trace parser and mapped to the same file
 * and line), fixes mined from a repository the test builds with known fixers,
 * the features the ranking reads (last toucher, blame author, region, recency)
 * and the calibration mapping. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "expertise.h"
#include "history.h"
#include "rank.h"
#include "replay.h"
#include "testutil.h"
#include "trace.h"
#include "trace_map.h"
#include "xalloc.h"

/* A repository the test built, opened and indexed, as of its tip. */
struct indexed {
	git_repository *repo;
	history h;
	history_view v;
};

static void open_indexed(struct indexed *ix, const char *dir)
{
	git_libgit2_init();
	assert_int_equal(git_repository_open(&ix->repo, dir), 0);
	history_init(&ix->h);
	char *err = NULL;
	assert_int_equal(history_update(&ix->h, ix->repo, "main", NULL, NULL, &err), 0);
	assert_int_equal(history_view_at(&ix->v, &ix->h, ix->repo, NULL, &err), 0);
}

static void close_indexed(struct indexed *ix)
{
	history_view_free(&ix->v);
	history_free(&ix->h);
	git_repository_free(ix->repo);
	git_libgit2_shutdown();
}

static void test_says_fix(void **state)
{
	(void)state;
	static const char *const yes[] = {
		"Fix crash when the session cookie is empty",
		"fixes #4512: KeyError in url_for with a blueprint",
		"Handle None in get_json (bug 31)",
		"hotfix: error on empty body",
		"Avoid a crash on Windows paths",
		"[Bug] header parsing",
	};
	static const char *const no[] = {
		"Fix typo in the quickstart",
		"docs: fix the example",
		"Fix lint",
		"Add a prefix option",
		"Update fixtures for the new parser",
		"Revert \"Fix crash on empty body\"",
		"Bump version to 2.3.1",
		"Add streaming responses",
		"Refactor the router (fixes nothing)",
		"",
	};
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!replay_says_fix(yes[i]))
			fail_msg("not read as a fix: %s", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (replay_says_fix(no[i]))
			fail_msg("read as a fix: %s", no[i]);
	assert_false(replay_says_fix(NULL));
}

static void test_sources(void **state)
{
	(void)state;
	assert_string_equal(replay_language_of("src/flask/app.py"), "python");
	assert_string_equal(replay_language_of("lib/router/index.js"), "javascript");
	assert_string_equal(replay_language_of("src/index.tsx"), "javascript");
	assert_null(replay_language_of("types/index.d.ts"));
	assert_string_equal(replay_language_of("context.go"), "go");
	assert_string_equal(replay_language_of("Src/Newtonsoft.Json/JsonReader.cs"), "csharp");
	assert_string_equal(replay_language_of("okhttp/src/main/kotlin/okhttp3/Call.kt"), "kotlin");
	assert_null(replay_language_of("Makefile"));
	assert_null(replay_language_of("v1.2/README"));
	assert_true(replay_is_product_source("src/flask/app.py"));
	assert_true(replay_is_product_source("lib/rack/utils.rb"));
	assert_false(replay_is_product_source("tests/test_app.py"));
	assert_false(replay_is_product_source("context_test.go"));
	assert_false(replay_is_product_source("src/test/java/com/google/gson/GsonTest.java"));
	assert_false(replay_is_product_source("vendor/github.com/x/y.go"));
	assert_false(replay_is_product_source("examples/hello/app.js"));
	assert_false(replay_is_product_source("docs/conf.py"));
}

/* Each language's report, read back by the real parser, names the same file and
 * line through the same map the replay used. */
static void test_reports_parse_back(void **state)
{
	(void)state;
	static const struct {
		const char *lang, *path, *identity, *identity_text, *function, *scope;
	} cases[] = {
		{ "python", "src/httpx/_client.py", "pyproject.toml", "[project]\nname = \"httpx\"\n", "send", NULL },
		{ "javascript", "lib/application.js", "package.json", "{\"name\": \"koa\"}", "handleRequest", NULL },
		{ "go", "context.go", "go.mod", "module github.com/labstack/echo/v4\n\ngo 1.20\n", "(*context).JSON", "echo" },
		{ "java", "gson/src/main/java/com/google/gson/Gson.java", NULL, NULL, "fromJson", "com.google.gson" },
		{ "kotlin", "okhttp/src/main/kotlin/okhttp3/internal/Util.kt", NULL, NULL, "closeQuietly", "okhttp3.internal" },
		{ "ruby", "lib/rack/utils.rb", "rack.gemspec", "Gem::Specification.new do |s|\n  s.name = \"rack\"\nend\n", "parse_query", NULL },
		{ "rust", "src/de.rs", "Cargo.toml", "[package]\nname = \"serde_json\"\n", "deserialize_any", NULL },
		{ "php", "src/Client.php", "composer.json", "{\"name\": \"guzzlehttp/guzzle\"}", "send", "GuzzleHttp" },
		{ "csharp", "Src/Newtonsoft.Json/JsonReader.cs", NULL, NULL, "ReadAsInt32", "Newtonsoft.Json" },
		{ "c", "core/history.c", NULL, NULL, "history_update", NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *paths[] = { cases[i].path, "README.md", cases[i].identity };
		trace_map *map = trace_map_new(paths, cases[i].identity ? 3 : 2);
		if (cases[i].identity)
			trace_map_add_identity(map, cases[i].identity, cases[i].identity_text,
					       strlen(cases[i].identity_text));
		replay_fix f = { .path = (char *)cases[i].path, .line = 87, .code = (char *)"return x",
				 .function = (char *)cases[i].function, .scope = (char *)cases[i].scope };
		char *report = replay_report(&f, cases[i].lang, map);
		trace t;
		trace_init(&t);
		trace_parse(&t, report, strlen(report));
		trace_map_apply(map, &t);
		if (!t.app_frame || !t.app_frame->repo_path || strcmp(t.app_frame->repo_path, cases[i].path) != 0 ||
		    t.app_frame->line != 87)
			fail_msg("%s: the report does not map back to %s:87:\n%s", cases[i].lang, cases[i].path, report);
		/* an installed copy, where the repository publishes a package (Python's
		 * package folders are read from a tree: trace_map_from_tree) */
		if (cases[i].identity && strcmp(cases[i].lang, "python") != 0) {
			char *inst = trace_map_installed(map, cases[i].path);
			if (!inst)
				fail_msg("%s: no installed path for %s", cases[i].lang, cases[i].path);
			assert_non_null(strstr(report, inst));
			free(inst);
		}
		trace_free(&t);
		free(report);
		trace_map_free(map);
	}
}

/* A repository with known fixers: ann owns app/cart.py, bob app/pay.py; each
 * fixes their own file, and a newcomer fixes one; features, typo commits and
 * test-only fixes are not replayed. */
static char *build_repo(void)
{
	char *dir = tu_mkdtemp();
	tu_sh(dir, "git init -q -b main . && mkdir -p app tests && "
		"printf 'import os\\n\\n\\ndef total(items):\\n    s = 0\\n    for i in items:\\n        s += i.price\\n    return s\\n' > app/cart.py && "
		"git add -A && GIT_AUTHOR_DATE=2025-01-01T00:00:00Z GIT_COMMITTER_DATE=2025-01-01T00:00:00Z "
		"git -c user.name=Ann -c user.email=ann@x commit -qm 'Add the cart' && "
		"printf 'def charge(card, amount):\\n    if amount < 0:\\n        raise ValueError(amount)\\n    return card.charge(amount)\\n' > app/pay.py && "
		"git add -A && GIT_AUTHOR_DATE=2025-02-01T00:00:00Z GIT_COMMITTER_DATE=2025-02-01T00:00:00Z "
		"git -c user.name=Bob -c user.email=bob@x commit -qm 'Add payments' && "
		/* ann fixes her file: one changed line, the 7th */
		"sed -i 's/s += i.price/s += i.price or 0/' app/cart.py && "
		"GIT_AUTHOR_DATE=2025-03-01T00:00:00Z GIT_COMMITTER_DATE=2025-03-01T00:00:00Z "
		"git -c user.name=Ann -c user.email=ann@x commit -qam 'Fix crash on items without a price' && "
		/* a typo fix is not a bug fix */
		"sed -i 's/import os/import os  # os/' app/cart.py && "
		"GIT_AUTHOR_DATE=2025-03-05T00:00:00Z GIT_COMMITTER_DATE=2025-03-05T00:00:00Z "
		"git -c user.name=Ann -c user.email=ann@x commit -qam 'Fix typo' && "
		/* bob fixes his: an insertion before line 4 points at line 4 */
		"sed -i '4i\\    card.check()' app/pay.py && "
		"GIT_AUTHOR_DATE=2025-04-01T00:00:00Z GIT_COMMITTER_DATE=2025-04-01T00:00:00Z "
		"git -c user.name=Bob -c user.email=bob@x commit -qam 'fix: error when the card is expired' && "
		/* a fix in tests only is not replayed */
		"printf 'def test_x():\\n    pass\\n' > tests/test_cart.py && git add -A && "
		"GIT_AUTHOR_DATE=2025-04-02T00:00:00Z GIT_COMMITTER_DATE=2025-04-02T00:00:00Z "
		"git -c user.name=Ann -c user.email=ann@x commit -qm 'Fix flaky test' && "
		/* a newcomer's fix, with a test beside it */
		"sed -i 's/return s/return round(s, 2)/' app/cart.py && printf 'def test_y():\\n    pass\\n' >> tests/test_cart.py && "
		"GIT_AUTHOR_DATE=2025-05-01T00:00:00Z GIT_COMMITTER_DATE=2025-05-01T00:00:00Z "
		"git -c user.name=Cy -c user.email=cy@x commit -qam 'Fix rounding bug in total'");
	return dir;
}

static void test_mine(void **state)
{
	(void)state;
	char *dir = build_repo();
	struct indexed ix;
	open_indexed(&ix, dir);
	git_repository *repo = ix.repo;
	history_view v = ix.v;
	char *err = NULL;
	replay_set s;
	replay_set_init(&s);
	assert_int_equal(replay_mine(&s, repo, &v, 0, &err), 0);
	assert_string_equal(s.lang, "python");
	assert_int_equal(s.scanned, 7);
	assert_int_equal(s.n, 3);
	/* newest first */
	assert_string_equal(s.v[0].fixer, "cy@x");
	assert_string_equal(s.v[0].path, "app/cart.py");
	assert_int_equal(s.v[0].line, 8);
	assert_string_equal(s.v[0].function, "total");
	assert_string_equal(s.v[0].code, "return s");
	assert_string_equal(s.v[1].fixer, "bob@x");
	assert_string_equal(s.v[1].path, "app/pay.py");
	assert_int_equal(s.v[1].line, 4);
	assert_string_equal(s.v[1].code, "return card.charge(amount)");
	assert_string_equal(s.v[1].function, "charge");
	assert_string_equal(s.v[2].fixer, "ann@x");
	assert_int_equal(s.v[2].line, 7);
	assert_int_equal(s.v[2].changed, 2);
	assert_string_equal(s.v[2].subject, "Fix crash on items without a price");
	/* the parent is the commit before the fix */
	git_commit *c;
	assert_int_equal(git_commit_lookup(&c, repo, &s.v[2].commit), 0);
	assert_true(git_oid_equal(git_commit_parent_id(c, 0), &s.v[2].parent));
	git_commit_free(c);
	/* --max */
	replay_set_free(&s);
	replay_set_init(&s);
	assert_int_equal(replay_mine(&s, repo, &v, 2, &err), 0);
	assert_int_equal(s.n, 2);
	replay_set_free(&s);
	close_indexed(&ix);
	tu_rmtree(dir);
	free(dir);
}

/* The features the ranking reads, as of a revision: who changed the file last
 * and in what order, who wrote the blamed line and its region, recency. */
static void test_features(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_sh(dir, "git init -q -b main . && "
		"seq 1 30 | sed 's/^/x = /' > f.py && git add -A && "
		"GIT_AUTHOR_DATE=2025-01-01T00:00:00Z GIT_COMMITTER_DATE=2025-01-01T00:00:00Z "
		"git -c user.name=Ann -c user.email=ann@x commit -qm a && "
		"sed -i '20s/.*/y = 20/' f.py && "
		"GIT_AUTHOR_DATE=2025-02-01T00:00:00Z GIT_COMMITTER_DATE=2025-02-01T00:00:00Z "
		"git -c user.name=Bob -c user.email=bob@x commit -qam b && "
		"sed -i '1s/.*/z = 1/' f.py && "
		"GIT_AUTHOR_DATE=2025-03-03T00:00:00Z GIT_COMMITTER_DATE=2025-03-03T00:00:00Z "
		"git -c user.name=Cy -c user.email=cy@x commit -qam c");
	struct indexed ix;
	open_indexed(&ix, dir);
	git_repository *repo = ix.repo;
	history_view v = ix.v;
	const history *hp = &ix.h;
	char *err = NULL;
	expertise_opts o = { .decay_days = 90, .line_weight = 100, .line_bonus = 10, .line = 20 };
	expertise_file f;
	expertise_file_init(&f);
	assert_int_equal(expertise_for(&f, &v, repo, "f.py", &o, &err), 0);
	assert_int_equal(f.total_lines, 30);
	assert_int_equal(f.region_lines, 21); /* lines 10..30 */
	assert_int_equal(f.recent_commits, 3);
	assert_string_equal(f.line_owner, "bob@x");
	/* line 20 was written on February 1st, 30 days before the view */
	assert_true(fabs(f.line_days - 30.0) < 1e-9);
	for (size_t i = 0; i < f.ndevs; i++) {
		const expertise_dev *d = &f.devs[i];
		assert_string_equal(hp->authors[d->author].email, d->email);
		assert_int_equal(d->recent, 1);
		if (strcmp(d->email, "cy@x") == 0) {
			assert_int_equal(d->file_order, 1);
			assert_int_equal(d->region_owned, 0);
			assert_false(d->region_latest);
		} else if (strcmp(d->email, "bob@x") == 0) {
			assert_int_equal(d->file_order, 2);
			assert_true(d->owns_line);
			assert_int_equal(d->region_owned, 1);
			assert_true(d->region_latest); /* the newest line around line 20 */
		} else {
			assert_string_equal(d->email, "ann@x");
			assert_int_equal(d->file_order, 3);
			assert_int_equal(d->region_owned, 20);
		}
	}
	/* activity: commits in the 90 days before the view, and the last one */
	rank_activity act;
	rank_activity_init(&act);
	rank_activity_compute(&act, &v, 40);
	int64_t ann = history_author_by_email(hp, "ann@x"), cy = history_author_by_email(hp, "cy@x");
	assert_int_equal(act.recent[ann], 0); /* two months before */
	assert_int_equal(act.recent[cy], 1);
	assert_int_equal(act.last[cy], v.now);
	assert_int_equal(act.recent_all, 2); /* bob's and cy's */
	/* each of the three commits was its author's first */
	assert_true(fabs(act.newcomers - 1.0) < 1e-12);
	rank_activity_dir(&act, &v, "f.py", 30);
	assert_true(act.dir[cy] > act.dir[ann] && act.dir[ann] > 0);
	rank_activity_free(&act);
	/* the features from the evidence */
	rank_evidence e = { .last_file = true, .file_order = 2, .file_days = 30, .owns_line = true,
			    .region_owned = 5, .region_lines = 20, .lines_owned = 10, .total_lines = 40,
			    .decayed = 0, .commits = 0, .recent = 3, .recent_window = 10, .repo_days = -1 };
	double x[RANK_NFEATURES];
	rank_features(&e, x);
	assert_true(x[RANK_LAST_FILE] == 1 && x[RANK_LINE] == 1);
	assert_true(fabs(x[RANK_FILE_ORDER] - 0.5) < 1e-9);
	assert_true(fabs(x[RANK_FILE_RECENCY] - 0.5) < 1e-9);
	assert_true(fabs(x[RANK_REGION] - 0.25) < 1e-9);
	assert_true(fabs(x[RANK_SHARE] - 0.25) < 1e-9);
	assert_true(fabs(x[RANK_RECENT_FILE] - 0.3) < 1e-9);
	assert_true(x[RANK_REPO_RECENCY] == 0 && x[RANK_COMMITS] == 0);
	/* measured against the other candidates: over the highest among them */
	rank_evidence e2 = { .decayed = 4, .seed = 10, .dir = 0, .repo_days = -1 };
	double x2[RANK_NFEATURES], x3[RANK_NFEATURES];
	rank_features(&e2, x2);
	e2.decayed = 1;
	e2.seed = 30;
	rank_features(&e2, x3);
	double *xs[] = { x, x2, x3 };
	rank_features_relative(xs, 3);
	assert_true(x[RANK_DECAYED_REL] == 0); /* no commits at all */
	assert_true(x2[RANK_DECAYED_REL] == 1 && fabs(x3[RANK_DECAYED_REL] - log1p(1) / log1p(4)) < 1e-12);
	assert_true(x3[RANK_SEED_REL] == 1 && fabs(x2[RANK_SEED_REL] - log1p(10) / log1p(30)) < 1e-12);
	/* nobody works in the folder: 0 for all, not a division by zero */
	assert_true(x[RANK_DIR_REL] == 0 && x2[RANK_DIR_REL] == 0 && x3[RANK_DIR_REL] == 0);
	rank_features_relative(xs, 0);
	expertise_file_free(&f);
	close_indexed(&ix);
	tu_rmtree(dir);
	free(dir);
}

static void test_calibration_mapping(void **state)
{
	(void)state;
	/* softmax */
	double s[3] = { 2, 1, 1 }, p[3];
	rank_softmax(s, p, 3);
	/* against "none of them", scoring 0 */
	double none = 1 / (1 + exp(2) + 2 * exp(1));
	assert_true(fabs(p[0] + p[1] + p[2] + none - 1) < 1e-12);
	assert_true(p[0] > p[1] && fabs(p[1] - p[2]) < 1e-12);
	/* one candidate with no evidence for them is a coin toss, not a certainty */
	double zero = 0, one;
	rank_softmax(&zero, &one, 1);
	assert_true(fabs(one - 0.5) < 1e-12);
	rank_softmax(NULL, NULL, 0);
	/* Platt recovers the mapping outcomes were drawn from */
	size_t n = 20000;
	double *ps = xmalloc(n * sizeof(*ps));
	uint8_t *ys = xmalloc(n);
	unsigned seed = 3;
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		ps[i] = 0.02 + 0.96 * (double)((seed >> 8) % 10000) / 10000.0;
		double z = 0.5 * log(ps[i] / (1 - ps[i])) - 0.7;
		double truth = 1 / (1 + exp(-z));
		seed = seed * 1103515245u + 12345u;
		ys[i] = (double)((seed >> 8) % 100000) / 100000.0 < truth;
	}
	double a, b;
	assert_int_equal(rank_fit_platt(ps, ys, n, &a, &b), 0);
	assert_true(fabs(a - 0.5) < 0.1);
	assert_true(fabs(b + 0.7) < 0.1);
	rank_model m = rank_default;
	m.platt_a = a;
	m.platt_b = b;
	/* the confidence is monotone in the chance, and within 0..100 */
	int last = -1;
	for (double q = 0; q <= 1.0; q += 0.01) {
		int c = rank_confidence(&m, q);
		assert_true(c >= last && c >= 0 && c <= 100);
		last = c;
	}
	/* one outcome only, or too few points: no fit */
	memset(ys, 1, n);
	assert_int_equal(rank_fit_platt(ps, ys, n, &a, &b), -1);
	assert_int_equal(rank_fit_platt(ps, ys, 5, &a, &b), -1);
	free(ps);
	free(ys);
	/* the shipped model names where it comes from */
	assert_non_null(rank_default.source);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_says_fix),
		cmocka_unit_test(test_sources),
		cmocka_unit_test(test_reports_parse_back),
		cmocka_unit_test(test_mine),
		cmocka_unit_test(test_features),
		cmocka_unit_test(test_calibration_mapping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
