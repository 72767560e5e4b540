/* The team: the users table, one person a row (name, login, Slack, e-mails),
 * the inactive dimmed. */
#include <stdio.h>

#include "ui_internal.h"

static size_t rows(const struct ui_data *d) { return d->users.n; }

/* "@login slack:U1 a@x b@y", "(inactive) " first for someone gone */
static void details(const store_user *u, char *buf, size_t n)
{
	int k = snprintf(buf, n, "%s%s%s%s%s", u->active ? "" : "(inactive) ", u->login ? "@" : "",
			 u->login ? u->login : "", u->slack_id ? " slack:" : "", u->slack_id ? u->slack_id : "");
	for (size_t e = 0; e < u->n_emails && k > 0 && (size_t)k < n; e++)
		k += snprintf(buf + k, n - (size_t)k, " %s", u->emails[e]);
}

static void row_text(const struct ui_data *d, size_t row, char *buf, size_t n)
{
	char more[512];
	details(&d->users.v[row], more, sizeof(more));
	snprintf(buf, n, "%s %s", d->users.v[row].display_name, more);
}

static int name_width(int inner) { return inner > 60 ? 26 : inner / 2; }

static void header(const struct ui_data *d, int inner, char *buf, size_t n)
{
	(void)d;
	snprintf(buf, n, "%-*s%s", name_width(inner), "name", "login, Slack, e-mails");
}

static void draw(WINDOW *w, const struct pane *p, const struct ui_data *d, int y0, int x, int rows, int inner,
		 bool color, bool big)
{
	(void)big;
	int name_w = name_width(inner);
	for (int r = 0; r < rows && p->top + (size_t)r < p->nvis; r++) {
		size_t shown = p->top + (size_t)r;
		const store_user *u = &d->users.v[p->vis[shown]];
		char more[512];
		details(u, more, sizeof(more));
		int y = y0 + r;
		ui_pane_row_attr(w, p, shown, true);
		mvwhline(w, y, x, ' ', inner);
		if (color && !u->active)
			wattron(w, COLOR_PAIR(C_DIM));
		ui_put(w, y, x, u->display_name, name_w);
		ui_put(w, y, x + name_w, more, inner - name_w);
		if (color && !u->active)
			wattroff(w, COLOR_PAIR(C_DIM));
		ui_pane_row_attr(w, p, shown, false);
	}
}

const struct pane_ops pane_people = {
	.title = "People",
	.column = 1, .height = 2, .wall_height = 1,
	.empty = "nobody yet: n adds a person, `mahoraga users import` a team",
	.rows = rows, .row_text = row_text, .header = header, .draw = draw, .enter = ui_act_edit_person, .enter_writes = true,
};
