/* Benchmark: the command center with 10,000 decisions and 200 developers in the
 * store. Times loading from the store (against a bare SQL read of the same
 * rows) and a full repaint (against ncurses painting a screen of plain text of
 * the same size), at 120x40 and a 250x70 wall, and the resident memory; then,
 * with five repositories (one an 82k-commit history) and their saved bus
 * factors, the first complete frame from exec (against the exec of a program
 * that does nothing). Prints times and ratios; asserts nothing about speed. */
#include <curses.h>
#include <locale.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "history.h"
#include "store.h"
#include "ui.h"
#include "xalloc.h"

#define ISSUES 10000
#define DEVS 200

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long status_kb(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;
	size_t n = strlen(field);
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, field, n) == 0)
			kb = strtol(line + n + 1, NULL, 10);
	if (f)
		fclose(f);
	return kb;
}

static int fill(store *s, void *arg)
{
	(void)arg;
	int64_t repo;
	if (store_repo_ensure(s, "acme/shop", &repo) < 0)
		return -1;
	static const char *const routes[] = { "assign", "assign", "human", "draft_fix" };
	for (int d = 0; d < DEVS; d++) {
		store_user u;
		store_user_init(&u);
		u.display_name = xasprintf("Developer %03d", d);
		u.login = xasprintf("dev%03d", d);
		char *e = xasprintf("dev%03d@acme.example", d);
		store_user_add_email(&u, e);
		free(e);
		if (store_user_save(s, &u) < 0)
			return -1;
		store_user_free(&u);
	}
	for (int i = 0; i < ISSUES; i++) {
		store_issue is;
		store_issue_init(&is);
		is.repo_id = repo;
		is.number = i + 1;
		is.title = xasprintf("KeyError: 'user_%d' in orders/checkout_%d.py when the cart is empty", i, i % 300);
		is.body = xstrdup("Traceback (most recent call last):\n  File \"orders/checkout.py\", line 12\nKeyError: 'x'\n");
		is.created_at = 1790000000 + i * 60;
		if (store_issue_save(s, &is) < 0)
			return -1;
		store_decision d;
		store_decision_init(&d);
		d.issue_id = is.id;
		d.created_at = is.created_at + 5;
		d.language = xstrdup("python");
		d.reasoning = xstrdup("Developer owns 40 of 52 lines of orders/checkout.py.");
		d.confidence = 40 + i % 60;
		d.route = xstrdup(routes[i % 4]);
		if (strcmp(d.route, "human") != 0)
			d.assignee_email = xasprintf("dev%03d@acme.example", (i * 7) % DEVS);
		if (store_decision_record(s, &d) < 0)
			return -1;
		if (d.assignee_email && i % 3 == 0) {
			store_assignment a;
			store_assignment_init(&a);
			a.issue_id = is.id;
			a.decision_id = d.id;
			a.assignee_email = xstrdup(d.assignee_email);
			a.confidence = d.confidence;
			a.reasoning = xstrdup(d.reasoning);
			if (store_assign(s, &a) < 0)
				return -1;
			store_assignment_free(&a);
		}
		store_decision_free(&d);
		store_issue_free(&is);
	}
	return 0;
}

static const char *const repo_slugs[] = { "git/git", "pallets/flask", "expressjs/express",
					   "psf/requests", "acme/shop" };
#define NREPOS (sizeof(repo_slugs) / sizeof(*repo_slugs))

/* An index the size of git/git's (82k commits, 140k changes, 5.7k files),
 * saved as the worker saves one: the screen must not read it. */
