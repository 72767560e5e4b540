/* Unit tests of the command center's pieces that need no terminal: the issue
 * view's lines. (testutil is not linked: ncurses' flags redefine what it
 * defines.) */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "config.h"
#include "store.h"
#include "strbuf.h"
#include "ui_internal.h"
#include "xalloc.h"

/* Display columns of s, or -1 if s is not whole UTF-8 characters. */
static int columns(const char *s)
{
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	size_t len = strlen(s), i = 0;
	int cols = 0;
	while (i < len) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s + i, len - i, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
			return -1;
		int w = wcwidth(wc);
		cols += w < 0 ? 1 : w;
		i += n;
	}
	return cols;
}

/* A new store in a new directory made from the template dir, with the
 * repository acme/shop (its id in *repo); *path is the database's. */
static store *temp_store(char *dir, char **path, int64_t *repo)
{
	assert_non_null(mkdtemp(dir));
	*path = xasprintf("%s/m.db", dir);
	store *s = NULL;
	char *err = NULL;
	assert_int_equal(store_open(&s, *path, &err), 0);
	assert_int_equal(store_repo_ensure(s, "acme/shop", repo), 0);
	return s;
}

static void drop_store(store *s, const char *dir, char *path)
{
	store_close(s);
	char *rm = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(rm), 0);
	free(rm);
	free(path);
}

/* Long lines of wide characters, emoji and accents, with and without spaces:
 * the issue view wraps them by display width and never cuts a character. */
static void test_issue_view_wraps_by_columns(void **state)
{
	(void)state;
	char dir[] = "/tmp/mahoraga-test-ui-XXXXXX";
	int64_t repo;
	char *path;
	store *s = temp_store(dir, &path, &repo);
	strbuf body = STRBUF_INIT;
	for (int i = 0; i < 30; i++)
		strbuf_addstr(&body, "注文の保存に失敗しました");
	strbuf_addstr(&body, "\n");
	for (int i = 0; i < 20; i++)
		strbuf_addstr(&body, "café crème 🎉 ");
	strbuf_addstr(&body, "\nKeyError: 'utilisateur_é'\n");
	store_issue is;
	store_issue_init(&is);
	is.repo_id = repo;
	is.number = 12;
	is.title = xstrdup("保存できない");
	is.body = strbuf_detach(&body);
	is.created_at = 1790000000;
	assert_int_equal(store_issue_save(s, &is), 0);
	config cfg;
	config_init(&cfg);
	static const int widths[] = { 40, 61, 80 };
	for (size_t k = 0; k < sizeof(widths) / sizeof(*widths); k++) {
		struct ui_lines l = { 0 };
		ui_detail_build(&l, s, &cfg, is.id, widths[k]);
		size_t wide = 0;
		for (size_t i = 0; i < l.n; i++) {
			int c = columns(l.v[i]);
			if (c < 0 || c > widths[k])
				fail_msg("width %d, line %zu (%d columns): %s", widths[k], i, c, l.v[i]);
			wide += strstr(l.v[i], "注文") != NULL;
		}
		assert_true(wide >= 2); /* the long line was wrapped, not dropped */
		ui_lines_free(&l);
	}
	config_free(&cfg);
	store_issue_free(&is);
	drop_store(s, dir, path);
}

/* The settings pane names the ranking and each repository's own calibration,
 * shown but not editable. */
static void test_settings_show_calibration(void **state)
{
	(void)state;
	char dir[] = "/tmp/mahoraga-test-ui-XXXXXX";
	int64_t repo;
	char *path;
	store *s = temp_store(dir, &path, &repo);
	assert_int_equal(store_calibration_save(s, repo, 0.9, -0.2, 183, 41.5, 3.2), 0);
	config cfg;
	config_init(&cfg);
	struct ui_data d;
	memset(&d, 0, sizeof(d));
	ui_data_load(&d, s, &cfg);
	bool ranking = false, own = false;
	for (size_t i = 0; i < d.nsettings; i++) {
		const struct setting_row *r = &d.settings[i];
		if (strcmp(r->key, "ranking") == 0) {
			ranking = true;
			assert_true(r->measured);
			assert_non_null(strstr(r->value, "fitted on"));
		}
		if (strcmp(r->key, "repo.acme/shop.calibration") == 0) {
			own = true;
			assert_true(r->measured);
			assert_string_equal(r->value, "its own: 183 fixes, top-1 42%, calibration error 3.2");
		}
	}
	assert_true(ranking && own);
	ui_data_free(&d);
	config_free(&cfg);
	drop_store(s, dir, path);
}

