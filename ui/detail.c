/* The issue view: everything the decision says about one feed item, scrollable.
 * Built from the store (the issue and its latest decision's JSON), never from git
 * or the network. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "manual.h"
#include "strbuf.h"
#include "comment.h"
#include "ui_internal.h"
#include "xalloc.h"

static void add(struct ui_lines *l, const char *s)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = xstrdup(s ? s : "");
}

/* Text split at line breaks and wrapped at width columns: measured in display
 * columns, cut between characters, at the last space that fits when there is
 * one. */
static void add_wrapped(struct ui_lines *l, const char *indent, const char *text, int width)
{
	if (!text)
		return;
	int w = width - (int)strlen(indent);
	if (w < 10)
		w = 10;
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		size_t fit;
		while ((fit = ui_fit(p, n, w)) < n) {
			size_t cut = fit;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (!cut) /* no space: between two characters */
				cut = fit ? fit : n;
			char *piece = xasprintf("%s%.*s", indent, (int)cut, p);
			add(l, piece);
			free(piece);
			p += cut;
			n -= cut;
			while (n && *p == ' ') {
				p++;
				n--;
			}
		}
		char *piece = xasprintf("%s%.*s", indent, (int)n, p);
		add(l, piece);
		free(piece);
		p += n;
		if (*p == '\n')
			p++;
	}
}

static void head(struct ui_lines *l, const char *title)
{
	add(l, "");
	char *h = xasprintf("%c%s", UI_LINE_HEAD, title);
	add(l, h);
	free(h);
}

/* The configured clone of repository repo_id (NULL if none). */
static const config_repo *clone_of(store *db, const config *cfg, int64_t repo_id)
{
	char *slug = NULL;
	const config_repo *r = NULL;
	if (store_repo_slug(db, repo_id, &slug) == 1)
		for (size_t i = 0; i < cfg->n_repos && !r; i++)
			if (strcmp(cfg->repos[i].slug, slug) == 0)
				r = &cfg->repos[i];
	free(slug);
	return r && r->path ? r : NULL;
}

/* path inside the clone r, or NULL for a path that would leave it */
static char *in_clone(const config_repo *r, const char *path)
{
	if (!r || !path || path[0] == '/' || strstr(path, ".."))
		return NULL;
	return xasprintf("%s/%s", r->path, path);
}

/* Lines around the blamed line, read from the clone's working tree (a plain
 * file read: the UI does not run git). */
static void add_source(struct ui_lines *l, store *db, const config *cfg, int64_t repo_id, const char *path,
		       long line)
{
	const config_repo *r = clone_of(db, cfg, repo_id);
	char *full = line > 0 ? in_clone(r, path) : NULL;
	if (!full)
		return;
	FILE *f = fopen(full, "r");
	free(full);
	if (!f)
		return;
	char *title = xasprintf("Source %s:%ld (working tree of %s)", path, line, r->slug);
	head(l, title);
	free(title);
	char buf[512];
	long n = 0;
	while (fgets(buf, sizeof(buf), f) && n < line + 3) {
		size_t len = strcspn(buf, "\r\n");
		bool whole = buf[len] != '\0' || feof(f);
		buf[len] = '\0';
		n++;
		if (n >= line - 3) {
			char *t = xasprintf("%s%5ld %s %s", n == line ? "\002" : "", n, n == line ? ">" : "|", buf);
			add(l, t);
			free(t);
		}
		/* the rest of an overlong line is not another line */
		while (!whole && fgets(buf, sizeof(buf), f)) {
			len = strcspn(buf, "\n");
			whole = buf[len] == '\n' || feof(f);
		}
	}
	fclose(f);
}

/* What people did with the issue, and who had it. */
static void add_history(struct ui_lines *l, store *db, int64_t issue_id, int width)
{
	store_manuals m;
	store_assignments a;
	if (store_manual_list(db, issue_id, &m) < 0)
		m.n = 0, m.v = NULL;
	if (store_assignment_history(db, issue_id, &a) < 0)
		a.n = 0, a.v = NULL;
	if (m.n || a.n)
		head(l, "History");
	char when[32];
	for (size_t i = 0; i < a.n; i++) {
		time_t t = (time_t)a.v[i].created_at;
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", gmtime(&t));
		/* wrapped, as the reasoning is: a reason given by hand can be long */
		char *line = xasprintf("%s  %s %s%s%s%s", when, a.v[i].status, a.v[i].assignee_email,
				       a.v[i].decision_id ? " (by the triage)" : " (by hand)", a.v[i].note ? ": " : "",
				       a.v[i].note ? a.v[i].note : "");
		add_wrapped(l, "  ", line, width);
		free(line);
	}
	for (size_t i = 0; i < m.n; i++) {
		time_t t = (time_t)m.v[i].created_at;
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", gmtime(&t));
		char *line = xasprintf("%s  %s %s: %s", when, manual_kind_label(m.v[i].kind), m.v[i].state,
				       m.v[i].result ? m.v[i].result : "waiting for the worker");
		add_wrapped(l, "  ", line, width);
		free(line);
	}
	store_manuals_free(&m);
	store_assignments_free(&a);
}

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

