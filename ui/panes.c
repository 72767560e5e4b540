/* The four panes' contents (see ui_internal.h). Rows come through the pane's
 * filter: p->vis holds the data indexes shown, p->selected indexes into it. */
#include <stdio.h>
#include <string.h>

#include "manual.h"
#include "ui_internal.h"

static void row_attr(WINDOW *w, const struct pane *p, size_t i, bool on)
{
	if (i == p->selected)
		on ? wattron(w, A_REVERSE) : wattroff(w, A_REVERSE);
}

/* First visible row shown so that the selection is on screen. */
static size_t first_row(const struct pane *p, int rows)
{
	if (rows <= 0)
		return 0;
	return p->selected >= (size_t)rows ? p->selected - (size_t)rows + 1 : 0;
}

static bool empty(WINDOW *w, const struct pane *p, const char *why)
{
	if (p->nvis)
		return false;
	ui_put(w, p->y + 1, p->x + 1, p->filter[0] ? "nothing matches the filter" : why, p->w - 2);
	return true;
}

void ui_draw_load(WINDOW *w, const struct pane *p, const struct ui_data *d, bool color, bool big)
{
	int rows = p->h - 2, inner = p->w - 2;
	if (empty(w, p, "no open assignments"))
		return;
	int max = 1;
	for (size_t i = 0; i < d->load.n; i++)
		if (d->load.v[i].open > max)
			max = d->load.v[i].open;
	/* a wall screen with room gives each person a bar two rows high */
	int per = big && rows >= 2 * (int)p->nvis ? 2 : 1;
	int name_w = inner / 2 > 24 ? 24 : inner / 2;
	int bar_w = inner - name_w - 6;
	size_t top = first_row(p, rows / per);
	for (int r = 0; r * per < rows && top + (size_t)r < p->nvis; r++) {
		const store_load_item *it = &d->load.v[p->vis[top + (size_t)r]];
		bool over = d->overload_limit > 0 && it->open > d->overload_limit;
		int y = p->y + 1 + r * per;
		row_attr(w, p, top + (size_t)r, true);
		ui_put(w, y, p->x + 1, it->name ? it->name : it->email, name_w);
		row_attr(w, p, top + (size_t)r, false);
		int len = bar_w > 0 ? it->open * bar_w / max : 0;
		if (len < 1 && bar_w > 0 && it->open)
			len = 1;
		for (int k = 0; k < per; k++) {
			/* solid in color; in monochrome the character says which is which */
			if (color)
				wattron(w, COLOR_PAIR(over ? C_WARN : C_BAR) | A_REVERSE);
			for (int c = 0; c < len; c++)
				mvwaddch(w, y + k, p->x + 1 + name_w + 1 + c, color ? ' ' : over ? '!' : '#');
			if (color)
				wattroff(w, COLOR_PAIR(over ? C_WARN : C_BAR) | A_REVERSE);
		}
		char n[32];
		snprintf(n, sizeof(n), "%d%s", it->open, over ? " over limit" : "");
		if (over && color)
			wattron(w, COLOR_PAIR(C_WARN) | A_BOLD);
		ui_put(w, y, p->x + 1 + name_w + 1 + len + 1, n, inner - name_w - len - 2);
		if (over && color)
			wattroff(w, COLOR_PAIR(C_WARN) | A_BOLD);
	}
}

void ui_draw_feed(WINDOW *w, const struct pane *p, const struct ui_data *d, bool color, bool big)
{
	(void)big;
	int rows = p->h - 2, inner = p->w - 2;
	if (empty(w, p, "no decisions yet: the worker triages the inboxes"))
		return;
	time_t now = time(NULL);
	size_t top = first_row(p, rows);
	for (int r = 0; r < rows && top + (size_t)r < p->nvis; r++) {
		size_t row = p->vis[top + (size_t)r];
		const store_feed_item *it = &d->feed.v[row];
		char head[16], tail[160], age[16], route[16], title[600];
		snprintf(head, sizeof(head), "#%d", it->number);
		/* the repeats folded into this issue are counted after its title */
		if (!d->unfold && d->folded && d->folded[row])
			snprintf(title, sizeof(title), "(+%zu) %s", d->folded[row], it->title ? it->title : "");
		else
			snprintf(title, sizeof(title), "%s", it->title ? it->title : "");
		ui_age((time_t)it->decided_at, now, age, sizeof(age));
		/* what a person did replaces what the machine proposed */
		snprintf(route, sizeof(route), "%s", it->manual ? manual_kind_label(it->manual) : it->route);
		/* narrow panes keep the title readable: the assignee goes first */
		if (inner >= 90) {
			/* a fixed-width column for "dup of": unfolded repeats keep
			 * their columns where the other rows have them */
			char dup[24] = "";
			if (it->duplicate_of)
				snprintf(dup, sizeof(dup), "dup of %s", it->duplicate_of);
			snprintf(tail, sizeof(tail), " %-10s %3.0f %-24.24s %4s %-14.14s", route, it->confidence,
				 it->assignee ? it->assignee : "-", age, dup);
		} else {
			snprintf(tail, sizeof(tail), " %-8.8s %3.0f %4s", route, it->confidence, age);
		}
		int tl = (int)strlen(tail);
		/* too narrow for both: the title stays, the columns go */
		if (inner - 7 - tl < 12) {
			snprintf(tail, sizeof(tail), " %3.0f", it->confidence);
			tl = (int)strlen(tail);
			if (inner - 7 - tl < 8) {
				tail[0] = '\0';
				tl = 0;
			}
		}
		int title_w = inner - 7 - tl;
		int y = p->y + 1 + r;
		row_attr(w, p, top + (size_t)r, true);
		mvwhline(w, y, p->x + 1, ' ', inner);
		mvwaddstr(w, y, p->x + 1, head);
		ui_put(w, y, p->x + 8, title, title_w);
		bool warn = strcmp(route, "human") == 0 || (it->manual && strcmp(it->manual, "human") == 0);
		if (color && warn)
			wattron(w, COLOR_PAIR(C_WARN));
		if (title_w > 0)
			mvwaddstr(w, y, p->x + 8 + title_w, tail);
		if (color && warn)
			wattroff(w, COLOR_PAIR(C_WARN));
		row_attr(w, p, top + (size_t)r, false);
	}
}

