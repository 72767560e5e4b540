/* Benchmark: parser throughput on a corpus of mixed issue texts against a naive
 * line-by-line regex extractor (POSIX regexes per frame format, as a quick
 * script would do it), and mapping 1,000 frames onto a 50,000-file tree against
 * a linear scan of every path per frame. Same process, same inputs; prints times
 * and ratios, asserts nothing about speed. */
#include <dirent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "strbuf.h"
#include "../testutil.h"
#include "trace.h"
#include "trace_map.h"
#include "xalloc.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct doc {
	char *text;
	size_t len;
};

/* Each case of the test corpus is one issue text. */
static size_t load_corpus(const char *dir, struct doc **out)
{
	DIR *d = opendir(dir);
	if (!d) {
		perror(dir);
		exit(1);
	}
	struct dirent *e;
	size_t n = 0;
	struct doc *docs = NULL;
	while ((e = readdir(d))) {
		if (!strstr(e->d_name, ".cases"))
			continue;
		char *path = xasprintf("%s/%s", dir, e->d_name);
		char *text = tu_read_file(path);
		free(path);
		if (!text)
			continue;
		for (char *p = text; (p = strstr(p, "=== "));) {
			char *body = strchr(p, '\n');
			if (!body)
				break;
			char *end = strstr(body, "--- expect");
			if (!end)
				break;
			docs = xrealloc(docs, (n + 1) * sizeof(*docs));
			docs[n].text = xstrndup(body + 1, (size_t)(end - body - 1));
			docs[n].len = strlen(docs[n].text);
			n++;
			p = end;
		}
		free(text);
	}
	closedir(d);
	/* issues without a trace are most of a tracker */
	static const char *const prose[] = {
		"The settings page forgets my timezone after I log out and in again. Chrome 120, "
		"macOS 14. Expected: Europe/Berlin stays selected. Actual: UTC.\n",
		"Feature request: export the report as CSV as well as PDF, with the same columns "
		"as the table on screen.\n\nThanks for the great tool!\n",
		"When I upload a 2 GB file the progress bar stops at 99% and nothing happens; the "
		"network tab shows the request still pending after 10 minutes.\n",
	};
	for (size_t i = 0; i < 3; i++) {
		docs = xrealloc(docs, (n + 1) * sizeof(*docs));
		docs[n].text = xstrdup(prose[i]);
		docs[n].len = strlen(prose[i]);
		n++;
	}
	*out = docs;
	return n;
}

static const char *const naive_patterns[] = {
	"File \"([^\"]+)\", line ([0-9]+)(, in (.*))?",
	"^[[:space:]]*at (.*) \\((.*):([0-9]+):([0-9]+)\\)",
	"^[[:space:]]*at ([A-Za-z0-9_.$]+)\\(([A-Za-z0-9_]+\\.java):([0-9]+)\\)",
	"^[[:space:]]+(/[^:]+\\.go):([0-9]+)",
	"^[[:space:]]*at (.+):([0-9]+):([0-9]+)$",
	"^(.+):([0-9]+):in [`'](.*)'",
	"^[[:space:]]*at (.*) in (.*):line ([0-9]+)",
	"^#[0-9]+ (.*)\\(([0-9]+)\\): (.*)",
	"^[[:space:]]*#[0-9]+ 0x[0-9a-f]+ in ([^ ]+) ([^ ]+):([0-9]+)",
};
#define N_NAIVE (sizeof(naive_patterns) / sizeof(*naive_patterns))

