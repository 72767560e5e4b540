/* The triage pipeline and its JSON (see triage.h). */
#include "triage.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dedup.h"
#include "strbuf.h"
#include "trace_json.h"
#include "xalloc.h"

/* At most this many files are weighed: deeper frames add little but cost a blame. */
#define MAX_FILES 5
/* The repository's most active people who are candidates without the file. */
#define TRIAGE_ACTIVE 5

static double ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

void triage_decision_init(triage_decision *d)
{
	memset(d, 0, sizeof(*d));
	trace_init(&d->t);
	signals_init(&d->sig);
	assign_result_init(&d->assign);
	draft_init(&d->draft);
	d->route = "human";
}

void triage_analysis_free(triage_analysis *a)
{
	free(a->explanation);
	free(a->root_cause);
	for (size_t i = 0; i < a->naffected; i++)
		free(a->affected[i]);
	free(a->affected);
	free(a->by_why);
	free(a->fix_path);
	free(a->fix_diff);
	free(a->fix_title);
	free(a->proposed_spell);
	memset(a, 0, sizeof(*a));
}

void triage_decision_free(triage_decision *d)
{
	trace_free(&d->t);
	signals_free(&d->sig);
	free(d->fingerprint);
	for (size_t i = 0; i < d->nfiles; i++)
		expertise_file_free(&d->files[i]);
	free(d->files);
	free(d->weights);
	triage_analysis_free(&d->analysis);
	assign_result_free(&d->assign);
	draft_free(&d->draft);
	free(d->no_draft);
	free(d->duplicate_owner);
	triage_decision_init(d);
}

/* The in-app frames of the final error that map into the repository, blamed
 * one first, each file once. */
static size_t implicated(const trace *t, const trace_frame **out, size_t max)
{
	size_t n = 0;
	if (t->app_frame && t->app_frame->repo_path)
		out[n++] = t->app_frame;
	const trace_exception *e = trace_final(t);
	for (size_t k = 0; e && k < e->nframes && n < max; k++) {
		const trace_frame *f = &e->frames[e->innermost_first ? k : e->nframes - 1 - k];
		if (!f->in_app || !f->repo_path)
			continue;
		bool seen = false;
		for (size_t i = 0; i < n && !seen; i++)
			seen = strcmp(out[i]->repo_path, f->repo_path) == 0;
		if (!seen)
			out[n++] = f;
	}
	return n;
}

/* The last person (bots aside) to change file as the view sees it. */
static const char *last_author(const triage_env *env, int64_t file)
{
	const history *h = env->h;
	const history_file *f = &h->files[file];
	for (size_t k = f->n; k-- > 0;) {
		const history_touch *t = &h->touches[f->touches[k]];
		if (!history_view_has(env->view, t->commit) || t->kind == HIST_MERGE)
			continue;
		const history_author *a = &h->authors[h->commits[t->commit].author];
		if (!expertise_is_bot(a->name, a->email, env->expertise.bots, env->expertise.nbots))
			return a->email;
	}
	return NULL;
}

/* Files that changed in the same commits as file, most often first. */
static void co_changed(const triage_env *env, int64_t file, triage_analysis *a, size_t max)
{
	const history *h = env->h;
	const history_file *f = &h->files[file];
	uint32_t *count = xcalloc(h->nfiles ? h->nfiles : 1, sizeof(*count));
	/* the commits touching the file, then every change of those commits */
	uint8_t *mine = xcalloc(h->ncommits ? h->ncommits : 1, 1);
	for (size_t k = 0; k < f->n; k++) {
		const history_touch *t = &h->touches[f->touches[k]];
		if (history_view_has(env->view, t->commit) && t->kind != HIST_MERGE)
			mine[t->commit] = 1;
	}
	for (size_t i = 0; i < h->ntouches; i++)
		if (mine[h->touches[i].commit] && h->touches[i].file != (uint32_t)file &&
		    h->touches[i].kind != HIST_MERGE)
			count[h->touches[i].file]++;
	for (size_t pick = 0; pick < max; pick++) {
		size_t best = SIZE_MAX;
		for (size_t g = 0; g < h->nfiles; g++)
			if (count[g] >= 2 && (best == SIZE_MAX || count[g] > count[best]))
				best = g;
		if (best == SIZE_MAX)
			break;
		count[best] = 0;
		/* where the file is now, if it still exists */
		const history_file *bf = &h->files[best];
		const history_touch *last = NULL;
		for (size_t k = bf->n; k-- > 0 && !last;)
			if (history_view_has(env->view, h->touches[bf->touches[k]].commit))
				last = &h->touches[bf->touches[k]];
		if (!last || last->kind == HIST_DELETE)
			continue;
		a->affected = xrealloc(a->affected, (a->naffected + 1) * sizeof(*a->affected));
		a->affected[a->naffected++] = xstrdup(h->paths[last->path]);
	}
	free(mine);
	free(count);
}

