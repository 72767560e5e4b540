/* Benchmark: `mahoraga calibrate` per replayed fix, against the git CLI doing
 * what a replay reads for the same fixes in the same run (`git log --follow`
 * of the file and `git blame -w -M` of all its lines, at the fix's parent).
 *
 * The repository is BENCH_REPLAY_REPO (a clone of a real project: the accuracy
 * figures only mean something there), else this project's own history when
 * the source tree is a clone. Prints times and the ratio; asserts nothing
 * about speed. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../testutil.h"
#include "xalloc.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A path for a shell's single quotes. */
static char *quoted(const char *s)
{
	size_t n = 3;
	for (const char *p = s; *p; p++)
		n += *p == '\'' ? 4 : 1;
	char *q = xmalloc(n), *o = q;
	*o++ = '\'';
	for (const char *p = s; *p; p++) {
		if (*p == '\'') {
			memcpy(o, "'\\''", 4);
			o += 4;
		} else {
			*o++ = *p;
		}
	}
	*o++ = '\'';
	*o = 0;
	return q;
}

int main(void)
{
	const char *repo = getenv("BENCH_REPLAY_REPO");
	const char *srcdir = getenv("srcdir") ? getenv("srcdir") : ".";
	const char *bin = getenv("MAHORAGA") ? getenv("MAHORAGA") : "./mahoraga";
	char *own = NULL;
	struct stat st;
	if (!repo) {
		own = tu_path(srcdir, ".git");
		if (stat(own, &st) != 0) {
			printf("replay: no BENCH_REPLAY_REPO and the source tree is not a clone; skipped\n");
			free(own);
			return 0;
		}
		free(own);
		repo = srcdir;
	}
	char *tmp = tu_mkdtemp();
	char *db = tu_path(tmp, "bench.db"), *feat = tu_path(tmp, "features.jsonl");
	char *qrepo = quoted(repo), *qbin = quoted(bin), *qdb = quoted(db), *qfeat = quoted(feat);
	int max = getenv("BENCH_REPLAY_MAX") ? atoi(getenv("BENCH_REPLAY_MAX")) : 100;
	/* the index is built by a first run, so that both sides start warm */
	char *warmup = xasprintf("%s --db %s busfactor --repo %s >/dev/null 2>&1", qbin, qdb, qrepo);
	if (system(warmup) != 0)
		printf("replay: indexing %s failed\n", repo);
	free(warmup);
	char *cmd = xasprintf("%s --db %s calibrate --repo %s --max %d --format json --features %s 2>&1", qbin, qdb,
			      qrepo, max, qfeat);
	double t0 = now();
	FILE *p = popen(cmd, "r");
	char *out = p ? tu_read_stream(p) : xstrdup("");
	int rc = p ? pclose(p) : -1;
	double ours = now() - t0;
	free(cmd);
	json_error_t jerr;
	json_t *j = rc == 0 ? json_loads(out, 0, &jerr) : NULL;
	if (!j) {
		printf("replay: calibrate on %s did not run: %.300s\n", repo, out);
		free(out);
		goto done;
	}
	size_t n = (size_t)json_integer_value(json_object_get(j, "fixes_replayed"));
	printf("replay: %zu bug fixes of %s (%s)\n", n, repo,
	       json_string_value(json_object_get(j, "language")) ? json_string_value(json_object_get(j, "language")) : "?");
	json_t *pred;
	size_t i;
	json_array_foreach(json_object_get(j, "predictors"), i, pred)
		printf("  %-32s top-1 %5.1f%%  top-3 %5.1f%%\n", json_string_value(json_object_get(pred, "name")),
		       json_real_value(json_object_get(pred, "top1")), json_real_value(json_object_get(pred, "top3")));
	printf("  expected calibration error %.1f points\n", json_real_value(json_object_get(j, "ece")));
	/* the git CLI on the same fixes */
	FILE *f = fopen(feat, "r");
	char line[1 << 16];
	size_t done_n = 0;
	double git_t = 0;
	while (f && fgets(line, sizeof(line), f)) {
		json_t *r = json_loads(line, 0, &jerr);
		if (!r)
			continue;
		const char *commit = json_string_value(json_object_get(r, "commit"));
		const char *path = json_string_value(json_object_get(r, "path"));
		int ln = (int)json_integer_value(json_object_get(r, "line"));
		if (commit && path && ln > 0) {
			char *qp = quoted(path);
			/* what the replay reads for the fix: the file's history and the
			 * blame of all of its lines (the share owned), at the parent */
			char *g = xasprintf("git -C %s log --follow --no-merges --format=%%ae %s^ -- %s >/dev/null 2>&1 && "
					    "git -C %s blame -w -M --porcelain %s^ -- %s >/dev/null 2>&1",
					    qrepo, commit, qp, qrepo, commit, qp);
			double g0 = now();
			if (system(g) == 0)
				done_n++;
			git_t += now() - g0;
			free(g);
			free(qp);
		}
		json_decref(r);
	}
	if (f)
		fclose(f);
	double ours_per = json_real_value(json_object_get(j, "ms_per_fix"));
	double git_per = done_n ? git_t / (double)done_n * 1e3 : 0;
	printf("  calibrate: %.1f ms per replayed fix (%.2f s in all, from exec, index warm); "
	       "git log --follow + git blame -w -M of the file for the same fix: %.1f ms (ratio %.2f)\n",
	       ours_per, ours, git_per, git_per > 0 ? ours_per / git_per : 0);
	json_decref(j);
	free(out);
done:
	tu_rmtree(tmp);
	free(tmp);
	free(db);
	free(feat);
	free(qrepo);
	free(qbin);
	free(qdb);
	free(qfeat);
	return 0;
}