static int save_large_index(store *s, int64_t repo_id)
{
	history h;
	history_init(&h);
	h.nauthors = 2000;
	h.authors = xcalloc(h.nauthors, sizeof(*h.authors));
	for (size_t a = 0; a < h.nauthors; a++) {
		h.authors[a].email = xasprintf("dev%zu@git.example", a);
		h.authors[a].name = xasprintf("Developer %zu", a);
	}
	h.ncommits = 82000;
	h.commits = xcalloc(h.ncommits, sizeof(*h.commits));
	h.nmainline = h.ncommits;
	h.mainline = xcalloc(h.nmainline, sizeof(*h.mainline));
	for (size_t c = 0; c < h.ncommits; c++) {
		memcpy(h.commits[c].oid.id, &c, sizeof(c));
		h.commits[c].time = h.commits[c].author_time = 1100000000 + (int64_t)c * 3600;
		h.commits[c].author = (uint32_t)(c * 7919 % h.nauthors);
		h.commits[c].mp = (uint32_t)c;
		h.mainline[c] = (uint32_t)c;
	}
	h.npaths = 5700;
	h.paths = xcalloc(h.npaths, sizeof(*h.paths));
	for (size_t p = 0; p < h.npaths; p++)
		h.paths[p] = xasprintf("builtin/dir%02zu/file%04zu.c", p % 40, p);
	h.ntouches = 140000;
	h.touches = xcalloc(h.ntouches, sizeof(*h.touches));
	for (size_t t = 0; t < h.ntouches; t++) {
		h.touches[t].file = (uint32_t)(t % h.npaths);
		h.touches[t].path = (uint32_t)(t % h.npaths);
		h.touches[t].commit = (uint32_t)(t * h.ncommits / h.ntouches);
		h.touches[t].kind = t < h.npaths ? HIST_ADD : HIST_MODIFY;
	}
	int rc = store_history_save(s, repo_id, &h);
	history_free(&h);
	return rc;
}

