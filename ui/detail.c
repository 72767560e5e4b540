/* The issue view: everything the decision says about one feed item, scrollable.
 * Built from the store (the issue and its latest decision's JSON), never from git
 * or the network. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "ui_internal.h"
#include "xalloc.h"

static void add(struct ui_lines *l, const char *s)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = xstrdup(s ? s : "");
}

/* Text split at line breaks and wrapped at width columns (by bytes; the
 * drawing measures columns and cuts what still does not fit). */
static void add_wrapped(struct ui_lines *l, const char *indent, const char *text, int width)
{
	if (!text)
		return;
	int w = width - (int)strlen(indent);
	if (w < 10)
		w = 10;
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		while (n > (size_t)w) {
			size_t cut = (size_t)w;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (!cut)
				cut = (size_t)w;
			char *piece = xasprintf("%s%.*s", indent, (int)cut, p);
			add(l, piece);
			free(piece);
			p += cut;
			n -= cut;
			while (*p == ' ') {
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

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

void ui_lines_free(struct ui_lines *l)
{
	xfree_strings(l->v, l->n);
	memset(l, 0, sizeof(*l));
}

void ui_detail_build(struct ui_lines *l, store *db, int64_t issue_id, int width)
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
	char *head = xasprintf("#%d %s", is.number, is.title ? is.title : "");
	add(l, head);
	free(head);
	if (is.url)
		add(l, is.url);
	add(l, "");
	json_t *j = NULL;
	if (store_decision_latest(db, issue_id, &d) == 1 && d.full_json)
		j = json_loads(d.full_json, 0, NULL);
	if (j) {
		json_t *as = json_object_get(j, "assignee");
		char *line = xasprintf("route %s, confidence %lld, assignee %s", jstr(j, "route") ? jstr(j, "route") : "?",
				       (long long)json_integer_value(json_object_get(j, "confidence")),
				       json_is_object(as) ? jstr(as, "email") : "nobody");
		add(l, line);
		free(line);
		add(l, "");
		add(l, "Reasoning");
		add_wrapped(l, "  ", jstr(j, "reasoning"), width);
		const char *et = jstr(j, "error_type"), *em = jstr(j, "error_message");
		if (et) {
			add(l, "");
			char *e = xasprintf("Error (%s): %s%s%s", jstr(j, "language"), et, em ? ": " : "", em ? em : "");
			add_wrapped(l, "", e, width);
			free(e);
		}
		json_t *frames = json_object_get(j, "frames"), *app = json_object_get(j, "app_frame");
		if (json_array_size(frames)) {
			add(l, "");
			add(l, "Frames (* the one to blame)");
			size_t i;
			json_t *f;
			json_array_foreach(frames, i, f) {
				bool blamed = json_is_object(app) && json_equal(json_object_get(f, "file"), json_object_get(app, "file")) &&
					      json_equal(json_object_get(f, "line"), json_object_get(app, "line"));
				const char *rp = jstr(f, "repo_path");
				char *fl = xasprintf("%s %s %s:%lld%s%s", blamed ? "*" : " ",
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
			add(l, "");
			add(l, "Candidates");
			size_t i;
			json_t *c;
			json_array_foreach(cands, i, c) {
				strbuf sb = STRBUF_INIT;
				strbuf_addf(&sb, "  %6.1f  %s", json_number_value(json_object_get(c, "score")), jstr(c, "email"));
				size_t k;
				json_t *r;
				json_array_foreach(json_object_get(c, "reasons"), k, r)
					strbuf_addf(&sb, "%s%s", k ? ", " : ": ", json_string_value(r));
				add(l, sb.buf);
				strbuf_release(&sb);
			}
		}
		if (jstr(j, "explanation")) {
			add(l, "");
			add(l, "Explanation");
			add_wrapped(l, "  ", jstr(j, "explanation"), width);
		}
		json_t *draft = json_object_get(j, "draft_fix");
		if (json_is_object(draft)) {
			add(l, "");
			char *t = xasprintf("Draft on %s", jstr(draft, "branch"));
			add(l, t);
			free(t);
			add_wrapped(l, "  ", jstr(draft, "diff"), width);
		}
		json_decref(j);
	} else {
		add(l, "No decision yet.");
	}
	add(l, "");
	add(l, "Issue text");
	add_wrapped(l, "  ", is.body, width);
	store_decision_free(&d);
	store_issue_free(&is);
}