static char *first_paragraph(const char *s)
{
	const char *e = strstr(s, "\n\n");
	return e ? xstrndup(s, (size_t)(e - s)) : xstrdup(s);
}

static int rule_analyze(const triage_analyzer *self, const triage_env *env,
			const triage_decision *d, triage_analysis *a, char **err)
{
	(void)self;
	(void)err;
	const trace_exception *e = trace_final(&d->t);
	const trace_frame *app = d->t.app_frame;
	if (env->spells) {
		spell_match m[1];
		if (spellbook_match(env->spells, &d->t, m, 1)) {
			a->spell = m[0].spell;
			a->spell_score = m[0].score;
		}
	}
	strbuf sb = STRBUF_INIT;
	if (e && e->type) {
		strbuf_addf(&sb, "`%s%s%s`", e->type, e->message ? ": " : "", e->message ? e->message : "");
		if (app)
			strbuf_addf(&sb, " was raised in %s%s%s:%d", app->function ? app->function : "",
				    app->function ? " at " : "", app->repo_path ? app->repo_path : app->file ? app->file : "?",
				    app->line);
		strbuf_addstr(&sb, ". ");
	}
	if (a->spell) {
		strbuf_addstr(&sb, a->spell->explanation);
	} else if (e && e->type) {
		strbuf_addstr(&sb, "No spell in the library knows this error; read the blamed frame and the "
				   "message for what the code did not expect.");
	} else {
		strbuf_addstr(&sb, "The issue shows no error or stack trace.");
	}
	a->explanation = strbuf_detach(&sb);
	if (e && e->type) {
		strbuf rc = STRBUF_INIT;
		if (a->spell) {
			char *p = first_paragraph(a->spell->explanation);
			strbuf_addf(&rc, "%s", a->spell->title);
			if (app)
				strbuf_addf(&rc, " at %s:%d", app->repo_path ? app->repo_path : app->file ? app->file : "?",
					    app->line);
			strbuf_addf(&rc, ": %s", p);
			free(p);
		} else if (app) {
			strbuf_addf(&rc, "%s%s%s:%d does not handle the case behind `%s`.",
				    app->function ? app->function : "", app->function ? " at " : "",
				    app->repo_path ? app->repo_path : app->file ? app->file : "?", app->line, e->type);
		}
		if (rc.len)
			a->root_cause = strbuf_detach(&rc);
		else
			strbuf_release(&rc);
	}
	/* beyond the blamed file: its callers in the trace, then what changes with it */
	for (size_t i = 1; i < d->nfiles; i++) {
		a->affected = xrealloc(a->affected, (a->naffected + 1) * sizeof(*a->affected));
		a->affected[a->naffected++] = xstrdup(d->files[i].path);
	}
	if (env->h && env->view && d->nfiles) {
		int64_t f = history_file_at(env->view, d->files[0].path);
		if (f >= 0)
			co_changed(env, f, a, 3);
	}
	return 0;
}

const triage_analyzer triage_rule_analyzer = { "rules", rule_analyze, NULL };

/* CODEOWNERS owners of path as emails: emails as they are, @logins through
 * the users table. */
