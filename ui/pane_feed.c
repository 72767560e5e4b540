/* The live triage feed: the latest decision of each issue, newest first,
 * repeats folded into the issue they repeat. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "manual.h"
#include "ui_internal.h"

static size_t rows(const struct ui_data *d) { return d->feed.n; }

static void row_text(const struct ui_data *d, size_t row, char *buf, size_t n)
{
	const store_feed_item *it = &d->feed.v[row];
	/* what the row shows, and nothing it does not: a filter that matched
	 * hidden text would keep rows the user cannot tell apart */
	snprintf(buf, n, "#%d %s %s %.0f %s%s%s", it->number, it->title ? it->title : "",
		 it->manual ? manual_kind_label(it->manual) : it->route, it->confidence,
		 it->assignee ? ui_person(d, it->assignee) : "-", it->duplicate_of ? " dup of " : "",
		 it->duplicate_of ? it->duplicate_of : "");
}

static bool hidden(const struct ui_data *d, size_t row) { return !d->unfold && ui_feed_folded(d, row); }

/* The columns after the title, as wide as the pane allows: narrow panes keep
 * the title readable and drop columns from the end. A NULL item gives the
 * headings. Returns the title's width. */
static int columns(const store_feed_item *it, const char *who, const char *route, const char *age, int inner,
		   char *tail, size_t n)
{
	if (inner >= 90) {
		/* a fixed-width column for "dup of": unfolded repeats keep their
		 * columns where the other rows have them */
		char dup[24] = "";
		if (it && it->duplicate_of)
			snprintf(dup, sizeof(dup), "dup of %s", it->duplicate_of);
		if (it)
			snprintf(tail, n, " %-10s %3.0f %-24.24s %4s %-14.14s", route, it->confidence, who ? who : "-",
				 age, dup);
		else
			snprintf(tail, n, " %-10s %3s %-24.24s %4s %-14.14s", "route", "%", "assignee", "age", "repeats");
	} else if (it) {
		snprintf(tail, n, " %-8.8s %3.0f %4s", route, it->confidence, age);
	} else {
		snprintf(tail, n, " %-8.8s %3s %4s", "route", "%", "age");
	}
	int tl = (int)strlen(tail);
	/* too narrow for both: the title stays, the columns go */
	if (inner - 7 - tl < 12) {
		if (it)
			snprintf(tail, n, " %3.0f", it->confidence);
		else
			snprintf(tail, n, " %3s", "%");
		tl = (int)strlen(tail);
		if (inner - 7 - tl < 8) {
			tail[0] = '\0';
			tl = 0;
		}
	}
	return inner - 7 - tl;
}

static void header(const struct ui_data *d, int inner, char *buf, size_t n)
{
	(void)d;
	char tail[160];
	int title_w = columns(NULL, NULL, NULL, NULL, inner, tail, sizeof(tail));
	snprintf(buf, n, "%-6s %-*s%s", "issue", title_w > 0 ? title_w : 0, title_w > 0 ? "title" : "", tail);
}

static void draw(WINDOW *w, const struct pane *p, const struct ui_data *d, int y0, int x, int rows, int inner,
		 bool color, bool big)
{
	(void)big;
	for (int r = 0; r < rows && p->top + (size_t)r < p->nvis; r++) {
		size_t shown = p->top + (size_t)r, row = p->vis[shown];
		const store_feed_item *it = &d->feed.v[row];
		char head[16], tail[160], age[16], route[16], title[600];
		snprintf(head, sizeof(head), "#%d", it->number);
		/* the repeats folded into this issue are counted after its title */
		if (!d->unfold && d->folded && d->folded[row])
			snprintf(title, sizeof(title), "(+%zu) %s", d->folded[row], it->title ? it->title : "");
		else
			snprintf(title, sizeof(title), "%s", it->title ? it->title : "");
		ui_age((time_t)it->decided_at, d->now, age, sizeof(age));
		/* what a person did replaces what the machine proposed */
		snprintf(route, sizeof(route), "%s", it->manual ? manual_kind_label(it->manual) : it->route);
		int title_w = columns(it, ui_person(d, it->assignee), route, age, inner, tail, sizeof(tail));
		int y = y0 + r;
		ui_pane_row_attr(w, p, shown, true);
		mvwhline(w, y, x, ' ', inner);
		mvwaddstr(w, y, x, head);
		ui_put(w, y, x + 7, title, title_w);
		bool warn = strcmp(route, "human") == 0 || (it->manual && strcmp(it->manual, "human") == 0);
		if (color && warn)
			wattron(w, COLOR_PAIR(C_WARN));
		if (title_w > 0)
			mvwaddstr(w, y, x + 7 + title_w, tail);
		if (color && warn)
			wattroff(w, COLOR_PAIR(C_WARN));
		ui_pane_row_attr(w, p, shown, false);
	}
}

static void count(const struct ui_data *d, size_t total, char *buf, size_t n)
{
	size_t folded = 0;
	for (size_t k = 0; !d->unfold && k < d->feed.n; k++)
		folded += d->folded[k];
	if (folded)
		snprintf(buf, n, "%zu, %zu folded", total, folded);
	else
		snprintf(buf, n, "%zu", total);
}

static const char *const sorts[] = { "newest", "confidence", "route", "assignee", NULL };

static int compare(const struct ui_data *d, size_t a, size_t b, int how)
{
	const store_feed_item *x = &d->feed.v[a], *y = &d->feed.v[b];
	if (how == 1) /* the surest first */
		return (y->confidence > x->confidence) - (y->confidence < x->confidence);
	if (how == 2)
		return strcmp(x->manual ? manual_kind_label(x->manual) : x->route,
			      y->manual ? manual_kind_label(y->manual) : y->route);
	const char *p = x->assignee ? ui_person(d, x->assignee) : "", *q = y->assignee ? ui_person(d, y->assignee) : "";
	/* nobody last */
	return !*p - !*q ? !*p - !*q : strcasecmp(p, q);
}

/* Enter on an issue: the issue view */
static void enter(struct ui *u, size_t row) { ui_issue_open(u, u->data.feed.v[row].issue_id); }

const struct pane_ops pane_feed = {
	.title = "Triage feed",
	.column = 1, .height = 6, .wall_height = 6,
	.empty = "no decisions yet: the worker triages the inboxes",
	.rows = rows, .row_text = row_text, .header = header, .draw = draw, .hidden = hidden,
	.count = count, .fresh = ui_worker_fresh, .enter = enter, .sorts = sorts, .compare = compare,
};
