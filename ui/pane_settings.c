/* The settings: every key with its value, each repository's clone and inbox,
 * and the ranking's measured calibrations (shown, not set). */
#include <stdio.h>

#include "ui_internal.h"

static size_t rows(const struct ui_data *d) { return d->nsettings; }

static void row_text(const struct ui_data *d, size_t row, char *buf, size_t n)
{
	snprintf(buf, n, "%s %s", d->settings[row].key, d->settings[row].value);
}

static int key_width(int inner) { return inner > 60 ? 26 : inner / 2; }

static void draw(WINDOW *w, const struct pane *p, const struct ui_data *d, int y0, int x, int rows, int inner,
		 bool color, bool big)
{
	(void)big;
	int key_w = key_width(inner);
	for (int r = 0; r < rows && p->top + (size_t)r < p->nvis; r++) {
		size_t shown = p->top + (size_t)r;
		const struct setting_row *s = &d->settings[p->vis[shown]];
		int y = y0 + r;
		ui_pane_row_attr(w, p, shown, true);
		mvwhline(w, y, x, ' ', inner);
		if (color && s->measured)
			wattron(w, COLOR_PAIR(C_DIM));
		ui_put(w, y, x, s->key, key_w);
		ui_put(w, y, x + key_w, s->value, inner - key_w);
		if (color && s->measured)
			wattroff(w, COLOR_PAIR(C_DIM));
		ui_pane_row_attr(w, p, shown, false);
	}
}

const struct pane_ops pane_settings = {
	.title = "Settings",
	.column = 1, .height = 2, .wall_height = 1,
	.empty = "no settings",
	.rows = rows, .row_text = row_text, .draw = draw, .enter = ui_act_edit_setting, .enter_writes = true,
};
