/* mahoraga triage: read an issue, print what the triage core makes of it. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "sanitize.h"
#include "dedup.h"
#include "map_store.h"
#include "signals.h"
#include "trace.h"
#include "comment.h"
#include "trace_json.h"
#include "trace_map.h"
#include "triage.h"
#include "repo_history.h"
#include "llm_analyzer.h"
#include "xalloc.h"

static const char triage_usage[] =
	"usage: mahoraga triage [--parse-only] [--repo DIR [--rev REV]] [--format text|json|markdown] [FILE|-]\n"
	"\n"
	"Reads an issue (plain text or markdown, or the JSON object of `gh issue view\n"
	"--json title,body`) from FILE or standard input and decides about it: the stack\n"
	"traces and the frame to blame, keywords, severity, the duplicate fingerprint,\n"
	"the best matching spell, and with --repo the developers who know the code as\n"
	"of REV (default: the default branch, not what is checked out), the\n"
	"assignee, a confidence and the route: a draft fix\n"
	"(a commit on a local mahoraga/draft-* branch), an assignment, or human triage.\n"
	"--parse-only stops after the trace and the signals. --format markdown prints the\n"
	"decision as the GitHub comment that says it (for `gh issue comment N --body-file -`).\n";

/* keywords, severity, categories and labels as JSON keys of obj. */
static int signals_json_fill(json_t *obj, const signals *sig)
{
	json_t *kw = json_array(), *labels = json_array(), *cats = json_array();
	for (size_t i = 0; i < sig->nkeywords; i++)
		json_array_append_new(kw, json_string(sig->keywords[i]));
	for (size_t i = 0; i < sig->nlabels; i++)
		json_array_append_new(labels, json_string(sig->labels[i]));
	for (unsigned bit = 1; signals_category_name(bit); bit <<= 1)
		if (sig->categories & bit)
			json_array_append_new(cats, json_string(signals_category_name(bit)));
	int rc = 0;
	rc |= json_object_set_new(obj, "keywords", kw);
	rc |= json_object_set_new(obj, "severity", json_string(signals_severity_name(sig->severity)));
	rc |= json_object_set_new(obj, "categories", cats);
	rc |= json_object_set_new(obj, "labels", labels);
	return rc ? -1 : 0;
}

static void print_frame(const trace_frame *f, const trace_frame *app)
{
	printf("  %s ", f == app ? "*" : " ");
	if (f->function)
		printf("%s ", f->function);
	printf("%s", f->file ? f->file : "(no file)");
	if (f->line)
		printf(":%d", f->line);
	if (f->column)
		printf(":%d", f->column);
	if (f->repo_path)
		printf("  -> %s", f->repo_path);
	for (size_t i = 0; i < f->nties; i++)
		printf("%s%s", i ? ", " : "  -> ambiguous: ", f->ties[i]);
	printf("  [%s]\n", f->in_app ? "app" : "library");
}

static void print_text(const trace *t)
{
	const trace_exception *fin = trace_final(t);
	printf("language:    %s\n", trace_lang_name(t->lang));
	if (fin && fin->type)
		printf("error:       %s%s%s\n", fin->type, fin->message ? ": " : "",
		       fin->message ? fin->message : "");
	for (size_t b = 0; b < t->nexc; b++) {
		const trace_exception *e = &t->exc[b];
		printf("\n%s %zu: %s%s%s\n", &t->exc[b] == fin ? "block*" : "block ", b + 1,
		       e->type ? e->type : "(no error line)", e->message ? ": " : "",
		       e->message ? e->message : "");
		if (e->location) {
			printf("  raised at:\n");
			print_frame(e->location, t->app_frame);
		}
		for (size_t i = 0; i < e->nframes; i++)
			print_frame(&e->frames[i], t->app_frame);
	}
	if (t->app_frame) {
		const trace_frame *a = t->app_frame;
		printf("\nblame:       %s%s%s:%d\n", a->function ? a->function : "",
		       a->function ? " at " : "", a->repo_path ? a->repo_path : a->file ? a->file : "?",
		       a->line);
	}
}

