/* What the files of the command center share; not part of its interface. */
#ifndef MAHORAGA_UI_INTERNAL_H
#define MAHORAGA_UI_INTERNAL_H

#include <curses.h>
#include <stdio.h>
#include <time.h>

#include "ui.h"

enum ui_color { C_NORMAL, C_TITLE, C_FOCUS, C_WARN, C_GOOD, C_DIM, C_BAR, C_STALE };

/* what the bus-factor pane says of a file whose authors are all inactive */
#define NOBODY_ACTIVE "nobody active"

struct setting_row {
	char *key, *value, *origin;
	bool measured;       /* shown, not set: the ranking and its calibrations */
};

/* Everything drawn, loaded from the store. */
struct ui_data {
	store_feed feed;
	store_load load;
	store_risk risk;          /* as the worker saved it, configured repositories only */
	size_t risky;             /* their risky files in all (the rows are the first ones) */
	struct setting_row *settings;
	size_t nsettings;
	store_users users;        /* after the settings in the settings pane */
	store_proposals proposals; /* spells a model proposed, waiting for a person */
	time_t loaded_at;         /* when the store was read */
	time_t now;               /* the clock this frame is drawn with */
	time_t last_cycle;        /* when a worker (any process) last finished a cycle */
	store_service *services;  /* GitHub...: breaker, rate limit, last error */
	size_t nservices;
	time_t stale_after;       /* seconds without a cycle before the feed is stale */
	int overload_limit;
	char error[240];          /* why the store could not be read, or "" */
	size_t *folded;           /* per feed item: how many repeats fold into it */
	bool unfold;              /* show the repeats as rows of their own */
};

struct ui;
struct pane;

/* A pane of the command center, as tig's view_ops: one file each
 * (ui/pane_*.c), listed once in ui/panes.def. The screen loops over them. */
struct pane_ops {
	const char *title;
	int column;                   /* 0: left, 1: right */
	int height, wall_height;      /* shares of the column's height (on a wall) */
	const char *empty;            /* what it says with no rows */
	/* its rows before filtering, and one as the text it shows (for `/`) */
	size_t (*rows)(const struct ui_data *d);
	void (*row_text)(const struct ui_data *d, size_t row, char *buf, size_t n);
	/* the column headings over the rows, at inner columns (NULL: none) */
	void (*header)(const struct ui_data *d, int inner, char *buf, size_t n);
	/* draw the rows shown (p->vis from p->top) at (y, x), rows x inner */
	void (*draw)(WINDOW *w, const struct pane *p, const struct ui_data *d, int y, int x, int rows, int inner,
		     bool color, bool big);
	/* optional: a row kept out of the list (a folded repeat) */
	bool (*hidden)(const struct ui_data *d, size_t row);
	/* optional: how many, as the title says it ("12, 3 folded"; default "12") */
	void (*count)(const struct ui_data *d, size_t total, char *buf, size_t n);
	/* optional: when its data was refreshed at the source, and whether that is
	 * too long ago (default: when the screen read the store) */
	time_t (*fresh)(const struct ui_data *d, bool *stale);
	/* optional: the orders `<` and `>` cycle through (NULL-ended; the first is
	 * the rows' own order), and how two rows compare in order how (> 0) */
	const char *const *sorts;
	int (*compare)(const struct ui_data *d, size_t a, size_t b, int how);
	/* optional: Enter on a row, and whether that changes anything (then it is
	 * off in --readonly) */
	void (*enter)(struct ui *u, size_t row);
	bool enter_writes;
};

enum {
#define PANE(id, ops) id,
#include "panes.def"
#undef PANE
	N_PANES
};
#define PANE(id, ops) extern const struct pane_ops ops;
#include "panes.def"
#undef PANE
/* The panes in the order Tab visits them. */
extern const struct pane_ops *const ui_panes[N_PANES];