/* A long reason given by hand is wrapped in the issue view's history, not cut. */
static void test_history_lines_wrap(void **state)
{
	(void)state;
	char dir[] = "/tmp/mahoraga-test-ui-XXXXXX";
	int64_t repo;
	char *path;
	store *s = temp_store(dir, &path, &repo);
	store_issue is;
	store_issue_init(&is);
	is.repo_id = repo;
	is.number = 5;
	is.title = xstrdup("Totals wrong");
	is.body = xstrdup("KeyError: 'x'\n");
	assert_int_equal(store_issue_save(s, &is), 0);
	store_assignment a;
	store_assignment_init(&a);
	a.issue_id = is.id;
	a.assignee_email = xstrdup("bob@example.com");
	a.note = xstrdup("Bob rewrote the totals module last week and knows why the rounding changed; "
			 "the end of this reason must still be on the screen");
	a.reasoning = xstrdup("by hand");
	assert_int_equal(store_assign(s, &a), 0);
	store_assignment_free(&a);
	store_decision d;
	store_decision_init(&d);
	d.issue_id = is.id;
	d.route = xstrdup("human");
	d.full_json = xstrdup("{\"route\": \"human\", \"confidence\": 20, \"assignee\": null}");
	assert_int_equal(store_decision_record(s, &d), 0);
	store_decision_free(&d);
	config cfg;
	config_init(&cfg);
	struct ui_lines l = { 0 };
	ui_detail_build(&l, s, &cfg, is.id, 60);
	bool end = false;
	for (size_t i = 0; i < l.n; i++) {
		assert_true(columns(l.v[i]) <= 60);
		end |= strstr(l.v[i], "screen") != NULL;
	}
	assert_true(end);
	ui_lines_free(&l);
	config_free(&cfg);
	store_issue_free(&is);
	drop_store(s, dir, path);
}

/* The risk pane knows how many risky files there are beyond the rows saved. */
static void test_risk_counts_beyond_saved_rows(void **state)
{
	(void)state;
	char dir[] = "/tmp/mahoraga-test-ui-XXXXXX";
	int64_t repo;
	char *path;
	store *s = temp_store(dir, &path, &repo);
	store_risk_row rows[2] = { { .path = (char *)"a.c", .owner = (char *)"ann@x", .share = 100 },
				   { .path = (char *)"b.c", .owner = (char *)"bob@x", .share = 90 } };
	store_risk r = { .v = rows, .n = 2 };
	assert_int_equal(store_risk_save(s, repo, "key", 1, 350, &r), 0);
	config cfg;
	config_init(&cfg);
	struct ui_data d;
	memset(&d, 0, sizeof(d));
	ui_data_load(&d, s, &cfg);
	assert_int_equal(d.risk.n, 2);
	assert_int_equal(d.risky, 350);
	ui_data_free(&d);
	config_free(&cfg);
	drop_store(s, dir, path);
}

/* --- expected screens: ui_dump driven by keys, compared with tests/data/screens --- */

/* The clock the screens are drawn at; every time in the store is set near it. */
#define SCREEN_NOW 1790000000

static void add_issue(store *s, int64_t repo, int number, const char *title, const char *body, const char *json,
		      const char *route, double confidence, const char *assignee)
{
	store_issue is;
	store_issue_init(&is);
	is.repo_id = repo;
	is.number = number;
	is.title = xstrdup(title);
	is.body = xstrdup(body);
	is.url = xasprintf("https://github.com/acme/shop/issues/%d", number);
	assert_int_equal(store_issue_save(s, &is), 0);
	store_decision d;
	store_decision_init(&d);
	d.issue_id = is.id;
	d.route = xstrdup(route);
	d.confidence = confidence;
	d.assignee_email = assignee ? xstrdup(assignee) : NULL;
	d.full_json = xstrdup(json);
	assert_int_equal(store_decision_record(s, &d), 0);
	if (assignee) {
		store_assignment a;
		store_assignment_init(&a);
		a.issue_id = is.id;
		a.decision_id = d.id;
		a.assignee_email = xstrdup(assignee);
		a.confidence = confidence;
		a.reasoning = xstrdup("by the triage");
		assert_int_equal(store_assign(s, &a), 0);
		store_assignment_free(&a);
	}
	store_decision_free(&d);
	store_issue_free(&is);
}

