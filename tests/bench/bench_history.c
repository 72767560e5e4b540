/* Benchmark: the history index, blame and expertise against the git CLI doing the
 * same work, in the same run, on generated repositories (3,000 and 20,000
 * commits, 40 authors, 5,000 files, renames; packed by git repack as a clone
 * is), on this project's own history and
 * on the clones named in BENCH_REPOS; warm `mahoraga triage` and
 * `busfactor` from exec to exit against `git log -1`. Prints times, ratios and
 * peak memory; asserts nothing about speed. */
#include <fcntl.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "expertise.h"
#include "gitlib.h"
#include "history.h"
#include "store.h"
#include "../testutil.h"
#include "triage.h"
#include "xalloc.h"

#define COMMITS 20000
#define AUTHORS 40
#define FILES 5000
#define LINES 24

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned rnd(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 8) & 0xffffff;
}

static void data(FILE *out, const char *text)
{
	fprintf(out, "data %zu\n%s\n", strlen(text), text);
}

/* A fast-import stream: one import commit, then small edits by 40 people, a
 * rename every 500 commits. Hot files get most edits, as in real projects. */
static void generate(const char *dir, int commits)
{
	char *cmd = xasprintf("cd '%s' && git init -q -b main . && git fast-import --quiet", dir);
	FILE *out = popen(cmd, "w");
	free(cmd);
	if (!out)
		exit(1);
	static char content[FILES][LINES][24];
	static char path[FILES][64];
	unsigned seed = 7;
	for (int f = 0; f < FILES; f++) {
		snprintf(path[f], sizeof(path[f]), "src/m%02d/d%02d/f%04d.c", f % 50, (f / 50) % 20, f);
		for (int l = 0; l < LINES; l++)
			snprintf(content[f][l], sizeof(content[f][l]), "int v%d_%d = %u;", f, l, rnd(&seed) % 1000);
	}
	long t = 1500000000;
	for (int c = 0; c < commits; c++) {
		int a = c == 0 ? 0 : (int)(rnd(&seed) % AUTHORS);
		fprintf(out, "commit refs/heads/main\nmark :%d\n", c + 1);
		fprintf(out, "author Dev %d <dev%d@example.com> %ld +0000\n", a, a, t);
		fprintf(out, "committer Dev %d <dev%d@example.com> %ld +0000\n", a, a, t);
		data(out, "change");
		if (c)
			fprintf(out, "from :%d\n", c);
		int nf = c == 0 ? FILES : 1 + (int)(rnd(&seed) % 3);
		for (int k = 0; k < nf; k++) {
			int f = c == 0 ? k : (rnd(&seed) % 4 ? (int)(rnd(&seed) % 200) : (int)(rnd(&seed) % FILES));
			if (c && c % 500 == 0 && k == 0) {
				char np[64];
				snprintf(np, sizeof(np), "src/moved/r%d_%04d.c", c, f);
				fprintf(out, "R %s %s\n", path[f], np);
				snprintf(path[f], sizeof(path[f]), "%s", np);
				continue;
			}
			if (c)
				snprintf(content[f][rnd(&seed) % LINES], 24, "int w%d = %d;", c, a);
			char buf[LINES * 25];
			size_t n = 0;
			for (int l = 0; l < LINES; l++)
				n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s\n", content[f][l]);
			fprintf(out, "M 100644 inline %s\n", path[f]);
			fprintf(out, "data %zu\n%s\n", n, buf);
		}
		t += 1800 + rnd(&seed) % 7200;
	}
	if (pclose(out) != 0)
		exit(1);
	/* packed as a clone of a real repository is: fast-import writes each
	 * version as a delta of the one before, oldest whole, which no clone
	 * has (git's pack-objects keeps the newest whole and reaches older ones
	 * by deltas); both reading the history pay for that layout, unequally */
	cmd = xasprintf("cd '%s' && git repack -q -a -d -f", dir);
	if (system(cmd) != 0)
		exit(1);
	free(cmd);
}