static void print_decision(const triage_decision *d)
{
	print_text(&d->t);
	printf("\nseverity:    %s\n", signals_severity_name(d->sig.severity));
	printf("fingerprint: %s\n", d->fingerprint ? d->fingerprint : "(none)");
	if (d->analysis.spell)
		printf("spell:       %s (%s)\n", d->analysis.spell->id, d->analysis.spell->title);
	printf("\nroute:       %s (confidence %d)\n", d->route, d->assign.confidence);
	if (d->assign.assignee >= 0)
		printf("assignee:    %s\n", d->assign.candidates[d->assign.assignee].email);
	if (d->draft.branch)
		printf("draft:       %s (%d lines changed)\n\n%s", d->draft.branch, d->draft.lines_changed,
		       d->draft.diff);
	else if (d->no_draft)
		printf("no draft:    %s\n", d->no_draft);
	printf("\n%s\n", d->assign.reasoning ? d->assign.reasoning : "");
	if (d->assign.ncandidates) {
		printf("\ncandidates:\n");
		for (size_t i = 0; i < d->assign.ncandidates && i < 5; i++) {
			const assign_candidate *c = &d->assign.candidates[i];
			printf("  %4.0f%%  %-30s %3d commits, %4zu of %zu lines%s%s%s\n", c->chance * 100, c->email,
			       c->commits, c->lines_owned, c->total_lines, c->owns_line ? ", wrote the line" : "",
			       c->codeowner ? ", code owner" : "", c->overloaded ? ", overloaded" : "");
		}
	}
	if (d->analysis.explanation)
		printf("\n%s\n", d->analysis.explanation);
	if (d->analysis.by_why || (d->analysis.by && strcmp(d->analysis.by, "rules") != 0))
		printf("\nanalysis by: %s%s%s%s\n", d->analysis.by ? d->analysis.by : "rules",
		       d->analysis.by_why ? " (" : "", d->analysis.by_why ? d->analysis.by_why : "",
		       d->analysis.by_why ? ")" : "");
	if (d->analysis.proposed_spell)
		printf("\nproposed spell (for a person to accept):\n%s\n", d->analysis.proposed_spell);
	if (d->analysis.naffected) {
		printf("\nalso affected:");
		for (size_t i = 0; i < d->analysis.naffected; i++)
			printf(" %s", d->analysis.affected[i]);
		printf("\n");
	}
}

/* The whole decision: expertise, analysis, assignment and route. */
static int decide(const struct app *app, const char *repo_dir, const char *rev, const char *file,
		  const char *format)
{
	struct repo_history rh;
	memset(&rh, 0, sizeof(rh)); /* repo_history_open fills it; without a repo, only the store */
	history_view view = { 0 };
	int rc;
	if (repo_dir) {
		rc = repo_history_open(app, repo_dir, rev, &rh, &view);
	} else {
		rc = app_open_store(app, &rh.db);
		if (rc == EXIT_DONE) {
			rc = app_load_config(app, rh.db, &rh.cfg);
			rh.have_cfg = true;
			if (rc == EXIT_DONE)
				repo_history_opts(&rh);
		}
	}
	trace_map *map = NULL;
	codeowners owners;
	codeowners_init(&owners);
	spellbook spells;
	spellbook_init(&spells);
	char *shipped = NULL, *user = NULL;
	char *err = NULL;
	if (rc == EXIT_DONE && repo_dir) {
		if (!(map = map_store_open(rh.db, rh.repo_id, rh.repo, rev, &err))) {
			app_error("%s: %s", repo_dir, err);
			rc = EXIT_IO;
		}
		if (rc == EXIT_DONE && codeowners_load(&owners, rh.repo, rev) < 0) {
			app_error("%s: reading CODEOWNERS failed", repo_dir);
			rc = EXIT_IO;
		}
	}
	if (rc == EXIT_DONE)
		rc = app_load_spells(app, &spells, &shipped, &user);
	struct app_issue it = { 0 };
	if (rc == EXIT_DONE)
		rc = app_read_issue(file, &it);
	store_service llm_svc;
	store_service_init(&llm_svc, "llm");
	llm_client llm_c;
	if (rc == EXIT_DONE) {
		triage_env env = {
			.repo = rh.repo, .h = repo_dir ? &rh.h : NULL, .view = repo_dir ? &view : NULL,
			.map = map, .spells = &spells, .owners = repo_dir ? &owners : NULL,
			.db = rh.db, .repo_id = rh.repo_id,
			.rev = rev,
		};
		engine_opts_triage(&rh.opts, &rh.cfg, &env);
		rank_model model;
		if (repo_dir && engine_opts_model(&model, rh.db, rh.repo_id) > 0)
			env.model = &model;
		/* a model when one is set up, through the breaker every process shares */
		bool llm = llm_configured(&rh.cfg);
		if (llm && rh.db && store_service_get(rh.db, &llm_svc) < 0)
			app_error("the LLM's state: %s", store_error(rh.db));
		llm_client_init(&llm_c, &rh.cfg, &llm_svc);
		triage_analyzer an = llm_analyzer_of(&llm_c);
		if (llm)
			env.analyzer = &an;
		triage_decision d;
		triage_decision_init(&d);
		if (triage_run(&d, &env, it.title, it.body, it.body_len, &err) < 0) {
			app_error("triage: %s", err);
			rc = EXIT_IO;
		} else if (strcmp(format, "json") == 0) {
			json_t *o = triage_json(&d);
			char *out = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));
			puts(out ? out : "{}");
			free(out);
			json_decref(o);
		} else if (strcmp(format, "markdown") == 0) {
			json_t *o = triage_json(&d);
			char *out = comment_markdown(o, rh.db);
			fputs(out, stdout);
			free(out);
			json_decref(o);
		} else {
			print_decision(&d);
		}
		if (llm && rh.db && store_service_put(rh.db, &llm_svc, (int64_t)time(NULL)) < 0)
			app_error("the LLM's state: %s", store_error(rh.db));
		triage_decision_free(&d);
	}
	app_issue_free(&it);
	store_service_free(&llm_svc);
	free(err);
	free(shipped);
	free(user);
	spellbook_free(&spells);
	codeowners_free(&owners);
	trace_map_free(map);
	history_view_free(&view);
	repo_history_close(&rh);
	return rc;
}