int ui_issue_blamed(store *db, const config *cfg, int64_t issue_id, char **file, long *line)
{
	*file = NULL;
	*line = 0;
	store_issue is;
	store_issue_init(&is);
	store_decision d;
	store_decision_init(&d);
	json_t *j = NULL;
	if (store_issue_by_id(db, issue_id, &is) == 1 && store_decision_latest(db, issue_id, &d) == 1 && d.full_json)
		j = json_loads(d.full_json, 0, NULL);
	json_t *app = json_object_get(j, "app_frame");
	int rc = -1;
	if (json_is_object(app)) {
		rc = -2;
		*file = in_clone(clone_of(db, cfg, is.repo_id), jstr(app, "repo_path"));
		*line = (long)json_integer_value(json_object_get(app, "line"));
		if (*file)
			rc = 0;
	}
	json_decref(j);
	store_decision_free(&d);
	store_issue_free(&is);
	return rc;
}

void ui_file_build(struct ui_lines *l, store *db, const struct ui_data *d, const char *repo, const char *path,
		   int width)
{
	ui_lines_free(l);
	char *top = xasprintf("%c%s (%s)", UI_LINE_HEAD, path, repo);
	add(l, top);
	free(top);
	for (size_t i = 0; i < d->risk.n; i++) {
		const store_risk_row *r = &d->risk.v[i];
		if (strcmp(r->repo, repo) != 0 || strcmp(r->path, path) != 0)
			continue;
		char *line = xasprintf("%s%.0f%% of its changes by %s%s%s", r->critical ? "critical; " : "", r->share,
				       r->owner ? ui_person(d, r->owner) : "nobody active",
				       r->partner ? "; a partner to learn it: " : "",
				       r->partner ? ui_person(d, r->partner) : "");
		add_wrapped(l, "", line, width);
		free(line);
	}
	head(l, "Who knows it (as mahoraga expertise ranks them, with the bus factor)");
	store_expertise_list k;
	if (store_risk_knowers(db, repo, path, &k) < 0) {
		add_wrapped(l, "  ", store_error(db), width);
		return;
	}
	if (!k.n)
		add_wrapped(l, "  ", "Not saved yet: the worker saves it when it next computes the bus factor. "
				     "`mahoraga expertise --repo CLONE PATH` shows it now.", width);
	else
		add(l, "   score  commits  lines  last change  who");
	for (size_t i = 0; i < k.n; i++) {
		char when[16] = "-";
		time_t t = (time_t)k.v[i].last_commit;
		if (t)
			strftime(when, sizeof(when), "%Y-%m-%d", gmtime(&t));
		char *line = xasprintf("  %6.1f  %7d  %5d  %-11s  %s", k.v[i].score, k.v[i].commits, k.v[i].lines_owned,
				       when, ui_person(d, k.v[i].email));
		add_wrapped(l, "", line, width);
		free(line);
	}
	store_expertise_list_free(&k);
}

void ui_lines_free(struct ui_lines *l)
{
	xfree_strings(l->v, l->n);
	memset(l, 0, sizeof(*l));
}