static char **owner_emails(const triage_env *env, const char *path, size_t *n)
{
	*n = 0;
	if (!env->owners)
		return NULL;
	size_t no;
	char *const *o = codeowners_for(env->owners, path, &no, NULL);
	char **out = xcalloc(no + 1, sizeof(*out));
	store_users users = { 0 };
	bool have_users = env->db && store_users_list(env->db, &users) == 0;
	for (size_t i = 0; i < no; i++) {
		if (o[i][0] != '@') {
			out[(*n)++] = xstrdup(o[i]);
			continue;
		}
		for (size_t u = 0; have_users && u < users.n; u++)
			if (users.v[u].login && strcasecmp(users.v[u].login, o[i] + 1) == 0)
				for (size_t k = 0; k < users.v[u].n_emails; k++) {
					out = xrealloc(out, (*n + 2) * sizeof(*out));
					out[(*n)++] = xstrdup(users.v[u].emails[k]);
				}
	}
	if (have_users)
		store_users_free(&users);
	return out;
}

/* The people with the most commits in the last 90 days (act), bots and
 * inactive people aside, most first: at most max into out. */
static size_t most_active(const triage_env *env, const rank_activity *act, uint32_t *out, size_t max)
{
	size_t n = 0;
	for (size_t a = 0; a < act->n; a++) {
		if (!act->recent[a])
			continue;
		const history_author *au = &env->h->authors[a];
		if (expertise_is_bot(au->name, au->email, env->expertise.bots, env->expertise.nbots))
			continue;
		size_t at = n < max ? n : max;
		while (at > 0 && act->recent[out[at - 1]] < act->recent[a])
			at--;
		if (at >= max)
			continue;
		if (expertise_is_inactive(env->view, (uint32_t)a, env->expertise.inactive_after,
					  env->expertise.user_state, env->expertise.arg))
			continue;
		if (n < max)
			n++;
		memmove(out + at + 1, out + at, (n - 1 - at) * sizeof(*out));
		out[at] = (uint32_t)a;
	}
	return n;
}

static int workload_of(const char *email, void *arg)
{
	int n = 0;
	return store_workload(arg, email, &n) == 0 ? n : 0;
}

/* A duplicate of an open issue that someone already has is that person's
 * already: it is linked to the original, not assigned again, and adds to
 * nobody's load. Returns 0 (d changed or not), -1 on a store error. */
static int duplicate_of_assigned(triage_decision *d, const triage_env *env)
{
	if (!d->checked_duplicates || !env->db ||
	    (d->duplicate.kind != DEDUP_DUPLICATE && d->duplicate.kind != DEDUP_CONSOLIDATE))
		return 0;
	store_issue orig;
	store_issue_init(&orig);
	int rc = store_issue_by_id(env->db, d->duplicate.of, &orig);
	if (rc <= 0 || !orig.state || strcmp(orig.state, "open") != 0) {
		store_issue_free(&orig);
		return rc < 0 ? -1 : 0;
	}
	store_assignment a;
	store_assignment_init(&a);
	rc = store_assignment_open(env->db, orig.id, &a);
	if (rc == 1) {
		d->duplicate_of = orig.number;
		d->duplicate_owner = xstrdup(a.assignee_email);
		d->assign.assignee = -1;
		d->route = "human";
		strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "Duplicate of #%d, with %s: linked to it, not assigned again. %s", orig.number,
			    a.assignee_email, d->assign.reasoning ? d->assign.reasoning : "");
		free(d->assign.reasoning);
		d->assign.reasoning = strbuf_detach(&sb);
	}
	store_assignment_free(&a);
	store_issue_free(&orig);
	return rc < 0 ? -1 : 0;
}

/* Above the draft threshold: a draft when a spell's recipe applies cleanly at
 * the blamed line, otherwise an assignment that says why there is no draft. */