int cmd_triage(const struct app *app, int argc, char **argv)
{
	(void)app;
	const char *format = "text", *repo = NULL, *rev = NULL, *file = NULL;
	bool parse_only = false;
	const struct app_opt opts[] = {
		{ "--parse-only", NULL, &parse_only }, { "--format", &format, NULL },
		{ "--repo", &repo, NULL }, { "--rev", &rev, NULL }, { NULL, NULL, NULL },
	};
	int rc0 = app_parse("triage", triage_usage, argc, argv, opts, &file, 1, NULL);
	if (rc0 >= 0)
		return rc0;
	if (strcmp(format, "json") != 0 && strcmp(format, "text") != 0 &&
	    (strcmp(format, "markdown") != 0 || parse_only)) {
		app_error("triage: --format must be text, json or (without --parse-only) markdown, not '%s'", format);
		return EXIT_USAGE;
	}
	if (rev && !repo) {
		app_error("triage: --rev needs --repo");
		return EXIT_USAGE;
	}
	if (!parse_only)
		return decide(app, repo, rev, file, format);
	trace_map *map = NULL;
	if (repo) {
		char *err = NULL;
		map = trace_map_load(repo, rev, &err);
		if (!map) {
			app_error("%s", err);
			free(err);
			return EXIT_IO;
		}
	}
	struct app_issue it;
	int rc = app_read_issue(file, &it);
	if (rc != EXIT_DONE) {
		trace_map_free(map);
		return rc;
	}
	trace t;
	trace_init(&t);
	trace_parse(&t, it.body, it.body_len);
	if (map)
		trace_map_apply(map, &t);
	signals sig;
	signals_init(&sig);
	signals_extract(&sig, it.title, it.body, it.body_len, &t);
	char *fingerprint = dedup_fingerprint(&t);
	if (strcmp(format, "text") == 0) {
		print_text(&t);
		printf("\nseverity:    %s\n", signals_severity_name(sig.severity));
		printf("keywords:   ");
		for (size_t i = 0; i < sig.nkeywords; i++)
			printf(" %s", sig.keywords[i]);
		printf("\nlabels:     ");
		for (size_t i = 0; i < sig.nlabels; i++)
			printf(" %s", sig.labels[i]);
		printf("\nfingerprint: %s\n", fingerprint ? fingerprint : "(none)");
	} else {
		json_t *root = json_object();
		char *out = NULL;
		if (!root || trace_json_fill(root, &t) < 0 || signals_json_fill(root, &sig) < 0 ||
		    json_object_set_new(root, "fingerprint",
					fingerprint ? json_string(fingerprint) : json_null()) < 0 ||
		    !(out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(3)))) {
			app_error("triage: out of memory writing JSON");
			rc = EXIT_IO;
		} else {
			puts(out);
		}
		free(out);
		json_decref(root);
	}
	free(fingerprint);
	signals_free(&sig);
	trace_map_free(map);
	trace_free(&t);
	app_issue_free(&it);
	return rc;
}