static size_t naive_parse(regex_t *re, const char *text, size_t len)
{
	size_t frames = 0;
	char *copy = xstrndup(text, len);
	regmatch_t m[5];
	for (char *save = NULL, *line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		for (size_t k = 0; k < N_NAIVE; k++)
			if (regexec(&re[k], line, 5, m, 0) == 0) {
				frames++;
				break;
			}
	free(copy);
	return frames;
}

static void bench_parser(const char *srcdir)
{
	char *dir = xasprintf("%s/tests/data/traces", srcdir);
	struct doc *docs;
	size_t n = load_corpus(dir, &docs);
	free(dir);
	size_t bytes = 0;
	for (size_t i = 0; i < n; i++)
		bytes += docs[i].len;
	int rounds = (int)(64.0 * 1024 * 1024 / (double)bytes) + 1;
	size_t frames = 0;
	double t = now();
	for (int r = 0; r < rounds; r++)
		for (size_t i = 0; i < n; i++) {
			trace tr;
			trace_init(&tr);
			trace_parse(&tr, docs[i].text, docs[i].len);
			const trace_exception *e = trace_final(&tr);
			frames += e ? e->nframes : 0;
			trace_free(&tr);
		}
	double ours = now() - t;
	regex_t re[N_NAIVE];
	for (size_t k = 0; k < N_NAIVE; k++)
		if (regcomp(&re[k], naive_patterns[k], REG_EXTENDED) != 0)
			exit(1);
	size_t nframes = 0;
	t = now();
	for (int r = 0; r < rounds; r++)
		for (size_t i = 0; i < n; i++)
			nframes += naive_parse(re, docs[i].text, docs[i].len);
	double naive = now() - t;
	for (size_t k = 0; k < N_NAIVE; k++)
		regfree(&re[k]);
	double mb = (double)bytes * rounds / (1024.0 * 1024.0);
	printf("parser: %zu issue texts x %d rounds = %.1f MiB\n", n, rounds, mb);
	printf("  mahoraga (9 languages, blocks, types, ranking): %.3f s, %.1f MiB/s, %zu frames\n",
	       ours, mb / ours, frames / (size_t)rounds);
	printf("  naive regex per line (frames only):              %.3f s, %.1f MiB/s, %zu frames\n",
	       naive, mb / naive, nframes / (size_t)rounds);
	printf("  ratio mahoraga/naive time: %.2f\n", ours / naive);
	for (size_t i = 0; i < n; i++)
		free(docs[i].text);
	free(docs);
}

#define TREE 50000
#define FRAMES 1000

/* The naive way: compare the frame's path with every repository path. */
static const char *naive_map(char **paths, size_t n, const char *file)
{
	const char *best = NULL;
	size_t best_k = 0;
	size_t fl = strlen(file);
	for (size_t i = 0; i < n; i++) {
		size_t pl = strlen(paths[i]), k = 0;
		while (k < pl && k < fl && paths[i][pl - 1 - k] == file[fl - 1 - k])
			k++;
		if ((k == pl || paths[i][pl - 1 - k] == '/') && k > best_k) {
			best_k = k;
			best = paths[i];
		}
	}
	return best;
}

static void bench_map(void)
{
	static const char *const dirs[] = { "core", "api", "web", "jobs", "util", "models",
					    "views", "store", "net", "auth" };
	char **paths = xmalloc(TREE * sizeof(*paths));
	unsigned x = 1;
	for (size_t i = 0; i < TREE; i++) {
		x = x * 1103515245u + 12345u;
		paths[i] = xasprintf("src/%s/%s/m%zu/f%u.py", dirs[(x >> 8) % 10],
				     dirs[(x >> 12) % 10], i % 997, (unsigned)i);
	}
	char **files = xmalloc(FRAMES * sizeof(*files));
	for (size_t i = 0; i < FRAMES; i++)
		files[i] = xasprintf("/home/reporter/checkout/%s", paths[(i * 7919) % TREE]);
	double t = now();
	trace_map *m = trace_map_new((const char *const *)paths, TREE);
	double build = now() - t;
	size_t hits = 0;
	t = now();
	for (size_t i = 0; i < FRAMES; i++) {
		trace_frame f = { .file = files[i] };
		trace_map_frame(m, &f);
		hits += f.repo_path != NULL;
		free(f.repo_path);
	}
	double ours = now() - t;
	size_t nhits = 0;
	t = now();
	for (size_t i = 0; i < FRAMES; i++)
		nhits += naive_map(paths, TREE, files[i]) != NULL;
	double naive = now() - t;
	printf("mapping %d frames onto a %d-file tree:\n", FRAMES, TREE);
	printf("  mahoraga: index %.1f ms + lookups %.2f ms (%zu mapped)\n", build * 1e3, ours * 1e3, hits);
	printf("  naive linear scan per frame: %.1f ms (%zu mapped)\n", naive * 1e3, nhits);
	printf("  ratio mahoraga (index+lookups)/naive time: %.3f\n", (build + ours) / naive);
	trace_map_free(m);
	for (size_t i = 0; i < TREE; i++)
		free(paths[i]);
	for (size_t i = 0; i < FRAMES; i++)
		free(files[i]);
	free(paths);
	free(files);
}

int main(void)
{
	const char *srcdir = getenv("srcdir");
	bench_parser(srcdir ? srcdir : ".");
	bench_map();
	return 0;
}