static void add_user(store *s, const char *name, const char *login, const char *email, int active)
{
	store_user u;
	store_user_init(&u);
	u.display_name = xstrdup(name);
	u.login = xstrdup(login);
	u.active = active;
	u.emails = xcalloc(1, sizeof(*u.emails));
	u.emails[u.n_emails++] = xstrdup(email);
	assert_int_equal(store_user_save(s, &u), 0);
	store_user_free(&u);
}

/* Every time the store keeps (columns named *_at) becomes an hour before the
 * screens' clock, the decisions' a few minutes apart: the screens do not
 * depend on when the test runs. */
static void fix_the_times(const char *path)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *tables;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &tables, NULL),
			 SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		char *q = sqlite3_mprintf("SELECT name FROM pragma_table_info(%Q)", sqlite3_column_text(tables, 0));
		sqlite3_stmt *cols;
		assert_int_equal(sqlite3_prepare_v2(db, q, -1, &cols, NULL), SQLITE_OK);
		while (sqlite3_step(cols) == SQLITE_ROW) {
			const char *col = (const char *)sqlite3_column_text(cols, 0);
			size_t len = strlen(col);
			if (len < 3 || strcmp(col + len - 3, "_at"))
				continue;
			char *u = sqlite3_mprintf("UPDATE \"%w\" SET \"%w\" = %d - 3600 + 60 * rowid "
						  "WHERE \"%w\" IS NOT NULL",
						  sqlite3_column_text(tables, 0), col, SCREEN_NOW, col);
			assert_int_equal(sqlite3_exec(db, u, NULL, NULL, NULL), SQLITE_OK);
			sqlite3_free(u);
		}
		sqlite3_finalize(cols);
		sqlite3_free(q);
	}
	sqlite3_finalize(tables);
	sqlite3_close(db);
}

/* A small team's store: three decisions, two open assignments, the team, the
 * risky files; everything in ASCII so the screens are the same in any locale. */
static store *screen_store(char *dir, char **path)
{
	int64_t repo;
	store *s = temp_store(dir, path, &repo);
	add_issue(s, repo, 41, "Checkout fails for customers paying in GBP",
		  "Traceback (most recent call last):\n  File \"/srv/shop/pricing/rates.py\", line 12, in convert\n"
		  "KeyError: 'GBP'\n",
		  "{\"route\": \"assign\", \"confidence\": 82, \"assignee\": {\"email\": \"ana@shop.example\"},"
		  " \"reasoning\": \"Ana changed pricing/rates.py last, two days ago, and wrote the blamed line.\","
		  " \"error_type\": \"KeyError\", \"language\": \"python\", \"error_message\": \"'GBP'\","
		  " \"frames\": [{\"file\": \"/srv/shop/pricing/rates.py\", \"repo_path\": \"shop/pricing/rates.py\","
		  " \"line\": 12, \"function\": \"convert\", \"in_app\": true}],"
		  " \"app_frame\": {\"file\": \"/srv/shop/pricing/rates.py\", \"line\": 12},"
		  " \"candidates\": [{\"email\": \"ana@shop.example\", \"chance\": 0.82, \"reasons\": [\"changed the file"
		  " last\", \"wrote the blamed line\"]}, {\"email\": \"ben@shop.example\", \"chance\": 0.09, \"reasons\":"
		  " [\"active in the repository lately\"]}],"
		  " \"explanation\": \"The rates table has no entry for GBP.\","
		  " \"analyzer\": {\"name\": \"rules\", \"why\": \"the LLM: the LLM answered 500\"}}",
		  "assign", 82, "ana@shop.example");
	add_issue(s, repo, 42, "Cart page is blank for new users", "The cart is empty and the page is white.\n",
		  "{\"route\": \"human\", \"confidence\": 28, \"assignee\": null,"
		  " \"reasoning\": \"No stack trace: nothing points at the code.\"}",
		  "human", 28, NULL);
	add_issue(s, repo, 43, "stock service crash loop", "panic: runtime error: invalid memory address\n",
		  "{\"route\": \"assign\", \"confidence\": 64, \"assignee\": {\"email\": \"ben@shop.example\"},"
		  " \"reasoning\": \"Ben wrote most of svc/stock.\"}",
		  "assign", 64, "ben@shop.example");
	add_user(s, "Ana Lima", "analima", "ana@shop.example", 1);
	add_user(s, "Ben Okafor", "bokafor", "ben@shop.example", 1);
	add_user(s, "Carla Diaz", "cdiaz", "carla@shop.example", 0);
	/* a spell the model proposed for #41, waiting for a person */
	assert_int_equal(store_proposal_add(s, 0, "python-currency-missing",
					    "id: python-currency-missing\ntitle: A currency without a rate\n"
					    "languages: python\nerror: KeyError\nmessage: re:^'[A-Z]{3}'$\n---\n"
					    "The rates table has no entry for the currency.\n", 1700000000),
			 1);
	store_risk_row rows[3] = {
		{ .path = (char *)"shop/pricing/rates.py", .owner = (char *)"ana@shop.example", .share = 100,
		  .partner = (char *)"ben@shop.example" },
		{ .path = (char *)"svc/stock/main.go", .owner = (char *)"ben@shop.example", .share = 92 },
		{ .path = (char *)"billing/Invoice.java", .owner = NULL, .share = 0, .critical = 1 },
	};
	store_risk r = { .v = rows, .n = 3 };
	assert_int_equal(store_risk_save(s, repo, "key", 1, 3, &r), 0);
	store_expertise knowers[2] = {
		{ .path = (char *)"shop/pricing/rates.py", .email = (char *)"ana@shop.example", .score = 412.5,
		  .commits = 14, .lines_owned = 80, .last_commit = SCREEN_NOW - 2 * 86400 },
		{ .path = (char *)"shop/pricing/rates.py", .email = (char *)"ben@shop.example", .score = 35.0,
		  .commits = 2, .lines_owned = 3, .last_commit = SCREEN_NOW - 90 * 86400 },
	};
	store_expertise_list kl = { .v = knowers, .n = 2 };
	assert_int_equal(store_risk_knowers_save(s, repo, &kl), 0);
	fix_the_times(*path);
	return s;
}

