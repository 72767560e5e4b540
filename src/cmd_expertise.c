/* mahoraga expertise: who knows these files, from the git history. */
#include <git2.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "expertise.h"
#include "history.h"
#include "repo_history.h"
#include "xalloc.h"

static const char expertise_usage[] =
	"usage: mahoraga expertise --repo DIR [--rev REV] [--line N] [--format json|text] FILE...\n"
	"\n"
	"Ranks the developers who know each FILE (a path in the repository) as of REV\n"
	"(default: the default branch, not what is checked out): recency-weighted\n"
	"commits plus the share of lines they own, from\n"
	"an index of the history kept in the database and updated with new commits.\n"
	"--line N adds the bonus for the author of line N (of every FILE).\n";

/* ISO 8601 UTC, as DESIGN.md asks for every time printed. */
static void iso(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static json_t *file_json(const expertise_file *f)
{
	json_t *devs = json_array();
	for (size_t i = 0; i < f->ndevs; i++) {
		const expertise_dev *d = &f->devs[i];
		char first[32], last[32];
		iso(d->first_commit, first);
		iso(d->last_commit, last);
		json_array_append_new(devs, json_pack("{s:s, s:s, s:i, s:I, s:s?, s:s?, s:f, s:f, s:b}",
			"email", d->email, "name", d->name, "commits", d->commits,
			"lines_owned", (json_int_t)d->lines_owned,
			"first_commit", d->commits ? first : NULL, "last_commit", d->commits ? last : NULL,
			"decayed", d->decayed, "score", d->score, "owns_line", d->owns_line));
	}
	json_t *o = json_pack("{s:s, s:b, s:I, s:o, s:b, s:I}", "path", f->path, "found", f->found,
			      "total_lines", (json_int_t)f->total_lines, "developers", devs,
			      "no_active_contributor", f->found && f->ndevs == 0,
			      "excluded", (json_int_t)f->excluded);
	if (f->line_owner)
		json_object_set_new(o, "line_owner", json_string(f->line_owner));
	return o;
}

static void file_text(const expertise_file *f)
{
	if (!f->found) {
		printf("%s: not in the repository at this revision\n\n", f->path);
		return;
	}
	printf("%s (%zu lines)\n", f->path, f->total_lines);
	if (!f->ndevs)
		printf("  no active contributor: this goes to human triage\n");
	for (size_t i = 0; i < f->ndevs; i++) {
		const expertise_dev *d = &f->devs[i];
		char last[32];
		iso(d->last_commit, last);
		printf("  %7.2f  %-28s %3d commits, %5zu lines, last %.10s%s\n", d->score, d->email,
		       d->commits, d->lines_owned, d->commits ? last : "-",
		       d->owns_line ? ", wrote the line" : "");
	}
	if (f->excluded)
		printf("  (%zu bots or inactive developers left out)\n", f->excluded);
	printf("\n");
}

int cmd_expertise(const struct app *app, int argc, char **argv)
{
	const char *repo_dir = NULL, *rev = NULL, *format = "text", *line = NULL;
	const char **files = xcalloc((size_t)argc + 1, sizeof(*files));
	size_t nfiles = 0;
	const struct app_opt opts[] = {
		{ "--repo", &repo_dir, NULL }, { "--rev", &rev, NULL }, { "--format", &format, NULL },
		{ "--line", &line, NULL }, { NULL, NULL, NULL },
	};
	int rc0 = app_parse("expertise", expertise_usage, argc, argv, opts, files, (size_t)argc, &nfiles);
	if (rc0 >= 0) {
		free(files);
		return rc0;
	}
	int line_no = line ? atoi(line) : 0;
	if (!repo_dir || !nfiles || (strcmp(format, "json") && strcmp(format, "text")) ||
	    (line && line_no <= 0)) {
		fputs(expertise_usage, stderr);
		free(files);
		return EXIT_USAGE;
	}
	struct repo_history rh;
	history_view view = { 0 };
	int rc = repo_history_open(app, repo_dir, rev, &rh, &view);
	char *err = NULL;
	expertise_opts o = rh.opts.expertise;
	o.line = line_no;
	o.cache = rh.db;
	o.repo_id = rh.repo_id;
	json_t *out = json_array();
	int missing = 0;
	for (size_t i = 0; rc == EXIT_DONE && i < nfiles; i++) {
		expertise_file f;
		expertise_file_init(&f);
		if (expertise_for(&f, &view, rh.repo, files[i], &o, &err) < 0) {
			app_error("%s: %s", files[i], err);
			rc = EXIT_IO;
		} else if (strcmp(format, "text") == 0) {
			file_text(&f);
		} else {
			json_array_append_new(out, file_json(&f));
		}
		missing += !f.found;
		expertise_file_free(&f);
	}
	if (rc == EXIT_DONE && strcmp(format, "json") == 0) {
		char tip[GIT_OID_HEXSZ + 1];
		git_oid_tostr(tip, sizeof(tip), &rh.h.commits[view.rev_commit].oid);
		json_t *root = json_pack("{s:s, s:s, s:o}", "repo", repo_dir, "rev", tip, "files", out);
		char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
		puts(text ? text : "{}");
		free(text);
		json_decref(root);
	} else {
		json_decref(out);
	}
	if (rc == EXIT_DONE && missing) {
		app_error("expertise: %d of the files are not in the repository at this revision", missing);
		rc = EXIT_BAD_INPUT;
	}
	history_view_free(&view);
	free(err);
	repo_history_close(&rh);
	free(files);
	return rc;
}
