/* The bus-factor risk: files that only one active person understands, as the
 * worker saved them with the index. */
#include <stdio.h>
#include <string.h>

#include "ui_internal.h"

static size_t rows(const struct ui_data *d) { return d->risk.n; }

static void row_text(const struct ui_data *d, size_t row, char *buf, size_t n)
{
	const store_risk_row *it = &d->risk.v[row];
	snprintf(buf, n, "%s %s %.0f%% %s%s%s", it->critical ? "!" : "", it->path, it->share,
		 it->owner ? ui_person(d, it->owner) : NOBODY_ACTIVE, it->partner ? " -> " : "",
		 it->partner ? ui_person(d, it->partner) : "");
}

static void header(const struct ui_data *d, int inner, char *buf, size_t n)
{
	(void)d;
	snprintf(buf, n, " %-*s %s", inner / 2 - 1, "file", "share owner -> partner");
}

static void draw(WINDOW *w, const struct pane *p, const struct ui_data *d, int y0, int x, int rows, int inner,
		 bool color, bool big)
{
	(void)big;
	for (int r = 0; r < rows && p->top + (size_t)r < p->nvis; r++) {
		size_t shown = p->top + (size_t)r;
		const store_risk_row *it = &d->risk.v[p->vis[shown]];
		char tail[160];
		/* the share first: it is what says how risky, and narrow panes cut the end */
		snprintf(tail, sizeof(tail), " %3.0f%% %s%s%s", it->share,
			 it->owner ? ui_person(d, it->owner) : NOBODY_ACTIVE, it->partner ? " -> " : "",
			 it->partner ? ui_person(d, it->partner) : "");
		int y = y0 + r;
		ui_pane_row_attr(w, p, shown, true);
		mvwhline(w, y, x, ' ', inner);
		if (color && it->critical)
			wattron(w, COLOR_PAIR(C_WARN));
		mvwaddstr(w, y, x, it->critical ? "!" : " ");
		int path_w = inner / 2;
		ui_put_tail(w, y, x + 1, it->path, path_w - 1);
		if (color && it->critical)
			wattroff(w, COLOR_PAIR(C_WARN));
		ui_put(w, y, x + path_w, tail, inner - path_w);
		ui_pane_row_attr(w, p, shown, false);
	}
}

static void count(const struct ui_data *d, size_t total, char *buf, size_t n)
{
	/* the worker saves the first 200 per repository: say there are more */
	if (d->risky > total)
		snprintf(buf, n, "first %zu of %zu", total, d->risky);
	else
		snprintf(buf, n, "%zu", total);
}

static const char *const sorts[] = { "risk", "share", "file", NULL };

static int compare(const struct ui_data *d, size_t a, size_t b, int how)
{
	const store_risk_row *x = &d->risk.v[a], *y = &d->risk.v[b];
	if (how == 1) /* one person's largest share first */
		return (y->share > x->share) - (y->share < x->share);
	return strcmp(x->path, y->path);
}

/* Enter on a file: who knows it */
static void enter(struct ui *u, size_t row) { ui_file_open(u, u->data.risk.v[row].repo, u->data.risk.v[row].path); }

const struct pane_ops pane_risk = {
	.title = "Bus-factor risk",
	.column = 0, .height = 2, .wall_height = 1,
	.empty = "no single-owner files (or no history indexed yet)",
	.rows = rows, .row_text = row_text, .header = header, .draw = draw, .count = count,
	.sorts = sorts, .compare = compare, .enter = enter,
};