/* Each pane (zoomed, so all of it shows), the issue view, the help and the
 * hint bar at 80x24 and 120x40, compared with tests/data/screens/. With
 * MAHORAGA_UPDATE_SCREENS=1 the screens are written instead (review the diff). */
/* The status line's words for GitHub: its rate limit; a recent error; an
 * open breaker with how long it stays open; a probe. */
static void test_services_text(void **state)
{
	(void)state;
	struct ui_data d;
	memset(&d, 0, sizeof(d));
	d.now = 100000;
	store_service sv;
	store_service_init(&sv, "github");
	d.services = &sv;
	d.nservices = 1;
	char buf[200];
	ui_services_text(&d, buf, sizeof(buf));
	assert_string_equal(buf, "GitHub ok");
	sv.rate_remaining = 4812;
	ui_services_text(&d, buf, sizeof(buf));
	assert_string_equal(buf, "GitHub 4812 left");
	sv.rate_reset = d.now + 23 * 60;
	ui_services_text(&d, buf, sizeof(buf));
	assert_string_equal(buf, "GitHub 4812 left, reset in 23m");
	sv.last_error = xstrdup("GET /repos/acme/api/issues: answered 404");
	sv.error_at = d.now - 120;
	ui_services_text(&d, buf, sizeof(buf));
	assert_string_equal(buf, "GitHub error 2m ago: GET /repos/acme/api/issues: answered 404");
	sv.error_at = d.now - 3600; /* an old error is no news */
	ui_services_text(&d, buf, sizeof(buf));
	assert_string_equal(buf, "GitHub 4812 left, reset in 23m");
	for (int i = 0; i < BREAKER_FAILURES; i++)
		breaker_failure(&sv.br, d.now - 18);
	ui_services_text(&d, buf, sizeof(buf));
	assert_string_equal(buf, "GitHub left alone 42s: GET /repos/acme/api/issues: answered 404");
	d.now += 60;
	ui_services_text(&d, buf, sizeof(buf));
	assert_string_equal(buf, "GitHub being tried again");
	/* what waits for a service is said: Slack down, its messages queued */
	sv.queued = 3;
	ui_services_text(&d, buf, sizeof(buf));
	assert_string_equal(buf, "GitHub being tried again, 3 queued");
	/* the buffer is never overrun */
	char small[10];
	ui_services_text(&d, small, sizeof(small));
	assert_int_equal(strlen(small), sizeof(small) - 1);
	store_service_free(&sv);
}