void ui_detail_build(struct ui_lines *l, store *db, const config *cfg, int64_t issue_id, int width)
{
	ui_lines_free(l);
	store_issue is;
	store_issue_init(&is);
	store_decision d;
	store_decision_init(&d);
	if (store_issue_by_id(db, issue_id, &is) != 1) {
		add(l, "This issue is no longer in the database.");
		return;
	}
	char *top = xasprintf("%c#%d %s", UI_LINE_HEAD, is.number, is.title ? is.title : "");
	add(l, top);
	free(top);
	if (is.url)
		add(l, is.url);
	add(l, "");
	json_t *j = NULL;
	if (store_decision_latest(db, issue_id, &d) == 1 && d.full_json)
		j = json_loads(d.full_json, 0, NULL);
	if (j) {
		json_t *as = json_object_get(j, "assignee");
		/* who has it now: a person's reassignment or human triage since the
		 * decision is what holds, not what the machine proposed */
		store_assignment now;
		store_assignment_init(&now);
		int open = store_assignment_open(db, issue_id, &now);
		const char *proposed = json_is_object(as) ? jstr(as, "email") : NULL;
		const char *route = jstr(j, "route") ? jstr(j, "route") : "?";
		long long conf = (long long)json_integer_value(json_object_get(j, "confidence"));
		char *line;
		if (open == 1 && (!proposed || strcmp(now.assignee_email, proposed) != 0))
			line = xasprintf("assigned to %s by hand (the triage said: route %s, confidence %lld, %s)",
					 now.assignee_email, route, conf, proposed ? proposed : "nobody");
		else if (open == 0 && proposed)
			line = xasprintf("route %s, confidence %lld, assignee nobody now (the triage proposed %s)", route,
					 conf, proposed);
		else
			line = xasprintf("route %s, confidence %lld, assignee %s", route, conf,
					 open == 1 ? now.assignee_email : "nobody");
		store_assignment_free(&now);
		add_wrapped(l, "", line, width);
		free(line);
		add_history(l, db, issue_id, width); /* what people did comes before what the machine thought */
		head(l, "Reasoning");
		add_wrapped(l, "  ", jstr(j, "reasoning"), width);
		const char *et = jstr(j, "error_type"), *em = jstr(j, "error_message");
		if (et) {
			head(l, "Error");
			char *e = xasprintf("  %s (%s)%s%s", et, jstr(j, "language"), em ? ": " : "", em ? em : "");
			add_wrapped(l, "", e, width);
			free(e);
		}
		json_t *frames = json_object_get(j, "frames"), *app = json_object_get(j, "app_frame");
		if (json_array_size(frames)) {
			head(l, "Frames (* the one to blame)");
			size_t i;
			json_t *f;
			json_array_foreach(frames, i, f) {
				bool blamed = json_is_object(app) && json_equal(json_object_get(f, "file"), json_object_get(app, "file")) &&
					      json_equal(json_object_get(f, "line"), json_object_get(app, "line"));
				const char *rp = jstr(f, "repo_path");
				char *fl = xasprintf("%s%s %s %s:%lld%s%s", blamed ? "\002" : "", blamed ? "*" : " ",
						     jstr(f, "function") ? jstr(f, "function") : "",
						     rp ? rp : jstr(f, "file") ? jstr(f, "file") : "?",
						     (long long)json_integer_value(json_object_get(f, "line")),
						     json_is_true(json_object_get(f, "in_app")) ? "" : "  (library)", "");
				add(l, fl);
				free(fl);
			}
		}
		json_t *cands = json_object_get(j, "candidates");
		if (json_array_size(cands)) {
			head(l, "Candidates");
			size_t i;
			json_t *c;
			json_array_foreach(cands, i, c) {
				strbuf sb = STRBUF_INIT;
				/* the chance the model gives them; decisions stored before
				 * the ranking had one show their score */
				json_t *chance = json_object_get(c, "chance");
				const char *email = jstr(c, "email"), *name = jstr(c, "name");
				if (chance)
					strbuf_addf(&sb, "%4.0f%%  ", json_number_value(chance) * 100);
				else
					strbuf_addf(&sb, "%5.1f  ", json_number_value(json_object_get(c, "score")));
				/* people by name, as the panes name them */
				if (name && *name && email && strcmp(name, email) != 0)
					strbuf_addf(&sb, "%s <%s>", name, email);
				else
					strbuf_addstr(&sb, email ? email : "?");
				size_t k;
				json_t *r;
				json_array_foreach(json_object_get(c, "reasons"), k, r)
					strbuf_addf(&sb, "%s%s", k ? ", " : ": ", json_string_value(r));
				/* all the reasons, wrapped: they are what the score is made of */
				add_wrapped(l, "  ", sb.buf, width);
				strbuf_release(&sb);
			}
		}
		if (jstr(j, "explanation")) {
			head(l, "Explanation");
			add_wrapped(l, "  ", jstr(j, "explanation"), width);
			/* whose words they are: a model's (checked), or the rules' and why */
			json_t *an = json_object_get(j, "analyzer");
			char *by = jstr(an, "why") ? xasprintf("(the rules' words; %s)", jstr(an, "why"))
				 : jstr(an, "name") && strcmp(jstr(an, "name"), "llm") == 0
					 ? xstrdup("(the LLM's words, checked: known files, bounded, no control characters)")
					 : NULL;
			if (by)
				add_wrapped(l, "  ", by, width);
			free(by);
		}
		json_t *draft = json_object_get(j, "draft_fix");
		if (json_is_object(draft)) {
			char *t = xasprintf("Draft on %s (A approves, X rejects)", jstr(draft, "branch"));
			head(l, t);
			free(t);
			add_wrapped(l, "  ", jstr(draft, "diff"), width);
		}
		if (json_is_object(app))
			add_source(l, db, cfg, is.repo_id, jstr(app, "repo_path"),
				   (long)json_integer_value(json_object_get(app, "line")));
	} else {
		add(l, "No decision yet.");
		add_history(l, db, issue_id, width);
	}
	head(l, "Issue text");
	add_wrapped(l, "  ", is.body, width);
	if (j) {
		/* what it says (or, writing off, would say) on GitHub */
		head(l, config_bool(cfg, CFG_GITHUB_WRITE) ? "Comment on GitHub (github.write is on)"
							     : "Comment for GitHub (not posted: github.write is off)");
		char *md = comment_markdown(j, db);
		add_wrapped(l, "  ", md, width);
		free(md);
		json_decref(j);
	}
	store_decision_free(&d);
	store_issue_free(&is);
}
