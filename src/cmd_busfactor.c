/* mahoraga busfactor: the files only one person understands, and the truck factor. */
#include <git2.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "busfactor.h"
#include "repo_history.h"
#include "xalloc.h"

static const char busfactor_usage[] =
	"usage: mahoraga busfactor --repo DIR [--rev REV] [--format json|text]\n"
	"\n"
	"Degree of authorship of every file at REV (default: the default branch,\n"
	"not what is checked out), the truck factor (how many top authors can\n"
	"leave before most files have none), each\n"
	"developer's share of authored files, and the risky files: those with a single\n"
	"author, critical ones (busfactor.critical) first, with suggested partners.\n";

static json_t *people(const history *h, const uint32_t *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(h->authors[v[i]].email));
	return a;
}

static void print_json(const busfactor *b, const history *h, const char *repo, const char *rev)
{
	json_t *devs = json_array();
	for (size_t i = 0; i < b->ndevs; i++) {
		const history_author *a = &h->authors[b->devs[i].author];
		json_array_append_new(devs, json_pack("{s:s, s:s, s:I, s:I, s:f}", "email", a->email,
			"name", a->name, "files_authored", (json_int_t)b->devs[i].files_authored,
			"files_owned", (json_int_t)b->devs[i].files_owned,
			"ownership_pct", b->devs[i].ownership_pct));
	}
	json_t *risk = json_array();
	for (size_t r = 0; r < b->nrisky; r++) {
		const busfactor_file *f = &b->files[b->risky[r]];
		json_array_append_new(risk, json_pack("{s:s, s:o, s:b, s:I, s:f, s:o}", "path", f->path,
			"authors", people(h, f->authors, f->nauthors), "critical", f->critical,
			"contributors", (json_int_t)f->contributors, "owner_share_pct", f->owner_share,
			"suggested_partners", people(h, f->partners, f->npartners)));
	}
	json_t *root = json_pack("{s:s, s:s, s:I, s:I, s:o, s:o, s:o}", "repo", repo, "rev", rev,
		"files", (json_int_t)b->nfiles, "truck_factor", (json_int_t)b->truck_factor,
		"truck_factor_authors", people(h, b->removed, b->nremoved),
		"developers", devs, "risk_files", risk);
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));
	puts(text ? text : "{}");
	free(text);
	json_decref(root);
}

static void print_text(const busfactor *b, const history *h)
{
	printf("truck factor: %zu (of %zu files)", b->truck_factor, b->nfiles);
	for (size_t i = 0; i < b->nremoved; i++)
		printf("%s%s", i ? ", " : ": losing ", h->authors[b->removed[i]].email);
	printf("\n\ndevelopers (sole author of, author of):\n");
	for (size_t i = 0; i < b->ndevs; i++)
		printf("  %5.1f%%  %4zu  %4zu  %s\n", b->devs[i].ownership_pct, b->devs[i].files_owned,
		       b->devs[i].files_authored, h->authors[b->devs[i].author].email);
	printf("\nrisky files: one author or one contributor left (%zu):\n", b->nrisky);
	for (size_t r = 0; r < b->nrisky; r++) {
		const busfactor_file *f = &b->files[b->risky[r]];
		printf("  %s%s  %s (%.0f%% of changes)", f->critical ? "[critical] " : "", f->path,
		       f->nauthors ? h->authors[f->authors[0]].email : "nobody active", f->owner_share);
		for (size_t k = 0; k < f->npartners; k++)
			printf("%s%s", k ? ", " : "; partner: ", h->authors[f->partners[k]].email);
		printf("\n");
	}
}

int cmd_busfactor(const struct app *app, int argc, char **argv)
{
	const char *repo_dir = NULL, *rev = NULL, *format = "text";
	const struct app_opt opts[] = {
		{ "--repo", &repo_dir, NULL }, { "--rev", &rev, NULL }, { "--format", &format, NULL },
		{ NULL, NULL, NULL },
	};
	int rc0 = app_parse("busfactor", busfactor_usage, argc, argv, opts, NULL, 0, NULL);
	if (rc0 >= 0)
		return rc0;
	if (!repo_dir || (strcmp(format, "json") && strcmp(format, "text"))) {
		fputs(busfactor_usage, stderr);
		return EXIT_USAGE;
	}
	struct repo_history rh;
	history_view view = { 0 };
	int rc = repo_history_open(app, repo_dir, rev, &rh, &view);
	if (rc == EXIT_DONE) {
		busfactor b;
		busfactor_init(&b);
		busfactor_compute(&b, &view, &rh.opts.busfactor);
		if (strcmp(format, "json") == 0) {
			char tip[GIT_OID_HEXSZ + 1];
			git_oid_tostr(tip, sizeof(tip), &rh.h.commits[view.rev_commit].oid);
			print_json(&b, &rh.h, repo_dir, tip);
		} else {
			print_text(&b, &rh.h);
		}
		busfactor_free(&b);
	}
	history_view_free(&view);
	repo_history_close(&rh);
	return rc;
}