static void test_expected_screens(void **state)
{
	(void)state;
	static const struct { const char *name, *keys; } cases[] = {
		{ "panes", NULL },
		{ "load", "S-Tab z" },
		{ "feed", "z" },
		{ "risk", "Tab z" },
		{ "settings", "Tab Tab z" },
		{ "people", "Tab Tab Tab z" },
		{ "spells", "Tab Tab Tab Tab z" },
		{ "spell-menu", "Tab Tab Tab Tab Enter" },
		{ "issue", "G Enter" },
		{ "issue-end", "G Enter G" },
		{ "help", "?" },
		{ "filter", "/ b e n Enter" },
		{ "drill-down", "S-Tab j Enter" },
		{ "feed-by-confidence", ">" },
		{ "issue-search", "G Enter / c a n d i d a t e s Enter" },
		{ "issue-search-next", "G Enter / s h o p Enter n n N" },
		{ "load-by-name", "S-Tab >" },
		{ "risk-by-file", "Tab < z" },
		{ "risk-file", "Tab Enter" },
		{ "prompt", "/ c h e" },
		{ "menu", "G R" },
		{ "confirm", "G H" },
		{ "confirm-no", "G H x" },
		{ "risk-file-not-saved", "Tab j Enter" },
	};
	static const int sizes[][2] = { { 80, 24 }, { 120, 40 } };
	setenv("TERM", "xterm-256color", 1);
	setenv("LC_ALL", "C.UTF-8", 1);
	char dir[] = "/tmp/mahoraga-test-ui-XXXXXX";
	char *path;
	store *s = screen_store(dir, &path);
	config cfg;
	config_init(&cfg);
	ui_options opt = { .db_path = "shop.db", .no_color = true, .now = SCREEN_NOW };
	const char *srcdir = getenv("srcdir");
	bool update = getenv("MAHORAGA_UPDATE_SCREENS") != NULL;
	int failed = 0;
	for (size_t k = 0; k < sizeof(sizes) / sizeof(*sizes); k++)
		for (size_t c = 0; c < sizeof(cases) / sizeof(*cases); c++) {
			char *got = NULL;
			size_t glen = 0;
			FILE *mem = open_memstream(&got, &glen);
			assert_non_null(mem);
			assert_int_equal(ui_dump(s, &cfg, &opt, sizes[k][0], sizes[k][1], cases[c].keys, 1, mem, NULL), 0);
			fclose(mem);
			char *file = xasprintf("%s/tests/data/screens/%s-%dx%d.txt", srcdir && *srcdir ? srcdir : ".",
					       cases[c].name, sizes[k][0], sizes[k][1]);
			if (update) {
				FILE *f = fopen(file, "w");
				assert_non_null(f);
				fwrite(got, 1, glen, f);
				fclose(f);
			} else {
				FILE *f = fopen(file, "r");
				strbuf want = STRBUF_INIT;
				if (f) {
					strbuf_read(&want, f, 1 << 20);
					fclose(f);
				}
				if (!f || want.len != glen || memcmp(want.buf, got, glen)) {
					fprintf(stderr, "%s differs; the screen drawn:\n%s", file, got);
					failed++;
				}
				strbuf_release(&want);
			}
			free(file);
			free(got);
		}
	config_free(&cfg);
	drop_store(s, dir, path);
	assert_int_equal(failed, 0);
}

/* The man page's key sections are the action table's: a key added, changed or
 * dropped in ui/screen.c without the man page fails here, with the block to
 * paste. */
static void test_man_page_keys_match_the_table(void **state)
{
	(void)state;
	const char *srcdir = getenv("srcdir");
	char *path = xasprintf("%s/doc/mahoraga.1", srcdir && *srcdir ? srcdir : ".");
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	strbuf man = STRBUF_INIT;
	assert_int_equal(strbuf_read(&man, f, 1 << 20), 0);
	fclose(f);
	static const char begin[] = ".\\\" keys: generated from ui/screen.c's action table\n";
	static const char end[] = ".\\\" end of the keys\n";
	const char *a = strstr(man.buf, begin), *b = a ? strstr(a, end) : NULL;
	assert_non_null(a);
	assert_non_null(b);
	a += strlen(begin);
	char *want = NULL;
	size_t wlen = 0;
	FILE *mem = open_memstream(&want, &wlen);
	assert_non_null(mem);
	ui_keys_roff(mem);
	fclose(mem);
	bool same = (size_t)(b - a) == wlen && memcmp(a, want, wlen) == 0;
	if (!same)
		fprintf(stderr, "doc/mahoraga.1's keys differ from the action table; between the markers put:\n%s", want);
	assert_true(same);
	free(want);
	strbuf_release(&man);
	free(path);
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 77; /* no UTF-8 locale: skipped */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_issue_view_wraps_by_columns),
		cmocka_unit_test(test_settings_show_calibration),
		cmocka_unit_test(test_history_lines_wrap),
		cmocka_unit_test(test_risk_counts_beyond_saved_rows),
		cmocka_unit_test(test_services_text),
		cmocka_unit_test(test_man_page_keys_match_the_table),
		cmocka_unit_test(test_expected_screens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
