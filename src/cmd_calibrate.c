/* mahoraga calibrate: replay the repository's own bug fixes through triage. */
#include <git2.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "codeowners.h"
#include "expertise.h"
#include "rank.h"
#include "replay.h"
#include "repo_history.h"
#include "trace_map.h"
#include "triage.h"
#include "xalloc.h"

static const char calibrate_usage[] =
	"usage: mahoraga calibrate --repo DIR [--rev REV] [--max N] [--format json|text]\n"
	"                          [--features FILE] [--save]\n"
	"\n"
	"Replays the repository's own bug fixes: each commit whose message says it fixes\n"
	"something and that changes one source file of the main language by 1-20 lines\n"
	"becomes the bug report a user would have filed (a stack trace pointing at the\n"
	"changed line, as it was before the fix), triaged as of the fix's parent. Prints\n"
	"how often the top candidate (and the top three) was the one who fixed it, next\n"
	"to simple baselines computed by the same code, the calibration table (what share\n"
	"of decisions at each confidence was right), and how much automatic assignment\n"
	"would have covered and how precisely. --max N replays the newest N fixes\n"
	"(default 200). --features FILE writes each replay's candidates and features as\n"
	"JSON lines, for tools/fit_rank.py. --save keeps this repository's calibration in\n"
	"the database, for the worker and `mahoraga triage` to use.\n";

#define MIN_FIXES 10

/* One predictor's hits. */
struct tally {
	const char *name;
	size_t top1, top3;
};

struct outcome {
	double p;            /* the top candidate's chance */
	int confidence;
	bool right, in3, known, mapped, auto_assigned;
};

/* The last person (bots aside) to change the file at path as the view sees it. */
static const char *last_author_of(const history_view *v, const char *path, const engine_opts *o)
{
	const history *h = v->h;
	int64_t fid = history_file_at(v, path);
	for (size_t k = fid >= 0 ? h->files[fid].n : 0; k-- > 0;) {
		const history_touch *t = &h->touches[h->files[fid].touches[k]];
		if (!history_view_has(v, t->commit) || !history_touch_counts(t))
			continue;
		const history_author *a = &h->authors[h->commits[t->commit].author];
		if (!expertise_is_bot(a->name, a->email, o->expertise.bots, o->expertise.nbots))
			return a->email;
	}
	return NULL;
}

static bool same(const char *a, const char *b)
{
	return a && b && strcasecmp(a, b) == 0;
}

static void hit(struct tally *t, const char *guess, const char *fixer)
{
	if (same(guess, fixer))
		t->top1++, t->top3++;
}

/* The baselines from the blamed file's expertise: most commits, the seed's
 * score (the expertise ranking itself). */
static void baselines(const expertise_file *ef, const char *fixer, struct tally *most, struct tally *seedf)
{
	bool taken[3] = { false };
	size_t pick[3];
	size_t n = 0;
	for (; n < 3 && n < ef->ndevs; n++) {
		size_t best = SIZE_MAX;
		for (size_t k = 0; k < ef->ndevs; k++) {
			bool used = false;
			for (size_t j = 0; j < n; j++)
				used |= pick[j] == k;
			if (!used && (best == SIZE_MAX || ef->devs[k].commits > ef->devs[best].commits))
				best = k;
		}
		pick[n] = best;
		taken[n] = same(ef->devs[best].email, fixer);
	}
	for (size_t j = 0; j < n; j++)
		if (taken[j]) {
			most->top1 += j == 0;
			most->top3++;
		}
	for (size_t k = 0; k < ef->ndevs && k < 3; k++)
		if (same(ef->devs[k].email, fixer)) {
			seedf->top1 += k == 0;
			seedf->top3++;
		}
}

