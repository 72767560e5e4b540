/* What every pane shares: the list of panes, the filter, the selection. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui_internal.h"
#include "xalloc.h"

const struct pane_ops *const ui_panes[N_PANES] = {
#define PANE(id, ops) [id] = &ops,
#include "panes.def"
#undef PANE
};

struct sort_ctx {
	const struct pane *p;
	const struct ui_data *d;
};

static int by_order(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *c = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int r = c->p->ops->compare(c->d, x, y, c->p->sort);
	return r ? r : (x > y) - (x < y); /* ties keep the rows' own order */
}

void ui_pane_filter(struct pane *p, const struct ui_data *d)
{
	size_t total = p->ops->rows(d);
	p->vis = xrealloc(p->vis, (total ? total : 1) * sizeof(*p->vis));
	p->nvis = 0;
	bool invert = p->filter[0] == '!';
	const char *needle = invert ? p->filter + 1 : p->filter;
	char text[1024];
	for (size_t i = 0; i < total; i++) {
		bool keep = true;
		if (p->ops->hidden && p->ops->hidden(d, i))
			continue;
		if (*needle) {
			p->ops->row_text(d, i, text, sizeof(text));
			keep = (strcasestr(text, needle) != NULL) != invert;
		}
		if (keep)
			p->vis[p->nvis++] = i;
	}
	if (p->sort > 0 && p->ops->compare) {
		struct sort_ctx c = { p, d };
		qsort_r(p->vis, p->nvis, sizeof(*p->vis), by_order, &c);
	}
	if (p->selected >= p->nvis)
		p->selected = p->nvis ? p->nvis - 1 : 0;
}

bool ui_pane_current(const struct pane *p, size_t *row)
{
	if (p->selected >= p->nvis)
		return false;
	*row = p->vis[p->selected];
	return true;
}

void ui_pane_row_attr(WINDOW *w, const struct pane *p, size_t i, bool on)
{
	if (i == p->selected)
		on ? wattron(w, A_REVERSE) : wattroff(w, A_REVERSE);
}
