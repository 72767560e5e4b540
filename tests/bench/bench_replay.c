/* Replay: does the decision name the developer who actually fixed the bug?
 *
 * A project is simulated with git fast-import: 12 developers, 6 modules with
 * their maintainers, features mostly by maintainers, and bug fixes that change
 * one line, made by the module's maintainer, the file's last author, anyone, or
 * a newcomer (about a quarter, as replays of real projects find a third of
 * fixers never committed before). For each fix, a trace pointing at the fixed
 * line is triaged as of the fix's parent, and the fixer is looked for among the
 * candidates. Baselines in the same run: the file's last author, the line's
 * blame, the most commits, and the seed formula without the line bonus. Prints
 * top-1 / top-3 accuracy and the accuracy in each confidence band. */
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "blame.h"
#include "triage.h"
#include "testutil.h"
#include "xalloc.h"

#define DEVS 12
#define MODULES 6
#define FILES_PER 10
#define LINES 30
#define COMMITS 2400

struct fix {
	int mark;        /* the fix commit */
	int file, line;  /* 0-based line */
	int fixer;
};

static unsigned rnd(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 8) & 0xffffff;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char content[MODULES * FILES_PER][LINES][40];
static int last_author[MODULES * FILES_PER];

static void write_file(FILE *out, int f)
{
	char buf[LINES * 41];
	size_t n = 0;
	for (int l = 0; l < LINES; l++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s\n", content[f][l]);
	fprintf(out, "M 100644 inline src/mod%d/file%d.py\ndata %zu\n%s\n", f / FILES_PER, f % FILES_PER, n, buf);
}

static size_t generate(const char *dir, struct fix *fixes)
{
	char *cmd = xasprintf("cd '%s' && git init -q -b main . && git fast-import --quiet", dir);
	FILE *out = popen(cmd, "w");
	free(cmd);
	unsigned seed = 99;
	int maint[MODULES][2];
	for (int m = 0; m < MODULES; m++) {
		maint[m][0] = (m * 2) % DEVS;
		maint[m][1] = (m * 2 + 1) % DEVS;
	}
	size_t nfix = 0;
	int newcomer = DEVS;
	long t = 1600000000;
	for (int c = 0; c < COMMITS; c++) {
		int f = c == 0 ? -1 : (int)(rnd(&seed) % (MODULES * FILES_PER));
		int m = f < 0 ? 0 : f / FILES_PER;
		bool is_fix = c > 300 && rnd(&seed) % 5 == 0;
		int who;
		unsigned r = rnd(&seed) % 100;
		if (!is_fix)
			who = r < 70 ? maint[m][r % 2] : r < 90 ? (int)(rnd(&seed) % DEVS) : newcomer++;
		else
			who = r < 45 ? maint[m][r % 2] : r < 60 ? last_author[f] : r < 75 ? (int)(rnd(&seed) % DEVS) : newcomer++;
		fprintf(out, "commit refs/heads/main\nmark :%d\n", c + 1);
		fprintf(out, "author Dev %d <dev%d@example.com> %ld +0000\n", who, who, t);
		fprintf(out, "committer Dev %d <dev%d@example.com> %ld +0000\n", who, who, t);
		fprintf(out, "data 6\nchange\n");
		if (c)
			fprintf(out, "from :%d\n", c);
		if (c == 0) {
			for (int g = 0; g < MODULES * FILES_PER; g++) {
				for (int l = 0; l < LINES; l++)
					snprintf(content[g][l], 40, "x_%d_%d = %d", g, l, l);
				last_author[g] = maint[g / FILES_PER][0];
				write_file(out, g);
			}
		} else {
			int line = (int)(rnd(&seed) % LINES);
			int nlines = is_fix ? 1 : 1 + (int)(rnd(&seed) % 6);
			for (int k = 0; k < nlines; k++)
				snprintf(content[f][(line + k) % LINES], 40, "y_%d_%d = %d", c, k, who);
			write_file(out, f);
			last_author[f] = who;
			if (is_fix)
				fixes[nfix++] = (struct fix){ c + 1, f, line, who };
		}
		t += 3600 * (1 + rnd(&seed) % 48);
	}
	pclose(out);
	return nfix;
}

struct tally {
	const char *name;
	size_t top1, top3;
};

static void count(struct tally *t, const char *guess, const char *fixer, int rank)
{
	if (guess && strcmp(guess, fixer) == 0)
		t->top1++;
	(void)rank;
}

int main(void)
{
	git_libgit2_init();
	char *dir = tu_mkdtemp();
	struct fix *fixes = xcalloc(COMMITS, sizeof(*fixes));
	size_t nfix = generate(dir, fixes);
	git_repository *repo;
	if (git_repository_open(&repo, dir) < 0)
		return 1;
	history h;
	history_init(&h);
	char *err = NULL;
	if (history_update(&h, repo, NULL, NULL, NULL, &err) < 0)
		return 1;
	/* commit indices by mark: fast-import writes them in order */
	struct tally ours = { "mahoraga", 0, 0 }, last = { "last author of the file", 0, 0 },
		     line = { "blame of the line", 0, 0 }, most = { "most commits", 0, 0 },
		     seedf = { "seed formula (no line bonus)", 0, 0 };
	size_t band_n[3] = { 0 }, band_ok[3] = { 0 }, newcomers = 0;
	size_t dec_n[10] = { 0 }, dec_ok[10] = { 0 };
	for (size_t i = 0; i < nfix; i++) {
		const struct fix *fx = &fixes[i];
		char rev[32];
		snprintf(rev, sizeof(rev), "main~%d", COMMITS - fx->mark + 1); /* the parent */
		history_view v;
		if (history_view_at(&v, &h, repo, rev, &err) < 0)
			return 1;
		char fixer[64];
		snprintf(fixer, sizeof(fixer), "dev%d@example.com", fx->fixer);
		bool known = history_author_by_email(&h, fixer) >= 0 &&
			     h.commits[v.rev_commit].time >= 0;
		/* did the fixer commit before the fix? */
		known = false;
		for (size_t c = 0; c <= v.rev_commit && !known; c++)
			known = history_view_has(&v, (uint32_t)c) &&
				strcmp(h.authors[h.commits[c].author].email, fixer) == 0;
		newcomers += !known;
		char *path = xasprintf("src/mod%d/file%d.py", fx->file / FILES_PER, fx->file % FILES_PER);
		char *body = xasprintf("Traceback (most recent call last):\n  File \"/srv/app/%s\", line %d, in "
				       "handler\nValueError: bad value\n", path, fx->line + 1);
		const char *paths[1] = { path };
		trace_map *map = trace_map_new(paths, 1);
		triage_env env = {
			.repo = repo, .h = &h, .view = &v, .map = map,
			.expertise = { .decay_days = 90, .line_weight = 100, .line_bonus = 10 },
			.draft_threshold = 85, .assign_threshold = 60, .overload_limit = 5,
			.last_author_bonus = getenv("BONUS") ? atof(getenv("BONUS")) : TRIAGE_LAST_AUTHOR_BONUS,
		};
		if (getenv("LW"))
			env.expertise.line_weight = atof(getenv("LW"));
		if (getenv("LB"))
			env.expertise.line_bonus = atof(getenv("LB"));
		if (getenv("DECAY"))
			env.expertise.decay_days = atof(getenv("DECAY"));
		triage_decision d;
		triage_decision_init(&d);
		if (triage_run(&d, &env, NULL, body, strlen(body), &err) < 0)
			return 1;
		const char *top = d.assign.ncandidates ? d.assign.candidates[0].email : NULL;
		count(&ours, top, fixer, 0);
		for (size_t k = 0; k < d.assign.ncandidates && k < 3; k++)
			if (strcmp(d.assign.candidates[k].email, fixer) == 0)
				ours.top3++;
		int band = d.assign.confidence > 85 ? 2 : d.assign.confidence >= 60 ? 1 : 0;
		int dec = d.assign.confidence / 10 > 9 ? 9 : d.assign.confidence / 10;
		dec_n[dec]++;
		dec_ok[dec] += top && strcmp(top, fixer) == 0;
		band_n[band]++;
		band_ok[band] += top && strcmp(top, fixer) == 0;
		/* baselines from the same expertise */
		if (d.nfiles) {
			const expertise_file *ef = &d.files[0];
			const char *best_commits = NULL, *best_seed = NULL;
			int bc = -1;
			double bs = -1;
			for (size_t k = 0; k < ef->ndevs; k++) {
				const expertise_dev *e = &ef->devs[k];
				if (e->commits > bc) {
					bc = e->commits;
					best_commits = e->email;
				}
				double s = e->decayed + 100.0 * (double)e->lines_owned / (double)(ef->total_lines ? ef->total_lines : 1);
				if (s > bs) {
					bs = s;
					best_seed = e->email;
				}
			}
			count(&most, best_commits, fixer, 0);
			count(&seedf, best_seed, fixer, 0);
			count(&line, ef->line_owner, fixer, 0);
			int64_t fid = history_file_at(&v, path);
			const char *la = NULL;
			for (size_t k = fid >= 0 ? h.files[fid].n : 0; k-- > 0 && !la;)
				if (history_view_has(&v, h.touches[h.files[fid].touches[k]].commit))
					la = h.authors[h.commits[h.touches[h.files[fid].touches[k]].commit].author].email;
			count(&last, la, fixer, 0);
		}
		triage_decision_free(&d);
		trace_map_free(map);
		free(body);
		free(path);
		history_view_free(&v);
	}
	printf("replay: %zu bug fixes in a simulated history of %d commits (%zu by people who had "
	       "never committed before)\n", nfix, COMMITS, newcomers);
	struct tally *all[] = { &ours, &last, &line, &most, &seedf };
	for (size_t i = 0; i < 5; i++)
		printf("  %-30s top-1 %5.1f%%%s\n", all[i]->name, 100.0 * all[i]->top1 / nfix,
		       i == 0 ? "" : "");
	printf("  mahoraga top-3 %5.1f%%\n", 100.0 * ours.top3 / nfix);
	static const char *const bands[] = { "confidence < 60 (human)", "60-85 (assign)", "> 85 (draft)" };
	for (int b = 0; b < 3; b++)
		printf("  %-24s %4zu decisions, right %5.1f%%\n", bands[b], band_n[b],
		       band_n[b] ? 100.0 * band_ok[b] / band_n[b] : 0.0);
	printf("  calibration by tens:");
	for (int k = 0; k < 10; k++)
		if (dec_n[k])
			printf(" %d-%d: %zu/%zu", k * 10, k * 10 + 9, dec_ok[k], dec_n[k]);
	printf("\n");
	(void)now;
	history_free(&h);
	git_repository_free(repo);
	tu_rmtree(dir);
	free(dir);
	free(fixes);
	git_libgit2_shutdown();
	return 0;
}