struct pane {
	const struct pane_ops *ops;
	int y, x, h, w;      /* on the screen */
	size_t selected;     /* among the visible rows */
	size_t top;          /* the first visible row shown, and the line it */
	int rows_y;          /* is on (under the headings; set when drawn) */
	char filter[64];     /* "/" text; a leading '!' keeps the rows that do not match */
	int sort;            /* index into ops->sorts (0: the rows' own order) */
	size_t *vis;         /* indexes of the rows the filter keeps */
	size_t nvis;
};

/* Lines of text to scroll through. A line starting with UI_LINE_HEAD is a
 * heading, with UI_LINE_MARK a highlighted line (the frame to blame). */
#define UI_LINE_HEAD '\001'
#define UI_LINE_MARK '\002'
struct ui_lines {
	char **v;
	size_t n;
};
void ui_lines_free(struct ui_lines *l);

typedef void ui_text_fn(struct ui *u, const char *text);

/* The one-line input at the bottom: settings, reasons, filters, people. */
struct ui_prompt {
	bool open;
	bool incremental;    /* done() after every key (the filter) */
	char label[200];
	char text[512];
	size_t len;
	ui_text_fn *done;    /* Enter (and every key when incremental) */
	ui_text_fn *cancel;  /* Esc, or NULL */
};

/* A list to pick from (the reassignment's candidates and people). */
struct ui_menu {
	bool open;
	char title[160];
	char **labels, **values;
	size_t n, selected;
	ui_text_fn *done;
};

/* A yes/no question before a destructive action. */
struct ui_confirm {
	bool open;
	char question[200];
	void (*yes)(struct ui *u);
};

struct ui {
	store *db;
	config *cfg;
	const ui_hooks *hooks;
	const ui_options *opt;
	struct ui_data data;
	struct pane panes[N_PANES];
	int focus;
	int zoomed;              /* -1, or the pane shown alone */
	bool help, quit, color;
	FILE *links;             /* the terminal, for OSC 8 links over issue numbers; NULL: none */
	uint64_t links_drawn;    /* what the links were last written over (a hash) */
	size_t help_top;         /* the help's first line shown */
	char message[240];
	struct ui_lines detail;  /* the issue view when open */
	bool detail_open;
	int64_t detail_issue;     /* the issue shown, or 0 for a file of the risk pane: */
	char detail_repo[200], detail_path[512];
	size_t detail_top;
	char detail_search[128];  /* the issue view's `/` text, for n and N */
	struct ui_prompt prompt;
	struct ui_menu menu;
	struct ui_confirm confirm;
	/* what the open prompt or menu is about */
	int64_t target_issue;
	int target_number;
	char target_key[256];
	char target_email[256];
	int64_t target_user;
	int64_t target_proposal;
};