/* Run a shell command with its output discarded: wall time and peak memory. */
static double run_git(const char *dir, const char *cmd, long *maxrss_kb)
{
	double t = now();
	pid_t pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		dup2(devnull, 1);
		if (chdir(dir) != 0)
			_exit(1);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	int status;
	struct rusage ru;
	wait4(pid, &status, 0, &ru);
	if (maxrss_kb)
		*maxrss_kb = ru.ru_maxrss;
	return now() - t;
}

/* Peak memory must be measured in processes that did not inherit this one's: a
 * child's high-water mark starts at its parent's at fork, and exec keeps it. So
 * a fresh copy of this program (small, just exec'd) does the measuring; its
 * wall time, fork to exit, goes to *secs (may be NULL). */
static long fresh_measure(const char *mode, const char *dir, const char *cmd, double *secs)
{
	int fd[2];
	if (pipe(fd) != 0)
		return -1;
	double t = now();
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		execl("/proc/self/exe", "bench_history", mode, dir, cmd, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	char buf[64] = { 0 };
	ssize_t n = read(fd[0], buf, sizeof(buf) - 1);
	close(fd[0]);
	waitpid(pid, NULL, 0);
	if (secs)
		*secs = now() - t;
	return n > 0 ? atol(buf) : -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Median wall time of running argv (stdout and stderr discarded) runs times,
 * from fork to exit: what a person waits for at the prompt. */
static double exec_median(char *const argv[], int runs)
{
	double *t = xcalloc((size_t)runs, sizeof(double));
	for (int i = 0; i < runs; i++) {
		double t0 = now();
		pid_t pid = fork();
		if (pid == 0) {
			int devnull = open("/dev/null", O_WRONLY);
			dup2(devnull, 1);
			if (!getenv("BENCH_VERBOSE"))
				dup2(devnull, 2);
			execvp(argv[0], argv);
			_exit(127);
		}
		int status;
		waitpid(pid, &status, 0);
		t[i] = now() - t0;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "  %s %s failed: exit %d\n", argv[0], argv[3],
				WIFEXITED(status) ? WEXITSTATUS(status) : -1);
			free(t);
			return -1;
		}
	}
	qsort(t, (size_t)runs, sizeof(double), cmp_double);
	double m = t[runs / 2];
	free(t);
	return m;
}

/* The commands as a person runs them, warm (the index saved by a first run):
 * triage of an issue whose trace points into path, and the bus factor. */
static void bench_commands(const char *dir, const char *tmp, const char *path)
{
	const char *env = getenv("MAHORAGA");
	char *bin = xstrdup(env && *env ? env : "./mahoraga");
	if (access(bin, X_OK) != 0) {
		printf("  (no mahoraga binary at %s: commands not timed)\n", bin);
		free(bin);
		return;
	}
	setenv("XDG_CONFIG_HOME", tmp, 1); /* nobody's own settings */
	char *db = tu_path(tmp, "commands.db");
	char *issue = tu_path(tmp, "issue.md");
	FILE *f = fopen(issue, "w");
	if (!f)
		exit(1);
	fprintf(f, "Crash when saving\n\n```\nTraceback (most recent call last):\n"
		"  File \"/srv/app/%s\", line 3, in save\nKeyError: 'id'\n```\n", path);
	fclose(f);
	char *triage[] = { bin, "--db", db, "triage", "--repo", (char *)dir, issue, NULL };
	char *busf[] = { bin, "--db", db, "busfactor", "--repo", (char *)dir, NULL };
	char *floor[] = { "git", "-C", (char *)dir, "log", "-1", "--format=%H", NULL };
	double first = exec_median(triage, 1);
	double warm = exec_median(triage, 21), base = exec_median(floor, 21);
	double bf = exec_median(busf, 1) < 0 ? -1 : exec_median(busf, 5);
	printf("  mahoraga triage --repo, first run (index built and saved): %.0f ms\n", first * 1e3);
	printf("  mahoraga triage --repo, warm, exec to exit, median of 21: %.1f ms; "
	       "git log -1 --format=%%H: %.1f ms (ratio %.1f)\n", warm * 1e3, base * 1e3, warm / base);
	printf("  mahoraga busfactor --repo, warm, median of 5: %.0f ms\n", bf * 1e3);
	free(db);
	free(issue);
	free(bin);
}

