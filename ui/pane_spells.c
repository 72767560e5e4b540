/* Spells a language model proposed when no spell matched an error, waiting
 * for a person: Enter accepts one into their spells or rejects it. None is
 * used before it is accepted. */
#include <stdio.h>
#include <string.h>

#include "ui_internal.h"

static size_t rows(const struct ui_data *d) { return d->proposals.n; }

/* The value of "key: value" in the spell's text, into buf ("" when none). */
static void field(const char *text, const char *key, char *buf, size_t n)
{
	size_t k = strlen(key);
	buf[0] = '\0';
	/* the header's lines, up to the "---" before the explanation */
	for (const char *p = text; p && *p && strncmp(p, "---", 3) != 0;) {
		if (strncmp(p, key, k) == 0 && p[k] == ':') {
			const char *v = p + k + 1 + strspn(p + k + 1, " ");
			snprintf(buf, n, "%.*s", (int)strcspn(v, "\n#"), v);
			return;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
}

static void row_text(const struct ui_data *d, size_t row, char *buf, size_t n)
{
	const store_proposal *p = &d->proposals.v[row];
	char title[160], error[80];
	field(p->text, "title", title, sizeof(title));
	field(p->text, "error", error, sizeof(error));
	snprintf(buf, n, "%-28s %-18s %s", p->spell_id, error, title);
}

static void header(const struct ui_data *d, int inner, char *buf, size_t n)
{
	(void)d;
	(void)inner;
	snprintf(buf, n, "%-28s %-18s %s", "spell", "error", "title");
}

static void draw(WINDOW *w, const struct pane *p, const struct ui_data *d, int y0, int x, int rows, int inner,
		 bool color, bool big)
{
	(void)color;
	(void)big;
	for (int r = 0; r < rows && p->top + (size_t)r < p->nvis; r++) {
		size_t shown = p->top + (size_t)r;
		char line[512];
		row_text(d, p->vis[shown], line, sizeof(line));
		ui_pane_row_attr(w, p, shown, true);
		mvwhline(w, y0 + r, x, ' ', inner);
		/* the model wrote it: ui_put cleans it like every outside text */
		ui_put(w, y0 + r, x, line, inner);
		ui_pane_row_attr(w, p, shown, false);
	}
}

const struct pane_ops pane_spells = {
	.title = "Spell proposals",
	.column = 0, .height = 1, .wall_height = 0,
	.empty = "none: with llm.* set, a model proposes a spell when none matches",
	.rows = rows, .row_text = row_text, .header = header, .draw = draw, .enter = ui_act_decide_spell,
	.enter_writes = true,
};