static json_t *features_line(const replay_fix *f, const triage_decision *d, bool known, const char *repo_name)
{
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof(hex), &f->commit);
	json_t *cands = json_array();
	for (size_t i = 0; i < d->assign.ncandidates; i++) {
		const assign_candidate *c = &d->assign.candidates[i];
		json_t *x = json_array();
		for (int k = 0; k < RANK_NFEATURES; k++)
			json_array_append_new(x, json_real(c->x[k]));
		json_array_append_new(cands, json_pack("{s:s, s:o, s:b}", "email", c->email, "x", x, "y",
						       same(c->email, f->fixer)));
	}
	return json_pack("{s:s, s:s, s:s, s:i, s:b, s:b, s:o}", "repo", repo_name, "commit", hex, "path", f->path,
			 "line", f->line, "known", known, "mapped", d->nfiles > 0 && d->files[0].found,
			 "candidates", cands);
}

static double pct(size_t a, size_t b)
{
	return b ? 100.0 * (double)a / (double)b : 0;
}

int cmd_calibrate(const struct app *app, int argc, char **argv)
{
	const char *dir = NULL, *rev = NULL, *format = "text", *features = NULL, *max_s = NULL;
	long max = 200;
	bool save = false;
	const struct app_opt opts[] = {
		{ "--repo", &dir, NULL }, { "--rev", &rev, NULL }, { "--format", &format, NULL },
		{ "--features", &features, NULL }, { "--max", &max_s, NULL }, { "--save", NULL, &save },
		{ NULL, NULL, NULL },
	};
	int rc0 = app_parse("calibrate", calibrate_usage, argc, argv, opts, NULL, 0, NULL);
	if (rc0 >= 0)
		return rc0;
	if (max_s) {
		char *end;
		max = strtol(max_s, &end, 10);
		if (*end || max < 1 || max > 100000) {
			app_error("--max: expected a number from 1 to 100000, got '%s'", max_s);
			return EXIT_USAGE;
		}
	}
	if (!dir) {
		fputs(calibrate_usage, stderr);
		return EXIT_USAGE;
	}
	if (strcmp(format, "json") != 0 && strcmp(format, "text") != 0) {
		app_error("--format: expected json or text, got '%s'", format);
		return EXIT_USAGE;
	}
	if (save && app->readonly) {
		app_error("--save writes to the database, and --readonly was given");
		return EXIT_USAGE;
	}
	FILE *fout = NULL;
	if (features && !(fout = fopen(features, "w"))) {
		app_error("%s: cannot write: %m", features);
		return EXIT_IO;
	}
	struct repo_history rh;
	history_view tip = { 0 };
	int rc = repo_history_open(app, dir, rev, &rh, &tip);
	replay_set set;
	replay_set_init(&set);
	struct outcome *out = NULL;
	if (rc != EXIT_DONE)
		goto done;
	char *err = NULL;
	if (replay_mine(&set, rh.repo, &tip, (size_t)max, &err) < 0) {
		app_error("%s: %s", dir, err);
		free(err);
		rc = EXIT_IO;
		goto done;
	}
	if (set.n < MIN_FIXES) {
		app_error("%s: only %zu bug fix%s to replay in %zu commits%s%s (at least %d are needed: "
			  "commits that say fix/bug/crash/error and change one source file by 1-20 lines)",
			  dir, set.n, set.n == 1 ? "" : "es", set.scanned, set.lang ? " of " : "",
			  set.lang ? set.lang : ", in no language mahoraga replays", MIN_FIXES);
		rc = EXIT_BAD_INPUT;
		goto done;
	}
	const char *repo_name = strrchr(dir, '/') && strrchr(dir, '/')[1] ? strrchr(dir, '/') + 1 : dir;
	struct tally ours = { "mahoraga", 0, 0 }, last = { "last author of the file", 0, 0 },
		     line = { "author of the line", 0, 0 }, most = { "most commits to the file", 0, 0 },
		     seedf = { "the seed's expertise formula", 0, 0 };
	out = xcalloc(set.n, sizeof(*out));
	size_t known_n = 0, mapped_n = 0;
	struct app_progress prog;
	app_progress_start(&prog, "replaying fixes");
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (size_t i = 0; i < set.n; i++) {
		const replay_fix *f = &set.v[i];
		app_progress_commits(i, &prog);
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), &f->parent);
		history_view v;
		git_commit *pc = NULL;
		git_tree *pt = NULL;
		trace_map *map = NULL;
		if (history_view_at(&v, &rh.h, rh.repo, hex, &err) < 0) {
			app_error("%s: %s", hex, err);
			free(err);
			rc = EXIT_IO;
			goto done;
		}
		if (git_commit_lookup(&pc, rh.repo, &f->parent) < 0 || git_commit_tree(&pt, pc) < 0 ||
		    !(map = trace_map_from_tree(rh.repo, pt, &err))) {
			app_error("%s: cannot read the tree: %s", hex, err ? err : "?");
			free(err);
			git_tree_free(pt);
			git_commit_free(pc);
			history_view_free(&v);
			rc = EXIT_IO;
			goto done;
		}
		char *report = replay_report(f, set.lang, map);
		/* the code owners as they were: a missing or bad file is no owners */
		codeowners co;
		codeowners_init(&co);
		bool have_co = codeowners_load(&co, rh.repo, hex) > 0;
		triage_env env = { .repo = rh.repo, .h = &rh.h, .view = &v, .map = map, .rev = hex,
				   .owners = have_co ? &co : NULL, .db = rh.db, .repo_id = rh.repo_id };
		engine_opts_triage(&rh.opts, &rh.cfg, &env);
		env.draft_fixes = false; /* a replay never writes a branch */
		triage_decision d;
		triage_decision_init(&d);
		if (triage_run(&d, &env, f->subject, report, strlen(report), &err) < 0) {
			app_error("%s: %s", hex, err);
			free(err);
			rc = EXIT_IO;
		} else {
			struct outcome *o = &out[i];
			const assign_result *a = &d.assign;
			o->mapped = d.nfiles > 0 && d.files[0].found;
			mapped_n += o->mapped;
			/* the fixer had committed before the fix, as the parent sees it */
			o->known = v.author_last[rh.h.commits[f->commit_index].author] != 0;
			known_n += o->known;
			o->confidence = a->confidence;
			o->p = a->ncandidates ? a->candidates[0].chance : 0;
			o->right = a->ncandidates && same(a->candidates[0].email, f->fixer);
			for (size_t k = 0; k < a->ncandidates && k < 3; k++)
				o->in3 |= same(a->candidates[k].email, f->fixer);
			o->auto_assigned = a->assignee >= 0;
			ours.top1 += o->right;
			ours.top3 += o->in3;
			const char *la = last_author_of(&v, f->path, &rh.opts);
			hit(&last, la, f->fixer);
			if (d.nfiles) {
				hit(&line, d.files[0].line_owner, f->fixer);
				baselines(&d.files[0], f->fixer, &most, &seedf);
			}
			if (fout) {
				json_t *j = features_line(f, &d, o->known, repo_name);
				char *s = json_dumps(j, JSON_COMPACT);
				fprintf(fout, "%s\n", s);
				free(s);
				json_decref(j);
			}
		}
		triage_decision_free(&d);
		codeowners_free(&co);
		free(report);
		trace_map_free(map);
		git_tree_free(pt);
		git_commit_free(pc);
		history_view_free(&v);
		if (rc != EXIT_DONE)
			goto done;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	app_progress_done(&prog);
	double ms_per = ((double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6) /
			(double)set.n;
	/* the calibration table, by tens of confidence, and its expected error */
	size_t band_n[11] = { 0 }, band_ok[11] = { 0 };
	double band_conf[11] = { 0 }, ece = 0;
	size_t auto_n = 0, auto_ok = 0;
	double *ps = xcalloc(set.n, sizeof(*ps));
	uint8_t *ys = xcalloc(set.n, 1);
	for (size_t i = 0; i < set.n; i++) {
		int b = out[i].confidence / 10;
		band_n[b]++;
		band_ok[b] += out[i].right;
		band_conf[b] += out[i].confidence;
		if (out[i].known && out[i].auto_assigned) {
			auto_n++;
			auto_ok += out[i].right;
		}
		ps[i] = out[i].p;
		ys[i] = out[i].right;
	}
	for (int b = 0; b <= 10; b++)
		if (band_n[b])
			ece += (double)band_n[b] / (double)set.n *
			       fabs(band_conf[b] / (double)band_n[b] - 100.0 * (double)band_ok[b] / (double)band_n[b]);
	double pa = 0, pb = 0;
	bool have_platt = rank_fit_platt(ps, ys, set.n, &pa, &pb) == 0;
	free(ps);
	free(ys);
	if (save && !have_platt) {
		app_error("%s: the replays cannot be calibrated (every top candidate was %s)", dir,
			  ours.top1 ? "right" : "wrong");
		rc = EXIT_BAD_INPUT;
		goto done;
	}
	if (save && store_calibration_save(rh.db, rh.repo_id, pa, pb, set.n, pct(ours.top1, set.n), ece) < 0) {
		app_error("saving the calibration: %s", store_error(rh.db));
		rc = EXIT_IO;
		goto done;
	}
	struct tally *all[] = { &ours, &last, &line, &most, &seedf };
	if (strcmp(format, "json") == 0) {
		json_t *preds = json_array(), *bands = json_array();
		for (size_t i = 0; i < 5; i++)
			json_array_append_new(preds, json_pack("{s:s, s:f, s:f}", "name", all[i]->name,
				"top1", pct(all[i]->top1, set.n), "top3", pct(all[i]->top3, set.n)));
		for (int b = 0; b <= 10; b++)
			if (band_n[b])
				json_array_append_new(bands, json_pack("{s:i, s:i, s:I, s:f}", "from", b * 10,
					"to", b == 10 ? 100 : b * 10 + 9, "decisions", (json_int_t)band_n[b],
					"right_pct", pct(band_ok[b], band_n[b])));
		json_t *o = json_pack("{s:s, s:s?, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:f, s:{s:f, s:f, s:I}, s:f, s:o}",
			"repo", dir, "language", set.lang, "commits_scanned", (json_int_t)set.scanned,
			"fixes_replayed", (json_int_t)set.n, "mapped", (json_int_t)mapped_n,
			"fixers_seen_before", (json_int_t)known_n, "fixers_new", (json_int_t)(set.n - known_n),
			"predictors", preds, "calibration", bands, "ece", ece,
			"automatic_assignment", "coverage_pct", pct(auto_n, known_n),
			"precision_pct", pct(auto_ok, auto_n), "decisions", (json_int_t)auto_n,
			"ms_per_fix", ms_per,
			"platt", have_platt ? json_pack("{s:f, s:f, s:b}", "a", pa, "b", pb, "saved", save) : json_null());
		char *s = json_dumps(o, JSON_INDENT(2));
		printf("%s\n", s);
		free(s);
		json_decref(o);
	} else {
		printf("%s: %zu bug fixes replayed (%s), from %zu commits; the trace mapped for %zu; "
		       "%zu fixers had committed before, %zu had not\n",
		       dir, set.n, set.lang, set.scanned, mapped_n, known_n, set.n - known_n);
		printf("\n  %-32s %6s %6s\n", "predictor", "top-1", "top-3");
		for (size_t i = 0; i < 5; i++)
			printf("  %-32s %5.1f%% %5.1f%%\n", all[i]->name, pct(all[i]->top1, set.n),
			       pct(all[i]->top3, set.n));
		printf("\n  %-12s %9s %7s\n", "confidence", "decisions", "right");
		for (int b = 0; b <= 10; b++)
			if (band_n[b])
				printf("  %3d-%-8d %9zu %6.1f%%\n", b * 10, b == 10 ? 100 : b * 10 + 9, band_n[b],
				       pct(band_ok[b], band_n[b]));
		printf("  expected calibration error: %.1f points\n", ece);
		printf("\n  automatic assignment, among fixers seen before: covers %.1f%% (%zu of %zu) at "
		       "%.1f%% precision\n", pct(auto_n, known_n), auto_n, known_n, pct(auto_ok, auto_n));
		printf("  %.1f ms per replayed fix\n", ms_per);
		if (save)
			printf("  saved this repository's calibration (%.3f, %.3f): triage here now uses it\n", pa, pb);
	}
done:
	if (fout && fclose(fout) != 0 && rc == EXIT_DONE) {
		app_error("%s: write failed", features);
		rc = EXIT_IO;
	}
	free(out);
	replay_set_free(&set);
	if (tip.h)
		history_view_free(&tip);
	repo_history_close(&rh);
	return rc;
}