/* The message line: what the last key did or why it could not. */
void ui_say(struct ui *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The issue view of one feed item, as lines at most about width columns;
 * source lines come from the clones the settings name. */
void ui_detail_build(struct ui_lines *l, store *db, const config *cfg, int64_t issue_id, int width);

/* The keys of the action table, by context, as roff for the man page's
 * section (tests/test_ui.c checks doc/mahoraga.1 against it). */
void ui_keys_roff(FILE *out);

/* Open the issue view of an issue of the feed. */
void ui_issue_open(struct ui *u, int64_t issue_id);
/* Open the view of a risky file: who knows it, as the worker saved it. */
void ui_file_open(struct ui *u, const char *repo, const char *path);

/* The file view's lines: the risk row of path in repo (from d) and the
 * people who know it (the store's saved expertise), at most about width. */
void ui_file_build(struct ui_lines *l, store *db, const struct ui_data *d, const char *repo, const char *path,
		   int width);

/* The blamed file of an issue in its repository's clone (to free) and the
 * line: 0; -1 when the decision blamed no frame; -2 when the repository has
 * no clone configured here or the path would leave it. */
int ui_issue_blamed(store *db, const config *cfg, int64_t issue_id, char **file, long *line);

/* Read the store again and re-apply every pane's filter (and the open issue). */
void ui_reload(struct ui *u);

/* Load (or reload) everything from the store and the settings. */
void ui_data_load(struct ui_data *d, store *db, const config *cfg);
void ui_data_free(struct ui_data *d);
/* The outside services in a few words for the status line ("GitHub 4812
 * left", "GitHub left alone 42s: <error>"); "" when none was used. */
void ui_services_text(const struct ui_data *d, char *buf, size_t n);

/* A pane's fresh op for what the worker writes (the feed, the load): as
 * fresh as its last cycle, stale after two missed polls. */
time_t ui_worker_fresh(const struct ui_data *d, bool *stale);

/* Apply the pane's filter: fill vis, keep the selection within it. */
void ui_pane_filter(struct pane *p, const struct ui_data *d);
/* Who an e-mail is, as the screen names people: the users table's name (or
 * login), else the e-mail itself; NULL stays NULL. */
const char *ui_person(const struct ui_data *d, const char *email);
/* Is feed row folded into the row of the issue it repeats (which is in the feed)? */
bool ui_feed_folded(const struct ui_data *d, size_t row);
/* The selected row of a pane (an index into its data), or false when none. */
bool ui_pane_current(const struct pane *p, size_t *row);
/* For the panes' draw: the shown row i (an index into p->vis) in reverse when
 * selected (on), or back to normal (off). */
void ui_pane_row_attr(WINDOW *w, const struct pane *p, size_t i, bool on);

/* Untrusted text at (y, x), at most width columns: sanitized, measured with
 * wcwidth (wide and combining characters), cut where it no longer fits.
 * Returns the columns used. */
int ui_put(WINDOW *w, int y, int x, const char *text, int width);
/* How many of the len bytes of s fit in width columns, whole characters only
 * (measured as ui_put measures them). */
size_t ui_fit(const char *s, size_t len, int width);

/* The same, keeping the end when it does not fit ("..main/Invoice.java"):
 * for paths, whose last part says the most. */
int ui_put_tail(WINDOW *w, int y, int x, const char *text, int width);

/* "12s", "5m", "3h", "2d" */
void ui_age(time_t then, time_t now, char *buf, size_t n);

/* Modal input: open, draw over the screen, and take a key (true if taken). */
void ui_prompt_open(struct ui *u, const char *label, const char *text, ui_text_fn *done);
void ui_menu_open(struct ui *u, const char *title, char **labels, char **values, size_t n, ui_text_fn *done);
void ui_confirm_open(struct ui *u, const char *question, void (*yes)(struct ui *u));
void ui_modal_close(struct ui *u);
void ui_modal_draw(struct ui *u);

/* Their keys, dispatched by screen.c's action table: the input line's
 * (ui_prompt_type takes any other key: a character of the text), the pick
 * list's, the question's (any other key than y is no). */
void ui_prompt_cancel(struct ui *u);
void ui_prompt_enter(struct ui *u);
void ui_prompt_backspace(struct ui *u);
void ui_prompt_clear(struct ui *u);
void ui_prompt_type(struct ui *u, int ch);
void ui_menu_down(struct ui *u);
void ui_menu_up(struct ui *u);
void ui_menu_pick(struct ui *u);
void ui_confirm_yes(struct ui *u);
void ui_confirm_no(struct ui *u);

/* Manual triage on the selected feed item (or the open issue), and the
 * settings pane's editors. Each checks --readonly and says why it did nothing. */
void ui_act_accept(struct ui *u);
void ui_act_reassign(struct ui *u);
void ui_act_human(struct ui *u);
void ui_act_approve(struct ui *u);
void ui_act_reject(struct ui *u);
void ui_act_retriage(struct ui *u);
void ui_act_copy_url(struct ui *u);
void ui_act_open_url(struct ui *u);  /* $BROWSER, where there is a display */
void ui_act_edit_code(struct ui *u); /* $EDITOR at the blamed line of the clone */
void ui_act_edit_setting(struct ui *u, size_t row); /* Enter on the settings pane */
void ui_act_edit_person(struct ui *u, size_t row);  /* Enter on the people pane */
void ui_act_new_user(struct ui *u);
void ui_act_decide_spell(struct ui *u, size_t row); /* Enter on the spells pane */
void ui_act_new_repo(struct ui *u);

#endif
