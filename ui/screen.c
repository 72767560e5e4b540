/* The command center's screen: layout, the action table, the main loop. */
#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui_internal.h"

/* The screen reloads from the store this often even without a wake-up, so
 * changes made by other processes show. */
#define RELOAD_SECONDS 5

struct ui {
	store *db;
	config *cfg;
	const ui_hooks *hooks;
	const ui_options *opt;
	struct ui_data data;
	struct pane panes[N_PANES];
	int focus;
	int zoomed;          /* -1, or the pane shown alone */
	bool help, quit, color;
	char message[160];
	struct ui_lines detail;  /* the issue view when open */
	bool detail_open;
	size_t detail_top;
	bool editing;            /* the settings editor's input line */
	char edit_key[64];
	char edit[256];
	size_t edit_len;
};

typedef void action_fn(struct ui *u);

static void next_pane(struct ui *u) { u->focus = (u->focus + 1) % N_PANES; }
static void prev_pane(struct ui *u) { u->focus = (u->focus + N_PANES - 1) % N_PANES; }

static void down(struct ui *u)
{
	struct pane *p = &u->panes[u->focus];
	if (p->selected + 1 < ui_pane_rows(&u->data, u->focus))
		p->selected++;
}

static void up(struct ui *u)
{
	struct pane *p = &u->panes[u->focus];
	if (p->selected)
		p->selected--;
}

static void zoom(struct ui *u) { u->zoomed = u->zoomed < 0 ? u->focus : -1; }

static void edit_setting(struct ui *u)
{
	const struct pane *p = &u->panes[PANE_SETTINGS];
	if (p->selected >= u->data.nsettings)
		return;
	if (u->opt->readonly) {
		snprintf(u->message, sizeof(u->message), "read-only: nothing can be changed");
		return;
	}
	const struct setting_row *row = &u->data.settings[p->selected];
	snprintf(u->edit_key, sizeof(u->edit_key), "%s", row->key);
	snprintf(u->edit, sizeof(u->edit), "%s", strcmp(row->value, "(unset)") ? row->value : "");
	u->edit_len = strlen(u->edit);
	u->editing = true;
}

/* Enter saves through the same validation as `mahoraga config set`; a bad
 * value is named in place and the line stays open. */
static void save_setting(struct ui *u)
{
	char *err = NULL;
	if (config_save(u->db, u->edit_key, u->edit, &err) < 0) {
		snprintf(u->message, sizeof(u->message), "%s", err ? err : "not saved");
		free(err);
		return;
	}
	u->editing = false;
	snprintf(u->message, sizeof(u->message), "saved %s", u->edit_key);
	if (u->hooks && u->hooks->reload_config) {
		config fresh;
		if (u->hooks->reload_config(u->hooks->arg, &fresh) == 0) {
			config_free(u->cfg);
			*u->cfg = fresh;
		}
	}
	if (u->hooks && u->hooks->poll_now)
		u->hooks->poll_now(u->hooks->arg); /* the worker applies it on its next cycle */
	ui_data_load(&u->data, u->db, u->cfg);
}

static void edit_key(struct ui *u, int ch)
{
	if (ch == 27) {
		u->editing = false;
		u->message[0] = '\0';
	} else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		save_setting(u);
	} else if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && u->edit_len) {
		u->edit[--u->edit_len] = '\0';
	} else if (ch >= 0x20 && ch < 0x7f && u->edit_len + 1 < sizeof(u->edit)) {
		u->edit[u->edit_len++] = (char)ch;
		u->edit[u->edit_len] = '\0';
	}
}

static void open_issue(struct ui *u)
{
	const struct pane *p = &u->panes[PANE_FEED];
	if (u->focus == PANE_SETTINGS) {
		edit_setting(u);
		return;
	}
	if (u->focus != PANE_FEED || p->selected >= u->data.feed.n)
		return;
	ui_detail_build(&u->detail, u->db, u->data.feed.v[p->selected].issue_id, COLS - 2);
	u->detail_open = true;
	u->detail_top = 0;
}
static void help(struct ui *u) { u->help = !u->help; }
static void quit(struct ui *u) { u->quit = true; }

static void poll_now(struct ui *u)
{
	if (u->opt->readonly) {
		snprintf(u->message, sizeof(u->message), "read-only: nothing can be changed");
		return;
	}
	if (u->hooks && u->hooks->poll_now) {
		u->hooks->poll_now(u->hooks->arg);
		snprintf(u->message, sizeof(u->message), "asked the worker to poll now");
	}
}

/* One list: it dispatches the keys and it is the help screen. */
static const struct action {
	int key;
	const char *name;
	const char *help;
	action_fn *fn;
} actions[] = {
	{ '\t', "Tab", "next pane", next_pane },
	{ KEY_BTAB, "S-Tab", "previous pane", prev_pane },
	{ 'j', "j, Down", "move down", down },
	{ KEY_DOWN, NULL, NULL, down },
	{ 'k', "k, Up", "move up", up },
	{ KEY_UP, NULL, NULL, up },
	{ 'z', "z", "zoom the pane to the whole screen (again: back)", zoom },
	{ '\n', "Enter", "open the issue (feed); edit the setting (settings)", open_issue },
	{ KEY_ENTER, NULL, NULL, open_issue },
	{ 'r', "r", "ask the worker to poll the sources now", poll_now },
	{ '?', "?", "this help", help },
	{ 'q', "q", "quit", quit },
};

