/* ui: the command center (DESIGN.md section 1, issue 6).
 *
 * Panes over the store (ui/panes.def): the team's load, the live triage feed,
 * the files only one person understands, the settings and the people. The UI
 * never touches the network or git: it redraws from the store when the worker
 * wakes it (a file descriptor it polls) or every few seconds, and hands
 * requests to the worker through hooks. */
#ifndef MAHORAGA_UI_H
#define MAHORAGA_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "config.h"
#include "store.h"

typedef struct ui_hooks {
	int wake_fd;                                   /* -1 without a worker */
	void (*status)(void *arg, char *buf, size_t n); /* the worker's state line */
	void (*poll_now)(void *arg);
	/* apply a manual action the screen recorded in the store (its id) */
	void (*apply)(void *arg, int64_t manual_id);
	/* read the settings again after the editor saved one (into a fresh out) */
	int (*reload_config)(void *arg, config *out);
	void *arg;
} ui_hooks;

typedef struct ui_options {
	const char *db_path;   /* shown in the status line */
	bool no_color;         /* --no-color or NO_COLOR */
	bool readonly;         /* --readonly: no action changes anything */
	bool wall;             /* mahoraga wall: read-only, quiet, for a big screen */
	time_t now;            /* a fixed clock (the expected-screen tests); 0: the real one */
	const char *spells_dir; /* the user's spells, where an accepted proposal
	                         * goes (NULL: proposals cannot be accepted here) */
} ui_options;

/* Run until the user quits. db is the UI thread's own connection; cfg the
 * settings (repositories, thresholds, bots, critical globs), replaced when the
 * editor saves one. Returns 0, -1 without a terminal, or -2 when TERM names a
 * terminal that is unknown or cannot place the cursor (TERM=dumb). */
int ui_run(store *db, config *cfg, const ui_hooks *hooks, const ui_options *opt);

/* One screen without a terminal, as tig's tests dump theirs: draw the command
 * center at cols x rows into a terminal that writes nowhere, press keys (space
 * separated: a character, C-x, or Tab, S-Tab, Enter, Esc, Space, Up, Down,
 * PgUp, PgDn, Home, End, BSpace; NULL for none), draw frames more times (each
 * a full repaint), then print the screen as text to out (if not NULL). t (if
 * not NULL) gets the time to load from the store and per frame. For the
 * expected-screen tests, the redraw benchmark and screenshots. Returns 0, -1
 * if TERM is unknown, -2 for a key it cannot name. */
struct ui_dump_times {
	double load_ms, draw_ms;
};
int ui_dump(store *db, config *cfg, const ui_options *opt, int cols, int rows, const char *keys, int frames,
	    FILE *out, struct ui_dump_times *t);

#endif