static void try_draft(triage_decision *d, const triage_env *env)
{
	const spell *sp = d->analysis.spell;
	const trace_frame *app = d->t.app_frame;
	char *err = NULL;
	const triage_analysis *an = &d->analysis;
	if (!env->draft_fixes)
		d->no_draft = xstrdup("drafting fixes is turned off (triage.draft_fixes)");
	else if ((!sp || !sp->fix) && an->fix_diff && app && app->repo_path && app->line &&
		 strcmp(an->fix_path, app->repo_path) == 0) {
		/* no recipe: the analyzer's own fix, under the same rules */
		char label[24];
		snprintf(label, sizeof(label), "%s", env->draft_label ? env->draft_label
					 : d->fingerprint ? d->fingerprint : "issue");
		if (draft_make_patch(&d->draft, env->repo, env->rev, app->repo_path, app->line, an->fix_diff,
				     "a fix proposed by the LLM", label, an->fix_title, an->explanation, &err) < 0) {
			d->no_draft = xasprintf("the LLM's fix was dropped: %s", err);
		}
	} else if (!sp || !sp->fix)
		d->no_draft = xstrdup("no spell with a fix recipe matches this error");
	else if (!app || !app->repo_path || !app->line)
		d->no_draft = xstrdup("the blamed frame has no line in the repository");
	else {
		char label[24];
		snprintf(label, sizeof(label), "%s", env->draft_label ? env->draft_label
					 : d->fingerprint ? d->fingerprint : "issue");
		strbuf title = STRBUF_INIT;
		strbuf_addf(&title, "%s in %s", sp->title, app->function ? app->function : app->repo_path);
		if (draft_make(&d->draft, env->repo, env->rev, app->repo_path, app->line, sp->fix,
			       d->t.lang, label, title.buf, d->analysis.explanation, &err) < 0) {
			d->no_draft = err;
			err = NULL;
		}
		strbuf_release(&title);
	}
	if (d->no_draft)
		d->route = "assign";
	free(err);
}

int triage_run(triage_decision *d, const triage_env *env, const char *title, const char *body,
	       size_t len, char **err)
{
	triage_decision_free(d);
	struct timespec t0, ts;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ts = t0;
	trace_parse(&d->t, body, len);
	d->ms.parse = ms_since(&ts);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (env->map)
		trace_map_apply(env->map, &d->t);
	d->ms.map = ms_since(&ts);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	signals_extract(&d->sig, title, body, len, &d->t);
	d->fingerprint = dedup_fingerprint(&d->t);
	if (env->db && env->issue_id) {
		if (dedup_record(env->db, env->repo_id, env->issue_id, env->reported_at, title, body, len,
				 &d->t, env->duplicate_window, &d->duplicate) < 0) {
			*err = xasprintf("recording the report: %s", store_error(env->db));
			return -1;
		}
		d->checked_duplicates = true;
	}
	d->ms.signals = ms_since(&ts);

	clock_gettime(CLOCK_MONOTONIC, &ts);
	const trace_frame *fr[MAX_FILES];
	size_t nf = env->repo && env->view ? implicated(&d->t, fr, MAX_FILES) : 0;
	d->files = xcalloc(nf ? nf : 1, sizeof(*d->files));
	d->weights = xcalloc(nf ? nf : 1, sizeof(*d->weights));
	for (size_t i = 0; i < nf; i++) {
		if (i > 0 && env->budget_ms > 0 && ms_since(&t0) > env->budget_ms) {
			d->cut_short = true;
			break;
		}
		expertise_opts o = env->expertise;
		o.line = i == 0 ? fr[i]->line : 0;
		o.cache = env->db;
		o.repo_id = env->repo_id;
		expertise_file_init(&d->files[i]);
		if (expertise_for(&d->files[i], env->view, env->repo, fr[i]->repo_path, &o, err) < 0)
			return -1;
		d->weights[i] = fr[i]->relevance > 0 ? fr[i]->relevance : 0.1;
		d->nfiles++;
	}
	d->ms.expertise = ms_since(&ts);

	clock_gettime(CLOCK_MONOTONIC, &ts);
	const triage_analyzer *an = env->analyzer ? env->analyzer : &triage_rule_analyzer;
	char *aerr = NULL;
	d->title = title;
	if (an->analyze(an, env, d, &d->analysis, &aerr) < 0 && an != &triage_rule_analyzer) {
		/* an outside analyzer failed: the rules still say something, and
		 * the decision says why they did */
		triage_analysis_free(&d->analysis);
		triage_rule_analyzer.analyze(&triage_rule_analyzer, env, d, &d->analysis, NULL);
		d->analysis.by_why = aerr;
		aerr = NULL;
	}
	d->title = NULL;
	if (!d->analysis.by)
		d->analysis.by = "rules";
	free(aerr);
	d->ms.analysis = ms_since(&ts);

	clock_gettime(CLOCK_MONOTONIC, &ts);
	size_t nowners = 0;
	char **owners = d->nfiles ? owner_emails(env, d->files[0].path, &nowners) : NULL;
	char **previous = NULL;
	size_t nprevious = 0;
	store_assignments hist = { 0 };
	if (env->db && env->issue_id && store_assignment_history(env->db, env->issue_id, &hist) == 0) {
		previous = xcalloc(hist.n + 1, sizeof(*previous));
		/* those who had it and lost it or finished; whoever has it now (an
		 * earlier decision, another worker's) is a candidate like anyone */
		for (size_t i = 0; i < hist.n; i++)
			if (!hist.v[i].status || strcmp(hist.v[i].status, "assigned") != 0)
				previous[nprevious++] = hist.v[i].assignee_email;
	}
	int64_t blamed = d->nfiles ? history_file_at(env->view, d->files[0].path) : -1;
	rank_activity act;
	rank_activity_init(&act);
	uint32_t active[TRIAGE_ACTIVE];
	size_t nactive = 0;
	if (env->view) {
		rank_activity_compute(&act, env->view, 90);
		if (d->nfiles && d->files[0].found)
			rank_activity_dir(&act, env->view, d->files[0].path, env->expertise.decay_days);
		nactive = most_active(env, &act, active, TRIAGE_ACTIVE);
	}
	assign_input in = {
		.files = d->files, .weights = d->weights, .nfiles = d->nfiles,
		.mapped = d->nfiles > 0 && d->files[0].found,
		.blamed_line = d->t.app_frame ? d->t.app_frame->line : 0,
		.last_author = blamed >= 0 ? last_author(env, blamed) : NULL,
		.model = env->model, .activity = env->view ? &act : NULL,
		.h = env->h, .active = active, .nactive = nactive,
		.owners = (const char *const *)owners, .nowners = nowners,
		.previous = (const char *const *)previous, .nprevious = nprevious,
		.workload = env->db ? workload_of : NULL, .arg = env->db,
		.overload_limit = env->overload_limit, .draft_threshold = env->draft_threshold,
		.assign_threshold = env->assign_threshold,
		.now = env->view ? env->view->now : (int64_t)time(NULL),
		.decay_days = env->expertise.decay_days,
	};
	assign_decide(&d->assign, &in);
	d->model = env->model ? env->model : &rank_default;
	rank_activity_free(&act);
	if (!env->repo) {
		free(d->assign.reasoning);
		d->assign.reasoning = xstrdup("No repository to read (--repo DIR), so nobody can be "
					      "ranked: this needs a human.");
	}
	for (size_t i = 0; i < nowners; i++)
		free(owners[i]);
	free(owners);
	free(previous);
	if (hist.v)
		store_assignments_free(&hist);
	d->route = d->assign.route;
	if (duplicate_of_assigned(d, env) < 0) {
		*err = xasprintf("reading the original issue: %s", store_error(env->db));
		return -1;
	}
	if (strcmp(d->route, "draft_fix") == 0)
		try_draft(d, env);
	d->ms.assign = ms_since(&ts);
	d->ms.total = ms_since(&t0);
	return 0;
}

