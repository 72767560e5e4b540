/* The team's load: open assignments per person, as bars, the whole team. */
#include <stdio.h>
#include <strings.h>
#include <time.h>

#include "ui_internal.h"

static size_t rows(const struct ui_data *d) { return d->load.n; }

static void row_text(const struct ui_data *d, size_t row, char *buf, size_t n)
{
	const store_load_item *it = &d->load.v[row];
	snprintf(buf, n, "%s %d", it->name ? it->name : it->email, it->open);
}

static int name_width(int inner) { return inner / 2 > 24 ? 24 : inner / 2; }

static void header(const struct ui_data *d, int inner, char *buf, size_t n)
{
	(void)d;
	snprintf(buf, n, "%-*s open", name_width(inner), "person");
}

static void draw(WINDOW *w, const struct pane *p, const struct ui_data *d, int y0, int x, int rows, int inner,
		 bool color, bool big)
{
	int max = 1;
	for (size_t i = 0; i < d->load.n; i++)
		if (d->load.v[i].open > max)
			max = d->load.v[i].open;
	/* a wall screen with room gives each person a bar two rows high */
	int per = big && rows >= 2 * (int)p->nvis ? 2 : 1;
	int name_w = name_width(inner);
	int bar_w = inner - name_w - 6;
	for (int r = 0; r * per < rows && p->top + (size_t)r < p->nvis; r++) {
		size_t shown = p->top + (size_t)r;
		const store_load_item *it = &d->load.v[p->vis[shown]];
		bool over = d->overload_limit > 0 && it->open > d->overload_limit;
		int y = y0 + r * per;
		ui_pane_row_attr(w, p, shown, true);
		ui_put(w, y, x, it->name ? it->name : it->email, name_w);
		ui_pane_row_attr(w, p, shown, false);
		int len = bar_w > 0 ? it->open * bar_w / max : 0;
		if (len < 1 && bar_w > 0 && it->open)
			len = 1;
		for (int k = 0; k < per; k++) {
			/* solid in color; in monochrome the character says which is which */
			if (color)
				wattron(w, COLOR_PAIR(over ? C_WARN : C_BAR) | A_REVERSE);
			for (int c = 0; c < len; c++)
				mvwaddch(w, y + k, x + name_w + 1 + c, color ? ' ' : over ? '!' : '#');
			if (color)
				wattroff(w, COLOR_PAIR(over ? C_WARN : C_BAR) | A_REVERSE);
		}
		char num[32];
		snprintf(num, sizeof(num), "%d%s", it->open, over ? " over limit" : "");
		if (over && color)
			wattron(w, COLOR_PAIR(C_WARN) | A_BOLD);
		ui_put(w, y, x + name_w + 1 + len + 1, num, inner - name_w - len - 2);
		if (over && color)
			wattroff(w, COLOR_PAIR(C_WARN) | A_BOLD);
	}
}

static const char *const sorts[] = { "most open", "name", NULL };

static int compare(const struct ui_data *d, size_t a, size_t b, int how)
{
	(void)how; /* the one other order: by name */
	const store_load_item *x = &d->load.v[a], *y = &d->load.v[b];
	return strcasecmp(x->name ? x->name : x->email, y->name ? y->name : y->email);
}

/* Enter on a person: the feed, filtered to their issues */
static void enter(struct ui *u, size_t row)
{
	struct pane *feed = &u->panes[PANE_FEED];
	/* the feed names people as this pane does */
	snprintf(feed->filter, sizeof(feed->filter), "%s", ui_person(&u->data, u->data.load.v[row].email));
	feed->selected = 0;
	ui_pane_filter(feed, &u->data);
	u->focus = PANE_FEED;
}

const struct pane_ops pane_load = {
	.title = "Team load",
	.column = 0, .height = 3, .wall_height = 3,
	.empty = "no open assignments",
	.rows = rows, .row_text = row_text, .header = header, .draw = draw, .fresh = ui_worker_fresh, .enter = enter,
	.sorts = sorts, .compare = compare,
};