static void layout(struct ui *u)
{
	int rows = LINES - 1, cols = COLS; /* the last line is the status line */
	static const char *const titles[N_PANES] = { "Team load", "Triage feed", "Bus-factor risk",
						     "Settings" };
	/* load and risk on the left (a third), feed and settings on the right */
	int left = cols / 3 < 28 ? (cols < 56 ? cols / 2 : 28) : cols / 3;
	int top = rows * 3 / 5;
	struct { int y, x, h, w; } g[N_PANES] = {
		{ 0, 0, top, left }, { 0, left, top, cols - left },
		{ top, 0, rows - top, left }, { top, left, rows - top, cols - left },
	};
	for (int i = 0; i < N_PANES; i++) {
		u->panes[i].title = titles[i];
		if (u->zoomed == i) {
			u->panes[i].y = 0, u->panes[i].x = 0, u->panes[i].h = rows, u->panes[i].w = cols;
		} else {
			u->panes[i].y = g[i].y, u->panes[i].x = g[i].x;
			u->panes[i].h = g[i].h, u->panes[i].w = g[i].w;
		}
	}
}

static void frame(struct ui *u, int i)
{
	struct pane *p = &u->panes[i];
	if (p->h < 3 || p->w < 4)
		return;
	bool f = i == u->focus;
	if (u->color)
		attron(COLOR_PAIR(f ? C_FOCUS : C_DIM));
	if (f)
		attron(A_BOLD);
	mvhline(p->y, p->x, ACS_HLINE, p->w);
	mvhline(p->y + p->h - 1, p->x, ACS_HLINE, p->w);
	mvvline(p->y, p->x, ACS_VLINE, p->h);
	mvvline(p->y, p->x + p->w - 1, ACS_VLINE, p->h);
	mvaddch(p->y, p->x, ACS_ULCORNER);
	mvaddch(p->y, p->x + p->w - 1, ACS_URCORNER);
	mvaddch(p->y + p->h - 1, p->x, ACS_LLCORNER);
	mvaddch(p->y + p->h - 1, p->x + p->w - 1, ACS_LRCORNER);
	char title[64];
	snprintf(title, sizeof(title), " %s (%zu) ", p->title, ui_pane_rows(&u->data, i));
	ui_put(stdscr, p->y, p->x + 2, title, p->w - 4);
	if (f)
		attroff(A_BOLD);
	if (u->color)
		attroff(COLOR_PAIR(f ? C_FOCUS : C_DIM));
}

static void draw_help(struct ui *u)
{
	int h = (int)(sizeof(actions) / sizeof(*actions)) + 4, w = 60 < COLS ? 60 : COLS;
	int y = (LINES - h) / 2 > 0 ? (LINES - h) / 2 : 0, x = (COLS - w) / 2 > 0 ? (COLS - w) / 2 : 0;
	for (int r = 0; r < h && y + r < LINES; r++)
		mvhline(y + r, x, ' ', w);
	ui_put(stdscr, y, x + 2, "Keys (? again to close)", w - 4);
	int r = 2;
	for (size_t i = 0; i < sizeof(actions) / sizeof(*actions); i++) {
		if (!actions[i].name)
			continue;
		ui_put(stdscr, y + r, x + 2, actions[i].name, 10);
		ui_put(stdscr, y + r, x + 13, actions[i].help, w - 15);
		r++;
	}
}

static void draw(struct ui *u)
{
	erase();
	layout(u);
	void (*pane_fn[N_PANES])(WINDOW *, const struct pane *, const struct ui_data *, bool) = {
		ui_draw_load, ui_draw_feed, ui_draw_risk, ui_draw_settings,
	};
	for (int i = 0; i < N_PANES; i++) {
		if (u->zoomed >= 0 && u->zoomed != i)
			continue;
		frame(u, i);
		if (u->panes[i].h >= 3 && u->panes[i].w >= 4)
			pane_fn[i](stdscr, &u->panes[i], &u->data, u->color);
	}
	/* the status line: worker, data age, database, keys */
	char status[96] = "no worker", age[16], line[512];
	if (u->hooks && u->hooks->status)
		u->hooks->status(u->hooks->arg, status, sizeof(status));
	ui_age(u->data.loaded_at, time(NULL), age, sizeof(age));
	/* the message of the last key first: it is what the user is looking for */
	if (u->opt->wall) /* a wall has no one at the keyboard: just how fresh it is */
		snprintf(line, sizeof(line), " mahoraga wall | updated %s ago | %s", age,
			 u->opt->db_path ? u->opt->db_path : "");
	else
		snprintf(line, sizeof(line), " %s%s%sworker: %s | data %s old | %s | ? help  q quit",
			 u->opt->readonly ? "READ-ONLY | " : "", u->message, u->message[0] ? " | " : "",
			 status, age, u->opt->db_path ? u->opt->db_path : "");
	if (u->color)
		attron(COLOR_PAIR(C_TITLE));
	mvhline(LINES - 1, 0, ' ', COLS);
	ui_put(stdscr, LINES - 1, 0, line, COLS);
	if (u->color)
		attroff(COLOR_PAIR(C_TITLE));
	if (u->detail_open) {
		/* the issue view covers the panes, the status line stays */
		for (int r = 0; r < LINES - 1; r++) {
			move(r, 0);
			clrtoeol();
			if (u->detail_top + (size_t)r < u->detail.n)
				ui_put(stdscr, r, 1, u->detail.v[u->detail_top + (size_t)r], COLS - 2);
		}
	}
	if (u->editing) {
		/* the input line over the status line; the message above it says why a
		 * value was refused */
		char prompt[400];
		snprintf(prompt, sizeof(prompt), " %s = %s_   (Enter saves, Esc cancels)", u->edit_key, u->edit);
		mvhline(LINES - 1, 0, ' ', COLS);
		ui_put(stdscr, LINES - 1, 0, prompt, COLS);
		if (u->message[0]) {
			mvhline(LINES - 2, 0, ' ', COLS);
			ui_put(stdscr, LINES - 2, 1, u->message, COLS - 2);
		}
	}
	if (u->help)
		draw_help(u);
	refresh();
}

