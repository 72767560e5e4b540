/* The four panes' contents (see ui_internal.h). */
#include <stdio.h>
#include <string.h>

#include "ui_internal.h"

static void row_attr(WINDOW *w, const struct pane *p, size_t i, bool on)
{
	if (i == p->selected)
		on ? wattron(w, A_REVERSE) : wattroff(w, A_REVERSE);
}

/* First row shown so that the selection is visible. */
static size_t first_row(const struct pane *p, int rows)
{
	if (rows <= 0)
		return 0;
	return p->selected >= (size_t)rows ? p->selected - (size_t)rows + 1 : 0;
}

void ui_draw_load(WINDOW *w, const struct pane *p, const struct ui_data *d, bool color)
{
	int rows = p->h - 2, inner = p->w - 2;
	if (!d->load.n) {
		ui_put(w, p->y + 1, p->x + 1, "no open assignments", inner);
		return;
	}
	int max = 1;
	for (size_t i = 0; i < d->load.n; i++)
		if (d->load.v[i].open > max)
			max = d->load.v[i].open;
	int name_w = inner / 2 > 24 ? 24 : inner / 2;
	int bar_w = inner - name_w - 6;
	size_t top = first_row(p, rows);
	for (int r = 0; r < rows && top + (size_t)r < d->load.n; r++) {
		const store_load_item *it = &d->load.v[top + (size_t)r];
		bool over = d->overload_limit > 0 && it->open > d->overload_limit;
		row_attr(w, p, top + (size_t)r, true);
		ui_put(w, p->y + 1 + r, p->x + 1, it->email, name_w);
		row_attr(w, p, top + (size_t)r, false);
		int len = bar_w > 0 ? it->open * bar_w / max : 0;
		if (color)
			wattron(w, COLOR_PAIR(over ? C_WARN : C_BAR));
		for (int k = 0; k < len; k++)
			mvwaddch(w, p->y + 1 + r, p->x + 1 + name_w + 1 + k, over ? '!' : '#');
		if (color)
			wattroff(w, COLOR_PAIR(over ? C_WARN : C_BAR));
		char n[16];
		snprintf(n, sizeof(n), "%d%s", it->open, over ? "!" : "");
		mvwaddstr(w, p->y + 1 + r, p->x + 1 + name_w + 1 + (len > 0 ? len : 0) + 1, n);
	}
}

void ui_draw_feed(WINDOW *w, const struct pane *p, const struct ui_data *d, bool color)
{
	int rows = p->h - 2, inner = p->w - 2;
	if (!d->feed.n) {
		ui_put(w, p->y + 1, p->x + 1, "no decisions yet: the worker triages the inboxes", inner);
		return;
	}
	time_t now = time(NULL);
	size_t top = first_row(p, rows);
	for (int r = 0; r < rows && top + (size_t)r < d->feed.n; r++) {
		const store_feed_item *it = &d->feed.v[top + (size_t)r];
		char head[64], tail[96], age[16];
		snprintf(head, sizeof(head), "#%d", it->number);
		ui_age((time_t)it->decided_at, now, age, sizeof(age));
		/* narrow panes keep the title readable: the assignee goes first */
		if (inner >= 90)
			snprintf(tail, sizeof(tail), " %-9s %3.0f %-24.24s %4s%s%s", it->route, it->confidence,
				 it->assignee ? it->assignee : "-", age, it->duplicate_of ? " dup of " : "",
				 it->duplicate_of ? it->duplicate_of : "");
		else
			snprintf(tail, sizeof(tail), " %-6.6s %3.0f %4s", it->route, it->confidence, age);
		int tl = (int)strlen(tail);
		int title_w = inner - 7 - tl;
		row_attr(w, p, top + (size_t)r, true);
		mvwaddstr(w, p->y + 1 + r, p->x + 1, head);
		ui_put(w, p->y + 1 + r, p->x + 8, it->title, title_w);
		if (color && strcmp(it->route, "human") == 0)
			wattron(w, COLOR_PAIR(C_WARN));
		if (title_w > 0)
			mvwaddstr(w, p->y + 1 + r, p->x + 8 + title_w, tail);
		if (color)
			wattroff(w, COLOR_PAIR(C_WARN));
		row_attr(w, p, top + (size_t)r, false);
	}
}

void ui_draw_risk(WINDOW *w, const struct pane *p, const struct ui_data *d, bool color)
{
	int rows = p->h - 2, inner = p->w - 2;
	if (!d->nrisk) {
		ui_put(w, p->y + 1, p->x + 1, "no single-owner files (or no history indexed yet)", inner);
		return;
	}
	size_t top = first_row(p, rows);
	for (int r = 0; r < rows && top + (size_t)r < d->nrisk; r++) {
		const struct risk_row *it = &d->risk[top + (size_t)r];
		char tail[128];
		snprintf(tail, sizeof(tail), " %s %3.0f%%%s%s", it->owner, it->share,
			 it->partner ? " -> " : "", it->partner ? it->partner : "");
		row_attr(w, p, top + (size_t)r, true);
		if (color && it->critical)
			wattron(w, COLOR_PAIR(C_WARN));
		mvwaddstr(w, p->y + 1 + r, p->x + 1, it->critical ? "!" : " ");
		int path_w = inner / 2;
		ui_put(w, p->y + 1 + r, p->x + 2, it->path, path_w - 1);
		if (color && it->critical)
			wattroff(w, COLOR_PAIR(C_WARN));
		ui_put(w, p->y + 1 + r, p->x + 1 + path_w, tail, inner - path_w);
		row_attr(w, p, top + (size_t)r, false);
	}
}

void ui_draw_settings(WINDOW *w, const struct pane *p, const struct ui_data *d, bool color)
{
	(void)color;
	int rows = p->h - 2, inner = p->w - 2;
	size_t top = first_row(p, rows);
	int key_w = inner > 60 ? 26 : inner / 2;
	for (int r = 0; r < rows && top + (size_t)r < d->nsettings; r++) {
		const struct setting_row *s = &d->settings[top + (size_t)r];
		row_attr(w, p, top + (size_t)r, true);
		ui_put(w, p->y + 1 + r, p->x + 1, s->key, key_w);
		ui_put(w, p->y + 1 + r, p->x + 1 + key_w, s->value, inner - key_w);
		row_attr(w, p, top + (size_t)r, false);
	}
}