static char *iso(int64_t t)
{
	char buf[32];
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(buf);
}

static json_t *reasons(const assign_candidate *c, const rank_model *m, int line)
{
	json_t *a = json_array();
	char *why[RANK_NFEATURES];
	size_t n = assign_reasons(c, m, line, why, RANK_NFEATURES);
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(a, json_string(why[i]));
		free(why[i]);
	}
	if (c->workload)
		json_array_append_new(a, json_sprintf("%d open bugs%s", c->workload,
						      c->overloaded ? " (overloaded)" : ""));
	return a;
}

json_t *triage_json(const triage_decision *d)
{
	const rank_model *m = d->model;
	json_t *o = json_object();
	trace_json_fill(o, &d->t);
	json_t *kw = json_array(), *labels = json_array();
	for (size_t i = 0; i < d->sig.nkeywords; i++)
		json_array_append_new(kw, json_string(d->sig.keywords[i]));
	for (size_t i = 0; i < d->sig.nlabels; i++)
		json_array_append_new(labels, json_string(d->sig.labels[i]));
	json_object_set_new(o, "keywords", kw);
	json_object_set_new(o, "severity", json_string(signals_severity_name(d->sig.severity)));
	json_object_set_new(o, "labels", labels);
	json_object_set_new(o, "fingerprint", d->fingerprint ? json_string(d->fingerprint) : json_null());
	if (d->checked_duplicates)
		json_object_set_new(o, "duplicate", json_pack("{s:s, s:I, s:f}", "relation",
			dedup_kind_name(d->duplicate.kind), "of", (json_int_t)d->duplicate.of,
			"similarity", d->duplicate.similarity));
	else
		json_object_set_new(o, "duplicate", json_null());
	json_t *cands = json_array();
	int line = d->t.app_frame ? d->t.app_frame->line : 0;
	for (size_t i = 0; i < d->assign.ncandidates; i++) {
		const assign_candidate *c = &d->assign.candidates[i];
		char *last = c->commits ? iso(c->last_commit) : NULL;
		json_array_append_new(cands, json_pack("{s:s, s:s, s:f, s:f, s:i, s:I, s:s?, s:o}",
			"email", c->email, "name", c->name ? c->name : "", "score", round(c->score * 100) / 100,
			"chance", round(c->chance * 1000) / 1000,
			"commits", c->commits, "lines_owned", (json_int_t)c->lines_owned,
			"last_commit", last, "reasons", reasons(c, m, line)));
		free(last);
	}
	json_object_set_new(o, "candidates", cands);
	if (d->assign.assignee >= 0) {
		const assign_candidate *a = &d->assign.candidates[d->assign.assignee];
		json_object_set_new(o, "assignee", json_pack("{s:s, s:s}", "email", a->email, "name",
							     a->name ? a->name : ""));
	} else {
		json_object_set_new(o, "assignee", json_null());
	}
	json_object_set_new(o, "confidence", json_integer(d->assign.confidence));
	json_object_set_new(o, "route", json_string(d->route));
	json_object_set_new(o, "reasoning", json_string(d->assign.reasoning ? d->assign.reasoning : ""));
	json_object_set_new(o, "explanation", d->analysis.explanation ? json_string(d->analysis.explanation) : json_null());
	json_object_set_new(o, "root_cause", d->analysis.root_cause ? json_string(d->analysis.root_cause) : json_null());
	json_t *aff = json_array();
	for (size_t i = 0; i < d->analysis.naffected; i++)
		json_array_append_new(aff, json_string(d->analysis.affected[i]));
	json_object_set_new(o, "affected_files", aff);
	if (d->analysis.spell)
		json_object_set_new(o, "spell", json_pack("{s:s, s:s, s:s?, s:i}", "id", d->analysis.spell->id,
			"title", d->analysis.spell->title, "fix", d->analysis.spell->fix, "score", d->analysis.spell_score));
	else
		json_object_set_new(o, "spell", json_null());
	if (d->draft.branch) {
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), &d->draft.commit);
		json_object_set_new(o, "draft_fix", json_pack("{s:s, s:s, s:s, s:s, s:i, s:s}",
			"branch", d->draft.branch, "commit", hex, "path", d->draft.path,
			"title", d->draft.title, "lines_changed", d->draft.lines_changed,
			"diff", d->draft.diff));
	} else {
		json_object_set_new(o, "draft_fix", json_null());
	}
	if (d->no_draft)
		json_object_set_new(o, "no_draft", json_string(d->no_draft));
	json_object_set_new(o, "analyzer", json_pack("{s:s, s:s?}", "name", d->analysis.by ? d->analysis.by : "rules",
						     "why", d->analysis.by_why));
	if (d->analysis.proposed_spell)
		json_object_set_new(o, "proposed_spell", json_string(d->analysis.proposed_spell));
	if (d->cut_short)
		json_object_set_new(o, "cut_short", json_true());
	if (d->duplicate_owner)
		json_object_set_new(o, "duplicate_of", json_pack("{s:i, s:s}", "number", d->duplicate_of,
								 "assignee", d->duplicate_owner));
	json_object_set_new(o, "timings_ms", json_pack("{s:f, s:f, s:f, s:f, s:f, s:f, s:f}",
		"parse", round(d->ms.parse * 1000) / 1000, "map", round(d->ms.map * 1000) / 1000,
		"signals", round(d->ms.signals * 1000) / 1000, "expertise", round(d->ms.expertise * 1000) / 1000,
		"analysis", round(d->ms.analysis * 1000) / 1000, "assign", round(d->ms.assign * 1000) / 1000,
		"total", round(d->ms.total * 1000) / 1000));
	return o;
}
