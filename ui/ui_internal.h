/* What the panes of the command center share; not part of its interface. */
#ifndef MAHORAGA_UI_INTERNAL_H
#define MAHORAGA_UI_INTERNAL_H

#include <curses.h>
#include <time.h>

#include "ui.h"

enum ui_color { C_NORMAL, C_TITLE, C_FOCUS, C_WARN, C_GOOD, C_DIM, C_BAR };

struct risk_row {
	char *repo, *path, *owner, *partner;
	double share;
	int critical;
};

struct setting_row {
	char *key, *value, *origin;
};

/* Everything drawn, loaded from the store. */
struct ui_data {
	store_feed feed;
	store_load load;
	struct risk_row *risk;
	size_t nrisk;
	struct setting_row *settings;
	size_t nsettings;
	time_t loaded_at;
	int overload_limit;
};

enum { PANE_LOAD, PANE_FEED, PANE_RISK, PANE_SETTINGS, N_PANES };

struct pane {
	const char *title;
	int y, x, h, w;      /* on the screen */
	size_t selected, top;
};

/* Lines of text to scroll through. */
struct ui_lines {
	char **v;
	size_t n;
};
void ui_lines_free(struct ui_lines *l);

/* The issue view of one feed item, as lines at most about width columns. */
void ui_detail_build(struct ui_lines *l, store *db, int64_t issue_id, int width);

/* Load (or reload) everything from the store and the settings. */
void ui_data_load(struct ui_data *d, store *db, const config *cfg);
void ui_data_free(struct ui_data *d);

/* How many rows each pane has, for moving the selection. */
size_t ui_pane_rows(const struct ui_data *d, int pane);

/* Draw a pane's content inside its frame. */
void ui_draw_load(WINDOW *w, const struct pane *p, const struct ui_data *d, bool color);
void ui_draw_feed(WINDOW *w, const struct pane *p, const struct ui_data *d, bool color);
void ui_draw_risk(WINDOW *w, const struct pane *p, const struct ui_data *d, bool color);
void ui_draw_settings(WINDOW *w, const struct pane *p, const struct ui_data *d, bool color);

/* Untrusted text at (y, x), at most width columns: sanitized, measured with
 * wcwidth (wide and combining characters), cut where it no longer fits. */
void ui_put(WINDOW *w, int y, int x, const char *text, int width);

/* "12s", "5m", "3h", "2d" */
void ui_age(time_t then, time_t now, char *buf, size_t n);

#endif