/* --index DIR: build the index, print this process's own high-water mark. */
static int index_only(const char *dir)
{
	gitlib_start();
	git_repository *repo;
	if (git_repository_open(&repo, dir) < 0)
		return 1;
	history h;
	history_init(&h);
	char *err = NULL;
	if (history_update(&h, repo, NULL, NULL, NULL, &err) < 0)
		return 1;
	FILE *st = fopen("/proc/self/status", "r");
	char line[256];
	while (st && fgets(line, sizeof(line), st))
		if (strncmp(line, "VmHWM:", 6) == 0)
			printf("%ld\n", atol(line + 6));
	if (st)
		fclose(st);
	return 0;
}

/* --rss DIR CMD: run CMD in DIR from this small process, print its peak. */
static int rss_of(const char *dir, const char *cmd)
{
	long kb = 0;
	run_git(dir, cmd, &kb);
	printf("%ld\n", kb);
	return 0;
}


static void bench_repo(const char *name, const char *dir)
{
	printf("== %s\n", name);
	git_repository *repo;
	if (git_repository_open(&repo, dir) < 0) {
		printf("  (not a git repository, skipped)\n");
		return;
	}
	long git_rss = 0;
	double git_log = run_git(dir, "git log --no-merges --name-only --format='%H %ae %at'", &git_rss);
	history h;
	history_init(&h);
	char *err = NULL;
	double t = now();
	if (history_update(&h, repo, NULL, NULL, NULL, &err) < 0) {
		printf("  index failed: %s\n", err);
		exit(1);
	}
	double build = now() - t;
	/* both from exec to exit, alternated: single runs of 0.1 s varied by a
	 * third on this machine, so histories that git logs in under 2 s take
	 * the median of 5 */
	enum { RUNS = 5 };
	int runs = git_log < 2.0 ? RUNS : 1;
	double gt[RUNS] = { git_log }, bt[RUNS];
	long rss = fresh_measure("--index", dir, "", &bt[0]);
	for (int i = 1; i < runs; i++) {
		gt[i] = run_git(dir, "git log --no-merges --name-only --format='%H %ae %at'", NULL);
		fresh_measure("--index", dir, "", &bt[i]);
	}
	qsort(gt, (size_t)runs, sizeof(*gt), cmp_double);
	qsort(bt, (size_t)runs, sizeof(*bt), cmp_double);
	git_rss = fresh_measure("--rss", dir, "git log --no-merges --name-only --format='%H %ae %at'", NULL);
	printf("  full index build: %zu commits, %zu files, %zu changes: %.3f s in this process\n",
	       h.ncommits, h.nfiles, h.ntouches, build);
	printf("  exec to exit, median of %d: index build %.3f s, git log --no-merges --name-only %.3f s\n",
	       runs, bt[runs / 2], gt[runs / 2]);
	printf("  ratio index/git log: %.2f\n", bt[runs / 2] / gt[runs / 2]);
	printf("  peak memory: index build %ld KiB, git log %ld KiB\n", rss, git_rss);

	/* save and load: a warm start reads the index instead of walking */
	char *tmp = tu_mkdtemp();
	char *dbp = tu_path(tmp, "bench.db");
	store *s = NULL;
	if (store_open(&s, dbp, &err) < 0)
		exit(1);
	int64_t repo_id;
	store_repo_ensure(s, "local:bench", &repo_id);
	t = now();
	store_history_save(s, repo_id, &h);
	double save = now() - t;
	history loaded;
	history_init(&loaded);
	t = now();
	store_history_load(s, repo_id, &loaded);
	double load = now() - t;
	printf("  save to the database %.3f s, load %.3f s\n", save, load);
	history_free(&loaded);

	/* the most changed file at HEAD */
	history_view v;
	history_view_at(&v, &h, repo, NULL, &err);
	size_t best = 0;
	for (size_t f = 1; f < h.nfiles; f++)
		if (h.files[f].n > h.files[best].n &&
		    h.touches[h.files[f].touches[h.files[f].n - 1]].kind != HIST_DELETE)
			best = f;
	const char *path = h.paths[h.touches[h.files[best].touches[h.files[best].n - 1]].path];
	expertise_opts o = { .decay_days = 90, .line_weight = 100, .line_bonus = 10 };
	expertise_file e;
	expertise_file_init(&e);
	t = now();
	expertise_for(&e, &v, repo, path, &o, &err);
	double cold = now() - t;
	char *follow = xasprintf("git log --follow --no-merges --format=%%ae -- '%s'", path);
	char *blame = xasprintf("git blame -w -M --porcelain HEAD -- '%s'", path);
	double g1 = run_git(dir, follow, NULL), g2 = run_git(dir, blame, NULL);
	printf("  one file's expertise, cold (%s, %zu changes, %zu lines): %.2f ms\n", path,
	       h.files[best].n, e.total_lines, cold * 1e3);
	printf("  git log --follow + git blame -w -M: %.2f + %.2f ms\n", g1 * 1e3, g2 * 1e3);
	printf("  ratio expertise/git: %.2f\n", cold / (g1 + g2));
	free(follow);
	free(blame);

	/* warm: the index in memory, the blame cached in the database */
	o.cache = s;
	o.repo_id = repo_id;
	expertise_for(&e, &v, repo, path, &o, &err);
	double times[101];
	for (int i = 0; i < 101; i++) {
		t = now();
		expertise_for(&e, &v, repo, path, &o, &err);
		times[i] = now() - t;
	}
	qsort(times, 101, sizeof(*times), cmp_double);
	printf("  warm expertise query, median of 101: %.3f ms\n", times[50] * 1e3);
	expertise_file_free(&e);
	history_view_free(&v);

	/* as of thousands of revisions: reachability and the file's history */
	size_t nrev = h.nmainline < 2000 ? h.nmainline : 2000;
	size_t visible = 0;
	t = now();
	for (size_t r = 0; r < nrev; r++) {
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), &h.commits[h.mainline[h.nmainline - 1 - r * (h.nmainline / nrev)]].oid);
		history_view rv;
		if (history_view_at(&rv, &h, repo, hex, &err) < 0)
			exit(1);
		int64_t f = history_file_at(&rv, path);
		if (f >= 0)
			for (size_t k = 0; k < h.files[f].n; k++)
				visible += history_view_has(&rv, h.touches[h.files[f].touches[k]].commit);
		history_view_free(&rv);
	}
	double asof = now() - t;
	printf("  %zu revisions as of which the file's history is read: %.3f s (%.1f us each)\n",
	       nrev, asof, asof / (double)nrev * 1e6);

	/* mahoraga triage per issue: a trace into one of 200 files, warm (index in
	 * memory, blames cached) and cold (index loaded from the database, no
	 * blame cached, the tree read for mapping) */
	size_t nissues = h.nfiles < 200 ? h.nfiles : 200;
	double *warm = xcalloc(nissues, sizeof(double)), *coldt = xcalloc(nissues, sizeof(double));
	history_view hv;
	size_t mapped = 0;
	history_view_at(&hv, &h, repo, NULL, &err);
	trace_map *map = trace_map_load(dir, NULL, &err);
	for (int pass = 0; pass < 3; pass++) {
		for (size_t i = 0; i < nissues; i++) {
			size_t f = (i * 7919) % h.nfiles;
			const history_touch *lt = &h.touches[h.files[f].touches[h.files[f].n - 1]];
			if (lt->kind == HIST_DELETE)
				continue;
			char *body = xasprintf("Traceback (most recent call last):\n  File \"/srv/app/%s\", "
					       "line 3, in f\nKeyError: 'x'\n", h.paths[lt->path]);
			double t0 = now();
			history cold_h;
			trace_map *m = map;
			history_view cv;
			const history_view *vp = &hv;
			if (pass == 0) { /* cold: a new process would load and map */
				history_init(&cold_h);
				store_history_load(s, repo_id, &cold_h);
				history_view_at(&cv, &cold_h, repo, NULL, &err);
				vp = &cv;
				m = trace_map_load(dir, NULL, &err);
			}
			triage_env env = {
				.repo = repo, .h = vp->h, .view = vp, .map = m, .db = s,
				.repo_id = repo_id, .expertise = { .decay_days = 90, .line_weight = 100,
								   .line_bonus = 10 },
				.draft_threshold = 85, .assign_threshold = 60, .overload_limit = 5,
			};
			triage_decision d;
			triage_decision_init(&d);
			triage_run(&d, &env, NULL, body, strlen(body), &err);
			mapped += pass == 2 && d.nfiles && d.assign.ncandidates;
			triage_decision_free(&d);
			if (pass == 0) {
				trace_map_free(m);
				history_view_free(&cv);
				history_free(&cold_h);
				coldt[i] = now() - t0;
			} else {
				warm[i] = now() - t0;
			}
			free(body);
		}
	}
	qsort(warm, nissues, sizeof(double), cmp_double);
	qsort(coldt, nissues, sizeof(double), cmp_double);
	printf("  triage per issue (%zu issues, %zu with candidates), warm: median %.2f ms, p99 %.2f ms\n",
	       nissues, mapped,
	       warm[nissues / 2] * 1e3, warm[nissues * 99 / 100] * 1e3);
	printf("  triage per issue, cold (load index, map tree, blame): median %.2f ms, p99 %.2f ms\n",
	       coldt[nissues / 2] * 1e3, coldt[nissues * 99 / 100] * 1e3);
	free(warm);
	free(coldt);
	bench_commands(dir, tmp, path);
	trace_map_free(map);
	history_view_free(&hv);
	(void)visible;
	store_close(s);
	tu_rmtree(tmp);
	free(tmp);
	free(dbp);
	history_free(&h);
	git_repository_free(repo);
}