static void setup_colors(struct ui *u)
{
	u->color = !u->opt->no_color && !getenv("NO_COLOR") && has_colors();
	if (!u->color)
		return;
	start_color();
	use_default_colors(); /* the terminal's own background */
	init_pair(C_TITLE, COLOR_BLACK, COLOR_CYAN);
	init_pair(C_FOCUS, COLOR_CYAN, -1);
	init_pair(C_WARN, COLOR_RED, -1);
	init_pair(C_GOOD, COLOR_GREEN, -1);
	init_pair(C_DIM, COLORS >= 256 ? 244 : COLOR_WHITE, -1);
	init_pair(C_BAR, COLOR_GREEN, -1);
}

int ui_run(store *db, config *cfg, const ui_hooks *hooks, const ui_options *opt)
{
	setlocale(LC_ALL, "");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO) || !initscr())
		return -1;
	struct ui u;
	memset(&u, 0, sizeof(u));
	u.db = db;
	u.cfg = cfg;
	u.hooks = hooks;
	u.opt = opt;
	u.zoomed = -1;
	u.focus = PANE_FEED;
	cbreak();
	noecho();
	set_escdelay(25); /* Esc closes the issue view without a pause */
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	setup_colors(&u);
	/* the store first, at once; the worker's results merge in as they come */
	ui_data_load(&u.data, db, cfg);
	draw(&u);
	while (!u.quit) {
		struct pollfd fds[2] = { { STDIN_FILENO, POLLIN, 0 },
					 { hooks ? hooks->wake_fd : -1, POLLIN, 0 } };
		int n = poll(fds, hooks && hooks->wake_fd >= 0 ? 2 : 1, 1000);
		if (n < 0 && errno != EINTR)
			break;
		bool reload = time(NULL) - u.data.loaded_at >= RELOAD_SECONDS;
		if (n > 0 && hooks && hooks->wake_fd >= 0 && (fds[1].revents & POLLIN)) {
			char buf[64];
			while (read(hooks->wake_fd, buf, sizeof(buf)) > 0)
				;
			reload = true;
		}
		int ch;
		while ((ch = getch()) != ERR) {
			if (ch == KEY_RESIZE)
				continue; /* redrawn below with the new size */
			if (u.editing) {
				edit_key(&u, ch);
				continue;
			}
			u.message[0] = '\0';
			if (u.detail_open) {
				/* the issue view has its own keys: scroll and close */
				if (ch == 'q' || ch == 27)
					u.detail_open = false;
				else if ((ch == 'j' || ch == KEY_DOWN) && u.detail_top + 1 < u.detail.n)
					u.detail_top++;
				else if ((ch == 'k' || ch == KEY_UP) && u.detail_top)
					u.detail_top--;
				else if (ch == ' ' || ch == KEY_NPAGE)
					u.detail_top = u.detail_top + (size_t)LINES < u.detail.n ? u.detail_top + (size_t)LINES - 2 : u.detail_top;
				continue;
			}
			for (size_t i = 0; i < sizeof(actions) / sizeof(*actions); i++)
				if (actions[i].key == ch) {
					actions[i].fn(&u);
					break;
				}
		}
		if (reload) {
			size_t sel[N_PANES];
			for (int i = 0; i < N_PANES; i++)
				sel[i] = u.panes[i].selected;
			ui_data_load(&u.data, db, cfg);
			/* keep the selection across reloads, within the new rows */
			for (int i = 0; i < N_PANES; i++) {
				size_t rows = ui_pane_rows(&u.data, i);
				u.panes[i].selected = rows && sel[i] >= rows ? rows - 1 : sel[i];
			}
		}
		draw(&u);
	}
	endwin();
	ui_lines_free(&u.detail);
	ui_data_free(&u.data);
	return 0;
}