void ui_draw_risk(WINDOW *w, const struct pane *p, const struct ui_data *d, bool color, bool big)
{
	(void)big;
	int rows = p->h - 2, inner = p->w - 2;
	if (empty(w, p, "no single-owner files (or no history indexed yet)"))
		return;
	size_t top = first_row(p, rows);
	for (int r = 0; r < rows && top + (size_t)r < p->nvis; r++) {
		const store_risk_row *it = &d->risk.v[p->vis[top + (size_t)r]];
		char tail[160];
		/* the share first: it is what says how risky, and narrow panes cut the end */
		snprintf(tail, sizeof(tail), " %3.0f%% %s%s%s", it->share, it->owner ? it->owner : NOBODY_ACTIVE,
			 it->partner ? " -> " : "", it->partner ? it->partner : "");
		int y = p->y + 1 + r;
		row_attr(w, p, top + (size_t)r, true);
		mvwhline(w, y, p->x + 1, ' ', inner);
		if (color && it->critical)
			wattron(w, COLOR_PAIR(C_WARN));
		mvwaddstr(w, y, p->x + 1, it->critical ? "!" : " ");
		int path_w = inner / 2;
		ui_put_tail(w, y, p->x + 2, it->path, path_w - 1);
		if (color && it->critical)
			wattroff(w, COLOR_PAIR(C_WARN));
		ui_put(w, y, p->x + 1 + path_w, tail, inner - path_w);
		row_attr(w, p, top + (size_t)r, false);
	}
}

void ui_draw_settings(WINDOW *w, const struct pane *p, const struct ui_data *d, bool color, bool big)
{
	(void)big;
	int rows = p->h - 2, inner = p->w - 2;
	if (empty(w, p, "no settings"))
		return;
	size_t top = first_row(p, rows);
	int key_w = inner > 60 ? 26 : inner / 2;
	for (int r = 0; r < rows && top + (size_t)r < p->nvis; r++) {
		size_t i = p->vis[top + (size_t)r];
		int y = p->y + 1 + r;
		row_attr(w, p, top + (size_t)r, true);
		mvwhline(w, y, p->x + 1, ' ', inner);
		if (i < d->nsettings) {
			ui_put(w, y, p->x + 1, d->settings[i].key, key_w);
			ui_put(w, y, p->x + 1 + key_w, d->settings[i].value, inner - key_w);
		} else {
			/* a person: name, then login, Slack id, emails; inactive dimmed */
			const store_user *u = &d->users.v[i - d->nsettings];
			char key[96], value[512];
			snprintf(key, sizeof(key), "user %s", u->display_name);
			int k = snprintf(value, sizeof(value), "%s%s%s%s%s", u->active ? "" : "(inactive) ",
					 u->login ? "@" : "", u->login ? u->login : "", u->slack_id ? " slack:" : "",
					 u->slack_id ? u->slack_id : "");
			for (size_t e = 0; e < u->n_emails && k > 0 && (size_t)k < sizeof(value); e++)
				k += snprintf(value + k, sizeof(value) - (size_t)k, " %s", u->emails[e]);
			if (color && !u->active)
				wattron(w, COLOR_PAIR(C_DIM));
			ui_put(w, y, p->x + 1, key, key_w);
			ui_put(w, y, p->x + 1 + key_w, value, inner - key_w);
			if (color && !u->active)
				wattroff(w, COLOR_PAIR(C_DIM));
		}
		row_attr(w, p, top + (size_t)r, false);
	}
}