int main(int argc, char **argv)
{
	/* --index DIR: build the index and exit (for peak memory and profiling);
	 * --generate DIR: only write the generated repository */
	if (argc >= 3 && strcmp(argv[1], "--index") == 0)
		return index_only(argv[2]);
	if (argc == 4 && strcmp(argv[1], "--rss") == 0)
		return rss_of(argv[2], argv[3]);
	if (argc >= 3 && strcmp(argv[1], "--generate") == 0) {
		generate(argv[2], argc > 3 ? atoi(argv[3]) : COMMITS);
		return 0;
	}
	gitlib_start();
	/* index cost per commit at two sizes of the same kind of history */
	static const int sizes[] = { 3000, COMMITS };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		char *dir = tu_mkdtemp();
		double t = now();
		generate(dir, sizes[i]);
		char *name = xasprintf("generated repository, %d commits", sizes[i]);
		printf("generated %d commits, %d authors, %d files in %.1f s\n", sizes[i], AUTHORS,
		       FILES, now() - t);
		bench_repo(name, dir);
		free(name);
		tu_rmtree(dir);
		free(dir);
	}
	const char *srcdir = getenv("srcdir");
	bench_repo("this project's history", srcdir ? srcdir : ".");
	/* real histories: BENCH_REPOS="/path/to/git /path/to/flask" (not MAHORAGA_*:
	 * mahoraga reads those as settings and refuses unknown ones) */
	const char *more = getenv("BENCH_REPOS");
	char *list = xstrdup(more ? more : ""), *save = NULL;
	for (char *r = strtok_r(list, " ", &save); r; r = strtok_r(NULL, " ", &save))
		bench_repo(r, r);
	free(list);
	git_libgit2_shutdown();
	return 0;
}