/* Five repositories, each with 200 risky files saved as the worker saves them. */
static int fill_repos(store *s, void *arg)
{
	(void)arg;
	for (size_t r = 0; r < NREPOS; r++) {
		int64_t id;
		if (store_repo_ensure(s, repo_slugs[r], &id) < 0 || (r == 0 && save_large_index(s, id) < 0))
			return -1;
		store_risk risk = { .v = xcalloc(200, sizeof(store_risk_row)), .n = 200 };
		for (size_t i = 0; i < risk.n; i++) {
			risk.v[i].path = xasprintf("src/module%03zu/handler.c", i);
			risk.v[i].owner = xasprintf("dev%03zu@acme.example", i % DEVS);
			risk.v[i].partner = i % 3 ? xasprintf("dev%03zu@acme.example", (i + 1) % DEVS) : NULL;
			risk.v[i].share = 60 + (double)(i % 40);
			risk.v[i].critical = i % 17 == 0;
		}
		int rc = store_risk_save(s, id, "bench", 3, risk.n, &risk);
		store_risk_free(&risk);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* --first-frame DB: open the store, load and draw one complete 120x40 frame,
 * exit: what a person waits for after typing mahoraga. */
static int first_frame(const char *path)
{
	store *s = NULL;
	char *err = NULL;
	if (store_open(&s, path, &err) < 0)
		return 1;
	config cfg;
	config_init(&cfg);
	cfg.repos = xcalloc(NREPOS, sizeof(*cfg.repos));
	for (size_t r = 0; r < NREPOS; r++) {
		cfg.repos[r].slug = xstrdup(repo_slugs[r]);
		cfg.repos[r].path = xasprintf("/srv/clones/%zu", r);
	}
	cfg.n_repos = NREPOS;
	ui_options opt = { .db_path = path };
	int rc = ui_dump(s, &cfg, &opt, 120, 40, NULL, 1, NULL, NULL) < 0;
	config_free(&cfg);
	store_close(s);
	return rc;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Median wall time from fork to exit of this program run with args. */
static double exec_self(const char *a1, const char *a2, int runs)
{
	double t[31];
	for (int i = 0; i < runs; i++) {
		double t0 = now();
		pid_t pid = fork();
		if (pid == 0) {
			execl("/proc/self/exe", "bench_ui", a1, a2, (char *)NULL);
			_exit(127);
		}
		int status;
		waitpid(pid, &status, 0);
		t[i] = now() - t0;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			return -1;
	}
	qsort(t, (size_t)runs, sizeof(*t), cmp_double);
	return t[runs / 2];
}

/* The baseline read: the feed's rows straight from SQLite, nothing else. */
static double bare_read(const char *path)
{
	sqlite3 *db;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		exit(1);
	double t = now();
	if (sqlite3_exec(db, "SELECT i.number, i.title, d.route, d.assignee_email, d.confidence, d.created_at "
			     "FROM decisions d JOIN issues i ON i.id = d.issue_id ORDER BY d.created_at DESC LIMIT 500; "
			     "SELECT assignee_email, count(*) FROM assignments WHERE status = 'assigned' "
			     "GROUP BY assignee_email",
			 NULL, NULL, NULL) != SQLITE_OK)
		exit(1);
	t = now() - t;
	sqlite3_close(db);
	return t * 1e3;
}

/* The baseline paint: every cell of the screen written as plain text. */
static double bare_paint(int cols, int rows, int frames)
{
	FILE *sink = fopen("/dev/null", "w+");
	SCREEN *scr = newterm("xterm-256color", sink, sink);
	if (!scr)
		exit(1);
	resizeterm(rows, cols);
	char *line = xmalloc((size_t)cols + 1);
	double t = now();
	for (int f = 0; f < frames; f++) {
		clearok(curscr, TRUE);
		erase();
		for (int y = 0; y < rows; y++) {
			for (int x = 0; x < cols; x++)
				line[x] = (char)('a' + (x + y + f) % 26);
			line[cols] = '\0';
			mvaddnstr(y, 0, line, cols);
		}
		refresh();
	}
	t = now() - t;
	endwin();
	delscreen(scr);
	fclose(sink);
	free(line);
	return t * 1e3 / frames;
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	if (argc == 3 && strcmp(argv[1], "--first-frame") == 0)
		return first_frame(argv[2]);
	if (argc == 3 && strcmp(argv[1], "--nothing") == 0)
		return 0;
	/* testutil is not linked: ncurses' flags redefine what it defines */
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/mahoraga-bench-ui-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	char *path = xasprintf("%s/bench.db", dir);
	store *s = NULL;
	char *err = NULL;
	if (store_open(&s, path, &err) < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	double t = now();
	if (store_transaction(s, fill, NULL) < 0) {
		fprintf(stderr, "%s\n", store_error(s));
		return 1;
	}
	printf("bench_ui: %d decisions, %d developers stored in %.0f ms\n", ISSUES, DEVS, (now() - t) * 1e3);
	config cfg;
	config_init(&cfg);
	long rss0 = status_kb("VmRSS");
	static const struct { int cols, rows; bool wall; } sizes[] = { { 120, 40, false }, { 250, 70, true } };
	const int frames = 200;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		ui_options opt = { .db_path = path, .wall = sizes[i].wall, .readonly = sizes[i].wall };
		struct ui_dump_times ours;
		if (ui_dump(s, &cfg, &opt, sizes[i].cols, sizes[i].rows, NULL, frames, NULL, &ours) < 0) {
			fprintf(stderr, "bench_ui: no terminal description for xterm-256color\n");
			return 1;
		}
		double read = bare_read(path);
		double paint = bare_paint(sizes[i].cols, sizes[i].rows, frames);
		printf("  %dx%d%s: load from the store %.2f ms vs bare SQL read %.2f ms (ratio %.2f); "
		       "full repaint %.3f ms vs plain-text paint %.3f ms (ratio %.2f)\n",
		       sizes[i].cols, sizes[i].rows, sizes[i].wall ? " wall" : "", ours.load_ms, read,
		       ours.load_ms / read, ours.draw_ms, paint, ours.draw_ms / paint);
	}
	printf("  resident memory: %ld KiB before the screen, %ld KiB after (peak %ld KiB)\n", rss0,
	       status_kb("VmRSS"), status_kb("VmHWM"));
	if (store_transaction(s, fill_repos, NULL) < 0) {
		fprintf(stderr, "%s\n", store_error(s));
		return 1;
	}
	double first = exec_self("--first-frame", path, 21), floor = exec_self("--nothing", path, 21);
	printf("  first complete 120x40 frame from exec, 5 repositories (one of 82k commits), "
	       "median of 21: %.1f ms; exec of a program doing nothing: %.1f ms\n",
	       first * 1e3, floor * 1e3);
	config_free(&cfg);
	store_close(s);
	char *rm = xasprintf("rm -rf '%s'", dir);
	if (system(rm) != 0)
		fprintf(stderr, "bench_ui: could not remove %s\n", dir);
	free(rm);
	free(path);
	free(dir);
	return 0;
}
